"""Store-free: reorder arithmetic for one product, from its daily forecast and the merchant's settings.

Periodic review: the merchant looks at stock every `review_period_days` and an order takes
`lead_time_days` to arrive, so an order placed now must cover demand for lead + review days.
- safety stock = z * (standard deviation of demand over lead + review days),
  z from the service level (0.95 -> 1.645);
- order-up-to level = expected demand over lead + review days + safety stock;
- reorder point = expected demand over the lead time + z * its standard deviation;
- order now when stock on hand + on order, less the demand expected before the next review,
  is at or under the reorder point; then order up to the order-up-to level, at least the
  minimum order, rounded up to whole packs.
Stock on order is counted as arriving within the lead time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

DEFAULTS = {"lead_time_days": 7.0, "review_period_days": 7.0, "min_order_qty": 1.0, "pack_size": 1.0,
            "on_order": 0.0, "service_level": 0.95}

FINE, ORDER_NOW, TOO_LATE, OUT_OF_STOCK = "fine", "order now", "will run out even if ordered today", "out of stock"
URGENCY = {OUT_OF_STOCK: 0, TOO_LATE: 1, ORDER_NOW: 2, FINE: 3}


@dataclass
class ReorderSettings:
    on_hand: float
    lead_time_days: float = 7.0
    review_period_days: float = 7.0
    min_order_qty: float = 1.0
    pack_size: float = 1.0
    on_order: float = 0.0
    service_level: float = 0.95


@dataclass
class ReorderNumbers:
    """Quantities in units; day offsets count from today (0 = today); None = beyond the forecast."""

    safety_stock: float
    reorder_point: float
    order_up_to: float
    suggested_qty: float
    order_in_days: int | None        # last day to order, as days from today
    stockout_in_days: int | None     # expected stock-out, counting stock on order
    days_of_cover: float | None      # how long stock on hand lasts
    lost_sales: float                # expected unmet demand before an order placed today arrives
    status: str


def _sum_days(values: np.ndarray, days: float) -> float:
    """Sum over the first `days` days (fractional days count pro rata; beyond: the last day repeats)."""
    whole = math.floor(days)
    if whole > len(values):
        values = np.concatenate([values, np.repeat(values[-1:], whole - len(values) + 1)])
    total = float(values[:whole].sum())
    if days > whole and whole < len(values):
        total += float(values[whole]) * (days - whole)
    return total


def expected_shortfall(mean: float, sd: float, stock: float) -> float:
    """E[max(demand - stock, 0)] for normal demand (exact max(mean - stock, 0) when sd = 0)."""
    if sd <= 0:
        return max(mean - stock, 0.0)
    k = (stock - mean) / sd
    unit = NormalDist()
    return sd * (unit.pdf(k) - k * (1.0 - unit.cdf(k)))


def first_day_exceeding(cumulative: np.ndarray, level: float) -> int | None:
    """First day index whose cumulative demand exceeds `level` (None: not within the forecast)."""
    over = np.flatnonzero(cumulative > level + 1e-9)
    return int(over[0]) if len(over) else None


def round_order(raw_qty: float, min_order_qty: float, pack_size: float) -> float:
    """At least the minimum order, rounded up to whole packs (0 stays 0)."""
    if raw_qty <= 0:
        return 0.0
    qty = max(raw_qty, min_order_qty or 1.0)
    pack = pack_size if pack_size and pack_size > 0 else 1.0
    return float(math.ceil(qty / pack - 1e-9) * pack)


def reorder_numbers(mean_daily: np.ndarray, var_daily: np.ndarray, settings: ReorderSettings) -> ReorderNumbers:
    """The reorder numbers for one product (see the module docstring for the rules)."""
    mean_daily = np.nan_to_num(np.asarray(mean_daily, dtype=float))
    var_daily = np.nan_to_num(np.asarray(var_daily, dtype=float))
    lead, review = settings.lead_time_days, settings.review_period_days
    z = NormalDist().inv_cdf(min(max(settings.service_level, 0.5), 0.999))
    mean_lead, sd_lead = _sum_days(mean_daily, lead), math.sqrt(_sum_days(var_daily, lead))
    mean_cover = _sum_days(mean_daily, lead + review)
    sd_cover = math.sqrt(_sum_days(var_daily, lead + review))
    safety_stock = z * sd_cover
    order_up_to = mean_cover + safety_stock
    reorder_point = mean_lead + z * sd_lead
    position = settings.on_hand + settings.on_order
    trigger = position - _sum_days(mean_daily, review) <= reorder_point and position < order_up_to
    suggested = round_order(order_up_to - position, settings.min_order_qty, settings.pack_size) if trigger else 0.0

    cumulative = np.cumsum(mean_daily)
    stockout = 0 if position <= 0 else first_day_exceeding(cumulative, position)
    # last day to order: the day the projected stock position reaches the reorder point
    if position <= reorder_point:
        order_in = 0
    else:
        crossing = first_day_exceeding(cumulative, position - reorder_point)
        order_in = None if crossing is None else crossing
    days_of_cover = _days_of_cover(mean_daily, cumulative, settings.on_hand)
    lost = expected_shortfall(mean_lead, sd_lead, max(position, 0.0))
    if settings.on_hand <= 0:
        status = OUT_OF_STOCK
    elif mean_lead > position:  # demand before any new order arrives exceeds the stock
        status = TOO_LATE
    elif suggested > 0:
        status = ORDER_NOW
    else:
        status = FINE
    return ReorderNumbers(
        safety_stock=safety_stock, reorder_point=reorder_point, order_up_to=order_up_to,
        suggested_qty=suggested, order_in_days=order_in, stockout_in_days=stockout,
        days_of_cover=days_of_cover, lost_sales=lost, status=status,
    )


def _days_of_cover(mean_daily: np.ndarray, cumulative: np.ndarray, on_hand: float) -> float | None:
    if on_hand <= 0:
        return 0.0
    day = first_day_exceeding(cumulative, on_hand)
    if day is None:
        return None
    before = cumulative[day - 1] if day > 0 else 0.0
    return day + (on_hand - before) / mean_daily[day]
