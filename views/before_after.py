"""Trước/sau đợt kiểm điểm: one unit's indicator before and after a campaign.

The series continues across the 2025 reorganisation through the successor map (a merged
unit's history is its predecessors' figures), with the break marked on the chart; the
campaign windows shaded can be switched off one by one (``campaigns`` in the URL)."""

from __future__ import annotations

import streamlit as st

from dashboard import chart_marks, charts, narrative, queries, state, stats, succession, ui
from dashboard.formatting import format_window
from dashboard.i18n import t

SPANS = ("all", "1", "2", "3", "4", "5")

lang = state.current_lang()
st.title(t("page_before_after", lang))
st.caption(t("before_after_intro", lang))

with ui.warehouse(lang) as con:
    units = queries.list_units_with_data(con, lang)
    names = dict(zip(units["unit_code"], units["unit_name"], strict=True))
    top = st.columns([2, 2, 2, 1])
    with top[0]:
        unit = ui.choose_unit(units, lang)
    indicators = succession.lineage_indicators(con, unit, lang)  # predecessors' count too
    indicator_names = dict(
        zip(indicators["indicator_code"], indicators["indicator_name"], strict=True)
    )
    with top[1]:
        indicator = ui.choose_indicator(indicators, lang)
    if indicator is None:
        st.info(t("no_yearly_data", lang, unit=names[unit]))
        st.stop()
    windows = queries.campaigns(con, lang, unit=unit)
    if windows.empty:
        st.info(t("no_campaigns", lang))
        st.stop()
    campaign_rows = {row.campaign_code: row for row in windows.itertuples()}
    series = queries.continued_unit_series(con, unit, indicator)
    lineage = chart_marks.series_units(con, series, lang)
    series = chart_marks.label_breaks(series, unit, lang, lineage)
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
    assert campaign is not None
    shaded = ui.choose_campaigns(windows[windows["kind"] != "term"], lang)
    info = queries.indicator_info(con, indicator, lang) or {}

chosen = campaign_rows[campaign]
result = stats.before_after(
    series,
    chosen.start_date,
    chosen.end_date,
    years_each_side=None if span in (None, "all") else int(span),
)
measure = info.get("measure")
st.caption(
    t(
        "campaign_window",
        lang,
        name=chosen.campaign_name,
        window=format_window(chosen.start_date, chosen.end_date, lang),
    )
)
st.markdown(
    narrative.describe_before_after(
        result, lang, measure=measure, kind=info.get("kind"), direction=info.get("direction")
    )
)
if result.n_illustrative:
    st.warning(t("ba_illustrative", lang, n=result.n_illustrative))
continued = chart_marks.continuation_note(series, unit, lang, lineage)
if continued:
    st.caption(continued)
ui.show_chart(
    charts.unit_series_chart(
        series,
        lang,
        unit_name=names[unit],
        measure=measure,
        title=t("series_title", lang, indicator=indicator_names[indicator], unit=names[unit]),
        campaigns=shaded,
        result=result,
        campaign_window=(chosen.start_date, chosen.end_date),
        campaign_code=campaign,
    ),
    key="series_chart",
)
st.subheader(t("ba_table_heading", lang))
ui.table(
    narrative.before_after_table(result, lang, measure=measure, kind=info.get("kind")),
    lang,
    columns=["period", "years", "n_years", "result"],
    key="ba_table",
)
if result.years_excluded:
    st.caption(t("ba_excluded", lang, years=narrative.year_span_text(result.years_excluded)))
