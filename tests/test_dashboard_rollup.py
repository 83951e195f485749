"""Numbers up the hierarchy and across the 2025 reorganisation, checked against hand
arithmetic on a small warehouse built the real way: ``python -m etl init --no-sample``,
then one report written here and stored with ``python -m etl load``.

The units are the catalogue's (``data/units.csv``):

    VN ─ 92 Cần Thơ ─┬─ 916 Ninh Kiều, 917 Ô Môn, 919…927 (no data here)
                     └─ 918 Bình Thủy ─┬─ 31171 Phường Trà Nóc (ward)
                                       └─ 918-CCT Chi cục Thuế (agency)
    92, 93 Hậu Giang, 94 Sóc Trăng ──(1 July 2025)──▶ 92-2025 Cần Thơ
    DBBCT-03 ──(1 March 2025)──▶ DBBCT-11
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard import queries, rollup
from dashboard.queries import Connection
from etl.cli import main as etl_main
from tests.workbooks import write_xlsx

POOR, HOUSEHOLDS, RATE = "poor_households", "households", "poverty_rate"
MEMBERS, ADMITTED = "party_members", "members_admitted"

# Đơn vị (unit code), Chỉ tiêu (indicator code), Năm (period), Giá trị (value).
FIGURES: list[tuple[str, str, Any, Any]] = [
    # Poverty, 2019: only Bình Thủy reports (so it is expected to report later years).
    ("918", POOR, 2019, 50), ("918", HOUSEHOLDS, 2019, 2500), ("918", RATE, 2019, 2),
    # 2020: two districts with their parts and their rates.
    ("916", POOR, 2020, 120), ("916", HOUSEHOLDS, 2020, 1000), ("916", RATE, 2020, 12),
    ("917", POOR, 2020, 80), ("917", HOUSEHOLDS, 2020, 4000), ("917", RATE, 2020, 2),
    # 2021: Ô Môn gives its poor households and its rate, but not its households.
    ("916", POOR, 2021, 100), ("916", HOUSEHOLDS, 2021, 1000), ("916", RATE, 2021, 10),
    ("917", POOR, 2021, 90), ("917", RATE, 2021, "2,25"),
    # 2022: parts only; Bình Thủy has nothing itself, its ward Trà Nóc has both parts.
    ("916", POOR, 2022, 100), ("916", HOUSEHOLDS, 2022, 2000),
    ("917", POOR, 2022, 30), ("917", HOUSEHOLDS, 2022, 1500),
    ("31171", POOR, 2022, 25), ("31171", HOUSEHOLDS, 2022, 500),
    # Party members over three levels.
    ("916", MEMBERS, 2021, 300), ("917", MEMBERS, 2021, 200), ("31171", MEMBERS, 2021, 40),
    ("916", MEMBERS, 2022, 310), ("917", MEMBERS, 2022, 205), ("31171", MEMBERS, 2022, 42),
    ("918-CCT", MEMBERS, 2022, 10),
    ("916", MEMBERS, 2023, 320), ("917", MEMBERS, 2023, 210), ("918", MEMBERS, 2023, 70),
    ("31171", MEMBERS, 2023, 45), ("918-CCT", MEMBERS, 2023, 12),
    # Admissions: a lower bound, and a total over the 2015-2020 term.
    ("916", ADMITTED, 2022, "hơn 30"), ("917", ADMITTED, 2022, 20),
    ("916", ADMITTED, "2015-2020", 150),
    # Across the reorganisations.
    ("DBBCT-03", MEMBERS, 2023, 700), ("DBBCT-03", MEMBERS, 2024, 710),
    ("DBBCT-11", MEMBERS, 2025, 730), ("DBBCT-11", MEMBERS, 2026, 740),
    ("94", POOR, 2023, 150), ("94", HOUSEHOLDS, 2023, 6000),
    ("92", POOR, 2024, 300), ("92", HOUSEHOLDS, 2024, 10000), ("92", RATE, 2024, 3),
    ("93", POOR, 2024, 200), ("93", HOUSEHOLDS, 2024, 5000), ("93", RATE, 2024, 4),
    ("92-2025", POOR, 2026, 500), ("92-2025", HOUSEHOLDS, 2026, 20000),
    ("92-2025", RATE, 2026, "2,5"),
]  # fmt: skip


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rollup")
    db = folder / "warehouse.duckdb"
    assert etl_main(["init", "--db", str(db), "--no-sample"]) == 0
    rows = [["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"], *[list(f) for f in FIGURES]]
    report = write_xlsx(folder / "bao_cao_kiem_thu.xlsx", rows)
    assert etl_main(["load", str(report), "--db", str(db)]) == 0
    return db


@pytest.fixture
def con(fixture_db: Path) -> Iterator[Connection]:
    with queries.reader(fixture_db) as connection:
        yield connection


def one(frame: pd.DataFrame, unit: str, indicator: str, start: str) -> pd.Series:
    """The single row of ``unit``'s ``indicator`` for the period starting on ``start``."""
    rows = frame[
        (frame["unit_code"] == unit)
        & (frame["indicator_code"] == indicator)
        & (frame["period_start"] == pd.Timestamp(start))
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_every_figure_was_stored(con: Connection) -> None:
    row = con.execute("SELECT count(*) FROM v_observation").fetchone()
    assert row is not None and row[0] == len(FIGURES)


# --- rates from their parts -------------------------------------------------------------------


def test_a_city_rate_is_its_districts_parts_summed_never_the_mean_of_their_rates(
    con: Connection,
) -> None:
    values = rollup.rollup(con, ["92"], [RATE], "year", 2020, 2020)
    city = one(values, "92", RATE, "2020-01-01")
    # Σ poor / Σ households = (120 + 80) / (1,000 + 4,000) × 100 = 200 / 5,000 × 100 = 4.0;
    # the mean of the district rates, (12 + 2) / 2 = 7.0, would be wrong.
    assert city["value"] == pytest.approx(4.0)
    assert city["numerator_value"] == 200 and city["denominator_value"] == 5000
    assert city["derivation"] == "rollup" and bool(city["is_rollup"])
    assert city["n_units"] == 2
    assert city["missing_parts"] == []
    # Bình Thủy reported in 2019 and exists: it is named, not silently dropped.
    # Ninh Kiều…Thới Lai never reported poverty: not expected, not named.
    assert city["missing_units"] == ["918"]


def test_a_child_without_its_denominator_is_named_and_nothing_is_averaged(
    con: Connection,
) -> None:
    city = one(rollup.rollup(con, ["92"], [RATE], "year", 2021, 2021), "92", RATE, "2021-01-01")
    # Only Ninh Kiều has both parts: 100 / 1,000 × 100 = 10.0 (n = 1). Ô Môn's 2.25 % has
    # no households behind it: left out and named. The mean (10 + 2.25) / 2 = 6.125 and
    # 100 × (100 + 90) / 1,000 = 19.0 (its poor households without their households)
    # would both be wrong.
    assert city["value"] == pytest.approx(10.0)
    assert city["n_units"] == 1
    assert city["missing_parts"] == ["917"]
    assert city["missing_units"] == ["918"]


def test_rates_roll_up_through_three_levels(con: Connection) -> None:
    values = rollup.rollup(con, ["VN"], [RATE], "year", 2022, 2022, depth=3)
    # Bình Thủy has nothing itself: its ward's parts, 25 / 500 × 100 = 5.0.
    binh_thuy = one(values, "918", RATE, "2022-01-01")
    assert binh_thuy["value"] == pytest.approx(5.0) and binh_thuy["n_units"] == 1
    assert binh_thuy["numerator_value"] == 25 and binh_thuy["denominator_value"] == 500
    # The city: (100 + 30 + 25) / (2,000 + 1,500 + 500) × 100 = 155 / 4,000 × 100 = 3.875
    # (the mean of the three district rates 5.0, 2.0 and 5.0 would be 4.0).
    city = one(values, "92", RATE, "2022-01-01")
    assert city["value"] == pytest.approx(3.875) and city["n_units"] == 3
    country = one(values, "VN", RATE, "2022-01-01")
    assert country["value"] == pytest.approx(3.875) and country["n_units"] == 1
    # Ninh Kiều stored no rate for 2022: computed from its own parts, 100 / 2,000 × 100.
    ninh_kieu = one(values, "916", RATE, "2022-01-01")
    assert ninh_kieu["value"] == pytest.approx(5.0) and ninh_kieu["derivation"] == "parts"
    assert not bool(ninh_kieu["is_rollup"])


def test_a_stored_rate_is_shown_as_stored_with_its_parts_beside_it(con: Connection) -> None:
    row = one(rollup.rollup(con, ["917"], [RATE], "year", 2020, 2020), "917", RATE, "2020-01-01")
    assert row["value"] == 2 and row["derivation"] == "reported"
    assert row["numerator_value"] == 80 and row["denominator_value"] == 4000
    assert row["source_file"] == "bao_cao_kiem_thu.xlsx"


# --- sums -------------------------------------------------------------------------------------


def test_counts_add_up_through_three_levels(con: Connection) -> None:
    values = rollup.rollup(con, ["VN"], [MEMBERS], "year", 2021, 2023, depth=2)
    # 2022: Bình Thủy = ward 42 + tax department 10 = 52; the city 310 + 205 + 52 = 567.
    assert one(values, "918", MEMBERS, "2022-01-01")["value"] == 52
    city = one(values, "92", MEMBERS, "2022-01-01")
    assert city["value"] == 567 and city["n_units"] == 3
    assert one(values, "VN", MEMBERS, "2022-01-01")["value"] == 567
    # 2023: Bình Thủy reported 70 itself: its own figure wins over 45 + 12 = 57, and the
    # city is 320 + 210 + 70 = 600.
    binh_thuy = one(values, "918", MEMBERS, "2023-01-01")
    assert binh_thuy["value"] == 70 and binh_thuy["derivation"] == "reported"
    assert one(values, "92", MEMBERS, "2023-01-01")["value"] == 600


def test_a_unit_missing_further_down_is_named_at_every_level_above(con: Connection) -> None:
    values = rollup.rollup(con, ["92"], [MEMBERS], "year", 2021, 2021, depth=2)
    # 2021: the tax department (which reports in 2022 and 2023) has nothing: Bình Thủy is
    # its ward's 40 alone, the city 300 + 200 + 40 = 540, and both name what is missing.
    binh_thuy = one(values, "918", MEMBERS, "2021-01-01")
    assert binh_thuy["value"] == 40 and binh_thuy["missing_units"] == ["918-CCT"]
    city = one(values, "92", MEMBERS, "2021-01-01")
    assert city["value"] == 540 and city["missing_units"] == ["918-CCT"]


def test_a_sum_of_a_lower_bound_is_a_lower_bound(con: Connection) -> None:
    city = one(
        rollup.rollup(con, ["92"], [ADMITTED], "year", 2022, 2022), "92", ADMITTED, "2022-01-01"
    )
    # "hơn 30" + 20: more than 50.
    assert city["value"] == 50 and city["qualifier"] == "lower_bound"


# --- one period type at a time ----------------------------------------------------------------


def test_a_term_total_is_never_added_to_a_year(con: Connection) -> None:
    yearly = rollup.rollup(con, ["92"], [ADMITTED], "year")
    # Years only: 2022 is 30 + 20 = 50, and no yearly value carries the term's 150.
    assert list(yearly["value"]) == [50]
    terms = rollup.rollup(con, ["92"], [ADMITTED], "term")
    # The term 2015-2020 on its own: Ninh Kiều's 150 (Ô Môn reported no term: not named).
    assert list(terms["value"]) == [150]
    assert terms["period_start"].iloc[0] == pd.Timestamp("2015-01-01")
    assert terms["period_end"].iloc[0] == pd.Timestamp("2020-12-31")
    assert terms["missing_units"].iloc[0] == []


# --- across the reorganisation ----------------------------------------------------------------


def test_a_renamed_organisation_continues_its_predecessors_series(con: Connection) -> None:
    series = rollup.continued_series(con, "DBBCT-11", MEMBERS)
    starts = [stamp.year for stamp in series["period_start"]]
    assert starts == [2023, 2024, 2025, 2026]
    assert list(series["value"]) == [700, 710, 730, 740]
    assert [units for units in series["series_units"]] == [["DBBCT-03"]] * 2 + [["DBBCT-11"]] * 2
    assert list(series["is_continuation"]) == [True, True, False, False]
    # The break is marked once, on 2025, the first value after 1 March 2025.
    assert list(series["break_before"]) == [False, False, True, False]


def test_an_ended_organisation_continues_into_its_successor(con: Connection) -> None:
    series = rollup.continued_series(con, "DBBCT-03", MEMBERS)
    assert list(series["value"]) == [700, 710, 730, 740]
    assert list(series["is_continuation"]) == [False, False, True, True]
    assert list(series["break_before"]) == [False, False, True, False]
    # Without the successor map the series ends in 2024.
    assert list(rollup.rollup(con, ["DBBCT-03"], [MEMBERS])["value"]) == [700, 710]


def test_a_merged_city_continues_through_its_predecessors_combined(con: Connection) -> None:
    series = rollup.continued_series(con, "92-2025", RATE)
    by_year = series.assign(year=[stamp.year for stamp in series["period_start"]]).set_index("year")
    merged = by_year.loc[2024]
    # Before 1 July 2025 the new city is old Cần Thơ + Hậu Giang + Sóc Trăng:
    # (300 + 200) / (10,000 + 5,000) × 100 = 500 / 15,000 × 100 = 3.333… (the mean of
    # 3.0 and 4.0 would be 3.5); Sóc Trăng has nothing for 2024 and is named.
    assert merged["value"] == pytest.approx(100 * 500 / 15000)
    assert merged["series_units"] == ["92", "93", "94"]
    assert merged["missing_units"] == ["94"]
    assert bool(merged["is_continuation"]) and not bool(merged["break_before"])
    own = by_year.loc[2026]
    assert own["value"] == pytest.approx(2.5) and own["series_units"] == ["92-2025"]
    assert bool(own["break_before"]) and not bool(own["is_continuation"])
    assert int(series["break_before"].sum()) == 1
    # 2020 comes from the old city's districts (rolled up as above): 4.0.
    assert by_year.loc[2020, "value"] == pytest.approx(4.0)


# --- the queries the pages call -----------------------------------------------------------------


def test_overview_shows_the_rolled_up_rate_and_what_it_lacks(con: Connection) -> None:
    tiles = queries.overview_for_unit_year(con, "92", 2021).set_index("indicator_code")
    rate = tiles.loc[RATE]
    assert rate["value"] == pytest.approx(10.0) and bool(rate["is_rollup"])
    assert rate["missing_parts"] == ["917"] and rate["n_units"] == 1
    # Last year's 4.0 → this year's 10.0: +6.0 percentage points.
    assert rate["previous_value"] == pytest.approx(4.0)
    assert rate["change"] == pytest.approx(6.0) and bool(rate["change_is_points"])
    members = tiles.loc[MEMBERS]
    assert members["value"] == 540 and not bool(members["change_is_points"])


def test_compare_ranks_children_on_their_own_or_rolled_up_values(con: Connection) -> None:
    ranked = queries.compare_children(con, "92", RATE, 2022)
    # Lower poverty is better: Ô Môn 30 / 1,500 = 2.0, then Ninh Kiều 5.0 and Bình Thủy
    # 5.0 (its ward's parts) sharing rank 2.
    assert list(ranked["unit_code"]) == ["917", "916", "918"]
    assert list(ranked["rank"]) == [1, 2, 2]
    assert list(ranked["value"]) == pytest.approx([2.0, 5.0, 5.0])
    assert list(ranked["is_rollup"]) == [False, False, True]
    value = queries.unit_year_value(con, "92", RATE, 2022)
    assert value is not None and value["value"] == pytest.approx(3.875)


def test_children_series_puts_the_parent_first(con: Connection) -> None:
    series = queries.children_series(con, "918", MEMBERS)
    parent = series[series["is_parent"]]
    assert list(parent["year"]) == [2021, 2022, 2023]
    assert list(parent["value"]) == [40, 52, 70]
    assert set(series.loc[~series["is_parent"], "unit_code"]) == {"31171", "918-CCT"}


def test_unit_series_and_its_continuation(con: Connection) -> None:
    series = queries.unit_series(con, "92", RATE)
    # 2019: Bình Thủy alone, 50 / 2,500 × 100 = 2.0; 2020-2022 as above; 2024 its own 3.0.
    assert list(series["year"]) == [2019, 2020, 2021, 2022, 2024]
    assert list(series["value"]) == pytest.approx([2.0, 4.0, 10.0, 3.875, 3.0])
    assert list(series["derivation"]) == ["rollup"] * 4 + ["reported"]
    continued = queries.continued_unit_series(con, "DBBCT-11", MEMBERS)
    assert list(continued["year"]) == [2023, 2024, 2025, 2026]
    assert list(continued["break_before"]) == [False, False, True, False]


def test_all_series_of_a_unit_in_one_pass_match_one_by_one(con: Connection) -> None:
    everything = queries.unit_series_all(con, "92")
    assert set(everything["indicator_code"]) == {RATE, POOR, HOUSEHOLDS, MEMBERS, ADMITTED}
    for indicator, rows in everything.groupby("indicator_code"):
        alone = queries.unit_series(con, "92", str(indicator))
        assert list(rows["year"]) == list(alone["year"])
        assert list(rows["value"]) == pytest.approx(list(alone["value"]))


def test_lists_offer_what_rolls_up(con: Connection) -> None:
    # VN reported nothing itself; its years are those of the units below it (2025 is only
    # DBBCT-11's, which is not under VN).
    assert queries.list_years(con, unit="VN") == [2019, 2020, 2021, 2022, 2023, 2024, 2026]
    assert queries.list_years(con, indicator=RATE, parent="918") == [2022]  # the ward's parts
    codes = set(queries.list_indicators(con, unit="918", years_only=True)["indicator_code"])
    assert {RATE, MEMBERS} <= codes
    parents = queries.parents_with_children_data(con, MEMBERS).set_index("unit_code")
    assert parents.loc["92", "n_children"] == 3  # 916, 917 and 918 (through its units)
