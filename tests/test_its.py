"""The one-series interrupted time series (dashboard.its), checked against statsmodels
fitted directly on the same data, a published worked example, and by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from dashboard import its, its_charts
from dashboard.i18n import t

DATA = Path(__file__).resolve().parent / "data"
CAMPAIGN = ("2012-08-01", "2012-12-31")  # NQTW4-XI-2012


def _yearly(values: dict[int, float], **extra: dict[int, float]) -> pd.DataFrame:
    years = list(values)
    frame = pd.DataFrame(
        {
            "period_start": [pd.Timestamp(y, 1, 1) for y in years],
            "period_end": [pd.Timestamp(y, 12, 31) for y in years],
            "value": list(values.values()),
        }
    )
    for name, column in extra.items():
        frame[name] = [column[y] for y in years]
    return frame


def _monthly(values: np.ndarray, first: str = "2010-01-01") -> pd.DataFrame:
    starts = pd.date_range(first, periods=len(values), freq="MS")
    return pd.DataFrame(
        {"period_start": starts, "period_end": starts + pd.offsets.MonthEnd(0), "value": values}
    )


def _series(seed: int, years: range = range(2004, 2020), effect: float = -2.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return _yearly(
        {y: 10 + 0.3 * (y - 2004) + effect * (y >= 2013) + rng.normal(0, 0.6) for y in years}
    )


def _segmented(years: np.ndarray, t0: int, post: np.ndarray) -> np.ndarray:
    """The design written out independently: constant, time, step, time after."""
    time = years - t0
    return np.column_stack([np.ones(len(years)), time, post, time * post])


def _hac(model: Any, lags: int) -> Any:
    return model.fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True})


# --- least squares with Newey–West errors -------------------------------------------------


def test_gaussian_estimates_equal_statsmodels_ols_with_hac() -> None:
    series = _series(1)
    result = its.analyse(series, *CAMPAIGN)
    years = np.array([y for y in range(2004, 2020) if y != 2012])
    used = series[series["period_start"].dt.year != 2012]
    fit = _hac(sm.OLS(used["value"].to_numpy(), _segmented(years, 2013, years >= 2013)), 2)
    assert result.model == "gaussian"
    assert (result.n_before, result.n_after, result.n_window) == (8, 7, 1)
    assert result.maxlags == 2 == its.nw_lags(15)
    assert result.df_resid == 11
    for estimate, column in ((result.level, 2), (result.slope, 3), (result.pre_slope, 1)):
        assert estimate is not None
        assert estimate.value == pytest.approx(fit.params[column], rel=1e-10)
        assert estimate.se == pytest.approx(fit.bse[column], rel=1e-10)
        assert estimate.low == pytest.approx(
            fit.params[column] - estimate.critical * fit.bse[column]
        )
        assert estimate.high == pytest.approx(
            fit.params[column] + estimate.critical * fit.bse[column]
        )
        assert estimate.critical >= stats.t.ppf(0.975, 11)


def test_the_lag_rule() -> None:
    assert its.nw_lags(np.array([4, 5, 15, 27, 28, 59, 99, 100])).tolist() == [
        1, 2, 2, 2, 3, 3, 3, 4,
    ]  # fmt: skip


def test_critical_value_is_the_quantile_of_statsmodels_t_statistics_on_simulated_errors() -> None:
    years = np.array([y for y in range(2005, 2020) if y != 2012])
    X = _segmented(years, 2013, years >= 2013)
    draws = 300
    errors = np.random.default_rng(its.CALIBRATION_SEED).standard_normal((draws, len(years)))
    ratios = []
    for e in errors:
        fit = _hac(sm.OLS(e, X), 2)
        ratios.append(np.abs(fit.params[2:4] / fit.bse[2:4]))
    expected = np.quantile(np.array(ratios), 0.95, axis=0)
    got = its.critical_values(X, np.eye(4)[[2, 3]], draws=draws)
    np.testing.assert_allclose(got, np.maximum(expected, stats.t.ppf(0.975, 10)), rtol=1e-9)


def test_monthly_data_get_seasonal_dummies_like_statsmodels() -> None:
    rng = np.random.default_rng(3)
    n = 60
    month = np.arange(n) % 12
    values = 50 + 0.1 * np.arange(n) + 4 * np.sin(month / 12 * 2 * np.pi) + rng.normal(0, 1, n)
    values[36:] -= 3
    series = _monthly(values)  # 2010-01 … 2014-12; campaign in January 2013
    result = its.analyse(series, "2013-01-01", "2013-01-31", period_type="month")
    assert result.seasonal and result.n_window == 1
    keep = np.arange(n) != 36
    index = np.arange(n)[keep]
    dummies = pd.get_dummies(month[keep]).to_numpy(dtype=float)[:, 1:]
    X = np.column_stack([_segmented(index, 37, index >= 37), dummies])
    fit = _hac(sm.OLS(values[keep], X), int(its.nw_lags(59)))
    assert result.maxlags == 3 and result.df_resid == 59 - 15
    assert result.level is not None and result.slope is not None
    assert result.level.value == pytest.approx(fit.params[2], rel=1e-9)
    assert result.level.se == pytest.approx(fit.bse[2], rel=1e-9)
    assert result.slope.value == pytest.approx(fit.params[3], rel=1e-9)
    assert result.slope.se == pytest.approx(fit.bse[3], rel=1e-9)
    assert result.level.low < -3 < result.level.high


def test_quarterly_seasons_are_left_out_when_the_points_do_not_allow() -> None:
    starts = pd.date_range("2011-01-01", periods=8, freq="QS")
    series = pd.DataFrame(
        {
            "period_start": starts,
            "period_end": starts + pd.offsets.QuarterEnd(0),
            "value": [5.0, 6, 5, 7, 4, 5, 3, 4],
        }
    )
    result = its.analyse(
        series, "2012-01-01", "2012-01-01", period_type="quarter", drop_window=False
    )
    assert result.ok and not result.seasonal  # 8 points, 4 + 3 parameters: no seasons
    forced = its.analyse(
        series, "2012-01-01", "2012-01-01", period_type="quarter", drop_window=False, seasonal=True
    )
    assert forced.refusal == its.Refusal("its_refuse_parameters", {"n": 8, "k": 7, "need": 9})


def test_the_campaign_window_can_be_kept_as_post_periods() -> None:
    series = _series(4)
    dropped = its.analyse(series, *CAMPAIGN)
    kept = its.analyse(series, *CAMPAIGN, drop_window=False)
    assert dropped.window_dropped and not kept.window_dropped
    assert dropped.df_resid == 11 and kept.df_resid == 12
    years = np.arange(2004, 2020)
    fit = _hac(sm.OLS(series["value"].to_numpy(), _segmented(years, 2012, years >= 2012)), 2)
    assert kept.level is not None and kept.slope is not None
    assert kept.level.value == pytest.approx(fit.params[2], rel=1e-10)
    assert kept.level.se == pytest.approx(fit.bse[2], rel=1e-10)
    assert kept.slope.value == pytest.approx(fit.params[3], rel=1e-10)
    # means leave the window out either way
    assert kept.mean_before == dropped.mean_before
    assert bool(kept.curve.loc[kept.curve["side"] == "window", "used"].all())
    assert not bool(dropped.curve.loc[dropped.curve["side"] == "window", "used"].any())


def test_windows_use_the_periods_nearest_the_campaign() -> None:
    series = _series(5)
    result = its.analyse(series, *CAMPAIGN, before=4, after=3)
    assert (result.n_before, result.n_after) == (4, 3)
    used = result.curve[result.curve["used"]]
    assert used["period_start"].dt.year.tolist() == [2008, 2009, 2010, 2011, 2013, 2014, 2015]
    years = np.array([2008, 2009, 2010, 2011, 2013, 2014, 2015])
    fit = _hac(sm.OLS(used["value"].to_numpy(), _segmented(years, 2013, years >= 2013)), 2)
    assert result.level is not None and result.level.value == pytest.approx(fit.params[2])
    assert its.periods_for_years(2, "quarter") == 8 and its.periods_for_years(None, "year") is None


def test_means_and_changes_by_hand() -> None:
    series = _yearly(
        {2008: 10.0, 2009: 12, 2010: 11, 2011: 13, 2012: 99, 2013: 9, 2014: 8, 2015: 10}
    )
    result = its.analyse(series, *CAMPAIGN)
    assert result.mean_before == 11.5
    assert result.mean_after == 9.0
    assert result.change == -2.5
    assert result.relative_change == pytest.approx(-2.5 / 11.5 * 100)
    assert result.thin  # 4 before, 3 after


def test_counterfactual_is_the_earlier_trend_carried_on_with_its_band() -> None:
    series = _series(6)
    result = its.analyse(series, *CAMPAIGN)
    curve = result.curve
    assert result.pre_slope is not None and result.level is not None
    after = curve[curve["side"] != "before"]
    assert (
        after["counterfactual"].notna().all()
        and curve.loc[curve["side"] == "before", "counterfactual"].isna().all()
    )
    intercept = after.loc[after["t"] == 2013, "counterfactual"].iloc[0]
    slope = result.pre_slope.value
    np.testing.assert_allclose(after["counterfactual"], intercept + slope * (after["t"] - 2013))
    fitted_2013 = after.loc[after["t"] == 2013, "fitted"].iloc[0]
    assert fitted_2013 - intercept == pytest.approx(result.level.value)
    assert (after["cf_low"] < after["counterfactual"]).all() and (
        after["counterfactual"] < after["cf_high"]
    ).all()


# --- counts -------------------------------------------------------------------------------------


def _counts(seed: int, overdispersed: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = range(2004, 2020)
    members = {y: float(rng.integers(900, 1100)) for y in years}
    mean = {y: members[y] * 0.02 * np.exp(0.03 * (y - 2004) - 0.3 * (y >= 2013)) for y in years}
    noise = {y: rng.gamma(3, 1 / 3) if overdispersed else 1.0 for y in years}
    return _yearly({y: float(rng.poisson(mean[y] * noise[y])) for y in years}, members=members)


def _glm_check(result: its.ITSResult, series: pd.DataFrame, family: sm.families.Family) -> None:
    used = series[series["period_start"].dt.year != 2012]
    years = used["period_start"].dt.year.to_numpy()
    model = sm.GLM(
        used["value"].to_numpy(),
        _segmented(years, 2013, years >= 2013),
        family=family,
        offset=np.log(used["members"].to_numpy()),
    )
    fit = model.fit(cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True}, tol=1e-13)
    assert result.level is not None and result.slope is not None
    assert result.level.ratio and result.level.value == pytest.approx(
        np.exp(fit.params[2]), rel=1e-7
    )
    assert result.level.coef == pytest.approx(fit.params[2], rel=1e-7)
    assert result.level.se == pytest.approx(fit.bse[2], rel=1e-6)
    assert result.slope.value == pytest.approx(np.exp(fit.params[3]), rel=1e-7)
    assert result.slope.se == pytest.approx(fit.bse[3], rel=1e-6)
    assert result.level.low == pytest.approx(
        np.exp(fit.params[2] - result.level.critical * fit.bse[2]), rel=1e-6
    )


def test_counts_without_overdispersion_get_a_poisson_model_like_statsmodels() -> None:
    series = _counts(7, overdispersed=False)
    result = its.analyse(series, *CAMPAIGN, kind="count", exposure="members")
    assert result.model == "poisson"
    _glm_check(result, series, sm.families.Poisson())
    used = series[series["period_start"].dt.year != 2012]
    years = used["period_start"].dt.year.to_numpy()
    poisson = sm.GLM(
        used["value"].to_numpy(), _segmented(years, 2013, years >= 2013),
        family=sm.families.Poisson(), offset=np.log(used["members"].to_numpy()),
    ).fit(tol=1e-13)  # fmt: skip
    assert result.dispersion == pytest.approx(poisson.pearson_chi2 / poisson.df_resid, rel=1e-6)
    assert stats.chi2.sf(poisson.pearson_chi2, poisson.df_resid) >= its.OVERDISPERSION_LEVEL


def test_overdispersed_counts_get_a_negative_binomial_with_the_moment_alpha() -> None:
    series = _counts(8, overdispersed=True)
    result = its.analyse(series, *CAMPAIGN, kind="count", exposure="members")
    assert result.model == "negbin"
    used = series[series["period_start"].dt.year != 2012]
    years = used["period_start"].dt.year.to_numpy()
    y = used["value"].to_numpy()
    poisson = sm.GLM(
        y, _segmented(years, 2013, years >= 2013), family=sm.families.Poisson(),
        offset=np.log(used["members"].to_numpy()),
    ).fit(tol=1e-13)  # fmt: skip
    assert stats.chi2.sf(poisson.pearson_chi2, poisson.df_resid) < its.OVERDISPERSION_LEVEL
    mu = poisson.fittedvalues
    alpha = ((y - mu) ** 2 - y).sum() / (mu**2).sum()
    assert result.alpha == pytest.approx(alpha, rel=1e-6)
    _glm_check(result, series, sm.families.NegativeBinomial(alpha=result.alpha))


def test_a_negative_binomial_can_be_asked_for() -> None:
    series = _counts(7, overdispersed=False)
    result = its.analyse(series, *CAMPAIGN, family="negbin", exposure="members")
    assert result.model == "negbin" and result.alpha is not None
    _glm_check(result, series, sm.families.NegativeBinomial(alpha=result.alpha))


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "key", "params"),
    [
        (range(2010, 2017), "its_refuse_before", {"n": 2, "need": 3}),
        (range(2006, 2015), "its_refuse_after", {"n": 2, "need": 3}),
        (range(2011, 2014), "its_refuse_before", {"n": 1, "need": 3}),
    ],
)
def test_too_few_points_on_a_side_is_refused(
    years: range, key: str, params: dict[str, int]
) -> None:
    result = its.analyse(_yearly({y: float(y % 7) for y in years}), *CAMPAIGN)
    assert not result.ok
    assert result.level is None and result.slope is None and result.mean_before is None
    assert result.refusal == its.Refusal(key, params)
    text = result.refusal.text("vi")
    assert str(params["n"]) in text and "3" in text
    assert its.sentence(result, "Tỷ lệ hộ nghèo") == text


def test_a_window_on_each_side_too_narrow_is_refused() -> None:
    result = its.analyse(_series(9), *CAMPAIGN, before=2)
    assert result.refusal == its.Refusal("its_refuse_before", {"n": 2, "need": 3})
    assert result.n_before == 2 and result.n_after == 7


def test_other_refusals() -> None:
    series = _series(10)
    term = its.analyse(series, *CAMPAIGN, period_type="term")
    assert term.refusal == its.Refusal("its_refuse_period_type", {"period_type": "term"})
    negative = its.analyse(series.assign(value=series["value"] - 20), *CAMPAIGN, kind="count")
    assert negative.refusal is not None and negative.refusal.key == "its_refuse_negative"
    zeros = its.analyse(series.assign(value=0.0), *CAMPAIGN, kind="count")
    assert zeros.refusal == its.Refusal("its_refuse_no_events")
    twice = pd.concat([series, series.iloc[[3]]])
    assert its.analyse(twice, *CAMPAIGN).refusal == its.Refusal(
        "its_refuse_duplicate", {"period": "2007-01-01"}
    )
    exposure = its.analyse(series.assign(members=0.0), *CAMPAIGN, kind="count", exposure="members")
    assert exposure.refusal == its.Refusal("its_refuse_exposure")
    with pytest.raises(ValueError, match="family"):
        its.analyse(series, *CAMPAIGN, family="binomial")


def test_exactly_three_points_each_side_is_estimated_with_a_caution() -> None:
    series = _yearly({2009: 5.0, 2010: 6, 2011: 6.5, 2012: 9, 2013: 4, 2014: 5.5, 2015: 5})
    result = its.analyse(series, *CAMPAIGN)
    assert result.ok and result.thin and result.df_resid == 2
    assert t("its_caution_thin", "vi", n_before=3, n_after=3) in its.sentence(result, "Chỉ tiêu")


# --- in words ------------------------------------------------------------------------------------


def _fixed(value: float, low: float, high: float, *, ratio: bool = False) -> its.ITSResult:
    level = its.Estimate(value, low, high, value, 0.1, 2.5, ratio)
    return its.ITSResult(
        model="negbin" if ratio else "gaussian", period_type="year", n_before=7, n_after=6,
        n_window=1, window_dropped=True, seasonal=False, mean_before=10.0, mean_after=8.0,
        level=level,
    )  # fmt: skip


def test_the_sentence_in_vietnamese_and_english() -> None:
    result = _fixed(-1.2, -2.0, -0.4)
    assert its.sentence(result, "Tỷ lệ hộ nghèo", "vi", measure="%", kind="rate") == (
        "Sau đợt kiểm điểm, tỷ lệ hộ nghèo giảm thêm 1,2 điểm phần trăm so với xu hướng trước "
        "đó (khoảng tin cậy 95%: 0,4–2)."
    )
    assert its.sentence(result, "Poverty rate", "en", measure="%", kind="rate") == (
        "After the review campaign, poverty rate fell 1.2 percentage points below its earlier "
        "trend (95% confidence interval: 0.4–2)."
    )
    rise = _fixed(1234.5, 100.0, 2369.0)
    assert its.sentence(rise, "Số hộ nghèo", "vi", measure="hộ", campaign="NQTW4") == (
        "Sau NQTW4, số hộ nghèo tăng thêm 1.234,5 hộ so với xu hướng trước đó (khoảng tin cậy "
        "95%: 100–2.369)."
    )


def test_the_sentence_warns_when_the_interval_includes_no_change() -> None:
    result = _fixed(-0.5, -1.5, 0.5)
    vi = its.sentence(result, "Tỷ lệ hộ nghèo", "vi", measure="%", kind="rate")
    assert vi == (
        "Sau đợt kiểm điểm, tỷ lệ hộ nghèo giảm thêm 0,5 điểm phần trăm so với xu hướng trước "
        "đó (khoảng tin cậy 95%: từ −1,5 đến 0,5). " + t("its_caution_no_change", "vi")
    )
    en = its.sentence(result, "Poverty rate", "en", measure="%", kind="rate")
    assert en.endswith(
        "(95% confidence interval: −1.5 to 0.5). " + t("its_caution_no_change", "en")
    )


def test_the_sentence_of_a_rate_ratio() -> None:
    result = _fixed(1.15, 1.02, 1.3, ratio=True)
    assert its.sentence(result, "Số đảng viên kết nạp mới", "vi") == (
        "Sau đợt kiểm điểm, số đảng viên kết nạp mới tăng 15 % so với xu hướng trước đó (tỷ số "
        "1,15; khoảng tin cậy 95%: 1,02–1,30)."
    )
    assert its.sentence(_fixed(0.8, 0.6, 1.1, ratio=True), "New members admitted", "en") == (
        "After the review campaign, new members admitted was 20 % lower than its earlier trend "
        "predicted (rate ratio 0.80; 95% confidence interval: 0.60–1.10). "
        + t("its_caution_no_change", "en")
    )


def test_acronyms_keep_their_case() -> None:
    assert its._lower_first("TSVM tiêu biểu") == "TSVM tiêu biểu"
    assert its._lower_first("Tỷ lệ") == "tỷ lệ"


# --- a published worked example -----------------------------------------------------------


def test_reproduces_lindens_california_proposition_99_example() -> None:
    """Linden (2015), Stata Journal 15(2): the single-group ITSA of California's cigarette
    sales with 1989 as the first year of the intervention (see tests/data for the source)."""
    data = pd.read_csv(DATA / "california_cigsales.csv", comment="#")
    series = _yearly(dict(zip(data["year"], data["cigsale"].astype(float), strict=True)))
    result = its.analyse(series, "1989-01-01", "1989-01-01", drop_window=False)
    assert result.ok and result.pre_slope is not None and result.level is not None
    assert result.slope is not None
    assert (result.n_before, result.n_after + result.n_window) == (19, 12)
    assert round(result.pre_slope.value, 6) == -1.779474
    assert round(result.level.value, 4) == -20.0581
    assert round(result.pre_slope.value + result.slope.value, 6) == -3.274126
    curve = result.curve.set_index("t")
    assert round(curve.loc[1989, "counterfactual"], 3) == 98.416
    assert round(curve.loc[1989, "counterfactual"] - 19 * result.pre_slope.value, 4) == 132.2258
    assert round(-result.level.value / curve.loc[1989, "counterfactual"] * 100, 2) == 20.38


# --- a group of units ---------------------------------------------------------------------------


def test_a_group_is_combined_from_numerators_and_denominators(sample_db: Path) -> None:
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        group = its.group_series(con, ["917", "918", "927"], "poverty_rate")
        parts = con.execute(
            """
            SELECT year(period_start) AS year,
                   100 * sum(value) FILTER (WHERE indicator_code = 'poor_households')
                       / sum(value) FILTER (WHERE indicator_code = 'households') AS rate,
                   count(DISTINCT unit_code) AS n
            FROM v_observation
            WHERE unit_code IN ('917', '918', '927') AND period_type = 'year'
              AND indicator_code IN ('poor_households', 'households')
            GROUP BY 1 HAVING count(DISTINCT unit_code) = 3 ORDER BY 1
            """
        ).df()
    finally:
        con.close()
    assert (
        group["period_start"].dt.year.tolist() == parts["year"].tolist() == list(range(2009, 2017))
    )
    np.testing.assert_allclose(group["value"], parts["rate"], rtol=1e-12)
    assert (group["n_units"] == 3).all()
    result = its.analyse(group, *CAMPAIGN)
    assert result.ok and result.n_before == 3


# --- the chart ----------------------------------------------------------------------------------


def test_the_chart_draws_the_fit_the_counterfactual_band_and_the_campaign() -> None:
    result = its.analyse(_series(11), *CAMPAIGN)
    fig = its_charts.its_chart(
        result, "vi", window=CAMPAIGN, campaign_code="NQTW4-XI-2012", measure="%"
    )
    names = [trace.name for trace in fig.data]
    assert t("its_chart_counterfactual", "vi") in names and t("its_chart_band", "vi") in names
    assert t("its_chart_fitted", "vi") in names and t("its_chart_not_used", "vi") in names
    assert [shape.name for shape in fig.layout.shapes] == ["campaign NQTW4-XI-2012"]
    assert fig.layout.separators == ",."
    band = next(trace for trace in fig.data if trace.name == t("its_chart_band", "vi"))
    assert len(band.y) == 8  # the window and the seven after periods


def test_calibrated_critical_values_are_remembered_per_design_and_never_shared() -> None:
    t = np.arange(12, dtype=float)
    after = (t >= 6).astype(float)
    X = np.column_stack([np.ones(12), t, after, t * after])
    contrasts = np.eye(4)[[2, 3]]
    first = its.critical_values(X, contrasts)
    first[:] = 0  # the caller's copy: the remembered values stay as they were
    again = its.critical_values(X.copy(), contrasts.copy())
    assert np.all(again > 2) and not np.array_equal(first, again)
    assert again.tolist() == list(
        its._calibrated.__wrapped__(
            X.shape, contrasts.shape, its.CALIBRATION_DRAWS, X.tobytes(), contrasts.tobytes()
        )
    )
