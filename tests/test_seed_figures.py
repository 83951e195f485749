"""After `etl init`, every figure the source documents report is in v_observation."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl.lookup import Catalogue

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEED_FIGURES = PROJECT_ROOT / "data" / "seed_figures.csv"
SHARED_SEED_FIGURES = PROJECT_ROOT.parent / "shared" / "domain" / "seed_figures.csv"
QUALIFIER_WORDS = {"hơn": "lower_bound", "trên": "lower_bound", "gần": "nearly"}


def seed_rows() -> list[dict[str, str]]:
    with SEED_FIGURES.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["value"]]


def test_seed_copy_matches_the_shared_domain_file() -> None:
    """data/seed_figures.csv is the project's copy of the domain's list of reported figures;
    where the shared domain folder sits beside the clone (as in CI), the two are equal."""
    assert len(seed_rows()) >= 35
    if SHARED_SEED_FIGURES.exists():
        assert SEED_FIGURES.read_bytes() == SHARED_SEED_FIGURES.read_bytes()


@pytest.mark.parametrize(
    "seed", seed_rows(), ids=lambda r: f"{r['indicator']}-{r['unit']}-{r['period_start']}"
)
def test_seed_figure_is_reported_in_the_view(seed: dict[str, str], sample_db: Path) -> None:
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        start, end = (
            date.fromisoformat(seed["period_start"]),
            date.fromisoformat(seed["period_end"]),
        )
        unit_codes = Catalogue.from_db(con).find_units(seed["unit"])
        rows = con.execute(
            "SELECT unit_code, value, qualifier, value_status, note FROM v_observation "
            "WHERE indicator_code = ? AND period_start = ? AND period_end = ?",
            [seed["indicator"], start, end],
        ).fetchall()
    finally:
        con.close()
    matching = [row for row in rows if row[0] in unit_codes]
    assert len(matching) == 1, (seed, rows)
    _, value, qualifier, status, note = matching[0]
    assert value == pytest.approx(float(seed["value"]))
    assert status == "reported"
    assert note and seed["quote"].split("...")[0].strip()[:20] in note
    expected_qualifier = next(
        (
            code
            for word, code in QUALIFIER_WORDS.items()
            if f"{word} {seed['value'][:2]}" in seed["quote"].replace(".", "")
        ),
        None,
    )
    assert qualifier == expected_qualifier
