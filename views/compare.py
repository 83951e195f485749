"""So sánh đơn vị: the children of one unit ranked on one indicator, and over time."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, narrative, queries, state, ui
from dashboard.i18n import t

SHADED_KINDS = ("review", "restructure")

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
    years = queries.list_years(con, indicator=indicator, parent=parent)
    with top[2]:
        year = state.choose("year", years, label=t("year", lang), lang=lang, default=years[-1])
    assert year is not None
    info = queries.indicator_info(con, indicator, lang) or {}
    ranked = queries.compare_children(con, parent, indicator, int(year), lang)
    own = queries.unit_year_value(con, parent, indicator, int(year))
    series = queries.children_series(con, parent, indicator, lang)
    windows = queries.campaigns(con, lang, unit=parent, kinds=SHADED_KINDS)
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
highlight = state.peek("unit")
sentence = narrative.describe_ranking(
    ranked, lang, measure=measure, direction=info.get("direction")
)
if sentence:
    st.markdown(sentence)
if (ranked["value_status"] != "reported").any():
    st.caption(t("illustrative_banner", lang))
for column, codes in gaps.items():  # the parent's line combines its children: name gaps
    if codes:
        names = ", ".join(unit_names.get(code, code) for code in codes)
        st.caption(f"{parent_names[parent]}: {t(f'rollup_{column}', lang, names=names)}")
reference = (parent_names[parent], own["value"]) if own else None
ui.show_chart(
    charts.ranked_bar(
        ranked,
        lang,
        measure=measure,
        title=t("ranked_title", lang, indicator=indicator_names[indicator], year=year),
        reference=reference,
        highlight=highlight,
    ),
    key="ranked_chart",
)
ui.show_chart(
    charts.lines_over_time(
        series,
        lang,
        measure=measure,
        title=t(
            "lines_title", lang, indicator=indicator_names[indicator], unit=parent_names[parent]
        ),
        campaigns=windows,
        highlight=highlight,
    ),
    key="lines_chart",
)
with st.expander(t("table_of_ranking", lang)):
    ui.table(
        ranked,
        lang,
        columns=["rank", "unit_name", "qualifier", "value", "target", "value_status"],
        key="ranking_table",
    )
