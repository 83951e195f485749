"""The compare page's numbers, without Streamlit: the children of a unit ranked on one
indicator with their rank movement, their values units × years, the breadcrumb path up
the hierarchy, and what a click on a bar selects.

Everything starts from :func:`compare_values`: one roll-up (:func:`dashboard.rollup.rollup`)
of the parent and its children over every year, so each child's value is its own where
it reported one, else combined from the units below it (sums; rates as Σ numerator /
Σ denominator, never a mean of rates), and a parent's value the same. Year periods
only: a chart never mixes period types. The other functions reshape that frame in
pandas (a few hundred rows per parent even in the 100× warehouse).

Ranks follow the indicator's direction, as :func:`dashboard.queries.compare_children`
ranks: the lowest value first for ``lower_better``, else the highest first
(``neutral`` too). Ties share a rank and the next rank is skipped (competition
ranking: 1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from dashboard import rollup
from dashboard.formatting import MISSING, format_value, is_missing, with_status
from dashboard.i18n import normalize_lang, register, t

Connection = duckdb.DuckDBPyConnection

register(
    {
        "movement_new": ("mới", "new"),
        "col_movement_label": ("So với năm trước", "Change in rank"),
        "col_previous_rank": ("Hạng năm trước", "Previous rank"),
        "movement_caption": (
            "Thay đổi thứ hạng so với năm {year}: ▲ lên hạng, ▼ xuống hạng, = giữ hạng, "
            "“mới”: chưa có trong bảng xếp hạng năm {year}. Bằng giá trị thì cùng hạng.",
            "Change in rank since {year}: ▲ up, ▼ down, = unchanged, “new”: not in the "
            "{year} ranking. Equal values share a rank.",
        ),
        "target_line": ("Mục tiêu", "Target"),
        "quality_illustrative": (
            "{k} trong {n} giá trị là số liệu minh họa, không phải số báo cáo chính thức",
            "{k} of {n} values are illustrative, not officially reported figures",
        ),
        "quality_preliminary": (
            "{k} trong {n} giá trị là số liệu sơ bộ",
            "{k} of {n} values are preliminary",
        ),
        "quality_inexact": (
            "không phải số chính xác (giá trị cận hoặc gần đúng): {items}",
            "not exact figures (bounds or approximations): {items}",
        ),
        "heat_mark_legend": (
            "○ minh họa · ◆ sơ bộ · “hơn”, “dưới”: giá trị cận",
            "○ illustrative · ◆ preliminary · “over”, “under”: a bound",
        ),
        "heat_better": ("Xanh: tốt hơn<br>Đỏ: kém hơn", "Green: better<br>Red: worse"),
        "heat_title": (
            "{indicator}{measure} — {unit}, các năm",
            "{indicator}{measure} — {unit}, by year",
        ),
        "multiples_title": (
            "{indicator} — từng đơn vị trực thuộc {unit}",
            "{indicator} — each unit of {unit}",
        ),
        "breadcrumb_help": (
            "Về cấp {unit}",
            "Up to {unit}",
        ),
        "drill_hint": (
            "Bấm vào một thanh để xem các đơn vị trực thuộc của đơn vị đó.",
            "Click a bar to see that unit's own units.",
        ),
        "drill_leaf": (
            "{unit} không có đơn vị trực thuộc có số liệu chỉ tiêu này: đơn vị được tô đậm "
            "trên các biểu đồ.",
            "{unit} has no units of its own with figures for this indicator: it is "
            "highlighted on the charts instead.",
        ),
        "time_view": ("Xem theo thời gian", "Over time as"),
        "time_view_lines": ("Các đường chung một biểu đồ", "Lines on one chart"),
        "time_view_multiples": ("Mỗi đơn vị một biểu đồ", "One small chart per unit"),
        "time_view_heat": ("Bảng nhiệt đơn vị × năm", "Heat table units × years"),
        "units_shown": (
            "Biểu đồ hiển thị {shown} trong {n} đơn vị: {top} đứng đầu và {bottom} đứng cuối "
            "bảng xếp hạng năm {year}{extra}. Đủ các đơn vị trong bảng xếp hạng bên dưới.",
            "The charts show {shown} of {n} units: the first {top} and the last {bottom} of "
            "the {year} ranking{extra}. Every unit is in the ranking table below.",
        ),
        "units_shown_highlight": (", và đơn vị đang tô đậm", ", and the highlighted unit"),
        "parent_total": (
            "{unit} (cả đơn vị): {value}; không vẽ thành đường trên biểu đồ vì đây là tổng "
            "của các đơn vị trực thuộc, không cùng thang với từng đơn vị.",
            "{unit} as a whole: {value}; not drawn as a line, as it is the total of its "
            "units, not on the same scale as each of them.",
        ),
        "no_ranking_years": (
            "Các đơn vị trực thuộc {unit} chưa có số liệu theo năm của chỉ tiêu này.",
            "The units of {unit} have no yearly figures for this indicator yet.",
        ),
    }
)

STATUS_MARKS = {"illustrative": "○", "preliminary": "◆"}  # as the completeness grid marks them
NAME_COLUMNS = ("unit_code", "unit_name")
VALUE_COLUMNS = (
    "unit_code", "unit_name", "is_parent", "year", "period_start", "period_end", "value",
    "qualifier", "target", "value_status", "is_rollup", "n_units", "numerator_value",
    "denominator_value", "derivation", "missing_parts", "missing_units",
)  # fmt: skip
RANKING_COLUMNS = (
    "rank", "unit_code", "unit_name", "value", "qualifier", "target", "value_status",
    "is_rollup", "n_units", "numerator_value", "denominator_value", "derivation",
    "missing_parts", "missing_units", "previous_rank", "movement", "movement_label",
)  # fmt: skip


def _en(lang: str) -> bool:
    return normalize_lang(lang) == "en"


# --- reading ---------------------------------------------------------------------------------


def compare_values(con: Connection, parent: str, indicator: str, lang: str = "vi") -> pd.DataFrame:
    """Yearly values of ``parent`` and of each of its children for ``indicator``, own or
    rolled up from the units below (one :func:`dashboard.rollup.rollup` call).

    One row per unit and year with a value; the parent's rows first
    (``is_parent``), then the children's by unit code and year. Columns:
    ``VALUE_COLUMNS``.
    """
    values = rollup.rollup(con, [parent], [indicator], "year", depth=1)
    name = "coalesce(u.name_en, u.name_vi)" if _en(lang) else "u.name_vi"
    names = con.execute(
        f"SELECT u.unit_code, {name} AS unit_name FROM unit u "
        "WHERE u.parent_code = ? OR u.unit_code = ?",
        [parent, parent],
    ).df()
    frame = values.merge(names, on="unit_code")
    frame = frame.assign(
        is_parent=frame["depth"] == 0,
        year=pd.to_datetime(frame["period_start"]).dt.year.astype("int64"),
    ).sort_values(["depth", "unit_code", "period_start"], kind="stable")
    return frame[list(VALUE_COLUMNS)].reset_index(drop=True)


def ancestors(con: Connection, unit: str, lang: str = "vi") -> list[tuple[str, str]]:
    """(code, name) of each unit from the top of ``unit``'s hierarchy down to ``unit``
    itself, following ``unit.parent_code``; empty for an unknown unit."""
    name = "coalesce(u.name_en, u.name_vi)" if _en(lang) else "u.name_vi"
    rows = con.execute(
        f"""
        WITH RECURSIVE up(unit_code, parent_code, height) AS (
            SELECT unit_code, parent_code, 0 FROM unit WHERE unit_code = ?
            UNION ALL
            SELECT u.unit_code, u.parent_code, up.height + 1
            FROM unit u JOIN up ON u.unit_code = up.parent_code
            WHERE up.height < {rollup.MAX_DEPTH}
        )
        SELECT up.unit_code, {name} AS unit_name
        FROM up JOIN unit u USING (unit_code)
        ORDER BY up.height DESC
        """,
        [unit],
    ).fetchall()
    return [(str(code), str(label)) for code, label in rows]


# --- ranking ---------------------------------------------------------------------------------


def ranking_years(values: pd.DataFrame) -> list[int]:
    """Years in which at least one child has a value, oldest first."""
    children = values[~values["is_parent"].astype(bool) & values["value"].notna()]
    return sorted(int(year) for year in children["year"].unique())


def _ranks(values: pd.Series, direction: str | None) -> pd.Series:
    """Competition ranks (ties share the best rank): lowest first for ``lower_better``,
    else highest first; as :func:`dashboard.queries.compare_children` ranks."""
    return values.rank(method="min", ascending=direction == "lower_better").astype("int64")


def movement_label(movement: Any, has_previous: bool, lang: str = "vi") -> str:
    """``▲2`` (up two places), ``▼1``, ``=``; ``mới``/``new`` when the unit was not in
    the previous ranking; ``""`` when there is no previous ranking to compare with."""
    if not has_previous:
        return ""
    if is_missing(movement):
        return t("movement_new", lang)
    steps = int(movement)
    if steps > 0:
        return f"▲{steps}"
    if steps < 0:
        return f"▼{-steps}"
    return "="


@dataclass(frozen=True)
class Ranking:
    """The children ranked in ``year`` (best first, ``RANKING_COLUMNS``) and the year
    their movement is measured from (None when no earlier year has a ranking)."""

    table: pd.DataFrame
    year: int
    previous_year: int | None


def rank_children(
    values: pd.DataFrame, year: int, direction: str | None, lang: str = "vi"
) -> Ranking:
    """The children of ``values`` (from :func:`compare_values`) ranked in ``year``, with
    each one's rank in the previous ranking.

    The previous ranking is that of the latest year before ``year`` in which any child
    has a value (the same indicator, year periods only), so a year nobody reported is
    skipped. ``movement`` = previous rank − rank (positive: moved up); a child absent
    from the previous ranking has none and is labelled new. Ranks are competition ranks
    in the indicator's direction (see the module's docstring).
    """
    children = values[~values["is_parent"].astype(bool) & values["value"].notna()]
    current = children[children["year"] == year].copy()
    earlier = [y for y in ranking_years(values) if y < year]
    previous_year = earlier[-1] if earlier else None
    current["rank"] = _ranks(current["value"], direction)
    if previous_year is not None:
        before = children[children["year"] == previous_year]
        previous = pd.Series(
            _ranks(before["value"], direction).to_numpy(), index=before["unit_code"]
        )
        current["previous_rank"] = current["unit_code"].map(previous).astype("Int64")
    else:
        current["previous_rank"] = pd.array([pd.NA] * len(current), dtype="Int64")
    current["movement"] = (current["previous_rank"] - current["rank"]).astype("Int64")
    has_previous = previous_year is not None
    current["movement_label"] = [
        movement_label(move, has_previous, lang) for move in current["movement"]
    ]
    table = current.sort_values(["rank", "unit_code"], kind="stable")
    return Ranking(table[list(RANKING_COLUMNS)].reset_index(drop=True), year, previous_year)


def parent_value(values: pd.DataFrame, year: int) -> dict[str, Any] | None:
    """The parent's row of ``year`` (own or rolled up) as a dict, or None."""
    rows = values[values["is_parent"].astype(bool) & (values["year"] == year)]
    rows = rows.dropna(subset=["value"])
    return None if rows.empty else rows.iloc[0].to_dict()


SUMMED_KINDS = frozenset({"count", "amount"})


def parent_on_children_scale(kind: str | None) -> bool:
    """Whether the parent's value can be drawn as a line among its children's bars: a
    rate, a ratio to plan, a flag or a duration is on their scale; a count or an amount
    is (about) their total, as many times larger as it has children."""
    return kind not in SUMMED_KINDS


def target_line(own: Mapping[str, Any] | None, ranked: pd.DataFrame) -> float | None:
    """The target a ranking's bars are measured against: the parent's own target for the
    year where it has one; else the target every ranked child shares (e.g. 100 % of the
    estimate), when they all have the same one; else None (each child's own target, if
    any, is then marked on its bar)."""
    if own is not None and not is_missing(own.get("target")):
        return float(own["target"])
    targets = ranked["target"] if "target" in ranked else pd.Series(dtype=float)
    if len(targets) and targets.notna().all() and targets.nunique() == 1:
        return float(targets.iloc[0])
    return None


# --- what the charts show --------------------------------------------------------------------


def units_to_show(
    ranked: Sequence[str], others: Sequence[str] = (), *, limit: int, keep: str | None = None
) -> list[str]:
    """The units a chart draws: every one of ``ranked`` (codes, best first) and
    ``others`` (children not ranked in the year) when they are at most ``limit``; else
    the first ``limit - limit // 2`` and the last ``limit // 2`` of ``ranked``, plus
    ``keep`` (the highlighted unit) wherever it is. In the order given, ranked first."""
    codes = [*ranked, *others]
    if len(codes) <= limit:
        return codes
    top, bottom = limit - limit // 2, limit // 2
    chosen = set(ranked[:top]) | set(ranked[len(ranked) - bottom :] if bottom else [])
    if keep is not None:
        chosen.add(keep)
    return [code for code in codes if code in chosen]


def row_order(values: pd.DataFrame, ranked: pd.DataFrame) -> list[str]:
    """Children in ranking order, then those not ranked that year by name."""
    ranked_codes = list(ranked["unit_code"])
    children = values[~values["is_parent"].astype(bool)]
    rest = (
        children[~children["unit_code"].isin(ranked_codes)]
        .drop_duplicates("unit_code")
        .sort_values(["unit_name", "unit_code"], kind="stable")
    )
    return [*ranked_codes, *rest["unit_code"]]


def cell_text(value: Any, qualifier: Any, value_status: Any, lang: str = "vi") -> str:
    """A heat-table cell: the number the Vietnamese (or English) way with its qualifier
    (``hơn 80``) and a mark for an illustrative (○) or preliminary (◆) value; ``""``
    when missing. The measure is in the table's title, not in every cell."""
    if is_missing(value):
        return ""
    text = format_value(value, lang, qualifier=None if is_missing(qualifier) else qualifier)
    mark = STATUS_MARKS.get(str(value_status), "")
    return f"{text} {mark}" if mark else text


@dataclass(frozen=True)
class HeatTable:
    """Children (rows, in ``codes`` order, named ``names``) × ``years`` (columns):
    ``values`` (NaN where missing), ``text`` (:func:`cell_text`, ``""`` where missing),
    ``hover`` (the value with its measure, qualifier and status), ``status``
    (value_status) and ``qualifier``."""

    codes: list[str]
    names: list[str]
    years: list[int]
    values: pd.DataFrame
    text: pd.DataFrame
    hover: pd.DataFrame
    status: pd.DataFrame
    qualifier: pd.DataFrame


def heat_table(
    values: pd.DataFrame, order: Sequence[str], lang: str = "vi", *, measure: str | None = None
) -> HeatTable:
    """The children's values as a units × years table, rows in ``order`` (codes of
    children; others are left out), columns the years in which any of them has a value."""
    children = values[~values["is_parent"].astype(bool) & values["value"].notna()]
    children = children[children["unit_code"].isin(list(order))]
    years = sorted(int(y) for y in children["year"].unique())
    present = set(children["unit_code"])
    codes = [code for code in order if code in present]
    names = dict(zip(children["unit_code"], children["unit_name"], strict=True))
    rows = list(
        zip(children["value"], children["qualifier"], children["value_status"], strict=True)
    )
    cells = children.assign(
        text=[cell_text(v, q, s, lang) for v, q, s in rows],
        hover=[
            with_status(
                format_value(v, lang, measure=measure, qualifier=None if is_missing(q) else q),
                None if is_missing(s) else str(s),
                lang,
            )
            for v, q, s in rows
        ],
    )

    def wide(column: str) -> pd.DataFrame:
        table = cells.pivot(index="unit_code", columns="year", values=column)
        return table.reindex(index=codes, columns=years)

    return HeatTable(
        codes=codes,
        names=[str(names[code]) for code in codes],
        years=years,
        values=wide("value").astype(float),
        text=wide("text").fillna(""),
        hover=wide("hover").fillna(MISSING),
        status=wide("value_status"),
        qualifier=wide("qualifier"),
    )


# --- clicks ----------------------------------------------------------------------------------


def clicked_unit(event: Any) -> str | None:
    """The unit code a click on the ranked bars selected, out of ``st.plotly_chart``'s
    selection state (``{"selection": {"points": [...]}}``): the first point's
    ``customdata[0]`` (:func:`dashboard.charts.ranked_bar` puts the unit's code there),
    else its ``y`` (the bars' categories are unit codes too); None when nothing is
    selected."""
    if not isinstance(event, Mapping):
        return None
    selection = event.get("selection")
    points = selection.get("points") if isinstance(selection, Mapping) else None
    for point in points or ():
        if not isinstance(point, Mapping):
            continue
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and custom and custom[0]:
            return str(custom[0])
        if isinstance(custom, str) and custom:
            return custom
        if point.get("y") not in (None, ""):
            return str(point["y"])
    return None


# --- what a chart must say about its values ------------------------------------------------


def quality_note(
    rows: pd.DataFrame, lang: str = "vi", *, measure: str | None = None, with_year: bool = False
) -> str:
    """``⚠ …`` saying how many of the values in ``rows`` (``value``, ``value_status``,
    ``qualifier``, ``unit_name`` and, ``with_year``, ``year``) are illustrative or
    preliminary, and naming those that are bounds or approximations (``hơn 80 %``);
    ``""`` when every value is an exact reported figure."""
    rows = rows.dropna(subset=["value"])
    n = len(rows)
    parts = []
    for status in ("illustrative", "preliminary"):
        k = int((rows["value_status"] == status).sum())
        if k:
            parts.append(t(f"quality_{status}", lang, k=k, n=n))
    inexact = rows[rows["qualifier"].notna() & (rows["qualifier"].astype(str) != "")]
    if not inexact.empty:
        items = []
        for row in inexact.itertuples():
            label = f"{row.unit_name} {row.year}" if with_year else str(row.unit_name)
            value = format_value(row.value, lang, measure=measure, qualifier=row.qualifier)
            items.append(f"{label}: {value}")
        shown = items[:6] + (["…"] if len(items) > 6 else [])
        parts.append(t("quality_inexact", lang, items="; ".join(shown)))
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"⚠ {text[0].upper()}{text[1:]}."
