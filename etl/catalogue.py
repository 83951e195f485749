"""Load the catalogue text files in ``data/`` (units, indicators, campaigns).

The CSV files are reviewed like code; loading checks their contract (required
columns, allowed values, references) and replaces the tables' rows in the
caller's transaction.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import EtlError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class TableSpec:
    file_name: str
    table: str
    key: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    choices: tuple[tuple[str, frozenset[str]], ...] = ()
    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()


UNIT_SPEC = TableSpec(
    file_name="units.csv",
    table="unit",
    key="unit_code",
    columns=(
        "unit_code",
        "name_vi",
        "name_en",
        "parent_code",
        "level",
        "kind",
        "official_code",
        "valid_from",
        "valid_to",
        "successor_code",
        "aliases",
    ),
    required=("unit_code", "name_vi", "level"),
    choices=(("level", frozenset({"country", "province", "district", "ward", "agency", "party"})),),
    dates=("valid_from", "valid_to"),
)

INDICATOR_SPEC = TableSpec(
    file_name="indicators.csv",
    table="indicator",
    key="indicator_code",
    columns=(
        "indicator_code",
        "name_vi",
        "name_en",
        "measure_vi",
        "measure_en",
        "kind",
        "direction",
        "unit_aggregation",
        "time_aggregation",
        "numerator_code",
        "denominator_code",
        "ratio_scale",
        "min_value",
        "max_value",
        "group_code",
        "description",
    ),
    required=(
        "indicator_code",
        "name_vi",
        "name_en",
        "measure_vi",
        "measure_en",
        "kind",
        "direction",
        "unit_aggregation",
        "time_aggregation",
        "group_code",
    ),
    choices=(
        ("kind", frozenset({"count", "amount", "rate", "ratio_to_plan", "flag", "duration"})),
        ("direction", frozenset({"higher_better", "lower_better", "neutral"})),
        ("unit_aggregation", frozenset({"sum", "ratio", "none"})),
        ("time_aggregation", frozenset({"sum", "last", "ratio", "none"})),
    ),
    numbers=("ratio_scale", "min_value", "max_value"),
)

CAMPAIGN_SPEC = TableSpec(
    file_name="campaigns.csv",
    table="campaign",
    key="campaign_code",
    columns=(
        "campaign_code",
        "name_vi",
        "name_en",
        "start_date",
        "end_date",
        "scope",
        "kind",
        "note",
    ),
    required=("campaign_code", "name_vi", "name_en", "start_date", "end_date", "scope", "kind"),
    choices=(("kind", frozenset({"review", "term", "restructure"})),),
    dates=("start_date", "end_date"),
)

SPECS = (UNIT_SPEC, INDICATOR_SPEC, CAMPAIGN_SPEC)


def read_table(spec: TableSpec, data_dir: Path) -> pd.DataFrame:
    """The CSV as text columns, checked against its spec."""
    path = data_dir / spec.file_name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    frame = pd.DataFrame.from_records(records, columns=None)
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise EtlError(
            "catalogue_invalid", file=spec.file_name, row=1, detail=f"missing columns {missing}"
        )
    frame = frame[list(spec.columns)].apply(lambda col: col.str.strip())
    frame = frame.replace({"": None})
    for row_number, record in enumerate(frame.to_dict("records"), start=2):
        _check_record(spec, record, row_number)
    duplicated = frame[spec.key][frame[spec.key].duplicated()]
    if not duplicated.empty:
        raise EtlError(
            "catalogue_invalid",
            file=spec.file_name,
            row="-",
            detail=f"{spec.key} {duplicated.iloc[0]!r} appears twice",
        )
    for column in spec.dates:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").dt.date
    for column in spec.numbers:
        frame[column] = pd.to_numeric(frame[column])
    return frame


def _check_record(spec: TableSpec, record: dict[str, str | None], row: int) -> None:
    for column in spec.required:
        if not record[column]:
            raise EtlError(
                "catalogue_invalid", file=spec.file_name, row=row, detail=f"{column} is empty"
            )
    for column, allowed in spec.choices:
        if record[column] not in allowed:
            raise EtlError(
                "catalogue_invalid",
                file=spec.file_name,
                row=row,
                detail=f"{column} {record[column]!r} not in {sorted(allowed)}",
            )


def _check_references(units: pd.DataFrame, indicators: pd.DataFrame) -> None:
    _check_codes(UNIT_SPEC, units, ("parent_code", "successor_code"))
    _check_codes(INDICATOR_SPEC, indicators, ("numerator_code", "denominator_code"))


def _check_codes(spec: TableSpec, frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Every code in ``columns`` names a row of the same table."""
    codes = set(frame[spec.key])
    for column in columns:
        unknown = frame[frame[column].notna() & ~frame[column].isin(codes)]
        if not unknown.empty:
            bad = unknown.iloc[0]
            raise EtlError(
                "catalogue_invalid",
                file=spec.file_name,
                row=bad.name + 2,
                detail=f"{column} {bad[column]!r} is not a {spec.key}",
            )


def load_catalogue(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Upsert every catalogue table inside the caller's transaction; return row counts."""
    frames = {spec.table: read_table(spec, data_dir) for spec in SPECS}
    _check_references(frames["unit"], frames["indicator"])
    counts = {}
    for spec in SPECS:
        frame = frames[spec.table]
        columns = ", ".join(spec.columns)
        con.register("catalogue_rows", frame)
        try:
            con.execute(
                f"INSERT OR REPLACE INTO {spec.table} ({columns}) "
                f"SELECT {columns} FROM catalogue_rows"
            )
        finally:
            con.unregister("catalogue_rows")
        counts[spec.table] = len(frame)
    return counts
