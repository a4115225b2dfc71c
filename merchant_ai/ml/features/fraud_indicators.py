"""Fraud indicators: plain-words reasons an order looks risky (or safe), with their value.

Each indicator is a condition on the order's features (computed for all orders at once: the
flags are model inputs too) and a sentence for the shop owner. `effect` says whether it raises
or lowers risk. Thresholds are deliberately simple numbers a person can check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

LOG3, LOG2, LOG8 = np.log(3.0), np.log(2.0), np.log(8.0)


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    effect: str                                                        # "raises" | "lowers"
    condition: Callable[[pd.DataFrame, pd.DataFrame], np.ndarray]     # (features, context) -> bool per order
    describe: Callable[[dict], tuple[str, object]]                     # row -> (sentence, value)


def _pct(share: float) -> str:
    return f"{share:.1%}" if share >= 0.001 else "under 0.1%"


def _day(value) -> str:
    return pd.Timestamp(value).strftime("%d %b %Y")


INDICATORS: list[IndicatorSpec] = [
    IndicatorSpec(
        "high_value_first_order", "raises",
        lambda X, c: (X["is_first_order"] > 0) & (X["log_total_vs_shop"] > LOG3),
        lambda r: (f"First order from this customer, {r['total_ratio']:.1f}× the shop's typical order",
                   round(float(r["total_ratio"]), 1))),
    IndicatorSpec(
        "country_mismatch", "raises", lambda X, c: X["country_mismatch"] > 0,
        lambda r: ((f"Billing country ({r['billing_country']}) differs from shipping country "
                   f"({r['shipping_country']})"), r["shipping_country"])),
    IndicatorSpec(
        "postcode_mismatch", "raises", lambda X, c: X["zip_mismatch"] > 0,
        lambda r: ("Billing and shipping postcodes differ", True)),
    IndicatorSpec(
        "name_mismatch", "raises", lambda X, c: X["name_mismatch"] > 0,
        lambda r: ("Billing and shipping names differ", True)),
    IndicatorSpec(
        "rare_country", "raises", lambda X, c: X["shipping_country_rarity"] > np.log10(50),
        lambda r: ((f"Ships to {r['shipping_country']}, which gets {_pct(r['country_share'])} of this "
                   "shop's orders"), r["shipping_country"])),
    IndicatorSpec(
        "new_country_for_customer", "raises", lambda X, c: X["new_country_for_customer"] > 0,
        lambda r: (f"A returning customer ships to a country not used before ({r['shipping_country']})",
                   r["shipping_country"])),
    IndicatorSpec(
        "new_address_for_customer", "raises", lambda X, c: X["new_zip_for_customer"] > 0,
        lambda r: ("A returning customer ships to a new postcode", True)),
    IndicatorSpec(
        "new_email_for_customer", "raises", lambda X, c: X["new_email_for_customer"] > 0,
        lambda r: ("The account's email address changed with this order", True)),
    IndicatorSpec(
        "jump_for_customer", "raises",
        lambda X, c: (X["is_first_order"] == 0) & (X["value_vs_customer_log"] > LOG3) & (X["log_total_vs_shop"] > LOG2),
        lambda r: (f"{r['customer_ratio']:.1f}× this customer's usual order value",
                   round(float(r["customer_ratio"]), 1))),
    IndicatorSpec(
        "order_burst", "raises",
        lambda X, c: (c["shop_1h"] >= 5) & (c["shop_1h"] >= 4 * c["expected_1h"]),
        lambda r: ((f"{int(r['shop_1h']) + 1} orders within the same hour (usually about "
                   f"{r['expected_1h']:.1f})"), int(r["shop_1h"]) + 1)),
    IndicatorSpec(
        "same_address_burst", "raises", lambda X, c: c["same_zip_3d"] >= 3,
        lambda r: (f"{int(r['same_zip_3d'])} other orders to the same postcode within 3 days",
                   int(r["same_zip_3d"]))),
    IndicatorSpec(
        "failed_payments", "raises", lambda X, c: (c["failed_1h"] >= 2) | (X["payment_failed"] > 0),
        lambda r: ((f"{int(r['failed_1h']) + int(r['payment_failed'])} failed or voided payments within an "
                   "hour of this order"), int(r["failed_1h"]) + int(r["payment_failed"]))),
    IndicatorSpec(
        "quantity_spike", "raises", lambda X, c: X["max_qty_vs_usual_log"] >= LOG8,
        lambda r: ((f"{r['max_qty']:g} × {r['max_qty_sku']}, {r['max_qty'] / r['max_qty_usual']:.0f}× its "
                   "usual quantity"), float(r["max_qty"]))),
    IndicatorSpec(
        "odd_hour", "raises", lambda X, c: c["hour_share"] * 24 < 0.25,
        lambda r: ((f"Placed at {int(r['hour']):02d}:00, an hour with {_pct(r['hour_share'])} of this "
                   "shop's orders"), int(r["hour"]))),
    IndicatorSpec(
        "express_high_value_first", "raises",
        lambda X, c: (X["express"] > 0) & (X["is_first_order"] > 0) & (X["log_total_vs_shop"] > LOG2),
        lambda r: ("Express shipping on a high-value first order", True)),
    IndicatorSpec(
        "discount_code_burst", "raises",
        lambda X, c: (c["code_new_3d"] >= 3) & (X["code_new_accounts_3d_log"] > LOG3),
        lambda r: ((f"Discount code {r['discount_code']} used by {int(r['code_new_3d'])} other new accounts "
                   "within 3 days"), r["discount_code"])),
    IndicatorSpec(
        "random_email", "raises", lambda X, c: X["email_local_score"] > 0.7,
        lambda r: ("The email address looks randomly generated", round(float(r["email_local_score"]), 2))),
    IndicatorSpec(
        "disposable_email", "raises", lambda X, c: X["email_disposable"] > 0,
        lambda r: (f"Throwaway email domain ({r['email_domain']})", r["email_domain"])),
    IndicatorSpec(
        "loyal_customer", "lowers", lambda X, c: c["prior_paid"] >= 3,
        lambda r: (f"Repeat customer: {int(r['prior_paid'])} paid orders since {_day(r['first_seen'])}",
                   int(r["prior_paid"]))),
    IndicatorSpec(
        "known_address", "lowers",
        lambda X, c: ((X["is_first_order"] == 0) & (X["new_country_for_customer"] == 0)
                      & (X["new_zip_for_customer"] == 0) & (X["country_mismatch"] == 0)),
        lambda r: ("Ships to the same country and address as this customer's earlier orders", True)),
    IndicatorSpec(
        "usual_value_for_customer", "lowers",
        lambda X, c: (X["is_first_order"] == 0) & (X["value_vs_customer_log"].abs() < np.log(1.5)),
        lambda r: ("Order value in line with this customer's usual orders", round(float(r["customer_ratio"]), 1))),
]
INDICATOR_KEYS = [spec.key for spec in INDICATORS]


def indicator_flags(X: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per indicator key, for every order."""
    return pd.DataFrame({spec.key: np.asarray(spec.condition(X, context), dtype=bool) for spec in INDICATORS},
                        index=X.index)


def describe_indicators(flags: pd.Series | dict, row: dict) -> list[dict]:
    """The order's active indicators as [{name, value, effect, key}], risk-raising ones first."""
    found = []
    for spec in INDICATORS:
        if flags[spec.key]:
            text, value = spec.describe(row)
            if isinstance(value, (np.generic,)):
                value = value.item()
            found.append({"name": text, "value": value, "effect": spec.effect, "key": spec.key})
    return sorted(found, key=lambda item: item["effect"] != "raises")
