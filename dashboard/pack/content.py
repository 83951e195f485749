"""What a meeting pack holds for one unit and one year, as plain data.

Everything comes from the dashboard's own queries and roll-ups, so the pack shows the
numbers the pages show:

- **overview**: :func:`dashboard.queries.overview_for_unit_year`: every indicator with a
  value for the unit in the year (its own, else rolled up from its units), the change
  from the year before, the target, the kind of figure and what a roll-up lacks;
- **key indicators**: the overview's indicators in the overview's order (groups in
  reading order, rates first), leaving out an indicator that is the numerator or the
  denominator of a rate also listed (the rate says what they say, per household or per
  đồng), at most :data:`MAX_KEY_INDICATORS`. They are the ones ranked and charted;
- **ranking**: :func:`dashboard.queries.compare_children` for each key indicator: the
  unit's children ranked best first (each its own value, else its roll-up);
- **series**: :func:`dashboard.queries.continued_unit_series` for each key indicator, the
  years up to the pack's year (the pack speaks as of its period), with the review
  campaigns and reorganisations to shade (:func:`dashboard.queries.campaigns`);
- **completeness**: :func:`dashboard.completeness.grid` of the unit's children for the
  year (empty for a unit without children);
- **sources**: for every figure shown, the batches of the stored values it is made of,
  and one row per batch (file, loaded when and by whom, how many of the values used are
  illustrative or preliminary).

Where a figure comes from is read, not recomputed: an own value is the unit's stored
value (a rate computed from the unit's own parts: its stored numerator and denominator);
a combined value is made of the stored values of the indicator (of a rate: of its
numerator and denominator) that are nearest to the unit on each branch below it, since a
roll-up takes a unit's own value where it has one and looks below it only where it has
none; units a roll-up left out for a missing part (``missing_parts``) are left out here
too. Nothing here imports Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from dashboard import completeness, queries, rollup
from dashboard.formatting import is_missing
from dashboard.i18n import normalize_lang, t
from dashboard.queries import Connection

MAX_KEY_INDICATORS = 8
SHADED_KINDS = ("review", "restructure")  # the campaign windows the charts shade
EXAMPLE_UNITS = 5  # units named in the message for an unknown unit
_FIGURES_VIEW = "pack_figure_requests"


class PackError(Exception):
    """A pack that cannot be made, with a message in both languages.

    ``usage`` is true when the request itself is wrong (an unknown unit, a year without
    figures): the command line exits 2 for those, 1 otherwise.
    """

    def __init__(self, key: str, *, usage: bool = False, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.usage = usage
        self.params = params

    def message(self, lang: str = "vi") -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("vi")


@dataclass(frozen=True, eq=False)
class PackContent:
    """The tables of one pack (see the module's docstring); values unformatted.

    Columns beyond the queries' own: ``sources`` (sorted batch ids behind the figure) on
    overview, ranking and series rows; on overview rows also ``previous_status`` and
    ``previous_sources`` (the year before, which the change is measured from) and
    ``is_key``; ranking and series rows carry ``indicator_name``, ``measure``, ``kind`` and
    ``direction`` of their indicator.
    """

    unit_code: str
    unit_name: str
    parent_name: str | None
    year: int
    lang: str
    prepared_on: date
    overview: pd.DataFrame
    key_indicators: pd.DataFrame
    ranking: pd.DataFrame
    series: pd.DataFrame
    campaigns: pd.DataFrame
    completeness: pd.DataFrame
    sources: pd.DataFrame
    unit_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def period(self) -> completeness.Period:
        return completeness.Period.year(self.year)

    @property
    def file_stem(self) -> str:
        return file_stem(self.unit_code, self.year)

    def status_counts(self) -> tuple[int, int]:
        """(illustrative, preliminary) figures among those the pack's tables show: the
        overview's values, the ranking's and the series'."""
        statuses = pd.concat(
            [
                self.overview["value_status"],
                self.ranking["value_status"],
                self.series["value_status"],
            ],
            ignore_index=True,
        )
        return int((statuses == "illustrative").sum()), int((statuses == "preliminary").sum())

    def ranking_for(self, indicator: str) -> pd.DataFrame:
        return self.ranking[self.ranking["indicator_code"] == indicator].reset_index(drop=True)

    def series_for(self, indicator: str) -> pd.DataFrame:
        return self.series[self.series["indicator_code"] == indicator].reset_index(drop=True)


def file_stem(unit: str, year: int) -> str:
    """``tai_lieu_hop_92_2012``: the pack's file name without suffix, safe anywhere."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "_", unit).strip("_") or "unit"
    return f"tai_lieu_hop_{code}_{year}"


# --- checking the request -------------------------------------------------------------------


def check_request(con: Connection, unit: str, year: int, lang: str = "vi") -> dict[str, Any]:
    """The unit's catalogue row, or a :class:`PackError` (``usage``) naming what to do: an
    unknown unit lists units with figures; a year without figures lists the years with."""
    info = queries.unit_info(con, unit, lang)
    if info is None:
        units = queries.list_units_with_data(con, lang)
        ranked = units.sort_values(["n_children", "n_observations"], ascending=False)
        examples = ", ".join(
            f"{code} ({name})"
            for code, name in zip(
                ranked["unit_code"].head(EXAMPLE_UNITS),
                ranked["unit_name"].head(EXAMPLE_UNITS),
                strict=True,
            )
        )
        raise PackError("pack_unknown_unit", usage=True, unit=unit, examples=examples or "—")
    years = queries.list_years(con, unit=unit)
    if not years:
        raise PackError("pack_no_data_at_all", usage=True, unit=info["unit_name"], code=unit)
    if year not in years:
        raise PackError(
            "pack_no_data_for_year",
            usage=True,
            unit=info["unit_name"],
            code=unit,
            year=year,
            years=_year_list(years),
        )
    return info


def _year_list(years: list[int]) -> str:
    """``2006–2016`` for consecutive years, else ``2012, 2014, 2016``."""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(year) for year in years)


# --- assembling -----------------------------------------------------------------------------


def build_content(
    con: Connection,
    unit: str,
    year: int,
    lang: str = "vi",
    *,
    prepared_on: date | None = None,
) -> PackContent:
    """Everything the pack of ``unit`` for ``year`` shows (raises :class:`PackError`)."""
    lang = normalize_lang(lang)
    info = check_request(con, unit, year, lang)
    overview = queries.overview_for_unit_year(con, unit, year, lang)
    keys = key_indicators(con, overview)
    overview = overview.assign(is_key=overview["indicator_code"].isin(keys["indicator_code"]))

    rankings = []
    serieses = []
    for row in keys.itertuples():
        described = {
            "indicator_code": row.indicator_code,
            "indicator_name": row.indicator_name,
            "measure": row.measure,
            "kind": row.kind,
            "direction": row.direction,
        }
        ranked = queries.compare_children(con, unit, str(row.indicator_code), year, lang)
        if not ranked.empty:
            rankings.append(ranked.assign(**described))
        series = queries.continued_unit_series(con, unit, str(row.indicator_code))
        series = series[series["year"] <= year]
        if not series.empty:
            serieses.append(series.assign(**described))
    ranking = _stack(rankings, RANKING_COLUMNS)
    series_frame = _stack(serieses, SERIES_COLUMNS)

    windows = queries.campaigns(con, lang, unit=unit, kinds=SHADED_KINDS)
    if not windows.empty:
        windows = windows[pd.to_datetime(windows["start_date"]).dt.year <= year]
    windows = windows.reset_index(drop=True)
    grid = completeness.grid(con, unit, completeness.Period.year(year), lang)

    figures = _Figures()
    around = queries.unit_series_all(con, unit, "year", year - 1, year)
    for row in around.itertuples():
        figures.add(("overview", row.indicator_code, int(row.year)), [unit], row)
    for index, row in enumerate(ranking.itertuples()):
        figures.add(("ranking", index), [str(row.unit_code)], row, row.indicator_code, year)
    for index, row in enumerate(series_frame.itertuples()):
        roots = [str(code) for code in unit_codes(row.series_units)] or [unit]
        figures.add(("series", index), roots, row, row.indicator_code, int(row.year))
    behind, used = figures.sources(con)

    previous = around[around["year"] == year - 1].set_index("indicator_code")["value_status"]
    overview = overview.assign(
        sources=[behind.get(("overview", code, year), ()) for code in overview["indicator_code"]],
        previous_status=[
            previous.get(code) if not is_missing(prev) else None
            for code, prev in zip(
                overview["indicator_code"], overview["previous_value"], strict=True
            )
        ],
        previous_sources=[
            behind.get(("overview", code, year - 1), ()) if not is_missing(prev) else ()
            for code, prev in zip(
                overview["indicator_code"], overview["previous_value"], strict=True
            )
        ],
    )
    ranking = ranking.assign(sources=[behind.get(("ranking", i), ()) for i in range(len(ranking))])
    series_frame = series_frame.assign(
        sources=[behind.get(("series", i), ()) for i in range(len(series_frame))]
    )
    cells = grid.loc[grid["batch_id"].notna()]
    used_cells = pd.DataFrame(
        {
            "unit_code": cells["unit_code"],
            "indicator_code": cells["indicator_code"],
            "year": year,
            "batch_id": cells["batch_id"].astype("int64"),
            "value_status": cells["status"],
        }
    )
    sources = batch_table(con, pd.concat([used, used_cells], ignore_index=True))

    return PackContent(
        unit_code=unit,
        unit_name=str(info["unit_name"]),
        parent_name=None if is_missing(info.get("parent_name")) else str(info["parent_name"]),
        year=year,
        lang=lang,
        prepared_on=prepared_on or date.today(),
        overview=overview,
        key_indicators=keys,
        ranking=ranking,
        series=series_frame,
        campaigns=windows,
        completeness=grid,
        sources=sources,
        unit_names=_names(con, lang, overview, ranking, series_frame),
    )


def key_indicators(con: Connection, overview: pd.DataFrame) -> pd.DataFrame:
    """The overview's indicators but the parts of a rate also listed, at most
    :data:`MAX_KEY_INDICATORS`, in the overview's order.

    Columns: indicator_code, indicator_name, measure, kind, direction, group_code.
    """
    codes = [str(code) for code in overview["indicator_code"]]
    parts = {
        part
        for rule in rollup.rules(con, codes).values()
        if rule.aggregation == "ratio"
        for part in (rule.numerator, rule.denominator)
        if part
    }
    keys = overview[~overview["indicator_code"].isin(parts)].head(MAX_KEY_INDICATORS)
    columns = ["indicator_code", "indicator_name", "measure", "kind", "direction", "group_code"]
    return keys[columns].reset_index(drop=True)


_DESCRIBED = ("indicator_code", "indicator_name", "measure", "kind", "direction")
RANKING_COLUMNS = (
    "rank", "unit_code", "unit_name", "value", "qualifier", "target", "value_status",
    "is_rollup", "n_units", *queries.ROLLUP_EXTRA, *_DESCRIBED,
)  # fmt: skip
SERIES_COLUMNS = (
    "year", "period_start", "period_end", "value", "qualifier", "target", "value_status",
    "note", "is_rollup", "n_units", *queries.ROLLUP_EXTRA, "series_units", "is_continuation",
    "break_before", *_DESCRIBED,
)  # fmt: skip


def _stack(frames: list[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    """The frames one under the other, or an empty frame with ``columns``."""
    if not frames:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})
    return pd.concat(frames, ignore_index=True)[list(columns)]


def unit_codes(value: Any) -> list[str]:
    """A list of unit codes out of a roll-up's list column (a list, an array or missing)."""
    if value is None or value is pd.NA or isinstance(value, (float, str)):
        return []
    return [str(code) for code in value]


def _names(con: Connection, lang: str, *frames: pd.DataFrame) -> dict[str, str]:
    """Names of the units the roll-up notes mention (codes → names), only when some do."""
    lists = [
        codes
        for frame in frames
        for column in ("missing_parts", "missing_units")
        for codes in frame[column]
    ]
    if not any(unit_codes(codes) for codes in lists):
        return {}
    units = queries.catalogue_units(con, lang)
    return dict(zip(units["unit_code"], units["unit_name"], strict=True))


# --- where each figure comes from -------------------------------------------------------------


class _Figures:
    """The figures whose sources are looked up, as request rows for one query: one row per
    figure and root unit (a continued series can stand on several predecessors)."""

    def __init__(self) -> None:
        self.keys: list[Any] = []
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        key: Any,
        roots: Iterable[str],
        row: Any,
        indicator: Any = None,
        year: int | None = None,
    ) -> None:
        fig = len(self.keys)
        self.keys.append(key)
        roots = list(roots)
        derivation = str(row.derivation) if len(roots) == 1 else "rollup"
        for root in roots:
            self.rows.append(
                {
                    "fig": fig,
                    "root": root,
                    "indicator_code": str(indicator if indicator is not None else key[1]),
                    "year": int(year if year is not None else key[2]),
                    "derivation": derivation,
                    "excluded": "|".join(unit_codes(getattr(row, "missing_parts", None))),
                }
            )

    def sources(self, con: Connection) -> tuple[dict[Any, tuple[int, ...]], pd.DataFrame]:
        """Batch ids behind each figure (by key), and the stored values used (unit_code,
        indicator_code, year, batch_id, value_status; one row per value)."""
        if not self.rows:
            return {}, pd.DataFrame(columns=_USED_COLUMNS)
        found = stored_behind(con, pd.DataFrame(self.rows))
        behind = {
            self.keys[int(fig)]: tuple(sorted({int(b) for b in part["batch_id"]}))
            for fig, part in found.groupby("fig", sort=False)
        }
        used = found.drop_duplicates(["unit_code", "indicator_code", "year", "batch_id"])
        return behind, used[_USED_COLUMNS].reset_index(drop=True)


_USED_COLUMNS = ["unit_code", "indicator_code", "year", "batch_id", "value_status"]


def stored_behind(con: Connection, requests: pd.DataFrame) -> pd.DataFrame:
    """The stored yearly values each requested figure is made of.

    ``requests``: fig, root (unit code), indicator_code, year, derivation (as the roll-up
    says: ``reported``, ``parts`` or ``rollup``), excluded (unit codes joined by ``|``: the
    roll-up's ``missing_parts``). An own value (``reported``) is the root's stored value
    of the indicator; otherwise a rate is made of its numerator and denominator, anything
    else of the indicator itself, each taken from the units nearest to the root on every
    branch (the root included) that store it for the year.

    Columns: fig, unit_code, indicator_code (stored), year, batch_id, value_status.
    """
    con.register(_FIGURES_VIEW, requests)
    try:
        return con.execute(
            f"""
            WITH RECURSIVE req AS (
                SELECT fig, root, indicator_code, year, derivation,
                       string_split(excluded, '|') AS excluded
                FROM {_FIGURES_VIEW}
            ),
            parts AS (
                SELECT r.fig, r.root, r.year, r.excluded, unnest(
                    CASE WHEN r.derivation <> 'reported' AND i.unit_aggregation = 'ratio'
                              AND i.numerator_code IS NOT NULL
                              AND i.denominator_code IS NOT NULL
                         THEN [i.numerator_code, i.denominator_code]
                         ELSE [r.indicator_code] END) AS stored_code
                FROM req r JOIN indicator i USING (indicator_code)
            ),
            tree(root, unit_code, ancestors, depth) AS (
                SELECT DISTINCT root, root, CAST([] AS VARCHAR[]), 0 FROM req
                UNION ALL
                SELECT t.root, u.unit_code, list_append(t.ancestors, t.unit_code), t.depth + 1
                FROM unit u JOIN tree t ON u.parent_code = t.unit_code
                WHERE t.depth < {rollup.MAX_DEPTH}
            ),
            found AS (
                SELECT p.fig, t.unit_code, t.ancestors, o.indicator_code, p.year,
                       o.batch_id, o.value_status
                FROM parts p
                JOIN tree t ON t.root = p.root
                JOIN v_observation o
                  ON o.unit_code = t.unit_code AND o.indicator_code = p.stored_code
                WHERE o.period_type = 'year' AND year(o.period_start) = p.year
                  AND o.value IS NOT NULL
                  AND NOT list_contains(p.excluded, t.unit_code)
                  AND NOT list_has_any(p.excluded, t.ancestors)
            ),
            shadowed AS (  -- values below a unit that stores the same thing itself
                SELECT DISTINCT f.fig, f.indicator_code, f.unit_code
                FROM (SELECT fig, indicator_code, unit_code, unnest(ancestors) AS ancestor
                      FROM found) f
                JOIN found a ON a.fig = f.fig AND a.indicator_code = f.indicator_code
                            AND a.unit_code = f.ancestor
            )
            SELECT f.fig, f.unit_code, f.indicator_code, f.year, f.batch_id, f.value_status
            FROM found f
            ANTI JOIN shadowed s USING (fig, indicator_code, unit_code)
            ORDER BY f.fig, f.unit_code, f.indicator_code
            """
        ).df()
    finally:
        con.unregister(_FIGURES_VIEW)


def batch_table(con: Connection, used: pd.DataFrame) -> pd.DataFrame:
    """One row per batch behind the pack's figures, oldest first: batch_id, file_name,
    loaded_at, loaded_by, source (sample, cli, upload), n_values (distinct stored values
    the pack uses), n_illustrative, n_preliminary."""
    columns = [
        "batch_id", "file_name", "loaded_at", "loaded_by", "source", "n_values",
        "n_illustrative", "n_preliminary",
    ]  # fmt: skip
    if used.empty:
        return pd.DataFrame(columns=columns)
    values = used.drop_duplicates(["unit_code", "indicator_code", "year", "batch_id"])
    counts = (
        values.assign(
            illustrative=values["value_status"] == "illustrative",
            preliminary=values["value_status"] == "preliminary",
        )
        .groupby("batch_id")
        .agg(
            n_values=("unit_code", "size"),
            n_illustrative=("illustrative", "sum"),
            n_preliminary=("preliminary", "sum"),
        )
        .reset_index()
    )
    batches = con.execute(
        """
        SELECT batch_id, file_name, loaded_at, loaded_by, source FROM batch
        WHERE list_contains(?, batch_id) ORDER BY batch_id
        """,
        [[int(b) for b in counts["batch_id"]]],
    ).df()
    frame = batches.merge(counts, on="batch_id")
    for column in ("batch_id", "n_values", "n_illustrative", "n_preliminary"):
        frame[column] = frame[column].astype("int64")
    return frame[columns]
