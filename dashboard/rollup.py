"""Values up the unit hierarchy and across reorganisations, combined the honest way.

A unit's value for a period is its own stored value where it has one, else the roll-up
of its children's values, each child's own value or, failing that, its own roll-up,
down through every level (city → districts → wards, party committee → organisations →
chi bộ). How values combine is the indicator's ``unit_aggregation`` (``indicator``
table):

- ``sum`` (counts, amounts): the children's values add up.
- ``ratio`` (rates, ratios to plan): ``ratio_scale × Σ numerator / Σ denominator``, the
  sums over the children that have *both* parts for the period (their own, or rolled up
  the same way), never a mean of rates. A child left out because it has only one part,
  or only the rate itself, is named in ``missing_parts``.
- ``none`` (flags, durations): own values only.

``missing_units`` names the children left out because they have nothing for the period
although they existed at its end (``valid_from``/``valid_to``, as on the completeness
page) and reported the indicator, or a part of it, for another period of the same type
(themselves or through their own units). Both lists also carry what was missing further
down in the values that were combined. Nothing is averaged in place of a missing part.

One period type at a time: only values with the same ``period_type`` and the same
start and end are ever added, so a term total never meets a year.

:func:`continued_series` carries a unit's series across the 2025 reorganisation
through the successor map (``unit.successor_code``): before the unit existed, the
combined values of its predecessors; after it ended, its successor's; ``break_before``
marks the first value after each change of the units behind the series.

Cost: one query reads the subtree, its values and which indicators each unit ever
reported, already as integer positions; the combining is a few numpy operations per
level of the tree on integer keys (unit × indicator and period), so it grows with the
subtree asked about, not with the warehouse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, ClassVar

import duckdb
import numpy as np
import pandas as pd

Connection = duckdb.DuckDBPyConnection

STATUSES = ("reported", "preliminary", "illustrative")  # a combined value takes the worst
MAX_DEPTH = 30  # guards the tree walk against a cycle in a damaged catalogue
PERIOD = ["period_start", "period_end"]
ROLLUP_COLUMNS = (
    "unit_code", "depth", "indicator_code", "period_start", "period_end", "value",
    "numerator_value", "denominator_value", "qualifier", "target", "value_status", "note",
    "source_file", "derivation", "is_rollup", "n_units", "missing_parts", "missing_units",
)  # fmt: skip
# Qualifier bits: a sum of lower bounds (and exact values) is a lower bound, likewise
# upper bounds; anything else qualified, and any ratio of qualified parts, is approximate.
LOWER, UPPER, OTHER = 1, 2, 4
BOUNDS = ("lower_bound", "upper_bound")


@dataclass(frozen=True)
class Rule:
    """How one indicator combines over units."""

    indicator_code: str
    aggregation: str  # sum, ratio, none
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0


def rules(con: Connection, indicators: Sequence[str] | None = None) -> dict[str, Rule]:
    """The combination rule of each indicator (all of the catalogue when ``None``).

    A ratio whose numerator or denominator the catalogue does not name combines as
    ``none``: it cannot be recomputed.
    """
    chosen = None if indicators is None else [str(code) for code in indicators]
    rows = con.execute(
        """
        SELECT indicator_code, unit_aggregation, numerator_code, denominator_code,
               coalesce(ratio_scale, 1)
        FROM indicator
        WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, indicator_code)
        ORDER BY indicator_code
        """,
        [chosen, chosen],
    ).fetchall()
    found = {}
    for code, aggregation, numerator, denominator, scale in rows:
        if aggregation == "ratio" and not (numerator and denominator):
            aggregation = "none"
        found[code] = Rule(code, aggregation, numerator, denominator, float(scale))
    return found


def _parts(found: dict[str, Rule]) -> tuple[list[str], list[str], list[str]]:
    """Which stored indicators make each value combined (``q``), in which role, as three
    parallel lists (q, stored indicator, role): ``v`` the summand or a ratio's numerator,
    ``w`` a ratio's denominator, ``r`` the indicator itself where it is never summed (a
    ratio, a flag)."""
    rows: list[tuple[str, str, str]] = []
    for code, rule in found.items():
        rows.append((code, code, "v" if rule.aggregation == "sum" else "r"))
        if rule.aggregation == "ratio" and rule.numerator and rule.denominator:
            rows += [(code, rule.numerator, "v"), (code, rule.denominator, "w")]
    q, stored, role = zip(*rows, strict=True)
    return list(q), list(stored), list(role)


# --- reading ------------------------------------------------------------------------------

_READ = f"""
WITH RECURSIVE tree(unit_code, parent, depth) AS (
    SELECT unit_code, CAST(NULL AS VARCHAR), 0 FROM unit WHERE list_contains(?, unit_code)
    UNION ALL
    SELECT u.unit_code, u.parent_code, t.depth + 1
    FROM unit u JOIN tree t ON u.parent_code = t.unit_code
    WHERE t.depth < {MAX_DEPTH}
),
grouped AS (
    SELECT unit_code, max(parent) AS parent, max(depth) AS depth FROM tree GROUP BY unit_code
),
nodes AS (SELECT *, row_number() OVER (ORDER BY unit_code) - 1 AS unit FROM grouped),
parts AS (
    SELECT unnest(CAST(? AS VARCHAR[])) AS q, unnest(CAST(? AS VARCHAR[])) AS indicator_code,
           unnest(CAST(? AS VARCHAR[])) AS role
),
obs AS (
    SELECT n.unit, list_position(?, p.q) - 1 AS q, p.role, o.period_start, o.period_end,
           o.value, o.qualifier, o.value_status, o.target, o.note, o.source_file,
           p.q = o.indicator_code AND n.depth <= ? AS shown
    FROM v_observation o JOIN nodes n USING (unit_code) JOIN parts p USING (indicator_code)
    WHERE o.period_type = ? AND o.value IS NOT NULL
)
SELECT 'node' AS row_kind, n.unit, n.unit_code, coalesce(p.unit, -1) AS parent, n.depth,
       u.valid_from, u.valid_to
FROM nodes n JOIN unit u USING (unit_code) LEFT JOIN nodes p ON p.unit_code = n.parent
UNION ALL BY NAME
SELECT 'value' AS row_kind, unit, q, role,
       period_start, period_end, value,
       list_position({list(STATUSES)}, value_status) - 1 AS rank,
       CASE WHEN qualifier IS NULL THEN 0 WHEN qualifier = 'lower_bound' THEN {LOWER}
            WHEN qualifier = 'upper_bound' THEN {UPPER} ELSE {OTHER} END AS flags,
       shown,
       CASE WHEN shown THEN qualifier END AS qualifier,
       CASE WHEN shown THEN value_status END AS value_status,
       CASE WHEN shown THEN target END AS target,
       CASE WHEN shown THEN note END AS note,
       CASE WHEN shown THEN source_file END AS source_file
FROM obs WHERE year(period_start) BETWEEN coalesce(?, 0) AND coalesce(?, 9999)
UNION ALL BY NAME
SELECT 'ever' AS row_kind, n.unit, list_position(?, p.q) - 1 AS q
FROM (
    SELECT DISTINCT unit_code, indicator_code FROM v_observation
    WHERE period_type = ? AND value IS NOT NULL
      AND unit_code IN (SELECT unit_code FROM nodes)
) JOIN nodes n USING (unit_code) JOIN parts p USING (indicator_code)
"""


@dataclass(frozen=True)
class _Tree:
    """The subtrees asked about, as arrays indexed by unit position."""

    codes: np.ndarray
    parent: np.ndarray  # position of the parent, -1 for a top root
    depth: np.ndarray  # below the top root
    begins: np.ndarray  # valid_from (NaT: always)
    ends: np.ndarray  # valid_to (NaT: still exists)
    kids: np.ndarray  # unit positions grouped by parent ...
    first_kid: np.ndarray  # ... those of parent p at kids[first_kid[p]:first_kid[p + 1]]

    COLUMNS: ClassVar[dict[str, Any]] = {
        "unit": 0, "unit_code": "", "parent": -1, "depth": 0,
        "valid_from": np.datetime64("NaT"), "valid_to": np.datetime64("NaT"),
    }  # fmt: skip

    @classmethod
    def of(cls, columns: dict[str, np.ndarray]) -> _Tree:
        """From the node rows read (``COLUMNS``, NULLs filled), in any order."""
        order = np.argsort(columns["unit"])
        parent = columns["parent"][order].astype(np.int64)
        kids = np.argsort(parent, kind="stable")
        kids = kids[parent[kids] >= 0]
        counts = np.bincount(parent[kids], minlength=len(order))
        return cls(
            codes=columns["unit_code"][order],
            parent=parent,
            depth=columns["depth"][order].astype(np.int64),
            begins=columns["valid_from"][order].astype("datetime64[us]"),
            ends=columns["valid_to"][order].astype("datetime64[us]"),
            kids=kids,
            first_kid=np.concatenate([[0], np.cumsum(counts)]),
        )

    def children(self, parents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every child of each of ``parents``: (index into ``parents``, child position)."""
        counts = self.first_kid[parents + 1] - self.first_kid[parents]
        owner = np.repeat(np.arange(len(parents)), counts)
        step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return owner, self.kids[np.repeat(self.first_kid[parents], counts) + step]

    def exists_at(self, units: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Whether each unit existed on ``day`` (the end of a period)."""
        begins, ends = self.begins[units], self.ends[units]
        return (np.isnat(begins) | (begins <= day)) & (np.isnat(ends) | (ends >= day))

    def at_level(self, keys: np.ndarray, width: int, level: int) -> np.ndarray:
        """Which of ``keys`` (unit × ``width`` + j) belong to a unit at ``level`` with a
        parent in the tree."""
        units = keys // width
        return (self.depth[units] == level) & (self.parent[units] >= 0)

    def up(self, keys: np.ndarray, width: int) -> np.ndarray:
        """``keys`` (unit × ``width`` + j) restated for the units' parents."""
        return self.parent[keys // width] * width + keys % width

    def lift(self, keys: np.ndarray, width: int, level: int) -> np.ndarray:
        """``keys`` plus those of units at ``level`` restated for their parents."""
        return np.union1d(keys, self.up(keys[self.at_level(keys, width, level)], width))


def _filled(column: np.ndarray, fill: Any) -> np.ndarray:
    """A column as DuckDB's ``fetchnumpy`` gives it, with ``fill`` where it is NULL."""
    if not np.ma.isMaskedArray(column):
        return np.asarray(column)
    out = np.array(column.data, copy=True)
    out[np.ma.getmaskarray(column)] = fill
    return out


@dataclass(frozen=True)
class _Stored:
    """The values read, one entry per stored value × the combined value it is part of
    (``q``, ``role``), keyed by unit × n_slots + slot; ``slot`` is indicator × period."""

    key: np.ndarray
    role: np.ndarray
    value: np.ndarray
    rank: np.ndarray
    flags: np.ndarray
    shown: np.ndarray
    display: dict[str, np.ndarray]  # qualifier, value_status, target, note, source_file
    slot_q: np.ndarray  # position of each slot's indicator in the rules
    slot_start: np.ndarray
    slot_end: np.ndarray

    @property
    def n_slots(self) -> int:
        return len(self.slot_q)


def _read(
    con: Connection,
    roots: Sequence[str],
    found: dict[str, Rule],
    period_type: str,
    years: tuple[int | None, int | None],
    depth: int,
) -> tuple[_Tree, _Stored, np.ndarray] | None:
    """In one query: the subtrees of ``roots``; the current values of ``found`` and their
    parts for one period type and periods starting in the year range (with what is
    shown for the units down to ``depth``); and which indicators each unit ever reported
    for that period type (unit × n_q + q). None when no value is stored."""
    q, stored, role = _parts(found)
    params = [list(roots), q, stored, role, list(found), depth, period_type, *years]
    data = con.execute(_READ, [*params, list(found), period_type]).fetchnumpy()
    kind = np.asarray(data["row_kind"])
    nodes, values, ever = kind == "node", kind == "value", kind == "ever"
    if not values.any():
        return None

    def column(name: str, rows: np.ndarray, fill: Any) -> np.ndarray:
        return _filled(data[name], fill)[rows]

    tree = _Tree.of({name: column(name, nodes, fill) for name, fill in _Tree.COLUMNS.items()})
    unit = column("unit", values, 0).astype(np.int64)
    q_of = column("q", values, 0).astype(np.int64)
    start = column("period_start", values, np.datetime64("NaT")).astype("datetime64[us]")
    end = column("period_end", values, np.datetime64("NaT")).astype("datetime64[us]")
    # A slot is one indicator over one period (same q, same first and last day), packed
    # into one integer: q, then the first day (offset to stay positive), then the length.
    first_day = start.astype("datetime64[D]").astype(np.int64)
    length = end.astype("datetime64[D]").astype(np.int64) - first_day
    packed = (q_of << 40) | ((first_day + 2**19) << 20) | length
    _, first, slot = np.unique(packed, return_index=True, return_inverse=True)
    n_slots = len(first)
    expected = np.unique(
        column("unit", ever, 0).astype(np.int64) * len(found)
        + column("q", ever, 0).astype(np.int64)
    )
    return (
        tree,
        _Stored(
            key=unit * n_slots + slot,
            role=column("role", values, ""),
            value=column("value", values, np.nan).astype(float),
            rank=column("rank", values, 0).astype(np.int64),
            flags=column("flags", values, 0).astype(np.int64),
            shown=column("shown", values, False).astype(bool),
            display={
                name: column(name, values, np.nan if name == "target" else None)
                for name in ("qualifier", "value_status", "target", "note", "source_file")
            },
            slot_q=q_of[first],
            slot_start=start[first],
            slot_end=end[first],
        ),
        expected,
    )


# --- the combining, on integer keys -----------------------------------------------------------


@dataclass(frozen=True)
class _Quantities:
    """Combinable values by key (unit × n_slots + slot): ``v`` (the value, or a ratio's
    numerator), ``w`` (a ratio's denominator), the worst status rank, qualifier bits,
    the children combined (``n``, 0 for the unit's own) and whether rolled up."""

    key: np.ndarray
    v: np.ndarray
    w: np.ndarray
    rank: np.ndarray
    flags: np.ndarray
    n: np.ndarray
    rolled: np.ndarray

    def select(self, mask: np.ndarray) -> _Quantities:
        return _Quantities(*(getattr(self, f.name)[mask] for f in fields(self)))

    def extend(self, other: _Quantities) -> _Quantities:
        return _Quantities(*_concat(self, other))


@dataclass(frozen=True)
class _Missing:
    """Units left out of a rolled-up value: its key, the unit, whether it had a part."""

    key: np.ndarray
    unit: np.ndarray
    parts: np.ndarray

    def extend(self, other: _Missing) -> _Missing:
        return _Missing(*_concat(self, other))


def _concat(one: Any, other: Any) -> list[np.ndarray]:
    return [np.concatenate([getattr(one, f.name), getattr(other, f.name)]) for f in fields(one)]


def _found(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``wanted``: whether it is in ``keys`` (unique) and its position there
    (0 where it is not)."""
    if len(keys) == 0:
        return np.zeros(len(wanted), dtype=bool), np.zeros(len(wanted), dtype=np.int64)
    order = np.argsort(keys)
    at = order[np.minimum(np.searchsorted(keys[order], wanted), len(keys) - 1)]
    hit = keys[at] == wanted
    return hit, np.where(hit, at, 0)


def _own(stored: _Stored, ratio: np.ndarray) -> _Quantities:
    """Each unit's own combinable values: a summand, or a ratio's two parts stored for
    the same period (one part alone makes no value)."""
    v, w = stored.role == "v", stored.role == "w"
    key = stored.key[v]
    has_w, at = _found(stored.key[w], key)
    w_value = np.append(stored.value[w], np.nan)[np.where(has_w, at, -1)]
    w_rank = np.append(stored.rank[w], 0)[np.where(has_w, at, -1)]
    w_flags = np.append(stored.flags[w], 0)[np.where(has_w, at, -1)]
    is_ratio = ratio[stored.slot_q[key % stored.n_slots]]
    keep = ~is_ratio | has_w
    flags = np.where(is_ratio, np.where((stored.flags[v] | w_flags) > 0, OTHER, 0), stored.flags[v])
    size = int(keep.sum())
    return _Quantities(
        key=key[keep],
        v=stored.value[v][keep],
        w=w_value[keep],
        rank=np.maximum(stored.rank[v], w_rank)[keep],
        flags=flags[keep],
        n=np.zeros(size, dtype=np.int64),
        rolled=np.zeros(size, dtype=bool),
    )


def _sum_children(kids: _Quantities, parent_key: np.ndarray) -> _Quantities:
    keys, inverse = np.unique(parent_key, return_inverse=True)
    size = len(keys)
    rank = np.zeros(size, dtype=np.int64)
    np.maximum.at(rank, inverse, kids.rank)
    flags = np.zeros(size, dtype=np.int64)
    np.bitwise_or.at(flags, inverse, kids.flags)
    return _Quantities(
        key=keys,
        v=np.bincount(inverse, kids.v, size),
        w=np.bincount(inverse, kids.w, size),
        rank=rank,
        flags=flags,
        n=np.bincount(inverse, minlength=size),
        rolled=np.ones(size, dtype=bool),
    )


def _combine_up(
    tree: _Tree, stored: _Stored, ratio: np.ndarray, expected: np.ndarray
) -> tuple[_Quantities, _Missing]:
    """Every unit's combinable values, deepest level first, and what each roll-up left
    out. ``ratio``: per rule, whether it is a ratio; ``expected``: unit × n_q + q for
    the indicators each unit (or one below it) ever reported."""
    size, n_q = stored.n_slots, len(ratio)
    values = _own(stored, ratio)
    # Keys of units that stored something (a part, a rate) but have no value: only these
    # can make a child "lacking parts" (a unit with a value is never lacking).
    touched = np.setdiff1d(stored.key, values.key)
    empty = np.zeros(0, dtype=np.int64)
    missing = _Missing(empty, empty, np.zeros(0, dtype=bool))
    for level in range(int(tree.depth.max()), 0, -1):
        at = tree.at_level(values.key, size, level)
        if at.any():
            kids = values.select(at)
            new = _sum_children(kids, tree.up(kids.key, size))
            new = new.select(~np.isin(new.key, values.key))
            missing = missing.extend(_left_out(tree, new, values, stored, touched, expected, n_q))
            passed = tree.at_level(missing.key, size, level)
            up = tree.up(missing.key[passed], size)
            keep = np.isin(up, new.key)
            missing = missing.extend(
                _Missing(up[keep], missing.unit[passed][keep], missing.parts[passed][keep])
            )
            values = values.extend(new)
        touched = tree.lift(touched[~np.isin(touched, values.key)], size, level)
        expected = tree.lift(expected, n_q, level)
    return values, missing


def _left_out(
    tree: _Tree,
    new: _Quantities,
    values: _Quantities,
    stored: _Stored,
    touched: np.ndarray,
    expected: np.ndarray,
    n_q: int,
) -> _Missing:
    """The children each new roll-up lacks: existing at the period's end, having reported
    the indicator for some period, without a value for this one. ``parts`` where the
    child stored something for it (one part, or the rate alone)."""
    size = stored.n_slots
    owner, child = tree.children(new.key // size)
    slot = new.key[owner] % size
    child_key = child * size + slot
    lacking = (
        tree.exists_at(child, stored.slot_end[slot])
        & np.isin(child * n_q + stored.slot_q[slot], expected)
        & ~np.isin(child_key, values.key)
    )
    return _Missing(
        key=new.key[owner[lacking]],
        unit=child[lacking],
        parts=np.isin(child_key[lacking], touched),
    )


# --- the roll-up ----------------------------------------------------------------------------


def rollup(
    con: Connection,
    roots: Sequence[str],
    indicators: Sequence[str] | None = None,
    period_type: str = "year",
    year_from: int | None = None,
    year_to: int | None = None,
    *,
    depth: int = 0,
) -> pd.DataFrame:
    """Values of ``roots`` (and of their descendants down to ``depth`` levels below),
    own or rolled up through every level, for periods of ``period_type`` starting in
    ``year_from``..``year_to`` (inclusive; open when None).

    One row per unit × indicator × period with a value, by depth, unit, indicator and
    period. Columns: unit_code, depth, indicator_code, period_start, period_end, value,
    numerator_value and denominator_value (the parts behind a ratio, own or rolled up),
    qualifier, target, value_status (of a combined value: the worst of its parts), note,
    source_file, derivation (``reported``: stored for the unit; ``parts``: a ratio
    computed from the unit's own numerator and denominator; ``rollup``: combined from
    its units), is_rollup, n_units (children combined, for a roll-up), missing_parts and
    missing_units (sorted unit codes, see the module's docstring; empty unless rolled up).
    """
    found = rules(con, indicators)
    if not found or not roots:
        return _empty()
    read = _read(con, roots, found, period_type, (year_from, year_to), depth)
    if read is None:
        return _empty()
    tree, stored, expected = read
    ratio = np.array([rule.aggregation == "ratio" for rule in found.values()], dtype=bool)
    values, missing = _combine_up(tree, stored, ratio, expected)
    return _finish(tree, stored, values, missing, list(found.values()), depth)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in ROLLUP_COLUMNS})


def _finish(
    tree: _Tree,
    stored: _Stored,
    values: _Quantities,
    missing: _Missing,
    found: list[Rule],
    depth: int,
) -> pd.DataFrame:
    """The rows of the units shown: values as stored, else as combined; ordered by depth,
    unit, indicator and period (unit positions and slots are in that order already)."""
    size = stored.n_slots
    ratio = np.array([rule.aggregation == "ratio" for rule in found], dtype=bool)
    scale = np.array([rule.scale for rule in found], dtype=float)
    values = values.select(tree.depth[values.key // size] <= depth)
    own_key = stored.key[stored.shown]
    has_parts, at = _found(values.key, own_key)
    with_parts = has_parts & ratio[stored.slot_q[own_key % size]]
    computed = values.select(~np.isin(values.key, own_key))
    q = stored.slot_q[computed.key % size]
    denominator = np.where(computed.w == 0, np.nan, computed.w)
    value = np.where(ratio[q], scale[q] * computed.v / denominator, computed.v)
    computed, value = computed.select(~np.isnan(value)), value[~np.isnan(value)]
    q = stored.slot_q[computed.key % size]
    parts, units = _missing_lists(tree, missing, computed.key)
    n_own = len(own_key)
    key = np.concatenate([own_key, computed.key])
    unit, slot = key // size, key % size
    order = np.lexsort((key, tree.depth[unit]))
    rolled = np.concatenate([np.zeros(n_own, dtype=bool), computed.rolled])
    display = stored.display

    def column(own: Any, other: Any) -> np.ndarray:
        return _objects([*own, *other])

    frame = {
        "unit_code": tree.codes[unit],
        "depth": tree.depth[unit],
        "indicator_code": np.array([r.indicator_code for r in found], dtype=object)[
            stored.slot_q[slot]
        ],
        "period_start": stored.slot_start[slot],
        "period_end": stored.slot_end[slot],
        "value": np.concatenate([stored.value[stored.shown], value]),
        "numerator_value": np.concatenate(
            [
                np.where(with_parts, np.append(values.v, np.nan)[at], np.nan),
                np.where(ratio[q], computed.v, np.nan),
            ]
        ),
        "denominator_value": np.concatenate(
            [
                np.where(with_parts, np.append(values.w, np.nan)[at], np.nan),
                np.where(ratio[q], computed.w, np.nan),
            ]
        ),
        "qualifier": column(
            display["qualifier"][stored.shown], [_qualifier(int(f)) for f in computed.flags]
        ),
        "target": np.concatenate(
            [display["target"][stored.shown].astype(float), np.full(len(q), np.nan)]
        ),
        "value_status": column(
            display["value_status"][stored.shown], [STATUSES[int(r)] for r in computed.rank]
        ),
        "note": column(display["note"][stored.shown], [None] * len(q)),
        "source_file": column(display["source_file"][stored.shown], [None] * len(q)),
        "derivation": column(["reported"] * n_own, np.where(computed.rolled, "rollup", "parts")),
        "is_rollup": rolled,
        "n_units": pd.array(
            np.concatenate([np.zeros(n_own, dtype=np.int64), computed.n]), dtype="Int64"
        ),
        "missing_parts": column([[] for _ in range(n_own)], parts),
        "missing_units": column([[] for _ in range(n_own)], units),
    }
    result = pd.DataFrame({name: data[order] for name, data in frame.items()})
    result["n_units"] = result["n_units"].where(result["is_rollup"])
    return result


def _objects(items: Sequence[Any]) -> np.ndarray:
    """A 1-d object array of ``items`` (which may be lists themselves)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _qualifier(flags: int) -> str | None:
    if flags & OTHER or flags == LOWER | UPPER:
        return "approximate"
    return BOUNDS[0] if flags & LOWER else BOUNDS[1] if flags & UPPER else None


def _missing_lists(
    tree: _Tree, missing: _Missing, keys: np.ndarray
) -> tuple[list[list[str]], list[list[str]]]:
    """For each of ``keys``: the codes of the units it lacks parts of, and lacks."""
    parts: dict[int, set[str]] = {}
    units: dict[int, set[str]] = {}
    wanted = np.isin(missing.key, keys)
    for key, unit, has_part in zip(
        missing.key[wanted].tolist(),
        tree.codes[missing.unit[wanted]].tolist(),
        missing.parts[wanted].tolist(),
        strict=True,
    ):
        (parts if has_part else units).setdefault(key, set()).add(str(unit))
    return (
        [sorted(parts.get(k, ())) for k in keys.tolist()],
        [sorted(units.get(k, ())) for k in keys.tolist()],
    )


# --- across reorganisations -------------------------------------------------------------------


@dataclass(frozen=True)
class _Lineage:
    valid_from: dict[str, date | None]
    valid_to: dict[str, date | None]
    successor: dict[str, str]
    predecessors: dict[str, list[str]]


def _lineage(con: Connection) -> _Lineage:
    """Validity dates and the successor map of every unit that has either."""
    rows = con.execute(
        """
        SELECT unit_code, valid_from, valid_to, successor_code FROM unit
        WHERE valid_from IS NOT NULL OR valid_to IS NOT NULL OR successor_code IS NOT NULL
        """
    ).fetchall()
    predecessors: dict[str, list[str]] = {}
    for code, _, _, successor in rows:
        if successor:
            predecessors.setdefault(successor, []).append(code)
    return _Lineage(
        valid_from={r[0]: r[1] for r in rows},
        valid_to={r[0]: r[2] for r in rows},
        successor={r[0]: r[3] for r in rows if r[3]},
        predecessors={k: sorted(v) for k, v in predecessors.items()},
    )


def _behind(lineage: _Lineage, unit: str, end: date) -> tuple[str, ...]:
    """The units whose values stand for ``unit`` for a period ending on ``end``: those
    that existed on that day (as a report is due from the units existing when the period
    closes): the unit itself, or its predecessors (recursively) for a period that ended
    before it began, or its successor (the chain) for one that ended after it ended."""
    seen: set[str] = set()

    def back(code: str) -> list[str]:
        began = lineage.valid_from.get(code)
        preds = [p for p in lineage.predecessors.get(code, []) if p not in seen]
        if began is None or end >= began or not preds:
            return [code]
        seen.update(preds)
        return [c for p in preds for c in back(p)]

    code = unit
    while True:
        ended = lineage.valid_to.get(code)
        nxt = lineage.successor.get(code)
        if ended is None or end <= ended or nxt is None or nxt in seen:
            break
        seen.add(code)
        code = nxt
    if code != unit:
        return (code,)
    return tuple(sorted(set(back(unit))))


def lineage_units(con: Connection, unit: str) -> list[str]:
    """``unit``, its predecessors (recursively) and its successors (the chain)."""
    return _lineage_codes(_lineage(con), unit)


def _lineage_codes(lineage: _Lineage, unit: str) -> list[str]:
    found, todo = [unit], [unit]
    while todo:
        for pred in lineage.predecessors.get(todo.pop(), []):
            if pred not in found:
                found.append(pred)
                todo.append(pred)
    code = unit
    while (code := lineage.successor.get(code, "")) and code not in found:
        found.append(code)
    return found


def continued_series(
    con: Connection, unit: str, indicator: str, period_type: str = "year"
) -> pd.DataFrame:
    """``unit``'s series of ``indicator`` continued through the successor map.

    For a period the unit has a value for (own or rolled up), that value. For one that
    ended before the unit existed, its predecessors' values combined by the indicator's
    rule (sum, or Σ numerator / Σ denominator; predecessors lacking a value or a part
    are listed, never averaged over); for one that began after it ended, its
    successor's value (the successor's own chain onwards). A period straddling the
    change belongs to the units that existed at its end.

    Columns: those of :func:`rollup` (but depth), plus series_units (the codes behind
    the value), is_continuation (another unit than ``unit`` stands behind it) and
    break_before (true on the first value whose units differ from the previous value's:
    where a chart marks the reorganisation). Rows are in period order.
    """
    lineage = _lineage(con)
    codes = _lineage_codes(lineage, unit)
    values = rollup(con, codes, [indicator], period_type)
    rule = rules(con, [indicator]).get(indicator)
    if values.empty or rule is None:
        return _empty_continued()
    values = values[values["indicator_code"] == indicator]
    by_unit = {code: rows.set_index(PERIOD) for code, rows in values.groupby("unit_code")}
    own = by_unit.get(unit)
    records = []
    periods = values[PERIOD].drop_duplicates().sort_values(PERIOD)
    for start, end in periods.itertuples(index=False):
        if own is not None and (start, end) in own.index:
            behind: tuple[str, ...] = (unit,)
        else:
            behind = _behind(lineage, unit, _day(end))
        found = [by_unit[c].loc[(start, end)] for c in behind if _has(by_unit, c, start, end)]
        record = _merge_values(found, behind, rule) if found else None
        if record is not None:
            record.update(period_start=start, period_end=end, series_units=list(behind))
            records.append(record)
    return _with_breaks(pd.DataFrame.from_records(records), unit)


def _day(value: Any) -> date:
    return pd.Timestamp(value).date()


def _has(by_unit: dict[str, pd.DataFrame], code: str, start: Any, end: Any) -> bool:
    return code in by_unit and (start, end) in by_unit[code].index


def _merge_values(found: list[pd.Series], behind: tuple[str, ...], rule: Rule) -> dict | None:
    """One value out of the values of the units behind a period: as it is for a single
    unit, else combined by ``rule`` with the units lacking a value or a part named."""
    if len(behind) == 1:
        return found[0].drop(labels=["depth", "unit_code"], errors="ignore").to_dict()
    present = {str(row["unit_code"]) for row in found}
    lacking = [c for c in behind if c not in present]
    if rule.aggregation == "ratio":
        complete = [r for r in found if pd.notna(r["numerator_value"])]
        complete = [r for r in complete if pd.notna(r["denominator_value"])]
        parts_lacking = [str(r["unit_code"]) for r in found if pd.isna(r["numerator_value"])]
        parts_lacking += [str(r["unit_code"]) for r in found if pd.isna(r["denominator_value"])]
        num = sum(float(r["numerator_value"]) for r in complete)
        den = sum(float(r["denominator_value"]) for r in complete)
        value = rule.scale * num / den if complete and den else None
    elif rule.aggregation == "sum":
        complete, parts_lacking = found, []
        num = den = np.nan
        value = sum(float(r["value"]) for r in complete)
    else:
        return None
    if value is None:
        return None
    statuses = [str(r["value_status"]) for r in complete]
    qualifiers = {r["qualifier"] for r in complete if isinstance(r["qualifier"], str)}
    return {
        "indicator_code": rule.indicator_code,
        "value": value,
        "numerator_value": num if rule.aggregation == "ratio" else np.nan,
        "denominator_value": den if rule.aggregation == "ratio" else np.nan,
        "qualifier": _merged_qualifier(qualifiers, rule),
        "target": np.nan,
        "value_status": max(statuses, key=STATUSES.index),
        "note": None,
        "source_file": None,
        "derivation": "rollup",
        "is_rollup": True,
        "n_units": len(complete),
        "missing_parts": sorted(set(parts_lacking).union(*(r["missing_parts"] for r in complete))),
        "missing_units": sorted(set(lacking).union(*(r["missing_units"] for r in complete))),
    }


def _merged_qualifier(qualifiers: set[str], rule: Rule) -> str | None:
    if not qualifiers:
        return None
    if rule.aggregation == "sum" and len(qualifiers) == 1 and qualifiers <= set(BOUNDS):
        return next(iter(qualifiers))
    return "approximate"


CONTINUED_COLUMNS = (
    *[c for c in ROLLUP_COLUMNS if c not in ("unit_code", "depth")],
    "series_units", "is_continuation", "break_before",
)  # fmt: skip


def _empty_continued() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in CONTINUED_COLUMNS})


def _with_breaks(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    if frame.empty:
        return _empty_continued()
    keys = [tuple(units) for units in frame["series_units"]]
    frame["is_continuation"] = [key != (unit,) for key in keys]
    frame["break_before"] = [i > 0 and key != keys[i - 1] for i, key in enumerate(keys)]
    frame["n_units"] = frame["n_units"].astype("Int64")
    return frame.reindex(columns=list(CONTINUED_COLUMNS)).reset_index(drop=True)
