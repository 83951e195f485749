"""Khám phá: any indicators × units × years as a table, to read or to download."""

from __future__ import annotations

import streamlit as st

from dashboard import export, queries, state, ui
from dashboard.i18n import t

VIEWS = ("pivot", "tidy")
TIDY_COLUMNS = [
    "unit_name", "indicator_name", "period_label", "qualifier", "value", "measure",
    "target", "value_status", "note", "source_file",
]  # fmt: skip

lang = state.current_lang()
st.title(t("page_explore", lang))

with ui.warehouse(lang) as con:
    indicators = queries.list_indicators(con, lang)
    indicator_names = dict(
        zip(indicators["indicator_code"], indicators["indicator_name"], strict=True)
    )
    units = queries.list_units_with_data(con, lang)
    unit_names = dict(zip(units["unit_code"], units["unit_name"], strict=True))
    span = queries.year_span(con)
    assert span is not None
    chosen_indicators = state.choose_many(
        "indicators",
        list(indicator_names),
        label=t("indicators", lang),
        lang=lang,
        default=[queries.default_indicator(indicators)],
        format_func=lambda code: indicator_names[code],
    )
    chosen_units = state.choose_many(
        "units",
        list(unit_names),
        label=t("units", lang),
        lang=lang,
        default=queries.unit_with_children(units, queries.default_unit(units)),
        format_func=lambda code: unit_names[code],
    )
    left, right = st.columns([3, 1])
    with left:
        year_from, year_to = state.choose_year_range(
            "years", span[0], span[1], label=t("year_range", lang), lang=lang
        )
    with right:
        view = state.choose(
            "view",
            VIEWS,
            label=t("view", lang),
            lang=lang,
            format_func=lambda value: t(f"view_{value}", lang),
            widget=st.radio,
            horizontal=True,
        )
    if not chosen_indicators or not chosen_units:
        st.info(t("explore_pick", lang))
        st.stop()
    tidy = queries.explore(con, chosen_indicators, chosen_units, year_from, year_to, lang)

if tidy.attrs.get("truncated"):
    st.warning(t("explore_truncated", lang, n=queries.EXPLORE_ROW_LIMIT))
st.caption(
    t(
        "explore_count",
        lang,
        rows=len(tidy),
        units=tidy["unit_code"].nunique(),
        indicators=tidy["indicator_code"].nunique(),
        illustrative=int((tidy["value_status"] == "illustrative").sum()),
    )
)
absent = [unit_names[code] for code in chosen_units if code not in set(tidy["unit_code"])]
if absent and not tidy.empty:
    st.caption(t("explore_absent", lang, units=", ".join(absent)))
if tidy.empty:
    st.info(t("explore_empty", lang))
    st.stop()
wide = queries.pivot_explore(tidy)
if view == "pivot":
    ui.table(wide, lang, columns=list(wide.columns), key="explore_table", numbers=wide.columns[3:])
else:
    ui.table(tidy, lang, columns=TIDY_COLUMNS, key="explore_table")
st.caption(t("explore_download_note", lang))
ui.download_buttons(
    lang,
    file_stem=f"chi_tieu_{year_from}_{year_to}",
    csv_bytes=lambda: export.to_csv_bytes(tidy),
    xlsx_bytes=lambda: export.to_xlsx_bytes(
        {t("sheet_table", lang): ui.with_headers(wide, lang), t("sheet_data", lang): tidy}
    ),
)
