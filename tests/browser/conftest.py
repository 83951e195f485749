"""Browser fixtures: the real app served by Streamlit, driven in Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from etl.cli import main as etl_main

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """pytest-playwright with Debian's Chromium (never `playwright install`)."""
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


@contextmanager
def _serve(db: Path) -> Iterator[str]:
    """``streamlit run app.py`` over the warehouse ``db`` on a free port, until the end."""
    port = _free_port()
    env = {**os.environ, "WAREHOUSE_DB": str(db)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free port over a warehouse with the catalogue and no reports yet."""
    db = tmp_path_factory.mktemp("browser") / "warehouse.duckdb"
    assert etl_main(["init", "--db", str(db), "--no-sample"]) == 0
    with _serve(db) as url:
        yield url


@pytest.fixture(scope="session")
def sample_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free port over the sample warehouse (read only by the tests)."""
    db = tmp_path_factory.mktemp("browser_sample") / "warehouse.duckdb"
    assert etl_main(["init", "--db", str(db)]) == 0
    with _serve(db) as url:
        yield url
