"""Sentences that say what a chart shows, for people who read rather than decode charts."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.formatting import format_change, format_number, format_value
from dashboard.i18n import t
from dashboard.stats import BeforeAfter

POINT_KINDS = frozenset({"rate", "ratio_to_plan"})


def year_span_text(years: Sequence[int]) -> str:
    """``2006–2011`` (or ``2012`` for one year)."""
    if not years:
        return "—"
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def format_difference(
    difference: float, lang: str, *, measure: str | None, kind: str | None
) -> str:
    """The size of a difference without its sign: ``5,2 điểm %`` for rates, ``12 hộ`` for counts."""
    if kind in POINT_KINDS:
        text = format_change(abs(difference), lang, points=True) or ""
        return text.lstrip("+")
    number = format_number(abs(difference), lang)
    return f"{number} {measure}" if measure else number


def _verdict(difference: float, direction: str | None, lang: str) -> str:
    """``tốt lên``/``xấu đi`` (improved/worsened) where the direction is known, else ``""``."""
    if difference == 0 or direction not in ("higher_better", "lower_better"):
        return ""
    better = (difference > 0) == (direction == "higher_better")
    return t("verdict_better" if better else "verdict_worse", lang)


def describe_before_after(
    result: BeforeAfter,
    lang: str,
    *,
    measure: str | None,
    kind: str | None,
    direction: str | None,
) -> str:
    """A Markdown paragraph: the two means, the change, and the change against the trend."""
    if not result.sufficient or result.change is None:
        return t("ba_insufficient", lang)
    change = result.change
    parts = [
        t(
            "ba_means",
            lang,
            before=format_value(result.mean_before, lang, measure=measure),
            years_before=year_span_text(result.years_before),
            n_before=len(result.years_before),
            after=format_value(result.mean_after, lang, measure=measure),
            years_after=year_span_text(result.years_after),
            n_after=len(result.years_after),
        )
    ]
    if change == 0:
        parts.append(t("ba_unchanged", lang))
    else:
        relative = result.relative_change
        parts.append(
            t(
                "ba_change_up" if change > 0 else "ba_change_down",
                lang,
                amount=format_difference(change, lang, measure=measure, kind=kind),
                relative=format_change(relative, lang, points=False)
                if relative is not None
                else "—",
            )
        )
        verdict = _verdict(change, direction, lang)
        if verdict:
            parts.append(verdict)
    trend = _describe_trend(result, lang, measure=measure, kind=kind)
    if trend:
        parts.append(trend)
    return " ".join(parts)


def _describe_trend(
    result: BeforeAfter, lang: str, *, measure: str | None, kind: str | None
) -> str:
    departure = result.change_vs_trend
    if departure is None or result.trend_after is None:
        return ""
    text = t(
        "ba_trend_above" if departure > 0 else "ba_trend_below",
        lang,
        expected=format_value(result.trend_after, lang, measure=measure),
        amount=format_difference(departure, lang, measure=measure, kind=kind),
    )
    noise = result.beyond_noise
    if noise is not None:
        text += " " + t("ba_beyond_noise" if noise else "ba_within_noise", lang)
    return text


def describe_ranking(
    ranked: pd.DataFrame, lang: str, *, measure: str | None, direction: str | None
) -> str:
    """``Tốt nhất: A (2,65 %); kém nhất: B (9,52 %).`` for a frame ranked best first.

    Highest and lowest instead when the indicator has no better direction.
    """
    ranked = ranked.dropna(subset=["value"])
    if len(ranked) < 2:
        return ""
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    neutral = direction not in ("higher_better", "lower_better")
    return t(
        "ranking_sentence_neutral" if neutral else "ranking_sentence",
        lang,
        best=best["unit_name"],
        best_value=format_value(best["value"], lang, measure=measure, qualifier=best["qualifier"]),
        worst=worst["unit_name"],
        worst_value=format_value(
            worst["value"], lang, measure=measure, qualifier=worst["qualifier"]
        ),
        n=len(ranked),
    )


def before_after_table(
    result: BeforeAfter, lang: str, *, measure: str | None, kind: str | None
) -> pd.DataFrame:
    """The before/after figures as a small text table: period, years, n_years, result."""
    rows = [
        (t("ba_row_before", lang), result.years_before, result.mean_before),
        (t("ba_row_after", lang), result.years_after, result.mean_after),
    ]
    table = [
        {
            "period": label,
            "years": year_span_text(years),
            "n_years": str(len(years)),
            "result": format_value(mean, lang, measure=measure),
        }
        for label, years, mean in rows
    ]
    if result.change is not None:
        if kind in POINT_KINDS:
            signed = format_change(result.change, lang, points=True) or ""
        else:
            signed = _signed(result.change, lang, measure)
        relative = result.relative_change
        table.append(_text_row(t("ba_row_change", lang), signed))
        if relative is not None:
            table.append(
                _text_row(
                    t("ba_row_relative", lang), format_change(relative, lang, points=False) or ""
                )
            )
    if result.trend_after is not None:
        table.append(
            {
                "period": t("ba_row_trend", lang),
                "years": year_span_text(result.years_after),
                "n_years": "",
                "result": format_value(result.trend_after, lang, measure=measure),
            }
        )
    return pd.DataFrame(table, columns=["period", "years", "n_years", "result"])


def _signed(difference: float, lang: str, measure: str | None) -> str:
    sign = "+" if difference > 0 else "-" if difference < 0 else ""
    number = format_number(abs(difference), lang)
    return f"{sign}{number} {measure}" if measure else f"{sign}{number}"


def _text_row(label: str, result: str) -> dict[str, str]:
    return {"period": label, "years": "", "n_years": "", "result": result}
