"""Intake benchmark: a workbook of N cells read, validated and stored.

    python bench/bench_intake.py [--cells 1000000] [--repeat 3]

Measured in the same run, best of ``--repeat``:
- bare reader: python-calamine parsing every sheet to Python values (the floor);
- ours: ``etl.load.load_file`` into a fresh warehouse (read, recognise, validate, store);
- obvious alternative: ``pandas.read_excel(engine="openpyxl")`` plus inserting the
  rows into DuckDB from the DataFrame (no validation at all).
Prints seconds and the ratios the README reports. ``--stages`` also prints where our
time goes, stage by stage, in our fastest run (each stage's function timed as it runs).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import wraps
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import python_calamine

from bench.make_workbook import write
from etl import load, reader, resolve
from etl.cli import main as etl_main
from etl.load import LoadOptions, load_file

# (module or class, function name, what the stage does)
STAGES: list[tuple[Any, str, str]] = [
    (load, "open_warehouse", "open the warehouse"),
    (reader, "_prescan", "check the zip and measure each sheet before calamine"),
    (reader, "_read_sheets", "calamine: parse the sheets into Python rows"),
    (load, "unicode_rows", "find and convert legacy-encoded text"),
    (load, "find_table", "recognise the table, gather its value cells"),
    (resolve.Resolver, "add_table", "resolve, validate and build the rows"),
    (load, "_changes_against_current", "compare with the stored values"),
    (load, "_warn_about_jumps", "look for jumps in each unit's history"),
    (load, "_store", "store (DuckDB, one transaction)"),
]


@contextmanager
def timed_stages(seconds: dict[str, float]) -> Iterator[None]:
    """Add each stage's seconds to ``seconds`` while inside."""
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in STAGES]

    def timing(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - start

        return run

    for owner, name, function in originals:
        setattr(owner, name, timing(name, function))
    try:
        yield
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)


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


def ours(path: Path, folder: Path, attempt: int, stages: dict[str, float] | None = None) -> float:
    """Seconds to load the file into a fresh warehouse (creating it is not timed)."""
    db = folder / f"ours-{attempt}.duckdb"
    assert etl_main(["init", "--db", str(db), "--no-sample"]) == 0
    timing: AbstractContextManager[None] = (
        timed_stages(stages) if stages is not None else nullcontext()
    )
    with timing:
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
    parser.add_argument("--stages", action="store_true", help="where our time goes")
    args = parser.parse_args()
    runs: list[tuple[float, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "report.xlsx"
        write(path, args.cells)
        bare = best_of(args.repeat, lambda _: bare_reader(path))
        for attempt in range(args.repeat):
            stages: dict[str, float] = defaultdict(float)
            runs.append((ours(path, folder, attempt, stages if args.stages else None), stages))
        mine, stages = min(runs, key=lambda run: run[0])
        alt = best_of(max(1, args.repeat - 2), lambda a: alternative(path, folder, a))
    print(f"cells: {args.cells:,}  file: {path.name}")
    print(f"bare reader (python-calamine):         {bare:7.2f} s")
    print(f"ours (read + validate + store):        {mine:7.2f} s")
    print(f"pandas+openpyxl read + DuckDB insert:  {alt:7.2f} s")
    print(
        f"alternative / ours = {alt / mine:.1f}x faster;  ours / bare reader = {mine / bare:.1f}x"
    )
    if args.stages:
        print("our fastest run, stage by stage:")
        for _, name, what in STAGES:
            print(f"  {stages[name]:6.3f} s  {what}")
        print(f"  {mine - sum(stages.values()):6.3f} s  the rest")


if __name__ == "__main__":
    main()
