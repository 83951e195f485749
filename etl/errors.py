"""One exception family and one problem record for everything the ETL refuses.

Messages live in :mod:`etl.messages` under a key, in Vietnamese and English; the
code raises keys and parameters, and only the edges (CLI, upload page) render them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from etl.messages import render


class EtlError(Exception):
    """A failure the user can act on; ``str()`` is its Vietnamese message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "vi") -> str:
        return render(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("vi")


class ReadError(EtlError):
    """The file as a whole cannot be read; ``sheet`` (and ``cell``, "B7") name the place
    to blame when there is one. They are not message parameters: the caller shows them
    as ``FILE:SHEET!CELL:`` before the message."""

    def __init__(self, key: str, *, sheet: str = "", cell: str = "", **params: Any) -> None:
        super().__init__(key, **params)
        self.sheet = sheet
        self.cell = cell


def short_reason(exc: BaseException) -> str:
    """The first line of an exception's text, short enough for a message parameter."""
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else type(exc).__name__


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or doubtful (warning) in one place of one file."""

    file: str
    sheet: str
    cell: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # error, warning

    def message(self, lang: str = "vi") -> str:
        return render(self.key, lang, **self.params)

    def location(self) -> str:
        """``FILE:SHEET!CELL``, leaving out what does not apply."""
        where = self.file
        if self.sheet:
            where += f":{self.sheet}"
            if self.cell:
                where += f"!{self.cell}"
        return where

    def line(self, lang: str = "vi") -> str:
        return f"{self.location()}: {self.message(lang)}"

    def as_dict(self, lang: str = "vi") -> dict[str, str]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "rule": self.key,
            "message": self.message(lang),
        }
