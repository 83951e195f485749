"""Report layouts beyond the plain long and wide tables, loaded through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine

from etl.cli import main
from etl.layout import find_table
from etl.reader import Grid
from tests.test_etl_load import query
from tests.workbooks import write_xlsx

STORED = (
    "SELECT unit_code, indicator_code, year(period_start), value FROM v_observation "
    "ORDER BY 1, 2, 3"
)


def load(db: Path, path: Path, *options: str) -> int:
    return main(["load", str(path), "--db", str(db), *options])


def test_numbering_row_under_the_header_is_skipped(empty_db: Path, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Chỉ tiêu: Số hộ nghèo"],
        ["STT", "Đơn vị", "2013", "2014"],
        ["A", "B", 1, 2],
        [1, "Quận Ô Môn", 2071, 1540],
    ]
    assert load(empty_db, write_xlsx(tmp_path / "a.xlsx", rows)) == 0
    assert query(empty_db, STORED) == [
        ("917", "poor_households", 2013, 2071.0),
        ("917", "poor_households", 2014, 1540.0),
    ]


def test_formula_numbering_row_is_skipped(empty_db: Path, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
        ["(1)", "(2)", "(3)", "(4)", "(5)=(3)/(4)"],
        [1, "Quận Ô Môn", "Số hộ nghèo", 2013, 2071],
    ]
    assert load(empty_db, write_xlsx(tmp_path / "b.xlsx", rows)) == 0
    assert query(empty_db, STORED) == [("917", "poor_households", 2013, 2071.0)]


def test_group_rows_numbered_in_roman_are_not_units(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[list[Any]] = [
        ["Chỉ tiêu: Số hộ nghèo"],
        ["STT", "Đơn vị", "2013"],
        ["I", "Khu vực nội thành", 900],
        [1, "Quận Bình Thủy", 900],
        ["II", "Khu vực ngoại thành", 2071],
        [2, "Quận Ô Môn", 2071],
    ]
    path = write_xlsx(tmp_path / "c.xlsx", rows)
    assert load(empty_db, path) == 0
    assert query(empty_db, STORED) == [
        ("917", "poor_households", 2013, 2071.0),
        ("918", "poor_households", 2013, 900.0),
    ]
    err = capsys.readouterr().err
    assert f"{path}:Báo cáo!B3: " in err and "Khu vực nội thành" in err
    assert f"{path}:Báo cáo!B5: " in err


def test_indicators_as_columns_with_a_year_column(empty_db: Path, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["SỐ LIỆU HỘ NGHÈO"],
        ["STT", "Đơn vị", "Năm", "Tổng số hộ", "Số hộ nghèo", "Tỷ lệ hộ nghèo (%)"],
        [1, "Quận Ô Môn", 2014, 32900, 1540, "4,68"],
        [2, "Huyện Thới Lai", 2014, 28000, 1448, "5,17"],
    ]
    assert load(empty_db, write_xlsx(tmp_path / "d.xlsx", rows)) == 0
    stored = query(empty_db, STORED)
    assert ("917", "poverty_rate", 2014, 4.68) in stored
    assert ("927", "households", 2014, 28000.0) in stored
    assert len(stored) == 6


def test_units_as_columns_with_the_period_in_the_title(empty_db: Path, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["SO SÁNH CÁC QUẬN"],
        ["Năm: 2014"],
        ["STT", "Chỉ tiêu", "Quận Ô Môn", "Q. Bình Thủy", "Toàn thành phố"],
        [1, "Tỷ lệ hộ nghèo", "4,68", "2,1", "3,5"],
        [2, "Số hộ nghèo", 1540, 700, 9000],
    ]
    assert load(empty_db, write_xlsx(tmp_path / "e.xlsx", rows)) == 0
    assert query(empty_db, STORED) == [
        ("917", "poor_households", 2014, 1540.0),
        ("917", "poverty_rate", 2014, 4.68),
        ("918", "poor_households", 2014, 700.0),
        ("918", "poverty_rate", 2014, 2.1),
    ]


@pytest.mark.parametrize(
    ("title", "stored_unit"),
    [("Đơn vị: Quận Ô Môn", "917"), ("Đơn vị tính: hộ", None)],
)
def test_unit_line_in_the_title_names_the_unit_or_the_measure(
    empty_db: Path, tmp_path: Path, title: str, stored_unit: str | None
) -> None:
    rows: list[list[Any]] = [
        [title],
        ["Đơn vị: Triệu đồng"] if stored_unit is None else [],
        ["STT", "Chỉ tiêu", "2013"],
        [1, "Số hộ nghèo", 2071],
    ]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    expected_exit = 0 if stored_unit else 1
    assert load(empty_db, path) == expected_exit
    stored = query(empty_db, STORED)
    assert stored == ([(stored_unit, "poor_households", 2013, 2071.0)] if stored_unit else [])


def test_total_row_that_does_not_add_up_is_a_warning(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[list[Any]] = [
        ["Chỉ tiêu: Số hộ nghèo"],
        ["STT", "Đơn vị", "2013", "2014", "Năm 2015"],
        [1, "Quận Ô Môn", 2071, 1540, 1200],
        [2, "Quận Bình Thủy", 900, 700, 650],
        ["", "Tổng cộng", 2971, 2300, "1.850"],
    ]
    path = write_xlsx(tmp_path / "g.xlsx", rows)
    assert load(empty_db, path) == 0
    err = capsys.readouterr().err
    mismatches = [line for line in err.splitlines() if "cộng lại được" in line]
    assert mismatches == [
        f"{path}:Báo cáo!D5: Dòng tổng ghi 2.300 nhưng các đơn vị trong bảng cộng lại được 2.240. "
        "Kiểm tra xem có thiếu đơn vị hoặc sai số liệu không."
    ]
    assert len(query(empty_db, STORED)) == 6


def test_a_column_not_understood_is_a_warning_naming_it(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value column whose heading is no period: its figures are not stored, and said so."""
    rows: list[list[Any]] = [
        ["Chỉ tiêu: Số hộ nghèo"],
        ["STT", "Đơn vị", "2013", "Kỳ lạ 2014", "Ghi chú thêm"],
        [1, "Quận Ô Môn", 2071, 1540, ""],
        [2, "Quận Bình Thủy", 900, 700, ""],
    ]
    path = write_xlsx(tmp_path / "odd.xlsx", rows)
    assert load(empty_db, path) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "Không hiểu cột" in line]
    assert warnings == [
        f"{path}:Báo cáo!D2: Không hiểu cột “Kỳ lạ 2014” (không phải kỳ, chỉ tiêu hay đơn vị "
        "nào đã biết) nên 2 ô dưới tiêu đề này không được lưu. Nếu đó là số liệu, sửa tiêu đề "
        "cột (ví dụ “Năm 2025”, “Tháng 5/2025”, tên chỉ tiêu) rồi tải lên lại."
    ]  # the empty "Ghi chú thêm" column is not worth a word
    assert query(empty_db, STORED) == [
        ("917", "poor_households", 2013, 2071.0),
        ("918", "poor_households", 2013, 900.0),
    ]


def test_legacy_tcvn3_text_is_read_as_unicode(empty_db: Path, tmp_path: Path) -> None:
    """An old report typed with .VnTime fonts: headers, names and title in TCVN3."""
    rows: list[list[Any]] = [
        ["ChØ tiªu: Tû lÖ hé nghÌo"],
        ["STT", "§¬n vÞ", "2013"],
        [1, "QuËn ¤ M«n", "6,3"],
        [2, "HuyÖn Thíi Lai", "7,1"],
    ]
    assert load(empty_db, write_xlsx(tmp_path / "tcvn3.xlsx", rows)) == 0
    assert query(empty_db, STORED) == [
        ("917", "poverty_rate", 2013, 6.3),
        ("927", "poverty_rate", 2013, 7.1),
    ]


def test_years_under_a_merged_year_header(empty_db: Path, tmp_path: Path) -> None:
    """Two header rows: "Năm" merged over the year columns, STT and Đơn vị merged down."""
    path = tmp_path / "hai_dong_tieu_de.xlsx"
    write_xlsx(
        path,
        [
            ["Chỉ tiêu: Số hộ nghèo"],
            ["STT", "Đơn vị", "Năm", None, "Ghi chú"],
            [None, None, 2013, "2014", None],
            ["A", "B", 1, 2, 3],
            [1, "Quận Ô Môn", 2071, 1540, ""],
        ],
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    for cells in ("A2:A3", "B2:B3", "C2:D2", "E2:E3"):
        sheet.merge_cells(cells)
    workbook.save(path)
    assert load(empty_db, path) == 0
    assert query(empty_db, STORED) == [
        ("917", "poor_households", 2013, 2071.0),
        ("917", "poor_households", 2014, 1540.0),
    ]


# -- a period over Dự toán / Thực hiện / So sánh (%) ------------------------------------

BY_ROLE = (
    "SELECT unit_code, indicator_code, year(period_start), value, source_cell FROM v_observation "
    "ORDER BY 1, 3, 2"
)


def merge(path: Path, *ranges: str) -> Path:
    """Merge cells of the workbook's first sheet, as office reports do in their headers."""
    workbook = openpyxl.load_workbook(path)
    for cells in ranges:
        workbook.active.merge_cells(cells)
    workbook.save(path)
    return path


ROLES = ["Dự toán", "Thực hiện", "So sánh (%)"]


def revenue_by_year(title: list[Any]) -> list[list[Any]]:
    """Two years, each merged over Dự toán / Thực hiện / So sánh (%), a numbering row, a
    total row."""
    return [
        title,
        ["Đơn vị tính: triệu đồng"],
        ["STT", "Đơn vị", "Năm 2014", None, None, "Năm 2015", None, None, "Ghi chú"],
        [None, None, *ROLES, *ROLES, None],
        ["A", "B", 1, 2, "3=2/1", 4, 5, "6=5/4", 7],
        [1, "Quận Ninh Kiều", "1.200", "1.350", "112,5", 1300, 1400, "107,7", ""],
        [2, "Q. Ô Môn", 800, 760, 95, 850, 900, "105,9", ""],
        ["", "Tổng cộng", 2000, 2110, "105,5", 2150, 2300, 107, ""],
    ]


REVENUE_MERGES = ("A3:A4", "B3:B4", "C3:E3", "F3:H3", "I3:I4")
REVENUE_STORED = [
    ("916", "budget_revenue_collected", 2014, 1350.0, "D6"),
    ("916", "budget_revenue_estimate", 2014, 1200.0, "C6"),
    ("916", "tax_collection_vs_estimate", 2014, 112.5, "E6"),
    ("916", "budget_revenue_collected", 2015, 1400.0, "G6"),
    ("916", "budget_revenue_estimate", 2015, 1300.0, "F6"),
    ("916", "tax_collection_vs_estimate", 2015, 107.7, "H6"),
    ("917", "budget_revenue_collected", 2014, 760.0, "D7"),
    ("917", "budget_revenue_estimate", 2014, 800.0, "C7"),
    ("917", "tax_collection_vs_estimate", 2014, 95.0, "E7"),
    ("917", "budget_revenue_collected", 2015, 900.0, "G7"),
    ("917", "budget_revenue_estimate", 2015, 850.0, "F7"),
    ("917", "tax_collection_vs_estimate", 2015, 105.9, "H7"),
]


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("THU NGÂN SÁCH NHÀ NƯỚC", "THU NGÂN SÁCH NHÀ NƯỚC"),
        ("Kết quả thu ngân sách so với dự toán", "Kết quả thu ngân sách so với dự toán"),
        ("Chỉ tiêu: Thu ngân sách thực hiện", "Thu ngân sách thực hiện"),
    ],
)
def test_merged_year_over_estimate_actual_and_ratio(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, said: str
) -> None:
    path = write_xlsx(tmp_path / "thu_ngan_sach.xlsx", revenue_by_year([title]))
    merge(path, *REVENUE_MERGES)
    assert load(empty_db, path, "--json") == 0
    assert query(empty_db, BY_ROLE) == REVENUE_STORED
    document = json.loads(capsys.readouterr().out)
    assert document["warnings"] == [
        {
            "file": str(path),
            "sheet": "Báo cáo",
            "cell": "B8",
            "rule": "total_row_skipped",
            "message": "Dòng tổng “Tổng cộng” không được lưu như một đơn vị.",
        }
    ]  # the total row adds up, and every ratio agrees with its parts within rounding
    assert document["tables"] == [
        {
            "sheet": "Báo cáo",
            "layout": "wide",
            "spread": "period_indicator",
            "header_cell": "A4",
            "columns": {"row_number": "A", "unit": "B", "note": "I"},
            "meta": {"indicator": said, "measure": "triệu đồng"},
            "value_cells": 12,
            "total_rows": 1,
        }
    ]


def test_ratio_that_disagrees_with_its_parts_is_a_warning(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = revenue_by_year(["THU NGÂN SÁCH NHÀ NƯỚC"])
    rows[5][7] = 110  # 1.400 / 1.300 is 107,69 %
    rows[6][4] = "95,4"  # 760 / 800 is 95 %: within rounding
    path = merge(write_xlsx(tmp_path / "lech.xlsx", rows), *REVENUE_MERGES)
    assert load(empty_db, path) == 0
    assert ("916", "tax_collection_vs_estimate", 2015, 110.0, "H6") in query(empty_db, BY_ROLE)
    mismatches = [line for line in capsys.readouterr().err.splitlines() if "Tỷ lệ ghi" in line]
    assert mismatches == [
        f"{path}:Báo cáo!H6: Tỷ lệ ghi 110, nhưng thực hiện 1.400 (ô G6) / dự toán 1.300 "
        "(ô F6) × 100 = 107,69. Kiểm tra lại ba số liệu này."
    ]


def capital_without_title() -> list[list[Any]]:
    return [
        ["STT", "Đơn vị", 2014, None, None],
        [None, None, "Kế hoạch", "Giải ngân", "Tỷ lệ (%)"],
        [1, "Quận Bình Thủy", 5000, 4600, 92],
    ]


@pytest.mark.parametrize(
    "indicator", ["capital_disbursement_rate", "capital_allocated", "capital_disbursed"]
)
def test_any_indicator_of_the_family_given_as_option_reads_the_roles(
    empty_db: Path, tmp_path: Path, indicator: str
) -> None:
    path = merge(write_xlsx(tmp_path / "von.xlsx", capital_without_title()), "C1:E1")
    assert load(empty_db, path, "--indicator", indicator) == 0
    assert query(empty_db, BY_ROLE) == [
        ("918", "capital_allocated", 2014, 5000.0, "C3"),
        ("918", "capital_disbursed", 2014, 4600.0, "D3"),
        ("918", "capital_disbursement_rate", 2014, 92.0, "E3"),
    ]


def test_roles_without_the_family_ask_for_the_indicator(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = merge(write_xlsx(tmp_path / "khong_tieu_de.xlsx", capital_without_title()), "C1:E1")
    assert load(empty_db, path) == 1
    assert query(empty_db, BY_ROLE) == []
    assert (
        f"{path}:Báo cáo!C2: Các cột Dự toán / Thực hiện / So sánh không ghi là của chỉ tiêu "
        "nào. Thêm dòng “Chỉ tiêu: <tên chỉ tiêu>” phía trên bảng, hoặc chọn chỉ tiêu khi "
        "tải lên (--indicator MÃ), một trong: capital_disbursement_rate, "
        "tax_collection_vs_estimate."
    ) in capsys.readouterr().err.splitlines()


def test_an_indicator_without_estimate_and_actual_is_refused(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[list[Any]] = [["Chỉ tiêu: Số hộ nghèo"], *capital_without_title()]
    path = merge(write_xlsx(tmp_path / "sai_chi_tieu.xlsx", rows), "C2:E2")
    assert load(empty_db, path) == 1
    err = capsys.readouterr().err
    assert f"{path}:Báo cáo!A1: Chỉ tiêu “Số hộ nghèo” không có dự toán và thực hiện" in err


def test_year_repeated_over_each_role_column(empty_db: Path, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Kết quả thu ngân sách so với dự toán"],
        ["STT", "Đơn vị", "Năm 2014", "Năm 2014", "Năm 2014", "Năm 2015", "Năm 2015"],
        ["", "", "DT", "TH", "TH/DT", "KH", "Ước TH"],
        [1, "Quận Ninh Kiều", 1200, 1350, "112,5", 1300, 1400],
    ]
    assert load(empty_db, write_xlsx(tmp_path / "lap_lai.xlsx", rows)) == 0
    assert query(empty_db, BY_ROLE) == [
        ("916", "budget_revenue_collected", 2014, 1350.0, "D4"),
        ("916", "budget_revenue_estimate", 2014, 1200.0, "C4"),
        ("916", "tax_collection_vs_estimate", 2014, 112.5, "E4"),
        ("916", "budget_revenue_collected", 2015, 1400.0, "G4"),
        ("916", "budget_revenue_estimate", 2015, 1300.0, "F4"),
    ]


def test_period_in_the_title_over_role_columns(empty_db: Path, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Cần Thơ, ngày 15 tháng 01 năm 2015"],
        ["BÁO CÁO KẾT QUẢ GIẢI NGÂN VỐN ĐẦU TƯ CÔNG NĂM 2014"],
        ["STT", "Đơn vị", "Vốn giao", "Đã giải ngân", "% KH"],
        ["A", "B", 1, 2, "3=2/1"],
        [1, "Quận Bình Thủy", "5.000", "4.600", 92],
        ["", "Toàn thành phố", "5.000", "4.600", 92],
    ]
    assert load(empty_db, write_xlsx(tmp_path / "nam_trong_tieu_de.xlsx", rows)) == 0
    assert query(empty_db, BY_ROLE) == [
        ("918", "capital_allocated", 2014, 5000.0, "C5"),
        ("918", "capital_disbursed", 2014, 4600.0, "D5"),
        ("918", "capital_disbursement_rate", 2014, 92.0, "E5"),
    ]


def test_family_and_years_in_a_three_row_header(empty_db: Path, tmp_path: Path) -> None:
    """The family merged over everything, a year merged over each group, then the roles."""
    rows: list[list[Any]] = [
        ["UBND THÀNH PHỐ CẦN THƠ"],
        ["STT", "Đơn vị", "Thu ngân sách nhà nước", None, None, None],
        [None, None, "Năm 2014", None, "Năm 2015", None],
        [None, None, "Dự toán", "Thực hiện", "Dự toán", "Thực hiện"],
        [1, "Quận Ninh Kiều", 1200, 1350, 1300, 1400],
    ]
    path = write_xlsx(tmp_path / "ba_dong.xlsx", rows)
    merge(path, "A2:A4", "B2:B4", "C2:F2", "C3:D3", "E3:F3")
    assert load(empty_db, path) == 0
    assert query(empty_db, BY_ROLE) == [
        ("916", "budget_revenue_collected", 2014, 1350.0, "D5"),
        ("916", "budget_revenue_estimate", 2014, 1200.0, "C5"),
        ("916", "budget_revenue_collected", 2015, 1400.0, "F5"),
        ("916", "budget_revenue_estimate", 2015, 1300.0, "E5"),
    ]


def test_years_in_the_row_above_the_unit_header(empty_db: Path, tmp_path: Path) -> None:
    """Not the title's year for every column: "Năm 2014" and "Năm 2015" head their groups
    from the row above "Đơn vị"."""
    rows: list[list[Any]] = [
        ["GIẢI NGÂN VỐN ĐẦU TƯ CÔNG"],
        [None, None, "Năm 2014", None, "Năm 2015", None],
        ["STT", "Đơn vị", "KH", "Giải ngân", "KH", "Giải ngân"],
        [1, "Quận Bình Thủy", 5000, 4600, 5200, 5100],
    ]
    path = merge(write_xlsx(tmp_path / "nam_o_tren.xlsx", rows), "C2:D2", "E2:F2")
    assert load(empty_db, path) == 0
    assert query(empty_db, BY_ROLE) == [
        ("918", "capital_allocated", 2014, 5000.0, "C4"),
        ("918", "capital_disbursed", 2014, 4600.0, "D4"),
        ("918", "capital_allocated", 2015, 5200.0, "E4"),
        ("918", "capital_disbursed", 2015, 5100.0, "F4"),
    ]


def test_plan_and_actual_without_periods_stay_target_and_value(
    empty_db: Path, tmp_path: Path
) -> None:
    """ "Kế hoạch | Thực hiện" under no period: a long table's target and value, as before."""
    rows: list[list[Any]] = [
        ["Chỉ tiêu: Số đảng viên kết nạp mới"],
        ["Năm: 2014"],
        ["STT", "Đơn vị", "Kế hoạch", "Thực hiện"],
        [1, "Đảng bộ Cục Xuất nhập khẩu", 10, 12],
    ]
    assert load(empty_db, write_xlsx(tmp_path / "ke_hoach.xlsx", rows)) == 0
    assert query(empty_db, "SELECT indicator_code, value, target FROM v_observation") == [
        ("members_admitted", 12.0, 10.0)
    ]


def test_merged_ranges_from_calamine_read_like_the_fill_across(tmp_path: Path) -> None:
    path = merge(
        write_xlsx(tmp_path / "gop.xlsx", revenue_by_year(["THU NGÂN SÁCH NHÀ NƯỚC"])),
        *REVENUE_MERGES,
    )
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_name("Báo cáo")
    grid = Grid("Báo cáo", sheet.to_python(skip_empty_area=False), visible=True)
    merged = sheet.merged_cell_ranges
    assert merged is not None and ((2, 2), (2, 4)) in merged
    by_ranges = find_table(grid, merged=merged)
    by_filling = find_table(grid)
    assert by_ranges is not None and by_filling is not None
    assert by_ranges.spreads == by_filling.spreads
    read = [(s.role, s.period.label_vi if s.period else None) for s in by_ranges.spreads]
    assert read == [
        (role, year) for year in ("2014", "2015") for role in ("plan", "actual", "ratio")
    ]
