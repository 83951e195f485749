"""The explorer: chosen indicators × units over periods of one type, as lines, bars or a
table, as reported or transformed, and the files that download exactly what is shown.

Rows come from :data:`v_observation` as stored (no roll-up: a unit without its own
figures has none here; the overview and compare pages roll up). One period type at a
time (year, half, quarter, month, term, span); the year range keeps the periods that
touch it.

Transformations work on the tidy frame of :func:`fetch`, one row per unit × indicator ×
period, and return the rows they could not compute as a *left-out* frame, never
dropping them silently:

- **per denominator** (:data:`DENOMINATORS`): a count or an amount divided by the same
  unit's households (``per household``) or party members (× 100, ``per 100 party
  members``) stored for the same period. Rates, ratios to plan, flags and durations are
  not divided; nor is the denominator itself; a value whose unit has no denominator for
  that period (or a zero one) is left out.
- **index to 100** at a base period: each series (unit × indicator) divided by its own
  value in that period, × 100. A series without a value there, or with zero, is left out.
  With both, the per-denominator values are indexed.

A transformed value carries the weaker status of its parts (illustrative over
preliminary over reported) and a qualifier from both: dividing by a lower bound gives an
upper bound and the reverse; by an approximate value, an approximate one (the base value
itself indexes to exactly 100).

**Measures on one chart**: a chart has one value axis, so each measure shown gets its own
panel (one figure per measure, in the order the indicators were chosen); index values
share one measure, so an indexed chart is always one panel. At most :data:`MAX_SERIES`
series are drawn; the others are left out, and the shown table (and every download)
holds only what is drawn.

:func:`shown_table` builds the table on the screen, with its headers in the page's
language; the CSV, XLSX and Parquet files are that same frame. Nothing here imports
Streamlit.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard import chart_marks, charts, export, queries
from dashboard.completeness import PERIOD_TYPES, Period
from dashboard.formatting import (
    MISSING,
    format_number,
    format_period,
    is_missing,
    is_percent,
    qualifier_word,
    status_word,
    with_status,
)
from dashboard.i18n import normalize_lang, register, t, t_or
from dashboard.queries import Connection

register(
    {
        "explorer_display": ("Hiển thị", "Show as"),
        "explorer_display_lines": ("Đường", "Lines"),
        "explorer_display_bars": ("Cột", "Bars"),
        "explorer_display_table": ("Bảng", "Table"),
        "explorer_per": ("Quy đổi", "Per"),
        "explorer_per_none": ("Số liệu gốc", "As reported"),
        "explorer_per_household": ("Trên 1 hộ", "Per household"),
        "explorer_per_members": ("Trên 100 đảng viên", "Per 100 party members"),
        "explorer_base": ("Chỉ số (= 100 tại kỳ)", "Index (= 100 at)"),
        "explorer_base_none": ("Không tính chỉ số", "No index"),
        "explorer_measure_household": ("{measure} / hộ", "{measure} per household"),
        "explorer_measure_members": ("{measure} / 100 đảng viên", "{measure} per 100 members"),
        "explorer_measure_index": ("chỉ số ({base} = 100)", "index ({base} = 100)"),
        "explorer_how_none": ("số liệu gốc", "as reported"),
        "explorer_how_household": (
            "chia cho tổng số hộ của đơn vị cùng kỳ",
            "divided by the unit's households in the same period",
        ),
        "explorer_how_members": (
            "chia cho số đảng viên của đơn vị cùng kỳ, × 100",
            "divided by the unit's party members in the same period, × 100",
        ),
        "explorer_how_index": (
            "chia cho giá trị kỳ {base} của chính chuỗi đó, × 100",
            "divided by the series' own value in {base}, × 100",
        ),
        "explorer_left_not_divided": (
            "là tỷ lệ, cờ hoặc số ngày: không quy đổi",
            "a rate, flag or duration: not divided",
        ),
        "explorer_left_is_denominator": ("chính là mẫu số", "is the denominator itself"),
        "explorer_left_no_denominator": (
            "không có “{denominator}” của đơn vị cùng kỳ (hoặc bằng 0)",
            "no “{denominator}” of the unit for the same period (or zero)",
        ),
        "explorer_left_no_base": ("không có giá trị kỳ {base}", "no value in {base}"),
        "explorer_left_zero_base": ("giá trị kỳ {base} bằng 0", "its value in {base} is 0"),
        "explorer_left_not_drawn": (
            "không vẽ: biểu đồ chỉ vẽ {n} chuỗi đầu (dạng bảng có đủ)",
            "not drawn: a chart draws the first {n} series (the table has them all)",
        ),
        "explorer_panel_title": ("Đơn vị tính: {measure}", "Measure: {measure}"),
        "explorer_all_periods": ("mọi kỳ đã chọn", "every period chosen"),
        "explorer_left_out": (
            "{n} chuỗi hoặc nhóm giá trị không hiển thị; lý do ở mục “Không hiển thị” bên dưới.",
            "{n} series or groups of values are not shown; see why under “Not shown” below.",
        ),
        "explorer_left_out_heading": ("Không hiển thị ({n})", "Not shown ({n})"),
        "explorer_nothing_left": (
            "Không còn giá trị nào để hiển thị sau khi quy đổi hoặc tính chỉ số.",
            "No value is left to show after dividing or indexing.",
        ),
        "explorer_panels": (
            "Các chỉ tiêu có đơn vị tính khác nhau: mỗi đơn vị tính một biểu đồ ({n} biểu đồ).",
            "The indicators have different measures: one chart per measure ({n} charts).",
        ),
        "explorer_chart_data": ("Số liệu trên biểu đồ", "Figures on the chart"),
        "explorer_download_note": (
            "Tệp tải về chứa đúng bảng đang hiển thị (sau quy đổi, chỉ số), kèm cột “Cách "
            "tính”; mỗi tệp được tạo khi bấm nút.",
            "The files hold exactly the table shown (after dividing or indexing), with a "
            "“Transformation” column; each is built when its button is pressed.",
        ),
        "download_parquet": ("Tải Parquet", "Download Parquet"),
        "col_transformation": ("Cách tính", "Transformation"),
        "col_value_original": ("Giá trị gốc", "Value as reported"),
        "col_denominator_value": ("Mẫu số", "Denominator"),
        "col_reason": ("Lý do", "Reason"),
        "col_periods": ("Các kỳ", "Periods"),
    }
)

DISPLAYS = ("lines", "bars", "table")
LAYOUTS = ("pivot", "tidy")
NO_INDEX = "none"
NO_DENOMINATOR = "none"
MAX_SERIES = 24  # series a chart draws
ROW_LIMIT = queries.EXPLORE_ROW_LIMIT
CAMPAIGN_KINDS = ("review", "restructure")  # shaded; terms would cover whole charts
DIVIDED_KINDS = frozenset({"count", "amount"})
LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
QUALIFIER_MARKS = {"lower_bound": "▲", "upper_bound": "▼", "approximate": "✕", "nearly": "✕"}
_STATUS_RANK = {"reported": 0, "preliminary": 1, "illustrative": 2}
_FLIPPED = {"lower_bound": "upper_bound", "upper_bound": "lower_bound"}


@dataclass(frozen=True)
class Denominator:
    """What a value is divided by: ``indicator_code`` of the same unit and period, × ``scale``."""

    key: str
    indicator_code: str
    scale: float


DENOMINATORS = {
    "household": Denominator("household", "households", 1.0),
    "members": Denominator("members", "party_members", 100.0),
}
PER_OPTIONS = (NO_DENOMINATOR, *DENOMINATORS)

FETCH_COLUMNS = (
    "unit_code", "unit_name", "indicator_code", "indicator_name", "measure", "kind",
    "period_type", "period_start", "period_end", "period_key", "period_label", "value",
    "qualifier", "target", "value_status", "note", "source_file", "series", "series_label",
)  # fmt: skip
LEFT_OUT_COLUMNS = ("unit_name", "indicator_name", "reason", "periods")


# --- queries ------------------------------------------------------------------------------


def period_types(con: Connection, indicators: Sequence[str], units: Sequence[str]) -> list[str]:
    """Period types stored for the chosen indicators and units, years first."""
    rows = con.execute(
        """
        SELECT DISTINCT period_type FROM v_observation
        WHERE list_contains($indicators, indicator_code) AND list_contains($units, unit_code)
        """,
        {"indicators": list(indicators), "units": list(units)},
    ).fetchall()
    present = {str(row[0]) for row in rows}
    return [kind for kind in PERIOD_TYPES if kind in present] + sorted(present - set(PERIOD_TYPES))


def fetch(
    con: Connection,
    indicators: Sequence[str],
    units: Sequence[str],
    period_type: str,
    year_from: int,
    year_to: int,
    lang: str = "vi",
    limit: int = ROW_LIMIT,
) -> pd.DataFrame:
    """Stored values of the chosen indicators × units over periods of ``period_type``
    touching ``year_from``–``year_to``, in the order chosen (units, then indicators), then
    by period.

    At most ``limit`` rows; ``frame.attrs["truncated"]`` says whether more matched.
    Columns: :data:`FETCH_COLUMNS` (``series`` is ``unit|indicator``, ``period_key`` the
    period as in a link: ``2012`` or ``2025-01-01..2025-06-30``).
    """
    frame = con.execute(
        f"""
        SELECT o.unit_code, {queries.unit_name_sql(lang)} AS unit_name, o.indicator_code,
               {queries.indicator_columns_sql(lang)}, i.kind, o.period_type, o.period_start,
               o.period_end, o.value, o.qualifier, o.target, o.value_status, o.note,
               o.source_file
        FROM v_observation o
        JOIN unit u USING (unit_code)
        JOIN indicator i USING (indicator_code)
        WHERE list_contains($indicators, o.indicator_code) AND list_contains($units, o.unit_code)
          AND o.period_type = $period_type
          AND year(o.period_start) <= $year_to AND year(o.period_end) >= $year_from
        ORDER BY list_position($units, o.unit_code), list_position($indicators, o.indicator_code),
                 o.period_start, o.period_end
        LIMIT $limit
        """,
        {
            "indicators": list(indicators),
            "units": list(units),
            "period_type": period_type,
            "year_from": year_from,
            "year_to": year_to,
            "limit": limit + 1,
        },
    ).df()
    truncated = len(frame) > limit
    frame = _with_labels(frame.head(limit).reset_index(drop=True), lang, len(indicators) > 1)
    frame.attrs["truncated"] = truncated
    return frame


def _with_labels(frame: pd.DataFrame, lang: str, several_indicators: bool) -> pd.DataFrame:
    """Add period_key, period_label, series and series_label (the unit's name, with the
    indicator's when several are chosen). Each distinct period is labelled once."""
    columns = ["period_start", "period_end", "period_type"]
    periods = frame[columns].drop_duplicates()
    rows = list(zip(*(periods[column].tolist() for column in columns), strict=True))
    periods = periods.assign(
        period_key=pd.Series(
            [period_key(start, end, kind) for start, end, kind in rows],
            index=periods.index,
            dtype=object,
        ),
        period_label=pd.Series(
            [format_period(start, end, kind, lang) for start, end, kind in rows],
            index=periods.index,
            dtype=object,
        ),
    )
    frame = frame.merge(periods, on=columns, how="left")
    label = frame["unit_name"].astype(str)
    if several_indicators:
        label = label + " · " + frame["indicator_name"].astype(str)
    frame = frame.assign(
        series=frame["unit_code"].astype(str) + "|" + frame["indicator_code"].astype(str),
        series_label=label,
    )
    return frame[list(FETCH_COLUMNS)]


def period_key(start: Any, end: Any, period_type: str) -> str:
    """A period as the URL names it: ``2012`` for a year, ``2025-01-01..2025-06-30`` else."""
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    return str(Period(str(period_type), first, last))


def denominator_values(
    con: Connection,
    denominator: Denominator,
    units: Sequence[str],
    period_type: str,
    year_from: int,
    year_to: int,
) -> pd.DataFrame:
    """The stored denominator of each chosen unit and period: unit_code, period_start,
    period_end, denominator_value, denominator_qualifier, denominator_status."""
    return con.execute(
        """
        SELECT o.unit_code, o.period_start, o.period_end, o.value AS denominator_value,
               o.qualifier AS denominator_qualifier, o.value_status AS denominator_status
        FROM v_observation o
        WHERE o.indicator_code = $code AND list_contains($units, o.unit_code)
          AND o.period_type = $period_type
          AND year(o.period_start) <= $year_to AND year(o.period_end) >= $year_from
        """,
        {
            "code": denominator.indicator_code,
            "units": list(units),
            "period_type": period_type,
            "year_from": year_from,
            "year_to": year_to,
        },
    ).df()


def indicator_name(con: Connection, code: str, lang: str = "vi") -> str:
    """An indicator's name in ``lang`` (its code when unknown)."""
    info = queries.indicator_info(con, code, lang)
    return code if info is None else str(info["indicator_name"])


def campaigns(con: Connection, units: Sequence[str], lang: str = "vi") -> pd.DataFrame:
    """Review and reorganisation campaigns (:data:`CAMPAIGN_KINDS`) covering all units or
    one of the chosen units or their ancestors, oldest first; columns as from
    :func:`dashboard.queries.campaigns`."""
    name = "coalesce(c.name_en, c.name_vi)" if normalize_lang(lang) == "en" else "c.name_vi"
    return con.execute(
        f"""
        WITH RECURSIVE up(unit_code, parent_code, depth) AS (
            SELECT unit_code, parent_code, 0 FROM unit WHERE list_contains($units, unit_code)
            UNION
            SELECT u.unit_code, u.parent_code, up.depth + 1
            FROM unit u JOIN up ON u.unit_code = up.parent_code
            WHERE up.depth < 20
        )
        SELECT c.campaign_code, {name} AS campaign_name, c.start_date, c.end_date,
               c.scope, c.kind, c.note
        FROM campaign c
        WHERE list_contains($kinds, c.kind)
          AND (c.scope = 'all'
               OR EXISTS (SELECT 1 FROM up
                          WHERE list_contains(string_split(c.scope, '|'), up.unit_code)))
        ORDER BY c.start_date, c.campaign_code
        """,
        {"units": list(units), "kinds": list(CAMPAIGN_KINDS)},
    ).df()


# --- transformations ----------------------------------------------------------------------


@dataclass
class Transformed:
    """Rows to show (the columns of :func:`fetch`, with value, qualifier, value_status and
    measure transformed, plus value_original, denominator_value and transformation) and
    the rows left out, with why (:data:`LEFT_OUT_COLUMNS`)."""

    frame: pd.DataFrame
    left_out: pd.DataFrame = field(default_factory=lambda: _left_out_frame([]))
    transformed: bool = False


def transform(
    tidy: pd.DataFrame,
    lang: str = "vi",
    *,
    per: str = NO_DENOMINATOR,
    denominators: pd.DataFrame | None = None,
    denominator_name: str = "",
    base: str = NO_INDEX,
) -> Transformed:
    """``tidy`` (from :func:`fetch`) divided by a denominator (``per``, one of
    :data:`PER_OPTIONS`, with ``denominators`` from :func:`denominator_values`), then
    indexed to 100 at the period ``base`` (a ``period_key``), each step optional."""
    frame = tidy.assign(
        value_original=tidy["value"],
        denominator_value=float("nan"),
        transformation=t("explorer_how_none", lang),
    )
    left: list[dict[str, str]] = []
    steps: list[str] = []
    if per != NO_DENOMINATOR:
        frame, dropped = per_denominator(
            frame, DENOMINATORS[per], denominators, denominator_name, lang
        )
        left += dropped
        steps.append(t(f"explorer_how_{per}", lang))
    if base != NO_INDEX:
        label = _base_label(tidy, base)
        frame, dropped = index_to(frame, base, lang, label)
        left += dropped
        steps.append(t("explorer_how_index", lang, base=label))
    if steps:
        frame = frame.assign(transformation="; ".join(steps))
    return Transformed(frame.reset_index(drop=True), _left_out_frame(left), bool(steps))


def per_denominator(
    frame: pd.DataFrame,
    denominator: Denominator,
    denominators: pd.DataFrame | None,
    denominator_name: str,
    lang: str = "vi",
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Counts and amounts divided by the unit's denominator for the same period
    (× ``denominator.scale``); the rows that cannot be, as left-out records."""
    left: list[dict[str, str]] = []
    divided = frame["kind"].isin(DIVIDED_KINDS) & (
        frame["indicator_code"] != denominator.indicator_code
    )
    itself = frame["indicator_code"] == denominator.indicator_code
    reason = t("explorer_left_is_denominator", lang)
    left += _left(frame[~divided & itself], reason, lang, every_period=True)
    reason = t("explorer_left_not_divided", lang)
    left += _left(frame[~divided & ~itself], reason, lang, every_period=True)
    keys = ["unit_code", "period_start", "period_end"]
    parts = denominators if denominators is not None else _empty_denominators()
    parts = parts.drop_duplicates(keys)  # one current value per unit and period
    joined = frame[divided].drop(columns="denominator_value").merge(parts, on=keys, how="left")
    usable = joined["denominator_value"].notna() & (joined["denominator_value"] != 0)
    reason = t("explorer_left_no_denominator", lang, denominator=denominator_name)
    left += _left(joined[~usable], reason, lang)
    kept = joined[usable].copy()
    kept["value"] = kept["value"] / kept["denominator_value"] * denominator.scale
    kept["qualifier"] = _pairs(divided_qualifier, kept["qualifier"], kept["denominator_qualifier"])
    kept["value_status"] = _pairs(weaker_status, kept["value_status"], kept["denominator_status"])
    measures = {
        measure: t(f"explorer_measure_{denominator.key}", lang, measure=measure)
        for measure in kept["measure"].unique()
    }
    kept["measure"] = kept["measure"].map(measures)
    kept["target"] = float("nan")  # a target is in the indicator's own measure
    return kept[frame.columns.tolist()], left


def index_to(
    frame: pd.DataFrame, base: str, lang: str = "vi", label: str | None = None
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Each series divided by its own value in the period ``base`` (a ``period_key``,
    named ``label``), × 100; the series without a (non-zero) value there, as left-out
    records."""
    label = label or _base_label(frame, base)
    at_base = (
        frame.loc[frame["period_key"] == base, ["series", "value", "qualifier", "value_status"]]
        .drop_duplicates("series")
        .rename(columns={"value": "base_value", "qualifier": "base_q", "value_status": "base_s"})
    )
    joined = frame.merge(at_base, on="series", how="left")
    left: list[dict[str, str]] = []
    reason = t("explorer_left_no_base", lang, base=label)
    left += _left(joined[joined["base_value"].isna()], reason, lang, every_period=True)
    reason = t("explorer_left_zero_base", lang, base=label)
    left += _left(joined[joined["base_value"] == 0], reason, lang, every_period=True)
    kept = joined[joined["base_value"].notna() & (joined["base_value"] != 0)].copy()
    at = kept["period_key"] == base
    kept["value"] = (kept["value"] / kept["base_value"] * 100).where(~at, 100.0)
    kept["qualifier"] = [
        None if is_base else qualifier
        for qualifier, is_base in zip(
            _pairs(divided_qualifier, kept["qualifier"], kept["base_q"]), at.tolist(), strict=True
        )
    ]
    kept["value_status"] = _pairs(weaker_status, kept["value_status"], kept["base_s"])
    kept["measure"] = t("explorer_measure_index", lang, base=label)
    kept["target"] = float("nan")
    return kept[frame.columns.tolist()], left


def _pairs(combine: Any, first: pd.Series, second: pd.Series) -> list[Any]:
    """``combine`` applied to each pair of values of two columns."""
    return [combine(a, b) for a, b in zip(first.tolist(), second.tolist(), strict=True)]


def divided_qualifier(own: Any, divisor: Any) -> str | None:
    """The qualifier of ``value / divisor``: the value's own when the divisor is exact;
    dividing by a lower bound gives an upper bound and the reverse (unless the value is
    bounded the other way); anything else is approximate."""
    own = None if is_missing(own) else str(own)
    if is_missing(divisor):
        return own
    flipped = _FLIPPED.get(str(divisor))
    if flipped is not None and own in (None, flipped):
        return flipped
    return "approximate"


def weaker_status(*statuses: Any) -> str:
    """The weakest of several statuses: illustrative, then preliminary, then reported."""
    weakest = "reported"
    for status in statuses:
        if isinstance(status, str) and _STATUS_RANK.get(status, 0) > _STATUS_RANK[weakest]:
            weakest = status
    return weakest


def base_periods(tidy: pd.DataFrame) -> dict[str, str]:
    """The periods a series can be indexed at (key → label), oldest first."""
    periods = tidy.drop_duplicates("period_key").sort_values(["period_start", "period_end"])
    return dict(zip(periods["period_key"], periods["period_label"], strict=True))


def _base_label(frame: pd.DataFrame, base: str) -> str:
    labels = frame.loc[frame["period_key"] == base, "period_label"]
    return str(labels.iloc[0]) if not labels.empty else base


def _left(
    rows: pd.DataFrame, reason: str, lang: str, *, every_period: bool = False
) -> list[dict[str, str]]:
    """One left-out record per series of ``rows`` (in their order): its unit, indicator,
    ``reason`` and the periods left out (or "every period")."""
    if rows.empty:
        return []
    groups = rows.groupby("series", sort=False)
    first = groups[["unit_name", "indicator_name"]].first()
    if every_period:
        periods = [t("explorer_all_periods", lang)] * len(first)
    else:
        labels = groups["period_label"].agg(lambda s: ", ".join(dict.fromkeys(map(str, s))))
        periods = labels.reindex(first.index).tolist()
    return [
        {"unit_name": str(unit), "indicator_name": str(name), "reason": reason, "periods": when}
        for unit, name, when in zip(
            first["unit_name"].tolist(), first["indicator_name"].tolist(), periods, strict=True
        )
    ]


def _left_out_frame(records: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=list(LEFT_OUT_COLUMNS))


def _empty_denominators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_code": pd.Series(dtype=object),
            "period_start": pd.Series(dtype="datetime64[us]"),
            "period_end": pd.Series(dtype="datetime64[us]"),
            "denominator_value": pd.Series(dtype=float),
            "denominator_qualifier": pd.Series(dtype=object),
            "denominator_status": pd.Series(dtype=object),
        }
    )


def first_series(
    frame: pd.DataFrame, lang: str = "vi", limit: int = MAX_SERIES
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of the first ``limit`` series (what a chart draws) and the others as a
    left-out frame."""
    order = list(dict.fromkeys(frame["series"]))
    drawn = frame[frame["series"].isin(order[:limit])]
    reason = t("explorer_left_not_drawn", lang, n=limit)
    left = _left(frame[~frame["series"].isin(order[:limit])], reason, lang, every_period=True)
    return drawn.reset_index(drop=True), _left_out_frame(left)


def left_out_table(left_out: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The left-out records with headers in ``lang``."""
    return left_out.rename(columns=_headers(left_out.columns, lang))


# --- the table shown and its files --------------------------------------------------------


def shown_table(
    frame: pd.DataFrame,
    display: str,
    layout: str = "tidy",
    lang: str = "vi",
    *,
    transformed: bool = False,
) -> pd.DataFrame:
    """Exactly the table the page shows, headers in ``lang``: for a chart, its points
    (unit, indicator, period, value, qualifier, kind of figure, measure, how it was
    computed); for the table ``tidy``, the same with the target (as reported only), note
    and source file; ``pivot``, one row per unit × indicator and one column per period.
    Transformed values come with the value as reported (and the denominator)."""
    if display == "table" and layout == "pivot":
        return _pivot(frame, lang)
    columns = ["unit_name", "indicator_name", "period_label", "qualifier", "value", "measure"]
    if transformed:
        columns.append("value_original")
        if frame["denominator_value"].notna().any():
            columns.append("denominator_value")
    columns += ["value_status", "transformation"]
    if display == "table":
        columns += ["note", "source_file"] if transformed else ["target", "note", "source_file"]
    shown = frame[columns].copy()
    shown["qualifier"] = [qualifier_word(q, lang) for q in shown["qualifier"]]
    shown["value_status"] = [status_word(s, lang) for s in shown["value_status"]]
    for column in ("note", "source_file"):
        if column in shown:
            shown[column] = [("" if is_missing(v) else str(v)) for v in shown[column]]
    for column in ("value", "value_original", "denominator_value", "target"):
        if column in shown:
            shown[column] = pd.to_numeric(shown[column], errors="coerce").astype("float64")
    return shown.rename(columns=_headers(columns, lang)).reset_index(drop=True)


def _pivot(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per unit × indicator (in the order shown), one column per period, oldest
    first; the measure and transformation beside the names."""
    index = ["unit_name", "indicator_name", "measure", "transformation"]
    if frame.empty:
        return pd.DataFrame(columns=list(_headers(index, lang).values()))
    periods = frame.drop_duplicates("period_key").sort_values(["period_start", "period_end"])
    order = list(dict.fromkeys(periods["period_label"]))
    wide = frame.pivot_table(
        index=["series", *index],
        columns="period_label",
        values="value",
        aggfunc="first",
        sort=False,
    )
    wide = wide.reindex(columns=order).reset_index().drop(columns="series")
    wide.columns.name = None
    wide = wide.rename(columns=_headers(index, lang))
    for label in order:
        wide[label] = pd.to_numeric(wide[label], errors="coerce").astype("float64")
    return wide


def _headers(columns: Sequence[str], lang: str) -> dict[str, str]:
    return {column: t_or(f"col_{column}", lang, column) for column in columns}


def value_columns(shown: pd.DataFrame) -> list[str]:
    """The headers of the numeric columns of a shown table (values, periods of a pivot)."""
    return [column for column in shown.columns if pd.api.types.is_float_dtype(shown[column])]


def format_cell(value: Any, lang: str = "vi") -> str:
    """A number of the shown table: two decimals at most, three significant digits below
    one (0,0952 per household stays readable)."""
    if is_missing(value):
        return MISSING
    number = float(value)
    if number == 0 or abs(number) >= 1 or math.isinf(number):
        return format_number(number, lang)
    decimals = min(8, 2 - math.floor(math.log10(abs(number))))
    text = format_number(number, lang, decimals=decimals)
    separator = "," if normalize_lang(lang) == "vi" else "."
    return text.rstrip("0").rstrip(separator) if separator in text else text


def to_csv_bytes(shown: pd.DataFrame) -> bytes:
    """The shown table as CSV (UTF-8 with BOM, for Excel)."""
    return export.to_csv_bytes(shown)


def to_xlsx_bytes(shown: pd.DataFrame, sheet_name: str) -> bytes:
    """The shown table as a one-sheet .xlsx."""
    return export.to_xlsx_bytes({sheet_name: shown})


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as Parquet (pyarrow), columns and types as they are."""
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


# --- charts -------------------------------------------------------------------------------


def figures(
    frame: pd.DataFrame,
    display: str,
    lang: str = "vi",
    *,
    campaigns: pd.DataFrame | None = None,
) -> list[go.Figure]:
    """One figure per measure (lines or grouped bars), each series in the colour of its
    unit (and, for lines, the dash of its indicator), statuses and bounds marked as on
    every chart, campaign windows shaded."""
    shown = frame.dropna(subset=["value"])
    measures = list(dict.fromkeys(shown["measure"]))
    draw = _lines if display == "lines" else _bars
    colours = {
        code: charts.PALETTE[i % len(charts.PALETTE)]
        for i, code in enumerate(dict.fromkeys(shown["unit_code"]))
    }
    dashes = {
        code: LINE_DASHES[i % len(LINE_DASHES)]
        for i, code in enumerate(dict.fromkeys(shown["indicator_code"]))
    }
    result = []
    for measure in measures:
        panel = shown[shown["measure"] == measure]
        fig = go.Figure(
            data=[
                draw(rows, lang, colours[unit], dashes[indicator])
                for (unit, indicator), rows in panel.groupby(
                    ["unit_code", "indicator_code"], sort=False
                )
            ]
        )
        _status_legend(fig, panel, lang, bars=display == "bars")
        chart_marks.add_qualifier_legend(fig, panel, lang)
        if campaigns is not None and not campaigns.empty:
            charts.add_campaign_windows(
                fig, campaigns, panel["period_start"].min(), panel["period_end"].max()
            )
        title = t("explorer_panel_title", lang, measure=measure) if len(measures) > 1 else None
        result.append(_layout(fig, panel, lang, str(measure), title, bars=display == "bars"))
    return result


def _hover(rows: pd.DataFrame, lang: str) -> list[list[str]]:
    columns = ["series_label", "period_label", "value", "measure", "qualifier", "value_status"]
    return [
        [
            str(name),
            str(period),
            with_status(_value_text(value, measure, qualifier, lang), status, lang),
        ]
        for name, period, value, measure, qualifier, status in zip(
            *(rows[column].tolist() for column in columns), strict=True
        )
    ]


def _value_text(value: Any, measure: Any, qualifier: Any, lang: str) -> str:
    text = format_cell(value, lang)
    if is_percent(measure):
        text += " %"
    word = qualifier_word(qualifier, lang)
    return f"{word} {text}" if word else text


HOVER = "<b>%{customdata[0]}</b><br>%{customdata[1]}: %{customdata[2]}<extra></extra>"


def _midpoints(rows: pd.DataFrame) -> list[pd.Timestamp]:
    return [
        pd.Timestamp(start) + (pd.Timestamp(end) - pd.Timestamp(start)) / 2
        for start, end in zip(rows["period_start"], rows["period_end"], strict=True)
    ]


def _lines(rows: pd.DataFrame, lang: str, colour: str, dash: str) -> go.Scatter:
    symbols = [
        chart_marks.marker_symbol(status, qualifier, charts.SYMBOLS)
        for status, qualifier in zip(rows["value_status"], rows["qualifier"], strict=True)
    ]
    return go.Scatter(
        x=_midpoints(rows),
        y=rows["value"],
        name=str(rows["series_label"].iloc[0]),
        mode="lines+markers",
        line=dict(color=colour, width=2.5, dash=dash),
        marker=dict(size=11, color=colour, symbol=symbols, line=dict(width=2, color=colour)),
        customdata=_hover(rows, lang),
        hovertemplate=HOVER,
    )


def _bars(rows: pd.DataFrame, lang: str, colour: str, dash: str) -> go.Bar:
    statuses = ["reported" if is_missing(s) else str(s) for s in rows["value_status"]]
    marks = ["" if is_missing(q) else QUALIFIER_MARKS.get(str(q), "") for q in rows["qualifier"]]
    return go.Bar(
        x=_midpoints(rows),
        y=rows["value"],
        name=str(rows["series_label"].iloc[0]),
        marker=dict(
            color=colour,
            line=dict(color=colour, width=1.5),
            pattern=dict(
                shape=[charts.BAR_PATTERNS.get(s, "") for s in statuses], fillmode="overlay"
            ),
        ),
        text=marks,
        textposition="outside",
        cliponaxis=False,
        customdata=_hover(rows, lang),
        hovertemplate=HOVER,
    )


def _status_legend(fig: go.Figure, panel: pd.DataFrame, lang: str, *, bars: bool) -> None:
    """Legend-only entries for the kinds of figure shown, when not all are reported:
    hollow markers (lines) or hatched bars for illustrative values, diamonds or dotted
    bars for preliminary ones."""
    present = [s for s in charts.SYMBOLS if (panel["value_status"] == s).any()]
    if present in (["reported"], []):
        return
    for status in present:
        name = t(f"legend_{status}", lang)
        if bars:
            trace: Any = go.Bar(
                x=[None],
                y=[None],
                name=name,
                hoverinfo="skip",
                legendrank=2000,
                marker=dict(
                    color="#888",
                    pattern=dict(shape=charts.BAR_PATTERNS[status], fillmode="overlay"),
                ),
            )
        else:
            trace = go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                hoverinfo="skip",
                legendrank=2000,
                marker=dict(
                    size=11, color="#555", symbol=charts.SYMBOLS[status], line=dict(width=2)
                ),
            )
        fig.add_trace(trace)


def _layout(
    fig: go.Figure, panel: pd.DataFrame, lang: str, measure: str, title: str | None, *, bars: bool
) -> go.Figure:
    first = pd.Timestamp(panel["period_start"].min())
    fig.update_xaxes(dtick="M12", tick0=f"{first.year}-07-02", tickformat="%Y", gridcolor="#eef0f4")
    axis: dict[str, Any] = dict(
        rangemode="tozero",
        gridcolor="#e5e8ee",
        zeroline=True,
        exponentformat="none",
        separatethousands=True,
    )
    if is_percent(measure):
        axis["ticksuffix"] = " %"
    fig.update_yaxes(title_text=measure, **axis)
    fig.update_layout(
        template="plotly_white",
        title=dict(text=title, font=dict(size=21)) if title else None,
        font=charts.FONT,
        height=480,
        margin=dict(l=10, r=30, t=70 if title else 30, b=40),
        separators=",." if normalize_lang(lang) == "vi" else ".,",
        hoverlabel=dict(font_size=15),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
        barmode="group" if bars else None,
        showlegend=True,
    )
    return fig
