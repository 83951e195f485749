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
_BLANK = frozenset({"", None})
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


@dataclass
class Column:
    """One role (unit, indicator, period…) for every value cell of a table: the raw text
    or value, and where it stands (a list per value cell, or one position for all)."""

    raw: list[Any]
    rows: list[int] | int
    cols: list[int] | int

    def cell(self, index: int) -> Cell:
        row = self.rows if isinstance(self.rows, int) else self.rows[index]
        col = self.cols if isinstance(self.cols, int) else self.cols[index]
        return Cell(self.raw[index], row, col)


@dataclass
class Cells:
    """Every non-blank value cell of a table with the cells that say what it is.

    Kept as columns, not one object per cell: a report of a million cells is read
    in about the time the spreadsheet reader itself takes.
    """

    value: Column
    unit: Column | None = None
    indicator: Column | None = None
    period: Column | None = None
    period_parsed: list[Period] | None = None  # when the column headers are periods
    period_from: Column | None = None
    period_to: Column | None = None
    target: Column | None = None
    status: Column | None = None
    note: list[str | None] | None = None

    def __len__(self) -> int:
        return len(self.value.raw)


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
    cells: Cells | None = None
    last_row: int = 0  # the table's last row (before its footnotes)
    total_rows: list[Cell] = field(default_factory=list)
    total_cells: Cells | None = None
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
    top_row = _find_header_row(grid.rows)
    if top_row is None:
        return None
    header, header_row = _header_line(grid.rows, top_row)
    columns, spreads = _map_columns(header, header_row, oracle)
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
        meta=_read_meta(grid.rows[:top_row], oracle),
    )
    _read_records(grid.rows, table, oracle)
    return table


def _find_header_row(rows: list[list[Any]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = {_header_key(value) for value in row}
        if keys & (ROLE_HEADERS["unit"] | ROLE_HEADERS["indicator"]):
            return index
    return None


def _header_line(rows: list[list[Any]], top_row: int) -> tuple[list[Any], int]:
    """The header as one line, and the row it ends on.

    A second header row under the first is folded in: years under a merged "Năm"
    (the merged cell's text stands in its first column only, the rest read empty).
    """
    top = rows[top_row]
    below = rows[top_row + 1] if top_row + 1 < len(rows) else []
    names = ROLE_HEADERS["unit"] | ROLE_HEADERS["indicator"]
    keys = [col for col, value in enumerate(top) if _header_key(value) in names]
    filled = [col for col, value in enumerate(below) if not is_blank(value)]
    is_sub_header = (
        bool(filled)
        and all(is_blank(_at(below, col)) for col in keys)
        and not _is_numbering_row(below)
        and all(isinstance(below[col], str) or parse_period(below[col]) for col in filled)
    )
    if not is_sub_header:
        return top, top_row
    width = max(len(top), len(below))
    line = [_at(below, c) if not is_blank(_at(below, c)) else _at(top, c) for c in range(width)]
    return line, top_row + 1


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


class _KeyMemo:
    """A yes/no question about a row's key, answered once per distinct key."""

    def __init__(self, question: Any) -> None:
        self.question = question
        self.answers: dict[Any, bool] = {}

    def __call__(self, value: Any) -> bool:
        answer = self.answers.get(value)
        if answer is None:
            answer = self.answers[value] = bool(self.question(value))
        return answer


def _is_footnote(row: list[Any], is_footnote_text: _KeyMemo) -> bool:
    for value in row:
        if value != "" and value is not None:  # the first filled cell says it
            return is_footnote_text(value)
    return False


def _is_numbering_row(row: list[Any]) -> bool:
    """The line of column numbers under a header: A, B, 1, 2, (3), 3=2/1."""
    cells = [_as_text(value) for value in row if not is_blank(value)]
    return len(cells) >= 2 and all(_NUMBERING.fullmatch(fold(text)) for text in cells)


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_group_row(stt: str, key_value: Any, oracle: Oracle | None) -> bool:
    """A region or group heading numbered I, II, III… that is not itself a unit."""
    if not _ROMAN.fullmatch(clean(stt).upper()):
        return False
    return oracle is None or not oracle.is_unit(clean(key_value))


def _read_records(rows: list[list[Any]], table: SheetTable, oracle: Oracle | None) -> None:
    """Sort the rows under the header into data, total, group and skipped rows, then
    build the value cells of the data rows and of the total rows."""
    key_col = table.columns[table.key_role]
    value_cols = _value_columns(table)
    first_data_row = table.header_row + 1
    data: list[int] = []
    totals: list[int] = []
    is_total = _KeyMemo(lambda value: table.key_role == "unit" and fold(value) in TOTAL_ROW_NAMES)
    is_footnote = _KeyMemo(
        lambda value: type(value) is str and fold(value).startswith(FOOTNOTE_PREFIXES)
    )
    stt_col = table.columns.get("row_number")
    for row_index in range(first_data_row, len(rows)):
        row = rows[row_index]
        if _BLANK.issuperset(row):
            continue
        if _is_footnote(row, is_footnote):
            break
        table.last_row = row_index
        if row_index <= first_data_row + 1 and _is_numbering_row(row):
            continue
        key_value = row[key_col] if key_col < len(row) else None
        if is_blank(key_value):
            if any(not is_blank(_at(row, col)) for col in value_cols):
                table.rows_without_unit.append(Cell(key_value, row_index, key_col))
            continue
        if is_total(key_value):
            table.total_rows.append(Cell(key_value, row_index, key_col))
            totals.append(row_index)
            continue
        stt = _at(row, stt_col)
        if type(stt) is str and _is_group_row(stt, key_value, oracle):
            table.group_rows.append(Cell(key_value, row_index, key_col))
            continue
        data.append(row_index)
    table.cells = _cells(rows, data, table)
    table.total_cells = _cells(rows, totals, table)


def _value_columns(table: SheetTable) -> list[int]:
    if table.layout == "long":
        return [table.columns["value"]]
    return [spread.col for spread in table.spreads]


def _at(row: list[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


def _cells(rows: list[list[Any]], data: list[int], table: SheetTable) -> Cells:
    """The value cells of the given rows: one per row (long) or per non-blank spread cell."""
    need = 1 + max([*table.columns.values(), *(spread.col for spread in table.spreads)])
    padded = [rows[r] if len(rows[r]) >= need else _pad(rows[r], need) for r in data]
    if table.layout == "long":
        value_col = table.columns["value"]
        picks = [(i, value_col) for i, row in enumerate(padded) if _filled(row[value_col])]
    else:
        picks = [
            (i, spread.col)
            for i, row in enumerate(padded)
            for spread in table.spreads
            if _filled(row[spread.col])
        ]
    line = [i for i, _ in picks]
    value_rows = [data[i] for i in line]
    value_cols = [col for _, col in picks]

    def by_role(role: str) -> Column | None:
        col = table.columns.get(role)
        if col is None:
            return None
        return Column([padded[i][col] for i in line], value_rows, col)

    cells = Cells(value=Column([padded[i][c] for i, c in picks], value_rows, value_cols))
    for role in ("unit", "indicator", "period", "period_from", "period_to", "target", "status"):
        setattr(cells, role, by_role(role))
    spread_kind = table.spread_kind
    if table.layout == "wide" and spread_kind is not None:
        headers = {spread.col: spread for spread in table.spreads}
        header_column = Column(
            [headers[c].header.value for c in value_cols], table.header_row, value_cols
        )
        if spread_kind == "period":
            periods = [headers[c].period for c in value_cols]
            cells.period_parsed = [p for p in periods if p is not None]
            cells.period = Column([p.label_vi for p in cells.period_parsed], value_rows, value_cols)
        else:
            setattr(cells, spread_kind, header_column)
    note_col, source_col = table.columns.get("note"), table.columns.get("source")
    if note_col is not None or source_col is not None:
        cells.note = [_note(padded[i], note_col, source_col) for i in line]
    return cells


def _pad(row: list[Any], width: int) -> list[Any]:
    """A short row (ragged CSV) filled up with blanks to ``width``."""
    return [*row, *[None] * (width - len(row))]


def _filled(value: Any) -> bool:
    """``not is_blank(value)``, cheap for the usual number cell."""
    if type(value) is float:
        return True
    return not is_blank(value)


def _note(row: list[Any], note_col: int | None, source_col: int | None) -> str | None:
    note = None if note_col is None or is_blank(row[note_col]) else clean(row[note_col])
    source = None if source_col is None or is_blank(row[source_col]) else clean(row[source_col])
    if note and source:
        return f"{note} — Nguồn: {source}"
    return note or source
