"""So sánh đơn vị: the children of one unit ranked on one indicator in one year, with
their rank movement since the previous year, the parent's value and the target; then
over the years as lines, small multiples or a heat table, campaign windows shaded.

A click on a unit's bar goes down a level (that unit becomes the parent) where it has
units of its own with figures, else highlights it; the breadcrumb goes back up. Every
choice (indicator, parent, year, highlighted unit, campaigns shown, chart over time)
is in the URL.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import charts, compare_charts, narrative, queries, ranking, state, ui
from dashboard.formatting import format_value
from dashboard.i18n import t

SHADED_KINDS = ("review", "restructure")
TIME_VIEWS = ("lines", "multiples", "heat")
MAX_UNITS = 24  # units a chart draws (the table lists every one)
CHART_KEY = "ranked_chart"
LEAF_NOTICE = "_compare_leaf_clicked"  # the unit a click could not go down into
TABLE_COLUMNS = [
    "rank", "previous_rank", "movement_label", "unit_name", "qualifier", "value", "target",
    "value_status",
]  # fmt: skip


def _go_to(parent: str) -> None:
    """Breadcrumb and drill-down: show ``parent``'s units (runs before the page, so the
    parent selectbox can still be set)."""
    st.session_state["parent"] = parent


def _on_bar_click(drillable: frozenset[str]) -> None:
    """A click on a bar: go down into that unit when it has units with figures for the
    indicator, else highlight it (the ``unit`` URL parameter) and say why."""
    code = ranking.clicked_unit(st.session_state.get(CHART_KEY))
    if code is None:
        return
    if code in drillable:
        _go_to(code)
    else:
        st.query_params["unit"] = code
        st.session_state[LEAF_NOTICE] = code


def _breadcrumb(path: list[tuple[str, str]], parent: str, reachable: set[str], lang: str) -> None:
    """From the top unit down to ``parent``: each ancestor a button going up to it."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        for index, (code, name) in enumerate(path):
            if index:
                st.markdown("›", width="content")
            if code == parent:
                st.markdown(f"**{name}**", width="content")
            elif code in reachable:
                st.button(
                    name,
                    key=f"crumb_{code}",
                    on_click=_go_to,
                    args=(code,),
                    type="tertiary",
                    help=t("breadcrumb_help", lang, unit=name),
                )
            else:
                st.markdown(name, width="content")


lang = state.current_lang()
st.title(t("page_compare", lang))

with ui.warehouse(lang) as con:
    indicators = queries.list_indicators(con, lang, years_only=True, children_only=True)
    if indicators.empty:
        st.info(t("no_children_data_at_all", lang))
        st.stop()
    indicator_names = dict(
        zip(indicators["indicator_code"], indicators["indicator_name"], strict=True)
    )
    top = st.columns([2, 2, 1])
    with top[0]:
        indicator = ui.choose_indicator(indicators, lang)
    assert indicator is not None
    parents = queries.parents_with_children_data(con, indicator, lang)
    if parents.empty:
        st.info(t("no_children_data", lang, indicator=indicator_names[indicator]))
        st.stop()
    parent_names = dict(zip(parents["unit_code"], parents["unit_name"], strict=True))
    with top[1]:
        parent = state.choose(
            "parent",
            list(parent_names),
            label=t("parent_unit", lang),
            lang=lang,
            format_func=lambda code: parent_names[code],
        )
    assert parent is not None
    values = ranking.compare_values(con, parent, indicator, lang)
    years = ranking.ranking_years(values)
    path = ranking.ancestors(con, parent, lang)
    info = queries.indicator_info(con, indicator, lang) or {}
    windows = queries.campaigns(con, lang, unit=parent, kinds=SHADED_KINDS)
    _breadcrumb(path, parent, set(parent_names), lang)
    if not years:
        st.info(t("no_ranking_years", lang, unit=parent_names[parent]))
        st.stop()
    with top[2]:
        year = state.choose("year", years, label=t("year", lang), lang=lang, default=years[-1])
    assert year is not None
    own = ranking.parent_value(values, int(year))
    gaps = (
        {  # children the parent's combined value lacks, by kind
            column: ui.unit_codes(own.get(column)) for column in ("missing_parts", "missing_units")
        }
        if own and own.get("is_rollup")
        else {}
    )
    unit_names: dict[str, str] = {}
    if any(gaps.values()):
        catalogue = queries.catalogue_units(con, lang)
        unit_names = dict(zip(catalogue["unit_code"], catalogue["unit_name"], strict=True))

measure = info.get("measure")
direction = info.get("direction")
indicator_name = indicator_names[indicator]
parent_name = parent_names[parent]
highlight = state.peek("unit")
result = ranking.rank_children(values, int(year), direction, lang)
ranked = result.table
order = ranking.row_order(values, ranked)
ranked_codes, unranked = list(ranked["unit_code"]), order[len(ranked) :]
shown = ranking.units_to_show(ranked_codes, unranked, limit=MAX_UNITS, keep=highlight)
first_and_last = ranking.units_to_show(ranked_codes, unranked, limit=MAX_UNITS)

leaf = st.session_state.pop(LEAF_NOTICE, None)
if leaf is not None:
    leaf_name = dict(zip(values["unit_code"], values["unit_name"], strict=False)).get(leaf, leaf)
    st.toast(t("drill_leaf", lang, unit=leaf_name))
    st.caption(t("drill_leaf", lang, unit=leaf_name))

sentence = narrative.describe_ranking(ranked, lang, measure=measure, direction=direction)
if sentence:
    st.markdown(sentence)
note = ranking.quality_note(ranked, lang, measure=measure)
if note:
    st.caption(note)
for column, codes in gaps.items():  # the parent's line combines its children: name gaps
    if codes:
        names = ", ".join(unit_names.get(code, code) for code in codes)
        st.caption(f"{parent_name}: {t(f'rollup_{column}', lang, names=names)}")
if len(shown) < len(order):
    st.caption(
        t(
            "units_shown",
            lang,
            shown=len(shown),
            n=len(order),
            top=MAX_UNITS - MAX_UNITS // 2,
            bottom=MAX_UNITS // 2,
            year=year,
            extra=t("units_shown_highlight", lang) if len(shown) > len(first_and_last) else "",
        )
    )

line = ranking.target_line(own, ranked)
comparable = ranking.parent_on_children_scale(info.get("kind"))
if own and not comparable:
    st.caption(
        t(
            "parent_total",
            lang,
            unit=parent_name,
            value=format_value(own["value"], lang, measure=measure, qualifier=own["qualifier"]),
        )
    )
ui.show_chart(
    charts.ranked_bar(
        ranked[ranked["unit_code"].isin(shown)],
        lang,
        measure=measure,
        title=t("ranked_title", lang, indicator=indicator_name, year=year),
        reference=(parent_name, own["value"]) if own and comparable else None,
        highlight=highlight,
        target=(t("target_line", lang), line) if line is not None else None,
    ),
    key=CHART_KEY,
    on_select=partial(_on_bar_click, frozenset(parent_names)),
    selection_mode="points",
)
captions = [t("drill_hint", lang)]
if result.previous_year is not None:
    captions.insert(0, t("movement_caption", lang, year=result.previous_year))
st.caption(" ".join(captions))

view = state.choose(
    "timeview",
    TIME_VIEWS,
    label=t("time_view", lang),
    lang=lang,
    format_func=lambda name: t(f"time_view_{name}", lang),
    widget=st.radio,
    horizontal=True,
)
chosen = ui.choose_campaigns(windows, lang)
# The parent's series beside its children's where it is on their scale (not a total).
over_time = values[(values["is_parent"] & comparable) | values["unit_code"].isin(shown)]
ranks = dict(zip(ranked["unit_code"], ranked["rank"].astype(int), strict=True))
if view == "multiples":
    figure = compare_charts.small_multiples(
        over_time,
        shown,
        lang,
        measure=measure,
        title=t("multiples_title", lang, indicator=indicator_name, unit=parent_name),
        campaigns=chosen,
        highlight=highlight,
        ranks=ranks,
    )
elif view == "heat":
    table = ranking.heat_table(over_time, shown, lang, measure=measure)
    figure = compare_charts.heat_figure(
        table,
        lang,
        direction=direction,
        measure=measure,
        title=t(
            "heat_title",
            lang,
            indicator=indicator_name,
            measure=f" ({measure})" if measure else "",
            unit=parent_name,
        ),
        campaigns=chosen,
        highlight=highlight,
        ranks=ranks,
    )
else:
    figure = charts.lines_over_time(
        over_time,
        lang,
        measure=measure,
        title=t("lines_title", lang, indicator=indicator_name, unit=parent_name),
        campaigns=chosen,
        highlight=highlight,
    )
ui.show_chart(figure, key="time_chart")
note = ranking.quality_note(over_time, lang, measure=measure, with_year=True)
if note:
    st.caption(note)

with st.expander(t("table_of_ranking", lang)):
    ui.table(
        ranked,
        lang,
        columns=TABLE_COLUMNS,
        numbers=["previous_rank"],
        key="ranking_table",
    )
