"""The warehouse: one DuckDB file, its schema, its version and its upgrades.

Tables (one row per ...):
- ``meta``: one row per setting (``schema_version``).
- ``unit``: one row per organisational unit (province, district, ward, agency,
  party organisation), with its parent, validity dates and successor.
- ``indicator``: one row per indicator, with how it aggregates.
- ``campaign``: one row per review campaign or term.
- ``batch``: one row per accepted file (upload, CLI load or sample).
- ``unit_alias``: one row per name an office uses for a unit (mapped on the upload page).
- ``observation``: one row per value of one indicator for one unit over one
  period, as stored by one batch. A later batch for the same key supersedes an
  earlier one (``is_current``); the old row stays as history.

The view ``v_observation`` is the stable, documented contract for analysts:
only current values of active batches, with names joined in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from etl.errors import EtlError

SCHEMA_VERSION = 3
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "warehouse.duckdb"
DB_ENV_VAR = "WAREHOUSE_DB"

_TABLES_V1 = """
CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS unit (
    unit_code VARCHAR PRIMARY KEY,
    name_vi VARCHAR NOT NULL,
    name_en VARCHAR,
    parent_code VARCHAR,
    level VARCHAR NOT NULL,          -- country, province, district, ward, agency, party
    kind VARCHAR,                    -- e.g. tỉnh, thành phố, quận, huyện, phường, đảng bộ
    official_code VARCHAR,           -- the State's code where there is one
    valid_from DATE,
    valid_to DATE,
    successor_code VARCHAR,          -- unit that continues this one's series
    aliases VARCHAR                  -- other spellings, separated by '|'
);
CREATE TABLE IF NOT EXISTS indicator (
    indicator_code VARCHAR PRIMARY KEY,
    name_vi VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    measure_vi VARCHAR NOT NULL,     -- e.g. '%', 'hộ', 'đảng viên', 'triệu đồng'
    measure_en VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,           -- count, amount, rate, ratio_to_plan, flag, duration
    direction VARCHAR NOT NULL,      -- higher_better, lower_better, neutral
    unit_aggregation VARCHAR NOT NULL,  -- sum, ratio, none
    time_aggregation VARCHAR NOT NULL,  -- sum, last, ratio, none
    numerator_code VARCHAR,
    denominator_code VARCHAR,
    ratio_scale DOUBLE,              -- value = ratio_scale * numerator / denominator
    min_value DOUBLE,
    max_value DOUBLE,
    group_code VARCHAR NOT NULL,     -- socio_economic, party_organisation, inspection, campaign
    description VARCHAR
);
CREATE TABLE IF NOT EXISTS campaign (
    campaign_code VARCHAR PRIMARY KEY,
    name_vi VARCHAR NOT NULL,
    name_en VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    scope VARCHAR NOT NULL,          -- 'all' or unit codes separated by '|'
    kind VARCHAR NOT NULL,           -- review, term, restructure
    note VARCHAR
);
CREATE SEQUENCE IF NOT EXISTS batch_id_seq START 1;
CREATE TABLE IF NOT EXISTS batch (
    batch_id INTEGER PRIMARY KEY DEFAULT nextval('batch_id_seq'),
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    loaded_by VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    row_count INTEGER NOT NULL,
    status VARCHAR NOT NULL,         -- active, rolled_back
    source VARCHAR NOT NULL,         -- sample, cli, upload
    rolled_back_at TIMESTAMP
);
"""

# Version 3: no primary key. A batch is checked for two values of one unit, indicator and
# period before it is stored; the key's index only made every load keep an index over all
# observations up to date (storing 200,000 rows took twice as long).
_OBSERVATION = """
CREATE TABLE IF NOT EXISTS observation (
    batch_id INTEGER NOT NULL,
    unit_code VARCHAR NOT NULL,
    indicator_code VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    period_type VARCHAR NOT NULL,    -- year, half, quarter, month, term, span
    value DOUBLE,
    qualifier VARCHAR,               -- lower_bound, upper_bound, approximate, nearly
    target DOUBLE,
    note VARCHAR,
    is_illustrative BOOLEAN NOT NULL,
    is_preliminary BOOLEAN NOT NULL,
    source_sheet VARCHAR,
    source_cell VARCHAR,
    is_current BOOLEAN NOT NULL
);
"""

V_OBSERVATION = """
CREATE OR REPLACE VIEW v_observation AS
SELECT
    o.unit_code,
    u.name_vi AS unit_name,
    u.name_en AS unit_name_en,
    u.parent_code,
    u.level AS unit_level,
    o.indicator_code,
    i.name_vi AS indicator_name,
    i.name_en AS indicator_name_en,
    i.measure_vi AS measure,
    i.kind AS indicator_kind,
    o.period_start,
    o.period_end,
    o.period_type,
    o.value,
    o.qualifier,
    o.target,
    o.note,
    o.batch_id,
    b.file_name AS source_file,
    o.source_sheet,
    o.source_cell,
    o.is_illustrative,
    o.is_preliminary,
    CASE
        WHEN o.is_illustrative THEN 'illustrative'
        WHEN o.is_preliminary THEN 'preliminary'
        ELSE 'reported'
    END AS value_status
FROM observation o
JOIN batch b USING (batch_id)
JOIN unit u USING (unit_code)
JOIN indicator i USING (indicator_code)
WHERE o.is_current AND b.status = 'active'
"""

# Version 2: names an office uses for a unit, mapped once on the upload page.
_UNIT_ALIAS = """
CREATE TABLE IF NOT EXISTS unit_alias (
    office VARCHAR NOT NULL,         -- who sends the reports (the upload's "stored by")
    alias_folded VARCHAR NOT NULL,   -- the name as typed, folded (no case, no diacritics)
    alias VARCHAR NOT NULL,          -- the name as typed
    unit_code VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (office, alias_folded)
);
"""


def _upgrade_to_2(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_UNIT_ALIAS)


def _upgrade_to_3(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW IF EXISTS v_observation")
    con.execute("ALTER TABLE observation RENAME TO observation_v2")
    con.execute(_OBSERVATION)
    con.execute("INSERT INTO observation SELECT * FROM observation_v2")
    con.execute("DROP TABLE observation_v2")


# Each upgrade takes a connection at version N-1 to version N.
_UPGRADES: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    2: _upgrade_to_2,
    3: _upgrade_to_3,
}


class SchemaError(EtlError):
    """The warehouse file cannot be used by this version of the program."""


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` beats ``WAREHOUSE_DB`` beats ``data/warehouse.duckdb``."""
    if cli_value:
        return Path(cli_value)
    env_value = os.environ.get(DB_ENV_VAR)
    return Path(env_value) if env_value else DEFAULT_DB_PATH


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a damaged or foreign file is a :class:`SchemaError`."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "lock" in detail.lower():
            raise SchemaError("db_locked", path=str(path)) from exc
        raise SchemaError("db_unreadable", path=str(path), detail=detail) from exc


def fetch_value(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The first column of the first row, or None; reads the result to its end.

    DuckDB 2 refuses new work on a connection while a result is unread, so a bare
    ``fetchone()`` is not enough.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The stored schema version, or None for a file without our tables."""
    has_meta = fetch_value(
        con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    )
    if not has_meta:
        return None
    value = fetch_value(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    return int(value) if value is not None else None


def ensure_schema(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Create the schema in an empty file or upgrade an older one; return its version."""
    version = schema_version(con)
    if version is None:
        other_tables = fetch_value(
            con, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'"
        )
        if other_tables:
            raise SchemaError("db_foreign", path=str(path))
        con.execute("BEGIN")
        con.execute(_TABLES_V1)
        con.execute(_OBSERVATION)
        con.execute(_UNIT_ALIAS)
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute(V_OBSERVATION)
        con.execute("COMMIT")
        return SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise SchemaError("db_newer", path=str(path), found=version, supported=SCHEMA_VERSION)
    if version < SCHEMA_VERSION:
        if any(step not in _UPGRADES for step in range(version + 1, SCHEMA_VERSION + 1)):
            raise SchemaError("db_no_upgrade", path=str(path), found=version)
        con.execute("BEGIN")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            _UPGRADES[target](con)
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
        con.execute(V_OBSERVATION)
        con.execute("COMMIT")
    return SCHEMA_VERSION


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Open for writing, creating or upgrading the schema as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect(path)
    try:
        ensure_schema(con, path)
    except Exception:
        con.close()
        raise
    return con


def open_for_reading(path: Path) -> duckdb.DuckDBPyConnection:
    """Open to read; refuses a missing file or one of another schema version.

    The connection is opened like a writing one (not DuckDB's ``read_only``): in one
    process DuckDB refuses two connections to a file with different settings, and the
    dashboard reads on one thread while the upload page writes on another. Callers
    only read; the connection is meant to be closed as soon as the query is done, so
    other processes are locked out only for that moment.
    """
    if not path.exists():
        raise SchemaError("db_missing", path=str(path))
    con = connect(path)
    version = schema_version(con)
    if version != SCHEMA_VERSION:
        con.close()
        if version is None:
            raise SchemaError("db_foreign", path=str(path))
        key = "db_newer" if version > SCHEMA_VERSION else "db_older"
        raise SchemaError(key, path=str(path), found=version, supported=SCHEMA_VERSION)
    return con
