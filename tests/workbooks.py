"""Write small real workbooks at test time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

Rows = Sequence[Sequence[Any]]


def write_xlsx(path: Path, sheets: dict[str, Rows] | Rows, *, hidden: Sequence[str] = ()) -> Path:
    """A workbook with one sheet per entry (or one sheet "Báo cáo" for a list of rows)."""
    if not isinstance(sheets, dict):
        sheets = {"Báo cáo": sheets}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if name in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


WIDE_POVERTY: list[list[Any]] = [
    ["BÁO CÁO TỶ LỆ HỘ NGHÈO"],
    ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
    ["Đơn vị tính: %"],
    [],
    ["STT", "Đơn vị", 2017, "2018", "Năm 2019"],
    [1, "Quận Ô Môn", 4.1, "3,52", ".."],
    [2, "Q. Bình Thủy", 2, "1,8", "hơn 1,5"],
    ["", "Tổng cộng", 3, 2.6, 2],
    [],
    ["Ghi chú: số liệu kiểm thử"],
]

LONG_ADMISSIONS: list[list[Any]] = [
    ["TỔNG HỢP KẾT NẠP ĐẢNG VIÊN"],
    [],
    ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Kế hoạch", "Ghi chú", "Loại số liệu"],
    [1, "Đảng bộ Văn phòng Bộ Công Thương", "members_admitted", 2026, 12, 10, "", "Sơ bộ"],
    [2, "Đảng bộ Cục Xuất nhập khẩu", "members_admitted", "2026", "gần 9", "", "ước", "Báo cáo"],
]
