"""The P10-P90 range of counts: about 80% of days inside, sums consistent."""

from __future__ import annotations

import numpy as np
import pytest

from merchant_ai.ml.demand_distribution import count_quantiles


@pytest.mark.parametrize("mean", [0.3, 1.0, 3.0, 10.0, 100.0])
def test_p10_p90_range_holds_about_80_percent_of_poisson_days(mean):
    low, middle, high = count_quantiles(np.array([mean]), np.array([mean]))[0]
    draws = np.random.default_rng(1).poisson(mean, 40_000)
    inside = ((draws >= low) & (draws <= high)).mean()
    assert 0.72 <= inside <= 0.82
    assert low <= middle <= high and middle == round(middle)


def test_more_scatter_widens_the_range():
    narrow = count_quantiles(np.array([5.0]), np.array([5.0]))[0]
    wide = count_quantiles(np.array([5.0]), np.array([20.0]))[0]
    assert wide[0] <= narrow[0] and wide[2] > narrow[2]


def test_no_expected_sales_gives_a_zero_range():
    assert count_quantiles(np.array([0.0]), np.array([0.0])).tolist() == [[0.0, 0.0, 0.0]]
