"""List batches and roll one back whole."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import EtlError
from etl.messages import register
from etl.warehouse import fetch_value, open_for_reading, open_warehouse

register(
    {
        "batch_unknown": (
            "Không có đợt nạp số {batch_id}. Xem danh sách bằng `python -m etl batches`.",
            "There is no batch {batch_id}. List them with `python -m etl batches`.",
        ),
        "batch_already_rolled_back": (
            "Đợt nạp {batch_id} đã được hủy trước đây; không có gì thay đổi.",
            "Batch {batch_id} was already rolled back; nothing changed.",
        ),
    }
)

BATCH_COLUMNS = [
    "batch_id",
    "file_name",
    "loaded_by",
    "loaded_at",
    "row_count",
    "status",
    "source",
    "rolled_back_at",
]


def list_batches(db_path: Path) -> pd.DataFrame:
    """One row per batch, newest first."""
    con = open_for_reading(db_path)
    try:
        return con.execute(
            f"SELECT {', '.join(BATCH_COLUMNS)} FROM batch ORDER BY batch_id DESC"
        ).df()
    finally:
        con.close()


def rollback_batch(db_path: Path, batch_id: int) -> int:
    """Remove every value a batch stored and bring back what it replaced; return rows removed."""
    con = open_warehouse(db_path)
    try:
        status = fetch_value(con, "SELECT status FROM batch WHERE batch_id = ?", [batch_id])
        if status is None:
            raise EtlError("batch_unknown", batch_id=batch_id)
        if status != "active":
            raise EtlError("batch_already_rolled_back", batch_id=batch_id)
        con.execute("BEGIN TRANSACTION")
        try:
            removed = _remove(con, batch_id)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return removed
    finally:
        con.close()


def _remove(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    con.execute(
        "CREATE TEMP TABLE rollback_keys AS SELECT unit_code, indicator_code, period_start, "
        "period_end FROM observation WHERE batch_id = ?",
        [batch_id],
    )
    removed = int(fetch_value(con, "SELECT count(*) FROM rollback_keys"))
    con.execute("DELETE FROM observation WHERE batch_id = ?", [batch_id])
    con.execute(
        "UPDATE batch SET status = 'rolled_back', rolled_back_at = ? WHERE batch_id = ?",
        [datetime.now(), batch_id],
    )
    # The newest remaining active row of each key becomes current again.
    con.execute(
        """
        UPDATE observation SET is_current = true
        FROM (
            SELECT o.unit_code, o.indicator_code, o.period_start, o.period_end,
                   max(o.batch_id) AS batch_id
            FROM observation o
            JOIN batch b ON b.batch_id = o.batch_id AND b.status = 'active'
            JOIN rollback_keys k USING (unit_code, indicator_code, period_start, period_end)
            GROUP BY ALL
        ) latest
        WHERE observation.batch_id = latest.batch_id
          AND observation.unit_code = latest.unit_code
          AND observation.indicator_code = latest.indicator_code
          AND observation.period_start = latest.period_start
          AND observation.period_end = latest.period_end
        """
    )
    con.execute("DROP TABLE rollback_keys")
    return removed
