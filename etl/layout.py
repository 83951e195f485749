"""Find the table in a sheet and turn it into raw records, one per value cell.

Two layouts are recognised (see README, "Report layouts"):

- long: one row per value, with columns Đơn vị, Chỉ tiêu, Năm (or Từ ngày/Đến
  ngày), Giá trị and optional Kế hoạch, Ghi chú, Nguồn, Loại số liệu;
- wide: one row per unit, one column per period (2006, 2007, "6 tháng đầu năm 2025"),
  indicator or unit; or one column per period and role, where a period ("Năm 2014",
  merged or repeated over its group) stands over columns that name the role of the
  figure in an indicator family: Dự toán, Thực hiện, So sánh (%). The period may
  instead be in the title ("… NĂM 2014"), and the family is said by the title line,
  a header cell above the roles, or the user.

A table of one unit (no Đơn vị column) has one row per indicator instead; the unit
then comes from the user (``--unit``).

Lines above the header may say "Chỉ tiêu: …", "Đơn vị tính: …", "Loại số liệu: …"
or "Kỳ báo cáo: …" for the whole sheet. Nothing here looks values up in the
catalogue; :mod:`etl.resolve` does that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple, Protocol

from etl.periods import Period, parse_period
from etl.reader import Grid, MergedRange
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
# Sub-headers naming the role of a figure within an indicator family (see
# etl.lookup.Family): the plan or estimate, the actual, and the ratio of the two.
FAMILY_ROLE_HEADERS: dict[str, frozenset[str]] = {
    "plan": frozenset(
        {
            "du toan",
            "du toan giao",
            "du toan duoc giao",
            "du toan nam",
            "dt",
            "ke hoach",
            "ke hoach giao",
            "ke hoach von",
            "kh",
            "kh giao",
            "von giao",
            "von duoc giao",
        }
    ),
    "actual": frozenset(
        {
            "thuc hien",
            "th",
            "uoc thuc hien",
            "uoc th",
            "giai ngan",
            "da giai ngan",
            "von da giai ngan",
            "thuc thu",
        }
    ),
    "ratio": frozenset(
        {
            "so sanh",
            "so sanh th/dt",
            "so sanh th/kh",
            "ty le",
            "ty le th/dt",
            "ty le th/kh",
            "ty le giai ngan",
            "% so du toan",
            "% so ke hoach",
            "% so kh",
            "% so dt",
            "th/dt",
            "th/kh",
            "% th/dt",
            "% th/kh",
            "% kh",
            "% dt",
        }
    ),
}
_FAMILY_ROLE = {word: role for role, words in FAMILY_ROLE_HEADERS.items() for word in words}
# Words a long table also reads (Thực hiện = value, Kế hoạch = target): without periods
# above them, such columns alone keep meaning what they meant.
_PLAIN_ROLE_WORDS = frozenset(_FAMILY_ROLE) & frozenset().union(*ROLE_HEADERS.values())
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
_PERIOD_WORDS = frozenset({"nam", "quy", "thang", "nua", "giai", "nhiem", "thoi", "ky", "tu"})
_DATE_LINE = re.compile(r"\bngay\b")  # "Cần Thơ, ngày 15 tháng 01 năm 2015": not a period


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

    def names_family(self, text: str) -> bool: ...


@dataclass(frozen=True)
class Spread:
    """A value column of a wide table, and what its header says: a period, an indicator
    or a unit (the other two come from the row, the title lines or the user), or both a
    period and an indicator (period_indicator).

    ``role`` (plan, actual, ratio) is set when the header names the indicator by its role
    in a family (Dự toán, Thực hiện, So sánh); the family itself is said elsewhere."""

    col: int
    kind: str  # period, indicator, unit, period_indicator
    header: Cell
    period: Period | None = None
    role: str | None = None


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
    # header cells read as nothing the table holds, with how many filled cells stand
    # under them: their figures are not stored, and the user is told
    ignored_columns: list[tuple[Cell, int]] = field(default_factory=list)

    @property
    def spread_kind(self) -> str | None:
        return self.spreads[0].kind if self.spreads else None

    @property
    def by_family_role(self) -> bool:
        """The value columns name the role of their figure (Dự toán, Thực hiện, So sánh)."""
        return bool(self.spreads) and self.spreads[0].role is not None

    @property
    def key_role(self) -> str:
        """The column that names each row: the unit, or the indicator in a one-unit table
        and in a table with units as columns."""
        if "unit" in self.columns and self.spread_kind != "unit":
            return "unit"
        return "indicator"


def find_table(
    grid: Grid, oracle: Oracle | None = None, merged: Sequence[MergedRange] | None = None
) -> SheetTable | None:
    """The table of a sheet, or None when no header row is found.

    ``merged`` are the sheet's merged ranges where the reader knows them (python-calamine's
    ``merged_cell_ranges``); without them a merged header is filled across to the next
    filled cell.
    """
    top_row = _find_header_row(grid.rows)
    if top_row is None:
        return None
    meta = _read_meta(grid.rows[:top_row], oracle)
    by_role = _family_role_header(grid.rows, top_row, meta, oracle, merged)
    unread: list[Cell] = []
    if by_role is not None:
        columns, spreads, header_row = by_role
        _read_family_title(grid.rows[:header_row], meta, spreads, oracle)
    else:
        header, header_row = _header_line(grid.rows, top_row)
        columns, spreads = _map_columns(header, header_row, oracle)
        unread = _unread_header_cells(header, header_row, columns, spreads)
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
        meta=meta,
    )
    _read_records(grid.rows, table, oracle)
    for cell in unread:
        filled = sum(
            not is_blank(_at(row, cell.col))
            for row in grid.rows[header_row + 1 : table.last_row + 1]
        )
        if filled:
            table.ignored_columns.append((cell, filled))
    return table


def _unread_header_cells(
    header: list[Any], header_row: int, columns: dict[str, int], spreads: list[Spread]
) -> list[Cell]:
    """Header cells neither a known column nor one of the table's value columns."""
    used = {*columns.values(), *(spread.col for spread in spreads)}
    return [
        Cell(value, header_row, col)
        for col, value in enumerate(header)
        if col not in used and not is_blank(value)
    ]


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
    if not _is_sub_header(below, _key_columns(top)):
        return top, top_row
    width = max(len(top), len(below))
    line = [_at(below, c) if not is_blank(_at(below, c)) else _at(top, c) for c in range(width)]
    return line, top_row + 1


def _key_columns(top: list[Any]) -> list[int]:
    names = ROLE_HEADERS["unit"] | ROLE_HEADERS["indicator"]
    return [col for col, value in enumerate(top) if _header_key(value) in names]


def _is_sub_header(row: list[Any], key_columns: list[int]) -> bool:
    """A header row under the first: texts (or periods), nothing under Đơn vị/Chỉ tiêu."""
    filled = [col for col, value in enumerate(row) if not is_blank(value)]
    return (
        bool(filled)
        and all(is_blank(_at(row, col)) for col in key_columns)
        and not _is_numbering_row(row)
        and all(isinstance(row[col], str) or parse_period(row[col]) for col in filled)
    )


def _family_role_header(
    rows: list[list[Any]],
    top_row: int,
    meta: dict[str, Cell],
    oracle: Oracle | None,
    merged: Sequence[MergedRange] | None,
) -> tuple[dict[str, int], list[Spread], int] | None:
    """Known columns, value columns and last header row of a header whose value columns
    name the role of their figure (Dự toán, Thực hiện, So sánh), under a period over each
    group ("Năm 2014" merged or repeated) or under no period at all (it is in the title).
    None when the header is not one."""
    keys = _key_columns(rows[top_row])
    bottom_row = top_row
    while bottom_row < top_row + 2 and bottom_row + 1 < len(rows):
        if not _is_sub_header(rows[bottom_row + 1], keys):
            break
        bottom_row += 1
    if top_row > 0 and _is_period_row_above(rows[top_row - 1], keys):
        top_row -= 1  # the years stand in the row above "Đơn vị"
    header = rows[top_row : bottom_row + 1]
    roles = {
        col: _FAMILY_ROLE[key]
        for col, value in enumerate(header[-1])
        if (key := _header_key(value)) in _FAMILY_ROLE
    }
    if not roles:
        return None
    columns = _other_columns(header, set(roles))
    if columns is None or "unit" not in columns:
        return None
    above = _filled_across(rows, top_row, bottom_row, merged)
    periods = {col: _period_above(above, col) for col in roles}
    if any(periods.values()) and not all(periods.values()):
        return None
    if not any(periods.values()):
        words = {_header_key(header[-1][col]) for col in roles}
        if len(set(roles.values())) < 2 or words <= _PLAIN_ROLE_WORDS:
            return None  # "Kế hoạch | Thực hiện" alone: a long table's target and value
        said = meta.get("indicator")
        if said is not None and oracle is not None and not oracle.names_family(said.value):
            return None
    kind = "period_indicator" if any(periods.values()) else "indicator"
    spreads = [
        Spread(col, kind, Cell(header[-1][col], bottom_row, col), periods[col], role)
        for col, role in sorted(roles.items())
    ]
    return columns, spreads, bottom_row


def _is_period_row_above(row: list[Any], key_columns: list[int]) -> bool:
    """A row over the header naming periods ("Năm 2014" merged over its group), with
    nothing over or left of the Đơn vị column (where a title line would stand)."""
    filled = [col for col, value in enumerate(row) if not is_blank(value)]
    return (
        bool(filled and key_columns)
        and min(filled) > max(key_columns)
        and any(parse_period(row[col]) for col in filled)
    )


def _other_columns(header: list[list[Any]], role_cols: set[int]) -> dict[str, int] | None:
    """The known columns beside the role columns (each named by its lowest header cell);
    None when one of them says the table is another layout (Chỉ tiêu, Năm, Giá trị…)."""
    columns: dict[str, int] = {}
    for col in range(max(len(row) for row in header)):
        texts = [_at(row, col) for row in header if not is_blank(_at(row, col))]
        if col in role_cols or not texts:
            continue
        key = _header_key(texts[-1])
        role = next((r for r, names in ROLE_HEADERS.items() if key in names), None)
        if role in ("indicator", "value", "period", "period_from", "period_to", "target"):
            return None
        if role is not None:
            columns.setdefault(role, col)
    return columns


def _filled_across(
    rows: list[list[Any]], top_row: int, bottom_row: int, merged: Sequence[MergedRange] | None
) -> list[list[Any]]:
    """The header rows above the last, each merged cell's text in every column it spans:
    by the merged ranges where a row has any, else up to the next filled cell (a merged
    cell reads as text in its first column only, blank in the others)."""
    width = max(len(row) for row in rows[top_row : bottom_row + 1])
    out = []
    for row_index in range(top_row, bottom_row):
        row = [_at(rows[row_index], col) for col in range(width)]
        spans = [(r0, c0, c1) for (r0, c0), (r1, c1) in merged or () if r0 <= row_index <= r1]
        for r0, c0, c1 in spans:
            row[c0 : c1 + 1] = [_at(rows[r0], c0)] * len(row[c0 : c1 + 1])
        last = None
        for col, value in enumerate(row):
            if not is_blank(value):
                last = value
            elif last is not None and not spans:
                row[col] = last
        out.append(row)
    return out


def _period_above(above: list[list[Any]], col: int) -> Period | None:
    """The period written over a column, nearest first."""
    for row in reversed(above):
        if not is_blank(row[col]):
            period = parse_period(row[col])
            if period is not None:
                return period
    return None


def _read_family_title(
    rows: list[list[Any]], meta: dict[str, Cell], spreads: list[Spread], oracle: Oracle | None
) -> None:
    """What a table by family roles takes from the lines above its roles when no
    "Chỉ tiêu:"/"Kỳ báo cáo:" line says it: the first text naming an indicator family
    ("THU NGÂN SÁCH NHÀ NƯỚC") and, when no period heads the columns, the first period
    ending a title line ("KẾT QUẢ THU NGÂN SÁCH NĂM 2014")."""
    need_period = "period" not in meta and spreads[0].period is None
    for row_index, row in enumerate(rows):
        for col, value in enumerate(row):
            if not isinstance(value, str) or is_blank(value):
                continue
            if "indicator" not in meta and oracle is not None and oracle.names_family(value):
                meta["indicator"] = Cell(clean(value), row_index, col)
            period = _trailing_period(value) if need_period else None
            if period is not None:
                meta["period"] = Cell(period, row_index, col)
                need_period = False


def _trailing_period(text: str) -> str | None:
    """The period a title line ends with, from a word that starts one: "Năm 2014",
    "BÁO CÁO … 6 THÁNG ĐẦU NĂM 2025". A date line ("ngày 15 tháng 01 năm 2015") has none."""
    words = clean(text).strip("()[]. ").split(" ")
    folded = [fold(word) for word in words]
    if _DATE_LINE.search(" ".join(folded)):
        return None
    for start in range(max(0, len(words) - 8), len(words)):
        opens = folded[start] in _PERIOD_WORDS or (
            folded[start].isdigit() and folded[start + 1 : start + 2] == ["thang"]
        )
        tail = " ".join(words[start:])
        if (opens or start == 0) and parse_period(tail) is not None:
            return tail
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


def _first_filled(row: list[Any]) -> Any:
    """The first cell of a row that is not empty (the row has one)."""
    return next(value for value in row if value != "" and value is not None)


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
    build the value cells of the data rows and of the total rows.

    Column by column rather than row by row: each distinct key or first cell is judged
    once, which matters for a sheet of 200,000 rows.
    """
    first_data_row = table.header_row + 1
    end = _footnotes_start(rows, first_data_row)
    table.last_row = next(
        (i for i in range(end - 1, first_data_row - 1, -1) if not _BLANK.issuperset(rows[i])),
        table.last_row,
    )
    body = range(first_data_row, end)
    numbering = {i for i in body[:2] if _is_numbering_row(rows[i])}
    key_col = table.columns[table.key_role]
    keys = _column(rows[first_data_row:end], key_col)
    kinds = {key: _key_kind(key, table.key_role) for key in set(keys)}
    skipped = numbering | _group_rows(rows, body, keys, numbering, table, oracle)
    data, totals = list(body), []
    if set(kinds.values()) != {"data"}:  # blank, total or unit-less rows among them
        value_cols = _value_columns(table)
        for i, key in zip(body, keys, strict=True):
            kind = kinds[key]
            if kind == "data" or i in numbering:
                continue
            skipped.add(i)
            if kind == "total":
                table.total_rows.append(Cell(key, i, key_col))
                totals.append(i)
            elif any(not is_blank(_at(rows[i], col)) for col in value_cols):
                table.rows_without_unit.append(Cell(key, i, key_col))
    if skipped:
        data = [i for i in data if i not in skipped]
    table.cells = _cells(rows, data, table)
    table.total_cells = _cells(rows, totals, table)


def _footnotes_start(rows: list[list[Any]], start: int) -> int:
    """The first row from ``start`` whose first filled cell begins a footnote or source
    line ("Ghi chú:", "Nguồn:"); the rows' count when none does."""
    firsts = _column(rows[start:], 0)
    begins = {first: _begins_footnote(first) for first in set(firsts)}
    if not any(begins.values()) and not _BLANK.intersection(begins):
        return len(rows)  # the usual table: no footnote, and every row starts filled
    for offset, first in enumerate(firsts):
        if begins[first]:
            return start + offset
        if first in _BLANK:  # the first cell is empty: look further along the row
            row = rows[start + offset]
            if not _BLANK.issuperset(row) and _begins_footnote(_first_filled(row)):
                return start + offset
    return len(rows)


def _column(rows: list[list[Any]], col: int) -> list[Any]:
    """The cells of one column, None where a (ragged CSV) row is too short."""
    if rows and min(map(len, rows)) > col:
        return list(map(itemgetter(col), rows))
    return [row[col] if col < len(row) else None for row in rows]


def _begins_footnote(value: Any) -> bool:
    return type(value) is str and fold(value).startswith(FOOTNOTE_PREFIXES)


def _key_kind(key: Any, key_role: str) -> str:
    """What a row is by its key: "blank", "total" (a unit column's total) or "data"."""
    if is_blank(key):
        return "blank"
    if key_role == "unit" and fold(key) in TOTAL_ROW_NAMES:
        return "total"
    return "data"


def _group_rows(
    rows: list[list[Any]],
    body: range,
    keys: list[Any],
    numbering: set[int],
    table: SheetTable,
    oracle: Oracle | None,
) -> set[int]:
    """The region or group headings numbered I, II… among data rows; their cells noted."""
    stt_col = table.columns.get("row_number")
    if stt_col is None:
        return set()
    found = set()
    judged: dict[tuple[str, Any], bool] = {}
    for i, key in zip(body, keys, strict=True):
        stt = _at(rows[i], stt_col)
        if type(stt) is not str or is_blank(key) or i in numbering:
            continue
        group = judged.get((stt, key))
        if group is None:
            group = judged[(stt, key)] = _is_group_row(stt, key, oracle)
        if group and _key_kind(key, table.key_role) == "data":
            table.group_rows.append(Cell(key, i, table.columns[table.key_role]))
            found.add(i)
    return found


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
    padded = list(map(rows.__getitem__, data))
    if padded and min(map(len, padded)) < need:
        padded = [row if len(row) >= need else _pad(row, need) for row in padded]
    if table.layout == "long":
        value_col = table.columns["value"]
        values = list(map(itemgetter(value_col), padded))
        empty = {value for value in set(values) if not _filled(value)}  # each judged once
        if not empty:  # every row has its value: the columns as they are
            value_rows = list(data)
            cells = Cells(value=Column(values, value_rows, [value_col] * len(data)))
            _add_role_columns(cells, table, padded, value_rows)
            return cells
        filled = [i for i, value in enumerate(values) if value not in empty]
        picks = list(zip(filled, [value_col] * len(filled), strict=True))
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
    lines = padded if len(line) == len(padded) else list(map(padded.__getitem__, line))

    if table.layout == "long":
        raw_values = list(map(itemgetter(table.columns["value"]), lines))
    else:
        raw_values = [padded[i][c] for i, c in picks]
    cells = Cells(value=Column(raw_values, value_rows, value_cols))
    _add_role_columns(cells, table, lines, value_rows)
    spread_kind = table.spread_kind
    if table.layout == "wide" and spread_kind is not None:
        headers = {spread.col: spread for spread in table.spreads}
        header_column = Column(
            [headers[c].header.value for c in value_cols], table.header_row, value_cols
        )
        if spread_kind in ("period", "period_indicator"):
            periods = [headers[c].period for c in value_cols]
            cells.period_parsed = [p for p in periods if p is not None]
            cells.period = Column([p.label_vi for p in cells.period_parsed], value_rows, value_cols)
        if spread_kind != "period":
            role = "indicator" if spread_kind == "period_indicator" else spread_kind
            setattr(cells, role, header_column)
    return cells


def _add_role_columns(
    cells: Cells, table: SheetTable, lines: list[list[Any]], value_rows: list[int]
) -> None:
    """The unit, indicator, period… columns and the notes of the value cells' rows."""
    for role in ("unit", "indicator", "period", "period_from", "period_to", "target", "status"):
        col = table.columns.get(role)
        if col is not None:
            setattr(cells, role, Column(list(map(itemgetter(col), lines)), value_rows, col))
    note_col, source_col = table.columns.get("note"), table.columns.get("source")
    if note_col is not None or source_col is not None:
        nothing = [None] * len(lines)
        notes = list(map(itemgetter(note_col), lines)) if note_col is not None else nothing
        sources = list(map(itemgetter(source_col), lines)) if source_col is not None else nothing
        judged = {pair: _note(*pair) for pair in dict.fromkeys(zip(notes, sources, strict=True))}
        if len(judged) == 1:  # the same note on every row (most often none)
            cells.note = [next(iter(judged.values()))] * len(lines)
        else:
            pairs = zip(notes, sources, strict=True)  # few distinct pairs: judged once each
            cells.note = list(map(judged.__getitem__, pairs))


def _pad(row: list[Any], width: int) -> list[Any]:
    """A short row (ragged CSV) filled up with blanks to ``width``."""
    return [*row, *[None] * (width - len(row))]


def _filled(value: Any) -> bool:
    """``not is_blank(value)``, cheap for the usual number cell."""
    if type(value) is float:
        return True
    return not is_blank(value)


def _note(note_raw: Any, source_raw: Any) -> str | None:
    """A cell's note and source as one text, None when both are blank."""
    note = None if is_blank(note_raw) else clean(note_raw)
    source = None if is_blank(source_raw) else clean(source_raw)
    if note and source:
        return f"{note} — Nguồn: {source}"
    return note or source
