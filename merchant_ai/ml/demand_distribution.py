"""From a forecast mean to a range: negative-binomial quantiles of daily (or summed) demand.

The demand model predicts the expected units per day. Sales are counts with many zero days,
so the range around that mean comes from a negative binomial with the same mean and a
variance that grows with how far the product's sales scatter around the model (`dispersion`:
squared errors / expected units over a recent backcast, see services/forecast/core.py):

    variance = mean + kappa * mean**2 * (max(dispersion - 1, 0) / scale + floor_cv**2)

`kappa` and `floor_cv` are calibrated offline (training/demand_model.py) and stored in the
model card. Sums over several days (a week, a month, the lead time) use the summed means and
summed variances, so a week's expected units are exactly the sum of its days'.

Whole-unit quantiles of sparse sales make a P10-P90 "range" that holds far more than 80% of
days (when 74% of days sell nothing and 22% sell one, the whole-unit P90 is 1 and the range
0-1 holds 96% of days). So P10 and P90 are quantiles of the continuous extension of the count
(each count k spread evenly over (k-1, k]): a P90 of 0.7 reads "no sale on most days, one now
and then". P50 stays a whole number: the middle count, which is the best point forecast for
absolute errors.
"""

from __future__ import annotations

import numpy as np

QUANTILES = (0.1, 0.5, 0.9)
_EXACT_MAX_MEAN = 60.0      # above this the normal approximation is within half a unit
_MAX_COUNT = 600


def forecast_variance(mean: np.ndarray, dispersion: np.ndarray, scale: np.ndarray, *,
                      kappa: float, floor_cv: float) -> np.ndarray:
    """Variance of each day's demand given its mean and the product's dispersion and level."""
    mean = np.asarray(mean, dtype=float)
    extra = np.maximum(np.asarray(dispersion, dtype=float) - 1.0, 0.0) / np.maximum(scale, 1e-6)
    return mean + kappa * mean**2 * (extra + floor_cv**2)


def count_quantiles(mean: np.ndarray, variance: np.ndarray,
                    quantiles: tuple[float, ...] = QUANTILES) -> np.ndarray:
    """Quantiles (len(mean), len(quantiles)) of a negative binomial with these moments
    (Poisson when variance <= mean): P50 in whole units, other levels from the continuous
    extension (see the module docstring); normal approximation for large means."""
    mean = np.maximum(np.asarray(mean, dtype=float).ravel(), 0.0)
    variance = np.maximum(np.asarray(variance, dtype=float).ravel(), mean)
    qs = np.asarray(quantiles, dtype=float)
    out = np.zeros((len(mean), len(qs)))
    large = mean > _EXACT_MAX_MEAN
    if large.any():
        z = np.array([_normal_ppf(q) for q in qs])
        out[large] = np.maximum(mean[large, None] + z[None, :] * np.sqrt(variance[large, None]), 0)
    small = np.flatnonzero(~large & (mean > 0))
    if len(small):
        out[small] = _exact_quantiles(mean[small], variance[small], qs)
    middle = np.flatnonzero(qs == 0.5)
    if len(middle):  # keep the levels ordered around the whole-unit median
        median = out[:, middle[0]][:, None]
        out = np.where(qs[None, :] < 0.5, np.minimum(out, median), np.where(qs[None, :] > 0.5,
                       np.maximum(out, median), np.round(out)))
    return out


def _exact_quantiles(mean: np.ndarray, variance: np.ndarray, qs: np.ndarray) -> np.ndarray:
    # r = mean^2 / (variance - mean); r -> infinity is the Poisson limit
    excess = variance - mean
    r = np.where(excess > 1e-9, mean**2 / np.maximum(excess, 1e-12), 1e12)
    k_max = int(min(_MAX_COUNT, np.ceil((mean + 12 * np.sqrt(variance)).max()) + 5))
    k = np.arange(1, k_max + 1)[None, :]
    log_p0 = -r * np.log1p(mean / r)
    # p(k) / p(k-1) = mean * (k - 1 + r) / ((r + mean) * k)
    log_ratio = np.log(mean[:, None]) + np.log(k - 1 + r[:, None]) - np.log(r + mean)[:, None] - np.log(k)
    log_pmf = np.concatenate([log_p0[:, None], log_p0[:, None] + np.cumsum(log_ratio, axis=1)], axis=1)
    pmf = np.exp(log_pmf)
    cdf = np.cumsum(pmf, axis=1)
    rows = np.arange(len(mean))
    columns = []
    for q in qs:
        whole = np.minimum((cdf < q - 1e-12).sum(axis=1), k_max)   # smallest count with cdf >= q
        if q == 0.5:
            columns.append(whole.astype(float))
            continue
        below = np.where(whole > 0, cdf[rows, np.maximum(whole - 1, 0)], 0.0)
        share = (q - below) / np.maximum(pmf[rows, whole], 1e-300)
        columns.append(np.maximum(whole - 1 + np.clip(share, 0.0, 1.0), 0.0))
    return np.stack(columns, axis=1)


def _normal_ppf(q: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(q)
