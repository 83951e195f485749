"""The same report saved as .xls (Excel 97-2003), .ods and .csv loads to the same values
as the .xlsx: files written at test time by the libraries made for each format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import xlwt

from etl.cli import main
from tests.test_etl_load import query
from tests.workbooks import WIDE_POVERTY, write_xlsx

STORED = (
    "SELECT unit_code, indicator_code, year(period_start), value, qualifier "
    "FROM v_observation ORDER BY 1, 2, 3"
)
EXPECTED = [
    ("917", "poverty_rate", 2017, 4.1, None),
    ("917", "poverty_rate", 2018, 3.52, None),
    ("918", "poverty_rate", 2017, 2.0, None),
    ("918", "poverty_rate", 2018, 1.8, None),
    ("918", "poverty_rate", 2019, 1.5, "lower_bound"),
]


def write_xls(path: Path, rows: list[list[Any]]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Báo cáo")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and value != "":
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, rows: list[list[Any]]) -> Path:
    width = max(len(row) for row in rows)
    frame = pd.DataFrame([[*row, *[None] * (width - len(row))] for row in rows])
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Báo cáo", header=False, index=False)
    return path


def write_csv(path: Path, rows: list[list[Any]], *, separator: str, encoding: str) -> Path:
    text = "\n".join(separator.join("" if v is None else str(v) for v in row) for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


WRITERS: dict[str, Callable[[Path, list[list[Any]]], Path]] = {
    "xlsx": lambda p, rows: write_xlsx(p, rows),
    "xls": write_xls,
    "ods": write_ods,
    "csv": lambda p, rows: write_csv(p, rows, separator=";", encoding="utf-8-sig"),
    "txt": lambda p, rows: write_csv(p, rows, separator="\t", encoding="utf-16"),
}


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_every_format_loads_the_same_values(
    suffix: str, empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = WRITERS[suffix](tmp_path / f"ho_ngheo.{suffix}", [list(r) for r in WIDE_POVERTY])
    assert main(["load", str(path), "--db", str(empty_db)]) == 0, capsys.readouterr().err
    assert query(empty_db, STORED) == EXPECTED
    sheet = "ho_ngheo" if suffix in {"csv", "txt"} else "Báo cáo"
    assert f"{path}:{sheet}!B8: " in capsys.readouterr().err  # the total row, by its cell
