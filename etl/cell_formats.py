"""What only a cell's format says: percent formats, legacy Vietnamese fonts, .xls errors.

python-calamine gives values only, so three things come from the cells' styles instead:

- **percent**: a numeric cell shown with a percent format (0.125 as "12.5%") means 12.5
  (%). A format is a percent format when the first (positive) section of its code holds a
  ``%`` that is not quoted (``"%"``), escaped (``\\%``), the character of a ``_`` or ``*``
  (``_%`` is a space as wide as "%"), or inside brackets (``[Red]``, ``[$-42A]``). Built-in
  formats 9 (``0%``) and 10 (``0.00%``) are the only built-in ones; a workbook's own
  ``numFmt`` of the same id wins over the built-in code;
- **legacy**: a text cell whose font is a TCVN3 font (".VnTime", ".VnArial", ".VnTimeH")
  or a VNI font ("VNI-Times") holds legacy-encoded text even where the text alone is
  ambiguous. The value is what :func:`etl.legacy_text.encoding_for_font` says: "tcvn3",
  "tcvn3_upper" (the capital-only ".Vn...H" fonts) or "vni". Only the cell's own font
  counts: rich-text runs in other fonts are not looked at;
- **errors** (.xls only): calamine reads BIFF error cells (``#DIV/0!``, ``#REF!``, ``#N/A``,
  both constants and formulas with a cached error) as empty. For .xlsx/.xlsm the reader's
  own scan (:mod:`etl.sheet_scan`) finds them.

By format:

- .xlsx/.xlsm: ``xl/styles.xml`` (its ``numFmts``, ``fonts`` and ``cellXfs``) says which
  style indexes are percent or legacy. When none is (the usual case), the answer is ``{}``
  and no worksheet is opened. Otherwise each worksheet part streams past once and regular
  expressions made of those indexes find the cells that carry them: one reads the usual
  shape (``<c r="B7" s="3" t="n"><v>``) at C speed, and where a piece of the sheet holds a
  hit of another shape (attributes in another order or quoting, ``<row s="3">``), each hit
  is judged on its own. A cell without ``s`` has style 0, so when style 0 is wanted (old
  workbooks whose Normal font is ".VnTime") every cell is a hit. A worksheet the
  expressions cannot follow (cells without ``r``) is parsed by an XML pull parser instead,
  which places cells as calamine does. A percent cell is a numeric one (``t`` absent or
  ``"n"``) with a value; a legacy cell a text one (``t="s"``, ``"str"``, ``"inlineStr"``)
  with a value. Measured on a 1-million-cell sheet: 0.6 s when 200,000 cells carry a
  percent style, 0.9-1.1 s when style 0 is wanted; 1 ms when no style is.
- .xls: ``xlrd`` (``formatting_info=True``) gives each cell's XF, hence its number format
  and font, and its type, hence the error cells. xlrd is pure Python, about 2-3 µs a cell
  (0.6 s for 260,000 cells, where calamine takes 0.13 s), for every .xls whatever its
  styles, since error cells can only be found by reading the cells. On damaged files it
  raises quickly (many exception types, all turned into one ``ReadError``); warnings it
  would print on stdout are discarded.
- .ods, .csv, .txt (and anything else): ``{}``. (.ods marks percentages with
  ``office:value-type="percentage"``; not read yet.)

The file must already have passed :func:`etl.reader.read_workbook` (size, zip checks, cell
limit). Still, ``styles.xml``, ``workbook.xml`` and its relationships are read only up to
64 MB, worksheets stream in chunks, and at most ``MAX_ERRORS_PER_SHEET`` errors are kept per
sheet. Sheets with nothing to say are left out of the result; hidden sheets are included.
A file this module cannot read raises :class:`etl.errors.ReadError` ("file_damaged").
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

import xlrd

from etl.errors import ReadError, short_reason
from etl.legacy_text import encoding_for_font
from etl.sheet_scan import (
    MAX_ERRORS_PER_SHEET,
    column_number,
    local_name,
    worksheet_cells,
    xlsx_sheet_names,
)
from etl.zip_guard import CHUNK, inflate, read_small

Position = tuple[int, int]

_BUILTIN_PERCENT_FORMATS = {9: "0%", 10: "0.00%"}
_MAX_TAIL_BYTES = 16 * CHUNK  # more than this without a cell boundary: let the XML parser read


@dataclass(frozen=True)
class SheetFormats:
    """What one sheet's cell formats say; positions are 0-based (row, column) as in
    :class:`etl.reader.Grid`.

    ``percent``: numeric cells with a percent format; ``legacy``: text cells in a legacy
    font, with the encoding ("tcvn3", "tcvn3_upper", "vni"); ``errors``: error cells of an
    .xls with their text ("#DIV/0!"); ``extent``: for an .xls, (rows, columns) from A1 to
    its last cell holding something (not a blank formatted one), so the reader can hold
    the sheet against the cell limit before calamine allocates its grid.
    """

    percent: frozenset[Position] = frozenset()
    legacy: dict[Position, str] = field(default_factory=dict)
    errors: dict[Position, str] = field(default_factory=dict)
    extent: tuple[int, int] | None = None

    def __bool__(self) -> bool:
        return bool(self.percent or self.legacy or self.errors)


def read_cell_formats(path: Path) -> dict[str, SheetFormats]:
    """Sheet name → :class:`SheetFormats`, for the sheets that have something to say (and
    every sheet of an .xls, for its extent).

    .xlsx/.xlsm and .xls only; ``{}`` for .ods, .csv and .txt. Raises
    :class:`etl.errors.ReadError` for a file that cannot be read.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        return _read_xls(path)
    return {}


def is_percent_format(code: str) -> bool:
    """True when the first section of a number format code shows a literal ``%``."""
    skip_next = in_quotes = in_brackets = False
    for char in code:
        if skip_next:
            skip_next = False
        elif in_quotes:
            in_quotes = char != '"'
        elif in_brackets:
            in_brackets = char != "]"
        elif char in "\\_*":
            skip_next = True
        elif char == '"':
            in_quotes = True
        elif char == "[":
            in_brackets = True
        elif char == ";":
            return False
        elif char == "%":
            return True
    return False


# --- .xlsx / .xlsm ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Styles:
    """The cell style indexes (``s``) that matter: percent formats and legacy fonts."""

    percent: frozenset[int]
    legacy: dict[int, str]

    def __bool__(self) -> bool:
        return bool(self.percent or self.legacy)


def _read_xlsx(path: Path) -> dict[str, SheetFormats]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist()}
        with path.open("rb") as handle:
            styles = _xlsx_styles(handle, members)
            if not styles:
                return {}
            return _scan_sheets(handle, members, styles)
    except ReadError:
        raise
    except (zipfile.BadZipFile, OSError, ET.ParseError, ValueError, struct.error) as exc:
        raise ReadError("file_damaged", detail=short_reason(exc)) from exc


def _xlsx_styles(handle: IO[bytes], members: dict[str, zipfile.ZipInfo]) -> _Styles:
    info = members.get("xl/styles.xml")
    if info is None:
        return _Styles(frozenset(), {})
    sections = {local_name(child.tag): child for child in read_small(handle, info)}
    custom = {
        _number(fmt.get("numFmtId")): fmt.get("formatCode", "")
        for fmt in _children(sections.get("numFmts"), "numFmt")
    }
    fonts = [_font_encoding(font) for font in _children(sections.get("fonts"), "font")]
    percent: set[int] = set()
    legacy: dict[int, str] = {}
    for index, xf in enumerate(_children(sections.get("cellXfs"), "xf")):
        number_format = _number(xf.get("numFmtId", "0"))
        code = custom.get(number_format, _BUILTIN_PERCENT_FORMATS.get(number_format, ""))
        if is_percent_format(code):
            percent.add(index)
        font = _number(xf.get("fontId", "0"))
        encoding = fonts[font] if 0 <= font < len(fonts) else None
        if encoding:
            legacy[index] = encoding
    return _Styles(frozenset(percent), legacy)


def _children(parent: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if parent is None else [child for child in parent if local_name(child.tag) == name]


def _font_encoding(font: ET.Element) -> str | None:
    names = _children(font, "name") or _children(font, "rFont")
    return encoding_for_font(names[0].get("val")) if names else None


def _number(text: str | None) -> int:
    """An index attribute as a number; -1 (matching nothing) when it is not one."""
    return int(text) if text and text.isdigit() else -1


def _scan_sheets(
    handle: IO[bytes], members: dict[str, zipfile.ZipInfo], styles: _Styles
) -> dict[str, SheetFormats]:
    result: dict[str, SheetFormats] = {}
    for part, name in xlsx_sheet_names(handle, members).items():
        if name in result:  # two sheets of one name: calamine gives the first
            continue
        formats = _scan_sheet(partial(inflate, handle, members[part]), styles)
        result[name] = formats
    return {name: formats for name, formats in result.items() if formats}


def _scan_sheet(open_part: Callable[[], Iterator[bytes]], styles: _Styles) -> SheetFormats:
    """One worksheet's styled cells; ``open_part()`` streams the part (again)."""
    try:
        return _FastScan(styles).run(open_part())
    except _Irregular:
        return _scan_sheet_slowly(open_part(), styles)


class _Irregular(Exception):
    """The worksheet's layout is beyond the regular expressions: parse it as XML."""


_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
_TYPE = re.compile(rb"""\st\s*=\s*["']([A-Za-z]*)["']""")
_NUMERIC = (b"", b"n")  # no t attribute, or t="n"
_TEXT = (b"s", b"str", b"inlineStr")
_WHITESPACE = (b" ", b"\t", b"\n", b"\r")


class _Found:
    """Styled cells found so far in one sheet."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.percent: set[Position] = set()
        self.legacy: dict[Position, str] = {}

    def cell(self, position: Position, style: int, kind: bytes) -> None:
        """A cell with a value; ``kind`` is its ``t`` attribute (b"" when it has none)."""
        if kind in _NUMERIC and style in self.styles.percent:
            self.percent.add(position)
        elif kind in _TEXT and style in self.styles.legacy:
            self.legacy[position] = self.styles.legacy[style]

    def result(self) -> SheetFormats:
        return SheetFormats(frozenset(self.percent), self.legacy)


class _FastScan:
    """Regex scan of a worksheet stream for the cells whose ``s`` is a wanted style.

    Chunks are cut before the last cell start (or after the last cell end), so each piece
    read holds whole cells. A piece where every hit has the usual shape
    (``<c r="B7" s="3" t="n"><v>``) is read by one expression (``usual``); otherwise each
    hit's cell is examined on its own. When style 0 is wanted, cells without ``s`` have it,
    so every cell is a hit and every cell must have the usual shape. Anything else (a hit in
    a cell without ``r``, say) raises :class:`_Irregular`.
    """

    def __init__(self, styles: _Styles) -> None:
        self.found = _Found(styles)
        self.columns: dict[bytes, int] = {}
        wanted = sorted(styles.percent | set(styles.legacy))
        self.every_cell = 0 in wanted
        self.wanted = b"|".join(b"%d" % index for index in wanted)
        self.hit = re.compile(rb"""\ss\s*=\s*["'](""" + self.wanted + rb""")["']""")
        self.tight_hit = re.compile(rb' s="(?:' + self.wanted + rb')"')  # a literal: fast
        self._compile(b"")

    def run(self, chunks: Iterable[bytes]) -> SheetFormats:
        tail = b""
        prefix: bytes | None = None
        for chunk in chunks:
            data = tail + chunk
            if prefix is None:
                root = _ROOT.search(data)
                if root is None:
                    tail = _keep(data)
                    continue
                prefix = root.group(1) or b""
                self._compile(prefix)
            cut = self._cut(data)
            self._read(data[:cut])
            tail = _keep(data[cut:])
        if prefix is None:  # no <worksheet>: the XML parser will say what it is
            raise _Irregular
        self._read(tail)
        return self.found.result()

    def _compile(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        style = rb'(?: s="([0-9]+)")?' if self.every_cell else rb' s="(' + self.wanted + rb')"'
        self.open_cell = b"<" + prefix + b"c"
        self.close_cell = b"</" + prefix + b"c>"
        self.any_cell = re.compile(b"<" + p + rb"c[\s/>]")
        self.value = re.compile(b"<" + p + rb"(?:v(?:\s[^>]*)?>\s*[^<\s]|is[\s>])")
        formula = b"<" + p + rb"f(?:\s[^>]*)?(?:/>|>[^<]*</" + p + rb"f>)"  # text has no "<"
        self.usual = re.compile(
            b"<" + p + rb'c r="([A-Z]{1,3})([0-9]{1,7})"' + style + rb'(?: t="([A-Za-z]+)")?'
            rb"\s*(?:/>|>(?:" + formula + rb")?(<" + p + rb"v>\s*[^<\s]|<" + p + rb"is[\s>])?)"
        )

    def _cut(self, data: bytes) -> int:
        start = data.rfind(self.open_cell + b" ")
        end = data.rfind(self.close_cell)
        return max(start, end + len(self.close_cell) if end >= 0 else 0)

    def _read(self, part: bytes) -> None:
        if not part:
            return
        if self.every_cell:
            cells = self.usual.findall(part)
            if len(cells) != len(self.any_cell.findall(part)):
                raise _Irregular
            self._read_usual(cells)
            return
        hits = len((self.tight_hit if _canonical(part) else self.hit).findall(part))
        if not hits:
            return
        cells = self.usual.findall(part)
        if len(cells) == hits:
            self._read_usual(cells)
            return
        for match in self.hit.finditer(part):
            self._judge(part, match)

    def _read_usual(self, cells: list[tuple[bytes, bytes, bytes, bytes, bytes]]) -> None:
        """Cells matched by ``usual``: (column, row, style, type, start of the value)."""
        percent, legacy = self.found.styles.percent, self.found.styles.legacy
        for letters, digits, style, kind, value in cells:
            if not value:
                continue
            index = int(style or 0)
            if index in percent and kind in _NUMERIC:
                self.found.percent.add((int(digits) - 1, self._column(letters)))
            elif index in legacy and kind in _TEXT:
                self.found.legacy[(int(digits) - 1, self._column(letters))] = legacy[index]

    def _column(self, letters: bytes) -> int:
        column = self.columns.get(letters)
        if column is None:
            column = self.columns[letters] = column_number(letters) - 1
        return column

    def _judge(self, part: bytes, hit: re.Match[bytes]) -> None:
        """The cell whose head holds ``hit``, if it is a cell's head."""
        start = part.rfind(b"<", 0, hit.start())
        after = start + len(self.open_cell)
        if start < 0 or not part.startswith(self.open_cell, start):
            return
        if part[after : after + 1] not in _WHITESPACE:
            return  # an s attribute of another element (<row s="3">)
        head_end = part.find(b">", hit.end())
        if part.find(b">", start, hit.start()) >= 0 or head_end < 0:
            return  # text that looks like an attribute
        head = part[start:head_end]
        ref = _REF.search(head)
        if ref is None:
            raise _Irregular
        if head.endswith(b"/"):
            return  # an empty cell
        close = part.find(self.close_cell, head_end)
        if close < 0:
            raise _Irregular
        if self.value.search(part, head_end, close) is None:
            return
        kind = _TYPE.search(head)
        position = (int(ref.group(2)) - 1, self._column(ref.group(1)))
        self.found.cell(position, int(hit.group(1)), kind.group(1) if kind else b"")


def _keep(tail: bytes) -> bytes:
    """What waits for the next chunk; a piece this long without a cell boundary is odd."""
    if len(tail) > _MAX_TAIL_BYTES:
        raise _Irregular
    return tail


def _canonical(part: bytes) -> bool:
    """Every attribute is written ``name="value"`` after a single space, as all known
    writers do, so a wanted ``s`` is always written `` s="3"``. Cheap: two counts and
    four memchr-fast searches."""
    if part.count(b"=") != part.count(b'="') or b" =" in part:
        return False
    return not (b"\t" in part or b"\n" in part or b"\r" in part)


def _scan_sheet_slowly(chunks: Iterator[bytes], styles: _Styles) -> SheetFormats:
    """The same by an XML parser, placing cells without ``r`` as calamine does."""
    found = _Found(styles)
    for position, cell in worksheet_cells(chunks):
        _judge_element(found, position, cell)
    return found.result()


def _judge_element(found: _Found, position: Position, cell: ET.Element) -> None:
    style = _number(cell.get("s", "0"))
    if style not in found.styles.percent and style not in found.styles.legacy:
        return
    valued = any(
        (local_name(child.tag) == "v" and (child.text or "").strip())
        or local_name(child.tag) == "is"
        for child in cell
    )
    if valued:
        found.cell(position, style, cell.get("t", "").encode())


# --- .xls (BIFF) --------------------------------------------------------------------------


class _Discard:
    """Where xlrd's warnings go (by default it prints them on stdout)."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _read_xls(path: Path) -> dict[str, SheetFormats]:
    try:
        with xlrd.open_workbook(
            str(path), formatting_info=True, on_demand=True, ragged_rows=True, logfile=_Discard()
        ) as book:
            return _xls_sheets(book)
    except Exception as exc:  # xlrd raises many kinds on a damaged file (see the tests)
        if "encrypted" in str(exc):  # xlrd's "Workbook is encrypted": a password is set
            raise ReadError("file_password") from exc
        raise ReadError("file_damaged", detail=short_reason(exc)) from exc


def _xls_sheets(book: Any) -> dict[str, SheetFormats]:
    styles = _xls_styles(book)
    result: dict[str, SheetFormats] = {}
    for index, name in enumerate(book.sheet_names()):
        formats = _xls_sheet(book.sheet_by_index(index), styles)
        book.unload_sheet(index)
        result.setdefault(name, formats)  # every sheet: each has its extent
    return result


def _xls_styles(book: Any) -> _Styles:
    percent: set[int] = set()
    legacy: dict[int, str] = {}
    fonts = book.font_list
    for index, xf in enumerate(book.xf_list):
        number_format = book.format_map.get(xf.format_key)
        code = (
            number_format.format_str
            if number_format is not None
            else _BUILTIN_PERCENT_FORMATS.get(xf.format_key, "")
        )
        if is_percent_format(code):
            percent.add(index)
        font = fonts[xf.font_index] if 0 <= xf.font_index < len(fonts) else None
        encoding = encoding_for_font(font.name) if font is not None else None
        if encoding:
            legacy[index] = encoding
    return _Styles(frozenset(percent), legacy)


_EMPTY_TYPES = bytes((xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK))


def _xls_sheet(sheet: Any, styles: _Styles) -> SheetFormats:
    found = _Found(styles)
    errors: dict[Position, str] = {}
    wanted = {xlrd.XL_CELL_ERROR}
    if styles.percent:
        wanted.add(xlrd.XL_CELL_NUMBER)
    if styles.legacy:
        wanted.add(xlrd.XL_CELL_TEXT)
    last_row = last_col = 0
    for row in range(sheet.nrows):
        types = sheet.row_types(row)
        width = len(bytes(types).rstrip(_EMPTY_TYPES))  # up to its last cell with content
        if width:
            last_row, last_col = row + 1, max(last_col, width)
        if not any(kind in types for kind in wanted):  # a C-speed test per row
            continue
        for col, kind in enumerate(types):
            if kind not in wanted:
                continue
            if kind == xlrd.XL_CELL_ERROR:
                if len(errors) < MAX_ERRORS_PER_SHEET:
                    code = sheet.cell_value(row, col)
                    errors[(row, col)] = xlrd.error_text_from_code.get(code, f"#ERROR{code}")
            elif kind == xlrd.XL_CELL_NUMBER:
                found.cell((row, col), sheet.cell_xf_index(row, col), b"n")
            elif sheet.cell_value(row, col):  # text, not empty
                found.cell((row, col), sheet.cell_xf_index(row, col), b"s")
    return SheetFormats(frozenset(found.percent), found.legacy, errors, (last_row, last_col))
