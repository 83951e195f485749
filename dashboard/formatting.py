"""Numbers, dates, periods and qualifiers written the way readers expect.

Vietnamese: ``9,52 %``, ``3.093``, ``31/12/2012``. English: ``9.52 %``, ``3,093``,
``31 Dec 2012``. Missing values are a long dash.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from dashboard.i18n import normalize_lang

MISSING = "—"

_QUALIFIER_WORDS: dict[str, tuple[str, str]] = {
    "lower_bound": ("hơn", "over"),
    "upper_bound": ("dưới", "under"),
    "approximate": ("khoảng", "about"),
    "nearly": ("gần", "nearly"),
}
_STATUS_WORDS: dict[str, tuple[str, str]] = {
    "illustrative": ("minh họa", "illustrative"),
    "preliminary": ("sơ bộ", "preliminary"),
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA/NaT all count as missing."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_number(value: Any, lang: str = "vi", decimals: int | None = None) -> str:
    """``3093`` → ``3.093`` (vi) / ``3,093`` (en); ``9.52`` → ``9,52`` / ``9.52``.

    Without ``decimals``, whole numbers show none and others up to two, without
    trailing zeros.
    """
    if is_missing(value):
        return MISSING
    number = float(value)
    if math.isinf(number):
        return MISSING
    # Round half up, as people do (0,125 → 0,13), from the shortest decimal form.
    places = 2 if decimals is None else decimals
    rounded = Decimal(repr(number)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]
    if normalize_lang(lang) == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def is_percent(measure: str | None) -> bool:
    """Measures such as ``%`` or ``% dự toán`` are shown with a percent sign."""
    return bool(measure) and str(measure).strip().startswith("%")


def qualifier_word(qualifier: str | None, lang: str = "vi") -> str:
    """``lower_bound`` → ``hơn`` / ``over``; unknown or empty → ``""``."""
    if is_missing(qualifier) or not qualifier:
        return ""
    words = _QUALIFIER_WORDS.get(str(qualifier))
    if words is None:
        return ""
    return words[1] if normalize_lang(lang) == "en" else words[0]


def format_value(
    value: Any,
    lang: str = "vi",
    *,
    measure: str | None = None,
    qualifier: str | None = None,
    decimals: int | None = None,
) -> str:
    """A value as read aloud: ``hơn 80 %``, ``gần 300``, ``9,52 %``, ``3.093``."""
    text = format_number(value, lang, decimals)
    if text == MISSING:
        return MISSING
    if is_percent(measure):
        text += " %"
    word = qualifier_word(qualifier, lang)
    return f"{word} {text}" if word else text


def format_change(change: Any, lang: str = "vi", *, points: bool) -> str | None:
    """A signed change: ``-4,84 điểm %`` (points) or ``+12,5 %`` (relative); None if missing."""
    if is_missing(change):
        return None
    number = float(change)
    text = format_number(abs(number), lang)
    sign = "" if text == "0" else ("-" if number < 0 else "+")
    return f"{sign}{text}{_change_suffix(lang, points)}"


def _change_suffix(lang: str, points: bool) -> str:
    if not points:
        return " %"
    return " pp" if normalize_lang(lang) == "en" else " điểm %"


def status_word(value_status: str | None, lang: str = "vi") -> str:
    """``illustrative`` → ``minh họa``; ``preliminary`` → ``sơ bộ``; reported → ``""``."""
    if is_missing(value_status) or not value_status:
        return ""
    words = _STATUS_WORDS.get(str(value_status))
    if words is None:
        return ""
    return words[1] if normalize_lang(lang) == "en" else words[0]


def with_status(text: str, value_status: str | None, lang: str = "vi") -> str:
    """``9,52 %`` → ``9,52 % (minh họa)`` for an illustrative value."""
    word = status_word(value_status, lang)
    return f"{text} ({word})" if word else text


def _as_date(value: Any) -> date | None:
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def format_date(value: Any, lang: str = "vi") -> str:
    """``31/12/2012`` (vi) or ``31 Dec 2012`` (en)."""
    day = _as_date(value)
    if day is None:
        return MISSING
    if normalize_lang(lang) == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return day.strftime("%d/%m/%Y")


def format_datetime(value: Any, lang: str = "vi") -> str:
    """``31/12/2012 14:05`` (vi) or ``31 Dec 2012 14:05`` (en)."""
    if is_missing(value):
        return MISSING
    moment = pd.Timestamp(value)
    return f"{format_date(moment, lang)} {moment:%H:%M}"


def format_period(start: Any, end: Any, period_type: str | None, lang: str = "vi") -> str:
    """``2012``; ``2020–2025`` for a term; ``Quý 1/2025``; ``05/2025``; else the two dates."""
    first, last = _as_date(start), _as_date(end)
    if first is None or last is None:
        return MISSING
    en = normalize_lang(lang) == "en"
    if period_type == "year":
        return str(first.year)
    if period_type == "term":
        return f"{first.year}–{last.year}"
    if period_type == "month":
        return f"{_MONTHS_EN[first.month - 1]} {first.year}" if en else f"{first:%m/%Y}"
    if period_type == "quarter":
        quarter = (first.month - 1) // 3 + 1
        return f"Q{quarter} {first.year}" if en else f"Quý {quarter}/{first.year}"
    if period_type == "half":
        half = 1 if first.month <= 6 else 2
        return (
            f"H{half} {first.year}"
            if en
            else f"6 tháng {'đầu' if half == 1 else 'cuối'} {first.year}"
        )
    return format_window(first, last, lang)


def format_window(start: Any, end: Any, lang: str = "vi") -> str:
    """``01/08/2012 – 31/12/2012``."""
    return f"{format_date(start, lang)} – {format_date(end, lang)}"
