"""Sharing a view: its link, and presentation mode, through the real app (AppTest)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui
from tests.apptest import open_app


def _open(page: str | None = None, **params: str) -> AppTest:
    return open_app(page, params)


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(sample_db))
    return _open


def _link(at: AppTest) -> str:
    codes = [element.value for element in at.code]
    assert len(codes) == 1, codes
    return str(codes[0])


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_link_names_the_page_and_every_choice_on_it(app: Callable[..., AppTest]) -> None:
    at = app("views/compare.py", lang="en", year="2015")
    assert not at.exception
    link = urlsplit(_link(at))
    assert link.path.endswith("compare")
    params = dict(parse_qsl(link.query, keep_blank_values=True))
    assert params["lang"] == "en" and params["year"] == "2015"
    assert {"indicator", "parent"} <= set(params)
    assert params == {k: at.query_params[k] for k in at.query_params}

    again = app("views/compare.py", **params)  # the link opens the same view
    assert not again.exception
    assert dict(parse_qsl(urlsplit(_link(again)).query, keep_blank_values=True)) == params
    assert [box.value for box in again.selectbox] == [box.value for box in at.selectbox]


def test_a_page_that_stops_early_still_offers_its_link(
    app: Callable[..., AppTest], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.cli import main as etl_main

    empty = tmp_path / "empty.duckdb"
    assert etl_main(["init", "--db", str(empty), "--no-sample"]) == 0
    monkeypatch.setenv("WAREHOUSE_DB", str(empty))
    at = _open("views/compare.py", lang="vi")
    assert not at.exception
    assert "lang=vi" in _link(at)


def test_presentation_mode_hides_the_sidebar_and_enlarges_the_charts(
    app: Callable[..., AppTest],
) -> None:
    normal = app("views/compare.py")
    assert [b.key for b in normal.sidebar.button] == ["presentation_start"]
    plain = _figures(normal)

    at = app("views/compare.py", present="1")
    assert not at.exception
    assert [b.key for b in at.button if b.key == "presentation_exit"] == ["presentation_exit"]
    assert "presentation_start" not in [b.key for b in at.sidebar.button]
    styles = "".join(str(element.proto.body) for element in at.get("html"))
    assert '[data-testid="stSidebar"]' in styles and "display: none" in styles
    shown = _figures(at)
    assert len(shown) == len(plain) >= 1
    for big, small in zip(shown, plain, strict=True):
        assert big["layout"]["height"] >= ui.PRESENTATION_CHART_HEIGHT
        assert big["layout"]["font"]["size"] > small["layout"]["font"]["size"]
    assert "present=1" in _link(at)


def test_leaving_presentation_mode_keeps_the_view(app: Callable[..., AppTest]) -> None:
    at = app("views/compare.py", present="1", year="2015")
    at.button(key="presentation_exit").click().run()
    assert not at.exception
    assert "present" not in at.query_params
    assert at.query_params["year"] == "2015"
    at.sidebar.button(key="presentation_start").click().run()
    assert at.query_params["present"] == "1"
