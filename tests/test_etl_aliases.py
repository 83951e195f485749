"""Unit names an office uses, mapped once and remembered; and the schema upgrade that
brought them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.aliases import list_aliases, remember_unit_alias
from etl.cli import main
from etl.errors import EtlError
from etl.warehouse import SCHEMA_VERSION
from tests.test_etl_load import query
from tests.workbooks import WIDE_POVERTY, write_xlsx


def odd_names_report(tmp_path: Path) -> Path:
    rows = [list(r) for r in WIDE_POVERTY]
    rows[5][1] = "Q.Ô Môn (cũ)"
    return write_xlsx(tmp_path / "ten_rieng.xlsx", rows)


def test_a_remembered_name_is_used_for_that_office_only(
    empty_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = odd_names_report(tmp_path)
    assert main(["load", str(path), "--db", str(empty_db), "--office", "VP Quận ủy"]) == 1
    assert "Q.Ô Môn (cũ)" in capsys.readouterr().err
    remember_unit_alias(empty_db, "VP Quận ủy", "Q.Ô Môn (cũ)", "917")
    assert main(["load", str(path), "--db", str(empty_db), "--office", "Khác"]) == 1
    assert main(["load", str(path), "--db", str(empty_db), "--office", "VP Quận ủy"]) == 0
    assert ("917", 2017, 4.1) in query(
        empty_db, "SELECT unit_code, year(period_start), value FROM v_observation"
    )
    aliases = list_aliases(empty_db)
    assert aliases[["office", "alias", "unit_code"]].values.tolist() == [
        ["VP Quận ủy", "Q.Ô Môn (cũ)", "917"]
    ]


def test_remembering_needs_a_known_unit_and_an_office(empty_db: Path) -> None:
    with pytest.raises(EtlError) as unknown:
        remember_unit_alias(empty_db, "VP", "Ô Môn cũ", "no-such-code")
    assert "no-such-code" in unknown.value.message("vi")
    with pytest.raises(EtlError) as no_office:
        remember_unit_alias(empty_db, "  ", "Ô Môn cũ", "917")
    assert no_office.value.key == "alias_needs_office"


def test_a_version_1_warehouse_is_upgraded_keeping_its_data(
    fresh_sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = duckdb.connect(str(fresh_sample_db))
    con.execute("DROP TABLE unit_alias")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    before = con.execute("SELECT count(*) FROM v_observation").fetchall()
    con.close()
    assert main(["batches", "--db", str(fresh_sample_db)]) == 1  # reading does not upgrade
    assert f"cấu trúc 1, cũ hơn {SCHEMA_VERSION}" in capsys.readouterr().err
    assert main(["init", "--db", str(fresh_sample_db)]) == 0
    assert query(fresh_sample_db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    assert query(fresh_sample_db, "SELECT count(*) FROM unit_alias") == [(0,)]
    assert query(fresh_sample_db, "SELECT count(*) FROM v_observation") == before


PRIMARY_KEYS = (
    "SELECT constraint_text FROM duckdb_constraints() "
    "WHERE table_name = 'observation' AND constraint_type = 'PRIMARY KEY'"
)


def test_a_version_2_warehouse_loses_the_observation_key_keeping_its_data(
    fresh_sample_db: Path,
) -> None:
    con = duckdb.connect(str(fresh_sample_db))
    con.execute(
        "ALTER TABLE observation ADD PRIMARY KEY "
        "(batch_id, unit_code, indicator_code, period_start, period_end)"
    )
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    before = con.execute("SELECT * FROM v_observation ORDER BY ALL").fetchall()
    assert con.execute(PRIMARY_KEYS).fetchall()  # the file is as version 2 made it
    con.close()
    assert main(["init", "--db", str(fresh_sample_db)]) == 0
    assert query(fresh_sample_db, PRIMARY_KEYS) == []
    assert query(fresh_sample_db, "SELECT * FROM v_observation ORDER BY ALL") == before
    assert len(before) > 100
