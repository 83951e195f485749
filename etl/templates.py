"""Blank report templates, one per indicator group, that load back with no warning.

A template is an .xlsx file in the long layout the loader reads (see README, "Report
layouts"): a title, the line "Loại số liệu: Báo cáo", the header row
``STT | Đơn vị | Chỉ tiêu | Năm | Giá trị | Kế hoạch | Ghi chú`` and empty rows with
drop-down lists of units and indicators. The lists live on a hidden sheet and are
referenced through workbook names, because a list written into the validation itself
is limited to 255 characters. The instructions sheet has no header cell the loader
would take for a table.

The header row and the "Loại số liệu" line stay Vietnamese in the English template:
they are what the loader recognises.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.errors import EtlError
from etl.layout import TOTAL_ROW_NAMES
from etl.lookup import strip_unit_prefix
from etl.messages import register
from etl.text import fold
from etl.warehouse import open_for_reading

HEADER = ("STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Kế hoạch", "Ghi chú")
COLUMN_WIDTHS = (6, 42, 46, 8, 14, 14, 40)
STATUS_LINE = "Loại số liệu: Báo cáo"
STATUS_CHOICES = ("Loại số liệu: Báo cáo", "Loại số liệu: Sơ bộ")
TITLE_ROW, STATUS_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = HEADER_ROW + 1
DATA_ROWS = 200
LAST_DATA_ROW = FIRST_DATA_ROW + DATA_ROWS - 1
YEAR_MIN, YEAR_MAX = 1990, 2100
UNIT_LIST_NAME = "DS_DonVi"
INDICATOR_LIST_NAME = "DS_ChiTieu"
TEXT_FORMAT = "@"  # Giá trị and Kế hoạch keep what was typed ("9,52", "hơn 80", "3.093")

# group_code → (Vietnamese name, English name), in the order a page lists them.
GROUP_NAMES: dict[str, tuple[str, str]] = {
    "socio_economic": ("Kinh tế – xã hội", "Socio-economic"),
    "party_organisation": ("Công tác tổ chức đảng", "Party organisation"),
    "inspection_discipline": ("Kiểm tra, giám sát, kỷ luật", "Inspection and discipline"),
    "campaign_activity": ("Hoạt động của đợt kiểm điểm", "Review campaign activity"),
}
_LEVEL_ORDER = ("country", "province", "district", "ward", "agency", "party")
_HEADER_FILL = PatternFill(fill_type="solid", start_color="DDEBF7", end_color="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

register(
    {
        "template_unknown_group": (
            "Không có nhóm chỉ tiêu “{value}” trong danh mục. Chọn một trong: {choices}.",
            "There is no indicator group “{value}” in the catalogue. Choose one of: {choices}.",
        ),
    }
)

# User-visible text of the template: key → (Vietnamese, English).
_TEXT: dict[str, tuple[str, str]] = {
    "sheet_data": ("Báo cáo", "Report"),
    "sheet_help": ("Hướng dẫn", "Instructions"),
    "sheet_lists": ("Danh mục", "Lists"),
    "title": ("MẪU BÁO CÁO SỐ LIỆU — {group}", "REPORT TEMPLATE — {group}"),
    "hint": (
        "Mỗi dòng một số liệu. Chọn đơn vị và chỉ tiêu trong danh sách thả xuống; cách ghi "
        "số liệu xem ở trang “{help}”.",
        "One figure per row. Pick the unit and the indicator from the drop-down lists; how "
        "to write figures is explained on the sheet “{help}”.",
    ),
    "unit_prompt_title": ("Đơn vị", "Unit (Đơn vị)"),
    "unit_prompt": (
        "Chọn đơn vị trong danh sách (bấm mũi tên bên phải ô). Năm 2025, tỉnh/thành trùng tên "
        "trước và sau sáp nhập: ghi mã đơn vị, ví dụ 92-2025.",
        "Pick the unit from the list (arrow at the right of the cell). For 2025, a province "
        "named alike before and after the merger: write its code, e.g. 92-2025.",
    ),
    "unit_error_title": ("Đơn vị không có trong danh mục", "Unit not in the catalogue"),
    "unit_error": (
        "Tên này không có trong danh sách đơn vị. Chọn Yes chỉ khi ghi mã đơn vị; nếu không, "
        "chọn No và chọn tên trong danh sách.",
        "This name is not in the list of units. Choose Yes only when you typed a unit code; "
        "otherwise choose No and pick a name from the list.",
    ),
    "indicator_prompt_title": ("Chỉ tiêu", "Indicator (Chỉ tiêu)"),
    "indicator_prompt": (
        "Chọn chỉ tiêu trong danh sách. Đơn vị tính của từng chỉ tiêu xem ở trang “{help}”.",
        "Pick the indicator from the list. The measure of each indicator is on the sheet “{help}”.",
    ),
    "indicator_error_title": ("Chỉ tiêu không hợp lệ", "Indicator not valid"),
    "indicator_error": (
        "Chỉ tiêu phải chọn trong danh sách của nhóm này. Chỉ tiêu nhóm khác: dùng mẫu của "
        "nhóm đó.",
        "The indicator must be picked from this group's list. For another group's "
        "indicator, use that group's template.",
    ),
    "year_prompt_title": ("Năm", "Year (Năm)"),
    "year_prompt": (
        "Ghi năm của số liệu bằng số, từ {low} đến {high}, ví dụ 2024.",
        "The year of the figure as a number from {low} to {high}, e.g. 2024.",
    ),
    "year_error_title": ("Năm không hợp lệ", "Year not valid"),
    "year_error": (
        "Năm phải là số nguyên từ {low} đến {high}.",
        "The year must be a whole number from {low} to {high}.",
    ),
    "value_prompt_title": ("Giá trị", "Value (Giá trị)"),
    "value_prompt": (
        "Ghi số kiểu Việt Nam: 9,52 hoặc 3.093. Tỷ lệ ghi 9,52 hoặc 9,52%. Số ước lượng: "
        "“hơn 80”, “dưới 5”, “gần 300”, “khoảng 1.200”. Không có số liệu: “..” hoặc để trống.",
        "Vietnamese number style: 9,52 or 3.093. A rate: 9,52 or 9,52%. An estimate: "
        "“hơn 80” (over), “dưới 5” (under), “gần 300” (nearly). No figure: “..” or empty.",
    ),
    "target_prompt_title": ("Kế hoạch", "Target (Kế hoạch)"),
    "target_prompt": (
        "Chỉ tiêu kế hoạch được giao cho năm đó (nếu có), ghi như cột Giá trị.",
        "The planned target for that year, if any, written like the Giá trị column.",
    ),
    "status_prompt_title": ("Loại số liệu", "Data status"),
    "status_prompt": (
        "Để “Báo cáo” cho số liệu chính thức; chọn “Sơ bộ” cho số liệu ước tính.",
        "Keep “Báo cáo” for official figures; choose “Sơ bộ” for estimates.",
    ),
    "status_error_title": ("Loại số liệu không hợp lệ", "Data status not valid"),
    "status_error": (
        "Chọn “Loại số liệu: Báo cáo” hoặc “Loại số liệu: Sơ bộ” trong danh sách.",
        "Pick “Loại số liệu: Báo cáo” or “Loại số liệu: Sơ bộ” from the list.",
    ),
    "lists_units": ("Danh sách đơn vị", "List of units"),
    "lists_indicators": ("Danh sách chỉ tiêu", "List of indicators"),
    "lists_code": ("Mã", "Code"),
    "lists_full_name": ("Tên đầy đủ", "Full name"),
    "lists_from": ("Hiệu lực từ", "Valid from"),
    "lists_to": ("Hiệu lực đến", "Valid to"),
    "help_title": ("HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO", "HOW TO FILL IN THE REPORT TEMPLATE"),
    "help_table_name": ("Tên chỉ tiêu trong danh sách", "Indicator name in the list"),
    "help_table_rule": ("Đơn vị tính; giá trị hợp lệ", "Measure; valid values"),
    "help_table_code": ("Mã", "Code"),
    "rule_whole": ("số nguyên", "whole number"),
    "rule_from_to": ("từ {low} đến {high}", "from {low} to {high}"),
    "rule_from": ("từ {low} trở lên", "{low} or more"),
    "rule_any": ("số bất kỳ", "any number"),
}

_HELP_LINES: tuple[tuple[str, str], ...] = (
    (
        "Mẫu này dành cho nhóm chỉ tiêu “{group}”, số liệu theo năm. Điền vào trang “{data}”, "
        "mỗi dòng một số liệu: một đơn vị, một chỉ tiêu, một năm.",
        "This template is for the indicator group “{group}”, yearly figures. Fill in the "
        "sheet “{data}”, one figure per row: one unit, one indicator, one year.",
    ),
    (
        "Cột “Đơn vị”: chọn trong danh sách thả xuống (bấm vào ô rồi bấm mũi tên). Danh sách "
        "có cả các đơn vị đã sáp nhập hoặc giải thể, để báo cáo được các năm trước.",
        "Column “Đơn vị” (unit): pick from the drop-down list (click the cell, then the "
        "arrow). The list includes merged and dissolved units, so past years can be reported.",
    ),
    (
        "Năm 2025: một số tỉnh, thành phố trước và sau sáp nhập (01/07/2025) trùng tên. Khi "
        "đó ghi mã đơn vị (ví dụ 92-2025) thay cho tên; mã có ở trang ẩn “{lists}” (bấm chuột "
        "phải vào tên trang, chọn Unhide/Bỏ ẩn).",
        "Year 2025: some provinces are named alike before and after the merger of 1 July "
        "2025. Write the unit code instead (e.g. 92-2025); the codes are on the hidden sheet "
        "“{lists}” (right-click a sheet tab, Unhide).",
    ),
    (
        "Cột “Chỉ tiêu”: chọn trong danh sách; đơn vị tính và giá trị hợp lệ của từng chỉ "
        "tiêu ở bảng phía dưới.",
        "Column “Chỉ tiêu” (indicator): pick from the list; the measure and valid values of "
        "each indicator are in the table below.",
    ),
    (
        "Cột “Năm”: ghi năm bằng số, ví dụ 2024.",
        "Column “Năm” (year): the year as a number, e.g. 2024.",
    ),
    (
        "Cột “Giá trị”: ghi số kiểu Việt Nam, dấu phẩy thập phân và dấu chấm hàng nghìn: "
        "9,52 là chín phẩy năm mươi hai; 3.093 là ba nghìn không trăm chín mươi ba.",
        "Column “Giá trị” (value): Vietnamese number style, decimal comma and thousands dots: "
        "9,52 is nine point five two; 3.093 is three thousand and ninety-three.",
    ),
    (
        "Tỷ lệ ghi theo số phần trăm: 9,52 hoặc 9,52% (không ghi 0,0952).",
        "Rates are written in percent: 9,52 or 9,52% (not 0,0952).",
    ),
    (
        "Số liệu ước lượng: ghi kèm từ chỉ mức trước số, “hơn 80” hoặc “trên 90” (ít nhất), "
        "“dưới 5” (nhiều nhất), “gần 300”, “khoảng 1.200”. Từ này được lưu kèm số liệu.",
        "Estimates: put the qualifier before the number, “hơn 80” or “trên 90” (at least), "
        "“dưới 5” (at most), “gần 300” (nearly), “khoảng 1.200” (about). It is stored with "
        "the figure.",
    ),
    (
        "Không có số liệu: ghi “..” hoặc để trống ô. Không ghi 0 khi không có số liệu, vì 0 "
        "là một số liệu.",
        "No figure: write “..” or leave the cell empty. Do not write 0 for a missing figure: "
        "0 is a figure.",
    ),
    (
        "Cột “Kế hoạch”: chỉ tiêu kế hoạch được giao cho năm đó, nếu có, ghi như cột “Giá "
        "trị”. Cột “Ghi chú”: nguồn hoặc giải thích, không bắt buộc.",
        "Column “Kế hoạch” (target): the planned target for that year, if any, written like "
        "“Giá trị”. Column “Ghi chú” (note): source or explanation, optional.",
    ),
    (
        "Dòng “Loại số liệu” phía trên bảng: để “Báo cáo” cho số liệu chính thức, chọn “Sơ "
        "bộ” cho số liệu ước tính.",
        "The line “Loại số liệu” above the table: keep “Báo cáo” for official figures, "
        "choose “Sơ bộ” for estimates.",
    ),
    (
        "Không thêm dòng tổng cộng (ứng dụng tự tính tổng), không đổi tên các cột, mỗi đơn "
        "vị, chỉ tiêu và năm chỉ ghi một lần.",
        "Do not add total rows (the application computes totals), do not rename the columns, "
        "and write each unit, indicator and year only once.",
    ),
    (
        "Lưu tệp dạng .xlsx rồi tải lên ở trang “Tải lên” của ứng dụng; nếu có lỗi, ứng dụng "
        "chỉ rõ ô cần sửa.",
        "Save the file as .xlsx and upload it on the application's “Tải lên” (Upload) page; "
        "if something is wrong, it names the cells to fix.",
    ),
)


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str
    level: str
    valid_from: date | None
    valid_to: date | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class _Indicator:
    code: str
    name_vi: str
    name_en: str
    measure: str
    kind: str
    min_value: float | None
    max_value: float | None


def _t(key: str, lang: str, **params: object) -> str:
    vi, en = _TEXT[key]
    return (en if lang == "en" else vi).format(**params)


def group_name(code: str, lang: str = "vi") -> str:
    vi, en = GROUP_NAMES.get(code, (code, code))
    return en if lang == "en" else vi


def template_groups(db_path: Path) -> list[tuple[str, str, str]]:
    """(code, Vietnamese name, English name) of every group that has indicators."""
    con = open_for_reading(db_path)
    try:
        rows = con.execute("SELECT DISTINCT group_code FROM indicator").fetchall()
    finally:
        con.close()
    codes = {row[0] for row in rows}
    ordered = [c for c in GROUP_NAMES if c in codes] + sorted(codes - set(GROUP_NAMES))
    return [(code, group_name(code, "vi"), group_name(code, "en")) for code in ordered]


def build_template(db_path: Path, group_code: str, lang: str = "vi") -> bytes:
    """A blank .xlsx report template for one indicator group; raises EtlError if unknown."""
    con = open_for_reading(db_path)
    try:
        indicators = _read_indicators(con, group_code)
        units = _read_units(con)
    finally:
        con.close()
    if not indicators:
        choices = ", ".join(code for code, _, _ in template_groups(db_path))
        raise EtlError("template_unknown_group", value=group_code, choices=choices)
    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = _t("sheet_data", lang)
    _write_data_sheet(data, group_name(group_code, lang), lang)
    _write_help_sheet(workbook.create_sheet(_t("sheet_help", lang)), group_code, indicators, lang)
    lists = workbook.create_sheet(_t("sheet_lists", lang))
    _write_lists_sheet(workbook, lists, units, indicators, lang)
    workbook.properties.title = _t("title", lang, group=group_name(group_code, lang))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read_indicators(con: duckdb.DuckDBPyConnection, group_code: str) -> list[_Indicator]:
    rows = con.execute(
        "SELECT indicator_code, name_vi, name_en, measure_vi, kind, min_value, max_value "
        "FROM indicator WHERE group_code = ?",
        [group_code],
    ).fetchall()
    return sorted((_Indicator(*row) for row in rows), key=lambda i: (fold(i.name_vi), i.code))


def _read_units(con: duckdb.DuckDBPyConnection) -> list[_Unit]:
    rows = con.execute(
        "SELECT unit_code, name_vi, level, valid_from, valid_to, coalesce(aliases, '') "
        "FROM unit ORDER BY unit_code"
    ).fetchall()
    units = [
        _Unit(code, name, level, start, end, tuple(a for a in aliases.split("|") if a.strip()))
        for code, name, level, start, end, aliases in rows
    ]
    return sorted(units, key=_unit_order)


def _unit_order(unit: _Unit) -> tuple[int, str, str]:
    level = _LEVEL_ORDER.index(unit.level) if unit.level in _LEVEL_ORDER else len(_LEVEL_ORDER)
    return level, strip_unit_prefix(fold(unit.name)), unit.code


def _unit_choices(units: list[_Unit]) -> list[str]:
    """The names the drop-down offers: one per distinct name, none read as a total row."""
    return list(dict.fromkeys(_list_name(unit) for unit in units))


def _list_name(unit: _Unit) -> str:
    """``Cả nước`` would be skipped as a total row: offer an alias (``Việt Nam``) instead."""
    for name in (unit.name, *unit.aliases):
        if fold(name) not in TOTAL_ROW_NAMES:
            return name
    return unit.code


# --- the data sheet -----------------------------------------------------------------------


def _write_data_sheet(sheet: Worksheet, group: str, lang: str) -> None:
    sheet.cell(TITLE_ROW, 1, _t("title", lang, group=group.upper())).font = Font(bold=True, size=14)
    sheet.cell(STATUS_ROW, 1, STATUS_LINE).font = Font(bold=True)
    hint = _t("hint", lang, help=_t("sheet_help", lang))
    sheet.cell(HINT_ROW, 1, hint).font = Font(italic=True, color="595959")
    for col, (title, width) in enumerate(zip(HEADER, COLUMN_WIDTHS, strict=True), start=1):
        cell = sheet.cell(HEADER_ROW, col, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    _style_data_rows(sheet)
    _add_validations(sheet, lang)
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _style_data_rows(sheet: Worksheet) -> None:
    text_columns = {HEADER.index("Giá trị") + 1, HEADER.index("Kế hoạch") + 1}
    for row in range(FIRST_DATA_ROW, LAST_DATA_ROW + 1):
        for col in range(1, len(HEADER) + 1):
            cell = sheet.cell(row, col)
            cell.border = _BORDER
            if col in text_columns:
                cell.number_format = TEXT_FORMAT
                cell.alignment = Alignment(horizontal="right")


def _column_range(title: str) -> str:
    letter = "ABCDEFG"[HEADER.index(title)]
    return f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_DATA_ROW}"


def _add_validations(sheet: Worksheet, lang: str) -> None:
    years = {"low": YEAR_MIN, "high": YEAR_MAX}
    unit_list = DataValidation(type="list", formula1=UNIT_LIST_NAME, errorStyle="warning")
    _validate(sheet, _column_range("Đơn vị"), unit_list, lang, "unit", with_error=True)
    indicator_list = DataValidation(type="list", formula1=INDICATOR_LIST_NAME, errorStyle="stop")
    help_sheet = {"help": _t("sheet_help", lang)}
    _validate(sheet, _column_range("Chỉ tiêu"), indicator_list, lang, "indicator", True, help_sheet)
    year = DataValidation(
        type="whole", operator="between", formula1=str(YEAR_MIN), formula2=str(YEAR_MAX)
    )
    _validate(sheet, _column_range("Năm"), year, lang, "year", True, years)
    _validate(sheet, _column_range("Giá trị"), DataValidation(), lang, "value")
    _validate(sheet, _column_range("Kế hoạch"), DataValidation(), lang, "target")
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"')
    _validate(sheet, f"A{STATUS_ROW}", status, lang, "status", with_error=True)


def _validate(
    sheet: Worksheet,
    ref: str,
    rule: DataValidation,
    lang: str,
    name: str,
    with_error: bool = False,
    params: Mapping[str, object] | None = None,
) -> None:
    """Add ``rule`` on ``ref`` with the input message ``<name>_prompt`` (and error)."""
    params = params or {}
    rule.allow_blank = True
    rule.showInputMessage = True
    rule.promptTitle = _t(f"{name}_prompt_title", lang)
    rule.prompt = _t(f"{name}_prompt", lang, **params)
    if with_error:
        rule.showErrorMessage = True
        rule.errorTitle = _t(f"{name}_error_title", lang)
        rule.error = _t(f"{name}_error", lang, **params)
    rule.add(ref)
    sheet.add_data_validation(rule)


# --- the instructions sheet ----------------------------------------------------------------


def _write_help_sheet(
    sheet: Worksheet, group_code: str, indicators: list[_Indicator], lang: str
) -> None:
    names = {
        "group": group_name(group_code, lang),
        "data": _t("sheet_data", lang),
        "lists": _t("sheet_lists", lang),
    }
    sheet.cell(1, 1, _t("help_title", lang)).font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 110
    row = 3
    for number, (vi, en) in enumerate(_HELP_LINES, start=1):
        sheet.cell(row, 1, number)
        cell = sheet.cell(row, 2, (en if lang == "en" else vi).format(**names))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    _write_indicator_table(sheet, row + 1, indicators, lang)


def _write_indicator_table(
    sheet: Worksheet, top: int, indicators: list[_Indicator], lang: str
) -> None:
    """Indicator name, measure with valid values, and code.

    The measure shares a cell with the valid values: a measure alone ("tổ chức đảng",
    "đơn vị") would read as a header cell and make the loader take this for a table.
    """
    titles = ("help_table_name", "help_table_rule", "help_table_code")
    for col, key in enumerate(titles, start=2):
        cell = sheet.cell(top, col, _t(key, lang))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    sheet.column_dimensions["C"].width = 44
    sheet.column_dimensions["D"].width = 34
    for offset, indicator in enumerate(indicators, start=1):
        name = indicator.name_vi
        if lang == "en":
            name = f"{indicator.name_vi} ({indicator.name_en})"
        rule = f"{indicator.measure}; {_valid_values(indicator, lang)}"
        for col, value in enumerate((name, rule, indicator.code), start=2):
            sheet.cell(top + offset, col, value)


def _valid_values(indicator: _Indicator, lang: str) -> str:
    low, high = indicator.min_value, indicator.max_value
    if low is not None and high is not None:
        rule = _t("rule_from_to", lang, low=_num(low), high=_num(high))
    elif low is not None:
        rule = _t("rule_from", lang, low=_num(low))
    else:
        rule = _t("rule_any", lang)
    if indicator.kind == "count":
        rule = f"{_t('rule_whole', lang)}, {rule}"
    return rule


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# --- the hidden lists sheet -----------------------------------------------------------------


def _write_lists_sheet(
    workbook: Workbook,
    sheet: Worksheet,
    units: list[_Unit],
    indicators: list[_Indicator],
    lang: str,
) -> None:
    """Column A: unit names; C: indicator names; E–H: every unit with its code and dates."""
    unit_names = _unit_choices(units)
    _write_column(sheet, 1, _t("lists_units", lang), unit_names)
    _write_column(sheet, 3, _t("lists_indicators", lang), [i.name_vi for i in indicators])
    titles = ("lists_code", "lists_full_name", "lists_from", "lists_to")
    for col, key in enumerate(titles, start=5):
        sheet.cell(1, col, _t(key, lang)).font = Font(bold=True)
    for row, unit in enumerate(units, start=2):
        for col, value in enumerate((unit.code, unit.name, unit.valid_from, unit.valid_to), 5):
            cell = sheet.cell(row, col, value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    for letter, width in zip("ACEFGH", (42, 46, 12, 46, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.sheet_state = "hidden"
    _define_list(workbook, UNIT_LIST_NAME, sheet.title, "A", len(unit_names))
    _define_list(workbook, INDICATOR_LIST_NAME, sheet.title, "C", len(indicators))


def _write_column(sheet: Worksheet, col: int, title: str, values: list[str]) -> None:
    sheet.cell(1, col, title).font = Font(bold=True)
    for row, value in enumerate(values, start=2):
        sheet.cell(row, col, value)


def _define_list(workbook: Workbook, name: str, sheet_title: str, col: str, count: int) -> None:
    quoted = "'" + sheet_title.replace("'", "''") + "'"
    ref = f"{quoted}!${col}$2:${col}${count + 1}"
    workbook.defined_names[name] = DefinedName(name, attr_text=ref)
