"""Load one report file: read → recognise → resolve → store in one transaction.

A file is stored whole or not at all. The same file (same SHA-256) stored again
stores nothing; a file whose every row equals the current value stores nothing
either. A corrected value becomes current through a new batch; the old row stays
as history and comes back if the new batch is rolled back.
"""

from __future__ import annotations

import gc
import getpass
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from etl.aliases import office_aliases
from etl.errors import EtlError, Problem
from etl.layout import SheetTable, cell_name, find_table
from etl.legacy_text import unicode_rows
from etl.lookup import Catalogue
from etl.messages import register
from etl.reader import DEFAULT_MAX_FILE_BYTES, SheetProgress, read_workbook
from etl.resolve import Defaults, Resolver, rows_frame
from etl.text import vn_number
from etl.warehouse import fetch_value, open_warehouse

register(
    {
        "nothing_new": (
            "Mọi số liệu trong tệp đã có sẵn trong kho với cùng giá trị; không lưu gì thêm.",
            "Every figure in the file is already stored with the same value; nothing was stored.",
        ),
        "duplicate_file": (
            "Tệp này đã được lưu trước đây (đợt nạp {batch_id}); không lưu lại.",
            "This file was stored before (batch {batch_id}); nothing was stored again.",
        ),
        "value_jump": (
            "Giá trị {value} khác xa các số liệu đã lưu của đơn vị này ({n} kỳ, từ {low} đến "
            "{high}). Kiểm tra lại số liệu và đơn vị tính.",
            "The value {value} is far from this unit's stored figures ({n} periods, from {low} "
            "to {high}). Check the figure and its measure.",
        ),
        "replaces_value": (
            "Thay giá trị đang lưu {old} → {new} ({unit}, {indicator}, {period}).",
            "Replaces the stored value {old} → {new} ({unit}, {indicator}, {period}).",
        ),
    }
)

Progress = Callable[[str], None]
KEY = ["unit_code", "indicator_code", "period_start", "period_end"]
_COMPARED = ["value", "qualifier", "target", "is_illustrative", "is_preliminary"]


@dataclass
class LoadOptions:
    indicator: str | None = None
    unit: str | None = None
    period: str | None = None
    loaded_by: str = field(default_factory=getpass.getuser)
    source: str = "cli"
    office: str | None = None  # whose remembered unit names apply (see etl.aliases)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES


@dataclass(frozen=True)
class TableSummary:
    """What was recognised in one sheet, for the user to check."""

    sheet: str
    layout: str  # long, wide
    spread: str | None  # wide tables: what the column headers are (period, indicator, unit)
    header_cell: str  # e.g. "B4": where the header row was found
    columns: dict[str, str]  # role → column letter (unit, indicator, period, value…)
    meta: dict[str, str]  # what the title lines said (indicator, measure, status, period, unit)
    value_cells: int
    total_rows: int


@dataclass
class LoadResult:
    file_name: str
    batch_id: int | None
    rows: pd.DataFrame
    problems: list[Problem]
    duplicate_of: int | None = None
    unchanged: bool = False
    tables: list[TableSummary] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)  # hidden, or no table found

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_file(
    db_path: Path,
    file_path: Path,
    options: LoadOptions | None = None,
    *,
    dry_run: bool = False,
    display_name: str | None = None,
    progress: Progress | None = None,
    sheet_progress: SheetProgress | None = None,
) -> LoadResult:
    """Check a report file and, unless ``dry_run`` or it has errors, store it.

    ``progress`` hears a line per file and sheet (the CLI's stderr); ``sheet_progress``
    hears (sheet, index, count) before each sheet is read (the upload page's bar).
    """
    options = options or LoadOptions()
    label = display_name or str(file_path)
    con = open_warehouse(db_path)
    try:
        with _no_cycle_collection():
            return _load(
                con,
                file_path,
                label,
                options,
                dry_run,
                progress or (lambda _: None),
                sheet_progress,
            )
    finally:
        con.close()


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a file loads: a million cells are a million
    objects, which it would walk again and again as the load builds its lists (about
    0.2 s of 3 s for a million cells). The load makes no cycles worth collecting early."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(
    con: duckdb.DuckDBPyConnection,
    file_path: Path,
    label: str,
    options: LoadOptions,
    dry_run: bool,
    progress: Progress,
    sheet_progress: SheetProgress | None,
) -> LoadResult:
    def rejected(problem: Problem) -> LoadResult:
        return LoadResult(label, None, rows_frame([]), [problem])

    try:
        defaults = _check_defaults(con, options)
        progress(label)
        grids = read_workbook(file_path, max_bytes=options.max_file_bytes, progress=sheet_progress)
    except EtlError as err:
        where = (getattr(err, "sheet", ""), getattr(err, "cell", ""))
        return rejected(Problem(label, *where, err.key, err.params))
    catalogue = Catalogue.from_db(con)
    catalogue.remember(office_aliases(con, options.office))
    resolver = Resolver(catalogue, label, defaults)
    summaries: list[TableSummary] = []
    skipped: list[str] = []
    for grid in grids:
        table = None
        if grid.visible:
            table = find_table(
                replace(grid, rows=unicode_rows(grid.rows)), catalogue, merged=grid.merged
            )
        if table is None:
            skipped.append(grid.sheet)
            continue
        progress(f"{label}:{grid.sheet}: {len(table.cells or [])}")
        resolver.add_table(table)
        resolver.add_cell_errors(table, grid.errors)
        summaries.append(_summary(table))
    result = LoadResult(
        label,
        None,
        resolver.result.frame(),
        resolver.result.problems,
        tables=summaries,
        skipped_sheets=skipped,
    )
    if not summaries:
        result.problems.append(Problem(label, grids[0].sheet, "", "no_table"))
    elif result.ok and result.rows.empty:
        result.problems.append(Problem(label, grids[0].sheet, "", "no_rows"))
    if not result.ok:
        return result
    sha = file_sha256(file_path)
    duplicate = fetch_value(
        con, "SELECT min(batch_id) FROM batch WHERE file_sha256 = ? AND status = 'active'", [sha]
    )
    if duplicate is not None:
        result.duplicate_of = int(duplicate)
        result.problems.append(
            Problem(label, "", "", "duplicate_file", {"batch_id": duplicate}, "warning")
        )
        return result
    incoming = pa.Table.from_pandas(result.rows, preserve_index=False)  # DuckDB reads it fastest
    changed = _changes_against_current(con, result, incoming)
    _warn_about_jumps(con, result, incoming)
    if changed == 0:
        result.unchanged = True
        result.problems.append(Problem(label, "", "", "nothing_new", {}, "warning"))
        return result
    if not dry_run:
        result.batch_id = _store(con, incoming, label, sha, options)
    return result


def _summary(table: SheetTable) -> TableSummary:
    def letter(col: int) -> str:
        return cell_name(0, col)[:-1]

    return TableSummary(
        sheet=table.sheet,
        layout=table.layout,
        spread=table.spread_kind if table.layout == "wide" else None,
        header_cell=cell_name(table.header_row, min(table.columns.values())),
        columns={role: letter(col) for role, col in table.columns.items()},
        meta={role: str(cell.value) for role, cell in table.meta.items()},
        value_cells=len(table.cells or []),
        total_rows=len(table.total_rows),
    )


def _check_defaults(con: duckdb.DuckDBPyConnection, options: LoadOptions) -> Defaults:
    if options.indicator is not None:
        found = fetch_value(
            con, "SELECT 1 FROM indicator WHERE indicator_code = ?", [options.indicator]
        )
        if not found:
            raise EtlError("option_unknown_indicator", value=options.indicator)
    if options.unit is not None:
        found = fetch_value(con, "SELECT 1 FROM unit WHERE unit_code = ?", [options.unit])
        if not found:
            raise EtlError("option_unknown_unit", value=options.unit)
    return Defaults(indicator=options.indicator, unit=options.unit, period=options.period)


register(
    {
        "option_unknown_indicator": (
            "Mã chỉ tiêu “{value}” không có trong danh mục. Xem danh sách trong "
            "data/indicators.csv.",
            "Indicator code “{value}” is not in the catalogue. See data/indicators.csv.",
        ),
        "option_unknown_unit": (
            "Mã đơn vị “{value}” không có trong danh mục. Xem danh sách trong data/units.csv.",
            "Unit code “{value}” is not in the catalogue. See data/units.csv.",
        ),
    }
)


JUMP_MIN_HISTORY = 4  # values of the same unit, indicator and period type
JUMP_SPREADS = 4.0  # how many standard deviations from their mean is a jump


def _warn_about_jumps(
    con: duckdb.DuckDBPyConnection, result: LoadResult, incoming: pa.Table
) -> None:
    """Warn where a value lies far outside the unit's own stored history."""
    con.register("incoming_rows", incoming)
    try:
        jumps = con.execute(
            """
            WITH history AS (
                SELECT o.unit_code, o.indicator_code, o.period_type,
                       avg(o.value) AS mean, stddev_samp(o.value) AS spread,
                       count(*) AS n, min(o.value) AS low, max(o.value) AS high
                FROM observation o JOIN batch b USING (batch_id)
                JOIN (SELECT DISTINCT unit_code, indicator_code, period_type FROM incoming_rows)
                    USING (unit_code, indicator_code, period_type)
                WHERE o.is_current AND b.status = 'active' AND o.value IS NOT NULL
                GROUP BY ALL
            )
            SELECT n.source_sheet, n.source_cell, n.value, h.low, h.high, h.n
            FROM incoming_rows n JOIN history h USING (unit_code, indicator_code, period_type)
            WHERE h.n >= ? AND h.spread > 0 AND abs(n.value - h.mean) > ? * h.spread
            ORDER BY n.source_sheet, n.source_cell
            """,
            [JUMP_MIN_HISTORY, JUMP_SPREADS],
        ).fetchall()
    finally:
        con.unregister("incoming_rows")
    for sheet, cell, value, low, high, count in jumps:
        result.problems.append(
            Problem(
                result.file_name,
                sheet,
                cell,
                "value_jump",
                {"value": _num(value), "low": _num(low), "high": _num(high), "n": count},
                "warning",
            )
        )


def _changes_against_current(
    con: duckdb.DuckDBPyConnection, result: LoadResult, incoming: pa.Table
) -> int:
    """Count rows that differ from the current values; warn for each replaced value."""
    con.register("incoming_rows", incoming)
    try:
        stored = con.execute(
            """
            SELECT n.source_sheet, n.source_cell, n.unit_name, n.indicator_name,
                   n.period_label, o.value AS old_value, n.value AS new_value,
                   (o.value IS NOT DISTINCT FROM n.value
                    AND o.qualifier IS NOT DISTINCT FROM n.qualifier
                    AND o.target IS NOT DISTINCT FROM n.target
                    AND o.is_illustrative = n.is_illustrative
                    AND o.is_preliminary = n.is_preliminary) AS same
            FROM incoming_rows n
            JOIN observation o
              ON o.is_current AND o.unit_code = n.unit_code
             AND o.indicator_code = n.indicator_code
             AND o.period_start = n.period_start AND o.period_end = n.period_end
            JOIN batch b ON b.batch_id = o.batch_id AND b.status = 'active'
            """
        ).fetchall()
    finally:
        con.unregister("incoming_rows")
    for sheet, cell, unit, indicator, period, old, new, same in stored:
        if not same:
            result.problems.append(
                Problem(
                    result.file_name,
                    sheet,
                    cell,
                    "replaces_value",
                    {
                        "old": _num(old),
                        "new": _num(new),
                        "unit": unit,
                        "indicator": indicator,
                        "period": period,
                    },
                    "warning",
                )
            )
    unchanged = sum(1 for *_, same in stored if same)
    return incoming.num_rows - unchanged


def _num(value: float | None) -> str:
    return "—" if value is None else vn_number(value)


# The values ``incoming_rows`` replace stop being current (history keeps them).
SUPERSEDE_CURRENT = """
UPDATE observation SET is_current = false
FROM incoming_rows n
WHERE observation.is_current
  AND observation.unit_code = n.unit_code
  AND observation.indicator_code = n.indicator_code
  AND observation.period_start = n.period_start
  AND observation.period_end = n.period_end
"""


def _store(
    con: duckdb.DuckDBPyConnection,
    rows: pa.Table,
    label: str,
    sha: str,
    options: LoadOptions,
) -> int:
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = int(
            fetch_value(
                con,
                "INSERT INTO batch (file_name, file_sha256, loaded_by, loaded_at, row_count,"
                " status, source) VALUES (?, ?, ?, ?, ?, 'active', ?) RETURNING batch_id",
                [
                    Path(label).name,
                    sha,
                    options.loaded_by,
                    datetime.now(),
                    rows.num_rows,
                    options.source,
                ],
            )
        )
        con.register("incoming_rows", rows)
        con.execute(SUPERSEDE_CURRENT)
        con.execute(
            """
            INSERT INTO observation
            SELECT ? AS batch_id, unit_code, indicator_code, period_start, period_end,
                   period_type, value, qualifier, target, note, is_illustrative,
                   is_preliminary, source_sheet, source_cell, true AS is_current
            FROM incoming_rows
            """,
            [batch_id],
        )
        con.unregister("incoming_rows")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return batch_id
