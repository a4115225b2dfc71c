"""BG/NBD + Gamma-Gamma fitted on one shop's customers: the customer predictions the app ships.

The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
alive a customer buys at a rate lambda ~ Gamma(r, alpha); after each purchase they drop out
with probability p ~ Beta(a, b). Fitted by maximum likelihood on (x = repeat purchases,
t_x = time of the last purchase, T = time since the first purchase); time is in weeks.
The Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV") gives each customer's
expected order value from their mean order value, shrunk towards the shop's average.

Both are small per-shop statistics fitted in a fraction of a second. The fits are bounded
(every parameter >= 0.001, Gamma-Gamma q > 1): a tiny or degenerate shop gets usable numbers
instead of a failed optimiser, and `at_bound` says when a bound was hit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, gammaln, hyp2f1

PARAMETER_BOUNDS = (1e-3, 1e4)  # keeps degenerate fits (a or b -> 0) usable on tiny shops
GAMMA_GAMMA_MIN_Q = 1.01        # the mean order value exists only for q > 1
GAMMA_GAMMA_MIN_CUSTOMERS = 3   # repeat customers needed to fit the Gamma-Gamma model


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float
    at_bound: bool = False


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float  # in the shop's currency
    at_bound: bool = False


def _at_bound(log_values: np.ndarray, bounds: list[tuple[float, float]]) -> bool:
    return any(abs(v - low) < 1e-6 or abs(v - high) < 1e-6 for v, (low, high) in zip(log_values, bounds))


def _bgnbd_negative_log_likelihood(log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray,
                                   age: np.ndarray) -> float:
    r, alpha, a, b = np.exp(log_params)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + age)
    a4 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x), -np.inf)
    return -float(np.sum(a1 + a2 + np.logaddexp(a3, a4))) / len(x)


def fit_bgnbd(x: np.ndarray, t_x: np.ndarray, age: np.ndarray) -> BgNbdParams:
    """Maximum-likelihood BG/NBD parameters (bounded), from per-customer x, t_x, T in weeks."""
    x, t_x, age = (np.asarray(v, dtype=float) for v in (x, t_x, age))
    bounds = [(np.log(PARAMETER_BOUNDS[0]), np.log(PARAMETER_BOUNDS[1]))] * 4
    found = minimize(_bgnbd_negative_log_likelihood, x0=np.zeros(4), args=(x, t_x, age), method="L-BFGS-B",
                     bounds=bounds)
    return BgNbdParams(*np.exp(found.x), at_bound=_at_bound(found.x, bounds))


def p_alive(params: BgNbdParams, x: np.ndarray, t_x: np.ndarray, age: np.ndarray) -> np.ndarray:
    """P(the customer has not dropped out by now); 1 for customers without a repeat purchase."""
    x, t_x, age = (np.asarray(v, dtype=float) for v in (x, t_x, age))
    log_odds_dead = (np.log(params.a) - np.log(params.b + np.maximum(x, 1) - 1)
                     + (params.r + x) * (np.log(params.alpha + age) - np.log(params.alpha + t_x)))
    return np.where(x > 0, expit(-log_odds_dead), 1.0)


def p_buy_within(params: BgNbdParams, weeks: float, x: np.ndarray, t_x: np.ndarray, age: np.ndarray) -> np.ndarray:
    """P(at least one purchase in the next `weeks`): alive now x P(a purchase before dropping
    out), where given alive the rate's posterior is Gamma(r + x, alpha + T)."""
    x, age = np.asarray(x, dtype=float), np.asarray(age, dtype=float)
    none_if_alive = ((params.alpha + age) / (params.alpha + age + weeks)) ** (params.r + x)
    return p_alive(params, x, t_x, age) * (1.0 - none_if_alive)


def rate_if_alive(params: BgNbdParams, x: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Posterior mean purchases per week of a customer who is still alive."""
    return (params.r + np.asarray(x, dtype=float)) / (params.alpha + np.asarray(age, dtype=float))


def expected_purchases(params: BgNbdParams, weeks: float, x: np.ndarray, t_x: np.ndarray,
                       age: np.ndarray) -> np.ndarray:
    """Expected purchases in the next `weeks` (the paper's conditional expectation, eq. 10).

    Its term (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z) overflows for customers with many purchases;
    then Euler's transformation, (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), the same number,
    stays finite (and the other way round for shops with a very large a)."""
    x, age = np.asarray(x, dtype=float), np.asarray(age, dtype=float)
    r, alpha, b = params.r, params.alpha, params.b
    a = params.a if abs(params.a - 1.0) > 1e-6 else 1.0 + 1e-6  # the formula divides by a - 1
    z = weeks / (alpha + age + weeks)
    with np.errstate(all="ignore"):
        direct = (1.0 - z) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1.0, z)
        euler = (1.0 - z) ** (a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)
    use_euler = a - 1.0 - r - x < 0  # the direct series grows like (1-z)^(a-1-r-x)
    first, second = np.where(use_euler, euler, direct), np.where(use_euler, direct, euler)
    tail = np.where(np.isfinite(first), first, second)
    alive = p_alive(params, x, t_x, age)
    expected = (a + b + x - 1.0) / (a - 1.0) * (1.0 - tail) * alive
    # never more than if the customer kept buying at their posterior rate without dropping out
    ceiling = rate_if_alive(params, x, age) * weeks * alive
    return np.where(np.isfinite(expected), np.clip(expected, 0.0, ceiling), ceiling)


def _gamma_gamma_negative_log_likelihood(log_params: np.ndarray, x: np.ndarray, mean_value: np.ndarray) -> float:
    p, q, gamma = np.exp(log_params)
    px = p * x
    ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma) + (px - 1.0) * np.log(mean_value)
          + px * np.log(x) - (px + q) * np.log(gamma + mean_value * x))
    return -float(np.sum(ll)) / len(x)


def fit_gamma_gamma(x: np.ndarray, mean_value: np.ndarray) -> GammaGammaParams | None:
    """Maximum-likelihood Gamma-Gamma parameters from the customers with x > 0 repeat purchases
    and a positive mean order value; None when fewer than GAMMA_GAMMA_MIN_CUSTOMERS qualify."""
    x, mean_value = np.asarray(x, dtype=float), np.asarray(mean_value, dtype=float)
    usable = (x > 0) & (mean_value > 0) & np.isfinite(mean_value)
    if usable.sum() < GAMMA_GAMMA_MIN_CUSTOMERS:
        return None
    # fitted on money / the median, so the bounds mean the same in every currency
    scale = float(np.median(mean_value[usable]))
    low, high = np.log(PARAMETER_BOUNDS[0]), np.log(PARAMETER_BOUNDS[1])
    bounds = [(low, high), (np.log(GAMMA_GAMMA_MIN_Q), high), (low, high)]
    found = minimize(_gamma_gamma_negative_log_likelihood, x0=np.array([0.0, 1.0, 0.0]),
                     args=(x[usable], mean_value[usable] / scale), method="L-BFGS-B", bounds=bounds)
    p, q, gamma = np.exp(found.x)
    return GammaGammaParams(p=p, q=q, gamma=gamma * scale, at_bound=_at_bound(found.x, bounds))


def expected_order_value(params: GammaGammaParams | None, x: np.ndarray, mean_value: np.ndarray) -> np.ndarray:
    """Each customer's expected order value: their mean order value weighted by their repeat
    purchases against the shop's average (the mean itself when no Gamma-Gamma fit exists)."""
    x, mean_value = np.asarray(x, dtype=float), np.asarray(mean_value, dtype=float)
    if params is None:
        return mean_value
    return params.p * (params.gamma + mean_value * x) / (params.p * x + params.q - 1.0)
