"""Checking and storing an uploaded report through the ETL, without Streamlit.

The ETL reads files from disk: the uploaded bytes go to a private temporary file
with the original suffix (the reader picks its parser by suffix), and the user's
file name is what every message shows.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import astuple
from pathlib import Path

import pandas as pd

from dashboard.formatting import format_period
from dashboard.i18n import t
from etl.load import LoadOptions, LoadResult, load_file
from etl.reader import SheetProgress

PREVIEW_COLUMNS = (
    "unit_name", "indicator_name", "period_label", "qualifier", "value", "target",
    "value_status", "note", "source_sheet", "source_cell",
)  # fmt: skip


def upload_key(data: bytes, options: LoadOptions) -> str:
    """Identifies one check: the file's content and the options it was read with."""
    digest = hashlib.sha256(data)
    digest.update(repr(astuple(options)).encode())
    return digest.hexdigest()


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
