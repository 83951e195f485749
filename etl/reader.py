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
  never reads more than was declared (:mod:`etl.zip_guard`);
- the cells: while the sheets stream past, the true extent of each sheet (its last row and
  column holding something, not the ``<dimension>`` it declares, which may be missing or
  wrong) is measured, and the workbook is refused when the sheets together need more than
  ``max_cells`` cells (:mod:`etl.sheet_scan`). With inflating (in a thread alongside),
  this costs about 0.2 µs a cell, a quarter of calamine's own time.
  For .xls the extent is measured by xlrd, which reads the file first (see below).

What only the cells' formats say (:mod:`etl.cell_formats`, .xlsx/.xlsm/.xls) is applied to
the values: a number shown as a percent (0.125 as 12.5 %) is read as that percent, 12.5;
text in a TCVN3 or VNI font (.VnTime, VNI-Times) is converted to Unicode.

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
- .xls: :mod:`etl.cell_formats` reads the file with xlrd first (which also refuses a
  damaged .xls on which calamine would allocate without bound) and gives its error cells;
- .csv/.txt hold no formulas; a cell that reads "#DIV/0!" stays that text.

At most ``MAX_ERRORS_PER_SHEET`` error cells are recorded per sheet. Grids are widened so
that every recorded error lies inside ``rows`` (as an empty string).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as calamine

from etl.cell_formats import SheetFormats, read_cell_formats
from etl.csv_reader import read_text_rows
from etl.errors import ReadError, short_reason
from etl.legacy_text import to_unicode_as
from etl.messages import register
from etl.sheet_scan import MAX_ERRORS_PER_SHEET, SheetScan, scan_members
from etl.zip_guard import MAX_COMPRESSION_RATIO, drain, inflate, is_zip, zip_members

__all__ = [
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_ERRORS_PER_SHEET",
    "SPREADSHEET_SUFFIXES",
    "Grid",
    "ReadError",
    "SheetProgress",
    "read_workbook",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
SPREADSHEET_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_UNPACKED_BYTES = 500 * 1024 * 1024
DEFAULT_MAX_CELLS = 5_000_000

MergedRange = tuple[tuple[int, int], tuple[int, int]]
"""A merged range as python-calamine gives it: (first row, first col), (last row, last col),
0-based, both ends included."""

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


@dataclass(frozen=True)
class Grid:
    """One sheet's cells: ``rows[r][c]`` is the value of the cell at row r+1, column c+1.

    ``merged`` are the sheet's merged ranges (.xlsx and .xls; none for .ods and text).

    ``errors[(r, c)]`` is what stands in a cell that reads as empty in ``rows``: an error
    value such as ``"#DIV/0!"``, or ``"=" + formula`` for a formula never calculated.
    """

    sheet: str
    rows: list[list[Any]]
    visible: bool
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: tuple[MergedRange, ...] = ()


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
    report(path.stem, 0, 1)
    rows = read_text_rows(path.read_bytes(), max_cells=limits.cells, sheet=path.stem)
    return Grid(sheet=path.stem, rows=rows, visible=True)


# --- spreadsheets (calamine) ---------------------------------------------------------------


def _read_spreadsheet(path: Path, limits: _Limits, report: SheetProgress) -> list[Grid]:
    zipped = is_zip(path)
    scans = _prescan(path, limits) if zipped else {}
    # Before calamine: for an .xls, xlrd reads the file first and refuses a damaged one
    # on which calamine would allocate without bound and abort the process. (An .xlsx
    # that is no zip is most often password-protected: calamine says so.)
    xls = path.suffix.lower() == ".xls"
    formats = read_cell_formats(path) if zipped or xls else {}
    budget = _CellBudget(limits.cells)  # for an .xls, xlrd's extents: before calamine's grid
    for name, sheet_formats in formats.items():
        if sheet_formats.extent is not None:
            budget.spend(name, *sheet_formats.extent)
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        with workbook:
            return _read_sheets(workbook, scans, formats, limits, report)
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


def _unreadable_error_cell(exc: Exception, scans: dict[str, SheetScan]) -> ReadError | None:
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
    return ReadError("file_damaged", detail=short_reason(exc))


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
    scans: dict[str, SheetScan],
    formats: dict[str, SheetFormats],
    limits: _Limits,
    report: SheetProgress,
) -> list[Grid]:
    metas = list(workbook.sheets_metadata)
    grids = []
    budget = _CellBudget(limits.cells)
    for index, meta in enumerate(metas):
        report(meta.name, index, len(metas))
        scan, cell_formats = scans.get(meta.name), formats.get(meta.name)
        grids.append(_read_sheet(workbook, meta, scan, cell_formats, budget))
    return grids


def _read_sheet(
    workbook: calamine.CalamineWorkbook,
    meta: calamine.SheetMetadata,
    scan: SheetScan | None,
    cell_formats: SheetFormats | None,
    budget: _CellBudget,
) -> Grid:
    if meta.typ != calamine.SheetTypeEnum.WorkSheet:
        return Grid(sheet=meta.name, rows=[], visible=False)
    sheet = workbook.get_sheet_by_name(meta.name)
    end = sheet.end
    budget.spend(meta.name, end[0] + 1 if end else 0, end[1] + 1 if end else 0)
    rows = sheet.to_python(skip_empty_area=False)
    errors = scan.errors if scan else {}
    if cell_formats:
        _apply_formats(rows, cell_formats)
        errors = {**cell_formats.errors, **errors}
    _widen(rows, errors)
    visible = meta.visible == calamine.SheetVisibleEnum.Visible
    merged = tuple(sheet.merged_cell_ranges or ())
    return Grid(sheet=meta.name, rows=rows, visible=visible, errors=errors, merged=merged)


def _apply_formats(rows: list[list[Any]], formats: SheetFormats) -> None:
    """What the cells' formats say, applied to their values: a number shown as a percent
    (0.125 as 12.5 %) becomes that percent (12.5); text in a legacy font becomes Unicode."""
    for row, col in formats.percent:
        if row < len(rows) and col < len(rows[row]):
            value = rows[row][col]
            if type(value) in (float, int):
                rows[row][col] = round(value * 100, 10)  # 0.0468 * 100 is 4.680000000000001
    for (row, col), encoding in formats.legacy.items():
        if row < len(rows) and col < len(rows[row]):
            value = rows[row][col]
            if type(value) is str:
                rows[row][col] = to_unicode_as(value, encoding)


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


def _prescan(path: Path, limits: _Limits) -> dict[str, SheetScan]:
    """Check the zip, measure its sheets against the cell limit; sheet name → scan."""
    members = zip_members(path, limits.unpacked_bytes)
    with path.open("rb") as handle:
        try:
            scans, scanned = scan_members(handle, members)
            for name, info in members.items():  # calamine may read any part: check them all
                if name not in scanned:
                    drain(inflate(handle, info))
        except (ET.ParseError, ValueError) as exc:
            raise ReadError("file_damaged", detail=short_reason(exc)) from exc
    budget = _CellBudget(limits.cells)
    for name, scan in scans:
        budget.spend(name, scan.rows, scan.cols)
    return dict(reversed(scans))  # a name twice: the first sheet's errors
