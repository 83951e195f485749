"""Before/after a campaign window: means, changes, trend and noise."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.narrative import before_after_table, describe_before_after
from dashboard.stats import before_after, default_campaign


def _series(values: dict[int, float], illustrative: frozenset[int] = frozenset()) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": list(values),
            "period_start": [pd.Timestamp(year, 1, 1) for year in values],
            "period_end": [pd.Timestamp(year, 12, 31) for year in values],
            "value": list(values.values()),
            "value_status": [
                "illustrative" if year in illustrative else "reported" for year in values
            ],
        }
    )


def test_the_window_years_are_left_out_of_both_means() -> None:
    series = _series({2010: 10.0, 2011: 8.0, 2012: 100.0, 2013: 4.0, 2014: 2.0})
    result = before_after(series, date(2012, 8, 1), date(2012, 12, 31))
    assert result.years_before == (2010, 2011)
    assert result.years_excluded == (2012,)
    assert result.years_after == (2013, 2014)
    assert result.mean_before == 9.0
    assert result.mean_after == 3.0
    assert result.change == -6.0
    assert result.relative_change == pytest.approx(-66.666, abs=0.01)


def test_a_window_over_two_years_excludes_both() -> None:
    series = _series({year: float(year - 2010) for year in range(2010, 2021)})
    result = before_after(series, "2016-11-01", "2017-12-31")
    assert result.years_excluded == (2016, 2017)
    assert result.years_before[-1] == 2015 and result.years_after[0] == 2018


def test_years_each_side_keeps_the_years_next_to_the_window() -> None:
    series = _series({year: float(year) for year in range(2006, 2017)})
    result = before_after(series, "2012-08-01", "2012-12-31", years_each_side=2)
    assert result.years_before == (2010, 2011)
    assert result.years_after == (2013, 2014)


def test_a_straight_line_continues_its_trend_exactly() -> None:
    series = _series({year: 20.0 - 2 * (year - 2006) for year in range(2006, 2017)})
    result = before_after(series, "2012-08-01", "2012-12-31")
    assert result.change is not None and result.change < 0  # it fell...
    assert result.change_vs_trend == pytest.approx(0.0, abs=1e-9)  # ...as it was falling
    assert result.residual_sd == pytest.approx(0.0, abs=1e-9)


def test_a_break_from_a_noisy_trend_is_beyond_noise_only_when_large() -> None:
    before = {2006: 10.0, 2007: 10.4, 2008: 9.8, 2009: 10.2, 2010: 9.9, 2011: 10.1}
    small = before_after(_series({**before, 2013: 10.2, 2014: 9.9}), "2012-01-01", "2012-12-31")
    large = before_after(_series({**before, 2013: 5.0, 2014: 4.5}), "2012-01-01", "2012-12-31")
    assert small.beyond_noise is False
    assert large.beyond_noise is True


def test_too_little_data_is_said_not_computed() -> None:
    only_after = before_after(_series({2013: 1.0, 2014: 2.0}), "2012-01-01", "2012-12-31")
    assert not only_after.sufficient
    assert only_after.change is None and only_after.relative_change is None
    assert "Chưa đủ số liệu" in describe_before_after(
        only_after, "vi", measure="%", kind="rate", direction="lower_better"
    )
    two = before_after(_series({2011: 1.0, 2013: 2.0}), "2012-01-01", "2012-12-31")
    assert two.sufficient and two.trend_after is None and two.beyond_noise is None


def test_missing_values_and_illustrative_ones_are_counted_apart() -> None:
    series = _series({2010: 4.0, 2011: float("nan"), 2013: 2.0}, illustrative=frozenset({2010}))
    result = before_after(series, "2012-01-01", "2012-12-31")
    assert result.years_before == (2010,)
    assert result.n_illustrative == 1


def test_relative_change_from_zero_is_undefined() -> None:
    result = before_after(_series({2011: 0.0, 2013: 5.0}), "2012-01-01", "2012-12-31")
    assert result.change == 5.0 and result.relative_change is None


def test_the_sentence_and_table_speak_in_points_for_a_rate() -> None:
    series = _series({2010: 10.0, 2011: 8.0, 2013: 4.0, 2014: 2.0})
    result = before_after(series, "2012-01-01", "2012-12-31")
    text = describe_before_after(result, "vi", measure="%", kind="rate", direction="lower_better")
    assert "**9 %**" in text and "**3 %**" in text
    assert "Giảm **6 điểm %**" in text and "tốt lên" in text
    table = before_after_table(result, "vi", measure="%", kind="rate")
    assert list(table["result"][:3]) == ["9 %", "3 %", "-6 điểm %"]
    english = describe_before_after(
        result, "en", measure="%", kind="rate", direction="lower_better"
    )
    assert "Down **6 pp**" in english and "improvement" in english


def test_default_campaign_is_the_best_covered() -> None:
    series = _series({year: 1.0 for year in range(2015, 2026)})
    campaigns = pd.DataFrame(
        {
            "campaign_code": ["EARLY", "MIDDLE", "LATE"],
            "start_date": [date(2012, 8, 1), date(2019, 1, 1), date(2025, 1, 1)],
            "end_date": [date(2012, 12, 31), date(2019, 12, 31), date(2025, 6, 30)],
        }
    )
    assert default_campaign(series, campaigns) == "MIDDLE"
    assert default_campaign(series, campaigns.iloc[:0]) is None
