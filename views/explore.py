"""Khám phá: any indicators × units over periods of one type, as lines, bars or a table;
per household or per 100 party members; indexed to 100 at a chosen period; the files of
exactly what is shown (CSV, XLSX, Parquet); and a read-only SQL box for analysts.

Every choice is in the URL: ``indicators``, ``units``, ``period_type``, ``years``,
``display`` (lines, bars, table), ``view`` (the table's layout: pivot or tidy), ``per``,
``base`` (the period indexed to 100), ``campaigns`` (the windows shaded). A link from
before the charts (with ``view`` but no ``display``) still opens the table. The SQL text
and its parameter values stay out of the link.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import explorer, queries, sql_box, state, ui
from dashboard.formatting import MISSING, format_number
from dashboard.i18n import t, t_or

VIEWS = explorer.LAYOUTS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARQUET = "application/vnd.apache.parquet"
SQL_OUTCOME = "_sql_outcome"  # session: (the SQL run, its result or refusal)
SQL_EXAMPLE = (
    "SELECT unit_name, period_start, value, value_status\n"
    "FROM v_observation\n"
    "WHERE indicator_code = $indicator AND year(period_start) >= $from_year\n"
    "ORDER BY unit_name, period_start"
)

lang = state.current_lang()
st.title(t("page_explore", lang))


def show_table(shown: pd.DataFrame, key: str) -> None:
    """The shown table as it will download, numbers written the page's way."""
    cell = partial(explorer.format_cell, lang=lang)
    formats = {column: cell for column in explorer.value_columns(shown)}
    st.dataframe(
        shown.style.format(formats, na_rep=MISSING) if formats else shown,
        hide_index=True,
        width="stretch",
        key=key,
    )


def downloads(frame: pd.DataFrame, stem: str, prefix: str = "") -> None:
    """CSV, XLSX and Parquet of ``frame``, each built when its button is pressed."""
    sheet = t("sheet_table", lang)
    files: list[tuple[str, Callable[[], bytes], str, str]] = [
        ("csv", lambda: explorer.to_csv_bytes(frame), "text/csv", "download_csv"),
        ("xlsx", lambda: explorer.to_xlsx_bytes(frame, sheet), XLSX, "download_xlsx"),
        ("parquet", lambda: explorer.to_parquet_bytes(frame), PARQUET, "download_parquet"),
    ]
    for column, (suffix, data, mime, label) in zip(st.columns([1, 1, 1, 3]), files, strict=False):
        column.download_button(
            t(label, lang),
            data=data,
            file_name=f"{stem}.{suffix}",
            mime=mime,
            key=f"{prefix}{label}",
        )


def show_explorer() -> None:
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
        kinds = ["year"]
        if chosen_indicators and chosen_units:
            kinds = explorer.period_types(con, chosen_indicators, chosen_units) or kinds
        kind_column, years_column, display_column = st.columns([1, 2, 2])
        with kind_column:
            period_type = state.choose(
                "period_type",
                kinds,
                label=t("period_type", lang),
                lang=lang,
                format_func=lambda kind: t_or(f"period_type_{kind}", lang, kind),
            )
        assert period_type is not None
        with years_column:
            year_from, year_to = state.choose_year_range(
                "years", span[0], span[1], label=t("year_range", lang), lang=lang
            )
        with display_column:
            display = state.choose(
                "display",
                explorer.DISPLAYS,
                label=t("explorer_display", lang),
                lang=lang,
                default="table" if "view" in st.query_params else "lines",  # older links
                format_func=lambda value: t(f"explorer_display_{value}", lang),
                widget=st.radio,
                horizontal=True,
            )
        if not chosen_indicators or not chosen_units:
            st.info(t("explore_pick", lang))
            return
        tidy = explorer.fetch(
            con, chosen_indicators, chosen_units, period_type, year_from, year_to, lang
        )
        bases = explorer.base_periods(tidy)
        per_column, base_column, view_column = st.columns(3)
        with per_column:
            per = state.choose(
                "per",
                explorer.PER_OPTIONS,
                label=t("explorer_per", lang),
                lang=lang,
                format_func=lambda value: t(f"explorer_per_{value}", lang),
            )
        with base_column:
            base = state.choose(
                "base",
                [explorer.NO_INDEX, *bases],
                label=t("explorer_base", lang),
                lang=lang,
                format_func=lambda key: bases.get(key) or t("explorer_base_none", lang),
            )
        layout = "tidy"
        if display == "table":
            with view_column:
                layout = (
                    state.choose(
                        "view",
                        VIEWS,
                        label=t("view", lang),
                        lang=lang,
                        format_func=lambda value: t(f"view_{value}", lang),
                        widget=st.radio,
                        horizontal=True,
                    )
                    or layout
                )
        denominators, denominator_name = None, ""
        if per in explorer.DENOMINATORS:
            denominator = explorer.DENOMINATORS[per]
            denominators = explorer.denominator_values(
                con, denominator, chosen_units, period_type, year_from, year_to
            )
            denominator_name = explorer.indicator_name(con, denominator.indicator_code, lang)
        windows = explorer.campaigns(con, chosen_units, lang) if display != "table" else None

    if tidy.attrs.get("truncated"):
        st.warning(t("explore_truncated", lang, n=explorer.ROW_LIMIT))
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
    present = set(tidy["unit_code"])
    absent = [unit_names[code] for code in chosen_units if code not in present]
    if absent and not tidy.empty:
        st.caption(t("explore_absent", lang, units=", ".join(absent)))
    if tidy.empty:
        st.info(t("explore_empty", lang))
        return
    result = explorer.transform(
        tidy,
        lang,
        per=per or explorer.NO_DENOMINATOR,
        denominators=denominators,
        denominator_name=denominator_name,
        base=base or explorer.NO_INDEX,
    )
    frame, left_out = result.frame, result.left_out
    if display != "table":
        frame, not_drawn = explorer.first_series(frame, lang)
        left_out = pd.concat([left_out, not_drawn], ignore_index=True)
    if not left_out.empty:
        st.warning(t("explorer_left_out", lang, n=len(left_out)))
    shown = explorer.shown_table(
        frame, display or "lines", layout, lang, transformed=result.transformed
    )
    if frame.empty:
        st.info(t("explorer_nothing_left", lang))
    elif display == "table":
        show_table(shown, "explore_table")
    else:
        chosen_windows = ui.choose_campaigns(windows, lang) if windows is not None else None
        figures = explorer.figures(frame, display or "lines", lang, campaigns=chosen_windows)
        if len(figures) > 1:
            st.caption(t("explorer_panels", lang, n=len(figures)))
        for index, figure in enumerate(figures):
            ui.show_chart(figure, key=f"explore_chart_{index}")
        with st.expander(t("explorer_chart_data", lang)):
            show_table(shown, "explore_table")
    if not left_out.empty:
        with st.expander(t("explorer_left_out_heading", lang, n=len(left_out))):
            st.dataframe(explorer.left_out_table(left_out, lang), hide_index=True, width="stretch")
    if not frame.empty:
        st.caption(t("explorer_download_note", lang))
        downloads(shown, f"chi_tieu_{year_from}_{year_to}")


def parameter_table(sql: str) -> pd.DataFrame:
    """The parameter editor (one row per ``$name`` of the statement) and what it holds."""
    names = sql_box.parameter_names(sql)
    if not names:
        if sql.strip():
            st.caption(t("sql_no_params", lang))
        return pd.DataFrame({"name": [], "type": [], "value": []})
    frame = pd.DataFrame(
        {"name": names, "type": ["text"] * len(names), "value": [""] * len(names)}, dtype=object
    )
    edited = st.data_editor(
        frame,
        key="sql_params",
        hide_index=True,
        num_rows="fixed",
        disabled=["name"],
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn(t("sql_col_name", lang)),
            "type": st.column_config.SelectboxColumn(
                t("sql_col_type", lang),
                options=list(sql_box.PARAM_TYPES),
                format_func=lambda kind: t(f"sql_type_{kind}", lang),
                required=True,
            ),
            "value": st.column_config.TextColumn(t("sql_col_value", lang)),
        },
    )
    return pd.DataFrame(edited)


def show_sql_box() -> None:
    with st.expander(t("sql_heading", lang)):
        st.caption(
            t(
                "sql_help",
                lang,
                tables=", ".join(f"`{name}`" for name in sql_box.ALLOWED_RELATIONS),
                functions=", ".join(f"`{name}`" for name in sql_box.ALLOWED_FUNCTIONS),
                rows=format_number(sql_box.ROW_CAP, lang),
                seconds=format_number(sql_box.TIME_LIMIT, lang),
            )
        )
        sql = st.text_area(t("sql_text", lang), key="sql_text", height=160, placeholder=SQL_EXAMPLE)
        st.markdown(f"**{t('sql_params', lang)}**")
        params = parameter_table(sql or "")
        if st.button(t("sql_run", lang), key="sql_run", type="primary"):
            rows = list(zip(params["name"], params["type"], params["value"], strict=True))
            with ui.warehouse(lang) as con:
                try:
                    outcome: sql_box.SqlResult | sql_box.SqlRefused = sql_box.run(con, sql, rows)
                except sql_box.SqlRefused as refusal:
                    outcome = refusal
            st.session_state[SQL_OUTCOME] = (sql, outcome)
        stored = st.session_state.get(SQL_OUTCOME)
        if stored is None:
            return
        ran, outcome = stored
        if ran != sql:
            st.caption(t("sql_stale", lang))
        if isinstance(outcome, sql_box.SqlRefused):
            st.error(outcome.message(lang))
            return
        st.caption(
            t(
                "sql_result",
                lang,
                rows=format_number(len(outcome.frame), lang),
                seconds=format_number(outcome.seconds, lang, decimals=2),
            )
        )
        if outcome.capped:
            st.warning(t("sql_capped", lang, cap=format_number(outcome.row_cap, lang)))
        st.dataframe(outcome.frame, hide_index=True, width="stretch", key="sql_table")
        downloads(outcome.frame, "truy_van_sql", prefix="sql_")


show_explorer()
show_sql_box()
