"""Read one spreadsheet cell as a number, the way Vietnamese reports write numbers.

``parse_value`` takes whatever a spreadsheet reader returns (None, str, int, float,
bool, date/datetime) and gives a :class:`ParsedValue`, or raises
:class:`ValueParseError` with a message key from :mod:`etl.messages`.

Text is read in this order, each step a declared table of patterns:

1. U+2212 MINUS SIGN becomes "-"; the text is folded (:func:`etl.text.fold`: single
   spaces for non-breaking and thin ones, no diacritics, lower case), so "HƠN",
   "hơn" and the NFD form of "hơn" are the same word;
2. a missing-value marker (``..``, ``-``, ``x``, ``n/a``...) gives a missing value;
3. an Excel error (``#DIV/0!``...) is refused;
4. one footnote marker before or after the number is set aside;
5. one qualifier ("hơn", "dưới", "khoảng", "gần", ">", "từ ... trở lên"...) is set aside;
6. a trailing "%" is set aside (the value stays as written: "80%" gives 80);
7. what is left must be exactly one number.

Separators: Vietnamese documents write a decimal comma and thousands dots, English
ones the opposite. The rules, tried in order (see ``_NUMBER_FORMATS``):

- ``3.093``, ``11.345.067``, ``11.345.067,5``: dots followed by groups of exactly
  three digits are Vietnamese thousands separators. A single dot followed by
  exactly three digits is therefore read as thousands: ``3.093`` is 3093, never
  3.093. (``0.093`` has no leading digit that thousands could follow, so it is 0.093.)
- ``9,52``, ``1,234``: a single comma is a Vietnamese decimal comma, even when
  exactly three digits follow: ``1,234`` is 1.234, never 1234.
- ``1,234,567`` (several comma groups of three) and ``1,234.5`` (comma groups then
  a decimal dot) cannot be Vietnamese and are read the English way.
- ``12.5`` (a dot not followed by exactly three digits) is a decimal point.
- ``1 234`` / ``1 234 567,5``: spaces between groups of three digits are thousands
  separators. ``4, 68`` (a space after a single decimal comma, seen in real
  documents) is 4.68.

Scientific notation (``1.2E+07``) and number words are refused: spreadsheet readers
return real numbers for numeric cells, so such text is a typing problem to fix.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from numbers import Real

from etl.errors import EtlError
from etl.messages import register
from etl.text import cached, clean, fold

register(
    {
        "value_excel_error": (
            "Ô có lỗi Excel {value}: sửa công thức trong tệp gốc hoặc nhập số liệu trực tiếp.",
            "The cell holds the Excel error {value}: fix the formula in the source file "
            "or type the figure in directly.",
        ),
        "value_not_number": (
            "Không đọc được số từ «{value}»: ghi một số duy nhất (ví dụ 9,52 hoặc 3.093, có "
            "thể kèm %, «hơn», «khoảng»), hoặc để trống nếu không có số liệu.",
            "Cannot read a number from “{value}”: write a single number (e.g. 9,52 or 3.093, "
            "optionally with %, “hơn”, “khoảng”), or leave the cell empty when there is no "
            "figure.",
        ),
        "value_is_date": (
            "Ô chứa ngày {value} thay vì số (Excel có thể đã tự đổi số thành ngày): định dạng "
            "ô là Number hoặc Text rồi nhập lại số liệu.",
            "The cell holds the date {value} instead of a number (Excel may have turned the "
            "number into a date): format the cell as Number or Text and type the figure again.",
        ),
        "value_is_boolean": (
            "Ô chứa giá trị đúng/sai {value} thay vì số: nhập số liệu (ví dụ 1 hoặc 0) vào ô.",
            "The cell holds the true/false value {value} instead of a number: type the figure "
            "(e.g. 1 or 0) into the cell.",
        ),
    }
)

QUALIFIERS = ("lower_bound", "upper_bound", "approximate", "nearly")

MAX_SHOWN_CHARS = 60  # a long text is cut in messages, so that one line stays one line


@dataclass(frozen=True)
class ParsedValue:
    """One cell read as a number.

    ``value`` is None when the cell says the figure is missing (never zero).
    ``qualifier`` is None, "lower_bound", "upper_bound", "approximate" or "nearly".
    ``is_percent`` tells that the text carried a % sign; ``value`` is then the
    number as written (80 for "80%"), not a fraction.
    ``footnote`` is the marker ("(1)", "*", "¹"...) that stood before or after the number.
    """

    value: float | None
    qualifier: str | None
    is_percent: bool
    footnote: str | None


class ValueParseError(EtlError):
    """A cell that is not a number; ``.key`` and ``.params`` name the message."""


MISSING = ParsedValue(value=None, qualifier=None, is_percent=False, footnote=None)

# --- declared tables --------------------------------------------------------------------

_MISSING_MARKERS = frozenset({"", "..", "...", "…", "-", "–", "—", "x", "k.c", "n/a"})

_EXCEL_ERRORS = frozenset(
    {
        "#DIV/0!",
        "#REF!",
        "#N/A",
        "#VALUE!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
    }
)

_FOOTNOTE = r"\(\d{1,2}\)|\(\*{1,3}\)|\[\d{1,2}\]|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+"
_FOOTNOTE_PATTERNS = (
    re.compile(rf"(?P<note>{_FOOTNOTE})\s*(?P<rest>.*)"),
    re.compile(rf"(?P<rest>.*?)\s*(?P<note>{_FOOTNOTE})"),
)

# Words as people write them; folded once at import, so matching ignores case and accents.
_QUALIFIER_WORDS: dict[str, tuple[str, ...]] = {
    "lower_bound": ("hơn", "trên", "vượt", "ít nhất", "tối thiểu", ">=", ">", "≥"),
    "upper_bound": ("dưới", "chưa đến", "chưa tới", "không quá", "tối đa", "<=", "<", "≤"),
    "approximate": ("khoảng", "xấp xỉ", "chừng", "ước đạt", "ước tính", "ước", "~", "≈"),
    "nearly": ("gần",),
}


def _qualifier_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Prefix words, longest first ("ước đạt" before "ước"), then "từ ... trở lên/xuống"."""
    words = [(fold(w), q) for q, ws in _QUALIFIER_WORDS.items() for w in ws]
    words.sort(key=lambda pair: -len(pair[0]))
    prefixes = [
        # a word must not run into a following letter: "gần" is not the start of "gầnh"
        (re.compile(rf"{re.escape(w)}(?![^\W\d_])\s*(?P<rest>.+)"), q)
        for w, q in words
    ]
    circumfixes = [
        (re.compile(r"(?:tu\s+)?(?P<rest>.+?)\s*tro len"), "lower_bound"),
        (re.compile(r"(?:tu\s+)?(?P<rest>.+?)\s*tro xuong"), "upper_bound"),
    ]
    return (*prefixes, *circumfixes)


_QUALIFIER_PATTERNS = _qualifier_patterns()

_PERCENT = re.compile(r"(?P<rest>.*?)\s*%")
_SIGN = re.compile(r"(?P<sign>[+-]?)\s?(?P<body>.*)")
_DECIMAL_COMMA_SPACE = re.compile(r"(?<=\d), (?=\d+$)")  # "4, 68" -> "4,68"
_SPACE_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?: \d{3})+(?:[.,]\d+)?")

# (pattern, thousands separator, decimal separator), tried in order; see the module doc.
_NUMBER_FORMATS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\d+"), "", "."),
    (re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?"), ".", ","),  # 3.093 / 11.345.067,5
    (re.compile(r"\d+,\d+"), "", ","),  # 9,52 / 1,234 (= 1.234)
    (re.compile(r"[1-9]\d{0,2}(?:,\d{3}){2,}(?:\.\d+)?"), ",", "."),  # 1,234,567
    (re.compile(r"[1-9]\d{0,2}(?:,\d{3})+\.\d+"), ",", "."),  # 1,234.5
    (re.compile(r"\d+\.\d+"), "", "."),  # 12.5
)


# --- parsing ------------------------------------------------------------------------------


@cached(maxsize=1 << 16)
def parse_value(raw: object) -> ParsedValue:
    """Read one cell; raise :class:`ValueParseError` when it is not a number.

    Cached (typed: True and 1 stay apart); failures are not cached and are re-raised.

    None, blanks and markers such as "..", "-", "x", "n/a" are missing (``value``
    None); NaN is missing too. Booleans and dates are refused: they are never counts.
    See the module docstring for how separators are told apart.
    """
    if raw is None:
        return MISSING
    if isinstance(raw, bool):
        raise ValueParseError("value_is_boolean", value=str(raw))
    if isinstance(raw, date | time):
        raise ValueParseError("value_is_date", value=_show_date(raw))
    if isinstance(raw, Real | Decimal):
        return _parse_number_cell(raw)
    if isinstance(raw, str):
        return _parse_text(raw)
    raise ValueParseError("value_not_number", value=_shown(str(raw)))


def _parse_number_cell(raw: Real | Decimal) -> ParsedValue:
    number = float(raw)
    if math.isnan(number):
        return MISSING
    if math.isinf(number):
        raise ValueParseError("value_not_number", value=str(raw))
    return ParsedValue(value=number, qualifier=None, is_percent=False, footnote=None)


# The forms most cells typed as text take, read without the general machinery below
# (a report typed entirely as text has hundreds of thousands of them). They must give
# exactly what the general reading gives; tests/test_values.py checks that.
_PLAIN_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")  # 3.093, 11.345.067
_PLAIN_DECIMAL = re.compile(r"(?:0|[1-9]\d*)(?:,\d+)?")  # 2071, 9,52, 0,5


def _parse_text(raw: str) -> ParsedValue:
    if _PLAIN_THOUSANDS.fullmatch(raw):
        return ParsedValue(float(raw.replace(".", "")), None, False, None)
    if _PLAIN_DECIMAL.fullmatch(raw):
        return ParsedValue(float(raw.replace(",", ".")), None, False, None)
    return _parse_general_text(raw)


def _parse_general_text(raw: str) -> ParsedValue:
    text = fold(raw.replace("\u2212", "-"))  # U+2212 MINUS SIGN
    if text in _MISSING_MARKERS:
        return MISSING
    if text.upper() in _EXCEL_ERRORS:
        raise ValueParseError("value_excel_error", value=text.upper())
    footnote, text = _split_footnote(text)
    if text and text in _MISSING_MARKERS:  # "-(1)"; a lone "(1)" is no figure at all
        return ParsedValue(value=None, qualifier=None, is_percent=False, footnote=footnote)
    qualifier, text = _split_qualifier(text)
    is_percent, text = _split_percent(text)
    number = parse_number(text)
    if number is None:
        raise ValueParseError("value_not_number", value=_shown(raw.strip()))
    return ParsedValue(value=number, qualifier=qualifier, is_percent=is_percent, footnote=footnote)


def _split_footnote(text: str) -> tuple[str | None, str]:
    for pattern in _FOOTNOTE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return match["note"], match["rest"]
    return None, text


def _split_qualifier(text: str) -> tuple[str | None, str]:
    for pattern, qualifier in _QUALIFIER_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return qualifier, match["rest"]
    return None, text


def _split_percent(text: str) -> tuple[bool, str]:
    match = _PERCENT.fullmatch(text)
    return (True, match["rest"]) if match else (False, text)


def parse_number(text: str) -> float | None:
    """One signed number in Vietnamese or unambiguous English notation, else None.

    ``text`` has single ASCII spaces already (see :func:`etl.text.fold`).
    """
    match = _SIGN.fullmatch(text)
    if match is None:  # pragma: no cover - the pattern matches every string
        return None
    body = _DECIMAL_COMMA_SPACE.sub(",", match["body"])
    if " " in body:
        if not _SPACE_THOUSANDS.fullmatch(body):
            return None
        body = body.replace(" ", "")
    magnitude = _read_digits(body)
    if magnitude is None:
        return None
    return -magnitude if match["sign"] == "-" else magnitude


def _read_digits(body: str) -> float | None:
    for pattern, thousands, decimal in _NUMBER_FORMATS:
        if pattern.fullmatch(body):
            plain = body.replace(thousands, "") if thousands else body
            return float(plain.replace(decimal, "."))
    return None


def _show_date(raw: date | time) -> str:
    if isinstance(raw, datetime) and raw.time() != time(0, 0):
        return raw.strftime("%d/%m/%Y %H:%M")
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    return raw.strftime("%H:%M")


def _shown(text: str) -> str:
    """The offending text as it goes into a message: one line, not too long."""
    line = clean(text)
    return line if len(line) <= MAX_SHOWN_CHARS else line[: MAX_SHOWN_CHARS - 1] + "…"
