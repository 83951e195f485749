"""Text normalisation for matching names typed in many ways."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

T = TypeVar("T")


def cached(maxsize: int) -> Callable[[Callable[[object], T]], Callable[[object], T]]:
    """``lru_cache(typed=True)`` for one-argument parsers of cell values, which repeat
    thousands of times in a report; unhashable arguments bypass the cache."""

    def decorate(function: Callable[[object], T]) -> Callable[[object], T]:
        memo = lru_cache(maxsize=maxsize, typed=True)(function)

        @wraps(function)
        def call(raw: object) -> T:
            try:
                hash(raw)
            except TypeError:
                return function(raw)
            return memo(raw)

        return call

    return decorate


_SPACES = re.compile(r"\s+")
# Non-breaking, thin and zero-width spaces that office files carry.
_ODD_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f\u200b\ufeff"), " ")


@cached(maxsize=1 << 16)
def fold(text: object) -> str:
    """Lower case, no diacritics (đ → d), single spaces: the key for comparing names.

    Cached: report files repeat the same names and headers thousands of times.

    Composed or decomposed input, old or new tone placement ("Thuỷ"/"Thủy") fold alike.
    """
    s = str(text).translate(_ODD_SPACES)
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D").casefold()
    return _SPACES.sub(" ", s).strip()


@cached(maxsize=1 << 16)
def clean(text: object) -> str:
    """NFC, single spaces, stripped: the form we store and show."""
    s = unicodedata.normalize("NFC", str(text).translate(_ODD_SPACES))
    return _SPACES.sub(" ", s).strip()


_BLANK_CHARS = " \t\r\n\v\f\u00a0\u2007\u2009\u202f\u200b\ufeff"


def is_blank(value: object) -> bool:
    """None, or text of nothing but (odd) spaces."""
    return value is None or (isinstance(value, str) and not value.strip(_BLANK_CHARS))


def vn_number(value: float, decimals: int = 6) -> str:
    """A number for a message, the Vietnamese way: 1350000.0 → "1.350.000",
    0.0468 → "0,0468", at most ``decimals`` decimals."""
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
