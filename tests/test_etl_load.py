"""Loading report files through the real CLI into real DuckDB files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl.catalogue import load_catalogue
from etl.cli import main
from etl.errors import EtlError
from etl.load import LoadOptions, load_file
from etl.warehouse import SCHEMA_VERSION, ensure_schema
from tests.workbooks import LONG_ADMISSIONS, WIDE_POVERTY, write_xlsx

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def observation_count(db: Path) -> int:
    return int(query(db, "SELECT count(*) FROM observation")[0][0])


def test_init_creates_catalogue_without_sample(empty_db: Path) -> None:
    counts = query(
        empty_db,
        "SELECT (SELECT count(*) FROM unit), (SELECT count(*) FROM "
        "indicator), (SELECT count(*) FROM campaign), (SELECT count(*) FROM batch)",
    )
    units, indicators, campaigns, batches = counts[0]
    assert units > 100 and indicators >= 35 and campaigns == 4
    assert batches == 0
    assert query(empty_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]


def test_wide_table_is_loaded_with_qualifiers_and_totals_skipped(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "ho_ngheo.xlsx", WIDE_POVERTY)
    assert main(["load", str(path), "--db", str(empty_db)]) == 0
    rows = query(
        empty_db,
        "SELECT unit_code, period_start, period_type, value, qualifier, value_status, source_cell"
        " FROM v_observation ORDER BY unit_code, period_start",
    )
    assert [(r[0], r[1].year, r[3], r[4]) for r in rows] == [
        ("917", 2017, 4.1, None),
        ("917", 2018, 3.52, None),
        ("918", 2017, 2.0, None),
        ("918", 2018, 1.8, None),
        ("918", 2019, 1.5, "lower_bound"),
    ]
    assert {r[2] for r in rows} == {"year"} and {r[5] for r in rows} == {"reported"}
    assert rows[-1][6] == "E7"
    err = capsys.readouterr().err
    assert "ho_ngheo.xlsx:Báo cáo!B8:" in err and "Tổng cộng" in err


def test_long_table_with_status_target_and_preliminary(empty_db: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ket_nap.xlsx", LONG_ADMISSIONS)
    assert main(["load", str(path), "--db", str(empty_db), "--by", "Nguyễn Văn A"]) == 0
    rows = query(
        empty_db,
        "SELECT unit_code, value, qualifier, target, note, is_preliminary, value_status "
        "FROM v_observation ORDER BY unit_code",
    )
    assert rows == [
        ("DBBCT-01", 12.0, None, 10.0, None, True, "preliminary"),
        ("DBBCT-02", 9.0, "nearly", None, "ước", False, "reported"),
    ]
    assert query(empty_db, "SELECT loaded_by, row_count, source FROM batch") == [
        ("Nguyễn Văn A", 2, "cli")
    ]


def test_same_file_twice_stores_nothing_new(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "ho_ngheo.xlsx", WIDE_POVERTY)
    assert main(["load", str(path), "--db", str(empty_db)]) == 0
    capsys.readouterr()
    assert main(["load", str(path), "--db", str(empty_db)]) == 0
    assert "đã được lưu trước đây (đợt nạp 1)" in capsys.readouterr().err
    assert query(empty_db, "SELECT count(*) FROM batch") == [(1,)]
    # The same figures in another file (different bytes) store nothing either.
    copy = write_xlsx(tmp_path / "ban_sao.xlsx", [*WIDE_POVERTY, ["Người lập: B"]])
    assert main(["load", str(copy), "--db", str(empty_db)]) == 0
    assert "không lưu gì thêm" in capsys.readouterr().err
    assert query(empty_db, "SELECT count(*) FROM batch") == [(1,)]


def test_correction_is_a_new_batch_and_rollback_restores_the_old_value(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write_xlsx(tmp_path / "v1.xlsx", WIDE_POVERTY)
    corrected_rows = [list(r) for r in WIDE_POVERTY]
    corrected_rows[5][3] = "3,6"  # Ô Môn 2018: 3,52 → 3,6
    second = write_xlsx(tmp_path / "v2.xlsx", corrected_rows)
    assert main(["load", str(first), "--db", str(empty_db)]) == 0
    capsys.readouterr()
    assert main(["load", str(second), "--db", str(empty_db)]) == 0
    assert "3,52 → 3,6" in capsys.readouterr().err
    sql = (
        "SELECT value, batch_id FROM v_observation WHERE unit_code = '917' "
        "AND period_start = DATE '2018-01-01'"
    )
    assert query(empty_db, sql) == [(3.6, 2)]
    history = query(
        empty_db,
        "SELECT value FROM observation WHERE unit_code = '917' AND "
        "period_start = DATE '2018-01-01' ORDER BY batch_id",
    )
    assert history == [(3.52,), (3.6,)]
    assert main(["rollback", "2", "--db", str(empty_db)]) == 0
    assert query(empty_db, sql) == [(3.52, 1)]
    assert query(empty_db, "SELECT status FROM batch ORDER BY batch_id") == [
        ("active",),
        ("rolled_back",),
    ]
    assert observation_count(empty_db) == 5


def test_rollback_of_unknown_or_rolled_back_batch_is_refused(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rollback", "99", "--db", str(empty_db)]) == 1
    assert "Không có đợt nạp số 99" in capsys.readouterr().err
    path = write_xlsx(tmp_path / "a.xlsx", WIDE_POVERTY)
    main(["load", str(path), "--db", str(empty_db)])
    assert main(["rollback", "1", "--db", str(empty_db)]) == 0
    assert observation_count(empty_db) == 0
    assert main(["rollback", "1", "--db", str(empty_db)]) == 1
    assert "đã được hủy trước đây" in capsys.readouterr().err


def test_dry_run_writes_nothing_and_json_reports(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "ho_ngheo.xlsx", WIDE_POVERTY)
    assert main(["load", str(path), "--db", str(empty_db), "--dry-run", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["batch_id"] is None and document["rows"] == 5 and document["errors"] == []
    assert document["warnings"][0]["cell"] == "B8"
    assert document["tables"] == [
        {
            "sheet": "Báo cáo",
            "layout": "wide",
            "spread": "period",
            "header_cell": "A5",
            "columns": {"row_number": "A", "unit": "B"},
            "meta": {"indicator": "Tỷ lệ hộ nghèo", "measure": "%"},
            "value_cells": 6,
            "total_rows": 1,
        }
    ]
    assert document["skipped_sheets"] == []
    assert observation_count(empty_db) == 0


def test_indicator_option_names_the_table(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [r for r in WIDE_POVERTY if not (r and str(r[0]).startswith("Chỉ tiêu"))]
    path = write_xlsx(tmp_path / "khong_chi_tieu.xlsx", rows)
    assert main(["load", str(path), "--db", str(empty_db)]) == 1
    assert "--indicator" in capsys.readouterr().err
    assert main(["load", str(path), "--db", str(empty_db), "--indicator", "poverty_rate"]) == 0
    assert observation_count(empty_db) == 5
    assert main(["load", str(path), "--db", str(empty_db), "--indicator", "no_such"]) == 1
    assert "no_such" in capsys.readouterr().err


def test_english_messages_with_lang_en(
    empty_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    rows = [list(r) for r in WIDE_POVERTY]
    rows[5][1] = "Quận Ô Mông"
    path = write_xlsx(tmp_path / "sai.xlsx", rows)
    assert main(["load", str(path), "--db", str(empty_db)]) == 1
    err = capsys.readouterr().err
    assert "sai.xlsx:Báo cáo!B6: Unit “Quận Ô Mông” is not in the catalogue" in err
    assert "Quận Ô Môn" in err  # the closest known unit is suggested


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["load"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_batches_lists_them(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batches", "--db", str(empty_db)]) == 0
    assert "Chưa có đợt nạp nào" in capsys.readouterr().err
    main(["load", str(write_xlsx(tmp_path / "a.xlsx", WIDE_POVERTY)), "--db", str(empty_db)])
    capsys.readouterr()
    assert main(["batches", "--db", str(empty_db)]) == 0
    out = capsys.readouterr().out
    assert "a.xlsx" in out and "active" in out


def test_init_again_stores_nothing_new(
    fresh_sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = query(fresh_sample_db, "SELECT count(*), max(batch_id) FROM batch")
    observations = observation_count(fresh_sample_db)
    assert before[0][0] == len(list((PROJECT_ROOT / "data" / "sample").glob("*.xlsx")))
    assert main(["init", "--db", str(fresh_sample_db)]) == 0
    assert query(fresh_sample_db, "SELECT count(*), max(batch_id) FROM batch") == before
    assert observation_count(fresh_sample_db) == observations
    assert "đã được lưu trước đây" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("file_name", "old", "new", "message"),
    [
        (
            "units.csv",
            "O Mon District,92,district",
            "O Mon District,99x,district",
            "parent_code '99x' is not a unit_code",
        ),
        ("indicators.csv", ",count,", ",tally,", "kind 'tally' not in"),
    ],
)
def test_broken_catalogue_is_refused_with_file_and_row(
    tmp_path: Path, file_name: str, old: str, new: str, message: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for source in (PROJECT_ROOT / "data").glob("*.csv"):
        (data / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    target = data / file_name
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        ensure_schema(con, tmp_path / "w.duckdb")
        with pytest.raises(EtlError) as caught:
            load_catalogue(con, data)
    finally:
        con.close()
    assert message in caught.value.message("en") and file_name in caught.value.message("vi")


def test_one_unit_table_takes_the_unit_option(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A unit's own report: one row per indicator, years as columns, no Đơn vị column."""
    rows: list[list[Any]] = [
        ["BÁO CÁO CỦA QUẬN Ô MÔN"],
        [],
        ["STT", "Chỉ tiêu", "Năm 2013", "Năm 2014"],
        [1, "Tỷ lệ hộ nghèo (%)", "6,3", "4,68"],
        [2, "Số hộ nghèo", "2.071", "1.540"],
    ]
    path = write_xlsx(tmp_path / "o_mon.xlsx", rows)
    assert main(["load", str(path), "--db", str(empty_db)]) == 1
    assert f"{path}:Báo cáo!B3: " in capsys.readouterr().err
    assert main(["load", str(path), "--db", str(empty_db), "--unit", "917"]) == 0
    stored = query(
        empty_db,
        "SELECT indicator_code, year(period_start), value FROM v_observation "
        "WHERE unit_code = '917' ORDER BY 1, 2",
    )
    assert stored == [
        ("poor_households", 2013, 2071.0),
        ("poor_households", 2014, 1540.0),
        ("poverty_rate", 2013, 6.3),
        ("poverty_rate", 2014, 4.68),
    ]


def test_a_value_far_outside_the_units_history_is_a_warning(
    fresh_sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ô Môn's poverty rate was 3-16 % in 2006-2016: 95 (a count typed as a rate) stands out."""
    rows: list[list[Any]] = [
        ["Chỉ tiêu: Tỷ lệ hộ nghèo"],
        ["STT", "Đơn vị", "2017", "2018"],
        [1, "Quận Ô Môn", "2,9", 95],
    ]
    path = write_xlsx(tmp_path / "nhay.xlsx", rows)
    assert main(["load", str(path), "--db", str(fresh_sample_db), "--dry-run"]) == 0
    jumps = [line for line in capsys.readouterr().err.splitlines() if "khác xa" in line]
    assert len(jumps) == 1 and jumps[0].startswith(f"{path}:Báo cáo!D3: Giá trị 95 khác xa")


def test_sheet_progress_is_told_each_sheet(empty_db: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "hai_trang.xlsx", {"Một": WIDE_POVERTY, "Hai": LONG_ADMISSIONS})
    heard: list[tuple[str, int, int]] = []
    result = load_file(
        empty_db,
        path,
        LoadOptions(),
        dry_run=True,
        sheet_progress=lambda sheet, index, count: heard.append((sheet, index, count)),
    )
    assert result.ok
    assert heard == [("Một", 0, 2), ("Hai", 1, 2)]
