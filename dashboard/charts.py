"""Plotly figures for the pages, readable on a projector.

Conventions: large fonts; numbers in hover text and labels formatted like the rest
of the page (``9,52 %``); a yearly value is drawn at the middle of its year;
illustrative values have hollow markers (and hatched bars), preliminary ones
diamonds, with a legend entry saying so; campaign windows are shaded bands.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import (
    format_period,
    format_value,
    is_percent,
    with_status,
)
from dashboard.i18n import normalize_lang, t
from dashboard.stats import BeforeAfter

FONT = dict(family="Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif", size=16)
PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939",
)  # fmt: skip
PARENT_COLOR = "#222222"
HIGHLIGHT_COLOR = "#d62728"
MUTED_COLOR = "#b0b7c3"
CAMPAIGN_COLOR = "#f2a900"
TARGET_COLOR = "#2ca02c"
MEAN_COLOR = "#c0392b"
SYMBOLS = {"reported": "circle", "illustrative": "circle-open", "preliminary": "diamond"}
BAR_PATTERNS = {"reported": "", "illustrative": "/", "preliminary": "."}


def _layout(fig: go.Figure, lang: str, title: str | None, *, height: int = 480) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        title=dict(text=title, font=dict(size=21)) if title else None,
        font=FONT,
        height=height,
        margin=dict(l=10, r=30, t=70 if title else 30, b=40),
        separators=",." if normalize_lang(lang) == "vi" else ".,",
        hoverlabel=dict(font_size=15),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
    )
    return fig


def _value_axis(fig: go.Figure, measure: str | None, *, axis: str = "y") -> None:
    settings: dict[str, Any] = dict(rangemode="tozero", gridcolor="#e5e8ee", zeroline=True)
    if is_percent(measure):
        settings["ticksuffix"] = " %"
    if axis == "y":
        fig.update_yaxes(**settings)
    else:
        fig.update_xaxes(**settings)


def _label(row: Any, lang: str, measure: str | None) -> str:
    return format_value(row.value, lang, measure=measure, qualifier=row.qualifier)


def _midpoint(start: Any, end: Any) -> pd.Timestamp:
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    return first + (last - first) / 2


# --- ranked bars --------------------------------------------------------------------------


def ranked_bar(
    ranked: pd.DataFrame,
    lang: str = "vi",
    *,
    measure: str | None = None,
    title: str | None = None,
    reference: tuple[str, float] | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """Horizontal bars, best at the top (``ranked`` ordered by ``rank``, as from
    :func:`dashboard.queries.compare_children`).

    ``reference`` = (label, value) draws a dashed line, e.g. the parent's own value;
    ``highlight`` is a unit code drawn in a stronger colour.
    """
    ranked = ranked.dropna(subset=["value"])
    order = list(ranked["unit_name"])
    fig = go.Figure()
    for status, part in ranked.groupby("value_status", sort=False):
        outline = [3 if code == highlight else 0 for code in part["unit_code"]]
        fig.add_trace(
            go.Bar(
                x=part["value"],
                y=part["unit_name"],
                orientation="h",
                name=_status_legend(str(status), lang),
                text=[_label(row, lang, measure) for row in part.itertuples()],
                textposition="outside",
                cliponaxis=False,
                marker=dict(
                    color=PALETTE[0],
                    line=dict(color=HIGHLIGHT_COLOR, width=outline),
                    pattern=dict(shape=BAR_PATTERNS.get(str(status), ""), fillmode="overlay"),
                ),
                customdata=[
                    with_status(_label(row, lang, measure), row.value_status, lang)
                    for row in part.itertuples()
                ],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=order,
        autorange="reversed",
        tickvals=order,
        ticktext=[
            f"<b>{name}</b>" if code == highlight else name
            for code, name in zip(ranked["unit_code"], order, strict=True)
        ],
    )
    _value_axis(fig, measure, axis="x")
    if reference is not None and pd.notna(reference[1]):
        ref_label, ref_value = reference
        fig.add_vline(
            x=float(ref_value),
            line=dict(color=PARENT_COLOR, dash="dash", width=2),
            annotation_text=f"{ref_label}: {format_value(ref_value, lang, measure=measure)}",
            annotation_position="top",
        )
    fig.update_layout(showlegend=ranked["value_status"].nunique() > 1, bargap=0.25)
    return _layout(fig, lang, title, height=max(320, 110 + 44 * len(order)))


# --- lines over time ----------------------------------------------------------------------


def lines_over_time(
    series: pd.DataFrame,
    lang: str = "vi",
    *,
    measure: str | None = None,
    title: str | None = None,
    campaigns: pd.DataFrame | None = None,
    highlight: str | None = None,
) -> go.Figure:
    """One line per unit over years (rows as from :func:`dashboard.queries.children_series`
    or :func:`dashboard.queries.unit_series` with ``unit_code``/``unit_name`` added).

    A row with ``is_parent`` true is drawn dark and dashed. With ``highlight``, that
    unit is drawn strong and the others muted.
    """
    fig = go.Figure()
    series = series.dropna(subset=["value"])
    units = series.drop_duplicates("unit_code")
    if highlight not in set(units["unit_code"]):
        highlight = None
    for index, unit in enumerate(units.itertuples()):
        rows = series[series["unit_code"] == unit.unit_code]
        is_parent = bool(getattr(unit, "is_parent", False))
        color = PALETTE[index % len(PALETTE)]
        width = 2.5
        if is_parent:
            color, width = PARENT_COLOR, 3.5
        elif highlight is not None:
            strong = unit.unit_code == highlight
            color, width = (HIGHLIGHT_COLOR, 4.0) if strong else (MUTED_COLOR, 2.0)
        fig.add_trace(_line_trace(rows, str(unit.unit_name), lang, measure, color, width))
        if is_parent:
            fig.data[-1].line.dash = "dash"
    _add_status_legend(fig, series, lang)
    if campaigns is not None and not series.empty:
        add_campaign_windows(
            fig, campaigns, series["period_start"].min(), series["period_end"].max()
        )
    _year_axis(fig, series)
    _value_axis(fig, measure)
    return _layout(fig, lang, title)


def _year_axis(fig: go.Figure, series: pd.DataFrame) -> None:
    """One tick per year, at mid-year where the yearly points are drawn."""
    first = int(pd.Timestamp(series["period_start"].min()).year) if not series.empty else 2000
    fig.update_xaxes(dtick="M12", tick0=f"{first}-07-02", tickformat="%Y", gridcolor="#eef0f4")


def _line_trace(
    rows: pd.DataFrame, name: str, lang: str, measure: str | None, color: str, width: float
) -> go.Scatter:
    statuses = rows["value_status"].fillna("reported").astype(str)
    labels = [
        with_status(_label(row, lang, measure), row.value_status, lang) for row in rows.itertuples()
    ]
    periods = [
        format_period(row.period_start, row.period_end, "year", lang) for row in rows.itertuples()
    ]
    return go.Scatter(
        x=[_midpoint(s, e) for s, e in zip(rows["period_start"], rows["period_end"], strict=True)],
        y=rows["value"],
        name=name,
        mode="lines+markers",
        line=dict(color=color, width=width),
        marker=dict(
            size=11,
            color=color,
            symbol=[SYMBOLS.get(status, "circle") for status in statuses],
            line=dict(width=2, color=color),
        ),
        customdata=list(zip(periods, labels, strict=True)),
        hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]}: %{customdata[1]}"
        "<extra></extra>",
    )


def _status_legend(status: str, lang: str) -> str:
    return t(f"legend_{status}", lang) if status in SYMBOLS else status


def _add_status_legend(fig: go.Figure, series: pd.DataFrame, lang: str) -> None:
    """Legend-only entries explaining the marker shapes, when more than one kind is shown."""
    present = [s for s in SYMBOLS if (series["value_status"] == s).any()]
    if present == ["reported"] or not present:
        return
    for status in present:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=_status_legend(status, lang),
                marker=dict(size=11, color="#555", symbol=SYMBOLS[status], line=dict(width=2)),
                hoverinfo="skip",
                legendgroup="status",
                legendrank=2000,
            )
        )


def add_campaign_windows(
    fig: go.Figure, campaigns: pd.DataFrame, first: Any = None, last: Any = None
) -> go.Figure:
    """Shade each campaign window (``start_date``–``end_date``) and label it with its code.

    Windows wholly outside ``first``–``last`` are left out, so they do not stretch the axis.
    """
    lo = pd.Timestamp(first) if first is not None else None
    hi = pd.Timestamp(last) if last is not None else None
    for row in campaigns.itertuples():
        start = pd.Timestamp(row.start_date)
        end = pd.Timestamp(row.end_date) + timedelta(days=1)
        if (hi is not None and start > hi) or (lo is not None and end < lo):
            continue
        fig.add_vrect(
            x0=start,
            x1=end,
            fillcolor=CAMPAIGN_COLOR,
            opacity=0.18,
            line_width=0,
            layer="below",
            annotation_text=str(row.campaign_code),
            annotation_position="top left",
            annotation_font=dict(size=13, color="#7a5500"),
        )
    return fig


def unit_series_chart(
    series: pd.DataFrame,
    lang: str = "vi",
    *,
    unit_name: str,
    measure: str | None = None,
    title: str | None = None,
    campaigns: pd.DataFrame | None = None,
    result: BeforeAfter | None = None,
    campaign_window: tuple[Any, Any] | None = None,
) -> go.Figure:
    """One unit's yearly series with campaign windows, targets and before/after means.

    ``series`` as from :func:`dashboard.queries.unit_series`. ``result`` draws the two
    means as horizontal segments over the years they average; ``campaign_window``
    (start, end) is the chosen campaign, shaded more strongly.
    """
    frame = series.assign(unit_code="unit", unit_name=unit_name)
    fig = lines_over_time(frame, lang, measure=measure, title=title, campaigns=campaigns)
    targets = series.dropna(subset=["target"])
    if not targets.empty:
        fig.add_trace(
            go.Scatter(
                x=[
                    _midpoint(s, e)
                    for s, e in zip(targets["period_start"], targets["period_end"], strict=True)
                ],
                y=targets["target"],
                name=t("legend_target", lang),
                mode="markers",
                marker=dict(symbol="line-ew-open", size=26, color=TARGET_COLOR, line=dict(width=3)),
                hovertemplate="%{y}<extra></extra>",
            )
        )
    if campaign_window is not None:
        fig.add_vrect(
            x0=pd.Timestamp(campaign_window[0]),
            x1=pd.Timestamp(campaign_window[1]) + timedelta(days=1),
            fillcolor=CAMPAIGN_COLOR,
            opacity=0.22,
            line=dict(color=CAMPAIGN_COLOR, width=2),
            layer="below",
        )
    if result is not None:
        _add_mean_segment(
            fig, result.years_before, result.mean_before, t("mean_before", lang), lang, measure
        )
        _add_mean_segment(
            fig, result.years_after, result.mean_after, t("mean_after", lang), lang, measure
        )
    return fig


def _add_mean_segment(
    fig: go.Figure,
    years: Sequence[int],
    mean: float | None,
    label: str,
    lang: str,
    measure: str | None,
) -> None:
    if not years or mean is None:
        return
    text = f"{label}: {format_value(mean, lang, measure=measure)}"
    fig.add_trace(
        go.Scatter(
            x=[pd.Timestamp(min(years), 1, 1), pd.Timestamp(max(years), 12, 31)],
            y=[mean, mean],
            mode="lines",
            name=text,
            line=dict(color=MEAN_COLOR, width=3, dash="dot"),
            hovertemplate=f"{text}<extra></extra>",
        )
    )
