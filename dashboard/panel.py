"""Before/after across units: every child unit's interrupted time series, a
difference-in-differences against the units outside a campaign's scope, and an event
study aligning units reviewed at different dates.

Input everywhere: one row per unit × period (unit_code, period_start, period_end, value;
one period type), as :func:`dashboard.queries.children_series` gives for yearly data.

- :func:`unit_estimates`: the model of :func:`dashboard.its.analyse` for every unit in
  one batched computation (least squares or IRLS for all units at once, Newey–West
  covariances from numpy; statsmodels gives the same numbers unit by unit, see the
  tests), the critical values calibrated once per pattern of periods used. One row per
  unit, refused units with their reason; :func:`sort_table` orders it.
- :func:`did`: two-way fixed effects, y = unit + period + δ·(in scope × after) + e, by
  least squares on the within-transformed data (unit means swept out, period effects
  solved exactly, so unbalanced panels too), with standard errors clustered by unit
  (CR1: G/(G − 1)·(N − 1)/(N − K), K counting every fixed effect) and Student's t with
  G − 1 degrees of freedom — the numbers of statsmodels' OLS with unit and period dummies
  and ``cov_type="cluster"``. With one campaign date for all and a balanced panel this is
  the canonical 2×2 difference of the four means (also returned). Gaussian only.
- :func:`event_study`: y = unit + period + Σ_k β_k·1[t − E_u = k] + e for leads and lags k
  around each unit's own campaign period E_u, reference period −1, same clustered errors.
  Units without a date are never-treated controls; periods of treated units outside
  [−leads, lags] are left out (not binned). With no never-treated unit the earliest lead
  is a second reference (unit and period effects otherwise absorb a linear trend in k).
  The pre-trend check is the joint Wald F-test that every estimated lead (k ≤ −2) is
  zero, F(q, G − 1). Effects that differ across cohorts bias this two-way estimator
  (Sun and Abraham 2021); it is exact when the effect is common.

The warehouse holds one date per campaign (table ``campaign``), not a review date per
unit, so the event study takes a mapping unit → date; the tests supply synthetic ones.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from dashboard import its
from dashboard.formatting import format_number
from dashboard.i18n import register, t

register(
    {
        "did_refuse_groups": (
            "Cần ít nhất 2 đơn vị trong phạm vi đợt và 2 đơn vị ngoài phạm vi có số liệu (có "
            "{treated} và {control}).",
            "At least 2 units inside the campaign's scope and 2 outside it with figures are "
            "needed ({treated} and {control} found).",
        ),
        "did_refuse_periods": (
            "Cần số liệu cả trước và sau đợt ({before} kỳ trước, {after} kỳ sau).",
            "Figures both before and after the campaign are needed ({before} periods before, "
            "{after} after).",
        ),
        "did_refuse_all_in_scope": (
            "Đợt áp dụng cho mọi đơn vị: không có nhóm đối chứng để so sánh.",
            "The campaign covers every unit: there is no comparison group.",
        ),
        "event_refuse_units": (
            "Cần ít nhất 2 đơn vị có ngày kiểm điểm và số liệu quanh ngày đó (có {n}).",
            "At least 2 units with a review date and figures around it are needed ({n} found).",
        ),
        "its_col_unit": ("Đơn vị", "Unit"),
        "its_col_level": ("Thay đổi mức", "Level change"),
        "its_col_slope": ("Thay đổi xu hướng/kỳ", "Slope change per period"),
        "its_col_ratio": ("Tỷ số tỷ suất", "Rate ratio"),
        "its_col_interval": ("Khoảng tin cậy 95%", "95% confidence interval"),
        "its_col_model": ("Mô hình", "Model"),
        "its_col_n": ("Số kỳ trước/sau", "Periods before/after"),
        "its_col_reason": ("Lý do không ước lượng", "Why no estimate"),
    }
)

TABLE_COLUMNS = (
    "unit_code", "model", "n_before", "n_after", "mean_before", "mean_after", "change",
    "relative_change", "level", "level_low", "level_high", "level_se", "slope", "slope_low",
    "slope_high", "slope_se", "ratio", "includes_no_change", "maxlags", "alpha", "refusal",
    "refusal_params",
)  # fmt: skip


# --- the panel on a grid -------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """Values of units × periods: units (U,), period starts and ends (T,), t (T,) period
    numbers, values (U, T) with NaN where missing, exposure (U, T) or None."""

    units: np.ndarray
    starts: pd.Series
    ends: pd.Series
    t: np.ndarray
    values: np.ndarray
    exposure: np.ndarray | None = None

    @property
    def periods(self) -> pd.DataFrame:
        return pd.DataFrame({"period_start": self.starts, "period_end": self.ends})


def to_grid(frame: pd.DataFrame, period_type: str = "year", exposure: str | None = None) -> Grid:
    """Pivot long rows (unit_code, period_start, period_end, value[, exposure]) to a grid."""
    rows = frame.dropna(subset=["value"])
    periods = (
        rows[["period_start", "period_end"]].drop_duplicates().sort_values("period_start")
    ).reset_index(drop=True)
    starts = pd.to_datetime(periods["period_start"])
    units = np.array(sorted(rows["unit_code"].astype(str).unique()), dtype=object)
    unit_at = {code: i for i, code in enumerate(units)}
    period_at = {stamp: i for i, stamp in enumerate(starts)}
    u = rows["unit_code"].astype(str).map(unit_at).to_numpy()
    p = pd.to_datetime(rows["period_start"]).map(period_at).to_numpy()
    values = np.full((len(units), len(periods)), np.nan)
    values[u, p] = rows["value"].to_numpy(dtype=float)
    weights = None
    if exposure is not None:
        weights = np.full_like(values, np.nan)
        weights[u, p] = rows[exposure].to_numpy(dtype=float)
    return Grid(
        units=units,
        starts=periods["period_start"],
        ends=periods["period_end"],
        t=its.period_index(periods["period_start"], period_type),
        values=values,
        exposure=weights,
    )


def _nearest(
    available: np.ndarray, columns: np.ndarray, count: int | None, *, last: bool
) -> np.ndarray:
    """Of the ``columns`` (in time order), the ``count`` available ones nearest the campaign
    for each unit (the last ones before it or the first ones after it; all when None)."""
    keep = np.zeros_like(available)
    if not len(columns):
        return keep
    part = available[:, columns]
    ordered = part[:, ::-1] if last else part
    chosen = ordered if count is None else ordered & (np.cumsum(ordered, axis=1) <= count)
    keep[:, columns] = chosen[:, ::-1] if last else chosen
    return keep


# --- every unit's interrupted time series --------------------------------------------------


def unit_estimates(
    frame: pd.DataFrame,
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
) -> pd.DataFrame:
    """Each unit's level and slope change at the campaign (see :func:`dashboard.its.analyse`
    for the model and the options), one row per unit (``TABLE_COLUMNS``): estimates and
    95 % intervals (rate ratios where ``ratio``), or the ``refusal`` key and its
    parameters.

    Unlike the one-series analysis, ``seasonal=None`` means seasons for every unit of
    monthly or quarterly data (one design for all): a unit too short for them, or lacking
    a season among its periods, is refused rather than fitted without them."""
    if period_type not in its.PERIODS_PER_YEAR:
        raise ValueError(f"period type {period_type!r} has no time axis")
    grid = to_grid(frame, period_type, exposure if _count_model(family, kind) else None)
    side = its.sides(grid.periods, start, end)
    available = ~np.isnan(grid.values)
    if grid.exposure is not None:
        available &= ~np.isnan(grid.exposure)
    before_cols = np.flatnonzero(side == "before")
    after_cols = np.flatnonzero(side == "after")
    keep_before = _nearest(available, before_cols, before, last=True)
    keep_after = _nearest(available, after_cols, after, last=False)
    window = available & (side == "window")[None, :]
    mask = keep_before | keep_after | (window if not drop_window else False)
    post = (side == "after") if drop_window else (side != "before")
    t0 = its.first_post_index(start, end, period_type, drop_window)
    n_seasons = its.SEASONS.get(period_type, 0)
    use_seasons = bool(n_seasons) if seasonal is None else bool(seasonal and n_seasons)
    season = its.season_of(grid.starts, period_type) if use_seasons else None
    X = its.design_matrix(grid.t, post, t0, season, n_seasons)
    n_before, n_after = keep_before.sum(axis=1), keep_after.sum(axis=1)
    values = np.where(mask, grid.values, 0.0)
    refusal = _refusals(n_before, n_after, mask.sum(axis=1), X.shape[1])
    count_model = _count_model(family, kind)
    if count_model:
        refusal = _count_refusals(refusal, values, mask, grid.exposure)
    fit_mask = mask & (refusal == "")[:, None]
    if count_model:
        fit, model, alpha = _count_fits(X, values, fit_mask, grid.exposure, family)
    else:
        fit = its.fit_ols(X, values, fit_mask)
        model, alpha = (
            np.full(len(grid.units), "gaussian", dtype=object),
            np.full(len(grid.units), np.nan),
        )
    refusal = np.where((refusal == "") & ~fit.ok, "its_refuse_singular", refusal)
    critical = _critical_by_pattern(X, fit_mask & (refusal == "")[:, None])
    return _table(grid, fit, critical, refusal, model, alpha, keep_before, keep_after, count_model)


def _count_model(family: str, kind: str | None) -> bool:
    if family not in its.FAMILIES:
        raise ValueError(f"family must be one of {its.FAMILIES}, not {family!r}")
    return family in ("poisson", "negbin") or (family == "auto" and kind in its.COUNT_KINDS)


def _refusals(n_before: np.ndarray, n_after: np.ndarray, n: np.ndarray, k: int) -> np.ndarray:
    refusal = np.full(len(n), "", dtype=object)
    refusal[n - k < its.MIN_RESIDUAL_DF] = "its_refuse_parameters"
    refusal[n_after < its.MIN_SIDE] = "its_refuse_after"
    refusal[n_before < its.MIN_SIDE] = "its_refuse_before"
    return refusal


def _count_refusals(
    refusal: np.ndarray, values: np.ndarray, mask: np.ndarray, exposure: np.ndarray | None
) -> np.ndarray:
    refusal = refusal.copy()
    fine = refusal == ""
    if exposure is not None:
        bad = (np.where(mask, exposure, 1.0) <= 0).any(axis=1)
        refusal[fine & bad] = "its_refuse_exposure"
    refusal[fine & ~(np.where(mask, values, 0.0) != 0).any(axis=1)] = "its_refuse_no_events"
    refusal[fine & (np.where(mask, values, 0.0) < 0).any(axis=1)] = "its_refuse_negative"
    return refusal


def _count_fits(
    X: np.ndarray, values: np.ndarray, mask: np.ndarray, exposure: np.ndarray | None, family: str
) -> tuple[its.Fit, np.ndarray, np.ndarray]:
    """Poisson for every unit; NB2 (α by moments) where asked or overdispersed."""
    offset = None if exposure is None else np.log(np.where(mask, exposure, 1.0))
    poisson = its.fit_glm(X, values, mask, offset)
    _, p_value = its.pearson_dispersion(poisson, values, mask)
    alpha = its.nb_alpha(poisson, values, mask)
    negbin = mask.any(axis=1) & (
        (family == "negbin") | ((p_value < its.OVERDISPERSION_LEVEL) & (alpha > 0))
    )
    model = np.where(negbin, "negbin", "poisson").astype(object)
    if not negbin.any():
        return poisson, model, np.full(len(values), np.nan)
    rows = np.flatnonzero(negbin)
    a = np.maximum(alpha[rows], 1e-8)
    nb = its.fit_glm(X, values[rows], mask[rows], None if offset is None else offset[rows], a)
    params, cov, ok = poisson.params.copy(), poisson.cov.copy(), poisson.ok.copy()
    params[rows], cov[rows], ok[rows] = nb.params, nb.cov, nb.ok
    alphas = np.full(len(values), np.nan)
    alphas[rows] = a
    fit = its.Fit(params, cov, poisson.n, poisson.k, poisson.lags, ok)
    return fit, model, alphas


def _critical_by_pattern(X: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Calibrated critical values (U, 2) for the level and slope change, computed once per
    distinct pattern of periods used."""
    critical = np.full((len(mask), 2), np.nan)
    if not mask.any():
        return critical
    patterns, which = np.unique(mask, axis=0, return_inverse=True)
    contrasts = np.eye(X.shape[1])[[2, 3]]
    for index, pattern in enumerate(patterns):
        if not pattern.any():
            continue
        design = X[pattern]
        if np.linalg.matrix_rank(design) < X.shape[1]:
            continue
        critical[which.ravel() == index] = its.critical_values(design, contrasts)
    return critical


def _table(
    grid: Grid,
    fit: its.Fit,
    critical: np.ndarray,
    refusal: np.ndarray,
    model: np.ndarray,
    alpha: np.ndarray,
    keep_before: np.ndarray,
    keep_after: np.ndarray,
    ratio: bool,
) -> pd.DataFrame:
    fine = refusal == ""
    se = fit.se

    def interval(column: int, which: int) -> tuple[np.ndarray, ...]:
        coef = fit.params[:, column]
        half = critical[:, which] * se[:, column]
        low, high = coef - half, coef + half
        if ratio:
            coef, low, high = np.exp(coef), np.exp(low), np.exp(high)
        return tuple(np.where(fine, v, np.nan) for v in (coef, low, high, se[:, column]))

    level, level_low, level_high, level_se = interval(2, 0)
    slope, slope_low, slope_high, slope_se = interval(3, 1)
    mean_before = _masked_mean(grid.values, keep_before)
    mean_after = _masked_mean(grid.values, keep_after)
    change = mean_after - mean_before
    safe_before = np.where(mean_before == 0, np.nan, np.abs(mean_before))
    no_change = 1.0 if ratio else 0.0
    params = [
        _refusal_params(code, int(b), int(a), int(n), fit.k)
        for code, b, a, n in zip(refusal, keep_before.sum(1), keep_after.sum(1), fit.n, strict=True)
    ]
    models, reasons = model.astype(object), refusal.astype(object)
    models[~fine], reasons[fine] = None, None
    return pd.DataFrame(
        {
            "unit_code": grid.units,
            "model": pd.Series(models, dtype=object),
            "n_before": keep_before.sum(axis=1),
            "n_after": keep_after.sum(axis=1),
            "mean_before": mean_before,
            "mean_after": mean_after,
            "change": change,
            "relative_change": change / safe_before * 100,
            "level": level,
            "level_low": level_low,
            "level_high": level_high,
            "level_se": level_se,
            "slope": slope,
            "slope_low": slope_low,
            "slope_high": slope_high,
            "slope_se": slope_se,
            "ratio": ratio,
            "includes_no_change": np.where(
                fine, (level_low <= no_change) & (no_change <= level_high), pd.NA
            ),
            "maxlags": np.where(fine, fit.lags, -1),
            "alpha": alpha,
            "refusal": pd.Series(reasons, dtype=object),
            "refusal_params": params,
        },
        columns=list(TABLE_COLUMNS),
    )


def _masked_mean(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    total = np.where(keep, values, 0.0).sum(axis=1)
    count = keep.sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _refusal_params(code: str, n_before: int, n_after: int, n: int, k: int) -> dict[str, Any]:
    if code == "its_refuse_before":
        return {"n": n_before, "need": its.MIN_SIDE}
    if code == "its_refuse_after":
        return {"n": n_after, "need": its.MIN_SIDE}
    if code == "its_refuse_parameters":
        return {"n": n, "k": k, "need": k + its.MIN_RESIDUAL_DF}
    return {}


def sort_table(table: pd.DataFrame, by: str = "level", *, ascending: bool = True) -> pd.DataFrame:
    """The table ordered on ``by`` (refused units last, then by unit code)."""
    return table.sort_values(
        [by, "unit_code"], ascending=[ascending, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def display_table(
    table: pd.DataFrame, lang: str = "vi", names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """:func:`unit_estimates`' table for reading: the unit's name, the model, periods before
    and after, each estimate (a number, so the column sorts) with its interval in words,
    and the reason for a refusal; headers in ``lang``."""
    ratio = bool(table["ratio"].any()) if len(table) else False

    def interval(low: float, high: float) -> str:
        if pd.isna(low) or pd.isna(high):
            return ""
        return f"{format_number(low, lang)} – {format_number(high, lang)}"

    reasons = [
        its.Refusal(code, params).text(lang) if isinstance(code, str) else ""
        for code, params in zip(table["refusal"], table["refusal_params"], strict=True)
    ]
    models = [t(f"its_model_{m}", lang) if isinstance(m, str) else "" for m in table["model"]]
    interval_header = t("its_col_interval", lang)
    return pd.DataFrame(
        {
            t("its_col_unit", lang): [(names or {}).get(c, c) for c in table["unit_code"]],
            t("its_col_model", lang): models,
            t("its_col_n", lang): [
                f"{b}/{a}" for b, a in zip(table["n_before"], table["n_after"], strict=True)
            ],
            t("its_col_ratio" if ratio else "its_col_level", lang): table["level"].round(4),
            interval_header: [
                interval(lo, hi)
                for lo, hi in zip(table["level_low"], table["level_high"], strict=True)
            ],
            t("its_col_slope", lang): table["slope"].round(4),
            f"{interval_header} ": [
                interval(lo, hi)
                for lo, hi in zip(table["slope_low"], table["slope_high"], strict=True)
            ],
            t("its_col_reason", lang): reasons,
        }
    )


# --- fixed effects -------------------------------------------------------------------------


def demean(data: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Two-way within transformation of ``data`` (U, T, p) over ``mask`` (U, T), exact for
    unbalanced panels: unit means swept out, then the period effects solved from their
    normal equations (T × T) on the unit-demeaned data and removed."""
    weight = mask.astype(float)
    count = np.maximum(weight.sum(axis=1), 1.0)
    within = weight[..., None] * (
        data - (weight[..., None] * data).sum(axis=1, keepdims=True) / count[:, None, None]
    )
    within = np.where(mask[..., None], within, 0.0)
    normal = np.diag(weight.sum(axis=0)) - weight.T @ (weight / count[:, None])
    # one period effect per connected panel is free: fix the first period's at zero
    free = np.flatnonzero(weight.sum(axis=0) > 0)[1:]
    effects = np.zeros((mask.shape[1], data.shape[2]))
    solved = np.linalg.lstsq(normal[np.ix_(free, free)], within.sum(axis=0)[free], rcond=1e-10)
    effects[free] = solved[0]
    unit_mean = (weight @ effects) / count[:, None]  # (U, p)
    return weight[..., None] * (within - (effects[None] - unit_mean[:, None, :]))


@dataclass(frozen=True)
class Clustered:
    """A two-way fixed-effects regression with unit-clustered errors."""

    params: np.ndarray
    cov: np.ndarray
    n_obs: int
    n_clusters: int
    n_params: int  # with every fixed effect, as the dummy regression counts them

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    @property
    def df(self) -> int:
        return self.n_clusters - 1

    @property
    def critical(self) -> float:
        return float(stats.t.ppf(0.5 + its.LEVEL / 2, self.df))


def twfe(y: np.ndarray, regressors: np.ndarray, mask: np.ndarray) -> Clustered:
    """y (U, T) on regressors (U, T, p) with unit and period fixed effects over ``mask``."""
    data = demean(np.concatenate([y[..., None], regressors], axis=2), mask)
    yy, xx = data[..., 0][mask], data[..., 1:][mask]
    bread = np.linalg.inv(xx.T @ xx)
    params = bread @ xx.T @ yy
    resid = yy - xx @ params
    unit = np.broadcast_to(np.arange(mask.shape[0])[:, None], mask.shape)[mask]
    scores = np.zeros((mask.shape[0], xx.shape[1]))
    np.add.at(scores, unit, xx * resid[:, None])
    clusters = int(mask.any(axis=1).sum())
    periods = int(mask.any(axis=0).sum())
    n_obs = int(mask.sum())
    k = xx.shape[1] + clusters + periods - 1
    correction = clusters / (clusters - 1) * (n_obs - 1) / (n_obs - k)
    cov = bread @ (scores.T @ scores) @ bread * correction
    return Clustered(params, cov, n_obs, clusters, k)


# --- difference in differences -------------------------------------------------------------


@dataclass(frozen=True)
class DiD:
    """Difference-in-differences of the units in scope against those outside it."""

    estimate: float | None
    se: float | None
    low: float | None
    high: float | None
    p_value: float | None
    n_treated: int
    n_control: int
    n_obs: int
    means: pd.DataFrame = field(default_factory=pd.DataFrame)  # group × side means
    refusal: its.Refusal | None = None

    @property
    def includes_no_change(self) -> bool | None:
        if self.low is None or self.high is None:
            return None
        return self.low <= 0 <= self.high


def treated_units(
    units: Sequence[str], scope: str, ancestors: Mapping[str, Sequence[str]] | None = None
) -> frozenset[str] | None:
    """The units a campaign's ``scope`` covers ('all', or codes separated by '|'): those
    listed or below one listed (``ancestors``: unit → its ancestors). None for 'all'."""
    if scope.strip().lower() == "all":
        return None
    listed = {code.strip() for code in scope.split("|") if code.strip()}
    lineage = ancestors or {}
    return frozenset(
        code for code in units if code in listed or listed.intersection(lineage.get(code, ()))
    )


def did(
    frame: pd.DataFrame,
    start: Any,
    end: Any,
    treated: Collection[str] | None,
    *,
    period_type: str = "year",
    before: int | None = None,
    after: int | None = None,
    drop_window: bool = True,
) -> DiD:
    """δ of y = unit + period + δ·(treated × post) + e (see the module's docstring), over
    the ``before`` periods before the campaign and ``after`` after it (all when None)."""
    if treated is None:
        return DiD(
            None, None, None, None, None, 0, 0, 0, refusal=its.Refusal("did_refuse_all_in_scope")
        )
    grid = to_grid(frame, period_type)
    side = its.sides(grid.periods, start, end)
    keep = its.select_windows(side, before, after)
    if drop_window:
        keep &= side != "window"
    post = (side != "before") & keep
    available = ~np.isnan(grid.values) & keep[None, :]
    in_scope = np.isin(grid.units, list(treated))
    has_data = available.any(axis=1)
    n_treated, n_control = int((in_scope & has_data).sum()), int((~in_scope & has_data).sum())
    n_pre, n_post = int((keep & ~post).sum()), int(post.sum())
    if n_pre == 0 or n_post == 0:
        return DiD(
            None,
            None,
            None,
            None,
            None,
            n_treated,
            n_control,
            0,
            refusal=its.Refusal("did_refuse_periods", {"before": n_pre, "after": n_post}),
        )
    if n_treated < 2 or n_control < 2:
        return DiD(
            None,
            None,
            None,
            None,
            None,
            n_treated,
            n_control,
            0,
            refusal=its.Refusal("did_refuse_groups", {"treated": n_treated, "control": n_control}),
        )
    exposed = (in_scope[:, None] & post[None, :]).astype(float)
    fit = twfe(np.nan_to_num(grid.values), exposed[..., None], available)
    estimate, se = float(fit.params[0]), float(fit.se[0])
    half = fit.critical * se
    p_value = float(2 * stats.t.sf(abs(estimate / se), fit.df))
    return DiD(
        estimate,
        se,
        estimate - half,
        estimate + half,
        p_value,
        n_treated,
        n_control,
        fit.n_obs,
        means=_did_means(grid.values, available, in_scope, post),
    )


def _did_means(
    values: np.ndarray, available: np.ndarray, in_scope: np.ndarray, post: np.ndarray
) -> pd.DataFrame:
    """Mean of the values of each group on each side (the canonical 2×2 table)."""
    records = []
    for group, rows in (("treated", in_scope), ("control", ~in_scope)):
        for side, columns in (("before", ~post), ("after", post)):
            cells = available & rows[:, None] & columns[None, :]
            records.append(
                {
                    "group": group,
                    "side": side,
                    "mean": float(values[cells].mean()) if cells.any() else np.nan,
                    "n": int(cells.sum()),
                }
            )
    return pd.DataFrame.from_records(records)


# --- event study ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventStudy:
    """Coefficients by period relative to each unit's campaign (``coefficients``: rel,
    estimate, se, low, high, reference, n_obs) and the joint test of the leads."""

    coefficients: pd.DataFrame
    pretrend_f: float | None
    pretrend_df: tuple[int, int] | None
    pretrend_p: float | None
    n_treated: int
    n_control: int
    n_obs: int
    references: tuple[int, ...] = (-1,)
    refusal: its.Refusal | None = None

    @property
    def pretrend_rejected(self) -> bool | None:
        """True when the leads are jointly different from zero at the 5 % level."""
        return None if self.pretrend_p is None else self.pretrend_p < 0.05


def event_study(
    frame: pd.DataFrame,
    dates: Mapping[str, Any],
    *,
    period_type: str = "year",
    leads: int = 4,
    lags: int = 4,
) -> EventStudy:
    """Leads and lags around each unit's own campaign date (``dates``: unit → a day of its
    campaign; units missing or None are never treated), see the module's docstring."""
    grid = to_grid(frame, period_type)
    event = np.full(len(grid.units), np.iinfo(np.int64).min, dtype=np.int64)
    for i, code in enumerate(grid.units):
        day = dates.get(str(code))
        if day is not None and not pd.isna(day):
            event[i] = its.period_index(pd.Series([pd.Timestamp(day)]), period_type)[0]
    treated = event != np.iinfo(np.int64).min
    rel = grid.t[None, :] - np.where(treated, event, 0)[:, None]
    available = ~np.isnan(grid.values)
    in_window = (rel >= -leads) & (rel <= lags)
    mask = available & (in_window | ~treated[:, None])
    n_treated = int((treated & mask.any(axis=1)).sum())
    n_control = int((~treated & mask.any(axis=1)).sum())
    if n_treated < 2:
        return EventStudy(
            pd.DataFrame(),
            None,
            None,
            None,
            n_treated,
            n_control,
            0,
            refusal=its.Refusal("event_refuse_units", {"n": n_treated}),
        )
    references = (-1,) if n_control else (-leads, -1)
    ks = [k for k in range(-leads, lags + 1) if k not in references]
    dummies = np.stack([(treated[:, None] & (rel == k)).astype(float) for k in ks], axis=2)
    present = (dummies * mask[..., None]).sum(axis=(0, 1)) > 0
    ks = [k for k, keep in zip(ks, present, strict=True) if keep]
    fit = twfe(np.nan_to_num(grid.values), dummies[..., present], mask)
    counts = {k: int((mask & treated[:, None] & (rel == k)).sum()) for k in range(-leads, lags + 1)}
    coefficients = _coefficients(fit, ks, references, counts)
    lead_rows = [i for i, k in enumerate(ks) if k <= -2]
    f_stat = p_value = None
    df_pair = None
    if lead_rows:
        b = fit.params[lead_rows]
        v = fit.cov[np.ix_(lead_rows, lead_rows)]
        f_stat = float(b @ np.linalg.solve(v, b) / len(lead_rows))
        df_pair = (len(lead_rows), fit.df)
        p_value = float(stats.f.sf(f_stat, *df_pair))
    return EventStudy(
        coefficients, f_stat, df_pair, p_value, n_treated, n_control, fit.n_obs, references
    )


def _coefficients(
    fit: Clustered, ks: list[int], references: tuple[int, ...], counts: dict[int, int]
) -> pd.DataFrame:
    records = []
    estimates = dict(zip(ks, fit.params, strict=True))
    errors = dict(zip(ks, fit.se, strict=True))
    for k in sorted(counts):
        if k in references:
            records.append(
                {"rel": k, "estimate": 0.0, "se": 0.0, "low": 0.0, "high": 0.0, "reference": True}
            )
        elif k in estimates:
            half = fit.critical * errors[k]
            records.append(
                {
                    "rel": k,
                    "estimate": float(estimates[k]),
                    "se": float(errors[k]),
                    "low": float(estimates[k] - half),
                    "high": float(estimates[k] + half),
                    "reference": False,
                }
            )
    frame = pd.DataFrame.from_records(records)
    frame["n_obs"] = frame["rel"].map(counts).astype(int)
    return frame
