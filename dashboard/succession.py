"""Series across reorganisations, for the pages that show them.

:func:`dashboard.queries.continued_unit_series` carries one indicator of one unit across
the 2025 reorganisation. The overview needs every indicator's continued series at once
(a sparkline per tile): :func:`continued_series_all` reads them all with one roll-up of
the unit and the units of its lineage that the years asked can draw on, then continues
each indicator as :func:`dashboard.rollup.continued_series` does, with its own helpers
(``_behind``, ``_merge_values``), so the two cannot disagree (tests/test_tiles.py checks
they give the same series). :func:`lineage_indicators` lists what a unit's continued
series can show, and :func:`lineage_units` names the units behind a series.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd

from dashboard import queries, rollup

Connection = queries.Connection

SERIES_COLUMNS = (
    "indicator_code", "year", "period_start", "period_end", "value", "qualifier", "target",
    "value_status", "series_units", "is_continuation", "break_before",
)  # fmt: skip


def continued_series_all(
    con: Connection,
    unit: str,
    period_type: str = "year",
    year_to: int | None = None,
    indicators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The series of ``indicators`` (every one when None) of ``unit`` for periods starting
    up to ``year_to``, continued through the successor map, from one roll-up query.

    For each indicator the rows are those :func:`dashboard.queries.continued_unit_series`
    gives. Columns: ``SERIES_COLUMNS``; rows by indicator and period.
    """
    if indicators is not None and not indicators:
        return _empty()
    lineage = rollup._lineage(con)
    codes = _needed(lineage, unit, period_type, year_to)
    values = rollup.rollup(con, codes, indicators, period_type, None, year_to)
    if values.empty:
        return _empty()
    if codes == [unit]:  # no reorganisation behind this unit: its own series, no breaks
        own = values[values["unit_code"] == unit]
        frame = own.assign(
            series_units=[[unit]] * len(own), is_continuation=False, break_before=False
        )
        return _finish(frame)
    return _finish(_continued(values, unit, lineage, rollup.rules(con, indicators)))


def _needed(lineage: Any, unit: str, period_type: str, year_to: int | None) -> list[str]:
    """The units of ``unit``'s lineage its series up to ``year_to`` can draw on: its
    predecessors only if it began at some date, its successors only if it ended, and for
    year periods (which end on 31 December) before the end of ``year_to``. Reading fewer
    subtrees matters: the old city's successor holds every new ward."""
    codes = rollup._lineage_codes(lineage, unit)
    successors: set[str] = set()
    code = unit
    while (code := lineage.successor.get(code, "")) and code != unit and code not in successors:
        successors.add(code)
    predecessors = set(codes) - successors - {unit}
    ended = lineage.valid_to.get(unit)
    if lineage.valid_from.get(unit) is None:
        predecessors.clear()
    if ended is None or (
        period_type == "year" and year_to is not None and ended >= date(year_to, 12, 31)
    ):
        successors.clear()
    return [c for c in codes if c == unit or c in predecessors or c in successors]


def _continued(
    values: pd.DataFrame, unit: str, lineage: Any, found: dict[str, rollup.Rule]
) -> pd.DataFrame:
    """The continuation of :func:`dashboard.rollup.continued_series`, for every indicator of
    ``values`` (rows of :func:`dashboard.rollup.rollup` for the unit's lineage) at once:
    the unit's own value where it has one, else those of the units behind the period
    (:func:`dashboard.rollup._behind`) combined by :func:`dashboard.rollup._merge_values`.
    Plain dictionaries, not a frame per value: this runs for every tile of the overview."""
    stored = {
        (row["unit_code"], row["indicator_code"], row["period_start"], row["period_end"]): row
        for row in values.to_dict("records")
    }
    slots = sorted({(ind, start, end) for _, ind, start, end in stored})
    behind_at: dict[Any, tuple[str, ...]] = {}
    records = []
    for indicator, start, end in slots:
        rule = found.get(str(indicator))
        if rule is None:
            continue
        behind: tuple[str, ...] = (unit,)
        if (unit, indicator, start, end) not in stored:
            if end not in behind_at:
                behind_at[end] = rollup._behind(lineage, unit, rollup._day(end))
            behind = behind_at[end]
        present = [
            stored[(code, indicator, start, end)]
            for code in behind
            if (code, indicator, start, end) in stored
        ]
        if not present:
            continue
        merged: Any = present  # rows as dictionaries: _merge_values only indexes them
        record = (
            dict(present[0]) if len(behind) == 1 else rollup._merge_values(merged, behind, rule)
        )
        if record is not None:
            record.update(
                indicator_code=indicator, period_start=start, period_end=end, series_units=behind
            )
            records.append(record)
    if not records:
        return _empty()
    frame = pd.DataFrame.from_records(records)
    keys = list(frame["series_units"])
    previous = [None, *keys[:-1]]
    same_indicator = frame["indicator_code"].eq(frame["indicator_code"].shift())
    frame["series_units"] = [list(key) for key in keys]
    frame["is_continuation"] = [key != (unit,) for key in keys]
    frame["break_before"] = same_indicator & pd.Series(
        [key != before for key, before in zip(keys, previous, strict=True)], index=frame.index
    )
    return frame


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return _empty()
    years = pd.to_datetime(frame["period_start"]).dt.year.astype("int64")
    frame = frame.assign(
        year=years,
        is_continuation=frame["is_continuation"].astype(bool),
        break_before=frame["break_before"].astype(bool),
    )
    frame = frame.sort_values(["indicator_code", "period_start", "period_end"], kind="stable")
    return frame[list(SERIES_COLUMNS)].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in SERIES_COLUMNS})


def lineage_indicators(
    con: Connection, unit: str, lang: str = "vi", *, years_only: bool = True
) -> pd.DataFrame:
    """The indicators ``unit``'s continued series can show: those of the unit and of its
    predecessors and successors (:func:`dashboard.rollup.lineage_units`), with the
    columns of :func:`dashboard.queries.list_indicators` (n_observations summed)."""
    codes = rollup.lineage_units(con, unit)
    frames = [queries.list_indicators(con, lang, code, years_only=years_only) for code in codes]
    if len(frames) == 1:
        return frames[0]
    combined = pd.concat(frames, ignore_index=True)
    if combined.empty:
        return frames[0]
    keys = [c for c in combined.columns if c != "n_observations"]
    counts = combined.groupby("indicator_code", sort=False)["n_observations"].sum()
    first = combined.drop_duplicates("indicator_code").set_index("indicator_code")
    first["n_observations"] = counts
    return (
        first.reset_index()[[*keys, "n_observations"]]
        .sort_values(["group_rank", "group_code", "indicator_name"], kind="stable")
        .reset_index(drop=True)
    )


def lineage_units(con: Connection, codes: Iterable[str], lang: str = "vi") -> pd.DataFrame:
    """Name and dates of each unit in ``codes``: unit_code, unit_name, valid_from, valid_to
    (dates as :class:`datetime.date` or None), name_shared (another unit of the catalogue
    has the same name, as the old and the new Thành phố Cần Thơ)."""
    wanted = sorted({str(code) for code in codes})
    name = queries.unit_name_sql(lang)
    frame = con.execute(
        f"""
        SELECT u.unit_code, {name} AS unit_name, u.valid_from, u.valid_to,
               EXISTS (SELECT 1 FROM unit v
                       WHERE v.unit_code <> u.unit_code
                         AND {queries.unit_name_sql(lang, "v")} = {name}) AS name_shared
        FROM unit u WHERE list_contains(?, u.unit_code) ORDER BY u.unit_code
        """,
        [wanted],
    ).df()
    for column in ("valid_from", "valid_to"):
        frame[column] = [_date_or_none(value) for value in frame[column]]
    return frame


def _date_or_none(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def units_behind(series: pd.DataFrame) -> set[str]:
    """Every unit code in a continued series' ``series_units``."""
    if "series_units" not in series:
        return set()
    return {str(code) for units in series["series_units"] for code in as_codes(units)}


def as_codes(units: Any) -> list[str]:
    """A list of unit codes as stored in a frame (a list or an array; None or NaN: none)."""
    if units is None or (isinstance(units, float) and units != units):
        return []
    return [str(code) for code in units]
