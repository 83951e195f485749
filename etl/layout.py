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
from typing import Any, NamedTuple, Protocol

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
    "dvt": "measure",
    "don vi": "unit_or_measure",
    "loai so lieu": "status",
    "ky bao cao": "period",
    "nam": "period",
    "thoi ky": "period",
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
_NUMBERING = re.compile(r"\(?([a-z]|\d{1,2}|[ivx]{1,4})\)?(\s*=\s*[\d()*/+\-x ]+)?")
_ROMAN = re.compile(r"[IVX]{1,5}")
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


class Oracle(Protocol):
    """What the catalogue can tell the layout finder about a header text."""

    def is_unit(self, text: str) -> bool: ...

    def is_indicator(self, text: str) -> bool: ...


@dataclass(frozen=True)
class Spread:
    """A value column of a wide table, and what its header says: a period, an indicator
    or a unit (the other two come from the row, the title lines or the user)."""

    col: int
    kind: str  # period, indicator, unit
    header: Cell
    period: Period | None = None


@dataclass
class SheetTable:
    """What was recognised in one sheet."""

    sheet: str
    layout: str  # long, wide
    header_row: int
    columns: dict[str, int]
    spreads: list[Spread]
    meta: dict[str, Cell]
    records: list[RawRecord] = field(default_factory=list)
    total_rows: list[Cell] = field(default_factory=list)
    total_records: list[RawRecord] = field(default_factory=list)
    group_rows: list[Cell] = field(default_factory=list)
    rows_without_unit: list[Cell] = field(default_factory=list)

    @property
    def spread_kind(self) -> str | None:
        return self.spreads[0].kind if self.spreads else None

    @property
    def key_role(self) -> str:
        """The column that names each row: the unit, or the indicator in a one-unit table
        and in a table with units as columns."""
        if "unit" in self.columns and self.spread_kind != "unit":
            return "unit"
        return "indicator"


def find_table(grid: Grid, oracle: Oracle | None = None) -> SheetTable | None:
    """The table of a sheet, or None when no header row is found."""
    header_row = _find_header_row(grid.rows)
    if header_row is None:
        return None
    columns, spreads = _map_columns(grid.rows[header_row], header_row, oracle)
    if "unit" not in columns and "indicator" not in columns:
        return None
    layout = "long" if "value" in columns else "wide"
    if layout == "wide" and not spreads:
        return None
    table = SheetTable(
        sheet=grid.sheet,
        layout=layout,
        header_row=header_row,
        columns=columns,
        spreads=spreads,
        meta=_read_meta(grid.rows[:header_row], oracle),
    )
    _read_records(grid.rows, table, oracle)
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


def _map_columns(
    header: list[Any], header_row: int, oracle: Oracle | None
) -> tuple[dict[str, int], list[Spread]]:
    """Known columns by role, and the value columns of a wide table.

    A wide table spreads one kind only: periods first, else indicators, else units.
    """
    columns: dict[str, int] = {}
    by_kind: dict[str, list[Spread]] = {"period": [], "indicator": [], "unit": []}
    for col, value in enumerate(header):
        if is_blank(value):
            continue
        key = _header_key(value)
        role = next((r for r, names in ROLE_HEADERS.items() if key in names), None)
        if role is not None:
            columns.setdefault(role, col)
            continue
        cell = Cell(value, header_row, col)
        period = parse_period(value)
        if period is not None:
            by_kind["period"].append(Spread(col, "period", cell, period))
        elif oracle is not None and oracle.is_indicator(clean(value)):
            by_kind["indicator"].append(Spread(col, "indicator", cell))
        elif oracle is not None and oracle.is_unit(clean(value)):
            by_kind["unit"].append(Spread(col, "unit", cell))
    spreads = next((found for found in by_kind.values() if found), [])
    return columns, spreads


def _read_meta(title_rows: list[list[Any]], oracle: Oracle | None) -> dict[str, Cell]:
    meta: dict[str, Cell] = {}
    for row_index, row in enumerate(title_rows):
        for col, value in enumerate(row):
            if not isinstance(value, str):
                continue
            match = _META_LINE.match(value)
            if not match:
                continue
            role = META_KEYS.get(fold(match.group(1)))
            text = clean(match.group(2))
            if role == "unit_or_measure":
                # "Đơn vị: Triệu đồng" is a measure; "Đơn vị: Quận Ô Môn" names the unit.
                role = "unit" if oracle is not None and oracle.is_unit(text) else "measure"
            if role is not None:
                meta[role] = Cell(text, row_index, col)
    return meta


def _is_footnote(row: list[Any]) -> bool:
    first = next((value for value in row if not is_blank(value)), None)
    return isinstance(first, str) and fold(first).startswith(FOOTNOTE_PREFIXES)


def _is_numbering_row(row: list[Any]) -> bool:
    """The line of column numbers under a header: A, B, 1, 2, (3), 3=2/1."""
    cells = [_as_text(value) for value in row if not is_blank(value)]
    return len(cells) >= 2 and all(_NUMBERING.fullmatch(fold(text)) for text in cells)


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_group_row(row: list[Any], table: SheetTable, key: Cell, oracle: Oracle | None) -> bool:
    """A region or group heading numbered I, II, III… that is not itself a unit."""
    stt = _at(row, table.columns.get("row_number"))
    if not (isinstance(stt, str) and _ROMAN.fullmatch(clean(stt).upper())):
        return False
    return oracle is None or not oracle.is_unit(clean(key.value))


def _read_records(rows: list[list[Any]], table: SheetTable, oracle: Oracle | None) -> None:
    key_col = table.columns[table.key_role]
    first_data_row = table.header_row + 1
    for row_index in range(first_data_row, len(rows)):
        row = rows[row_index]
        if all(is_blank(value) for value in row):
            continue
        if _is_footnote(row):
            break
        if row_index <= first_data_row + 1 and _is_numbering_row(row):
            continue
        key = Cell(_at(row, key_col), row_index, key_col)
        if is_blank(key.value):
            if _has_values(row, table):
                table.rows_without_unit.append(key)
            continue
        if table.key_role == "unit" and fold(key.value) in TOTAL_ROW_NAMES:
            table.total_rows.append(key)
            table.total_records.extend(_records(row, key, table))
            continue
        if _is_group_row(row, table, key, oracle):
            table.group_rows.append(key)
            continue
        table.records.extend(_records(row, key, table))


def _records(row: list[Any], key: Cell, table: SheetTable) -> list[RawRecord]:
    if table.layout == "long":
        return [_long_record(row, key, table)]
    return _wide_records(row, key, table)


def _value_columns(table: SheetTable) -> list[int]:
    if table.layout == "long":
        return [table.columns["value"]]
    return [spread.col for spread in table.spreads]


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


def _row_cell(row: list[Any], key: Cell, table: SheetTable, role: str) -> Cell | None:
    """The cell of ``role`` in this row: the row's key when it is that role."""
    if table.key_role == role:
        return key
    return _optional(row, key.row, table.columns.get(role))


def _note(row: list[Any], cols: dict[str, int]) -> str | None:
    parts = [
        clean(_at(row, cols.get(role)))
        for role in ("note", "source")
        if not is_blank(_at(row, cols.get(role)))
    ]
    if len(parts) == 2:
        parts[1] = f"Nguồn: {parts[1]}"
    return " — ".join(parts) or None


def _long_record(row: list[Any], key: Cell, table: SheetTable) -> RawRecord:
    cols, row_index = table.columns, key.row
    return RawRecord(
        unit=_row_cell(row, key, table, "unit"),
        value=Cell(_at(row, cols["value"]), row_index, cols["value"]),
        indicator=_row_cell(row, key, table, "indicator"),
        period=_optional(row, row_index, cols.get("period")),
        period_from=_optional(row, row_index, cols.get("period_from")),
        period_to=_optional(row, row_index, cols.get("period_to")),
        target=_optional(row, row_index, cols.get("target")),
        note=_note(row, cols),
        status=_optional(row, row_index, cols.get("status")),
    )


def _wide_records(row: list[Any], key: Cell, table: SheetTable) -> list[RawRecord]:
    unit = _row_cell(row, key, table, "unit")
    indicator = _row_cell(row, key, table, "indicator")
    period = _optional(row, key.row, table.columns.get("period"))
    note = _note(row, table.columns)
    status = _optional(row, key.row, table.columns.get("status"))
    return [
        RawRecord(
            unit=spread.header if spread.kind == "unit" else unit,
            value=Cell(_at(row, spread.col), key.row, spread.col),
            indicator=spread.header if spread.kind == "indicator" else indicator,
            period=Cell(spread.period.label_vi, key.row, spread.col) if spread.period else period,
            period_parsed=spread.period,
            note=note,
            status=status,
        )
        for spread in table.spreads
        if not is_blank(_at(row, spread.col))
    ]
