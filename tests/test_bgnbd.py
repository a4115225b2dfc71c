"""The per-shop BG/NBD fit behind the customer features."""

from __future__ import annotations

import numpy as np

from merchant_ai.ml.bgnbd import BgNbdParams, fit_bgnbd, p_alive, p_buy_within


def _simulate(params: BgNbdParams, n: int, weeks: float, seed: int = 0):
    """Customers following the BG/NBD story for `weeks` weeks: (x, t_x, T)."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(params.r, 1 / params.alpha, n)
    dropout = rng.beta(params.a, params.b, n)
    x, t_x = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / rate[i])
            if t > weeks:
                break
            x[i], t_x[i] = x[i] + 1, t
            if rng.random() < dropout[i]:
                break
    return x, t_x, np.full(n, weeks)


def test_fit_recovers_the_parameters_of_simulated_customers():
    truth = BgNbdParams(r=0.5, alpha=4.0, a=0.8, b=2.5)
    x, t_x, age = _simulate(truth, 4000, 52.0)
    fitted = fit_bgnbd(x, t_x, age)
    assert abs(fitted.r - truth.r) / truth.r < 0.25
    assert abs(fitted.alpha - truth.alpha) / truth.alpha < 0.3
    assert abs(fitted.a / (fitted.a + fitted.b) - truth.a / (truth.a + truth.b)) < 0.08


def test_long_silence_after_frequent_buying_means_probably_gone():
    params = BgNbdParams(r=0.5, alpha=4.0, a=0.8, b=2.5)
    recent, silent = p_alive(params, np.array([5.0, 5.0]), np.array([50.0, 10.0]), np.array([52.0, 52.0]))
    assert 0.0 <= silent < recent <= 1.0
    assert p_alive(params, np.array([0.0]), np.array([0.0]), np.array([52.0]))[0] == 1.0
    buy = p_buy_within(params, 13.0, np.array([5.0, 5.0]), np.array([50.0, 10.0]), np.array([52.0, 52.0]))
    assert np.all((buy >= 0) & (buy <= 1)) and buy[0] > buy[1]
