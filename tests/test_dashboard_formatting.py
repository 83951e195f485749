"""Numbers, dates, periods and qualifiers as Vietnamese (and English) readers write them."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from dashboard.formatting import (
    MISSING,
    format_change,
    format_date,
    format_datetime,
    format_number,
    format_period,
    format_value,
    format_window,
    qualifier_word,
    status_word,
    with_status,
)


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (9.52, "9,52", "9.52"),
        (3093, "3.093", "3,093"),
        (1234567.5, "1.234.567,5", "1,234,567.5"),
        (80.0, "80", "80"),
        (0.125, "0,13", "0.13"),
        (-4.84, "-4,84", "-4.84"),
        (-0.001, "0", "0"),
        (0, "0", "0"),
    ],
)
def test_numbers(value: float, vi: str, en: str) -> None:
    assert format_number(value, "vi") == vi
    assert format_number(value, "en") == en


def test_fixed_decimals_and_missing_values() -> None:
    assert format_number(9.5, "vi", decimals=2) == "9,50"
    assert format_number(3093, "vi", decimals=1) == "3.093,0"
    for missing in (None, float("nan"), pd.NA, float("inf")):
        assert format_number(missing, "vi") == MISSING
        assert format_value(missing, "vi", measure="%") == MISSING


@pytest.mark.parametrize(
    ("qualifier", "vi", "en"),
    [
        (None, "80 %", "80 %"),
        ("lower_bound", "hơn 80 %", "over 80 %"),
        ("upper_bound", "dưới 80 %", "under 80 %"),
        ("approximate", "khoảng 80 %", "about 80 %"),
        ("nearly", "gần 80 %", "nearly 80 %"),
        ("something_new", "80 %", "80 %"),
    ],
)
def test_values_with_qualifiers(qualifier: str | None, vi: str, en: str) -> None:
    assert format_value(80, "vi", measure="%", qualifier=qualifier) == vi
    assert format_value(80, "en", measure="%", qualifier=qualifier) == en


def test_only_percent_measures_get_a_percent_sign() -> None:
    assert format_value(9.52, "vi", measure="%") == "9,52 %"
    assert format_value(101.6, "vi", measure="% dự toán") == "101,6 %"
    assert format_value(3093, "vi", measure="hộ") == "3.093"
    assert format_value(300, "vi", measure="ha", qualifier="nearly") == "gần 300"
    assert qualifier_word("lower_bound", "vi") == "hơn"


def test_changes_are_signed_points_or_percent() -> None:
    assert format_change(-4.84, "vi", points=True) == "-4,84 điểm %"
    assert format_change(-4.84, "en", points=True) == "-4.84 pp"
    assert format_change(12.5, "vi", points=False) == "+12,5 %"
    assert format_change(0, "vi", points=False) == "0 %"
    assert format_change(None, "vi", points=True) is None


def test_status_markers() -> None:
    assert status_word("illustrative", "vi") == "minh họa"
    assert status_word("illustrative", "en") == "illustrative"
    assert status_word("preliminary", "vi") == "sơ bộ"
    assert status_word("reported", "vi") == ""
    assert with_status("9,52 %", "illustrative", "vi") == "9,52 % (minh họa)"
    assert with_status("9,52 %", "reported", "vi") == "9,52 %"


def test_dates() -> None:
    assert format_date(date(2012, 8, 1), "vi") == "01/08/2012"
    assert format_date(pd.Timestamp("2012-12-31"), "en") == "31 Dec 2012"
    assert format_date(None, "vi") == MISSING
    assert format_datetime(datetime(2025, 1, 2, 14, 5), "vi") == "02/01/2025 14:05"
    assert format_window(date(2016, 11, 1), date(2017, 12, 31), "vi") == "01/11/2016 – 31/12/2017"


@pytest.mark.parametrize(
    ("start", "end", "kind", "vi", "en"),
    [
        ("2012-01-01", "2012-12-31", "year", "2012", "2012"),
        ("2020-01-01", "2025-06-30", "term", "2020–2025", "2020–2025"),
        ("2025-01-01", "2025-06-30", "half", "6 tháng đầu 2025", "H1 2025"),
        ("2025-07-01", "2025-12-31", "half", "6 tháng cuối 2025", "H2 2025"),
        ("2025-04-01", "2025-06-30", "quarter", "Quý 2/2025", "Q2 2025"),
        ("2025-05-01", "2025-05-31", "month", "05/2025", "May 2025"),
        ("2013-01-01", "2014-12-31", "span", "01/01/2013 – 31/12/2014", "1 Jan 2013 – 31 Dec 2014"),
    ],
)
def test_periods(start: str, end: str, kind: str, vi: str, en: str) -> None:
    assert format_period(start, end, kind, "vi") == vi
    assert format_period(start, end, kind, "en") == en
