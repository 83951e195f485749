"""The overview tiles' logic: the verdict against the target or plan, and the sparklines
(every indicator's continued series in one pass) on real warehouses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import queries, succession, tiles
from tests import reorganised

# --- the verdict ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "direction", "verdict"),
    [
        (100.43, 100, "higher_better", "met"),
        (100, 100, "higher_better", "met"),  # on the target is met
        (78.87, 100, "higher_better", "not_met"),
        (4.5, 5, "lower_better", "met"),  # a falling poverty rate below its cap
        (5, 5, "lower_better", "met"),
        (5.2, 5, "lower_better", "not_met"),
    ],
)
def test_met_or_not_follows_the_direction(
    value: float, target: float, direction: str, verdict: str
) -> None:
    check = tiles.check_target(value, target, kind="rate", direction=direction)
    assert check is not None
    assert (check.verdict, check.reference, check.against) == (verdict, float(target), "target")


def test_no_target_no_verdict() -> None:
    assert tiles.check_target(9.52, None, kind="rate", direction="lower_better") is None
    assert tiles.check_target(9.52, float("nan"), kind="count", direction="higher_better") is None
    assert tiles.check_target(None, 5, kind="rate", direction="lower_better") is None
    assert tiles.target_markdown(None, "vi", "%") is None


def test_a_ratio_to_plan_is_judged_against_100_percent_of_the_plan() -> None:
    above = tiles.check_target(112.0, None, kind="ratio_to_plan", direction="higher_better")
    below = tiles.check_target(95.4, None, kind="ratio_to_plan", direction="higher_better")
    assert above is not None and below is not None
    assert (above.against, above.reference, above.verdict) == ("plan", 100.0, "met")
    assert below.verdict == "not_met"
    assert tiles.target_markdown(below, "vi", "%") == (
        ":red-badge[✗ Chưa đạt kế hoạch] kế hoạch: 100 %"
    )
    # A stated target wins over the plan.
    check = tiles.check_target(96.0, 95, kind="ratio_to_plan", direction="higher_better")
    assert check is not None and (check.against, check.verdict) == ("target", "met")


@pytest.mark.parametrize(
    ("value", "qualifier", "direction", "verdict"),
    [
        (90, "lower_bound", "higher_better", "unclear"),  # "hơn 90 %" of a 100 % target
        (100, "lower_bound", "higher_better", "met"),  # "hơn 100 %": above it for sure
        (100, "lower_bound", "lower_better", "not_met"),
        (90, "lower_bound", "lower_better", "unclear"),
        (5, "upper_bound", "lower_better", "met"),  # "dưới 5 %" of a cap of 100
        (120, "upper_bound", "lower_better", "unclear"),
        (100, "nearly", "higher_better", "not_met"),  # "gần 100": just short of it
        (100, "approximate", "higher_better", "unclear"),  # "khoảng 100": on the line
        (110, "approximate", "higher_better", "met"),
    ],
)
def test_a_bound_is_judged_only_when_it_settles_the_question(
    value: float, qualifier: str, direction: str, verdict: str
) -> None:
    check = tiles.check_target(value, 100, kind="rate", direction=direction, qualifier=qualifier)
    assert check is not None and check.verdict == verdict


def test_a_neutral_indicator_shows_its_target_unjudged() -> None:
    check = tiles.check_target(30_000, 32_000, kind="count", direction="neutral")
    assert check is not None and check.verdict is None
    assert tiles.target_markdown(check, "vi", "hộ") is None  # no colour, no verdict


def test_the_verdict_is_a_coloured_badge_with_its_rule() -> None:
    lower = tiles.check_target(4.5, 5, kind="rate", direction="lower_better")
    higher = tiles.check_target(78.87, 100, kind="rate", direction="higher_better")
    unclear = tiles.check_target(
        90, 100, kind="rate", direction="higher_better", qualifier=("lower_bound")
    )
    assert tiles.target_markdown(lower, "vi", "%") == (
        ":green-badge[✓ Đạt chỉ tiêu] chỉ tiêu: không quá 5 %"
    )
    assert (
        tiles.target_markdown(lower, "en", "%") == ":green-badge[✓ Target met] target: 5 % or less"
    )
    assert tiles.target_markdown(higher, "vi", "%") == (
        ":red-badge[✗ Chưa đạt chỉ tiêu] chỉ tiêu: từ 100 % trở lên"
    )
    assert tiles.target_markdown(unclear, "en", "%") == (
        ":gray-badge[? Target met or not: unclear] target: 100 % or more"
    )


# --- sparklines -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reorganised_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reorganised.build(tmp_path_factory.mktemp("reorganised"))


@pytest.fixture
def sample(sample_db: Path) -> Iterator[queries.Connection]:
    with queries.reader(sample_db) as con:
        yield con


def test_sparklines_of_o_mon_are_its_years_up_to_the_one_shown(
    sample: queries.Connection,
) -> None:
    """Quận Ô Môn's poverty rate and poor households, 2006–2011 from the illustrative sample
    workbook (02_can_tho_ho_ngheo_2006_2016.xlsx) and 2012 from the source documents."""
    sparks = tiles.sparklines(sample, "917", 2012)
    rate = sparks["poverty_rate"]
    assert rate.years == tuple(range(2006, 2013))
    assert rate.values == (15.78, 14.46, 12.83, 12.09, 10.94, 10.52, 9.52)
    assert rate.other_units == () and rate.drawable
    assert sparks["poor_households"].values == (4804, 4372, 3986, 3765, 3470, 3379, 3093)
    assert max(max(s.years) for s in sparks.values()) == 2012  # nothing after the year shown


def test_sparklines_only_for_the_indicators_asked(sample: queries.Connection) -> None:
    sparks = tiles.sparklines(sample, "917", 2012, ["poverty_rate"])
    assert list(sparks) == ["poverty_rate"]
    assert tiles.sparklines(sample, "917", 2012, []) == {}


def test_sparklines_of_a_parent_are_its_roll_up(sample: queries.Connection) -> None:
    """Cần Thơ's 2012 poverty rate is Σ poor / Σ households of its nine districts: the
    sparkline's last point is the tile's value."""
    sparks = tiles.sparklines(sample, "92", 2012)
    tile = queries.overview_for_unit_year(sample, "92", 2012)
    value = tile.loc[tile["indicator_code"] == "poverty_rate", "value"].iloc[0]
    assert sparks["poverty_rate"].years[-1] == 2012
    assert sparks["poverty_rate"].values[-1] == pytest.approx(value)


def test_sparklines_continue_through_the_predecessors(reorganised_db: Path) -> None:
    with queries.reader(reorganised_db) as con:
        sparks = tiles.sparklines(con, reorganised.NEW, 2025)
    admitted = sparks["members_admitted"]
    assert admitted.years == (2020, 2021, 2022, 2023, 2024, 2025)
    # 2020–2024: the three predecessors' admissions added up; 2025: the new city's own.
    assert admitted.values == (220, 221, 222, 223, 224, 300)
    assert admitted.other_units == ("92", "93", "94")
    # Rates from the parts of the predecessors that reported both: (1000 + 500) / 15000.
    assert sparks["poverty_rate"].values[0] == pytest.approx(10.0)
    assert sparks["poverty_rate"].values[-1] == pytest.approx(4.5)
    names = {"92": "Thành phố Cần Thơ", "93": "Tỉnh Hậu Giang", "94": "Tỉnh Sóc Trăng"}
    help_lines = tiles.sparkline_help(admitted, "vi", names)
    assert help_lines == [
        "Đường nhỏ: 2020–2025, 6 năm có số liệu",
        "Trước khi sắp xếp: số liệu của Thành phố Cần Thơ, Tỉnh Hậu Giang, Tỉnh Sóc Trăng",
    ]


def test_one_point_is_no_sparkline() -> None:
    assert not tiles.Sparkline(years=(2025,), values=(3.0,)).drawable
    assert tiles.sparkline_help(tiles.Sparkline(years=(2025,), values=(3.0,)), "vi", {}) == []


def test_all_series_at_once_match_one_series_at_a_time(reorganised_db: Path) -> None:
    """continued_series_all is queries.continued_unit_series for every indicator, read once."""
    with queries.reader(reorganised_db) as con:
        cases = [(unit, year_to) for unit in reorganised.NAMES for year_to in (None, 2024)]
        for unit, year_to in [*cases, (reorganised.NEW, None), (reorganised.NEW, 2025)]:
            every = succession.continued_series_all(con, unit, "year", year_to)
            for indicator in ("members_admitted", "poverty_rate", "poor_households"):
                one = queries.continued_unit_series(con, unit, indicator)
                expected = not one[one["year"] <= (year_to or 9999)].empty
                assert (indicator in set(every["indicator_code"])) == expected
            for indicator, rows in every.groupby("indicator_code"):
                one = queries.continued_unit_series(con, unit, str(indicator))
                one = one[one["year"] <= (year_to or 9999)]
                assert list(rows["value"]) == pytest.approx(list(one["value"]))
                assert list(rows["break_before"]) == list(one["break_before"])
                assert [list(u) for u in rows["series_units"]] == [
                    list(u) for u in one["series_units"]
                ]


def test_lineage_indicators_include_the_predecessors(reorganised_db: Path) -> None:
    with queries.reader(reorganised_db) as con:
        own = queries.list_indicators(con, "vi", reorganised.SOC_TRANG, years_only=True)
        continued = succession.lineage_indicators(con, reorganised.SOC_TRANG, "vi")
    # Sóc Trăng reported admissions only; its successor also reported poverty.
    assert set(own["indicator_code"]) == {"members_admitted"}
    assert {"members_admitted", "poverty_rate", "poor_households"} <= set(
        continued["indicator_code"]
    )
    assert continued["indicator_code"].is_unique
