"""The staff member's path end to end in a real browser: upload reports (one or several
at once), store them, see them on the overview."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.workbooks import write_xlsx

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
LIVE = '[data-testid="stElementContainer"][data-stale="false"]'


def _choose_files(page: Page, *paths: str) -> None:
    """Put files in the uploader and wait until the page names them, before the name
    field starts a rerun. On a loaded machine the page's first run can replace the input just
    as the files are set, and they are dropped; a person then chooses them again, and
    so does this (at most three times)."""
    main = page.locator('[data-testid="stMain"]')
    names = [main.get_by_text(Path(path).name).first for path in paths]  # the page names it
    for attempt in range(3):
        expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=30_000)
        dropzone = page.locator(f'{LIVE} [data-testid="stFileUploaderDropzoneInput"]')
        expect(dropzone).to_be_attached(timeout=30_000)
        dropzone.set_input_files(list(paths))
        try:
            for name in names:
                expect(name).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def test_upload_a_sample_report_then_see_it_on_the_overview(page: Page, app_url: str) -> None:
    workbook = next(SAMPLE.glob("02_*.xlsx"))
    page.goto(f"{app_url}/upload")
    who = page.get_by_label("Người lưu")
    expect(who).to_be_visible(timeout=30_000)
    _choose_files(page, str(workbook))
    who.fill("Văn phòng Thành ủy")
    who.press("Enter")

    store = page.get_by_role("button", name=re.compile(r"^Lưu .* vào kho$"))
    expect(store).to_be_visible(timeout=30_000)
    store.click()
    success = page.locator(f'{LIVE} [data-testid="stAlertContentSuccess"]')
    expect(success).to_contain_text(re.compile(r"đợt nạp \d+"), timeout=30_000)

    page.goto(f"{app_url}/?unit=917&year=2010")
    metrics = page.locator(f'{LIVE} [data-testid="stMetric"]')
    expect(metrics.first).to_be_visible(timeout=30_000)
    expect(page.locator(LIVE).filter(has_text="Tỷ lệ hộ nghèo").first).to_be_visible()


def test_upload_with_a_unit_to_match_then_store_and_roll_back(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    """A report as an office makes it (title, units line, numbering row, a total row and
    one unit typed the office's own way): match the unit once, store, roll back."""
    rows: list[list[object]] = [
        ["THÀNH ỦY CẦN THƠ"],
        ["BÁO CÁO SỐ HỘ NGHÈO CÁC QUẬN, HUYỆN"],
        ["Chỉ tiêu: Số hộ nghèo"],
        ["Đơn vị tính: hộ"],
        ["STT", "Đơn vị", "Năm 2017", "Năm 2018"],
        ["A", "B", 1, 2],
        [1, "Q. Bình Thủy", "1.020", "980"],
        [2, "Ô Môn (quận)", "1.310", "1.150"],
        ["", "Tổng cộng", "2.330", "2.130"],
        [],
        ["Ghi chú: số liệu thử nghiệm"],
    ]
    workbook = write_xlsx(tmp_path / "ho_ngheo_quan.xlsx", rows)
    page.goto(f"{app_url}/upload")
    who = page.get_by_label("Người lưu")
    expect(who).to_be_visible(timeout=30_000)
    _choose_files(page, str(workbook))
    who.fill("Văn phòng Thành ủy")
    who.press("Enter")

    errors = page.locator(f'{LIVE} [data-testid="stAlertContentError"]')
    expect(errors).to_contain_text("Ô Môn (quận)", timeout=30_000)
    combobox = page.get_by_role("combobox", name=re.compile(r"Ô Môn \(quận\)"))
    combobox.click()
    combobox.fill("(917)")
    option = page.get_by_role("option", name=re.compile(r"Quận Ô Môn \(917\)"))
    expect(option).to_have_count(1)
    option.click()
    expect(page.locator('[data-stale="true"]')).to_have_count(0)  # the rerun is over
    page.get_by_role("button", name="Ghi nhớ và kiểm tra lại").click()

    store = page.get_by_role("button", name="Lưu ho_ngheo_quan.xlsx vào kho")
    expect(store).to_be_visible(timeout=30_000)
    store.click()
    success = page.locator(f'{LIVE} [data-testid="stAlertContentSuccess"]')
    expect(success).to_contain_text(re.compile(r"đợt nạp \d+"), timeout=30_000)
    batch = re.search(r"đợt nạp (\d+)", success.inner_text())
    assert batch is not None

    expect(page.get_by_text("đã được lưu trước đây")).to_be_visible()  # the page reran
    expect(page.locator('[data-stale="true"]')).to_have_count(0)
    page.locator("summary").filter(has_text="Hủy một đợt nạp").click()
    page.locator('[data-testid="stCheckbox"] label').filter(has_text="Tôi hiểu").click()
    roll_back = page.get_by_role("button", name=re.compile("^Hủy đợt nạp"))
    expect(roll_back).to_be_enabled(timeout=15_000)
    roll_back.click()
    expect(page.locator(f'{LIVE} [data-testid="stAlertContentSuccess"]')).to_contain_text(
        f"{batch.group(1)}", timeout=30_000
    )


def test_upload_two_files_at_once_and_store_both(page: Page, app_url: str, tmp_path: Path) -> None:
    """Both files chosen in one go: a summary row each, one button stores both, each as
    its own batch."""
    header = ["STT", "Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"]
    admitted = write_xlsx(
        tmp_path / "ket_nap_2019.xlsx",
        [
            header,
            [1, "Quận Ô Môn", "Số đảng viên kết nạp mới", 2019, "112"],
            [2, "Quận Bình Thủy", "Số đảng viên kết nạp mới", 2019, "97"],
        ],
    )
    disciplined = write_xlsx(
        tmp_path / "ky_luat_2019.xlsx",
        [header, [1, "Quận Ô Môn", "Số đảng viên bị kỷ luật", 2019, "4"]],
    )
    page.goto(f"{app_url}/upload")
    who = page.get_by_label("Người lưu")
    expect(who).to_be_visible(timeout=30_000)
    _choose_files(page, str(admitted), str(disciplined))
    who.fill("Ủy ban Kiểm tra")
    who.press("Enter")

    store_all = page.get_by_role("button", name="Lưu mọi tệp không có lỗi vào kho (2 tệp)")
    expect(store_all).to_be_enabled(timeout=30_000)
    summary = page.locator(f'{LIVE} [data-testid="stDataFrame"]').first
    expect(summary).to_be_visible()
    expect(page.locator('[data-stale="true"]')).to_have_count(0)
    store_all.click()

    success = page.locator(f'{LIVE} [data-testid="stAlertContentSuccess"]')
    expect(success).to_contain_text("ket_nap_2019.xlsx", timeout=30_000)
    expect(success).to_contain_text("ky_luat_2019.xlsx")
    batches = re.findall(r"đợt nạp (\d+), người lưu Ủy ban Kiểm tra", success.inner_text())
    assert len(set(batches)) == 2  # one batch per file

    page.goto(f"{app_url}/?unit=917&year=2019")
    metrics = page.locator(f'{LIVE} [data-testid="stMetric"]')
    expect(metrics.filter(has_text="Số đảng viên kết nạp mới").first).to_be_visible(timeout=30_000)
    expect(metrics.filter(has_text="Số đảng viên bị kỷ luật").first).to_be_visible()
