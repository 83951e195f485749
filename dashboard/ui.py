"""Streamlit pieces shared by the pages: opening the warehouse, tiles, tables, downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import streamlit as st

from dashboard import queries, state, tiles
from dashboard.formatting import (
    MISSING,
    format_change,
    format_date,
    format_datetime,
    format_value,
    is_missing,
    is_percent,
    qualifier_word,
    status_word,
)
from dashboard.i18n import t, t_or
from dashboard.share import share_url
from etl.errors import EtlError
from etl.warehouse import open_for_reading, resolve_db_path

# Problems with the warehouse that the user fixes by running a command, not by complaining.
_INFO_KEYS = frozenset({"db_missing", "db_older"})


def db_path() -> Path:
    """The warehouse file: ``WAREHOUSE_DB`` or ``data/warehouse.duckdb``."""
    return resolve_db_path(None)


def show_etl_error(exc: EtlError, lang: str) -> None:
    """An ETL refusal as a message box: info for "run this command", error otherwise."""
    (st.info if exc.key in _INFO_KEYS else st.error)(exc.message(lang))


@contextmanager
def warehouse(lang: str, *, require_data: bool = True) -> Iterator[queries.Connection]:
    """A read-only connection for one page run, closed at its end.

    Stops the page with a message (never a traceback) when the warehouse is missing or
    unusable, or, with ``require_data``, holds no values yet.
    """
    try:
        con = open_for_reading(db_path())
    except EtlError as exc:
        show_etl_error(exc, lang)
        st.stop()
    try:
        if require_data and not queries.has_observations(con):
            st.info(t("no_data", lang))
            st.stop()
        yield con
    finally:
        con.close()


CHART_CONFIG = {"displaylogo": False}
PRESENTATION_FONT_SCALE = 1.4
PRESENTATION_CHART_HEIGHT = 600  # px: one chart fills a 1280×720 projector screen


def show_chart(fig: Any, *, key: str, **chart_args: Any) -> Any:
    """``st.plotly_chart`` as every page draws charts: the figure's own colours, no Plotly
    logo, and in presentation mode larger type and one chart to a screen. Extra arguments
    (``on_select``...) go to ``st.plotly_chart``; its return value is returned."""
    if state.presenting():
        font = fig.layout.font.size or 16
        title = fig.layout.title.font.size or 21
        fig.update_layout(
            font_size=round(font * PRESENTATION_FONT_SCALE),
            title_font_size=round(title * PRESENTATION_FONT_SCALE),
            height=max(PRESENTATION_CHART_HEIGHT, fig.layout.height or 0),
        )
    return st.plotly_chart(fig, key=key, theme=None, config=CHART_CONFIG, **chart_args)


def indicator_tile(
    row: Any,
    year: int,
    lang: str,
    unit_names: dict[str, str] | None = None,
    sparkline: tiles.Sparkline | None = None,
) -> None:
    """One bordered tile for one row of :func:`dashboard.queries.overview_for_unit_year`:
    ``st.metric`` with the change from last year (coloured by the indicator's direction)
    and ``sparkline`` (:func:`dashboard.tiles.sparklines`), then the verdict against the
    target or plan (:func:`dashboard.tiles.check_target`) and the notes. ``unit_names``
    (code → name) names the children a rolled-up value leaves out."""
    measure = row.measure
    label = row.indicator_name if is_percent(measure) else f"{row.indicator_name} ({measure})"
    delta = format_change(row.change, lang, points=bool(row.change_is_points))
    color: Literal["normal", "inverse", "off"] = (
        "inverse" if row.direction == "lower_better" else "normal"
    )
    no_change = not is_missing(row.change) and float(row.change) == 0
    if row.direction == "neutral" or is_missing(row.change) or no_change:
        color = "off"
    drawn = sparkline is not None and sparkline.drawable
    check = tiles.check_target(
        row.value, row.target, kind=row.kind, direction=row.direction, qualifier=row.qualifier
    )
    verdict = tiles.target_markdown(check, lang, measure)
    notes = []
    if getattr(row, "is_rollup", False) is True:
        notes.append(t("rollup_note", lang, n=int(row.n_units)))
        for column in ("missing_parts", "missing_units"):  # children the roll-up lacks
            codes = unit_codes(getattr(row, column, None))
            if codes:
                names = ", ".join((unit_names or {}).get(code, code) for code in codes)
                notes.append(t(f"rollup_{column}", lang, names=names))
    if verdict is None and not is_missing(row.target):  # a target nothing judges: shown plain
        notes.append(t("target_is", lang, value=format_value(row.target, lang, measure=measure)))
    word = status_word(row.value_status, lang)
    if word:
        notes.append(f"⚠ {word}")
    with st.container(border=True):
        st.metric(
            label,
            format_value(row.value, lang, measure=measure, qualifier=row.qualifier),
            delta=delta,
            delta_color=color,
            delta_arrow="off" if no_change else "auto",
            delta_description=t("vs_year", lang, year=year - 1) if delta else None,
            help=_tile_help(row, lang, sparkline, unit_names),
            chart_data=list(sparkline.values) if drawn and sparkline else None,
            chart_type="line",
        )
        if verdict:
            st.markdown(verdict)
        if notes:
            st.caption(" · ".join(notes))


def unit_codes(value: Any) -> list[str]:
    """A roll-up's list of unit codes (a list or an array; None or NaN when there is none)."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [str(code) for code in value]


def _tile_help(
    row: Any,
    lang: str,
    sparkline: tiles.Sparkline | None = None,
    unit_names: dict[str, str] | None = None,
) -> str:
    lines = [t("tile_help_code", lang, code=row.indicator_code)]
    if not is_missing(row.previous_value):
        lines.append(
            t(
                "tile_help_previous",
                lang,
                value=format_value(row.previous_value, lang, measure=row.measure),
            )
        )
    lines += tiles.sparkline_help(sparkline, lang, unit_names or {})
    if not is_missing(row.source_file):
        lines.append(t("tile_help_source", lang, file=row.source_file))
    if not is_missing(row.note) and row.note:
        lines.append(str(row.note))
    return "  \n".join(lines)


NUMBER_COLUMNS = frozenset({"value", "target", "previous_value", "mean", "row_count", "n"})
DATE_COLUMNS = frozenset({"period_start", "period_end", "start_date", "end_date"})
DATETIME_COLUMNS = frozenset({"loaded_at", "rolled_back_at"})


def readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Codes turned into words for display: qualifier (``hơn``) and value_status (``minh họa``)."""
    words = {}
    if "qualifier" in frame:
        words["qualifier"] = frame["qualifier"].map(lambda q: qualifier_word(q, lang))
    if "value_status" in frame:
        words["value_status"] = frame["value_status"].map(lambda s: status_word(s, lang))
    return frame.assign(**words)


def headers(columns: Sequence[Any], lang: str) -> dict[Any, str]:
    """Column name → translated header (``col_<name>``), the name itself when untranslated."""
    return {column: t_or(f"col_{column}", lang, str(column)) for column in columns}


def with_headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with translated column headers (for exports people read)."""
    return readable(frame, lang).rename(columns=headers(frame.columns, lang))


def table(
    frame: pd.DataFrame,
    lang: str,
    *,
    columns: Sequence[Any],
    key: str | None = None,
    numbers: Sequence[Any] = (),
) -> None:
    """``st.dataframe`` of ``columns`` of ``frame`` with translated headers (``col_<name>``)
    and numbers and dates written the page's way; numbers stay numbers, so sorting works.

    ``numbers`` names further numeric columns (e.g. one per year in a pivot).
    """
    shown = readable(frame[list(columns)], lang)
    names = headers(columns, lang)
    formats: dict[str, Any] = {}
    for column in columns:
        if column in NUMBER_COLUMNS or column in numbers:
            formats[names[column]] = lambda v: format_value(v, lang)
        elif column in DATE_COLUMNS:
            formats[names[column]] = lambda v: format_date(v, lang)
        elif column in DATETIME_COLUMNS:
            formats[names[column]] = lambda v: format_datetime(v, lang)
    shown = shown.rename(columns=names)
    text = [
        name
        for name in shown.columns
        if name not in formats and pd.api.types.is_string_dtype(shown[name].dtype)
    ]
    shown[text] = shown[text].fillna("")  # an empty note, not the word "None"
    st.dataframe(
        shown.style.format(formats, na_rep=MISSING) if formats else shown,
        hide_index=True,
        width="stretch",
        key=key,
    )


def download_buttons(
    lang: str,
    *,
    file_stem: str,
    csv_bytes: bytes | Callable[[], bytes],
    xlsx_bytes: bytes | Callable[[], bytes],
) -> None:
    """CSV and XLSX download buttons side by side (keys ``download_csv``/``download_xlsx``).

    Pass a function for a file that is costly to build: it is built when clicked, not on
    every rerun (an .xlsx of a few thousand rows takes over a second)."""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        t("download_csv", lang),
        data=csv_bytes,
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key="download_csv",
    )
    right.download_button(
        t("download_xlsx", lang),
        data=xlsx_bytes,
        file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_xlsx",
    )


def choose_unit(units: pd.DataFrame, lang: str) -> str:
    """The unit picker (URL parameter ``unit``), indented by depth in the hierarchy."""
    names = dict(zip(units["unit_code"], units["unit_name"], strict=True))
    depths = dict(zip(units["unit_code"], units["depth"], strict=True))
    unit = state.choose(
        "unit",
        list(names),
        label=t("unit", lang),
        lang=lang,
        default=queries.default_unit(units),
        format_func=lambda code: "\u2003" * int(depths[code]) + names[code],
    )
    assert unit is not None  # called only when some unit holds data
    return unit


def choose_unit_and_year(
    con: queries.Connection, lang: str
) -> tuple[str, int | None, dict[str, str]]:
    """A unit and one of its years side by side (URL parameters ``unit`` and ``year``, the
    latest year by default), as the overview and the meeting pack choose them: the unit,
    the year (None when the unit has no yearly figures) and every unit's name by code."""
    units = queries.list_units_with_data(con, lang)
    names = dict(zip(units["unit_code"], units["unit_name"], strict=True))
    left, right = st.columns([3, 1])
    with left:
        unit = choose_unit(units, lang)
    years = queries.list_years(con, unit=unit)
    with right:
        year = state.choose(
            "year", years, label=t("year", lang), lang=lang, default=years[-1] if years else None
        )
    return unit, None if year is None else int(year), names


def choose_indicator(indicators: pd.DataFrame, lang: str) -> str | None:
    """The indicator picker (URL parameter ``indicator``)."""
    names = dict(zip(indicators["indicator_code"], indicators["indicator_name"], strict=True))
    return state.choose(
        "indicator",
        list(names),
        label=t("indicator", lang),
        lang=lang,
        default=queries.default_indicator(indicators),
        format_func=lambda code: names[code],
    )


def choose_campaigns(windows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The campaign windows the page's time charts shade: every one unless switched off in
    a multiselect keyed ``campaigns`` (in the URL as codes separated by commas)."""
    if windows.empty:
        return windows
    names = dict(zip(windows["campaign_code"], windows["campaign_name"], strict=True))
    shown = state.choose_many(
        "campaigns",
        list(names),
        label=t("campaigns_shown", lang),
        lang=lang,
        default=list(names),
        help="  \n".join(f"**{code}**: {name}" for code, name in names.items()),
    )  # the codes as the charts label the bands; the help gives their names
    return windows[windows["campaign_code"].isin(shown)]


def copy_link(lang: str, page_path: str) -> None:
    """A "copy link" control: the address of exactly this view (page, every choice, the
    language and presentation mode), in a code box whose copy button puts it on the
    clipboard."""
    url = share_url(st.context.url, st.query_params.to_dict(), page_path)
    with st.popover(t("copy_link", lang), width="stretch"):
        st.caption(t("copy_link_help", lang))
        st.code(url, language=None, wrap_lines=True)
