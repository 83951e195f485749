"""Blank report templates: drop-down lists from the catalogue, and they load back cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.errors import EtlError
from etl.layout import TOTAL_ROW_NAMES, find_table
from etl.load import LoadOptions, load_file
from etl.lookup import Catalogue
from etl.reader import Grid, read_workbook
from etl.templates import (
    FIRST_DATA_ROW,
    HEADER,
    HEADER_ROW,
    INDICATOR_LIST_NAME,
    LAST_DATA_ROW,
    STATUS_LINE,
    UNIT_LIST_NAME,
    build_template,
    template_groups,
)
from etl.text import fold

GROUPS = ["socio_economic", "party_organisation", "inspection_discipline", "campaign_activity"]
SHEETS = {"vi": ["Báo cáo", "Hướng dẫn", "Danh mục"], "en": ["Report", "Instructions", "Lists"]}


def save_template(db: Path, folder: Path, group: str, lang: str = "vi") -> Path:
    path = folder / f"mau_{group}_{lang}.xlsx"
    path.write_bytes(build_template(db, group, lang))
    return path


def validation_for(sheet: Worksheet, ref: str) -> DataValidation:
    found = [dv for dv in sheet.data_validations.dataValidation if str(dv.sqref) == ref]
    assert len(found) == 1, [str(dv.sqref) for dv in sheet.data_validations.dataValidation]
    return found[0]


def list_values(workbook: openpyxl.Workbook, name: str) -> list[str]:
    """The cells a workbook-level name refers to, read from its (hidden) sheet."""
    sheet_name, ref = next(iter(workbook.defined_names[name].destinations))
    return [row[0].value for row in workbook[sheet_name][ref.replace("$", "")]]


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def catalogue_of(db: Path) -> Catalogue:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return Catalogue.from_db(con)
    finally:
        con.close()


def test_template_groups_are_the_catalogue_groups(empty_db: Path) -> None:
    groups = template_groups(empty_db)
    assert [code for code, _, _ in groups] == GROUPS
    assert groups[2] == (
        "inspection_discipline",
        "Kiểm tra, giám sát, kỷ luật",
        "Inspection and discipline",
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("group", GROUPS)
def test_template_layout_and_drop_down_lists(
    empty_db: Path, tmp_path: Path, group: str, lang: str
) -> None:
    workbook = openpyxl.load_workbook(save_template(empty_db, tmp_path, group, lang))
    assert workbook.sheetnames == SHEETS[lang]
    assert [s.sheet_state for s in workbook.worksheets] == ["visible", "visible", "hidden"]
    data = workbook.worksheets[0]
    assert data["A1"].font.bold and data["A1"].value
    assert data["A2"].value == STATUS_LINE  # Vietnamese in both languages: the loader reads it
    assert tuple(c.value for c in data[HEADER_ROW]) == HEADER
    assert data.freeze_panes == f"A{FIRST_DATA_ROW}"
    rows = f"{FIRST_DATA_ROW}:{{}}{LAST_DATA_ROW}"
    unit_rule = validation_for(data, "B" + rows.format("B"))
    assert (unit_rule.type, unit_rule.formula1) == ("list", UNIT_LIST_NAME)
    indicator_rule = validation_for(data, "C" + rows.format("C"))
    assert (indicator_rule.type, indicator_rule.formula1) == ("list", INDICATOR_LIST_NAME)
    assert indicator_rule.errorStyle == "stop" and indicator_rule.showErrorMessage
    year_rule = validation_for(data, "D" + rows.format("D"))
    assert (year_rule.type, year_rule.formula1, year_rule.formula2) == ("whole", "1990", "2100")
    value_rule = validation_for(data, "E" + rows.format("E"))
    assert value_rule.type is None and value_rule.showInputMessage
    assert ("hơn 80" in (value_rule.prompt or "")) and "9,52" in (value_rule.prompt or "")
    assert data[f"E{FIRST_DATA_ROW}"].number_format == "@"
    for rule in data.data_validations.dataValidation:
        assert len(rule.prompt or "") <= 255 and len(rule.promptTitle or "") <= 32
        assert len(rule.error or "") <= 225 and len(rule.errorTitle or "") <= 32

    units = list_values(workbook, UNIT_LIST_NAME)
    assert "Quận Ô Môn" in units and "Thành phố Cần Thơ" in units
    assert len(units) == len(set(units)) > 80
    indicators = query(empty_db, f"SELECT name_vi FROM indicator WHERE group_code = '{group}'")
    listed = list_values(workbook, INDICATOR_LIST_NAME)
    assert sorted(listed) == sorted(name for (name,) in indicators)
    assert listed == sorted(listed, key=fold)  # alphabetical, whatever the diacritics


@pytest.mark.parametrize("group", GROUPS)
def test_every_listed_name_is_understood_by_the_loader(
    empty_db: Path, tmp_path: Path, group: str
) -> None:
    workbook = openpyxl.load_workbook(save_template(empty_db, tmp_path, group))
    catalogue = catalogue_of(empty_db)
    for name in list_values(workbook, UNIT_LIST_NAME):
        assert catalogue.find_units(name), name
        assert fold(name) not in TOTAL_ROW_NAMES, name  # "Cả nước" would be skipped
    for name in list_values(workbook, INDICATOR_LIST_NAME):
        assert catalogue.find_indicator(name) is not None, name
    assert "Việt Nam" in list_values(workbook, UNIT_LIST_NAME)


@pytest.mark.parametrize("group", GROUPS)
def test_blank_template_loads_with_only_no_rows(empty_db: Path, tmp_path: Path, group: str) -> None:
    path = save_template(empty_db, tmp_path, group)
    result = load_file(empty_db, path, LoadOptions(loaded_by="test"), dry_run=True)
    assert [(p.key, p.sheet) for p in result.problems] == [("no_rows", "Báo cáo")]
    assert result.rows.empty


FILLED_ROWS = [
    # unit, indicator, year, value, target, note
    ("Quận Ô Môn", "Tỷ lệ hộ nghèo", 2019, "9,52", "10", "Báo cáo năm"),
    ("Quận Bình Thủy", "Tỷ lệ hộ nghèo", 2020, "hơn 1,5", None, None),
    ("Thành phố Cần Thơ", "Số hộ nghèo", 2024, "3.093", None, None),
    ("Việt Nam", "Tỷ lệ giải ngân vốn đầu tư công", 2023, 80, 95, None),
    ("Quận Cái Răng", "Tỷ lệ hộ nghèo", 2021, "..", None, "chưa có số liệu"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_filled_template_loads_with_no_warning(empty_db: Path, tmp_path: Path, lang: str) -> None:
    path = save_template(empty_db, tmp_path, "socio_economic", lang)
    workbook = openpyxl.load_workbook(path)
    units = list_values(workbook, UNIT_LIST_NAME)
    indicators = list_values(workbook, INDICATOR_LIST_NAME)
    sheet = workbook.worksheets[0]
    for offset, (unit, indicator, year, value, target, note) in enumerate(FILLED_ROWS):
        assert unit in units and indicator in indicators  # picked from the drop-downs
        row = FIRST_DATA_ROW + offset
        for col, cell_value in enumerate((offset + 1, unit, indicator, year, value, target, note)):
            sheet.cell(row, col + 1, cell_value)
    workbook.save(path)
    assert len(openpyxl.load_workbook(path).worksheets[0].data_validations.dataValidation) == 6

    result = load_file(empty_db, path, LoadOptions(loaded_by="test"))
    assert result.errors == [] and result.warnings == []
    assert result.batch_id is not None
    stored = query(
        empty_db,
        "SELECT unit_code, indicator_code, year(period_start), value, qualifier, target, "
        "value_status, source_cell FROM v_observation ORDER BY source_cell",
    )
    assert stored == [
        ("917", "poverty_rate", 2019, 9.52, None, 10.0, "reported", "E5"),
        ("918", "poverty_rate", 2020, 1.5, "lower_bound", None, "reported", "E6"),
        ("92", "poor_households", 2024, 3093.0, None, None, "reported", "E7"),
        ("VN", "capital_disbursement_rate", 2023, 80.0, None, 95.0, "reported", "E8"),
    ]


def test_status_line_can_say_preliminary(empty_db: Path, tmp_path: Path) -> None:
    path = save_template(empty_db, tmp_path, "party_organisation")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet["A2"] = "Loại số liệu: Sơ bộ"
    for col, value in enumerate(
        ("Đảng bộ Cục Xuất nhập khẩu", "Số đảng viên kết nạp mới", 2024, 7)
    ):
        sheet.cell(FIRST_DATA_ROW, col + 2, value)
    workbook.save(path)
    result = load_file(empty_db, path, LoadOptions(loaded_by="test"), dry_run=True)
    assert result.problems == []
    assert result.rows["is_preliminary"].tolist() == [True]


def test_unknown_group_is_refused(empty_db: Path) -> None:
    with pytest.raises(EtlError) as caught:
        build_template(empty_db, "sports")
    assert caught.value.key == "template_unknown_group"
    assert "socio_economic" in str(caught.value)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("group", GROUPS)
def test_helper_sheets_are_never_taken_for_tables(
    empty_db: Path, tmp_path: Path, group: str, lang: str
) -> None:
    grids = read_workbook(save_template(empty_db, tmp_path, group, lang))
    catalogue = catalogue_of(empty_db)
    assert [g.visible for g in grids] == [True, True, False]
    assert find_table(grids[0], catalogue) is not None
    for grid in grids[1:]:  # even the lists sheet, should someone unhide it
        unhidden = Grid(grid.sheet, grid.rows, visible=True)
        assert find_table(unhidden, catalogue) is None, grid.sheet
