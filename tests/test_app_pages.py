"""The Streamlit app through AppTest: every page runs, and each does its job."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from dashboard import upload
from etl.cli import main as etl_main
from tests.apptest import open_app

PAGES = [
    "views/overview.py",
    "views/compare.py",
    "views/completeness.py",
    "views/before_after.py",
    "views/explore.py",
    "views/upload.py",
]


def _open(page: str | None = None, **params: str) -> AppTest:
    return open_app(page, params)


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


def test_overview_names_the_children_a_rolled_up_rate_leaves_out(
    empty_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ninh Kiều: 120 poor of 1,000 households; Ô Môn: 80 poor, households not reported.
    The city's rate is 120 / 1,000 × 100 = 12 (Ô Môn left out, and said so), not a mean."""
    rows: list[list[Any]] = [
        ["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
        ["Quận Ninh Kiều", "Số hộ nghèo", 2014, 120],
        ["Quận Ninh Kiều", "Tổng số hộ", 2014, 1000],
        ["Quận Ô Môn", "Số hộ nghèo", 2014, 80],
        ["Thành phố Cần Thơ", "Số đảng viên", 2014, 5],
    ]
    path = tmp_path / "ho_ngheo.xlsx"
    path.write_bytes(_xlsx_bytes(rows))
    assert etl_main(["load", str(path), "--db", str(empty_db)]) == 0
    monkeypatch.setenv("WAREHOUSE_DB", str(empty_db))
    at = _open(unit="92", year="2014")
    assert not at.exception
    rate = next(metric for metric in at.metric if metric.label.startswith("Tỷ lệ hộ nghèo"))
    assert rate.value == "12 %"
    assert "không tính Quận Ô Môn: thiếu tử số hoặc mẫu số" in _texts(at)
    at.switch_page("views/compare.py")
    at.query_params["indicator"] = "poverty_rate"
    at.query_params["parent"] = "92"
    at.run()
    assert not at.exception
    assert "Thành phố Cần Thơ: không tính Quận Ô Môn: thiếu tử số hoặc mẫu số" in _texts(at)


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
    assert len(at.get("download_button")) == 3  # CSV, XLSX, Parquet
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


def _id(data: bytes) -> str:
    """The part of the page's widget keys that names one uploaded file."""
    return upload.content_sha256(data)[:12]


def _confirm(at: AppTest) -> Any:
    """The (only) confirmation to replace stored values."""
    (box,) = [c for c in at.checkbox if str(c.key).startswith("confirm_replace_")]
    return box


def _stored_rows(db: Path) -> pd.DataFrame:
    """What the page stored, read back from the warehouse file itself."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT b.batch_id, b.file_name, b.loaded_by, b.row_count, o.unit_code, "
            "o.indicator_code, year(o.period_start) AS year, o.value FROM batch b "
            "JOIN observation o USING (batch_id) WHERE b.source = 'upload' ORDER BY ALL"
        ).df()
    finally:
        con.close()


def _upload_page(db: Path, monkeypatch: pytest.MonkeyPatch, who: str = "") -> AppTest:
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    at = _open("views/upload.py")
    if who:
        at.text_input(key="loaded_by").input(who)
    return at


def test_upload_previews_then_stores_then_knows_the_duplicate(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _upload_page(fresh_sample_db, monkeypatch, who="Văn phòng Thành ủy")
    batches_before = len(_frame(at, "Đợt nạp", "Người lưu"))
    data = _report_xlsx()
    at.file_uploader(key="upload").set_value(("ho_ngheo_2013.xlsx", data, XLSX)).run()
    assert not at.exception
    preview = _frame(at, "Đơn vị", "Ô")
    assert set(preview["Đơn vị"]) == {"Quận Ô Môn", "Huyện Thới Lai"}
    assert "**2** giá trị" in _texts(at)
    assert len(_frame(at, "Đợt nạp", "Người lưu")) == batches_before  # not stored yet
    assert "store_all" not in [button.key for button in at.button]  # one file: its own button

    _confirm(at).check().run()  # it corrects illustrative 2013 values
    at.button(key=f"store_{_id(data)}").click().run()
    assert not at.exception
    assert at.success and "đợt nạp" in at.success[0].value
    assert "người lưu Văn phòng Thành ủy" in at.success[0].value
    batches = _frame(at, "Đợt nạp", "Người lưu")
    assert len(batches) == batches_before + 1
    assert "Văn phòng Thành ủy" in set(batches["Người lưu"])

    at.run()  # the same file is still selected: now it is a duplicate
    assert any("đã được lưu" in info.value for info in at.info)


def test_upload_two_files_at_once_stores_each_as_its_own_batch(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    poverty = _report_xlsx()
    admissions = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [1, "Quận Ô Môn", "Số hộ nghèo", 2014, "3.093"],
            [2, "Quận Bình Thủy", "Số hộ nghèo", 2014, "1.020"],
            [3, "Quận Cái Răng", "Số hộ nghèo", 2014, "870"],
        ]
    )
    at = _upload_page(empty_db, monkeypatch, who="Ban Tổ chức")
    at.file_uploader(key="upload").set_value(
        [("ho_ngheo_2013.xlsx", poverty, XLSX), ("so_ho_ngheo_2014.xlsx", admissions, XLSX)]
    ).run()
    assert not at.exception
    summary = _frame(at, "Tệp", "Giá trị sẽ lưu", "Trạng thái")
    assert list(summary["Tệp"]) == ["ho_ngheo_2013.xlsx", "so_ho_ngheo_2014.xlsx"]
    assert list(summary["Giá trị sẽ lưu"]) == [2, 3]
    assert list(summary["Trạng thái"]) == ["sẵn sàng lưu", "sẵn sàng lưu"]
    assert list(summary["Trang đã đọc"]) == ["Báo cáo", "Sheet"]
    assert len(at.expander) >= 2 + 1  # one section per file (and the hints)
    assert _stored_rows(empty_db).empty  # nothing is stored before the button

    at.button(key="store_all").click().run()
    assert not at.exception
    assert not at.error
    stored = _stored_rows(empty_db)
    by_file = stored.groupby("file_name")
    assert set(by_file.groups) == {"ho_ngheo_2013.xlsx", "so_ho_ngheo_2014.xlsx"}
    assert stored["batch_id"].nunique() == 2  # each file its own batch
    assert by_file["batch_id"].nunique().tolist() == [1, 1]
    assert set(stored["loaded_by"]) == {"Ban Tổ chức"}
    poor = stored[stored["file_name"] == "so_ho_ngheo_2014.xlsx"]
    assert sorted(poor["value"]) == [870, 1020, 3093]
    assert set(poor["indicator_code"]) == {"poor_households"} and set(poor["year"]) == {2014}
    rate = stored[stored["file_name"] == "ho_ngheo_2013.xlsx"]
    assert dict(zip(rate["unit_code"], rate["value"], strict=True)) == {"917": 7.1, "927": 6.05}
    message = at.success[0].value
    for batch in stored["batch_id"].unique():
        assert f"đợt nạp {batch}, người lưu Ban Tổ chức, lúc " in message

    # Both files are still selected: each now says it was stored, with its batch.
    summary = _frame(at, "Tệp", "Giá trị sẽ lưu", "Trạng thái")
    assert all(status.startswith("đã lưu (đợt nạp ") for status in summary["Trạng thái"])
    assert at.button(key="store_all").disabled


def test_upload_store_all_leaves_out_the_file_with_errors(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [1, "Quận Ô Môn", "Tỷ lệ hộ nghèo", 2014, "6,2"],
            [2, "Quận Không Có", "Tỷ lệ hộ nghèo", 2014, "5,1"],
        ],
        sheet_title="Quận",
    )
    at = _upload_page(empty_db, monkeypatch, who="Văn phòng Thành ủy")
    at.file_uploader(key="upload").set_value(
        [("sai.xlsx", bad, XLSX), ("dung.xlsx", _report_xlsx(), XLSX)]
    ).run()
    assert not at.exception
    assert at.error and "`sai.xlsx:Quận!B3`" in at.error[0].value  # file, sheet and cell
    assert "Quận Không Có" in at.error[0].value
    summary = _frame(at, "Tệp", "Giá trị sẽ lưu", "Trạng thái")
    assert list(summary["Lỗi"]) == [1, 0]
    assert list(summary["Trạng thái"]) == ["có lỗi, không lưu được", "sẵn sàng lưu"]
    assert f"store_{_id(bad)}" not in [button.key for button in at.button]
    assert "Không lưu cùng: sai.xlsx (có lỗi, không lưu được)." in _texts(at)

    at.button(key="store_all").click().run()
    assert not at.exception
    stored = _stored_rows(empty_db)
    assert set(stored["file_name"]) == {"dung.xlsx"}
    assert len(stored) == 2
    assert any("dung.xlsx" in s.value and "sai.xlsx" not in s.value for s in at.success)
    assert at.error and "`sai.xlsx:Quận!B3`" in at.error[0].value  # still shown, not stored


def test_upload_storing_one_file_leaves_the_other_alone(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _report_xlsx()
    second = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [1, "Quận Ô Môn", "Tỷ lệ hộ nghèo", 2013, "7,3"],  # the first file says 7,1
        ]
    )
    at = _upload_page(empty_db, monkeypatch, who="VP Quận ủy Ô Môn")
    at.file_uploader(key="upload").set_value(
        [("a.xlsx", first, XLSX), ("b.xlsx", second, XLSX)]
    ).run()
    assert any("**a.xlsx** và **b.xlsx** cùng có 1 giá trị" in w.value for w in at.warning)

    at.button(key=f"store_{_id(first)}").click().run()
    assert not at.exception
    assert set(_stored_rows(empty_db)["file_name"]) == {"a.xlsx"}
    summary = _frame(at, "Tệp", "Giá trị sẽ lưu", "Trạng thái")
    assert summary["Trạng thái"].iloc[0].startswith("đã lưu")
    # b.xlsx now corrects a stored value: it asks before replacing it.
    assert summary["Trạng thái"].iloc[1] == "chờ xác nhận thay giá trị đang lưu"
    assert at.button(key=f"store_{_id(second)}").disabled
    assert any("7,1 → 7,3" in warning.value for warning in at.warning)


def test_upload_the_same_file_twice_is_checked_and_stored_once(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _report_xlsx()
    at = _upload_page(empty_db, monkeypatch, who="Văn phòng Thành ủy")
    at.file_uploader(key="upload").set_value(
        [("ho_ngheo.xlsx", data, XLSX), ("ho_ngheo (1).xlsx", data, XLSX)]
    ).run()
    assert not at.exception
    assert any(
        "ho_ngheo (1).xlsx: cùng nội dung với ho_ngheo.xlsx" in info.value for info in at.info
    )
    assert [b.key for b in at.button if str(b.key).startswith("store_")] == [f"store_{_id(data)}"]
    at.button(key=f"store_{_id(data)}").click().run()
    assert not at.exception
    stored = _stored_rows(empty_db)
    assert stored["batch_id"].nunique() == 1 and len(stored) == 2
    assert set(stored["file_name"]) == {"ho_ngheo.xlsx"}


def test_upload_reruns_reuse_each_files_check(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big files are read once: a rerun reuses the dry runs, a new file alone is read."""
    checked: list[str] = []
    run_load = upload.run_load

    def counting(*args: Any, **kwargs: Any) -> Any:
        checked.append(args[1])
        return run_load(*args, **kwargs)

    monkeypatch.setattr(upload, "run_load", counting)
    first, second = _report_xlsx(), _xlsx_bytes([["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"]])
    at = _upload_page(empty_db, monkeypatch)
    at.file_uploader(key="upload").set_value([("a.xlsx", first, XLSX), ("b.xlsx", second, XLSX)])
    at.run()
    assert checked == ["a.xlsx", "b.xlsx"]
    at.run()
    assert checked == ["a.xlsx", "b.xlsx"]
    at.file_uploader(key="upload").set_value(
        [("a.xlsx", first, XLSX), ("b.xlsx", second, XLSX), ("c.csv", b"x;y\n", "text/csv")]
    ).run()
    assert not at.exception
    assert checked == ["a.xlsx", "b.xlsx", "c.csv"]


def test_upload_a_file_that_breaks_the_reader_leaves_the_others_usable(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_load = upload.run_load

    def breaking(*args: Any, **kwargs: Any) -> Any:
        if args[1] == "hong.xlsx":
            raise RuntimeError("a bug in a reader")
        return run_load(*args, **kwargs)

    monkeypatch.setattr(upload, "run_load", breaking)
    at = _upload_page(empty_db, monkeypatch, who="Văn phòng Thành ủy")
    good = _report_xlsx()
    at.file_uploader(key="upload").set_value(
        [("hong.xlsx", b"PK\x03\x04", XLSX), ("dung.xlsx", good, XLSX)]
    ).run()
    assert not at.exception  # no traceback
    assert any("Không kiểm tra được hong.xlsx" in e.value for e in at.error)
    summary = _frame(at, "Tệp", "Giá trị sẽ lưu", "Trạng thái")
    assert list(summary["Trạng thái"]) == ["không kiểm tra được", "sẵn sàng lưu"]
    at.button(key="store_all").click().run()
    assert set(_stored_rows(empty_db)["file_name"]) == {"dung.xlsx"}


def test_upload_shows_errors_with_their_cell(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Ghi chú"],
            [1, "Quận Không Có", "Tỷ lệ hộ nghèo", 2013, "7,1", None],
        ]
    )
    at = _upload_page(fresh_sample_db, monkeypatch)
    at.file_uploader(key="upload").set_value(("sai.xlsx", data, XLSX)).run()
    assert not at.exception
    assert at.error and "sai.xlsx:Sheet!B2" in at.error[0].value
    assert not [b.key for b in at.button if str(b.key).startswith("store")]  # nothing to store
    assert "Trang **Sheet**: bảng dọc, mỗi dòng một giá trị; dòng tiêu đề ở ô A1" in _texts(at)
    downloads = [element.proto.label for element in at.get("download_button")]
    assert "Tải bản đánh dấu lỗi (.xlsx)" in downloads
    assert "Tải mẫu (.xlsx)" in downloads  # the blank templates are always offered


def test_upload_page_rolls_back_a_batch(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _upload_page(fresh_sample_db, monkeypatch)
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
    data = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [1, "Q. Ô Môn cũ", "Tỷ lệ hộ nghèo", 2013, "7,1"],
        ]
    )
    at = _upload_page(fresh_sample_db, monkeypatch, who="VP Quận ủy Ô Môn")
    at.file_uploader(key="upload").set_value(("ten_cu.xlsx", data, XLSX)).run()
    assert at.error and "Q. Ô Môn cũ" in at.error[0].value
    mapping = at.selectbox(key=f"map_unit_{_id(data)}_0")
    assert mapping.options[1].startswith("Quận Ô Môn")  # the closest unit is offered first
    mapping.set_value("917")
    at.button(key=f"remember_mappings_{_id(data)}").click().run()
    assert not at.exception
    assert not at.error
    assert f"store_{_id(data)}" in [button.key for button in at.button]  # now it can be stored
    assert "Q. Ô Môn cũ" not in _texts(at)


def test_upload_asks_before_replacing_stored_values(
    fresh_sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _xlsx_bytes(
        [
            ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [1, "Quận Ô Môn", "Tỷ lệ hộ nghèo", 2012, "9,6"],  # stored: 9,52
        ]
    )
    at = _upload_page(fresh_sample_db, monkeypatch, who="VP Quận ủy Ô Môn")
    at.file_uploader(key="upload").set_value(("sua.xlsx", data, XLSX)).run()
    assert any("9,52 → 9,6" in warning.value for warning in at.warning)
    assert at.button(key=f"store_{_id(data)}").disabled
    _confirm(at).check().run()
    assert not at.button(key=f"store_{_id(data)}").disabled
