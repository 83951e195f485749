"""Intake benchmark: a workbook of N cells read, validated and stored.

    python bench/bench_intake.py [--cells 1000000] [--repeat 3]

Measured in the same run, best of ``--repeat``:
- bare reader: python-calamine parsing every sheet to Python values (the floor);
- ours: ``etl.load.load_file`` into a fresh warehouse (read, recognise, validate, store);
- obvious alternative: ``pandas.read_excel(engine="openpyxl")`` plus inserting the
  rows into DuckDB from the DataFrame (no validation at all).
Prints seconds and the ratios the README reports.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import python_calamine

from bench.make_workbook import write
from etl.cli import main as etl_main
from etl.load import LoadOptions, load_file


def best_of(repeat: int, run: Callable[[int], object]) -> float:
    times = []
    for attempt in range(repeat):
        start = time.perf_counter()
        run(attempt)
        times.append(time.perf_counter() - start)
    return min(times)


def bare_reader(path: Path) -> None:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def ours(path: Path, folder: Path, attempt: int) -> float:
    """Seconds to load the file into a fresh warehouse (creating it is not timed)."""
    db = folder / f"ours-{attempt}.duckdb"
    assert etl_main(["init", "--db", str(db), "--no-sample"]) == 0
    start = time.perf_counter()
    result = load_file(db, path, LoadOptions(loaded_by="bench"))
    seconds = time.perf_counter() - start
    assert result.ok and result.batch_id is not None, result.problems[:3]
    return seconds


def alternative(path: Path, folder: Path, attempt: int) -> None:
    frame = pd.read_excel(path, engine="openpyxl", skiprows=2, dtype=str)
    con = duckdb.connect(str(folder / f"alt-{attempt}.duckdb"))
    con.register("frame", frame)
    con.execute("CREATE TABLE rows AS SELECT * FROM frame")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cells", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "report.xlsx"
        write(path, args.cells)
        bare = best_of(args.repeat, lambda _: bare_reader(path))
        mine = min(ours(path, folder, attempt) for attempt in range(args.repeat))
        alt = best_of(max(1, args.repeat - 2), lambda a: alternative(path, folder, a))
    print(f"cells: {args.cells:,}  file: {path.name}")
    print(f"bare reader (python-calamine):         {bare:7.2f} s")
    print(f"ours (read + validate + store):        {mine:7.2f} s")
    print(f"pandas+openpyxl read + DuckDB insert:  {alt:7.2f} s")
    print(
        f"alternative / ours = {alt / mine:.1f}x faster;  ours / bare reader = {mine / bare:.1f}x"
    )


if __name__ == "__main__":
    main()
