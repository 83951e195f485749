"""Warehouse queries for the pages: small DataFrames out of ``v_observation``.

Every function takes an open DuckDB connection (see :func:`reader`), binds every
user-chosen value as a ``?`` parameter and aggregates in SQL, so only the rows a
page shows ever reach pandas. Time series use year periods only
(``period_type = 'year'``); totals over a term or other spans come from
:func:`other_periods_for_unit`.

A unit's value is its own where it reported one, else rolled up from the units below
it through every level (:mod:`dashboard.rollup`: sums for counts and amounts, Σ
numerator / Σ denominator for rates and ratios to plan, never a mean of rates). Rows of
rolled-up values say so (``is_rollup``, ``n_units``) and name the units left out
(``missing_parts``: a numerator or denominator missing; ``missing_units``: nothing for
the period). :func:`continued_unit_series` carries a series across the 2025
reorganisation and marks the break.

``lang`` only chooses which name columns are returned (``vi`` or ``en``, English
falling back to Vietnamese where a unit has no English name).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard import rollup
from dashboard.formatting import format_period
from dashboard.i18n import normalize_lang
from etl.warehouse import open_for_reading

Connection = duckdb.DuckDBPyConnection

EXPLORE_ROW_LIMIT = 50_000
EXPLORE_COLUMNS = (
    "unit_code", "unit_name", "indicator_code", "indicator_name", "measure", "period_type",
    "period_start", "period_end", "period_label", "value", "qualifier", "target",
    "value_status", "note", "source_file", "batch_id",
)  # fmt: skip
POINT_CHANGE_KINDS = ("rate", "ratio_to_plan")
# Indicator groups in the order leaders read them; other groups follow by name.
GROUP_ORDER = (
    "['socio_economic', 'party_organisation', 'inspection_discipline', 'campaign_activity']"
)
GROUP_RANK = f"coalesce(list_position({GROUP_ORDER}, i.group_code), 99)"  # SQL, alias i
# What rolled-up rows carry besides the value (see dashboard.rollup).
ROLLUP_EXTRA = (
    "numerator_value", "denominator_value", "derivation", "missing_parts", "missing_units",
)  # fmt: skip
# CTE ``computable``: the stored indicators a value of one indicator (bound once) can
# come from: itself and, for a ratio, its numerator and denominator.
_COMPUTABLE = """
    computable AS (
        SELECT DISTINCT unnest(
            CASE WHEN unit_aggregation = 'ratio'
                 THEN list_filter([indicator_code, numerator_code, denominator_code],
                                  lambda c: c IS NOT NULL)
                 ELSE [indicator_code] END) AS indicator_code
        FROM indicator WHERE indicator_code = ?
    )"""
# Recursive CTE ``below``: a root (bound once) and every unit under it, ``depth`` 1 for
# its children.
_BELOW = f"""
    below(unit_code, depth) AS (
        SELECT unit_code, 0 FROM unit WHERE unit_code = ?
        UNION ALL
        SELECT u.unit_code, b.depth + 1 FROM unit u JOIN below b ON u.parent_code = b.unit_code
        WHERE b.depth < {rollup.MAX_DEPTH}
    )"""


@contextmanager
def reader(db_path: Path) -> Iterator[Connection]:
    """A read-only connection, closed on exit (so a loader can write in between)."""
    con = open_for_reading(db_path)
    try:
        yield con
    finally:
        con.close()


def _df(con: Connection, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


def _en(lang: str) -> bool:
    return normalize_lang(lang) == "en"


def unit_name_sql(lang: str, alias: str = "u") -> str:
    """The SQL expression for a unit's display name (column names only, never user input)."""
    return f"coalesce({alias}.name_en, {alias}.name_vi)" if _en(lang) else f"{alias}.name_vi"


def indicator_columns_sql(lang: str, alias: str = "i") -> str:
    """SQL selecting an indicator's display name and measure (``indicator_name``, ``measure``)."""
    if _en(lang):
        return f"{alias}.name_en AS indicator_name, {alias}.measure_en AS measure"
    return f"{alias}.name_vi AS indicator_name, {alias}.measure_vi AS measure"


# --- catalogue --------------------------------------------------------------------------


def has_observations(con: Connection) -> bool:
    """True when at least one current value of an active batch is stored."""
    row = con.execute("SELECT EXISTS (SELECT 1 FROM v_observation)").fetchone()
    return bool(row and row[0])


def list_units_with_data(con: Connection, lang: str = "vi") -> pd.DataFrame:
    """One row per unit holding data, in tree order (parents before their children).

    Columns: unit_code, unit_name, parent_code, unit_level, depth (counting only
    ancestors that hold data, for indenting a list), n_children (children holding
    data), n_observations.
    """
    return _df(
        con,
        f"""
        WITH RECURSIVE counts AS (
            SELECT unit_code, any_value(parent_code) AS parent_code, count(*) AS n_observations
            FROM v_observation GROUP BY unit_code
        ),
        tree(unit_code, depth, sort_path) AS (
            SELECT u.unit_code, 0, u.unit_code
            FROM unit u
            WHERE u.parent_code IS NULL
               OR u.parent_code NOT IN (SELECT unit_code FROM unit)
            UNION ALL
            SELECT c.unit_code,
                   t.depth + CASE WHEN t.unit_code IN (SELECT unit_code FROM counts)
                                  THEN 1 ELSE 0 END,
                   t.sort_path || '/' || c.unit_code
            FROM unit c JOIN tree t ON c.parent_code = t.unit_code
            WHERE length(t.sort_path) < 2000
        )
        SELECT u.unit_code, {unit_name_sql(lang)} AS unit_name, u.parent_code,
               u.level AS unit_level, coalesce(t.depth, 0) AS depth,
               (SELECT count(*) FROM counts k WHERE k.parent_code = u.unit_code) AS n_children,
               c.n_observations
        FROM counts c
        JOIN unit u USING (unit_code)
        LEFT JOIN tree t USING (unit_code)
        ORDER BY coalesce(t.sort_path, u.unit_code)
        """,
    )


def default_unit(units: pd.DataFrame) -> str | None:
    """The unit a first visit shows: the one with most children holding data, then most data."""
    if units.empty:
        return None
    ranked = units.sort_values(["n_children", "n_observations"], ascending=False, kind="stable")
    return str(ranked["unit_code"].iloc[0])


def unit_with_children(units: pd.DataFrame, unit: str | None) -> list[str]:
    """``unit`` followed by its children, out of a :func:`list_units_with_data` frame."""
    if unit is None:
        return []
    children = units.loc[units["parent_code"] == unit, "unit_code"]
    return [unit, *children]


def list_indicators(
    con: Connection,
    lang: str = "vi",
    unit: str | None = None,
    *,
    years_only: bool = False,
    children_only: bool = False,
) -> pd.DataFrame:
    """One row per indicator with data (for ``unit`` when given).

    Columns: indicator_code, indicator_name, measure, kind, direction, group_code,
    group_rank (groups in reading order), n_observations. For a ``unit``, values of the
    units below it (every level) count too where the indicator can be rolled up to it,
    and a rate or ratio to plan counts where only its numerator and denominator are
    stored (n_observations: its numerator's). ``years_only`` counts year periods only;
    ``children_only`` counts values of units that have a parent (the ones a comparison
    can rank).
    """
    return _df(
        con,
        f"""
        WITH RECURSIVE {_BELOW},
        scoped AS (
            SELECT o.unit_code, o.indicator_code FROM v_observation o
            WHERE (CAST(? AS VARCHAR) IS NULL OR o.unit_code IN (SELECT unit_code FROM below))
              AND (NOT ? OR o.period_type = 'year')
              AND (NOT ? OR o.parent_code IS NOT NULL)
        ),
        counted AS (
            SELECT s.indicator_code, count(*) AS n
            FROM scoped s JOIN indicator i USING (indicator_code)
            WHERE CAST(? AS VARCHAR) IS NULL OR s.unit_code = ? OR i.unit_aggregation <> 'none'
            GROUP BY ALL
            UNION ALL
            SELECT i.indicator_code, count(*)
            FROM indicator i JOIN scoped s ON s.indicator_code = i.numerator_code
            WHERE i.unit_aggregation = 'ratio'
              AND i.denominator_code IN (SELECT indicator_code FROM scoped)
              AND i.indicator_code NOT IN (SELECT indicator_code FROM scoped)
            GROUP BY ALL
        )
        SELECT i.indicator_code, {indicator_columns_sql(lang)}, i.kind, i.direction, i.group_code,
               {GROUP_RANK} AS group_rank, sum(c.n)::BIGINT AS n_observations
        FROM counted c JOIN indicator i USING (indicator_code)
        GROUP BY ALL
        ORDER BY group_rank, group_code, indicator_name
        """,
        [unit, unit, years_only, children_only, unit, unit],
    )


def catalogue_indicators(con: Connection, lang: str = "vi") -> pd.DataFrame:
    """Every indicator of the catalogue, with or without data: indicator_code,
    indicator_name, measure, group_code, group_rank."""
    return _df(
        con,
        f"""
        SELECT i.indicator_code, {indicator_columns_sql(lang)}, i.group_code,
               {GROUP_RANK} AS group_rank
        FROM indicator i
        ORDER BY group_rank, group_code, indicator_name
        """,
    )


def catalogue_units(con: Connection, lang: str = "vi") -> pd.DataFrame:
    """Every unit of the catalogue, with or without data: unit_code, unit_name."""
    return _df(
        con,
        f"SELECT u.unit_code, {unit_name_sql(lang)} AS unit_name FROM unit u ORDER BY u.unit_code",
    )


def default_indicator(indicators: pd.DataFrame) -> str | None:
    """The indicator a first visit shows: the one with most values."""
    if indicators.empty:
        return None
    ranked = indicators.sort_values("n_observations", ascending=False, kind="stable")
    return str(ranked["indicator_code"].iloc[0])


def indicator_info(con: Connection, indicator: str, lang: str = "vi") -> dict[str, Any] | None:
    """The catalogue row of one indicator, or None when unknown."""
    frame = _df(
        con,
        f"""
        SELECT i.indicator_code, {indicator_columns_sql(lang)}, i.kind, i.direction, i.group_code,
               i.numerator_code, i.denominator_code, i.description
        FROM indicator i WHERE i.indicator_code = ?
        """,
        [indicator],
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def unit_info(con: Connection, unit: str, lang: str = "vi") -> dict[str, Any] | None:
    """The catalogue row of one unit with its parent's name, or None when unknown."""
    frame = _df(
        con,
        f"""
        SELECT u.unit_code, {unit_name_sql(lang)} AS unit_name, u.parent_code,
               {unit_name_sql(lang, "p")} AS parent_name, u.level AS unit_level, u.kind
        FROM unit u LEFT JOIN unit p ON p.unit_code = u.parent_code
        WHERE u.unit_code = ?
        """,
        [unit],
    )
    return None if frame.empty else frame.iloc[0].to_dict()


def list_years(
    con: Connection,
    unit: str | None = None,
    indicator: str | None = None,
    *,
    parent: str | None = None,
) -> list[int]:
    """Years with year-period data, newest last: for ``unit``, its own or those of the
    units below it (which roll up to it); for ``indicator``, its values or its numerator
    and denominator; for ``parent``, values of its children or of the units below them."""
    rows = con.execute(
        f"""
        WITH RECURSIVE scope(root, unit_code, depth) AS (
            SELECT 'unit', unit_code, 0 FROM unit WHERE unit_code = ?
            UNION ALL
            SELECT 'parent', unit_code, 0 FROM unit WHERE unit_code = ?
            UNION ALL
            SELECT s.root, u.unit_code, s.depth + 1
            FROM unit u JOIN scope s ON u.parent_code = s.unit_code
            WHERE s.depth < {rollup.MAX_DEPTH}
        ),
        {_COMPUTABLE}
        SELECT DISTINCT year(period_start) AS y FROM v_observation
        WHERE period_type = 'year'
          AND (CAST(? AS VARCHAR) IS NULL
               OR unit_code IN (SELECT unit_code FROM scope WHERE root = 'unit'))
          AND (CAST(? AS VARCHAR) IS NULL
               OR indicator_code IN (SELECT indicator_code FROM computable))
          AND (CAST(? AS VARCHAR) IS NULL
               OR unit_code IN (SELECT unit_code FROM scope WHERE root = 'parent' AND depth > 0))
        ORDER BY y
        """,
        [unit, parent, indicator, unit, indicator, parent],
    ).fetchall()
    return [int(row[0]) for row in rows]


def year_span(con: Connection) -> tuple[int, int] | None:
    """First and last year touched by any stored period, or None for an empty warehouse."""
    row = con.execute(
        "SELECT min(year(period_start)), max(year(period_end)) FROM v_observation"
    ).fetchone()
    if not row or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def unit_children(con: Connection, parent: str, lang: str = "vi") -> pd.DataFrame:
    """Direct children of ``parent`` in the catalogue: unit_code, unit_name, unit_level."""
    return _df(
        con,
        f"""
        SELECT u.unit_code, {unit_name_sql(lang)} AS unit_name, u.level AS unit_level
        FROM unit u WHERE u.parent_code = ? ORDER BY u.unit_code
        """,
        [parent],
    )


def parents_with_children_data(con: Connection, indicator: str, lang: str = "vi") -> pd.DataFrame:
    """Units whose children have yearly values of ``indicator``, their own or rolled up
    from the units below them (a rate's numerator and denominator count too).

    Columns: unit_code, unit_name, n_children (children with such values), most first.
    """
    return _df(
        con,
        f"""
        WITH RECURSIVE {_COMPUTABLE},
        holding AS (
            SELECT DISTINCT unit_code FROM v_observation
            WHERE period_type = 'year'
              AND indicator_code IN (SELECT indicator_code FROM computable)
        ),
        up(child, parent, depth) AS (
            SELECT u.unit_code, u.parent_code, 0
            FROM unit u JOIN holding USING (unit_code) WHERE u.parent_code IS NOT NULL
            UNION
            SELECT p.unit_code, p.parent_code, up.depth + 1
            FROM up JOIN unit p ON p.unit_code = up.parent
            WHERE p.parent_code IS NOT NULL AND up.depth < {rollup.MAX_DEPTH}
        )
        SELECT up.parent AS unit_code, {unit_name_sql(lang)} AS unit_name,
               count(DISTINCT up.child) AS n_children
        FROM up JOIN unit u ON u.unit_code = up.parent
        GROUP BY ALL
        ORDER BY n_children DESC, unit_code
        """,
        [indicator],
    )


# --- one unit ---------------------------------------------------------------------------


def overview_for_unit_year(con: Connection, unit: str, year: int, lang: str = "vi") -> pd.DataFrame:
    """One row per indicator with a value for ``unit`` in ``year``, with last year's value.

    Values the unit did not report itself are rolled up from the units below it (see
    :mod:`dashboard.rollup`). Columns: indicator_code, indicator_name, measure, kind,
    direction, group_code, group_rank, value, qualifier, target, value_status, note,
    source_file, is_rollup, n_units, previous_value, change, change_is_points,
    numerator_value, denominator_value, derivation, missing_parts, missing_units.
    ``change`` is a difference in percentage points for rates and ratios to plan
    (``change_is_points``), otherwise a relative change in percent (missing when last
    year's value is zero or absent).
    """
    values = rollup.rollup(con, [unit], None, "year", year - 1, year)
    years = pd.to_datetime(values["period_start"]).dt.year
    current = values[years == year]
    previous = values.loc[years == year - 1, ["indicator_code", "value"]]
    frame = current.merge(
        previous.rename(columns={"value": "previous_value"}), on="indicator_code", how="left"
    ).merge(_indicator_table(con, lang), on="indicator_code")
    points = frame["kind"].isin(POINT_CHANGE_KINDS)
    before = frame["previous_value"].astype(float)
    relative = (frame["value"] - before) / before.abs().where(before != 0) * 100
    frame["change"] = (frame["value"] - before).where(points, relative)
    frame["change_is_points"] = points
    frame = frame.assign(not_points=~points).sort_values(
        ["group_rank", "group_code", "not_points", "indicator_name"], kind="stable"
    )
    columns = [
        "indicator_code", "indicator_name", "measure", "kind", "direction", "group_code",
        "group_rank", "value", "qualifier", "target", "value_status", "note", "source_file",
        "is_rollup", "n_units", "previous_value", "change", "change_is_points", *ROLLUP_EXTRA,
    ]  # fmt: skip
    return frame[columns].reset_index(drop=True)


def _indicator_table(con: Connection, lang: str) -> pd.DataFrame:
    """indicator_code, indicator_name, measure, kind, direction, group_code, group_rank."""
    return _df(
        con,
        f"""
        SELECT i.indicator_code, {indicator_columns_sql(lang)}, i.kind, i.direction, i.group_code,
               {GROUP_RANK} AS group_rank
        FROM indicator i
        """,
    )


def other_periods_for_unit(
    con: Connection, unit: str, lang: str = "vi", year: int | None = None
) -> pd.DataFrame:
    """Values of ``unit`` over periods other than a calendar year (terms, spans, months...).

    With ``year``, only periods overlapping it. Columns: indicator_code, indicator_name,
    measure, period_start, period_end, period_type, period_label, value, qualifier,
    target, value_status, note.
    """
    frame = _df(
        con,
        f"""
        SELECT o.indicator_code, {indicator_columns_sql(lang)}, o.period_start, o.period_end,
               o.period_type, o.value, o.qualifier, o.target, o.value_status, o.note
        FROM v_observation o JOIN indicator i USING (indicator_code)
        WHERE o.unit_code = ? AND o.period_type <> 'year'
          AND (CAST(? AS INTEGER) IS NULL
               OR (year(o.period_start) <= ? AND year(o.period_end) >= ?))
        ORDER BY o.period_start, indicator_name
        LIMIT 500
        """,
        [unit, year, year, year],
    )
    return _with_period_label(frame, lang)


def unit_series(
    con: Connection, unit: str, indicator: str, period_type: str = "year"
) -> pd.DataFrame:
    """Series of one unit over periods of one type (years unless said), its own values or
    rolled up from the units below it.

    Columns: year (of the period's start), period_start, period_end, value, qualifier,
    target, value_status, note, is_rollup, n_units, numerator_value, denominator_value,
    derivation, missing_parts, missing_units.
    """
    values = rollup.rollup(con, [unit], [indicator], period_type)
    return _series_columns(values)


_SERIES_COLUMNS = (
    "year", "period_start", "period_end", "value", "qualifier", "target", "value_status",
    "note", "is_rollup", "n_units", *ROLLUP_EXTRA,
)  # fmt: skip


def _series_columns(values: pd.DataFrame, extra: Sequence[str] = ()) -> pd.DataFrame:
    years = pd.to_datetime(values["period_start"]).dt.year.astype("int64")
    return values.assign(year=years)[[*extra, *_SERIES_COLUMNS]].reset_index(drop=True)


def unit_series_all(
    con: Connection,
    unit: str,
    period_type: str = "year",
    year_from: int | None = None,
    year_to: int | None = None,
) -> pd.DataFrame:
    """Every indicator's series of one unit in one pass (for sparklines beside the
    overview's tiles; one call instead of :func:`unit_series` per tile).

    Columns: indicator_code, then those of :func:`unit_series`; by indicator and period.
    """
    values = rollup.rollup(con, [unit], None, period_type, year_from, year_to)
    return _series_columns(values, extra=("indicator_code",))


def continued_unit_series(
    con: Connection, unit: str, indicator: str, period_type: str = "year"
) -> pd.DataFrame:
    """A unit's series continued across reorganisations through the successor map
    (:func:`dashboard.rollup.continued_series`): before the unit existed, its
    predecessors' values combined; after it ended, its successor's.

    Columns: those of :func:`unit_series`, plus series_units (codes of the units behind
    each value), is_continuation and break_before (true on the first value after the
    units behind the series changed: where a chart marks the reorganisation).
    """
    values = rollup.continued_series(con, unit, indicator, period_type)
    return _series_columns(values).assign(
        series_units=values["series_units"].to_numpy(),
        is_continuation=values["is_continuation"].astype(bool).to_numpy(),
        break_before=values["break_before"].astype(bool).to_numpy(),
    )


def unit_year_value(con: Connection, unit: str, indicator: str, year: int) -> dict[str, Any] | None:
    """One yearly value, own or rolled up: value, qualifier, target, value_status,
    is_rollup, n_units, numerator_value, denominator_value, derivation, missing_parts,
    missing_units; None when there is none."""
    values = rollup.rollup(con, [unit], [indicator], "year", year, year)
    if values.empty:
        return None
    columns = ["value", "qualifier", "target", "value_status", "is_rollup", "n_units"]
    return values[[*columns, *ROLLUP_EXTRA]].iloc[0].to_dict()


# --- a parent and its children ------------------------------------------------------------


def compare_children(
    con: Connection, parent: str, indicator: str, year: int, lang: str = "vi"
) -> pd.DataFrame:
    """The children of ``parent`` ranked on ``indicator`` in ``year``, best first: each
    child's own value, else its roll-up of the units below it.

    Best is the lowest value for a lower-is-better indicator, else the highest; equal
    values share a rank. Columns: rank, unit_code, unit_name, value, qualifier, target,
    value_status, is_rollup, n_units, numerator_value, denominator_value, derivation,
    missing_parts, missing_units.
    """
    values = rollup.rollup(con, [parent], [indicator], "year", year, year, depth=1)
    children = values[values["depth"] == 1]
    names = _children_names(con, parent, lang)
    frame = children.merge(names, on="unit_code")
    lower_better = _direction(con, indicator) == "lower_better"
    frame["rank"] = frame["value"].rank(method="min", ascending=lower_better).astype("int64")
    frame = frame.sort_values(["rank", "unit_code"], kind="stable")
    columns = [
        "rank", "unit_code", "unit_name", "value", "qualifier", "target", "value_status",
        "is_rollup", "n_units", *ROLLUP_EXTRA,
    ]  # fmt: skip
    return frame[columns].reset_index(drop=True)


def _children_names(con: Connection, parent: str, lang: str) -> pd.DataFrame:
    """unit_code, unit_name of ``parent`` and of its children."""
    return _df(
        con,
        f"""
        SELECT u.unit_code, {unit_name_sql(lang)} AS unit_name FROM unit u
        WHERE u.parent_code = ? OR u.unit_code = ?
        """,
        [parent, parent],
    )


def _direction(con: Connection, indicator: str) -> str | None:
    row = con.execute(
        "SELECT direction FROM indicator WHERE indicator_code = ?", [indicator]
    ).fetchone()
    return None if row is None else str(row[0])


def children_series(
    con: Connection, parent: str, indicator: str, lang: str = "vi", *, include_parent: bool = True
) -> pd.DataFrame:
    """Yearly series of every child of ``parent`` and, first, of the parent itself, each
    its own values or rolled up from the units below it (see :func:`unit_series`).

    Columns: unit_code, unit_name, is_parent, year, period_start, period_end, value,
    qualifier, value_status, is_rollup, n_units, missing_parts, missing_units.
    """
    values = rollup.rollup(con, [parent], [indicator], "year", depth=1)
    if not include_parent:
        values = values[values["depth"] == 1]
    frame = values.merge(_children_names(con, parent, lang), on="unit_code")
    frame = frame.assign(
        is_parent=frame["depth"] == 0,
        year=pd.to_datetime(frame["period_start"]).dt.year.astype("int64"),
    ).sort_values(["depth", "unit_code", "period_start"], kind="stable")
    columns = [
        "unit_code", "unit_name", "is_parent", "year", "period_start", "period_end", "value",
        "qualifier", "value_status", "is_rollup", "n_units", "missing_parts", "missing_units",
    ]  # fmt: skip
    return frame[columns].reset_index(drop=True)


# --- campaigns ----------------------------------------------------------------------------


def campaigns(
    con: Connection,
    lang: str = "vi",
    unit: str | None = None,
    kinds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Campaigns, oldest first; for ``unit``, those covering it or one of its ancestors.

    Columns: campaign_code, campaign_name, start_date, end_date, scope, kind, note.
    """
    name = "coalesce(c.name_en, c.name_vi)" if _en(lang) else "c.name_vi"
    return _df(
        con,
        f"""
        WITH RECURSIVE up(unit_code, parent_code, depth) AS (
            SELECT unit_code, parent_code, 0 FROM unit WHERE unit_code = ?
            UNION ALL
            SELECT u.unit_code, u.parent_code, up.depth + 1
            FROM unit u JOIN up ON u.unit_code = up.parent_code
            WHERE up.depth < 20
        )
        SELECT c.campaign_code, {name} AS campaign_name, c.start_date, c.end_date,
               c.scope, c.kind, c.note
        FROM campaign c
        WHERE (CAST(? AS VARCHAR) IS NULL
               OR c.scope = 'all'
               OR EXISTS (SELECT 1 FROM up
                          WHERE list_contains(string_split(c.scope, '|'), up.unit_code)))
          AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, c.kind))
        ORDER BY c.start_date, c.campaign_code
        """,
        [
            unit,
            unit,
            None if kinds is None else list(kinds),
            None if kinds is None else list(kinds),
        ],
    )


# --- explore ------------------------------------------------------------------------------


def explore(
    con: Connection,
    indicators: Sequence[str],
    units: Sequence[str],
    year_from: int,
    year_to: int,
    lang: str = "vi",
    limit: int = EXPLORE_ROW_LIMIT,
) -> pd.DataFrame:
    """Tidy rows of the chosen indicators × units over periods touching the year range.

    At most ``limit`` rows; ``frame.attrs["truncated"]`` says whether more matched.
    Columns: unit_code, unit_name, indicator_code, indicator_name, measure, period_type,
    period_start, period_end, period_label, value, qualifier, target, value_status, note,
    source_file, batch_id.
    """
    frame = _df(
        con,
        f"""
        SELECT o.unit_code, {unit_name_sql(lang)} AS unit_name, o.indicator_code,
               {indicator_columns_sql(lang)}, o.period_type, o.period_start, o.period_end,
               o.value, o.qualifier, o.target, o.value_status, o.note, o.source_file,
               o.batch_id
        FROM v_observation o
        JOIN unit u USING (unit_code)
        JOIN indicator i USING (indicator_code)
        WHERE list_contains(?, o.indicator_code) AND list_contains(?, o.unit_code)
          AND year(o.period_start) <= ? AND year(o.period_end) >= ?
        ORDER BY o.unit_code, o.indicator_code, o.period_start, o.period_end
        LIMIT ?
        """,
        [list(indicators), list(units), year_to, year_from, limit + 1],
    )
    truncated = len(frame) > limit
    frame = _with_period_label(frame.head(limit), lang)[list(EXPLORE_COLUMNS)]
    frame.attrs["truncated"] = truncated
    return frame


def pivot_explore(tidy: pd.DataFrame) -> pd.DataFrame:
    """Tidy explore rows as a table: one row per unit × indicator, one column per period.

    Years come first, in order, then terms and other periods.
    """
    if tidy.empty:
        return pd.DataFrame(columns=["unit_name", "indicator_name", "measure"])
    periods = (
        tidy[["period_label", "period_type", "period_start", "period_end"]]
        .drop_duplicates("period_label")
        .assign(not_year=lambda f: f["period_type"] != "year")
        .sort_values(["not_year", "period_start", "period_end"])
    )
    order = periods["period_label"].tolist()
    wide = tidy.pivot_table(
        index=["unit_code", "unit_name", "indicator_code", "indicator_name", "measure"],
        columns="period_label",
        values="value",
        aggfunc="first",
        sort=False,
    )
    wide = wide.reindex(columns=order).reset_index()
    wide.columns.name = None
    return wide.drop(columns=["unit_code", "indicator_code"])


def _with_period_label(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = frame.copy()
    if frame.empty:
        frame["period_label"] = pd.Series(dtype="object")
        return frame
    frame["period_label"] = [
        format_period(start, end, kind, lang)
        for start, end, kind in zip(
            frame["period_start"], frame["period_end"], frame["period_type"], strict=True
        )
    ]
    return frame
