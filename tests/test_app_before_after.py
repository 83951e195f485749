"""The before/after page through AppTest: the interrupted time series of one series, the
units below compared (each one's estimate, difference-in-differences, event study), and
every choice kept in the link.

The numbers the page shows are checked against :mod:`dashboard.its` and
:mod:`dashboard.panel` run in the test on the same figures, read from the warehouse by
:mod:`dashboard.queries`. The sample warehouse lacks a campaign covering part of a unit's
children and any quarterly series, so :func:`extra_db` adds both through the ETL: a
campaign scoped to four of Cần Thơ's nine districts (the catalogue loader, as
``etl init`` runs it, on a copy of ``data/`` with that row added) and party admissions of
three districts by quarter, 2009–2016, plus Ô Môn's yearly totals, and a merged party
organisation's own admissions 2025–2028 after its predecessor's (``etl load``).
"""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from dashboard import before_after_view as bav
from dashboard import its, its_charts, panel, queries
from dashboard.formatting import format_change, format_number, format_value
from etl.catalogue import DATA_DIR, load_catalogue
from etl.cli import main as etl_main
from etl.warehouse import open_warehouse
from tests.apptest import open_app

PAGE = "views/before_after.py"
REVIEW_2012 = ("2012-08-01", "2012-12-31")  # NQTW4-XI-2012, as data/campaigns.csv says
PILOT = "PILOT-2012"
PILOT_SCOPE = frozenset({"916", "917", "918", "919"})
CAN_THO_DISTRICTS = ["916", "917", "918", "919", "923", "924", "925", "926", "927"]
QUARTERLY_UNITS = {"916": "Quận Ninh Kiều", "917": "Quận Ô Môn", "918": "Quận Bình Thủy"}


def _open(**params: str) -> AppTest:
    return open_app(PAGE, params)


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(sample_db))
    return _open


def _admitted(unit: str, quarter: int, year: int) -> int:
    """Party members admitted in a quarter: a level per district, a third more in the
    fourth quarter, a fifth fewer after 2012, a slow rise and a fixed ripple."""
    base = {"916": 30.0, "917": 20.0, "918": 25.0}[unit] * (1.3 if quarter == 4 else 1.0)
    mean = base * (0.8 if year >= 2013 else 1.0) * (1 + 0.01 * (year - 2009))
    ripple = [3, -2, 1, 0, -1, 2, -3, 1][(year - 2009 + quarter) % 8]
    return round(mean) + ripple


# The market agency's party organisation (DBBCT-11) continues DBBCT-03 from 01/03/2025;
# its own yearly admissions after the 2025 reorganisation.
MARKET_AGENCY_NAME = "Đảng bộ Cục Quản lý và Phát triển thị trường trong nước"
MARKET_AGENCY = {2025: 12, 2026: 16, 2027: 17, 2028: 19}
QUARTERS = [(quarter, year) for year in range(2009, 2017) for quarter in range(1, 5)]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@pytest.fixture(scope="module")
def extra_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("before_after")
    db = folder / "warehouse.duckdb"
    db.write_bytes(sample_db.read_bytes())
    catalogue = folder / "data"
    catalogue.mkdir()
    for name in ("units.csv", "indicators.csv"):
        shutil.copy(DATA_DIR / name, catalogue / name)
    campaigns = (DATA_DIR / "campaigns.csv").read_text(encoding="utf-8")
    campaigns += (
        f"{PILOT},Thí điểm kiểm điểm ở bốn quận,Pilot review in four districts,"
        f"2012-08-01,2012-12-31,{'|'.join(sorted(PILOT_SCOPE))},review,test campaign\n"
    )
    (catalogue / "campaigns.csv").write_text(campaigns, encoding="utf-8")
    con = open_warehouse(db)
    try:
        con.execute("BEGIN TRANSACTION")
        load_catalogue(con, catalogue)
        con.execute("COMMIT")
    finally:
        con.close()
    book = Workbook()
    quarterly = book.active
    quarterly.append(["Chỉ tiêu: Số đảng viên kết nạp mới"])
    quarterly.append(["Đơn vị", *[f"Quý {ROMAN[q]}/{y}" for q, y in QUARTERS]])
    for code, name in QUARTERLY_UNITS.items():
        quarterly.append([name, *[_admitted(code, q, y) for q, y in QUARTERS]])
    yearly = book.create_sheet("Năm")
    yearly.append(["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"])
    for year in range(2009, 2017):
        total = sum(_admitted("917", q, year) for q in range(1, 5))
        yearly.append(["Quận Ô Môn", "Số đảng viên kết nạp mới", year, total])
    for year, count in MARKET_AGENCY.items():  # after its reorganisation on 01/03/2025
        yearly.append([MARKET_AGENCY_NAME, "Số đảng viên kết nạp mới", year, count])
    report = folder / "ket_nap_theo_quy.xlsx"
    book.save(report)
    assert etl_main(["load", str(report), "--db", str(db)]) == 0
    return db


@pytest.fixture
def extra_app(extra_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(extra_db))
    return _open


# --- reading what the page shows -----------------------------------------------------------


# The headers that tell the page's tables apart (st.dataframe exposes no key to AppTest).
HEADERS = {
    "ba_table": "Các năm",
    "its_table": "Cận dưới (95%)",
    "units_table": "Lý do không ước lượng",
    "did_table": "Trung bình trước",
}


def _table(at: AppTest, key: str) -> pd.DataFrame:
    """The table shown as ``key`` (a data editor by its key, the others by a header)."""
    if key in HEADERS:
        found = [frame for frame in at.dataframe if HEADERS[key] in frame.value.columns]
    else:
        found = [frame for frame in at.data_editor if frame.key == key]
    assert len(found) == 1, f"{len(found)} tables {key}"
    return found[0].value


def _has_table(at: AppTest, key: str) -> bool:
    return any(HEADERS[key] in frame.value.columns for frame in at.dataframe)


def _figure(at: AppTest, key: str) -> dict[str, Any]:
    (chart,) = [chart for chart in at.get("plotly_chart") if chart.key == key]
    return json.loads(chart.proto.spec)


def _charts(at: AppTest) -> list[str]:
    return [str(chart.key) for chart in at.get("plotly_chart")]


def _markdown(at: AppTest) -> list[str]:
    return [str(element.value) for element in at.markdown]


def _texts(at: AppTest, *kinds: str) -> str:
    kinds = kinds or ("markdown", "caption", "info", "warning", "error", "success")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(at, kind))


def _series(db: Path, unit: str, indicator: str, period_type: str = "year") -> pd.DataFrame:
    with queries.reader(db) as con:
        return queries.continued_unit_series(con, unit, indicator, period_type)


def _children(db: Path, parent: str, indicator: str) -> pd.DataFrame:
    with queries.reader(db) as con:
        return queries.children_series(con, parent, indicator, include_parent=False)


def _estimates(result: its.ITSResult) -> list[float]:
    """Level change, slope change and earlier trend, each with its interval, in a row."""
    assert result.level and result.slope and result.pre_slope
    estimates = (result.level, result.slope, result.pre_slope)
    return [number for e in estimates for number in (e.value, e.low, e.high)]


def _shown_estimates(at: AppTest) -> list[float]:
    table = _table(at, "its_table")
    assert list(table.columns[:4]) == ["Ước lượng", "Giá trị", "Cận dưới (95%)", "Cận trên (95%)"]
    return table.iloc[:, 1:4].astype(float).to_numpy().ravel().tolist()


# --- one series ----------------------------------------------------------------------------


def test_the_estimates_shown_are_the_interrupted_time_series_of_the_series(
    app: Callable[..., AppTest], sample_db: Path
) -> None:
    """Ô Môn's poverty rate around the 2012 review: the page's level change, slope change
    and earlier trend with their intervals are :func:`its.analyse` on the continued series,
    the means those of the same years, the chart its curve."""
    at = app(unit="917", indicator="poverty_rate", campaign="NQTW4-XI-2012")
    assert not at.exception, [e.value for e in at.exception]
    expected = its.analyse(_series(sample_db, "917", "poverty_rate"), *REVIEW_2012, kind="rate")
    assert expected.ok and expected.model == "gaussian"
    assert _shown_estimates(at) == pytest.approx(_estimates(expected), rel=1e-9)
    table = _table(at, "its_table")
    assert expected.level and expected.slope and expected.pre_slope
    assert list(table.iloc[:, 4]) == [
        "có" if e.includes_no_change else "không"
        for e in (expected.level, expected.slope, expected.pre_slope)
    ]
    # the means before and after, their change and relative change
    means = _table(at, "ba_table")
    assert list(means["Kết quả"][:2]) == [
        format_value(expected.mean_before, "vi", measure="%"),
        format_value(expected.mean_after, "vi", measure="%"),
    ]
    assert means["Kỳ"].tolist() == [
        "Trung bình trước đợt",
        "Trung bình sau đợt",
        "Thay đổi",
        "Thay đổi tương đối",
    ]  # the rough trend of dashboard.stats gave way to the model
    assert expected.relative_change is not None
    assert means["Kết quả"][3] == format_change(expected.relative_change, "vi", points=False)
    text = _texts(at, "caption")
    assert "6 kỳ trước, 4 kỳ sau đợt; kỳ trong đợt không dùng: 1" in text
    # the chart: observed values, the fit, the earlier trend carried on with its band
    assert _charts(at) == ["series_chart", "its_chart"]
    figure = _figure(at, "its_chart")
    names = [trace.get("name") for trace in figure["data"]]
    assert "Xu hướng trước đợt kéo dài (nếu không có đợt)" in names
    assert "Khoảng tin cậy 95% của xu hướng" in names
    assert "campaign NQTW4-XI-2012" in [s.get("name") for s in figure["layout"]["shapes"]]
    counterfactual = next(
        trace for trace in figure["data"] if trace.get("name", "").startswith("Xu hướng trước")
    )
    assert _numbers(counterfactual["y"]) == pytest.approx(
        expected.curve["counterfactual"].dropna().tolist()
    )


def _numbers(values: Any) -> list[float]:
    """A trace's numbers: a list, or Plotly's typed array ``{"dtype", "bdata"}``."""
    if isinstance(values, dict):
        data = base64.b64decode(values["bdata"])
        return np.frombuffer(data, dtype=values["dtype"]).tolist()
    return [float(v) for v in values]


def test_the_sentence_says_what_the_estimate_means_in_both_languages(
    app: Callable[..., AppTest], sample_db: Path
) -> None:
    series = _series(sample_db, "917", "poverty_rate")
    result = its.analyse(series, *REVIEW_2012, kind="rate")
    for lang, name, campaign, fragment in (
        ("vi", "Tỷ lệ hộ nghèo", "đợt kiểm điểm NQTW4-XI-2012", "giảm thêm 1,89 điểm phần trăm"),
        (
            "en",
            "Poverty rate",
            "the review campaign NQTW4-XI-2012",
            "fell 1.89 percentage points below its earlier trend",
        ),
    ):
        at = app(unit="917", indicator="poverty_rate", campaign="NQTW4-XI-2012", lang=lang)
        assert not at.exception
        full = its.sentence(result, name, lang, measure="%", kind="rate", campaign=campaign)
        cautions = its.cautions(result, lang)
        shown = [text for text in _markdown(at) if text.startswith(("Sau ", "After "))]
        assert len(shown) == 1 and fragment in shown[0]
        assert f"{shown[0]} {' '.join(cautions)}" == full
        # six years before, four after: thin; nine of the values illustrative
        warnings = _texts(at, "warning")
        assert len(cautions) == 2 and all(caution in warnings for caution in cautions)


def test_a_thin_series_is_refused_with_its_reason(app: Callable[..., AppTest]) -> None:
    """The ministry's office reported admissions from 2015: one year before the 2016-17
    campaign. No numbers, the reason instead; the means are still shown."""
    at = app(unit="DBBCT-01", indicator="members_admitted", campaign="NQTW4-XII-2016")
    assert not at.exception
    warnings = _texts(at, "warning")
    assert (
        "Không ước lượng mô hình: Chưa đủ số liệu trước đợt: có 1 kỳ, cần ít nhất 3 kỳ để "
        "ước lượng xu hướng trước đó. Hãy chọn thêm kỳ trước đợt."
    ) in warnings
    assert not _has_table(at, "its_table")
    assert "its_chart" not in _charts(at)
    assert list(_table(at, "ba_table")["Các năm"][:2]) == ["2015", "2018–2024"]
    # A leaf: nothing below it to compare.
    assert any("không có đơn vị trực thuộc" in info.value for info in at.info)

    # Two years each side of Ô Môn's 2012 review: refused too, in English.
    at = app(unit="917", indicator="poverty_rate", campaign="NQTW4-XI-2012", span="2", lang="en")
    assert "No model estimate: Too few figures before the campaign: 2 periods" in _texts(
        at, "warning"
    )


def test_counts_get_rate_ratios_and_the_model_can_be_chosen(
    app: Callable[..., AppTest], sample_db: Path
) -> None:
    """Ô Môn's poor households are a count: a log-link model with rate ratios (negative
    binomial when Poisson is overdispersed), or Poisson, or linear, as chosen."""
    series = _series(sample_db, "917", "poor_households")
    at = app(unit="917", indicator="poor_households", campaign="NQTW4-XI-2012")
    assert not at.exception
    automatic = its.analyse(series, *REVIEW_2012, kind="count")
    assert automatic.ratio
    assert _shown_estimates(at) == pytest.approx(_estimates(automatic), rel=1e-9)
    assert _table(at, "its_table").iloc[0, 0] == "Tỷ số tỷ suất: thay đổi mức tại đợt"
    assert "tỷ số" in " ".join(_markdown(at))
    assert at.selectbox(key="model").value == "auto"
    assert f"Mô hình: {its.model_label(automatic, 'vi')};" in _texts(at, "caption")

    at.selectbox(key="model").set_value("gaussian").run()
    linear = its.analyse(series, *REVIEW_2012, kind="count", family="gaussian")
    assert _shown_estimates(at) == pytest.approx(_estimates(linear), rel=1e-9)
    assert _table(at, "its_table").iloc[0, 0] == "Thay đổi mức tại đợt"
    assert at.query_params["model"] == "gaussian"


def test_leaving_the_window_in_and_fewer_years_change_the_model(
    app: Callable[..., AppTest], sample_db: Path
) -> None:
    series = _series(sample_db, "917", "poverty_rate")
    at = app(unit="917", indicator="poverty_rate", campaign="NQTW4-XI-2012")
    assert at.checkbox(key="drop_window").value is True
    at.checkbox(key="drop_window").uncheck().run()
    kept = its.analyse(series, *REVIEW_2012, kind="rate", drop_window=False)
    assert _shown_estimates(at) == pytest.approx(_estimates(kept), rel=1e-9)
    assert "kỳ trong đợt tính là sau đợt: 1" in _texts(at, "caption")
    assert at.query_params["drop_window"] == "0"

    at.selectbox(key="span").set_value("4").run()
    near = its.analyse(series, *REVIEW_2012, kind="rate", drop_window=False, before=4, after=4)
    assert _shown_estimates(at) == pytest.approx(_estimates(near), rel=1e-9)
    assert near.level is not None and kept.level is not None
    assert near.level.value != pytest.approx(kept.level.value)


def test_a_group_of_units_is_combined_by_the_indicators_rule(
    app: Callable[..., AppTest], sample_db: Path
) -> None:
    """Ô Môn with Bình Thủy and Cờ Đỏ: their poverty rate is Σ poor / Σ households (never a
    mean of rates), analysed as one series; the members are the units compared."""
    at = app(unit="917", indicator="poverty_rate", campaign="NQTW4-XI-2012", group="918,925")
    assert not at.exception
    with queries.reader(sample_db) as con:
        combined = its.group_series(con, ["917", "918", "925"], "poverty_rate")
    expected = its.analyse(combined, *REVIEW_2012, kind="rate")
    assert _shown_estimates(at) == pytest.approx(_estimates(expected), rel=1e-9)
    units = _table(at, "units_table")
    assert set(units["Đơn vị"]) == {"Quận Ô Môn", "Quận Bình Thủy", "Huyện Cờ Đỏ"}
    assert "So sánh các đơn vị trong nhóm" in [h.value for h in at.subheader]
    # Neither Cần Thơ (above Ô Môn) nor a unit below it can join: it would count twice.
    options = at.multiselect(key="group").options
    assert "Quận Bình Thủy" in options and "Thành phố Cần Thơ" not in options

    # Two members one above the other: refused, with the pair named.
    at = app(unit="917", indicator="poverty_rate", group="918,31171")
    assert not at.exception
    assert "Nhóm không được có cả một đơn vị và đơn vị cấp trên của nó" in _texts(at, "info")
    assert "thuộc Quận Bình Thủy" in _texts(at, "info")
    assert "its_chart" not in _charts(at)


def test_a_quarterly_series_gets_seasonal_terms(
    extra_app: Callable[..., AppTest], extra_db: Path
) -> None:
    """Ô Môn's admissions by quarter: the period type is offered beside the years, the
    count model takes one dummy per quarter but the first, and the districts' quarterly
    series are compared below Cần Thơ."""
    at = extra_app(unit="917", indicator="members_admitted", campaign="NQTW4-XI-2012")
    assert not at.exception
    assert at.selectbox(key="periods").options == ["Năm", "Quý"]
    yearly = its.analyse(_series(extra_db, "917", "members_admitted"), *REVIEW_2012, kind="count")
    assert yearly.ok and _shown_estimates(at) == pytest.approx(_estimates(yearly), rel=1e-9)

    at.selectbox(key="periods").set_value("quarter").run()
    assert not at.exception
    series = _series(extra_db, "917", "members_admitted", "quarter")
    expected = its.analyse(series, *REVIEW_2012, period_type="quarter", kind="count")
    assert expected.ok and expected.seasonal and len(series) == 32
    assert _shown_estimates(at) == pytest.approx(_estimates(expected), rel=1e-9)
    assert "14 kỳ trước, 16 kỳ sau đợt; kỳ trong đợt không dùng: 2" in _texts(at, "caption")
    assert "có hiệu chỉnh mùa vụ" in _texts(at, "caption")
    assert _charts(at) == ["its_chart"]  # the yearly series chart is not drawn for quarters
    assert at.query_params["periods"] == "quarter"

    at = extra_app(
        unit="92", indicator="members_admitted", campaign="NQTW4-XI-2012", periods="quarter"
    )
    assert not at.exception
    units = _table(at, "units_table")
    assert sorted(units["Đơn vị"]) == sorted(QUARTERLY_UNITS.values())
    assert units["Tỷ số tỷ suất"].notna().all()


def test_the_model_chart_marks_the_2025_reorganisation(
    extra_app: Callable[..., AppTest], extra_db: Path
) -> None:
    """DBBCT-11's series is DBBCT-03's until 2024, its own from 2025: both charts mark the
    break, and the model runs on the continued series."""
    at = extra_app(unit="DBBCT-11", indicator="members_admitted", campaign="RESTRUCTURE-2025")
    assert not at.exception
    series = _series(extra_db, "DBBCT-11", "members_admitted")
    assert series["year"].tolist() == list(range(2015, 2029))
    expected = its.analyse(series, "2025-01-01", "2025-06-30", kind="count")
    assert expected.ok and (expected.n_before, expected.n_after) == (10, 3)
    assert _shown_estimates(at) == pytest.approx(_estimates(expected), rel=1e-9)
    for key in ("series_chart", "its_chart"):
        figure = _figure(at, key)
        (mark,) = [shape for shape in figure["layout"]["shapes"] if shape.get("name") == "break"]
        assert pd.Timestamp(mark["x0"]) == pd.Timestamp("2025-01-01")
        labels = [a.get("text", "") for a in figure["layout"]["annotations"]]
        assert any(label.startswith("<b>Sắp xếp 2025</b>") for label in labels)


# --- across units --------------------------------------------------------------------------


def test_every_child_has_its_estimate_and_interval_in_the_table_and_the_forest_plot(
    app: Callable[..., AppTest], sample_db: Path
) -> None:
    at = app(unit="92", indicator="poverty_rate", campaign="NQTW4-XI-2012")
    assert not at.exception
    assert at.radio(key="across").value == "units"
    frame = _children(sample_db, "92", "poverty_rate")
    expected = panel.unit_estimates(frame, *REVIEW_2012, kind="rate").set_index("unit_code")
    names = dict(zip(frame["unit_code"], frame["unit_name"], strict=False))
    units = _table(at, "units_table")
    assert len(units) == len(CAN_THO_DISTRICTS) == len(expected)
    assert sorted(units["Đơn vị"]) == sorted(names[code] for code in CAN_THO_DISTRICTS)
    by_name = units.set_index("Đơn vị")
    for code, row in expected.iterrows():
        shown = by_name.loc[names[str(code)]]
        assert shown["Thay đổi mức"] == pytest.approx(round(row["level"], 4))
        assert shown["Khoảng tin cậy 95%"] == (
            f"{format_number(row['level_low'])} – {format_number(row['level_high'])}"
        )
        assert shown["Thay đổi xu hướng/kỳ"] == pytest.approx(round(row["slope"], 4))
    levels = units["Thay đổi mức"].tolist()
    assert levels == sorted(levels)  # ordered by the level change
    figure = _figure(at, "forest_chart")
    assert len(figure["data"][0]["y"]) == len(CAN_THO_DISTRICTS)
    changed = int((expected["includes_no_change"] == False).sum())  # noqa: E712
    assert f"9 trong 9 đơn vị có ước lượng; {changed} có khoảng tin cậy" in _texts(at, "caption")


def test_did_is_unavailable_for_a_campaign_that_covered_everyone(
    app: Callable[..., AppTest],
) -> None:
    at = app(unit="92", indicator="poverty_rate", campaign="NQTW4-XI-2012", across="did")
    assert not at.exception
    assert (
        "Không tính được khác biệt kép: Đợt áp dụng cho mọi đơn vị: không có nhóm đối chứng "
        "để so sánh."
    ) in _texts(at, "info")
    assert not _has_table(at, "did_table")

    # The 2020-2025 term covers the ministry's committee: all its organisations in scope.
    at = app(unit="DBBCT", indicator="members_admitted", campaign="TERM-2020-2025", across="did")
    assert not at.exception
    assert "không có đơn vị ngoài phạm vi để đối chứng" in _texts(at, "info")


def test_did_compares_the_districts_in_a_campaigns_scope_with_the_others(
    extra_app: Callable[..., AppTest], extra_db: Path
) -> None:
    at = extra_app(unit="92", indicator="poverty_rate", campaign=PILOT, across="did")
    assert not at.exception
    assert "Đợt này chỉ áp dụng cho 4 trong 9 đơn vị được so sánh" in _texts(at, "caption")
    frame = _children(extra_db, "92", "poverty_rate")
    expected = panel.did(frame, *REVIEW_2012, PILOT_SCOPE)
    assert expected.estimate is not None and expected.low is not None
    assert expected.high is not None and expected.p_value is not None
    (sentence,) = [text for text in _markdown(at) if text.startswith("So với")]
    assert sentence.startswith("So với 5 đơn vị ngoài phạm vi đợt, tỷ lệ hộ nghèo của 4 đơn vị")
    assert (
        f"(khác biệt kép: {format_number(expected.estimate)}; khoảng tin cậy 95%: "
        f"{format_number(expected.low)} đến {format_number(expected.high)}; "
        f"p = {format_number(expected.p_value, 'vi', 3)})"
    ) in sentence
    means = _table(at, "did_table")
    assert means.iloc[:, 0].tolist() == ["Trong phạm vi đợt", "Ngoài phạm vi đợt"]
    two_by_two = expected.means.set_index(["group", "side"])["mean"]
    assert means.iloc[0, 1:3].astype(float).tolist() == pytest.approx(
        [two_by_two["treated", "before"], two_by_two["treated", "after"]]
    )


def test_the_event_study_runs_on_the_dates_entered_and_states_the_pretrend_test(
    app: Callable[..., AppTest], sample_db: Path
) -> None:
    key = "review_dates_NQTW4-XI-2012"
    at = app(unit="92", indicator="poverty_rate", campaign="NQTW4-XI-2012", across="event")
    assert not at.exception
    editor = _table(at, key)
    assert editor.index.tolist() == CAN_THO_DISTRICTS
    assert set(editor["bav_review_date"]) == {date(2012, 8, 1)}  # prefilled: the start
    assert "Báo cáo không ghi ngày kiểm điểm của từng đơn vị" in _texts(at, "caption")
    # every unit on one day and none left out: not identified, and the page says why
    assert "Mọi đơn vị có cùng một ngày kiểm điểm" in _texts(at, "info")
    assert "event_chart" not in _charts(at)

    chosen = {
        "916": "2010-06-01",
        "917": "2011-06-01",
        "919": "2013-06-01",
        "923": None,
        "924": None,
        "926": "2014-06-01",
    }
    rows = {CAN_THO_DISTRICTS.index(code): day for code, day in chosen.items()}
    at.session_state[key] = {
        "edited_rows": {row: {"bav_review_date": day} for row, day in rows.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    dates: dict[str, date | None] = dict.fromkeys(CAN_THO_DISTRICTS, date(2012, 8, 1))
    dates.update({code: date.fromisoformat(d) if d else None for code, d in chosen.items()})
    expected = panel.event_study(_children(sample_db, "92", "poverty_rate"), dates)
    assert expected.refusal is None and expected.pretrend_p is not None
    assert its_charts.pretrend_text(expected, "vi") in _markdown(at)
    assert "7 đơn vị có ngày kiểm điểm, 2 đơn vị so sánh (không có ngày)" in _texts(at, "caption")
    figure = _figure(at, "event_chart")
    assert _numbers(figure["data"][1]["y"]) == pytest.approx(
        expected.coefficients.loc[~expected.coefficients["reference"], "estimate"].tolist()
    )
    link = at.query_params["review_dates"]
    assert link == (
        "NQTW4-XI-2012|916=2010-06-01,917=2011-06-01,919=2013-06-01,923=,924=,926=2014-06-01"
    )

    # The link alone brings the same dates and the same result back.
    again = app(
        unit="92",
        indicator="poverty_rate",
        campaign="NQTW4-XI-2012",
        across="event",
        review_dates=link,
    )
    assert not again.exception
    assert _table(again, key)["bav_review_date"].tolist() == [
        dates[code] for code in CAN_THO_DISTRICTS
    ]
    assert its_charts.pretrend_text(expected, "vi") in _markdown(again)
    # Dates written for another campaign are not this one's.
    other = app(
        unit="92",
        indicator="poverty_rate",
        campaign="NQTW4-XII-2016",
        across="event",
        review_dates=link,
    )
    assert set(_table(other, "review_dates_NQTW4-XII-2016")["bav_review_date"]) == {
        date(2016, 11, 1)
    }
    assert "review_dates" not in other.query_params


def test_units_outside_a_scope_start_as_comparison_units_in_the_event_study(
    extra_app: Callable[..., AppTest],
) -> None:
    at = extra_app(unit="92", indicator="poverty_rate", campaign=PILOT, across="event")
    assert not at.exception
    editor = _table(at, f"review_dates_{PILOT}")
    expected = [date(2012, 8, 1) if code in PILOT_SCOPE else None for code in CAN_THO_DISTRICTS]
    assert editor["bav_review_date"].tolist() == expected
    assert "4 đơn vị có ngày kiểm điểm, 5 đơn vị so sánh" in _texts(at, "caption")
    assert any(text.startswith("Kiểm định xu hướng trước đợt: F = ") for text in _markdown(at))


# --- the link ------------------------------------------------------------------------------


def test_the_link_keeps_every_choice(app: Callable[..., AppTest]) -> None:
    at = app(unit="917", indicator="poverty_rate", campaign="NQTW4-XI-2012")
    at.selectbox(key="span").set_value("4").run()
    at.checkbox(key="drop_window").uncheck().run()
    at.multiselect(key="group").set_value(["918"]).run()
    at.radio(key="across").set_value("did").run()
    assert not at.exception
    params = at.query_params
    assert (params["unit"], params["indicator"], params["campaign"]) == (
        "917",
        "poverty_rate",
        "NQTW4-XI-2012",
    )
    assert (params["span"], params["drop_window"], params["group"], params["across"]) == (
        "4",
        "0",
        "918",
        "did",
    )

    again = app(**{name: str(value) for name, value in params.items()})
    assert not again.exception
    assert again.selectbox(key="span").value == "4"
    assert again.checkbox(key="drop_window").value is False
    assert again.multiselect(key="group").value == ["918"]
    assert again.radio(key="across").value == "did"
    assert _shown_estimates(again) == _shown_estimates(at)


# --- the logic behind the page -------------------------------------------------------------


def _zeros_at_the_end() -> pd.DataFrame:
    """Admissions 1, 0, 0 before a 2018 campaign: a count model's likelihood has no
    maximum there (the earlier trend falls without end)."""
    years = range(2015, 2025)
    counts = [1, 0, 0, 3, 0, 3, 0, 2, 3, 1]
    return pd.DataFrame(
        {
            "unit_code": "zeros",
            "period_start": pd.to_datetime([f"{y}-01-01" for y in years]),
            "period_end": pd.to_datetime([f"{y}-12-31" for y in years]),
            "value": np.array(counts, dtype=float),
        }
    )


def _steady(unit: str, level: float) -> pd.DataFrame:
    frame = _zeros_at_the_end().assign(unit_code=unit)
    frame["value"] = level + np.array([0, 2, -1, 1, 3, -2, 1, 0, 2, -1], dtype=float)
    return frame


def test_a_fit_that_fails_numerically_is_refused_not_raised() -> None:
    window = ("2018-01-01", "2018-12-31")
    zeros = _zeros_at_the_end()
    with pytest.raises(np.linalg.LinAlgError):  # the failure the page guards against
        its.analyse(zeros, *window, kind="count")
    result = bav.analyse(
        zeros,
        *window,
        period_type="year",
        periods=None,
        drop_window=True,
        family="auto",
        kind="count",
    )
    assert result.refusal == its.Refusal("bav_fit_failed")
    assert (result.n_before, result.n_after, result.n_window) == (3, 6, 1)

    frame = pd.concat([_steady("a", 30), zeros, _steady("b", 40)], ignore_index=True)
    table = bav.unit_estimates(frame, *window, kind="count").set_index("unit_code")
    assert table.loc["zeros", "refusal"] == "bav_fit_failed"
    fine = panel.unit_estimates(frame[frame["unit_code"] != "zeros"], *window, kind="count")
    assert table.loc[["a", "b"], "level"].tolist() == pytest.approx(fine["level"].tolist())


def test_review_dates_in_the_link_are_read_for_their_campaign_only() -> None:
    units = ["916", "917", "918"]
    default = dict.fromkeys(units, date(2012, 8, 1))
    dates = {"916": date(2013, 1, 5), "917": None, "918": date(2012, 8, 1)}
    text = bav.dates_text("NQTW4-XI-2012", dates, default)
    assert text == "NQTW4-XI-2012|916=2013-01-05,917="
    assert bav.parse_dates(text, "NQTW4-XI-2012", units) == (
        {"916": date(2013, 1, 5), "917": None},
        [],
    )
    assert bav.parse_dates(text, "NQTW4-XII-2016", units) == ({}, [])
    assert bav.parse_dates("NQTW4-XI-2012|916=soon,999=2013-01-01", "NQTW4-XI-2012", units) == (
        {},
        ["916=soon", "999=2013-01-01"],
    )
    assert bav.dates_text("NQTW4-XI-2012", default, default) is None


def test_period_types_offered_need_enough_periods(extra_db: Path) -> None:
    with queries.reader(extra_db) as con:
        # Cần Thơ: yearly poverty; its districts' quarterly admissions (32 quarters)
        assert bav.period_types(con, ["92"], "poverty_rate") == ["year"]
        assert bav.period_types(con, ["92"], "members_admitted") == ["year", "quarter"]
        assert bav.period_types(con, ["916"], "members_admitted") == ["quarter"]
        # the ministry's organisations: one half-year (2025) is too few to offer
        assert bav.period_types(con, ["DBBCT"], "party_members") == ["year"]
