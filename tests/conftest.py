"""Shared fixtures: real warehouses built by the real `python -m etl init`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.cli import main as etl_main

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with the catalogue and every bundled sample report, built once.

    Tests must treat it as read-only; use ``fresh_sample_db`` to change data.
    """
    path = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    assert etl_main(["init", "--db", str(path)]) == 0
    return path


@pytest.fixture
def fresh_sample_db(sample_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample warehouse that a test may change."""
    copy = tmp_path / "warehouse.duckdb"
    copy.write_bytes(sample_db.read_bytes())
    return copy


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Path]:
    """A warehouse with the catalogue but no reports."""
    path = tmp_path / "warehouse.duckdb"
    assert etl_main(["init", "--db", str(path), "--no-sample"]) == 0
    yield path
