"""Interrupted time series for one series: did the indicator move at a campaign, beyond
what its earlier trend was doing anyway, and by how much?

The model is a segmented regression on the periods of one type (years, half-years,
quarters or months; a term or a span is refused):

    value = b0 + b1·(t − t0) + b2·post + b3·(t − t0)·post [+ season dummies] + e

``t`` counts periods, ``post`` is 1 from the campaign on and ``t0`` is the first
post period, so ``b2`` is the *level change* (the jump at the campaign against the
earlier trend carried forward) and ``b3`` the *slope change* (per period). Periods that
overlap the campaign window are left out of the fit when ``drop_window`` (the default:
a campaign year says little about its effect); otherwise they count as post periods and
``t0`` is the first of them. Means before and after always leave the window out (as
:mod:`dashboard.stats` does).

Families:

- ``gaussian`` (rates, ratios to plan, amounts): ordinary least squares with Newey–West
  standard errors: Bartlett kernel, ``maxlags = floor(4·(n/100)^(2/9))`` (Newey and
  West 1994; statsmodels' default rule: 2 lags for 5–27 points, 3 for 28–99), scaled by
  n/(n − k) — exactly ``OLS(...).fit(cov_type="HAC", cov_kwds={"maxlags": L,
  "use_correction": True})``.
- counts (admissions, inspections, discipline; indicator kind ``count``): a log-link
  GLM, with ``log(exposure)`` as offset when a denominator is given, reporting *rate
  ratios* ``exp(b2)`` and ``exp(b3)``. Poisson first; when its Pearson chi-square exceeds
  the 95th percentile of chi-square with n − k degrees of freedom (overdispersion at
  the 5 % level) the model is a negative binomial (NB2, variance μ + αμ²) with α from
  the Cameron–Trivedi moment regression on the Poisson fit, α = Σ((y − μ)² − y) / Σμ².
  Standard errors are the GLM's Newey–West sandwich (observed information), the same
  lag rule and correction — ``GLM(...).fit(cov_type="HAC", ...)``.

Seasons: for quarterly and monthly data, one dummy per season but the first (on by
default when the data leave at least ``MIN_RESIDUAL_DF`` degrees of freedom).

Critical values. Newey–West standard errors are too small on short series: in our
simulations of 15–20 yearly points with independent errors the usual t-interval (this
lag rule, the n/(n − k) correction, Student's t with n − k degrees of freedom) covered the
true change 80–85 % of the time, not 95 %. So the 95 % intervals here are
``estimate ± c·SE`` with ``c`` *calibrated on the design*: the 97.5th percentile of the
Newey–West t-statistic over ``CALIBRATION_DRAWS`` series of independent normal errors on
the same periods (fixed seed, so the same data give the same interval), never below
Student's t with n − k degrees of freedom. That restores 95 % coverage for independent
errors (tests/test_panel.py plants effects in 2,000 series) and narrows the shortfall for
autocorrelated ones: about 90 % at AR(1) ρ = 0.3 on 15 points, where no interval built
from 15 points can learn much about the autocorrelation. The intervals come out about
10–15 % wider than ordinary least squares' would be with independent errors. Count models
use the critical values of their unweighted design (an approximation, exact when the
fitted mean is flat; the planted rate ratios are covered 94–95 % of the time). Rate-ratio
intervals are ``exp(b ± c·SE)``. The counterfactual's band uses the level change's
critical value.

Refusals: fewer than ``MIN_SIDE`` (3) points before or after the campaign, fewer than
``MIN_RESIDUAL_DF`` (2) degrees of freedom left, a period type without a time axis,
negative counts, no events at all or periods given twice give a :class:`Refusal` (a key
of :mod:`dashboard.i18n` with its parameters) instead of numbers. Fewer than
``THIN_SIDE`` (5) points on a side is allowed, with a caution.

The numerical core (:func:`fit_ols`, :func:`fit_glm`, :func:`critical_values`) works on
many series at once (arrays units × periods with a mask of the values used) and is
shared with :mod:`dashboard.panel`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

from dashboard import rollup
from dashboard.formatting import format_number, is_percent
from dashboard.i18n import normalize_lang, register, t
from dashboard.stats import MeansChange

Connection = duckdb.DuckDBPyConnection

MIN_SIDE = 3  # points on each side for a level + slope model
THIN_SIDE = 5  # fewer points than this on a side: estimate with a caution
MIN_RESIDUAL_DF = 2  # points left over after the parameters
OVERDISPERSION_LEVEL = 0.05  # Pearson chi-square test of the Poisson fit
CALIBRATION_DRAWS = 20_000
CALIBRATION_SEED = 20_240_805
LEVEL = 0.95
PERIODS_PER_YEAR = {"year": 1, "half": 2, "quarter": 4, "month": 12}
SEASONS = {"quarter": 4, "month": 12}
COUNT_KINDS = ("count",)
FAMILIES = ("auto", "gaussian", "poisson", "negbin")

register(
    {
        "its_refuse_period_type": (
            "Không phân tích được chuỗi theo kỳ “{period_type}”: cần số liệu theo năm, 6 tháng, "
            "quý hoặc tháng.",
            "Cannot analyse a series of “{period_type}” periods: yearly, half-yearly, quarterly "
            "or monthly figures are needed.",
        ),
        "its_refuse_before": (
            "Chưa đủ số liệu trước đợt: có {n} kỳ, cần ít nhất {need} kỳ để ước lượng xu hướng "
            "trước đó. Hãy chọn thêm kỳ trước đợt.",
            "Too few figures before the campaign: {n} periods, at least {need} are needed to "
            "estimate the earlier trend. Choose more periods before it.",
        ),
        "its_refuse_after": (
            "Chưa đủ số liệu sau đợt: có {n} kỳ, cần ít nhất {need} kỳ để ước lượng thay đổi. "
            "Hãy chọn thêm kỳ sau đợt.",
            "Too few figures after the campaign: {n} periods, at least {need} are needed to "
            "estimate a change. Choose more periods after it.",
        ),
        "its_refuse_parameters": (
            "Chưa đủ số liệu cho mô hình: {n} kỳ cho {k} tham số (cần ít nhất {need} kỳ). Hãy "
            "bỏ hiệu chỉnh mùa vụ hoặc chọn thêm kỳ.",
            "Too few figures for the model: {n} periods for {k} parameters (at least {need} "
            "are needed). Turn off the seasonal terms or choose more periods.",
        ),
        "its_refuse_negative": (
            "Chỉ tiêu đếm có giá trị âm ({value}): không dùng được mô hình đếm.",
            "A count indicator has a negative value ({value}): a count model cannot be used.",
        ),
        "its_refuse_no_events": (
            "Chỉ tiêu đếm bằng 0 ở mọi kỳ: không có gì để so sánh.",
            "The count is zero in every period: there is nothing to compare.",
        ),
        "its_refuse_exposure": (
            "Mẫu số (quy mô) phải dương ở mọi kỳ được dùng.",
            "The denominator (exposure) must be positive in every period used.",
        ),
        "its_refuse_duplicate": (
            "Có kỳ bị trùng trong chuỗi ({period}): mỗi kỳ chỉ được có một giá trị.",
            "A period appears twice in the series ({period}): each period needs one value.",
        ),
        "its_refuse_singular": (
            "Các kỳ được chọn không đủ để tách xu hướng và thay đổi (mô hình suy biến).",
            "The periods chosen cannot separate the trend from the change (singular model).",
        ),
        "its_campaign_default": ("đợt kiểm điểm", "the review campaign"),
        "its_sentence_level": (
            "Sau {campaign}, {indicator} {change} (khoảng tin cậy 95%: {interval}).",
            "After {campaign}, {indicator} {change} (95% confidence interval: {interval}).",
        ),
        "its_sentence_ratio": (
            "Sau {campaign}, {indicator} {change} (tỷ số {ratio}; khoảng tin cậy 95%: {interval}).",
            "After {campaign}, {indicator} {change} (rate ratio {ratio}; 95% confidence "
            "interval: {interval}).",
        ),
        "its_change_up": (
            "tăng thêm {amount} so với xu hướng trước đó",
            "rose {amount} above its earlier trend",
        ),
        "its_change_down": (
            "giảm thêm {amount} so với xu hướng trước đó",
            "fell {amount} below its earlier trend",
        ),
        "its_ratio_up": (
            "tăng {amount} so với xu hướng trước đó",
            "was {amount} higher than its earlier trend predicted",
        ),
        "its_ratio_down": (
            "giảm {amount} so với xu hướng trước đó",
            "was {amount} lower than its earlier trend predicted",
        ),
        "its_interval_signed": ("từ {low} đến {high}", "{low} to {high}"),
        "its_points": ("điểm phần trăm", "percentage points"),
        "its_caution_no_change": (
            "Khoảng tin cậy có cả giá trị “không thay đổi”: số liệu chưa cho thấy thay đổi "
            "vượt quá dao động thông thường.",
            "The interval includes no change: the figures do not show a change beyond "
            "ordinary variation.",
        ),
        "its_caution_thin": (
            "Ít số liệu ({n_before} kỳ trước, {n_after} kỳ sau): ước lượng kém chắc chắn, cần "
            "thận trọng khi kết luận.",
            "Few figures ({n_before} periods before, {n_after} after): the estimate is "
            "uncertain; conclude with care.",
        ),
        "its_caution_illustrative": (
            "{n} giá trị được dùng là số liệu minh họa, không phải số báo cáo chính thức.",
            "{n} of the values used are illustrative, not officially reported figures.",
        ),
        "its_model_gaussian": ("hồi quy tuyến tính (sai số Newey–West)", "linear (Newey–West)"),
        "its_model_poisson": ("Poisson (tỷ số tỷ suất)", "Poisson (rate ratios)"),
        "its_model_negbin": ("nhị thức âm (tỷ số tỷ suất)", "negative binomial (rate ratios)"),
    }
)


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why no estimate is given: a message key of :mod:`dashboard.i18n` and its values."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "vi") -> str:
        return t(self.key, lang, **self.params)


@dataclass(frozen=True)
class Estimate:
    """One coefficient with its 95 % interval.

    ``value``, ``low`` and ``high`` are on the scale reported: a difference in the
    indicator's measure, or a rate ratio (``ratio``) where ``coef`` and ``se`` are on the
    log scale.
    """

    value: float
    low: float
    high: float
    coef: float
    se: float
    critical: float
    ratio: bool = False

    @property
    def no_change(self) -> float:
        return 1.0 if self.ratio else 0.0

    @property
    def includes_no_change(self) -> bool:
        return bool(self.low <= self.no_change <= self.high)

    @classmethod
    def of(cls, coef: float, se: float, critical: float, *, ratio: bool) -> Estimate:
        low, high = coef - critical * se, coef + critical * se
        if ratio:
            return cls(math.exp(coef), math.exp(low), math.exp(high), coef, se, critical, True)
        return cls(coef, low, high, coef, se, critical, False)


@dataclass(frozen=True)
class ITSResult(MeansChange):
    """The before/after analysis of one series at one campaign (see the module's docstring).

    ``curve`` has one row per period shown: period_start, period_end, t, side (``before``,
    ``window``, ``after``), value, used (in the fit), fitted (the model's line),
    counterfactual (the earlier trend carried through the window and after periods) with
    cf_low and cf_high (its 95 % band). With a ``refusal``, the estimates are None.
    """

    model: str | None
    period_type: str
    n_before: int
    n_after: int
    n_window: int
    window_dropped: bool
    seasonal: bool
    mean_before: float | None
    mean_after: float | None
    level: Estimate | None = None
    slope: Estimate | None = None
    pre_slope: Estimate | None = None
    maxlags: int | None = None
    df_resid: int | None = None
    dispersion: float | None = None
    alpha: float | None = None
    n_illustrative: int = 0
    curve: pd.DataFrame = field(default_factory=pd.DataFrame)
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None and self.level is not None

    @property
    def ratio(self) -> bool:
        return self.model in ("poisson", "negbin")

    @property
    def thin(self) -> bool:
        return min(self.n_before, self.n_after) < THIN_SIDE


# --- the numerical core: many series at once -----------------------------------------------


def nw_lags(n: Any) -> np.ndarray:
    """Newey–West lags for ``n`` points: floor(4·(n/100)^(2/9)) (elementwise)."""
    count = np.maximum(np.asarray(n, dtype=float), 1.0)
    return np.floor(4 * (count / 100.0) ** (2.0 / 9.0)).astype(np.int64)


@dataclass(frozen=True)
class Fit:
    """Estimates of many series: params (U, k), cov (U, k, k), n (U,), k, lags (U,),
    ok (U,) (false where the design is singular), mu (U, T) for a GLM (the fitted mean)."""

    params: np.ndarray
    cov: np.ndarray
    n: np.ndarray
    k: int
    lags: np.ndarray
    ok: np.ndarray
    mu: np.ndarray | None = None

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.maximum(np.diagonal(self.cov, axis1=1, axis2=2), 0.0))


def _as_batch(X: np.ndarray, units: int) -> np.ndarray:
    return np.broadcast_to(X, (units, *X.shape[-2:])) if X.ndim == 2 else X


def _solve(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solutions of a @ x = b per unit, inv(a), and which units are well conditioned."""
    ok = np.linalg.cond(a) < 1e12
    safe = np.where(ok[:, None, None], a, np.eye(a.shape[-1]))
    inverse = np.linalg.inv(safe)
    return np.einsum("ukl,ul->uk", inverse, b), inverse, ok


def hac_meat(scores: np.ndarray, mask: np.ndarray, lags: np.ndarray) -> np.ndarray:
    """Σ of Bartlett-weighted autocovariances of the per-period scores (U, T, k).

    Masked periods are skipped: the values used are taken as consecutive, as statsmodels
    does with the rows it is given.
    """
    order = np.argsort(~mask, axis=1, kind="stable")
    packed = np.take_along_axis(scores * mask[..., None], order[..., None], axis=1)
    meat = np.einsum("utk,utl->ukl", packed, packed)
    for lag in range(1, int(lags.max(initial=0)) + 1):
        weight = np.clip(1.0 - lag / (lags + 1.0), 0.0, None)
        if not weight.any():
            continue
        cross = np.einsum("utk,utl->ukl", packed[:, lag:], packed[:, :-lag])
        meat += weight[:, None, None] * (cross + np.swapaxes(cross, 1, 2))
    return meat


def fit_ols(X: np.ndarray, y: np.ndarray, mask: np.ndarray) -> Fit:
    """Least squares of each row of ``y`` (U, T) on ``X`` ((T, k) shared or (U, T, k)) over
    its ``mask``, with Newey–West covariances (lags by :func:`nw_lags`, n/(n − k))."""
    units, k = y.shape[0], X.shape[-1]
    design = _as_batch(X, units) * mask[..., None]
    values = np.where(mask, y, 0.0)
    params, bread, ok = _solve(
        np.einsum("utk,utl->ukl", design, design), np.einsum("utk,ut->uk", design, values)
    )
    resid = np.where(mask, values - np.einsum("utk,uk->ut", design, params), 0.0)
    n = mask.sum(axis=1)
    lags = nw_lags(n)
    meat = hac_meat(design * resid[..., None], mask, lags)
    scale = n / np.maximum(n - k, 1)
    cov = bread @ meat @ bread * scale[:, None, None]
    return Fit(params, cov, n, k, lags, ok)


def fit_glm(
    X: np.ndarray,
    y: np.ndarray,
    mask: np.ndarray,
    offset: np.ndarray | None = None,
    alpha: np.ndarray | None = None,
    *,
    tol: float = 1e-11,
    max_iter: int = 100,
) -> Fit:
    """Log-link Poisson (``alpha`` 0) or NB2 (variance μ + αμ²) fits of each row of ``y``
    by iteratively reweighted least squares, with Newey–West sandwich covariances from the
    observed information (as statsmodels' GLM gives with ``cov_type="HAC"``)."""
    units, k = y.shape[0], X.shape[-1]
    design = _as_batch(X, units) * mask[..., None]
    counts = np.where(mask, y, 0.0)
    off = np.zeros_like(counts) if offset is None else np.where(mask, offset, 0.0)
    a = np.zeros(units) if alpha is None else np.asarray(alpha, dtype=float)
    n = mask.sum(axis=1)
    mean = np.where(n > 0, counts.sum(axis=1) / np.maximum(n, 1), 1.0)
    mu = np.where(mask, (counts + mean[:, None]) / 2.0, 1.0)
    eta = np.log(mu)
    params = np.zeros((units, k))
    ok = np.ones(units, dtype=bool)
    for _ in range(max_iter):
        weight = np.where(mask, mu / (1.0 + a[:, None] * mu), 0.0)
        working = eta - off + (counts - mu) / mu
        wx = design * weight[..., None]
        new, _, ok = _solve(
            np.einsum("utk,utl->ukl", wx, design), np.einsum("utk,ut->uk", wx, working)
        )
        step = np.abs(new - params).max(initial=0.0)
        params = new
        eta = np.einsum("utk,uk->ut", design, params) + off
        mu = np.where(mask, np.exp(np.clip(eta, -700, 700)), 1.0)
        if step < tol:
            break
    resid = np.where(mask, counts - mu, 0.0)
    denominator = 1.0 + a[:, None] * mu
    scores = design * (resid / denominator)[..., None]
    curvature = np.where(mask, mu * (1.0 + a[:, None] * counts) / denominator**2, 0.0)
    information = np.einsum("utk,utl->ukl", design * curvature[..., None], design)
    _, bread, well = _solve(information, np.zeros((units, k)))
    lags = nw_lags(n)
    meat = hac_meat(scores, mask, lags)
    scale = n / np.maximum(n - k, 1)
    cov = bread @ meat @ bread * scale[:, None, None]
    return Fit(params, cov, n, k, lags, ok & well, mu)


def pearson_dispersion(fit: Fit, y: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pearson chi-square of Poisson fits and its p-value against chi-square(n − k)."""
    assert fit.mu is not None
    chi2 = np.where(mask, (y - fit.mu) ** 2 / fit.mu, 0.0).sum(axis=1)
    df = np.maximum(fit.n - fit.k, 1)
    return chi2, stats.chi2.sf(chi2, df)


def nb_alpha(fit: Fit, y: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Cameron–Trivedi moment estimate of α from Poisson fits: Σ((y − μ)² − y) / Σμ²."""
    assert fit.mu is not None
    excess = np.where(mask, (y - fit.mu) ** 2 - y, 0.0).sum(axis=1)
    return excess / np.where(mask, fit.mu**2, 0.0).sum(axis=1)


def critical_values(
    X: np.ndarray, contrasts: np.ndarray, draws: int = CALIBRATION_DRAWS
) -> np.ndarray:
    """For each row c of ``contrasts``: the 97.5th percentile of |c'b / SE_NW(c'b)| over
    ``draws`` series of independent standard normal errors on the design ``X`` (the rows
    used, in time order), never below Student's t with n − k degrees of freedom.

    Remembered per design (the draws are seeded, so a design always gives the same
    values): a page rerun or a unit with the same periods costs nothing the second time,
    against 30–100 ms a simulation."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    contrasts = np.ascontiguousarray(contrasts, dtype=np.float64)
    values = _calibrated(X.shape, contrasts.shape, draws, X.tobytes(), contrasts.tobytes())
    return np.array(values)


@functools.lru_cache(maxsize=512)
def _calibrated(
    shape: tuple[int, ...],
    contrast_shape: tuple[int, ...],
    draws: int,
    design: bytes,
    contrast_bytes: bytes,
) -> tuple[float, ...]:
    X = np.frombuffer(design).reshape(shape)
    contrasts = np.frombuffer(contrast_bytes).reshape(contrast_shape)
    n, k = X.shape
    rng = np.random.default_rng(CALIBRATION_SEED)
    errors = rng.standard_normal((draws, n))
    bread = np.linalg.inv(X.T @ X)
    hat = bread @ X.T  # (k, n)
    resid = errors - (errors @ hat.T) @ X.T
    weights = X @ bread @ contrasts.T  # (n, m): c'b = Σ weights · e
    numerator = errors @ weights  # (draws, m)
    lags = int(nw_lags(n))
    z = resid[:, :, None] * weights[None]  # (draws, n, m)
    variance = (z**2).sum(axis=1)
    for lag in range(1, lags + 1):
        variance += 2 * (1 - lag / (lags + 1)) * (z[:, lag:] * z[:, :-lag]).sum(axis=1)
    variance *= n / (n - k)
    ratio = np.abs(numerator) / np.sqrt(np.maximum(variance, 1e-300))
    floor = stats.t.ppf(0.5 + LEVEL / 2, max(n - k, 1))
    return tuple(float(v) for v in np.maximum(np.quantile(ratio, LEVEL, axis=0), floor))


# --- one series ----------------------------------------------------------------------------


def period_index(starts: pd.Series, period_type: str) -> np.ndarray:
    """Consecutive period numbers of the period starts (years, half-years, quarters, months)."""
    stamps = pd.to_datetime(starts)
    months = stamps.dt.year.to_numpy() * 12 + stamps.dt.month.to_numpy() - 1
    return (months // (12 // PERIODS_PER_YEAR[period_type])).astype(np.int64)


def season_of(starts: pd.Series, period_type: str) -> np.ndarray:
    stamps = pd.to_datetime(starts)
    return ((stamps.dt.month.to_numpy() - 1) // (12 // SEASONS[period_type])).astype(np.int64)


def first_post_index(start: Any, end: Any, period_type: str, drop_window: bool) -> int:
    """The period number ``t0`` where the post segment begins: the first period starting
    after the campaign ends (``drop_window``), else the period holding its first day."""
    if not drop_window:
        return int(period_index(pd.Series([pd.Timestamp(start)]), period_type)[0])
    day = pd.Timestamp(end) + pd.Timedelta(days=1)
    index = int(period_index(pd.Series([day]), period_type)[0])
    months = 12 // PERIODS_PER_YEAR[period_type]
    starts_a_period = day.day == 1 and (day.month - 1) % months == 0
    return index if starts_a_period else index + 1


def periods_for_years(years: int | None, period_type: str) -> int | None:
    """How many periods of ``period_type`` make ``years`` years (None stays None)."""
    return None if years is None else years * PERIODS_PER_YEAR.get(period_type, 1)


def sides(frame: pd.DataFrame, start: Any, end: Any) -> np.ndarray:
    """``before`` (ends before the campaign starts), ``after`` (starts after it ends) or
    ``window`` (overlaps it) for each row."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    begins = pd.to_datetime(frame["period_start"]).to_numpy()
    ends = pd.to_datetime(frame["period_end"]).to_numpy()
    side = np.full(len(frame), "window", dtype=object)
    side[ends < np.datetime64(first)] = "before"
    side[begins > np.datetime64(last)] = "after"
    return side


def select_windows(side: np.ndarray, before: int | None, after: int | None) -> np.ndarray:
    """Rows kept (in time order): the last ``before`` before-rows, the first ``after``
    after-rows (all when None) and the window rows between them."""
    keep = np.ones(len(side), dtype=bool)
    first_rows = np.flatnonzero(side == "before")
    after_rows = np.flatnonzero(side == "after")
    if before is not None:
        keep[first_rows[: max(len(first_rows) - before, 0)]] = False
    if after is not None:
        keep[after_rows[after:]] = False
    return keep


def design_matrix(
    t: np.ndarray, post: np.ndarray, t0: int, seasons: np.ndarray | None = None, n_seasons: int = 0
) -> np.ndarray:
    """Columns: 1, t − t0, post, (t − t0)·post, then a dummy per season but the first."""
    centred = (t - t0).astype(float)
    columns = [np.ones(len(t)), centred, post.astype(float), centred * post]
    if seasons is not None:
        columns += [(seasons == s).astype(float) for s in range(1, n_seasons)]
    return np.column_stack(columns)


def _refused(
    periods: str, counts: tuple[int, int, int], dropped: bool, key: str, **params: Any
) -> ITSResult:
    return ITSResult(
        model=None,
        period_type=periods,
        n_before=counts[0],
        n_after=counts[1],
        n_window=counts[2],
        window_dropped=dropped,
        seasonal=False,
        mean_before=None,
        mean_after=None,
        refusal=Refusal(key, params),
    )


def _mean(values: np.ndarray) -> float | None:
    return float(values.mean()) if len(values) else None


def analyse(
    series: pd.DataFrame,
    start: Any,
    end: Any,
    *,
    period_type: str = "year",
    before: int | None = None,
    after: int | None = None,
    drop_window: bool = True,
    family: str = "auto",
    kind: str | None = None,
    seasonal: bool | None = None,
    exposure: str | None = None,
) -> ITSResult:
    """The interrupted-time-series analysis of ``series`` at the campaign ``start``–``end``.

    ``series``: period_start, period_end, value (rows without a value are ignored),
    optionally value_status and the ``exposure`` column (the denominator of a count, an
    offset). ``before``/``after``: how many periods next to the campaign to use on each
    side (all when None; :func:`periods_for_years` converts years). ``family``: ``auto``
    (a count model for ``kind`` ``count``, else gaussian), ``gaussian``, ``poisson`` (still
    a negative binomial when overdispersed) or ``negbin``. ``seasonal``: None for
    automatic (quarterly and monthly data, when the points allow).
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, not {family!r}")
    rows = series.dropna(subset=["value"]).sort_values("period_start").reset_index(drop=True)
    if exposure is not None:
        rows = rows.dropna(subset=[exposure]).reset_index(drop=True)
    side = sides(rows, start, end)
    rows = rows[select_windows(side, before, after)].reset_index(drop=True)
    side = sides(rows, start, end)
    counts = (
        int((side == "before").sum()),
        int((side == "after").sum()),
        int((side == "window").sum()),
    )
    if period_type not in PERIODS_PER_YEAR:
        return _refused(
            period_type, counts, drop_window, "its_refuse_period_type", period_type=period_type
        )
    t_all = period_index(rows["period_start"], period_type)
    duplicated = pd.Series(t_all).duplicated()
    if duplicated.any():
        first = rows["period_start"].iloc[int(np.flatnonzero(duplicated)[0])]
        return _refused(
            period_type,
            counts,
            drop_window,
            "its_refuse_duplicate",
            period=str(pd.Timestamp(first).date()),
        )
    if counts[0] < MIN_SIDE:
        return _refused(
            period_type, counts, drop_window, "its_refuse_before", n=counts[0], need=MIN_SIDE
        )
    if counts[1] < MIN_SIDE:
        return _refused(
            period_type, counts, drop_window, "its_refuse_after", n=counts[1], need=MIN_SIDE
        )
    values = rows["value"].to_numpy(dtype=float)
    count_model = family in ("poisson", "negbin") or (family == "auto" and kind in COUNT_KINDS)
    if count_model:
        refusal = _count_refusal(rows, values, exposure)
        if refusal is not None:
            return _refused(period_type, counts, drop_window, refusal.key, **refusal.params)
    used = side != "window" if drop_window else np.ones(len(rows), dtype=bool)
    post = side == "after" if drop_window else side != "before"
    t0 = first_post_index(start, end, period_type, drop_window)
    n_seasons = SEASONS.get(period_type, 0)
    n_used = int(used.sum())
    base_k = 4
    if seasonal is None:
        seasonal = bool(n_seasons) and n_used - (base_k + n_seasons - 1) >= MIN_RESIDUAL_DF
    seasonal = bool(seasonal and n_seasons)
    season = season_of(rows["period_start"], period_type) if seasonal else None
    X_all = design_matrix(t_all, post, t0, season, n_seasons)
    if seasonal:
        present = X_all[used].any(axis=0)
        present[:base_k] = True
        X_all = X_all[:, present]
    k = X_all.shape[1]
    if n_used - k < MIN_RESIDUAL_DF:
        return _refused(
            period_type,
            counts,
            drop_window,
            "its_refuse_parameters",
            n=n_used,
            k=k,
            need=k + MIN_RESIDUAL_DF,
        )
    offset = None
    if exposure is not None and count_model:
        offset = np.log(rows[exposure].to_numpy(dtype=float))
    X, y = X_all[used], values[used]
    mask = np.ones((1, n_used), dtype=bool)
    model, dispersion, alpha = "gaussian", None, None
    if count_model:
        fit, model, dispersion, alpha = _count_fit(
            X, y, offset[used] if offset is not None else None, family
        )
    else:
        fit = fit_ols(X, y[None], mask)
    if not fit.ok[0]:
        return _refused(period_type, counts, drop_window, "its_refuse_singular")
    ratio = model != "gaussian"
    # the counterfactual of each window/after row: its design row without the post terms
    counter_rows = np.flatnonzero(side != "before")
    counter_x = X_all[counter_rows].copy()
    counter_x[:, 2:4] = 0.0
    critical = critical_values(X, np.eye(k)[[2, 3, 1]])
    params, cov = fit.params[0], fit.cov[0]
    se = fit.se[0]
    level = Estimate.of(float(params[2]), float(se[2]), float(critical[0]), ratio=ratio)
    slope = Estimate.of(float(params[3]), float(se[3]), float(critical[1]), ratio=ratio)
    pre_slope = Estimate.of(float(params[1]), float(se[1]), float(critical[2]), ratio=ratio)
    curve = _curve(
        rows,
        side,
        used,
        X_all,
        params,
        cov,
        counter_rows,
        counter_x,
        np.full(len(counter_rows), critical[0]),
        offset,
        ratio,
        t_all,
    )
    before_values = values[side == "before"]
    after_values = values[side == "after"]
    status = rows["value_status"].to_numpy() if "value_status" in rows else np.array([])
    n_illustrative = int((status[used] == "illustrative").sum()) if len(status) else 0
    return ITSResult(
        model=model,
        period_type=period_type,
        n_before=counts[0],
        n_after=counts[1],
        n_window=counts[2],
        window_dropped=drop_window,
        seasonal=seasonal,
        mean_before=_mean(before_values),
        mean_after=_mean(after_values),
        level=level,
        slope=slope,
        pre_slope=pre_slope,
        maxlags=int(fit.lags[0]),
        df_resid=n_used - k,
        dispersion=dispersion,
        alpha=alpha,
        n_illustrative=n_illustrative,
        curve=curve,
    )


def _count_refusal(rows: pd.DataFrame, values: np.ndarray, exposure: str | None) -> Refusal | None:
    if (values < 0).any():
        return Refusal("its_refuse_negative", {"value": format_number(values.min())})
    if not values.any():
        return Refusal("its_refuse_no_events")
    if exposure is not None and (rows[exposure].to_numpy(dtype=float) <= 0).any():
        return Refusal("its_refuse_exposure")
    return None


def _count_fit(
    X: np.ndarray, y: np.ndarray, offset: np.ndarray | None, family: str
) -> tuple[Fit, str, float, float | None]:
    """Poisson, or NB2 when asked or overdispersed; with the Pearson dispersion and α."""
    mask = np.ones((1, len(y)), dtype=bool)
    off = None if offset is None else offset[None]
    poisson = fit_glm(X, y[None], mask, off)
    chi2, p_value = pearson_dispersion(poisson, y[None], mask)
    dispersion = float(chi2[0] / max(len(y) - X.shape[1], 1))
    alpha = float(nb_alpha(poisson, y[None], mask)[0])
    overdispersed = p_value[0] < OVERDISPERSION_LEVEL and alpha > 0
    if family == "negbin" or overdispersed:
        alpha = max(alpha, 1e-8)
        return fit_glm(X, y[None], mask, off, np.array([alpha])), "negbin", dispersion, alpha
    return poisson, "poisson", dispersion, None


def _curve(
    rows: pd.DataFrame,
    side: np.ndarray,
    used: np.ndarray,
    X_all: np.ndarray,
    params: np.ndarray,
    cov: np.ndarray,
    counter_rows: np.ndarray,
    counter_x: np.ndarray,
    critical: np.ndarray,
    offset: np.ndarray | None,
    ratio: bool,
    t_all: np.ndarray,
) -> pd.DataFrame:
    """The chart's lines: the fit, and the earlier trend carried on with its band."""
    off = np.zeros(len(rows)) if offset is None else offset
    fitted = X_all @ params + off
    shown = used | (side == "before")
    centre = counter_x @ params + off[counter_rows]
    spread = critical * np.sqrt(np.maximum(np.einsum("mk,kl,ml->m", counter_x, cov, counter_x), 0))
    link = np.exp if ratio else (lambda v: v)
    frame = pd.DataFrame(
        {
            "period_start": rows["period_start"].to_numpy(),
            "period_end": rows["period_end"].to_numpy(),
            "t": t_all,
            "side": side,
            "value": rows["value"].to_numpy(dtype=float),
            "used": used,
            "fitted": np.where(shown, link(fitted), np.nan),
            "counterfactual": np.nan,
            "cf_low": np.nan,
            "cf_high": np.nan,
        }
    )
    frame.loc[counter_rows, "counterfactual"] = link(centre)
    frame.loc[counter_rows, "cf_low"] = link(centre - spread)
    frame.loc[counter_rows, "cf_high"] = link(centre + spread)
    return frame


# --- a group of units ----------------------------------------------------------------------


def group_series(
    con: Connection, units: Sequence[str], indicator: str, period_type: str = "year"
) -> pd.DataFrame:
    """The series of a group of units combined by the indicator's rule (sums for counts
    and amounts; ratio_scale × Σ numerator / Σ denominator for rates, never a mean of
    rates), each unit's value its own or rolled up (:func:`dashboard.rollup.rollup`).

    Only periods where every unit of the group has a value (and, for a ratio, both parts)
    are kept, so that a unit missing from one year does not look like a fall. Columns:
    period_start, period_end, value, numerator_value, denominator_value, value_status
    (the worst of the parts), n_units.
    """
    found = rollup.rules(con, [indicator]).get(indicator)
    values = rollup.rollup(con, list(units), [indicator], period_type)
    columns = ["period_start", "period_end", "value", "numerator_value", "denominator_value"]
    if found is None or values.empty or found.aggregation == "none":
        return pd.DataFrame(columns=[*columns, "value_status", "n_units"])
    values = values[(values["depth"] == 0) & (values["indicator_code"] == indicator)]
    if found.aggregation == "ratio":
        values = values.dropna(subset=["numerator_value", "denominator_value"])
    rank = values["value_status"].map({s: i for i, s in enumerate(rollup.STATUSES)}).fillna(0)
    grouped = (
        values.assign(rank=rank)
        .groupby(["period_start", "period_end"], as_index=False)
        .agg(
            value=("value", "sum"),
            numerator_value=("numerator_value", "sum"),
            denominator_value=("denominator_value", "sum"),
            rank=("rank", "max"),
            n_units=("unit_code", "nunique"),
        )
    )
    grouped = grouped[grouped["n_units"] == len(set(units))].copy()
    if found.aggregation == "ratio":
        grouped["value"] = found.scale * grouped["numerator_value"] / grouped["denominator_value"]
    else:
        grouped[["numerator_value", "denominator_value"]] = np.nan
    grouped["value_status"] = [rollup.STATUSES[int(r)] for r in grouped["rank"]]
    return grouped[[*columns, "value_status", "n_units"]].reset_index(drop=True)


# --- in words ------------------------------------------------------------------------------


def _lower_first(name: str) -> str:
    """``Tỷ lệ hộ nghèo`` → ``tỷ lệ hộ nghèo``; an acronym (``TSVM``) stays as it is."""
    first = name.split(" ", 1)[0]
    if not name or (len(first) > 1 and first.isupper()):
        return name
    return name[0].lower() + name[1:]


def _amount(value: float, lang: str, measure: str | None, kind: str | None) -> str:
    text = format_number(abs(value), lang)
    if kind in ("rate", "ratio_to_plan") and is_percent(measure):
        return f"{text} {t('its_points', lang)}"
    if is_percent(measure):
        return f"{text} %"
    return f"{text} {measure}" if measure else text


def cautions(result: ITSResult, lang: str = "vi") -> list[str]:
    """What a reader should keep in mind: no change inside the interval, thin data,
    illustrative values."""
    notes = []
    if result.level is not None and result.level.includes_no_change:
        notes.append(t("its_caution_no_change", lang))
    if result.thin:
        notes.append(t("its_caution_thin", lang, n_before=result.n_before, n_after=result.n_after))
    if result.n_illustrative:
        notes.append(t("its_caution_illustrative", lang, n=result.n_illustrative))
    return notes


def sentence(
    result: ITSResult,
    indicator: str,
    lang: str = "vi",
    *,
    measure: str | None = None,
    kind: str | None = None,
    campaign: str | None = None,
) -> str:
    """What the level change means, in one sentence, followed by its cautions; the
    refusal's reason when there is no estimate.

    "Sau đợt kiểm điểm, tỷ lệ hộ nghèo giảm thêm 1,2 điểm phần trăm so với xu hướng trước
    đó (khoảng tin cậy 95%: 0,4–2,0)." The interval is given as magnitudes when it lies
    on one side of no change, else signed ("từ −0,4 đến 2,0").
    """
    lang = normalize_lang(lang)
    if result.refusal is not None or result.level is None:
        return result.refusal.text(lang) if result.refusal else ""
    name = _lower_first(indicator)
    where = campaign or t("its_campaign_default", lang)
    level = result.level
    text = (
        _ratio_sentence(level, name, where, lang)
        if level.ratio
        else _level_sentence(level, name, where, lang, measure, kind)
    )
    return " ".join([text, *cautions(result, lang)])


def _interval(low: float, high: float, centre: float, lang: str, fmt: Any) -> str:
    if low <= centre <= high:
        return t(
            "its_interval_signed", lang, low=fmt(low, signed=True), high=fmt(high, signed=True)
        )
    a, b = sorted((abs(low - centre), abs(high - centre)))
    return f"{fmt(a)}–{fmt(b)}"


def _level_sentence(
    level: Estimate, name: str, where: str, lang: str, measure: str | None, kind: str | None
) -> str:
    def fmt(value: float, signed: bool = False) -> str:
        text = format_number(abs(value), lang)
        return f"−{text}" if signed and value < 0 and text != "0" else text

    key = "its_change_up" if level.value >= 0 else "its_change_down"
    change = t(key, lang, amount=_amount(level.value, lang, measure, kind))
    interval = _interval(level.low, level.high, 0.0, lang, fmt)
    return t(
        "its_sentence_level", lang, campaign=where, indicator=name, change=change, interval=interval
    )


def _ratio_sentence(level: Estimate, name: str, where: str, lang: str) -> str:
    key = "its_ratio_up" if level.value >= 1 else "its_ratio_down"
    amount = f"{format_number(round(abs(level.value - 1) * 100, 1), lang)} %"
    interval = f"{format_number(level.low, lang, 2)}–{format_number(level.high, lang, 2)}"
    return t(
        "its_sentence_ratio",
        lang,
        campaign=where,
        indicator=name,
        change=t(key, lang, amount=amount),
        ratio=format_number(level.value, lang, 2),
        interval=interval,
    )


def model_label(result: ITSResult, lang: str = "vi") -> str:
    """The model in words (for a table or a caption)."""
    return t(f"its_model_{result.model}", lang) if result.model else ""
