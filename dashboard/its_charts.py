"""Plotly figures of the before/after analysis (:mod:`dashboard.its`, :mod:`dashboard.panel`),
with the conventions of :mod:`dashboard.charts`: large fonts, numbers written the way the
page writes them (``9,52``), each value drawn at the middle of its period, campaign
windows shaded by :func:`dashboard.charts.add_campaign_windows`.

- :func:`its_chart`: the observed values, the fitted segments, the earlier trend carried
  through the window and after periods with its 95 % band, the campaign shaded.
- :func:`forest_plot`: one row per unit, sorted by its estimate, with the 95 % interval
  as whiskers and a line at no change (0, or 1 for rate ratios).
- :func:`event_study_chart`: coefficients by period relative to each unit's campaign with
  their intervals, the reference period marked, the pre-trend test in the title.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.formatting import MISSING, format_number, format_value, is_percent
from dashboard.i18n import normalize_lang, register, t
from dashboard.its import ITSResult
from dashboard.panel import EventStudy

register(
    {
        "its_chart_observed": ("Số liệu", "Observed"),
        "its_chart_not_used": ("Trong đợt (không dùng để ước lượng)", "In the window (not used)"),
        "its_chart_fitted": ("Đường ước lượng", "Fitted"),
        "its_chart_counterfactual": (
            "Xu hướng trước đợt kéo dài (nếu không có đợt)",
            "Earlier trend carried on (had there been no campaign)",
        ),
        "its_chart_band": ("Khoảng tin cậy 95% của xu hướng", "95% band of the trend"),
        "its_forest_title": ("Ước lượng theo đơn vị", "Estimates by unit"),
        "its_forest_level": (
            "Thay đổi mức so với xu hướng trước đợt",
            "Level change against the trend",
        ),
        "its_forest_ratio": (
            "Tỷ số tỷ suất so với xu hướng trước đợt",
            "Rate ratio against the trend",
        ),
        "its_forest_no_change": ("không đổi", "no change"),
        "its_forest_hover": (
            "{value} (khoảng tin cậy 95%: {low} đến {high})",
            "{value} (95% CI: {low} to {high})",
        ),
        "its_event_x": (
            "Số kỳ so với đợt kiểm điểm của đơn vị",
            "Periods relative to the unit's review",
        ),
        "its_event_y": ("Chênh lệch so với kỳ mốc", "Difference from the reference period"),
        "its_event_reference": ("kỳ mốc", "reference"),
        "its_event_estimate": ("Ước lượng và khoảng tin cậy 95%", "Estimate with 95% interval"),
        "its_event_pretrend_ok": (
            "Kiểm định xu hướng trước đợt: F = {f}, p = {p} — không thấy khác biệt trước đợt",
            "Pre-campaign trend test: F = {f}, p = {p} — no difference before the campaign",
        ),
        "its_event_pretrend_rejected": (
            "Kiểm định xu hướng trước đợt: F = {f}, p = {p} — đã khác biệt trước đợt, cần thận "
            "trọng",
            "Pre-campaign trend test: F = {f}, p = {p} — units already differed before the "
            "campaign; interpret with care",
        ),
        "its_event_pretrend_none": (
            "Không đủ kỳ trước đợt để kiểm định xu hướng",
            "Too few periods before the campaign to test the earlier trend",
        ),
    }
)

FIT_COLOR = "#1f77b4"
COUNTERFACTUAL_COLOR = "#6b7280"
BAND_COLOR = "rgba(107, 114, 128, 0.18)"
ESTIMATE_COLOR = "#c0392b"


def _layout(fig: go.Figure, lang: str, title: str | None, *, height: int = 480) -> go.Figure:
    """The settings of :mod:`dashboard.charts` (font, separators, legend below)."""
    fig.update_layout(
        template="plotly_white",
        title=dict(text=title, font=dict(size=21)) if title else None,
        font=charts.FONT,
        height=height,
        margin=dict(l=10, r=30, t=70 if title else 30, b=40),
        separators=",." if normalize_lang(lang) == "vi" else ".,",
        hoverlabel=dict(font_size=15),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
    )
    return fig


def _midpoints(frame: pd.DataFrame) -> list[pd.Timestamp]:
    starts = pd.to_datetime(frame["period_start"])
    ends = pd.to_datetime(frame["period_end"])
    return [s + (e - s) / 2 for s, e in zip(starts, ends, strict=True)]


def _labels(values: Any, lang: str, measure: str | None) -> list[str]:
    return [format_value(v, lang, measure=measure) for v in values]


# --- one series ---------------------------------------------------------------------------


def its_chart(
    result: ITSResult,
    lang: str = "vi",
    *,
    window: tuple[Any, Any],
    campaign_code: str = "",
    measure: str | None = None,
    title: str | None = None,
    campaigns: pd.DataFrame | None = None,
) -> go.Figure:
    """The series of ``result`` (its ``curve``) with the fit and the counterfactual.

    ``window`` (start, end) is the campaign analysed; ``campaigns`` (as from
    :func:`dashboard.queries.campaigns`) shades others too.
    """
    curve = result.curve
    fig = go.Figure()
    if not curve.empty:
        _add_band(fig, curve, lang, measure)
        _add_fit(fig, curve, lang, measure)
        _add_observed(fig, curve, lang, measure)
    shaded = pd.DataFrame(
        {"campaign_code": [campaign_code], "start_date": [window[0]], "end_date": [window[1]]}
    )
    if campaigns is not None:
        others = campaigns[campaigns["campaign_code"] != campaign_code]
        shaded = pd.concat([shaded, others[list(shaded.columns)]], ignore_index=True)
    first = curve["period_start"].min() if not curve.empty else None
    last = curve["period_end"].max() if not curve.empty else None
    charts.add_campaign_windows(fig, shaded, first, last)
    settings: dict[str, Any] = dict(gridcolor="#e5e8ee", separatethousands=True)
    if is_percent(measure):
        settings["ticksuffix"] = " %"
    fig.update_yaxes(**settings)
    fig.update_xaxes(gridcolor="#eef0f4")
    return _layout(fig, lang, title)


def _add_observed(fig: go.Figure, curve: pd.DataFrame, lang: str, measure: str | None) -> None:
    for used, name, symbol in (
        (True, t("its_chart_observed", lang), "circle"),
        (False, t("its_chart_not_used", lang), "circle-open"),
    ):
        rows = curve[curve["used"] == used]
        if rows.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=_midpoints(rows),
                y=rows["value"],
                name=name,
                mode="markers",
                marker=dict(size=11, color=charts.PARENT_COLOR, symbol=symbol, line=dict(width=2)),
                text=_labels(rows["value"], lang, measure),
                hovertemplate="%{text}<extra>%{fullData.name}</extra>",
            )
        )


def _add_fit(fig: go.Figure, curve: pd.DataFrame, lang: str, measure: str | None) -> None:
    for index, side in enumerate(("before", "after")):
        rows = curve[(curve["side"] == side) & curve["fitted"].notna()]
        if side == "after":
            rows = curve[(curve["side"] != "before") & curve["used"] & curve["fitted"].notna()]
        if rows.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=_midpoints(rows),
                y=rows["fitted"],
                name=t("its_chart_fitted", lang),
                mode="lines",
                line=dict(color=FIT_COLOR, width=3),
                legendgroup="fitted",
                showlegend=index == 0,
                text=_labels(rows["fitted"], lang, measure),
                hovertemplate="%{text}<extra>%{fullData.name}</extra>",
            )
        )


def _add_band(fig: go.Figure, curve: pd.DataFrame, lang: str, measure: str | None) -> None:
    rows = curve.dropna(subset=["counterfactual"])
    if rows.empty:
        return
    x = _midpoints(rows)

    def fmt(value: float) -> str:
        return format_value(value, lang, measure=measure)

    fig.add_trace(
        go.Scatter(
            x=x,
            y=rows["cf_high"],
            mode="lines",
            line=dict(width=0),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=rows["cf_low"],
            mode="lines",
            line=dict(width=0),
            fill="tonexty",
            fillcolor=BAND_COLOR,
            name=t("its_chart_band", lang),
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=rows["counterfactual"],
            name=t("its_chart_counterfactual", lang),
            mode="lines",
            line=dict(color=COUNTERFACTUAL_COLOR, width=3, dash="dash"),
            text=[
                f"{fmt(c)} ({fmt(lo)} – {fmt(hi)})"
                for c, lo, hi in zip(
                    rows["counterfactual"], rows["cf_low"], rows["cf_high"], strict=True
                )
            ],
            hovertemplate="%{text}<extra>%{fullData.name}</extra>",
        )
    )


# --- across units -------------------------------------------------------------------------


def forest_plot(
    table: pd.DataFrame,
    lang: str = "vi",
    *,
    names: Mapping[str, str] | None = None,
    estimate: str = "level",
    title: str | None = None,
    descending: bool = False,
) -> go.Figure:
    """Each unit's ``estimate`` (``level`` or ``slope`` of :func:`dashboard.panel.unit_estimates`)
    with its interval, sorted by the estimate; refused units are left out."""
    rows = table.dropna(subset=[estimate]).sort_values(
        [estimate, "unit_code"], ascending=[not descending, True], kind="stable"
    )
    ratio = bool(rows["ratio"].any()) if "ratio" in rows and not rows.empty else False
    no_change = 1.0 if ratio else 0.0
    labels = [(names or {}).get(str(code), str(code)) for code in rows["unit_code"]]
    value, low, high = (
        rows[c].to_numpy(dtype=float) for c in (estimate, f"{estimate}_low", f"{estimate}_high")
    )
    text = [
        t(
            "its_forest_hover",
            lang,
            value=_number(v, lang),
            low=_number(lo, lang),
            high=_number(hi, lang),
        )
        for v, lo, hi in zip(value, low, high, strict=True)
    ]
    colors = [
        charts.MUTED_COLOR if lo <= no_change <= hi else ESTIMATE_COLOR
        for lo, hi in zip(low, high, strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            x=value,
            y=[str(code) for code in rows["unit_code"]],
            mode="markers",
            marker=dict(size=10, color=colors),
            error_x=dict(
                type="data",
                symmetric=False,
                array=high - value,
                arrayminus=value - low,
                color="#555",
                thickness=2,
            ),
            customdata=list(zip(labels, text, strict=True)),
            hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]}<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(x=no_change, line=dict(color=charts.PARENT_COLOR, dash="dash", width=2))
    codes = [str(code) for code in rows["unit_code"]]
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=codes,
        autorange="reversed",
        tickvals=codes,
        ticktext=labels,
    )
    axis_title = t("its_forest_ratio" if ratio else "its_forest_level", lang)
    fig.update_xaxes(
        title=axis_title, type="log" if ratio else "linear", gridcolor="#e5e8ee", zeroline=False
    )
    height = max(320, 120 + 28 * len(rows))
    return _layout(fig, lang, title or t("its_forest_title", lang), height=height)


def _number(value: float, lang: str) -> str:
    return MISSING if value is None or np.isnan(value) else format_number(value, lang)


def event_study_chart(
    study: EventStudy, lang: str = "vi", *, title: str | None = None
) -> go.Figure:
    """Coefficients by relative period with their intervals; the pre-trend test's result as
    a subtitle."""
    fig = go.Figure()
    frame = study.coefficients
    if not frame.empty:
        estimated = frame[~frame["reference"]]
        fig.add_trace(
            go.Scatter(
                x=frame["rel"],
                y=frame["estimate"],
                mode="lines",
                line=dict(color=ESTIMATE_COLOR, width=2),
                hoverinfo="skip",
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=estimated["rel"],
                y=estimated["estimate"],
                mode="markers",
                name=t("its_event_estimate", lang),
                marker=dict(size=11, color=ESTIMATE_COLOR),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=estimated["high"] - estimated["estimate"],
                    arrayminus=estimated["estimate"] - estimated["low"],
                    thickness=2,
                ),
                text=[
                    t(
                        "its_forest_hover",
                        lang,
                        value=_number(v, lang),
                        low=_number(lo, lang),
                        high=_number(hi, lang),
                    )
                    for v, lo, hi in zip(
                        estimated["estimate"], estimated["low"], estimated["high"], strict=True
                    )
                ],
                hovertemplate="%{x}: %{text}<extra></extra>",
            )
        )
        reference = frame[frame["reference"]]
        fig.add_trace(
            go.Scatter(
                x=reference["rel"],
                y=reference["estimate"],
                mode="markers+text",
                name=t("its_event_reference", lang),
                marker=dict(
                    size=13,
                    color="white",
                    symbol="diamond",
                    line=dict(width=2, color=charts.PARENT_COLOR),
                ),
                text=[t("its_event_reference", lang)] * len(reference),
                textposition="top center",
                hoverinfo="skip",
            )
        )
    fig.add_hline(y=0, line=dict(color=charts.PARENT_COLOR, width=1))
    fig.add_vline(x=-0.5, line=dict(color=charts.CAMPAIGN_COLOR, width=3, dash="dot"))
    fig.update_xaxes(title=t("its_event_x", lang), dtick=1, gridcolor="#eef0f4")
    fig.update_yaxes(title=t("its_event_y", lang), gridcolor="#e5e8ee")
    subtitle = pretrend_text(study, lang)
    heading = f"{title}<br><sup>{subtitle}</sup>" if title else subtitle
    _layout(fig, lang, heading)
    fig.update_layout(legend=dict(y=-0.22), margin=dict(b=60))
    return fig


def pretrend_text(study: EventStudy, lang: str = "vi") -> str:
    """The pre-trend test in words."""
    if study.pretrend_p is None or study.pretrend_f is None:
        return t("its_event_pretrend_none", lang)
    key = "its_event_pretrend_rejected" if study.pretrend_rejected else "its_event_pretrend_ok"
    return t(
        key,
        lang,
        f=format_number(study.pretrend_f, lang, 2),
        p=format_number(study.pretrend_p, lang, 3),
    )
