"""Before/after a campaign: means on either side of its window, and how they changed.

A yearly value belongs to the window when its period overlaps the campaign's dates;
such years are left out of both means (the campaign year itself says little about
its effect). The before-period's linear trend, carried forward, tells whether the
after-mean differs from what was happening anyway; the spread of the before-years
around that trend is a rough yardstick for noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd


class MeansChange:
    """The change between a before-mean and an after-mean, for the results that hold both
    (:class:`BeforeAfter` here, :class:`dashboard.its.ITSResult`)."""

    mean_before: float | None
    mean_after: float | None

    @property
    def change(self) -> float | None:
        """After-mean minus before-mean (in the indicator's own measure)."""
        if self.mean_before is None or self.mean_after is None:
            return None
        return self.mean_after - self.mean_before

    @property
    def relative_change(self) -> float | None:
        """The change in percent of the before-mean; None when that is zero or missing."""
        change = self.change
        if change is None or not self.mean_before:
            return None
        return change / abs(self.mean_before) * 100


@dataclass(frozen=True)
class BeforeAfter(MeansChange):
    """Means before and after one campaign window for one yearly series."""

    years_before: tuple[int, ...]
    years_after: tuple[int, ...]
    years_excluded: tuple[int, ...]
    mean_before: float | None
    mean_after: float | None
    n_illustrative: int
    trend_after: float | None = None
    residual_sd: float | None = None

    @property
    def sufficient(self) -> bool:
        """Both sides hold at least one year."""
        return bool(self.years_before) and bool(self.years_after)

    @property
    def change_vs_trend(self) -> float | None:
        """After-mean minus what the before-trend predicts for the after-years."""
        if self.mean_after is None or self.trend_after is None:
            return None
        return self.mean_after - self.trend_after

    @property
    def beyond_noise(self) -> bool | None:
        """Whether the departure from trend exceeds twice the before-years' scatter.

        None when it cannot be told (fewer than three before-years, or no trend).
        """
        departure = self.change_vs_trend
        if departure is None or self.residual_sd is None:
            return None
        return abs(departure) > 2 * self.residual_sd


def _to_date(value: Any) -> date:
    return pd.Timestamp(value).date()


def before_after(
    series: pd.DataFrame,
    start: Any,
    end: Any,
    *,
    years_each_side: int | None = None,
) -> BeforeAfter:
    """Compare the yearly ``series`` before and after the window ``start``–``end``.

    ``series`` needs columns ``year``, ``period_start``, ``period_end``, ``value`` and
    optionally ``value_status``. Rows without a value are ignored. With
    ``years_each_side``, only that many years next to the window count on each side.
    """
    first, last = _to_date(start), _to_date(end)
    rows = series.dropna(subset=["value"]).sort_values("period_start")
    starts = rows["period_start"].map(_to_date)
    ends = rows["period_end"].map(_to_date)
    before = rows[ends < first]
    after = rows[starts > last]
    excluded = rows[(ends >= first) & (starts <= last)]
    if years_each_side is not None:
        before = before.tail(years_each_side)
        after = after.head(years_each_side)
    used = pd.concat([before, after])
    n_illustrative = (
        int((used["value_status"] == "illustrative").sum()) if "value_status" in used else 0
    )
    trend_after, residual_sd = _trend(before, after)
    return BeforeAfter(
        years_before=tuple(int(y) for y in before["year"]),
        years_after=tuple(int(y) for y in after["year"]),
        years_excluded=tuple(int(y) for y in excluded["year"]),
        mean_before=_mean(before["value"]),
        mean_after=_mean(after["value"]),
        n_illustrative=n_illustrative,
        trend_after=trend_after,
        residual_sd=residual_sd,
    )


def _mean(values: pd.Series) -> float | None:
    return float(values.mean()) if len(values) else None


def _trend(before: pd.DataFrame, after: pd.DataFrame) -> tuple[float | None, float | None]:
    """Mean of the before-years' straight-line fit over the after-years, and the fit's scatter."""
    if len(before) < 2 or not len(after):
        return None, None
    x = before["year"].to_numpy(dtype=float)
    y = before["value"].to_numpy(dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    predicted = slope * after["year"].to_numpy(dtype=float) + intercept
    residual_sd = None
    if len(before) >= 3:
        residuals = y - (slope * x + intercept)
        residual_sd = float(np.sqrt((residuals**2).sum() / (len(before) - 2)))
    return float(predicted.mean()), residual_sd


def default_campaign(series: pd.DataFrame, campaigns: pd.DataFrame) -> str | None:
    """The campaign with the most years of ``series`` on its thinner side (then the latest).

    ``campaigns`` as from :func:`dashboard.queries.campaigns`; None when there is none.
    """
    best: tuple[int, int] | None = None
    chosen = None
    for order, row in enumerate(campaigns.itertuples()):
        result = before_after(series, row.start_date, row.end_date)
        score = (min(len(result.years_before), len(result.years_after)), order)
        if best is None or score > best:
            best, chosen = score, str(row.campaign_code)
    return chosen
