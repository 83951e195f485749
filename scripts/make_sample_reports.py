"""Write the bundled sample report workbooks, ``data/sample/*.xlsx``.

Run from the project root::

    python scripts/make_sample_reports.py                 # rewrites data/sample/*.xlsx
    python scripts/make_sample_reports.py --out /tmp/x    # somewhere else

The workbooks look like the reports office staff make (a bold merged title row,
"Key: value" lines, a header row, a footnote below the table) and follow the
layouts the loader reads (see ``data/sample/README.md``):

- ``01_so_lieu_van_ban_nguon.xlsx``: every figure of ``seed_figures.csv`` that
  has a value, as reported by the source documents ("Báo cáo");
- ``02_...``, ``03_...``, ``04_...``: illustrative series ("Minh họa"), made to
  agree with the reported figures: a reported cell is ".." (it lives in file 01),
  the cells around it make it come out right, and term totals add up exactly.

Unit and indicator names come from ``data/units.csv`` and ``data/indicators.csv``.
Every random draw comes from a generator seeded with ``SEED`` and the name of
the series, so two runs give identical cells (and identical bytes: the zip
timestamps and document dates are fixed).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_OUT = DATA_DIR / "sample"
SEED_FIGURES_ENV = "SEED_FIGURES"
SEED_FIGURE_PATHS = (
    DATA_DIR / "seed_figures.csv",
    ROOT.parent / "shared" / "domain" / "seed_figures.csv",
)

SEED = 20250701
MISSING = ".."
FIXED_TIME = datetime(2025, 7, 1, 8, 0, 0)

REPORTED = "Báo cáo"
ILLUSTRATIVE = "Minh họa"
FILE_01 = "01_so_lieu_van_ban_nguon.xlsx"
FILE_02 = "02_can_tho_ho_ngheo_2006_2016.xlsx"
FILE_03 = "03_can_tho_thu_ngan_sach_giai_ngan.xlsx"
FILE_04 = "04_dang_bo_bo_cong_thuong_2015_2025.xlsx"
GENERATED_BY = (
    "Nguồn: tạo bởi scripts/make_sample_reports.py (số liệu minh họa, không phải số liệu "
    "thống kê chính thức)."
)

CITY = "92"
MINISTRY_PARTY = "DBBCT"
CAN_THO_YEARS = tuple(range(2006, 2017))
MINISTRY_YEARS = tuple(range(2015, 2025))
TERM_START = date(2020, 1, 1)

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"
QUALIFIER_WORDS = ("hơn", "trên", "gần", "khoảng", "dưới")


# --- catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str
    level: str
    valid_from: date | None
    valid_to: date | None
    successor: str
    aliases: tuple[str, ...]

    def exists_on(self, day: date) -> bool:
        """True when the unit existed on ``day`` (open ends count as existing)."""
        after_start = self.valid_from is None or self.valid_from <= day
        return after_start and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    measure: str


@dataclass(frozen=True)
class SeedFigure:
    """One row of ``seed_figures.csv``: a figure some source document reports."""

    seed_file: str
    unit: str
    indicator: str
    start: date
    end: date
    value: int | float | None
    quote: str

    @property
    def qualifier(self) -> str:
        """The word before the figure in the quote ("hơn 80%" → "hơn"), or ""."""
        if self.value is None:
            return ""
        pattern = rf"\b({'|'.join(QUALIFIER_WORDS)})\s+(\d[\d.,]*)"
        for word, number in re.findall(pattern, self.quote, flags=re.IGNORECASE):
            if parse_vn_number(number) == self.value:
                return str(word).lower()
        return ""


@dataclass(frozen=True)
class Catalogue:
    units: dict[str, Unit]
    indicators: dict[str, Indicator]
    seeds: tuple[SeedFigure, ...]

    def name(self, unit_code: str) -> str:
        return self.units[unit_code].name

    def children(self, parent: str, level: str) -> list[Unit]:
        found = [u for u in self.units.values() if u.parent == parent and u.level == level]
        return sorted(found, key=lambda u: u.code)

    def reported(self, unit_code: str, indicator: str, start: date, end: date) -> SeedFigure | None:
        """The seed figure for exactly this unit, indicator and period, if one is reported."""
        name = self.name(unit_code)
        for seed in self.seeds:
            if (seed.unit, seed.indicator, seed.start, seed.end) == (name, indicator, start, end):
                return seed
        return None

    def term_total(self, unit_code: str, indicator: str) -> SeedFigure:
        """The reported total of ``indicator`` over the 2020-2025 term."""
        name = self.name(unit_code)
        for seed in self.seeds:
            same = (seed.unit, seed.indicator, seed.start) == (name, indicator, TERM_START)
            if same and seed.end.year == 2025 and seed.value is not None:
                return seed
        raise LookupError(f"no term total of {indicator} for {name} in seed_figures.csv")


def parse_vn_number(text: str) -> float:
    """ "3.093" → 3093, "9,52" → 9.52, "80" → 80 (Vietnamese separators)."""
    text = text.strip().rstrip(".,")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _number(text: str) -> int | float | None:
    if not text:
        return None
    return float(text) if "." in text else int(text)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_units(path: Path) -> dict[str, Unit]:
    units = {}
    for row in _read_csv(path):
        units[row["unit_code"]] = Unit(
            code=row["unit_code"],
            name=row["name_vi"],
            parent=row["parent_code"],
            level=row["level"],
            valid_from=_date(row["valid_from"]),
            valid_to=_date(row["valid_to"]),
            successor=row["successor_code"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )
    return units


def load_indicators(path: Path) -> dict[str, Indicator]:
    return {
        row["indicator_code"]: Indicator(row["indicator_code"], row["name_vi"], row["measure_vi"])
        for row in _read_csv(path)
    }


def load_seed_figures(path: Path) -> tuple[SeedFigure, ...]:
    return tuple(
        SeedFigure(
            seed_file=row["seed_file"],
            unit=row["unit"],
            indicator=row["indicator"],
            start=date.fromisoformat(row["period_start"]),
            end=date.fromisoformat(row["period_end"]),
            value=_number(row["value"]),
            quote=row["quote"],
        )
        for row in _read_csv(path)
    )


def find_seed_figures() -> Path:
    """``$SEED_FIGURES``, else the first of ``SEED_FIGURE_PATHS`` that exists."""
    candidates = [Path(os.environ[SEED_FIGURES_ENV])] if os.environ.get(SEED_FIGURES_ENV) else []
    candidates += SEED_FIGURE_PATHS
    for path in candidates:
        if path.is_file():
            return path
    names = ", ".join(str(p) for p in candidates)
    raise FileNotFoundError(f"seed_figures.csv not found (looked at {names}): use --seed-figures")


def load_catalogue(data_dir: Path, seed_path: Path) -> Catalogue:
    return Catalogue(
        units=load_units(data_dir / "units.csv"),
        indicators=load_indicators(data_dir / "indicators.csv"),
        seeds=load_seed_figures(seed_path),
    )


# --- numbers, the Vietnamese way ------------------------------------------------------


def vn_thousands(value: int) -> str:
    """12345 → "12.345"."""
    return f"{value:,}".replace(",", ".")


def vn_number(value: float) -> str:
    """80 → "80", 9.52 → "9,52", 3093 → "3.093"."""
    if float(value).is_integer():
        return vn_thousands(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def rng_for(*parts: object) -> random.Random:
    """A generator of its own for one series, so that series do not shift each other."""
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth below 30, a rounded normal above)."""
    if mean >= 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def split_exactly(rng: random.Random, total: int, weights: dict[Any, float]) -> dict[Any, int]:
    """``total`` whole items spread over the keys by weight; the parts add up to ``total``."""
    keys = list(weights)
    counts = dict.fromkeys(keys, 0)
    for key in rng.choices(keys, weights=[weights[k] for k in keys], k=total):
        counts[key] += 1
    return counts


# --- periods ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A column of a wide table: its header and the days it covers."""

    header: int | str
    start: date
    end: date

    @property
    def years(self) -> float:
        return ((self.end - self.start).days + 1) / 365.25


def year_period(year: int, as_text: bool = False) -> Period:
    return Period(str(year) if as_text else year, date(year, 1, 1), date(year, 12, 31))


def first_months(months: int, year: int) -> Period:
    """ "6 tháng đầu năm 2025": January to the end of month ``months``."""
    end = date(year, months + 1, 1).toordinal() - 1
    return Period(f"{months} tháng đầu năm {year}", date(year, 1, 1), date.fromordinal(end))


# --- tables and workbooks -----------------------------------------------------------------


@dataclass
class Table:
    """One sheet: title, "Key: value" lines, header, rows, footnotes."""

    sheet: str
    title: str
    meta: list[tuple[str, str]]
    header: list[Any]
    rows: list[list[Any]]
    footnotes: list[str]
    widths: list[float] = field(default_factory=list)
    wrap_columns: frozenset[int] = frozenset()
    plain_columns: frozenset[int] = frozenset({1})  # STT, years: no thousands separator


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def number_format(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, float):
        return DECIMAL_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


def write_title(ws: Any, table: Table) -> int:
    """Title (merged across the table, bold) and meta lines; returns the next free row."""
    ws.cell(row=1, column=1, value=table.title).font = Font(bold=True, size=13)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table.header))
    ws.row_dimensions[1].height = 36
    for offset, (key, value) in enumerate(table.meta, start=2):
        ws.cell(row=offset, column=1, value=f"{key}: {value}").font = Font(italic=True)
    return len(table.meta) + 3  # one blank row before the header


def write_header(ws: Any, row: int, header: Sequence[Any]) -> None:
    for col, value in enumerate(header, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX


def write_body(ws: Any, first_row: int, table: Table) -> None:
    for r, values in enumerate(table.rows, start=first_row):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = BOX
            fmt = None if c in table.plain_columns else number_format(value)
            if fmt:
                cell.number_format = fmt
            if value == MISSING:
                cell.alignment = Alignment(horizontal="right")
            elif c in table.wrap_columns:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_footnotes(ws: Any, first_row: int, footnotes: Iterable[str]) -> None:
    for r, text in enumerate(footnotes, start=first_row):
        ws.cell(row=r, column=1, value=text).font = Font(italic=True, size=10)


def write_sheet(ws: Any, table: Table) -> None:
    ws.title = table.sheet
    header_row = write_title(ws, table)
    write_header(ws, header_row, table.header)
    write_body(ws, header_row + 1, table)
    write_footnotes(ws, header_row + len(table.rows) + 2, table.footnotes)
    for col, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)


def write_workbook(path: Path, tables: Sequence[Table]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        write_sheet(workbook.create_sheet(), table)
    workbook.properties.creator = "scripts/make_sample_reports.py"
    workbook.properties.created = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    freeze_timestamps(path)


def freeze_timestamps(path: Path) -> None:
    """Rewrite the zip with fixed entry times and document dates: same input, same bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


def wide_table(
    cat: Catalogue,
    indicator: str,
    title: str,
    unit_header: str,
    periods: Sequence[Period],
    rows: Sequence[tuple[str, Sequence[Any]]],
    footnotes: list[str],
    sheet: str,
) -> Table:
    """A wide sheet: STT, unit, one column per period; the indicator in a "Chỉ tiêu:" line."""
    ind = cat.indicators[indicator]
    return Table(
        sheet=sheet,
        title=title,
        meta=[("Chỉ tiêu", ind.name), ("Đơn vị tính", ind.measure), ("Loại số liệu", ILLUSTRATIVE)],
        header=["STT", unit_header, *(p.header for p in periods)],
        rows=[[n, cat.name(code), *values] for n, (code, values) in enumerate(rows, start=1)],
        footnotes=list(footnotes),
        widths=[
            6,
            44,
            *(20 if isinstance(p.header, str) and len(p.header) > 4 else 10 for p in periods),
        ],
    )


# --- file 01: the reported figures ------------------------------------------------------


def seed_value_cell(seed: SeedFigure) -> int | float | str:
    """The value as the document says it: a number, or "hơn 80" when it is qualified."""
    assert seed.value is not None
    if seed.qualifier:
        return f"{seed.qualifier} {vn_number(seed.value)}"
    return seed.value


def seed_row(cat: Catalogue, number: int, seed: SeedFigure) -> list[Any]:
    indicator = cat.indicators[seed.indicator]
    return [
        number,
        seed.unit,
        indicator.name,
        seed.start,
        seed.end,
        seed_value_cell(seed),
        indicator.measure,
        seed.quote,
        seed.seed_file,
        REPORTED,
    ]


def reported_table(cat: Catalogue) -> Table:
    seeds = [s for s in cat.seeds if s.value is not None]
    return Table(
        sheet="So lieu bao cao",
        title="TỔNG HỢP SỐ LIỆU TỪ CÁC VĂN BẢN NGUỒN",
        meta=[("Loại số liệu", REPORTED)],
        header=[
            "STT",
            "Đơn vị",
            "Chỉ tiêu",
            "Từ ngày",
            "Đến ngày",
            "Giá trị",
            "Đơn vị tính",
            "Ghi chú",
            "Nguồn",
            "Loại số liệu",
        ],
        rows=[seed_row(cat, n, s) for n, s in enumerate(seeds, start=1)],
        footnotes=[
            "Ghi chú: Mỗi dòng là một số liệu do văn bản nguồn nêu; cột Ghi chú trích câu "
            "văn chứa số liệu đó.",
            "Ghi chú: «hơn», «trên» = cận dưới; «gần», «khoảng» = số xấp xỉ, giữ nguyên cách "
            "ghi của văn bản.",
            "Nguồn: các văn bản trong thư mục domain/seeds (tên tệp ở cột Nguồn).",
        ],
        widths=[6, 32, 34, 12, 12, 12, 14, 70, 26, 14],
        wrap_columns=frozenset({2, 3, 8}),
    )


# --- file 02: poverty in the districts of Cần Thơ ---------------------------------------


@dataclass(frozen=True)
class District:
    """What the illustrative series of one district of Cần Thơ start from."""

    code: str
    households_2012: int
    household_growth: float  # per year
    poverty_rate_2012: float  # percent
    revenue_estimate_2006: int  # million VND
    capital_allocated_2006: int  # million VND


CAN_THO_DISTRICTS = (
    District("916", 62_000, 0.018, 2.6, 420_000, 180_000),
    District("917", 32_490, 0.012, 9.4, 62_000, 95_000),
    District("918", 29_500, 0.020, 4.3, 88_000, 80_000),
    District("919", 23_800, 0.025, 4.9, 70_000, 110_000),
    District("923", 40_500, 0.012, 6.8, 75_000, 90_000),
    District("924", 27_600, 0.010, 9.9, 22_000, 70_000),
    District("925", 30_200, 0.010, 8.9, 26_000, 75_000),
    District("926", 25_400, 0.012, 7.4, 24_000, 65_000),
    District("927", 30_800, 0.010, 8.3, 21_000, 60_000),
)
# Huyện Thới Lai was carved out of Huyện Cờ Đỏ at the end of 2008: until then its
# area is counted in Cờ Đỏ and its own cells are "..".
CARVED_OUT = {"927": ("925", 2009)}
PRE_2012_DECLINE = 0.92  # poverty rate factor per year before the 2012 review
POST_2012_DECLINE = 0.74  # ... in 2013-2014, after it
LATER_DECLINE = 0.82  # ... in 2015-2016


def district_codes(cat: Catalogue) -> list[str]:
    """The districts of Cần Thơ in the catalogue, checked against the profiles above."""
    codes = [u.code for u in cat.children(CITY, "district")]
    if codes != sorted(d.code for d in CAN_THO_DISTRICTS):
        raise ValueError(f"districts of {CITY} in units.csv are {codes}: update CAN_THO_DISTRICTS")
    return codes


def profile(code: str) -> District:
    return next(d for d in CAN_THO_DISTRICTS if d.code == code)


def exists_in(code: str, year: int) -> bool:
    return code not in CARVED_OUT or year >= CARVED_OUT[code][1]


def parts_of(code: str, year: int) -> list[str]:
    """The areas whose figures a district reports in ``year`` (Cờ Đỏ includes Thới Lai)."""
    carved = [c for c, (into, first) in CARVED_OUT.items() if into == code and year < first]
    return [code, *carved]


def reported_value(cat: Catalogue, code: str, indicator: str, year: int) -> float | None:
    seed = cat.reported(code, indicator, date(year, 1, 1), date(year, 12, 31))
    return None if seed is None or seed.value is None else float(seed.value)


def rate_knots(cat: Catalogue, code: str) -> dict[int, float]:
    """Poverty rate at 2006, 2012, 2014 and 2016; reported rates are knots as they are."""
    rng = rng_for("poverty-knots", code)
    r2012 = reported_value(cat, code, "poverty_rate", 2012) or profile(code).poverty_rate_2012
    r2014 = reported_value(cat, code, "poverty_rate", 2014)
    if r2014 is None:
        r2014 = r2012 * POST_2012_DECLINE**2 * rng.gauss(1, 0.04)
    r2006 = r2012 / PRE_2012_DECLINE**6 * rng.gauss(1, 0.04)
    return {2006: r2006, 2012: r2012, 2014: r2014, 2016: r2014 * LATER_DECLINE**2}


def interpolate_log(knots: dict[int, float], year: int) -> float:
    """Geometric interpolation between the knots (a constant rate of decline between them)."""
    if year in knots:
        return knots[year]
    before = max(y for y in knots if y < year)
    after = min(y for y in knots if y > year)
    share = (year - before) / (after - before)
    return knots[before] * (knots[after] / knots[before]) ** share


def area_households(code: str, year: int) -> int:
    p = profile(code)
    noise = rng_for("households", code, year).gauss(1, 0.004)
    return round(p.households_2012 * (1 + p.household_growth) ** (year - 2012) * noise)


def area_rate(code: str, year: int, knots: dict[int, float]) -> float:
    noise = 1.0 if year in (2012, 2014) else rng_for("rate", code, year).gauss(1, 0.03)
    return interpolate_log(knots, year) * noise


@dataclass(frozen=True)
class PovertyCell:
    households: int
    poor: int

    @property
    def rate(self) -> float:
        return round(100 * self.poor / self.households, 2)


def anchored_cell(households: int, rate: float, poor: float | None) -> PovertyCell:
    """Households (and poor households) that give exactly the reported rate."""
    if poor is not None:
        households = round(100 * poor / rate)
    for step in range(200):
        h = households + step
        p = int(poor) if poor is not None else round(h * rate / 100)
        if round(100 * p / h, 2) == rate:
            return PovertyCell(h, p)
    raise ValueError(f"no household count gives {rate} %")


def poverty_cells(cat: Catalogue) -> dict[tuple[str, int], PovertyCell]:
    """One cell per district area and year; reported figures are built in exactly."""
    cells: dict[tuple[str, int], PovertyCell] = {}
    for code in district_codes(cat):
        knots = rate_knots(cat, code)
        for year in CAN_THO_YEARS:
            households = area_households(code, year)
            rate = reported_value(cat, code, "poverty_rate", year)
            poor = reported_value(cat, code, "poor_households", year)
            if rate is not None:
                cells[code, year] = anchored_cell(households, rate, poor)
            else:
                share = area_rate(code, year, knots) / 100
                cells[code, year] = PovertyCell(households, round(households * share))
    return cells


def district_cells(cells: dict[tuple[str, int], PovertyCell]) -> dict[tuple[str, int], PovertyCell]:
    """What each district reports: Cờ Đỏ's figures include Thới Lai's area until 2008."""
    out = {}
    for code, year in cells:
        if exists_in(code, year):
            parts = [cells[c, year] for c in parts_of(code, year)]
            out[code, year] = PovertyCell(
                sum(p.households for p in parts), sum(p.poor for p in parts)
            )
    return out


def city_rate(cells: dict[tuple[str, int], PovertyCell], year: int) -> float:
    poor = sum(c.poor for (_, y), c in cells.items() if y == year)
    return 100 * poor / sum(c.households for (_, y), c in cells.items() if y == year)


def poverty_value(
    cat: Catalogue, indicator: str, code: str, year: int, cells: dict[tuple[str, int], PovertyCell]
) -> int | float | str:
    if (code, year) not in cells:
        return MISSING
    if indicator != "households" and reported_value(cat, code, indicator, year) is not None:
        return MISSING
    cell = cells[code, year]
    return {"households": cell.households, "poor_households": cell.poor, "poverty_rate": cell.rate}[
        indicator
    ]


def reported_note(cat: Catalogue, indicator: str, codes: Sequence[str]) -> list[str]:
    found = [
        f"{cat.name(c)} năm {y}"
        for c in codes
        for y in CAN_THO_YEARS
        if reported_value(cat, c, indicator, y) is not None
    ]
    if not found:
        return []
    name = cat.indicators[indicator].name.lower()
    return [
        f"Ghi chú: {name.capitalize()} của {', '.join(found)} là số liệu báo cáo, có trong "
        f"tệp {FILE_01}; ô tương ứng ở đây để «{MISSING}»."
    ]


def poverty_footnotes(cat: Catalogue, indicator: str, codes: Sequence[str]) -> list[str]:
    carved = [
        f"{cat.name(c)} được thành lập cuối năm {first - 1} (tách từ {cat.name(into)}); "
        f"số liệu của {cat.name(into)} đến năm {first - 1} gồm cả địa bàn {cat.name(c)}."
        for c, (into, first) in CARVED_OUT.items()
    ]
    return [
        f"Ghi chú: «{MISSING}» = không có số liệu trong tệp này. {' '.join(carved)}",
        *reported_note(cat, indicator, codes),
        "Ghi chú: Tỷ lệ hộ nghèo (%) = Số hộ nghèo / Tổng số hộ × 100, làm tròn 2 chữ số thập "
        "phân.",
        GENERATED_BY,
    ]


POVERTY_SHEETS = (
    ("poverty_rate", "Tỷ lệ hộ nghèo"),
    ("poor_households", "Số hộ nghèo"),
    ("households", "Tổng số hộ"),
)


def poverty_tables(cat: Catalogue) -> list[Table]:
    cells = district_cells(poverty_cells(cat))
    codes = district_codes(cat)
    periods = [year_period(y) for y in CAN_THO_YEARS]
    city = cat.name(CITY).upper()
    span = f"{CAN_THO_YEARS[0]} - {CAN_THO_YEARS[-1]}"
    tables = []
    for indicator, sheet in POVERTY_SHEETS:
        title = f"{cat.indicators[indicator].name.upper()} CÁC QUẬN, HUYỆN {city} GIAI ĐOẠN {span}"
        rows = [
            (c, [poverty_value(cat, indicator, c, y, cells) for y in CAN_THO_YEARS]) for c in codes
        ]
        tables.append(
            wide_table(
                cat,
                indicator,
                title,
                "Tên đơn vị",
                periods,
                rows,
                poverty_footnotes(cat, indicator, codes),
                sheet,
            )
        )
    return tables


# --- file 03: budget revenue and capital disbursement ------------------------------------

BUDGET_INDICATORS = (
    "budget_revenue_estimate",
    "budget_revenue_collected",
    "tax_collection_vs_estimate",
    "capital_allocated",
    "capital_disbursed",
    "capital_disbursement_rate",
)
TARGETED = {"tax_collection_vs_estimate": 100, "capital_disbursement_rate": 100}
REVENUE_GROWTH = 0.12
CAPITAL_GROWTH = 0.10
AS_TEXT_SHARE = 0.12  # share of amounts typed as text with thousands dots


def collection_ratio(code: str, year: int) -> float:
    """Collected / estimate: ~106 %, a dip in 2011-2012, a modest lift after the review."""
    base = 1.06 - (0.06 if year in (2011, 2012) else 0) + (0.03 if year >= 2013 else 0)
    if (code, year) == ("918", 2012):  # Bình Thủy: its tax office collected "hơn 80%"
        base = 0.88
    return base * rng_for("collection", code, year).gauss(1, 0.03)


def disbursement_floor(cat: Catalogue, code: str, year: int) -> float | None:
    """The reported lower bound ("trên 90%") of a disbursement rate, if there is one."""
    return reported_value(cat, code, "capital_disbursement_rate", year)


def disbursement_ratio(cat: Catalogue, code: str, year: int) -> float:
    """Disbursed / allocated: ~80 % before the review, ~88 % after; reported bounds hold."""
    rng = rng_for("disbursement", code, year)
    floor = disbursement_floor(cat, code, year)
    if floor is not None:
        return (floor + rng.uniform(1.5, 5.5)) / 100
    base = 0.80 if year <= 2012 else 0.88
    return min(0.995, max(0.55, rng.gauss(base, 0.045)))


def area_amount(code: str, year: int, base: int, growth: float, series: str) -> int:
    """An estimate or allocation: trend × noise, rounded to 100 million VND."""
    noise = rng_for(series, code, year).gauss(1, 0.03)
    return round(base * (1 + growth) ** (year - 2006) * noise / 100) * 100


def budget_figures(cat: Catalogue, code: str, year: int) -> dict[str, float]:
    estimate = allocated = collected = disbursed = 0
    for part in parts_of(code, year):
        p = profile(part)
        part_estimate = area_amount(part, year, p.revenue_estimate_2006, REVENUE_GROWTH, "est")
        part_allocated = area_amount(part, year, p.capital_allocated_2006, CAPITAL_GROWTH, "cap")
        estimate += part_estimate
        allocated += part_allocated
        collected += round(part_estimate * collection_ratio(part, year))
        disbursed += round(part_allocated * disbursement_ratio(cat, part, year))
    return {
        "budget_revenue_estimate": estimate,
        "budget_revenue_collected": collected,
        "tax_collection_vs_estimate": round(100 * collected / estimate, 2),
        "capital_allocated": allocated,
        "capital_disbursed": disbursed,
        "capital_disbursement_rate": round(100 * disbursed / allocated, 2),
    }


def amount_cell(value: float, code: str, year: int, indicator: str) -> int | float | str:
    """Most amounts are numbers; some are typed as text the Vietnamese way ("12.345")."""
    if isinstance(value, int) and rng_for("text", code, year, indicator).random() < AS_TEXT_SHARE:
        return vn_thousands(value)
    return value


def budget_note(cat: Catalogue, code: str, year: int, indicator: str) -> str:
    if code in {into for into, _ in CARVED_OUT.values()} and len(parts_of(code, year)) > 1:
        return "Gồm cả địa bàn " + ", ".join(cat.name(c) for c in parts_of(code, year)[1:])
    if indicator.startswith("capital") and disbursement_floor(cat, code, year) is not None:
        return f"Tỷ lệ giải ngân năm {year} là số liệu báo cáo (tệp {FILE_01})"
    return ""


def budget_rows(cat: Catalogue) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for code in district_codes(cat):
        for year in (y for y in CAN_THO_YEARS if exists_in(code, y)):
            figures = budget_figures(cat, code, year)
            for indicator in BUDGET_INDICATORS:
                if reported_value(cat, code, indicator, year) is not None:
                    continue  # reported in file 01
                ind = cat.indicators[indicator]
                rows.append(
                    [
                        len(rows) + 1,
                        cat.name(code),
                        ind.name,
                        year,
                        amount_cell(figures[indicator], code, year, indicator),
                        TARGETED.get(indicator),
                        ind.measure,
                        budget_note(cat, code, year, indicator) or None,
                        ILLUSTRATIVE,
                    ]
                )
    return rows


def budget_table(cat: Catalogue) -> Table:
    span = f"{CAN_THO_YEARS[0]} - {CAN_THO_YEARS[-1]}"
    return Table(
        sheet="Ngân sách - giải ngân",
        title="TÌNH HÌNH THU NGÂN SÁCH VÀ GIẢI NGÂN VỐN ĐẦU TƯ CÔNG CÁC QUẬN, HUYỆN "
        f"{cat.name(CITY).upper()} GIAI ĐOẠN {span}",
        meta=[("Loại số liệu", ILLUSTRATIVE)],
        header=[
            "STT",
            "Đơn vị",
            "Chỉ tiêu",
            "Năm",
            "Giá trị",
            "Kế hoạch",
            "Đơn vị tính",
            "Ghi chú",
            "Loại số liệu",
        ],
        rows=budget_rows(cat),
        footnotes=[
            "Ghi chú: Số tiền tính bằng triệu đồng. Tỷ lệ thu so với dự toán = Thu thực hiện / "
            "Dự toán × 100; tỷ lệ giải ngân = Vốn đã giải ngân / Vốn được giao × 100; cột Kế "
            "hoạch của hai tỷ lệ là 100%.",
            f"Ghi chú: Tỷ lệ giải ngân của {cat.name('925')} năm 2013 và 2014 (trên 90%) là số "
            f"liệu báo cáo, có trong tệp {FILE_01}, nên không ghi lại ở đây.",
            GENERATED_BY,
        ],
        widths=[6, 22, 34, 8, 14, 10, 12, 44, 14],
        wrap_columns=frozenset({3, 8}),
        plain_columns=frozenset({1, 4}),
    )


# --- file 04: the party organisations of the Ministry of Industry and Trade -------------

MINISTRY_FLOWS = (
    ("members_admitted", "Kết nạp đảng viên"),
    ("members_made_official", "Chuyển đảng chính thức"),
    ("inspected_organisations", "Kiểm tra tổ chức đảng"),
    ("inspected_members", "Kiểm tra đảng viên"),
    ("supervised_organisations", "Giám sát tổ chức đảng"),
    ("supervised_members", "Giám sát đảng viên"),
    ("disciplined_members", "Kỷ luật đảng viên"),
    ("disciplined_organisations", "Kỷ luật tổ chức đảng"),
)
# Party members of each subordinate organisation in 2015; a successor starts from
# its predecessor's last figure.
MEMBERS_2015 = {
    "DBBCT-01": 220,
    "DBBCT-02": 140,
    "DBBCT-03": 700,
    "DBBCT-04": 110,
    "DBBCT-05": 650,
    "DBBCT-06": 680,
    "DBBCT-07": 380,
    "DBBCT-08": 120,
    "DBBCT-09": 100,
    "DBBCT-10": 320,
}
# Level of each flow by year, relative to the term: admissions rise after 2017, made
# official a year later, inspections step up with the 2017 programme under NQTW4 khóa XII.
FLOW_TREND: dict[str, Callable[[int], float]] = {
    "members_admitted": lambda y: 0.72 if y <= 2017 else 1.0,
    "members_made_official": lambda y: 0.74 if y <= 2018 else 1.0,
    "inspected_organisations": lambda y: 0.85 if y <= 2016 else 1.0,
    "inspected_members": lambda y: 0.85 if y <= 2016 else 1.0,
    "supervised_organisations": lambda y: 0.85 if y <= 2016 else 1.0,
    "supervised_members": lambda y: 0.85 if y <= 2016 else 1.0,
}
# Party organisations within the ministry's party organisation, by year; 2020 (65)
# and 2025 (38) are reported and left out of file 04.
PARTY_ORGANISATIONS = {
    2015: 68,
    2016: 67,
    2017: 67,
    2018: 66,
    2019: 65,
    2021: 61,
    2022: 56,
    2023: 49,
    2024: 42,
}


def ministry_periods(indicator: str) -> list[Period]:
    """2015 ... 2024 and the part of 2025 the reported term total runs to."""
    months = 5 if indicator in ("members_admitted", "members_made_official") else 6
    return [*(year_period(y, as_text=True) for y in MINISTRY_YEARS), first_months(months, 2025)]


def organisations(cat: Catalogue) -> list[Unit]:
    return cat.children(MINISTRY_PARTY, "party")


def active(org: Unit, period: Period) -> bool:
    """An organisation reports for a period when it exists at the period's end."""
    return org.exists_on(period.end)


def predecessor(cat: Catalogue, org: Unit) -> Unit | None:
    return next((u for u in cat.units.values() if u.successor == org.code), None)


def members(cat: Catalogue, org: Unit, period: Period) -> int:
    """Party members at the end of ``period``: ~1.2 % growth a year with noise."""
    noise = rng_for("members", org.code, period.end.year).gauss(1, 0.012)
    before = predecessor(cat, org)
    if org.code not in MEMBERS_2015 and before is not None:
        return round(members(cat, before, year_period(period.end.year - 1)) * noise)
    return round(MEMBERS_2015[org.code] * (1 + 0.012 * (period.end.year - 2015)) * noise)


def flow_weight(cat: Catalogue, indicator: str, org: Unit, period: Period) -> float:
    """How much of a flow falls on one cell: size × length × trend × noise."""
    trend = FLOW_TREND.get(indicator, lambda y: 1.0)(period.end.year)
    noise = max(0.3, rng_for("weight", indicator, org.code, period.end.year).gauss(1, 0.2))
    return members(cat, org, period) * period.years * trend * noise


def term_cells(cat: Catalogue, indicator: str) -> dict[tuple[str, Period], float]:
    periods = [p for p in ministry_periods(indicator) if p.start >= TERM_START]
    return {
        (org.code, p): flow_weight(cat, indicator, org, p)
        for org in organisations(cat)
        for p in periods
        if active(org, p)
    }


def flow_values(cat: Catalogue, indicator: str) -> dict[tuple[str, Period], int]:
    """The term total split exactly over the term's cells; earlier years of similar size."""
    total = cat.term_total(MINISTRY_PARTY, indicator)
    weights = term_cells(cat, indicator)
    values = split_exactly(rng_for("split", indicator), int(total.value or 0), weights)
    per_weight = (total.value or 0) / sum(weights.values())
    for org in organisations(cat):
        for p in ministry_periods(indicator):
            if p.start < TERM_START and active(org, p):
                mean = per_weight * flow_weight(cat, indicator, org, p)
                rng = rng_for("pre-term", indicator, org.code, p.end.year)
                values[org.code, p] = poisson(rng, mean)
    return values


def validity_note(cat: Catalogue) -> str:
    parts = []
    for org in organisations(cat):
        if org.valid_to:
            after = f", kế tục là {cat.name(org.successor)}" if org.successor else ""
            parts.append(f"{org.name} đến {vn_date(org.valid_to)}{after}")
        if org.valid_from:
            parts.append(f"{org.name} từ {vn_date(org.valid_from)}")
    return (
        f"Ghi chú: «{MISSING}» = tổ chức đảng không tồn tại vào cuối kỳ: " + "; ".join(parts) + "."
    )


def org_title(cat: Catalogue, indicator: str, periods: Sequence[Period]) -> str:
    return (
        f"{cat.indicators[indicator].name.upper()} CỦA CÁC TỔ CHỨC ĐẢNG TRỰC THUỘC "
        f"{cat.name(MINISTRY_PARTY).upper()} GIAI ĐOẠN {periods[0].header} - "
        f"{str(periods[-1].header).upper()}"
    )


def org_rows(
    cat: Catalogue, periods: Sequence[Period], value: Callable[[Unit, Period], int]
) -> list[tuple[str, list[Any]]]:
    return [
        (org.code, [value(org, p) if active(org, p) else MISSING for p in periods])
        for org in organisations(cat)
    ]


def flow_table(cat: Catalogue, indicator: str, sheet: str) -> Table:
    periods = ministry_periods(indicator)
    values = flow_values(cat, indicator)
    total = cat.term_total(MINISTRY_PARTY, indicator)
    footnotes = [
        f"Ghi chú: Cộng các năm 2020 - 2024 và cột {periods[-1].header} của các tổ chức đảng "
        f"trong bảng bằng đúng số liệu toàn {cat.name(MINISTRY_PARTY)} đã báo cáo cho nhiệm kỳ "
        f"({vn_date(total.start)} - {vn_date(total.end)}): {vn_number(total.value or 0)}, có "
        f"trong tệp {FILE_01}.",
        validity_note(cat),
        GENERATED_BY,
    ]
    rows = org_rows(cat, periods, lambda org, p: values[org.code, p])
    return wide_table(
        cat,
        indicator,
        org_title(cat, indicator, periods),
        "Tổ chức đảng",
        periods,
        rows,
        footnotes,
        sheet,
    )


def members_table(cat: Catalogue) -> Table:
    periods = ministry_periods("party_members")
    rows = org_rows(cat, periods, lambda org, p: members(cat, org, p))
    footnotes = ["Ghi chú: Số đảng viên tại thời điểm cuối kỳ.", validity_note(cat), GENERATED_BY]
    return wide_table(
        cat,
        "party_members",
        org_title(cat, "party_members", periods),
        "Tổ chức đảng",
        periods,
        rows,
        footnotes,
        "Số đảng viên",
    )


def party_organisations_value(cat: Catalogue, period: Period) -> int | str:
    if cat.reported(MINISTRY_PARTY, "party_organisations", period.start, period.end):
        return MISSING
    return PARTY_ORGANISATIONS[period.end.year]


def party_organisations_table(cat: Catalogue) -> Table:
    periods = ministry_periods("party_organisations")
    reported = [
        s
        for s in cat.seeds
        if (s.unit, s.indicator) == (cat.name(MINISTRY_PARTY), "party_organisations")
    ]
    said = "; ".join(
        f"{vn_date(s.start)} - {vn_date(s.end)}: {vn_number(s.value or 0)}" for s in reported
    )
    footnotes = [
        f"Ghi chú: Số tổ chức đảng trực thuộc tại thời điểm cuối kỳ. Năm 2020 và "
        f"{periods[-1].header} là số liệu báo cáo ({said}), có trong tệp {FILE_01}.",
        GENERATED_BY,
    ]
    title = (
        f"{cat.indicators['party_organisations'].name.upper()} TRỰC THUỘC "
        f"{cat.name(MINISTRY_PARTY).upper()} GIAI ĐOẠN {periods[0].header} - "
        f"{str(periods[-1].header).upper()}"
    )
    rows = [(MINISTRY_PARTY, [party_organisations_value(cat, p) for p in periods])]
    return wide_table(
        cat,
        "party_organisations",
        title,
        "Đơn vị",
        periods,
        rows,
        footnotes,
        "Số tổ chức đảng toàn Đảng bộ",
    )


def ministry_tables(cat: Catalogue) -> list[Table]:
    flows = [flow_table(cat, code, sheet) for code, sheet in MINISTRY_FLOWS]
    return [*flows[:2], members_table(cat), *flows[2:], party_organisations_table(cat)]


# --- entry point ------------------------------------------------------------------------


def check_city_comparison(cat: Catalogue) -> None:
    """The source says Ô Môn's 2012 rate is above the city's: the sample must agree."""
    cells = poverty_cells(cat)
    rate = reported_value(cat, "917", "poverty_rate", 2012)
    if rate is None or rate <= city_rate(cells, 2012):
        raise AssertionError("Ô Môn's 2012 poverty rate must be above the city-wide rate")


def write_samples(out_dir: Path, cat: Catalogue) -> list[Path]:
    """Write the four workbooks into ``out_dir``; returns their paths."""
    check_city_comparison(cat)
    books = {
        FILE_01: [reported_table(cat)],
        FILE_02: poverty_tables(cat),
        FILE_03: [budget_table(cat)],
        FILE_04: ministry_tables(cat),
    }
    paths = []
    for name, tables in books.items():
        write_workbook(out_dir / name, tables)
        paths.append(out_dir / name)
    return paths


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="folder to write the workbooks into (default: data/sample)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DATA_DIR,
        help="folder holding units.csv and indicators.csv (default: data)",
    )
    parser.add_argument(
        "--seed-figures",
        type=Path,
        default=None,
        help=f"seed_figures.csv (default: ${SEED_FIGURES_ENV}, then "
        + ", then ".join(str(p) for p in SEED_FIGURE_PATHS)
        + ")",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        seed_path = args.seed_figures or find_seed_figures()
        paths = write_samples(args.out, load_catalogue(args.data, seed_path))
    except (FileNotFoundError, KeyError, LookupError, ValueError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
