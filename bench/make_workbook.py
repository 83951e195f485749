"""Write a large, realistic long-layout report workbook for the intake benchmark.

    python bench/make_workbook.py OUT.xlsx [--cells 1000000]

Five columns (Đơn vị, Chỉ tiêu, Kỳ báo cáo, Giá trị, Ghi chú) under a title row; the
units and indicators are real catalogue names, periods are months ("Tháng 5/2012"),
values are numbers with a few Vietnamese-formatted texts and qualifiers mixed in,
every (unit, indicator, period) once.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from pathlib import Path

from openpyxl import Workbook

DATA = Path(__file__).resolve().parent.parent / "data"
COLUMNS = ["Đơn vị", "Chỉ tiêu", "Kỳ báo cáo", "Giá trị", "Ghi chú"]
INDICATORS = [
    "households", "poor_households", "budget_revenue_estimate", "budget_revenue_collected",
    "capital_allocated", "capital_disbursed", "party_members", "members_admitted",
]  # fmt: skip


def catalogue_names() -> tuple[list[str], list[str]]:
    with (DATA / "units.csv").open(encoding="utf-8") as handle:
        units = [
            row["name_vi"]
            for row in csv.DictReader(handle)
            if not row["valid_to"] and not row["valid_from"] and row["level"] != "country"
        ]
    with (DATA / "indicators.csv").open(encoding="utf-8") as handle:
        names = {row["indicator_code"]: row["name_vi"] for row in csv.DictReader(handle)}
    return sorted(set(units)), [names[code] for code in INDICATORS]


def rows(cells: int, seed: int = 7) -> itertools.islice[list[object]]:
    rng = random.Random(seed)
    units, indicators = catalogue_names()
    periods = [f"Tháng {m}/{y}" for y in range(1900, 2100) for m in range(1, 13)]

    def generate() -> itertools.product[tuple[str, str, str]]:
        return itertools.product(periods, units, indicators)

    def row(key: tuple[str, str, str]) -> list[object]:
        period, unit, indicator = key
        value: object = rng.randint(0, 50_000)
        draw = rng.random()
        if draw < 0.05:
            value = f"{value:,}".replace(",", ".")
        elif draw < 0.06:
            value = f"khoảng {value}"
        return [unit, indicator, period, value, "" if draw > 0.01 else "ước tính"]

    return itertools.islice((row(key) for key in generate()), cells // len(COLUMNS))


def write(path: Path, cells: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Báo cáo")
    sheet.append(["BÁO CÁO SỐ LIỆU HÀNG THÁNG (tệp thử hiệu năng)"])
    sheet.append([])
    sheet.append(COLUMNS)
    for values in rows(cells):
        sheet.append(values)
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cells", type=int, default=1_000_000)
    args = parser.parse_args()
    write(args.out, args.cells)


if __name__ == "__main__":
    main()
