"""The compare page through AppTest, on the sample warehouse (and one larger for many units).

A click on a bar is simulated as the browser reports it: the chart's selection state
(``{"selection": {"points": [{"customdata": [code, ...], ...}]}}``) sent as the widget
value of the chart's element id on the next run. AppTest has no public way to set a
Plotly selection, so :func:`_click` adds that widget state to the ones AppTest collects
itself and runs the script with them (``AppTest._run``); everything after that, the
``on_select`` callback included, is the page's real path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bench.make_warehouse import build
from dashboard import charts, compare_charts, queries
from tests.apptest import open_app

PAGE = "views/compare.py"


def _open(**params: str) -> AppTest:
    return open_app(PAGE, params)


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(sample_db))
    return _open


def _chart(at: AppTest, key: str) -> Any:
    return next(chart for chart in at.get("plotly_chart") if chart.key == key)


def _figure(at: AppTest, key: str) -> dict[str, Any]:
    return json.loads(_chart(at, key).proto.spec)


def _click(at: AppTest, code: str) -> AppTest:
    """A click on ``code``'s bar, as the browser reports it (see the module docstring)."""
    chart = _chart(at, "ranked_chart")
    point = {"curve_number": 0, "point_number": 0, "point_index": 0, "x": 1.0, "y": code}
    selection = {"points": [{**point, "customdata": [code]}], "point_indices": [0]}
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = chart.proto.id
    state.string_value = json.dumps({"selection": {**selection, "box": [], "lasso": []}})
    return at._run(states)


def _ranking(at: AppTest) -> pd.DataFrame:
    table = next(t for t in at.dataframe if {"Hạng", "Đơn vị"} <= set(t.value.columns))
    return table.value


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning]
    return "\n".join(str(element.value) for element in parts)


def _crumbs(at: AppTest) -> dict[str, str]:
    return {b.key: b.label for b in at.button if b.key and b.key.startswith("crumb_")}


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_ranking_shows_rank_movement_since_the_previous_year(
    app: Callable[..., AppTest], sample_db: Path
) -> None:
    at = _ok(app(indicator="tax_collection_vs_estimate", parent="92", year="2012"))
    # The oracle: the ranks compare_children gives for 2012 and 2011.
    with queries.reader(sample_db) as con:
        now = queries.compare_children(con, "92", "tax_collection_vs_estimate", 2012)
        before = queries.compare_children(con, "92", "tax_collection_vs_estimate", 2011)
    previous = dict(zip(before["unit_name"], before["rank"], strict=True))

    def label(name: str, rank: int) -> str:
        steps = previous[name] - rank
        return f"▲{steps}" if steps > 0 else f"▼{-steps}" if steps < 0 else "="

    expected = [label(n, r) for n, r in zip(now["unit_name"], now["rank"], strict=True)]
    assert {"▲", "▼"} <= {text[0] for text in expected}  # the sample moves both ways
    table = _ranking(at)
    assert list(table["Đơn vị"]) == list(now["unit_name"])
    assert list(table["Hạng"]) == list(now["rank"])
    assert list(table["Hạng năm trước"]) == [previous[n] for n in now["unit_name"]]
    assert list(table["So với năm trước"]) == expected
    ticks = _figure(at, "ranked_chart")["layout"]["yaxis"]["ticktext"]
    for tick, name, rank, move in zip(ticks, now["unit_name"], now["rank"], expected, strict=True):
        assert tick.startswith(f"{rank}. {name}") and f">{move}</span>" in tick
    assert "Thay đổi thứ hạng so với năm 2011" in _texts(at)


def test_a_click_goes_down_a_level_and_the_breadcrumb_back_up(
    app: Callable[..., AppTest],
) -> None:
    at = _ok(app(indicator="tax_collection_vs_estimate", parent="VN"))
    assert list(_ranking(at)["Đơn vị"]) == ["Thành phố Cần Thơ"]
    assert _crumbs(at) == {}  # the top: nothing above it
    _ok(_click(at, "92"))
    assert at.query_params["parent"] == "92"
    assert at.selectbox(key="parent").value == "92"
    assert len(_ranking(at)) == 9
    assert _crumbs(at) == {"crumb_VN": "Cả nước"}
    _ok(_click(at, "918"))  # Bình Thủy: its tax office reports
    assert at.query_params["parent"] == "918"
    assert list(_ranking(at)["Đơn vị"]) == ["Chi cục Thuế quận Bình Thủy"]
    assert _crumbs(at) == {"crumb_VN": "Cả nước", "crumb_92": "Thành phố Cần Thơ"}
    at.button(key="crumb_92").click().run()
    _ok(at)
    assert at.query_params["parent"] == "92" and len(_ranking(at)) == 9
    at.button(key="crumb_VN").click().run()
    _ok(at)
    assert at.query_params["parent"] == "VN"
    assert list(_ranking(at)["Đơn vị"]) == ["Thành phố Cần Thơ"]


def test_a_click_on_a_unit_without_units_highlights_it(app: Callable[..., AppTest]) -> None:
    at = _ok(app(indicator="poverty_rate", parent="92", year="2012"))
    _ok(_click(at, "917"))
    assert at.query_params["parent"] == "92"  # nowhere to go down to
    assert at.query_params["unit"] == "917"
    message = "Quận Ô Môn không có đơn vị trực thuộc có số liệu chỉ tiêu này"
    assert message in _texts(at)
    assert any(message in toast.value for toast in at.toast)
    figure = _figure(at, "ranked_chart")
    assert any("<b>Quận Ô Môn</b>" in tick for tick in figure["layout"]["yaxis"]["ticktext"])
    outlines = {
        code: width
        for trace in figure["data"]
        if trace["type"] == "bar"
        for code, width in zip(trace["y"], trace["marker"]["line"]["width"], strict=True)
    }
    assert outlines["917"] == 3 and outlines["916"] == 0
    again = _ok(at.run())  # the notice is said once; the highlight stays
    assert message not in _texts(again)
    assert again.query_params["unit"] == "917"


def test_the_link_restores_the_drilled_view(app: Callable[..., AppTest]) -> None:
    at = _ok(app(indicator="tax_collection_vs_estimate", parent="VN"))
    _ok(_click(at, "92"))
    at.selectbox(key="year").set_value(2014).run()
    at.radio(key="timeview").set_value("heat").run()
    at.multiselect(key="campaigns").unselect("NQTW4-XI-2012").run()
    _ok(_click(at, "917"))
    params = {name: at.query_params[name] for name in at.query_params}
    assert params["parent"] == "92" and params["year"] == "2014" and params["unit"] == "917"
    assert params["timeview"] == "heat"
    assert "NQTW4-XI-2012" not in params["campaigns"].split(",")
    again = _ok(app(**params))
    assert {name: again.query_params[name] for name in again.query_params} == params
    assert [c.proto.spec for c in again.get("plotly_chart")] == [
        c.proto.spec for c in at.get("plotly_chart")
    ]
    assert _ranking(again).equals(_ranking(at))


def _campaign_marks(figure: dict[str, Any]) -> str:
    layout = figure["layout"]
    texts = [a.get("text", "") for a in layout.get("annotations", [])]
    texts.append(layout.get("title", {}).get("subtitle", {}).get("text", ""))
    return " ".join(texts)


def _bands(figure: dict[str, Any]) -> int:
    return sum(
        1
        for shape in figure["layout"].get("shapes", [])
        if shape.get("fillcolor") == charts.CAMPAIGN_COLOR
        or shape.get("line", {}).get("color") == charts.CAMPAIGN_COLOR
    )


@pytest.mark.parametrize("view", ["lines", "multiples", "heat"])
def test_switching_a_campaign_off_removes_its_band(app: Callable[..., AppTest], view: str) -> None:
    at = _ok(app(indicator="poverty_rate", parent="92", year="2012", timeview=view))
    figure = _figure(at, "time_chart")
    assert "NQTW4-XI-2012" in _campaign_marks(figure)
    assert "NQTW4-XII-2016" in _campaign_marks(figure)
    bands = _bands(figure)
    assert bands > 0
    at.multiselect(key="campaigns").unselect("NQTW4-XI-2012").run()
    _ok(at)
    figure = _figure(at, "time_chart")
    assert "NQTW4-XI-2012" not in _campaign_marks(figure)
    assert "NQTW4-XII-2016" in _campaign_marks(figure)
    assert 0 < _bands(figure) < bands
    assert "NQTW4-XI-2012" not in at.query_params["campaigns"].split(",")


def test_small_multiples_share_one_value_axis(app: Callable[..., AppTest]) -> None:
    at = _ok(app(indicator="poverty_rate", parent="92", year="2012", timeview="multiples"))
    layout = _figure(at, "time_chart")["layout"]
    yaxes = [name for name in layout if name.startswith("yaxis")]
    assert len(yaxes) == 9  # one panel per district
    assert all(layout[name].get("matches") == "y" for name in yaxes if name != "yaxis")
    names = {trace.get("name") for trace in _figure(at, "time_chart")["data"]}
    assert "Thành phố Cần Thơ" in names  # a rate: the city's own line in every panel
    titles = [a["text"] for a in layout["annotations"]]
    assert titles[0] == f"1. {_ranking(at)['Đơn vị'].iloc[0]}"  # panels in ranking order
    data = _figure(at, "time_chart")["data"]
    symbols = {s for trace in data for s in _as_list(trace.get("marker", {}).get("symbol"))}
    assert charts.SYMBOLS["illustrative"] in symbols  # hollow: the sample is illustrative
    assert "Số liệu minh họa" in {trace.get("name") for trace in data}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def test_heat_table_colours_by_direction(app: Callable[..., AppTest], sample_db: Path) -> None:
    at = _ok(app(indicator="poverty_rate", parent="92", year="2012", timeview="heat"))
    heat = next(t for t in _figure(at, "time_chart")["data"] if t["type"] == "heatmap")
    assert heat["colorscale"][0][1] == compare_charts.GOOD  # less poverty is better
    assert heat["colorscale"][-1][1] == compare_charts.BAD
    with queries.reader(sample_db) as con:
        ranked = queries.compare_children(con, "92", "poverty_rate", 2012)
    assert heat["y"] == list(ranked["unit_code"])  # rows in ranking order
    column = heat["x"].index("2012")
    cells = [row[column] for row in heat["text"]]
    expected = [f"{v:.2f}".rstrip("0").rstrip(".").replace(".", ",") for v in ranked["value"]]
    marks = [" ○" if s == "illustrative" else "" for s in ranked["value_status"]]
    assert cells == [f"{v}{m}" for v, m in zip(expected, marks, strict=True)]
    at = _ok(app(indicator="tax_collection_vs_estimate", parent="92", timeview="heat"))
    heat = next(t for t in _figure(at, "time_chart")["data"] if t["type"] == "heatmap")
    assert heat["colorscale"][0][1] == compare_charts.BAD  # higher is better: low is red


def test_the_target_is_a_line_beside_the_parents_value(app: Callable[..., AppTest]) -> None:
    at = _ok(app(indicator="tax_collection_vs_estimate", parent="92", year="2012"))
    layout = _figure(at, "ranked_chart")["layout"]
    texts = [a["text"] for a in layout["annotations"]]
    assert "Mục tiêu: 100 %" in texts
    assert any(text.startswith("Thành phố Cần Thơ: ") for text in texts)
    lines = {(s["line"]["color"], s.get("x0")) for s in layout["shapes"] if s["type"] == "line"}
    assert (charts.TARGET_COLOR, 100) in lines
    assert any(color == charts.PARENT_COLOR for color, _ in lines)
    english = _ok(app(indicator="tax_collection_vs_estimate", parent="92", year="2012", lang="en"))
    texts = [a["text"] for a in _figure(english, "ranked_chart")["layout"]["annotations"]]
    assert "Target: 100 %" in texts


def test_says_when_values_are_illustrative_or_bounds(app: Callable[..., AppTest]) -> None:
    at = _ok(app(indicator="poverty_rate", parent="92", year="2012"))
    assert "⚠ 8 trong 9 giá trị là số liệu minh họa" in _texts(at)
    at = _ok(app(indicator="tax_collection_vs_estimate", parent="918", year="2012"))
    assert "Chi cục Thuế quận Bình Thủy: hơn 80 %" in _texts(at)
    bars = [t for t in _figure(at, "ranked_chart")["data"] if t["type"] == "bar"]
    assert bars[0]["text"] == ["hơn 80 %"]


def test_many_units_are_drawn_first_and_last(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "larger.duckdb"
    build(db, scale=10, sample=sample_db)  # the ministry's committee gets 53 organisations
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    at = _ok(_open(indicator="party_members", parent="DBBCT"))
    table = _ranking(at)
    assert len(table) == 53
    figure = _figure(at, "ranked_chart")
    shown = [code for trace in figure["data"] if trace["type"] == "bar" for code in trace["y"]]
    ranked_codes = figure["layout"]["yaxis"]["tickvals"]
    assert len(shown) == 24 and len(ranked_codes) == 24
    names = list(table["Đơn vị"])
    ticks = figure["layout"]["yaxis"]["ticktext"]
    assert [tick.split(". ", 1)[1].split("  <span")[0] for tick in ticks] == (
        names[:12] + names[-12:]
    )
    assert "Biểu đồ hiển thị 24 trong 53 đơn vị" in _texts(at)
    # A count: the committee's total is said, not drawn among its organisations' bars.
    assert not [s for s in figure["layout"].get("shapes", []) if s["type"] == "line"]
    assert "Đảng bộ Bộ Công Thương (cả đơn vị): " in _texts(at)
    at.radio(key="timeview").set_value("multiples").run()
    multiples = _figure(_ok(at), "time_chart")
    assert len([name for name in multiples["layout"] if name.startswith("xaxis")]) == 24
    assert "Đảng bộ Bộ Công Thương" not in {trace.get("name") for trace in multiples["data"]}
    # A highlighted unit from the middle of the ranking is drawn too, and said so.
    year = int(at.query_params["year"])
    with queries.reader(db) as con:
        middle = queries.compare_children(con, "DBBCT", "party_members", year)["unit_code"][20]
    at = _ok(_open(indicator="party_members", parent="DBBCT", unit=str(middle)))
    codes = _figure(at, "ranked_chart")["layout"]["yaxis"]["tickvals"]
    assert len(codes) == 25 and codes[12] == middle
    assert "Biểu đồ hiển thị 25 trong 53 đơn vị" in _texts(at)
    assert ", và đơn vị đang tô đậm" in _texts(at)
