"""Words shared by the PDF and the workbook: how a figure was made, what it lacks, where it
comes from, what kind of figure it is."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from dashboard.formatting import is_missing
from dashboard.i18n import t, t_or
from dashboard.pack.content import PackContent, unit_codes

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def header(column: str, lang: str) -> str:
    """A column's header: the pack's own (``pack_col_<name>``), else the dashboard's
    (``col_<name>``), else the name."""
    return t_or(f"pack_col_{column}", lang, t_or(f"col_{column}", lang, column))


def status_text(status: Any, lang: str) -> str:
    """``Đã báo cáo``, ``Minh họa``, ``Sơ bộ`` (empty for a missing status)."""
    if is_missing(status) or not status:
        return ""
    return t_or(f"status_{status}", lang, str(status))


def how_text(row: Any, lang: str) -> str:
    """How a figure was made: reported by the unit, computed from its parts, or combined
    from ``n`` units."""
    derivation = getattr(row, "derivation", None)
    if derivation == "rollup":
        n: Any = getattr(row, "n_units", None)
        return t("pack_how_rollup", lang, n=0 if is_missing(n) else int(n))
    if derivation == "parts":
        return t("pack_how_parts", lang)
    return t("pack_how_reported", lang)


def gaps_text(row: Any, names: Mapping[str, str], lang: str) -> str:
    """What a combined figure lacks: the units left out for a missing part, and those
    without a figure for the period (empty when nothing is missing)."""
    notes = []
    for column in ("missing_parts", "missing_units"):
        codes = unit_codes(getattr(row, column, None))
        if codes:
            listed = ", ".join(names.get(code, code) for code in codes)
            notes.append(t(f"rollup_{column}", lang, names=listed))
    return "; ".join(notes)


def batches_text(ids: Iterable[int], lang: str) -> str:
    """``Đợt 1, 2`` (empty when there are none)."""
    listed = ", ".join(str(int(batch)) for batch in ids)
    return t("pack_batches", lang, ids=listed) if listed else ""


def files_text(ids: Iterable[int], content: PackContent) -> str:
    """The file names of these batches, in batch order."""
    files = dict(zip(content.sources["batch_id"], content.sources["file_name"], strict=True))
    names: list[str] = []
    for batch in ids:
        name = files.get(int(batch))
        if name and name not in names:
            names.append(str(name))
    return ", ".join(names)


def plain(markdown: str) -> str:
    """Markdown bold (``**x**``) removed, for a cell."""
    return _BOLD.sub(r"\1", markdown)


def group_text(group: Any, lang: str) -> str:
    return t_or(f"group_{group}", lang, str(group))
