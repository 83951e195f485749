"""What the before/after page (``views/before_after.py``) computes and says, without
Streamlit: which period types and campaigns a view can analyse, the series of the units
compared, the interrupted-time-series numbers as tables and sentences, the
difference-in-differences against the units outside a campaign's scope and the event
study with the review dates the analyst enters.

- The one-series analysis is :func:`dashboard.its.analyse` on the unit's series
  continued through the successor map (or a group's, :func:`dashboard.its.group_series`);
  a fit that fails numerically (a count model whose likelihood has no maximum, as with a
  series of zeros after a few counts) is a refusal, never an exception on the page.
- The units compared across are the chosen unit's children (own values or rolled up,
  any period type: :func:`dashboard.rollup.rollup` one level down) or, for a group, its
  members. Their estimates come from :func:`dashboard.panel.unit_estimates` in one
  batch; should the batch fail numerically, it is split until the failing units are
  found, and those are refused.
- The warehouse holds one date per campaign, not the day each unit was reviewed: the
  event study takes the dates from the analyst (prefilled with the campaign's start for
  the units in its scope, none for the others), kept in the link as ``review_dates``
  (``CAMPAIGN|unit=yyyy-mm-dd,unit=``, only the dates that differ from the prefill).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from dashboard import its, narrative, panel, queries, ranking, rollup
from dashboard.formatting import format_number, format_value, is_missing
from dashboard.i18n import register, t
from dashboard.stats import BeforeAfter

Connection = queries.Connection

PERIOD_TYPES = tuple(its.PERIODS_PER_YEAR)  # year, half, quarter, month
FAMILY_CHOICES = ("auto", "poisson", "negbin", "gaussian")  # offered for counts only
ACROSS_VIEWS = ("units", "did", "event")  # one analysis across units shown (and computed)
FOREST_MAX = 30  # units the forest plot draws: the lowest and highest estimates
EVENT_LEADS = EVENT_LAGS = 4  # periods before and after each unit's own review
DATES_SEPARATOR, ENTRY_SEPARATOR = "|", ","

register(
    {
        "bav_intro": (
            "Chỉ tiêu thay đổi thế nào sau một đợt kiểm điểm, so với xu hướng trước đó: trung "
            "bình trước/sau đợt, mô hình chuỗi thời gian ngắt quãng (thay đổi mức và xu hướng, "
            "khoảng tin cậy 95%), rồi so sánh các đơn vị trực thuộc.",
            "How an indicator moved after a review campaign, against its earlier trend: the "
            "averages before and after, an interrupted time series (level and slope change "
            "with 95% intervals), then the units below compared.",
        ),
        "bav_group": ("Gộp thêm đơn vị (một chuỗi chung)", "Combine with other units"),
        "bav_group_help": (
            "Các đơn vị được gộp theo quy tắc của chỉ tiêu (cộng số đếm; tỷ lệ tính lại từ tử "
            "số và mẫu số), chỉ giữ các kỳ mọi đơn vị đều có số liệu.",
            "The units are combined by the indicator's rule (counts added; rates recomputed "
            "from numerator and denominator), keeping only the periods every unit reported.",
        ),
        "bav_group_name": ("{unit} và {n} đơn vị khác", "{unit} and {n} other units"),
        "bav_group_nested": (
            "Nhóm không được có cả một đơn vị và đơn vị cấp trên của nó (số liệu sẽ bị tính hai "
            "lần): {pairs}. Hãy bỏ bớt một trong hai.",
            "A group cannot hold a unit and a unit above it (its figures would count twice): "
            "{pairs}. Remove one of each pair.",
        ),
        "bav_within": ("{unit} thuộc {parent}", "{unit} within {parent}"),
        "bav_periods": ("Loại kỳ", "Periods"),
        "bav_period_year": ("Năm", "Years"),
        "bav_period_half": ("6 tháng", "Half-years"),
        "bav_period_quarter": ("Quý", "Quarters"),
        "bav_period_month": ("Tháng", "Months"),
        "bav_drop_window": ("Bỏ các kỳ trong đợt", "Leave the campaign window out"),
        "bav_drop_window_help": (
            "Các kỳ trùng với thời gian diễn ra đợt không dùng để ước lượng (mặc định). Bỏ "
            "chọn để tính chúng là kỳ sau đợt. Trung bình trước/sau luôn không tính các kỳ này.",
            "Periods overlapping the campaign are not used in the model (the default). Untick "
            "to count them as after the campaign. The averages always leave them out.",
        ),
        "bav_family": ("Mô hình cho số đếm", "Model for counts"),
        "bav_family_auto": (
            "Tự động (Poisson, hoặc nhị thức âm khi phân tán quá mức)",
            "Automatic (Poisson, or negative binomial when overdispersed)",
        ),
        "bav_family_poisson": ("Poisson", "Poisson"),
        "bav_family_negbin": ("Nhị thức âm", "Negative binomial"),
        "bav_family_gaussian": ("Tuyến tính (như chỉ tiêu thường)", "Linear (as for rates)"),
        "bav_no_series": (
            "{unit} chưa có chuỗi số liệu theo năm, 6 tháng, quý hoặc tháng cho chỉ tiêu này.",
            "{unit} has no yearly, half-yearly, quarterly or monthly series of this indicator.",
        ),
        "bav_no_group_series": (
            "Không có kỳ nào mà mọi đơn vị trong nhóm đều có số liệu của chỉ tiêu này.",
            "No period in which every unit of the group has a figure for this indicator.",
        ),
        "bav_campaign_review": ("đợt kiểm điểm {code}", "the review campaign {code}"),
        "bav_campaign_term": ("nhiệm kỳ {code}", "the term {code}"),
        "bav_campaign_restructure": ("đợt sắp xếp {code}", "the reorganisation {code}"),
        "bav_campaign_other": ("đợt {code}", "the campaign {code}"),
        "bav_scope_partial": (
            "Đợt này chỉ áp dụng cho {n} trong {total} đơn vị được so sánh bên dưới (phạm vi: "
            "{scope}).",
            "This campaign applies to {n} of the {total} units compared below (scope: {scope}).",
        ),
        "bav_series_heading": ("Chuỗi số liệu và trung bình", "The series and its averages"),
        "bav_its_heading": (
            "Thay đổi so với xu hướng trước đợt",
            "Change against the earlier trend",
        ),
        "bav_its_caption": (
            "Mô hình chuỗi thời gian ngắt quãng: xu hướng các kỳ trước đợt được kéo dài qua các "
            "kỳ sau; thay đổi mức là bước nhảy tại thời điểm đợt, thay đổi xu hướng là độ dốc "
            "thêm mỗi kỳ.",
            "Interrupted time series: the trend of the periods before the campaign is carried "
            "through the periods after it; the level change is the jump at the campaign, the "
            "slope change the extra slope per period.",
        ),
        "bav_term_level": ("Thay đổi mức tại đợt", "Level change at the campaign"),
        "bav_term_slope": ("Thay đổi xu hướng mỗi kỳ", "Slope change per period"),
        "bav_term_pre_slope": ("Xu hướng trước đợt mỗi kỳ", "Trend per period before"),
        "bav_term_level_ratio": (
            "Tỷ số tỷ suất: thay đổi mức tại đợt",
            "Rate ratio: level change at the campaign",
        ),
        "bav_term_slope_ratio": (
            "Tỷ số tỷ suất: thay đổi xu hướng mỗi kỳ",
            "Rate ratio: slope change per period",
        ),
        "bav_term_pre_slope_ratio": (
            "Tỷ số tỷ suất: xu hướng trước đợt mỗi kỳ",
            "Rate ratio: trend per period before",
        ),
        "col_bav_term": ("Ước lượng", "Estimate of"),
        "col_bav_value": ("Giá trị", "Value"),
        "col_bav_low": ("Cận dưới (95%)", "Lower (95%)"),
        "col_bav_high": ("Cận trên (95%)", "Upper (95%)"),
        "col_bav_no_change": (
            "Khoảng tin cậy chứa “không đổi”",
            "Interval includes no change",
        ),
        "bav_yes": ("có", "yes"),
        "bav_no": ("không", "no"),
        "bav_model_line": (
            "Mô hình: {model}; {n_before} kỳ trước, {n_after} kỳ sau đợt; {window}; độ trễ "
            "Newey–West: {lags}{season}{alpha}.",
            "Model: {model}; {n_before} periods before, {n_after} after the campaign; {window}; "
            "Newey–West lags: {lags}{season}{alpha}.",
        ),
        "bav_window_dropped": (
            "kỳ trong đợt không dùng: {n}",
            "periods within the campaign left out: {n}",
        ),
        "bav_window_kept": (
            "kỳ trong đợt tính là sau đợt: {n}",
            "periods within the campaign counted as after it: {n}",
        ),
        "bav_seasonal": ("; có hiệu chỉnh mùa vụ", "; with seasonal terms"),
        "bav_alpha": ("; α = {alpha}", "; α = {alpha}"),
        "bav_refused": ("Không ước lượng mô hình: {reason}", "No model estimate: {reason}"),
        "bav_fit_failed": (
            "Mô hình không hội tụ với số liệu này (thường do chuỗi đếm có nhiều giá trị 0). Hãy "
            "chọn mô hình tuyến tính hoặc thêm kỳ.",
            "The model does not converge on these figures (often a count series with many "
            "zeros). Choose the linear model or more periods.",
        ),
        "bav_its_chart_title": (
            "{indicator} — {unit}: số liệu, ước lượng và xu hướng trước đợt kéo dài",
            "{indicator} — {unit}: figures, fit and the earlier trend carried on",
        ),
        "bav_across_heading": (
            "So sánh các đơn vị trực thuộc của {unit}",
            "The units of {unit} compared",
        ),
        "bav_across_heading_group": (
            "So sánh các đơn vị trong nhóm",
            "The units of the group compared",
        ),
        "bav_no_children": (
            "{unit} không có đơn vị trực thuộc nào có số liệu của chỉ tiêu này theo loại kỳ đã "
            "chọn.",
            "{unit} has no units below it with figures of this indicator for these periods.",
        ),
        "bav_across": ("Phân tích", "Analysis"),
        "bav_across_units": ("Ước lượng từng đơn vị", "Each unit's estimate"),
        "bav_across_did": (
            "Khác biệt kép (trong/ngoài phạm vi đợt)",
            "Difference-in-differences (in/out of scope)",
        ),
        "bav_across_event": (
            "Theo ngày kiểm điểm của từng đơn vị",
            "Event study (each unit's review date)",
        ),
        "bav_units_summary": (
            "{n_estimated} trong {n} đơn vị có ước lượng; {n_changed} có khoảng tin cậy không "
            "chứa “không đổi”. Bấm tiêu đề cột để sắp xếp.",
            "{n_estimated} of {n} units have an estimate; for {n_changed} the interval excludes "
            "no change. Click a column header to sort.",
        ),
        "bav_forest_title": (
            "Thay đổi mức tại đợt theo đơn vị (khoảng tin cậy 95%)",
            "Level change at the campaign by unit (95% intervals)",
        ),
        "bav_forest_subset": (
            "Biểu đồ vẽ {shown} đơn vị có ước lượng thấp nhất và cao nhất trong {n} đơn vị có "
            "ước lượng; bảng có đủ.",
            "The chart draws the {shown} units with the lowest and highest estimates of the {n} "
            "estimated; the table lists them all.",
        ),
        "bav_forest_none": (
            "Không đơn vị nào có ước lượng để vẽ.",
            "No unit has an estimate to draw.",
        ),
        "bav_did_sentence": (
            "So với {n_control} đơn vị ngoài phạm vi đợt, {indicator} của {n_treated} đơn vị "
            "trong phạm vi {change} sau đợt (khác biệt kép: {estimate}; khoảng tin cậy 95%: "
            "{low} đến {high}; p = {p}).",
            "Against {n_control} units outside the campaign's scope, {indicator} of the "
            "{n_treated} units in scope {change} after the campaign (difference-in-differences: "
            "{estimate}; 95% confidence interval: {low} to {high}; p = {p}).",
        ),
        "bav_did_up": ("tăng thêm {amount}", "rose {amount} more"),
        "bav_did_down": ("giảm thêm {amount}", "fell {amount} more"),
        "bav_did_flat": ("không thay đổi thêm", "did not change more"),
        "bav_did_caption": (
            "Hồi quy tuyến tính với hiệu ứng cố định đơn vị và kỳ, sai số theo cụm đơn vị "
            "({n_obs} giá trị); cả với chỉ tiêu đếm.",
            "Linear regression with unit and period fixed effects, errors clustered by unit "
            "({n_obs} values); for counts too.",
        ),
        "bav_did_unavailable": ("Không tính được khác biệt kép: {reason}", "No estimate: {reason}"),
        "bav_did_all_below_in_scope": (
            "Mọi đơn vị được so sánh đều thuộc phạm vi đợt ({scope}): không có đơn vị ngoài "
            "phạm vi để đối chứng. Hãy chọn đơn vị cấp trên có cả đơn vị trong và ngoài phạm vi.",
            "Every unit compared is within the campaign's scope ({scope}): there is no unit "
            "outside it to compare with. Choose a unit above with units both inside and "
            "outside the scope.",
        ),
        "col_bav_group": ("Nhóm", "Group"),
        "col_bav_before": ("Trung bình trước", "Average before"),
        "col_bav_after": ("Trung bình sau", "Average after"),
        "col_bav_change": ("Thay đổi", "Change"),
        "bav_in_scope": ("Trong phạm vi đợt", "In scope"),
        "bav_out_of_scope": ("Ngoài phạm vi đợt", "Outside the scope"),
        "bav_event_intro": (
            "Báo cáo không ghi ngày kiểm điểm của từng đơn vị: ngày dưới đây do người phân tích "
            "nhập, mặc định là ngày bắt đầu đợt ({start}). Sửa ngày của đơn vị được kiểm điểm "
            "vào lúc khác; xóa ngày của đơn vị chưa kiểm điểm để dùng làm đơn vị so sánh.",
            "The reports do not record the day each unit was reviewed: the dates below are the "
            "analyst's, prefilled with the campaign's start ({start}). Change the date of a "
            "unit reviewed at another time; clear it for a unit not reviewed, to use it as a "
            "comparison unit.",
        ),
        "col_bav_unit_name": ("Đơn vị", "Unit"),
        "bav_no_date": ("(đơn vị so sánh)", "(comparison unit)"),
        "col_bav_review_date": ("Ngày kiểm điểm", "Review date"),
        "bav_event_same_date": (
            "Mọi đơn vị có cùng một ngày kiểm điểm và không đơn vị nào để trống ngày: không tách "
            "được tác động của đợt khỏi biến động chung của từng kỳ. Hãy nhập ngày kiểm điểm "
            "thực tế của từng đơn vị, hoặc xóa ngày của các đơn vị chưa kiểm điểm.",
            "Every unit has the same review date and none is left without one: the campaign "
            "cannot be told apart from what happened to all units in each period. Enter each "
            "unit's actual review date, or clear the date of units not reviewed.",
        ),
        "bav_event_failed": (
            "Không ước lượng được với các ngày đã nhập (mô hình suy biến): hãy nhập các ngày "
            "khác nhau hơn hoặc để trống ngày của một số đơn vị.",
            "No estimate with these dates (the model is singular): enter more varied dates or "
            "leave some units without one.",
        ),
        "bav_event_counts": (
            "{n_treated} đơn vị có ngày kiểm điểm, {n_control} đơn vị so sánh (không có ngày); "
            "{leads} kỳ trước và {lags} kỳ sau ngày của từng đơn vị.",
            "{n_treated} units with a review date, {n_control} comparison units (no date); "
            "{leads} periods before and {lags} after each unit's date.",
        ),
        "bav_event_title": (
            "Chênh lệch theo số kỳ so với ngày kiểm điểm của từng đơn vị",
            "Difference by periods from each unit's review",
        ),
        "bav_ignored_dates": (
            "Liên kết có ngày kiểm điểm không đọc được cho: {entries}; đã bỏ qua.",
            "The link holds review dates that cannot be read for: {entries}; ignored.",
        ),
    }
)


# --- what can be analysed ------------------------------------------------------------------


def period_types(con: Connection, units: Iterable[str], indicator: str) -> list[str]:
    """The period types ``indicator`` can be analysed over for ``units`` (their values or
    those of any unit below them; a ratio's numerator counts as the ratio): years where
    there is one, another type where it has at least 2 × ``its.MIN_SIDE`` periods (an
    analysis needs that many). In the order of ``PERIOD_TYPES``."""
    rule = rollup.rules(con, [indicator]).get(indicator)
    codes = [indicator] + ([rule.numerator] if rule and rule.numerator else [])
    rows = con.execute(
        f"""
        WITH RECURSIVE below(unit_code, depth) AS (
            SELECT unit_code, 0 FROM unit WHERE list_contains(?, unit_code)
            UNION ALL
            SELECT u.unit_code, b.depth + 1 FROM unit u JOIN below b
                ON u.parent_code = b.unit_code
            WHERE b.depth < {rollup.MAX_DEPTH}
        )
        SELECT period_type, count(DISTINCT period_start) AS n
        FROM v_observation
        WHERE list_contains(?, indicator_code)
          AND unit_code IN (SELECT unit_code FROM below)
          AND list_contains(?, period_type)
        GROUP BY period_type
        """,
        [sorted(set(units)), codes, list(PERIOD_TYPES)],
    ).fetchall()
    found = {str(kind): int(n) for kind, n in rows}
    return [
        kind
        for kind in PERIOD_TYPES
        if found.get(kind, 0) >= (1 if kind == "year" else 2 * its.MIN_SIDE)
    ]


def campaign_choices(
    con: Connection, unit: str, compared: Mapping[str, Sequence[str]], lang: str = "vi"
) -> pd.DataFrame:
    """Campaigns (as :func:`dashboard.queries.campaigns`) that apply to ``unit`` (scope
    'all', or the unit or an ancestor listed) or to some of the units ``compared``
    (unit → its ancestors), so that a campaign of part of a unit's children can be
    compared against the rest."""
    covering = set(queries.campaigns(con, lang, unit=unit)["campaign_code"])
    every = queries.campaigns(con, lang)
    keep = [
        code in covering or bool(panel.treated_units(list(compared), scope, compared))
        for code, scope in zip(every["campaign_code"], every["scope"], strict=True)
    ]
    return every[pd.Series(keep, index=every.index, dtype=bool)].reset_index(drop=True)


def campaign_phrase(code: str, kind: str | None, lang: str = "vi") -> str:
    """How a sentence names the campaign: "đợt kiểm điểm NQTW4-XI-2012"."""
    key = f"bav_campaign_{kind}" if kind in ("review", "term", "restructure") else ""
    return t(key or "bav_campaign_other", lang, code=code)


# --- series --------------------------------------------------------------------------------


def group_series(
    con: Connection, members: Sequence[str], indicator: str, period_type: str = "year"
) -> pd.DataFrame:
    """:func:`dashboard.its.group_series` with the columns the page's series chart and
    :func:`dashboard.stats.before_after` read (year, qualifier, target)."""
    values = its.group_series(con, members, indicator, period_type)
    return values.assign(
        year=pd.to_datetime(values["period_start"]).dt.year.astype("int64"),
        qualifier=None,
        target=np.nan,
    )


def children_frame(
    con: Connection, unit: str, indicator: str, period_type: str = "year", lang: str = "vi"
) -> pd.DataFrame:
    """One row per child of ``unit`` and period with a value (own or rolled up): unit_code,
    unit_name, period_start, period_end, value, value_status."""
    values = rollup.rollup(con, [unit], [indicator], period_type, depth=1)
    rows = values[values["depth"] == 1]
    names = queries.unit_children(con, unit, lang)[["unit_code", "unit_name"]]
    return _long(rows.merge(names, on="unit_code"))


def members_frame(
    con: Connection,
    members: Sequence[str],
    indicator: str,
    period_type: str,
    names: Mapping[str, str],
) -> pd.DataFrame:
    """The same rows for each unit of a group (each its own value or rolled up)."""
    values = rollup.rollup(con, list(members), [indicator], period_type)
    rows = values[values["depth"] == 0]
    return _long(rows.assign(unit_name=[names.get(c, c) for c in rows["unit_code"]]))


def _long(rows: pd.DataFrame) -> pd.DataFrame:
    columns = ["unit_code", "unit_name", "period_start", "period_end", "value", "value_status"]
    frame = rows.dropna(subset=["value"])[columns]
    return frame.sort_values(["unit_code", "period_start"], kind="stable").reset_index(drop=True)


def parent_map(con: Connection) -> dict[str, str]:
    """Each unit of the catalogue → its parent (units at the top left out)."""
    rows = con.execute(
        "SELECT unit_code, parent_code FROM unit WHERE parent_code IS NOT NULL"
    ).fetchall()
    return {str(code): str(parent) for code, parent in rows}


def _line_up(unit: str, parents: Mapping[str, str]) -> list[str]:
    found: list[str] = []
    code = parents.get(unit)
    while code is not None and code not in found and len(found) < rollup.MAX_DEPTH:
        found.append(code)
        code = parents.get(code)
    return found


def group_candidates(unit: str, units: Iterable[str], parents: Mapping[str, str]) -> list[str]:
    """The units that can join ``unit`` in a group: neither above nor below it (their
    figures would count twice)."""
    above = set(_line_up(unit, parents))
    return [
        code
        for code in units
        if code != unit and code not in above and unit not in _line_up(code, parents)
    ]


def nested(members: Sequence[str], parents: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pairs (unit, a member above it) among ``members``: a group must hold neither."""
    chosen = set(members)
    return [
        (code, above) for code in members for above in _line_up(code, parents) if above in chosen
    ]


def ancestors_below(con: Connection, unit: str, children: Iterable[str]) -> dict[str, list[str]]:
    """Each child of ``unit`` → its ancestors (``unit`` and those above it)."""
    above = [code for code, _ in ranking.ancestors(con, unit)]
    line = list(reversed(above))  # unit first, then upwards
    return {str(child): line for child in children}


def ancestors_of(con: Connection, units: Iterable[str]) -> dict[str, list[str]]:
    """Each unit → its ancestors (the unit itself left out)."""
    found = {}
    for unit in units:
        codes = [code for code, _ in ranking.ancestors(con, unit)]
        found[str(unit)] = [code for code in reversed(codes) if code != unit]
    return found


# --- one series ----------------------------------------------------------------------------


def span_periods(span: str | None, period_type: str) -> int | None:
    """Periods on each side for a years-each-side choice (``all``: every period)."""
    if span in (None, "all"):
        return None
    return its.periods_for_years(int(str(span)), period_type)


def analyse(
    series: pd.DataFrame,
    start: Any,
    end: Any,
    *,
    period_type: str,
    periods: int | None,
    drop_window: bool,
    family: str,
    kind: str | None,
) -> its.ITSResult:
    """:func:`dashboard.its.analyse` with the same periods on each side; a fit that fails
    numerically is a refusal (``bav_fit_failed``)."""
    try:
        with np.errstate(all="ignore"):
            return its.analyse(
                series,
                start,
                end,
                period_type=period_type,
                before=periods,
                after=periods,
                drop_window=drop_window,
                family=family,
                kind=kind,
            )
    except np.linalg.LinAlgError:
        rows = series.dropna(subset=["value"])
        side = its.sides(rows, start, end)
        side = side[its.select_windows(side, periods, periods)]
        return its.ITSResult(
            model=None,
            period_type=period_type,
            n_before=int((side == "before").sum()),
            n_after=int((side == "after").sum()),
            n_window=int((side == "window").sum()),
            window_dropped=drop_window,
            seasonal=False,
            mean_before=None,
            mean_after=None,
            refusal=its.Refusal("bav_fit_failed"),
        )


def without_rough_trend(result: BeforeAfter) -> BeforeAfter:
    """The means and their change only: the model below replaces the rough trend of
    :mod:`dashboard.stats` (a straight line through the years before, with a yardstick
    of noise)."""
    return dataclasses.replace(result, trend_after=None, residual_sd=None)


def sentence_and_cautions(
    result: its.ITSResult,
    indicator_name: str,
    lang: str = "vi",
    *,
    measure: str | None,
    kind: str | None,
    campaign: str,
) -> tuple[str, list[str]]:
    """:func:`dashboard.its.sentence` split into the sentence and its cautions
    (:func:`dashboard.its.cautions`), so the page can show them apart."""
    full = its.sentence(result, indicator_name, lang, measure=measure, kind=kind, campaign=campaign)
    notes = its.cautions(result, lang) if result.ok else []
    tail = " ".join(notes)
    if notes and full.endswith(tail):
        full = full[: -len(tail)].rstrip()
    return full, notes


ESTIMATE_COLUMNS = ["bav_term", "bav_value", "bav_low", "bav_high", "bav_no_change"]


def estimates_table(result: its.ITSResult, lang: str = "vi") -> pd.DataFrame:
    """The model's numbers, one row each: level change, slope change and the trend before
    (rate ratios for a count model), each with its 95 % interval (numbers, so they sort and
    a test can read them) and whether the interval includes no change."""
    if not result.ok:
        return pd.DataFrame(columns=ESTIMATE_COLUMNS)
    suffix = "_ratio" if result.ratio else ""
    rows = []
    for name, estimate in (
        ("level", result.level),
        ("slope", result.slope),
        ("pre_slope", result.pre_slope),
    ):
        if estimate is None:
            continue
        rows.append(
            {
                "bav_term": t(f"bav_term_{name}{suffix}", lang),
                "bav_value": estimate.value,
                "bav_low": estimate.low,
                "bav_high": estimate.high,
                "bav_no_change": t("bav_yes" if estimate.includes_no_change else "bav_no", lang),
            }
        )
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)


def model_line(result: its.ITSResult, lang: str = "vi") -> str:
    """The model, the periods used and the error settings, in one line."""
    window = t(
        "bav_window_dropped" if result.window_dropped else "bav_window_kept",
        lang,
        n=result.n_window,
    )
    alpha = ""
    if result.alpha is not None:  # three significant digits: α is often tiny
        places = max(3, 2 - math.floor(math.log10(result.alpha))) if result.alpha > 0 else 3
        alpha = t("bav_alpha", lang, alpha=format_number(result.alpha, lang, places))
    return t(
        "bav_model_line",
        lang,
        model=its.model_label(result, lang),
        n_before=result.n_before,
        n_after=result.n_after,
        window=window,
        lags=result.maxlags if result.maxlags is not None else 0,
        season=t("bav_seasonal", lang) if result.seasonal else "",
        alpha=alpha,
    )


def breaks_in(series: pd.DataFrame, result: its.ITSResult) -> pd.DataFrame:
    """The rows of a continued series inside the periods the model's chart draws (for
    :func:`dashboard.chart_marks.add_breaks`)."""
    if result.curve.empty or "break_before" not in series:
        return series.iloc[0:0]
    first = pd.Timestamp(result.curve["period_start"].min())
    last = pd.Timestamp(result.curve["period_end"].max())
    starts = pd.to_datetime(series["period_start"])
    return series[(starts >= first) & (starts <= last)]


# --- across units --------------------------------------------------------------------------


def unit_estimates(frame: pd.DataFrame, start: Any, end: Any, **options: Any) -> pd.DataFrame:
    """:func:`dashboard.panel.unit_estimates` for every unit of ``frame``; should the batch
    fail numerically, halves of it are fitted until the failing units are found, and those
    are refused (``bav_fit_failed``) while the others keep their estimates."""
    units = sorted(frame["unit_code"].astype(str).unique())
    codes = frame["unit_code"].astype(str)

    def fit(chosen: Sequence[str]) -> pd.DataFrame:
        rows = frame[codes.isin(chosen)]
        try:
            with np.errstate(all="ignore"):
                return panel.unit_estimates(rows, start, end, **options)
        except np.linalg.LinAlgError:
            if len(chosen) == 1:
                return _failed(chosen[0], rows, start, end, options)
            half = len(chosen) // 2
            return pd.concat([fit(chosen[:half]), fit(chosen[half:])], ignore_index=True)

    if not units:
        return pd.DataFrame(columns=list(panel.TABLE_COLUMNS))
    return fit(units)


def _failed(
    unit: str, rows: pd.DataFrame, start: Any, end: Any, options: Mapping[str, Any]
) -> pd.DataFrame:
    side = its.sides(rows, start, end)
    family = options.get("family", "auto")
    ratio = family in ("poisson", "negbin") or (
        family == "auto" and options.get("kind") in its.COUNT_KINDS
    )
    record: dict[str, Any] = dict.fromkeys(panel.TABLE_COLUMNS, np.nan)
    record.update(
        unit_code=unit,
        model=None,
        n_before=int((side == "before").sum()),
        n_after=int((side == "after").sum()),
        ratio=ratio,
        includes_no_change=pd.NA,
        maxlags=-1,
        refusal="bav_fit_failed",
        refusal_params={},
    )
    return pd.DataFrame([record], columns=list(panel.TABLE_COLUMNS))


def units_summary(table: pd.DataFrame, lang: str = "vi") -> str:
    """How many units have an estimate and how many an interval excluding no change."""
    estimated = table["refusal"].isna()
    changed = int((table.loc[estimated, "includes_no_change"] == False).sum())  # noqa: E712
    return t(
        "bav_units_summary",
        lang,
        n=len(table),
        n_estimated=int(estimated.sum()),
        n_changed=changed,
    )


def forest_rows(table: pd.DataFrame, limit: int = FOREST_MAX) -> pd.DataFrame:
    """The units the forest plot draws: every estimated one up to ``limit``, else the
    ``limit // 2`` lowest and highest level changes."""
    estimated = table.dropna(subset=["level"])
    if len(estimated) <= limit:
        return estimated
    ordered = estimated.sort_values(["level", "unit_code"], kind="stable")
    half = limit // 2
    return pd.concat([ordered.head(half), ordered.tail(limit - half)])


# --- difference in differences -------------------------------------------------------------


def treated(
    units: Iterable[str], scope: str, ancestors: Mapping[str, Sequence[str]]
) -> frozenset[str] | None:
    """The units in the campaign's scope (:func:`dashboard.panel.treated_units`)."""
    return panel.treated_units(list(units), scope, ancestors)


def did_unavailable(result: panel.DiD, scope: str, lang: str = "vi") -> str:
    """Why there is no difference-in-differences, in words."""
    if result.refusal is not None and result.n_control == 0 and result.n_treated > 0:
        reason = t("bav_did_all_below_in_scope", lang, scope=scope)
    else:
        reason = result.refusal.text(lang) if result.refusal else ""
    return t("bav_did_unavailable", lang, reason=reason)


def did_sentence(
    result: panel.DiD,
    indicator_name: str,
    lang: str = "vi",
    *,
    measure: str | None,
    kind: str | None,
) -> str:
    """The difference-in-differences estimate in one sentence."""
    assert result.estimate is not None and result.low is not None and result.high is not None
    amount = narrative.format_difference(result.estimate, lang, measure=measure, kind=kind)
    if result.estimate > 0:
        change = t("bav_did_up", lang, amount=amount)
    elif result.estimate < 0:
        change = t("bav_did_down", lang, amount=amount)
    else:
        change = t("bav_did_flat", lang)
    return t(
        "bav_did_sentence",
        lang,
        n_control=result.n_control,
        n_treated=result.n_treated,
        indicator=lower_first(indicator_name),
        change=change,
        estimate=format_number(result.estimate, lang),
        low=format_number(result.low, lang),
        high=format_number(result.high, lang),
        p=format_number(result.p_value, lang, 3),
    )


def did_means(result: panel.DiD, lang: str = "vi") -> pd.DataFrame:
    """The 2 × 2 table of means (group × before/after) with each group's change."""
    means = result.means
    rows = []
    for group, label in (("treated", "bav_in_scope"), ("control", "bav_out_of_scope")):
        part = means[means["group"] == group].set_index("side")["mean"]
        before, after = part.get("before", np.nan), part.get("after", np.nan)
        rows.append(
            {
                "bav_group": t(label, lang),
                "bav_before": before,
                "bav_after": after,
                "bav_change": after - before,
            }
        )
    return pd.DataFrame(rows)


# --- event study ---------------------------------------------------------------------------


def default_dates(
    units: pd.DataFrame, start: Any, in_scope: frozenset[str] | None
) -> dict[str, date | None]:
    """Each unit (``units``: unit_code) → the campaign's start, or None for a unit outside
    the campaign's scope (``in_scope`` None: every unit is in it)."""
    day = pd.Timestamp(start).date()
    return {
        str(code): day if in_scope is None or str(code) in in_scope else None
        for code in units["unit_code"]
    }


def parse_dates(
    text: str | None, campaign: str, units: Iterable[str]
) -> tuple[dict[str, date | None], list[str]]:
    """The review dates a link holds for ``campaign`` (``CAMPAIGN|unit=yyyy-mm-dd,unit=``),
    for the ``units`` shown: (unit → date or None, entries that could not be read). Dates
    written for another campaign are not this one's: none are read."""
    if not text:
        return {}, []
    code, _, entries = text.partition(DATES_SEPARATOR)
    if code != campaign:
        return {}, []
    known = {str(unit) for unit in units}
    found: dict[str, date | None] = {}
    bad = []
    for entry in filter(None, entries.split(ENTRY_SEPARATOR)):
        unit, equals, day = entry.partition("=")
        if not equals or unit not in known:
            bad.append(entry)
            continue
        if not day:
            found[unit] = None
            continue
        try:
            found[unit] = date.fromisoformat(day)
        except ValueError:
            bad.append(entry)
    return found, bad


def dates_text(
    campaign: str, dates: Mapping[str, Any], default: Mapping[str, date | None]
) -> str | None:
    """The ``review_dates`` link value: the dates differing from ``default``; None when
    none does."""
    entries = []
    for unit in sorted(dates):
        day = as_date(dates[unit])
        if day != default.get(unit):
            entries.append(f"{unit}={day.isoformat() if day else ''}")
    return f"{campaign}{DATES_SEPARATOR}{ENTRY_SEPARATOR.join(entries)}" if entries else None


def as_date(value: Any) -> date | None:
    """A date from an editor cell (a date, a timestamp, a string or nothing)."""
    if value is None or is_missing(value) or value == "":
        return None
    return pd.Timestamp(value).date()


def dates_table(
    units: pd.DataFrame, dates: Mapping[str, date | None], default: Mapping[str, date | None]
) -> pd.DataFrame:
    """The editor's rows: one per unit (index unit_code), its name and review date
    (``dates`` where given, else ``default``)."""
    codes = [str(code) for code in units["unit_code"]]
    return pd.DataFrame(
        {
            "bav_unit_name": list(units["unit_name"]),
            "bav_review_date": [dates.get(code, default.get(code)) for code in codes],
        },
        index=pd.Index(codes, name="unit_code"),
    )


def event_study(
    frame: pd.DataFrame, dates: Mapping[str, Any], period_type: str = "year"
) -> panel.EventStudy:
    """:func:`dashboard.panel.event_study` around each unit's own date, refused with a
    reason when the dates cannot identify it: every unit on one date with no unit left
    without one (calendar and campaign are then the same thing), or a singular model."""
    if frame.empty:
        return _event_refused(frame, {}, "event_refuse_units", n=0)
    chosen = {str(unit): as_date(day) for unit, day in dates.items()}
    codes = set(frame["unit_code"].astype(str))
    with_date = {unit: day for unit, day in chosen.items() if unit in codes and day is not None}
    has_control = any(chosen.get(code) is None for code in codes)
    days = pd.Series(pd.to_datetime(list(with_date.values())), dtype="datetime64[ns]")
    periods = set(its.period_index(days, period_type).tolist())
    if len(with_date) >= 2 and not has_control and len(periods) < 2:
        return _event_refused(frame, with_date, "bav_event_same_date")
    try:
        with np.errstate(all="ignore"):
            study = panel.event_study(
                frame, with_date, period_type=period_type, leads=EVENT_LEADS, lags=EVENT_LAGS
            )
    except np.linalg.LinAlgError:
        return _event_refused(frame, with_date, "bav_event_failed")
    if study.refusal is None and not np.isfinite(study.coefficients["estimate"]).all():
        return _event_refused(frame, with_date, "bav_event_failed")
    return study


def _event_refused(
    frame: pd.DataFrame, dates: Mapping[str, Any], key: str, **params: Any
) -> panel.EventStudy:
    units = set(frame["unit_code"].astype(str))
    n_treated = len(units & set(dates))
    return panel.EventStudy(
        pd.DataFrame(),
        None,
        None,
        None,
        n_treated,
        len(units) - n_treated,
        0,
        refusal=its.Refusal(key, params),
    )


def event_counts(study: panel.EventStudy, lang: str = "vi") -> str:
    return t(
        "bav_event_counts",
        lang,
        n_treated=study.n_treated,
        n_control=study.n_control,
        leads=EVENT_LEADS,
        lags=EVENT_LAGS,
    )


# --- words ---------------------------------------------------------------------------------


def lower_first(name: str) -> str:
    """An indicator's name inside a sentence: ``Tỷ lệ hộ nghèo`` → ``tỷ lệ hộ nghèo``; an
    acronym (``TSVM``) stays as it is (as :func:`dashboard.its.sentence` writes it)."""
    first = name.split(" ", 1)[0]
    if not name or (len(first) > 1 and first.isupper()):
        return name
    return name[0].lower() + name[1:]


def number_formatter(lang: str) -> Callable[[Any], str]:
    """A table cell formatter writing numbers the page's way (``1,89``), ``—`` for none."""
    return lambda value: format_value(value, lang)
