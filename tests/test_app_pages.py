"""The Streamlit app through AppTest: every page runs, and each does its job."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [
    "views/overview.py",
    "views/compare.py",
    "views/before_after.py",
    "views/explore.py",
    "views/upload.py",
]
TIMEOUT = 60


def _open(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    if page is not None:
        at.switch_page(page)
    return at.run()


@pytest.fixture
def app(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(sample_db))
    return _open


def _frame(at: AppTest, *headers: str) -> pd.DataFrame:
    """The first table shown that has all these column headers."""
    for element in at.dataframe:
        if set(headers) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with columns {headers}")


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success]
    return "\n".join(str(element.value) for element in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app: Callable[..., AppTest], page: str) -> None:
    at = app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(at.title) == 1


@pytest.mark.parametrize("page", PAGES)
def test_missing_warehouse_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "none.duckdb"))
    at = _open(page)
    assert not at.exception
    assert any("python -m etl init" in info.value for info in at.info)
    assert not (tmp_path / "none.duckdb").exists()


def test_overview_shows_the_reported_poverty_rate_of_o_mon(app: Callable[..., AppTest]) -> None:
    at = app(unit="917", year="2012")
    tiles = {metric.label: metric for metric in at.metric}
    poverty = next(m for label, m in tiles.items() if label.startswith("Tỷ lệ hộ nghèo"))
    assert poverty.value == "9,52 %"
    assert poverty.delta.startswith("-") and poverty.delta.endswith("điểm %")  # points
    # Less poverty is good news: a fall is drawn green (delta_color="inverse").
    assert poverty.proto.color == MetricProto.MetricColor.GREEN
    assert poverty.proto.direction == MetricProto.MetricDirection.DOWN
    poor = next(m for label, m in tiles.items() if label.startswith("Số hộ nghèo"))
    assert poor.value == "3.093"
    households = next(m for label, m in tiles.items() if label.startswith("Tổng số hộ"))
    assert households.value == "32.489"
    assert "⚠ minh họa" in [caption.value for caption in at.caption]  # illustrative values
    assert at.query_params["unit"] == "917" and at.query_params["year"] == "2012"


def test_overview_of_a_parent_rolls_up_its_children(app: Callable[..., AppTest]) -> None:
    at = app(unit="92", year="2012")
    labels = [metric.label for metric in at.metric]
    assert any(label.startswith("Tỷ lệ hộ nghèo") for label in labels)
    assert "Tổng hợp từ 9 đơn vị trực thuộc" in _texts(at)


def test_unknown_unit_in_link_warns_and_falls_back(app: Callable[..., AppTest]) -> None:
    at = app(unit="no-such-unit")
    assert not at.exception
    assert any("no-such-unit" in warning.value for warning in at.warning)
    assert at.query_params["unit"] != "no-such-unit"


def test_english_switch_translates_titles(app: Callable[..., AppTest]) -> None:
    at = app()
    assert at.title[0].value == "Tổng quan"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "en"
    at.switch_page("views/compare.py").run()
    assert at.title[0].value == "Compare units"


def test_english_link_formats_numbers_the_english_way(app: Callable[..., AppTest]) -> None:
    at = app(unit="917", year="2012", lang="en")
    values = {metric.value for metric in at.metric}
    assert "9.52 %" in values and "3,093" in values


def test_compare_ranks_the_districts_of_can_tho(app: Callable[..., AppTest]) -> None:
    at = app("views/compare.py", indicator="poverty_rate", parent="92", year="2012")
    assert not at.exception
    ranking = _frame(at, "Hạng", "Đơn vị", "Giá trị")
    assert len(ranking) == 9
    assert list(ranking.iloc[:, 0]) == sorted(ranking.iloc[:, 0])  # ranks ascending
    values = list(ranking["Giá trị"])
    assert values == sorted(values)  # lower poverty is better: best first
    assert "Quận Ô Môn" in set(ranking["Đơn vị"])
    assert len(at.get("plotly_chart")) == 2


def test_before_after_compares_means_around_the_2012_review(app: Callable[..., AppTest]) -> None:
    at = app(
        "views/before_after.py", unit="917", indicator="poverty_rate", campaign="NQTW4-XI-2012"
    )
    assert not at.exception
    text = _texts(at)
    assert "2006–2011" in text and "2013–2016" in text
    assert "2012" in text  # the campaign year, left out
    table = _frame(at, "Các năm", "Kết quả")
    assert list(table.iloc[:2, 1]) == ["2006–2011", "2013–2016"]
    at.selectbox(key="span").set_value("2").run()
    assert list(_frame(at, "Các năm").iloc[:2, 1]) == ["2010–2011", "2013–2014"]
    assert at.query_params["span"] == "2"


def test_explore_returns_rows_for_the_chosen_units(app: Callable[..., AppTest]) -> None:
    at = app(
        "views/explore.py",
        indicators="poverty_rate,poor_households",
        units="917,918",
        years="2010-2014",
        view="tidy",
    )
    assert not at.exception
    rows = _frame(at, "Đơn vị", "Kỳ")
    assert set(rows["Đơn vị"]) == {"Quận Ô Môn", "Quận Bình Thủy"}
    assert set(rows["Kỳ"]) == {"2010", "2011", "2012", "2013", "2014"}
    assert len(rows) == 2 * 2 * 5
    assert len(at.get("download_button")) == 2
    assert "20 giá trị · 2 đơn vị · 2 chỉ tiêu" in _texts(at)
    at.radio(key="view").set_value("pivot").run()
    wide = _frame(at, "Đơn vị", "Chỉ tiêu")
    assert len(wide) == 4 and "2012" in wide.columns


def test_explore_says_which_chosen_units_hold_no_stored_values(
    app: Callable[..., AppTest],
) -> None:
    at = app("views/explore.py", indicators="poverty_rate", units="92,917", years="2010-2012")
    assert "Không có số liệu lưu trực tiếp cho: Thành phố Cần Thơ" in _texts(at)


def _xlsx_bytes(rows: list[list[Any]], sheet_title: str = "Sheet") -> bytes:
    """A workbook written at test time, as the uploader receives it."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _report_xlsx() -> bytes:
    return _xlsx_bytes(
        [
            ["BÁO CÁO TỶ LỆ HỘ NGHÈO NĂM 2013"],
            [],
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Ghi chú"],
            [1, "Quận Ô Môn", "Tỷ lệ hộ nghèo", 2013, "7,1", None],
            [2, "Huyện Thới Lai", "Tỷ lệ hộ nghèo", 2013, "6,05", None],
        ],
        sheet_title="Báo cáo",
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_upload_previews_then_stores_then_knows_the_duplicate(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(fresh_sample_db))
    at = _open("views/upload.py")
    batches_before = len(_frame(at, "Đợt nạp", "Người lưu"))
    at.text_input(key="loaded_by").input("Văn phòng Thành ủy")
    at.file_uploader(key="upload").set_value(("ho_ngheo_2013.xlsx", _report_xlsx(), XLSX)).run()
    assert not at.exception
    preview = _frame(at, "Đơn vị", "Ô")
    assert set(preview["Đơn vị"]) == {"Quận Ô Môn", "Huyện Thới Lai"}
    assert "**2** giá trị" in _texts(at)
    assert len(_frame(at, "Đợt nạp", "Người lưu")) == batches_before  # not stored yet

    at.checkbox(key="confirm_replace").check().run()  # it corrects illustrative 2013 values
    at.button(key="store").click().run()
    assert not at.exception
    assert at.success and "đợt nạp" in at.success[0].value
    batches = _frame(at, "Đợt nạp", "Người lưu")
    assert len(batches) == batches_before + 1
    assert "Văn phòng Thành ủy" in set(batches["Người lưu"])

    at.run()  # the same file is still selected: now it is a duplicate
    assert any("đã được lưu" in info.value for info in at.info)


def test_upload_shows_errors_with_their_cell(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(fresh_sample_db))
    data = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Ghi chú"],
            [1, "Quận Không Có", "Tỷ lệ hộ nghèo", 2013, "7,1", None],
        ]
    )
    at = _open("views/upload.py")
    at.file_uploader(key="upload").set_value(("sai.xlsx", data, XLSX)).run()
    assert not at.exception
    assert at.error and "sai.xlsx:Sheet!B2" in at.error[0].value
    assert "store" not in [button.key for button in at.button]  # nothing to store
    assert "Trang **Sheet**: bảng dọc, mỗi dòng một giá trị; dòng tiêu đề ở ô A1" in _texts(at)
    downloads = [element.proto.label for element in at.get("download_button")]
    assert "Tải bản đánh dấu lỗi (.xlsx)" in downloads
    assert "Tải mẫu (.xlsx)" in downloads  # the blank templates are always offered


def test_upload_page_rolls_back_a_batch(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(fresh_sample_db))
    at = _open("views/upload.py")
    batch = at.selectbox(key="rollback_batch").value
    assert at.button(key="rollback").disabled  # not without the confirmation
    at.checkbox(key="rollback_confirm").check().run()
    at.button(key="rollback").click().run()
    assert not at.exception
    assert at.success and str(batch) in at.success[0].value
    batches = _frame(at, "Đợt nạp", "Người lưu")
    status = batches.loc[batches["Đợt nạp"] == batch, "Trạng thái"].iloc[0]
    assert status == "đã hủy"


def test_upload_maps_an_unknown_unit_once_and_remembers_it(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(fresh_sample_db))
    data = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [1, "Q. Ô Môn cũ", "Tỷ lệ hộ nghèo", 2013, "7,1"],
        ]
    )
    at = _open("views/upload.py")
    at.text_input(key="loaded_by").input("VP Quận ủy Ô Môn")
    at.file_uploader(key="upload").set_value(("ten_cu.xlsx", data, XLSX)).run()
    assert at.error and "Q. Ô Môn cũ" in at.error[0].value
    mapping = at.selectbox(key="map_unit_0")
    assert mapping.options[1].startswith("Quận Ô Môn")  # the closest unit is offered first
    mapping.set_value("917")
    at.button(key="remember_mappings").click().run()
    assert not at.exception
    assert not at.error
    assert "store" in [button.key for button in at.button]  # now it can be stored
    assert "Q. Ô Môn cũ" not in _texts(at)


def test_upload_asks_before_replacing_stored_values(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(fresh_sample_db))
    data = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [1, "Quận Ô Môn", "Tỷ lệ hộ nghèo", 2012, "9,6"],  # stored: 9,52
        ]
    )
    at = _open("views/upload.py")
    at.text_input(key="loaded_by").input("VP Quận ủy Ô Môn")
    at.file_uploader(key="upload").set_value(("sua.xlsx", data, XLSX)).run()
    assert any("9,52 → 9,6" in warning.value for warning in at.warning)
    assert at.button(key="store").disabled
    at.checkbox(key="confirm_replace").check().run()
    assert not at.button(key="store").disabled
