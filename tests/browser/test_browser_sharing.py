"""A leader's shared link and the projector, in a real browser over the sample warehouse."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Page, expect

LIVE = '[data-testid="stElementContainer"][data-stale="false"]'
VIEW = {"lang": "en", "indicator": "members_admitted", "parent": "DBBCT", "year": "2016"}


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(
        page.locator(f"{LIVE} [data-testid='stPlotlyChart'] .js-plotly-plot").first
    ).to_be_visible(timeout=30_000)


def _chosen(page: Page) -> list[str]:
    """What the page's select boxes show, in order."""
    boxes = page.locator(f"{LIVE} [data-testid='stSelectbox'] input[role='combobox']")
    return [boxes.nth(i).input_value() for i in range(boxes.count())]


def test_a_shared_link_opens_the_same_view_and_copies_itself(
    page: Page, sample_app_url: str
) -> None:
    query = "&".join(f"{name}={value}" for name, value in VIEW.items())
    _open(page, f"{sample_app_url}/compare?{query}")
    expect(page.locator("h1").first).to_have_text("Compare units")
    chosen = _chosen(page)
    assert "2016" in chosen and len(chosen) == 3, chosen

    page.get_by_role("button", name=re.compile("Copy link")).click()
    code = page.locator("[data-testid='stCode'] code").first
    expect(code).to_contain_text("/compare?")
    link = code.inner_text().strip()
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == sample_app_url
    assert VIEW.items() <= dict(parse_qsl(parts.query)).items()

    other = page.context.new_page()
    _open(other, link)
    expect(other.locator("h1").first).to_have_text("Compare units")
    assert _chosen(other) == chosen


def test_presentation_mode_on_a_1280_by_720_projector(
    page: Page, sample_app_url: str, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    query = "&".join(f"{name}={value}" for name, value in {**VIEW, "lang": "vi"}.items())
    _open(page, f"{sample_app_url}/compare?{query}&present=1")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("Thoát trình chiếu"))).to_be_visible()
    title_px = page.locator("h1").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title_px >= 44  # 2.75rem of a 21 px root (Streamlit's own: 2.75rem of 16 px)
    chart = page.locator(f"{LIVE} [data-testid='stPlotlyChart']").first
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] >= 1100  # the whole width of the screen
    assert 560 <= box["height"] <= 720  # one chart to a screen
    chart.evaluate("e => e.scrollIntoView({block: 'start'})")  # where scrolling snaps it
    expect(chart).to_be_in_viewport(ratio=0.99)  # the whole chart on one screen
    page.screenshot(path=str(tmp_path / "presentation.png"))
    assert (tmp_path / "presentation.png").stat().st_size > 20_000

    page.get_by_role("button", name=re.compile("Thoát trình chiếu")).click()
    expect(page.locator("[data-testid='stSidebar']")).to_be_visible(timeout=30_000)
    assert "present" not in dict(parse_qsl(urlsplit(page.url).query))
