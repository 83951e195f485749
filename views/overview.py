"""Tổng quan: every indicator of one unit in one year, as tiles: value, change, a sparkline
of the years up to it (continued across the 2025 reorganisation) and the verdict against
the target or plan."""

from __future__ import annotations

import streamlit as st

from dashboard import queries, state, tiles, ui
from dashboard.i18n import t, t_or

TILES_PER_ROW = 3

lang = state.current_lang()
st.title(t("page_overview", lang))

with ui.warehouse(lang) as con:
    unit, year, names = ui.choose_unit_and_year(con, lang)
    if year is None:
        st.info(t("no_yearly_data", lang, unit=names[unit]))
        overview = None
        sparks: dict[str, tiles.Sparkline] = {}
    else:
        overview = queries.overview_for_unit_year(con, unit, year, lang)
        # every tile's sparkline, in one query
        sparks = tiles.sparklines(con, unit, year, list(overview["indicator_code"]))
    others = queries.other_periods_for_unit(con, unit, lang, year=year)

if overview is not None and year is not None:
    st.subheader(t("overview_heading", lang, unit=names[unit], year=year))
    if (overview["value_status"] == "illustrative").any():
        st.caption(t("illustrative_banner", lang))
    for group, group_tiles in overview.groupby("group_code", sort=False):
        st.markdown(f"#### {t_or(f'group_{group}', lang, str(group))}")
        rows = list(group_tiles.itertuples())
        for start in range(0, len(rows), TILES_PER_ROW):
            columns = st.columns(TILES_PER_ROW)
            for column, row in zip(columns, rows[start : start + TILES_PER_ROW], strict=False):
                with column:
                    ui.indicator_tile(
                        row,
                        year,
                        lang,
                        unit_names=names,
                        sparkline=sparks.get(str(row.indicator_code)),
                    )

if not others.empty:
    st.subheader(t("other_periods_heading", lang))
    st.caption(t("other_periods_caption", lang))
    ui.table(
        others,
        lang,
        columns=[
            "indicator_name",
            "period_label",
            "qualifier",
            "value",
            "measure",
            "value_status",
            "note",
        ],
        key="other_periods",
    )
