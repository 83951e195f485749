"""The explorer's logic on the sample warehouse: what it fetches, index to 100, per
household and per 100 party members (values worked out by hand from the sample reports),
what it leaves out and says so, the charts, and files equal to the table shown."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from dashboard import explorer, queries
from dashboard.explorer import DENOMINATORS
from dashboard.queries import Connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def con(sample_db: Path) -> Iterator[Connection]:
    with queries.reader(sample_db) as connection:
        yield connection


def _value(frame: pd.DataFrame, unit: str, indicator: str, period: str) -> pd.Series:
    rows = frame[
        (frame["unit_code"] == unit)
        & (frame["indicator_code"] == indicator)
        & (frame["period_key"] == period)
    ]
    assert len(rows) == 1, (unit, indicator, period)
    return rows.iloc[0]


def _per(
    con: Connection, key: str, units: list[str], first: int, last: int, lang: str = "vi"
) -> dict:
    denominator = DENOMINATORS[key]
    return {
        "per": key,
        "denominators": explorer.denominator_values(con, denominator, units, "year", first, last),
        "denominator_name": explorer.indicator_name(con, denominator.indicator_code, lang),
    }


# --- fetching ------------------------------------------------------------------------------


def test_fetch_keeps_one_period_type_in_the_order_chosen(con: Connection) -> None:
    tidy = explorer.fetch(con, ["poverty_rate"], ["927", "917"], "year", 2010, 2012)
    assert list(dict.fromkeys(tidy["unit_code"])) == ["927", "917"]  # as chosen
    assert set(tidy["period_type"]) == {"year"}
    assert list(tidy.loc[tidy["unit_code"] == "917", "period_key"]) == ["2010", "2011", "2012"]
    assert set(tidy["series_label"]) == {"Huyện Thới Lai", "Quận Ô Môn"}  # one indicator
    assert not tidy.attrs["truncated"]
    halves = explorer.fetch(con, ["party_members"], ["DBBCT-01"], "half", 2025, 2025)
    assert list(halves["period_key"]) == ["2025-01-01..2025-06-30"]
    assert list(halves["period_label"]) == ["6 tháng đầu 2025"]


def test_fetch_is_bounded_and_lists_the_period_types(con: Connection) -> None:
    tidy = explorer.fetch(con, ["poverty_rate"], ["917", "918"], "year", 2006, 2016, limit=5)
    assert len(tidy) == 5 and tidy.attrs["truncated"]
    kinds = explorer.period_types(con, ["members_admitted", "party_members"], ["DBBCT-01"])
    assert kinds[0] == "year" and "half" in kinds


# --- index to 100 --------------------------------------------------------------------------


def test_index_to_100_divides_each_series_by_its_own_value(con: Connection) -> None:
    tidy = explorer.fetch(con, ["poverty_rate"], ["917", "927"], "year", 2009, 2013)
    result = explorer.transform(tidy, base="2012")
    frame = result.frame
    # Ô Môn: 9.52 % in 2012 (reported); 10.94 % in 2010 (illustrative).
    assert _value(frame, "917", "poverty_rate", "2012")["value"] == 100
    assert _value(frame, "917", "poverty_rate", "2010")["value"] == pytest.approx(
        10.94 / 9.52 * 100
    )  # 114.92
    # Thới Lai: 8.3 % in 2012, 10.77 % in 2009.
    assert _value(frame, "927", "poverty_rate", "2009")["value"] == pytest.approx(129.759, abs=1e-3)
    assert set(frame["measure"]) == {"chỉ số (2012 = 100)"}
    assert set(frame["transformation"]) == {"chia cho giá trị kỳ 2012 của chính chuỗi đó, × 100"}
    assert list(frame["value_original"][frame["period_key"] == "2012"]) == [9.52, 8.3]
    # An illustrative value indexed to a reported one is still illustrative.
    assert _value(frame, "917", "poverty_rate", "2010")["value_status"] == "illustrative"
    assert _value(frame, "917", "poverty_rate", "2012")["value_status"] == "reported"
    assert result.left_out.empty and result.transformed


def test_series_without_a_value_at_the_base_are_listed_not_dropped(con: Connection) -> None:
    tidy = explorer.fetch(con, ["poverty_rate"], ["917", "927"], "year", 2006, 2013)
    result = explorer.transform(tidy, base="2007")  # Thới Lai reports from 2009 only
    assert set(result.frame["unit_code"]) == {"917"}
    assert _value(result.frame, "917", "poverty_rate", "2006")["value"] == pytest.approx(
        15.78 / 14.46 * 100
    )
    assert result.left_out.to_dict("records") == [
        {
            "unit_name": "Huyện Thới Lai",
            "indicator_name": "Tỷ lệ hộ nghèo",
            "reason": "không có giá trị kỳ 2007",
            "periods": "mọi kỳ đã chọn",
        }
    ]


def test_a_series_at_zero_in_the_base_period_is_left_out(con: Connection) -> None:
    tidy = explorer.fetch(con, ["members_admitted"], ["DBBCT-01", "DBBCT-02"], "year", 2015, 2018)
    result = explorer.transform(tidy, "en", base="2015")  # DBBCT-02 admitted 0 in 2015
    assert set(result.frame["unit_code"]) == {"DBBCT-01"}
    assert _value(result.frame, "DBBCT-01", "members_admitted", "2018")["value"] == 500  # 5 / 1
    assert list(result.left_out["reason"]) == ["its value in 2015 is 0"]


# --- per household, per 100 members --------------------------------------------------------


def test_per_household_divides_by_the_units_households_of_the_same_year(
    con: Connection,
) -> None:
    units = ["917", "927"]
    tidy = explorer.fetch(con, ["poor_households"], units, "year", 2011, 2012)
    result = explorer.transform(tidy, **_per(con, "household", units, 2011, 2012))
    row = _value(result.frame, "917", "poor_households", "2012")
    assert row["value"] == pytest.approx(3093 / 32489)  # 0.0952
    assert row["value_original"] == 3093 and row["denominator_value"] == 32489
    assert row["measure"] == "hộ / hộ"
    assert row["transformation"] == "chia cho tổng số hộ của đơn vị cùng kỳ"
    # 3,093 poor households are reported; the 32,489 households illustrative.
    assert row["value_status"] == "illustrative"
    assert _value(result.frame, "927", "poor_households", "2011")["value"] == pytest.approx(
        2814 / 30632
    )
    assert result.left_out.empty


def test_per_100_members_then_index(con: Connection) -> None:
    units = ["DBBCT-01", "DBBCT-02"]
    tidy = explorer.fetch(con, ["members_admitted"], units, "year", 2015, 2018)
    per = _per(con, "members", units, 2015, 2018)
    plain = explorer.transform(tidy, **per).frame
    assert _value(plain, "DBBCT-01", "members_admitted", "2018")["value"] == pytest.approx(
        5 / 230 * 100
    )  # 2.17 admitted per 100 members
    assert _value(plain, "DBBCT-02", "members_admitted", "2016")["value"] == pytest.approx(
        1 / 143 * 100
    )
    indexed = explorer.transform(tidy, **per, base="2016").frame
    assert _value(indexed, "DBBCT-01", "members_admitted", "2018")["value"] == pytest.approx(
        (5 / 230) / (1 / 222) * 100
    )  # 482.6
    assert set(indexed["transformation"]) == {
        "chia cho số đảng viên của đơn vị cùng kỳ, × 100; "
        "chia cho giá trị kỳ 2016 của chính chuỗi đó, × 100"
    }


def test_per_denominator_says_which_combinations_have_none(con: Connection) -> None:
    units = ["917", "DBBCT-01"]
    indicators = ["poor_households", "members_admitted", "poverty_rate", "households"]
    tidy = explorer.fetch(con, indicators, units, "year", 2015, 2016, "en")
    result = explorer.transform(tidy, "en", **_per(con, "household", units, 2015, 2016, "en"))
    assert set(zip(result.frame["unit_code"], result.frame["indicator_code"], strict=True)) == {
        ("917", "poor_households")
    }
    reasons = {
        (row["unit_name"], row["indicator_name"]): (row["reason"], row["periods"])
        for row in result.left_out.to_dict("records")
    }
    every = "every period chosen"
    assert reasons == {
        ("O Mon District", "Poverty rate"): ("a rate, flag or duration: not divided", every),
        ("O Mon District", "Total households"): ("is the denominator itself", every),
        ("Party Organisation of the Ministry Office", "New party members admitted"): (
            "no “Total households” of the unit for the same period (or zero)",
            "2015, 2016",
        ),
    }


def test_qualifiers_and_statuses_of_a_quotient() -> None:
    assert explorer.divided_qualifier(None, None) is None
    assert explorer.divided_qualifier("lower_bound", None) == "lower_bound"
    assert explorer.divided_qualifier(None, "lower_bound") == "upper_bound"  # x / (>b) < x/b
    assert explorer.divided_qualifier(None, "upper_bound") == "lower_bound"
    assert explorer.divided_qualifier("lower_bound", "upper_bound") == "lower_bound"
    assert explorer.divided_qualifier("lower_bound", "lower_bound") == "approximate"
    assert explorer.divided_qualifier(None, "nearly") == "approximate"
    assert explorer.weaker_status("reported", "preliminary") == "preliminary"
    assert explorer.weaker_status("illustrative", "preliminary") == "illustrative"
    assert explorer.weaker_status(None, "reported") == "reported"


def test_a_bound_keeps_its_mark_when_indexed(con: Connection) -> None:
    # Cờ Đỏ disbursed "more than 90 %" in 2013 (a lower bound); 2012 is exact.
    tidy = explorer.fetch(con, ["capital_disbursement_rate"], ["925"], "year", 2012, 2013)
    frame = explorer.transform(tidy, base="2012").frame
    assert _value(frame, "925", "capital_disbursement_rate", "2013")["qualifier"] == "lower_bound"
    assert pd.isna(_value(frame, "925", "capital_disbursement_rate", "2012")["qualifier"])


# --- charts ---------------------------------------------------------------------------------


def test_one_panel_per_measure_and_marks_by_status_and_bound(con: Connection) -> None:
    units = ["925", "918-CCT"]
    indicators = ["capital_disbursement_rate", "tax_collection_vs_estimate", "capital_allocated"]
    tidy = explorer.fetch(con, indicators, units, "year", 2010, 2014)
    frame = explorer.transform(tidy).frame
    campaigns = explorer.campaigns(con, units)
    lines = explorer.figures(frame, "lines", campaigns=campaigns)
    assert len(lines) == 2  # % and million VND
    assert [fig.layout.yaxis.title.text for fig in lines] == ["%", "triệu đồng"]
    percent = lines[0]
    traces = {trace.name: trace for trace in percent.data}
    rate = traces["Huyện Cờ Đỏ · Tỷ lệ giải ngân vốn đầu tư công"]
    symbols = dict(zip([str(x)[:4] for x in rate.x], rate.marker.symbol, strict=True))
    assert symbols["2013"] == "triangle-up"  # "hơn 90 %"
    assert symbols["2010"] == "circle-open"  # illustrative
    legend = {trace.name for trace in percent.data}
    assert "Cận dưới (“hơn”, “trên”): số thật lớn hơn" in legend
    assert "Số liệu minh họa" in legend
    shaded = {shape.name for shape in percent.layout.shapes}
    assert "campaign NQTW4-XI-2012" in shaded
    bars = explorer.figures(frame, "bars")
    bar = next(t for t in bars[0].data if t.name == rate.name)
    assert bar.type == "bar" and "/" in bar.marker.pattern.shape  # illustrative hatched
    assert "▲" in bar.text
    indexed = explorer.transform(tidy, base="2012").frame
    assert len(explorer.figures(indexed, "lines")) == 1  # one measure: the index


def test_a_chart_draws_the_first_series_and_lists_the_others(con: Connection) -> None:
    units = ["916", "917", "918", "919"]
    frame = explorer.transform(
        explorer.fetch(con, ["poverty_rate"], units, "year", 2010, 2012)
    ).frame
    drawn, left = explorer.first_series(frame, limit=3)
    assert list(dict.fromkeys(drawn["unit_code"])) == ["916", "917", "918"]
    assert list(left["unit_name"]) == ["Quận Cái Răng"]
    assert "3 chuỗi đầu" in left["reason"].iloc[0]


# --- the table shown is the file downloaded -------------------------------------------------


def _read_csv(data: bytes, shown: pd.DataFrame) -> pd.DataFrame:
    text = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(text.columns) == list(shown.columns)
    for column in explorer.value_columns(shown):
        text[column] = pd.to_numeric(text[column].replace("", None)).astype("float64")
    return text


def _read_xlsx(data: bytes, shown: pd.DataFrame) -> pd.DataFrame:
    book = load_workbook(io.BytesIO(data), read_only=True)
    (sheet,) = book.worksheets
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == list(shown.columns)
    frame = pd.DataFrame(rows, columns=list(shown.columns))
    numbers = set(explorer.value_columns(shown))
    for column in frame.columns:
        if column in numbers:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        else:
            frame[column] = [("" if pd.isna(value) else str(value)) for value in frame[column]]
    return frame


def _same(read: pd.DataFrame, shown: pd.DataFrame) -> None:
    assert list(read.columns) == list(shown.columns) and len(read) == len(shown)
    numbers = set(explorer.value_columns(shown))
    for column in shown.columns:
        if column in numbers:
            pd.testing.assert_series_equal(
                read[column].reset_index(drop=True),
                shown[column].reset_index(drop=True),
                check_names=False,
            )
        else:
            assert [str(v) for v in read[column]] == [str(v) for v in shown[column]], column


@pytest.mark.parametrize(
    ("display", "layout"),
    [("lines", "tidy"), ("bars", "tidy"), ("table", "tidy"), ("table", "pivot")],
)
def test_the_files_hold_exactly_the_table_shown(con: Connection, display: str, layout: str) -> None:
    units = ["917", "927"]
    tidy = explorer.fetch(con, ["poor_households", "poverty_rate"], units, "year", 2009, 2013)
    result = explorer.transform(tidy, **_per(con, "household", units, 2009, 2013), base="2012")
    shown = explorer.shown_table(result.frame, display, layout, transformed=True)
    assert not shown.empty
    assert "Cách tính" in shown.columns
    if layout == "tidy":
        assert {"Giá trị", "Giá trị gốc", "Mẫu số", "Loại số liệu"} <= set(shown.columns)
    else:
        assert "2012" in shown.columns and len(shown) == 2  # poverty rate is not divided

    _same(_read_csv(explorer.to_csv_bytes(shown), shown), shown)
    _same(_read_xlsx(explorer.to_xlsx_bytes(shown, "Bảng"), shown), shown)
    parquet = pq.read_table(io.BytesIO(explorer.to_parquet_bytes(shown))).to_pandas()
    _same(parquet, shown)
    pd.testing.assert_frame_equal(parquet, shown, check_dtype=False)


def test_the_table_as_reported_keeps_its_target_and_source(con: Connection) -> None:
    tidy = explorer.fetch(con, ["poverty_rate"], ["917"], "year", 2012, 2012)
    shown = explorer.shown_table(explorer.transform(tidy, "en").frame, "table", "tidy", "en")
    assert list(shown.columns) == [
        "Unit", "Indicator", "Period", "Qualifier", "Value", "Measure", "Kind of figure",
        "Transformation", "Target", "Note", "Source file",
    ]  # fmt: skip
    assert shown.iloc[0]["Value"] == 9.52 and shown.iloc[0]["Transformation"] == "as reported"


def test_small_quotients_keep_three_significant_digits() -> None:
    assert explorer.format_cell(3093 / 32489) == "0,0952"
    assert explorer.format_cell(0.5, "en") == "0.5"
    assert explorer.format_cell(482.6087) == "482,61"
    assert explorer.format_cell(float("nan")) == "—"


def test_the_logic_does_not_import_streamlit() -> None:
    code = (
        "import sys, dashboard.explorer, dashboard.sql_box; "
        "sys.exit(1 if 'streamlit' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0
