"""Report layouts beyond the plain long and wide tables, loaded through the real CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from etl.cli import main
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
        f"{path}:Báo cáo!D5: Dòng tổng ghi 2300 nhưng các đơn vị trong bảng cộng lại được 2240. "
        "Kiểm tra xem có thiếu đơn vị hoặc sai số liệu không."
    ]
    assert len(query(empty_db, STORED)) == 6


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
