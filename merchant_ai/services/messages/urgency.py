"""How urgent a message is, 0-100, with the reasons in plain words.

What a shop owner answers first: something broke or went wrong, a late order, an angry
tone, a customer who buys again and again, a customer who wrote twice, mail that has waited.
Answered or done messages drop to the bottom.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INTENT_WEIGHT = {
    "damaged_item": 35, "wrong_item": 35, "complaint": 30, "payment_issue": 28, "cancel_order": 28,
    "change_shipping_address": 26, "track_order": 22, "delivery_period": 18, "get_refund": 22,
    "track_refund": 22, "change_order": 20, "exchange": 18, "contact_human_agent": 18,
    "contact_customer_service": 15, "registration_problems": 12, "recover_password": 12,
    "newsletter_subscription": 2, "review": 5, "other": 5,
}
DEFAULT_WEIGHT = 10
LATE_INTENTS = {"track_order", "delivery_period", "complaint", "other", "contact_customer_service",
                "contact_human_agent", "cancel_order"}
DEFAULT_SHIPPING_DAYS = 7  # when the owner has not said how long delivery takes


@dataclass
class Urgency:
    score: float
    reasons: list[str] = field(default_factory=list)


def urgency(*, intent: str, sentiment: float, order_age_days: float | None, order_closed: bool,
            customer_orders: int, waiting_days: float, customer_messages_in_thread: int, answered: bool,
            done: bool, shipping_days: int | None) -> Urgency:
    if done:
        return Urgency(0.0, ["marked done"])
    score = float(INTENT_WEIGHT.get(intent, DEFAULT_WEIGHT))
    reasons = [f"asks about: {intent.replace('_', ' ')}"]
    if sentiment < -0.2:
        score += 25 * min(1.0, -sentiment)
        reasons.append("unhappy tone")
    limit = shipping_days or DEFAULT_SHIPPING_DAYS
    if order_age_days is not None and not order_closed and intent in LATE_INTENTS and order_age_days > limit:
        score += 20
        reasons.append(f"the order is {order_age_days:.0f} days old, past the {limit}-day delivery time")
    if customer_orders >= 2:
        score += min(15.0, 5.0 + customer_orders)
        reasons.append(f"repeat customer ({customer_orders} orders)")
    if customer_messages_in_thread >= 2:
        score += 10
        reasons.append(f"wrote {customer_messages_in_thread} times")
    if waiting_days >= 1 and not answered:
        score += min(15.0, 3.0 * waiting_days)
        reasons.append(f"waiting {waiting_days:.0f} day{'s' * (round(waiting_days) != 1)}")
    if answered:
        score *= 0.3
        reasons.append("you replied after it")
    return Urgency(round(min(score, 100.0), 1), reasons)
