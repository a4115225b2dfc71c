"""Each fraud indicator fires on a hand-made order that shows it, and not on an ordinary one."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from merchant_ai.ml.features.fraud import FEATURE_NAMES, build_fraud_features
from merchant_ai.ml.features.fraud_indicators import INDICATORS, describe_indicators

START = pd.Timestamp("2025-01-01")


@functools.cache
def ordinary_shop(n_customers: int = 40, orders_each: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A calm shop: repeat customers, daytime orders of about 50, one country, consistent addresses."""
    rng = np.random.default_rng(0)
    orders, lines = [], []
    for c in range(n_customers):
        for k in range(orders_each):
            order_id = f"#{1000 + len(orders)}"
            when = START + pd.Timedelta(days=int(c * 4 + k * 30 % 200), hours=int(rng.integers(9, 18)),
                                        minutes=int(rng.integers(60)))
            qty = int(rng.integers(1, 3))
            price = float(rng.uniform(20, 30))
            orders.append(_order(order_id, when, customer=f"C{c}", total=round(qty * price, 2)))
            lines.append((order_id, f"SKU-{(c + k) % 10}", qty, price))
    return pd.DataFrame(orders), _lines(lines)


def _order(order_id, when, *, customer, total, **fields) -> dict:
    base = {"order_id": order_id, "created_at": when, "customer_id": customer, "email_hash": f"e-{customer}",
            "email_domain": "gmail.com", "email_local_score": 0.2, "subtotal": total, "shipping": 0.0,
            "discount_amount": 0.0, "discount_code": None, "total": total, "financial_status": "paid",
            "payment_method": "card", "shipping_method": "Standard", "billing_country": "United Kingdom",
            "shipping_country": "United Kingdom", "billing_zip": f"Z-{customer}", "shipping_zip": f"Z-{customer}",
            "billing_name_hash": f"n-{customer}", "shipping_name_hash": f"n-{customer}", "cancelled_at": None,
            "is_refund": 0}
    base.update(fields)
    return base


def _lines(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["order_id", "sku", "quantity", "unit_price"])


def flags_of(extra_orders: list[dict], extra_lines: list[tuple] = (), target: str = "X1") -> tuple[dict, list]:
    orders, lines = ordinary_shop()
    orders = pd.concat([orders, pd.DataFrame(extra_orders)], ignore_index=True)
    for o in extra_orders:
        if not any(line[0] == o["order_id"] for line in extra_lines):
            extra_lines = [*extra_lines, (o["order_id"], "SKU-1", 1, o["total"])]
    lines = pd.concat([lines, _lines(extra_lines)], ignore_index=True)
    features = build_fraud_features(orders, lines)
    row = int(np.flatnonzero(features.order_ids.to_numpy() == target)[0])
    X = features.X.iloc[row]
    flags = {spec.key: bool(X[f"flag_{spec.key}"]) for spec in INDICATORS}
    details = {**features.context.iloc[row].to_dict(), **X.to_dict()}
    return flags, describe_indicators(flags, details)


LATE = START + pd.Timedelta(days=210, hours=14)
NEW = {"customer": "NEW1"}
OLD = {"customer": "C3"}
CASES = {
    "high_value_first_order": [_order("X1", LATE, total=400.0, **NEW)],
    "country_mismatch": [_order("X1", LATE, total=50.0, billing_country="France", **NEW)],
    "postcode_mismatch": [_order("X1", LATE, total=50.0, billing_zip="Z-other", **NEW)],
    "name_mismatch": [_order("X1", LATE, total=50.0, shipping_name_hash="n-other", **NEW)],
    "rare_country": [_order("X1", LATE, total=50.0, shipping_country="Brazil", billing_country="Brazil", **NEW)],
    "new_country_for_customer": [_order("X1", LATE, total=50.0, shipping_country="France", **OLD)],
    "new_address_for_customer": [_order("X1", LATE, total=50.0, shipping_zip="Z-new", **OLD)],
    "new_email_for_customer": [_order("X1", LATE, total=50.0, email_hash="e-stranger", **OLD)],
    "jump_for_customer": [_order("X1", LATE, total=500.0, **OLD)],
    "order_burst": [_order(f"X{i}", LATE + pd.Timedelta(minutes=2 * i), total=5.0, customer=None)
                    for i in range(1, 8)],
    "same_address_burst": [_order(f"X{i}", LATE + pd.Timedelta(hours=10 * i), total=50.0, customer=f"N{i}",
                                  shipping_zip="Z-drop") for i in range(1, 5)],
    "failed_payments": [_order(f"X{i}", LATE + pd.Timedelta(minutes=5 * i), total=5.0, customer=None,
                               financial_status="voided") for i in range(1, 4)],
    "quantity_spike": [_order("X1", LATE, total=1000.0, **NEW)],
    "odd_hour": [_order("X1", LATE.normalize() + pd.Timedelta(hours=3), total=50.0, **OLD)],
    "express_high_value_first": [_order("X1", LATE, total=150.0, shipping_method="Express", **NEW)],
    "discount_code_burst": [_order(f"X{i}", LATE + pd.Timedelta(hours=8 * i), total=40.0, customer=f"N{i}",
                                   discount_code="NEW50", discount_amount=20.0) for i in range(1, 6)],
    "random_email": [_order("X1", LATE, total=50.0, email_local_score=0.93, **NEW)],
    "disposable_email": [_order("X1", LATE, total=50.0, email_domain="mailinator.com", **NEW)],
    "loyal_customer": [_order("X1", LATE, total=50.0, **OLD)],
    "known_address": [_order("X1", LATE, total=50.0, **OLD)],
    "usual_value_for_customer": [_order("X1", LATE, total=40.0, **OLD)],
}
EXTRA_LINES = {"quantity_spike": [("X1", "SKU-2", 40, 25.0)]}


def test_every_indicator_has_a_hand_made_case():
    assert set(CASES) == {spec.key for spec in INDICATORS}


@pytest.mark.parametrize("key", sorted(CASES))
def test_indicator_fires_on_an_order_that_shows_it(key):
    flags, described = flags_of(CASES[key], EXTRA_LINES.get(key, ()))
    assert flags[key], f"{key} did not fire"
    item = next(i for i in described if i["key"] == key)
    assert item["name"] and item["effect"] in ("raises", "lowers")
    assert item["value"] is not None


def test_an_ordinary_repeat_order_raises_nothing():
    _flags, described = flags_of([_order("X1", LATE, total=50.0, **OLD)])
    assert [i["key"] for i in described if i["effect"] == "raises"] == []
    assert {"loyal_customer", "known_address"} <= {i["key"] for i in described}


def test_risk_raising_indicators_are_listed_before_reassuring_ones():
    _, described = flags_of([_order("X1", LATE.normalize() + pd.Timedelta(hours=3), total=50.0, **OLD)])
    effects = [i["effect"] for i in described]
    assert effects == sorted(effects, key=lambda e: e != "raises") and effects[0] == "raises"


def test_missing_export_fields_never_raise_risk():
    orders, lines = ordinary_shop()
    orders = orders.copy()
    for column in ["email_domain", "email_local_score", "billing_zip", "shipping_zip", "billing_country",
                   "billing_name_hash", "shipping_name_hash", "payment_method", "financial_status"]:
        orders[column] = None
    X = build_fraud_features(orders, lines).X
    raising = [f"flag_{s.key}" for s in INDICATORS if s.effect == "raises"]
    assert X[raising].to_numpy().sum() == 0
    assert list(X.columns) == FEATURE_NAMES and np.isfinite(X.to_numpy()).all()


def test_features_are_shop_relative_so_currency_scale_does_not_matter():
    orders, lines = ordinary_shop()
    scaled = orders.assign(total=orders["total"] * 130.0, subtotal=orders["subtotal"] * 130.0)
    a = build_fraud_features(orders, lines).X
    b = build_fraud_features(scaled, lines).X
    assert np.allclose(a["log_total_vs_shop"], b["log_total_vs_shop"], atol=0.02)
    assert (a.filter(like="flag_").to_numpy() == b.filter(like="flag_").to_numpy()).all()
