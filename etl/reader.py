"""Read a spreadsheet file into plain grids of cell values.

python-calamine reads .xlsx, .xlsm, .xls and .ods without running macros and is
several times faster than openpyxl (see DESIGN.md's measurements); :mod:`etl.csv_reader`
reads .csv and .txt. Grids keep absolute coordinates (row 0 is the sheet's row 1), so a
cell can be named. 1904-date workbooks (Mac Excel) give the right dates: calamine reads
``date1904`` itself.

Nothing reaches calamine before these checks, because a small hostile file can make it
allocate without bound (one cell at A1 and one at XFD1048576 ask it for a 550 GB grid and
abort the process, no exception):

- the file size (``max_bytes``);
- a zip (.xlsx, .xlsm, .ods; also with bytes before it, which calamine opens too): the
  members' declared uncompressed sizes against ``max_unpacked_bytes`` and an overall
  compression ratio (a zip bomb is refused from its directory alone, in under a
  millisecond, without inflating anything); two members of one name or two directories
  are refused (readers may disagree on which counts); then every member is inflated as
  a stream and must end exactly at its declared size with its declared CRC, so calamine
  never reads more than was declared;
- the cells: while the sheets stream past, the true extent of each sheet (its last row and
  column holding something, not the ``<dimension>`` it declares, which may be missing or
  wrong) is measured, and the workbook is refused when the sheets together need more than
  ``max_cells`` cells. This costs about 0.3-0.5 µs a cell (1.5-2.5 s for 5 million).
  For .xls the extent is calamine's, checked before ``to_python``; calamine has then
  already allocated the sheet's grid, at most 65,536 × 256 cells (about 0.5 GB): a gap.

Error cells. calamine turns an error value (``#DIV/0!``) and a formula without a cached
value into an empty cell, and python-calamine 0.9.1 exposes no error type, no formulas
and no cell types (``iter_rows`` gives the same empty strings). So the same stream
records them in ``Grid.errors``:

- .xlsx/.xlsm: ``<c t="e">`` cells give their value (``#DIV/0!``, ``#N/A``, ...); a formula
  cell without a cached value (as openpyxl writes formulas) gives ``"=" + formula``
  (only ``"="`` for a shared formula's followers). Excel 365's newer error values
  (``#SPILL!``, ``#CALC!``) make calamine refuse the whole file; the refusal then names
  the cell (``cell_error_unreadable``);
- .ods: cells LibreOffice marks ``calcext:value-type="error"`` give their shown text
  (``#DIV/0!`` or ``Err:502``); a formula without a value gives ``"=" + formula``;
- .xls: nothing. calamine reads BIFF error cells as empty and offers no way to tell them
  apart; re-saving as .xlsx is the remedy. A gap, documented here on purpose.
- .csv/.txt hold no formulas; a cell that reads "#DIV/0!" stays that text.

At most ``MAX_ERRORS_PER_SHEET`` error cells are recorded per sheet. Grids are widened so
that every recorded error lies inside ``rows`` (as an empty string).
"""

from __future__ import annotations

import html
import posixpath
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, Any, cast

import python_calamine as calamine

from etl.errors import EtlError
from etl.messages import register

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
SPREADSHEET_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_UNPACKED_BYTES = 500 * 1024 * 1024
DEFAULT_MAX_CELLS = 5_000_000
MAX_COMPRESSION_RATIO = 200
RATIO_FLOOR_BYTES = 10 * 1024 * 1024  # smaller contents may compress at any ratio
MAX_ERRORS_PER_SHEET = 10_000

SheetProgress = Callable[[str, int, int], None]
"""Called as ``progress(sheet, index, count)`` before each sheet is read (index from 0)."""

_ACCEPTED = ", ".join(SPREADSHEET_SUFFIXES)

register(
    {
        "file_missing": (
            "Không tìm thấy tệp. Kiểm tra lại đường dẫn.",
            "File not found. Check the path.",
        ),
        "file_empty": (
            "Tệp rỗng (0 byte). Lưu lại báo cáo từ Excel rồi tải lên lại.",
            "The file is empty (0 bytes). Save the report again from Excel and upload it again.",
        ),
        "file_too_large": (
            "Tệp nặng {size_mb} MB, vượt giới hạn {limit_mb} MB. Tách báo cáo thành nhiều tệp "
            "nhỏ hơn.",
            "The file is {size_mb} MB, over the {limit_mb} MB limit. Split the report into "
            "smaller files.",
        ),
        "file_wrong_type": (
            f"Không phải tệp bảng tính (chỉ nhận {_ACCEPTED}). Mở tệp bằng Excel và lưu dưới "
            "dạng .xlsx.",
            f"Not a spreadsheet file (only {_ACCEPTED} are accepted). Open it in Excel and save "
            "it as .xlsx.",
        ),
        "file_password": (
            "Tệp được đặt mật khẩu nên không đọc được. Gỡ mật khẩu trong Excel (Tệp > Thông "
            "tin > Bảo vệ sổ làm việc) rồi tải lên lại.",
            "The file is password-protected and cannot be read. Remove the password in Excel "
            "(File > Info > Protect Workbook) and upload it again.",
        ),
        "file_damaged": (
            "Tệp bị hỏng hoặc không đúng định dạng ({detail}). Mở tệp bằng Excel, lưu lại "
            "dưới dạng .xlsx rồi thử lại.",
            "The file is damaged or not in the format its name says ({detail}). Open it in "
            "Excel, save it again as .xlsx and retry.",
        ),
        "file_no_sheets": (
            "Tệp không có trang tính nào có dữ liệu. Kiểm tra lại tệp.",
            "The file has no sheet with data. Check the file.",
        ),
        "file_unpacked_too_large": (
            "Tệp chứa {size_mb} MB dữ liệu khi giải nén, vượt giới hạn {limit_mb} MB. Xóa các "
            "trang tính, hình ảnh không cần thiết hoặc tách báo cáo thành nhiều tệp nhỏ hơn.",
            "The file unpacks to {size_mb} MB, over the {limit_mb} MB limit. Remove the sheets "
            "and pictures that are not needed, or split the report into smaller files.",
        ),
        "file_compression_suspicious": (
            "Tệp được nén với tỷ lệ bất thường ({ratio}:1, giới hạn {limit}:1), giống một “bom "
            "nén”, nên không được mở. Mở tệp bằng Excel, kiểm tra nội dung, lưu lại dưới dạng "
            ".xlsx rồi tải lên lại.",
            "The file is compressed at an abnormal ratio ({ratio}:1, limit {limit}:1), like a "
            "“zip bomb”, so it was not opened. Open it in Excel, check its content, save it "
            "again as .xlsx and upload it again.",
        ),
        "file_zip_inconsistent": (
            "Các phần nén bên trong tệp bị hỏng hoặc bị sửa: kích thước hay mã kiểm tra khai "
            "báo không khớp với dữ liệu. Mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi thử lại.",
            "The file's compressed parts are damaged or tampered with: their declared sizes or "
            "checksums do not match their data. Open it in Excel, save it again as .xlsx and "
            "retry.",
        ),
        "sheet_too_many_cells": (
            "Vùng dữ liệu của trang tính rộng {rows} dòng × {cols} cột; cộng với các trang "
            "trước, tệp vượt giới hạn {limit} ô. Xóa các dòng, cột thừa ở cuối trang (Ctrl+End "
            "cho biết ô cuối cùng có dữ liệu) hoặc tách báo cáo thành nhiều tệp.",
            "The sheet's data area spans {rows} rows × {cols} columns; with the sheets before "
            "it the file is over the {limit}-cell limit. Delete the unused rows and columns at "
            "the end of the sheet (Ctrl+End shows the last used cell) or split the report into "
            "several files.",
        ),
        "cell_error_unreadable": (
            "Ô chứa giá trị lỗi {value} của công thức, loại lỗi mà bộ đọc bảng tính không đọc "
            "được, nên không đọc được cả tệp. Sửa công thức ở ô này trong Excel (hoặc xóa ô) "
            "rồi tải lên lại.",
            "The cell holds the formula error {value}, a kind the spreadsheet reader cannot "
            "read, so the whole file cannot be read. Fix the formula in this cell in Excel (or "
            "clear the cell) and upload it again.",
        ),
        "file_not_text": (
            "Tệp có đuôi .csv/.txt nhưng không phải văn bản (có thể là tệp Excel bị đổi tên). "
            "Đổi đuôi tệp cho đúng (ví dụ .xlsx), hoặc trong Excel lưu lại dạng “CSV UTF-8”.",
            "The file is named .csv/.txt but is not plain text (perhaps a renamed Excel file). "
            "Give it its right extension (e.g. .xlsx), or save it from Excel as “CSV UTF-8”.",
        ),
        "file_encoding_unknown": (
            "Không nhận ra bảng mã của tệp văn bản (không phải UTF-8, UTF-16 hay Windows-1258); "
            "có thể tệp dùng bảng mã cũ TCVN3 (ABC) hoặc VNI. Chuyển mã sang Unicode (ví dụ "
            "bằng Unikey) hoặc trong Excel lưu lại dạng “CSV UTF-8”, rồi tải lên lại.",
            "The text file's encoding is not recognised (not UTF-8, UTF-16 or Windows-1258); it "
            "may use a legacy Vietnamese encoding such as TCVN3 (ABC) or VNI. Convert it to "
            "Unicode (e.g. with Unikey) or save it from Excel as “CSV UTF-8”, and upload it "
            "again.",
        ),
        "file_csv_malformed": (
            'Dấu ngoặc kép (") không khớp gần dòng {line} của tệp văn bản nên không tách được '
            "các ô. Sửa lại dấu ngoặc kép, hoặc mở tệp bằng Excel và lưu lại.",
            'Unbalanced double quotes (") near line {line} of the text file, so its cells '
            "cannot be split. Fix the quotes, or open the file in Excel and save it again.",
        ),
    }
)


class ReadError(EtlError):
    """The file as a whole cannot be read; ``sheet`` (and ``cell``, "B7") name the place
    to blame when there is one. They are not message parameters: the caller shows them
    as ``FILE:SHEET!CELL:`` before the message."""

    def __init__(self, key: str, *, sheet: str = "", cell: str = "", **params: Any) -> None:
        super().__init__(key, **params)
        self.sheet = sheet
        self.cell = cell


@dataclass(frozen=True)
class Grid:
    """One sheet's cells: ``rows[r][c]`` is the value of the cell at row r+1, column c+1.

    ``errors[(r, c)]`` is what stands in a cell that reads as empty in ``rows``: an error
    value such as ``"#DIV/0!"``, or ``"=" + formula`` for a formula never calculated.
    """

    sheet: str
    rows: list[list[Any]]
    visible: bool
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


def read_workbook(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_unpacked_bytes: int | None = None,
    max_cells: int | None = None,
    progress: SheetProgress | None = None,
) -> list[Grid]:
    """Every sheet of the workbook, hidden ones flagged; raises :class:`ReadError`.

    ``max_unpacked_bytes`` and ``max_cells`` default to :data:`DEFAULT_MAX_UNPACKED_BYTES`
    and :data:`DEFAULT_MAX_CELLS` as they are when called.
    """
    limits = _Limits(
        DEFAULT_MAX_UNPACKED_BYTES if max_unpacked_bytes is None else max_unpacked_bytes,
        DEFAULT_MAX_CELLS if max_cells is None else max_cells,
    )
    report = progress or (lambda _sheet, _index, _count: None)
    _check_file(path, max_bytes)
    if path.suffix.lower() in TEXT_SUFFIXES:
        grids = [_read_text(path, limits, report)]
    else:
        grids = _read_spreadsheet(path, limits, report)
    grids = [grid for grid in grids if grid.rows]
    if not grids:
        raise ReadError("file_no_sheets")
    return grids


@dataclass(frozen=True)
class _Limits:
    unpacked_bytes: int
    cells: int


def _check_file(path: Path, max_bytes: int) -> None:
    if not path.is_file():
        raise ReadError("file_missing")
    size = path.stat().st_size
    if size == 0:
        raise ReadError("file_empty")
    if size > max_bytes:
        raise ReadError(
            "file_too_large", size_mb=round(size / 2**20, 1), limit_mb=round(max_bytes / 2**20)
        )
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise ReadError("file_wrong_type")


def _read_text(path: Path, limits: _Limits, report: SheetProgress) -> Grid:
    from etl.csv_reader import read_text_rows  # it imports ReadError from this module

    report(path.stem, 0, 1)
    rows = read_text_rows(path.read_bytes(), max_cells=limits.cells, sheet=path.stem)
    return Grid(sheet=path.stem, rows=rows, visible=True)


# --- spreadsheets (calamine) ---------------------------------------------------------------


def _read_spreadsheet(path: Path, limits: _Limits, report: SheetProgress) -> list[Grid]:
    scans = _prescan(path, limits) if _is_zip(path) else {}
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        with workbook:
            return _read_sheets(workbook, scans, limits, report)
    except ReadError:
        raise
    except calamine.PasswordError as exc:
        raise ReadError("file_password") from exc
    except Exception as exc:  # calamine raises plain errors for some damaged files
        raise _unreadable_error_cell(exc, scans) or _damaged(exc) from exc
    except BaseException as exc:  # a Rust panic in calamine surfaces as PanicException
        if type(exc).__name__ == "PanicException":
            raise _damaged(exc) from exc
        raise


# The error values calamine knows; Excel 365's others (#SPILL!, #CALC!, ...) make it fail.
_CALAMINE_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})


def _unreadable_error_cell(exc: Exception, scans: dict[str, _SheetScan]) -> ReadError | None:
    """When calamine failed on an error value it does not know, the cell that holds it."""
    if "error value" not in str(exc):
        return None
    for sheet, scan in scans.items():
        for (row, col), value in sorted(scan.errors.items()):
            if value.startswith("#") and value not in _CALAMINE_ERRORS:
                return ReadError(
                    "cell_error_unreadable", sheet=sheet, cell=_a1(row, col), value=value
                )
    return None


def _damaged(exc: BaseException) -> ReadError:
    return ReadError("file_damaged", detail=_short(exc))


def _a1(row: int, col: int) -> str:
    """A1-style name of a 0-based cell position."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _read_sheets(
    workbook: calamine.CalamineWorkbook,
    scans: dict[str, _SheetScan],
    limits: _Limits,
    report: SheetProgress,
) -> list[Grid]:
    metas = list(workbook.sheets_metadata)
    grids = []
    budget = _CellBudget(limits.cells)
    for index, meta in enumerate(metas):
        report(meta.name, index, len(metas))
        grids.append(_read_sheet(workbook, meta, scans.get(meta.name), budget))
    return grids


def _read_sheet(
    workbook: calamine.CalamineWorkbook,
    meta: calamine.SheetMetadata,
    scan: _SheetScan | None,
    budget: _CellBudget,
) -> Grid:
    if meta.typ != calamine.SheetTypeEnum.WorkSheet:
        return Grid(sheet=meta.name, rows=[], visible=False)
    sheet = workbook.get_sheet_by_name(meta.name)
    end = sheet.end
    budget.spend(meta.name, end[0] + 1 if end else 0, end[1] + 1 if end else 0)
    rows = sheet.to_python(skip_empty_area=False)
    errors = scan.errors if scan else {}
    _widen(rows, errors)
    visible = meta.visible == calamine.SheetVisibleEnum.Visible
    return Grid(sheet=meta.name, rows=rows, visible=visible, errors=errors)


class _CellBudget:
    """Cells left for the sheets still to read."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, sheet: str, rows: int, cols: int) -> None:
        self.used += rows * cols
        if self.used > self.limit:
            raise ReadError(
                "sheet_too_many_cells", sheet=sheet, rows=rows, cols=cols, limit=self.limit
            )


def _widen(rows: list[list[Any]], errors: dict[tuple[int, int], str]) -> None:
    """Make every error cell a position of ``rows`` (calamine drops a formula never run)."""
    if not errors:
        return
    height = max(len(rows), max(r for r, _ in errors) + 1)
    width = max(len(rows[0]) if rows else 0, max(c for _, c in errors) + 1)
    for row in rows:
        row.extend([""] * (width - len(row)))
    rows.extend([""] * width for _ in range(height - len(rows)))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


# --- zip checks ---------------------------------------------------------------------------

_CHUNK = 1 << 20
_LOCAL_HEADER = b"PK\x03\x04"
_END_OF_DIRECTORY = b"PK\x05\x06"
_EOCD_SEARCH = 22 + 65535  # the record and the longest comment


def _is_zip(path: Path) -> bool:
    """A zip, even with bytes before it: calamine opens those too."""
    with path.open("rb") as handle:
        return handle.read(4) == _LOCAL_HEADER or zipfile.is_zipfile(handle)


def _check_single_directory(path: Path) -> None:
    """Refuse a zip with two end-of-directory records that both fit the file's end: one
    reader may take one and another the other (Python's zipfile and calamine's differ)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - _EOCD_SEARCH))
        tail = handle.read()
    base = size - len(tail)
    fitting = 0
    at = tail.find(_END_OF_DIRECTORY)
    while at >= 0:
        if at + 22 <= len(tail):
            comment = struct.unpack_from("<H", tail, at + 20)[0]
            fitting += base + at + 22 + comment == size
        at = tail.find(_END_OF_DIRECTORY, at + 1)
    if fitting > 1:
        raise ReadError("file_zip_inconsistent")


def _prescan(path: Path, limits: _Limits) -> dict[str, _SheetScan]:
    """Check the zip, measure its sheets against the cell limit; sheet name → scan."""
    members = _zip_members(path, limits.unpacked_bytes)
    with path.open("rb") as handle:
        try:
            scans, scanned = _scan_members(handle, members)
            for name, info in members.items():  # calamine may read any part: check them all
                if name not in scanned:
                    _drain(_inflate(handle, info))
        except (ET.ParseError, ValueError) as exc:
            raise ReadError("file_damaged", detail=_short(exc)) from exc
    budget = _CellBudget(limits.cells)
    for name, scan in scans:
        budget.spend(name, scan.rows, scan.cols)
    return dict(reversed(scans))  # a name twice: the first sheet's errors


def _zip_members(path: Path, max_unpacked: int) -> dict[str, zipfile.ZipInfo]:
    """The zip's directory, refused when it declares too much or declares it oddly."""
    _check_single_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise ReadError("file_damaged", detail=_short(exc)) from exc
    members = {info.filename: info for info in infos}
    if len(members) != len(infos):  # two parts of one name: which one would calamine read?
        raise ReadError("file_zip_inconsistent")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise ReadError(
            "file_unpacked_too_large",
            size_mb=round(unpacked / 2**20),
            limit_mb=round(max_unpacked / 2**20),
        )
    packed = max(path.stat().st_size, 1)
    if unpacked > RATIO_FLOOR_BYTES and unpacked > MAX_COMPRESSION_RATIO * packed:
        raise ReadError(
            "file_compression_suspicious",
            ratio=round(unpacked / packed),
            limit=MAX_COMPRESSION_RATIO,
        )
    return members


def _inflate(handle: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in chunks; raises unless they end exactly as its directory says."""
    if info.flag_bits & 0x1:
        raise ReadError("file_damaged", detail=f"encrypted zip member {info.filename}")
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != _LOCAL_HEADER:
        raise ReadError("file_zip_inconsistent")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = _stored_chunks(handle, info)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _deflated_chunks(handle, info)
    else:
        raise ReadError("file_damaged", detail=f"compression method {info.compress_type}")
    produced = 0
    crc = 0
    for chunk in chunks:
        produced += len(chunk)
        if produced > info.file_size:
            raise ReadError("file_zip_inconsistent")
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != info.file_size or crc != info.CRC:
        raise ReadError("file_zip_inconsistent")


def _stored_chunks(handle: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    left = info.compress_size
    while left > 0:
        data = handle.read(min(_CHUNK, left))
        if not data:
            raise ReadError("file_zip_inconsistent")
        left -= len(data)
        yield data


def _deflated_chunks(handle: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left = info.compress_size
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                data = inflater.unconsumed_tail
            elif left > 0:
                data = handle.read(min(_CHUNK, left))
                left -= len(data)
                if not data:
                    raise ReadError("file_zip_inconsistent")
            else:
                data = b""
            out = inflater.decompress(data, _CHUNK)
            if not out and not data and not inflater.eof:  # the stream stops short
                raise ReadError("file_zip_inconsistent")
            if out:
                yield out
    except zlib.error as exc:
        raise ReadError("file_damaged", detail=_short(exc)) from exc


def _drain(chunks: Iterator[bytes]) -> None:
    for _ in chunks:
        pass


def _read_small(handle: IO[bytes], info: zipfile.ZipInfo) -> ET.Element:
    if info.file_size > _MAX_PART_BYTES:
        raise ReadError("file_damaged", detail=f"{info.filename} is {info.file_size} bytes")
    return ET.fromstring(b"".join(_inflate(handle, info)))


_MAX_PART_BYTES = 64 * 1024 * 1024


# --- what the sheets hold, before calamine reads them ------------------------------------


@dataclass
class _SheetScan:
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


def _scan_members(
    handle: IO[bytes], members: dict[str, zipfile.ZipInfo]
) -> tuple[list[tuple[str, _SheetScan]], set[str]]:
    """(sheet name, scan) of an .ods's tables and an .xlsx's worksheets (calamine picks the
    format by the file's suffix, so a zip holding both has both scanned); the parts read."""
    scans: list[tuple[str, _SheetScan]] = []
    scanned = set()
    if "content.xml" in members:
        scans += _scan_ods(_inflate(handle, members["content.xml"]))
        scanned.add("content.xml")
    names = _xlsx_sheet_names(handle, members)
    parts = [part for part in names if part in members]
    parts += sorted(name for name in members if _is_worksheet_part(name) and name not in names)
    for part in parts:
        scan = _scan_xlsx_sheet(partial(_inflate, handle, members[part]))
        scans.append((names.get(part, part), scan))
    return scans, scanned | set(parts)


def _is_worksheet_part(name: str) -> bool:
    """Where calamine takes worksheets from (it types a sheet by this folder)."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and "_rels" not in name


def _xlsx_sheet_names(handle: IO[bytes], members: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet part → sheet name, in workbook order, resolved as calamine resolves them."""
    book, rels = members.get("xl/workbook.xml"), members.get("xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in _read_small(handle, rels).iter()
        if _local(rel.tag) == "Relationship"
    }
    names: dict[str, str] = {}
    for sheet in _read_small(handle, book).iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next(
            (v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"), None
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


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _column_number(letters: bytes | str) -> int:
    """1 for A, 27 for AA."""
    number = 0
    for letter in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + ord(letter) - 64
    return number


def _position(ref: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 reference."""
    match = re.fullmatch(r"([A-Z]{1,3})([0-9]{1,7})", ref)
    if match is None:
        raise ValueError(f"cell reference {ref!r}")
    return int(match.group(2)) - 1, _column_number(match.group(1)) - 1


def _unescape(raw: bytes | None) -> str:
    return html.unescape(raw.decode("utf-8", "replace")) if raw else ""


def _scan_xlsx_sheet(open_part: Callable[[], Iterator[bytes]]) -> _SheetScan:
    """Extent and errors of one worksheet part; ``open_part()`` streams it (again)."""
    fast = _FastXlsxScan()
    for chunk in open_part():
        fast.feed(chunk)
        if not fast.ok:
            break
    fast.close()
    return fast.result() if fast.ok else _scan_xlsx_sheet_slowly(open_part())


@dataclass(frozen=True)
class _Patterns:
    """Byte patterns of a worksheet whose main namespace has ``prefix`` (usually none)."""

    sheet_data: bytes
    sheet_data_end: bytes
    cell_r: bytes
    cell_end: bytes
    row_start: bytes
    irregular: re.Pattern[bytes]
    valued_col: re.Pattern[bytes]
    valued_row: re.Pattern[bytes]
    error_hit: re.Pattern[bytes]
    formula_hit: re.Pattern[bytes]
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
        # a cell whose first attribute is not a plain r="A1": the regexes below would miss it
        irregular=re.compile(b"<" + p + rb'c(?=[\s>/])(?! r="[A-Z]{1,3}[1-9][0-9]{0,6}")'),
        valued_col=re.compile(b"<" + p + rb'c r="([A-Z]{1,3})[0-9]{1,7}"[^>]*(?<!/)>'),
        valued_row=re.compile(b"<" + p + rb'c r="[A-Z]{1,3}([0-9]{1,7})"[^>]*(?<!/)>'),
        error_hit=re.compile(rb't="e"'),  # a plain literal: searched fast (the head is checked)
        formula_hit=re.compile(b"<" + p + rb"f[\s>/]"),
        formula=re.compile(b"<" + p + rb"f(?:\s[^>]*)?(?:/>|>(.*?)</" + p + b"f>)", re.S),
        value=re.compile(b"<" + p + rb"v(?:\s[^>]*)?(?:/>|>(.*?)</" + p + b"v>)", re.S),
        inline=re.compile(b"<" + p + rb"is[\s>/]"),
    )


_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_CELL_HEAD = re.compile(rb'<(?:[\w.-]+:)?c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>')
_TYPE = re.compile(rb'\st="([^"]*)"')


class _FastXlsxScan:
    """Regex scan of a worksheet's XML stream, for the usual layout where every cell
    starts ``<c r="A1"`` (Excel, LibreOffice, openpyxl). ``ok`` turns False on anything
    else, and :func:`_scan_xlsx_sheet_slowly` then parses the part as XML.

    The extent is measured from every cell's reference, not taken from the declared
    ``<dimension>``, which openpyxl's write-only mode leaves out and other writers get
    wrong; checking a declared one costs as much as measuring (~0.3 µs a cell).
    """

    def __init__(self) -> None:
        self.ok = True
        self._scan = _SheetScan()
        self._patterns: _Patterns | None = None
        self._state = "before"  # sheetData: before, inside, after
        self._tail = b""
        self._columns: set[bytes] = set()
        self._last_row = 0

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        self._tail = b""
        if self._patterns is None:
            root = _ROOT.search(data)
            if root is None:
                self._tail = data
                self.ok = len(data) < _CHUNK  # no root element early on: let XML decide
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

    def result(self) -> _SheetScan:
        if self._columns:
            self._scan.cols = max(map(_column_number, self._columns))
        self._scan.rows = self._last_row
        return self._scan

    def _read(self, part: bytes) -> None:
        """Complete cells and rows: the extent of the cells with content, then errors."""
        p = self._patterns
        assert p is not None
        if p.irregular.search(part):
            self.ok = False
            return
        self._columns.update(p.valued_col.findall(part))
        rows = set(p.valued_row.findall(part))  # each row once: fewer numbers to convert
        if rows:
            self._last_row = max(self._last_row, max(map(int, rows)))
        hits = [m.start() for m in p.error_hit.finditer(part)]
        hits += [m.start() for m in p.formula_hit.finditer(part)]
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
        row, col = int(head.group(2)) - 1, _column_number(head.group(1)) - 1
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


def _xml_events(chunks: Iterator[bytes]) -> Iterator[tuple[str, ET.Element]]:
    """(event, element) pairs, "start" and "end", of an XML stream."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    for chunk in chunks:
        parser.feed(chunk)
        for item in parser.read_events():
            yield cast(tuple[str, ET.Element], item)
    parser.close()


def _scan_xlsx_sheet_slowly(chunks: Iterator[bytes]) -> _SheetScan:
    """The same scan by an XML parser, positioning cells without ``r`` as calamine does."""
    scan = _SheetScan()
    sheet_data: ET.Element | None = None
    row = col = 0
    position = (0, 0)
    for event, element in _xml_events(chunks):
        tag = _local(element.tag)
        if tag == "sheetData":
            sheet_data = element if event == "start" else None
        elif sheet_data is None:
            continue
        elif event == "start" and tag == "row" and element.get("r"):
            row = int(element.get("r", "")) - 1
        elif event == "start" and tag == "c":
            ref = element.get("r")
            position = _position(ref) if ref else (row, col)
            col = position[1]
        elif event == "end" and tag == "c":
            _judge_element(scan, position, element)
            col += 1
        elif event == "end" and tag == "row":
            row, col = row + 1, 0
            sheet_data.clear()
    return scan


def _judge_element(scan: _SheetScan, position: tuple[int, int], cell: ET.Element) -> None:
    children = {_local(child.tag): child for child in cell}
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


def _scan_ods(chunks: Iterator[bytes]) -> list[tuple[str, _SheetScan]]:
    """(table name, scan) of every table of an .ods's content.xml, counting repeats."""
    scans: list[tuple[str, _SheetScan]] = []
    table: ET.Element | None = None
    scan = _SheetScan()
    row = col = 0
    row_repeat = 1
    for event, element in _xml_events(chunks):
        tag = element.tag
        if tag == _TABLE + "table":
            table = element if event == "start" else None
            if table is not None:
                scan, row = _SheetScan(), 0
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
    scan: _SheetScan, at: tuple[int, int], repeat: tuple[int, int], cell: ET.Element
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
