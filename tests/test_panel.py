"""Across units (dashboard.panel): every unit's estimate against statsmodels and
dashboard.its, planted effects recovered with honest 95 % intervals, difference in
differences and the event study against statsmodels' dummy regressions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from dashboard import its, its_charts, panel
from dashboard.formatting import format_number
from dashboard.i18n import t

CAMPAIGN = ("2012-08-01", "2012-12-31")
YEARS = np.arange(2005, 2020)


def _long(values: np.ndarray, years: np.ndarray = YEARS, prefix: str = "u") -> pd.DataFrame:
    """Rows unit × year of a (U, T) array; NaN cells are left out."""
    units = np.array([f"{prefix}{u:04d}" for u in range(values.shape[0])])
    frame = pd.DataFrame(
        {
            "unit_code": np.repeat(units, len(years)),
            "period_start": np.tile(pd.to_datetime([f"{y}-01-01" for y in years]), len(units)),
            "period_end": np.tile(pd.to_datetime([f"{y}-12-31" for y in years]), len(units)),
            "value": values.ravel(),
        }
    )
    return frame.dropna(subset=["value"]).reset_index(drop=True)


def _ar_errors(rng: np.random.Generator, shape: tuple[int, int], rho: float) -> np.ndarray:
    errors = np.empty(shape)
    errors[:, 0] = rng.normal(size=shape[0]) / np.sqrt(1 - rho**2)
    for i in range(1, shape[1]):
        errors[:, i] = rho * errors[:, i - 1] + rng.normal(size=shape[0])
    return errors


LEVEL, SLOPE = -1.5, 0.3  # planted: a drop at 2013 and a steeper trend after it


def _planted(seed: int, units: int, rho: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    post = YEARS >= 2013
    base = rng.normal(20, 3, (units, 1)) + rng.normal(0.2, 0.1, (units, 1)) * (YEARS - 2013)
    effect = LEVEL * post + SLOPE * np.where(post, YEARS - 2013, 0)
    return _long(base + effect + _ar_errors(rng, (units, len(YEARS)), rho))


def _planted_counts(seed: int, units: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    post = YEARS >= 2013
    log_mean = np.log(30) + 0.03 * (YEARS - 2005) + np.log(0.8) * post
    log_mean = log_mean + np.log(1.05) * np.where(post, YEARS - 2013, 0)
    noise = rng.gamma(10, 0.1, (units, len(YEARS)))  # overdispersed for most units
    return _long(rng.poisson(np.exp(log_mean) * noise).astype(float))


def _binomial_band(n: int, p: float = 0.95, level: float = 0.999) -> tuple[float, float]:
    """The central ``level`` of Binomial(n, p) / n: where the share of intervals that cover
    the truth falls when they are 95 % intervals."""
    tail = (1 - level) / 2
    return stats.binom.ppf(tail, n, p) / n, stats.binom.ppf(1 - tail, n, p) / n


def _covers(table: pd.DataFrame, column: str, truth: float) -> float:
    return float(((table[f"{column}_low"] <= truth) & (truth <= table[f"{column}_high"])).mean())


# --- each unit's estimate --------------------------------------------------------------------


def test_each_unit_equals_statsmodels_and_the_one_series_analysis() -> None:
    frame = _planted(1, 30)
    rng = np.random.default_rng(2)
    frame = frame.drop(index=rng.choice(len(frame), 40, replace=False))  # gaps: many patterns
    table = panel.unit_estimates(frame, *CAMPAIGN, before=6)
    assert table["unit_code"].tolist() == sorted(frame["unit_code"].unique())
    checked = 0
    for row in table.itertuples():
        series = frame[frame["unit_code"] == row.unit_code]
        single = its.analyse(series, *CAMPAIGN, before=6)
        assert (row.n_before, row.n_after) == (single.n_before, single.n_after)
        if single.refusal is not None:
            assert row.refusal == single.refusal.key
            assert row.refusal_params == dict(single.refusal.params)
            continue
        assert single.level is not None and single.slope is not None
        assert row.level == pytest.approx(single.level.value, rel=1e-9)
        assert (row.level_low, row.level_high) == pytest.approx(
            (single.level.low, single.level.high), rel=1e-9
        )
        assert (row.slope_low, row.slope_high) == pytest.approx(
            (single.slope.low, single.slope.high), rel=1e-9
        )
        assert row.mean_before == pytest.approx(single.mean_before)
        assert row.mean_after == pytest.approx(single.mean_after)
        used = single.curve[single.curve["used"]]
        years = used["t"].to_numpy()
        X = np.column_stack(
            [np.ones(len(years)), years - 2013, years >= 2013, (years - 2013) * (years >= 2013)]
        )
        fit = sm.OLS(used["value"].to_numpy(), X).fit(
            cov_type="HAC",
            cov_kwds={"maxlags": int(its.nw_lags(len(years))), "use_correction": True},
        )
        assert row.level == pytest.approx(fit.params[2], rel=1e-9)
        assert row.level_se == pytest.approx(fit.bse[2], rel=1e-9)
        assert row.slope == pytest.approx(fit.params[3], rel=1e-9)
        assert row.slope_se == pytest.approx(fit.bse[3], rel=1e-9)
        checked += 1
    assert checked >= 25


def test_count_units_equal_the_one_series_analysis() -> None:
    frame = _planted_counts(3, 20)
    table = panel.unit_estimates(frame, *CAMPAIGN, kind="count")
    assert set(table["model"]) == {"poisson", "negbin"}
    for row in table.itertuples():
        single = its.analyse(frame[frame["unit_code"] == row.unit_code], *CAMPAIGN, kind="count")
        assert single.level is not None and single.slope is not None
        assert row.model == single.model and bool(row.ratio)
        assert row.level == pytest.approx(single.level.value, rel=1e-7)
        assert (row.level_low, row.level_high) == pytest.approx(
            (single.level.low, single.level.high), rel=1e-6
        )
        assert row.slope == pytest.approx(single.slope.value, rel=1e-7)
        assert row.level_se == pytest.approx(single.level.se, rel=1e-6)
        if single.alpha is not None:
            assert row.alpha == pytest.approx(single.alpha, rel=1e-7)


def test_units_with_too_few_points_are_refused_in_the_table() -> None:
    values = np.arange(3 * len(YEARS), dtype=float).reshape(3, len(YEARS)) % 7
    values[1, :6] = np.nan  # 2005–2010 gone: 2011 alone before the campaign
    values[2, 9:] = np.nan  # 2014 onwards gone: 2013 alone after it
    table = panel.unit_estimates(_long(values), *CAMPAIGN)
    assert table["refusal"].tolist() == [None, "its_refuse_before", "its_refuse_after"]
    assert table.loc[1, "refusal_params"] == {"n": 1, "need": 3}
    assert table.loc[2, "refusal_params"] == {"n": 1, "need": 3}
    assert table.loc[1:, "level"].isna().all() and table.loc[0, "level"] == table.loc[0, "level"]
    ordered = panel.sort_table(table, "level", ascending=False)
    assert ordered["unit_code"].tolist() == ["u0000", "u0001", "u0002"]


def test_the_table_for_reading() -> None:
    values = np.arange(2 * len(YEARS), dtype=float).reshape(2, len(YEARS)) % 5
    values[1, :6] = np.nan
    table = panel.unit_estimates(_long(values), *CAMPAIGN)
    shown = panel.display_table(table, "vi", names={"u0000": "Quận Ô Môn"})
    assert list(shown.columns[:4]) == ["Đơn vị", "Mô hình", "Số kỳ trước/sau", "Thay đổi mức"]
    first, second = shown.iloc[0], shown.iloc[1]
    assert first["Đơn vị"] == "Quận Ô Môn" and second["Đơn vị"] == "u0001"
    assert first["Số kỳ trước/sau"] == "7/7" and second["Số kỳ trước/sau"] == "1/7"
    assert first["Mô hình"] == t("its_model_gaussian", "vi")
    assert first["Khoảng tin cậy 95%"] == (
        f"{format_number(table.loc[0, 'level_low'], 'vi')} – "
        f"{format_number(table.loc[0, 'level_high'], 'vi')}"
    )
    assert second["Lý do không ước lượng"] == t("its_refuse_before", "vi", n=1, need=3)
    assert pd.isna(second["Thay đổi mức"]) and second["Khoảng tin cậy 95%"] == ""
    assert (
        "Rate ratio"
        in panel.display_table(
            panel.unit_estimates(_planted_counts(5, 3), *CAMPAIGN, kind="count"), "en"
        ).columns
    )


def test_sort_table_orders_by_the_estimate_with_refused_units_last() -> None:
    table = pd.DataFrame({"unit_code": ["a", "b", "c", "d"], "level": [1.0, np.nan, -2.0, 1.0]})
    assert panel.sort_table(table)["unit_code"].tolist() == ["c", "a", "d", "b"]
    assert panel.sort_table(table, ascending=False)["unit_code"].tolist() == ["a", "d", "c", "b"]


# --- planted effects -----------------------------------------------------------------------


def test_planted_effects_are_recovered_and_95_percent_intervals_cover_them() -> None:
    """2,000 units, 15 yearly points each (7 before, 7 after, 2012 left out), independent
    normal errors around unit-specific levels and trends, a planted drop of 1.5 at 2013 and
    a slope change of +0.3 a year. If the intervals are 95 % intervals, the share covering
    the truth is Binomial(2000, 0.95) / 2000: its central 99.9 % is 0.934–0.966, so a
    calibrated method fails this test by chance once in a thousand seeds (the seed is fixed).
    """
    units = 2000
    table = panel.unit_estimates(_planted(11, units), *CAMPAIGN)
    assert table["refusal"].isna().all()
    low, high = _binomial_band(units)
    assert (round(low, 3), round(high, 3)) == (0.934, 0.966)
    assert low <= _covers(table, "level", LEVEL) <= high
    assert low <= _covers(table, "slope", SLOPE) <= high
    # unbiased: the mean estimate within four standard errors of the truth
    for column, truth in (("level", LEVEL), ("slope", SLOPE)):
        values = table[column]
        assert abs(values.mean() - truth) < 4 * values.std() / np.sqrt(units)


def test_planted_rate_ratios_are_recovered_by_the_count_models() -> None:
    """The same check for counts (rate ratio 0.8 at 2013, 1.05 a year after it), with
    gamma noise that makes most units overdispersed (negative binomial)."""
    units = 2000
    table = panel.unit_estimates(_planted_counts(12, units), *CAMPAIGN, kind="count")
    assert (table["model"] == "negbin").mean() > 0.8
    low, high = _binomial_band(units)
    assert low <= _covers(table, "level", 0.8) <= high
    assert low <= _covers(table, "slope", 1.05) <= high
    log_level = np.log(table["level"])
    assert abs(log_level.mean() - np.log(0.8)) < 4 * log_level.std() / np.sqrt(units)


def test_autocorrelated_errors_cover_less_as_documented() -> None:
    """AR(1) errors with ρ = 0.3 on 15 points: the module's docstring says the intervals
    then cover about 90 % (Newey–West cannot learn much autocorrelation from 15 points)."""
    table = panel.unit_estimates(_planted(13, 2000, rho=0.3), *CAMPAIGN)
    assert 0.88 <= _covers(table, "level", LEVEL) <= 0.95
    assert 0.87 <= _covers(table, "slope", SLOPE) <= 0.95


# --- difference in differences --------------------------------------------------------------------


def _did_frame(
    seed: int, units: int, effect: float, missing: int = 0
) -> tuple[pd.DataFrame, set[str]]:
    rng = np.random.default_rng(seed)
    treated = rng.random(units) < 0.4
    values = (
        rng.normal(10, 2, (units, 1))
        + rng.normal(0, 1, (1, len(YEARS)))  # shocks common to all units
        + 0.5 * treated[:, None]
        + effect * treated[:, None] * (YEARS >= 2013)
        + rng.normal(0, 1, (units, len(YEARS)))
    )
    frame = _long(values)
    if missing:
        frame = frame.drop(index=rng.choice(len(frame), missing, replace=False))
    return frame, {f"u{u:04d}" for u in np.flatnonzero(treated)}


def test_did_equals_statsmodels_dummy_regression_with_clustered_errors() -> None:
    frame, treated = _did_frame(21, 40, effect=2.0, missing=25)  # unbalanced
    result = panel.did(frame, *CAMPAIGN, treated)
    rows = frame[frame["period_start"].dt.year != 2012].reset_index(drop=True)
    exposed = rows["unit_code"].isin(treated) & (rows["period_start"].dt.year >= 2013)
    dummies = pd.get_dummies(
        rows[["unit_code"]].assign(year=rows["period_start"].dt.year.astype(str)), drop_first=True
    )
    X = sm.add_constant(
        pd.concat([exposed.astype(float).rename("d"), dummies.astype(float)], axis=1)
    )
    groups = pd.factorize(rows["unit_code"])[0]
    fit = sm.OLS(rows["value"], X).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    assert result.estimate == pytest.approx(fit.params["d"], rel=1e-9)
    assert result.se == pytest.approx(fit.bse["d"], rel=1e-9)
    low, high = fit.conf_int().loc["d"]
    assert (result.low, result.high) == pytest.approx((low, high), rel=1e-9)
    assert result.p_value == pytest.approx(fit.pvalues["d"], rel=1e-7)
    assert result.n_obs == len(rows) and result.n_treated == len(treated)


def test_did_recovers_a_planted_effect_and_is_the_two_by_two_on_a_balanced_panel() -> None:
    frame, treated = _did_frame(22, 300, effect=2.0)
    result = panel.did(frame, *CAMPAIGN, treated)
    assert result.low is not None and result.high is not None and result.estimate is not None
    assert result.low < 2.0 < result.high
    assert not result.includes_no_change
    means = result.means.set_index(["group", "side"])["mean"]
    two_by_two = (means["treated", "after"] - means["treated", "before"]) - (
        means["control", "after"] - means["control", "before"]
    )
    assert result.estimate == pytest.approx(two_by_two, rel=1e-9)
    null, treated_null = _did_frame(23, 300, effect=0.0)
    assert panel.did(null, *CAMPAIGN, treated_null).includes_no_change


def test_did_refusals() -> None:
    frame, treated = _did_frame(24, 10, effect=1.0)
    everyone = panel.did(frame, *CAMPAIGN, None)
    assert everyone.refusal == its.Refusal("did_refuse_all_in_scope")
    one = panel.did(frame, *CAMPAIGN, {"u0000"})
    assert one.refusal == its.Refusal("did_refuse_groups", {"treated": 1, "control": 9})
    before_only = frame[frame["period_start"].dt.year < 2012]
    assert panel.did(before_only, *CAMPAIGN, treated).refusal == its.Refusal(
        "did_refuse_periods", {"before": 7, "after": 0}
    )


def test_scope_resolution() -> None:
    ancestors = {"917": ["92", "VN"], "918": ["92", "VN"], "DBBCT-01": ["DBBCT"]}
    units = ["917", "918", "DBBCT-01"]
    assert panel.treated_units(units, "all", ancestors) is None
    assert panel.treated_units(units, "DBBCT", ancestors) == frozenset({"DBBCT-01"})
    assert panel.treated_units(units, "917|DBBCT-01") == frozenset({"917", "DBBCT-01"})


# --- event study ---------------------------------------------------------------------------------


def _event_frame(
    seed: int, units: int, *, never: int, pretrend: float = 0.0
) -> tuple[pd.DataFrame, dict[str, pd.Timestamp]]:
    """Units reviewed in 2009–2014 (``never`` of them not at all); the planted effect is 0
    before the review and 1 + 0.5·k in the k-th year after it; ``pretrend`` adds a ramp
    of that size per year over the years before it (k = −4 … −1)."""
    rng = np.random.default_rng(seed)
    event = rng.integers(2009, 2015, units).astype(float)
    event[:never] = np.nan
    rel = YEARS[None, :] - event[:, None]
    effect = np.where(rel >= 0, 1.0 + 0.5 * np.clip(rel, 0, 4), 0.0)
    ramp = pretrend * np.where((rel < 0) & (rel >= -4), rel + 5, 0.0)
    values = (
        rng.normal(10, 2, (units, 1))
        + rng.normal(0, 1, (1, len(YEARS)))
        + np.nan_to_num(effect + ramp)
        + rng.normal(0, 0.5, (units, len(YEARS)))
    )
    frame = _long(values)
    dates = {f"u{u:04d}": pd.Timestamp(int(event[u]), 6, 1) for u in range(never, units)}
    return frame, dates


def test_event_study_recovers_zero_leads_and_the_planted_lags() -> None:
    frame, dates = _event_frame(31, 600, never=150)
    study = panel.event_study(frame, dates, leads=4, lags=4)
    coefficients = study.coefficients.set_index("rel")
    assert study.references == (-1,)
    assert coefficients.loc[-1, "reference"] and coefficients.loc[-1, "estimate"] == 0
    truth = {k: (0.0 if k < 0 else 1.0 + 0.5 * k) for k in range(-4, 5)}
    # each estimate within 3.5 standard errors of the truth (all nine: a 0.4 % chance of a
    # miss if the errors are right; 95 % intervals would miss one of nine a third of the time)
    for k, row in coefficients.iterrows():
        assert abs(row["estimate"] - truth[int(k)]) <= 3.5 * row["se"], k
    assert study.pretrend_df == (3, 599)
    assert study.pretrend_p is not None and study.pretrend_p > 0.05
    assert study.pretrend_rejected is False
    assert (study.n_treated, study.n_control) == (450, 150)


def test_event_study_pretrend_test_rejects_a_planted_pretrend() -> None:
    frame, dates = _event_frame(32, 600, never=150, pretrend=0.15)
    study = panel.event_study(frame, dates)
    assert study.pretrend_p is not None and study.pretrend_p < 0.001
    assert study.pretrend_rejected


def test_event_study_equals_statsmodels_dummy_regression() -> None:
    frame, dates = _event_frame(33, 30, never=8)
    study = panel.event_study(frame, dates, leads=3, lags=2)
    event = frame["unit_code"].map(lambda code: dates[code].year if code in dates else np.nan)
    rel = frame["period_start"].dt.year - event
    keep = event.isna() | ((rel >= -3) & (rel <= 2))
    rows = frame[keep].reset_index(drop=True)
    rel = rel[keep].reset_index(drop=True)
    leads_lags = pd.DataFrame({f"k{k}": (rel == k).astype(float) for k in (-3, -2, 0, 1, 2)})
    fixed = pd.get_dummies(
        rows[["unit_code"]].assign(year=rows["period_start"].dt.year.astype(str)), drop_first=True
    )
    X = sm.add_constant(pd.concat([leads_lags, fixed.astype(float)], axis=1))
    groups = pd.factorize(rows["unit_code"])[0]
    fit = sm.OLS(rows["value"], X).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    coefficients = study.coefficients.set_index("rel")
    for k in (-3, -2, 0, 1, 2):
        assert coefficients.loc[k, "estimate"] == pytest.approx(fit.params[f"k{k}"], rel=1e-8)
        assert coefficients.loc[k, "se"] == pytest.approx(fit.bse[f"k{k}"], rel=1e-8)
        assert coefficients.loc[k, "low"] == pytest.approx(fit.conf_int().loc[f"k{k}", 0], rel=1e-8)
    test = fit.f_test("k-3 = 0, k-2 = 0")
    assert study.pretrend_f == pytest.approx(float(test.fvalue), rel=1e-8)
    assert study.pretrend_p == pytest.approx(float(test.pvalue), rel=1e-6)
    assert study.pretrend_df == (2, 29)


def test_without_never_treated_units_the_earliest_lead_is_a_second_reference() -> None:
    frame, dates = _event_frame(34, 200, never=0)
    study = panel.event_study(frame, dates, leads=3, lags=3)
    assert study.references == (-3, -1)
    reference = study.coefficients.set_index("rel")["reference"]
    assert reference[-3] and reference[-1] and not reference[-2]
    assert study.pretrend_df is not None and study.pretrend_df[0] == 1


def test_event_study_refuses_without_two_reviewed_units() -> None:
    frame, dates = _event_frame(35, 10, never=9)
    study = panel.event_study(frame, dates)
    assert study.refusal == its.Refusal("event_refuse_units", {"n": 1})


# --- charts ---------------------------------------------------------------------------------------


def test_forest_plot_sorts_units_by_estimate_and_marks_no_change() -> None:
    table = panel.unit_estimates(_planted(41, 12), *CAMPAIGN)
    names = {code: f"Đơn vị {code}" for code in table["unit_code"]}
    fig = its_charts.forest_plot(table, "vi", names=names)
    order = list(fig.layout.yaxis.categoryarray)
    expected = table.sort_values(["level", "unit_code"])["unit_code"].tolist()
    assert order == expected
    assert list(fig.layout.yaxis.ticktext) == [names[c] for c in expected]
    assert fig.layout.shapes[0].x0 == 0
    ratios = panel.unit_estimates(_planted_counts(42, 6), *CAMPAIGN, kind="count")
    ratio_fig = its_charts.forest_plot(ratios, "en")
    assert ratio_fig.layout.shapes[0].x0 == 1 and ratio_fig.layout.xaxis.type == "log"


def test_event_study_chart_marks_the_reference_and_states_the_pretrend_test() -> None:
    frame, dates = _event_frame(43, 200, never=50)
    study = panel.event_study(frame, dates)
    fig = its_charts.event_study_chart(study, "vi")
    reference = next(trace for trace in fig.data if trace.name == t("its_event_reference", "vi"))
    assert list(reference.x) == [-1]
    assert fig.layout.title.text == its_charts.pretrend_text(study, "vi")
    assert fig.layout.title.text.startswith("Kiểm định xu hướng trước đợt: F = ")
