"""What an overview tile says besides its value: the trend and the target.

- :func:`sparklines`: each indicator's yearly series of the unit up to the chosen year,
  continued through the successor map, for every tile at once (one roll-up query,
  :func:`dashboard.succession.continued_series_all`).
- :func:`check_target`: met or not met, against the value's target or, for a ratio to
  plan (tax collected as % of the estimate, capital disbursed as % of the allocation),
  against 100 % of the plan. "Met" follows the indicator's direction (for a
  lower-is-better indicator, at or below the target is met) and the qualifier: "hơn 90 %"
  against a target of 100 % cannot be called either way, and is not. No target, no
  verdict, no colour. :func:`target_markdown` writes the verdict for the tile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from dashboard import succession
from dashboard.formatting import format_value, is_missing
from dashboard.i18n import register, t

register(
    {
        "tiles_target_met": ("✓ Đạt chỉ tiêu", "✓ Target met"),
        "tiles_target_not_met": ("✗ Chưa đạt chỉ tiêu", "✗ Target not met"),
        "tiles_target_unclear": ("? Chưa rõ đạt chỉ tiêu hay chưa", "? Target met or not: unclear"),
        "tiles_plan_met": ("✓ Đạt kế hoạch", "✓ Plan met"),
        "tiles_plan_not_met": ("✗ Chưa đạt kế hoạch", "✗ Plan not met"),
        "tiles_plan_unclear": ("? Chưa rõ đạt kế hoạch hay chưa", "? Plan met or not: unclear"),
        "tiles_target_at_least": ("chỉ tiêu: từ {value} trở lên", "target: {value} or more"),
        "tiles_target_at_most": ("chỉ tiêu: không quá {value}", "target: {value} or less"),
        "tiles_plan_reference": ("kế hoạch: {value}", "plan: {value}"),
        "tiles_spark_span": (
            "Đường nhỏ: {first}–{last}, {n} năm có số liệu",
            "Sparkline: {first}–{last}, {n} years with a figure",
        ),
        "tiles_spark_continued": (
            "Trước khi sắp xếp: số liệu của {names}",
            "Before the reorganisation: figures of {names}",
        ),
    }
)

PLAN = 100.0  # a ratio to plan is met at 100 % of the plan
Verdict = Literal["met", "not_met", "unclear"]
COLORS: dict[str, str] = {"met": "green", "not_met": "red", "unclear": "gray"}


@dataclass(frozen=True)
class TargetCheck:
    """A value against its target: ``reference`` is the target (or 100 for a ratio to
    plan without one, ``against == "plan"``); ``verdict`` is None for an indicator whose
    direction says nothing is better (the target is shown, not judged)."""

    reference: float
    against: Literal["target", "plan"]
    direction: str
    verdict: Verdict | None


def check_target(
    value: Any, target: Any, *, kind: Any, direction: Any, qualifier: Any = None
) -> TargetCheck | None:
    """``value`` against ``target``, or against 100 % for a ratio to plan; None when there
    is nothing to compare with (no target, not a ratio to plan, or no value)."""
    if is_missing(value):
        return None
    against: Literal["target", "plan"]
    if not is_missing(target):
        reference, against = float(target), "target"
    elif kind == "ratio_to_plan":
        reference, against = PLAN, "plan"
    else:
        return None
    direction = "" if is_missing(direction) else str(direction)
    if direction not in ("higher_better", "lower_better"):
        return TargetCheck(reference, against, direction, None)
    verdict = _verdict(float(value), reference, direction == "higher_better", qualifier)
    return TargetCheck(reference, against, direction, verdict)


def _verdict(value: float, reference: float, higher_better: bool, qualifier: Any) -> Verdict:
    """Met or not, where the figure allows telling. The true value is above ``value`` for a
    lower bound ("hơn"), below it for an upper bound ("dưới") or "gần" (nearly: just
    short of it); an approximate value ("khoảng") is taken as stated unless it sits
    on the target itself."""
    qualifier = None if is_missing(qualifier) else str(qualifier)
    if qualifier == "lower_bound":  # true value > value
        above = True if value >= reference else None
    elif qualifier in ("upper_bound", "nearly"):  # true value < value
        above = False if value <= reference else None
    elif qualifier == "approximate" and value == reference:
        above = None
    else:
        if value == reference:
            return "met"
        above = value > reference
    if above is None:
        return "unclear"
    return "met" if above == higher_better else "not_met"


def target_markdown(check: TargetCheck | None, lang: str, measure: str | None) -> str | None:
    """The verdict as Streamlit markdown: a coloured badge ("✓ Đạt chỉ tiêu") and the rule
    ("chỉ tiêu: từ 100 % trở lên"); None without a verdict (the caller shows the target
    plainly, uncoloured)."""
    if check is None or check.verdict is None:
        return None
    reference = format_value(check.reference, lang, measure=measure)
    if check.against == "plan":
        words = t(f"tiles_plan_{check.verdict}", lang)
        rule = t("tiles_plan_reference", lang, value=reference)
    else:
        words = t(f"tiles_target_{check.verdict}", lang)
        side = "at_least" if check.direction == "higher_better" else "at_most"
        rule = t(f"tiles_target_{side}", lang, value=reference)
    return f":{COLORS[check.verdict]}-badge[{_escape(words)}] {_escape(rule)}"


def _escape(text: str) -> str:
    """Text safe inside a Streamlit markdown directive (no brackets to close it early)."""
    return text.replace("[", "(").replace("]", ")")


# --- sparklines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sparkline:
    """One indicator's yearly values for a tile, oldest first; ``other_units``: codes of
    the units (predecessors) whose figures stand for the earlier years."""

    years: tuple[int, ...]
    values: tuple[float, ...]
    other_units: tuple[str, ...] = ()

    @property
    def drawable(self) -> bool:
        """A line needs two points."""
        return len(self.values) >= 2


def sparklines(
    con: Any, unit: str, year: int, indicators: Sequence[str] | None = None
) -> dict[str, Sparkline]:
    """Indicator code → the unit's yearly series up to ``year`` (continued through the
    successor map), for all ``indicators`` (the tiles'; every one when None) at once."""
    series = succession.continued_series_all(con, unit, "year", year, indicators)
    return sparklines_from(series, unit)


def sparklines_from(series: pd.DataFrame, unit: str) -> dict[str, Sparkline]:
    """:func:`sparklines` out of rows as from :func:`dashboard.succession.continued_series_all`."""
    found: dict[str, Sparkline] = {}
    series = series.dropna(subset=["value"])
    for indicator, rows in series.groupby("indicator_code", sort=False):
        rows = rows.sort_values("period_start")
        others = sorted(
            {
                str(code)
                for codes in rows["series_units"]
                for code in succession.as_codes(codes)
                if str(code) != unit
            }
        )
        found[str(indicator)] = Sparkline(
            years=tuple(int(y) for y in rows["year"]),
            values=tuple(float(v) for v in rows["value"]),
            other_units=tuple(others),
        )
    return found


def sparkline_help(spark: Sparkline | None, lang: str, unit_names: dict[str, str]) -> list[str]:
    """Lines for a tile's help: the years the sparkline spans and whose figures it holds."""
    if spark is None or not spark.drawable:
        return []
    lines = [
        t(
            "tiles_spark_span",
            lang,
            first=spark.years[0],
            last=spark.years[-1],
            n=len(spark.years),
        )
    ]
    if spark.other_units:
        names = ", ".join(unit_names.get(code, code) for code in spark.other_units)
        lines.append(t("tiles_spark_continued", lang, names=names))
    return lines
