"""The bundled sample workbooks: reproducible, complete, and consistent with what is reported.

Reads the committed ``data/sample/*.xlsx`` with python-calamine (as the loader does)
and checks them against ``seed_figures.csv``, the catalogue and the arithmetic the
illustrative series promise (see ``data/sample/README.md``).
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SCRIPT = ROOT / "scripts" / "make_sample_reports.py"
FILE_01 = SAMPLE / "01_so_lieu_van_ban_nguon.xlsx"
FILE_02 = SAMPLE / "02_can_tho_ho_ngheo_2006_2016.xlsx"
FILE_03 = SAMPLE / "03_can_tho_thu_ngan_sach_giai_ngan.xlsx"
FILE_04 = SAMPLE / "04_dang_bo_bo_cong_thuong_2015_2025.xlsx"
MISSING = ".."
UNIT_HEADERS = {"STT", "Đơn vị", "Tên đơn vị", "Tổ chức đảng"}

# Totals over the 2020-2025 term of Đảng bộ Bộ Công Thương, as its report states them.
TERM_TOTALS = {
    "members_admitted": 306,
    "members_made_official": 300,
    "inspected_organisations": 162,
    "inspected_members": 2018,
    "supervised_organisations": 249,
    "supervised_members": 2285,
    "disciplined_members": 10,
    "disciplined_organisations": 13,
}


# --- reading ------------------------------------------------------------------------------


@cache
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_reports", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def grids(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet of a workbook as calamine returns it."""
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


class Sheet:
    """The table of one sheet: its "Key: value" lines, header and data rows."""

    def __init__(self, grid: list[list[Any]]) -> None:
        self.header_row = next(i for i, row in enumerate(grid) if UNIT_HEADERS & set(row))
        self.meta = dict(
            str(row[0]).split(": ", 1)
            for row in grid[: self.header_row]
            if isinstance(row[0], str) and ": " in row[0]
        )
        self.header = grid[self.header_row]
        self.rows: list[list[Any]] = []
        for row in grid[self.header_row + 1 :]:
            if all(v == "" for v in row):
                break
            self.rows.append(row)
        self.footnotes = [r[0] for r in grid[self.header_row + len(self.rows) + 2 :] if r[0]]

    def column(self, name: str) -> int:
        return self.header.index(name)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]


def sheets(path: Path) -> dict[str, Sheet]:
    return {name: Sheet(grid) for name, grid in grids(path).items()}


def by_indicator(path: Path) -> dict[str, Sheet]:
    """The sheets of a wide workbook, keyed by the indicator code of their "Chỉ tiêu" line."""
    codes = {ind["name_vi"]: code for code, ind in indicators().items()}
    return {codes[s.meta["Chỉ tiêu"]]: s for s in sheets(path).values()}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def indicators() -> dict[str, dict[str, str]]:
    return {row["indicator_code"]: row for row in read_csv(ROOT / "data" / "indicators.csv")}


@cache
def unit_names() -> frozenset[str]:
    names = set()
    for row in read_csv(ROOT / "data" / "units.csv"):
        names.add(row["name_vi"])
        names.update(a for a in row["aliases"].split("|") if a)
    return frozenset(names)


@cache
def seed_figures() -> list[dict[str, str]]:
    return read_csv(script().find_seed_figures())


def vn_number(text: str) -> float:
    """ "3.093" → 3093, "9,52" → 9.52 (written independently of the script)."""
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def number(value: Any) -> float:
    return vn_number(value) if isinstance(value, str) else float(value)


def period_of(header: Any) -> tuple[date, date]:
    """A wide table's column header: a year (2012, "2012") or "6 tháng đầu năm 2025"."""
    text = str(int(header)) if isinstance(header, float) else str(header)
    if text.isdigit():
        return date(int(text), 1, 1), date(int(text), 12, 31)
    match = re.fullmatch(r"(\d+) tháng đầu năm (\d{4})", text)
    assert match, f"unexpected period header {header!r}"
    months, year = int(match[1]), int(match[2])
    end = date(year + months // 12, months % 12 + 1, 1).toordinal() - 1
    return date(year, 1, 1), date.fromordinal(end)


def wide_cells(path: Path) -> dict[tuple[str, str, date, date], Any]:
    """(unit, indicator code, start, end) → cell, for every period cell of a wide workbook."""
    cells = {}
    for code, sheet in by_indicator(path).items():
        for col, header in enumerate(sheet.header[2:], start=2):
            start, end = period_of(header)
            for row in sheet.rows:
                cells[row[1], code, start, end] = row[col]
    return cells


def file_01_values() -> dict[tuple[str, str, date, date], Any]:
    codes = {ind["name_vi"]: code for code, ind in indicators().items()}
    sheet = next(iter(sheets(FILE_01).values()))
    return {
        (r["Đơn vị"], codes[r["Chỉ tiêu"]], r["Từ ngày"], r["Đến ngày"]): r["Giá trị"]
        for r in sheet.records()
    }


# --- reproducible -------------------------------------------------------------------------


def test_regenerating_gives_the_committed_cells(tmp_path: Path) -> None:
    assert script().main(["--out", str(tmp_path)]) == 0
    fresh = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert fresh == sorted(p.name for p in SAMPLE.glob("*.xlsx"))
    for name in fresh:
        regenerated = grids(tmp_path / name)
        assert regenerated == grids(SAMPLE / name), f"{name} is stale: run the script again"


def test_the_cells_depend_on_the_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reproducibility check above can fail: another seed gives other cells."""
    monkeypatch.setattr(script(), "SEED", 1)
    assert script().main(["--out", str(tmp_path)]) == 0
    assert grids(tmp_path / FILE_04.name) != grids(FILE_04)


def test_every_sheet_has_the_title_area_and_footnotes() -> None:
    for path in (FILE_01, FILE_02, FILE_03, FILE_04):
        for name, sheet in sheets(path).items():
            assert sheet.header_row >= 2, name
            assert sheet.meta["Loại số liệu"] in {"Báo cáo", "Minh họa"}, name
            assert sheet.footnotes, name
            assert all(f.startswith(("Ghi chú:", "Nguồn:")) for f in sheet.footnotes), name


def test_unit_and_indicator_names_come_from_the_catalogue() -> None:
    names = {ind["name_vi"] for ind in indicators().values()}
    for path in (FILE_01, FILE_02, FILE_03, FILE_04):
        for sheet in sheets(path).values():
            unit_col = 1
            assert {row[unit_col] for row in sheet.rows} <= unit_names(), path.name
            if "Chỉ tiêu" in sheet.header:
                assert {r["Chỉ tiêu"] for r in sheet.records()} <= names, path.name
            else:
                assert sheet.meta["Chỉ tiêu"] in names, path.name


# --- file 01: the reported figures -------------------------------------------------------


def expected_value(seed: dict[str, str]) -> float | str:
    """What file 01 must say: the number, or "hơn 80" when the quote qualifies it."""
    value = float(seed["value"])
    for word in ("hơn", "trên", "gần", "khoảng"):
        if re.search(rf"\b{word} {seed['value']}\b", seed["quote"]):
            return f"{word} {seed['value']}"
    return value


def test_file_01_holds_every_seed_figure_with_a_value() -> None:
    sheet = next(iter(sheets(FILE_01).values()))
    records = sheet.records()
    seeds = [s for s in seed_figures() if s["value"]]
    assert len(records) == len(seeds) > 30
    for seed, record in zip(seeds, records, strict=True):
        assert record["Đơn vị"] == seed["unit"]
        assert record["Chỉ tiêu"] == indicators()[seed["indicator"]]["name_vi"]
        assert record["Từ ngày"] == date.fromisoformat(seed["period_start"])
        assert record["Đến ngày"] == date.fromisoformat(seed["period_end"])
        assert record["Giá trị"] == expected_value(seed), seed["quote"]
        assert record["Ghi chú"] == seed["quote"]
        assert record["Nguồn"] == seed["seed_file"]
        assert record["Loại số liệu"] == "Báo cáo"


def test_file_01_keeps_the_qualifiers_of_the_documents() -> None:
    values = set(file_01_values().values())
    assert {"hơn 80", "trên 90", "gần 300"} <= values


# --- file 02: poverty ----------------------------------------------------------------------


def test_poverty_rate_is_poor_over_households_in_every_cell() -> None:
    cells = wide_cells(FILE_02)
    reported = file_01_values()
    checked = 0
    for (unit, code, start, end), households in cells.items():
        if code != "households" or households == MISSING:
            continue
        poor = cells[unit, "poor_households", start, end]
        rate = cells[unit, "poverty_rate", start, end]
        poor = reported[unit, "poor_households", start, end] if poor == MISSING else poor
        rate = reported[unit, "poverty_rate", start, end] if rate == MISSING else rate
        assert rate == round(100 * poor / households, 2), (unit, start.year)
        checked += 1
    assert checked == 8 * 11 + 8  # Thới Lai from 2009


def test_thoi_lai_has_no_figures_before_it_existed() -> None:
    cells = wide_cells(FILE_02)
    reported = file_01_values()
    thoi_lai = {k: v for k, v in cells.items() if k[0] == "Huyện Thới Lai" and k not in reported}
    assert len(thoi_lai) == 3 * 11 - 1
    assert all((v == MISSING) == (k[2].year < 2009) for k, v in thoi_lai.items())


def test_o_mon_2012_is_above_the_city_wide_rate() -> None:
    cells = wide_cells(FILE_02)
    reported = file_01_values()
    year = (date(2012, 1, 1), date(2012, 12, 31))
    poor = {
        u: reported.get((u, "poor_households", *year), v)
        for (u, code, *period), v in cells.items()
        if code == "poor_households" and tuple(period) == year
    }
    households = {
        u: v
        for (u, code, *period), v in cells.items()
        if code == "households" and tuple(period) == year
    }
    city = 100 * sum(poor.values()) / sum(households.values())
    assert reported["Quận Ô Môn", "poverty_rate", *year] > city


# --- reported figures stay reported --------------------------------------------------------


def test_reported_cells_are_missing_in_the_wide_files() -> None:
    reported = file_01_values()
    blanked = 0
    for path in (FILE_02, FILE_04):
        for key, value in wide_cells(path).items():
            if key in reported:
                assert value == MISSING, (path.name, key)
                blanked += 1
    assert blanked == 6  # Ô Môn 2012 ×2, Ô Môn 2014, Thới Lai 2014, party organisations ×2


def test_reported_rows_are_left_out_of_file_03() -> None:
    reported = file_01_values()
    sheet = next(iter(sheets(FILE_03).values()))
    codes = {ind["name_vi"]: code for code, ind in indicators().items()}
    keys = {
        (r["Đơn vị"], codes[r["Chỉ tiêu"]], date(int(r["Năm"]), 1, 1), date(int(r["Năm"]), 12, 31))
        for r in sheet.records()
    }
    co_do = {k for k in reported if k[0] == "Huyện Cờ Đỏ"}
    assert len(co_do) == 2
    assert not keys & set(reported)


# --- file 03: budget and disbursement ------------------------------------------------------


def budget_figures() -> dict[tuple[str, int], dict[str, Any]]:
    codes = {ind["name_vi"]: code for code, ind in indicators().items()}
    sheet = next(iter(sheets(FILE_03).values()))
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for r in sheet.records():
        out.setdefault((r["Đơn vị"], int(r["Năm"])), {})[codes[r["Chỉ tiêu"]]] = r
    return out


@pytest.mark.parametrize(
    ("rate", "numerator", "denominator"),
    [
        ("tax_collection_vs_estimate", "budget_revenue_collected", "budget_revenue_estimate"),
        ("capital_disbursement_rate", "capital_disbursed", "capital_allocated"),
    ],
)
def test_file_03_rates_are_computed_from_the_amounts(
    rate: str, numerator: str, denominator: str
) -> None:
    checked = 0
    for (unit, year), rows in budget_figures().items():
        ratio = 100 * number(rows[numerator]["Giá trị"]) / number(rows[denominator]["Giá trị"])
        if rate in rows:
            assert rows[rate]["Giá trị"] == round(ratio, 2), (unit, year)
            assert rows[rate]["Kế hoạch"] == 100
            checked += 1
        else:  # reported in file 01 as "trên 90"
            assert (unit, ratio > 90) == ("Huyện Cờ Đỏ", True), (unit, year)
    assert checked >= 90


def test_file_03_is_illustrative_with_some_amounts_typed_as_text() -> None:
    records = next(iter(sheets(FILE_03).values())).records()
    assert {r["Loại số liệu"] for r in records} == {"Minh họa"}
    assert all(r["Kế hoạch"] == "" for r in records if r["Đơn vị tính"] != "%")
    typed = [r["Giá trị"] for r in records if isinstance(r["Giá trị"], str)]
    assert typed and all(re.fullmatch(r"\d{1,3}(\.\d{3})+", v) for v in typed)


# --- file 04: the ministry's party organisations -------------------------------------------


@pytest.mark.parametrize(("indicator", "total"), sorted(TERM_TOTALS.items()))
def test_file_04_term_sums_equal_the_reported_totals(indicator: str, total: int) -> None:
    sheet = by_indicator(FILE_04)[indicator]
    term_columns = [
        c for c, h in enumerate(sheet.header[2:], start=2) if period_of(h)[0].year >= 2020
    ]
    assert len(term_columns) == 6
    values = [row[c] for row in sheet.rows for c in term_columns if row[c] != MISSING]
    assert all(isinstance(v, float) and v.is_integer() and v >= 0 for v in values)
    assert sum(values) == total


def test_file_04_last_column_matches_the_reported_period() -> None:
    for indicator, sheet in by_indicator(FILE_04).items():
        months = 5 if indicator in ("members_admitted", "members_made_official") else 6
        assert sheet.header[-1] == f"{months} tháng đầu năm 2025", indicator


def test_file_04_respects_unit_validity() -> None:
    cells = wide_cells(FILE_04)
    units = {r["unit_code"]: r["name_vi"] for r in read_csv(ROOT / "data" / "units.csv")}
    gone_in_2025 = {units[c] for c in ("DBBCT-03", "DBBCT-04", "DBBCT-10")}
    new_in_2025 = {units[c] for c in ("DBBCT-11", "DBBCT-12")}
    for (unit, code, start, _), value in cells.items():
        if code == "party_organisations":
            continue
        if unit in gone_in_2025:
            assert (value == MISSING) == (start.year == 2025), (unit, code, start)
        elif unit in new_in_2025:
            assert (value == MISSING) == (start.year < 2025), (unit, code, start)
        else:
            assert value != MISSING, (unit, code, start)


def test_file_04_party_members_are_plausible_stocks() -> None:
    sheet = by_indicator(FILE_04)["party_members"]
    values = [v for row in sheet.rows for v in row[2:] if v != MISSING]
    assert values and all(100 <= v <= 800 for v in values)
