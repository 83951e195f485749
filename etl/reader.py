"""Read a spreadsheet file into plain grids of cell values.

python-calamine reads .xlsx, .xlsm, .xls and .ods without running macros and is
several times faster than openpyxl (see DESIGN.md's measurements). Grids keep
absolute coordinates (row 0 is the sheet's row 1), so a cell can be named.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from etl.errors import EtlError
from etl.messages import register

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024

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
            "Không phải tệp bảng tính (chỉ nhận .xlsx, .xlsm, .xls, .ods). Mở tệp bằng Excel "
            "và lưu dưới dạng .xlsx.",
            "Not a spreadsheet file (only .xlsx, .xlsm, .xls, .ods are accepted). Open it in "
            "Excel and save it as .xlsx.",
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
    }
)


class ReadError(EtlError):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class Grid:
    """One sheet's cells: ``rows[r][c]`` is the value of the cell at row r+1, column c+1."""

    sheet: str
    rows: list[list[Any]]
    visible: bool


def read_workbook(path: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> list[Grid]:
    """Every sheet of the workbook, hidden ones flagged; raises :class:`ReadError`."""
    _check_file(path, max_bytes)
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        grids = [_read_sheet(workbook, meta) for meta in workbook.sheets_metadata]
    except calamine.PasswordError as exc:
        raise ReadError("file_password") from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, OSError) as exc:
        raise ReadError("file_damaged", detail=_short(exc)) from exc
    except Exception as exc:  # calamine raises plain errors for some damaged files
        raise ReadError("file_damaged", detail=_short(exc)) from exc
    grids = [grid for grid in grids if grid.rows]
    if not grids:
        raise ReadError("file_no_sheets")
    return grids


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


def _read_sheet(workbook: calamine.CalamineWorkbook, meta: calamine.SheetMetadata) -> Grid:
    if meta.typ != calamine.SheetTypeEnum.WorkSheet:
        return Grid(sheet=meta.name, rows=[], visible=False)
    sheet = workbook.get_sheet_by_name(meta.name)
    rows = sheet.to_python(skip_empty_area=False)
    visible = meta.visible == calamine.SheetVisibleEnum.Visible
    return Grid(sheet=meta.name, rows=rows, visible=visible)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__
