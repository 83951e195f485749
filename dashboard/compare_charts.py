"""Plotly figures of the compare page beyond the ranked bars: small multiples (one small
line chart per unit, one shared value axis) and a heat table units × years.

Both follow :mod:`dashboard.charts`' conventions: large type, numbers the page's way,
a yearly value at the middle of its year, illustrative values hollow (○), preliminary
ones diamonds (◆) and bounds triangles (:mod:`dashboard.chart_marks`), campaign windows
shaded (or outlined, over the heat table's coloured cells) and named.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import chart_marks
from dashboard.charts import (
    CAMPAIGN_COLOR,
    FONT,
    HIGHLIGHT_COLOR,
    MUTED_COLOR,
    PALETTE,
    SYMBOLS,
)
from dashboard.formatting import format_period, format_value, is_percent, with_status
from dashboard.i18n import normalize_lang, t
from dashboard.ranking import HeatTable

CAMPAIGN_TEXT_COLOR = "#7a5500"
# Heat-table colours, light enough for dark numbers on them to stay readable on a projector.
GOOD, MIDDLE, BAD = "#6cc070", "#fbeaa5", "#ee8379"
NEUTRAL_LOW, NEUTRAL_HIGH = "#eef3fa", "#7fa9d9"
PANEL_HEIGHT = 200  # px per row of small multiples
TITLE_CHARS = 34  # a panel's title longer than this is cut (the hover has the whole name)


def _layout(fig: go.Figure, lang: str, title: str | None, *, height: int) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        title=dict(text=title, font=dict(size=21)) if title else None,
        font=FONT,
        height=height,
        separators=",." if normalize_lang(lang) == "vi" else ".,",
        hoverlabel=dict(font_size=15),
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left"),
    )
    return fig


def _midpoints(rows: pd.DataFrame) -> list[pd.Timestamp]:
    return [
        pd.Timestamp(s) + (pd.Timestamp(e) - pd.Timestamp(s)) / 2
        for s, e in zip(rows["period_start"], rows["period_end"], strict=True)
    ]


def _windows_in(campaigns: pd.DataFrame | None, first: Any, last: Any) -> list[Any]:
    """Campaign rows overlapping ``first``–``last`` (a window wholly outside is left out,
    so it does not stretch the axis)."""
    if campaigns is None or campaigns.empty:
        return []
    lo, hi = pd.Timestamp(first), pd.Timestamp(last)
    return [
        row
        for row in campaigns.itertuples()
        if pd.Timestamp(row.start_date) <= hi and pd.Timestamp(row.end_date) >= lo
    ]


def _window_label(row: Any) -> str:
    first, last = pd.Timestamp(row.start_date).year, pd.Timestamp(row.end_date).year
    years = str(first) if first == last else f"{first}–{last}"
    return f"{row.campaign_code} ({years})"


def _hover_rows(rows: pd.DataFrame, lang: str, measure: str | None) -> list[str]:
    return [
        f"{format_period(r.period_start, r.period_end, 'year', lang)}: "
        + with_status(
            format_value(r.value, lang, measure=measure, qualifier=r.qualifier),
            r.value_status,
            lang,
        )
        for r in rows.itertuples()
    ]


def _row_label(code: str, name: str, highlight: str | None, ranks: Mapping[str, int] | None) -> str:
    """``3. Quận Ô Môn``: a unit's name after its rank (where ranked), bold if highlighted."""
    text = f"<b>{name}</b>" if code == highlight else name
    rank = (ranks or {}).get(code)
    return f"{rank}. {text}" if rank is not None else text


def _short(name: str) -> str:
    return name if len(name) <= TITLE_CHARS else name[: TITLE_CHARS - 1].rstrip() + "…"


# --- small multiples -------------------------------------------------------------------------


def small_multiples(
    values: pd.DataFrame,
    order: Sequence[str],
    lang: str = "vi",
    *,
    measure: str | None = None,
    title: str | None = None,
    campaigns: pd.DataFrame | None = None,
    highlight: str | None = None,
    ranks: Mapping[str, int] | None = None,
    columns: int = 4,
) -> go.Figure:
    """One small line chart per child unit in ``order`` (codes), ``columns`` to a row,
    all on one shared value axis from zero and one shared time axis (each panel's axes
    ``match`` the first's, as ``make_subplots(shared_xaxes="all", shared_yaxes="all")``
    makes them); the parent's series (``is_parent`` rows of ``values``, as from
    :func:`dashboard.ranking.compare_values`) is repeated as a grey dashed line in every
    panel for reference.

    Markers are those of :func:`dashboard.charts.lines_over_time`
    (:data:`dashboard.charts.SYMBOLS`: hollow illustrative, diamond preliminary;
    :func:`dashboard.chart_marks.marker_symbol`: triangles for bounds, a cross for an
    approximate value), with a legend entry for each kind shown.
    Each of ``campaigns`` overlapping the data is shaded in every panel and named with
    its years in the subtitle. ``highlight`` (a unit code) is drawn red; ``ranks``
    (code → rank) numbers the panels' titles.

    The grid is laid out here and the figure built in one go: through
    ``make_subplots`` and a call per panel, two dozen panels took 0.3–2 s.
    """
    shown = values.dropna(subset=["value"])
    is_parent = shown["is_parent"].astype(bool)
    children, parent = shown[~is_parent], shown[is_parent]
    present = set(children["unit_code"])
    codes = [code for code in order if code in present]
    names = dict(zip(children["unit_code"], children["unit_name"], strict=True))
    ncols = max(1, min(columns, len(codes)))
    nrows = max(1, math.ceil(len(codes) / ncols))
    height = 210 + PANEL_HEIGHT * nrows
    layout = _grid(len(codes), ncols, nrows, gap=64 / height, measure=measure)
    layout["annotations"] = [
        dict(
            text=_row_label(code, _short(str(names[code])), highlight, ranks),
            x=sum(layout[f"xaxis{_suffix(i)}"]["domain"]) / 2,
            y=layout[f"yaxis{_suffix(i)}"]["domain"][1],
            xref="paper",
            yref="paper",
            xanchor="center",
            yanchor="bottom",
            showarrow=False,
            font=dict(size=14),
        )
        for i, code in enumerate(codes)
    ]
    windows = (
        _windows_in(campaigns, shown["period_start"].min(), shown["period_end"].max())
        if not shown.empty
        else []
    )
    parent_name = str(parent["unit_name"].iloc[0]) if not parent.empty else ""
    parent_x, parent_hover = _midpoints(parent), _hover_rows(parent, lang, measure)
    by_unit = dict(iter(children.groupby("unit_code", sort=False)))
    traces: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    for index, code in enumerate(codes):
        axes = dict(xaxis=f"x{_suffix(index)}", yaxis=f"y{_suffix(index)}")
        if not parent.empty:
            traces.append(
                dict(
                    type="scatter",
                    x=parent_x,
                    y=parent["value"].to_numpy(),
                    mode="lines",
                    name=parent_name,
                    legendgroup="parent",
                    showlegend=index == 0,
                    line=dict(color=MUTED_COLOR, width=2, dash="dash"),
                    customdata=parent_hover,
                    hovertemplate="<b>%{fullData.name}</b><br>%{customdata}<extra></extra>",
                    **axes,
                )
            )
        rows = by_unit[code]
        color = HIGHLIGHT_COLOR if code == highlight else PALETTE[0]
        symbols = [
            chart_marks.marker_symbol(status, qualifier, SYMBOLS)
            for status, qualifier in zip(rows["value_status"], rows["qualifier"], strict=True)
        ]
        traces.append(
            dict(
                type="scatter",
                x=_midpoints(rows),
                y=rows["value"].to_numpy(),
                mode="lines+markers",
                name=str(names[code]),
                showlegend=False,
                line=dict(color=color, width=3),
                marker=dict(
                    size=8,
                    color=color,
                    # one symbol rather than a list where they agree: Plotly checks a
                    # list item by item, which made this figure several times slower
                    symbol=symbols[0] if len(set(symbols)) == 1 else symbols,
                    line=dict(width=2, color=color),
                ),
                customdata=_hover_rows(rows, lang, measure),
                hovertemplate="<b>%{fullData.name}</b><br>%{customdata}<extra></extra>",
                **axes,
            )
        )
        shapes += [
            dict(
                type="rect",
                xref=axes["xaxis"],
                yref=f"{axes['yaxis']} domain",
                x0=pd.Timestamp(window.start_date),
                x1=pd.Timestamp(window.end_date) + timedelta(days=1),
                y0=0,
                y1=1,
                fillcolor=CAMPAIGN_COLOR,
                opacity=0.18,
                line_width=0,
                layer="below",
            )
            for window in windows
        ]
    traces += _status_legend_entries(children, lang)
    layout["shapes"] = shapes
    fig = go.Figure(data=traces, layout=layout)
    chart_marks.add_qualifier_legend(fig, children, lang)
    subtitle = " · ".join(_window_label(w) for w in windows)
    _layout(fig, lang, title, height=height)
    fig.update_layout(margin=dict(l=10, r=20, t=110 if subtitle else 90, b=70))
    if subtitle:
        fig.update_layout(
            title_subtitle=dict(text=f"▮ {subtitle}", font=dict(size=14, color=CAMPAIGN_TEXT_COLOR))
        )
    return fig


def _suffix(index: int) -> str:
    """The axis suffix of the ``index``-th panel (0: ``x``/``y``, 1: ``x2``/``y2``...)."""
    return "" if index == 0 else str(index + 1)


def _grid(n: int, ncols: int, nrows: int, *, gap: float, measure: str | None) -> dict[str, Any]:
    """Layout axes of ``n`` panels, ``ncols`` to a row from the top left, ``gap`` (a
    fraction of the height) between rows: every panel's axes match the first's; value
    labels on the first column only, years under every panel."""
    hgap = 0.035
    width = (1 - hgap * (ncols - 1)) / ncols
    vgap = min(gap, 0.9 / max(nrows - 1, 1))
    tall = (1 - vgap * (nrows - 1)) / nrows
    layout: dict[str, Any] = {}
    for index in range(n):
        row, col = divmod(index, ncols)
        left, top = col * (width + hgap), 1 - row * (tall + vgap)
        suffix = _suffix(index)
        layout[f"xaxis{suffix}"] = dict(
            domain=[left, min(1.0, left + width)],
            anchor=f"y{suffix}",
            tickformat="%Y",
            gridcolor="#eef0f4",
            **({"matches": "x"} if index else {}),
        )
        layout[f"yaxis{suffix}"] = dict(
            domain=[max(0.0, top - tall), top],
            anchor=f"x{suffix}",
            rangemode="tozero",
            gridcolor="#e5e8ee",
            zeroline=True,
            showticklabels=col == 0,
            ticksuffix=" %" if is_percent(measure) else "",
            exponentformat="none",
            separatethousands=True,
            **({"matches": "y"} if index else {}),
        )
    return layout


def _status_legend_entries(rows: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Legend-only entries for the marker shapes, when not every value is reported."""
    present = [s for s in SYMBOLS if (rows["value_status"] == s).any()]
    if present in ([], ["reported"]):
        return []
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="markers",
            name=t(f"legend_{status}", lang),
            marker=dict(size=11, color="#555", symbol=SYMBOLS[status], line=dict(width=2)),
            hoverinfo="skip",
            legendgroup="status",
        )
        for status in present
    ]


# --- heat table ------------------------------------------------------------------------------


def heat_colorscale(direction: str | None) -> list[list[Any]]:
    """Red (worse) to green (better) for an indicator with a better direction, low to
    high; one blue hue, light to dark, for a neutral one."""
    if direction == "higher_better":
        return [[0.0, BAD], [0.5, MIDDLE], [1.0, GOOD]]
    if direction == "lower_better":
        return [[0.0, GOOD], [0.5, MIDDLE], [1.0, BAD]]
    return [[0.0, NEUTRAL_LOW], [1.0, NEUTRAL_HIGH]]


def heat_figure(
    table: HeatTable,
    lang: str = "vi",
    *,
    direction: str | None = None,
    measure: str | None = None,
    title: str | None = None,
    campaigns: pd.DataFrame | None = None,
    highlight: str | None = None,
    ranks: Mapping[str, int] | None = None,
) -> go.Figure:
    """The units × years table (:func:`dashboard.ranking.heat_table`) as a heatmap:
    a cell per value, coloured on one scale for the whole table by
    :func:`heat_colorscale`, its number written in it (qualifier and ○/◆ marks
    included); an empty cell has no figure. Each campaign is outlined over the columns
    of the years it touches and named above them. ``highlight``'s row name is bold;
    ``ranks`` (code → rank) numbers the rows."""
    z = table.values.to_numpy(dtype=float)
    finite = z[np.isfinite(z)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    columns = [str(year) for year in table.years]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=table.codes,
            zmin=low,
            zmax=high,
            colorscale=heat_colorscale(direction),
            text=table.text.to_numpy(),
            texttemplate="%{text}",
            textfont=dict(size=14, color="#111111"),
            customdata=np.array(
                [[name] * len(columns) for name in table.names], dtype=object
            ).reshape(len(table.codes), len(columns)),
            hovertext=table.hover.to_numpy(),
            hovertemplate="<b>%{customdata}</b><br>%{x}: %{hovertext}<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar=dict(
                title=dict(
                    text=t("heat_better", lang)
                    if direction in ("higher_better", "lower_better")
                    else (measure or ""),
                    font=dict(size=13),
                ),
                thickness=14,
                ticksuffix=" %" if is_percent(measure) else "",
                exponentformat="none",
                separatethousands=True,
            ),
        )
    )
    fig.update_yaxes(
        type="category",
        autorange="reversed",
        tickvals=table.codes,
        ticktext=[
            _row_label(code, name, highlight, ranks)
            for code, name in zip(table.codes, table.names, strict=True)
        ],
        showgrid=False,
    )
    fig.update_xaxes(type="category", showgrid=False, side="bottom")
    for index, window in enumerate(_windows_by_column(campaigns, table.years)):
        first, last, label = window
        fig.add_shape(
            type="rect",
            xref="x",
            yref="paper",
            x0=first - 0.5,
            x1=last + 0.5,
            y0=0,
            y1=1,
            line=dict(color=CAMPAIGN_COLOR, width=3),
            fillcolor="rgba(0,0,0,0)",
            layer="above",
        )
        fig.add_annotation(
            x=(first + last) / 2,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            yshift=2 + 16 * (index % 2),
            text=label,
            showarrow=False,
            font=dict(size=13, color=CAMPAIGN_TEXT_COLOR),
        )
    marked = (table.status.isin(list(SYMBOLS)) & (table.status != "reported")).any().any()
    bounded = table.qualifier.notna().any().any()
    _layout(fig, lang, title, height=max(300, 170 + 34 * len(table.codes)))
    fig.update_layout(margin=dict(l=10, r=10, t=110, b=60 if marked or bounded else 30))
    if marked or bounded:
        fig.add_annotation(
            text=t("heat_mark_legend", lang),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-36,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font=dict(size=14, color="#444"),
        )
    return fig


def _windows_by_column(
    campaigns: pd.DataFrame | None, years: Sequence[int]
) -> list[tuple[int, int, str]]:
    """(first column, last column, code) of each campaign touching the table's years."""
    if campaigns is None or campaigns.empty or not years:
        return []
    found = []
    for row in campaigns.itertuples():
        first, last = pd.Timestamp(row.start_date).year, pd.Timestamp(row.end_date).year
        touched = [i for i, year in enumerate(years) if first <= year <= last]
        if touched:
            found.append((touched[0], touched[-1], str(row.campaign_code)))
    return found
