"""Downloadable files of a table: CSV (UTF-8 with BOM, for Excel) and XLSX."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
MAX_COLUMN_WIDTH = 60
DATE_FORMAT = "DD/MM/YYYY"


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV text, UTF-8 with a byte-order mark so Excel shows Vietnamese letters right."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame] | pd.DataFrame, *, sheet_name: str = "Data"
) -> bytes:
    """An .xlsx workbook, one sheet per frame: bold shaded header, frozen, fitted widths."""
    if isinstance(sheets, pd.DataFrame):
        sheets = {sheet_name: sheets}
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        _write_sheet(book.create_sheet(title=name[:31]), frame)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Worksheet, frame: pd.DataFrame) -> None:
    header = [str(column) for column in frame.columns]
    for col, title in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row_index, row in enumerate(frame.itertuples(index=False), start=2):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=col, value=_cell_value(value))
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    for col, title in enumerate(header, start=1):
        sample = [str(v) for v in frame.iloc[:200, col - 1].tolist()]
        width = min(MAX_COLUMN_WIDTH, max(len(v) for v in [title, *sample]) + 2)
        sheet.column_dimensions[get_column_letter(col)].width = width


def _cell_value(value: object) -> object:
    """Plain Python values openpyxl can store: missing → empty, midnight timestamps → dates."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        moment = pd.Timestamp(value)
        return moment.date() if moment == moment.normalize() else moment.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value
