"""Plotly figures for the pages, readable on a projector.

Conventions: large fonts; numbers in hover text and labels formatted like the rest
of the page (``9,52 %``); a yearly value is drawn at the middle of its year;
illustrative values have hollow markers (and hatched bars), preliminary ones
diamonds, bounds and approximate values their own shapes (triangles, a cross), with a
legend entry saying so; campaign windows are shaded bands; where a series continues
through the successor map a dashed line marks the break (:mod:`dashboard.chart_marks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import chart_marks
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
    target: tuple[str, float] | None = None,
) -> go.Figure:
    """Horizontal bars, best at the top (``ranked`` ordered by ``rank``, as from
    :func:`dashboard.queries.compare_children` or :func:`dashboard.ranking.rank_children`).

    ``reference`` = (label, value) draws a dashed line, e.g. the parent's own value;
    ``target`` = (label, value) a solid green line, the target; rows' own ``target``
    values other than that are marked on their bars. ``highlight`` is a unit code drawn
    outlined and in bold. Each bar's category and ``customdata[0]`` is its unit code
    (what a click selects); its label is the unit's name, after its ``rank`` and followed
    by its ``movement_label`` (▲2, ▼1, =, mới; green up, red down) where the frame has
    those columns. The legend names illustrative and preliminary bars whenever any is
    shown (they are hatched).
    """
    ranked = ranked.dropna(subset=["value"])
    codes = [str(code) for code in ranked["unit_code"]]
    movement_colors = {1: "#2ca02c", -1: "#d62728", 0: "#6b7280"}
    new_color = "#1f77b4"

    def present(value: Any) -> bool:
        return value is not None and not pd.isna(value)

    def tick(row: Any) -> str:
        name = f"<b>{row.unit_name}</b>" if row.unit_code == highlight else str(row.unit_name)
        rank: Any = getattr(row, "rank", None)
        if present(rank):
            name = f"{int(rank)}. {name}"
        label = getattr(row, "movement_label", "")
        if not isinstance(label, str) or not label:
            return name
        move: Any = getattr(row, "movement", None)
        color = movement_colors[(int(move) > 0) - (int(move) < 0)] if present(move) else new_color
        return f"{name}  <span style='color:{color}'>{label}</span>"

    def rank_text(row: Any) -> str:
        rank: Any = getattr(row, "rank", None)
        if not present(rank):
            return ""
        label = getattr(row, "movement_label", "")
        after = f" ({label})" if isinstance(label, str) and label else ""
        return f"<br>{t('col_rank', lang)} {int(rank)}{after}"

    fig = go.Figure()
    for status, part in ranked.groupby("value_status", sort=False):
        outline = [3 if code == highlight else 0 for code in part["unit_code"]]
        fig.add_trace(
            go.Bar(
                x=part["value"],
                y=[str(code) for code in part["unit_code"]],
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
                    [
                        str(row.unit_code),
                        str(row.unit_name),
                        with_status(_label(row, lang, measure), row.value_status, lang),
                        rank_text(row),
                    ]
                    for row in part.itertuples()
                ],
                hovertemplate="<b>%{customdata[1]}</b>: %{customdata[2]}%{customdata[3]}"
                "<extra></extra>",
            )
        )
    line_value = float(target[1]) if target is not None and present(target[1]) else None
    own_targets = ranked.dropna(subset=["target"]) if "target" in ranked else ranked.iloc[:0]
    if line_value is not None:
        own_targets = own_targets[own_targets["target"].astype(float) != line_value]
    if not own_targets.empty:
        fig.add_trace(
            go.Scatter(
                x=own_targets["target"].astype(float),
                y=[str(code) for code in own_targets["unit_code"]],
                mode="markers",
                name=t("legend_target", lang),
                marker=dict(symbol="line-ns-open", size=34, color=TARGET_COLOR, line=dict(width=4)),
                customdata=[
                    [str(row.unit_code), str(row.unit_name)] for row in own_targets.itertuples()
                ],
                text=[format_value(v, lang, measure=measure) for v in own_targets["target"]],
                hovertemplate=f"<b>%{{customdata[1]}}</b>: {t('legend_target', lang)} %{{text}}"
                "<extra></extra>",
            )
        )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=codes,
        autorange="reversed",
        tickvals=codes,
        ticktext=[tick(row) for row in ranked.itertuples()],
    )
    _value_axis(fig, measure, axis="x")
    fig.update_xaxes(exponentformat="none", separatethousands=True)  # 10.000, not 10k
    ref_value = float(reference[1]) if reference is not None and present(reference[1]) else None
    lines = []  # (value, label, colour, dash, width): the parent's value, the target
    if reference is not None and ref_value is not None:
        lines.append((ref_value, reference[0], PARENT_COLOR, "dash", 2))
    if target is not None and line_value is not None:
        lines.append((line_value, target[0], TARGET_COLOR, "solid", 3))
    lines.sort(key=lambda line: line[0])
    for index, (value, label, color, dash, width) in enumerate(lines):
        fig.add_vline(x=value, line=dict(color=color, dash=dash, width=width))
        # Labels above the bars; with two lines, each on its line's outer side.
        anchor = "center" if len(lines) == 1 else ("right" if index == 0 else "left")
        fig.add_annotation(
            x=value,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            xanchor=anchor,
            showarrow=False,
            text=f"{label}: {format_value(value, lang, measure=measure)}",
            font=dict(color=color),
        )
    statuses = set(ranked["value_status"].fillna("reported").astype(str))
    fig.update_layout(
        showlegend=statuses != {"reported"} or not own_targets.empty,
        bargap=0.25,
        clickmode="event+select",
    )
    return _layout(fig, lang, title, height=max(320, 110 + 44 * len(codes)))


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
    unit is drawn strong and the others muted. Rows of a continued series
    (:func:`dashboard.queries.continued_unit_series`) with ``break_before`` get a dashed
    vertical line, labelled from ``break_label`` (:func:`dashboard.chart_marks.label_breaks`);
    ``source_label`` is added to the hover text of values that are other units' figures.
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
    chart_marks.add_qualifier_legend(fig, series, lang)
    if campaigns is not None and not series.empty:
        add_campaign_windows(
            fig, campaigns, series["period_start"].min(), series["period_end"].max()
        )
    chart_marks.add_breaks(fig, series, lang)
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
    qualifiers = rows["qualifier"] if "qualifier" in rows else [None] * len(rows)
    symbols = [
        chart_marks.marker_symbol(status, qualifier, SYMBOLS)
        for status, qualifier in zip(rows["value_status"], qualifiers, strict=True)
    ]
    labels = [
        with_status(_label(row, lang, measure), row.value_status, lang) for row in rows.itertuples()
    ]
    if "source_label" in rows:  # a continued series: whose figures these are
        labels = [
            f"{label}<br>{source}" if isinstance(source, str) and source else label
            for label, source in zip(labels, rows["source_label"], strict=True)
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
            symbol=symbols,
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
    """Shade each campaign window (``start_date``–``end_date``) and label it with its code
    (the band's shape is named ``campaign <code>``).

    Windows wholly outside ``first``–``last`` are left out, so they do not stretch the axis.
    """
    for row in _campaigns_in_range(campaigns, first, last).itertuples():
        fig.add_vrect(
            name=f"campaign {row.campaign_code}",
            x0=pd.Timestamp(row.start_date),
            x1=pd.Timestamp(row.end_date) + timedelta(days=1),
            fillcolor=CAMPAIGN_COLOR,
            opacity=0.18,
            line_width=0,
            layer="below",
            annotation_text=str(row.campaign_code),
            annotation_position="top left",
            annotation_font=dict(size=13, color="#7a5500"),
        )
    return fig


def _campaigns_in_range(campaigns: pd.DataFrame, first: Any, last: Any) -> pd.DataFrame:
    """The campaigns whose window touches ``first``–``last`` (open ends when None)."""
    lo = pd.Timestamp(first) if first is not None else None
    hi = pd.Timestamp(last) if last is not None else None
    keep = [
        not ((hi is not None and pd.Timestamp(start) > hi) or (lo is not None and end < lo))
        for start, end in zip(
            campaigns["start_date"],
            [pd.Timestamp(e) + timedelta(days=1) for e in campaigns["end_date"]],
            strict=True,
        )
    ]
    return campaigns.loc[pd.Series(keep, index=campaigns.index, dtype=bool)]


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
    campaign_code: str | None = None,
) -> go.Figure:
    """One unit's yearly series with campaign windows, targets and before/after means.

    ``series`` as from :func:`dashboard.queries.unit_series` or, with its breaks marked,
    :func:`dashboard.queries.continued_unit_series`. ``result`` draws the two means as
    horizontal segments over the years they average; ``campaign_window`` (start, end) is
    the chosen campaign, shaded more strongly and labelled ``campaign_code`` when
    ``campaigns`` does not shade and label it already.
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
        drawn = series.dropna(subset=["value"])
        shaded: set[str] = set()  # campaigns already shaded and labelled by lines_over_time
        if campaigns is not None and not drawn.empty:
            first, last = drawn["period_start"].min(), drawn["period_end"].max()
            shaded = set(_campaigns_in_range(campaigns, first, last)["campaign_code"])
        label = {}
        if campaign_code and campaign_code not in shaded:
            label = dict(
                annotation_text=str(campaign_code),
                annotation_position="top left",
                annotation_font=dict(size=13, color="#7a5500"),
            )
        fig.add_vrect(
            name="chosen campaign",
            x0=pd.Timestamp(campaign_window[0]),
            x1=pd.Timestamp(campaign_window[1]) + timedelta(days=1),
            fillcolor=CAMPAIGN_COLOR,
            opacity=0.22,
            line=dict(color=CAMPAIGN_COLOR, width=2),
            layer="below",
            **label,
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
