"""The reader: every file type, error cells, and the checks made before calamine sees a file.

Every file is written at test time: with openpyxl, with zipfile (to craft what openpyxl
will not write), or as plain bytes.
"""

from __future__ import annotations

import codecs
import struct
import subprocess
import sys
import time
import tracemalloc
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from etl import reader, sheet_scan
from etl.messages import MESSAGES, render
from etl.reader import Grid, ReadError, read_workbook
from tests.workbooks import WIDE_POVERTY, write_xlsx

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def refusal(path: Path, **options: Any) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_workbook(path, **options)
    return caught.value


def only_grid(path: Path, **options: Any) -> Grid:
    grids = read_workbook(path, **options)
    assert len(grids) == 1, [grid.sheet for grid in grids]
    return grids[0]


# --- .csv and .txt --------------------------------------------------------------------

REPORT_ROWS = [
    ["STT", "Đơn vị", "2017", "2018"],
    ["1", "Quận Ô Môn", "3.093", "9,52"],
    ["2", "Q. Bình Thủy", "00004", "hơn 1,5"],
]
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Text as Windows writes it in code page 1258: a base letter, then its tone mark."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out += base.encode("cp1258") + "".join(c for c in parts if c in TONE_MARKS).encode("cp1258")
    return bytes(out)


def joined(rows: list[list[str]], separator: str, newline: str = "\r\n") -> str:
    return newline.join(separator.join(row) for row in rows) + newline


CSV_CASES: dict[str, tuple[str, bytes]] = {
    "utf8_bom_comma": (
        "bao_cao.csv",
        codecs.BOM_UTF8
        + joined([[f'"{c}"' if "," in c else c for c in r] for r in REPORT_ROWS], ",").encode(),
    ),
    "utf8_semicolon": ("bao_cao.csv", joined(REPORT_ROWS, ";").encode()),
    "utf8_tab_txt": ("bao_cao.txt", joined(REPORT_ROWS, "\t", "\n").encode()),
    "cp1258_semicolon": ("bao_cao.csv", windows_1258(joined(REPORT_ROWS, ";"))),
    "utf16_tab_unicode_text": ("bao_cao.txt", joined(REPORT_ROWS, "\t").encode("utf-16")),
    "utf16_be_tab": (
        "bao_cao.txt",
        codecs.BOM_UTF16_BE + joined(REPORT_ROWS, "\t").encode("utf-16-be"),
    ),
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_text_files_become_one_grid_of_strings(case: str, tmp_path: Path) -> None:
    name, data = CSV_CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    grid = only_grid(path)
    assert grid.sheet == "bao_cao"
    assert grid.visible and grid.errors == {}
    assert grid.rows == REPORT_ROWS
    assert isinstance(grid.rows[1][2], str)  # "3.093" is for etl.values to read, as 3093


def test_cp1258_text_is_nfc_like_the_catalogue(tmp_path: Path) -> None:
    data = windows_1258("Đơn vị;Tỷ lệ\r\nPhường Thới An Đông;4,5\r\n")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = tmp_path / "cp1258.csv"
    path.write_bytes(data)
    cell = only_grid(path).rows[1][0]
    assert cell == "Phường Thới An Đông"
    assert unicodedata.is_normalized("NFC", cell)


def test_quoted_fields_keep_separators_quotes_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(
        'Đơn vị,Ghi chú,2019\r\n"Quận Ninh Kiều","số liệu 6 tháng, ước\r\ncả năm",3.093\r\n'
        '"Xã ""Mỹ Khánh""",,"1,5"\r\n',
        encoding="utf-8",
    )
    assert only_grid(path).rows == [
        ["Đơn vị", "Ghi chú", "2019"],
        ["Quận Ninh Kiều", "số liệu 6 tháng, ước\r\ncả năm", "3.093"],
        ['Xã "Mỹ Khánh"', "", "1,5"],
    ]


def test_title_lines_above_the_header_do_not_decide_the_separator(tmp_path: Path) -> None:
    """Titles have fewer separators (here a comma, in a semicolon file with decimal
    commas, one to three a row): the semicolons make the widest rows of one width."""
    path = tmp_path / "titles.csv"
    path.write_text(
        "BÁO CÁO TỶ LỆ HỘ NGHÈO\n"
        "Đơn vị tính: %, năm 2019\n"
        "\n"
        "STT;Đơn vị;2017;2018;2019\n"
        "1;Quận Ô Môn;4,1;3,52;2,9\n"
        "2;Q. Bình Thủy;2;1,8;1\n"
        "3;Thốt Nốt;2;1;1\n"
        "Ghi chú: số liệu kiểm thử\n",
        encoding="utf-8",
    )
    grid = only_grid(path)
    assert grid.rows[0] == ["BÁO CÁO TỶ LỆ HỘ NGHÈO", "", "", "", ""]
    assert grid.rows[1][0] == "Đơn vị tính: %, năm 2019"
    assert grid.rows[2] == [""] * 5
    assert grid.rows[3] == ["STT", "Đơn vị", "2017", "2018", "2019"]
    assert grid.rows[4] == ["1", "Quận Ô Môn", "4,1", "3,52", "2,9"]
    assert grid.rows[-1][0] == "Ghi chú: số liệu kiểm thử"


def test_excel_padding_and_trailing_blank_lines_are_trimmed_like_calamine(tmp_path: Path) -> None:
    path = tmp_path / "padded.csv"
    path.write_text("Đơn vị,2019,,\nÔ Môn,3,,\n,,,\n\n\n", encoding="utf-8")
    assert only_grid(path).rows == [["Đơn vị", "2019"], ["Ô Môn", "3"]]


def test_a_single_column_file_reads(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("Đơn vị\nÔ Môn\n", encoding="utf-8")
    assert only_grid(path).rows == [["Đơn vị"], ["Ô Môn"]]


TEXT_REFUSALS: dict[str, tuple[bytes, str]] = {
    # TCVN3 ("ABC" fonts) text is not Windows-1258, though every byte decodes in it
    "tcvn3": (
        "Đơn vị,Tỷ lệ\nThµnh phè CÇn Th¬,4,5\nHµ Néi,3\n".encode("cp1252", "replace"),
        "file_encoding_unknown",
    ),
    "vni": ("Ñôn vò,2019\nQuaän Ninh Kieàu,3\n".encode("cp1252"), "file_encoding_unknown"),
    "cp1258_undefined_byte": (b"Don vi,2019\nAn Binh\x81,3\n", "file_encoding_unknown"),
    "renamed_xlsx": (b"PK\x03\x04" + b"\x00" * 200, "file_not_text"),
    "utf16_without_bom": ("Đơn vị\t2019\n".encode("utf-16-le"), "file_not_text"),
    "utf32": ("Đơn vị\t2019\n".encode("utf-32"), "file_not_text"),
    "bad_utf8_after_bom": (codecs.BOM_UTF8 + b"Don vi\xff,2019\n", "file_encoding_unknown"),
    "blank": (codecs.BOM_UTF8 + b"\r\n\r\n", "file_no_sheets"),
}


@pytest.mark.parametrize("case", sorted(TEXT_REFUSALS))
def test_text_that_cannot_be_read_for_sure_is_refused(case: str, tmp_path: Path) -> None:
    data, key = TEXT_REFUSALS[case]
    path = tmp_path / f"{case}.csv"
    path.write_bytes(data)
    assert refusal(path).key == key


def test_unbalanced_quote_is_refused_not_swallowing_rows(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('Đơn vị,2019\n"Ô Môn,3\nThốt Nốt,4\nCờ Đỏ,5\n', encoding="utf-8")
    error = refusal(path)
    assert (error.key, error.sheet) == ("file_csv_malformed", "quote")
    assert "dòng" in error.message("vi") and "line" in error.message("en")


def test_text_over_the_cell_limit_is_refused_naming_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "rong.csv"
    path.write_text("a,b,c\n" * 10, encoding="utf-8")
    assert only_grid(path, max_cells=30).rows[-1] == ["a", "b", "c"]
    error = refusal(path, max_cells=29)
    assert (error.key, error.sheet) == ("sheet_too_many_cells", "rong")


def test_wrong_type_message_lists_every_accepted_suffix(tmp_path: Path) -> None:
    path = tmp_path / "bao_cao.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    error = refusal(path)
    assert error.key == "file_wrong_type"
    for suffix in (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"):
        assert suffix in reader.SPREADSHEET_SUFFIXES
        assert suffix in error.message("vi") and suffix in error.message("en")


# --- error cells ------------------------------------------------------------------------


def test_error_cells_and_formulas_never_run_are_reported_where_they_are(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Báo cáo"
    sheet.append(["Đơn vị", 2018, 2019])
    sheet.append(["Ô Môn", "#DIV/0!", 3])
    sheet.append(["Thốt Nốt", 2, "#REF!"])
    sheet.append(["Cờ Đỏ", "#N/A", "=B3/0"])
    assert sheet["B2"].data_type == "e" and sheet["C4"].data_type == "f"
    sheet["F9"] = "=SUM(B2:B4)"  # beyond every value: calamine drops the cell
    path = tmp_path / "loi.xlsx"
    workbook.save(path)
    grid = only_grid(path)
    assert grid.errors == {
        (1, 1): "#DIV/0!",
        (2, 2): "#REF!",
        (3, 1): "#N/A",
        (3, 2): "=B3/0",
        (8, 5): "=SUM(B2:B4)",
    }
    for row, col in grid.errors:
        assert grid.rows[row][col] == ""  # what calamine alone would have said: missing
    assert grid.rows[2][1] == 2 and grid.rows[1][2] == 3
    assert len(grid.rows) == 9 and {len(row) for row in grid.rows} == {6}


def xlsx_with_sheet_xml(path: Path, sheet_xml: str, *, sheet: str = "Báo cáo") -> Path:
    """A workbook whose only worksheet part is ``sheet_xml`` (what openpyxl cannot write)."""
    plain = write_xlsx(path.with_suffix(".plain.xlsx"), {sheet: [["x"]]})
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode("utf-8")
            out.writestr(info.filename, data)
    return path


def worksheet(cells: str, *, prefix: str = "", dimension: str = "A1") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}="{MAIN_NS}">'
        f'<{p}dimension ref="{dimension}"/><{p}sheetData>{cells}</{p}sheetData>'
        f'<{p}mergeCells count="0"/></{p}worksheet>'
    )


# Sheets as Excel and other writers make them; the errors each must report.
SHEETS: dict[str, tuple[str, dict[tuple[int, int], str]]] = {
    "excel_cached_values": (
        worksheet(
            '<row r="1"><c r="A1" t="n"><v>5</v></c><c r="B1"><f>1+1</f><v>2</v></c>'
            '<c r="C1" t="str"><f>""</f><v></v></c><c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
            '<c r="E1" t="b"><v>1</v></c></row>'
            '<row r="3"><c r="B3" t="e"><v>#VALUE!</v></c>'
            '<c r="C3" t="inlineStr"><is><t>x</t></is></c>'
            '<c r="D3" s="2"/><c r="E3" t="e"/></row>'
        ),
        {(0, 3): "#DIV/0!", (2, 1): "#VALUE!"},
    ),
    "formula_without_value": (
        worksheet(
            '<row r="2"><c r="B2"><f>SUM(A1:A3)&amp;"&lt;x&gt;"</f><v/></c>'
            '<c r="C2"><f t="shared" ref="C2:C3" si="0">A2*2</f></c></row>'
            '<row r="3"><c r="C3"><f t="shared" si="0"/></c><c r="D3"><f>1</f><v>1</v></c></row>'
        ),
        {(1, 1): '=SUM(A1:A3)&"<x>"', (1, 2): "=A2*2", (2, 2): "="},
    ),
    "namespace_prefix": (
        worksheet(
            '<x:row r="1"><x:c r="A1" t="e"><x:v>#N/A</x:v></x:c><x:c r="C1"><x:v>4</x:v></x:c>'
            '</x:row><x:row r="2"><x:c r="B2"><x:f>A1</x:f></x:c></x:row>',
            prefix="x",
        ),
        {(0, 0): "#N/A", (1, 1): "=A1"},
    ),
    "cells_without_r": (
        worksheet(
            '<row><c><v>1</v></c><c t="e"><v>#REF!</v></c></row>'
            '<row r="4"><c/><c><v>3</v></c><c><f>A1</f></c></row>'
        ),
        {(0, 1): "#REF!", (3, 2): "=A1"},
    ),
    "attributes_in_another_order": (
        worksheet('<row r="1"><c s="1" r="B1" t="e"><v>#NUM!</v></c></row>'),
        {(0, 1): "#NUM!"},
    ),
}


@pytest.mark.parametrize("case", sorted(SHEETS))
def test_error_cells_of_crafted_sheets_match_calamines_positions(case: str, tmp_path: Path) -> None:
    sheet_xml, expected = SHEETS[case]
    grid = only_grid(xlsx_with_sheet_xml(tmp_path / f"{case}.xlsx", sheet_xml))
    assert grid.errors == expected
    for row, col in expected:
        assert grid.rows[row][col] == ""


def test_an_error_value_calamine_cannot_read_is_named_not_called_damage(tmp_path: Path) -> None:
    """Excel 365 writes #SPILL! and #CALC!; calamine refuses the whole file on them."""
    sheet_xml = worksheet(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="4"><c r="C4" t="e"><f>SORT(A1:A3)</f><v>#SPILL!</v></c></row>'
    )
    error = refusal(xlsx_with_sheet_xml(tmp_path / "spill.xlsx", sheet_xml))
    assert (error.key, error.sheet, error.cell) == ("cell_error_unreadable", "Báo cáo", "C4")
    assert error.params == {"value": "#SPILL!"}


@pytest.mark.parametrize("case", sorted(SHEETS))
def test_the_fast_scan_agrees_with_the_xml_parser_whatever_the_chunks(case: str) -> None:
    sheet_xml = SHEETS[case][0].encode("utf-8")
    slow = sheet_scan.scan_xlsx_sheet_slowly(iter([sheet_xml]))
    for size in (len(sheet_xml), 64, 7, 1):

        def chunks(size: int = size) -> Iterator[bytes]:
            return (sheet_xml[i : i + size] for i in range(0, len(sheet_xml), size))

        fast = sheet_scan.scan_xlsx_sheet(chunks)
        assert (fast.rows, fast.cols, fast.errors) == (slow.rows, slow.cols, slow.errors), size


def test_fast_scan_measures_the_extent_of_cells_with_content_only() -> None:
    sheet_xml = worksheet(
        '<row r="2"><c r="C2"><v>1</v></c><c r="AB2" s="3"/></row>'
        '<row r="7" s="2" customFormat="1"><c r="AA7" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="1048576" s="2" customFormat="1"><c r="XFD1048576" s="2"/></row>',
        dimension="A1:XFD1048576",
    ).encode()
    scan = sheet_scan.scan_xlsx_sheet(lambda: iter([sheet_xml]))
    assert (scan.rows, scan.cols) == (7, 27)


@pytest.mark.parametrize(
    "cells",
    [
        '<row r="9"><c r="Z9" x="/>"><v>1</v></c></row>',  # "/>" inside an attribute value
        '<row r="9"><c r="Z9">/><v>1</v></c></row>',  # "/>" as text before the value
        '<row r="9">\n  <c r="Z9" s="1" >\n    <v>1</v>\n  </c>\n</row>',  # pretty-printed
    ],
)
def test_fast_scan_finds_a_cell_with_content_however_its_tag_ends(cells: str) -> None:
    sheet_xml = worksheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1"/></row>' + cells).encode()
    fast = sheet_scan.scan_xlsx_sheet(lambda: iter([sheet_xml]))
    slow = sheet_scan.scan_xlsx_sheet_slowly(iter([sheet_xml]))
    assert (fast.rows, fast.cols) == (slow.rows, slow.cols) == (9, 26)


def test_fast_scan_leaves_out_cells_that_end_empty() -> None:
    sheet_xml = worksheet(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="5"><c r="E5" x=">"></c><c r="F5" s="1" /><c r="G5"/>\n</row>'
    ).encode()
    fast = sheet_scan.scan_xlsx_sheet(lambda: iter([sheet_xml]))
    slow = sheet_scan.scan_xlsx_sheet_slowly(iter([sheet_xml]))
    assert (fast.rows, fast.cols) == (slow.rows, slow.cols) == (1, 1)


def ods(path: Path, tables: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        f' office:version="1.3"><office:body><office:spreadsheet>{tables}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    return path


def number(value: float, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="float" office:value="{value}"{times}/>'


def test_ods_error_cells_as_libreoffice_writes_them(tmp_path: Path) -> None:
    error = (
        '<table:table-cell table:formula="of:=[.B1]/0" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
        "</table:table-cell>"
    )
    unrun = '<table:table-cell table:formula="of:=SUM([.B1:.B2])"/>'
    path = ods(
        tmp_path / "loi.ods",
        '<table:table table:name="Báo cáo">'
        f'<table:table-row>{number(7)}<table:table-cell table:number-columns-repeated="2"/>'
        f"{error}{number(5)}</table:table-row>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        f"<table:table-row>{number(1, repeat=3)}{unrun}</table:table-row>"
        "</table:table>",
    )
    grid = only_grid(path)
    assert grid.rows[0] == [7.0, "", "", "", 5.0]
    assert grid.rows[3][:3] == [1.0, 1.0, 1.0]
    assert grid.errors == {(0, 3): "#DIV/0!", (3, 3): "=SUM([.B1:.B2])"}
    assert grid.rows[0][3] == "" and grid.rows[3][3] == ""


# --- what calamine never sees ----------------------------------------------------------


def declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite a member's declared uncompressed size, in its local and central headers."""
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo(member).header_offset
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, offset + 22, size)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, central + 28)
        if data[central + 46 : central + 46 + name_length] == member.encode():
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(
            b"PK\x01\x02", central + 46 + name_length + extra_length + comment_length
        )
    path.write_bytes(bytes(data))


def with_member(path: Path, member: str, zeros: int, *, level: int = 9) -> Path:
    """A real workbook plus a member of ``zeros`` zero bytes, compressed in 1 MB chunks."""
    write_xlsx(path, WIDE_POVERTY)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=level) as archive,
        archive.open(member, "w", force_zip64=zeros > 2**31) as handle,
    ):
        chunk = bytes(1 << 20)
        for _ in range(zeros >> 20):
            handle.write(chunk)
    return path


def timed_refusal(path: Path, **options: Any) -> tuple[ReadError, float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        error = refusal(path, **options)
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return error, elapsed, peak


def test_a_zip_declaring_gigabytes_is_refused_from_its_directory(tmp_path: Path) -> None:
    path = with_member(tmp_path / "bom.xlsx", "xl/media/image1.png", 8 << 20)
    declare_size(path, "xl/media/image1.png", 2**31)  # 2 GB
    assert path.stat().st_size < 100_000
    error, elapsed, peak = timed_refusal(path)
    assert error.key == "file_unpacked_too_large"
    assert error.params["size_mb"] >= 2048
    assert elapsed < 0.5 and peak < 5 << 20, (elapsed, peak)


def test_an_honest_zip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    """600 MB of zeros, really compressed (under a second to build at level 1)."""
    path = with_member(tmp_path / "bom_that.xlsx", "xl/media/image1.png", 600 << 20, level=1)
    error, elapsed, peak = timed_refusal(path)
    assert error.key == "file_unpacked_too_large"
    assert elapsed < 0.5 and peak < 5 << 20, (elapsed, peak)


def test_an_abnormal_compression_ratio_is_refused(tmp_path: Path) -> None:
    path = with_member(tmp_path / "ti_le.xlsx", "xl/media/image1.png", 100 << 20)
    error, elapsed, _ = timed_refusal(path)
    assert error.key == "file_compression_suspicious"
    assert error.params["ratio"] > reader.MAX_COMPRESSION_RATIO
    assert elapsed < 0.5


def test_a_member_inflating_past_its_declared_size_is_refused_as_it_streams(
    tmp_path: Path,
) -> None:
    path = with_member(tmp_path / "noi_doi.xlsx", "xl/media/image1.png", 64 << 20)
    declare_size(path, "xl/media/image1.png", 4096)  # small enough to pass every ratio
    error, elapsed, peak = timed_refusal(path)
    assert error.key == "file_zip_inconsistent"
    assert elapsed < 0.5 and peak < 8 << 20, (elapsed, peak)


def test_a_sheet_part_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "sheet_lies.xlsx", WIDE_POVERTY)
    with zipfile.ZipFile(path) as archive:
        real = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    declare_size(path, "xl/worksheets/sheet1.xml", real - 10)
    assert refusal(path).key == "file_zip_inconsistent"


def test_a_member_with_a_wrong_checksum_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "crc.xlsx", WIDE_POVERTY)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/styles.xml")
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == b"xl/styles.xml":
            struct.pack_into("<I", data, central + 16, info.CRC ^ 1)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    assert refusal(path).key == "file_zip_inconsistent"


def test_two_members_of_one_name_are_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "twice.xlsx", WIDE_POVERTY)
    with (
        pytest.warns(UserWarning, match="Duplicate name"),
        zipfile.ZipFile(path, "a") as archive,
    ):
        archive.writestr(
            "xl/worksheets/sheet1.xml", worksheet('<row r="1"><c r="A1"><v>1</v></c></row>')
        )
    assert refusal(path).key == "file_zip_inconsistent"


def test_bytes_before_the_zip_do_not_skip_the_checks(tmp_path: Path) -> None:
    """calamine opens a zip with bytes before it (as a self-extracting archive has)."""
    path = sparse_xlsx(tmp_path / "le.xlsx", "Z300000")
    path.write_bytes(b"MZ" + b"\x00" * 510 + path.read_bytes())
    error = refusal(path)
    assert (error.key, error.sheet) == ("sheet_too_many_cells", "Báo cáo")


def test_a_zip_with_two_directories_is_refused(tmp_path: Path) -> None:
    """Two end records that both reach the file's end: readers may disagree on the content."""
    path = write_xlsx(tmp_path / "hai_muc_luc.xlsx", WIDE_POVERTY)
    data = bytearray(path.read_bytes())
    record = bytes(data[-22:])
    assert record.startswith(b"PK\x05\x06")
    struct.pack_into("<H", data, len(data) - 2, 22)  # the first record's comment: the second
    path.write_bytes(bytes(data) + record)
    assert refusal(path).key == "file_zip_inconsistent"


def sparse_xlsx(path: Path, far: str) -> Path:
    return xlsx_with_sheet_xml(
        path,
        worksheet(
            f'<row r="1"><c r="A1"><v>1</v></c></row>'
            f'<row r="{far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{far}"><v>2</v></c></row>'
        ),
    )


def test_a_sparse_sheet_that_would_abort_calamine_is_refused_first(tmp_path: Path) -> None:
    """Two cells, A1 and XFD1048576, ask calamine for a 550 GB grid: it aborts the process.
    Run in a child process so that a regression fails this test, not the whole run."""
    path = sparse_xlsx(tmp_path / "thua.xlsx", "XFD1048576")
    code = (
        "import sys; from pathlib import Path; from etl.reader import read_workbook, ReadError\n"
        "try:\n    read_workbook(Path(sys.argv[1]))\n"
        "except ReadError as e:\n    print(e.key, e.sheet, e.params['rows'], e.params['cols'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["sheet_too_many_cells", "Báo", "cáo", "1048576", "16384"]


def test_the_cell_limit_counts_every_sheet_and_names_the_one_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(
        tmp_path / "hai_trang.xlsx",
        {"Trang 1": [[1, 2, 3]] * 3, "Trang 2": [[1, 2, 3, 4]] * 4},
        hidden=["Trang 2"],
    )
    monkeypatch.setattr(reader, "DEFAULT_MAX_CELLS", 25)
    assert [grid.sheet for grid in read_workbook(path)] == ["Trang 1", "Trang 2"]
    monkeypatch.setattr(reader, "DEFAULT_MAX_CELLS", 24)
    error = refusal(path)
    assert (error.key, error.sheet) == ("sheet_too_many_cells", "Trang 2")
    assert error.params == {"rows": 4, "cols": 4, "limit": 24}
    assert refusal(path, max_cells=8).sheet == "Trang 1"


def test_the_cell_limit_is_checked_before_calamine_reads_the_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sparse_xlsx(tmp_path / "xa.xlsx", "ZZZ9000")
    monkeypatch.setattr(
        reader.calamine.CalamineWorkbook, "from_path", lambda *_: pytest.fail("calamine ran")
    )
    error = refusal(path)
    assert (error.key, error.sheet) == ("sheet_too_many_cells", "Báo cáo")
    assert error.params["rows"] == 9000 and error.params["cols"] == 18278


def test_ods_repeats_count_toward_the_cell_limit(tmp_path: Path) -> None:
    path = ods(
        tmp_path / "lap.ods",
        '<table:table table:name="Trang lặp">'
        f'<table:table-row table:number-rows-repeated="100000">{number(1, repeat=100)}'
        "</table:table-row></table:table>",
    )
    error, elapsed, _ = timed_refusal(path)
    assert (error.key, error.sheet) == ("sheet_too_many_cells", "Trang lặp")
    assert error.params["rows"] == 100000 and error.params["cols"] == 100
    assert elapsed < 0.5


def test_refusals_name_no_place_and_end_with_a_remedy() -> None:
    params = {"size_mb": 2048, "limit_mb": 500, "ratio": 1000, "limit": 200, "rows": 9,
              "cols": 9, "line": 3, "value": "#SPILL!"}  # fmt: skip
    keys = [
        "file_unpacked_too_large",
        "file_compression_suspicious",
        "file_zip_inconsistent",
        "sheet_too_many_cells",
        "file_not_text",
        "file_encoding_unknown",
        "file_csv_malformed",
        "file_wrong_type",
        "cell_error_unreadable",
    ]
    for key in keys:
        assert key in MESSAGES
        for lang in ("vi", "en"):
            text = render(key, lang, **params)
            assert "{" not in text and text.endswith("."), text
    assert "trang tính" in render("sheet_too_many_cells", "vi", **params)


# --- dates, passwords, broken files, progress -------------------------------------------


def test_1904_date_workbooks_give_the_same_dates(tmp_path: Path) -> None:
    stored = {}
    for name, epoch in (("1900", None), ("1904", CALENDAR_MAC_1904)):
        workbook = openpyxl.Workbook()
        if epoch is not None:
            workbook.epoch = epoch
        workbook.active.append([date(2024, 3, 15), datetime(2020, 1, 2, 3, 4, 5)])
        path = tmp_path / f"ngay_{name}.xlsx"
        workbook.save(path)
        with zipfile.ZipFile(path) as archive:
            stored[name] = archive.read("xl/worksheets/sheet1.xml")
        grid = only_grid(path)
        assert grid.rows == [[date(2024, 3, 15), datetime(2020, 1, 2, 3, 4, 5)]]
    assert b"<v>45366</v>" in stored["1900"] and b"<v>43904</v>" in stored["1904"]


def test_password_protected_workbook(tmp_path: Path) -> None:
    plain = write_xlsx(tmp_path / "plain.xlsx", WIDE_POVERTY)
    path = tmp_path / "mat_khau.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("pw", target)
    assert refusal(path).key == "file_password"


def docx_like(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def raw(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return build


BROKEN: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty": (raw("rong.xlsx", b""), "file_empty"),
    "letter": (raw("thu.xlsx", b"Kinh gui\n" * 50), "file_damaged"),
    "truncated_zip": (raw("cut.xlsx", b"PK\x03\x04" + b"\x00" * 64), "file_damaged"),
    "ods_named_xls": (raw("cu.xls", b"PK\x03\x04" + b"\x00" * 64), "file_damaged"),
    "word_file": (lambda d: docx_like(d / "word.xlsx"), "file_damaged"),
    "missing": (lambda d: d / "khong_co.xlsx", "file_missing"),
    "too_large": (lambda d: write_xlsx(d / "lon.xlsx", WIDE_POVERTY), "file_too_large"),
    "bad_xml": (
        lambda d: xlsx_with_sheet_xml(d / "xml.xlsx", "<worksheet><sheetData><row>"),
        "file_damaged",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_get_their_message(case: str, tmp_path: Path) -> None:
    build, key = BROKEN[case]
    options = {"max_bytes": 1000} if case == "too_large" else {}
    assert refusal(build(tmp_path), **options).key == key


def test_progress_is_called_once_per_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ba.xlsx", {"A": [[1]], "B": [[2]], "C": [[3]]}, hidden=["B"])
    calls: list[tuple[str, int, int]] = []
    grids = read_workbook(path, progress=lambda *call: calls.append(call))
    assert calls == [("A", 0, 3), ("B", 1, 3), ("C", 2, 3)]
    assert [(grid.sheet, grid.visible) for grid in grids] == [
        ("A", True),
        ("B", False),
        ("C", True),
    ]
    text = tmp_path / "bang.csv"
    text.write_text("a,b\n", encoding="utf-8")
    calls.clear()
    read_workbook(text, progress=lambda *call: calls.append(call))
    assert calls == [("bang", 0, 1)]


def test_grid_keeps_its_old_shape_for_callers() -> None:
    grid = Grid("Báo cáo", [[1]], True)
    assert grid.errors == {} and grid.rows == [[1]]


def test_ordinary_workbooks_pass_every_check_unchanged(tmp_path: Path) -> None:
    import python_calamine

    path = write_xlsx(tmp_path / "thuong.xlsx", WIDE_POVERTY)
    grid = only_grid(path)
    plain = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert grid.rows == plain.to_python(skip_empty_area=False)
    assert grid.errors == {}
