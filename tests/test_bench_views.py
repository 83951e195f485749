"""The view benchmark's generator and timing functions, at 2× the sample (no timings checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import bench_views, make_warehouse
from bench.make_warehouse import Counts
from dashboard import queries
from etl.warehouse import fetch_value, open_for_reading


@pytest.fixture(scope="module")
def built(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Counts]:
    """A warehouse twice the sample, made from a copy of the sample warehouse."""
    path = tmp_path_factory.mktemp("bench") / "x2.duckdb"
    return path, make_warehouse.build(path, 2, seed=3, sample=sample_db)


@pytest.fixture(scope="module")
def double(built: tuple[Path, Counts]) -> Counts:
    return built[1]


@pytest.fixture(scope="module")
def double_db(built: tuple[Path, Counts]) -> Path:
    return built[0]


def scalar(db: Path, sql: str) -> int:
    con = open_for_reading(db)
    try:
        return int(fetch_value(con, sql))
    finally:
        con.close()


def test_generated_warehouse_holds_about_twice_the_sample(double: Counts, double_db: Path) -> None:
    assert double.sample_current * 1.5 < double.current < double.sample_current * 2.5
    assert double.observations > double.current  # superseded values stay as history
    assert double.rolled_back == 2 and double.generated_units > 0
    assert set(double.by_status) == {"reported", "illustrative", "preliminary"}
    assert scalar(double_db, "SELECT count(*) FROM v_observation") == double.current


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) FROM observation WHERE unit_code NOT IN (SELECT unit_code FROM unit)",
        "SELECT count(*) FROM observation "
        "WHERE indicator_code NOT IN (SELECT indicator_code FROM indicator)",
        "SELECT count(*) FROM unit WHERE parent_code NOT IN (SELECT unit_code FROM unit)",
        "SELECT count(*) FROM unit WHERE successor_code NOT IN (SELECT unit_code FROM unit)",
        "SELECT count(*) FROM observation JOIN batch USING (batch_id) WHERE status = 'rolled_back'",
        # one current value per unit, indicator and period
        "SELECT count(*) FROM (SELECT 1 FROM v_observation GROUP BY unit_code, indicator_code, "
        "period_start, period_end HAVING count(*) > 1)",
        # a generated ward's poverty rate is 100 × its poor households / its households
        """SELECT count(*) FROM v_observation r
           JOIN v_observation p USING (unit_code, period_start, period_end)
           JOIN v_observation h USING (unit_code, period_start, period_end)
           WHERE r.indicator_code = 'poverty_rate' AND p.indicator_code = 'poor_households'
             AND h.indicator_code = 'households' AND r.unit_level = 'ward'
             AND abs(r.value - 100 * p.value / h.value) > 0.006""",
    ],
)
def test_generated_warehouse_is_consistent(double_db: Path, sql: str) -> None:
    assert scalar(double_db, sql) == 0


def test_units_end_in_2025_with_successors(sample_db: Path, double_db: Path) -> None:
    with queries.reader(double_db) as con:
        wards = con.execute(
            "SELECT count(*), count(successor_code) FROM unit "
            "WHERE level = 'ward' AND valid_to = DATE '2025-06-30' AND unit_code LIKE '9%.%'"
        ).fetchall()[0]
        units = queries.list_units_with_data(con)
    with queries.reader(sample_db) as con:
        sample_units = queries.list_units_with_data(con)
    assert wards[0] > 0 and wards[0] == wards[1]
    assert len(units) > len(sample_units)


def test_every_view_and_alternative_runs_once(double_db: Path) -> None:
    bench_views.check_alternatives(double_db)
    for entry in bench_views.VIEWS:
        clock = bench_views.Clock()
        entry.ours(double_db, clock)
        assert "open + close" in clock.steps
        if entry.alternative is not None:
            entry.alternative(double_db, bench_views.Clock())


def test_timing_table_names_every_view(sample_db: Path, double_db: Path) -> None:
    results = bench_views.run(sample_db, double_db, repeat=1)
    text = bench_views.table(results, 2)
    assert [r["view"] for r in results] == [e.name for e in bench_views.VIEWS]
    assert all(entry.name in text for entry in bench_views.VIEWS)
    assert "overview_for_unit_year" in bench_views.steps_table(results, 2)
