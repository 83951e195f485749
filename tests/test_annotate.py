"""Marked copies of bad report files: the cell filled and commented, a first sheet listing
every problem, and the user's file itself left untouched."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from etl.annotate import (
    COMMENT_SEPARATOR,
    ERROR_COLOR,
    SUMMARY_HEADER_ROW,
    WARNING_COLOR,
    annotate_bytes,
    annotate_workbook,
    annotated_file_name,
)
from etl.errors import Problem
from etl.load import LoadOptions, LoadResult, load_file
from tests.workbooks import WIDE_POVERTY, write_xlsx

OPTIONS = LoadOptions(loaded_by="test")


def bad_poverty_rows() -> list[list[Any]]:
    """WIDE_POVERTY with an unknown unit (B6), a rate over 100 (C7) and its total row (B8)."""
    rows = [list(r) for r in WIDE_POVERTY]
    rows[5][1] = "Quận Ô Mông"
    rows[6][2] = 140
    return rows


def check(db: Path, path: Path) -> LoadResult:
    return load_file(db, path, OPTIONS, dry_run=True)


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def summary_rows(workbook: openpyxl.Workbook) -> list[tuple[Any, ...]]:
    sheet = workbook.worksheets[0]
    return [
        tuple(c.value for c in row[:5])
        for row in sheet.iter_rows(min_row=SUMMARY_HEADER_ROW + 1)
        if row[0].value is not None
    ]


def fill_of(sheet: Worksheet, cell: str) -> str:
    color = sheet[cell].fill.fgColor.rgb
    return str(color)[-6:] if sheet[cell].fill.fill_type == "solid" else ""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_problem_cells_are_filled_commented_and_listed(empty_db: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ho_ngheo.xlsx", bad_poverty_rows())
    source = openpyxl.load_workbook(path)
    source["Báo cáo"]["C7"].comment = Comment("Số của phòng Lao động", "Chị Lan")
    source.save(path)
    before = digest(path)
    result = check(empty_db, path)
    assert {(p.cell, p.key) for p in result.problems} == {
        ("B6", "unit_unknown"),
        ("C7", "value_out_of_range"),
        ("B8", "total_row_skipped"),
    }

    marked = reopen(annotate_workbook(path, result.problems))

    assert digest(path) == before
    assert marked.sheetnames == ["Lỗi và cảnh báo", "Báo cáo"]
    assert marked.active is not None and marked.active.title == "Lỗi và cảnh báo"
    sheet = marked["Báo cáo"]
    assert fill_of(sheet, "B6") == ERROR_COLOR
    assert sheet["B6"].comment.text.startswith("Lỗi (unit_unknown): Không có đơn vị “Quận Ô Mông”")
    assert sheet["B6"].comment.text.count("unit_unknown") == 1  # said once, not per value
    assert fill_of(sheet, "C7") == ERROR_COLOR
    assert "value_out_of_range" in sheet["C7"].comment.text
    assert sheet["C7"].comment.text.endswith(COMMENT_SEPARATOR + "Số của phòng Lao động")
    assert fill_of(sheet, "B8") == WARNING_COLOR
    assert sheet["B8"].comment.text.startswith("Cảnh báo (total_row_skipped): Dòng tổng")
    assert fill_of(sheet, "C6") == "" and sheet["C6"].comment is None
    assert sheet["B6"].value == "Quận Ô Mông" and sheet["C7"].value == 140

    assert summary_rows(marked) == [
        (1, "Báo cáo", "B6", "Lỗi", "unit_unknown"),
        (2, "Báo cáo", "C7", "Lỗi", "value_out_of_range"),
        (3, "Báo cáo", "B8", "Cảnh báo", "total_row_skipped"),
    ]
    summary = marked.worksheets[0]
    first = SUMMARY_HEADER_ROW + 1
    assert summary.cell(first, 3).hyperlink.location == "'Báo cáo'!B6"
    assert "Quận Ô Mông" in summary.cell(first, 6).value
    assert summary.cell(2, 1).value.startswith("2 lỗi, 1 cảnh báo")


def test_english_copy(empty_db: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ho_ngheo.xlsx", bad_poverty_rows())
    marked = reopen(annotate_workbook(path, check(empty_db, path).problems, lang="en"))
    assert marked.sheetnames[0] == "Errors and warnings"
    comment = marked["Báo cáo"]["B6"].comment.text
    assert comment.startswith("Error (unit_unknown): Unit “Quận Ô Mông” is not in the catalogue")
    assert summary_rows(marked)[2][3] == "Warning"


def test_file_level_problem_is_only_listed(empty_db: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "van_ban.xlsx", [["Kính gửi: Thành ủy"], ["Nội dung"]])
    result = check(empty_db, path)
    assert [(p.sheet, p.cell, p.key) for p in result.problems] == [("Báo cáo", "", "no_table")]
    marked = reopen(annotate_workbook(path, result.problems))
    assert summary_rows(marked) == [(1, "Báo cáo", None, "Lỗi", "no_table")]
    assert marked.worksheets[0].cell(SUMMARY_HEADER_ROW + 1, 3).hyperlink is None
    sheet = marked["Báo cáo"]
    assert all(c.comment is None for row in sheet.iter_rows() for c in row)
    assert sheet["A1"].value == "Kính gửi: Thành ủy"


def test_unreadable_file_gives_the_list_alone(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "thu.xlsx"
    path.write_bytes(b"Kinh gui ...\n" * 50)
    result = check(empty_db, path)
    marked = reopen(annotate_workbook(path, result.problems))
    assert marked.sheetnames == ["Lỗi và cảnh báo"]
    assert summary_rows(marked) == [(1, None, None, "Lỗi", "file_damaged")]
    assert path.read_bytes() == b"Kinh gui ...\n" * 50


def test_merged_cell_problem_goes_to_the_top_left_cell(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "gop.xlsx", WIDE_POVERTY)
    workbook = openpyxl.load_workbook(path)
    workbook["Báo cáo"].merge_cells("A1:E1")
    workbook.save(path)
    problem = Problem(str(path), "Báo cáo", "C1", "no_rows")
    elsewhere = Problem(str(path), "Trang khác", "A1", "no_rows", severity="warning")
    marked = reopen(annotate_workbook(path, [problem, elsewhere]))
    assert fill_of(marked["Báo cáo"], "A1") == ERROR_COLOR
    assert "no_rows" in marked["Báo cáo"]["A1"].comment.text
    assert summary_rows(marked)[1] == (2, "Trang khác", "A1", "Cảnh báo", "no_rows")
    assert marked.worksheets[0].cell(SUMMARY_HEADER_ROW + 2, 3).hyperlink is None


def test_a_marked_copy_marked_again_keeps_only_current_problems(
    empty_db: Path, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "ho_ngheo.xlsx", bad_poverty_rows())
    source = openpyxl.load_workbook(path)
    source["Báo cáo"]["C7"].comment = Comment("Số của phòng Lao động", "Chị Lan")
    source.save(path)
    copy = tmp_path / "ho_ngheo_danh_dau_loi.xlsx"
    copy.write_bytes(annotate_workbook(path, check(empty_db, path).problems))
    fixed = openpyxl.load_workbook(copy)
    fixed["Báo cáo"]["B6"] = "Quận Ô Môn"  # the person fixes one cell in the marked copy
    fixed.save(copy)

    result = check(empty_db, copy)
    assert {p.cell for p in result.problems} == {"C7", "B8"}
    marked = reopen(annotate_workbook(copy, result.problems))
    assert marked.sheetnames == ["Lỗi và cảnh báo", "Báo cáo"]
    sheet = marked["Báo cáo"]
    assert fill_of(sheet, "B6") == "" and sheet["B6"].comment is None
    assert sheet["C7"].comment.text.count("Số của phòng Lao động") == 1
    assert sheet["C7"].comment.text.count("value_out_of_range") == 1
    assert [row[2] for row in summary_rows(marked)] == ["C7", "B8"]


def write_ods(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves, without styles)."""

    def cell(value: Any) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
        text = f"<text:p>{escape(value)}</text:p>"
        return f'<table:table-cell office:value-type="string">{text}</table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>"
            + ("".join(cell(v) for v in row) or cell(None))
            + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


LONG_NAME = "Báo cáo tỷ lệ hộ nghèo các quận [2019]"  # too long, and "[" Excel refuses


def test_ods_is_rebuilt_with_the_same_cells(empty_db: Path, tmp_path: Path) -> None:
    rows = bad_poverty_rows()
    rows[0][0] = "=không phải công thức"
    path = write_ods(tmp_path / "ho_ngheo.ods", {LONG_NAME: rows, "Phụ lục": [["ghi chép"]]})
    before = digest(path)
    result = check(empty_db, path)
    assert {(p.sheet, p.cell, p.key) for p in result.problems} == {
        (LONG_NAME, "B6", "unit_unknown"),
        (LONG_NAME, "C7", "value_out_of_range"),
        (LONG_NAME, "B8", "total_row_skipped"),
    }
    marked = reopen(annotate_workbook(path, result.problems))
    assert digest(path) == before
    title = "Báo cáo tỷ lệ hộ nghèo các quận"
    assert marked.sheetnames == ["Lỗi và cảnh báo", title, "Phụ lục"]
    sheet = marked[title]
    assert sheet["E5"].value == "Năm 2019" and sheet["C6"].value == 4.1
    assert sheet["A1"].value == "=không phải công thức" and sheet["A1"].data_type == "s"
    assert fill_of(sheet, "B6") == ERROR_COLOR and fill_of(sheet, "B8") == WARNING_COLOR
    assert "unit_unknown" in sheet["B6"].comment.text
    assert summary_rows(marked)[0] == (1, title, "B6", "Lỗi", "unit_unknown")
    link = marked.worksheets[0].cell(SUMMARY_HEADER_ROW + 1, 3).hyperlink
    assert link.location == f"'{title}'!B6"
    assert marked["Phụ lục"]["A1"].value == "ghi chép"


def test_csv_is_rebuilt_at_the_cells_the_loader_names(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "bao_cao.csv"
    text = "Chỉ tiêu: Tỷ lệ hộ nghèo\nĐơn vị;2019\nQuận Ô Mông;4,1\n=1+1;2\n"
    path.write_text(text, encoding="utf-8")
    result = check(empty_db, path)
    assert ("A3", "unit_unknown") in {(p.cell, p.key) for p in result.problems}
    marked = reopen(annotate_workbook(path, result.problems))
    assert digest(path) == hashlib.sha256(text.encode()).hexdigest()
    sheet = marked.worksheets[1]
    assert sheet["A3"].value == "Quận Ô Mông" and fill_of(sheet, "A3") == ERROR_COLOR
    assert sheet["B3"].value == "4,1"
    assert sheet["A4"].value == "=1+1" and sheet["A4"].data_type == "s"
    assert summary_rows(marked)[0][1:3] == (sheet.title, "A3")


def with_macros(path: Path) -> Path:
    """An .xlsm: the workbook part declared macro-enabled, with a (dummy) VBA project."""
    plain = write_xlsx(path.with_suffix(".plain.xlsx"), bad_poverty_rows())
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
                ).replace(
                    b"<Default ",
                    b'<Default Extension="bin" ContentType="application/'
                    b'vnd.ms-office.vbaProject"/><Default ',
                    1,
                )
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really VBA")
    return path


def test_macros_are_not_kept(empty_db: Path, tmp_path: Path) -> None:
    path = with_macros(tmp_path / "bao_cao.xlsm")
    result = check(empty_db, path)
    assert "unit_unknown" in {p.key for p in result.problems}
    data = annotate_workbook(path, result.problems)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if "vba" in n.lower()]
        assert b"macroEnabled" not in archive.read("[Content_Types].xml")
    assert fill_of(reopen(data)["Báo cáo"], "B6") == ERROR_COLOR


def test_uploaded_bytes_and_file_name(empty_db: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ho_ngheo.xlsx", bad_poverty_rows())
    problems = check(empty_db, path).problems
    marked = reopen(annotate_bytes(path.read_bytes(), "Báo cáo hộ nghèo.xlsx", problems))
    assert fill_of(marked["Báo cáo"], "B6") == ERROR_COLOR
    assert annotated_file_name("Báo cáo hộ nghèo.xls") == "Báo cáo hộ nghèo_danh_dau_loi.xlsx"
    assert annotated_file_name("bao_cao.ods", "en") == "bao_cao_marked.xlsx"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_problems_still_gives_a_copy(tmp_path: Path, lang: str) -> None:
    path = write_xlsx(tmp_path / "tot.xlsx", WIDE_POVERTY)
    marked = reopen(annotate_workbook(path, [], lang))
    assert len(marked.sheetnames) == 2 and summary_rows(marked) == []
    assert marked.worksheets[0].cell(2, 1).value in (
        "Không có lỗi hay cảnh báo nào.",
        "No errors or warnings.",
    )
