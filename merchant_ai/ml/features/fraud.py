"""Shop-relative order features for the fraud model, shared by the offline training and the service.

Input: the shop's orders (store columns, `created_at` as datetime) and their lines (order_id,
sku, quantity). Every order is described relative to its own shop — its value against the
shop's median order, its hour against the shop's hours, its quantity against the item's usual
quantity — so one model serves a tea shop and a furniture shop. The robust z-scores (median and
MAD of the shop) are the anomaly part; the indicator flags (see fraud_indicators) are the
rule-like part; the model combines both.

Customer history (first order, paid orders before, new country for this customer) uses only
earlier orders. Shop statistics (medians, shares, the usual quantity of an item) use every
order given, i.e. all history before `as_of` — small look-ahead inside that history, none past it.
A field the export does not carry gets a neutral value, so a missing column never looks like fraud.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from merchant_ai.ml.features.fraud_email import DISPOSABLE_SET, EXPRESS_PATTERN, FAILED_PAYMENT_STATUSES
from merchant_ai.ml.features.fraud_indicators import INDICATORS, indicator_flags

NEUTRAL_EMAIL_LOCAL_SCORE = 0.2  # what an ordinary "first.last" address scores

CONTINUOUS_FEATURES: list[str] = [
    "log_total_vs_shop", "total_robust_z", "is_guest", "guest_rarity", "is_first_order", "prior_paid_orders_log",
    "tenure_days_log", "value_vs_customer_log", "new_country_for_customer", "new_zip_for_customer",
    "new_email_for_customer", "country_mismatch", "zip_mismatch", "name_mismatch",
    "shipping_country_rarity", "hour_rarity", "shop_velocity_1h_log", "same_zip_3d_log",
    "failed_payments_1h_log", "payment_failed", "max_qty_vs_usual_log", "max_qty_robust_z", "items_vs_shop_log",
    "express", "discount_share", "code_new_accounts_3d_log", "email_local_score", "email_disposable",
    "email_domain_rarity",
]
FEATURE_NAMES: list[str] = CONTINUOUS_FEATURES + [f"flag_{spec.key}" for spec in INDICATORS]

_SECONDS = {"1h": 3600, "3d": 3 * 86400}


@dataclass
class FraudFeatures:
    """`X` (FEATURE_NAMES, one row per order) and `context` (raw values the indicators quote)."""

    X: pd.DataFrame
    context: pd.DataFrame
    order_ids: pd.Series


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column normalised for comparison; missing/blank -> NA."""
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    values = frame[column].astype("str").str.strip().str.lower()
    return values.mask(values.isin(["", "nan", "none"]) | frame[column].isna())


def _differ(a: pd.Series, b: pd.Series) -> np.ndarray:
    return (a.notna() & b.notna() & (a != b)).to_numpy()


def _window_counts(group: np.ndarray, seconds: np.ndarray, window_s: float,
                   member: np.ndarray | None = None) -> np.ndarray:
    """For each row: rows of the same group within +-window_s (itself excluded).

    `member` restricts what is counted (e.g. only failed payments); every row still gets a count.
    Vectorised: one sorted key = group * big + seconds, then two binary searches.
    """
    big = float(seconds.max() - seconds.min() + 4 * window_s + 1)
    key = group.astype(np.float64) * big + (seconds - seconds.min())
    counted = key if member is None else key[member]
    counted = np.sort(counted)
    count = np.searchsorted(counted, key + window_s, "right") - np.searchsorted(counted, key - window_s, "left")
    self_counted = np.ones(len(key), dtype=bool) if member is None else member
    return count - self_counted.astype(int)


def _robust_z(values: np.ndarray, floor: float = 0.25) -> np.ndarray:
    """(value - shop median) / (1.4826 MAD), the MAD floored so a calm shop does not divide by ~0."""
    if len(values) == 0:
        return values
    median = float(np.median(values))
    return (values - median) / max(float(np.median(np.abs(values - median))) * 1.4826, floor)


def _rarity(values: pd.Series) -> np.ndarray:
    """-log10 of the share of the shop's orders with this value; 0 when the value is missing."""
    share = values.map(values.value_counts(normalize=True))
    return (-np.log10(share.astype(float))).fillna(0.0).to_numpy()


def build_fraud_features(orders: pd.DataFrame, lines: pd.DataFrame) -> FraudFeatures:
    """Features for every order of the shop (sorted by time); see the module docstring."""
    o = orders.sort_values(["created_at", "order_id"], kind="stable").reset_index(drop=True)
    n = len(o)
    seconds = o["created_at"].to_numpy("datetime64[s]").astype(np.int64).astype(np.float64)
    total = pd.to_numeric(o["total"], errors="coerce").fillna(0.0).clip(lower=0.0).to_numpy()
    # log of the value in units of the shop's median order: the same numbers in pence or in yen
    median_total = float(np.median(total[total > 0])) if (total > 0).any() else 1.0
    log_total = np.log(total / median_total + 0.01)
    median_log = float(np.median(log_total)) if n else 0.0
    status = _text(o, "financial_status")
    failed = status.isin(FAILED_PAYMENT_STATUSES).to_numpy()
    paid = ~failed & (o["cancelled_at"].isna().to_numpy() if "cancelled_at" in o else True)

    # customer history: who is this, and what did they do before?
    customer = _text(o, "customer_id").fillna(_text(o, "email_hash"))
    key = customer.fillna(pd.Series([f"guest-{i}" for i in range(n)], index=o.index))
    by_customer = pd.DataFrame({"key": key, "log_total": log_total, "paid": paid.astype(float),
                                "seconds": seconds})
    grouped = by_customer.groupby("key", sort=False)
    prior_orders = grouped.cumcount().to_numpy()
    prior_paid = (grouped["paid"].cumsum() - by_customer["paid"]).to_numpy()
    prior_log_sum = (grouped["log_total"].cumsum() - by_customer["log_total"]).to_numpy()
    first_seen = grouped["seconds"].transform("min").to_numpy()
    prior_mean = np.divide(prior_log_sum, prior_orders, out=np.zeros(n), where=prior_orders > 0)
    repeat = prior_orders > 0

    def first_time_with(column: str) -> np.ndarray:
        values = _text(o, column)
        seen_before = pd.DataFrame({"key": key, "v": values.fillna("")}).groupby(["key", "v"]).cumcount() > 0
        return (repeat & values.notna().to_numpy() & ~seen_before.to_numpy()).astype(float)

    ship_country, bill_country = _text(o, "shipping_country"), _text(o, "billing_country")
    ship_zip = _text(o, "shipping_zip")
    hour = o["created_at"].dt.hour.to_numpy()
    hour_counts = np.bincount(hour, minlength=24)
    hour_share = (hour_counts[hour] + 1.0) / (n + 24.0)
    span_days = max((seconds.max() - seconds.min()) / 86400.0, 1.0) if n else 1.0
    expected_1h = n / span_days * hour_share * 2.0  # orders expected within +-30 min (the window is 1 h)
    shop_1h = _window_counts(np.zeros(n), seconds, 1800.0)
    failed_1h = _window_counts(np.zeros(n), seconds, 3600.0, member=failed)
    zip_codes = pd.factorize(ship_zip.fillna(""))[0]
    same_zip = np.where(ship_zip.notna(), _window_counts(zip_codes, seconds, _SECONDS["3d"]), 0)

    code = _text(o, "discount_code")
    code_ids = pd.factorize(code.fillna(""))[0]
    new_with_code = code.notna().to_numpy() & ~repeat
    code_new_3d = np.where(code.notna(), _window_counts(code_ids, seconds, _SECONDS["3d"], member=new_with_code), 0)
    code_uses_new = pd.Series(new_with_code).groupby(code_ids).transform("sum").to_numpy()
    code_expected_3d = code_uses_new / span_days * 6.0

    qty = _quantity_features(o["order_id"], lines)
    guest = _text(o, "customer_id").isna().to_numpy()
    subtotal = pd.to_numeric(o.get("subtotal", pd.Series(0.0, index=o.index)), errors="coerce").fillna(0.0)
    discount = pd.to_numeric(o.get("discount_amount", pd.Series(0.0, index=o.index)), errors="coerce").fillna(0.0)
    domain = _text(o, "email_domain")
    local_score = pd.to_numeric(o.get("email_local_score", pd.Series(np.nan, index=o.index)), errors="coerce")
    express = _text(o, "shipping_method").fillna("").str.contains(EXPRESS_PATTERN).to_numpy()

    X = pd.DataFrame({
        "log_total_vs_shop": log_total - median_log,
        "total_robust_z": _robust_z(log_total),
        "is_guest": guest.astype(float),
        # a guest checkout in a shop where nearly everyone has an account stands out
        "guest_rarity": np.where(guest, -np.log10((guest.sum() + 1.0) / (n + 1.0)), 0.0),
        "is_first_order": (~repeat).astype(float),
        "prior_paid_orders_log": np.log1p(prior_paid),
        "tenure_days_log": np.log1p((seconds - first_seen) / 86400.0),
        "value_vs_customer_log": np.where(repeat, log_total - prior_mean, 0.0),
        "new_country_for_customer": first_time_with("shipping_country"),
        "new_zip_for_customer": first_time_with("shipping_zip"),
        "new_email_for_customer": first_time_with("email_hash") * _text(o, "customer_id").notna().to_numpy(),
        "country_mismatch": _differ(bill_country, ship_country).astype(float),
        "zip_mismatch": _differ(_text(o, "billing_zip"), ship_zip).astype(float),
        "name_mismatch": _differ(_text(o, "billing_name_hash"), _text(o, "shipping_name_hash")).astype(float),
        "shipping_country_rarity": _rarity(ship_country),
        "hour_rarity": -np.log10(hour_share * 24.0),
        "shop_velocity_1h_log": np.log((shop_1h + 1.0) / (expected_1h + 1.0)),
        "same_zip_3d_log": np.log1p(same_zip),
        "failed_payments_1h_log": np.log1p(failed_1h),
        "payment_failed": failed.astype(float),
        "max_qty_vs_usual_log": qty["max_qty_vs_usual_log"].to_numpy(),
        # the same against the shop's own spread: a wholesaler's big lines are not a gift shop's
        "max_qty_robust_z": _robust_z(qty["max_qty_vs_usual_log"].to_numpy()),
        "items_vs_shop_log": qty["items_vs_shop_log"].to_numpy(),
        "express": express.astype(float),
        "discount_share": (discount / subtotal.where(subtotal > 0)).clip(0, 1).fillna(0.0).to_numpy(),
        "code_new_accounts_3d_log": np.log((code_new_3d + 1.0) / (code_expected_3d + 1.0)),
        "email_local_score": local_score.fillna(NEUTRAL_EMAIL_LOCAL_SCORE).clip(0, 1).to_numpy(),
        "email_disposable": domain.isin(DISPOSABLE_SET).to_numpy().astype(float),
        "email_domain_rarity": _rarity(domain),
    })
    context = pd.DataFrame({
        "order_id": o["order_id"], "created_at": o["created_at"], "customer_id": o.get("customer_id"),
        "total": total, "total_ratio": total / median_total,
        "customer_ratio": np.where(repeat, np.exp(log_total - prior_mean), np.nan),
        "prior_paid": prior_paid, "first_seen": pd.to_datetime(first_seen, unit="s"),
        "shipping_country": o.get("shipping_country"), "billing_country": o.get("billing_country"),
        "hour": hour, "hour_share": hour_share, "shop_1h": shop_1h, "expected_1h": expected_1h,
        "failed_1h": failed_1h, "same_zip_3d": same_zip, "discount_code": o.get("discount_code"),
        "code_new_3d": code_new_3d, "email_domain": o.get("email_domain"),
        "max_qty": qty["max_qty"].to_numpy(), "max_qty_sku": qty["max_qty_sku"].to_numpy(),
        "max_qty_usual": qty["max_qty_usual"].to_numpy(),
        "country_share": 10 ** -X["shipping_country_rarity"],
    })
    flags = indicator_flags(X, context)
    X = pd.concat([X, flags.add_prefix("flag_").astype(float)], axis=1)[FEATURE_NAMES]
    return FraudFeatures(X=X, context=context, order_ids=o["order_id"])


def _quantity_features(order_ids: pd.Series, lines: pd.DataFrame) -> pd.DataFrame:
    """Per order: the line furthest above its item's usual quantity, and the basket size vs the shop's."""
    empty = pd.DataFrame({"max_qty_vs_usual_log": 0.0, "items_vs_shop_log": 0.0, "max_qty": np.nan,
                          "max_qty_sku": None, "max_qty_usual": np.nan}, index=order_ids)
    if lines is None or lines.empty:
        return empty.reset_index(drop=True)
    sold = lines.loc[lines["quantity"] > 0, ["order_id", "sku", "quantity"]]
    sold = sold[sold["order_id"].isin(order_ids)]
    if sold.empty:
        return empty.reset_index(drop=True)
    usual = sold.groupby("sku")["quantity"].transform("median").clip(lower=1.0)
    ratio = np.log(sold["quantity"] / usual).clip(lower=0.0)
    sold = sold.assign(ratio=ratio, usual=usual)
    top = sold.loc[sold.groupby("order_id")["ratio"].idxmax()].set_index("order_id")
    items = sold.groupby("order_id")["quantity"].sum()
    shop_items = max(float(items.median()), 1.0)
    out = pd.DataFrame(index=pd.Index(order_ids, name="order_id"))
    out["max_qty_vs_usual_log"] = top["ratio"].reindex(out.index).fillna(0.0)
    out["items_vs_shop_log"] = np.log(items.reindex(out.index).fillna(shop_items) / shop_items)
    out["max_qty"] = top["quantity"].reindex(out.index)
    out["max_qty_sku"] = top["sku"].reindex(out.index)
    out["max_qty_usual"] = top["usual"].reindex(out.index)
    return out.reset_index(drop=True)
