"""Completeness: which units reported which indicators for one period.

The grid has one *cell* per unit × expected indicator, with a status:

- ``reported``, ``illustrative``, ``preliminary``: a current value is stored (the
  ``value_status`` of :data:`v_observation`); a value stored for a unit outside its
  validity dates still counts, since the figure is there;
- ``missing``: no value is stored although the unit existed at the end of the period;
- ``not_applicable``: no value is stored and the unit did not exist at the end of the
  period (``unit.valid_from``/``valid_to``: created later, merged or dissolved before).
  A report is due from the units that exist when the period closes.

Units are the children of a parent unit, or its whole subtree (each unit its own row).
Expected indicators are, by default, every indicator that some unit in scope reported
for the same period type in any period, so the grid never lists indicators nobody
reports; they can be narrowed to one group, or given as a list. One period type at a
time: a year is never compared with a half-year or a term.

Queries return small DataFrames; the summary, the Plotly grid and the .xlsx export are
built from the cells frame. Nothing here imports Streamlit.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard import queries
from dashboard.charts import FONT
from dashboard.export import to_csv_bytes
from dashboard.formatting import (
    MISSING,
    format_date,
    format_datetime,
    format_period,
    format_value,
    is_missing,
    qualifier_word,
)
from dashboard.i18n import t
from dashboard.queries import Connection

PERIOD_TYPES = ("year", "half", "quarter", "month", "term", "span")
SCOPES = ("children", "subtree")
STATUSES = ("reported", "illustrative", "preliminary", "missing", "not_applicable")
WITH_FIGURE = frozenset({"reported", "illustrative", "preliminary"})
MAX_UNITS = 300
UPRIGHT_HEADERS = 5  # up to this many indicators, headers are upright and wrapped
WRAP_AT = 12
HEADER_CHARS = 40  # longer indicator and unit names are cut (the tooltip has them whole)
LABEL_CHARS = 34
SUMMARY_NAMES = 12  # missing units named in the summary line; the tables list them all


@dataclass(frozen=True)
class StatusStyle:
    """How one status is drawn: a symbol (never colour alone), a fill and a text colour."""

    symbol: str
    fill: str
    text: str


# Symbols follow the charts: hollow circle = illustrative, diamond = preliminary.
STYLES = {
    "reported": StatusStyle("✓", "#1B7837", "#FFFFFF"),
    "illustrative": StatusStyle("○", "#A6DBA0", "#0B3D12"),
    "preliminary": StatusStyle("◆", "#FDB863", "#4A2A00"),
    "missing": StatusStyle("✗", "#D6604D", "#FFFFFF"),
    "not_applicable": StatusStyle("–", "#E0E0E0", "#555555"),
}


@dataclass(frozen=True)
class Period:
    """One period of one type; ``str()`` is its key in a link (``2012`` or
    ``2025-01-01..2025-06-30``)."""

    period_type: str
    start: date
    end: date

    def __str__(self) -> str:
        if self.period_type == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def label(self, lang: str = "vi") -> str:
        """``2012``, ``6 tháng đầu 2025``, ``2020–2025``… (see :func:`format_period`)."""
        return format_period(self.start, self.end, self.period_type, lang)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class Summary:
    """What the summary line says about a cells frame."""

    n_units: int  # units expected to report, or that reported something
    n_complete: int  # of those, units with no missing cell
    n_indicators: int
    missing: list[tuple[str, int]]  # (unit label, missing cells), most missing first
    not_applicable: list[str]  # units whose every cell is not applicable
    n_illustrative: int
    n_preliminary: int


# --- queries ------------------------------------------------------------------------------


# Units below $parent: its children, or (with $subtree) every descendant, each with its
# depth below the parent and its path of codes (for tree order).
_SCOPE = """
scope(unit_code, depth, path) AS (
    SELECT unit_code, 1, [unit_code] FROM unit WHERE parent_code = $parent
    UNION ALL
    SELECT c.unit_code, s.depth + 1, list_append(s.path, c.unit_code)
    FROM unit c JOIN scope s ON c.parent_code = s.unit_code
    WHERE $subtree AND s.depth < 20
)"""


def parent_units(con: Connection, lang: str = "vi") -> pd.DataFrame:
    """Units with at least one descendant holding data, in tree order.

    Columns: unit_code, unit_name, depth (in the catalogue tree, for indenting a list),
    n_children (children holding data), n_observations (values stored below the unit).
    """
    return con.execute(
        f"""
        WITH RECURSIVE tree(unit_code, depth, path) AS (
            SELECT u.unit_code, 0, [u.unit_code] FROM unit u
            WHERE u.parent_code IS NULL OR u.parent_code NOT IN (SELECT unit_code FROM unit)
            UNION ALL
            SELECT c.unit_code, t.depth + 1, list_append(t.path, c.unit_code)
            FROM unit c JOIN tree t ON c.parent_code = t.unit_code
            WHERE t.depth < 20
        ),
        holding AS (SELECT unit_code, count(*) AS n FROM v_observation GROUP BY unit_code),
        below AS (
            SELECT h.unit_code, h.n, t.path[-2] AS parent_code,
                   unnest(t.path[1:-2]) AS ancestor
            FROM holding h JOIN tree t USING (unit_code)
        )
        SELECT b.ancestor AS unit_code, {queries.unit_name_sql(lang)} AS unit_name, t.depth,
               count(DISTINCT b.unit_code) FILTER (WHERE b.parent_code = b.ancestor)
                   AS n_children,
               sum(b.n) AS n_observations
        FROM below b
        JOIN unit u ON u.unit_code = b.ancestor
        JOIN tree t ON t.unit_code = b.ancestor
        GROUP BY b.ancestor, unit_name, t.depth, t.path
        ORDER BY t.path
        """
    ).df()


def period_types(con: Connection, parent: str, *, subtree: bool = False) -> list[str]:
    """Period types of the values stored for units in scope, years first."""
    rows = con.execute(
        f"""
        WITH RECURSIVE {_SCOPE}
        SELECT DISTINCT period_type FROM v_observation
        WHERE unit_code IN (SELECT unit_code FROM scope)
        """,
        {"parent": parent, "subtree": subtree},
    ).fetchall()
    present = {str(row[0]) for row in rows}
    return [kind for kind in PERIOD_TYPES if kind in present] + sorted(present - set(PERIOD_TYPES))


def periods(
    con: Connection, parent: str, period_type: str, *, subtree: bool = False
) -> list[Period]:
    """Periods of ``period_type`` with values for units in scope, oldest first."""
    if period_type == "year":
        rows = con.execute(
            f"""
            WITH RECURSIVE {_SCOPE}
            SELECT DISTINCT year(period_start) AS y FROM v_observation
            WHERE period_type = 'year' AND unit_code IN (SELECT unit_code FROM scope)
            ORDER BY y
            """,
            {"parent": parent, "subtree": subtree},
        ).fetchall()
        return [Period.year(int(row[0])) for row in rows]
    rows = con.execute(
        f"""
        WITH RECURSIVE {_SCOPE}
        SELECT DISTINCT period_start, period_end FROM v_observation
        WHERE period_type = $period_type AND unit_code IN (SELECT unit_code FROM scope)
        ORDER BY period_start, period_end
        """,
        {"parent": parent, "subtree": subtree, "period_type": period_type},
    ).fetchall()
    return [Period(period_type, row[0], row[1]) for row in rows]


def expected_indicators(
    con: Connection,
    parent: str,
    period_type: str,
    lang: str = "vi",
    *,
    subtree: bool = False,
) -> pd.DataFrame:
    """Indicators some unit in scope reported for ``period_type`` in any period.

    Columns: indicator_code, indicator_name, measure, group_code, group_rank; groups in
    reading order.
    """
    return con.execute(
        f"""
        WITH RECURSIVE {_SCOPE}
        SELECT i.indicator_code, {queries.indicator_columns_sql(lang)}, i.group_code,
               {queries.GROUP_RANK} AS group_rank
        FROM indicator i
        WHERE i.indicator_code IN (
            SELECT indicator_code FROM v_observation
            WHERE period_type = $period_type AND value IS NOT NULL
              AND unit_code IN (SELECT unit_code FROM scope))
        ORDER BY group_rank, i.group_code, indicator_name
        """,
        {"parent": parent, "subtree": subtree, "period_type": period_type},
    ).df()


def grid(
    con: Connection,
    parent: str,
    period: Period,
    lang: str = "vi",
    *,
    subtree: bool = False,
    group: str | None = None,
    indicators: Sequence[str] | None = None,
    max_units: int = MAX_UNITS,
) -> pd.DataFrame:
    """One row per unit in scope × expected indicator, units in tree order (units where
    every cell is ``not_applicable`` last), indicators by group.

    ``indicators`` lists the expected indicators outright; otherwise they are the ones
    some unit in scope reported for ``period.period_type`` in any period. ``group``
    keeps one indicator group. At most ``max_units`` units; ``frame.attrs`` holds
    ``truncated`` and ``n_units_in_scope``.

    Columns: unit_code, unit_name, unit_label (the name, with the code where two units
    in the grid share a name), depth, valid_from, valid_to, existed (at the period's
    end), indicator_code, indicator_name, measure, group_code, status, value,
    qualifier, batch_id, source_file, source_sheet, source_cell, loaded_at,
    last_period_start, last_period_end, last_source_file (the latest period of this
    type with a value, for a missing cell's tooltip), unit_not_applicable.
    """
    params: dict[str, Any] = {
        "parent": parent,
        "subtree": subtree,
        "period_type": period.period_type,
        "start": period.start,
        "end": period.end,
        "group": group,
        "indicators": None if indicators is None else list(indicators),
        "max_units": max_units,
    }
    frame = con.execute(
        f"""
        WITH RECURSIVE {_SCOPE},
        units AS (
            SELECT s.unit_code, {queries.unit_name_sql(lang)} AS unit_name, s.depth, s.path,
                   u.valid_from, u.valid_to,
                   (u.valid_from IS NULL OR u.valid_from <= $end)
                   AND (u.valid_to IS NULL OR u.valid_to >= $end) AS existed,
                   count(*) OVER () AS n_scope
            FROM scope s JOIN unit u USING (unit_code)
            ORDER BY s.path
            LIMIT $max_units
        ),
        typed AS (
            SELECT o.unit_code, o.indicator_code, o.period_start, o.period_end, o.value,
                   o.qualifier, o.value_status, o.batch_id, o.source_file, o.source_sheet,
                   o.source_cell
            FROM v_observation o
            WHERE o.period_type = $period_type AND o.value IS NOT NULL
              AND o.unit_code IN (SELECT unit_code FROM scope)
        ),
        expected AS (
            SELECT i.indicator_code, {queries.indicator_columns_sql(lang)}, i.group_code,
                   {queries.GROUP_RANK} AS group_rank
            FROM indicator i
            WHERE CASE WHEN CAST($indicators AS VARCHAR[]) IS NULL
                       THEN i.indicator_code IN (SELECT indicator_code FROM typed)
                       ELSE list_contains($indicators, i.indicator_code) END
              AND (CAST($group AS VARCHAR) IS NULL OR i.group_code = $group)
        ),
        cell AS (
            SELECT * FROM typed
            WHERE CASE WHEN $period_type = 'year' THEN year(period_start) = year($start)
                       ELSE period_start = $start AND period_end = $end END
            QUALIFY row_number() OVER (PARTITION BY unit_code, indicator_code
                                       ORDER BY batch_id DESC, period_end DESC) = 1
        ),
        latest AS (
            SELECT unit_code, indicator_code, period_start AS last_period_start,
                   period_end AS last_period_end, source_file AS last_source_file
            FROM typed
            QUALIFY row_number() OVER (PARTITION BY unit_code, indicator_code
                                       ORDER BY period_end DESC, batch_id DESC) = 1
        ),
        cells AS (
            SELECT u.unit_code, u.unit_name, u.depth, u.path, u.valid_from, u.valid_to,
                   u.existed, u.n_scope, e.indicator_code, e.indicator_name, e.measure,
                   e.group_code, e.group_rank,
                   CASE WHEN c.unit_code IS NOT NULL THEN c.value_status
                        WHEN u.existed THEN 'missing'
                        ELSE 'not_applicable' END AS status,
                   c.value, c.qualifier, c.batch_id, c.source_file, c.source_sheet,
                   c.source_cell, b.loaded_at,
                   l.last_period_start, l.last_period_end, l.last_source_file
            FROM units u CROSS JOIN expected e
            LEFT JOIN cell c ON c.unit_code = u.unit_code
                            AND c.indicator_code = e.indicator_code
            LEFT JOIN batch b ON b.batch_id = c.batch_id
            LEFT JOIN latest l ON l.unit_code = u.unit_code
                              AND l.indicator_code = e.indicator_code
        )
        SELECT *,
               bool_and(status = 'not_applicable') OVER (PARTITION BY unit_code)
                   AS unit_not_applicable
        FROM cells
        ORDER BY unit_not_applicable, path, group_rank, group_code, indicator_name
        """,
        params,
    ).df()
    n_scope = int(frame["n_scope"].iloc[0]) if not frame.empty else 0
    frame = frame.drop(columns=["path", "n_scope", "group_rank"])
    frame.insert(2, "unit_label", _unique_labels(frame))
    frame.attrs["truncated"] = n_scope > max_units
    frame.attrs["n_units_in_scope"] = n_scope
    return frame


def _unique_labels(cells: pd.DataFrame) -> pd.Series:
    """Unit names, with the code added where two units in the grid share a name (a
    province before and after a merger)."""
    units = cells.drop_duplicates("unit_code")
    shared = set(units.loc[units["unit_name"].duplicated(keep=False), "unit_name"])
    return pd.Series(
        [
            f"{name} ({code})" if name in shared else str(name)
            for code, name in zip(cells["unit_code"], cells["unit_name"], strict=True)
        ],
        index=cells.index,
        dtype="object",
    )


# --- counts and summary -------------------------------------------------------------------


def unit_counts(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per unit in grid order: unit_code, unit_label, n_expected_indicators
    (cells not ``not_applicable``), n_missing_indicators, missing_indicators (names,
    comma-separated), unit_not_applicable."""
    if cells.empty:
        return pd.DataFrame(columns=_UNIT_COUNT_COLUMNS)
    flags = cells.assign(
        expected=cells["status"] != "not_applicable",
        missing=cells["status"] == "missing",
        missing_name=cells["indicator_name"].where(cells["status"] == "missing"),
    )
    by_unit = flags.groupby("unit_code", sort=False)  # one pass, not a frame per unit
    counts = by_unit.agg(
        unit_label=("unit_label", "first"),
        n_expected_indicators=("expected", "sum"),
        n_missing_indicators=("missing", "sum"),
        missing_indicators=("missing_name", lambda names: ", ".join(names.dropna())),
        unit_not_applicable=("unit_not_applicable", "first"),
    ).reset_index()
    counts["n_expected_indicators"] = counts["n_expected_indicators"].astype(int)
    counts["n_missing_indicators"] = counts["n_missing_indicators"].astype(int)
    counts["unit_not_applicable"] = counts["unit_not_applicable"].astype(bool)
    return counts[_UNIT_COUNT_COLUMNS]


_UNIT_COUNT_COLUMNS = [
    "unit_code",
    "unit_label",
    "n_expected_indicators",
    "n_missing_indicators",
    "missing_indicators",
    "unit_not_applicable",
]


def indicator_counts(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per expected indicator in grid order: indicator_code, indicator_name,
    n_expected_units (cells not ``not_applicable``), n_missing_units, missing_units
    (labels, comma-separated)."""
    rows = []
    for code, part in cells.groupby("indicator_code", sort=False):
        missing = part[part["status"] == "missing"]
        rows.append(
            {
                "indicator_code": code,
                "indicator_name": part["indicator_name"].iloc[0],
                "n_expected_units": int((part["status"] != "not_applicable").sum()),
                "n_missing_units": len(missing),
                "missing_units": ", ".join(missing["unit_label"]),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_code",
            "indicator_name",
            "n_expected_units",
            "n_missing_units",
            "missing_units",
        ],
    )


def summarize(cells: pd.DataFrame) -> Summary:
    """Counts for the summary line (see :class:`Summary`)."""
    units = unit_counts(cells)
    expected = units[~units["unit_not_applicable"]]
    lagging = expected[expected["n_missing_indicators"] > 0].sort_values(
        "n_missing_indicators", ascending=False, kind="stable"
    )
    return Summary(
        n_units=len(expected),
        n_complete=int((expected["n_missing_indicators"] == 0).sum()),
        n_indicators=int(cells["indicator_code"].nunique()),
        missing=[
            (str(label), int(n))
            for label, n in zip(lagging["unit_label"], lagging["n_missing_indicators"], strict=True)
        ],
        not_applicable=[
            str(label) for label in units.loc[units["unit_not_applicable"], "unit_label"]
        ],
        n_illustrative=int((cells["status"] == "illustrative").sum()),
        n_preliminary=int((cells["status"] == "preliminary").sum()),
    )


def summary_text(summary: Summary, period: Period, lang: str = "vi") -> str:
    """``2012: 8 trong 9 đơn vị đã báo cáo đủ 9 chỉ tiêu; còn thiếu: Huyện Thới Lai (9
    thiếu).`` (Markdown)."""
    label = period.label(lang)
    if not summary.missing:
        return t("completeness_all", lang, period=label, n=summary.n_units, k=summary.n_indicators)
    named = [
        t("completeness_missing_unit", lang, unit=unit, n=n)
        for unit, n in summary.missing[:SUMMARY_NAMES]
    ]
    if len(summary.missing) > SUMMARY_NAMES:
        named.append(t("completeness_more", lang, n=len(summary.missing) - SUMMARY_NAMES))
    return t(
        "completeness_summary",
        lang,
        period=label,
        complete=summary.n_complete,
        n=summary.n_units,
        k=summary.n_indicators,
        missing=", ".join(named),
    )


def status_label(status: str, lang: str = "vi") -> str:
    """``✗ Chưa báo cáo``: the symbol and the word, as in the legend and the workbook."""
    return f"{STYLES[status].symbol} {t(f'status_{status}', lang)}"


# --- cell tooltips and details --------------------------------------------------------------


def cell_tooltip(row: Any, period_type: str, lang: str = "vi") -> str:
    """What a cell's tooltip says: unit, indicator, status, then the value and its file,
    when the unit last reported, or when it existed."""
    lines = [f"<b>{row.unit_label}</b>", str(row.indicator_name), status_label(row.status, lang)]
    if row.status in WITH_FIGURE:
        value = format_value(row.value, lang, measure=row.measure, qualifier=row.qualifier)
        lines.append(t("hover_value", lang, value=value))
        lines.append(t("hover_source", lang, file=row.source_file, where=_where(row)))
        when = format_datetime(row.loaded_at, lang) if not is_missing(row.loaded_at) else MISSING
        lines.append(t("hover_batch", lang, batch=int(row.batch_id), when=when))
    elif row.status == "missing":
        lines.append(_last_reported(row, period_type, lang) or t("hover_never", lang))
    else:
        lines.append(t("hover_existed", lang, window=_existed(row, lang)))
    return "<br>".join(lines)


def _where(row: Any) -> str:
    sheet = "" if is_missing(row.source_sheet) else str(row.source_sheet)
    cell = "" if is_missing(row.source_cell) else str(row.source_cell)
    return f"{sheet}!{cell}" if sheet and cell else sheet or cell or MISSING


def _last_reported(row: Any, period_type: str, lang: str) -> str | None:
    if is_missing(row.last_period_start):
        return None
    period = format_period(row.last_period_start, row.last_period_end, period_type, lang)
    return t("hover_last", lang, period=period, file=row.last_source_file)


def _existed(row: Any, lang: str) -> str:
    first = "…" if is_missing(row.valid_from) else format_date(row.valid_from, lang)
    last = "…" if is_missing(row.valid_to) else format_date(row.valid_to, lang)
    return f"{first} – {last}"


def details(cells: pd.DataFrame, period: Period, lang: str = "vi") -> pd.DataFrame:
    """Tidy rows for download: unit, indicator, status (symbol and word), the value and
    where it came from, or the latest period with a figure."""
    return pd.DataFrame(
        {
            "unit_code": cells["unit_code"],
            "unit_name": cells["unit_label"],
            "indicator_code": cells["indicator_code"],
            "indicator_name": cells["indicator_name"],
            "period": period.label(lang),
            "status": [status_label(s, lang) for s in cells["status"]],
            "value": cells["value"],
            "qualifier": [qualifier_word(q, lang) or None for q in cells["qualifier"]],
            "measure": cells["measure"],
            "source_file": cells["source_file"],
            "source_sheet": cells["source_sheet"],
            "source_cell": cells["source_cell"],
            "batch_id": cells["batch_id"].astype("Int64"),
            "last_reported": [
                format_period(s, e, period.period_type, lang) if not is_missing(s) else None
                for s, e in zip(cells["last_period_start"], cells["last_period_end"], strict=True)
            ],
        }
    )


# --- the grid as a chart ------------------------------------------------------------------


def grid_figure(cells: pd.DataFrame, period: Period, lang: str = "vi", *, title: str) -> go.Figure:
    """A heatmap units × indicators: one colour and one symbol per status, a legend
    naming them, and a tooltip per cell (value, file, batch; or the latest report)."""
    units = cells.drop_duplicates("unit_code")
    indicators = cells.drop_duplicates("indicator_code")
    codes = {status: index for index, status in enumerate(STATUSES)}
    tips = [cell_tooltip(row, period.period_type, lang) for row in cells.itertuples()]
    wide = cells.assign(tip=tips).pivot(
        index="unit_code", columns="indicator_code", values=["status", "tip"]
    )
    wide = wide.reindex(index=units["unit_code"])
    status = wide["status"].reindex(columns=indicators["indicator_code"])
    hover = wide["tip"].reindex(columns=indicators["indicator_code"])
    upright = len(indicators) <= UPRIGHT_HEADERS
    headers = [
        _wrap(name, WRAP_AT) if upright else _shorten(name, HEADER_CHARS)
        for name in indicators["indicator_name"]
    ]
    fig = go.Figure(
        go.Heatmap(
            z=status.map(codes.__getitem__).to_numpy(),
            x=headers,
            y=[
                "\u2003" * (int(depth) - 1) + _shorten(label, LABEL_CHARS)
                for depth, label in zip(units["depth"], units["unit_label"], strict=True)
            ],
            text=status.map(lambda s: STYLES[s].symbol).to_numpy(),
            texttemplate="%{text}",
            textfont=dict(size=22),
            customdata=hover.to_numpy(),
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=_discrete_scale(),
            zmin=-0.5,
            zmax=len(STATUSES) - 0.5,
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    for name in STATUSES:  # the legend: a coloured square and the symbol with its word
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=status_label(name, lang),
                marker=dict(symbol="square", size=18, color=STYLES[name].fill),
                hoverinfo="skip",
            )
        )
    if upright:
        top = 60 + 20 * max(header.count("<br>") + 1 for header in headers)
    else:
        top = 60 + 6 * max(len(header) for header in headers)
    fig.update_layout(
        template="plotly_white",
        title=dict(
            text=title,
            font=dict(size=21),
            x=0,
            xref="container",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(t=12, l=12),
        ),
        font=FONT,
        height=top + 90 + 46 * len(units),
        margin=dict(l=10, r=20, t=top, b=80),
        hoverlabel=dict(font_size=15, align="left"),
        legend=dict(orientation="h", yanchor="top", y=-0.01, xanchor="left", x=0),
        plot_bgcolor="#FFFFFF",
    )
    fig.update_xaxes(
        side="top", tickangle=0 if upright else -45, showgrid=False, tickfont=dict(size=15)
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, tickfont=dict(size=17))
    return fig


def _discrete_scale() -> list[list[Any]]:
    """A colour scale with one flat band per status (z = the status's index)."""
    scale: list[list[Any]] = []
    n = len(STATUSES)
    for index, status in enumerate(STATUSES):
        scale.append([index / n, STYLES[status].fill])
        scale.append([(index + 1) / n, STYLES[status].fill])
    return scale


def _shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis (the tooltip has it whole)."""
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _wrap(text: str, width: int) -> str:
    """Break a long indicator name over lines of about ``width`` characters."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


# --- the grid as files --------------------------------------------------------------------


def to_csv(cells: pd.DataFrame, period: Period, lang: str = "vi") -> bytes:
    """The :func:`details` rows as CSV (UTF-8 with BOM, for Excel), headers translated."""
    frame = details(cells, period, lang)
    return to_csv_bytes(frame.rename(columns=lambda column: t(f"col_{column}", lang)))


_THIN = Side(style="thin", color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def to_xlsx(cells: pd.DataFrame, period: Period, lang: str = "vi", *, title: str) -> bytes:
    """The grid as a workbook: the same colours and symbols as on screen, missing counts
    per unit (last column) and per indicator (last row), a legend, and a details sheet
    with every cell's value and source."""
    book = Workbook()
    sheet = book.active
    sheet.title = t("sheet_grid", lang)[:31]
    _write_grid(sheet, cells, lang, title)
    _write_table(
        book.create_sheet(t("sheet_details", lang)[:31]), details(cells, period, lang), lang
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_grid(sheet: Worksheet, cells: pd.DataFrame, lang: str, title: str) -> None:
    units = unit_counts(cells)
    indicators = indicator_counts(cells)
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.cell(
        row=2,
        column=1,
        value=t("completeness_prepared", lang, date=format_date(date.today(), lang)),
    )
    header = 4
    headings = [
        t("col_unit_name", lang),
        *indicators["indicator_name"],
        t("col_n_missing_indicators", lang),
    ]
    for col, text in enumerate(headings, start=1):
        cell = sheet.cell(row=header, column=col, value=str(text))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
    status = cells.pivot(index="unit_code", columns="indicator_code", values="status")
    for offset, unit in enumerate(units.itertuples()):
        row = header + 1 + offset
        sheet.cell(row=row, column=1, value=unit.unit_label)
        for col, code in enumerate(indicators["indicator_code"], start=2):
            _status_cell(sheet, row, col, str(status.at[unit.unit_code, code]), lang)
        sheet.cell(row=row, column=len(headings), value=int(unit.n_missing_indicators))
    totals = header + 1 + len(units)
    sheet.cell(row=totals, column=1, value=t("col_n_missing_units", lang)).font = Font(bold=True)
    for col, n in enumerate(indicators["n_missing_units"], start=2):
        sheet.cell(row=totals, column=col, value=int(n)).font = Font(bold=True)
    legend = totals + 2
    sheet.cell(row=legend, column=1, value=t("legend", lang)).font = Font(bold=True)
    for offset, name in enumerate(STATUSES, start=1):
        _status_cell(sheet, legend + offset, 1, name, lang)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
    sheet.column_dimensions["A"].width = min(
        60, max(len(str(u)) for u in [*units["unit_label"], "x" * 20]) + 2
    )
    for col in range(2, len(headings) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 18
    sheet.row_dimensions[header].height = 60


def _status_cell(sheet: Worksheet, row: int, col: int, status: str, lang: str) -> None:
    style = STYLES[status]
    cell = sheet.cell(row=row, column=col, value=status_label(status, lang))
    cell.fill = PatternFill("solid", fgColor=style.fill.lstrip("#"))
    cell.font = Font(color=style.text.lstrip("#"), bold=status == "missing")
    cell.alignment = Alignment(horizontal="center", vertical="center")
    cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _write_table(sheet: Worksheet, frame: pd.DataFrame, lang: str) -> None:
    headings = [t(f"col_{column}", lang) for column in frame.columns]
    for col, text in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for row_index, row in enumerate(frame.itertuples(index=False), start=2):
        for col, value in enumerate(row, start=1):
            sheet.cell(
                row=row_index, column=col, value=None if is_missing(value) else _plain(value)
            )
    sheet.freeze_panes = "A2"
    for col, text in enumerate(headings, start=1):
        sample = [str(v) for v in frame.iloc[:200, col - 1].tolist() if not is_missing(v)]
        width = min(60, max(len(v) for v in [text, *sample]) + 2)
        sheet.column_dimensions[get_column_letter(col)].width = width


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
