"""Store-free: the merchant's pricing guardrails and the candidate prices they allow.

A candidate price is within `max_step_pct` of today's price, has the chosen ending, keeps
the minimum margin (and is never below cost), and respects the competitor position rule.
Today's price is always a candidate ("keep"), whatever its ending.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field

import numpy as np

from merchant_ai.errors import BadInputError

PRICE_ENDINGS = (".99", ".95", "whole", "any")
SETTINGS_KEY = "pricing.guardrails"


@dataclass
class Guardrails:
    """What the merchant allows. Percentages are plain numbers (10 = 10%)."""

    min_margin_pct: float = 15.0          # (price - unit cost) / price, when the cost is known
    max_step_pct: float = 10.0            # largest change from today's price in one step
    price_ending: str = ".99"             # .99 | .95 | whole | any
    competitor_max_above_pct: float = 5.0  # never more than this above a competitor's price
    competitor_prices: dict[str, float] = field(default_factory=dict)  # sku -> price
    min_expected_gain_pct: float = 1.0    # smaller expected profit gains are not worth a change
    min_gain_probability: float = 0.75    # withhold when the change is this unlikely to help

    def __post_init__(self) -> None:
        if self.price_ending not in PRICE_ENDINGS:
            raise BadInputError(f"Price ending must be one of {', '.join(PRICE_ENDINGS)}, not '{self.price_ending}'.")
        if not 0 < self.max_step_pct <= 50:
            raise BadInputError("The largest price step must be between 0% and 50%.")
        if not 0 <= self.min_margin_pct < 100:
            raise BadInputError("The minimum margin must be between 0% and 100%.")
        if self.competitor_max_above_pct < 0:
            raise BadInputError("The competitor rule must be 0% or more above their price.")
        for sku, price in self.competitor_prices.items():
            if not (isinstance(price, (int, float)) and price > 0):
                raise BadInputError(f"The competitor price for {sku} must be a positive number.")

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> Guardrails:
        return cls(**json.loads(text)) if text else cls()


def price_floor(unit_cost: float | None, rails: Guardrails) -> float:
    """The lowest allowed price: cost plus the minimum margin (0 when the cost is unknown)."""
    if unit_cost is None or not math.isfinite(unit_cost) or unit_cost <= 0:
        return 0.0
    return unit_cost / (1.0 - rails.min_margin_pct / 100.0)


def price_ceiling(competitor_price: float | None, rails: Guardrails) -> float:
    """The highest allowed price under the competitor rule (infinite without a competitor price)."""
    if competitor_price is None or not math.isfinite(competitor_price):
        return math.inf
    return competitor_price * (1.0 + rails.competitor_max_above_pct / 100.0)


def prices_with_ending(low: float, high: float, ending: str) -> np.ndarray:
    """All prices in [low, high] with the ending. Under 20 a half-step is allowed too
    (x.49 / x.45 / x.50), otherwise a cheap item could never move by 10%."""
    if high < low or high <= 0:
        return np.array([])
    if ending == "any":
        return np.round(np.arange(math.ceil(low * 100), math.floor(high * 100) + 1) / 100.0, 2)
    offset = {".99": 0.01, ".95": 0.05, "whole": 0.0}[ending]
    step = 0.5 if high < 20 else 1.0
    first = math.floor(low / step) * step
    grid = np.arange(first, high + step + 1e-9, step)
    grid = np.round(grid - offset, 2) if offset else np.round(grid, 2)
    return grid[(grid >= low - 1e-9) & (grid <= high + 1e-9) & (grid > 0)]


def candidate_prices(current: float, unit_cost: float | None, competitor_price: float | None,
                     rails: Guardrails) -> tuple[np.ndarray, str]:
    """Allowed prices (today's price first) and a note when today's price breaks a rule.

    When today's price is below the margin floor or above the ceiling, the candidates are
    the allowed-direction prices within one step (even if they cannot reach the rule yet);
    below cost, the only candidate is the lowest price that keeps the margin, whatever the step.
    """
    step = rails.max_step_pct / 100.0
    low, high = current * (1 - step), current * (1 + step)
    floor, ceiling = price_floor(unit_cost, rails), price_ceiling(competitor_price, rails)
    hard_floor = unit_cost if unit_cost and unit_cost > 0 else 0.0
    note = ""
    if floor > ceiling:
        note = "your minimum margin and the competitor rule cannot both be met; the margin wins"
        ceiling = math.inf
    if current <= hard_floor:
        # never below cost is the one rule a step limit may not delay
        note = "today's price does not cover the unit cost; jumping to the lowest price that keeps your margin"
        grid = prices_with_ending(floor, max(floor * 1.2, floor + 1.0), rails.price_ending)
        return np.concatenate([[current], grid[grid > hard_floor][:1]]), note
    if current < floor:
        note = note or "today's price is below your minimum margin; raising it one step at a time"
        grid = prices_with_ending(max(current, low), high, rails.price_ending)
        grid = grid[grid > current]
        return np.concatenate([[current], grid]), note
    if current > ceiling:
        note = note or "today's price is above the competitor rule; lowering it one step at a time"
        grid = prices_with_ending(low, min(current, high), rails.price_ending)
        grid = grid[(grid < current) & (grid > hard_floor) & (grid >= floor)]
        return np.concatenate([[current], grid]), note
    grid = prices_with_ending(max(low, floor), min(high, ceiling), rails.price_ending)
    grid = grid[(grid > hard_floor) & (np.abs(grid - current) > 0.005)]
    return np.concatenate([[current], grid]), note
