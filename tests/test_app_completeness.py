"""The completeness view: who has not reported which indicators for a period.

Query tests run on real warehouses: the bundled samples, and a small ministry warehouse
built here from workbooks written at test time and loaded with ``etl load``. Page tests
open the page through AppTest with the selection in the URL.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from streamlit.testing.v1 import AppTest

from dashboard import completeness
from dashboard.completeness import Period, Summary
from dashboard.i18n import STRINGS, t
from dashboard.queries import Connection, reader
from etl.cli import main as etl_main
from tests.apptest import open_app

ROOT = Path(__file__).resolve().parent.parent
PAGE = "views/completeness.py"
H1_2025 = Period("half", date(2025, 1, 1), date(2025, 6, 30))

# Units of the ministry's party organisation (data/units.csv): DBBCT-01..10 existed at the
# end of 2024 (DBBCT-10 until 31/01/2025, DBBCT-03 and -04 until 28/02/2025); DBBCT-11
# and -12 exist from 01/03/2025.
OFFICE = "Đảng bộ Văn phòng Bộ Công Thương"  # DBBCT-01
TRADE = "Đảng bộ Cục Xuất nhập khẩu"  # DBBCT-02
MARKET = "Đảng bộ Tổng cục Quản lý thị trường"  # DBBCT-03
DOMESTIC = "Đảng bộ Cục Quản lý và Phát triển thị trường trong nước"  # DBBCT-11
POWER = "Đảng bộ Cục Điện lực"  # DBBCT-12
REGULATOR = "Đảng bộ Cục Điều tiết điện lực"  # DBBCT-04
COLLEGE = "Đảng bộ Trường Cao đẳng Công Thương Thành phố Hồ Chí Minh"  # DBBCT-10


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def ministry_db(empty_db: Path, tmp_path: Path) -> Path:
    """Three reports of the ministry's party organisations, loaded as three batches."""
    yearly = _xlsx(
        tmp_path / "dang_vien_2024.xlsx",
        [
            ["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị", "Loại số liệu"],
            [OFFICE, "Số đảng viên", 2024, "512", "Báo cáo"],
            [OFFICE, "Số đảng viên kết nạp mới", 2024, "12", "Sơ bộ"],
            [TRADE, "Số đảng viên", 2024, "230", "Minh họa"],
            [TRADE, "Số đảng viên", 2023, "220", None],
            [MARKET, "Số đảng viên kết nạp mới", 2023, "5", None],
        ],
    )
    correction = _xlsx(
        tmp_path / "dang_vien_2024_sua.xlsx",
        [
            ["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            [OFFICE, "Số đảng viên", 2024, "515"],
        ],
    )
    half = _xlsx(
        tmp_path / "dang_vien_6_thang_2025.xlsx",
        [
            ["Đơn vị", "Chỉ tiêu", "Từ ngày", "Đến ngày", "Giá trị"],
            [MARKET, "Số đảng viên", "01/01/2025", "30/06/2025", "300"],
            [POWER, "Số đảng viên", "01/01/2025", "30/06/2025", "310"],
        ],
    )
    for path in (yearly, correction, half):
        assert etl_main(["load", str(path), "--db", str(empty_db)]) == 0, path
    return empty_db


@pytest.fixture
def ministry(ministry_db: Path) -> Iterator[Connection]:
    with reader(ministry_db) as con:
        yield con


@pytest.fixture
def sample(sample_db: Path) -> Iterator[Connection]:
    with reader(sample_db) as con:
        yield con


def _cell(cells: pd.DataFrame, unit: str, indicator: str) -> pd.Series:
    rows = cells[(cells["unit_code"] == unit) & (cells["indicator_code"] == indicator)]
    assert len(rows) == 1, (unit, indicator)
    return rows.iloc[0]


def _statuses(cells: pd.DataFrame, indicator: str) -> dict[str, str]:
    rows = cells[cells["indicator_code"] == indicator]
    return dict(zip(rows["unit_code"], rows["status"], strict=True))


# --- queries on the ministry warehouse ------------------------------------------------------


def test_year_grid_gives_each_cell_its_status(ministry: Connection) -> None:
    cells = completeness.grid(ministry, "DBBCT", Period.year(2024))
    assert list(dict.fromkeys(cells["indicator_code"])) == ["party_members", "members_admitted"]
    assert _statuses(cells, "party_members") == {
        "DBBCT-01": "reported",
        "DBBCT-02": "illustrative",
        "DBBCT-03": "missing",
        "DBBCT-04": "missing",
        "DBBCT-05": "missing",
        "DBBCT-06": "missing",
        "DBBCT-07": "missing",
        "DBBCT-08": "missing",
        "DBBCT-09": "missing",
        "DBBCT-10": "missing",  # existed on 31/12/2024, dissolved in January 2025
        "DBBCT-11": "not_applicable",  # created on 01/03/2025
        "DBBCT-12": "not_applicable",
    }
    assert _cell(cells, "DBBCT-01", "members_admitted")["status"] == "preliminary"
    assert _cell(cells, "DBBCT-02", "members_admitted")["status"] == "missing"
    # Units that did not exist come last, the others in catalogue order.
    assert list(dict.fromkeys(cells["unit_code"]))[-3:] == ["DBBCT-10", "DBBCT-11", "DBBCT-12"]


def test_a_cell_names_its_latest_batch_and_file(ministry: Connection) -> None:
    cells = completeness.grid(ministry, "DBBCT", Period.year(2024))
    office = _cell(cells, "DBBCT-01", "party_members")
    assert office["value"] == 515  # the correction, not the first report's 512
    assert office["batch_id"] == 2
    assert office["source_file"] == "dang_vien_2024_sua.xlsx"
    assert office["source_cell"] == "D2"
    assert not pd.isna(office["loaded_at"])
    # A missing cell says when the unit last reported that indicator, if ever.
    market = _cell(cells, "DBBCT-03", "members_admitted")
    assert market["status"] == "missing"
    assert pd.Timestamp(market["last_period_start"]).year == 2023
    assert market["last_source_file"] == "dang_vien_2024.xlsx"
    assert pd.isna(_cell(cells, "DBBCT-02", "members_admitted")["last_period_start"])


def test_half_year_grid_uses_the_units_existing_at_its_end(ministry: Connection) -> None:
    cells = completeness.grid(ministry, "DBBCT", H1_2025)
    assert set(cells["indicator_code"]) == {"party_members"}  # half-year reports only
    statuses = _statuses(cells, "party_members")
    assert statuses["DBBCT-12"] == "reported"
    assert statuses["DBBCT-03"] == "reported"  # merged on 01/03/2025, but its figure is there
    assert statuses["DBBCT-11"] == "missing"  # created on 01/03/2025: due on 30/06/2025
    assert statuses["DBBCT-01"] == "missing"
    assert statuses["DBBCT-04"] == "not_applicable"  # merged on 01/03/2025, no figure
    assert statuses["DBBCT-10"] == "not_applicable"  # dissolved on 31/01/2025


def test_period_types_and_periods_come_from_the_units_in_scope(ministry: Connection) -> None:
    assert completeness.period_types(ministry, "DBBCT") == ["year", "half"]
    assert completeness.periods(ministry, "DBBCT", "year") == [
        Period.year(2023),
        Period.year(2024),
    ]
    assert completeness.periods(ministry, "DBBCT", "half") == [H1_2025]
    assert completeness.period_types(ministry, "92") == []  # nothing below Cần Thơ here


def test_indicators_by_group_or_by_list(ministry: Connection) -> None:
    grouped = completeness.grid(ministry, "DBBCT", Period.year(2024), group="party_organisation")
    assert set(grouped["indicator_code"]) == {"party_members", "members_admitted"}
    other = completeness.grid(ministry, "DBBCT", Period.year(2024), group="socio_economic")
    assert other.empty
    listed = completeness.grid(
        ministry, "DBBCT", Period.year(2024), indicators=["inspected_members", "party_members"]
    )
    assert set(listed["indicator_code"]) == {"inspected_members", "party_members"}
    assert _cell(listed, "DBBCT-01", "inspected_members")["status"] == "missing"
    assert _cell(listed, "DBBCT-11", "inspected_members")["status"] == "not_applicable"


def test_counts_and_summary(ministry: Connection) -> None:
    cells = completeness.grid(ministry, "DBBCT", Period.year(2024))
    units = completeness.unit_counts(cells).set_index("unit_code")
    assert units.loc["DBBCT-01", "n_missing_indicators"] == 0
    assert units.loc["DBBCT-02", "n_missing_indicators"] == 1
    assert units.loc["DBBCT-02", "missing_indicators"] == "Số đảng viên kết nạp mới"
    assert units.loc["DBBCT-05", "n_missing_indicators"] == 2
    assert units.loc["DBBCT-11", "n_expected_indicators"] == 0
    indicators = completeness.indicator_counts(cells).set_index("indicator_code")
    assert indicators.loc["party_members", "n_missing_units"] == 8  # DBBCT-03..10
    assert indicators.loc["party_members", "n_expected_units"] == 10
    assert indicators.loc["members_admitted", "n_missing_units"] == 9

    summary = completeness.summarize(cells)
    assert (summary.n_units, summary.n_complete, summary.n_indicators) == (10, 1, 2)
    assert summary.missing[0] == (MARKET, 2)
    assert summary.missing[-1] == (TRADE, 1)  # fewest missing last
    assert summary.not_applicable == [DOMESTIC, POWER]
    assert (summary.n_illustrative, summary.n_preliminary) == (1, 1)
    text = completeness.summary_text(summary, Period.year(2024))
    assert text.startswith(
        f"**2024**: 1 trong 10 đơn vị đã báo cáo đủ 2 chỉ tiêu; còn thiếu: {MARKET} (2 thiếu), "
    )
    assert text.endswith(f"{TRADE} (1 thiếu).")


def test_summary_when_everyone_reported_and_when_many_did_not() -> None:
    complete = Summary(9, 9, 7, [], [], 0, 0)
    assert completeness.summary_text(complete, H1_2025, "en") == (
        "**H1 2025**: all 9 units reported all 7 indicators."
    )
    many = Summary(20, 6, 3, [(f"Unit {i}", 1) for i in range(14)], [], 0, 0)
    text = completeness.summary_text(many, Period.year(2012), "en")
    assert text.startswith("**2012**: 6 of 20 units reported all 3 indicators; missing: Unit 0 (1")
    assert "Unit 11 (1 missing)" in text and "Unit 12" not in text
    assert text.endswith("and 2 more.")


# --- queries on the sample warehouse --------------------------------------------------------


def test_sample_can_tho_2006_misses_thoi_lai(sample: Connection) -> None:
    cells = completeness.grid(sample, "92", Period.year(2006))
    assert cells["unit_code"].nunique() == 9 and cells["indicator_code"].nunique() == 9
    assert set(_statuses(cells, "poverty_rate").values()) == {"illustrative", "missing"}
    assert set(cells.loc[cells["unit_code"] == "927", "status"]) == {"missing"}
    assert _cell(cells, "917", "poverty_rate")["status"] == "illustrative"
    text = completeness.summary_text(completeness.summarize(cells), Period.year(2006))
    assert text == (
        "**2006**: 8 trong 9 đơn vị đã báo cáo đủ 9 chỉ tiêu; còn thiếu: Huyện Thới Lai (9 thiếu)."
    )


def test_sample_reported_figure_of_o_mon_2012(sample: Connection) -> None:
    cell = _cell(completeness.grid(sample, "92", Period.year(2012)), "917", "poverty_rate")
    assert cell["status"] == "reported"
    assert cell["value"] == pytest.approx(9.52)
    assert cell["source_file"] == "01_so_lieu_van_ban_nguon.xlsx"


def test_subtree_reaches_units_below_the_children(sample: Connection) -> None:
    children = completeness.grid(sample, "92", Period.year(2013))
    assert "918-CCT" not in set(children["unit_code"])
    subtree = completeness.grid(sample, "92", Period.year(2013), subtree=True)
    tax_office = _cell(subtree, "918-CCT", "revenue_task_teams")
    assert tax_office["status"] == "reported" and tax_office["depth"] == 2
    assert _cell(subtree, "917", "revenue_task_teams")["status"] == "missing"
    codes = list(dict.fromkeys(subtree["unit_code"]))
    assert codes.index("918") < codes.index("918-CCT") < codes.index("919")  # tree order


def test_units_sharing_a_name_get_their_code(sample: Connection) -> None:
    cells = completeness.grid(sample, "VN", Period.year(2012))
    labels = dict(zip(cells["unit_code"], cells["unit_label"], strict=True))
    assert labels["10"] == "Tỉnh Lào Cai (10)"
    assert labels["15-2025"] == "Tỉnh Lào Cai (15-2025)"
    assert labels["01"] == "Thành phố Hà Nội"
    assert set(cells.loc[cells["unit_code"] == "15-2025", "status"]) == {"not_applicable"}


def test_parent_units_are_those_with_data_below(sample: Connection) -> None:
    parents = completeness.parent_units(sample).set_index("unit_code")
    assert {"VN", "92", "918", "DBBCT"} <= set(parents.index)
    assert "917" not in parents.index  # no unit below Ô Môn holds data
    assert parents.loc["92", "n_children"] == 9
    assert parents.loc["918", "n_children"] == 2
    assert parents.loc["92", "depth"] == 1 and parents.loc["VN", "depth"] == 0


def test_unit_cap_says_it_truncated(sample: Connection) -> None:
    cells = completeness.grid(sample, "92", Period.year(2012), max_units=3)
    assert cells["unit_code"].nunique() == 3
    assert cells.attrs["truncated"] and cells.attrs["n_units_in_scope"] == 9


# --- the chart and the workbook -------------------------------------------------------------


def test_grid_figure_has_a_symbol_a_colour_and_a_tooltip_per_cell(ministry: Connection) -> None:
    cells = completeness.grid(ministry, "DBBCT", Period.year(2024))
    fig = completeness.grid_figure(cells, Period.year(2024), "vi", title="x")
    heatmap = fig.data[0]
    rows = [label.strip() for label in heatmap.y]
    columns = [label.replace("<br>", " ") for label in heatmap.x]  # headers are wrapped
    row, column = rows.index(TRADE), columns.index("Số đảng viên kết nạp mới")
    assert heatmap.text[row][column] == "✗"
    assert completeness.STATUSES[int(heatmap.z[row][column])] == "missing"
    office, members = rows.index(OFFICE), columns.index("Số đảng viên")
    assert heatmap.text[office][members] == "✓"
    tip = heatmap.customdata[office][members]
    assert "515" in tip and "dang_vien_2024_sua.xlsx" in tip and "Đợt nạp 2" in tip
    legend = [trace.name for trace in fig.data[1:]]
    assert legend == [completeness.status_label(s, "vi") for s in completeness.STATUSES]
    assert "✗ Chưa báo cáo" in legend and "– Không áp dụng" in legend


def test_xlsx_has_the_grid_in_the_same_colours(ministry: Connection) -> None:
    cells = completeness.grid(ministry, "DBBCT", Period.year(2024))
    data = completeness.to_xlsx(cells, Period.year(2024), "vi", title="Tình hình báo cáo")
    book = load_workbook(io.BytesIO(data))
    grid, detail = book["Lưới"], book["Chi tiết"]
    header = [cell.value for cell in grid[4]]
    assert header == ["Đơn vị", "Số đảng viên", "Số đảng viên kết nạp mới", "Số chỉ tiêu thiếu"]
    rows = {row[0].value: row for row in grid.iter_rows(min_row=5)}
    trade = rows[TRADE]
    assert [c.value for c in trade] == [TRADE, "○ Minh họa", "✗ Chưa báo cáo", 1]
    assert trade[2].fill.fgColor.rgb.endswith(completeness.STYLES["missing"].fill.lstrip("#"))
    assert trade[1].fill.fgColor.rgb.endswith(completeness.STYLES["illustrative"].fill.lstrip("#"))
    assert rows[DOMESTIC][1].value == "– Không áp dụng"
    assert [c.value for c in rows["Số đơn vị thiếu"]][1:3] == [8, 9]
    assert "✓ Đã báo cáo" in rows  # the legend below the grid
    header_row, *values = list(detail.values)
    details = pd.DataFrame(values, columns=header_row)
    office = details[
        (details["Mã đơn vị"] == "DBBCT-01") & (details["Mã chỉ tiêu"] == "party_members")
    ]
    assert office[["Tệp nguồn", "Đợt nạp", "Giá trị"]].values.tolist() == [
        ["dang_vien_2024_sua.xlsx", 2, 515]
    ]


def test_csv_holds_every_cell_with_its_source(ministry: Connection) -> None:
    cells = completeness.grid(ministry, "DBBCT", Period.year(2024))
    data = completeness.to_csv(cells, Period.year(2024), "en")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Vietnamese letters
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert list(frame.columns[:6]) == [
        "Unit code", "Unit", "Indicator code", "Indicator", "Period", "Status",
    ]  # fmt: skip
    assert len(frame) == 12 * 2
    row = frame[
        (frame["Unit code"] == "DBBCT-03") & (frame["Indicator code"] == "members_admitted")
    ]
    assert row[["Status", "Latest period with a figure"]].values.tolist() == [["✗ Missing", "2023"]]


def test_status_period_type_and_scope_words_exist_in_both_languages() -> None:
    keys = [f"status_{s}" for s in completeness.STATUSES]
    keys += [f"period_type_{k}" for k in completeness.PERIOD_TYPES]
    keys += [f"scope_{s}" for s in completeness.SCOPES]
    keys += [f"col_{c}" for c in completeness.details(_empty_cells(), H1_2025).columns]
    assert [key for key in keys if key not in STRINGS] == []
    assert t("status_missing", "en") == "Missing"


def _empty_cells() -> pd.DataFrame:
    columns = [
        "unit_code", "unit_label", "indicator_code", "indicator_name", "status", "value",
        "qualifier", "measure", "source_file", "source_sheet", "source_cell", "batch_id",
        "last_period_start", "last_period_end",
    ]  # fmt: skip
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def test_the_library_does_not_import_streamlit() -> None:
    code = "import sys, dashboard.completeness; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# --- the page -------------------------------------------------------------------------------


def _open(**params: str) -> AppTest:
    return open_app(PAGE, params)


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error]
    return "\n".join(str(element.value) for element in parts)


def _frame(at: AppTest, *headers: str) -> pd.DataFrame:
    for element in at.dataframe:
        if set(headers) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with columns {headers}")


@pytest.fixture
def ministry_page(ministry_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(ministry_db))
    return _open


@pytest.fixture
def sample_page(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    monkeypatch.setenv("WAREHOUSE_DB", str(sample_db))
    return _open


def test_page_shows_who_is_missing(ministry_page: Callable[..., AppTest]) -> None:
    at = ministry_page(parent="DBBCT", year="2024")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Tình hình báo cáo"
    text = _texts(at)
    assert "**2024**: 1 trong 10 đơn vị đã báo cáo đủ 2 chỉ tiêu; còn thiếu: " in text
    assert f"{MARKET} (2 thiếu)" in text and f"{TRADE} (1 thiếu)" in text
    assert "Không áp dụng cho 2 đơn vị chưa thành lập" in text and DOMESTIC in text
    assert "1 ô là số liệu minh họa, 1 ô là số liệu sơ bộ" in text
    by_unit = _frame(at, "Đơn vị", "Số chỉ tiêu thiếu", "Chỉ tiêu còn thiếu")
    missing = dict(zip(by_unit["Đơn vị"], by_unit["Số chỉ tiêu thiếu"], strict=True))
    assert missing[OFFICE] == 0 and missing[TRADE] == 1 and missing[MARKET] == 2
    assert DOMESTIC not in missing  # not applicable: listed in the caption instead
    by_indicator = _frame(at, "Chỉ tiêu", "Số đơn vị thiếu")
    assert dict(zip(by_indicator["Chỉ tiêu"], by_indicator["Số đơn vị thiếu"], strict=True)) == {
        "Số đảng viên kết nạp mới": 9,
        "Số đảng viên": 8,
    }
    assert len(at.get("plotly_chart")) == 1
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Tải CSV", "Tải Excel"]
    assert at.query_params["period_type"] == "year" and at.query_params["scope"] == "children"


def test_page_builds_the_files_only_when_asked(
    ministry_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []

    def recording(kind: str) -> Callable[..., bytes]:
        def build(*args: Any, **kwargs: Any) -> bytes:
            built.append(kind)
            return b""

        return build

    monkeypatch.setattr(completeness, "to_xlsx", recording("xlsx"))
    monkeypatch.setattr(completeness, "to_csv", recording("csv"))
    at = ministry_page(parent="DBBCT", year="2024")
    at.run()
    assert not at.exception
    assert len(at.get("download_button")) == 2
    assert built == []  # a rerun does not pay for a workbook nobody asked for


def test_page_in_english(ministry_page: Callable[..., AppTest]) -> None:
    at = ministry_page(parent="DBBCT", year="2024", lang="en")
    assert not at.exception
    assert at.title[0].value == "Completeness"
    text = _texts(at)
    assert "**2024**: 1 of 10 units reported all 2 indicators; missing: " in text
    assert "Party Organisation of the Directorate of Market Surveillance (2 missing)" in text
    assert "Not applicable to 2 units" in text
    assert _frame(at, "Unit", "Indicators missing").shape[0] == 10


def test_page_switches_period_type_and_keeps_it_in_the_url(
    ministry_page: Callable[..., AppTest],
) -> None:
    at = ministry_page(parent="DBBCT", year="2024")
    at.selectbox(key="period_type").set_value("half").run()
    assert not at.exception
    assert at.query_params["period"] == "2025-01-01..2025-06-30"
    text = _texts(at)
    assert "**6 tháng đầu 2025**: 2 trong 10 đơn vị đã báo cáo đủ 1 chỉ tiêu" in text
    assert f"{DOMESTIC} (1 thiếu)" in text
    assert REGULATOR in text and COLLEGE in text  # not applicable
    # The same view from its link.
    again = ministry_page(parent="DBBCT", period_type="half", period="2025-01-01..2025-06-30")
    assert "**6 tháng đầu 2025**: 2 trong 10 đơn vị" in _texts(again)


def test_page_warns_about_an_unknown_period_in_the_link(
    ministry_page: Callable[..., AppTest],
) -> None:
    at = ministry_page(parent="DBBCT", year="1999")
    assert not at.exception
    assert any("1999" in warning.value for warning in at.warning)
    assert at.query_params["year"] == "2024"  # the latest year instead


def test_page_subtree_scope_and_default_parent(sample_page: Callable[..., AppTest]) -> None:
    at = sample_page(unit="92", year="2013")  # the unit shown on the overview
    assert not at.exception
    assert at.query_params["parent"] == "92"
    assert "Chi cục Thuế quận Bình Thủy" not in set(
        _frame(at, "Đơn vị", "Số chỉ tiêu thiếu")["Đơn vị"]
    )
    at.radio(key="scope").set_value("subtree").run()
    assert not at.exception
    assert at.query_params["scope"] == "subtree"
    units = set(_frame(at, "Đơn vị", "Số chỉ tiêu thiếu")["Đơn vị"])
    assert {"Chi cục Thuế quận Bình Thủy", "Phường Trà Nóc", "Quận Ô Môn"} <= units


def test_page_group_filter(sample_page: Callable[..., AppTest]) -> None:
    at = sample_page(parent="92", year="2013", scope="subtree", group="party_organisation")
    assert not at.exception
    indicators = set(_frame(at, "Chỉ tiêu", "Số đơn vị thiếu")["Chỉ tiêu"])
    assert indicators == {"Đạt trong sạch vững mạnh tiêu biểu"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_runs_on_the_samples_in_both_languages(
    sample_page: Callable[..., AppTest], lang: str
) -> None:
    at = sample_page(lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert at.title[0].value == t("page_completeness", lang)
    assert len(at.get("plotly_chart")) == 1


def test_page_on_an_empty_warehouse_says_so(
    empty_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(empty_db))
    at = _open()
    assert not at.exception
    assert [info.value for info in at.info] == [t("no_data", "vi")]
    assert not at.get("plotly_chart")


def test_page_without_a_warehouse_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DB", str(tmp_path / "none.duckdb"))
    at = _open(lang="en")
    assert not at.exception
    assert any("python -m etl init" in info.value for info in at.info)
