"""The staff member's path end to end in a real browser: upload a report, store it,
see it on the overview."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
LIVE = '[data-testid="stElementContainer"][data-stale="false"]'


def test_upload_a_sample_report_then_see_it_on_the_overview(page: Page, app_url: str) -> None:
    workbook = next(SAMPLE.glob("02_*.xlsx"))
    page.goto(f"{app_url}/upload")
    who = page.get_by_label("Người lưu")
    expect(who).to_be_visible(timeout=30_000)
    who.fill("Văn phòng Thành ủy")
    who.press("Enter")
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    expect(dropzone).to_be_attached(timeout=30_000)
    dropzone.set_input_files(str(workbook))

    store = page.get_by_role("button", name=re.compile("Lưu vào kho"))
    expect(store).to_be_visible(timeout=30_000)
    store.click()
    success = page.locator(f'{LIVE} [data-testid="stAlertContentSuccess"]')
    expect(success).to_contain_text(re.compile(r"đợt nạp \d+"), timeout=30_000)

    page.goto(f"{app_url}/?unit=917&year=2010")
    metrics = page.locator(f'{LIVE} [data-testid="stMetric"]')
    expect(metrics.first).to_be_visible(timeout=30_000)
    expect(page.locator(LIVE).filter(has_text="Tỷ lệ hộ nghèo").first).to_be_visible()
