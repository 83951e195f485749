"""Marks on the time charts, read from the figures' JSON: the break where a series
continues through the successor map, the shapes of bounds, the campaign bands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import chart_marks, charts, queries
from tests import reorganised


def _layout(fig: go.Figure) -> dict[str, Any]:
    return json.loads(fig.to_json())["layout"]


def _breaks(fig: go.Figure) -> list[dict[str, Any]]:
    return [s for s in _layout(fig).get("shapes", []) if s.get("name") == "break"]


def _break_labels(fig: go.Figure) -> list[str]:
    return [a["text"] for a in _layout(fig).get("annotations", []) if a.get("name") == "break"]


def _symbols(fig: go.Figure) -> list[str]:
    """The marker of each point of the first (the unit's) line."""
    return list(json.loads(fig.to_json())["data"][0]["marker"]["symbol"])


def _legend(fig: go.Figure) -> list[str]:
    return [trace.name for trace in fig.data]


@pytest.fixture(scope="module")
def reorganised_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reorganised.build(tmp_path_factory.mktemp("reorganised"))


@pytest.fixture
def merged(reorganised_db: Path) -> Iterator[queries.Connection]:
    with queries.reader(reorganised_db) as con:
        yield con


def _continued_chart(
    con: queries.Connection, unit: str, indicator: str, lang: str = "vi"
) -> tuple[go.Figure, pd.DataFrame]:
    series = queries.continued_unit_series(con, unit, indicator)
    units = chart_marks.series_units(con, series, lang)
    series = chart_marks.label_breaks(series, unit, lang, units)
    return charts.unit_series_chart(series, lang, unit_name="Cần Thơ"), series


# --- the break ------------------------------------------------------------------------------


def test_a_merged_units_chart_marks_the_break_where_its_own_figures_begin(
    merged: queries.Connection,
) -> None:
    fig, series = _continued_chart(merged, reorganised.NEW, "members_admitted")
    assert list(series["year"]) == [2020, 2021, 2022, 2023, 2024, 2025]
    (line,) = _breaks(fig)
    # Between the last predecessors' value (2024) and the new city's first (2025).
    assert line["type"] == "line" and line["line"]["dash"] == "dash"
    assert pd.Timestamp(line["x0"]) == pd.Timestamp(line["x1"]) == pd.Timestamp("2025-01-01")
    assert (line["yref"], line["y0"], line["y1"]) == ("paper", 0, 1)
    # The old and the new city share a name: their dates tell them apart.
    old_city = "Thành phố Cần Thơ (đến 30/06/2025)"
    (label,) = _break_labels(fig)
    assert label == (
        f"<b>Sắp xếp 2025</b><br>tiếp nối từ {old_city}, Tỉnh Hậu Giang, Tỉnh Sóc Trăng"
    )
    hover = next(a for a in _layout(fig)["annotations"] if a.get("name") == "break")
    assert hover["hovertext"] == (
        f"Từ 01/07/2025: Thành phố Cần Thơ (từ 01/07/2025). Trước đó: {old_city}, "
        "Tỉnh Hậu Giang, Tỉnh Sóc Trăng."
    )
    # Each earlier point's hover says whose figures it holds.
    custom = json.loads(fig.to_json())["data"][0]["customdata"]
    assert custom[0][1] == f"220<br>gộp số liệu của {old_city}, Tỉnh Hậu Giang, Tỉnh Sóc Trăng"
    assert custom[-1][1] == "300"


def test_the_old_units_chart_says_who_continues_it(merged: queries.Connection) -> None:
    fig, _ = _continued_chart(merged, reorganised.OLD, "members_admitted", lang="en")
    (line,) = _breaks(fig)
    assert pd.Timestamp(line["x0"]) == pd.Timestamp("2025-01-01")
    assert _break_labels(fig) == [
        "<b>2025 reorganisation</b><br>continued by Can Tho City (from 1 Jul 2025)"
    ]


def test_a_series_without_a_break_has_no_line(sample_db: Path) -> None:
    with queries.reader(sample_db) as con:
        fig, series = _continued_chart(con, "917", "poverty_rate")
    assert len(series) == 11 and not series["break_before"].any()
    assert _breaks(fig) == [] and _break_labels(fig) == []


def test_a_plain_series_draws_as_before(sample_db: Path) -> None:
    """queries.unit_series has no break columns: nothing is drawn for them."""
    with queries.reader(sample_db) as con:
        series = queries.unit_series(con, "917", "poverty_rate")
    fig = charts.unit_series_chart(series, "vi", unit_name="Quận Ô Môn")
    assert _breaks(fig) == []
    assert _symbols(fig)[:2] == ["circle-open", "circle-open"]  # illustrative: hollow


def test_several_units_on_one_chart_name_whose_break_it_is(merged: queries.Connection) -> None:
    frames = []
    for unit, name in ((reorganised.NEW, "Cần Thơ mới"), (reorganised.SOC_TRANG, "Sóc Trăng")):
        series = queries.continued_unit_series(merged, unit, "members_admitted")
        units = chart_marks.series_units(merged, series, "vi")
        frames.append(
            chart_marks.label_breaks(series, unit, "vi", units).assign(
                unit_code=unit, unit_name=name
            )
        )
    fig = charts.lines_over_time(pd.concat(frames, ignore_index=True), "vi")
    labels = _break_labels(fig)
    assert len(_breaks(fig)) == 2
    assert labels[0].startswith("Cần Thơ mới: <b>Sắp xếp 2025</b>")
    assert labels[1] == (
        "Sóc Trăng: <b>Sắp xếp 2025</b><br>tiếp nối bởi Thành phố Cần Thơ (từ 01/07/2025)"
    )


def test_continuation_note_names_the_years_and_who_reported_nothing(
    merged: queries.Connection,
) -> None:
    series = queries.continued_unit_series(merged, reorganised.NEW, "poverty_rate")
    units = chart_marks.series_units(merged, series, "vi")
    note = chart_marks.continuation_note(series, reorganised.NEW, "vi", units)
    assert note == (
        "Chuỗi số liệu nối tiếp qua sắp xếp đơn vị — 2020–2024: gộp số liệu của Thành phố "
        "Cần Thơ (đến 30/06/2025), Tỉnh Hậu Giang, Tỉnh Sóc Trăng (không có số liệu của "
        "Tỉnh Sóc Trăng)."
    )
    old = queries.continued_unit_series(merged, reorganised.OLD, "poverty_rate")
    assert chart_marks.continuation_note(old, reorganised.OLD, "vi", units) == (
        "Chuỗi số liệu nối tiếp qua sắp xếp đơn vị — 2025: số liệu của Thành phố Cần Thơ "
        "(từ 01/07/2025)."
    )


def test_no_continuation_no_note(sample_db: Path) -> None:
    with queries.reader(sample_db) as con:
        series = queries.continued_unit_series(con, "917", "poverty_rate")
        units = chart_marks.series_units(con, series, "vi")
    assert chart_marks.continuation_note(series, "917", "vi", units) is None
    assert set(chart_marks.label_breaks(series, "917", "vi", units)["source_label"]) == {""}


# --- bounds ---------------------------------------------------------------------------------


def test_lower_bounds_have_their_own_marker_and_legend(sample_db: Path) -> None:
    """Huyện Cờ Đỏ reported "hơn 90 %" disbursement for 2013 and 2014 (source documents);
    its other years are illustrative."""
    with queries.reader(sample_db) as con:
        series = queries.unit_series(con, "925", "capital_disbursement_rate")
    fig = charts.unit_series_chart(series, "vi", unit_name="Huyện Cờ Đỏ", measure="%")
    by_year = dict(zip(series["year"], _symbols(fig), strict=True))
    assert by_year[2013] == by_year[2014] == "triangle-up"
    assert by_year[2012] == "circle-open"
    assert "Cận dưới (“hơn”, “trên”): số thật lớn hơn" in _legend(fig)
    assert not any("Cận trên" in name for name in _legend(fig))
    custom = json.loads(fig.to_json())["data"][0]["customdata"]
    assert custom[list(series["year"]).index(2013)][1] == "hơn 90 %"  # the word in the hover


def test_each_qualifier_has_its_shape_hollow_when_illustrative() -> None:
    series = pd.DataFrame(
        {
            "unit_code": "u",
            "unit_name": "Đơn vị",
            "year": [2020, 2021, 2022, 2023, 2024],
            "period_start": pd.to_datetime([f"{y}-01-01" for y in range(2020, 2025)]),
            "period_end": pd.to_datetime([f"{y}-12-31" for y in range(2020, 2025)]),
            "value": [80.0, 5.0, 300.0, 120.0, 7.0],
            "qualifier": ["lower_bound", "upper_bound", "nearly", "approximate", None],
            "value_status": ["illustrative", "reported", "reported", "preliminary", "preliminary"],
        }
    )
    fig = charts.lines_over_time(series, "en")
    assert _symbols(fig) == ["triangle-up-open", "triangle-down", "cross", "cross", "diamond"]
    legend = _legend(fig)
    assert "Lower bound (“over”): the true value is higher" in legend
    assert "Upper bound (“under”): the true value is lower" in legend
    assert legend.count("Approximate (“about”, “nearly”)") == 1  # one entry for both words
    assert "Preliminary" in legend and "Illustrative" in legend


def test_no_qualifier_no_bound_legend(sample_db: Path) -> None:
    with queries.reader(sample_db) as con:
        series = queries.unit_series(con, "917", "poverty_rate")
    legend = _legend(charts.unit_series_chart(series, "en", unit_name="O Mon"))
    assert not any("bound" in name or "Approximate" in name for name in legend)


# --- campaign bands ---------------------------------------------------------------------------


def test_only_the_campaigns_given_are_shaded(sample_db: Path) -> None:
    with queries.reader(sample_db) as con:
        series = queries.unit_series(con, "917", "poverty_rate")
        windows = queries.campaigns(con, "vi", unit="917")
    shown = windows[windows["campaign_code"] == "NQTW4-XII-2016"]
    fig = charts.unit_series_chart(
        series,
        "vi",
        unit_name="Quận Ô Môn",
        campaigns=shown,
        campaign_window=(pd.Timestamp("2012-08-01"), pd.Timestamp("2012-12-31")),
        campaign_code="NQTW4-XI-2012",
    )
    shapes = [s.get("name") for s in _layout(fig)["shapes"]]
    assert shapes.count("campaign NQTW4-XII-2016") == 1
    assert "campaign NQTW4-XI-2012" not in shapes
    # The chosen campaign is still drawn, and labelled since no band labels it.
    assert "chosen campaign" in shapes
    texts = [a.get("text") for a in _layout(fig)["annotations"]]
    assert texts.count("NQTW4-XI-2012") == 1 and texts.count("NQTW4-XII-2016") == 1
