"""Trước/sau đợt kiểm điểm: one unit's indicator (or a group's) before and after a
campaign, then the units below it compared.

The series continues across the 2025 reorganisation through the successor map (a merged
unit's history is its predecessors' figures), with the break marked on the charts; the
campaign windows shaded can be switched off one by one (``campaigns`` in the URL). Below
the averages before and after, the interrupted time series (:mod:`dashboard.its`): level
and slope change with 95 % intervals, the earlier trend carried on, a sentence saying
what it means, or the reason there is no estimate. Across units
(:mod:`dashboard.panel`): every unit's estimate and a forest plot, the
difference-in-differences against the units outside a campaign's scope, and an event
study on review dates the analyst enters. Every choice is in the URL; the logic is in
:mod:`dashboard.before_after_view`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import before_after_view as bav
from dashboard import (
    chart_marks,
    charts,
    its,
    its_charts,
    narrative,
    panel,
    queries,
    rollup,
    state,
    stats,
    succession,
    ui,
)
from dashboard.formatting import MISSING, format_date, format_window
from dashboard.i18n import t

SPANS = ("all", "1", "2", "3", "4", "5")
DATES_PARAM = "review_dates"


def _checkbox(name: str, label: str, help_text: str, *, default: bool = True) -> bool:
    """A checkbox keyed ``name``, kept in the URL as ``name=1`` or ``name=0``."""
    if name not in st.session_state:
        wanted = state.peek(name)
        st.session_state[name] = default if wanted not in ("0", "1") else wanted == "1"
    value = bool(st.checkbox(label, key=name, help=help_text))
    st.query_params[name] = "1" if value else "0"
    return value


# The statistics are functions of the figures passed in (never of the warehouse behind
# them), so a rerun for another widget reuses them; a new upload gives new figures.
@st.cache_data(max_entries=64, show_spinner=False)
def _analyse(series: pd.DataFrame, start: Any, end: Any, **options: Any) -> its.ITSResult:
    return bav.analyse(series, start, end, **options)


@st.cache_data(max_entries=32, show_spinner=False)
def _unit_estimates(frame: pd.DataFrame, start: Any, end: Any, **options: Any) -> pd.DataFrame:
    return bav.unit_estimates(frame, start, end, **options)


@st.cache_data(max_entries=32, show_spinner=False)
def _event_study(frame: pd.DataFrame, dates: dict[str, Any], period_type: str) -> Any:
    return bav.event_study(frame, dates, period_type)


def _numbers_table(frame: pd.DataFrame, columns: list[str], lang: str, key: str) -> None:
    """``st.dataframe`` with ``columns`` written the page's way; they stay numbers, so a
    click on the header sorts them."""
    fmt = bav.number_formatter(lang)
    st.dataframe(
        frame.style.format(dict.fromkeys(columns, fmt), na_rep=MISSING),
        hide_index=True,
        width="stretch",
        key=key,
    )


lang = state.current_lang()
st.title(t("page_before_after", lang))
st.caption(t("bav_intro", lang))

with ui.warehouse(lang) as con:
    units = queries.list_units_with_data(con, lang)
    names = dict(zip(units["unit_code"], units["unit_name"], strict=True))
    top = st.columns([2, 2, 2, 1])
    second = st.columns([3, 1, 2, 2], vertical_alignment="bottom")
    with top[0]:
        unit = ui.choose_unit(units, lang)
    parents = bav.parent_map(con)
    with second[0]:
        group = state.choose_many(
            "group",
            bav.group_candidates(unit, names, parents),
            label=t("bav_group", lang),
            lang=lang,
            format_func=lambda code: names[code],
            help=t("bav_group_help", lang),
        )
    members = [unit, *group]
    overlaps = bav.nested(members, parents)
    if overlaps:
        pairs = "; ".join(
            t("bav_within", lang, unit=names.get(code, code), parent=names.get(up, up))
            for code, up in overlaps
        )
        st.info(t("bav_group_nested", lang, pairs=pairs))
        st.stop()
    # every period type: the predecessors' figures count too (succession.lineage_indicators)
    indicators = succession.lineage_indicators(con, unit, lang, years_only=False)
    indicator_names = dict(
        zip(indicators["indicator_code"], indicators["indicator_name"], strict=True)
    )
    with top[1]:
        indicator = ui.choose_indicator(indicators, lang)
    if indicator is None:
        st.info(t("no_yearly_data", lang, unit=names[unit]))
        st.stop()
    info = queries.indicator_info(con, indicator, lang) or {}
    measure, kind = info.get("measure"), info.get("kind")
    kinds = bav.period_types(con, [*rollup.lineage_units(con, unit), *group], indicator)
    if not kinds:
        st.info(t("bav_no_series", lang, unit=names[unit]))
        st.stop()
    period_type = kinds[0]
    if len(kinds) > 1:
        with second[1]:
            period_type = (
                state.choose(
                    "periods",
                    kinds,
                    label=t("bav_periods", lang),
                    lang=lang,
                    format_func=lambda code: t(f"bav_period_{code}", lang),
                )
                or period_type
            )
    if group:
        series = bav.group_series(con, members, indicator, period_type)
        label = t("bav_group_name", lang, unit=names[unit], n=len(group))
        across = bav.members_frame(con, members, indicator, period_type, names)
        lineage = None
        compared = bav.ancestors_of(con, across["unit_code"].unique())
    else:
        series = queries.continued_unit_series(con, unit, indicator, period_type)
        lineage = chart_marks.series_units(con, series, lang)
        series = chart_marks.label_breaks(series, unit, lang, lineage)
        label = names[unit]
        across = bav.children_frame(con, unit, indicator, period_type, lang)
        compared = bav.ancestors_below(con, unit, across["unit_code"].unique())
    windows = bav.campaign_choices(con, unit, compared, lang)
    if series.dropna(subset=["value"]).empty:
        st.info(t("bav_no_group_series", lang) if group else t("bav_no_series", lang, unit=label))
        st.stop()
    if windows.empty:
        st.info(t("no_campaigns", lang))
        st.stop()
    campaign_rows = {row.campaign_code: row for row in windows.itertuples()}
    with top[2]:
        campaign = state.choose(
            "campaign",
            list(campaign_rows),
            label=t("campaign", lang),
            lang=lang,
            default=stats.default_campaign(series, windows),
            format_func=lambda code: f"{code} · {campaign_rows[code].campaign_name}",
        )
    with top[3]:
        span = state.choose(
            "span",
            SPANS,
            label=t("years_each_side", lang),
            lang=lang,
            format_func=lambda value: t("all_years", lang) if value == "all" else value,
        )
    with second[2]:
        drop_window = _checkbox(
            "drop_window", t("bav_drop_window", lang), t("bav_drop_window_help", lang)
        )
    family = "auto"
    if kind == "count":
        with second[3]:
            family = (
                state.choose(
                    "model",
                    bav.FAMILY_CHOICES,
                    label=t("bav_family", lang),
                    lang=lang,
                    format_func=lambda code: t(f"bav_family_{code}", lang),
                )
                or family
            )
    assert campaign is not None
    shaded = ui.choose_campaigns(windows[windows["kind"] != "term"], lang)

chosen: Any = campaign_rows[campaign]
start, end = chosen.start_date, chosen.end_date
periods = bav.span_periods(span, period_type)
means = stats.before_after(series, start, end, years_each_side=periods)
result = _analyse(
    series[["period_start", "period_end", "value", "value_status"]],
    start,
    end,
    period_type=period_type,
    periods=periods,
    drop_window=drop_window,
    family=family,
    kind=kind,
)
across_names = dict(zip(across["unit_code"], across["unit_name"], strict=True))
in_scope = bav.treated(across_names, str(chosen.scope), compared)
st.caption(
    t("campaign_window", lang, name=chosen.campaign_name, window=format_window(start, end, lang))
)
if in_scope is not None and len(in_scope) < len(across_names):
    st.caption(
        t(
            "bav_scope_partial",
            lang,
            n=len(in_scope),
            total=len(across_names),
            scope=str(chosen.scope).replace("|", ", "),
        )
    )

# --- the series and its averages ------------------------------------------------------------
st.subheader(t("bav_series_heading", lang))
if lineage is not None:
    continued = chart_marks.continuation_note(series, unit, lang, lineage)
    if continued:
        st.caption(continued)
if period_type == "year":  # the series chart labels its points by year
    ui.show_chart(
        charts.unit_series_chart(
            series,
            lang,
            unit_name=label,
            measure=measure,
            title=t("series_title", lang, indicator=indicator_names[indicator], unit=label),
            campaigns=shaded,
            result=means,
            campaign_window=(start, end),
            campaign_code=campaign,
        ),
        key="series_chart",
    )
plain = bav.without_rough_trend(means)
st.markdown(
    narrative.describe_before_after(
        plain, lang, measure=measure, kind=kind, direction=info.get("direction")
    )
)
ui.table(
    narrative.before_after_table(plain, lang, measure=measure, kind=kind),
    lang,
    columns=["period", "years", "n_years", "result"],
    key="ba_table",
)
if means.years_excluded:
    st.caption(t("ba_excluded", lang, years=narrative.year_span_text(means.years_excluded)))
if means.n_illustrative and not result.ok:  # the model's cautions say it otherwise
    st.warning(t("ba_illustrative", lang, n=means.n_illustrative))

# --- the interrupted time series ------------------------------------------------------------
st.subheader(t("bav_its_heading", lang))
st.caption(t("bav_its_caption", lang))
if not result.ok:
    reason = result.refusal.text(lang) if result.refusal else ""
    st.warning(t("bav_refused", lang, reason=reason))
else:
    sentence, notes = bav.sentence_and_cautions(
        result,
        indicator_names[indicator],
        lang,
        measure=measure,
        kind=kind,
        campaign=bav.campaign_phrase(campaign, chosen.kind, lang),
    )
    st.markdown(sentence)
    if notes:
        st.warning("  \n".join(notes))
    ui.table(
        bav.estimates_table(result, lang),
        lang,
        columns=bav.ESTIMATE_COLUMNS,
        numbers=["bav_value", "bav_low", "bav_high"],
        key="its_table",
    )
    st.caption(bav.model_line(result, lang))
    figure = its_charts.its_chart(
        result,
        lang,
        window=(start, end),
        campaign_code=campaign,
        measure=measure,
        title=t("bav_its_chart_title", lang, indicator=indicator_names[indicator], unit=label),
        campaigns=shaded,
    )
    chart_marks.add_breaks(figure, bav.breaks_in(series, result), lang)
    ui.show_chart(figure, key="its_chart")

# --- across units ---------------------------------------------------------------------------
st.subheader(
    t("bav_across_heading_group", lang) if group else t("bav_across_heading", lang, unit=label)
)
if across.empty:
    st.info(t("bav_no_children", lang, unit=label))
    st.stop()
options: dict[str, Any] = dict(
    period_type=period_type, before=periods, after=periods, drop_window=drop_window
)
view = state.choose(
    "across",
    bav.ACROSS_VIEWS,
    label=t("bav_across", lang),
    lang=lang,
    widget=st.radio,
    horizontal=True,
    format_func=lambda code: t(f"bav_across_{code}", lang),
)

if view == "units":
    table = _unit_estimates(across, start, end, family=family, kind=kind, **options)
    st.caption(bav.units_summary(table, lang))
    shown = panel.display_table(panel.sort_table(table), lang, across_names)
    ratio = bool(table["ratio"].any())
    _numbers_table(
        shown,
        [t("its_col_ratio" if ratio else "its_col_level", lang), t("its_col_slope", lang)],
        lang,
        key="units_table",
    )
    drawn = bav.forest_rows(table)
    if drawn.empty:
        st.caption(t("bav_forest_none", lang))
    else:
        ui.show_chart(
            its_charts.forest_plot(
                drawn, lang, names=across_names, title=t("bav_forest_title", lang)
            ),
            key="forest_chart",
        )
        estimated = int(table["level"].notna().sum())
        if len(drawn) < estimated:
            st.caption(t("bav_forest_subset", lang, shown=len(drawn), n=estimated))

elif view == "did":
    did = panel.did(across, start, end, in_scope, **options)
    if did.refusal is not None or did.estimate is None:
        st.info(bav.did_unavailable(did, str(chosen.scope), lang))
    else:
        st.markdown(
            bav.did_sentence(did, indicator_names[indicator], lang, measure=measure, kind=kind)
        )
        if did.includes_no_change:
            st.warning(t("its_caution_no_change", lang))
        ui.table(
            bav.did_means(did, lang),
            lang,
            columns=["bav_group", "bav_before", "bav_after", "bav_change"],
            numbers=["bav_before", "bav_after", "bav_change"],
            key="did_table",
        )
        st.caption(t("bav_did_caption", lang, n_obs=did.n_obs))

else:
    listed = across.drop_duplicates("unit_code")[["unit_code", "unit_name"]]
    default = bav.default_dates(listed, start, in_scope)
    wanted, unread = bav.parse_dates(st.query_params.get(DATES_PARAM), campaign, default)
    if unread:
        st.warning(t("bav_ignored_dates", lang, entries=", ".join(unread)))
    st.caption(t("bav_event_intro", lang, start=format_date(start, lang)))
    edited = st.data_editor(
        bav.dates_table(listed, wanted, default),
        key=f"{DATES_PARAM}_{campaign}",
        num_rows="fixed",
        hide_index=True,
        disabled=["bav_unit_name"],
        width="stretch",
        placeholder=t("bav_no_date", lang),
        column_config={
            "bav_unit_name": st.column_config.TextColumn(t("col_bav_unit_name", lang)),
            "bav_review_date": st.column_config.DateColumn(
                t("col_bav_review_date", lang),
                format="DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD",
            ),
        },
    )
    dates = {
        str(code): bav.as_date(day)
        for code, day in zip(edited.index, edited["bav_review_date"], strict=True)
    }
    written = bav.dates_text(campaign, dates, default)
    if written is not None:
        st.query_params[DATES_PARAM] = written
    elif DATES_PARAM in st.query_params:
        del st.query_params[DATES_PARAM]
    study = _event_study(across, dates, period_type)
    if study.refusal is not None:
        st.info(study.refusal.text(lang))
    else:
        st.markdown(its_charts.pretrend_text(study, lang))
        st.caption(bav.event_counts(study, lang))
        ui.show_chart(
            its_charts.event_study_chart(study, lang, title=t("bav_event_title", lang)),
            key="event_chart",
        )
