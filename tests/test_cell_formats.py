"""What only a cell's format says (:mod:`etl.cell_formats`): percent formats, legacy
Vietnamese fonts, and the error cells of .xls files.

Every file is written at test time: by openpyxl and xlwt (the libraries offices' files
come from), or by hand with zipfile for the layouts they will not write. Positions are
checked against what calamine reads (:func:`etl.reader.read_workbook`), the grid they will
be applied to.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
import xlwt
from openpyxl.styles import Font

from etl import cell_formats, reader
from etl.cell_formats import SheetFormats, is_percent_format, read_cell_formats
from etl.errors import ReadError
from etl.reader import Grid, read_workbook

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def grids(path: Path) -> dict[str, list[list[Any]]]:
    """What calamine alone reads, sheet by sheet (no formats applied)."""
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }


def assert_fits_calamine(path: Path, formats: dict[str, SheetFormats]) -> None:
    """Percent cells are numbers and legacy cells text where calamine reads them."""
    read = grids(path)
    for sheet, found in formats.items():
        rows = read[sheet]
        for row, col in found.percent:
            assert type(rows[row][col]) is float, (sheet, row, col)
        for row, col in found.legacy:
            assert type(rows[row][col]) is str and rows[row][col], (sheet, row, col)


# --- the format code --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.0%", True),
        ("0.00%", True),
        ("#,##0.0%", True),
        ("0.0%;[Red]-0.0%", True),
        ("[Blue][>=0.5]0.0%;0.0", True),
        ('0.0 "tỷ lệ" %', True),  # the % itself is not quoted
        ('#,##0.00" %"', False),
        ('0.0"%"', False),
        ("0.0\\%", False),
        ("0.0_%", False),  # a space as wide as %
        ("0*%", False),  # % repeated to fill the cell
        ("[$%-42A]0.0", False),
        ("0.0;-0.0%", False),  # only negative numbers show a %
        ("General", False),
        ("@", False),
        ("", False),
    ],
)
def test_a_percent_format_shows_a_literal_percent_in_its_first_section(
    code: str, percent: bool
) -> None:
    assert is_percent_format(code) is percent


# --- .xlsx written by openpyxl -------------------------------------------------------------


def styled(sheet: Any, ref: str, value: object, *, fmt: str = "", font: str = "") -> None:
    sheet[ref] = value
    if fmt:
        sheet[ref].number_format = fmt
    if font:
        sheet[ref].font = Font(name=font)


def write_styled_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    rates = book.active
    rates.title = "Tỷ lệ"
    rates.append(["Đơn vị", "Tỷ lệ"])
    styled(rates, "B2", 0.125, fmt="0.0%")
    styled(rates, "B3", 0.5, fmt="0%")
    styled(rates, "B4", 0.0952, fmt="0.00%")
    styled(rates, "B5", 3.5, fmt='#,##0.00" %"')  # the % is text: 3.5 means 3.5
    styled(rates, "B6", "80%", fmt="0%")  # text, whatever its format
    styled(rates, "B7", None, fmt="0.0%")  # formatted, empty
    styled(rates, "B8", 0.3, fmt="0.0%;[Red]-0.0%")
    styled(rates, "B9", 5, fmt="0.0;-0.0%")
    fonts = book.create_sheet("Phông cũ")
    styled(fonts, "A1", "CÇn Th¬", font=".VnTime")
    styled(fonts, "A2", "CÇN TH¬", font=".VnTimeH")
    styled(fonts, "A3", "Caàn Thô", font="VNI-Times")
    styled(fonts, "A4", 1234, font=".VnTime")  # a number: no text to convert
    styled(fonts, "A5", "Cần Thơ", font="Times New Roman")
    styled(fonts, "B5", "Hµ Néi", font=".VnArial")
    hidden = book.create_sheet("Ẩn")
    hidden.sheet_state = "hidden"
    styled(hidden, "C3", 0.25, fmt="0%")
    book.create_sheet("Trống").append(["Đơn vị", 1.5])
    book.save(path)
    return path


def test_openpyxl_percent_formats_and_legacy_fonts_by_sheet(tmp_path: Path) -> None:
    path = write_styled_xlsx(tmp_path / "bao_cao.xlsx")
    formats = read_cell_formats(path)
    assert formats == {
        "Tỷ lệ": SheetFormats(percent=frozenset({(1, 1), (2, 1), (3, 1), (7, 1)})),
        "Phông cũ": SheetFormats(
            legacy={(0, 0): "tcvn3", (1, 0): "tcvn3_upper", (2, 0): "vni", (4, 1): "tcvn3"}
        ),
        "Ẩn": SheetFormats(percent=frozenset({(2, 2)})),
    }
    assert_fits_calamine(path, formats)
    assert grids(path)["Tỷ lệ"][1][1] == 0.125  # what calamine alone says


def test_the_reader_applies_what_the_formats_say(tmp_path: Path) -> None:
    """read_workbook: percent cells as shown, legacy-font text as Unicode, the rest as is."""
    sheets: dict[str, Grid] = {
        grid.sheet: grid for grid in read_workbook(write_styled_xlsx(tmp_path / "b.xlsx"))
    }
    rates = [row[1] for row in sheets["Tỷ lệ"].rows[1:9]]
    assert rates == [12.5, 50.0, 9.52, 3.5, "80%", "", 30.0, 5.0]
    fonts = sheets["Phông cũ"].rows
    assert [fonts[0][0], fonts[1][0], fonts[2][0], fonts[3][0], fonts[4][0], fonts[4][1]] == [
        "Cần Thơ",
        "CẦN THƠ",
        "Cần Thơ",
        1234.0,
        "Cần Thơ",
        "Hà Nội",
    ]


def test_xlsm_is_read_like_xlsx(tmp_path: Path) -> None:
    path = write_styled_xlsx(tmp_path / "bao_cao.xlsx").rename(tmp_path / "bao_cao.xlsm")
    assert read_cell_formats(path)["Ẩn"] == SheetFormats(percent=frozenset({(2, 2)}))


def test_a_workbook_without_such_styles_says_nothing(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Đơn vị", 0.125, "CÇn Th¬"])
    book.active["B1"].number_format = "0.00"
    book.save(tmp_path / "plain.xlsx")
    assert read_cell_formats(tmp_path / "plain.xlsx") == {}


# --- .xlsx written by hand: layouts openpyxl does not write ---------------------------------

STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{MAIN_NS}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/>
<numFmt numFmtId="165" formatCode="#,##0.00&quot; %&quot;"/></numFmts>
<fonts count="3"><font><sz val="12"/><name val="{{default_font}}"/></font>
<font><name val=".VnTime"/></font><font><name val="VNI-Times"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="10" fontId="1"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="0"/>
<xf numFmtId="165" fontId="0"/><xf numFmtId="9" fontId="1" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="2"/></cellXfs>
</styleSheet>"""
# cellXfs: 0 plain, 1 "0.0%", 2 '#,##0.00" %"' (not percent), 3 "0%" in .VnTime, 4 VNI.
# cellStyleXfs are styles' own formats, not cells': its percent .VnTime must not count.

SHARED = ["Đơn vị", "CÇn Th¬", "Caàn Thô", "văn bản %"]

CELLS = (
    '<row r="1" spans="1:5"><c r="A1" t="s"><v>0</v></c></row>'
    '<row r="2" spans="1:5" s="1" customFormat="1">'
    '<c r="A2" s="3" t="s"><v>1</v></c><c r="B2" s="1"><v>0.125</v></c>'
    '<c r="C2" s="2"><v>3.5</v></c><c r="E2" t="inlineStr"><is><t>x s="1" y</t></is></c></row>'
    '<row r="3"><c r="A3" s="4" t="s"><v>2</v></c><c r="B3" s="3" t="n"><v>0.5</v></c>'
    '<c r="C3" s="1" t="s"><v>3</v></c><c r="D3" s="1"/><c r="E3" s="1"><v></v></c></row>'
    '<row r="4"><c r="A4" s="3" t="str"><f>"CÇn"&amp;" Th¬"</f><v>CÇn Th¬</v></c>'
    '<c r="B4" s="1"><f>B2*2</f><v>0.25</v></c>'
    '<c r="C4" s="3" t="inlineStr"><is><t>Hµ Néi</t></is></c><c r="D4" s="3" t="b"><v>1</v></c>'
    "</row>"
)
EXPECTED = SheetFormats(
    percent=frozenset({(1, 1), (2, 1), (3, 1)}),
    legacy={(1, 0): "tcvn3", (2, 0): "vni", (3, 0): "tcvn3", (3, 2): "tcvn3"},
)


def worksheet(cells: str, *, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}worksheet {xmlns}="{MAIN_NS}">'
        f'<{p}dimension ref="A1:E4"/><{p}sheetData>{cells}</{p}sheetData></{p}worksheet>'
    )


def prefixed(cells: str) -> str:
    return re.sub(r"<(/?)(row|c|v|f|is|t)([\s>/])", r"<\1x:\2\3", cells)


def reordered(cells: str) -> str:
    """``<c s="3" t="s" r="A2">``: r last."""
    return re.sub(r'<c (r="[A-Z]+[0-9]+") ([^>]*?)(/?)>', r"<c \2 \1\3>", cells)


def loosely_quoted(cells: str) -> str:
    """Single quotes, spaces around "=", attributes on new lines: all well-formed XML."""
    cells = re.sub(r'<c r="([^"]*)"', r"<c\n r = '\1'", cells)
    return re.sub(r' s="([0-9])"', r"\n\ts='\1'", cells)


def without_references(cells: str) -> str:
    """Cells placed by their order, as some writers leave them (calamine counts them)."""
    return re.sub(r'(<c) r="[A-Z]+[0-9]+"', r"\1", cells)


SHEET_LAYOUTS = {
    "excel": worksheet(CELLS),
    "namespace_prefix": worksheet(prefixed(CELLS), prefix="x"),
    "excel_plain_rows": worksheet(
        CELLS.replace(' s="1" customFormat="1"', "").replace('x s="1" y', "x")
    ),
    "reordered": worksheet(reordered(CELLS)),
    "loose": worksheet(loosely_quoted(CELLS)),
    "cells_without_r": worksheet(without_references(CELLS)),
}


STATE = ' state="hidden"'


def write_raw_xlsx(
    path: Path,
    sheets: dict[str, str],
    *,
    default_font: str = "Times New Roman",
    hidden: tuple[str, ...] = (),
) -> Path:
    """A workbook from its parts: sheet name → worksheet XML, with :data:`STYLES`."""
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"{STATE if name in hidden else ""}/>'
        for i, name in enumerate(sheets, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    shared = "".join(f"<si><t>{text}</t></si>" for text in SHARED)
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rIdS" Type="{REL_NS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rIdT" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": STYLES.replace("{default_font}", default_font),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN_NS}" count="4" uniqueCount="4">{shared}</sst>',
    }
    for i, xml in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


@pytest.mark.parametrize("layout", sorted(SHEET_LAYOUTS))
def test_every_sheet_layout_gives_the_same_cells(layout: str, tmp_path: Path) -> None:
    path = write_raw_xlsx(tmp_path / f"{layout}.xlsx", {"Báo cáo": SHEET_LAYOUTS[layout]})
    formats = read_cell_formats(path)
    assert formats == {"Báo cáo": EXPECTED}
    assert_fits_calamine(path, formats)


def chunked(data: bytes, size: int) -> Iterator[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))


@pytest.mark.parametrize("layout", sorted(SHEET_LAYOUTS))
@pytest.mark.parametrize("default_font", ["Arial", ".VnTime"])
def test_the_fast_scan_agrees_with_the_xml_parser_whatever_the_chunks(
    layout: str, default_font: str
) -> None:
    """The private scanners themselves, fed in chunks down to single bytes. The regexes
    read every layout but cells without r; when style 0 is wanted (every cell a hit), only
    the usual attribute order and quoting."""
    legacy = {0: "tcvn3", 1: "tcvn3", 2: "tcvn3"} if default_font == ".VnTime" else {}
    styles = cell_formats._Styles(frozenset({1, 3}), legacy | {3: "tcvn3", 4: "vni"})
    xml = SHEET_LAYOUTS[layout].encode("utf-8")
    slow = cell_formats._scan_sheet_slowly(iter([xml]), styles)
    assert slow.legacy and slow.percent
    regular = {"excel", "excel_plain_rows", "namespace_prefix"}
    regular |= set() if legacy else {"reordered", "loose"}
    for size in (len(xml), 64, 7, 1):
        if layout in regular:
            fast = cell_formats._FastScan(styles).run(chunked(xml, size))
        else:
            fast = cell_formats._scan_sheet(partial(chunked, xml, size), styles)
        assert fast == slow, size


def test_cells_without_a_style_have_style_0_which_may_be_a_legacy_font(tmp_path: Path) -> None:
    """Old Vietnamese workbooks set .VnTime as the Normal font: then every text cell whose
    ``s`` is absent (Excel leaves out s="0") is TCVN3."""
    path = write_raw_xlsx(
        tmp_path / "vntime.xlsx",
        {"Báo cáo": worksheet(CELLS), "Ẩn": worksheet(CELLS)},
        default_font=".VnTime",
        hidden=("Ẩn",),
    )
    unstyled = {(0, 0): "tcvn3", (1, 4): "tcvn3", (2, 2): "tcvn3"}  # A1, E2; C3 is style 1
    expected = SheetFormats(EXPECTED.percent, EXPECTED.legacy | unstyled)
    assert read_cell_formats(path) == {"Báo cáo": expected, "Ẩn": expected}
    assert_fits_calamine(path, read_cell_formats(path))


def with_part(path: Path, name: str, data: bytes, out: Path) -> Path:
    """A copy of the zip at ``path`` with member ``name`` replaced (its CRC made right)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            dest.writestr(info.filename, data if info.filename == name else source.read(info))
    return out


def default_style_percent(path: Path, out: Path) -> Path:
    """A copy of an openpyxl workbook whose style 0 (every cell's) has format "0.00%"."""
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml")
    percent = re.sub(rb'(<cellXfs[^>]*><xf) numFmtId="0"', rb'\1 numFmtId="10"', styles)
    assert percent != styles
    return with_part(path, "xl/styles.xml", percent, out)


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 cells, as openpyxl's write-only mode writes them: no style at all."""
    path = tmp_path_factory.mktemp("big") / "big.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Báo cáo")
    for row in range(40_000):
        sheet.append([f"Đơn vị {row % 700}", "poverty_rate", 2020 + row % 5, row / 7, ""])
    book.save(path)
    return path


def test_without_wanted_styles_no_worksheet_is_read(big_workbook: Path, tmp_path: Path) -> None:
    """The benchmarked path: styles.xml says no, and the sheets are never inflated. A
    worksheet replaced by garbage proves it; the same garbage is refused once a style is
    percent."""
    assert read_cell_formats(big_workbook) == {}
    garbage = with_part(big_workbook, "xl/worksheets/sheet1.xml", b"<<garbage", tmp_path / "g.xlsx")
    assert read_cell_formats(garbage) == {}
    with pytest.raises(ReadError) as caught:
        read_cell_formats(default_style_percent(garbage, tmp_path / "percent_garbage.xlsx"))
    assert caught.value.key == "file_damaged"


def test_a_big_sheet_whose_default_style_is_percent_is_read_whole(
    big_workbook: Path, tmp_path: Path
) -> None:
    path = default_style_percent(big_workbook, tmp_path / "percent.xlsx")
    found = read_cell_formats(path)["Báo cáo"]
    assert len(found.percent) == 2 * 40_000  # the year and the value of every row
    assert {col for _, col in found.percent} == {2, 3} and not found.legacy


def test_a_damaged_styles_part_is_refused_as_damage(tmp_path: Path) -> None:
    path = write_styled_xlsx(tmp_path / "bao_cao.xlsx")
    broken = with_part(path, "xl/styles.xml", b"<styleSheet", tmp_path / "broken.xlsx")
    with pytest.raises(ReadError) as caught:
        read_cell_formats(broken)
    assert caught.value.key == "file_damaged"


# --- .xls written by xlwt -----------------------------------------------------------------


class CachedErrorFormula:
    """A FORMULA record whose cached result is an error, as Excel saves ``=1/0``.

    xlwt writes formulas with an empty cached result; Excel writes the computed one.
    """

    def __init__(self, row: int, col: int, xf: int, formula: str, code: int) -> None:
        self.row, self.col, self.xf, self.code = row, col, xf, code
        self.rpn: bytes = xlwt.Formula(formula).rpn()

    def get_biff_data(self) -> bytes:
        result = struct.pack("<BBBBHH", 2, 0, self.code, 0, 0, 0xFFFF)  # 2: an error
        data = struct.pack("<3H", self.row, self.col, self.xf) + result
        data += struct.pack("<HL", 0, 0) + self.rpn
        return struct.pack("<2H", 0x0006, len(data)) + data


def write_styled_xls(path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    rates = book.add_sheet("Tỷ lệ", cell_overwrite_ok=True)
    rates.write(0, 0, "Đơn vị")
    rates.write(1, 1, 0.125, xlwt.easyxf(num_format_str="0.0%"))
    rates.write(2, 1, 0.5, xlwt.easyxf(num_format_str="0%"))
    rates.write(3, 1, 0.0952, xlwt.easyxf(num_format_str="0.00%"))
    rates.write(4, 1, 3.5, xlwt.easyxf(num_format_str='#,##0.00" %"'))
    rates.write(5, 1, "80%", xlwt.easyxf(num_format_str="0%"))
    rates.write(1, 0, "CÇn Th¬", xlwt.easyxf("font: name .VnTime"))
    rates.write(2, 0, "CÇN TH¬", xlwt.easyxf("font: name .VnTimeH"))
    rates.write(3, 0, "Caàn Thô", xlwt.easyxf("font: name VNI-Times"))
    rates.write(4, 0, 7, xlwt.easyxf("font: name .VnTime"))
    rates.row(1).set_cell_error(2, "#DIV/0!")
    rates.row(2).set_cell_error(2, "#REF!")
    rates.row(3).set_cell_error(2, 0x2A)  # xlwt spells it "#N/A!"
    rates.row(4).set_cell_error(2, 0x0F)  # xlwt's "#VALUE!" writes #NUM!'s code
    rates.write(5, 2, xlwt.Formula("1/0"))
    xf = book.add_style(xlwt.Style.default_style)
    rates.row(5).insert_cell(2, CachedErrorFormula(5, 2, xf, "1/0", 0x07))
    rates.write(6, 2, xlwt.Formula("2*3"))  # xlwt caches no value: not an error cell
    hidden = book.add_sheet("Ẩn")
    hidden.visibility = 1
    hidden.write(2, 3, 0.25, xlwt.easyxf(num_format_str="0%"))
    book.add_sheet("Trống").write(0, 0, "Đơn vị")
    book.save(str(path))
    return path


def test_xls_percent_formats_legacy_fonts_and_error_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_styled_xls(tmp_path / "bao_cao.xls")
    formats = read_cell_formats(path)
    assert formats == {
        "Tỷ lệ": SheetFormats(
            percent=frozenset({(1, 1), (2, 1), (3, 1)}),
            legacy={(1, 0): "tcvn3", (2, 0): "tcvn3_upper", (3, 0): "vni"},
            errors={(1, 2): "#DIV/0!", (2, 2): "#REF!", (3, 2): "#N/A", (4, 2): "#VALUE!"}
            | {(5, 2): "#DIV/0!"},
            extent=(7, 3),  # A1 to C7, the uncalculated formula
        ),
        "Ẩn": SheetFormats(percent=frozenset({(2, 3)}), extent=(3, 4)),
        "Trống": SheetFormats(extent=(1, 1)),
    }
    assert_fits_calamine(path, formats)
    rows = grids(path)["Tỷ lệ"]
    assert [rows[row][2] for row in range(1, 6)] == [""] * 5  # calamine: just empty
    assert capsys.readouterr() == ("", "")  # xlrd's warnings go nowhere, not to stdout


def test_an_xls_over_the_cell_limit_is_refused_before_calamine_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One value at A1 and one at IV65536 span 65,536 × 256 cells (calamine would allocate
    them all); formatted blank cells further out do not count."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Báo cáo")
    sheet.write(0, 0, "Đơn vị")
    sheet.write(65535, 255, 1)
    book.add_sheet("Nhỏ").write(9, 4, "x")
    sheet_blank = book.add_sheet("Trắng")
    sheet_blank.write(0, 0, 1)
    sheet_blank.write(65535, 255, None, xlwt.easyxf("borders: left thin"))  # blank, styled
    path = tmp_path / "rong.xls"
    book.save(str(path))
    formats = read_cell_formats(path)
    extents = {name: found.extent for name, found in formats.items()}
    assert extents == {"Báo cáo": (65536, 256), "Nhỏ": (10, 5), "Trắng": (1, 1)}
    monkeypatch.setattr(
        reader.calamine.CalamineWorkbook, "from_path", lambda *_: pytest.fail("calamine ran")
    )
    with pytest.raises(ReadError) as refused:
        read_workbook(path)
    assert (refused.value.key, refused.value.sheet) == ("sheet_too_many_cells", "Báo cáo")
    assert refused.value.params == {"rows": 65536, "cols": 256, "limit": 5_000_000}


def xls_bytes(tmp_path: Path) -> bytes:
    return write_styled_xls(tmp_path / "source.xls").read_bytes()


def zero_fat(data: bytes) -> bytes:
    """The compound file's first FAT sector zeroed: every chain points to sector 0."""
    sector = struct.unpack_from("<i", data, 0x4C)[0]
    start = 512 * (sector + 1)
    return data[:start] + bytes(512) + data[start + 512 :]


def zero_directory(data: bytes) -> bytes:
    sector = struct.unpack_from("<i", data, 0x30)[0]
    start = 512 * (sector + 1)
    return data[:start] + bytes(512) + data[start + 512 :]


DAMAGE = {
    "not_a_compound_file": lambda data: b"Microsoft Excel 5.0 " * 100,
    "truncated": lambda data: data[: len(data) // 2],
    "fat_zeroed": zero_fat,
    "directory_zeroed": zero_directory,
    "workbook_stream_zeroed": lambda data: data[:512] + bytes(1024) + data[1536:],
}


def test_the_reader_refuses_a_damaged_xls_before_calamine_can_abort(tmp_path: Path) -> None:
    """A zeroed FAT makes calamine allocate without bound (4 GB, then SIGABRT): xlrd reads
    the file first. In a child process with 1.5 GB of address space, so that a regression
    fails this test and not the whole run."""
    path = tmp_path / "hong.xls"
    path.write_bytes(DAMAGE["fat_zeroed"](xls_bytes(tmp_path)))
    code = (
        "import resource, sys; from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))\n"
        "from etl.reader import read_workbook, ReadError\n"
        "try:\n    read_workbook(Path(sys.argv[1]))\n"
        "except ReadError as e:\n    print(e.key)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "file_damaged"), done.stderr[-2000:]


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_xls_is_refused_as_damage_quietly(
    damage: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hong.xls"
    path.write_bytes(DAMAGE[damage](xls_bytes(tmp_path)))
    with pytest.raises(ReadError) as caught:
        read_cell_formats(path)
    assert caught.value.key == "file_damaged" and caught.value.params["detail"]
    assert capsys.readouterr().out == ""


# --- other formats ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bao_cao.ods", "bao_cao.csv", "bao_cao.txt"])
def test_other_formats_have_nothing_to_say(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(b"not read at all")
    assert read_cell_formats(path) == {}


def test_empty_sheet_formats_are_falsy() -> None:
    assert not SheetFormats()
    assert SheetFormats(errors={(0, 0): "#N/A"})
