"""The meeting-pack page through AppTest: choices kept in the URL, the description, the two
downloads built only when clicked (the Excel one is built here; the PDF in the browser test)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.apptest import open_app

PAGE = "views/meeting_pack.py"


def _open(**params: str) -> AppTest:
    return open_app(PAGE, params, first_run=True)  # url_path is not the file name


@pytest.fixture
def pack_page(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(sample_db))
    return _open


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """The functions the download buttons hand to Streamlit, by file name: Streamlit calls
    them when a button is clicked; here the test calls them."""
    found: dict[str, Callable[[], Any]] = {}
    original = MediaFileManager.add_deferred

    def record(self: MediaFileManager, data_callable: Any, *args: Any, **kwargs: Any) -> str:
        file_name = kwargs.get("file_name", args[2] if len(args) > 2 else None)
        found[str(file_name)] = data_callable
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return found


def _buttons(at: AppTest) -> dict[str, Any]:
    return {button.proto.id.split("-")[-1]: button.proto for button in at.get("download_button")}


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error]
    return "\n".join(str(element.value) for element in parts)


def test_the_page_offers_the_pack_of_the_unit_and_year_in_the_link(
    pack_page: Callable[..., AppTest],
) -> None:
    at = pack_page(unit="92", year="2012")
    assert not at.exception, [e.value for e in at.exception]
    assert [title.value for title in at.title] == ["Tài liệu họp"]
    assert at.selectbox(key="unit").value == "92"
    assert at.selectbox(key="year").value == 2012
    texts = _texts(at)
    assert "trang bìa (đơn vị, kỳ, ngày lập)" in texts
    assert "nguồn của từng số liệu" in texts
    buttons = _buttons(at)
    assert buttons["pack_pdf"].label == "Tải tài liệu họp (PDF)"
    assert buttons["pack_xlsx"].label == "Tải các bảng (Excel)"
    assert not buttons["pack_pdf"].disabled
    # nothing is built until a button is clicked: both hand Streamlit a function
    assert buttons["pack_pdf"].deferred_file_id and buttons["pack_xlsx"].deferred_file_id
    assert dict(at.query_params) == {"unit": "92", "year": "2012", "lang": "vi"}


def test_choices_go_into_the_link_and_the_excel_pack_follows_them(
    pack_page: Callable[..., AppTest], deferred: dict[str, Callable[[], Any]]
) -> None:
    at = pack_page(unit="92", year="2012")
    at.selectbox(key="unit").set_value("917").run()
    at.selectbox(key="year").set_value(2014).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["unit"] == "917"
    assert at.query_params["year"] == "2014"
    assert {"tai_lieu_hop_917_2014.pdf", "tai_lieu_hop_917_2014.xlsx"} <= set(deferred)
    book = load_workbook(io.BytesIO(deferred["tai_lieu_hop_917_2014.xlsx"]()))
    assert book["Tổng quan"]["A1"].value == "Tài liệu họp — Quận Ô Môn — năm 2014"
    values = {
        row[-1]: row[4]
        for row in book["Tổng quan"].iter_rows(min_row=6, values_only=True)  # code, value
    }
    assert values["poverty_rate"] == 4.68  # Ô Môn's reported rate for 2014


def test_the_page_speaks_english(pack_page: Callable[..., AppTest]) -> None:
    at = pack_page(unit="92", year="2012", lang="en")
    assert [title.value for title in at.title] == ["Meeting pack"]
    buttons = _buttons(at)
    assert buttons["pack_pdf"].label == "Download the meeting pack (PDF)"
    assert "Key indicators" in _texts(at)


def test_without_chromium_the_pdf_button_is_off_and_says_why(
    pack_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    at = pack_page(unit="92", year="2012")
    assert any("apt-get install chromium" in warning.value for warning in at.warning)
    buttons = _buttons(at)
    assert buttons["pack_pdf"].disabled
    assert not buttons["pack_xlsx"].disabled


def test_a_missing_warehouse_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "none.duckdb"))
    at = _open()
    assert not at.exception
    assert any("python -m etl init" in info.value for info in at.info)
    assert not _buttons(at)
