"""The meeting pack: its numbers against the sample warehouse worked out by hand, the PDF
read back with ``pdftotext``, the workbook with openpyxl, and the command line."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard import queries
from dashboard.formatting import format_date
from dashboard.pack import content as pack_content
from dashboard.pack import pdf, xlsx
from dashboard.pack.content import PackContent, PackError, build_content, stored_behind
from etl.cli import main as etl_main
from tests.workbooks import write_xlsx

ROOT = Path(__file__).resolve().parent.parent
CITY, O_MON, VINH_THANH, BINH_THUY = "92", "917", "924", "918"
KEYS_2012 = [
    "capital_disbursement_rate",
    "poverty_rate",
    "tax_collection_vs_estimate",
    "review_suggestions_committees",
    "review_suggestion_issues",
]


def _hand(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """Rows read straight from the warehouse, without the dashboard's code."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _batch_of(db: Path, prefix: str) -> int:
    rows = _hand(db, "SELECT batch_id FROM batch WHERE file_name LIKE ?", [f"{prefix}%"])
    assert len(rows) == 1
    return int(rows[0][0])  # type: ignore[call-overload]


def _children_sum(db: Path, indicator: str, year: int) -> float:
    rows = _hand(
        db,
        """
        SELECT sum(value) FROM v_observation
        WHERE parent_code = ? AND indicator_code = ? AND period_type = 'year'
          AND year(period_start) = ?
        """,
        [CITY, indicator, year],
    )
    return float(rows[0][0])  # type: ignore[arg-type]


def _build(db: Path, unit: str, year: int, lang: str = "vi") -> PackContent:
    with queries.reader(db) as con:
        return build_content(con, unit, year, lang, prepared_on=date(2026, 11, 23))


@pytest.fixture(scope="module")
def city(sample_db: Path) -> PackContent:
    """The pack of Cần Thơ city for 2012: every figure but two combined from its districts."""
    return _build(sample_db, CITY, 2012)


@pytest.fixture(scope="module")
def city_pdf_text(city: PackContent, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The city's PDF, built once (kaleido and Chromium), read back by pdftotext."""
    path = tmp_path_factory.mktemp("pack") / "city.pdf"
    path.write_bytes(pdf.to_pdf(city))
    return _pdftotext(path)


def _pdftotext(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF-")
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


# --- what the pack holds ------------------------------------------------------------------------


def test_the_city_overview_matches_its_districts_added_up_by_hand(
    city: PackContent, sample_db: Path
) -> None:
    overview = city.overview.set_index("indicator_code")
    poor = _children_sum(sample_db, "poor_households", 2012)
    households = _children_sum(sample_db, "households", 2012)
    assert (poor, households) == (19_736, 301_979)
    assert overview.at["poverty_rate", "value"] == pytest.approx(100 * poor / households)
    assert overview.at["poor_households", "value"] == poor
    disbursed = _children_sum(sample_db, "capital_disbursed", 2012)
    allocated = _children_sum(sample_db, "capital_allocated", 2012)
    assert overview.at["capital_disbursement_rate", "value"] == pytest.approx(
        100 * disbursed / allocated
    )
    # the change is in percentage points from last year's combined rate
    poor_2011 = _children_sum(sample_db, "poor_households", 2011)
    households_2011 = _children_sum(sample_db, "households", 2011)
    assert overview.at["poverty_rate", "change"] == pytest.approx(
        100 * poor / households - 100 * poor_2011 / households_2011
    )
    # a figure the city reported itself stays as reported
    assert overview.at["review_suggestions_committees", "value"] == 47
    assert overview.at["review_suggestions_committees", "value_status"] == "reported"
    # combined from eight illustrative districts and Ô Môn's reported figure: illustrative
    assert overview.at["poverty_rate", "value_status"] == "illustrative"
    assert overview.at["poverty_rate", "derivation"] == "rollup"


def test_key_indicators_are_the_overview_without_the_parts_of_its_rates(
    city: PackContent,
) -> None:
    assert list(city.key_indicators["indicator_code"]) == KEYS_2012
    assert city.overview["is_key"].sum() == len(KEYS_2012)
    assert set(city.overview["indicator_code"]) >= {"households", "poor_households"}


def test_the_ranking_orders_the_districts_as_their_own_rates_do(
    city: PackContent, sample_db: Path
) -> None:
    by_hand = _hand(
        sample_db,
        """
        SELECT unit_code, value, value_status FROM v_observation
        WHERE parent_code = ? AND indicator_code = 'poverty_rate' AND period_type = 'year'
          AND year(period_start) = 2012
        ORDER BY value  -- lower is better
        """,
        [CITY],
    )
    ranked = city.ranking_for("poverty_rate")
    assert list(ranked["unit_code"]) == [row[0] for row in by_hand]
    assert list(ranked["value"]) == [row[1] for row in by_hand]
    assert list(ranked["rank"]) == list(range(1, 10))
    o_mon = ranked.set_index("unit_code").loc[O_MON]
    assert (o_mon["rank"], o_mon["value"], o_mon["value_status"]) == (8, 9.52, "reported")
    assert ranked.iloc[-1]["unit_code"] == VINH_THANH
    # indicators the districts do not report are not ranked
    assert set(city.ranking["indicator_code"]) == set(KEYS_2012[:3])


def test_series_stop_at_the_pack_year_and_campaigns_are_those_begun_by_then(
    city: PackContent,
) -> None:
    series = city.series_for("poverty_rate")
    assert list(series["year"]) == list(range(2006, 2013))
    assert series["value"].iloc[-1] == pytest.approx(city.overview.iloc[1]["value"])
    assert list(city.campaigns["campaign_code"]) == ["NQTW4-XI-2012"]


def test_every_figure_names_the_batches_it_is_made_of(city: PackContent, sample_db: Path) -> None:
    reported = _batch_of(sample_db, "01_")  # the source documents' figures
    poverty = _batch_of(sample_db, "02_")  # illustrative households and poor households
    budget = _batch_of(sample_db, "03_")
    overview = city.overview.set_index("indicator_code")
    # Ô Môn's poor households come from the reported file, every other part from 02_
    assert overview.at["poverty_rate", "sources"] == tuple(sorted((reported, poverty)))
    assert overview.at["households", "sources"] == (poverty,)
    assert overview.at["capital_disbursement_rate", "sources"] == (budget,)
    assert overview.at["review_suggestions_committees", "sources"] == (reported,)
    # 2011 had no reported figure: last year's value, behind the change, is all from 02_
    assert overview.at["poverty_rate", "previous_sources"] == (poverty,)
    # the tax office under Bình Thủy reported only a rate: the city's rate is made of the
    # districts' collected and estimated revenue, so the office's batch is not a source
    assert overview.at["tax_collection_vs_estimate", "sources"] == (budget,)
    ranked = city.ranking_for("poverty_rate").set_index("unit_code")
    assert ranked.at[O_MON, "sources"] == (reported,)
    assert ranked.at[VINH_THANH, "sources"] == (poverty,)

    sources = city.sources.set_index("batch_id")
    assert list(sources.index) == sorted((reported, poverty, budget))
    assert sources.at[reported, "file_name"] == "01_so_lieu_van_ban_nguon.xlsx"
    # from the reported file: Ô Môn's rate and poor households, the city's two counts
    assert sources.at[reported, "n_values"] == 4
    assert sources.at[reported, "n_illustrative"] == 0
    assert sources.at[poverty, "n_illustrative"] == sources.at[poverty, "n_values"] > 0
    assert sources.at[reported, "loaded_by"] == "etl init"


def test_a_unit_s_own_figure_hides_the_figures_below_it(
    fresh_sample_db: Path, tmp_path: Path
) -> None:
    """A ward of Bình Thủy reports poor households too: the city still adds up Bình Thủy's
    own figure (a roll-up takes a unit's own value), so the ward's batch is no source."""
    before = _build(fresh_sample_db, CITY, 2012).overview.set_index("indicator_code")
    ward = write_xlsx(
        tmp_path / "tra_noc.xlsx",
        [
            ["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
            ["Phường Trà Nóc", "Số hộ nghèo", 2012, 999],
            ["Phường Trà Nóc", "Tổng số hộ", 2012, 5000],
        ],
    )
    assert etl_main(["load", str(ward), "--db", str(fresh_sample_db)]) == 0
    ward_batch = _batch_of(fresh_sample_db, "tra_noc")
    after = _build(fresh_sample_db, CITY, 2012).overview.set_index("indicator_code")
    assert after.at["poverty_rate", "value"] == before.at["poverty_rate", "value"]
    assert ward_batch not in after.at["poverty_rate", "sources"]
    assert after.at["poverty_rate", "sources"] == before.at["poverty_rate", "sources"]
    # asked about the ward's own district, the ward is not hidden by anything above it
    with queries.reader(fresh_sample_db) as con:
        found = stored_behind(
            con,
            pd.DataFrame(
                [
                    {
                        "fig": 0,
                        "root": "31171",
                        "indicator_code": "poverty_rate",
                        "year": 2012,
                        "derivation": "parts",
                        "excluded": "",
                    }
                ]
            ),
        )
    assert set(found["batch_id"]) == {ward_batch}
    assert set(found["indicator_code"]) == {"poor_households", "households"}


def test_a_unit_without_children_has_no_ranking_and_no_grid(sample_db: Path) -> None:
    o_mon = _build(sample_db, O_MON, 2012)
    assert o_mon.ranking.empty
    assert o_mon.completeness.empty
    assert o_mon.overview.set_index("indicator_code").at["poverty_rate", "value"] == 9.52
    assert o_mon.parent_name == "Thành phố Cần Thơ"
    assert o_mon.file_stem == "tai_lieu_hop_917_2012"


def test_requests_that_cannot_be_met_say_what_to_do(sample_db: Path) -> None:
    with queries.reader(sample_db) as con:
        with pytest.raises(PackError) as unknown:
            build_content(con, "XX", 2012)
        with pytest.raises(PackError) as no_year:
            build_content(con, CITY, 2030)
    assert unknown.value.usage and no_year.value.usage
    assert "“XX”" in unknown.value.message("vi")
    assert "92 (Thành phố Cần Thơ)" in unknown.value.message("vi")
    assert "no unit with the code" in unknown.value.message("en")
    assert no_year.value.message("vi") == (
        "Thành phố Cần Thơ (92) không có số liệu năm 2030. Chọn một năm có số liệu: 2006–2016."
    )


# --- the PDF ------------------------------------------------------------------------------------


def test_the_pdf_shows_the_city_its_figures_and_their_sources(city_pdf_text: str) -> None:
    text = city_pdf_text
    title_page = text.split("\f")[0]
    assert "TÀI LIỆU HỌP" in title_page
    assert "Thành phố Cần Thơ" in title_page
    assert "Kỳ: năm 2012" in title_page
    assert "Lập ngày 23/11/2026" in title_page
    assert "số liệu minh họa" in title_page  # the warning before anything else
    for name in ("Tỷ lệ hộ nghèo", "Tỷ lệ giải ngân vốn đầu tư công", "Số hộ nghèo"):
        assert name in text
    lines = text.splitlines()

    def line_with(*parts: str) -> str:
        found = [line for line in lines if all(part in line for part in parts)]
        assert found, parts
        return found[0]

    # the combined rate, written the Vietnamese way and marked illustrative, with its change
    poverty = line_with("Tỷ lệ hộ nghèo", "6,54 %")
    assert "(minh họa)" in poverty
    assert "-0,54 điểm %" in poverty
    assert "Đợt 1, 2" in poverty
    assert "(minh họa)" in line_with("Số hộ nghèo", "19.736 hộ")
    assert "(minh họa)" in line_with("Tỷ lệ giải ngân", "80,18 %")
    # a figure the city reported: no marking
    committees = line_with("Số tập thể cấp ủy", "47 tập thể")
    assert "minh họa" not in committees
    # the ranking table: Ô Môn's reported 9,52 % eighth, unmarked; Vĩnh Thạnh last
    assert re.search(r"^\s*8\s+Quận Ô Môn\s+9,52 %\s+Đợt 1$", text, re.MULTILINE)
    assert re.search(r"^\s*9\s+Huyện Vĩnh Thạnh\s+9,9 % \(minh họa\)\s+Đợt 2$", text, re.MULTILINE)
    # the campaign shaded on the charts, the reporting grid, and every batch with its file
    assert "NQTW4-XI-2012" in text
    assert "2012: cả 9 đơn vị đã báo cáo đủ 9 chỉ tiêu." in text
    assert re.search(r"^\s*1\s+01_so_lieu_van_ban_nguon\.xlsx", text, re.MULTILINE)
    assert re.search(r"^\s*2\s+02_can_tho_ho_ngheo_2006_2016\.xlsx", text, re.MULTILINE)
    assert "Trang 1/" in text  # the footer numbers the pages


def test_the_html_escapes_every_text(city: PackContent) -> None:
    odd = dataclasses.replace(city, unit_name='<img src=x onerror="alert(1)"> & Co')
    document = pdf.to_html(odd, {})
    assert "<img src=x" not in document
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co" in document
    assert pdf.footer_html(odd).count("&lt;img") == 1


# --- the workbook -------------------------------------------------------------------------------


def test_the_workbook_holds_the_same_tables_with_numbers_as_numbers(city: PackContent) -> None:
    book = load_workbook(io.BytesIO(xlsx.to_xlsx(city)))
    assert book.sheetnames == [
        "Tổng quan",
        "Xếp hạng",
        "Diễn biến",
        "Đợt kiểm điểm",
        "Tình hình báo cáo",
        "Nguồn số liệu",
    ]
    for sheet in book.worksheets:
        assert sheet["A1"].value == "Tài liệu họp — Thành phố Cần Thơ — năm 2012"
        assert sheet["A2"].value == "Lập ngày 23/11/2026"
    overview = book["Tổng quan"]
    header = [cell.value for cell in overview[xlsx.HEADER_ROW]]
    assert overview.freeze_panes == f"A{xlsx.HEADER_ROW + 1}"
    assert all(cell.font.bold for cell in overview[xlsx.HEADER_ROW])
    rows = {
        row[header.index("Mã chỉ tiêu")]: dict(zip(header, row, strict=True))
        for row in overview.iter_rows(min_row=xlsx.HEADER_ROW + 1, values_only=True)
    }
    expected = city.overview.set_index("indicator_code")
    poverty = rows["poverty_rate"]
    assert isinstance(poverty["Giá trị"], float)
    assert poverty["Giá trị"] == pytest.approx(expected.at["poverty_rate", "value"])
    assert poverty["Loại số liệu"] == "Minh họa"
    assert poverty["Đơn vị của thay đổi"] == "điểm %"
    assert poverty["Nguồn (đợt nạp)"] == "Đợt 1, 2"
    assert "01_so_lieu_van_ban_nguon.xlsx" in poverty["Tệp nguồn"]
    assert rows["review_suggestions_committees"]["Giá trị"] == 47
    assert rows["review_suggestions_committees"]["Loại số liệu"] == "Đã báo cáo"
    illustrative_row = xlsx.HEADER_ROW + 1 + list(rows).index("poverty_rate")
    assert overview.cell(row=illustrative_row, column=1).fill.fgColor.rgb.endswith("FFF4CC")

    ranking = book["Xếp hạng"]
    header = [cell.value for cell in ranking[xlsx.HEADER_ROW]]
    ranked = [
        dict(zip(header, row, strict=True))
        for row in ranking.iter_rows(min_row=xlsx.HEADER_ROW + 1, values_only=True)
        if row[header.index("Mã chỉ tiêu")] == "poverty_rate"
    ]
    o_mon = next(row for row in ranked if row["Mã đơn vị"] == O_MON)
    assert (o_mon["Hạng"], o_mon["Giá trị"], o_mon["Loại số liệu"]) == (8, 9.52, "Đã báo cáo")
    assert [row["Mã đơn vị"] for row in ranked] == list(
        city.ranking_for("poverty_rate")["unit_code"]
    )

    grid = book["Tình hình báo cáo"]
    assert grid["A4"].value == "2012: cả 9 đơn vị đã báo cáo đủ 9 chỉ tiêu."
    symbols = {cell.value for row in grid.iter_rows(min_row=xlsx.HEADER_ROW + 1) for cell in row}
    assert {"✓ Đã báo cáo", "○ Minh họa"} <= symbols

    sources = book["Nguồn số liệu"]
    files = [row[1] for row in sources.iter_rows(min_row=xlsx.HEADER_ROW + 1, values_only=True)]
    assert files == list(city.sources["file_name"])


def test_the_english_pack_speaks_english(sample_db: Path) -> None:
    english = _build(sample_db, CITY, 2012, "en")
    assert english.unit_name == "Can Tho City"
    book = load_workbook(io.BytesIO(xlsx.to_xlsx(english)))
    assert book.sheetnames[0] == "Overview"
    assert book["Overview"]["A1"].value == "Meeting pack — Can Tho City — 2012"
    document = pdf.to_html(english, {})
    assert "6.54 %" in document
    assert "(illustrative)" in document
    assert f"Prepared on {format_date(date(2026, 11, 23), 'en')}" in document


# --- the command line ---------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard.pack", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_the_command_writes_both_files(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "packs" / "monthly"
    result = _cli("--unit", O_MON, "--year", "2012", "--db", str(sample_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    pdf_path, xlsx_path = (Path(line) for line in result.stdout.splitlines())
    assert pdf_path == out / "tai_lieu_hop_917_2012.pdf"
    assert xlsx_path == out / "tai_lieu_hop_917_2012.xlsx"
    assert "Traceback" not in result.stderr
    text = _pdftotext(pdf_path)
    assert "Quận Ô Môn" in text
    assert "9,52 %" in text
    assert "Quận Ô Môn không có đơn vị trực thuộc" in text
    book = load_workbook(xlsx_path)
    assert book["Tổng quan"]["A1"].value == "Tài liệu họp — Quận Ô Môn — năm 2012"
    assert sorted(path.name for path in out.iterdir()) == [pdf_path.name, xlsx_path.name]


def test_the_command_refuses_an_unknown_unit_in_vietnamese(sample_db: Path, tmp_path: Path) -> None:
    result = _cli("--unit", "XX", "--year", "2012", "--db", str(sample_db), "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Lỗi: Không có đơn vị mã “XX” trong danh mục.")
    assert "92 (Thành phố Cần Thơ)" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_command_refuses_a_year_without_figures_in_english(sample_db: Path) -> None:
    result = _cli("--unit", CITY, "--year", "2030", "--db", str(sample_db), "--lang", "en")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Error: Can Tho City (92) has no figures for 2030. Choose a year with figures: 2006–2016."
    )


def test_the_command_fails_with_1_and_a_message_without_a_warehouse(tmp_path: Path) -> None:
    result = _cli("--unit", CITY, "--year", "2012", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 1
    assert "python -m etl init" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_command_rejects_a_year_that_is_not_a_number(sample_db: Path) -> None:
    result = _cli("--unit", CITY, "--year", "năm nay", "--db", str(sample_db))
    assert result.returncode == 2
    assert "--year 2012" in result.stderr


def test_the_pack_does_not_import_streamlit() -> None:
    code = (
        "import sys, dashboard.pack.__main__, dashboard.pack.pdf, dashboard.pack.xlsx; "
        "sys.exit('streamlit' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_file_stem_is_safe_for_any_unit_code() -> None:
    assert pack_content.file_stem("DBBCT-01", 2020) == "tai_lieu_hop_DBBCT-01_2020"
    assert pack_content.file_stem("../x y", 2020) == "tai_lieu_hop_x_y_2020"


def test_a_long_ranking_prints_both_ends_and_says_what_it_leaves_out(city: PackContent) -> None:
    one = city.ranking_for("poverty_rate")
    many = pd.concat(
        [one.assign(unit_name=one["unit_name"] + f" #{copy}") for copy in range(4)],
        ignore_index=True,
    ).assign(rank=lambda frame: range(1, len(frame) + 1))
    long = dataclasses.replace(city, ranking=many)
    printed, left_out = pdf.printed_ranking(long.ranking_for("poverty_rate"))
    assert len(many) == 36
    assert list(printed["rank"]) == [*range(1, 11), *range(27, 37)]
    assert len(left_out) == 16
    document = pdf.to_html(long, {})
    assert "… 16 đơn vị ở giữa bảng xếp hạng không in ở đây" in document
    assert "Quận Ninh Kiều #0" in document and "Huyện Vĩnh Thạnh #3" in document
    assert "Quận Cái Răng #1" not in document  # ranked in the middle
    # the workbook keeps every row
    book = load_workbook(io.BytesIO(xlsx.to_xlsx(long)))
    assert book["Xếp hạng"].max_row == xlsx.HEADER_ROW + 36
