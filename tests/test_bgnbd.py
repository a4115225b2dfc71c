"""The per-shop BG/NBD + Gamma-Gamma fit the app ships for customer predictions."""

from __future__ import annotations

import warnings

import numpy as np

from merchant_ai.ml.bgnbd import (
    BgNbdParams,
    expected_order_value,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    p_alive,
    p_buy_within,
    rate_if_alive,
)


def _purchase_times(params: BgNbdParams, n: int, weeks: float, seed: int = 0) -> list[np.ndarray]:
    """Repeat purchase times (weeks after the first purchase) of customers following the BG/NBD story."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(params.r, 1 / params.alpha, n)
    dropout = rng.beta(params.a, params.b, n)
    customers = []
    for i in range(n):
        t, times = 0.0, []
        while True:
            t += rng.exponential(1 / rate[i])
            if t > weeks:
                break
            times.append(t)
            if rng.random() < dropout[i]:
                break
        customers.append(np.array(times))
    return customers


def _calibration(customers: list[np.ndarray], weeks: float):
    """(x, t_x, T) of every customer at `weeks` after their first purchase."""
    seen = [times[times <= weeks] for times in customers]
    x = np.array([len(s) for s in seen], dtype=float)
    t_x = np.array([s[-1] if len(s) else 0.0 for s in seen])
    return x, t_x, np.full(len(seen), weeks)


TRUTH = BgNbdParams(r=0.5, alpha=4.0, a=0.8, b=2.5)


def test_fit_recovers_the_parameters_of_simulated_customers():
    x, t_x, age = _calibration(_purchase_times(TRUTH, 4000, 52.0), 52.0)
    fitted = fit_bgnbd(x, t_x, age)
    assert abs(fitted.r - TRUTH.r) / TRUTH.r < 0.25
    assert abs(fitted.alpha - TRUTH.alpha) / TRUTH.alpha < 0.3
    assert abs(fitted.a / (fitted.a + fitted.b) - TRUTH.a / (TRUTH.a + TRUTH.b)) < 0.08
    assert not fitted.at_bound


def test_expected_purchases_match_what_simulated_customers_then_buy():
    customers = _purchase_times(TRUTH, 4000, 65.0, seed=1)
    x, t_x, age = _calibration(customers, 52.0)
    actual = np.array([((times > 52.0) & (times <= 65.0)).sum() for times in customers], dtype=float)
    fitted = fit_bgnbd(x, t_x, age)
    expected = expected_purchases(fitted, 13.0, x, t_x, age)
    assert abs(expected.sum() - actual.sum()) / actual.sum() < 0.15
    frequent = x >= 5
    assert abs(expected[frequent].mean() - actual[frequent].mean()) / actual[frequent].mean() < 0.25
    bought = p_buy_within(fitted, 13.0, x, t_x, age)
    assert abs(bought.mean() - (actual > 0).mean()) < 0.03
    assert np.all(expected >= bought - 1e-9)  # at least one purchase with that chance


def test_long_silence_after_frequent_buying_means_probably_gone():
    recent, silent = p_alive(TRUTH, np.array([5.0, 5.0]), np.array([50.0, 10.0]), np.array([52.0, 52.0]))
    assert 0.0 <= silent < recent <= 1.0
    assert p_alive(TRUTH, np.array([0.0]), np.array([0.0]), np.array([52.0]))[0] == 1.0
    buy = p_buy_within(TRUTH, 13.0, np.array([5.0, 5.0]), np.array([50.0, 10.0]), np.array([52.0, 52.0]))
    assert np.all((buy >= 0) & (buy <= 1)) and buy[0] > buy[1]


def test_customers_who_never_came_back_give_a_bounded_fit_and_finite_predictions():
    x, t_x, age = np.zeros(50), np.zeros(50), np.linspace(1.0, 30.0, 50)
    fitted = fit_bgnbd(x, t_x, age)
    assert fitted.at_bound
    expected = expected_purchases(fitted, 52.0, x, t_x, age)
    assert np.all(np.isfinite(expected)) and np.all(expected >= 0)
    assert np.all(expected <= rate_if_alive(fitted, x, age) * 52.0 + 1e-9)


def _expected_by_integration(params: BgNbdParams, weeks: float, x: float, t_x: float, age: float) -> float:
    """The same expectation from its definition: alive now, the rate's posterior Gamma(r+x, alpha+T),
    the dropout probability's posterior Beta(a, b+x); (1 - e^(-rate p t)) / p purchases before dropping out."""
    from scipy import integrate, stats

    def given_dropout(p: float) -> float:
        no_purchase = ((params.alpha + age) / (params.alpha + age + p * weeks)) ** (params.r + x)
        return (1.0 - no_purchase) / p * stats.beta.pdf(p, params.a, params.b + x)

    alive = p_alive(params, np.array([x]), np.array([t_x]), np.array([age]))[0]
    with warnings.catch_warnings():  # a = 0.001 puts a near-singular Beta density at p = 0
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        return alive * integrate.quad(given_dropout, 0.0, 1.0, limit=200)[0]


def test_expected_purchases_are_exact_and_finite_even_at_extreme_parameters():
    corners = [BgNbdParams(0.25, 4.8, 0.75, 2.2), BgNbdParams(0.29, 1.4, 1807.0, 691.0),  # CDNOW, a tiny shop
               BgNbdParams(2.0, 1.0, 1.0 + 1e-9, 3.0), BgNbdParams(1.09, 11.7, 0.001, 100.9),
               BgNbdParams(0.5, 0.001, 1e4, 1e4)]
    customers = [(0.0, 0.0, 10.0), (3.0, 8.0, 12.0), (40.0, 50.0, 52.0), (400.0, 99.0, 100.0)]
    for params in corners:
        for x, t_x, age in customers:
            got = expected_purchases(params, 52.0, np.array([x]), np.array([t_x]), np.array([age]))[0]
            assert np.isfinite(got)
            assert abs(got - _expected_by_integration(params, 52.0, x, t_x, age)) < 1e-4 * max(1.0, got)


def test_gamma_gamma_shrinks_each_customers_order_value_towards_the_shop_average():
    rng = np.random.default_rng(2)
    p, q, gamma = 6.0, 4.0, 15.0
    nu = rng.gamma(q, 1 / gamma, 3000)  # each customer's order value is Gamma(p, nu)
    x = rng.integers(1, 8, 3000).astype(float)
    mean_value = np.array([rng.gamma(p, 1 / v, int(k)).mean() for v, k in zip(nu, x)])
    fitted = fit_gamma_gamma(x, mean_value * 100.0)  # in cents: the fit does not depend on the scale
    population_mean = p * gamma / (q - 1) * 100.0
    assert abs(fitted.p * fitted.gamma / (fitted.q - 1) - population_mean) / population_mean < 0.1
    assert not fitted.at_bound
    value = expected_order_value(fitted, np.array([0.0, 1.0, 50.0]), np.array([10_000.0] * 3))
    assert abs(value[0] - fitted.p * fitted.gamma / (fitted.q - 1)) < 1e-6  # no repeat: the shop average
    assert value[0] < value[1] < value[2] < 10_000.0


def test_gamma_gamma_needs_a_few_repeat_customers():
    assert fit_gamma_gamma(np.array([0.0, 1.0, 2.0]), np.array([10.0, 20.0, 30.0])) is None
    assert list(expected_order_value(None, np.array([0.0, 2.0]), np.array([10.0, 30.0]))) == [10.0, 30.0]
