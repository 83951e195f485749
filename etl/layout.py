"""Find the table in a sheet and turn it into raw records, one per value cell.

Two layouts are recognised (see README, "Report layouts"):

- long: one row per value, with columns Đơn vị, Chỉ tiêu, Năm (or Từ ngày/Đến
  ngày), Giá trị and optional Kế hoạch, Ghi chú, Nguồn, Loại số liệu;
- wide: one row per unit, one column per period (2006, 2007, "6 tháng đầu năm 2025").

A table of one unit (no Đơn vị column) has one row per indicator instead; the unit
then comes from the user (``--unit``).

Lines above the header may say "Chỉ tiêu: …", "Đơn vị tính: …", "Loại số liệu: …"
or "Kỳ báo cáo: …" for the whole sheet. Nothing here looks values up in the
catalogue; :mod:`etl.resolve` does that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from etl.periods import Period, parse_period
from etl.reader import Grid
from etl.text import clean, fold, is_blank

HEADER_SCAN_ROWS = 30

ROLE_HEADERS: dict[str, frozenset[str]] = {
    "unit": frozenset(
        {
            "don vi",
            "ten don vi",
            "to chuc dang",
            "ten to chuc dang",
            "dia phuong",
            "don vi/to chuc dang",
            "co quan, don vi",
            "co quan/don vi",
            "don vi/dia phuong",
        }
    ),
    "indicator": frozenset({"chi tieu", "ten chi tieu", "noi dung chi tieu"}),
    "period": frozenset({"nam", "ky", "ky bao cao", "thoi ky", "thoi gian", "giai doan"}),
    "period_from": frozenset({"tu ngay"}),
    "period_to": frozenset({"den ngay"}),
    "value": frozenset({"gia tri", "so lieu", "ket qua", "thuc hien", "so luong"}),
    "target": frozenset({"ke hoach", "muc tieu", "chi tieu ke hoach", "chi tieu giao"}),
    "note": frozenset({"ghi chu", "trich dan"}),
    "source": frozenset({"nguon", "nguon so lieu"}),
    "status": frozenset({"loai so lieu", "tinh trang so lieu"}),
    "measure": frozenset({"don vi tinh", "dvt"}),
    "row_number": frozenset({"stt", "tt", "so tt"}),
}
META_KEYS = {
    "chi tieu": "indicator",
    "don vi tinh": "measure",
    "loai so lieu": "status",
    "ky bao cao": "period",
}
FOOTNOTE_PREFIXES = ("ghi chu", "nguon", "chu thich", "luu y", "*", "(*)", "nguoi lap")
TOTAL_ROW_NAMES = frozenset(
    {
        "tong cong",
        "tong so",
        "tong",
        "cong",
        "toan thanh pho",
        "toan tinh",
        "ca nuoc",
        "toan dang bo",
        "toan quan",
        "toan huyen",
    }
)
_META_LINE = re.compile(r"^\s*([^:]{2,20}?)\s*:\s*(.+?)\s*$", re.S)


def cell_name(row: int, col: int) -> str:
    """A1-style name of a 0-based cell position."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


class Cell(NamedTuple):
    value: Any
    row: int
    col: int

    @property
    def name(self) -> str:
        return cell_name(self.row, self.col)


@dataclass(slots=True)
class RawRecord:
    """One value cell and the cells that say what it is."""

    unit: Cell | None
    value: Cell
    indicator: Cell | None = None
    period: Cell | None = None
    period_parsed: Period | None = None
    period_from: Cell | None = None
    period_to: Cell | None = None
    target: Cell | None = None
    note: str | None = None
    status: Cell | None = None


@dataclass
class SheetTable:
    """What was recognised in one sheet."""

    sheet: str
    layout: str  # long, wide
    header_row: int
    columns: dict[str, int]
    period_columns: list[tuple[int, Period]]
    meta: dict[str, Cell]
    records: list[RawRecord] = field(default_factory=list)
    total_rows: list[Cell] = field(default_factory=list)
    rows_without_unit: list[Cell] = field(default_factory=list)


def find_table(grid: Grid) -> SheetTable | None:
    """The table of a sheet, or None when no header row is found."""
    header_row = _find_header_row(grid.rows)
    if header_row is None:
        return None
    header = grid.rows[header_row]
    columns, period_columns = _map_columns(header)
    if "unit" not in columns and "indicator" not in columns:
        return None
    layout = "long" if "value" in columns else "wide"
    if layout == "wide" and not period_columns:
        return None
    table = SheetTable(
        sheet=grid.sheet,
        layout=layout,
        header_row=header_row,
        columns=columns,
        period_columns=period_columns,
        meta=_read_meta(grid.rows[:header_row]),
    )
    _read_records(grid.rows, table)
    return table


def _find_header_row(rows: list[list[Any]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = {_header_key(value) for value in row}
        if keys & (ROLE_HEADERS["unit"] | ROLE_HEADERS["indicator"]):
            return index
    return None


def _header_key(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    key = fold(value).rstrip(":").strip()
    return re.sub(r"\s*\(.*\)$", "", key)  # "Giá trị (%)" → "gia tri"


def _map_columns(header: list[Any]) -> tuple[dict[str, int], list[tuple[int, Period]]]:
    columns: dict[str, int] = {}
    period_columns: list[tuple[int, Period]] = []
    for col, value in enumerate(header):
        if is_blank(value):
            continue
        key = _header_key(value)
        role = next((r for r, names in ROLE_HEADERS.items() if key in names), None)
        if role is not None:
            columns.setdefault(role, col)
            continue
        period = parse_period(value)
        if period is not None:
            period_columns.append((col, period))
    return columns, period_columns


def _read_meta(title_rows: list[list[Any]]) -> dict[str, Cell]:
    meta: dict[str, Cell] = {}
    for row_index, row in enumerate(title_rows):
        for col, value in enumerate(row):
            if not isinstance(value, str):
                continue
            match = _META_LINE.match(value)
            if match and fold(match.group(1)) in META_KEYS:
                meta[META_KEYS[fold(match.group(1))]] = Cell(clean(match.group(2)), row_index, col)
    return meta


def _is_footnote(row: list[Any]) -> bool:
    first = next((value for value in row if not is_blank(value)), None)
    return isinstance(first, str) and fold(first).startswith(FOOTNOTE_PREFIXES)


def _read_records(rows: list[list[Any]], table: SheetTable) -> None:
    by_unit = "unit" in table.columns
    key_col = table.columns["unit"] if by_unit else table.columns["indicator"]
    for row_index in range(table.header_row + 1, len(rows)):
        row = rows[row_index]
        if all(is_blank(value) for value in row):
            continue
        if _is_footnote(row):
            break
        key = Cell(_at(row, key_col), row_index, key_col)
        if is_blank(key.value):
            if _has_values(row, table):
                table.rows_without_unit.append(key)
            continue
        if by_unit and fold(key.value) in TOTAL_ROW_NAMES:
            table.total_rows.append(key)
            continue
        unit = key if by_unit else None
        if table.layout == "long":
            table.records.append(_long_record(row, row_index, unit, table.columns))
        else:
            table.records.extend(_wide_records(row, row_index, unit, table))


def _value_columns(table: SheetTable) -> list[int]:
    if table.layout == "long":
        return [table.columns["value"]]
    return [col for col, _ in table.period_columns]


def _has_values(row: list[Any], table: SheetTable) -> bool:
    return any(not is_blank(_at(row, col)) for col in _value_columns(table))


def _at(row: list[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


def _optional(row: list[Any], row_index: int, col: int | None) -> Cell | None:
    value = _at(row, col)
    if col is None or is_blank(value):
        return None
    return Cell(value, row_index, col)


def _long_record(
    row: list[Any], row_index: int, unit: Cell | None, cols: dict[str, int]
) -> RawRecord:
    note_parts = [
        clean(_at(row, cols.get(role)))
        for role in ("note", "source")
        if not is_blank(_at(row, cols.get(role)))
    ]
    if len(note_parts) == 2:
        note_parts[1] = f"Nguồn: {note_parts[1]}"
    return RawRecord(
        unit=unit,
        value=Cell(_at(row, cols["value"]), row_index, cols["value"]),
        indicator=_optional(row, row_index, cols.get("indicator")),
        period=_optional(row, row_index, cols.get("period")),
        period_from=_optional(row, row_index, cols.get("period_from")),
        period_to=_optional(row, row_index, cols.get("period_to")),
        target=_optional(row, row_index, cols.get("target")),
        note=" — ".join(note_parts) or None,
        status=_optional(row, row_index, cols.get("status")),
    )


def _wide_records(
    row: list[Any], row_index: int, unit: Cell | None, table: SheetTable
) -> list[RawRecord]:
    note = _at(row, table.columns.get("note"))
    indicator = _optional(row, row_index, table.columns.get("indicator"))
    return [
        RawRecord(
            unit=unit,
            value=Cell(_at(row, col), row_index, col),
            indicator=indicator,
            period=Cell(period.label_vi, table.header_row, col),
            period_parsed=period,
            note=None if is_blank(note) else clean(note),
            status=_optional(row, row_index, table.columns.get("status")),
        )
        for col, period in table.period_columns
        if not is_blank(_at(row, col))
    ]
