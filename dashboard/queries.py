"""Warehouse queries for the pages: small DataFrames out of ``v_observation``.

Every function takes an open DuckDB connection (see :func:`reader`), binds every
user-chosen value as a ``?`` parameter and aggregates in SQL, so only the rows a
page shows ever reach pandas. Time series use year periods only
(``period_type = 'year'``); totals over a term or other spans come from
:func:`other_periods_for_unit`.

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
_GROUP_RANK = f"coalesce(list_position({GROUP_ORDER}, i.group_code), 99)"


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


def _unit_name(lang: str, alias: str = "u") -> str:
    """The SQL expression for a unit's display name (column names only, never user input)."""
    return f"coalesce({alias}.name_en, {alias}.name_vi)" if _en(lang) else f"{alias}.name_vi"


def _indicator_cols(lang: str, alias: str = "i") -> str:
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
        SELECT u.unit_code, {_unit_name(lang)} AS unit_name, u.parent_code,
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
    group_rank (groups in reading order), n_observations. For a ``unit``, values of its
    children count too where the indicator can be rolled up to it. ``years_only`` counts
    year periods only; ``children_only`` counts values of units that have a parent (the
    ones a comparison can rank).
    """
    return _df(
        con,
        f"""
        SELECT i.indicator_code, {_indicator_cols(lang)}, i.kind, i.direction, i.group_code,
               {_GROUP_RANK} AS group_rank, count(*) AS n_observations
        FROM v_observation o JOIN indicator i USING (indicator_code)
        WHERE (CAST(? AS VARCHAR) IS NULL OR o.unit_code = ?
               OR (o.parent_code = ? AND i.unit_aggregation <> 'none'))
          AND (NOT ? OR o.period_type = 'year')
          AND (NOT ? OR o.parent_code IS NOT NULL)
        GROUP BY ALL
        ORDER BY group_rank, group_code, indicator_name
        """,
        [unit, unit, unit, years_only, children_only],
    )


def catalogue_indicators(con: Connection, lang: str = "vi") -> pd.DataFrame:
    """Every indicator of the catalogue, with or without data: indicator_code,
    indicator_name, measure, group_code, group_rank."""
    return _df(
        con,
        f"""
        SELECT i.indicator_code, {_indicator_cols(lang)}, i.group_code,
               {_GROUP_RANK} AS group_rank
        FROM indicator i
        ORDER BY group_rank, group_code, indicator_name
        """,
    )


def catalogue_units(con: Connection, lang: str = "vi") -> pd.DataFrame:
    """Every unit of the catalogue, with or without data: unit_code, unit_name."""
    return _df(
        con,
        f"SELECT u.unit_code, {_unit_name(lang)} AS unit_name FROM unit u ORDER BY u.unit_code",
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
        SELECT i.indicator_code, {_indicator_cols(lang)}, i.kind, i.direction, i.group_code,
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
        SELECT u.unit_code, {_unit_name(lang)} AS unit_name, u.parent_code,
               {_unit_name(lang, "p")} AS parent_name, u.level AS unit_level, u.kind
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
    """Years with year-period data, newest last, for ``unit`` (its own values or its
    children's, which roll up to it), ``indicator`` and children of ``parent`` where given."""
    rows = con.execute(
        """
        SELECT DISTINCT year(period_start) AS y FROM v_observation
        WHERE period_type = 'year'
          AND (CAST(? AS VARCHAR) IS NULL OR unit_code = ? OR parent_code = ?)
          AND (CAST(? AS VARCHAR) IS NULL OR indicator_code = ?)
          AND (CAST(? AS VARCHAR) IS NULL OR parent_code = ?)
        ORDER BY y
        """,
        [unit, unit, unit, indicator, indicator, parent, parent],
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
        SELECT u.unit_code, {_unit_name(lang)} AS unit_name, u.level AS unit_level
        FROM unit u WHERE u.parent_code = ? ORDER BY u.unit_code
        """,
        [parent],
    )


def parents_with_children_data(con: Connection, indicator: str, lang: str = "vi") -> pd.DataFrame:
    """Units whose children have yearly values of ``indicator``.

    Columns: unit_code, unit_name, n_children (children with such values), most first.
    """
    return _df(
        con,
        f"""
        SELECT o.parent_code AS unit_code, {_unit_name(lang)} AS unit_name,
               count(DISTINCT o.unit_code) AS n_children
        FROM v_observation o JOIN unit u ON u.unit_code = o.parent_code
        WHERE o.indicator_code = ? AND o.period_type = 'year'
        GROUP BY ALL
        ORDER BY n_children DESC, o.parent_code
        """,
        [indicator],
    )


# --- one unit ---------------------------------------------------------------------------


def overview_for_unit_year(con: Connection, unit: str, year: int, lang: str = "vi") -> pd.DataFrame:
    """One row per indicator with a value for ``unit`` in ``year``, with last year's value.

    Values the unit did not report itself are rolled up from its children (see
    :func:`_yearly_values`). Columns: indicator_code, indicator_name, measure, kind,
    direction, group_code, group_rank, value, qualifier, target, value_status, note, source_file,
    is_rollup, n_units, previous_value, change, change_is_points. ``change`` is a
    difference in percentage points for rates and ratios to plan (``change_is_points``),
    otherwise a relative change in percent (missing when last year's value is zero or
    absent).
    """
    cte, params = _yearly_values(unit, None, year - 1, year)
    return _df(
        con,
        f"""
        WITH {cte},
        cur AS (SELECT * FROM yearly WHERE year = ?),
        prev AS (SELECT indicator_code, value AS previous_value FROM yearly WHERE year = ? - 1)
        SELECT i.indicator_code, {_indicator_cols(lang)}, i.kind, i.direction, i.group_code,
               {_GROUP_RANK} AS group_rank, cur.value, cur.qualifier, cur.target,
               cur.value_status, cur.note,
               cur.source_file, cur.is_rollup, cur.n_units, prev.previous_value,
               CASE
                   WHEN i.kind IN {POINT_CHANGE_KINDS} THEN cur.value - prev.previous_value
                   WHEN prev.previous_value <> 0
                       THEN (cur.value - prev.previous_value) / abs(prev.previous_value) * 100
               END AS change,
               i.kind IN {POINT_CHANGE_KINDS} AS change_is_points
        FROM cur
        JOIN indicator i USING (indicator_code)
        LEFT JOIN prev USING (indicator_code)
        ORDER BY group_rank, group_code, i.kind NOT IN {POINT_CHANGE_KINDS}, indicator_name
        """,
        [*params, year, year],
    )


def _yearly_values(
    unit: str, indicator: str | None, year_from: int, year_to: int
) -> tuple[str, list[Any]]:
    """A CTE ``yearly`` of ``unit``'s yearly values, its own or rolled up from its children.

    Where the unit reported no value for a year, its children's values are combined as
    the indicator's ``unit_aggregation`` says: ``sum`` adds them; ``ratio`` divides the
    sum of the numerator indicator by the sum of the denominator indicator (× 100 for a
    percentage), over children reporting both, so a rate is never an average of rates.
    Columns: indicator_code, year, period_start, period_end, value, qualifier, target,
    value_status, note, source_file, n_units (children combined; NULL for own values),
    is_rollup. A rolled-up value is illustrative or preliminary if any part is.
    """
    sql = """
    own AS (
        SELECT indicator_code, year(period_start) AS year, period_start, period_end, value,
               qualifier, target, value_status, note, source_file,
               CAST(NULL AS BIGINT) AS n_units, false AS is_rollup
        FROM v_observation
        WHERE unit_code = ? AND period_type = 'year'
          AND (CAST(? AS VARCHAR) IS NULL OR indicator_code = ?)
          AND year(period_start) BETWEEN ? AND ?
    ),
    child AS (
        SELECT indicator_code, year(period_start) AS year, unit_code, value, value_status
        FROM v_observation
        WHERE parent_code = ? AND period_type = 'year' AND value IS NOT NULL
          AND year(period_start) BETWEEN ? AND ?
    ),
    rolled AS (
        SELECT c.indicator_code, c.year, sum(c.value) AS value, count(*) AS n_units,
               list(c.value_status) AS statuses
        FROM child c JOIN indicator i USING (indicator_code)
        WHERE i.unit_aggregation = 'sum'
        GROUP BY c.indicator_code, c.year
        UNION ALL
        SELECT i.indicator_code, n.year,
               sum(n.value) / nullif(sum(d.value), 0)
                   * CASE WHEN starts_with(i.measure_vi, '%') THEN 100 ELSE 1 END,
               count(*), list(n.value_status) || list(d.value_status)
        FROM indicator i
        JOIN child n ON n.indicator_code = i.numerator_code
        JOIN child d ON d.indicator_code = i.denominator_code
                    AND d.unit_code = n.unit_code AND d.year = n.year
        WHERE i.unit_aggregation = 'ratio'
        GROUP BY i.indicator_code, n.year, i.measure_vi
    ),
    yearly AS (
        SELECT * FROM own
        UNION ALL BY NAME
        SELECT r.indicator_code, r.year, make_date(r.year, 1, 1) AS period_start,
               make_date(r.year, 12, 31) AS period_end, r.value,
               CASE
                   WHEN list_contains(r.statuses, 'illustrative') THEN 'illustrative'
                   WHEN list_contains(r.statuses, 'preliminary') THEN 'preliminary'
                   ELSE 'reported'
               END AS value_status,
               r.n_units, true AS is_rollup
        FROM rolled r
        WHERE (CAST(? AS VARCHAR) IS NULL OR r.indicator_code = ?)
          AND r.value IS NOT NULL
          AND NOT EXISTS (
              SELECT 1 FROM own WHERE own.indicator_code = r.indicator_code
                                  AND own.year = r.year)
    )"""
    params = [unit, indicator, indicator, year_from, year_to, unit, year_from, year_to]
    return sql, [*params, indicator, indicator]


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
        SELECT o.indicator_code, {_indicator_cols(lang)}, o.period_start, o.period_end,
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


def unit_series(con: Connection, unit: str, indicator: str) -> pd.DataFrame:
    """Yearly series of one unit, its own values or rolled up from its children.

    Columns: year, period_start, period_end, value, qualifier, target, value_status,
    note, is_rollup, n_units.
    """
    cte, params = _yearly_values(unit, indicator, 0, 9999)
    return _df(
        con,
        f"""
        WITH {cte}
        SELECT year, period_start, period_end, value, qualifier, target, value_status, note,
               is_rollup, n_units
        FROM yearly ORDER BY year
        """,
        params,
    )


def unit_year_value(con: Connection, unit: str, indicator: str, year: int) -> dict[str, Any] | None:
    """One yearly value, own or rolled up: value, qualifier, target, value_status,
    is_rollup, n_units; None when there is none."""
    cte, params = _yearly_values(unit, indicator, year, year)
    frame = _df(
        con,
        f"""
        WITH {cte}
        SELECT value, qualifier, target, value_status, is_rollup, n_units FROM yearly
        """,
        params,
    )
    return None if frame.empty else frame.iloc[0].to_dict()


# --- a parent and its children ------------------------------------------------------------


def compare_children(
    con: Connection, parent: str, indicator: str, year: int, lang: str = "vi"
) -> pd.DataFrame:
    """The children of ``parent`` ranked on ``indicator`` in ``year``, best first.

    Best is the lowest value for a lower-is-better indicator, else the highest.
    Columns: rank, unit_code, unit_name, value, qualifier, target, value_status.
    """
    return _df(
        con,
        f"""
        SELECT rank() OVER (
                   ORDER BY CASE WHEN i.direction = 'lower_better' THEN o.value
                                 ELSE -o.value END NULLS LAST
               ) AS rank,
               o.unit_code, {_unit_name(lang)} AS unit_name, o.value, o.qualifier, o.target,
               o.value_status
        FROM v_observation o
        JOIN unit u USING (unit_code)
        JOIN indicator i USING (indicator_code)
        WHERE o.parent_code = ? AND o.indicator_code = ? AND o.period_type = 'year'
          AND year(o.period_start) = ?
        ORDER BY rank, o.unit_code
        """,
        [parent, indicator, year],
    )


def children_series(
    con: Connection, parent: str, indicator: str, lang: str = "vi", *, include_parent: bool = True
) -> pd.DataFrame:
    """Yearly series of every child of ``parent`` and, first, of the parent itself (own
    values or rolled up, see :func:`unit_series`).

    Columns: unit_code, unit_name, is_parent, year, period_start, period_end, value,
    qualifier, value_status.
    """
    children = _df(
        con,
        f"""
        SELECT o.unit_code, {_unit_name(lang)} AS unit_name, false AS is_parent,
               year(o.period_start) AS year, o.period_start, o.period_end, o.value,
               o.qualifier, o.value_status
        FROM v_observation o JOIN unit u USING (unit_code)
        WHERE o.indicator_code = ? AND o.period_type = 'year' AND o.parent_code = ?
        ORDER BY o.unit_code, o.period_start
        """,
        [indicator, parent],
    )
    if not include_parent:
        return children
    info = unit_info(con, parent, lang)
    own = unit_series(con, parent, indicator)
    if own.empty or info is None:
        return children
    own = own.assign(unit_code=parent, unit_name=info["unit_name"], is_parent=True)
    return pd.concat([own[list(children.columns)], children], ignore_index=True)


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
        SELECT o.unit_code, {_unit_name(lang)} AS unit_name, o.indicator_code,
               {_indicator_cols(lang)}, o.period_type, o.period_start, o.period_end,
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
