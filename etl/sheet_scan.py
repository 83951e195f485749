"""What a workbook's sheets hold, measured from their XML before calamine reads them.

For each worksheet of an .xlsx/.xlsm and each table of an .ods: the true extent (its last
row and column holding something, not the ``<dimension>`` it declares, which may be
missing or wrong), so that the cell limit is enforced before calamine allocates a grid;
and the error cells calamine reads as empty (see :mod:`etl.reader`). Parts stream through
:func:`etl.zip_guard.inflate`.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import IO, cast

import numpy as np

from etl.read_ahead import read_ahead
from etl.zip_guard import CHUNK, inflate, read_small

MAX_ERRORS_PER_SHEET = 10_000


@dataclass
class SheetScan:
    """A sheet's extent (rows × columns from A1 to its last cell with content) and errors."""

    rows: int = 0
    cols: int = 0
    errors: dict[tuple[int, int], str] = field(default_factory=dict)

    def include(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        self.rows = max(self.rows, row + rows)
        self.cols = max(self.cols, col + cols)

    def error(self, row: int, col: int, text: str) -> bool:
        """Record an error cell; False once the sheet has recorded enough."""
        if len(self.errors) >= MAX_ERRORS_PER_SHEET:
            return False
        self.errors.setdefault((row, col), text)
        return True


def scan_members(
    handle: IO[bytes], members: dict[str, zipfile.ZipInfo]
) -> tuple[list[tuple[str, SheetScan]], set[str]]:
    """(sheet name, scan) of an .ods's tables and an .xlsx's worksheets (calamine picks the
    format by the file's suffix, so a zip holding both has both scanned); the parts read."""
    scans: list[tuple[str, SheetScan]] = []
    scanned = set()
    if "content.xml" in members:
        scans += _scan_ods(inflate(handle, members["content.xml"]))
        scanned.add("content.xml")
    names = xlsx_sheet_names(handle, members)
    parts = [part for part in names if part in members]
    parts += sorted(name for name in members if _is_worksheet_part(name) and name not in names)
    for part in parts:
        scan = scan_xlsx_sheet(partial(_inflate_ahead, handle, members[part]))
        scans.append((names.get(part, part), scan))
    return scans, scanned | set(parts)


def _inflate_ahead(handle: IO[bytes], info: zipfile.ZipInfo) -> Generator[bytes]:
    """A part's bytes, inflated in a thread while the previous chunk is measured."""
    return read_ahead(inflate(handle, info))


def _is_worksheet_part(name: str) -> bool:
    """Where calamine takes worksheets from (it types a sheet by this folder)."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and "_rels" not in name


def xlsx_sheet_names(handle: IO[bytes], members: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet part → sheet name, in workbook order, resolved as calamine resolves them."""
    book, rels = members.get("xl/workbook.xml"), members.get("xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in read_small(handle, rels).iter()
        if local_name(rel.tag) == "Relationship"
    }
    names: dict[str, str] = {}
    for sheet in read_small(handle, book).iter():
        if local_name(sheet.tag) != "sheet":
            continue
        rid = next(
            (v for k, v in sheet.attrib.items() if k.startswith("{") and local_name(k) == "id"),
            None,
        )
        target = targets.get(rid, "")
        for part in _part_names(target) if target else ():
            if part in members:
                names.setdefault(part, sheet.get("name", ""))
    return names


def _part_names(target: str) -> tuple[str, str]:
    """The part a relationship target names: as calamine joins it, and as the spec does."""
    if target.startswith("/xl/"):
        joined = target[1:]
    elif target.startswith("xl/"):
        joined = target
    else:
        joined = "xl/" + target
    spec = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return joined, posixpath.normpath(spec)


def local_name(tag: str) -> str:
    """An XML tag or attribute name without its namespace."""
    return tag.rpartition("}")[2]


def column_number(letters: bytes | str) -> int:
    """1 for A, 27 for AA."""
    number = 0
    for letter in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + ord(letter) - 64
    return number


def cell_position(ref: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 reference."""
    match = re.fullmatch(r"([A-Z]{1,3})([0-9]{1,7})", ref)
    if match is None:
        raise ValueError(f"cell reference {ref!r}")
    return int(match.group(2)) - 1, column_number(match.group(1)) - 1


def _unescape(raw: bytes | None) -> str:
    return html.unescape(raw.decode("utf-8", "replace")) if raw else ""


def scan_xlsx_sheet(open_part: Callable[[], Iterator[bytes]]) -> SheetScan:
    """Extent and errors of one worksheet part; ``open_part()`` streams it (again)."""
    fast = _FastXlsxScan()
    chunks = open_part()
    try:
        for chunk in chunks:
            fast.feed(chunk)
            if not fast.ok:
                break
    finally:
        if isinstance(chunks, Generator):
            chunks.close()  # stops a reader ahead before the part is read again
    fast.close()
    return fast.result() if fast.ok else scan_xlsx_sheet_slowly(open_part())


@dataclass(frozen=True)
class _Patterns:
    """Byte patterns of a worksheet whose main namespace has ``prefix`` (usually none)."""

    sheet_data: bytes
    sheet_data_end: bytes
    cell_r: bytes
    cell_end: bytes
    row_start: bytes
    cell_tag: bytes
    error_hit: re.Pattern[bytes]
    formula_tag: bytes
    formula: re.Pattern[bytes]
    value: re.Pattern[bytes]
    inline: re.Pattern[bytes]


@lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> _Patterns:
    p = re.escape(prefix)
    return _Patterns(
        sheet_data=b"<" + prefix + b"sheetData",
        sheet_data_end=b"</" + prefix + b"sheetData>",
        cell_r=b"<" + prefix + b'c r="',
        cell_end=b"</" + prefix + b"c>",
        row_start=b"<" + prefix + b"row",
        cell_tag=b"<" + prefix + b"c",
        # plain regexes, not bytes.find: with many near misses (t="n") find is 3× slower
        error_hit=re.compile(rb't="e"'),  # the cell head is checked by _judge
        formula_tag=b"<" + prefix + b"f",
        formula=re.compile(b"<" + p + rb"f(?:\s[^>]*)?(?:/>|>(.*?)</" + p + b"f>)", re.S),
        value=re.compile(b"<" + p + rb"v(?:\s[^>]*)?(?:/>|>(.*?)</" + p + b"v>)", re.S),
        inline=re.compile(b"<" + p + rb"is[\s>/]"),
    )


_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_CELL_HEAD = re.compile(rb'<(?:[\w.-]+:)?c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>')
_TYPE = re.compile(rb'\st="([^"]*)"')


class _FastXlsxScan:
    """Byte-level scan of a worksheet's XML stream, for the usual layout where every cell
    starts ``<c r="A1"`` (Excel, LibreOffice, openpyxl). ``ok`` turns False on anything
    else, and :func:`scan_xlsx_sheet_slowly` then parses the part as XML.

    The extent is measured from every cell's reference, not taken from the declared
    ``<dimension>``, which openpyxl's write-only mode leaves out and other writers get
    wrong; checking a declared one costs as much as measuring (~0.1 µs a cell).
    """

    def __init__(self) -> None:
        self.ok = True
        self._scan = SheetScan()
        self._patterns: _Patterns | None = None
        self._state = "before"  # sheetData: before, inside, after
        self._tail = b""
        self._last_row = self._last_col = 0

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        self._tail = b""
        if self._patterns is None:
            root = _ROOT.search(data)
            if root is None:
                self._tail = data
                self.ok = len(data) < CHUNK  # no root element early on: let XML decide
                return
            self._patterns = _patterns(root.group(1) or b"")
        p = self._patterns
        if self._state == "before":
            start = data.find(p.sheet_data)
            if start < 0:
                self._tail = data[-len(p.sheet_data) :]
                return
            head_end = data.find(b">", start)
            if head_end < 0:
                self._tail = data[start:]
                return
            self._state = "after" if data[head_end - 1 : head_end] == b"/" else "inside"
            data = data[head_end + 1 :]
        if self._state == "inside":
            end = data.find(p.sheet_data_end)
            if end >= 0:
                self._state = "after"
                self._read(data[:end])
                return
            cut = max(data.rfind(p.cell_end), data.rfind(p.row_start))
            if cut <= 0:
                self._tail = data
                return
            if data.startswith(p.cell_end, cut):
                cut += len(p.cell_end)
            self._read(data[:cut])
            self._tail = data[cut:]

    def close(self) -> None:
        if self._state == "inside":  # no </sheetData>: the XML parser will say what is wrong
            self.ok = False

    def result(self) -> SheetScan:
        self._scan.rows, self._scan.cols = self._last_row, self._last_col
        return self._scan

    def _read(self, part: bytes) -> None:
        """Complete cells and rows: the extent of the cells with content, then errors."""
        p = self._patterns
        assert p is not None
        tags = _Tags(part)
        extent = _cells_extent(tags, p.cell_tag)
        if extent is None:
            self.ok = False
            return
        self._last_row = max(self._last_row, extent[0])
        self._last_col = max(self._last_col, extent[1])
        hits = [m.start() for m in p.error_hit.finditer(part)]
        hits += tags.opens[tags.named(p.formula_tag)].tolist()
        for start in sorted({part.rfind(p.cell_r, 0, hit) for hit in hits} - {-1}):
            self._judge(part, start, p)

    def _judge(self, part: bytes, start: int, p: _Patterns) -> None:
        head = _CELL_HEAD.match(part, start)
        end = part.find(p.cell_end, start)
        following = part.find(p.cell_r, start + 1)
        if head is None or head.group(3).endswith(b"/") or end < 0:
            return
        if 0 <= following < end:  # a self-closing cell: no content, nothing to say
            return
        row, col = int(head.group(2)) - 1, column_number(head.group(1)) - 1
        kind = _TYPE.search(head.group(3))
        cell_type = kind.group(1) if kind else b"n"
        value = p.value.search(part, head.end(), end)
        if cell_type == b"e":
            if value is not None and value.group(1):
                self._scan.error(row, col, _unescape(value.group(1)))
            return
        formula = p.formula.search(part, head.end(), end)
        if formula is None or p.inline.search(part, head.end(), end):
            return
        cached = value is not None and (
            bool(value.group(1)) or (value.group(1) is not None and cell_type == b"str")
        )
        if not cached:
            self._scan.error(row, col, "=" + _unescape(formula.group(1)))


_REF = 11  # the longest reference with its closing quote: XFD1048576"
_LT, _SLASH, _SPACE, _QUOTE = (ord(char) for char in '</ "')
_ENDS_NAME = np.zeros(256, dtype=bool)  # the bytes that may follow a tag's name
_ENDS_NAME[list(b"\t\n\r />")] = True


class _Tags:
    """Where the tags of a run of worksheet XML begin, found at once with numpy."""

    def __init__(self, part: bytes) -> None:
        self.size = len(part)
        self.data = np.frombuffer(part, dtype=np.uint8)
        self.opens = np.flatnonzero(self.data == _LT)

    def named(self, tag: bytes) -> np.ndarray:
        """Indices into ``opens`` of the start tags ``tag`` ("<c", "<x:f"), in order."""
        data, opens = self.data, self.opens
        opens = opens[: np.searchsorted(opens, self.size - len(tag))]  # room for the name
        found = np.flatnonzero(data[opens + 1] == tag[1])
        for offset, code in enumerate(tag[2:], start=2):
            found = found[data[opens[found] + offset] == code]
        return found[_ENDS_NAME[data[opens[found] + len(tag)]]]


def _cells_extent(tags: _Tags, cell_tag: bytes) -> tuple[int, int] | None:
    """(last row, last column), 1-based, of the cells in a run of whole cells and rows
    that hold something, or None when some cell does not start with a plain ``<c r="A1"``
    (the XML parser then decides). Vectorised: about 10× faster than regular expressions
    over every cell, which cost 0.4 s a million cells.

    A cell holds something when the tag after its start tag is a child (``<v>``, ``<f>``,
    ``<is>``…), not its own end, the row's end or the next cell. That is found from where
    tags begin, as no ``<`` can stand inside an attribute value, so neither a ``/>`` nor a
    ``>`` in a value or in text between tags can hide a cell.
    """
    data, opens = tags.data, tags.opens
    cell_at = tags.named(cell_tag)  # indices into ``opens``
    if not cell_at.size:
        return 0, 0
    if cell_at[-1] + 1 >= opens.size:  # a cell with no tag after it: not a whole cell
        return None
    refs = opens[cell_at] + len(cell_tag) + 4  # where the reference starts after ' r="'
    if refs[-1] + _REF > tags.size:
        return None
    plain = (
        (data[refs - 4] == _SPACE)
        & (data[refs - 3] == ord("r"))
        & (data[refs - 2] == ord("="))
        & (data[refs - 1] == _QUOTE)
    )
    if not plain.all():
        return None
    is_cell = np.zeros(opens.size, dtype=bool)
    is_cell[cell_at] = True
    following = opens[cell_at + 1]  # the tag after each cell's start tag
    if following[-1] + 1 >= tags.size:
        return None
    content = (data[following + 1] != _SLASH) & ~is_cell[cell_at + 1]
    window = data[refs[:, None] + np.arange(_REF)]  # the reference and what follows it
    is_letter = (window >= ord("A")) & (window <= ord("Z"))
    letters = np.argmin(is_letter, axis=1)  # 0 also when all are letters
    if ((letters < 1) | (letters > 3)).any():
        return None
    last_row = last_col = 0
    for length in (1, 2, 3):  # cells of one-, two- and three-letter columns
        chosen = letters == length
        if not chosen.any():
            continue
        group = window if chosen.all() else window[chosen]
        digits = group[:, length : length + 8]
        is_digit = (digits >= ord("0")) & (digits <= ord("9"))
        count = np.argmin(is_digit, axis=1)  # 0 also when all 8 are digits
        ends_well = digits[np.arange(len(group)), count] == _QUOTE
        if not ((count >= 1) & (count <= 7) & (digits[:, 0] != ord("0")) & ends_well).all():
            return None
        filled = content if group is window else content[chosen]
        if not filled.any():
            continue
        longest = int(count[filled].max())  # the largest rows are among the longest numbers
        last_row = max(last_row, int(_largest(digits[filled & (count == longest)], longest)))
        last_col = max(last_col, column_number(_largest(group[filled], length)))
    return last_row, last_col


def _largest(block: np.ndarray, width: int) -> bytes:
    """The largest of the equally long ASCII texts that start the rows of ``block``:
    compared as big-endian integers, which order them as numbers or column letters."""
    padded = np.zeros((len(block), 8), dtype=np.uint8)
    padded[:, :width] = block[:, :width]
    best = int(np.argmax(padded.view(">u8")[:, 0]))
    return bytes(padded[best, :width])


def _xml_events(chunks: Iterator[bytes]) -> Iterator[tuple[str, ET.Element]]:
    """(event, element) pairs, "start" and "end", of an XML stream."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    for chunk in chunks:
        parser.feed(chunk)
        for item in parser.read_events():
            yield cast(tuple[str, ET.Element], item)
    parser.close()


def scan_xlsx_sheet_slowly(chunks: Iterator[bytes]) -> SheetScan:
    """The same scan by an XML parser, positioning cells without ``r`` as calamine does."""
    scan = SheetScan()
    for position, cell in worksheet_cells(chunks):
        _judge_element(scan, position, cell)
    return scan


def worksheet_cells(chunks: Iterator[bytes]) -> Iterator[tuple[tuple[int, int], ET.Element]]:
    """((row, column), element) of every cell of a worksheet part, parsed as XML, each
    when it is complete; a cell without ``r`` is placed as calamine places it."""
    sheet_data: ET.Element | None = None
    row = col = 0
    position = (0, 0)
    for event, element in _xml_events(chunks):
        tag = local_name(element.tag)
        if tag == "sheetData":
            sheet_data = element if event == "start" else None
        elif sheet_data is None:
            continue
        elif event == "start" and tag == "row" and element.get("r"):
            row = int(element.get("r", "")) - 1
        elif event == "start" and tag == "c":
            ref = element.get("r")
            position = cell_position(ref) if ref else (row, col)
            col = position[1]
        elif event == "end" and tag == "c":
            yield position, element
            col += 1
        elif event == "end" and tag == "row":
            row, col = row + 1, 0
            sheet_data.clear()


def _judge_element(scan: SheetScan, position: tuple[int, int], cell: ET.Element) -> None:
    children = {local_name(child.tag): child for child in cell}
    if not children:
        return
    scan.include(*position)
    cell_type = cell.get("t", "n")
    value, formula = children.get("v"), children.get("f")
    if cell_type == "e":
        if value is not None and value.text:
            scan.error(*position, value.text)
    elif formula is not None and "is" not in children:
        cached = value is not None and (bool(value.text) or cell_type == "str")
        if not cached:
            scan.error(*position, "=" + (formula.text or ""))


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_ODS_CELLS = (_TABLE + "table-cell", _TABLE + "covered-table-cell")
_ODS_VALUES = tuple(
    _OFFICE + name
    for name in (
        "value-type",
        "value",
        "string-value",
        "date-value",
        "time-value",
        "boolean-value",
    )
)


def _scan_ods(chunks: Iterator[bytes]) -> list[tuple[str, SheetScan]]:
    """(table name, scan) of every table of an .ods's content.xml, counting repeats."""
    scans: list[tuple[str, SheetScan]] = []
    table: ET.Element | None = None
    scan = SheetScan()
    row = col = 0
    row_repeat = 1
    for event, element in _xml_events(chunks):
        tag = element.tag
        if tag == _TABLE + "table":
            table = element if event == "start" else None
            if table is not None:
                scan, row = SheetScan(), 0
                scans.append((element.get(_TABLE + "name", ""), scan))
        elif table is None:
            continue
        elif tag == _TABLE + "table-row" and event == "start":
            row_repeat, col = _repeat(element, "number-rows-repeated"), 0
        elif tag == _TABLE + "table-row":
            row += row_repeat
            element.clear()  # rows may sit in groups: empty the row itself, then the table
            table.clear()
        elif tag in _ODS_CELLS and event == "end":
            col_repeat = _repeat(element, "number-columns-repeated")
            _judge_ods_cell(scan, (row, col), (row_repeat, col_repeat), element)
            col += col_repeat
    return scans


def _repeat(element: ET.Element, attribute: str) -> int:
    text = element.get(_TABLE + attribute, "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


def _judge_ods_cell(
    scan: SheetScan, at: tuple[int, int], repeat: tuple[int, int], cell: ET.Element
) -> None:
    formula = cell.get(_TABLE + "formula", "")
    has_value = any(name in cell.attrib for name in _ODS_VALUES)
    if not has_value and not formula:
        return
    scan.include(*at, *repeat)
    if cell.get(_CALCEXT + "value-type") == "error":
        text = "".join(cell.itertext()).strip() or "#VALUE!"
    elif formula and not has_value:
        text = "=" + formula.partition(":=")[2] if ":=" in formula else formula
    else:
        return
    for row in range(at[0], at[0] + repeat[0]):
        for col in range(at[1], at[1] + repeat[1]):
            if not scan.error(row, col, text):
                return
