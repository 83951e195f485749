"""Warehouse queries against the real sample warehouse built by `python -m etl init`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import queries
from dashboard.queries import Connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def con(sample_db: Path) -> Iterator[Connection]:
    with queries.reader(sample_db) as connection:
        yield connection


def test_units_come_in_tree_order_with_their_depth(con: Connection) -> None:
    units = queries.list_units_with_data(con)
    codes = list(units["unit_code"])
    assert codes.index("92") < codes.index("917") < codes.index("927")
    o_mon = units.set_index("unit_code").loc["917"]
    assert o_mon["unit_name"] == "Quận Ô Môn" and o_mon["parent_code"] == "92"
    assert o_mon["depth"] == units.set_index("unit_code").loc["92", "depth"] + 1
    assert queries.default_unit(units) in {"92", "DBBCT"}
    assert queries.unit_with_children(units, "92")[:2] == ["92", "916"]


def test_english_names_where_the_catalogue_has_them(con: Connection) -> None:
    names = queries.list_units_with_data(con, "en").set_index("unit_code")["unit_name"]
    assert names["92"] == "Can Tho City"
    indicators = queries.list_indicators(con, "en").set_index("indicator_code")
    assert indicators.loc["poverty_rate", "indicator_name"] == "Poverty rate"


def test_overview_of_o_mon_2012(con: Connection) -> None:
    tiles = queries.overview_for_unit_year(con, "917", 2012).set_index("indicator_code")
    rate = tiles.loc["poverty_rate"]
    assert rate["value"] == pytest.approx(9.52)
    assert rate["value_status"] == "reported"
    assert bool(rate["change_is_points"])
    assert rate["change"] == pytest.approx(9.52 - rate["previous_value"])
    poor = tiles.loc["poor_households"]
    assert poor["value"] == 3093 and not bool(poor["change_is_points"])
    expected = (3093 - poor["previous_value"]) / poor["previous_value"] * 100
    assert poor["change"] == pytest.approx(expected)


def test_a_parent_rate_is_rolled_up_from_numerator_and_denominator(con: Connection) -> None:
    row = con.execute(
        """
        SELECT sum(value) FILTER (WHERE indicator_code = 'poor_households'),
               sum(value) FILTER (WHERE indicator_code = 'households')
        FROM v_observation
        WHERE parent_code = '92' AND period_type = 'year' AND year(period_start) = 2012
          AND unit_code IN (
              SELECT unit_code FROM v_observation
              WHERE indicator_code = 'poor_households' AND year(period_start) = 2012
              INTERSECT
              SELECT unit_code FROM v_observation
              WHERE indicator_code = 'households' AND year(period_start) = 2012)
        """
    ).fetchone()
    assert row is not None
    poor, households = row
    tiles = queries.overview_for_unit_year(con, "92", 2012).set_index("indicator_code")
    assert tiles.loc["poverty_rate", "value"] == pytest.approx(100 * poor / households)
    assert bool(tiles.loc["poverty_rate", "is_rollup"])
    assert tiles.loc["poor_households", "value"] == pytest.approx(poor)
    series = queries.unit_series(con, "92", "poverty_rate")
    assert series.loc[series["year"] == 2012, "value"].iloc[0] == pytest.approx(
        100 * poor / households
    )


def test_compare_children_ranks_best_first(con: Connection) -> None:
    ranked = queries.compare_children(con, "92", "poverty_rate", 2012)
    assert len(ranked) == 9 and "917" in set(ranked["unit_code"])
    assert list(ranked["value"]) == sorted(ranked["value"])  # lower poverty is better
    assert list(ranked["rank"]) == sorted(ranked["rank"])
    admitted = queries.compare_children(con, "DBBCT", "members_admitted", 2020)
    assert list(admitted["value"]) == sorted(admitted["value"], reverse=True)  # higher is better


def test_unit_children_come_from_the_catalogue(con: Connection) -> None:
    children = queries.unit_children(con, "92")
    assert {"916", "917", "927"} <= set(children["unit_code"])
    assert set(children["unit_level"]) >= {"district"}
    assert queries.unit_children(con, "917' --").empty


def test_children_series_starts_with_the_parent(con: Connection) -> None:
    series = queries.children_series(con, "92", "poverty_rate")
    assert bool(series["is_parent"].iloc[0]) and series["unit_code"].iloc[0] == "92"
    assert set(series.loc[~series["is_parent"], "unit_code"]) >= {"916", "917", "927"}
    assert series["year"].between(2006, 2016).all()


def test_years_and_indicators_include_what_rolls_up(con: Connection) -> None:
    assert 2012 in queries.list_years(con, unit="92")
    codes = set(queries.list_indicators(con, unit="92", years_only=True)["indicator_code"])
    assert {"poverty_rate", "households"} <= codes
    parents = queries.parents_with_children_data(con, "poverty_rate")
    assert parents["unit_code"].iloc[0] == "92" and parents["n_children"].iloc[0] == 9


def test_campaigns_follow_their_scope(con: Connection) -> None:
    everywhere = set(queries.campaigns(con, unit="917")["campaign_code"])
    assert {"NQTW4-XI-2012", "NQTW4-XII-2016"} <= everywhere
    assert "TERM-2020-2025" not in everywhere
    ministry = set(queries.campaigns(con, unit="DBBCT-01")["campaign_code"])
    assert "TERM-2020-2025" in ministry  # scope DBBCT covers its children
    reviews = queries.campaigns(con, unit="DBBCT-01", kinds=["review"])
    assert set(reviews["kind"]) == {"review"}


def test_explore_returns_only_what_was_chosen(con: Connection) -> None:
    tidy = queries.explore(con, ["poverty_rate", "poor_households"], ["917", "918"], 2010, 2014)
    assert set(tidy["unit_code"]) == {"917", "918"}
    assert set(tidy["indicator_code"]) == {"poverty_rate", "poor_households"}
    assert set(tidy["period_label"]) == {"2010", "2011", "2012", "2013", "2014"}
    assert list(tidy.columns) == list(queries.EXPLORE_COLUMNS)
    assert tidy.attrs["truncated"] is False
    wide = queries.pivot_explore(tidy)
    assert len(wide) == 4
    assert list(wide.columns[3:]) == ["2010", "2011", "2012", "2013", "2014"]


def test_explore_is_bounded(con: Connection) -> None:
    tidy = queries.explore(con, ["poverty_rate"], ["917", "918"], 2006, 2016, limit=5)
    assert len(tidy) == 5 and tidy.attrs["truncated"] is True


def test_explore_puts_other_periods_after_the_years(con: Connection) -> None:
    tidy = queries.explore(con, ["members_admitted"], ["DBBCT", "DBBCT-01"], 2015, 2025)
    assert {"year", "span"} <= set(tidy["period_type"])
    periods = list(queries.pivot_explore(tidy).columns[3:])
    years = [p for p in periods if p.isdigit()]
    assert periods[: len(years)] == years == sorted(years)
    assert len(periods) > len(years)  # the 2020–2025 total and the 2025 months follow


def test_values_are_parameters_not_sql(con: Connection) -> None:
    hostile = "917' OR '1'='1"
    assert queries.overview_for_unit_year(con, hostile, 2012).empty
    assert queries.explore(con, ["poverty_rate"], [hostile], 2006, 2016).empty
    assert queries.unit_info(con, hostile) is None


def test_the_library_does_not_need_streamlit() -> None:
    code = (
        "import sys; import dashboard.queries, dashboard.stats, dashboard.charts, "
        "dashboard.export, dashboard.narrative, dashboard.upload; "
        "sys.exit(1 if 'streamlit' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert done.returncode == 0
