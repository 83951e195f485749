"""Write the test corpus: small report files, and what loading each one must give.

    .venv/bin/python -m tests.corpus.make_corpus

rewrites ``tests/corpus/files/`` and ``tests/corpus/expected.toml``, byte for byte the
same on every run (fixed zip times, document dates and encryption salts). Each case below
holds a file's content and, beside it, what ``python -m etl load`` must do with it: the
observations ``v_observation`` must then hold, or the errors (rule, sheet, cell) and exit
code 1. The expectations are written here by hand from the content, never read back
from the loader; ``tests/test_corpus.py`` loads every file and compares.

A case marked ``gap`` expects what the issue asks for and the loader does not do yet; its
test fails until the feature is done (the reason is in the manifest).

Names come from data/units.csv and data/indicators.csv. Files are named
``format-…``, ``layout-…``, ``value-…``, ``period-…``, ``legacy-…``, ``unit-…``,
``warn-…`` (loads, with a warning) and ``bad-…`` (refused).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile
from msoffcrypto.method import ecma376_agile
from msoffcrypto.method.container import ecma376_encrypted
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = Path(__file__).resolve().parent
FILES_DIR = HERE / "files"
MANIFEST = HERE / "expected.toml"
FIXED_TIME = datetime(2025, 1, 1, 8, 0, 0)
SHEET = "Báo cáo"

Rows = Sequence[Sequence[Any]]
Span = tuple[date, date]


# --- what a case expects ------------------------------------------------------------------


@dataclass(frozen=True)
class Obs:
    """One observation ``v_observation`` must hold after the load."""

    unit: str
    indicator: str
    period: Span
    value: float
    qualifier: str | None = None
    target: float | None = None
    preliminary: bool = False
    illustrative: bool = False


@dataclass(frozen=True)
class Problem:
    """A problem the load must report: its rule, where, and words its message must hold."""

    rule: str
    sheet: str = ""
    cell: str = ""
    says: str = ""


@dataclass
class Case:
    name: str
    about: str
    write: Callable[[Path], None]
    rows: list[Obs] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    no_warnings: list[str] = field(default_factory=list)  # rules that must not be reported
    args: list[str] = field(default_factory=list)
    gap: str = ""  # a feature not done yet: what happens today

    @property
    def exit(self) -> int:
        return 1 if self.errors else 0


def Y(year: int) -> Span:
    return date(year, 1, 1), date(year, 12, 31)


def Q(year: int, quarter: int) -> Span:
    first = 3 * quarter - 2
    return date(year, first, 1), _month_end(year, first + 2)


def M(year: int, month: int) -> Span:
    return date(year, month, 1), _month_end(year, month)


def MONTHS(year: int, first: int, last: int) -> Span:
    return date(year, first, 1), _month_end(year, last)


def TERM(first: int, last: int) -> Span:
    return date(first, 1, 1), date(last, 12, 31)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


# --- writers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styled:
    """A cell written with a number format, a font, or as text even if it starts with "="."""

    value: Any
    number_format: str | None = None
    font: str | None = None
    as_text: bool = False


def xlsx(
    sheets: dict[str, Rows] | Rows,
    *,
    hidden: Sequence[str] = (),
    very_hidden: Sequence[str] = (),
    merges: Sequence[str] = (),
    epoch_1904: bool = False,
    macro: bool = False,
) -> Callable[[Path], None]:
    """An openpyxl workbook, one sheet per entry (a list of rows: one sheet "Báo cáo");
    ``merges`` apply to the first sheet."""
    tables = sheets if isinstance(sheets, dict) else {SHEET: sheets}

    def write(path: Path) -> None:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        if epoch_1904:
            workbook.epoch = CALENDAR_MAC_1904
        for name, rows in tables.items():
            sheet = workbook.create_sheet(name)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    _put(sheet.cell(row=r, column=c), value)
            if name in hidden:
                sheet.sheet_state = "hidden"
            if name in very_hidden:
                sheet.sheet_state = "veryHidden"
        for cells in merges:
            workbook.worksheets[0].merge_cells(cells)
        workbook.properties.creator = "tests/corpus/make_corpus.py"
        workbook.properties.created = FIXED_TIME
        workbook.save(path)
        _freeze_zip(path, macro=macro)

    return write


def _put(cell: Any, value: Any) -> None:
    if not isinstance(value, Styled):
        if value is not None and value != "":
            cell.value = value
        return
    cell.value = value.value
    if value.as_text:
        cell.data_type = "s"
    if value.number_format:
        cell.number_format = value.number_format
    if value.font:
        cell.font = Font(name=value.font)


_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _freeze_zip(path: Path, *, macro: bool = False) -> None:
    """Rewrite a zip with fixed entry times and document dates: same input, same bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            if info.filename == "meta.xml":
                data = re.sub(rb"<meta:creation-date>[^<]*", b"<meta:creation-date>" + stamp, data)
            if macro and info.filename == "[Content_Types].xml":
                data = data.replace(_XLSX_MAIN, _XLSM_MAIN)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


def xls(rows: Rows, *, errors: dict[str, str] | None = None) -> Callable[[Path], None]:
    """An Excel 97-2003 workbook written by xlwt; ``errors`` puts error cells (A1 names)."""

    def write(path: Path) -> None:
        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet(SHEET)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None and value != "":
                    sheet.write(r, c, value)
        for name, code in (errors or {}).items():
            r, c = _position(name)
            sheet.row(r).set_cell_error(c, _BIFF_ERRORS[code])
        book.save(str(path))

    return write


# BIFF error codes (xlwt's own table of texts lacks "#N/A" and misnumbers "#VALUE!").
_BIFF_ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#N/A": 0x2A}


def _position(name: str) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", name)
    assert match, name
    col = 0
    for letter in match[1]:
        col = col * 26 + ord(letter) - 64
    return int(match[2]) - 1, col - 1


def ods(rows: Rows) -> Callable[[Path], None]:
    """An OpenDocument spreadsheet written by odfpy."""

    def write(path: Path) -> None:
        document = OpenDocumentSpreadsheet()
        table = Table(name=SHEET)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if value is None or value == "":
                    cell = TableCell()
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
        document.save(str(path))
        _freeze_zip(path)

    return write


def ods_xml(table_rows: str) -> Callable[[Path], None]:
    """An .ods whose sheet XML is given, as LibreOffice writes it (error cells, formulas)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        ' office:version="1.3"><office:body><office:spreadsheet>'
        f'<table:table table:name="{SHEET}">{table_rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
    )

    def write(path: Path) -> None:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data, method in (
                ("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
                ("content.xml", content, zipfile.ZIP_DEFLATED),
                ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED),
            ):
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
                info.compress_type = method
                archive.writestr(info, data)

    return write


def _ods_row(*cells: str) -> str:
    return f"<table:table-row>{''.join(cells)}</table:table-row>"


def _ods_text(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def _ods_number(value: float) -> str:
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def text_file(rows: Rows, *, sep: str = ",", encoding: str = "utf-8") -> Callable[[Path], None]:
    """A .csv/.txt file: ``encoding`` "utf-8", "utf-8-sig" (BOM), "utf-16" (little endian,
    with BOM, as Excel saves "Unicode text") or "cp1258" (Windows-1258)."""

    def write(path: Path) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
        path.write_bytes(_encode(buffer.getvalue(), encoding))

    return write


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "cp1258":
        return b"".join(_cp1258(ch) for ch in unicodedata.normalize("NFC", text))
    return text.encode(encoding)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(ch: str) -> bytes:
    """Windows-1258 has letters with their hat or horn but tones as combining marks."""
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(mark for mark in parts if mark in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONE_MARKS))
        return (base + tones).encode("cp1258")


def raw(data: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def truncated(build: Callable[[Path], None], keep: float) -> Callable[[Path], None]:
    """A workbook cut short, as an interrupted download or copy leaves it."""

    def write(path: Path) -> None:
        build(path)
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * keep)])

    return write


def encrypted(build: Callable[[Path], None], password: str) -> Callable[[Path], None]:
    """A workbook saved with a password (Excel's "Encrypt with password"); the salts come
    from a counter instead of the system's randomness, so the file is the same each run."""

    def write(path: Path) -> None:
        build(path)
        plain = path.read_bytes()
        counter = iter(range(1, 1 << 16))

        def not_random(size: int) -> bytes:
            return bytes([next(counter) % 256]) * size

        target = io.BytesIO()
        with (
            mock.patch.object(ecma376_agile, "_random_buffer", not_random),
            mock.patch.object(ecma376_encrypted, "datetime", _FixedClock),
        ):
            OOXMLFile(io.BytesIO(plain)).encrypt(password, target)
        path.write_bytes(target.getvalue())

    return write


class _FixedClock(datetime):
    """``datetime`` whose ``now()`` is FIXED_TIME (the encrypted container's timestamps)."""

    @classmethod
    def now(cls, tz: Any = None) -> _FixedClock:
        return cls.fromtimestamp(FIXED_TIME.timestamp(), tz)


def with_zeros(
    build: Callable[[Path], None], megabytes: int, declared: int | None = None
) -> Callable[[Path], None]:
    """A real workbook plus an image part of zeros, compressed hard (a few KB on disk);
    ``declared`` rewrites the part's declared uncompressed size, as a zip bomb does."""
    member = "xl/media/image1.png"

    def write(path: Path) -> None:
        build(path)
        with zipfile.ZipFile(path, "a") as archive:
            info = zipfile.ZipInfo(member, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, bytes(megabytes << 20), compresslevel=9)
        if declared is not None:
            _declare_size(path, member, declared)

    return write


def _declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite a member's declared uncompressed size in its local and central headers."""
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


# --- the cases ----------------------------------------------------------------------------

CASES: list[Case] = []


def case(name: str, about: str, write: Callable[[Path], None], **expect: Any) -> None:
    CASES.append(Case(name, about, write, **expect))


# One small report, the same in every file format: title lines, a header, numbers as
# numbers in one row and as Vietnamese text in the other, a missing marker, a source line.
POVERTY: list[list[Any]] = [
    ["BÁO CÁO TỶ LỆ HỘ NGHÈO CÁC QUẬN, HUYỆN"],
    ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
    ["Đơn vị tính: %"],
    [],
    ["STT", "Đơn vị", "2014", "2015", "2016"],
    [1, "Quận Ô Môn", 4.68, 3.9, 3.12],
    [2, "Huyện Thới Lai", "5,17", "4,6", ".."],
    [],
    ["Nguồn: Báo cáo của các quận, huyện; số liệu năm 2016"],
]
POVERTY_ROWS = [
    Obs("917", "poverty_rate", Y(2014), 4.68),
    Obs("917", "poverty_rate", Y(2015), 3.9),
    Obs("917", "poverty_rate", Y(2016), 3.12),
    Obs("927", "poverty_rate", Y(2014), 5.17),
    Obs("927", "poverty_rate", Y(2015), 4.6),
]

case("format-xlsx.xlsx", "Excel workbook", xlsx(POVERTY), rows=POVERTY_ROWS)
case(
    "format-xlsm.xlsm",
    "macro-enabled workbook (macros never run)",
    xlsx(POVERTY, macro=True),
    rows=POVERTY_ROWS,
)
case("format-xls.xls", "Excel 97-2003 workbook (xlwt)", xls(POVERTY), rows=POVERTY_ROWS)
case("format-ods.ods", "OpenDocument spreadsheet (odfpy)", ods(POVERTY), rows=POVERTY_ROWS)
case(
    "format-csv-utf8.csv",
    "UTF-8 without BOM, comma separator, quoted decimal commas",
    text_file(POVERTY),
    rows=POVERTY_ROWS,
)
case(
    "format-csv-utf8-bom.csv",
    "UTF-8 with BOM, comma separator",
    text_file(POVERTY, encoding="utf-8-sig"),
    rows=POVERTY_ROWS,
)
case(
    "format-csv-semicolon.csv",
    "UTF-8 with BOM and ';' as Excel saves CSV in a Vietnamese locale",
    text_file(POVERTY, sep=";", encoding="utf-8-sig"),
    rows=POVERTY_ROWS,
)
case(
    "format-csv-tab.csv",
    "UTF-8, tab separated",
    text_file(POVERTY, sep="\t"),
    rows=POVERTY_ROWS,
)
case(
    "format-txt-utf16.txt",
    "UTF-16 tab-separated text, as Excel saves “Unicode Text”",
    text_file(POVERTY, sep="\t", encoding="utf-16"),
    rows=POVERTY_ROWS,
)
case(
    "format-csv-cp1258.csv",
    "Windows-1258 (tones as combining marks), ';' separator",
    text_file(POVERTY, sep=";", encoding="cp1258"),
    rows=POVERTY_ROWS,
)
case(
    "format-csv-long.csv",
    "long layout with no title lines, plain CSV",
    text_file(
        [
            ["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Ghi chú"],
            ["Quận Ninh Kiều", "Tổng số hộ", "2015", "68.410", ""],
            ["Quận Ninh Kiều", "Số hộ nghèo", "2015", "1.026", "theo chuẩn nghèo 2011-2015"],
            ["Quận Cái Răng", "Số hộ nghèo", "2015", "612", ""],
        ]
    ),
    rows=[
        Obs("916", "households", Y(2015), 68410),
        Obs("916", "poor_households", Y(2015), 1026),
        Obs("919", "poor_households", Y(2015), 612),
    ],
)

# --- layouts ---------------------------------------------------------------------------

case(
    "layout-long.xlsx",
    "long layout: Đơn vị, Chỉ tiêu, Năm, Giá trị, Kế hoạch, Ghi chú, Nguồn, Loại số liệu",
    xlsx(
        [
            ["TỔNG HỢP CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN"],
            [],
            [
                *("STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Kế hoạch"),
                *("Ghi chú", "Nguồn", "Loại số liệu"),
            ],
            [
                *(1, "Đảng bộ Văn phòng Bộ Công Thương", "Số đảng viên kết nạp mới", 2023, 12),
                *(10, "", "Báo cáo tổng kết năm", "Báo cáo"),
            ],
            [
                *(2, "Đảng bộ Cục Xuất nhập khẩu", "Số đảng viên kết nạp mới", "2023", "9"),
                *("", "", "", "Minh họa"),
            ],
            [
                *(3, "Đảng bộ Văn phòng Bộ Công Thương", "Số đảng viên được công nhận chính thức"),
                *(2024, 15, "", "ước cả năm", "", "Sơ bộ"),
            ],
        ]
    ),
    rows=[
        Obs("DBBCT-01", "members_admitted", Y(2023), 12, target=10),
        Obs("DBBCT-02", "members_admitted", Y(2023), 9, illustrative=True),
        Obs("DBBCT-01", "members_made_official", Y(2024), 15, preliminary=True),
    ],
)
case(
    "layout-long-status-blank.xlsx",
    "a “Loại số liệu” column left empty in some rows: those figures are reported ones",
    xlsx(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Loại số liệu"],
            [1, "Đảng bộ Văn phòng Bộ Công Thương", "Số đảng viên kết nạp mới", 2022, 11],
            [2, "Đảng bộ Văn phòng Bộ Công Thương", "Số đảng viên kết nạp mới", 2023, 12, "Sơ bộ"],
        ]
    ),
    rows=[
        Obs("DBBCT-01", "members_admitted", Y(2022), 11),
        Obs("DBBCT-01", "members_admitted", Y(2023), 12, preliminary=True),
    ],
)
case(
    "layout-status-line.xlsx",
    "“Loại số liệu: Minh họa” above the table marks every figure of the sheet illustrative",
    xlsx(
        [
            ["Chỉ tiêu: Số hộ nghèo"],
            ["Loại số liệu: Minh họa"],
            ["Đơn vị", "2016", "Sơ bộ 2017"],
            ["Quận Ô Môn", 1045, 990],
        ]
    ),
    rows=[
        Obs("917", "poor_households", Y(2016), 1045, illustrative=True),
        Obs("917", "poor_households", Y(2017), 990, illustrative=True, preliminary=True),
    ],
)
case(
    "layout-wide-years.xlsx",
    "one column per year (2013 as text, 2014 as a number, “Năm 2015”), title rows",
    xlsx(
        [
            ["THÀNH ỦY CẦN THƠ"],
            ["BAN KINH TẾ"],
            ["SỐ HỘ NGHÈO CÁC QUẬN, HUYỆN GIAI ĐOẠN 2013 - 2015"],
            ["Chỉ tiêu: Số hộ nghèo"],
            ["Đơn vị tính: hộ"],
            ["STT", "Đơn vị", "2013", 2014, "Năm 2015"],
            [1, "Quận Ô Môn", 2071, 1540, 1203],
            [2, "Quận Bình Thủy", 905, 712, 650],
            [3, "Huyện Thới Lai", 1812, 1448, 1190],
        ]
    ),
    rows=[
        Obs("917", "poor_households", Y(2013), 2071),
        Obs("917", "poor_households", Y(2014), 1540),
        Obs("917", "poor_households", Y(2015), 1203),
        Obs("918", "poor_households", Y(2013), 905),
        Obs("918", "poor_households", Y(2014), 712),
        Obs("918", "poor_households", Y(2015), 650),
        Obs("927", "poor_households", Y(2013), 1812),
        Obs("927", "poor_households", Y(2014), 1448),
        Obs("927", "poor_households", Y(2015), 1190),
    ],
)
case(
    "layout-wide-indicator-option.xlsx",
    "years as columns and no “Chỉ tiêu:” line: the indicator comes from --indicator",
    xlsx(
        [
            ["Tổ chức đảng", "2022", "2023"],
            ["Đảng bộ Trường Đại học Điện lực", 21, 25],
            ["Đảng bộ Báo Công Thương", 3, 4],
        ]
    ),
    args=["--indicator", "members_admitted"],
    rows=[
        Obs("DBBCT-07", "members_admitted", Y(2022), 21),
        Obs("DBBCT-07", "members_admitted", Y(2023), 25),
        Obs("DBBCT-09", "members_admitted", Y(2022), 3),
        Obs("DBBCT-09", "members_admitted", Y(2023), 4),
    ],
)
case(
    "layout-indicators-as-columns.xlsx",
    "one column per indicator, the year in a column",
    xlsx(
        [
            ["SỐ LIỆU HỘ NGHÈO"],
            ["STT", "Đơn vị", "Năm", "Tổng số hộ", "Số hộ nghèo", "Tỷ lệ hộ nghèo (%)"],
            [1, "Quận Ô Môn", 2014, 32900, 1540, "4,68"],
            [2, "Huyện Thới Lai", 2014, 28000, 1448, "5,17"],
        ]
    ),
    rows=[
        Obs("917", "households", Y(2014), 32900),
        Obs("917", "poor_households", Y(2014), 1540),
        Obs("917", "poverty_rate", Y(2014), 4.68),
        Obs("927", "households", Y(2014), 28000),
        Obs("927", "poor_households", Y(2014), 1448),
        Obs("927", "poverty_rate", Y(2014), 5.17),
    ],
)
case(
    "layout-units-as-columns.xlsx",
    "one column per unit (and a “Toàn thành phố” column), the year in a title line",
    xlsx(
        [
            ["SO SÁNH CÁC QUẬN"],
            ["Năm: 2014"],
            ["STT", "Chỉ tiêu", "Quận Ô Môn", "Q. Bình Thủy", "Toàn thành phố"],
            [1, "Tỷ lệ hộ nghèo", "4,68", "2,1", "3,5"],
            [2, "Số hộ nghèo", 1540, 712, 9000],
        ]
    ),
    rows=[
        Obs("917", "poverty_rate", Y(2014), 4.68),
        Obs("917", "poor_households", Y(2014), 1540),
        Obs("918", "poverty_rate", Y(2014), 2.1),
        Obs("918", "poor_households", Y(2014), 712),
    ],
)
case(
    "layout-own-unit.xlsx",
    "one unit's own report: “Đơn vị: Quận Ô Môn” above a Chỉ tiêu × year table",
    xlsx(
        [
            ["ĐẢNG BỘ QUẬN Ô MÔN"],
            ["Đơn vị: Quận Ô Môn"],
            ["Đơn vị tính: hộ"],
            ["STT", "Chỉ tiêu", "2013", "2014"],
            [1, "Tổng số hộ", 32100, 32900],
            [2, "Số hộ nghèo", 2071, 1540],
        ]
    ),
    rows=[
        Obs("917", "households", Y(2013), 32100),
        Obs("917", "households", Y(2014), 32900),
        Obs("917", "poor_households", Y(2013), 2071),
        Obs("917", "poor_households", Y(2014), 1540),
    ],
)
case(
    "layout-measure-trieu-dong.xlsx",
    "“Đơn vị: Triệu đồng” is the measure, not a unit; the unit comes from --unit",
    xlsx(
        [
            ["KẾT QUẢ THU NGÂN SÁCH"],
            ["Đơn vị: Triệu đồng"],
            ["STT", "Chỉ tiêu", "2012", "2013"],
            [1, "Dự toán thu ngân sách", 250000, "262.000"],
            [2, "Thu ngân sách thực hiện", "212.500", 270150],
        ]
    ),
    args=["--unit", "918-CCT"],
    rows=[
        Obs("918-CCT", "budget_revenue_estimate", Y(2012), 250000),
        Obs("918-CCT", "budget_revenue_estimate", Y(2013), 262000),
        Obs("918-CCT", "budget_revenue_collected", Y(2012), 212500),
        Obs("918-CCT", "budget_revenue_collected", Y(2013), 270150),
    ],
)
case(
    "layout-two-row-header.xlsx",
    "“Năm” merged over the year columns, STT, Đơn vị and Ghi chú merged down two rows",
    xlsx(
        [
            ["Chỉ tiêu: Số hộ nghèo"],
            ["STT", "Đơn vị", "Năm", None, None, "Ghi chú"],
            [None, None, 2013, "2014", "2015", None],
            [1, "Quận Ô Môn", 2071, 1540, 1203, ""],
            [2, "Huyện Thới Lai", 1812, 1448, 1190, "giảm mạnh"],
        ],
        merges=["A2:A3", "B2:B3", "C2:E2", "F2:F3"],
    ),
    rows=[
        Obs("917", "poor_households", Y(2013), 2071),
        Obs("917", "poor_households", Y(2014), 1540),
        Obs("917", "poor_households", Y(2015), 1203),
        Obs("927", "poor_households", Y(2013), 1812),
        Obs("927", "poor_households", Y(2014), 1448),
        Obs("927", "poor_households", Y(2015), 1190),
    ],
)
case(
    "layout-numbering-row.xlsx",
    "a numbering row A, B, 1, 2, “3=2/1” under the header is not data",
    xlsx(
        [
            ["TỶ LỆ HỘ NGHÈO NĂM 2015"],
            ["Năm: 2015"],
            ["STT", "Đơn vị", "Tổng số hộ", "Số hộ nghèo", "Tỷ lệ hộ nghèo (%)"],
            ["A", "B", 1, 2, "3=2/1"],
            [1, "Quận Ninh Kiều", 68410, 1026, "1,5"],
            [2, "Quận Cái Răng", 25500, 612, "2,4"],
        ]
    ),
    rows=[
        Obs("916", "households", Y(2015), 68410),
        Obs("916", "poor_households", Y(2015), 1026),
        Obs("916", "poverty_rate", Y(2015), 1.5),
        Obs("919", "households", Y(2015), 25500),
        Obs("919", "poor_households", Y(2015), 612),
        Obs("919", "poverty_rate", Y(2015), 2.4),
    ],
)


def _total_sheet(total: str, year: int) -> list[list[Any]]:
    return [
        ["Chỉ tiêu: Tổng số hộ"],
        ["STT", "Đơn vị", str(year)],
        [1, "Quận Ninh Kiều", 68000 + year],
        [2, "Quận Cái Răng", 25000 + year],
        ["", total, 93000 + 2 * year],
    ]


case(
    "layout-total-rows.xlsx",
    "total rows “Tổng số”, “Tổng cộng”, “Toàn thành phố”, “Cả nước” (one per sheet) are not "
    "units; here they add up",
    xlsx(
        {
            "Tổng số": _total_sheet("Tổng số", 2012),
            "Tổng cộng": _total_sheet("Tổng cộng", 2013),
            "Toàn thành phố": _total_sheet("Toàn thành phố", 2014),
            "Cả nước": [
                ["Chỉ tiêu: Tổng số hộ"],
                ["STT", "Địa phương", "2015"],
                [1, "Thành phố Cần Thơ", 310500],
                [2, "Tỉnh Hậu Giang", 198700],
                ["", "Cả nước", 509200],
            ],
        }
    ),
    rows=[
        *(
            Obs(unit, "households", Y(year), base + year)
            for year in (2012, 2013, 2014)
            for unit, base in (("916", 68000), ("919", 25000))
        ),
        Obs("92", "households", Y(2015), 310500),
        Obs("93", "households", Y(2015), 198700),
    ],
    no_warnings=["total_mismatch"],
)
case(
    "warn-total-mismatch.xlsx",
    "a total row that is not the sum of its units: stored, with a warning on the total cell",
    xlsx(
        [
            ["Chỉ tiêu: Số hộ nghèo"],
            ["STT", "Đơn vị", "2013", "2014"],
            [1, "Quận Ô Môn", 2071, 1540],
            [2, "Huyện Thới Lai", 1812, 1448],
            ["", "Tổng cộng", 3883, 3200],
        ]
    ),
    rows=[
        Obs("917", "poor_households", Y(2013), 2071),
        Obs("917", "poor_households", Y(2014), 1540),
        Obs("927", "poor_households", Y(2013), 1812),
        Obs("927", "poor_households", Y(2014), 1448),
    ],
    warnings=[Problem("total_mismatch", SHEET, "D5", "2.988")],
)
case(
    "layout-group-rows.xlsx",
    "group rows numbered I, II are not units: skipped with a warning naming their cell",
    xlsx(
        [
            ["Chỉ tiêu: Số đảng viên kết nạp mới"],
            ["STT", "Tổ chức đảng", "2023", "2024"],
            ["I", "Khối cơ quan", 20, 22],
            [1, "Đảng bộ Văn phòng Bộ Công Thương", 12, 13],
            [2, "Đảng bộ Cục Xuất nhập khẩu", 8, 9],
            ["II", "Khối trường", 30, 31],
            [1, "Đảng bộ Trường Đại học Điện lực", 30, 31],
            ["", "Tổng cộng", 50, 53],
        ]
    ),
    rows=[
        Obs("DBBCT-01", "members_admitted", Y(2023), 12),
        Obs("DBBCT-01", "members_admitted", Y(2024), 13),
        Obs("DBBCT-02", "members_admitted", Y(2023), 8),
        Obs("DBBCT-02", "members_admitted", Y(2024), 9),
        Obs("DBBCT-07", "members_admitted", Y(2023), 30),
        Obs("DBBCT-07", "members_admitted", Y(2024), 31),
    ],
    warnings=[
        Problem("group_row_skipped", SHEET, "B3", "Khối cơ quan"),
        Problem("group_row_skipped", SHEET, "B6", "Khối trường"),
    ],
    no_warnings=["total_mismatch"],
)
case(
    "layout-footnotes.xlsx",
    "“Ghi chú:” and “Nguồn:” lines below the table end it, even with numbers in them",
    xlsx(
        [
            ["Chỉ tiêu: Tỷ lệ giải ngân vốn đầu tư công"],
            ["Đơn vị tính: %"],
            ["STT", "Đơn vị", "2013", "2014"],
            [1, "Huyện Cờ Đỏ", "91,2", "93,5"],
            [2, "Huyện Phong Điền", "88", "90,1"],
            [],
            ["Ghi chú: số liệu đến 31/01 năm sau", "", 2015, 12],
            ["Nguồn: Sở Kế hoạch và Đầu tư", "", "2016", "15"],
            ["Người lập biểu", "", "", "Thủ trưởng đơn vị"],
        ]
    ),
    rows=[
        Obs("925", "capital_disbursement_rate", Y(2013), 91.2),
        Obs("925", "capital_disbursement_rate", Y(2014), 93.5),
        Obs("926", "capital_disbursement_rate", Y(2013), 88),
        Obs("926", "capital_disbursement_rate", Y(2014), 90.1),
    ],
)
case(
    "layout-blank-rows-cols.xlsx",
    "the table starts at B3, with an empty column and empty rows inside it",
    xlsx(
        [
            [],
            [None, "Chỉ tiêu: Số hộ nghèo"],
            [],
            [None, "STT", "Đơn vị", None, "2013", None, "2014"],
            [],
            [None, 1, "Quận Ô Môn", None, 2071, None, 1540],
            [],
            [],
            [None, 2, "Quận Bình Thủy", None, 905, None, 712],
        ]
    ),
    rows=[
        Obs("917", "poor_households", Y(2013), 2071),
        Obs("917", "poor_households", Y(2014), 1540),
        Obs("918", "poor_households", Y(2013), 905),
        Obs("918", "poor_households", Y(2014), 712),
    ],
)
case(
    "layout-hidden-sheet.xlsx",
    "hidden and very hidden sheets (drafts full of bad cells) are ignored",
    xlsx(
        {
            "Nháp": [
                ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
                ["Đơn vị", "2014"],
                ["Quận Không Có", "#REF!"],
                ["Quận Ô Môn", 140],
            ],
            SHEET: [
                ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
                ["Đơn vị", "2014"],
                ["Quận Ô Môn", "4,68"],
            ],
            "Danh mục": [["Đơn vị", "2014"], ["Quận Ô Mông", "abc"]],
        },
        hidden=["Nháp"],
        very_hidden=["Danh mục"],
    ),
    rows=[Obs("917", "poverty_rate", Y(2014), 4.68)],
)
case(
    "layout-several-sheets.xlsx",
    "several tables, one per sheet, each with its own indicator",
    xlsx(
        {
            "Tổng số hộ": [
                ["Chỉ tiêu: Tổng số hộ"],
                ["Đơn vị", "2016"],
                ["Quận Ô Môn", 33500],
            ],
            "Số hộ nghèo": [
                ["Chỉ tiêu: Số hộ nghèo"],
                ["Đơn vị", "2016"],
                ["Quận Ô Môn", 1045],
            ],
            "Tỷ lệ": [
                ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
                ["Đơn vị", "2016"],
                ["Quận Ô Môn", "3,12"],
            ],
        }
    ),
    rows=[
        Obs("917", "households", Y(2016), 33500),
        Obs("917", "poor_households", Y(2016), 1045),
        Obs("917", "poverty_rate", Y(2016), 3.12),
    ],
)
case(
    "layout-title-rows.xlsx",
    "an official letterhead, a place and date line and a title above the table",
    xlsx(
        [
            ["ĐẢNG BỘ THÀNH PHỐ CẦN THƠ", None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
            ["QUẬN ỦY BÌNH THỦY", None, None, None],
            ["*", None, None, "Bình Thủy, ngày 15 tháng 01 năm 2016"],
            [],
            ["BÁO CÁO"],
            ["Kết quả thu ngân sách năm 2015"],
            ["Chỉ tiêu: Thu ngân sách thực hiện"],
            ["Đơn vị tính: triệu đồng"],
            ["STT", "Đơn vị", "2015"],
            [1, "Chi cục Thuế quận Bình Thủy", "301.250"],
        ]
    ),
    rows=[Obs("918-CCT", "budget_revenue_collected", Y(2015), 301250)],
)
case(
    "layout-subheaders-du-toan.xlsx",
    "“Năm 2014” merged over the sub-headers Dự toán / Thực hiện / So sánh (%)",
    xlsx(
        [
            ["THU NGÂN SÁCH CÁC QUẬN"],
            ["Đơn vị tính: triệu đồng"],
            ["STT", "Đơn vị", "Năm 2014", None, None, "Năm 2015", None, None],
            [None, None, *(["Dự toán", "Thực hiện", "So sánh (%)"] * 2)],
            [1, "Quận Ninh Kiều", "1.250.000", "1.312.500", 105, 1300000, 1287000, 99],
            [2, "Quận Bình Thủy", 420000, 399000, 95, 430000, 473000, 110],
        ],
        merges=["A3:A4", "B3:B4", "C3:E3", "F3:H3"],
    ),
    rows=[
        Obs("916", "budget_revenue_estimate", Y(2014), 1250000),
        Obs("916", "budget_revenue_collected", Y(2014), 1312500),
        Obs("916", "tax_collection_vs_estimate", Y(2014), 105),
        Obs("916", "budget_revenue_estimate", Y(2015), 1300000),
        Obs("916", "budget_revenue_collected", Y(2015), 1287000),
        Obs("916", "tax_collection_vs_estimate", Y(2015), 99),
        Obs("918", "budget_revenue_estimate", Y(2014), 420000),
        Obs("918", "budget_revenue_collected", Y(2014), 399000),
        Obs("918", "tax_collection_vs_estimate", Y(2014), 95),
        Obs("918", "budget_revenue_estimate", Y(2015), 430000),
        Obs("918", "budget_revenue_collected", Y(2015), 473000),
        Obs("918", "tax_collection_vs_estimate", Y(2015), 110),
    ],
)

# --- values ------------------------------------------------------------------------------

LONG_HEADER = ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"]


def long_rows(*rows: Sequence[Any]) -> list[list[Any]]:
    return [LONG_HEADER, *([n, *row] for n, row in enumerate(rows, start=1))]


case(
    "value-vietnamese-numbers.xlsx",
    "decimal commas and thousands dots typed as text: “9,52”, “3.093”, “11.345.067”",
    xlsx(
        long_rows(
            ["Quận Ninh Kiều", "Thu ngân sách thực hiện", 2015, "11.345.067"],
            ["Quận Bình Thủy", "Thu ngân sách thực hiện", 2015, "3.093"],
            ["Quận Ô Môn", "Thu ngân sách thực hiện", 2015, "1.234.567,5"],
            ["Quận Ninh Kiều", "Tỷ lệ hộ nghèo", 2015, "9,52"],
            ["Quận Bình Thủy", "Tỷ lệ hộ nghèo", 2015, "0,5"],
            ["Quận Cái Răng", "Tổng số hộ", 2015, "25.500"],
            ["Quận Ô Môn", "Tỷ lệ hộ nghèo", 2015, 3.9],
        )
    ),
    rows=[
        Obs("916", "budget_revenue_collected", Y(2015), 11345067),
        Obs("918", "budget_revenue_collected", Y(2015), 3093),
        Obs("917", "budget_revenue_collected", Y(2015), 1234567.5),
        Obs("916", "poverty_rate", Y(2015), 9.52),
        Obs("918", "poverty_rate", Y(2015), 0.5),
        Obs("919", "households", Y(2015), 25500),
        Obs("917", "poverty_rate", Y(2015), 3.9),
    ],
)
case(
    "value-percent-sign.xlsx",
    "a “%” sign, with the odd space: “4, 68%”, “5,17 %”, “95,5%” (stored as written)",
    xlsx(
        long_rows(
            ["Quận Ô Môn", "Tỷ lệ hộ nghèo", 2014, "4, 68%"],
            ["Huyện Thới Lai", "Tỷ lệ hộ nghèo", 2014, "5,17 %"],
            ["Quận Bình Thủy", "Tỷ lệ hộ nghèo", 2014, "2%"],
            ["Huyện Cờ Đỏ", "Tỷ lệ giải ngân vốn đầu tư công", 2014, "95,5%"],
        )
    ),
    rows=[
        Obs("917", "poverty_rate", Y(2014), 4.68),
        Obs("927", "poverty_rate", Y(2014), 5.17),
        Obs("918", "poverty_rate", Y(2014), 2),
        Obs("925", "capital_disbursement_rate", Y(2014), 95.5),
    ],
)
case(
    "value-percent-format.xlsx",
    "numbers formatted as percent in Excel (0.0468 shown as 4.68%) for a % indicator",
    xlsx(
        [
            ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
            ["Đơn vị tính: %"],
            ["STT", "Đơn vị", "2014", "2015"],
            [1, "Quận Ô Môn", Styled(0.0468, "0.00%"), Styled(0.039, "0.0%")],
            [2, "Huyện Thới Lai", Styled(0.125, "0.0%"), Styled(0.0517, "0.00%")],
        ]
    ),
    rows=[
        Obs("917", "poverty_rate", Y(2014), 4.68),
        Obs("917", "poverty_rate", Y(2015), 3.9),
        Obs("927", "poverty_rate", Y(2014), 12.5),
        Obs("927", "poverty_rate", Y(2015), 5.17),
    ],
)
NBSP = "\u00a0"
case(
    "value-nbsp.xlsx",
    "non-breaking spaces around and inside numbers and names (copied from the web or Word)",
    xlsx(
        long_rows(
            [f"Quận{NBSP}Ô Môn", "Số hộ nghèo", f"2014{NBSP}", f"1{NBSP}540"],
            ["Quận Ô Môn", f"Tỷ lệ{NBSP}hộ nghèo", 2014, f"{NBSP}4,68{NBSP}%"],
            [f"{NBSP}Huyện Thới Lai{NBSP}", "Số hộ nghèo", 2014, f"1.448{NBSP}"],
        )
    ),
    rows=[
        Obs("917", "poor_households", Y(2014), 1540),
        Obs("917", "poverty_rate", Y(2014), 4.68),
        Obs("927", "poor_households", Y(2014), 1448),
    ],
)
case(
    "value-footnote-markers.xlsx",
    "footnote markers beside numbers: “4,68(1)”, “(2) 5,17”, “3,9*”",
    xlsx(
        [
            ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
            ["STT", "Đơn vị", "2014", "2015"],
            [1, "Quận Ô Môn", "4,68(1)", "3,9*"],
            [2, "Huyện Thới Lai", "(2) 5,17", "4,6"],
            [],
            ["Ghi chú: (1) theo chuẩn nghèo 2011-2015; (2) số liệu điều chỉnh"],
        ]
    ),
    rows=[
        Obs("917", "poverty_rate", Y(2014), 4.68),
        Obs("917", "poverty_rate", Y(2015), 3.9),
        Obs("927", "poverty_rate", Y(2014), 5.17),
        Obs("927", "poverty_rate", Y(2015), 4.6),
    ],
)
case(
    "value-missing-markers.xlsx",
    "“..”, “...”, “-”, “x”, “…” and empty cells are missing, never zero; a typed 0 is zero",
    xlsx(
        [
            ["Chỉ tiêu: Số đảng viên bị kỷ luật"],
            ["STT", "Tổ chức đảng", "2020", "2021", "2022", "2023"],
            [1, "Đảng bộ Văn phòng Bộ Công Thương", "..", "...", 0, 2],
            [2, "Đảng bộ Cục Xuất nhập khẩu", "-", "x", "…", 1],
            [3, "Đảng bộ Trường Đại học Điện lực", None, "X", "0", " - "],
        ]
    ),
    rows=[
        Obs("DBBCT-01", "disciplined_members", Y(2022), 0),
        Obs("DBBCT-01", "disciplined_members", Y(2023), 2),
        Obs("DBBCT-02", "disciplined_members", Y(2023), 1),
        Obs("DBBCT-07", "disciplined_members", Y(2022), 0),
    ],
)
case(
    "value-qualifiers.xlsx",
    "“hơn 80%”, “trên 90%”, “gần 300”, “khoảng”, “dưới”: the number and its qualifier",
    xlsx(
        long_rows(
            ["Chi cục Thuế quận Bình Thủy", "Tỷ lệ thu thuế so với dự toán", 2012, "hơn 80%"],
            ["Huyện Cờ Đỏ", "Tỷ lệ giải ngân vốn đầu tư công", 2013, "trên 90%"],
            ["Huyện Thới Lai", "Diện tích vườn tạp được cải tạo", 2012, "gần 300"],
            ["Huyện Phong Điền", "Diện tích đất lúa chuyển đổi cây trồng", 2014, "khoảng 1.250"],
            ["Quận Ninh Kiều", "Tỷ lệ hộ nghèo", 2015, "dưới 1%"],
            ["Quận Cái Răng", "Tỷ lệ hộ nghèo", 2015, "Khoảng 2,5"],
        )
    ),
    rows=[
        Obs("918-CCT", "tax_collection_vs_estimate", Y(2012), 80, qualifier="lower_bound"),
        Obs("925", "capital_disbursement_rate", Y(2013), 90, qualifier="lower_bound"),
        Obs("927", "orchard_area_renovated", Y(2012), 300, qualifier="nearly"),
        Obs("926", "rice_area_converted", Y(2014), 1250, qualifier="approximate"),
        Obs("916", "poverty_rate", Y(2015), 1, qualifier="upper_bound"),
        Obs("919", "poverty_rate", Y(2015), 2.5, qualifier="approximate"),
    ],
)

# --- periods -----------------------------------------------------------------------------


def wide_counts(unit: str, headers: Sequence[Any], values: Sequence[Any]) -> list[list[Any]]:
    return [
        ["Chỉ tiêu: Số đảng viên kết nạp mới"],
        ["Đơn vị", *headers],
        [unit, *values],
    ]


case(
    "period-years.xlsx",
    "years written 2012 (number), “2013”, “Năm 2014”, “năm 2015”, “Cả năm 2016”",
    xlsx(
        wide_counts(
            "Đảng bộ Văn phòng Bộ Công Thương",
            [2012, "2013", "Năm 2014", "năm 2015", "Cả năm 2016"],
            [11, 12, 13, 14, 15],
        )
    ),
    rows=[
        Obs("DBBCT-01", "members_admitted", Y(year), value)
        for year, value in zip(range(2012, 2017), range(11, 16), strict=True)
    ],
)
case(
    "period-quarters.xlsx",
    "quarters “Quý III/2012”, “Q4/2012”, “Quý I năm 2013”",
    xlsx(
        wide_counts(
            "Đảng bộ Cục Xuất nhập khẩu", ["Quý III/2012", "Q4/2012", "Quý I năm 2013"], [2, 3, 1]
        )
    ),
    rows=[
        Obs("DBBCT-02", "members_admitted", Q(2012, 3), 2),
        Obs("DBBCT-02", "members_admitted", Q(2012, 4), 3),
        Obs("DBBCT-02", "members_admitted", Q(2013, 1), 1),
    ],
)
case(
    "period-months.xlsx",
    "months “Tháng 5/2025”, “T6/2025”, “07/2025”",
    xlsx(
        wide_counts(
            "Đảng bộ Văn phòng Bộ Công Thương", ["Tháng 5/2025", "T6/2025", "07/2025"], [1, 0, 2]
        )
    ),
    rows=[
        Obs("DBBCT-01", "members_admitted", M(2025, 5), 1),
        Obs("DBBCT-01", "members_admitted", M(2025, 6), 0),
        Obs("DBBCT-01", "members_admitted", M(2025, 7), 2),
    ],
)
case(
    "period-half-years.xlsx",
    "“6 tháng đầu năm 2025”, “6 tháng cuối năm 2024”, “9 tháng đầu năm 2024”",
    xlsx(
        wide_counts(
            "Đảng bộ Cục Xuất nhập khẩu",
            ["6 tháng cuối năm 2024", "9 tháng đầu năm 2024", "6 tháng đầu năm 2025"],
            [5, 6, 4],
        )
    ),
    rows=[
        Obs("DBBCT-02", "members_admitted", MONTHS(2024, 7, 12), 5),
        Obs("DBBCT-02", "members_admitted", MONTHS(2024, 1, 9), 6),
        Obs("DBBCT-02", "members_admitted", MONTHS(2025, 1, 6), 4),
    ],
)
case(
    "period-terms.xlsx",
    "terms “2015-2020” and “Nhiệm kỳ 2020-2025” (whole years, both ends included)",
    xlsx(
        wide_counts(
            "Đảng bộ Trường Đại học Điện lực", ["2015-2020", "Nhiệm kỳ 2020-2025"], [118, 126]
        )
    ),
    rows=[
        Obs("DBBCT-07", "members_admitted", TERM(2015, 2020), 118),
        Obs("DBBCT-07", "members_admitted", TERM(2020, 2025), 126),
    ],
)
case(
    "period-preliminary.xlsx",
    "“Sơ bộ 2016” and “Pre. 2017” are the years 2016 and 2017, marked preliminary",
    xlsx(
        [
            ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
            ["Đơn vị", "2015", "Sơ bộ 2016", "Pre. 2017"],
            ["Quận Ô Môn", "3,9", "3,12", "2,8"],
        ]
    ),
    rows=[
        Obs("917", "poverty_rate", Y(2015), 3.9),
        Obs("917", "poverty_rate", Y(2016), 3.12, preliminary=True),
        Obs("917", "poverty_rate", Y(2017), 2.8, preliminary=True),
    ],
)
case(
    "period-until-month.xlsx",
    "“đến hết tháng 5/2025”: from the start of 2025 to the end of May (a count of the year so far)",
    xlsx(
        wide_counts(
            "Đảng bộ Văn phòng Bộ Công Thương", ["Năm 2024", "đến hết tháng 5/2025"], [14, 6]
        )
    ),
    rows=[
        Obs("DBBCT-01", "members_admitted", Y(2024), 14),
        Obs("DBBCT-01", "members_admitted", MONTHS(2025, 1, 5), 6),
    ],
)
case(
    "period-title-line.xlsx",
    "the period for the whole sheet in a title line “Kỳ báo cáo: Quý II/2025”",
    xlsx(
        [
            ["Kỳ báo cáo: Quý II/2025"],
            ["STT", "Tổ chức đảng", "Chỉ tiêu", "Giá trị"],
            [1, "Đảng bộ Văn phòng Bộ Công Thương", "Số đảng viên kết nạp mới", 3],
            [2, "Đảng bộ Văn phòng Bộ Công Thương", "Số lượt chuyển sinh hoạt đảng", 17],
        ]
    ),
    rows=[
        Obs("DBBCT-01", "members_admitted", Q(2025, 2), 3),
        Obs("DBBCT-01", "member_transfers", Q(2025, 2), 17),
    ],
)

DATES_LONG: list[list[Any]] = [
    ["Đơn vị", "Chỉ tiêu", "Từ ngày", "Đến ngày", "Giá trị"],
    [
        "Đảng bộ Bộ Công Thương",
        "Số đảng viên kết nạp mới",
        date(2020, 1, 1),
        date(2025, 5, 31),
        306,
    ],
    [
        "Đảng bộ Văn phòng Bộ Công Thương",
        "Số hội nghị học tập, quán triệt nghị quyết",
        date(2024, 7, 1),
        date(2024, 9, 30),
        4,
    ],
    ["Quận Ô Môn", "Số hộ nghèo", "01/01/2013", "31/12/2013", 2071],
]
DATES_ROWS = [
    Obs("DBBCT", "members_admitted", (date(2020, 1, 1), date(2025, 5, 31)), 306),
    Obs("DBBCT-01", "study_conferences", Q(2024, 3), 4),
    Obs("917", "poor_households", Y(2013), 2071),
]
case(
    "period-dates-1900.xlsx",
    "Từ ngày / Đến ngày as date cells in a 1900-date workbook (and as dd/mm/yyyy text)",
    xlsx(DATES_LONG),
    rows=DATES_ROWS,
)
case(
    "period-dates-1904.xlsx",
    "the same dates in a 1904-date workbook (Mac Excel): the same periods",
    xlsx(DATES_LONG, epoch_1904=True),
    rows=DATES_ROWS,
)

# --- legacy text ---------------------------------------------------------------------------

case(
    "legacy-tcvn3.xlsx",
    "text typed in TCVN3 (ABC): “ChØ tiªu”, “§¬n vÞ”, “QuËn ¤ M«n”, “Thµnh phè CÇn Th¬”",
    xlsx(
        [
            ["ChØ tiªu: Tû lÖ hé nghÌo"],
            ["STT", "§¬n vÞ", "N¨m 2013", "N¨m 2014"],
            [1, "QuËn ¤ M«n", "6,3", "4,68"],
            [2, "HuyÖn Thíi Lai", "7,1", "5,17"],
            [3, "Thµnh phè CÇn Th¬", "5,2", "3,5"],
            ["", "Tæng céng", "", ""],
        ]
    ),
    rows=[
        Obs("917", "poverty_rate", Y(2013), 6.3),
        Obs("917", "poverty_rate", Y(2014), 4.68),
        Obs("927", "poverty_rate", Y(2013), 7.1),
        Obs("927", "poverty_rate", Y(2014), 5.17),
        Obs("92", "poverty_rate", Y(2013), 5.2),
        Obs("92", "poverty_rate", Y(2014), 3.5),
    ],
)


def _vntime(text: str) -> Styled:
    return Styled(text, font=".VnTime")


case(
    "legacy-tcvn3-font.xlsx",
    "TCVN3 text that reads as plausible Unicode (“Thèt Nèt” is Thốt Nốt): only the cell "
    "font .VnTime tells",
    xlsx(
        [
            [_vntime("ChØ tiªu: Sè hé nghÌo")],
            [_vntime("STT"), _vntime("§¬n vÞ"), _vntime("2013")],
            [1, _vntime("QuËn ¤ M«n"), 2071],
            [2, _vntime("Thèt Nèt"), 1180],
        ]
    ),
    rows=[
        Obs("917", "poor_households", Y(2013), 2071),
        Obs("923", "poor_households", Y(2013), 1180),
    ],
)
case(
    "legacy-vni.xlsx",
    "text typed in VNI: “Chæ tieâu”, “Ñôn vò”, “Quaän OÂ Moân”, “Huyeän Thôùi Lai”",
    xlsx(
        [
            ["Chæ tieâu: Tyû leä hoä ngheøo"],
            ["STT", "Ñôn vò", "2013"],
            [1, "Quaän OÂ Moân", "6,3"],
            [2, "Huyeän Thôùi Lai", "7,1"],
        ]
    ),
    rows=[
        Obs("917", "poverty_rate", Y(2013), 6.3),
        Obs("927", "poverty_rate", Y(2013), 7.1),
    ],
)

# --- unit names ----------------------------------------------------------------------------

case(
    "unit-name-variants.xlsx",
    "unit names with other case, spacing, prefix, “Thuỷ”/“Thủy”, no diacritics, NFD",
    xlsx(
        [
            ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
            ["STT", "Đơn vị", "2014"],
            [1, "Q. Ô Môn", "4,68"],
            [2, "Quận  Bình   Thuỷ", "2,1"],
            [3, "QUẬN NINH KIỀU", "1,2"],
            [4, "H. Cờ Đỏ", "6,4"],
            [5, "Cái Răng", "2,6"],
            [6, "Huyen Phong Dien", "5,8"],
            [7, unicodedata.normalize("NFD", "Huyện Thới Lai"), "5,17"],
            [8, "huyện vĩnh thạnh", "7,3"],
        ]
    ),
    rows=[
        Obs("917", "poverty_rate", Y(2014), 4.68),
        Obs("918", "poverty_rate", Y(2014), 2.1),
        Obs("916", "poverty_rate", Y(2014), 1.2),
        Obs("925", "poverty_rate", Y(2014), 6.4),
        Obs("919", "poverty_rate", Y(2014), 2.6),
        Obs("926", "poverty_rate", Y(2014), 5.8),
        Obs("927", "poverty_rate", Y(2014), 5.17),
        Obs("924", "poverty_rate", Y(2014), 7.3),
    ],
)
case(
    "unit-province-names.xlsx",
    "province names “TP. Cần Thơ”, “tỉnh hậu giang”, “Sóc Trăng”, “TP.HCM”, with “Cả nước”",
    xlsx(
        [
            ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
            ["STT", "Địa phương", "2020"],
            [1, "TP. Cần Thơ", "1,5"],
            [2, "tỉnh hậu giang", "3,9"],
            [3, "Sóc Trăng", "4,2"],
            [4, "TP.HCM", "0,2"],
            ["", "Cả nước", "2,75"],
        ]
    ),
    rows=[
        Obs("92", "poverty_rate", Y(2020), 1.5),
        Obs("93", "poverty_rate", Y(2020), 3.9),
        Obs("94", "poverty_rate", Y(2020), 4.2),
        Obs("79", "poverty_rate", Y(2020), 0.2),
    ],
)
case(
    "unit-merger-2025.xlsx",
    "“Thành phố Cần Thơ” is the old city before 1 July 2025 and the merged one after",
    xlsx(
        long_rows(
            ["Thành phố Cần Thơ", "Tổng số hộ", 2024, 320100],
            ["Thành phố Cần Thơ", "Tổng số hộ", 2026, 1020400],
        )
    ),
    rows=[
        Obs("92", "households", Y(2024), 320100),
        Obs("92-2025", "households", Y(2026), 1020400),
    ],
)

# --- refused: cells ------------------------------------------------------------------------


def poverty_with(changes: dict[str, Any]) -> list[list[Any]]:
    """POVERTY with some cells (named A1-style) changed."""
    rows = [list(r) for r in POVERTY]
    for name, value in changes.items():
        r, c = _position(name)
        rows[r] = rows[r] + [None] * (c + 1 - len(rows[r]))
        rows[r][c] = value
    return rows


case(
    "bad-error-cells.xlsx",
    "Excel error values #DIV/0!, #REF!, #N/A in value cells: each named",
    xlsx(
        [
            ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
            ["STT", "Đơn vị", "2014", "2015"],
            [1, "Quận Ô Môn", "#DIV/0!", "3,9"],
            [2, "Huyện Thới Lai", "#REF!", "#N/A"],
        ]
    ),
    errors=[
        Problem("value_excel_error", SHEET, "C3", "#DIV/0!"),
        Problem("value_excel_error", SHEET, "C4", "#REF!"),
        Problem("value_excel_error", SHEET, "D4", "#N/A"),
    ],
)
case(
    "bad-xls-error-cells.xls",
    "the same error values in an Excel 97-2003 workbook",
    xls(
        [
            ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
            ["STT", "Đơn vị", "2014", "2015"],
            [1, "Quận Ô Môn", None, "3,9"],
            [2, "Huyện Thới Lai", None, None],
        ],
        errors={"C3": "#DIV/0!", "C4": "#REF!", "D4": "#N/A"},
    ),
    errors=[
        Problem("value_excel_error", SHEET, "C3", "#DIV/0!"),
        Problem("value_excel_error", SHEET, "C4", "#REF!"),
        Problem("value_excel_error", SHEET, "D4", "#N/A"),
    ],
)
case(
    "bad-ods-error-cells.ods",
    "an error value and a formula never calculated in an .ods, as LibreOffice writes them",
    ods_xml(
        _ods_row(_ods_text("Chỉ tiêu: Tỷ lệ hộ nghèo"))
        + _ods_row(_ods_text("Đơn vị"), _ods_text("2014"), _ods_text("2015"))
        + _ods_row(
            _ods_text("Quận Ô Môn"),
            '<table:table-cell table:formula="of:=[.B4]/0" office:value-type="string" '
            'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
            "</table:table-cell>",
            _ods_number(3.9),
        )
        + _ods_row(
            _ods_text("Huyện Thới Lai"),
            _ods_number(5.17),
            '<table:table-cell table:formula="of:=[.B4]*2"/>',
        )
    ),
    errors=[
        Problem("value_excel_error", SHEET, "B3", "#DIV/0!"),
        Problem("value_formula_uncached", SHEET, "C4", "[.B4]*2"),
    ],
)
case(
    "bad-formula-no-cache.xlsx",
    "a formula with no cached result (written by a program, never opened in Excel)",
    xlsx(poverty_with({"D7": "=C7*0.9"})),
    errors=[Problem("value_formula_uncached", SHEET, "D7", "C7")],
)
case(
    "bad-unknown-unit.xlsx",
    "a unit name not in the catalogue: the message lists the closest units",
    xlsx(poverty_with({"B6": "Quận Ô Mông"})),
    errors=[Problem("unit_unknown", SHEET, "B6", "Quận Ô Môn")],
)
case(
    "bad-formula-like-unit.xlsx",
    "a unit name that starts with “=” (text, not a formula) is refused",
    xlsx(poverty_with({"B6": Styled('=HYPERLINK("http://x.vn","Ô Môn")', as_text=True)})),
    errors=[Problem("unit_looks_like_formula", SHEET, "B6", "HYPERLINK")],
)
case(
    "bad-formula-like-unit.csv",
    "a unit name “=…” in a CSV (formula injection) is refused",
    text_file(poverty_with({"B7": "=1+2"})),
    errors=[Problem("unit_looks_like_formula", "bad-formula-like-unit", "B7", "=1+2")],
)
case(
    "bad-unit-not-valid.xlsx",
    "a unit that did not exist yet in the period (Cục Điện lực, formed in 2025)",
    xlsx(wide_counts("Đảng bộ Cục Điện lực", ["2019"], [4])),
    errors=[Problem("unit_not_valid", SHEET, "A3", "2019")],
)
case(
    "bad-unit-missing.xlsx",
    "a table of one unit with no “Đơn vị:” line and no --unit",
    xlsx(
        [
            ["Đơn vị tính: hộ"],
            ["STT", "Chỉ tiêu", "2013"],
            [1, "Số hộ nghèo", 2071],
        ]
    ),
    errors=[Problem("unit_missing", SHEET, "B2", "--unit")],
)
case(
    "bad-percent-out-of-range.xlsx",
    "a percentage above 100 and one below 0",
    xlsx(poverty_with({"C6": "104,5", "D7": -2})),
    errors=[
        Problem("value_out_of_range", SHEET, "C6", "0 – 100"),
        Problem("value_out_of_range", SHEET, "D7", "0 – 100"),
    ],
)
case(
    "bad-count-not-whole.xlsx",
    "a count must be a whole number, not negative: “4,5” and -3 admissions",
    xlsx(wide_counts("Đảng bộ Cục Xuất nhập khẩu", ["2021", "2022", "2023"], ["4,5", -3, 6])),
    errors=[
        Problem("value_not_whole", SHEET, "B3", "4,5"),
        Problem("value_out_of_range", SHEET, "C3", "-3"),
    ],
)
case(
    "bad-unknown-indicator.xlsx",
    "an indicator name not in the catalogue: the message lists the closest",
    xlsx(poverty_with({"A2": "Chỉ tiêu: Tỷ lệ hộ giàu"})),
    errors=[Problem("indicator_unknown", SHEET, "A2", "Tỷ lệ hộ nghèo")],
)
case(
    "bad-unknown-period.xlsx",
    "periods that are not periods: “năm ngoái”, “Quý V/2012”, “Tháng 13/2025”",
    xlsx(
        long_rows(
            ["Quận Ô Môn", "Tỷ lệ hộ nghèo", "năm ngoái", "3,9"],
            ["Quận Ô Môn", "Tỷ lệ hộ nghèo", "Quý V/2012", "4,1"],
            ["Quận Ô Môn", "Tỷ lệ hộ nghèo", "Tháng 13/2025", "2,2"],
            ["Quận Ô Môn", "Tỷ lệ hộ nghèo", "2014", "4,68"],
        )
    ),
    errors=[
        Problem("period_unknown", SHEET, "D2", "năm ngoái"),
        Problem("period_unknown", SHEET, "D3", "Quý V/2012"),
        Problem("period_unknown", SHEET, "D4", "Tháng 13/2025"),
    ],
)
case(
    "bad-duplicate-in-file.xlsx",
    "the same unit twice (“Quận Ô Môn” and “Q. Ô Môn”): same unit, indicator and period",
    xlsx(poverty_with({"B7": "Q. Ô Môn"})),
    errors=[
        Problem("duplicate_in_file", SHEET, "C7", "C6"),
        Problem("duplicate_in_file", SHEET, "D7", "D6"),
    ],
)
case(
    "bad-text-value.xlsx",
    "words where a number should be",
    xlsx(poverty_with({"C6": "chưa báo cáo", "D7": "4,6 hoặc 4,7"})),
    errors=[
        Problem("value_not_number", SHEET, "C6", "chưa báo cáo"),
        Problem("value_not_number", SHEET, "D7", "4,6 hoặc 4,7"),
    ],
)
case(
    "bad-no-table.xlsx",
    "a letter typed in a workbook: no table",
    xlsx([["Kính gửi: Thành ủy Cần Thơ"], ["Nội dung: báo cáo tình hình năm 2015"]]),
    errors=[Problem("no_table", SHEET)],
)

# --- refused: the file itself ----------------------------------------------------------

case("bad-empty.xlsx", "an empty file (0 bytes)", raw(b""), errors=[Problem("file_empty")])
case("bad-empty.csv", "an empty CSV (0 bytes)", raw(b""), errors=[Problem("file_empty")])
case(
    "bad-damaged-zip.xlsx",
    "a workbook cut short half way",
    truncated(xlsx(POVERTY), 0.5),
    errors=[Problem("file_damaged")],
)
case(
    "bad-not-spreadsheet.xlsx",
    "a PDF renamed .xlsx",
    raw(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"),
    errors=[Problem("file_damaged")],
)
case(
    "bad-letter-renamed.xlsx",
    "a letter saved as plain text and renamed .xlsx",
    raw("Kính gửi: Thành ủy Cần Thơ\r\nBáo cáo tình hình năm 2015\r\n".encode() * 20),
    errors=[Problem("file_damaged")],
)
case(
    "bad-password.xlsx",
    "a workbook protected by a password (encrypted)",
    encrypted(xlsx(POVERTY), "mat-khau"),
    errors=[Problem("file_password")],
)
case(
    "bad-zip-bomb.xlsx",
    "a zip declaring a 2 GB part (a zip bomb), a few KB on disk",
    with_zeros(xlsx(POVERTY), 8, declared=2**31),
    errors=[Problem("file_unpacked_too_large")],
)
case(
    "bad-zip-ratio.xlsx",
    "11 MB of zeros packed into about 11 KB: an abnormal compression ratio",
    with_zeros(xlsx(POVERTY), 11),
    errors=[Problem("file_compression_suspicious")],
)


# --- the manifest -------------------------------------------------------------------------


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return str(value) if not isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(value)


def _obs(row: Obs) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "unit": row.unit,
        "indicator": row.indicator,
        "start": row.period[0],
        "end": row.period[1],
        "value": float(row.value),
    }
    if row.qualifier:
        entry["qualifier"] = row.qualifier
    if row.target is not None:
        entry["target"] = float(row.target)
    if row.preliminary:
        entry["preliminary"] = True
    if row.illustrative:
        entry["illustrative"] = True
    return entry


def _problem(problem: Problem) -> dict[str, str]:
    entry = {"rule": problem.rule, "sheet": problem.sheet, "cell": problem.cell}
    if problem.says:
        entry["says"] = problem.says
    return entry


def manifest_text(cases: Sequence[Case]) -> str:
    lines = [
        "# Written by tests/corpus/make_corpus.py: do not edit, change the script and rerun it.",
        "# One table per file of files/: the exit code of `python -m etl load FILE [args]` and",
        "# either the observations v_observation must hold (rows; values missing in the file",
        "# are absent, never 0) or the errors: rule, sheet, cell, and words the message holds.",
        "# warnings must be reported; no_warnings must not. gap: not done yet (test fails).",
    ]
    for item in sorted(cases, key=lambda c: c.name):
        lines += ["", f"[{_toml(item.name)}]", f"about = {_toml(item.about)}"]
        if item.gap:
            lines.append(f"gap = {_toml(item.gap)}")
        if item.args:
            lines.append(f"args = {_toml(item.args)}")
        lines.append(f"exit = {item.exit}")
        for key, entries in (
            ("rows", [_obs(r) for r in item.rows]),
            ("errors", [_problem(p) for p in item.errors]),
            ("warnings", [_problem(p) for p in item.warnings]),
        ):
            if entries or (key == "rows" and not item.errors):
                lines.append(f"{key} = [")
                lines += [f"  {_toml(entry)}," for entry in entries]
                lines.append("]")
        if item.no_warnings:
            lines.append(f"no_warnings = {_toml(item.no_warnings)}")
    return "\n".join(lines) + "\n"


def write_corpus(files_dir: Path = FILES_DIR, manifest: Path = MANIFEST) -> list[str]:
    """Write every case's file into ``files_dir`` (emptied first) and the manifest."""
    names = [item.name for item in CASES]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, f"two cases write {duplicates}"
    if files_dir.exists():
        shutil.rmtree(files_dir)
    files_dir.mkdir(parents=True)
    for item in CASES:
        item.write(files_dir / item.name)
    manifest.write_text(manifest_text(CASES), encoding="utf-8")
    return names


def main() -> None:
    names = write_corpus()
    size = sum((FILES_DIR / name).stat().st_size for name in names)
    print(f"{len(names)} files, {size // 1024} KB, in {FILES_DIR}; expectations in {MANIFEST}")


if __name__ == "__main__":
    main()
