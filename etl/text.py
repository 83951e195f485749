"""Text normalisation for matching names typed in many ways."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Non-breaking, thin and zero-width spaces that office files carry.
_ODD_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f\u200b\ufeff"), " ")


def fold(text: object) -> str:
    """Lower case, no diacritics (đ → d), single spaces: the key for comparing names.

    Composed or decomposed input, old or new tone placement ("Thuỷ"/"Thủy") fold alike.
    """
    s = str(text).translate(_ODD_SPACES)
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D").casefold()
    return _SPACES.sub(" ", s).strip()


def clean(text: object) -> str:
    """NFC, single spaces, stripped: the form we store and show."""
    s = unicodedata.normalize("NFC", str(text).translate(_ODD_SPACES))
    return _SPACES.sub(" ", s).strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean(value))
