"""The explorer page through AppTest: lines, bars and the table; index to 100 and per
household; every choice in the URL; the SQL box with a parameter, and its refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_app

PAGE = "views/explore.py"
CAN_THO = {"indicators": "poverty_rate", "units": "917,918,927", "years": "2006-2016"}


def _open(**params: str) -> AppTest:
    return open_app(PAGE, params)


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(sample_db))
    return _open


def _figures(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _table(at: AppTest, *headers: str) -> pd.DataFrame:
    """The first table shown with all these headers (the explorer's own: "Cách tính")."""
    wanted = set(headers or ("Cách tính",))
    return next(frame.value for frame in at.dataframe if wanted <= set(frame.value.columns))


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error]
    return "\n".join(str(element.value) for element in parts)


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_lines_one_per_unit_with_marks_and_campaigns(app: Callable[..., AppTest]) -> None:
    at = app(**CAN_THO)
    _ok(at)
    assert at.radio(key="display").value == "lines"  # a first visit draws lines
    (figure,) = _figures(at)
    lines = [trace for trace in figure["data"] if trace.get("mode") == "lines+markers"]
    assert [trace["name"] for trace in lines] == ["Quận Ô Môn", "Quận Bình Thủy", "Huyện Thới Lai"]
    legend = {trace.get("name") for trace in figure["data"]}
    assert {"Số liệu báo cáo", "Số liệu minh họa"} <= legend  # hollow = illustrative
    shapes = {shape.get("name") for shape in figure["layout"].get("shapes", [])}
    assert "campaign NQTW4-XI-2012" in shapes
    assert at.multiselect(key="campaigns").value == [
        "NQTW4-XI-2012", "NQTW4-XII-2016", "RESTRUCTURE-2025",
    ]  # fmt: skip
    chart_data = _table(at)  # the chart's figures, in the expander
    assert len(chart_data) == 11 + 11 + 8 and "Cách tính" in chart_data.columns
    assert [button.key for button in at.get("download_button")] == [
        "download_csv", "download_xlsx", "download_parquet",
    ]  # fmt: skip

    at.multiselect(key="campaigns").set_value(["NQTW4-XII-2016"]).run()
    shapes = {shape.get("name") for shape in _figures(at)[0]["layout"].get("shapes", [])}
    assert "campaign NQTW4-XI-2012" not in shapes
    assert at.query_params["campaigns"] == "NQTW4-XII-2016"


def test_bars_grouped_by_period(app: Callable[..., AppTest]) -> None:
    at = app(**CAN_THO, display="bars")
    _ok(at)
    (figure,) = _figures(at)
    bars = [trace for trace in figure["data"] if trace["type"] == "bar" and "customdata" in trace]
    assert len(bars) == 3 and figure["layout"]["barmode"] == "group"
    assert any("/" in trace["marker"]["pattern"]["shape"] for trace in bars)  # illustrative


def test_different_measures_get_a_chart_each(app: Callable[..., AppTest]) -> None:
    at = app(indicators="poverty_rate,poor_households", units="917", years="2010-2014")
    _ok(at)
    figures = _figures(at)
    assert [figure["layout"]["yaxis"]["title"]["text"] for figure in figures] == ["%", "hộ"]
    assert "mỗi đơn vị tính một biểu đồ (2 biểu đồ)" in _texts(at)


def test_the_table_by_year_and_one_row_per_value(app: Callable[..., AppTest]) -> None:
    at = app(**CAN_THO, display="table", view="pivot")
    _ok(at)
    assert not at.get("plotly_chart")
    wide = _table(at)
    assert list(wide["Đơn vị"]) == ["Quận Ô Môn", "Quận Bình Thủy", "Huyện Thới Lai"]
    assert wide.loc[0, "2012"] == 9.52
    at.radio(key="view").set_value("tidy").run()
    tidy = _table(at)
    assert len(tidy) == 30 and {"Kỳ", "Giá trị", "Tệp nguồn"} <= set(tidy.columns)
    assert at.query_params["view"] == "tidy"


def test_index_to_100_lists_the_series_left_out(app: Callable[..., AppTest]) -> None:
    at = app(**CAN_THO, display="table", view="pivot")
    at.selectbox(key="base").set_value("2008").run()  # Thới Lai reports from 2009
    _ok(at)
    wide = _table(at)
    assert list(wide["Đơn vị"]) == ["Quận Ô Môn", "Quận Bình Thủy"]
    assert set(wide["2008"]) == {100.0}
    assert set(wide["Đơn vị tính"]) == {"chỉ số (2008 = 100)"}
    assert at.query_params["base"] == "2008"
    assert "1 chuỗi hoặc nhóm giá trị không hiển thị" in _texts(at)
    left = _table(at, "Lý do")
    assert left.to_dict("records") == [
        {
            "Đơn vị": "Huyện Thới Lai",
            "Chỉ tiêu": "Tỷ lệ hộ nghèo",
            "Lý do": "không có giá trị kỳ 2008",
            "Các kỳ": "mọi kỳ đã chọn",
        }
    ]


def test_per_household_says_what_has_no_denominator(app: Callable[..., AppTest]) -> None:
    at = app(
        indicators="poor_households,poverty_rate",
        units="917",
        years="2012-2012",
        display="table",
        view="tidy",
        per="household",
    )
    _ok(at)
    (row,) = _table(at).to_dict("records")
    assert row["Giá trị"] == pytest.approx(3093 / 32489)
    assert row["Đơn vị tính"] == "hộ / hộ" and row["Mẫu số"] == 32489
    assert list(_table(at, "Lý do")["Chỉ tiêu"]) == ["Tỷ lệ hộ nghèo"]


def test_the_url_keeps_every_choice(app: Callable[..., AppTest]) -> None:
    at = app(**CAN_THO)
    at.radio(key="display").set_value("bars").run()
    at.selectbox(key="per").set_value("household").run()
    at.selectbox(key="base").set_value("2010").run()
    _ok(at)
    params = {name: at.query_params[name] for name in ("display", "per", "base", "period_type")}
    assert params == {"display": "bars", "per": "household", "base": "2010", "period_type": "year"}
    assert at.query_params["units"] == "917,918,927"

    again = _open(**{name: str(at.query_params[name]) for name in at.query_params})
    _ok(again)
    assert again.radio(key="display").value == "bars"
    assert again.selectbox(key="per").value == "household"
    assert again.selectbox(key="base").value == "2010"
    assert [c.proto.spec for c in again.get("plotly_chart")] == [
        c.proto.spec for c in at.get("plotly_chart")
    ]


def test_half_years_as_their_own_period_type(app: Callable[..., AppTest]) -> None:
    at = app(indicators="party_members", units="DBBCT-01,DBBCT-02", period_type="half")
    _ok(at)
    assert at.selectbox(key="period_type").options == ["Năm", "6 tháng"]
    assert list(_table(at)["Kỳ"]) == ["6 tháng đầu 2025", "6 tháng đầu 2025"]


def test_the_sql_box_runs_a_query_with_a_parameter(app: Callable[..., AppTest]) -> None:
    at = app(**CAN_THO)
    sql = (
        "SELECT unit_name, value FROM v_observation WHERE indicator_code = 'poverty_rate' "
        "AND unit_code = $unit AND period_type = 'year' ORDER BY period_start"
    )
    at.text_area(key="sql_text").input(sql).run()
    _ok(at)
    editor = at.data_editor(key="sql_params")
    assert list(editor.value["name"]) == ["unit"]
    at.session_state["sql_params"] = {
        "edited_rows": {0: {"value": "917"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="sql_run").click().run()
    _ok(at)
    result = _table(at, "unit_name", "value")
    assert set(result["unit_name"]) == {"Quận Ô Môn"} and len(result) == 11
    assert result["value"].iloc[6] == 9.52  # 2012
    assert "11 dòng" in _texts(at)
    keys = [button.key for button in at.get("download_button")]
    assert {"sql_download_csv", "sql_download_xlsx", "sql_download_parquet"} <= set(keys)


def test_a_refused_statement_says_why_without_a_traceback(app: Callable[..., AppTest]) -> None:
    at = app(**CAN_THO)
    at.text_area(key="sql_text").input("DROP TABLE unit").run()
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert [error.value for error in at.error] == [
        "Chỉ được chạy câu lệnh SELECT (đọc dữ liệu); câu lệnh DROP bị từ chối."
    ]
    at.text_area(key="sql_text").input("SELECT * FROM read_csv('/etc/passwd')").run()
    assert "lần chạy trước" in _texts(at)  # the old message belongs to the old statement
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert "Không được dùng hàm bảng `read_csv`" in at.error[0].value
