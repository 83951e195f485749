"""The SQL box: one read-only SELECT of an analyst over the documented relations.

How the statement is confined, in the order :func:`run` checks:

1. **One SELECT.** DuckDB's own parser splits the text (``extract_statements``); exactly
   one statement of type SELECT is accepted (``WITH … SELECT``, ``FROM …``, ``VALUES``,
   ``DESCRIBE``/``SUMMARIZE`` of an allowed relation are SELECTs too). PRAGMA, SET,
   RESET, CALL, COPY, EXPORT, ATTACH, INSTALL/LOAD, CREATE/INSERT/UPDATE/DELETE/DROP,
   transactions… are refused before anything runs.
2. **Only the documented relations.** The statement's syntax tree
   (``json_serialize_sql``) names every table it reads: each must be one of
   :data:`ALLOWED_RELATIONS` (``v_observation`` and the catalogue tables ``unit``,
   ``indicator``, ``campaign``), unqualified, or a CTE of the statement; the only table
   functions are :data:`ALLOWED_FUNCTIONS` (``range``, ``generate_series``, ``unnest``).
3. **A connection that holds nothing else.** The statement runs on a new in-memory
   DuckDB database, never on the warehouse file: the relations it names are read from
   the warehouse (through the page's connection, our own fixed ``SELECT *``) as Arrow
   tables and registered under their names. So it cannot see ``observation``, ``batch``,
   ``unit_alias`` or ``meta``, nor write to the warehouse; the database is thrown away
   after the query. It is opened with ``enable_external_access = false`` (no files, no
   network, no extensions: ``read_csv``, ``read_parquet``, ``COPY``, ``ATTACH``,
   ``INSTALL``/``LOAD``, ``https://`` URLs are refused by DuckDB itself), no extension
   auto-loading, no spilling to disk (``temp_directory = ''``), a memory limit, and
   ``lock_configuration = true``, so SQL cannot turn any of it back on.
4. **Values are parameters.** The statement names its values ``$name``; the values
   are bound by DuckDB (never pasted into the text). Positional ``?`` and ``$1`` are
   refused so every value has a name in the parameter table.
5. **Bounded.** At most :data:`ROW_CAP` rows are read (the result says when there were
   more); a timer interrupts the query after :data:`TIME_LIMIT` seconds.

Every refusal is a :class:`SqlRefused` with a message in Vietnamese or English (DuckDB's
own first line as detail where it helps), never a traceback. Nothing here imports
Streamlit.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.i18n import register, t
from etl.errors import short_reason

ALLOWED_RELATIONS = ("v_observation", "unit", "indicator", "campaign")
ALLOWED_FUNCTIONS = ("range", "generate_series", "unnest")
ROW_CAP = 10_000
TIME_LIMIT = 10.0  # seconds
MEMORY_LIMIT = "1GB"
BATCH_ROWS = 2_048
PARAM_TYPES = ("text", "number", "date", "boolean", "list")
CONFINED: dict[str, str | int | float] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "temp_directory": "",
    "memory_limit": MEMORY_LIMIT,
    "lock_configuration": True,  # last: nothing above can be changed from SQL
}
_TRUE = frozenset({"true", "đúng", "có", "yes", "1"})
_FALSE = frozenset({"false", "sai", "không", "no", "0"})

register(
    {
        "sql_heading": ("SQL cho chuyên viên phân tích", "SQL for analysts"),
        "sql_help": (
            "Một câu lệnh SELECT (hoặc WITH … SELECT) chỉ đọc, trên {tables}; hàm bảng: "
            "{functions}. Mỗi giá trị là một tham số `$ten` (ví dụ `WHERE unit_code = "
            "$don_vi`), nhập ở bảng tham số bên dưới: giá trị không bao giờ được ghép vào "
            "câu lệnh. Tối đa {rows} dòng và {seconds} giây; không đọc, ghi tệp hay truy "
            "cập mạng.",
            "One read-only SELECT (or WITH … SELECT) statement over {tables}; table "
            "functions: {functions}. Every value is a `$name` parameter (e.g. `WHERE "
            "unit_code = $unit`), typed in the parameter table below: values are never "
            "pasted into the statement. At most {rows} rows and {seconds} seconds; no "
            "files, no network.",
        ),
        "sql_text": ("Câu lệnh SQL", "SQL statement"),
        "sql_params": ("Tham số", "Parameters"),
        "sql_no_params": (
            "Câu lệnh chưa có tham số `$ten` nào.",
            "The statement has no `$name` parameter.",
        ),
        "sql_col_name": ("Tham số", "Parameter"),
        "sql_col_type": ("Kiểu", "Type"),
        "sql_col_value": ("Giá trị", "Value"),
        "sql_type_text": ("văn bản", "text"),
        "sql_type_number": ("số", "number"),
        "sql_type_date": ("ngày", "date"),
        "sql_type_boolean": ("đúng/sai", "true/false"),
        "sql_type_list": ("danh sách (cách nhau dấu phẩy)", "list (comma-separated)"),
        "sql_run": ("Chạy", "Run"),
        "sql_result": ("{rows} dòng · {seconds} giây", "{rows} rows · {seconds} s"),
        "sql_capped": (
            "Kết quả có hơn {cap} dòng: chỉ hiển thị và tải {cap} dòng đầu. Thêm điều kiện "
            "hoặc LIMIT để thu hẹp.",
            "The result has more than {cap} rows: only the first {cap} are shown and "
            "downloaded. Add conditions or a LIMIT to narrow it.",
        ),
        "sql_stale": (
            "Kết quả dưới đây là của lần chạy trước; bấm **Chạy** để chạy câu lệnh hiện tại.",
            "The result below is from the previous run; press **Run** for the current statement.",
        ),
        "sql_empty": ("Hãy nhập một câu lệnh SELECT.", "Type a SELECT statement."),
        "sql_syntax": (
            "Câu lệnh có lỗi cú pháp: {detail}",
            "The statement has a syntax error: {detail}",
        ),
        "sql_one_statement": (
            "Chỉ chạy được một câu lệnh mỗi lần; ở đây có {n}. Bỏ bớt các câu sau dấu “;”.",
            "Only one statement runs at a time; this text has {n}. Remove those after the “;”.",
        ),
        "sql_select_only": (
            "Chỉ được chạy câu lệnh SELECT (đọc dữ liệu); câu lệnh {kind} bị từ chối.",
            "Only SELECT statements (reading data) may run; {kind} is refused.",
        ),
        "sql_relation_not_allowed": (
            "Không được đọc {names}: chỉ được dùng {tables} (viết tên không kèm schema).",
            "{names} may not be read: only {tables} (named without a schema).",
        ),
        "sql_function_not_allowed": (
            "Không được dùng hàm bảng {names}: chỉ có {functions}; không đọc tệp hay mạng.",
            "The table function {names} is not allowed: only {functions}; no files or network.",
        ),
        "sql_positional": (
            "Hãy đặt tên cho tham số (`$ten`), không dùng `?` hay `$1`.",
            "Name each parameter (`$name`) instead of `?` or `$1`.",
        ),
        "sql_missing_params": (
            "Chưa nhập giá trị cho tham số: {names}.",
            "No value was given for the parameter: {names}.",
        ),
        "sql_bad_value": (
            "Tham số ${name}: “{value}” không phải {type}. {hint}",
            "Parameter ${name}: “{value}” is not a {type}. {hint}",
        ),
        "sql_hint_number": ("Ví dụ: 9,52 hoặc 3093.", "For example: 9.52 or 3093."),
        "sql_hint_date": ("Ví dụ: 31/12/2012 hoặc 2012-12-31.", "For example: 2012-12-31."),
        "sql_hint_boolean": ("Dùng: đúng hoặc sai.", "Use: true or false."),
        "sql_timeout": (
            "Câu lệnh chạy quá {seconds} giây nên đã dừng. Thu hẹp điều kiện, bớt phép nối "
            "hoặc thêm LIMIT.",
            "The statement ran longer than {seconds} s and was stopped. Narrow the "
            "conditions, join less or add a LIMIT.",
        ),
        "sql_external": (
            "Hộp SQL không được đọc, ghi tệp hay truy cập mạng ({detail}).",
            "The SQL box may not read or write files or reach the network ({detail}).",
        ),
        "sql_memory": (
            "Câu lệnh cần quá nhiều bộ nhớ (tối đa {limit}). Thu hẹp điều kiện hoặc bớt phép nối.",
            "The statement needs too much memory (at most {limit}). Narrow it or join less.",
        ),
        "sql_binder": (
            "Không chạy được: {detail}. Xem tên bảng, tên cột và kiểu dữ liệu.",
            "It cannot run: {detail}. Check the table and column names and the types.",
        ),
        "sql_failed": (
            "DuckDB không chạy được câu lệnh: {detail}",
            "DuckDB could not run it: {detail}",
        ),
    }
)


class SqlRefused(Exception):
    """A statement the box will not run, or that failed; :meth:`message` says why."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "vi") -> str:
        params = {
            name: (value(lang) if callable(value) else value) for name, value in self.params.items()
        }
        return t(self.key, lang, **params)

    def __str__(self) -> str:
        return self.message("vi")


@dataclass(frozen=True)
class SqlResult:
    """The rows read (at most ``row_cap``), whether there were more, and the seconds the
    statement took."""

    frame: pd.DataFrame
    capped: bool
    seconds: float
    row_cap: int


@dataclass(frozen=True)
class Checked:
    """A statement that passed the checks: its text, the allowed relations it reads and
    its parameter names (in the order written)."""

    sql: str
    relations: tuple[str, ...]
    parameters: tuple[str, ...]


def confined_connection() -> duckdb.DuckDBPyConnection:
    """A new, empty in-memory database with external access off and its settings locked."""
    return duckdb.connect(":memory:", config=dict(CONFINED))


def check(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> Checked:
    """Parse ``sql`` with DuckDB and refuse anything but one SELECT over the allowed
    relations (:class:`SqlRefused`). ``con`` parses (a confined one when not given)."""
    if not sql or not sql.strip():
        raise SqlRefused("sql_empty")
    own = con is None
    parser = confined_connection() if con is None else con
    try:
        statements = _statements(parser, sql)
        if not statements:
            raise SqlRefused("sql_empty")
        if len(statements) != 1:
            raise SqlRefused("sql_one_statement", n=len(statements))
        statement = statements[0]
        if statement.type != duckdb.StatementType.SELECT:
            raise SqlRefused("sql_select_only", kind=statement.type.name)
        names = list(statement.named_parameters)
        if any(not name.isidentifier() for name in names):
            raise SqlRefused("sql_positional")
        tree = _syntax_tree(parser, sql)
    finally:
        if own:
            parser.close()
    relations = _relations(tree)
    return Checked(sql, relations, tuple(_in_order(names, sql)))


def parameter_names(sql: str) -> list[str]:
    """The ``$name`` parameters of ``sql`` in the order written; [] when it does not
    parse (the error is shown when it runs)."""
    if not sql or not sql.strip():
        return []
    con = confined_connection()
    try:
        statements = _statements(con, sql)
    except SqlRefused:
        return []
    finally:
        con.close()
    names = {name for statement in statements for name in statement.named_parameters}
    return _in_order([name for name in names if name.isidentifier()], sql)


def _in_order(names: Iterable[str], sql: str) -> list[str]:
    """Parameter names in the order the statement first writes them."""
    return sorted(set(names), key=lambda name: (sql.find(f"${name}"), name))


def _statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    try:
        return list(con.extract_statements(sql))
    except duckdb.ParserException as exc:
        raise SqlRefused("sql_syntax", detail=_detail(exc)) from exc
    except duckdb.NotImplementedException as exc:  # mixing $name and ?
        raise SqlRefused("sql_positional") from exc
    except duckdb.Error as exc:
        raise SqlRefused("sql_syntax", detail=_detail(exc)) from exc


def _syntax_tree(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    row = con.execute("SELECT json_serialize_sql($sql)", {"sql": sql}).fetchall()[0]
    tree = json.loads(row[0])
    if tree.get("error"):
        raise SqlRefused("sql_syntax", detail=str(tree.get("error_message", "")))
    return dict(tree)


def _relations(tree: Mapping[str, Any]) -> tuple[str, ...]:
    """The allowed relations a syntax tree reads; :class:`SqlRefused` for any other table
    or table function."""
    tables: list[tuple[str, str, str]] = []
    functions: list[str] = []
    ctes: set[str] = set()
    for node in _nodes(tree):
        kind = node.get("type")
        if kind == "BASE_TABLE":
            tables.append(
                (
                    str(node.get("table_name", "")),
                    str(node.get("schema_name") or ""),
                    str(node.get("catalog_name") or ""),
                )
            )
        elif kind == "TABLE_FUNCTION":
            function = node.get("function") or {}
            functions.append(str(function.get("function_name", "")))
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            ctes.update(str(entry.get("key", "")).lower() for entry in cte_map.get("map", []))
    refused = [
        ".".join(part for part in (catalog, schema, name) if part)
        for name, schema, catalog in tables
        if schema or catalog or (name.lower() not in ALLOWED_RELATIONS and name.lower() not in ctes)
    ]
    if refused:
        raise SqlRefused(
            "sql_relation_not_allowed",
            names=_listed(refused),
            tables=_listed(ALLOWED_RELATIONS),
        )
    bad_functions = [name for name in functions if name.lower() not in ALLOWED_FUNCTIONS]
    if bad_functions:
        raise SqlRefused(
            "sql_function_not_allowed",
            names=_listed(bad_functions),
            functions=_listed(ALLOWED_FUNCTIONS),
        )
    read = {name.lower() for name, _, _ in tables if name.lower() not in ctes}
    return tuple(name for name in ALLOWED_RELATIONS if name in read)


def _nodes(node: Any) -> Iterable[dict[str, Any]]:
    """Every object of a JSON syntax tree, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _listed(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in dict.fromkeys(names))


# --- parameters ---------------------------------------------------------------------------


def bind_values(rows: Iterable[tuple[str, str, Any]], needed: Iterable[str]) -> dict[str, Any]:
    """Values to bind, from the parameter table's (name, type, text) rows: each text
    converted to its type (:data:`PARAM_TYPES`); :class:`SqlRefused` for a needed name
    without a value or a value that is not of its type. Names not needed are ignored."""
    given = {str(name): (str(kind or "text"), value) for name, kind, value in rows}
    missing = [name for name in needed if _blank(given.get(name, ("text", None))[1])]
    if missing:
        raise SqlRefused("sql_missing_params", names=", ".join(f"${name}" for name in missing))
    return {name: convert(name, *given[name]) for name in needed}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) == ""


def convert(name: str, kind: str, value: Any) -> Any:
    """One parameter's text as a value of ``kind``: text as is; a number (``9,52``,
    ``9.52``, ``3093``; no thousands separators); a date (``31/12/2012``, ``2012-12-31``);
    true or false (``đúng``/``sai``); a list of texts separated by commas."""
    text = str(value).strip()
    if kind == "number":
        number = _number(text)
        if number is None:
            raise _bad(name, text, kind)
        return number
    if kind == "date":
        day = _date(text)
        if day is None:
            raise _bad(name, text, kind)
        return day
    if kind == "boolean":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise _bad(name, text, kind)
    if kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    return str(value)


def _bad(name: str, text: str, kind: str) -> SqlRefused:
    return SqlRefused(
        "sql_bad_value",
        name=name,
        value=text,
        type=lambda lang: t(f"sql_type_{kind}", lang),
        hint=lambda lang: t(f"sql_hint_{kind}", lang),
    )


def _number(text: str) -> int | float | None:
    plain = text.replace(" ", "")
    if "," in plain and "." not in plain and plain.count(",") == 1:
        plain = plain.replace(",", ".")
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        number = float(plain)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# --- running ------------------------------------------------------------------------------


def run(
    warehouse: duckdb.DuckDBPyConnection,
    sql: str,
    params: Iterable[tuple[str, str, Any]] = (),
    *,
    row_cap: int = ROW_CAP,
    time_limit: float = TIME_LIMIT,
) -> SqlResult:
    """Check ``sql``, bind ``params`` ((name, type, text) rows), copy the relations it
    reads out of ``warehouse`` into a confined database and run it there, bounded by
    ``row_cap`` rows and ``time_limit`` seconds. :class:`SqlRefused` says what was wrong."""
    con = confined_connection()
    try:
        checked = check(sql, con)
        values = bind_values(params, checked.parameters)
        _copy_relations(warehouse, con, checked.relations)
        return _execute(con, checked.sql, values, row_cap, time_limit)
    finally:
        con.close()


def _copy_relations(
    warehouse: duckdb.DuckDBPyConnection, con: duckdb.DuckDBPyConnection, names: Iterable[str]
) -> None:
    """Register each allowed relation, read whole from the warehouse, in ``con``. The
    names come from :data:`ALLOWED_RELATIONS`, never from the user's text."""
    reader = warehouse.cursor()  # a fresh cursor: the page's may hold an unfinished result
    try:
        for name in names:
            assert name in ALLOWED_RELATIONS
            con.register(name, reader.sql(f"SELECT * FROM {name}").to_arrow_table())
    finally:
        reader.close()


def _execute(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    values: dict[str, Any],
    row_cap: int,
    time_limit: float,
) -> SqlResult:
    timer = threading.Timer(time_limit, _interrupt, [con])
    started = time.perf_counter()
    timer.start()
    try:
        batches, capped = _read(con, sql, values, row_cap)
    except duckdb.InterruptException as exc:
        raise SqlRefused("sql_timeout", seconds=_seconds(time_limit)) from exc
    except (duckdb.Error, pa.ArrowException) as exc:
        if time.perf_counter() - started >= time_limit:
            raise SqlRefused("sql_timeout", seconds=_seconds(time_limit)) from exc
        if isinstance(exc, duckdb.Error):
            raise _refusal(exc) from exc
        raise SqlRefused("sql_failed", detail=_detail(exc)) from exc
    finally:
        timer.cancel()
    seconds = time.perf_counter() - started
    return SqlResult(_frame(batches, row_cap), capped, seconds, row_cap)


def _interrupt(con: duckdb.DuckDBPyConnection) -> None:
    """Stop the running query (from the timer's thread); nothing when it just ended."""
    with contextlib.suppress(duckdb.Error):
        con.interrupt()


def _read(
    con: duckdb.DuckDBPyConnection, sql: str, values: dict[str, Any], row_cap: int
) -> tuple[pa.Table, bool]:
    """The first ``row_cap`` rows, read in batches, and whether there were more."""
    reader = con.sql(sql, params=values or None).to_arrow_reader(BATCH_ROWS)
    schema = reader.schema
    batches: list[pa.RecordBatch] = []
    count = 0
    try:
        for batch in reader:
            batches.append(batch)
            count += batch.num_rows
            if count > row_cap:
                break
    finally:
        reader.close()
    table = pa.Table.from_batches(batches, schema=schema)
    return table.slice(0, row_cap), count > row_cap


def _refusal(exc: duckdb.Error) -> SqlRefused:
    detail = _detail(exc)
    if isinstance(exc, duckdb.PermissionException):
        return SqlRefused("sql_external", detail=detail)
    if isinstance(exc, duckdb.OutOfMemoryException):
        return SqlRefused("sql_memory", limit=MEMORY_LIMIT)
    if isinstance(exc, duckdb.ParserException):
        return SqlRefused("sql_syntax", detail=detail)
    if isinstance(
        exc,
        (
            duckdb.BinderException,
            duckdb.CatalogException,
            duckdb.ConversionException,
            duckdb.InvalidInputException,
        ),
    ):
        return SqlRefused("sql_binder", detail=detail)
    return SqlRefused("sql_failed", detail=detail)


def _detail(exc: BaseException) -> str:
    """DuckDB's first line without its "Binder Error:"-style prefix."""
    text = short_reason(exc)
    head, _, rest = text.partition(": ")
    detail = rest if rest and head.endswith("Error") else text
    return detail.rstrip("!. ")


def _seconds(value: float) -> str:
    return f"{value:g}"


def _frame(table: pa.Table, row_cap: int) -> pd.DataFrame:
    """The rows as a DataFrame every download can hold: unique column names (``a``,
    ``a_1``), decimals as floats, nested, binary and interval values as text."""
    columns: list[pa.Array | pa.ChunkedArray] = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_decimal(kind):
            columns.append(pc.cast(column, pa.float64()))
        elif _as_text(kind):
            columns.append(
                pa.array(
                    [None if v is None else str(v) for v in column.to_pylist()], type=pa.string()
                )
            )
        else:
            columns.append(column)
    names = _unique(table.column_names)
    frame = pa.table(columns, names=names).to_pandas(date_as_object=True)
    return frame.head(row_cap)


def _as_text(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_nested(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
        or pa.types.is_fixed_size_binary(kind)
        or pa.types.is_interval(kind)
        or pa.types.is_dictionary(kind)
        or pa.types.is_null(kind)
    )


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    taken = set(names)
    for name in names:
        if name not in seen:
            seen[name] = 0
            unique.append(name)
            continue
        seen[name] += 1
        candidate = f"{name}_{seen[name]}"
        while candidate in taken:
            seen[name] += 1
            candidate = f"{name}_{seen[name]}"
        taken.add(candidate)
        unique.append(candidate)
    return unique
