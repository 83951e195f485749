"""Leaders' views through AppTest: the overview's tiles (sparkline, verdict against the
target or plan), the before/after page across the 2025 reorganisation, and the campaign
bands each page lets one switch off."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from tests import reorganised
from tests.apptest import open_app


def _open(page: str | None = None, **params: str) -> AppTest:
    return open_app(page, params)


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(sample_db))
    return _open


@pytest.fixture(scope="module")
def reorganised_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reorganised.build(tmp_path_factory.mktemp("reorganised"))


@pytest.fixture
def merged_app(reorganised_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(reorganised_db))
    return _open


@dataclass
class Tile:
    """One bordered tile as drawn: its metric and the text under it, inside the border."""

    metric: Any
    bordered: bool
    markdown: list[str]
    captions: list[str]

    @property
    def sparkline(self) -> list[float]:
        return list(self.metric.proto.chart_data)


def _tiles(at: AppTest) -> dict[str, Tile]:
    """Label (up to its measure) → tile: the blocks holding a metric and what they hold."""
    found: dict[str, Tile] = {}

    def walk(node: Any) -> None:
        if not isinstance(node, Block):
            return
        kids: list[Any] = list(node.children.values())
        metrics = [kid for kid in kids if getattr(kid, "type", None) == "metric"]
        if metrics:
            (metric,) = metrics
            found[metric.label.split(" (")[0]] = Tile(
                metric=metric,
                bordered=bool(node.proto.flex_container.border),
                markdown=[kid.value for kid in kids if getattr(kid, "type", None) == "markdown"],
                captions=[kid.value for kid in kids if getattr(kid, "type", None) == "caption"],
            )
        for kid in kids:
            walk(kid)

    walk(at.main)
    return found


def _figure(at: AppTest, index: int = 0) -> dict[str, Any]:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def _numbers(values: Any) -> list[float]:
    """A trace's numbers: a list, or Plotly's typed array ``{"dtype", "bdata"}``."""
    if isinstance(values, dict):
        data = base64.b64decode(values["bdata"])
        return np.frombuffer(data, dtype=values["dtype"]).tolist()
    return list(values)


def _shape_names(figure: dict[str, Any]) -> list[str]:
    return [shape.get("name") for shape in figure["layout"].get("shapes", [])]


def _annotations(figure: dict[str, Any]) -> list[str]:
    return [a.get("text") for a in figure["layout"].get("annotations", [])]


# --- overview tiles -------------------------------------------------------------------------


def test_tiles_show_the_years_up_to_the_one_chosen_as_a_sparkline(
    app: Callable[..., AppTest],
) -> None:
    at = app(unit="917", year="2012")
    assert not at.exception
    tiles = _tiles(at)
    # Quận Ô Môn's poverty rate 2006–2012: the sample workbook, then the reported 9,52 %.
    poverty = tiles["Tỷ lệ hộ nghèo"]
    assert poverty.metric.value == "9,52 %"
    assert poverty.sparkline == pytest.approx([15.78, 14.46, 12.83, 12.09, 10.94, 10.52, 9.52])
    assert tiles["Số hộ nghèo"].sparkline == [4804, 4372, 3986, 3765, 3470, 3379, 3093]
    assert "Đường nhỏ: 2006–2012, 7 năm có số liệu" in poverty.metric.proto.help
    assert all(tile.bordered and len(tile.sparkline) == 7 for tile in tiles.values())


def test_tiles_say_whether_the_target_is_met(app: Callable[..., AppTest]) -> None:
    """Ô Môn, 2012: tax collected 100,43 % of the estimate (target 100 %): met; capital
    disbursed 78,87 % (target 100 %): not met; the poverty rate has no target: no verdict,
    no colour."""
    tiles = _tiles(app(unit="917", year="2012"))
    assert tiles["Tỷ lệ thu thuế so với dự toán"].markdown == [
        ":green-badge[✓ Đạt chỉ tiêu] chỉ tiêu: từ 100 % trở lên"
    ]
    assert tiles["Tỷ lệ giải ngân vốn đầu tư công"].markdown == [
        ":red-badge[✗ Chưa đạt chỉ tiêu] chỉ tiêu: từ 100 % trở lên"
    ]
    poverty = tiles["Tỷ lệ hộ nghèo"]
    assert poverty.markdown == [] and not any("badge" in c for c in poverty.captions)
    assert "⚠ minh họa" in tiles["Tỷ lệ giải ngân vốn đầu tư công"].captions[0]


def test_tiles_in_english(app: Callable[..., AppTest]) -> None:
    tiles = _tiles(app(unit="917", year="2012", lang="en"))
    assert tiles["Tax collection against the estimate"].markdown == [
        ":green-badge[✓ Target met] target: 100 % or more"
    ]


def test_a_bound_short_of_the_target_is_not_called_either_way(
    app: Callable[..., AppTest],
) -> None:
    """Huyện Cờ Đỏ disbursed "hơn 90 %" of its capital in 2013 (source documents, no
    target stated): against 100 % of the plan that cannot be called either way."""
    tiles = _tiles(app(unit="925", year="2013"))
    disbursement = tiles["Tỷ lệ giải ngân vốn đầu tư công"]
    assert disbursement.metric.value == "hơn 90 %"
    assert disbursement.markdown == [":gray-badge[? Chưa rõ đạt kế hoạch hay chưa] kế hoạch: 100 %"]


def test_a_rolled_up_ratio_to_plan_is_judged_against_the_plan(
    app: Callable[..., AppTest],
) -> None:
    """Cần Thơ's 2012 tax collection is Σ collected / Σ estimate of its districts: no stated
    target, so it is judged against 100 % of the plan."""
    tiles = _tiles(app(unit="92", year="2012"))
    tax = tiles["Tỷ lệ thu thuế so với dự toán"]
    value = float(tax.metric.value.replace(" %", "").replace(",", "."))
    verdict = "✓ Đạt kế hoạch" if value >= 100 else "✗ Chưa đạt kế hoạch"
    assert tax.markdown[0].endswith(f"[{verdict}] kế hoạch: 100 %")
    assert len(tax.sparkline) == 7  # the roll-up of every year 2006–2012


def test_a_merged_units_tiles_continue_through_its_predecessors(
    merged_app: Callable[..., AppTest],
) -> None:
    at = merged_app(unit=reorganised.NEW, year="2025")
    assert not at.exception
    tiles = _tiles(at)
    admitted = tiles["Số đảng viên kết nạp mới"]
    # 2020–2024: the old city, Hậu Giang and Sóc Trăng added up; 2025: the new city's.
    assert admitted.sparkline == [220, 221, 222, 223, 224, 300]
    assert "Trước khi sắp xếp: số liệu của Thành phố Cần Thơ" in admitted.metric.proto.help
    assert admitted.markdown == [":red-badge[✗ Chưa đạt chỉ tiêu] chỉ tiêu: từ 350 trở lên"]
    # A falling poverty rate under its cap is good news: at or below 5 % is met.
    poverty = tiles["Tỷ lệ hộ nghèo"]
    assert poverty.sparkline[0] == pytest.approx(10.0) and poverty.sparkline[-1] == 4.5
    assert poverty.markdown == [":green-badge[✓ Đạt chỉ tiêu] chỉ tiêu: không quá 5 %"]


# --- before/after across the reorganisation -----------------------------------------------------


def test_before_after_shows_a_merged_units_history_with_the_break(
    merged_app: Callable[..., AppTest],
) -> None:
    at = merged_app(
        "views/before_after.py",
        unit=reorganised.NEW,
        indicator="members_admitted",
        campaign="RESTRUCTURE-2025",
    )
    assert not at.exception
    figure = _figure(at)
    # The history before 2025 too.
    assert _numbers(figure["data"][0]["y"]) == [220, 221, 222, 223, 224, 300]
    (brk,) = [s for s in figure["layout"]["shapes"] if s.get("name") == "break"]
    assert pd.Timestamp(brk["x0"]) == pd.Timestamp("2025-01-01")
    assert (
        "<b>Sắp xếp 2025</b><br>tiếp nối từ Thành phố Cần Thơ (đến 30/06/2025), "
        "Tỉnh Hậu Giang, Tỉnh Sóc Trăng"
    ) in _annotations(figure)
    captions = [caption.value for caption in at.caption]
    assert any(
        c.startswith("Chuỗi số liệu nối tiếp qua sắp xếp đơn vị — 2020–2024") for c in captions
    )


def test_before_after_lists_what_only_the_predecessors_reported(
    merged_app: Callable[..., AppTest],
) -> None:
    """Sóc Trăng reported party admissions only; its continued series (the new city from
    2025) has the new city's indicators too."""
    at = merged_app("views/before_after.py", unit=reorganised.SOC_TRANG)
    assert not at.exception
    indicators = at.selectbox(key="indicator").options
    assert "Tỷ lệ hộ nghèo" in indicators and "Số đảng viên kết nạp mới" in indicators


# --- campaign bands ------------------------------------------------------------------------------


def test_switching_a_campaign_off_removes_its_band(app: Callable[..., AppTest]) -> None:
    at = app(
        "views/before_after.py", unit="917", indicator="poverty_rate", campaign="NQTW4-XI-2012"
    )
    picker = at.multiselect(key="campaigns")
    assert picker.value == ["NQTW4-XI-2012", "NQTW4-XII-2016", "RESTRUCTURE-2025"]
    shapes = _shape_names(_figure(at))
    assert "campaign NQTW4-XI-2012" in shapes and "campaign NQTW4-XII-2016" in shapes
    assert "campaign RESTRUCTURE-2025" not in shapes  # after Ô Môn's last figure (2016)

    picker.set_value(["NQTW4-XI-2012", "RESTRUCTURE-2025"]).run()
    figure = _figure(at)
    assert "campaign NQTW4-XII-2016" not in _shape_names(figure)
    assert "NQTW4-XII-2016" not in _annotations(figure)
    assert "campaign NQTW4-XI-2012" in _shape_names(figure)
    assert at.query_params["campaigns"] == "NQTW4-XI-2012,RESTRUCTURE-2025"

    # The campaign compared stays drawn, and says its name, with its band switched off.
    at.multiselect(key="campaigns").set_value(["NQTW4-XII-2016"]).run()
    figure = _figure(at)
    assert "campaign NQTW4-XI-2012" not in _shape_names(figure)
    assert "chosen campaign" in _shape_names(figure)
    assert _annotations(figure).count("NQTW4-XI-2012") == 1

    at.multiselect(key="campaigns").set_value([]).run()  # every band off
    assert not at.exception
    figure = _figure(at)
    assert [n for n in _shape_names(figure) if n.startswith("campaign ")] == []
    assert "chosen campaign" in _shape_names(figure)
    assert at.query_params["campaigns"] == ""


def test_the_campaigns_shown_come_back_from_the_link(app: Callable[..., AppTest]) -> None:
    at = app(
        "views/before_after.py",
        unit="917",
        indicator="poverty_rate",
        campaign="NQTW4-XI-2012",
        campaigns="NQTW4-XII-2016",
    )
    assert not at.exception
    assert at.multiselect(key="campaigns").value == ["NQTW4-XII-2016"]
    bands = [name for name in _shape_names(_figure(at)) if name.startswith("campaign ")]
    assert bands == ["campaign NQTW4-XII-2016"]
