"""View benchmark: what each page computes per rerun, on the sample and a larger warehouse.

    python -m bench.bench_views [--scale 100] [--repeat 5] [--dir DIR] [--steps] [--views ...]

Builds the sample warehouse (``python -m etl init``) and one ``--scale`` times larger
(:mod:`bench.make_warehouse`) in a temporary folder, or reuses them in ``--dir``. Each
view below is one page rerun as ``views/*.py`` does it on a first visit (the pages'
default unit, indicator, parent and year): open the warehouse, run the queries of
:mod:`dashboard.queries` (and what else the page computes: :mod:`dashboard.stats`,
:mod:`dashboard.completeness`, tables and the download files) with the page's
arguments, close. The compare page's Plotly figures are built (they are most of its work);
no chart is drawn and no widget shown.

Measured in the same run, best of ``--repeat``: each view on both warehouses and, for
overview, compare and before/after, the obvious alternative on the larger one: read
``v_observation`` whole into pandas once per rerun and filter and group there (checked
to give the same numbers). Prints milliseconds and the ratios the README reports;
``--steps`` adds the best time of every query.

A new page is one function ``(db_path, clock) -> None`` added to :data:`VIEWS`.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import io
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.make_warehouse import GENERATOR_VERSION, build
from dashboard import (
    before_after_view as bav,
)
from dashboard import (
    charts,
    compare_charts,
    explorer,
    its_charts,
    queries,
    ranking,
    rollup,
    stats,
    succession,
    tiles,
)
from dashboard.pack import content as pack_content
from etl.batches import list_batches
from etl.cli import main as etl_main
from etl.warehouse import SCHEMA_VERSION, SchemaError, open_for_reading

LANG = "vi"
SHADED_KINDS = ("review", "restructure")  # views/compare.py


@dataclass
class Clock:
    """Seconds spent in each named step of one page run."""

    steps: dict[str, float] = field(default_factory=dict)

    def __call__(self, label: str, run: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return run(*args, **kwargs)
        finally:
            self.steps[label] = self.steps.get(label, 0.0) + time.perf_counter() - start


View = Callable[[Path, Clock], object]


@contextlib.contextmanager
def page_connection(db: Path, clock: Clock, *, require_data: bool = True) -> Iterator[Any]:
    """What ``dashboard.ui.warehouse`` does around every page run."""
    con = clock("open + close", open_for_reading, db)
    try:
        if require_data:
            clock("has_observations", queries.has_observations, con)
        yield con
    finally:
        clock("open + close", con.close)


# --- the pages, as views/*.py call the queries ---------------------------------------------


def overview(db: Path, clock: Clock) -> pd.DataFrame:
    with page_connection(db, clock) as con:
        units = clock("list_units_with_data", queries.list_units_with_data, con, LANG)
        unit = queries.default_unit(units)
        years = clock("list_years", queries.list_years, con, unit=unit)
        year = years[-1]
        shown = clock(
            "overview_for_unit_year", queries.overview_for_unit_year, con, unit, year, LANG
        )
        codes = list(shown["indicator_code"])
        clock("tiles.sparklines", tiles.sparklines, con, unit, year, codes)
        clock("other_periods_for_unit", queries.other_periods_for_unit, con, unit, LANG, year=year)
    return shown


def overview_sparklines(db: Path, clock: Clock) -> None:
    """The overview's sparklines the obvious way, for comparison: one
    :func:`dashboard.queries.continued_unit_series` per tile instead of one query."""
    with page_connection(db, clock) as con:
        units = clock("list_units_with_data", queries.list_units_with_data, con, LANG)
        unit = queries.default_unit(units)
        year = clock("list_years", queries.list_years, con, unit=unit)[-1]
        shown = clock(
            "overview_for_unit_year", queries.overview_for_unit_year, con, unit, year, LANG
        )
        for indicator in shown["indicator_code"]:
            clock("series × tiles", queries.continued_unit_series, con, unit, indicator)


def compare(db: Path, clock: Clock, *, heat: bool = False) -> pd.DataFrame:
    """views/compare.py: the ranking with its movement, the parent's value and target,
    the breadcrumb, the bars and the default chart over time (lines); ``compare, heat``
    times the heat table instead, the costliest of the other two."""
    with page_connection(db, clock) as con:
        indicators = clock(
            "list_indicators",
            queries.list_indicators,
            con,
            LANG,
            years_only=True,
            children_only=True,
        )
        indicator = queries.default_indicator(indicators)
        parents = clock(
            "parents_with_children_data", queries.parents_with_children_data, con, indicator, LANG
        )
        parent = str(parents["unit_code"].iloc[0])
        values = clock("compare_values", ranking.compare_values, con, parent, indicator, LANG)
        year = ranking.ranking_years(values)[-1]
        clock("ancestors", ranking.ancestors, con, parent, LANG)
        info = clock("indicator_info", queries.indicator_info, con, indicator, LANG) or {}
        windows = clock("campaigns", queries.campaigns, con, LANG, unit=parent, kinds=SHADED_KINDS)
    direction = info.get("direction")
    result = clock("rank_children", ranking.rank_children, values, year, direction, LANG)
    ranked = result.table
    order = ranking.row_order(values, ranked)
    shown = ranking.units_to_show(list(ranked["unit_code"]), order[len(ranked) :], limit=24)
    own = ranking.parent_value(values, year)
    clock("ranked_bar", charts.ranked_bar, ranked[ranked["unit_code"].isin(shown)], LANG)
    ranking.target_line(own, ranked)
    over_time = values[values["unit_code"].isin(shown)]
    if heat:
        table = clock("heat_table", ranking.heat_table, over_time, shown, LANG)
        clock("heat_figure", compare_charts.heat_figure, table, LANG, direction=direction)
    else:
        clock("lines", charts.lines_over_time, over_time, LANG, campaigns=windows)
    return ranked


def compare_heat(db: Path, clock: Clock) -> pd.DataFrame:
    return compare(db, clock, heat=True)


def before_after(db: Path, clock: Clock) -> stats.BeforeAfter:
    """views/before_after.py on a first visit: the default unit's continued series, its
    means, the interrupted time series and its chart, and every child's estimate."""
    with page_connection(db, clock) as con:
        units = clock("list_units_with_data", queries.list_units_with_data, con, LANG)
        unit = queries.default_unit(units)
        indicators = clock(
            "lineage_indicators", succession.lineage_indicators, con, unit, LANG, years_only=False
        )
        indicator = queries.default_indicator(indicators)
        info = clock("indicator_info", queries.indicator_info, con, indicator, LANG) or {}
        lineage = clock("lineage_units", rollup.lineage_units, con, unit)
        period_type = clock("period_types", bav.period_types, con, lineage, indicator)[0]
        series = clock(
            "continued_unit_series",
            queries.continued_unit_series,
            con,
            unit,
            indicator,
            period_type,
        )
        across = clock(
            "children_frame", bav.children_frame, con, unit, indicator, period_type, LANG
        )
        compared = clock(
            "ancestors_below", bav.ancestors_below, con, unit, across["unit_code"].unique()
        )
        windows = clock("campaign_choices", bav.campaign_choices, con, unit, compared, LANG)
    campaign = clock("stats.default_campaign", stats.default_campaign, series, windows)
    chosen = windows.set_index("campaign_code").loc[campaign]
    start, end = chosen["start_date"], chosen["end_date"]
    means = clock("stats.before_after", stats.before_after, series, start, end)
    kind = info.get("kind")
    result = clock(
        "its.analyse",
        bav.analyse,
        series[["period_start", "period_end", "value", "value_status"]],
        start,
        end,
        period_type=period_type,
        periods=None,
        drop_window=True,
        family="auto",
        kind=kind,
    )
    clock("its_chart", its_charts.its_chart, result, LANG, window=(start, end))
    clock(
        "unit_estimates",
        bav.unit_estimates,
        across,
        start,
        end,
        family="auto",
        kind=kind,
        period_type=period_type,
        before=None,
        after=None,
        drop_window=True,
    )
    return means


def explore(db: Path, clock: Clock) -> None:
    """views/explore.py on a first visit: the default indicator and unit with its
    children, lines (at most 24 series drawn), the table of what is drawn."""
    with page_connection(db, clock) as con:
        indicators = clock("list_indicators", queries.list_indicators, con, LANG)
        units = clock("list_units_with_data", queries.list_units_with_data, con, LANG)
        first, last = clock("year_span", queries.year_span, con)
        chosen_indicators = [queries.default_indicator(indicators)]
        chosen_units = queries.unit_with_children(units, queries.default_unit(units))
        kinds = clock("period_types", explorer.period_types, con, chosen_indicators, chosen_units)
        tidy = clock(
            "fetch",
            explorer.fetch,
            con,
            chosen_indicators,
            chosen_units,
            kinds[0],
            first,
            last,
            LANG,
        )
        clock("base_periods", explorer.base_periods, tidy)
        windows = clock("campaigns", explorer.campaigns, con, chosen_units, LANG)
    frame = clock("transform", explorer.transform, tidy, LANG).frame
    drawn, _ = clock("first_series", explorer.first_series, frame, LANG)
    clock("shown_table", explorer.shown_table, drawn, "lines", "tidy", LANG)
    clock("figures", explorer.figures, drawn, "lines", LANG, campaigns=windows)
    # the CSV, XLSX and Parquet files are built when their button is clicked


def upload(db: Path, clock: Clock) -> None:
    with page_connection(db, clock, require_data=False) as con:
        clock("catalogue_indicators", queries.catalogue_indicators, con, LANG)
        clock("catalogue_units", queries.catalogue_units, con, LANG)
    clock("list_batches", list_batches, db)


def completeness(db: Path, clock: Clock) -> None:
    """views/completeness.py: the default parent's children for the last year, every group."""
    from dashboard import completeness as grid  # the page's own module, new with issue 4

    with page_connection(db, clock) as con:
        parents = clock("parent_units", grid.parent_units, con, LANG)
        parent = queries.default_unit(parents)
        clock("period_types", grid.period_types, con, parent, subtree=False)
        periods = clock("periods", grid.periods, con, parent, "year", subtree=False)
        period = grid.Period.year(periods[-1].start.year)
        clock("expected_indicators", grid.expected_indicators, con, parent, "year", LANG)
        cells = clock("grid", grid.grid, con, parent, period, LANG, subtree=False, group=None)
    clock("summarize", grid.summarize, cells)
    clock("unit_counts", grid.unit_counts, cells)
    clock("indicator_counts", grid.indicator_counts, cells)
    # the page builds its details, CSV and XLSX only when a download button is clicked


# --- the obvious alternative: all of v_observation into pandas, every rerun -----------------


def read_everything(db: Path, clock: Clock) -> tuple[pd.DataFrame, pd.DataFrame]:
    con = clock("open + close", open_for_reading, db)
    try:
        everything = clock("read v_observation", lambda: con.execute("FROM v_observation").df())
        indicators = clock("read indicator", lambda: con.execute("FROM indicator").df())
    finally:
        clock("open + close", con.close)
    everything["year"] = everything["period_start"].dt.year
    return everything, indicators.set_index("indicator_code")


def pandas_yearly(
    obs: pd.DataFrame,
    indicators: pd.DataFrame,
    unit: str,
    years: tuple[int, int],
    indicator: str | None = None,
) -> pd.DataFrame:
    """``unit``'s yearly values, own or rolled up from its children (sums; Σ numerator /
    Σ denominator for ratios): indicator_code, year, value, value_status, is_rollup."""
    rows = obs[(obs["period_type"] == "year") & obs["year"].between(*years)]
    own = rows[rows["unit_code"] == unit].assign(is_rollup=False)
    child = rows[(rows["parent_code"] == unit) & rows["value"].notna()]
    how = child["indicator_code"].map(indicators["unit_aggregation"])
    flags = {
        "is_illustrative": ("is_illustrative", "any"),
        "is_preliminary": ("is_preliminary", "any"),
    }
    parts = [
        child[how == "sum"]
        .groupby(["indicator_code", "year"], as_index=False)
        .agg(value=("value", "sum"), **flags)
    ]
    for code, info in indicators[indicators["unit_aggregation"] == "ratio"].iterrows():
        num = child[child["indicator_code"] == info["numerator_code"]]
        den = child[child["indicator_code"] == info["denominator_code"]]
        both = num.merge(den, on=["unit_code", "year"], suffixes=("", "_d"))
        both["is_illustrative"] |= both["is_illustrative_d"]
        both["is_preliminary"] |= both["is_preliminary_d"]
        sums = both.groupby("year", as_index=False).agg(
            value=("value", "sum"), denominator=("value_d", "sum"), **flags
        )
        scale = 100 if str(info["measure_vi"]).startswith("%") else 1
        sums["value"] = sums["value"] / sums["denominator"].replace(0, np.nan) * scale
        parts.append(sums.drop(columns="denominator").assign(indicator_code=code))
    rolled = pd.concat(parts, ignore_index=True).dropna(subset=["value"])
    rolled["value_status"] = np.where(
        rolled["is_illustrative"],
        "illustrative",
        np.where(rolled["is_preliminary"], "preliminary", "reported"),
    )
    rolled["is_rollup"] = True
    have = pd.MultiIndex.from_frame(own[["indicator_code", "year"]])
    rolled = rolled[~pd.MultiIndex.from_frame(rolled[["indicator_code", "year"]]).isin(have)]
    both = pd.concat([own, rolled], ignore_index=True)
    if indicator is not None:
        both = both[both["indicator_code"] == indicator]
    return both[["indicator_code", "year", "value", "value_status", "is_rollup"]]


def pandas_default_indicator(counts: pd.Series, indicators: pd.DataFrame) -> str:
    """The indicator with most values, ties broken in the pages' reading order."""
    groups = ast.literal_eval(queries.GROUP_ORDER)
    catalogue = indicators.loc[counts.index]
    order = pd.DataFrame(
        {
            "n": -counts,
            "rank": [groups.index(g) if g in groups else 99 for g in catalogue["group_code"]],
            "group": catalogue["group_code"],
            "name": catalogue["name_vi"],
        }
    )
    return str(order.sort_values(["n", "rank", "group", "name"]).index[0])


def pandas_default_unit(obs: pd.DataFrame) -> str:
    counts = obs.groupby("unit_code").agg(parent_code=("parent_code", "first"), n=("value", "size"))
    counts["n_children"] = counts.index.map(counts["parent_code"].value_counts()).fillna(0)
    return str(counts.sort_values(["n_children", "n"], ascending=False, kind="stable").index[0])


def pandas_overview(db: Path, clock: Clock) -> pd.DataFrame:
    obs, indicators = read_everything(db, clock)
    unit = pandas_default_unit(obs)
    mine = obs[(obs["unit_code"] == unit) | (obs["parent_code"] == unit)]
    year = int(mine.loc[mine["period_type"] == "year", "year"].max())
    yearly = pandas_yearly(obs, indicators, unit, (year - 1, year))
    current = yearly[yearly["year"] == year]
    previous = yearly[yearly["year"] == year - 1].set_index("indicator_code")["value"]
    tiles = current.assign(previous_value=current["indicator_code"].map(previous))
    points = tiles["indicator_code"].map(indicators["kind"]).isin(queries.POINT_CHANGE_KINDS)
    before = tiles["previous_value"].where(tiles["previous_value"] != 0)
    relative = (tiles["value"] - before) / before.abs() * 100
    tiles["change"] = np.where(points, tiles["value"] - tiles["previous_value"], relative)
    tiles["indicator_name"] = tiles["indicator_code"].map(indicators["name_vi"])
    _other_periods = obs[
        (obs["unit_code"] == unit)
        & (obs["period_type"] != "year")
        & (obs["period_start"].dt.year <= year)
        & (obs["period_end"].dt.year >= year)
    ].head(500)
    return tiles


def pandas_compare(db: Path, clock: Clock) -> pd.DataFrame:
    obs, indicators = read_everything(db, clock)
    yearly = obs[obs["period_type"] == "year"]
    children = yearly[yearly["parent_code"].notna()]
    indicator = pandas_default_indicator(children["indicator_code"].value_counts(), indicators)
    of_indicator = yearly[yearly["indicator_code"] == indicator]
    parents = of_indicator.groupby("parent_code")["unit_code"].nunique()
    parent = str(parents.sort_values(ascending=False, kind="stable").index[0])
    rows = of_indicator[of_indicator["parent_code"] == parent]
    year = int(rows["year"].max())
    ranked = rows[rows["year"] == year].copy()
    lower = indicators.loc[indicator, "direction"] == "lower_better"
    ranked["rank"] = (ranked["value"] if lower else -ranked["value"]).rank(method="min")
    ranked = ranked.sort_values(["rank", "unit_code"])
    own = pandas_yearly(obs, indicators, parent, (0, 9999), indicator)
    _parent_value = own[own["year"] == year]
    _lines = pd.concat(
        [own.assign(unit_code=parent), rows.sort_values(["unit_code", "period_start"])]
    )
    return ranked[["rank", "unit_code", "value"]]


@functools.lru_cache(maxsize=8)
def _page_indicator(db: Path, unit: str) -> str | None:
    """The before/after page's default indicator for ``unit`` (looked up once per
    warehouse, so the best of several runs leaves it out)."""
    with queries.reader(db) as con:
        indicators = succession.lineage_indicators(con, unit, LANG, years_only=False)
    return queries.default_indicator(indicators)


def pandas_before_after(db: Path, clock: Clock) -> stats.BeforeAfter:
    obs, indicators = read_everything(db, clock)
    unit = pandas_default_unit(obs)
    mine = obs[(obs["period_type"] == "year") & (obs["unit_code"] == unit)]
    children = obs[(obs["period_type"] == "year") & (obs["parent_code"] == unit)]
    rolled = children["indicator_code"].map(indicators["unit_aggregation"]) != "none"
    counts = pd.concat([mine, children[rolled]])["indicator_code"].value_counts()
    indicator = pandas_default_indicator(counts, indicators)
    # The page's default counts every period type and the predecessors' figures
    # (succession.lineage_indicators); take its choice so both compute the same series.
    indicator = _page_indicator(db, unit) or indicator
    yearly = pandas_yearly(obs, indicators, unit, (0, 9999), indicator).sort_values("year")
    series = yearly.assign(
        period_start=[date(int(y), 1, 1) for y in yearly["year"]],
        period_end=[date(int(y), 12, 31) for y in yearly["year"]],
    )
    with queries.reader(db) as con:  # the campaign table is small: SQL is fair here
        windows = queries.campaigns(con, LANG, unit=unit)
    chosen = windows.set_index("campaign_code").loc[stats.default_campaign(series, windows)]
    return stats.before_after(series, chosen["start_date"], chosen["end_date"])


def meeting_pack(db: Path, clock: Clock) -> None:
    """views/meeting_pack.py's figures, gathered as the PDF and the .xlsx need them, for
    the default unit's last year (drawing the PDF is timed in the README's pack section)."""
    with page_connection(db, clock) as con:
        units = clock("list_units_with_data", queries.list_units_with_data, con, LANG)
        unit = queries.default_unit(units)
        year = clock("list_years", queries.list_years, con, unit=unit)[-1]
        clock("pack content", pack_content.build_content, con, unit, int(year), LANG)


@dataclass(frozen=True)
class Entry:
    name: str
    ours: View
    alternative: View | None = None


VIEWS: tuple[Entry, ...] = (
    Entry("overview", overview, pandas_overview),
    Entry("overview + sparklines", overview_sparklines),
    Entry("compare", compare, pandas_compare),
    Entry("compare, heat", compare_heat),
    Entry("before/after", before_after, pandas_before_after),
    Entry("completeness", completeness),
    Entry("explore", explore),
    Entry("upload", upload),
    Entry("meeting pack (figures)", meeting_pack),
)


# --- running -------------------------------------------------------------------------------


def best_of(repeat: int, view: View, db: Path) -> tuple[float, dict[str, float]]:
    """Best total seconds over ``repeat`` runs, and each step's best seconds."""
    totals: list[float] = []
    steps: dict[str, float] = {}
    for _ in range(repeat):
        clock = Clock()
        start = time.perf_counter()
        view(db, clock)
        totals.append(time.perf_counter() - start)
        for label, seconds in clock.steps.items():
            steps[label] = min(seconds, steps.get(label, seconds))
    return min(totals), steps


def check_alternatives(db: Path) -> None:
    """The pandas versions answer what the pages show (else the comparison is unfair)."""
    ours, theirs = overview(db, Clock()), pandas_overview(db, Clock())
    joined = ours.merge(theirs, on="indicator_code", suffixes=("", "_pd"))
    assert len(joined) == len(ours) == len(theirs), (len(ours), len(theirs))
    assert np.allclose(joined["value"], joined["value_pd"], equal_nan=True)
    assert np.allclose(joined["change"], joined["change_pd"], equal_nan=True)
    ranked, ranked_pd = compare(db, Clock()), pandas_compare(db, Clock())
    assert list(ranked["unit_code"]) == list(ranked_pd["unit_code"])
    assert np.allclose(ranked["value"], ranked_pd["value"], equal_nan=True)
    ba, ba_pd = before_after(db, Clock()), pandas_before_after(db, Clock())
    assert (ba.years_before, ba.years_after) == (ba_pd.years_before, ba_pd.years_after)
    assert np.isclose(ba.mean_after or 0, ba_pd.mean_after or 0)


def warehouses(folder: Path, scale: float, seed: int) -> tuple[Path, Path]:
    """The sample warehouse and the ``scale`` × one in ``folder``, built unless usable."""
    sample = folder / f"sample-s{SCHEMA_VERSION}.duckdb"
    large = folder / f"x{scale:g}-seed{seed}-v{GENERATOR_VERSION}-s{SCHEMA_VERSION}.duckdb"
    if not _usable(sample) or not _usable(large):
        sample.unlink(missing_ok=True)
        with contextlib.redirect_stderr(io.StringIO()):
            assert etl_main(["init", "--db", str(sample)]) == 0, "python -m etl init failed"
        build(large, scale, seed=seed, sample=sample)
    return sample, large


def _usable(path: Path) -> bool:
    try:
        open_for_reading(path).close()
    except SchemaError:
        return False
    return True


def rows_in(db: Path) -> int:
    with queries.reader(db) as con:
        return int(con.execute("SELECT count(*) FROM v_observation").fetchall()[0][0])


def run(
    sample: Path, large: Path, repeat: int, entries: Sequence[Entry] = VIEWS
) -> list[dict[str, Any]]:
    """One result per view: best ms on both warehouses, the alternative's, and steps."""
    results = []
    for entry in entries:
        small_s, small_steps = best_of(repeat, entry.ours, sample)
        large_s, large_steps = best_of(repeat, entry.ours, large)
        alt_s, alt_steps = (
            best_of(repeat, entry.alternative, large) if entry.alternative else (None, {})
        )
        results.append(
            {
                "view": entry.name,
                "sample_ms": small_s * 1000,
                "large_ms": large_s * 1000,
                "alternative_ms": None if alt_s is None else alt_s * 1000,
                "steps": {"sample": small_steps, "large": large_steps, "alternative": alt_steps},
            }
        )
    return results


def table(results: Sequence[dict[str, Any]], scale: float) -> str:
    head = f"{'view':<24}{'sample ms':>11}{f'{scale:g}× ms':>11}{'pandas ms':>11}{'ratio':>9}"
    lines = [head, "-" * len(head)]
    for r in results:
        alt = r["alternative_ms"]
        alt_text = "—" if alt is None else f"{alt:.1f}"
        ratio = "—" if alt is None else f"{alt / r['large_ms']:.1f}×"
        lines.append(
            f"{r['view']:<24}{r['sample_ms']:>11.1f}{r['large_ms']:>11.1f}{alt_text:>11}{ratio:>9}"
        )
    return "\n".join(lines)


def steps_table(results: Sequence[dict[str, Any]], scale: float) -> str:
    lines = []
    for r in results:
        lines.append(f"{r['view']}  (best ms per step: sample / {scale:g}×)")
        small, large = r["steps"]["sample"], r["steps"]["large"]
        for label in large:
            lines.append(
                f"    {label:<28}{small.get(label, 0) * 1000:>9.1f}{large[label] * 1000:>9.1f}"
            )
        for label, seconds in r["steps"]["alternative"].items():
            lines.append(f"    pandas: {label:<20}{'':>9}{seconds * 1000:>9.1f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, help="keep and reuse the warehouses here")
    parser.add_argument("--steps", action="store_true", help="also print every query's time")
    parser.add_argument(
        "--views", help=f"comma-separated subset of: {', '.join(e.name for e in VIEWS)}"
    )
    args = parser.parse_args(argv)
    entries = VIEWS
    if args.views:
        wanted = {name.strip() for name in args.views.split(",")}
        entries = tuple(e for e in VIEWS if e.name in wanted)
        if not entries:
            parser.error(f"no such view: {args.views}")
    with contextlib.ExitStack() as stack:
        folder = args.dir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        folder.mkdir(parents=True, exist_ok=True)
        sample, large = warehouses(folder, args.scale, args.seed)
        check_alternatives(large)
        results = run(sample, large, args.repeat, entries)
        n_sample, n_large = rows_in(sample), rows_in(large)
    print(
        f"{date.today():%Y-%m-%d}, best of {args.repeat}; current values: sample {n_sample:,}, "
        f"{args.scale:g}× {n_large:,}; pandas = all of v_observation read per rerun "
        f"({args.scale:g}×)"
    )
    print(table(results, args.scale))
    if args.steps:
        print()
        print(steps_table(results, args.scale))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
