"""A small warehouse across the 1 July 2025 reorganisation, loaded by the real ``etl``.

The sample reports hold no unit with yearly figures on both sides of a merger (the
ministry's merged party organisations report 2025 by half-year only), so tests of the
break build this one: Thành phố Cần Thơ (92), Tỉnh Hậu Giang (93) and Tỉnh Sóc Trăng (94)
report 2020–2024; the new Thành phố Cần Thơ (92-2025), which all three became, reports
2025 with targets. Sóc Trăng reports party admissions but no households.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from etl.cli import main as etl_main

OLD, HAU_GIANG, SOC_TRANG, NEW = "92", "93", "94", "92-2025"
YEARS = range(2020, 2025)
ADMITTED_2025, ADMITTED_TARGET = 300, 350
POVERTY_2025, POVERTY_TARGET = 4.5, 5


def admitted(unit: str, year: int) -> int:
    """New party members admitted, as reported."""
    return {OLD: 100 + year - 2020, HAU_GIANG: 50, SOC_TRANG: 70}[unit]


def poor(unit: str, year: int) -> int:
    return {OLD: 1000 - 10 * (year - 2020), HAU_GIANG: 500}[unit]


HOUSEHOLDS = {OLD: 10_000, HAU_GIANG: 5_000}
NAMES = {OLD: "Thành phố Cần Thơ", HAU_GIANG: "Tỉnh Hậu Giang", SOC_TRANG: "Tỉnh Sóc Trăng"}


def rows() -> list[list[Any]]:
    table: list[list[Any]] = [["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Kế hoạch"]]
    for year in YEARS:
        for unit in (OLD, HAU_GIANG, SOC_TRANG):
            table.append([NAMES[unit], "Số đảng viên kết nạp mới", year, admitted(unit, year)])
        for unit in (OLD, HAU_GIANG):
            table.append([NAMES[unit], "Số hộ nghèo", year, poor(unit, year)])
            table.append([NAMES[unit], "Tổng số hộ", year, HOUSEHOLDS[unit]])
    # The new city: its code, as its name is shared with the old one during 2025.
    table += [
        [NEW, "Số đảng viên kết nạp mới", 2025, ADMITTED_2025, ADMITTED_TARGET],
        [NEW, "Số hộ nghèo", 2025, 900],
        [NEW, "Tổng số hộ", 2025, 20_000],
        [NEW, "Tỷ lệ hộ nghèo", 2025, "4,5", POVERTY_TARGET],
    ]
    return table


def build(folder: Path) -> Path:
    """The warehouse, in ``folder``: the catalogue and this one report."""
    db = folder / "reorganised.duckdb"
    assert etl_main(["init", "--db", str(db), "--no-sample"]) == 0
    book = Workbook()
    sheet = book.active
    for row in rows():
        sheet.append(row)
    report = folder / "sap_xep_2025.xlsx"
    book.save(report)
    assert etl_main(["load", str(report), "--db", str(db)]) == 0
    return db
