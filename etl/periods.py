"""Read the period a report, a sheet header or a cell speaks of.

A :class:`Period` is a closed span of days (``start`` and ``end`` both included)
with a type derived from those dates alone (:func:`period_type_of`) and a
canonical Vietnamese label derived from them too, so that "Q3/2012", "Quý 3 năm
2012" and "2012-Q3" give equal periods. Preliminary markers ("Sơ bộ", "Ước",
"Prel.") set ``is_preliminary`` and are left out of the label: a preliminary and a
final figure for the same period carry the same label.

Text is folded first (no diacritics, lower case, NFC or NFD alike, spaces and
dashes normalised), then matched against the declared table ``_PERIOD_PATTERNS``.
Anything that matches no pattern, or names an impossible period (Quý V, Tháng 13,
2020-2019, a year outside 1900-2100), gives None.

Date cells: a spreadsheet date (or a "dd/mm/yyyy" text) is ambiguous as a period
(the day? its month? the year up to that day?). ``parse_period`` returns the
single day, type "span", and leaves the reading to the caller.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Real

from etl.text import cached, fold

MIN_YEAR = 1900
MAX_YEAR = 2100

PERIOD_TYPES = ("year", "half", "quarter", "month", "term", "span")

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OF_QUARTER = {n: r.upper() for r, n in ROMAN_QUARTERS.items()}


@dataclass(frozen=True)
class Period:
    """A closed span of days, its type, whether its figures are preliminary, its label."""

    start: date
    end: date
    period_type: str  # one of PERIOD_TYPES
    is_preliminary: bool
    label_vi: str


# --- dates --------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _is_month_start(day: date) -> bool:
    return day.day == 1


def _is_month_end(day: date) -> bool:
    return day == _month_end(day.year, day.month)


def _valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not _valid_year(year):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


_DATE_TEXT = (
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}"
    r"|(?:ngay )?\d{1,2} thang \d{1,2} nam \d{4}"
)

# (pattern, group order): day-month-year as Vietnamese write it, or ISO year-month-day.
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, str, str]], ...] = (
    (re.compile(r"(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2(?P<y>\d{4})"), ("y", "m", "d")),
    (
        re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?"),
        ("y", "m", "d"),
    ),
    (
        re.compile(r"(?:ngay )?(?P<d>\d{1,2}) thang (?P<m>\d{1,2}) nam (?P<y>\d{4})"),
        ("y", "m", "d"),
    ),
)


@cached(maxsize=1 << 14)
def parse_date(raw: object) -> date | None:
    """A date from a date/datetime cell or a text "21/8/2012", "21/08/2012", "2012-08-21".

    Also "21.08.2012", "21-08-2012" and "ngày 21 tháng 8 năm 2012". Numbers are not
    read as Excel serial dates (readers already return dates for date cells).
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        return None
    return _parse_date_text(_normalise(raw))


def _parse_date_text(text: str) -> date | None:
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(match[g]) for g in order)
            return _safe_date(year, month, day)
    return None


# --- types and labels ----------------------------------------------------------------


def _is_year(start: date, end: date) -> bool:
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
        start.year == end.year
    )


def _is_term(start: date, end: date) -> bool:
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
        start.year < end.year
    )


def _is_months(start: date, end: date, months: int, first_months: tuple[int, ...]) -> bool:
    """``months`` whole months starting in one of ``first_months``, within one year."""
    return (
        start.year == end.year
        and start.month in first_months
        and end.month == start.month + months - 1
        and _is_month_start(start)
        and _is_month_end(end)
    )


_TYPE_RULES: tuple[tuple[str, Callable[[date, date], bool]], ...] = (
    ("year", _is_year),
    ("half", lambda s, e: _is_months(s, e, 6, (1, 7))),
    ("quarter", lambda s, e: _is_months(s, e, 3, (1, 4, 7, 10))),
    ("month", lambda s, e: _is_months(s, e, 1, tuple(range(1, 13)))),
    ("term", _is_term),
)


def period_type_of(start: date, end: date) -> str:
    """ "year", "half", "quarter", "month", "term" (whole years, several) or "span"."""
    start, end = _as_date(start), _as_date(end)
    return next((name for name, rule in _TYPE_RULES if rule(start, end)), "span")


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _span_label(start: date, end: date) -> str:
    """First or last n months of a year read as Vietnamese reports say them, else dates."""
    whole_months = _is_month_start(start) and _is_month_end(end) and start.year == end.year
    if whole_months and start.month == 1:
        return f"{end.month} tháng đầu năm {end.year}"
    if whole_months and end.month == 12:
        return f"{13 - start.month} tháng cuối năm {end.year}"
    if start == end:
        return _dmy(start)
    return f"{_dmy(start)}–{_dmy(end)}"


_LABELS: dict[str, Callable[[date, date], str]] = {
    "year": lambda s, e: str(s.year),
    "half": lambda s, e: f"6 tháng {'đầu' if s.month == 1 else 'cuối'} năm {s.year}",
    "quarter": lambda s, e: f"Quý {_ROMAN_OF_QUARTER[(s.month + 2) // 3]}/{s.year}",
    "month": lambda s, e: f"Tháng {s.month}/{s.year}",
    "term": lambda s, e: f"{s.year}-{e.year}",
    "span": _span_label,
}


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


def period_from_dates(start: date, end: date, *, preliminary: bool = False) -> Period:
    """The period from ``start`` to ``end`` (both included), typed and labelled.

    Raises ValueError when ``end`` is before ``start``.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    period_type = period_type_of(start, end)
    label = _LABELS[period_type](start, end)
    return Period(start, end, period_type, preliminary, label)


# --- text -----------------------------------------------------------------------------

_DASHES = re.compile(r"\s*[-‐‑‒–—―−]\s*")
_SLASH = re.compile(r"\s*/\s*")


def _normalise(text: str) -> str:
    """Folded text with one form for dashes and slashes, trailing ":" or "," removed."""
    folded = _SLASH.sub("/", _DASHES.sub("-", fold(text)))
    return folded.rstrip(" :;,")


_PRELIMINARY = r"so bo|uoc tinh|uoc thuc hien|uoc|preliminary|prelim\.?|prel\.?|pre\.?"
_PRELIMINARY_PATTERNS = (
    re.compile(rf"(?:{_PRELIMINARY})(?![^\W\d_])\s*(?P<rest>.+)"),
    re.compile(rf"(?P<rest>.+?)\s*\((?:{_PRELIMINARY})\)"),
    re.compile(rf"(?P<rest>.+?)\s+(?:{_PRELIMINARY})"),
)


def _split_preliminary(text: str) -> tuple[bool, str]:
    for pattern in _PRELIMINARY_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return True, match["rest"]
    return False, text


Span = tuple[date, date]


def _year(m: re.Match[str]) -> Span | None:
    year = int(m["y"])
    return (date(year, 1, 1), date(year, 12, 31)) if _valid_year(year) else None


def _months(year: int, first: int, last: int) -> Span | None:
    if not (_valid_year(year) and 1 <= first <= last <= 12):
        return None
    return date(year, first, 1), _month_end(year, last)


def _quarter(m: re.Match[str]) -> Span | None:
    q = m["q"]
    quarter = int(q) if q.isdigit() else ROMAN_QUARTERS.get(q, 0)
    if not 1 <= quarter <= 4:
        return None
    return _months(int(m["y"]), 3 * quarter - 2, 3 * quarter)


def _half(m: re.Match[str]) -> Span | None:
    half = int(m["h"])
    return _months(int(m["y"]), 6 * half - 5, 6 * half) if half in (1, 2) else None


def _half_word(m: re.Match[str]) -> Span | None:
    """ "nửa đầu năm 2025" / "nửa cuối năm 2025"."""
    first = 1 if m["side"] == "dau" else 7
    return _months(int(m["y"]), first, first + 5)


def _months_of_year(m: re.Match[str]) -> Span | None:
    """ "9 tháng đầu năm 2025" (first n months; the default) or "n tháng cuối năm"."""
    n = int(m["n"])
    if not 1 <= n <= 12:
        return None
    if m["side"] == "cuoi":
        return _months(int(m["y"]), 13 - n, 12)
    return _months(int(m["y"]), 1, n)


def _month(m: re.Match[str]) -> Span | None:
    month = int(m["m"])
    return _months(int(m["y"]), month, month)


def _years(m: re.Match[str]) -> Span | None:
    first, last = int(m["a"]), int(m["b"])
    if not (_valid_year(first) and _valid_year(last)):  # order: checked in parse_period
        return None
    return date(first, 1, 1), date(last, 12, 31)


def _dates(m: re.Match[str]) -> Span | None:
    start = _parse_date_text(m["d1"])
    end = _parse_date_text(m["d2"]) if m["d2"] else start
    return (start, end) if start and end else None


_YEAR = r"(?P<y>\d{4})"
_OF_YEAR = r"(?: nam |/| )"  # "Quý 3/2012", "Quý 3 năm 2012", "Q3 2012"
_UNTIL = r"(?:-| den | toi )"

# Each pattern must match the whole normalised text; the builder gives (start, end).
_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Span | None]], ...] = (
    (re.compile(rf"(?:ca )?(?:nam )?{_YEAR}"), _year),
    (re.compile(rf"(?:qu[yi] ?|q)(?P<q>[ivx]+|\d+){_OF_YEAR}{_YEAR}"), _quarter),
    (re.compile(rf"{_YEAR}[- ]?q(?P<q>\d+)"), _quarter),
    (re.compile(rf"h(?P<h>\d){_OF_YEAR}{_YEAR}"), _half),
    (re.compile(rf"{_YEAR}[- ]?h(?P<h>\d)"), _half),
    (re.compile(rf"nua (?P<side>dau|cuoi) nam {_YEAR}"), _half_word),
    (
        re.compile(rf"(?P<n>\d{{1,2}}) thang(?: (?P<side>dau|cuoi))?{_OF_YEAR}{_YEAR}"),
        _months_of_year,
    ),
    (re.compile(rf"(?:thang ?|t)?(?P<m>\d{{1,2}})(?:/| nam ){_YEAR}"), _month),
    (re.compile(rf"{_YEAR}-(?P<m>\d{{2}})"), _month),
    (
        re.compile(
            r"(?:(?:nhiem ky|giai doan|thoi ky|ky) )?(?:tu (?:nam )?)?"
            rf"(?P<a>\d{{4}}){_UNTIL}(?:nam )?(?P<b>\d{{4}})"
        ),
        _years,
    ),
    (
        re.compile(
            rf"(?:tu (?:ngay )?)?(?P<d1>{_DATE_TEXT})(?:{_UNTIL}(?:ngay )?(?P<d2>{_DATE_TEXT}))?"
        ),
        _dates,
    ),
)


# "(Lũy kế / Tính) đến hết tháng 5/2025": the year so far, from 1 January to that end.
_YEAR_TO_DATE = re.compile(r"(?:luy ke |tinh )?(?:den|toi) (?:het|cuoi) (?P<rest>.+)")


def _span_of_text(text: str) -> Span | None:
    for pattern, build in _PERIOD_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return build(match)
    to_date = _YEAR_TO_DATE.fullmatch(text)
    if to_date is not None and not to_date["rest"].startswith(("nhiem ky", "giai doan")):
        inner = _span_of_text(to_date["rest"])
        if inner is not None and inner[0].year == inner[1].year:
            return date(inner[1].year, 1, 1), inner[1]
    return None


@cached(maxsize=1 << 14)
def parse_period(raw: object) -> Period | None:
    """The period a cell or header names, or None when it names none (or an impossible one).

    Cached (typed, so True and 1 stay apart): a report repeats its periods on every row.

    Numbers 1900-2100 are years; a date cell is its single day (type "span").
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, date):
        day = _as_date(raw)
        return period_from_dates(day, day)
    if isinstance(raw, Real):
        return _period_of_number(float(raw))
    if not isinstance(raw, str):
        return None
    preliminary, text = _split_preliminary(_normalise(raw))
    span = _span_of_text(text)
    if span is None or span[1] < span[0]:
        return None
    return period_from_dates(*span, preliminary=preliminary)


def _period_of_number(raw: float) -> Period | None:
    if not math.isfinite(raw) or raw != int(raw) or not _valid_year(int(raw)):
        return None
    year = int(raw)
    return period_from_dates(date(year, 1, 1), date(year, 12, 31))


_PERIOD_END = re.compile(r"(?:tinh )?(?:(?:den|toi) )?(?:(?:het|cuoi) )?(?:ngay )?(?P<rest>.+)")


def parse_period_end(raw: object) -> date | None:
    """The last day a text like "đến hết tháng 5/2025" covers (2025-05-31), else None.

    Accepts "Tính đến hết tháng 5 năm 2025", "đến 31/5/2025", "đến cuối năm 2012",
    a bare period ("Quý II/2025" ends 2025-06-30) and a date cell (that day).
    """
    if isinstance(raw, date):
        return _as_date(raw)
    if not isinstance(raw, str):
        return None
    match = _PERIOD_END.fullmatch(_normalise(raw))
    if match is None:
        return None
    period = parse_period(match["rest"])
    return period.end if period else None
