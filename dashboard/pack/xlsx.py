"""The meeting pack's tables as one .xlsx workbook.

One sheet per table (overview, ranking, series, campaigns, reporting grid, sources). Each
sheet opens with a title row naming the unit and the year, the date prepared and a line
saying how illustrative figures are marked; then a bold, shaded header row frozen in
place. Numbers stay numbers (Excel shows them with the reader's separators); an
illustrative or preliminary figure says so in its "kind of figure" column and its row is
shaded light yellow.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard import completeness
from dashboard.formatting import format_date, is_missing, qualifier_word
from dashboard.i18n import t
from dashboard.pack import text
from dashboard.pack.content import PackContent

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
FLAG_FILL = PatternFill("solid", fgColor="FFF4CC")  # illustrative or preliminary rows
HEADER_ROW = 5
MAX_WIDTH = 50
MIN_WIDTH = 8
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
CHANGE_FORMAT = "+#,##0.00;-#,##0.00;0"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
FLAGGED = frozenset({"illustrative", "preliminary"})
_WHITE = Side(style="thin", color="FFFFFF")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header key (see :func:`text.header`), how to get a row's
    cell, and its kind (``text``, ``number``, ``change``, ``integer``, ``date``,
    ``datetime``)."""

    name: str
    cell: Callable[[Any], Any]
    kind: str = "text"


def to_xlsx(content: PackContent) -> bytes:
    """The workbook as bytes."""
    lang = content.lang
    book = Workbook()
    book.remove(book.active)
    sheets: list[tuple[str, pd.DataFrame, Sequence[Column]]] = [
        ("pack_sheet_overview", content.overview, _overview_columns(content)),
        ("pack_sheet_ranking", content.ranking, _ranking_columns(content)),
        ("pack_sheet_series", content.series, _series_columns(content)),
        ("pack_sheet_campaigns", content.campaigns, _campaign_columns()),
    ]
    for key, frame, columns in sheets:
        sheet = book.create_sheet(t(key, lang)[:31])
        flag = "value_status" if "value_status" in frame.columns else None
        _write_table(sheet, content, frame, columns, flag=flag)
    _write_grid(book.create_sheet(t("pack_sheet_completeness", lang)[:31]), content)
    _write_table(
        book.create_sheet(t("pack_sheet_sources", lang)[:31]),
        content,
        content.sources,
        _source_columns(content),
        flag=None,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the columns of each sheet ----------------------------------------------------------------


def _overview_columns(content: PackContent) -> list[Column]:
    lang, names = content.lang, content.unit_names
    return [
        Column("group", lambda r: text.group_text(r.group_code, lang)),
        Column("indicator_name", lambda r: r.indicator_name),
        Column("measure", lambda r: r.measure),
        Column("qualifier", lambda r: qualifier_word(r.qualifier, lang)),
        Column("value", lambda r: r.value, "number"),
        Column("value_status", lambda r: text.status_text(r.value_status, lang)),
        Column("previous_value", lambda r: r.previous_value, "number"),
        Column("previous_status", lambda r: text.status_text(r.previous_status, lang)),
        Column("change", lambda r: r.change, "change"),
        Column(
            "change_unit",
            lambda r: (
                ""
                if is_missing(r.change)
                else t("pack_change_points" if r.change_is_points else "pack_change_percent", lang)
            ),
        ),
        Column("target", lambda r: r.target, "number"),
        Column("how", lambda r: text.how_text(r, lang)),
        Column("note", lambda r: text.gaps_text(r, names, lang)),
        Column("sources", lambda r: text.batches_text(r.sources, lang)),
        Column("source_files", lambda r: text.files_text(r.sources, content)),
        Column("indicator_code", lambda r: r.indicator_code),
    ]


def _ranking_columns(content: PackContent) -> list[Column]:
    lang, names = content.lang, content.unit_names
    return [
        Column("indicator_name", lambda r: r.indicator_name),
        Column("rank", lambda r: r.rank, "integer"),
        Column("unit_name", lambda r: r.unit_name),
        Column("qualifier", lambda r: qualifier_word(r.qualifier, lang)),
        Column("value", lambda r: r.value, "number"),
        Column("measure", lambda r: r.measure),
        Column("value_status", lambda r: text.status_text(r.value_status, lang)),
        Column("target", lambda r: r.target, "number"),
        Column("how", lambda r: text.how_text(r, lang)),
        Column("note", lambda r: text.gaps_text(r, names, lang)),
        Column("sources", lambda r: text.batches_text(r.sources, lang)),
        Column("source_files", lambda r: text.files_text(r.sources, content)),
        Column("unit_code", lambda r: r.unit_code),
        Column("indicator_code", lambda r: r.indicator_code),
    ]


def _series_columns(content: PackContent) -> list[Column]:
    lang, names = content.lang, content.unit_names
    return [
        Column("indicator_name", lambda r: r.indicator_name),
        Column("year", lambda r: r.year, "integer"),
        Column("qualifier", lambda r: qualifier_word(r.qualifier, lang)),
        Column("value", lambda r: r.value, "number"),
        Column("measure", lambda r: r.measure),
        Column("value_status", lambda r: text.status_text(r.value_status, lang)),
        Column("target", lambda r: r.target, "number"),
        Column("how", lambda r: text.how_text(r, lang)),
        Column("note", lambda r: text.gaps_text(r, names, lang)),
        Column("sources", lambda r: text.batches_text(r.sources, lang)),
        Column("source_files", lambda r: text.files_text(r.sources, content)),
        Column("indicator_code", lambda r: r.indicator_code),
    ]


def _campaign_columns() -> list[Column]:
    return [
        Column("campaign_code", lambda r: r.campaign_code),
        Column("campaign_name", lambda r: r.campaign_name),
        Column("start_date", lambda r: r.start_date, "date"),
        Column("end_date", lambda r: r.end_date, "date"),
    ]


def _source_columns(content: PackContent) -> list[Column]:
    lang = content.lang
    return [
        Column("batch_id", lambda r: r.batch_id, "integer"),
        Column("file_name", lambda r: r.file_name),
        Column("loaded_at", lambda r: r.loaded_at, "datetime"),
        Column("loaded_by", lambda r: r.loaded_by),
        Column("source", lambda r: t(f"batch_source_{r.source}", lang)),
        Column("n_values", lambda r: r.n_values, "integer"),
        Column("n_illustrative", lambda r: r.n_illustrative, "integer"),
        Column("n_preliminary", lambda r: r.n_preliminary, "integer"),
    ]


# --- writing ----------------------------------------------------------------------------------


def _title(sheet: Worksheet, content: PackContent) -> None:
    lang = content.lang
    title = t("pack_title", lang, unit=content.unit_name, year=content.year)
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    prepared = t("pack_prepared", lang, date=format_date(content.prepared_on, lang))
    sheet.cell(row=2, column=1, value=prepared)
    sheet.cell(row=3, column=1, value=t("pack_xlsx_marking", lang)).font = Font(italic=True)


def _write_table(
    sheet: Worksheet,
    content: PackContent,
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    flag: str | None = "value_status",
) -> None:
    """Title rows, the header at :data:`HEADER_ROW`, one row per frame row."""
    _title(sheet, content)
    headers = [text.header(column.name, content.lang) for column in columns]
    for col, title in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(title) for title in headers]
    for offset, row in enumerate(frame.itertuples(index=False), start=1):
        flagged = flag is not None and getattr(row, flag) in FLAGGED
        for col, column in enumerate(columns, start=1):
            value = _plain(column.cell(row))
            cell = sheet.cell(row=HEADER_ROW + offset, column=col, value=value)
            _number_format(cell, value, column.kind)
            if flagged:
                cell.fill = FLAG_FILL
            widths[col - 1] = max(widths[col - 1], _shown_length(value))
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = max(
            MIN_WIDTH, min(MAX_WIDTH, width + 2)
        )


def _write_grid(sheet: Worksheet, content: PackContent) -> None:
    """The reporting grid: units × indicators, each cell its status's symbol and word in
    its colour, missing counts per unit, and a legend."""
    lang = content.lang
    _title(sheet, content)
    cells = content.completeness
    if cells.empty:
        sheet.cell(
            row=HEADER_ROW, column=1, value=t("pack_no_completeness", lang, unit=content.unit_name)
        )
        sheet.column_dimensions["A"].width = 60
        return
    summary = completeness.summary_text(completeness.summarize(cells), content.period, lang)
    sheet.cell(row=4, column=1, value=text.plain(summary))
    units = completeness.unit_counts(cells)
    indicators = completeness.indicator_counts(cells)
    headings = [
        t("col_unit_name", lang),
        *indicators["indicator_name"],
        t("col_n_missing_indicators", lang),
    ]
    for col, title in enumerate(headings, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=str(title))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
    status = cells.pivot(index="unit_code", columns="indicator_code", values="status")
    for offset, unit in enumerate(units.itertuples(), start=1):
        row = HEADER_ROW + offset
        sheet.cell(row=row, column=1, value=unit.unit_label)
        for col, code in enumerate(indicators["indicator_code"], start=2):
            _status_cell(
                sheet.cell(row=row, column=col), str(status.at[unit.unit_code, code]), lang
            )
        sheet.cell(row=row, column=len(headings), value=int(unit.n_missing_indicators))
    totals = HEADER_ROW + len(units) + 1
    sheet.cell(row=totals, column=1, value=t("col_n_missing_units", lang)).font = Font(bold=True)
    for col, n in enumerate(indicators["n_missing_units"], start=2):
        sheet.cell(row=totals, column=col, value=int(n)).font = Font(bold=True)
    legend = totals + 2
    sheet.cell(row=legend, column=1, value=t("legend", lang)).font = Font(bold=True)
    for offset, name in enumerate(completeness.STATUSES, start=1):
        _status_cell(sheet.cell(row=legend + offset, column=1), name, lang)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
    sheet.column_dimensions["A"].width = min(
        MAX_WIDTH, max(len(str(label)) for label in [*units["unit_label"], "x" * 24]) + 2
    )
    for col in range(2, len(headings) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 18
    sheet.row_dimensions[HEADER_ROW].height = 60


def _status_cell(cell: Any, status: str, lang: str) -> None:
    style = completeness.STYLES[status]
    cell.value = completeness.status_label(status, lang)
    cell.fill = PatternFill("solid", fgColor=style.fill.lstrip("#"))
    cell.font = Font(color=style.text.lstrip("#"), bold=status == "missing")
    cell.alignment = Alignment(horizontal="center", vertical="center")
    cell.border = Border(left=_WHITE, right=_WHITE, top=_WHITE, bottom=_WHITE)


def _plain(value: Any) -> Any:
    """A value openpyxl stores: missing → empty, numpy scalars → Python, midnight → date."""
    if value is None or (not isinstance(value, (list, tuple, str)) and is_missing(value)):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        moment = pd.Timestamp(value)
        return moment.date() if moment == moment.normalize() else moment.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def _number_format(cell: Any, value: Any, kind: str) -> None:
    if value is None:
        return
    if kind == "number":
        whole = isinstance(value, int) or float(value).is_integer()
        cell.number_format = INTEGER_FORMAT if whole else DECIMAL_FORMAT
    elif kind == "change":
        cell.number_format = CHANGE_FORMAT
    elif kind == "integer":
        cell.number_format = "0"
    elif kind == "date" or (kind == "datetime" and type(value) is date):
        cell.number_format = DATE_FORMAT
    elif kind == "datetime":
        cell.number_format = DATETIME_FORMAT


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    if isinstance(value, (date, datetime)):
        return 16
    return len(str(value))
