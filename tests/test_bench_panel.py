"""The across-units benchmark runs and checks itself against statsmodels."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_panel_benchmark_prints_each_step_and_the_total() -> None:
    command = [sys.executable, "-m", "bench.bench_panel", "--units", "40", "--years", "12"]
    run = subprocess.run(
        [*command, "--repeat", "1"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for step in ("unit_estimates (gaussian)", "unit_estimates (counts  )", "did", "event_study"):
        assert re.search(rf"{re.escape(step)}\s+\d+\.\d{{3}} s", run.stdout), step
    assert run.stdout.count("same estimates") == 2
    assert re.search(r"unit_estimates \+ did \+ event_study \(gaussian\): \d+\.\d{3} s", run.stdout)
