"""The intake benchmark runs, and its stage timing leaves the ETL as it found it."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from bench.bench_intake import STAGES, ours
from bench.make_workbook import write

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_prints_both_ratios_and_every_stage() -> None:
    command = [sys.executable, "-m", "bench.bench_intake", "--cells", "3000", "--repeat", "1"]
    run = subprocess.run(
        [*command, "--stages"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    ratios = re.search(
        r"alternative / ours = ([\d.]+)x faster;  ours / bare reader = ([\d.]+)x", run.stdout
    )
    assert ratios is not None, run.stdout
    assert float(ratios.group(1)) > 0 and float(ratios.group(2)) > 0
    for _, _, what in STAGES:
        assert re.search(rf"\d+\.\d{{3}} s  {re.escape(what)}\n", run.stdout), what


def test_stage_timing_times_each_stage_once_and_restores_the_functions(tmp_path: Path) -> None:
    before = [getattr(owner, name) for owner, name, _ in STAGES]
    path = tmp_path / "report.xlsx"
    write(path, 500)
    seconds: dict[str, float] = defaultdict(float)
    total = ours(path, tmp_path, 0, seconds)
    assert [getattr(owner, name) for owner, name, _ in STAGES] == before
    assert set(seconds) == {name for _, name, _ in STAGES}
    assert 0 < sum(seconds.values()) <= total
