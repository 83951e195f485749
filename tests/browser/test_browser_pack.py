"""A leader's path in a real browser: open the meeting-pack page from a link, download
the PDF, read it back with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

from playwright.sync_api import Page, expect

DOWNLOAD_TIMEOUT_MS = 180_000  # kaleido and Chromium start for each pack: seconds, not minutes


def test_download_the_meeting_pack_pdf(page: Page, sample_app_url: str, tmp_path: Path) -> None:
    page.goto(f"{sample_app_url}/meeting-pack?unit=917&year=2012")
    button = page.get_by_role("button", name="Tải tài liệu họp (PDF)")
    expect(button).to_be_enabled(timeout=30_000)
    expect(page.get_by_role("button", name="Tải các bảng (Excel)")).to_be_visible()

    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == "tai_lieu_hop_917_2012.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    assert saved.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Quận Ô Môn" in text
    assert "Kỳ: năm 2012" in text
    assert "9,52 %" in text  # Ô Môn's reported poverty rate, written the Vietnamese way
    assert "minh họa" in text
