"""Tình hình báo cáo: which units have not reported which indicators for one period."""

from __future__ import annotations

import streamlit as st

from dashboard import completeness, queries, state, ui
from dashboard.i18n import t, t_or

ALL_GROUPS = "all"

lang = state.current_lang()
st.title(t("page_completeness", lang))
st.caption(t("completeness_intro", lang))

with ui.warehouse(lang) as con:
    parents = completeness.parent_units(con, lang)
    if parents.empty:
        st.info(t("completeness_no_parents", lang))
        st.stop()
    names = dict(zip(parents["unit_code"], parents["unit_name"], strict=True))
    depths = dict(zip(parents["unit_code"], parents["depth"], strict=True))
    wanted = state.peek("unit")  # the unit shown on the overview, when it has units below
    top = st.columns([3, 3, 2, 2, 3])
    with top[0]:
        parent = state.choose(
            "parent",
            list(names),
            label=t("parent_unit", lang),
            lang=lang,
            default=wanted if wanted in names else queries.default_unit(parents),
            format_func=lambda code: "\u2003" * int(depths[code]) + names[code],
        )
    assert parent is not None
    with top[1]:
        scope = state.choose(
            "scope",
            completeness.SCOPES,
            label=t("scope", lang),
            lang=lang,
            format_func=lambda value: t(f"scope_{value}", lang),
            widget=st.radio,
        )
    subtree = scope == "subtree"
    kinds = completeness.period_types(con, parent, subtree=subtree)
    if not kinds:
        st.info(t("completeness_no_data_below", lang, unit=names[parent]))
        st.stop()
    with top[2]:
        period_type = state.choose(
            "period_type",
            kinds,
            label=t("period_type", lang),
            lang=lang,
            default="year",
            format_func=lambda kind: t_or(f"period_type_{kind}", lang, kind),
        )
    assert period_type is not None
    periods = completeness.periods(con, parent, period_type, subtree=subtree)
    with top[3]:
        if period_type == "year":  # the same ``year`` as the other pages
            years = [period.start.year for period in periods]
            year = state.choose("year", years, label=t("year", lang), lang=lang, default=years[-1])
            assert year is not None
            period = completeness.Period.year(int(year))
        else:
            chosen = state.choose(
                "period",
                periods,
                label=t("period", lang),
                lang=lang,
                default=periods[-1],
                format_func=lambda option: option.label(lang),
            )
            assert chosen is not None
            period = chosen
    expected = completeness.expected_indicators(con, parent, period_type, lang, subtree=subtree)
    with top[4]:
        group = state.choose(
            "group",
            [ALL_GROUPS, *dict.fromkeys(expected["group_code"])],
            label=t("indicator_group", lang),
            lang=lang,
            format_func=lambda code: (
                t("all_groups", lang) if code == ALL_GROUPS else t_or(f"group_{code}", lang, code)
            ),
        )
    cells = completeness.grid(
        con, parent, period, lang, subtree=subtree, group=None if group == ALL_GROUPS else group
    )

if cells.empty:
    st.info(t("completeness_no_indicators", lang, unit=names[parent]))
    st.stop()

summary = completeness.summarize(cells)
title = t("completeness_title", lang, unit=names[parent], period=period.label(lang))
if cells.attrs.get("truncated"):
    st.warning(
        t(
            "completeness_truncated",
            lang,
            n=completeness.MAX_UNITS,
            total=cells.attrs["n_units_in_scope"],
        )
    )
st.markdown(completeness.summary_text(summary, period, lang))
if summary.not_applicable:
    st.caption(
        t(
            "completeness_not_applicable",
            lang,
            n=len(summary.not_applicable),
            units=", ".join(summary.not_applicable),
        )
    )
if summary.n_illustrative or summary.n_preliminary:
    st.caption(
        t(
            "completeness_flagged",
            lang,
            illustrative=summary.n_illustrative,
            preliminary=summary.n_preliminary,
        )
    )
ui.show_chart(
    completeness.grid_figure(cells, period, lang, title=title),
    key="completeness_grid",
)
st.caption(t("completeness_expected_note", lang))

by_unit = completeness.unit_counts(cells)
by_unit = by_unit[~by_unit["unit_not_applicable"]].sort_values(
    "n_missing_indicators", ascending=False, kind="stable"
)
by_indicator = completeness.indicator_counts(cells).sort_values(
    "n_missing_units", ascending=False, kind="stable"
)
left, right = st.columns(2)
with left:
    st.subheader(t("completeness_by_unit", lang))
    ui.table(
        by_unit.rename(columns={"unit_label": "unit_name"}),
        lang,
        columns=[
            "unit_name",
            "n_missing_indicators",
            "n_expected_indicators",
            "missing_indicators",
        ],
        key="completeness_units",
    )
with right:
    st.subheader(t("completeness_by_indicator", lang))
    ui.table(
        by_indicator,
        lang,
        columns=["indicator_name", "n_missing_units", "n_expected_units", "missing_units"],
        key="completeness_indicators",
    )

# The files are built only when a button is clicked: a large grid's workbook takes a while.
stem = f"tinh_hinh_bao_cao_{parent}_{period}"
buttons = st.columns([1, 1, 4])
buttons[0].download_button(
    t("download_csv", lang),
    data=lambda: completeness.to_csv(cells, period, lang),
    file_name=f"{stem}.csv",
    mime="text/csv",
    key="download_csv",
)
buttons[1].download_button(
    t("download_xlsx", lang),
    data=lambda: completeness.to_xlsx(cells, period, lang, title=title),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_xlsx",
)
