r"""A copy of a report file with every problem marked where it is, for the person to fix.

Each problem's cell is filled (errors light red, warnings light yellow) and carries a
comment with the message and the rule key; a first sheet lists every problem with a
link to its cell. Problems without a cell (about the whole file) are only listed.

.xlsx and .xlsm files are copied with openpyxl, macros left out (never run, never
kept). Files openpyxl cannot open (.xls, .ods, and .csv once the loader reads it) are
rebuilt as a plain .xlsx from the values the loader itself reads
(:func:`etl.reader.read_workbook`), so the sheets and cell positions are the ones the
problems name. A sheet name Excel refuses (over 31 characters, or one of ``[]:*?/\``)
is shortened in the copy, and the list gives the new name. A file that cannot be read
at all gives a workbook with the list only. The source file is only ever read.
"""

from __future__ import annotations

import io
import re
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from etl.errors import Problem
from etl.reader import read_workbook

ERROR_COLOR = "FFC7CE"  # light red
WARNING_COLOR = "FFEB9C"  # light yellow
SUMMARY_HEADER_ROW = 5
MAX_SHEET_TITLE = 31
COMMENT_SEPARATOR = "\n\n———\n"  # our messages above, the cell's own comment below
_CELL_NAME = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

# User-visible text: key → (Vietnamese, English).
_TEXT: dict[str, tuple[str, str]] = {
    "sheet": ("Lỗi và cảnh báo", "Errors and warnings"),
    "author": ("Kiểm tra số liệu", "Data check"),
    "error": ("Lỗi", "Error"),
    "warning": ("Cảnh báo", "Warning"),
    "title": ("Lỗi và cảnh báo khi kiểm tra tệp “{file}”", "Errors and warnings in “{file}”"),
    "counts": (
        "{errors} lỗi, {warnings} cảnh báo. Bấm vào tên ô để đến ô đó; ô lỗi tô đỏ nhạt, ô "
        "cảnh báo tô vàng nhạt, di chuột lên ô để đọc nội dung.",
        "Errors: {errors}, warnings: {warnings}. Click a cell name to go to the cell; errors "
        "are filled light red, warnings light yellow; hover over a cell to read the note.",
    ),
    "copy_note": (
        "Đây là bản sao do ứng dụng tạo để chỉ chỗ cần sửa; tệp gốc không bị thay đổi. Hình "
        "ảnh, biểu đồ và macro của tệp gốc không được giữ. Sửa số liệu rồi tải tệp lên lại.",
        "This is a copy made by the application to show what to fix; the original file is "
        "unchanged. Pictures, charts and macros of the original are not kept. Fix the figures "
        "and upload the file again.",
    ),
    "none": ("Không có lỗi hay cảnh báo nào.", "No errors or warnings."),
    "col_number": ("STT", "No."),
    "col_sheet": ("Trang tính", "Sheet"),
    "col_cell": ("Ô", "Cell"),
    "col_severity": ("Mức độ", "Severity"),
    "col_rule": ("Quy tắc", "Rule"),
    "col_message": ("Nội dung", "Message"),
    "file_suffix": ("danh_dau_loi", "marked"),
}
_COLUMNS = ("col_number", "col_sheet", "col_cell", "col_severity", "col_rule", "col_message")
_WIDTHS = (6, 24, 8, 12, 24, 100)
_OUR_TITLES = frozenset(_TEXT["sheet"])
_OUR_AUTHORS = frozenset(_TEXT["author"])


def _t(key: str, lang: str, **params: object) -> str:
    vi, en = _TEXT[key]
    return (en if lang == "en" else vi).format(**params)


def annotate_workbook(source: Path, problems: list[Problem], lang: str = "vi") -> bytes:
    """The .xlsx bytes of a marked copy of ``source``; ``source`` is not modified."""
    problems = _distinct(problems)
    workbook, renamed = _open_copy(source)
    problems = [replace(p, sheet=renamed.get(p.sheet, p.sheet)) for p in problems]
    _clear_previous(workbook, problems)
    located = _mark_cells(workbook, problems, lang)
    file_name = Path(problems[0].file).name if problems else source.name
    _add_summary(workbook, file_name, problems, located, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def annotate_bytes(data: bytes, file_name: str, problems: list[Problem], lang: str = "vi") -> bytes:
    """:func:`annotate_workbook` for uploaded bytes (the suffix of ``file_name`` matters)."""
    suffix = Path(file_name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="annotate-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return annotate_workbook(path, problems, lang)


def annotated_file_name(file_name: str, lang: str = "vi") -> str:
    """``bao_cao.xls`` → ``bao_cao_danh_dau_loi.xlsx`` (the copy is always .xlsx)."""
    return f"{Path(file_name).stem}_{_t('file_suffix', lang)}.xlsx"


def _distinct(problems: list[Problem]) -> list[Problem]:
    """Each problem once: the loader names a bad unit cell once per value in its row."""
    seen: set[tuple[str, str, str, str, str]] = set()
    kept: list[Problem] = []
    for problem in problems:
        key = (problem.sheet, problem.cell, problem.key, problem.severity, problem.message())
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


# --- opening the copy -----------------------------------------------------------------------


def _open_copy(source: Path) -> tuple[Workbook, dict[str, str]]:
    """The copy, and the sheets renamed in it (a name Excel would refuse → its new name).

    openpyxl first for .xlsx/.xlsm; else, or when it fails, the loader's own reader, so
    that sheet names and cell positions are the ones the problems name; else nothing.
    """
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return _read_openpyxl(source), {}
        except Exception:  # damaged, encrypted or mislabelled files raise many kinds
            pass
    try:
        return _read_grids(source)
    except Exception:  # ReadError, and whatever else a damaged file makes calamine raise
        return _empty_workbook(), {}


def _read_openpyxl(source: Path) -> Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "extension not supported" and the like
        return load_workbook(source, keep_vba=False, rich_text=True)


def _read_grids(source: Path) -> tuple[Workbook, dict[str, str]]:
    workbook = _empty_workbook()
    renamed: dict[str, str] = {}
    for grid in read_workbook(source):
        title = _sheet_title(workbook, grid.sheet)
        sheet = workbook.create_sheet(title)
        _put_rows(sheet, grid.rows)
        if not grid.visible:
            sheet.sheet_state = "hidden"
        if title != grid.sheet:
            renamed[grid.sheet] = title
    return workbook, renamed


def _empty_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    return workbook


def _sheet_title(workbook: Workbook, name: str) -> str:
    """``name`` as Excel allows it: at most 31 characters, none of []:*?/\\, unique."""
    base = _SHEET_NAME_BAD.sub("_", name).strip("'")[:MAX_SHEET_TITLE] or "Sheet"
    title, number = base, 1
    while title in workbook.sheetnames:
        number += 1
        suffix = f" ({number})"
        title = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
    return title


def _put_rows(sheet: Worksheet, rows: Iterable[list[Any]]) -> None:
    """Values at their own positions (row 0 of the grid is the sheet's row 1)."""
    for row_index, row in enumerate(rows, start=1):
        for col_index, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            _put_value(sheet.cell(row_index, col_index), value)


def _put_value(cell: Cell, value: Any) -> None:
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # "=…" typed as text stays text, never a formula
        return
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"


# --- marking cells ------------------------------------------------------------------------


def _clear_previous(workbook: Workbook, problems: list[Problem]) -> None:
    """Remove what an earlier annotation left (a re-uploaded marked copy)."""
    referenced = {problem.sheet for problem in problems}
    for title in _OUR_TITLES - referenced:
        if title in workbook.sheetnames:
            del workbook[title]
    for sheet in workbook.worksheets:
        # only the cells that exist: iterating a sheet's full range can be huge
        for cell in list(sheet._cells.values()):
            comment = cell.comment
            if comment is None or comment.author not in _OUR_AUTHORS:
                continue
            _, _, own = comment.text.partition(COMMENT_SEPARATOR)
            cell.comment = Comment(own, "") if own else None
            if _fill_color(cell) in (ERROR_COLOR, WARNING_COLOR):
                cell.fill = PatternFill()


def _fill_color(cell: Cell) -> str:
    color = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fgColor else None
    return str(color)[-6:].upper() if isinstance(color, str) else ""


def _mark_cells(
    workbook: Workbook, problems: list[Problem], lang: str
) -> dict[int, tuple[str, str]]:
    """Fill and comment each problem's cell; problem index → (sheet, cell) it was put on."""
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    located: dict[int, tuple[str, str]] = {}
    for index, problem in enumerate(problems):
        target = _target(workbook, problem)
        if target is not None:
            by_cell.setdefault(target, []).append(problem)
            located[index] = target
    for (sheet, coordinate), here in by_cell.items():
        _mark(workbook[sheet][coordinate], here, lang)
    return located


def _target(workbook: Workbook, problem: Problem) -> tuple[str, str] | None:
    """The sheet and cell a problem points at (a merged area's top-left cell)."""
    name = problem.cell.strip().upper()
    if not problem.sheet or not _CELL_NAME.match(name):
        return None
    if problem.sheet not in workbook.sheetnames:
        return None
    sheet = workbook[problem.sheet]
    if not isinstance(sheet, Worksheet):
        return None
    for merged in sheet.merged_cells.ranges:
        if name in merged:
            name = merged.start_cell.coordinate
            break
    return problem.sheet, name


def _mark(cell: Cell, problems: list[Problem], lang: str) -> None:
    is_error = any(p.severity == "error" for p in problems)
    color = ERROR_COLOR if is_error else WARNING_COLOR
    cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
    text = "\n\n".join(_comment_line(p, lang) for p in problems)
    if cell.comment is not None and cell.comment.text.strip():
        text += COMMENT_SEPARATOR + cell.comment.text
    lines = sum(len(part) // 55 + 1 for part in text.splitlines())
    cell.comment = Comment(text, _t("author", lang), height=min(24 + 16 * lines, 480), width=380)


def _comment_line(problem: Problem, lang: str) -> str:
    return f"{_t(problem.severity, lang)} ({problem.key}): {problem.message(lang)}"


# --- the summary sheet ------------------------------------------------------------------------


def _add_summary(
    workbook: Workbook,
    file_name: str,
    problems: list[Problem],
    located: dict[int, tuple[str, str]],
    lang: str,
) -> None:
    sheet = workbook.create_sheet(_sheet_title(workbook, _t("sheet", lang)), 0)
    errors = sum(1 for p in problems if p.severity == "error")
    sheet.cell(1, 1, _t("title", lang, file=file_name)).font = Font(bold=True, size=14)
    counts = _t("counts", lang, errors=errors, warnings=len(problems) - errors)
    sheet.cell(2, 1, counts if problems else _t("none", lang))
    sheet.cell(3, 1, _t("copy_note", lang)).font = Font(italic=True, color="595959")
    for col, (key, width) in enumerate(zip(_COLUMNS, _WIDTHS, strict=True), start=1):
        header = sheet.cell(SUMMARY_HEADER_ROW, col, _t(key, lang))
        header.font = Font(bold=True)
        sheet.column_dimensions[header.column_letter].width = width
    order = sorted(range(len(problems)), key=lambda i: _sort_key(workbook, problems[i]))
    for number, index in enumerate(order, start=1):
        row = SUMMARY_HEADER_ROW + number
        _summary_row(sheet, row, number, problems[index], located.get(index), lang)
    sheet.freeze_panes = sheet.cell(SUMMARY_HEADER_ROW + 1, 1)
    _make_active(workbook, sheet)


def _summary_row(
    sheet: Worksheet,
    row: int,
    number: int,
    problem: Problem,
    target: tuple[str, str] | None,
    lang: str,
) -> None:
    values = (number, problem.sheet, problem.cell, _t(problem.severity, lang), problem.key)
    for col, value in enumerate(values, start=1):
        sheet.cell(row, col, value)
    message = sheet.cell(row, 6, problem.message(lang))
    message.alignment = Alignment(wrap_text=True, vertical="top")
    color = ERROR_COLOR if problem.severity == "error" else WARNING_COLOR
    sheet.cell(row, 4).fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
    if target is not None:
        link = sheet.cell(row, 3)
        quoted = "'" + target[0].replace("'", "''") + "'"
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quoted}!{target[1]}")
        link.style = "Hyperlink"


def _sort_key(workbook: Workbook, problem: Problem) -> tuple[int, int, int, int]:
    """Errors first, then by sheet order, row and column; whole-file problems first."""
    severity = 0 if problem.severity == "error" else 1
    names = workbook.sheetnames
    sheet = names.index(problem.sheet) if problem.sheet in names else -1
    name = problem.cell.strip().upper()
    row, col = coordinate_to_tuple(name) if _CELL_NAME.match(name) else (0, 0)
    return severity, sheet, row, col


def _make_active(workbook: Workbook, summary: Worksheet) -> None:
    """Open on the summary, with no other tab selected (selected tabs edit together)."""
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet is summary
    workbook.active = summary
    for view in workbook.views:
        view.firstSheet = 0
