"""The calibration's coverage measure: what the forecast range is tuned to on held-out data."""

import numpy as np

from merchant_ai.ml.demand_distribution import count_quantiles
from merchant_ai.training.demand_calibration import pit_inside_share


def _negative_binomial_draws(mean: float, variance: float, n: int, seed: int = 0) -> np.ndarray:
    r = mean**2 / (variance - mean)
    return np.random.default_rng(seed).negative_binomial(r, r / (r + mean), size=n)


def test_pit_coverage_of_a_true_sparse_forecast_is_eighty_percent_where_plain_coverage_is_not():
    mean, variance, n = 0.1, 0.15, 40_000   # about 91% of days sell nothing
    actual = _negative_binomial_draws(mean, variance, n)
    means, variances = np.full(n, mean), np.full(n, variance)
    q = count_quantiles(means[:1], variances[:1])[0]
    plain = np.mean((actual >= q[0]) & (actual <= q[2]))
    pit = np.mean(pit_inside_share(actual, means, variances))
    assert abs(pit - 0.80) < 0.01
    assert plain > 0.88        # every zero day counts as inside


def test_pit_coverage_falls_when_the_range_is_too_narrow_and_rises_when_too_wide():
    mean, n = 4.0, 20_000
    actual = _negative_binomial_draws(mean, 12.0, n)
    means = np.full(n, mean)
    too_narrow = np.mean(pit_inside_share(actual, means, np.full(n, mean)))   # Poisson: too little spread
    too_wide = np.mean(pit_inside_share(actual, means, np.full(n, 60.0)))
    assert too_narrow < 0.72 and too_wide > 0.88
