"""Store-free: one plain sentence for each reorder number, in the shop owner's words."""

from __future__ import annotations

import pandas as pd


def _qty(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 or value >= 10 else f"{value:.1f}"


def _day(iso: str | None) -> str:
    return pd.Timestamp(iso).strftime("%a %d %b") if iso else ""


def explain_numbers(line, forecast_sentence: str, today: str) -> dict[str, str]:
    """Sentences keyed by field name (only for numbers the line has)."""
    out = {"forecast": forecast_sentence}
    lead, review = line.lead_time_days, line.review_period_days
    out["abc_class"] = {
        "A": "Class A: one of the best sellers that together make 80% of your revenue over the last year.",
        "B": "Class B: among the products making the next 15% of your revenue over the last year.",
        "C": "Class C: among the products making the last 5% of your revenue (or none) over the last year.",
    }[line.abc_class]
    if line.status == "discontinued":
        out["status"] = "Marked as discontinued: no reorder suggested."
        return out
    if line.status == "not enough history":
        out["status"] = "Not enough sales history to suggest a reorder: set a reorder point yourself."
        return out
    if line.on_hand is None:
        out["status"] = "Stock on hand is unknown: enter it to get a reorder suggestion."
        return out
    level = f"{line.service_level:.0%}"
    out["safety_stock"] = (
        f"{_qty(line.safety_stock)} extra units cover busier-than-expected days over the "
        f"{_qty(lead + review)} days until a new order would arrive "
        f"({_qty(lead)} days' lead time + {_qty(review)} days between reviews), {level} of the time.")
    out["reorder_point"] = (
        f"When stock on hand plus on order falls to {_qty(line.reorder_point)}, order: that covers the "
        f"{_qty(lead)} days' lead time {level} of the time.")
    stock = f"{_qty(line.on_hand)} in stock" + (f" and {_qty(line.on_order)} on order" if line.on_order else "")
    if line.suggested_qty > 0:
        needed = line.order_up_to - line.on_hand - line.on_order
        rules = []
        if line.min_order_qty > 1 and needed < line.min_order_qty:
            rules.append(f"raised to the minimum order of {_qty(line.min_order_qty)}")
        if line.pack_size > 1:
            rules.append(f"in whole packs of {_qty(line.pack_size)}")
        rounding = f", {' and '.join(rules)}" if rules else ""
        out["suggested_qty"] = (
            f"With {stock} and {_qty(lead)} days' lead time, order {_qty(line.suggested_qty)} now "
            f"(enough for the next {_qty(lead + review)} days plus safety stock{rounding}).")
    else:
        out["suggested_qty"] = f"With {stock}, no order is needed before the next review."
    if line.last_order_date == today:
        out["last_order_date"] = "Order today: stock is already at or under the reorder point."
    elif line.last_order_date:
        out["last_order_date"] = (f"Order by {_day(line.last_order_date)}: that is when stock is expected "
                                  "to reach the reorder point.")
    else:
        out["last_order_date"] = "No order needed within the forecast period."
    if line.on_hand <= 0 and not line.on_order:
        out["stockout_date"] = "Already out of stock."
    elif line.stockout_date:
        out["stockout_date"] = (
            f"At about {_qty(line.forecast_per_day)} a day, the {stock} are expected to run out around "
            f"{_day(line.stockout_date)}.")
    else:
        out["stockout_date"] = "Stock is expected to last beyond the forecast period."
    out["days_of_cover"] = "Nothing on hand to sell." if line.on_hand <= 0 else (
        f"The {_qty(line.on_hand)} on hand last about {_qty(line.days_of_cover)} days at the expected sales."
        if line.days_of_cover is not None else
        f"The {_qty(line.on_hand)} on hand last beyond the forecast period.")
    out["lost_sales"] = (
        f"If ordered today, about {_qty(line.lost_sales)} sales may be missed before the delivery arrives."
        if line.lost_sales and line.lost_sales >= 0.5 else
        "No sales are expected to be missed if you follow the suggestion.")
    out["status"] = {
        "out of stock": "Out of stock now: every day without stock loses sales.",
        "will run out even if ordered today": "Will run out before an order placed today can arrive.",
        "order now": "Stock will reach the reorder point before your next review: order now.",
        "fine": "Enough stock until the next review.",
    }[line.status]
    return out
