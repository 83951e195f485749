"""The corpus: every file of tests/corpus/files loaded through the real CLI into a fresh
warehouse, against what tests/corpus/expected.toml says it must give.

A file that loads must leave exactly the expected observations in ``v_observation``
(values missing in the file are absent, never 0) and report the expected warnings; a
refused file must exit 1, store nothing, and name the file, sheet and cell of each
expected error, in the JSON report and on stderr. The files and the expectations are
written by ``python -m tests.corpus.make_corpus``, by hand, never from the loader.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FILES = CORPUS / "files"
MANIFEST: dict[str, dict[str, Any]] = tomllib.loads(
    (CORPUS / "expected.toml").read_text(encoding="utf-8")
)

STORED = (
    "SELECT unit_code, indicator_code, period_start, period_end, value, qualifier, target,"
    " is_preliminary, is_illustrative FROM v_observation WHERE value IS NOT NULL"
)
Row = tuple[str, str, date, date, float | None, str | None, float | None, bool, bool]


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), 9)


def expected_rows(entry: dict[str, Any]) -> list[Row]:
    rows = [
        (
            row["unit"],
            row["indicator"],
            row["start"],
            row["end"],
            _number(row["value"]),
            row.get("qualifier"),
            _number(row.get("target")),
            row.get("preliminary", False),
            row.get("illustrative", False),
        )
        for row in entry.get("rows", [])
    ]
    return sorted(rows, key=repr)


def stored_rows(db: Path) -> tuple[list[Row], int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = [
            (unit, indicator, start, end, _number(value), qualifier, _number(target), *flags)
            for unit, indicator, start, end, value, qualifier, target, *flags in con.execute(
                STORED
            ).fetchall()
        ]
        batches = con.execute("SELECT count(*) FROM batch").fetchone()
    finally:
        con.close()
    return sorted(rows, key=repr), int(batches[0]) if batches else 0


def location(path: Path, sheet: str, cell: str) -> str:
    where = str(path)
    if sheet:
        where += f":{sheet}" + (f"!{cell}" if cell else "")
    return where


def find(problems: list[dict[str, str]], want: dict[str, str]) -> dict[str, str] | None:
    return next(
        (
            p
            for p in problems
            if (p["rule"], p["sheet"], p["cell"]) == (want["rule"], want["sheet"], want["cell"])
        ),
        None,
    )


@pytest.fixture(scope="module")
def catalogue_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``empty_db`` holds (the catalogue, no reports), built once for the module."""
    path = tmp_path_factory.mktemp("corpus") / "catalogue.duckdb"
    assert main(["init", "--db", str(path), "--no-sample"]) == 0
    return path


@pytest.fixture
def warehouse(catalogue_db: Path, tmp_path: Path) -> Path:
    """A private copy of ``catalogue_db``: a fresh warehouse in milliseconds, where
    ``etl init`` takes 0.1-0.5 s, for each of the corpus's files."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(catalogue_db, copy)
    return copy


def test_every_file_has_an_entry_and_every_entry_a_file() -> None:
    on_disk = sorted(path.name for path in FILES.iterdir())
    assert on_disk == sorted(MANIFEST)
    assert len(on_disk) >= 45


def test_the_committed_corpus_is_what_the_script_writes(tmp_path: Path) -> None:
    """Change a case in make_corpus.py, then rerun it: files and manifest never drift.

    Written by a fresh interpreter: odfpy numbers its styles across a process, so an .ods
    written after other tests wrote one differs byte for byte."""
    script = (
        "import sys; from pathlib import Path; from tests.corpus.make_corpus import write_corpus;"
        " write_corpus(Path(sys.argv[1]) / 'files', Path(sys.argv[1]) / 'expected.toml')"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, cwd=ROOT)
    assert (tmp_path / "expected.toml").read_bytes() == (CORPUS / "expected.toml").read_bytes()
    differ = [
        path.name
        for path in sorted((tmp_path / "files").iterdir())
        if path.read_bytes() != (FILES / path.name).read_bytes()
    ]
    assert differ == [], "rerun: .venv/bin/python -m tests.corpus.make_corpus"


def test_every_entry_says_what_must_happen() -> None:
    for name, entry in MANIFEST.items():
        assert entry["exit"] in (0, 1), name
        if entry["exit"] == 0:
            assert entry["rows"] and not entry.get("errors"), name
        else:
            assert entry["errors"] and not entry.get("rows"), name


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_corpus_file(
    name: str,
    warehouse: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")  # the messages' words in "says" are Vietnamese
    entry = MANIFEST[name]
    path = FILES / name

    code = main(["load", str(path), "--db", str(warehouse), "--json", *entry.get("args", [])])
    out, err = capsys.readouterr()
    report = json.loads(out)

    gap = f" (known gap: {entry['gap']})" if "gap" in entry else ""
    assert "Traceback" not in err
    assert report["file"] == str(path)
    assert code == entry["exit"], f"exit {code}{gap}; stderr:\n{err}"
    if code == 0:
        assert report["errors"] == []
        check_stored(warehouse, entry, f"{gap}; stderr:\n{err}")
    else:
        assert stored_rows(warehouse) == ([], 0), "a refused file stored something"
        check_named(path, entry["errors"], report["errors"], err, gap)
    check_named(path, entry.get("warnings", []), report["warnings"], err, gap)
    reported = {warning["rule"] for warning in report["warnings"]}
    assert not reported & set(entry.get("no_warnings", [])), report["warnings"]


def check_stored(db: Path, entry: dict[str, Any], context: str) -> None:
    """Exactly the expected observations, no more: a missing value stored as 0 is extra."""
    stored, _ = stored_rows(db)
    expected = expected_rows(entry)
    missing = [row for row in expected if row not in stored]
    extra = [row for row in stored if row not in expected]
    assert stored == expected, f"missing {missing}, extra {extra}{context}"


def check_named(
    path: Path, wanted: list[dict[str, str]], got: list[dict[str, str]], err: str, gap: str
) -> None:
    """Each wanted problem is reported with its rule at its file, sheet and cell, in the
    JSON report and as a stderr line ``FILE:SHEET!CELL: message`` holding its words."""
    for want in wanted:
        where = location(path, want["sheet"], want["cell"])
        found = find(got, want)
        assert found is not None, f"no {want['rule']} at {where} in {got}{gap}"
        assert found["file"] == str(path)
        lines = [line for line in err.splitlines() if line.startswith(f"{where}: ")]
        assert lines, f"stderr names no {where}:\n{err}"
        says = want.get("says", "")
        assert says in found["message"] and any(says in line for line in lines), found
