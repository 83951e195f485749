"""parse_period, parse_period_end, parse_date, period_from_dates, period_type_of."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from etl.periods import (
    Period,
    parse_date,
    parse_period,
    parse_period_end,
    period_from_dates,
    period_type_of,
)

D = date


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


YEAR_2012 = Period(D(2012, 1, 1), D(2012, 12, 31), "year", False, "2012")
Q3_2012 = Period(D(2012, 7, 1), D(2012, 9, 30), "quarter", False, "Quý III/2012")
H1_2025 = Period(D(2025, 1, 1), D(2025, 6, 30), "half", False, "6 tháng đầu năm 2025")
H2_2025 = Period(D(2025, 7, 1), D(2025, 12, 31), "half", False, "6 tháng cuối năm 2025")
MAY_2025 = Period(D(2025, 5, 1), D(2025, 5, 31), "month", False, "Tháng 5/2025")
TERM_2020 = Period(D(2020, 1, 1), D(2025, 12, 31), "term", False, "2020-2025")
PRELIM_2016 = Period(D(2016, 1, 1), D(2016, 12, 31), "year", True, "2016")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # years: numbers and text
        (2012, YEAR_2012),
        (2012.0, YEAR_2012),
        ("2012", YEAR_2012),
        ("Năm 2012", YEAR_2012),
        ("năm 2012", YEAR_2012),
        ("NĂM  2012", YEAR_2012),
        (nfd("Năm 2012"), YEAR_2012),
        ("Cả năm 2012", YEAR_2012),
        ("Năm 2012:", YEAR_2012),
        # quarters
        ("Quý III/2012", Q3_2012),
        ("Quý 3/2012", Q3_2012),
        ("Quý 3 năm 2012", Q3_2012),
        ("Quý III năm 2012", Q3_2012),
        ("quý iii / 2012", Q3_2012),
        (nfd("QUÝ III/2012"), Q3_2012),
        ("Quí III/2012", Q3_2012),
        ("Q3/2012", Q3_2012),
        ("Q3 2012", Q3_2012),
        ("q3/2012", Q3_2012),
        ("2012-Q3", Q3_2012),
        ("2012 Q3", Q3_2012),
        ("Quý I/2012", Period(D(2012, 1, 1), D(2012, 3, 31), "quarter", False, "Quý I/2012")),
        ("Quý IV/2012", Period(D(2012, 10, 1), D(2012, 12, 31), "quarter", False, "Quý IV/2012")),
        # halves
        ("6 tháng đầu năm 2025", H1_2025),
        ("6 tháng năm 2025", H1_2025),
        (nfd("6 THÁNG ĐẦU NĂM 2025"), H1_2025),
        ("6 tháng cuối năm 2025", H2_2025),
        ("Nửa đầu năm 2025", H1_2025),
        ("nửa cuối năm 2025", H2_2025),
        ("H1/2025", H1_2025),
        ("2025-H2", H2_2025),
        # first (or last) n months of a year
        (
            "9 tháng đầu năm 2025",
            Period(D(2025, 1, 1), D(2025, 9, 30), "span", False, "9 tháng đầu năm 2025"),
        ),
        (
            "5 tháng đầu năm 2025",
            Period(D(2025, 1, 1), D(2025, 5, 31), "span", False, "5 tháng đầu năm 2025"),
        ),
        (
            "9 tháng năm 2025",
            Period(D(2025, 1, 1), D(2025, 9, 30), "span", False, "9 tháng đầu năm 2025"),
        ),
        (
            "3 tháng đầu năm 2025",
            Period(D(2025, 1, 1), D(2025, 3, 31), "quarter", False, "Quý I/2025"),
        ),
        (
            "4 tháng cuối năm 2025",
            Period(D(2025, 9, 1), D(2025, 12, 31), "span", False, "4 tháng cuối năm 2025"),
        ),
        ("12 tháng năm 2025", Period(D(2025, 1, 1), D(2025, 12, 31), "year", False, "2025")),
        # the year so far, up to the end of a month, quarter or half
        (
            "đến hết tháng 5/2025",
            Period(D(2025, 1, 1), D(2025, 5, 31), "span", False, "5 tháng đầu năm 2025"),
        ),
        (
            "Tính đến hết tháng 5 năm 2025",
            Period(D(2025, 1, 1), D(2025, 5, 31), "span", False, "5 tháng đầu năm 2025"),
        ),
        ("Lũy kế đến hết Quý II/2025", H1_2025),
        ("tới cuối tháng 6/2025", H1_2025),
        ("đến hết năm 2025", Period(D(2025, 1, 1), D(2025, 12, 31), "year", False, "2025")),
        (
            "Sơ bộ đến hết tháng 5/2025",
            Period(D(2025, 1, 1), D(2025, 5, 31), "span", True, "5 tháng đầu năm 2025"),
        ),
        # months
        ("Tháng 5/2025", MAY_2025),
        ("tháng 5 năm 2025", MAY_2025),
        ("Tháng 05/2025", MAY_2025),
        ("T5/2025", MAY_2025),
        ("05/2025", MAY_2025),
        ("5/2025", MAY_2025),
        ("2025-05", MAY_2025),
        (nfd("THÁNG 5 / 2025"), MAY_2025),
        ("Tháng 2/2024", Period(D(2024, 2, 1), D(2024, 2, 29), "month", False, "Tháng 2/2024")),
        # terms
        ("2020-2025", TERM_2020),
        ("2020 – 2025", TERM_2020),
        ("2020—2025", TERM_2020),
        ("Nhiệm kỳ 2020-2025", TERM_2020),
        ("nhiệm kỳ 2020 - 2025", TERM_2020),
        ("từ năm 2020 đến năm 2025", TERM_2020),
        (
            "giai đoạn 2016-2020",
            Period(D(2016, 1, 1), D(2020, 12, 31), "term", False, "2016-2020"),
        ),
        ("2012-2012", YEAR_2012),
        # preliminary markers, before or after
        ("Sơ bộ 2016", PRELIM_2016),
        ("Sơ bộ năm 2016", PRELIM_2016),
        ("sơ bộ năm 2016", PRELIM_2016),
        (nfd("SƠ BỘ 2016"), PRELIM_2016),
        ("Pre. 2016", PRELIM_2016),
        ("Prel. 2016", PRELIM_2016),
        ("Prel.2016", PRELIM_2016),
        ("Preliminary 2016", PRELIM_2016),
        ("2016 (sơ bộ)", PRELIM_2016),
        ("2016 sơ bộ", PRELIM_2016),
        ("Ước 2016", PRELIM_2016),
        ("Ước tính 2016", PRELIM_2016),
        ("Ước thực hiện năm 2016", PRELIM_2016),
        (
            "Sơ bộ Quý III/2012",
            Period(D(2012, 7, 1), D(2012, 9, 30), "quarter", True, "Quý III/2012"),
        ),
        # explicit dates
        (
            "01/01/2020–31/05/2025",
            Period(D(2020, 1, 1), D(2025, 5, 31), "span", False, "01/01/2020–31/05/2025"),
        ),
        (
            "từ 21/8/2012 đến 25/8/2012",
            Period(D(2012, 8, 21), D(2012, 8, 25), "span", False, "21/08/2012–25/08/2012"),
        ),
        ("21/08/2012", Period(D(2012, 8, 21), D(2012, 8, 21), "span", False, "21/08/2012")),
    ],
)
def test_parse_period(raw: object, expected: Period) -> None:
    assert parse_period(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [D(2012, 8, 21), datetime(2012, 8, 21), datetime(2012, 8, 21, 23, 59)],
)
def test_a_date_cell_is_its_single_day(raw: date) -> None:
    period = parse_period(raw)
    assert period == Period(D(2012, 8, 21), D(2012, 8, 21), "span", False, "21/08/2012")
    assert period is not None and type(period.start) is date


@pytest.mark.parametrize(
    "raw",
    [
        # impossible periods
        "Quý V/2012",
        "Quý 5/2012",
        "Quý 0/2012",
        "Q5/2012",
        "2012-Q5",
        "Tháng 13/2025",
        "Tháng 0/2025",
        "13/2025",
        "2020-2019",
        "Nhiệm kỳ 2025-2020",
        "13 tháng đầu năm 2025",
        "0 tháng đầu năm 2025",
        "H3/2025",
        "31/02/2020",
        "25/8/2012 - 21/8/2012",
        "đến hết tháng 13/2025",
        # "up to the end of" a span of several years names no year so far
        "đến hết nhiệm kỳ 2020-2025",
        "đến hết 2020-2025",
        "đến hết",
        # outside 1900-2100
        1800,
        2101,
        "Năm 1800",
        "3000",
        # not periods
        None,
        True,
        2012.5,
        float("nan"),
        float("inf"),
        0,
        1,
        "",
        "  ",
        "Giá trị",
        "Tổng cộng",
        "Tháng 5",
        "Quý III",
        "sơ bộ",
        "đến nay",
        "12",
        [2012],
    ],
)
def test_not_a_period(raw: object) -> None:
    assert parse_period(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("đến hết tháng 5/2025", D(2025, 5, 31)),
        ("Tính đến hết tháng 5 năm 2025", D(2025, 5, 31)),
        (nfd("TÍNH ĐẾN HẾT THÁNG 5 NĂM 2025"), D(2025, 5, 31)),
        ("đến 31/5/2025", D(2025, 5, 31)),
        ("đến ngày 30/06/2025", D(2025, 6, 30)),
        ("Đến cuối năm 2012", D(2012, 12, 31)),
        ("đến hết Quý II/2025", D(2025, 6, 30)),
        ("tới hết 6 tháng đầu năm 2025", D(2025, 6, 30)),
        ("Tháng 2/2024", D(2024, 2, 29)),
        (D(2025, 5, 31), D(2025, 5, 31)),
        (datetime(2025, 5, 31, 8), D(2025, 5, 31)),
    ],
)
def test_parse_period_end(raw: object, expected: date) -> None:
    assert parse_period_end(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, 2025, "đến nay", "đến hết tháng 13/2025", "hiện nay", "", "đến hết"]
)
def test_parse_period_end_without_an_end(raw: object) -> None:
    assert parse_period_end(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("21/8/2012", D(2012, 8, 21)),
        ("21/08/2012", D(2012, 8, 21)),
        ("2012-08-21", D(2012, 8, 21)),
        ("2012-08-21 00:00:00", D(2012, 8, 21)),
        ("21.08.2012", D(2012, 8, 21)),
        ("21-08-2012", D(2012, 8, 21)),
        (" 21 / 8 / 2012 ", D(2012, 8, 21)),
        ("ngày 21 tháng 8 năm 2012", D(2012, 8, 21)),
        ("29/02/2024", D(2024, 2, 29)),
        (D(2012, 8, 21), D(2012, 8, 21)),
        (datetime(2012, 8, 21, 10, 30), D(2012, 8, 21)),
    ],
)
def test_parse_date(raw: object, expected: date) -> None:
    parsed = parse_date(raw)
    assert parsed == expected
    assert type(parsed) is date


@pytest.mark.parametrize(
    "raw",
    [
        *(None, 41142, 41142.0, "", "31/02/2020", "29/02/2023", "21/13/2012"),
        *("8/2012", "21/08-2012", "2012", "hôm nay", "21/08/12"),
    ],
)
def test_parse_date_refuses(raw: object) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2012, 1, 1), D(2012, 12, 31), "year"),
        (D(2025, 1, 1), D(2025, 6, 30), "half"),
        (D(2025, 7, 1), D(2025, 12, 31), "half"),
        (D(2012, 7, 1), D(2012, 9, 30), "quarter"),
        (D(2012, 10, 1), D(2012, 12, 31), "quarter"),
        (D(2025, 5, 1), D(2025, 5, 31), "month"),
        (D(2024, 2, 1), D(2024, 2, 29), "month"),
        (D(2020, 1, 1), D(2025, 12, 31), "term"),
        (D(2013, 1, 1), D(2014, 12, 31), "term"),
        # spans: anything else
        (D(2020, 1, 1), D(2025, 5, 31), "span"),
        (D(2025, 1, 1), D(2025, 9, 30), "span"),
        (D(2025, 4, 1), D(2025, 9, 30), "span"),  # six months, but not a half
        (D(2025, 2, 1), D(2025, 4, 30), "span"),  # three months, but not a quarter
        (D(2012, 8, 21), D(2012, 8, 25), "span"),
        (D(2012, 8, 21), D(2012, 8, 21), "span"),
        (D(2024, 2, 1), D(2024, 2, 28), "span"),  # leap year: not the whole month
        (D(2020, 7, 1), D(2025, 6, 30), "span"),
        (D(2012, 12, 31), D(2013, 1, 1), "span"),
    ],
)
def test_period_type_of(start: date, end: date, expected: str) -> None:
    assert period_type_of(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (D(2012, 1, 1), D(2012, 12, 31), "2012"),
        (D(2012, 7, 1), D(2012, 9, 30), "Quý III/2012"),
        (D(2025, 1, 1), D(2025, 6, 30), "6 tháng đầu năm 2025"),
        (D(2025, 7, 1), D(2025, 12, 31), "6 tháng cuối năm 2025"),
        (D(2025, 5, 1), D(2025, 5, 31), "Tháng 5/2025"),
        (D(2020, 1, 1), D(2025, 12, 31), "2020-2025"),
        (D(2025, 1, 1), D(2025, 5, 31), "5 tháng đầu năm 2025"),
        (D(2025, 9, 1), D(2025, 12, 31), "4 tháng cuối năm 2025"),
        (D(2020, 1, 1), D(2025, 5, 31), "01/01/2020–31/05/2025"),
        (D(2025, 2, 1), D(2025, 4, 30), "01/02/2025–30/04/2025"),
        (D(2012, 8, 21), D(2012, 8, 21), "21/08/2012"),
    ],
)
def test_period_from_dates_labels(start: date, end: date, label: str) -> None:
    period = period_from_dates(start, end)
    assert period.label_vi == label
    assert (period.start, period.end, period.is_preliminary) == (start, end, False)
    assert period.period_type == period_type_of(start, end)


def test_period_from_dates_preliminary_and_datetimes() -> None:
    period = period_from_dates(datetime(2016, 1, 1, 7), datetime(2016, 12, 31), preliminary=True)
    assert period == PRELIM_2016
    assert type(period.start) is date and type(period.end) is date


def test_period_from_dates_refuses_a_reversed_span() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        period_from_dates(D(2020, 1, 1), D(2019, 12, 31))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2012, 1, 1), D(2012, 12, 31)),
        (D(2012, 7, 1), D(2012, 9, 30)),
        (D(2025, 7, 1), D(2025, 12, 31)),
        (D(2025, 5, 1), D(2025, 5, 31)),
        (D(2020, 1, 1), D(2025, 12, 31)),
        (D(2025, 1, 1), D(2025, 9, 30)),
        (D(2025, 9, 1), D(2025, 12, 31)),
        (D(2020, 1, 1), D(2025, 5, 31)),
        (D(2012, 8, 21), D(2012, 8, 21)),
    ],
)
def test_every_label_reads_back_as_its_period(start: date, end: date) -> None:
    period = period_from_dates(start, end)
    assert parse_period(period.label_vi) == period


def test_period_is_immutable() -> None:
    with pytest.raises(AttributeError):
        YEAR_2012.start = D(2013, 1, 1)  # type: ignore[misc]
