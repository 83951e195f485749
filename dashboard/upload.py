"""Checking and storing uploaded reports through the ETL, without Streamlit.

The ETL reads files from disk: the uploaded bytes go to a private temporary file
with the original suffix (the reader picks its parser by suffix), and the user's
file name is what every message shows. Several files may be uploaded at once: each
distinct content is checked and stored on its own (one batch per file).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

import pandas as pd

from dashboard.formatting import format_period
from dashboard.i18n import t
from etl.load import KEY, LoadOptions, LoadResult, load_file
from etl.reader import SheetProgress

PREVIEW_COLUMNS = (
    "unit_name", "indicator_name", "period_label", "qualifier", "value", "target",
    "value_status", "note", "source_sheet", "source_cell",
)  # fmt: skip


def content_sha256(data: bytes) -> str:
    """The SHA-256 of a file's content, as the batch table records it."""
    return hashlib.sha256(data).hexdigest()


def check_key(sha256: str, options: LoadOptions, generation: int = 0) -> str:
    """Identifies one check: the file's content, the options it was read with and the
    state of the warehouse (``generation`` counts the page's own stores, rollbacks and
    remembered unit names, each of which can change what a check finds)."""
    digest = hashlib.sha256(sha256.encode())
    digest.update(repr((astuple(options), generation)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class UploadedReport:
    """One distinct content among the uploaded files; ``copies`` names the other files
    uploaded with the very same content (they are checked and stored once)."""

    position: int  # index of its first file in the uploader's list
    name: str
    sha256: str
    copies: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """A short, stable name for the page's widget keys."""
        return self.sha256[:12]


def distinct_files(files: Sequence[tuple[str, str]]) -> list[UploadedReport]:
    """The uploaded (name, sha256) pairs, one entry per distinct content, in upload order."""
    seen: dict[str, tuple[int, str, list[str]]] = {}
    for position, (name, sha) in enumerate(files):
        if sha in seen:
            seen[sha][2].append(name)
        else:
            seen[sha] = (position, name, [])
    return [
        UploadedReport(position, name, sha, tuple(copies))
        for sha, (position, name, copies) in seen.items()
    ]


def run_load(
    db_path: Path,
    file_name: str,
    data: bytes,
    options: LoadOptions,
    *,
    dry_run: bool,
    sheet_progress: SheetProgress | None = None,
) -> LoadResult:
    """:func:`etl.load.load_file` on uploaded bytes, reported under ``file_name``."""
    suffix = Path(file_name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return load_file(
            db_path,
            path,
            options,
            dry_run=dry_run,
            display_name=file_name,
            sheet_progress=sheet_progress,
        )


def preview(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows a file would store, in the columns a person checks them by (codes kept:
    :func:`dashboard.ui.table` turns qualifier and value_status into words)."""
    frame = rows.copy()
    frame["value_status"] = [
        "illustrative" if illustrative else "preliminary" if preliminary else "reported"
        for illustrative, preliminary in zip(
            frame["is_illustrative"], frame["is_preliminary"], strict=True
        )
    ]
    if "period_label" not in frame or frame["period_label"].isna().all():
        frame["period_label"] = [
            format_period(s, e, kind, lang)
            for s, e, kind in zip(
                frame["period_start"], frame["period_end"], frame["period_type"], strict=True
            )
        ]
    return frame[list(PREVIEW_COLUMNS)]


def summary(rows: pd.DataFrame) -> dict[str, int]:
    """How many rows, units, indicators and periods a file holds."""
    if rows.empty:
        return {"rows": 0, "units": 0, "indicators": 0, "periods": 0}
    return {
        "rows": len(rows),
        "units": rows["unit_code"].nunique(),
        "indicators": rows["indicator_code"].nunique(),
        "periods": rows[["period_start", "period_end"]].drop_duplicates().shape[0],
    }


ROLE_KEYS = ("unit", "indicator", "period", "period_from", "period_to", "value", "target",
             "note", "source", "status")  # fmt: skip


def recognised(result: LoadResult, lang: str) -> list[str]:
    """One line per sheet saying how it was read, in the user's words."""
    lines = []
    for table in result.tables:
        columns = ", ".join(
            f"{t(f'role_{role}', lang)} = {table.columns[role]}"
            for role in ROLE_KEYS
            if role in table.columns
        )
        said = "; ".join(f"{t(f'role_{role}', lang)}: {text}" for role, text in table.meta.items())
        layout = t(f"layout_{table.layout}_{table.spread or 'rows'}", lang)
        lines.append(
            t(
                "recognised_table",
                lang,
                sheet=table.sheet,
                layout=layout,
                header=table.header_cell,
                columns=columns or "—",
                cells=table.value_cells,
            )
            + (f" {t('recognised_title', lang, said=said)}" if said else "")
        )
    if result.skipped_sheets:
        lines.append(t("recognised_skipped", lang, sheets=", ".join(result.skipped_sheets)))
    return lines


FILE_STATUSES = ("ready", "confirm", "errors", "stored_before", "nothing_new", "unreadable")


def replaced_count(result: LoadResult) -> int:
    """How many stored values the file would replace (each needs the user's confirmation)."""
    return sum(1 for p in result.warnings if p.key == "replaces_value")


def file_status(result: LoadResult | None, *, confirmed: bool) -> str:
    """What can be done with a checked file: one of :data:`FILE_STATUSES` (``None``: the
    check itself failed). Only ``ready`` files are stored."""
    if result is None:
        return "unreadable"
    if not result.ok:
        return "errors"
    if result.duplicate_of is not None:
        return "stored_before"
    if result.unchanged:
        return "nothing_new"
    if replaced_count(result) and not confirmed:
        return "confirm"
    return "ready"


def status_word(status: str, result: LoadResult | None, lang: str) -> str:
    """A file's status in the user's words."""
    if status == "ready":
        return t("file_status_ready", lang)
    if status == "confirm":
        return t("file_status_confirm", lang)
    if status == "errors":
        return t("file_status_errors", lang)
    if status == "stored_before":
        batch = result.duplicate_of if result is not None else None
        return t("file_status_stored_before", lang, batch=batch)
    if status == "nothing_new":
        return t("file_status_nothing_new", lang)
    return t("file_status_unreadable", lang)


def rows_to_store(result: LoadResult | None) -> int:
    """The values a file would store: none when it is rejected or brings nothing new."""
    if result is None or not result.ok or result.duplicate_of is not None or result.unchanged:
        return 0
    return len(result.rows)


SUMMARY_COLUMNS = ("file_name", "sheets", "rows_to_store", "errors", "warnings", "status")


def files_summary(
    reports: Sequence[UploadedReport],
    results: Mapping[str, LoadResult | None],
    statuses: Mapping[str, str],
    lang: str,
) -> pd.DataFrame:
    """One row per distinct uploaded file: its sheets, the values it would store, its
    errors and warnings, and what can be done with it."""
    records = []
    for report in reports:
        result = results.get(report.id)
        records.append(
            {
                "file_name": report.name,
                "sheets": ", ".join(table.sheet for table in result.tables) if result else "",
                "rows_to_store": rows_to_store(result),
                "errors": len(result.errors) if result else 0,
                "warnings": len(result.warnings) if result else 0,
                "status": status_word(statuses[report.id], result, lang),
            }
        )
    return pd.DataFrame.from_records(records, columns=list(SUMMARY_COLUMNS))


def overlaps(rows_by_file: Sequence[tuple[str, pd.DataFrame]]) -> list[tuple[str, str, int]]:
    """Pairs of files (in upload order) that hold values for the same unit, indicator and
    period, with how many: whichever is stored later becomes the current value."""
    frames = [
        rows[KEY].drop_duplicates().assign(position=position)
        for position, (_, rows) in enumerate(rows_by_file)
        if not rows.empty
    ]
    if len(frames) < 2:
        return []
    keys = pd.concat(frames, ignore_index=True)
    pairs = keys.merge(keys, on=KEY)
    pairs = pairs[pairs["position_x"] < pairs["position_y"]]
    counts = pairs.groupby(["position_x", "position_y"]).size()
    return [
        (rows_by_file[int(a)][0], rows_by_file[int(b)][0], int(n)) for (a, b), n in counts.items()
    ]
