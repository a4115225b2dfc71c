"""Store-free: the suggested price: the allowed price with the highest expected profit.

Demand near today's price is units(p) = units(p0) * (p / p0) ** elasticity. Because the
elasticity is uncertain, profit is averaged over its posterior (a normal distribution,
evaluated at fixed quantiles), and the chance that a change raises profit is reported.
A change is withheld when the expected gain is small or too uncertain; today's price then
stays, with the reason. Without a unit cost the target is revenue (stated in the reason).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from merchant_ai.services.pricing.guardrails import Guardrails, candidate_prices


def _normal_quantiles(n: int = 41) -> np.ndarray:
    """Standard-normal quantiles at (i + 0.5) / n: a deterministic stand-in for sampling."""
    return np.array([NormalDist().inv_cdf((i + 0.5) / n) for i in range(n)])


_Z = _normal_quantiles()


@dataclass
class PriceDecision:
    """The outcome for one product; changes are relative to keeping today's price."""

    suggested_price: float
    status: str                   # change | keep | withheld | rule
    objective: str                # profit | revenue
    expected_units_change_pct: float
    expected_revenue_change_pct: float
    expected_profit_change_pct: float
    gain_probability: float
    reason: str


def expected_outcomes(prices: np.ndarray, current: float, unit_cost: float,
                      elasticity: float, elasticity_sd: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate price: expected units ratio, revenue ratio, objective ratio vs today,
    and the probability the objective beats today's. unit_cost 0 = revenue objective."""
    draws = elasticity + elasticity_sd * _Z                      # (q,)
    ratio = np.power(prices[:, None] / current, draws[None, :])   # units(p)/units(p0), (k, q)
    margin_now = current - unit_cost
    objective = (prices[:, None] - unit_cost) * ratio / margin_now
    revenue = prices[:, None] * ratio / current
    return ratio.mean(axis=1), revenue.mean(axis=1), objective.mean(axis=1), (objective > 1.0).mean(axis=1)


def decide_price(current: float, unit_cost: float | None, competitor_price: float | None,
                 elasticity: float, elasticity_sd: float, rails: Guardrails) -> PriceDecision:
    """The suggested price for one product under the guardrails (see module docstring)."""
    has_cost = unit_cost is not None and math.isfinite(unit_cost) and 0 < unit_cost < current
    cost = float(unit_cost) if has_cost else 0.0
    objective = "profit" if has_cost else "revenue"
    prices, rule_note = candidate_prices(current, unit_cost, competitor_price, rails)
    units, revenue, value, p_gain = expected_outcomes(prices, current, cost, elasticity, elasticity_sd)
    if rule_note:
        # a broken rule forces a move: the best allowed price in the right direction
        if len(prices) == 1:
            return _decision(prices, 0, units, revenue, value, p_gain, "rule", objective,
                             f"{rule_note}, but no price with your ending is within one step")
        best = 1 + int(np.argmax(value[1:]))
        return _decision(prices, best, units, revenue, value, p_gain, "rule", objective,
                         f"{rule_note}. Test for 2 weeks, then review.")
    best = int(np.argmax(value))
    if best == 0:
        return _decision(prices, 0, units, revenue, value, p_gain, "keep", objective,
                         f"today's price already gives the best expected {objective} within your rules")
    gain_pct = 100.0 * (value[best] - 1.0)
    if gain_pct < rails.min_expected_gain_pct or p_gain[best] < rails.min_gain_probability:
        low, high = elasticity - 1.645 * elasticity_sd, elasticity + 1.645 * elasticity_sd
        why = (f"not worth the risk yet: a move to {prices[best]:.2f} would change expected {objective} by "
               f"{gain_pct:+.1f}% with a {100 * p_gain[best]:.0f}% chance of helping (elasticity between "
               f"{low:.1f} and {high:.1f})")
        return _decision(prices, 0, units, revenue, value, p_gain, "withheld", objective, why)
    direction = "raise" if prices[best] > current else "lower"
    why = (f"{direction} to {prices[best]:.2f}: expected {objective} {gain_pct:+.1f}% "
           f"({100 * p_gain[best]:.0f}% chance it helps). Test for 2 weeks, then review.")
    return _decision(prices, best, units, revenue, value, p_gain, "change", objective, why)


def decision_at(current: float, target: float, unit_cost: float | None, elasticity: float,
                elasticity_sd: float, reason: str) -> PriceDecision:
    """Expected outcome of one given price change (e.g. a markdown), no optimisation."""
    has_cost = unit_cost is not None and math.isfinite(unit_cost) and 0 < unit_cost < min(current, target)
    cost = float(unit_cost) if has_cost else 0.0
    prices = np.array([current, target])
    units, revenue, value, p_gain = expected_outcomes(prices, current, cost, elasticity, elasticity_sd)
    return _decision(prices, 1, units, revenue, value, p_gain, "change",
                     "profit" if has_cost else "revenue", reason)


def _decision(prices, index, units, revenue, value, p_gain, status, objective, reason) -> PriceDecision:
    if objective == "revenue":
        reason += " (judged by revenue: no unit cost below today's price is known)"
    profit_change = 100.0 * (value[index] - 1.0)
    return PriceDecision(
        suggested_price=float(prices[index]), status=status, objective=objective,
        expected_units_change_pct=round(100.0 * (units[index] - 1.0), 2),
        expected_revenue_change_pct=round(100.0 * (revenue[index] - 1.0), 2),
        expected_profit_change_pct=round(profit_change, 2) if objective == "profit" else math.nan,
        gain_probability=round(float(p_gain[index]), 3) if index else math.nan,
        reason=reason,
    )


def what_if_curves(current: float, unit_cost: float | None, weekly_units: float, elasticity: float,
                   elasticity_low: float, elasticity_high: float, prices: np.ndarray):
    """Expected units and profit per week at each price (revenue when no cost below the
    price is known), with the band from the elasticity interval.

    Columns: price, units, units_low, units_high, profit, profit_low, profit_high."""
    import pandas as pd

    prices = np.asarray(prices, dtype=float)
    cost = float(unit_cost) if unit_cost is not None and math.isfinite(unit_cost) and unit_cost > 0 else 0.0
    relative = prices / current
    units = weekly_units * relative ** elasticity
    ends = np.stack([weekly_units * relative ** elasticity_low, weekly_units * relative ** elasticity_high])
    margin = prices - cost
    return pd.DataFrame({
        "price": prices, "units": units, "units_low": ends.min(axis=0), "units_high": ends.max(axis=0),
        "profit": margin * units,
        "profit_low": np.minimum(margin * ends[0], margin * ends[1]),
        "profit_high": np.maximum(margin * ends[0], margin * ends[1]),
    })
