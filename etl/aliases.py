"""Names an office uses for a unit, mapped once and remembered for its later files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import EtlError
from etl.messages import register
from etl.text import clean, fold
from etl.warehouse import fetch_value, open_for_reading, open_warehouse

register(
    {
        "alias_unknown_unit": (
            "Mã đơn vị “{code}” không có trong danh mục; không ghi nhớ được tên “{alias}”.",
            "Unit code “{code}” is not in the catalogue; the name “{alias}” was not remembered.",
        ),
        "alias_needs_office": (
            "Cần ghi rõ người/cơ quan gửi báo cáo để ghi nhớ cách ghép tên đơn vị.",
            "Say who sends the report so the unit names can be remembered for them.",
        ),
    }
)


def remember_unit_alias(db_path: Path, office: str, alias: str, unit_code: str) -> None:
    """From now on, ``alias`` in a file stored by ``office`` means ``unit_code``."""
    office = clean(office)
    if not office:
        raise EtlError("alias_needs_office")
    con = open_warehouse(db_path)
    try:
        if fetch_value(con, "SELECT 1 FROM unit WHERE unit_code = ?", [unit_code]) is None:
            raise EtlError("alias_unknown_unit", code=unit_code, alias=alias)
        con.execute(
            "INSERT OR REPLACE INTO unit_alias VALUES (?, ?, ?, ?, ?)",
            [office, fold(alias), clean(alias), unit_code, datetime.now()],
        )
    finally:
        con.close()


def office_aliases(con: duckdb.DuckDBPyConnection, office: str | None) -> dict[str, str]:
    """Folded name → unit code, for one office's remembered names."""
    if not office or not clean(office):
        return {}
    rows = con.execute(
        "SELECT alias_folded, unit_code FROM unit_alias WHERE office = ?", [clean(office)]
    ).fetchall()
    return dict(rows)


def list_aliases(db_path: Path) -> pd.DataFrame:
    """Every remembered name, by office."""
    con = open_for_reading(db_path)
    try:
        return con.execute(
            "SELECT office, alias, unit_code, created_at FROM unit_alias ORDER BY office, alias"
        ).df()
    finally:
        con.close()
