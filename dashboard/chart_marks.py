"""Marks on the time charts that say what a line is made of.

- **Breaks**: where a series continued through the successor map changes the units
  behind it (``break_before``, from :func:`dashboard.queries.continued_unit_series`), a
  dashed vertical line at the start of the first period after the change, labelled with
  the reorganisation's year and the units before or after it ("Sắp xếp 2025 · tiếp nối
  từ Tỉnh Hậu Giang…"). :func:`label_breaks` writes the labels (it knows unit names);
  :func:`add_breaks` draws them (:mod:`dashboard.charts` calls it).
- **Bounds**: a value reported with a qualifier gets its own marker shape: a triangle up
  for a lower bound ("hơn 80 %": the true value is higher), down for an upper bound
  ("dưới 5 %"), a cross for an approximate value ("khoảng", "gần"), hollow when the value
  is also illustrative; a legend entry says what each shape means.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import succession
from dashboard.formatting import format_date, is_missing
from dashboard.i18n import register, t

register(
    {
        "marks_break": ("Sắp xếp {year}", "{year} reorganisation"),
        "marks_break_undated": ("Sắp xếp đơn vị", "Units reorganised"),
        "marks_continued_from": ("tiếp nối từ {names}", "continued from {names}"),
        "marks_continued_by": ("tiếp nối bởi {names}", "continued by {names}"),
        "marks_break_detail": (
            "Từ {date}: {after}. Trước đó: {before}.",
            "From {date}: {after}. Before: {before}.",
        ),
        "marks_more_units": ("{names} và {n} đơn vị khác", "{names} and {n} more"),
        "marks_values_of": ("số liệu của {names}", "figures of {names}"),
        "marks_values_combined": ("gộp số liệu của {names}", "combined figures of {names}"),
        "marks_continued_note": (
            "Chuỗi số liệu nối tiếp qua sắp xếp đơn vị — {parts}.",
            "The series continues across reorganisations — {parts}.",
        ),
        "marks_name_from": ("{name} (từ {date})", "{name} (from {date})"),
        "marks_name_until": ("{name} (đến {date})", "{name} (until {date})"),
        "marks_lacking": ("không có số liệu của {names}", "nothing from {names}"),
        "legend_lower_bound": (
            "Cận dưới (“hơn”, “trên”): số thật lớn hơn",
            "Lower bound (“over”): the true value is higher",
        ),
        "legend_upper_bound": (
            "Cận trên (“dưới”): số thật nhỏ hơn",
            "Upper bound (“under”): the true value is lower",
        ),
        "legend_approximate": (
            "Số ước (“khoảng”, “gần”)",
            "Approximate (“about”, “nearly”)",
        ),
    }
)

BREAK_COLOR = "#3d4451"
# Marker shape of a qualified value, whatever its status (illustrative ones are hollow).
QUALIFIER_SYMBOLS = {
    "lower_bound": "triangle-up",
    "upper_bound": "triangle-down",
    "approximate": "cross",
    "nearly": "cross",
}
# One legend entry per shape, in this order.
QUALIFIER_LEGEND = {
    "lower_bound": ("lower_bound",),
    "upper_bound": ("upper_bound",),
    "approximate": ("approximate", "nearly"),
}
NAMES_SHOWN = 2  # units named in a break's label; all of them in its hover text


# --- bounds ---------------------------------------------------------------------------------


def marker_symbol(status: Any, qualifier: Any, status_symbols: dict[str, str]) -> str:
    """The marker of one value: its qualifier's shape where it has one (hollow when
    illustrative), else its status's (``status_symbols``, :data:`dashboard.charts.SYMBOLS`)."""
    status = "reported" if is_missing(status) else str(status)
    shape = None if is_missing(qualifier) else QUALIFIER_SYMBOLS.get(str(qualifier))
    if shape is None:
        return status_symbols.get(status, "circle")
    return f"{shape}-open" if status == "illustrative" else shape


def add_qualifier_legend(fig: go.Figure, series: pd.DataFrame, lang: str) -> None:
    """Legend-only entries explaining the shapes of the qualified values shown."""
    if "qualifier" not in series:
        return
    present = set(series["qualifier"].dropna().astype(str))
    for key, qualifiers in QUALIFIER_LEGEND.items():
        if not present.intersection(qualifiers):
            continue
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=t(f"legend_{key}", lang),
                marker=dict(
                    size=12, color="#555", symbol=QUALIFIER_SYMBOLS[key], line=dict(width=2)
                ),
                hoverinfo="skip",
                legendgroup="qualifier",
                legendrank=2100,
            )
        )


# --- breaks ---------------------------------------------------------------------------------


def series_units(con: Any, series: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Name and dates of every unit a continued series names (behind its values or missing
    from them): the ``units`` :func:`label_breaks` and :func:`continuation_note` take."""
    codes = succession.units_behind(series)
    for column in ("missing_units", "missing_parts"):
        if column in series:
            codes.update(str(c) for value in series[column] for c in succession.as_codes(value))
    return succession.lineage_units(con, codes, lang)


def label_breaks(
    series: pd.DataFrame, unit: str, lang: str, units: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``series`` (a continued series of ``unit``) with ``break_label`` (the short text at a
    break, "" elsewhere), ``break_detail`` (its hover text) and ``source_label`` (whose
    figures a continued value is, "" for the unit's own). ``units`` as from
    :func:`series_units` names the units (codes stand in for names without it)."""
    if series.empty or "series_units" not in series:
        return series.assign(break_label="", break_detail="", source_label="")
    names, begins, ends = _catalogue(units, lang)
    keys = _keys(series)
    labels, details = [], []
    own_seen = False
    for index, (key, is_break) in enumerate(zip(keys, series["break_before"], strict=True)):
        before = keys[index - 1] if index > 0 else ()
        own_seen = own_seen or unit in before
        if not bool(is_break):
            labels.append("")
            details.append("")
            continue
        day = _change_day(key, before, begins, ends)
        title = (
            t("marks_break", lang, year=day.year)
            if day is not None
            else t("marks_break_undated", lang)
        )
        forward = own_seen  # the unit's own figures came first: its successors follow
        named = _names(key if forward else before, names, lang, short=True)
        how = t("marks_continued_by" if forward else "marks_continued_from", lang, names=named)
        labels.append(f"<b>{title}</b><br>{how}")
        details.append(
            t(
                "marks_break_detail",
                lang,
                date=format_date(day, lang) if day is not None else "—",
                after=_names(key, names, lang),
                before=_names(before, names, lang),
            )
        )
    sources = [_source(key, unit, names, lang) for key in keys]
    return series.assign(break_label=labels, break_detail=details, source_label=sources)


def continuation_note(
    series: pd.DataFrame, unit: str, lang: str, units: pd.DataFrame | None = None
) -> str | None:
    """One sentence saying which years of a continued series are other units' figures
    (and which of those units reported nothing), or None when every value is the unit's
    own: "Chuỗi nối tiếp qua sắp xếp đơn vị — 2020–2024: gộp số liệu của …"."""
    if series.empty or "series_units" not in series:
        return None
    names, _, _ = _catalogue(units, lang)
    keys = _keys(series)
    years = [int(y) for y in series["year"]]
    spans: list[tuple[tuple[str, ...], list[int], set[str]]] = []
    for index, key in enumerate(keys):
        lacking = {
            str(code)
            for column in ("missing_units", "missing_parts")
            if column in series
            for code in succession.as_codes(series[column].iloc[index])
        }
        if spans and spans[-1][0] == key:
            spans[-1][1].append(years[index])
            spans[-1][2].update(lacking)
        else:
            spans.append((key, [years[index]], lacking))
    parts = []
    for key, span_years, lacking in spans:
        if key == (unit,):
            continue
        text = f"{year_span(span_years)}: {_source(key, unit, names, lang)}"
        if lacking:
            listed = tuple(sorted(lacking))
            text += f" ({t('marks_lacking', lang, names=_names(listed, names, lang))})"
        parts.append(text)
    if not parts:
        return None
    return t("marks_continued_note", lang, parts="; ".join(parts))


def year_span(years: list[int]) -> str:
    """``2020–2024`` for a run of years, ``2025`` for one."""
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def _catalogue(units: pd.DataFrame | None, lang: str) -> tuple[dict, dict, dict]:
    """Code → name, valid_from, valid_to. Two units of one name (the old and the new
    Thành phố Cần Thơ) are told apart by their dates: "… (từ 01/07/2025)"."""
    if units is None or units.empty:
        return {}, {}, {}
    codes = units["unit_code"]
    begins = dict(zip(codes, units["valid_from"], strict=True))
    ends = dict(zip(codes, units["valid_to"], strict=True))
    names = dict(zip(codes, units["unit_name"], strict=True))
    shared = (
        units["name_shared"].astype(bool)
        if "name_shared" in units
        else units["unit_name"].duplicated(keep=False)
    )
    for code, name in zip(codes[shared], units["unit_name"][shared], strict=True):
        if begins[code] is not None:
            names[code] = t(
                "marks_name_from", lang, name=name, date=format_date(begins[code], lang)
            )
        elif ends[code] is not None:
            names[code] = t("marks_name_until", lang, name=name, date=format_date(ends[code], lang))
    return names, begins, ends


def _keys(series: pd.DataFrame) -> list[tuple[str, ...]]:
    return [tuple(succession.as_codes(codes)) for codes in series["series_units"]]


def _source(key: tuple[str, ...], unit: str, names: dict, lang: str) -> str:
    if key == (unit,):
        return ""
    which = "marks_values_combined" if len(key) > 1 else "marks_values_of"
    return t(which, lang, names=_names(key, names, lang))


def _change_day(after: tuple[str, ...], before: tuple[str, ...], begins: dict, ends: dict) -> Any:
    """The day the units behind the series changed: the latest start of the units after
    the break, else the day after the latest end of those before it; None if unknown."""
    starts = [begins[c] for c in after if begins.get(c) is not None]
    if starts:
        return max(starts)
    finished = [ends[c] for c in before if ends.get(c) is not None]
    return max(finished) + timedelta(days=1) if finished else None


def _names(codes: tuple[str, ...], names: dict[str, str], lang: str, *, short: bool = False) -> str:
    listed = [names.get(code, code) for code in codes]
    if short and len(listed) > NAMES_SHOWN + 1:
        shown = ", ".join(listed[:NAMES_SHOWN])
        return t("marks_more_units", lang, names=shown, n=len(listed) - NAMES_SHOWN)
    return ", ".join(listed)


def add_breaks(fig: go.Figure, series: pd.DataFrame, lang: str) -> None:
    """A dashed vertical line at each break of ``series`` (rows with ``break_before``), at
    the start of the first period after it, with its label (``break_label`` from
    :func:`label_breaks`, else a plain "units reorganised"). With several units on the
    chart, each label starts with the unit's name."""
    if "break_before" not in series or series.empty:
        return
    breaks = series[series["break_before"].fillna(False).astype(bool)]
    if breaks.empty:
        return
    first = pd.Timestamp(series["period_start"].min())
    last = pd.Timestamp(series["period_end"].max())
    several = series["unit_code"].nunique() > 1 if "unit_code" in series else False
    drawn: set[tuple[pd.Timestamp, str]] = set()
    for row in breaks.itertuples():
        x = pd.Timestamp(row.period_start)
        label = str(getattr(row, "break_label", "") or "") or t("marks_break_undated", lang)
        if several:
            label = f"{row.unit_name}: {label}"
        if (x, label) in drawn:
            continue
        drawn.add((x, label))
        fig.add_shape(
            type="line",
            name="break",
            x0=x,
            x1=x,
            xref="x",
            y0=0,
            y1=1,
            yref="paper",
            line=dict(color=BREAK_COLOR, width=2, dash="dash"),
            layer="above",
        )
        right_half = last > first and (x - first) / (last - first) > 0.5
        fig.add_annotation(
            name="break",
            x=x,
            xref="x",
            y=0,
            yref="paper",
            yanchor="bottom",
            xanchor="right" if right_half else "left",
            xshift=-4 if right_half else 4,
            align="right" if right_half else "left",
            text=label,
            hovertext=str(getattr(row, "break_detail", "") or "") or None,
            showarrow=False,
            font=dict(size=14, color=BREAK_COLOR),
            bgcolor="rgba(255,255,255,0.85)",
        )
