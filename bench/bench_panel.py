"""Across-units benchmark: the before/after analysis of every child unit, 1,000 units.

    python -m bench.bench_panel [--units 1000] [--years 15] [--repeat 3]

Synthetic yearly series (seed fixed): ``--units`` units × ``--years`` years around the
2012 review campaign, a planted drop and trend change; the same units as counts
(overdispersed, so most get a negative binomial). Measured in the same run, best of
``--repeat``:

- ``unit_estimates``: :func:`dashboard.panel.unit_estimates`, the batched numpy
  computation (one least-squares or IRLS solve for all units, Newey–West covariances,
  critical values calibrated once per pattern of periods);
- the obvious alternative: one statsmodels fit per unit (``OLS(...).fit(cov_type="HAC")``;
  for counts a Poisson GLM, the overdispersion test and, where overdispersed, a negative
  binomial GLM), with the same calibrated critical values computed once — checked to give
  the same estimates;
- :func:`dashboard.panel.did` (units 0–399 in scope) and :func:`dashboard.panel.event_study`
  (units reviewed in 2009–2014, a quarter never) on the same panel.

Prints seconds and the ratios the README reports.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from dashboard import its, panel

CAMPAIGN = ("2012-08-01", "2012-12-31")


def make_panel(units: int, years: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(gaussian rows, count rows): unit_code, period_start, period_end, value."""
    rng = np.random.default_rng(seed)
    calendar = np.arange(2013 - years // 2 - 1, 2013 - years // 2 - 1 + years)
    post = calendar >= 2013
    after = np.where(post, calendar - 2013, 0)
    gaussian = (
        rng.normal(20, 3, (units, 1))
        + rng.normal(0.2, 0.1, (units, 1)) * (calendar - 2013)
        - 1.5 * post
        + 0.3 * after
        + rng.normal(0, 1, (units, years))
    )
    mean = np.exp(np.log(30) + 0.03 * (calendar - calendar[0]) + np.log(0.8) * post)
    counts = rng.poisson(mean * rng.gamma(10, 0.1, (units, years))).astype(float)
    codes = np.array([f"u{u:04d}" for u in range(units)])

    def long(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "unit_code": np.repeat(codes, years),
                "period_start": np.tile(pd.to_datetime([f"{y}-01-01" for y in calendar]), units),
                "period_end": np.tile(pd.to_datetime([f"{y}-12-31" for y in calendar]), units),
                "value": values.ravel(),
            }
        )

    return long(gaussian), long(counts)


def per_unit_statsmodels(frame: pd.DataFrame, count: bool) -> pd.DataFrame:
    """The alternative: one statsmodels fit per unit, the same model and intervals."""
    years = pd.to_datetime(frame["period_start"]).dt.year
    rows = frame[years != 2012]
    first = rows[rows["unit_code"] == rows["unit_code"].iloc[0]]
    t = pd.to_datetime(first["period_start"]).dt.year.to_numpy()
    X = its.design_matrix(t, t >= 2013, 2013)
    critical = its.critical_values(X, np.eye(4)[[2, 3]])
    lags = int(its.nw_lags(len(t)))
    hac = {"cov_type": "HAC", "cov_kwds": {"maxlags": lags, "use_correction": True}}
    records = []
    for code, unit in rows.groupby("unit_code", sort=True):
        y = unit["value"].to_numpy()
        if count:
            poisson = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-11)
            p_value = stats.chi2.sf(poisson.pearson_chi2, poisson.df_resid)
            mu = poisson.fittedvalues
            alpha = ((y - mu) ** 2 - y).sum() / (mu**2).sum()
            family: Any = sm.families.Poisson()
            if p_value < its.OVERDISPERSION_LEVEL and alpha > 0:
                family = sm.families.NegativeBinomial(alpha=alpha)
            fit = sm.GLM(y, X, family=family).fit(tol=1e-11, **hac)
        else:
            fit = sm.OLS(y, X).fit(**hac)
        coef, se = fit.params[2], fit.bse[2]
        low, high = coef - critical[0] * se, coef + critical[0] * se
        if count:
            coef, low, high = np.exp(coef), np.exp(low), np.exp(high)
        records.append({"unit_code": code, "level": coef, "level_low": low, "level_high": high})
    return pd.DataFrame.from_records(records)


def best(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    gaussian, counts = make_panel(args.units, args.years)
    treated = {f"u{u:04d}" for u in range(int(args.units * 0.4))}
    rng = np.random.default_rng(2)
    dates = {
        f"u{u:04d}": pd.Timestamp(int(rng.integers(2009, 2015)), 6, 1)
        for u in range(args.units // 4, args.units)
    }
    print(f"{args.units} units × {args.years} yearly points, best of {args.repeat}")
    results: dict[str, float] = {}
    for label, frame, kind in (("gaussian", gaussian, None), ("counts", counts, "count")):
        batched, table = best(
            partial(panel.unit_estimates, frame, *CAMPAIGN, kind=kind), args.repeat
        )
        looped, other = best(partial(per_unit_statsmodels, frame, kind == "count"), 1)
        merged = table.merge(other, on="unit_code", suffixes=("", "_sm"))
        for column in ("level", "level_low", "level_high"):
            np.testing.assert_allclose(merged[column], merged[f"{column}_sm"], rtol=1e-5)
        results[label] = batched
        print(
            f"  unit_estimates ({label:8}) {batched:7.3f} s   one statsmodels fit per unit "
            f"{looped:7.3f} s   ({looped / batched:5.1f}× slower, same estimates)"
        )
    did_time, result = best(lambda: panel.did(gaussian, *CAMPAIGN, treated), args.repeat)
    print(f"  did                        {did_time:7.3f} s   (δ = {result.estimate:.3f})")
    event_time, study = best(lambda: panel.event_study(gaussian, dates), args.repeat)
    print(
        f"  event_study                {event_time:7.3f} s   (pre-trend p = {study.pretrend_p:.3f})"
    )
    total = results["gaussian"] + did_time + event_time
    print(f"  unit_estimates + did + event_study (gaussian): {total:.3f} s")


if __name__ == "__main__":
    main()
