"""The analysts' SQL box on the sample warehouse: a parameterised SELECT runs; everything
else is refused with its message, by our checks and by DuckDB's own settings; rows and
time are bounded; values are bound, never pasted."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard import queries, sql_box
from dashboard.queries import Connection
from dashboard.sql_box import SqlRefused


@pytest.fixture
def con(sample_db: Path) -> Iterator[Connection]:
    with queries.reader(sample_db) as connection:
        yield connection


def _refused(
    con: Connection, sql: str, params: list | None = None, time_limit: float = sql_box.TIME_LIMIT
) -> SqlRefused:
    with pytest.raises(SqlRefused) as caught:
        sql_box.run(con, sql, params or [], time_limit=time_limit)
    return caught.value


def test_a_select_on_v_observation_with_parameters(con: Connection) -> None:
    result = sql_box.run(
        con,
        """
        SELECT unit_name, value, value_status FROM v_observation
        WHERE indicator_code = $indicator AND unit_code IN $units
          AND year(period_start) = $year AND period_type = 'year'
        ORDER BY value
        """,
        [
            ("indicator", "text", "poverty_rate"),
            ("units", "list", "917, 918"),
            ("year", "number", "2012"),
        ],
    )
    assert result.frame.to_dict("records") == [
        {"unit_name": "Quận Bình Thủy", "value": 4.3, "value_status": "illustrative"},
        {"unit_name": "Quận Ô Môn", "value": 9.52, "value_status": "reported"},
    ]
    assert not result.capped and result.seconds < sql_box.TIME_LIMIT


def test_dates_numbers_and_catalogue_tables(con: Connection) -> None:
    result = sql_box.run(
        con,
        """
        WITH c AS (SELECT campaign_code, start_date FROM campaign WHERE start_date <= $day)
        SELECT c.campaign_code, count(*) AS n
        FROM c, indicator i JOIN unit u ON u.unit_code = $unit
        WHERE i.ratio_scale = $scale GROUP BY ALL ORDER BY 1
        """,
        [("day", "date", "31/12/2012"), ("unit", "text", "917"), ("scale", "number", "100,0")],
    )
    assert result.frame.to_dict("records") == [{"campaign_code": "NQTW4-XI-2012", "n": 3}]


def test_values_are_bound_not_pasted(con: Connection) -> None:
    hostile = "Quận Ô Môn' OR '1'='1"
    none = sql_box.run(
        con, "SELECT count(*) AS n FROM unit WHERE name_vi = $name", [("name", "text", hostile)]
    )
    assert none.frame["n"].tolist() == [0]  # not every unit: the quote is part of the name
    drop = "x'; DROP TABLE unit; --"
    echoed = sql_box.run(con, "SELECT $value AS v", [("value", "text", drop)])
    assert echoed.frame["v"].tolist() == [drop]
    assert con.execute("SELECT count(*) FROM unit").fetchall() == [(117,)]


def test_parameters_are_named_in_the_order_written() -> None:
    sql = "SELECT * FROM unit WHERE unit_code = $b AND name_vi <> $a OR parent_code = $b"
    assert sql_box.parameter_names(sql) == ["b", "a"]
    assert sql_box.parameter_names("SELEC nonsense $x") == []


@pytest.mark.parametrize(
    ("sql", "key", "words"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "sql_function_not_allowed", "`read_csv`"),
        ("SELECT * FROM read_parquet('x.parquet')", "sql_function_not_allowed", "`read_parquet`"),
        ("SELECT * FROM '/etc/passwd'", "sql_relation_not_allowed", "`/etc/passwd`"),
        (
            "SELECT * FROM 'https://example.com/data.parquet'",
            "sql_relation_not_allowed",
            "`https://example.com/data.parquet`",
        ),
        ("SELECT * FROM read_csv('https://example.com/x.csv')", "sql_function_not_allowed", "csv"),
        ("COPY (SELECT * FROM unit) TO 'out.csv'", "sql_select_only", "câu lệnh COPY"),
        ("ATTACH 'other.duckdb' AS other", "sql_select_only", "câu lệnh ATTACH"),
        ("INSTALL httpfs", "sql_select_only", "câu lệnh LOAD"),
        ("LOAD httpfs", "sql_select_only", "câu lệnh LOAD"),
        ("SET enable_external_access = true", "sql_select_only", "câu lệnh SET"),
        ("SET lock_configuration = false", "sql_select_only", "câu lệnh SET"),
        ("RESET enable_external_access", "sql_select_only", "câu lệnh SET"),
        ("PRAGMA enable_profiling", "sql_select_only", "câu lệnh PRAGMA"),
        ("CALL pragma_version()", "sql_select_only", "câu lệnh CALL"),
        ("EXPORT DATABASE 'dump'", "sql_select_only", "câu lệnh EXPORT"),
        ("SELECT 1; SELECT 2", "sql_one_statement", "có 2"),
        ("SELECT 1; DROP TABLE unit", "sql_one_statement", "có 2"),
        ("CREATE TABLE t AS SELECT * FROM unit", "sql_select_only", "câu lệnh CREATE"),
        ("INSERT INTO unit (unit_code) VALUES ('x')", "sql_select_only", "câu lệnh INSERT"),
        ("UPDATE indicator SET name_vi = 'x'", "sql_select_only", "câu lệnh UPDATE"),
        ("DELETE FROM campaign", "sql_select_only", "câu lệnh DELETE"),
        ("DROP VIEW v_observation", "sql_select_only", "câu lệnh DROP"),
        ("EXPLAIN SELECT 1", "sql_select_only", "câu lệnh EXPLAIN"),
        ("SELECT * FROM observation", "sql_relation_not_allowed", "`observation`"),
        ("SELECT * FROM batch", "sql_relation_not_allowed", "`batch`"),
        ("SELECT (SELECT count(*) FROM meta)", "sql_relation_not_allowed", "`meta`"),
        ("SELECT * FROM unit_alias", "sql_relation_not_allowed", "`unit_alias`"),
        ("SELECT * FROM main.unit", "sql_relation_not_allowed", "`main.unit`"),
        ("SELECT * FROM information_schema.tables", "sql_relation_not_allowed", "`information"),
        ("SELECT * FROM duckdb_tables()", "sql_function_not_allowed", "`duckdb_tables`"),
        ("SELECT * FROM query_table('observation')", "sql_function_not_allowed", "query_table"),
        ("SELEC 1", "sql_syntax", "lỗi cú pháp"),
        ("SELECT ?", "sql_positional", "`$ten`"),
        ("SELECT $1", "sql_positional", "`$ten`"),
        ("  -- only a comment", "sql_empty", "SELECT"),
    ],
)
def test_everything_but_one_select_over_the_documented_relations_is_refused(
    con: Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sql: str, key: str, words: str
) -> None:
    monkeypatch.chdir(tmp_path)  # relative files would land here
    refusal = _refused(con, sql)
    assert refusal.key == key
    assert words in refusal.message("vi")
    assert refusal.message("en") != refusal.message("vi")
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_messages_speak_english_too(con: Connection) -> None:
    assert _refused(con, "SET threads = 1").message("en") == (
        "Only SELECT statements (reading data) may run; SET is refused."
    )
    assert (
        _refused(con, "SELECT * FROM batch")
        .message("en")
        .startswith(
            "`batch` may not be read: only `v_observation`, `unit`, `indicator`, `campaign`"
        )
    )


def test_missing_and_malformed_parameter_values(con: Connection) -> None:
    sql = "SELECT * FROM v_observation WHERE unit_code = $unit AND value > $value"
    missing = _refused(con, sql, [("unit", "text", "917")])
    assert missing.message("vi") == "Chưa nhập giá trị cho tham số: $value."
    bad = _refused(con, sql, [("unit", "text", "917"), ("value", "number", "chín")])
    assert bad.message("vi") == "Tham số $value: “chín” không phải số. Ví dụ: 9,52 hoặc 3093."
    assert "is not a number" in bad.message("en")
    wrong_day = _refused(con, "SELECT $d", [("d", "date", "32/13/2012")])
    assert wrong_day.key == "sql_bad_value"


def test_a_missing_column_is_said_plainly(con: Connection) -> None:
    refusal = _refused(con, "SELECT no_such_column FROM unit")
    assert refusal.key == "sql_binder"
    assert 'Không chạy được: Referenced column "no_such_column" not found' in refusal.message()


def test_a_hidden_table_stays_hidden_behind_a_cte_name(con: Connection) -> None:
    # A CTE may be called like a hidden table...
    own = sql_box.run(con, "WITH observation AS (SELECT 1 AS a) SELECT a FROM observation")
    assert own.frame["a"].tolist() == [1]
    # ...but the real one is not there to read, even where the name check lets it through.
    sneaky = "SELECT * FROM observation, (WITH observation AS (SELECT 1) FROM observation) x"
    refusal = _refused(con, sneaky)
    assert refusal.key == "sql_binder" and "observation does not exist" in refusal.message()


def test_describe_and_summarize_the_documented_view(con: Connection) -> None:
    described = sql_box.run(con, "DESCRIBE v_observation")
    assert {"unit_code", "value", "value_status"} <= set(described.frame["column_name"])


def test_the_confined_connection_refuses_files_network_and_changes(tmp_path: Path) -> None:
    """DuckDB's own settings, under our checks: even a statement that got past them could
    not reach a file, the network or an extension, nor switch that back on."""
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    con = sql_box.confined_connection()
    try:
        for sql in (
            f"SELECT * FROM read_csv('{data}')",
            f"SELECT * FROM '{data}'",
            f"SELECT * FROM read_parquet('{tmp_path / 'x.parquet'}')",
            f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
            f"ATTACH '{tmp_path / 'other.duckdb'}'",
            f"EXPORT DATABASE '{tmp_path / 'dump'}'",
            "INSTALL httpfs",
            "LOAD httpfs",
            "SELECT * FROM read_csv('https://example.com/x.csv')",
        ):
            with pytest.raises(duckdb.PermissionException):
                con.execute(sql)
        for setting in (
            "SET enable_external_access = true",
            "SET lock_configuration = false",
            "SET memory_limit = '100GB'",
            "RESET enable_external_access",
        ):
            with pytest.raises(duckdb.InvalidInputException, match="locked"):
                con.execute(setting)
        with pytest.raises(duckdb.CatalogException):  # getenv is not even there
            con.execute("SELECT getenv('HOME')")
        assert con.execute(
            "SELECT current_setting('enable_external_access'), current_setting('temp_directory')"
        ).fetchall() == [(False, "")]
    finally:
        con.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data.csv"]


def test_the_row_cap(con: Connection) -> None:
    capped = sql_box.run(con, "SELECT * FROM range(25000)")
    assert capped.capped and len(capped.frame) == sql_box.ROW_CAP == 10_000
    assert capped.frame["range"].tolist()[:3] == [0, 1, 2]
    exact = sql_box.run(con, "SELECT * FROM range($n)", [("n", "number", "10000")])
    assert not exact.capped and len(exact.frame) == 10_000
    small = sql_box.run(con, "SELECT * FROM v_observation", row_cap=7)
    assert small.capped and len(small.frame) == 7 and small.row_cap == 7


def test_the_time_limit(con: Connection) -> None:
    slow = "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range < b.range"
    started = time.perf_counter()
    refusal = _refused(con, slow, time_limit=0.5)
    assert time.perf_counter() - started < 10
    assert refusal.key == "sql_timeout"
    assert refusal.message("vi").startswith("Câu lệnh chạy quá 0.5 giây nên đã dừng.")
    assert sql_box.run(con, "SELECT 42 AS answer").frame["answer"].tolist() == [42]  # usable


def test_results_fit_every_download(con: Connection) -> None:
    result = sql_box.run(
        con,
        "SELECT 1 AS a, 2 AS a, [1, 2] AS l, {'x': 1} AS s, 1.5 AS d, DATE '2012-12-31' AS day",
    )
    frame = result.frame
    assert list(frame.columns) == ["a", "a_1", "l", "s", "d", "day"]
    assert frame.iloc[0].tolist() == [1, 2, "[1, 2]", "{'x': 1}", 1.5, date(2012, 12, 31)]
