"""Shop-relative customer features, shared by the offline training and the customers service.

Input is a purchase table with one row per order: `customer_id` (text, verbatim),
`created_at` (datetime) and `amount` (order value in the shop's currency). Orders of one
customer on the same calendar day count as one purchase (as in the BG/NBD literature), and
orders with a non-positive amount (refunds, credit notes) are not purchases.

The models must work for shops they have never seen, so money is scaled by the shop's median
order value and time is given both in days (the horizons are in days) and relative to the
shop's own rhythm (its median days between orders). A few shop-level numbers measured before
`as_of` (how many customers came back within 90 days, how long the history is) let one model
serve a busy shop and a sleepy one. BG/NBD + Gamma-Gamma fitted on the shop's own customers
(merchant_ai.ml.bgnbd) add their outputs (P(alive), P(buy in 90 days), expected orders in 90
and 365 days, expected order value and 90-day spend) and the shop's fitted BG/NBD parameters
as inputs: the boosted trees start from the classic models' view of each customer, calibrated
to this shop, and can only learn corrections to it.

The app ships the per-shop BG/NBD + Gamma-Gamma fit itself (services/customers/predictions.py):
the learned candidate built from FEATURE_NAMES did not beat it (training/customers_model.py
gates its export). `customer_history` and `bgnbd_inputs` serve both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from merchant_ai.ml.bgnbd import (
    expected_order_value,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    p_alive,
    p_buy_within,
    rate_if_alive,
)

# A missing value (e.g. days between orders of a one-order customer) is written as this
# number, not NaN: tree models exported to ONNX then treat it the same in training and use.
MISSING = -1.0

FEATURE_NAMES: list[str] = [
    "orders_count",
    "recency_days",
    "tenure_days",
    "active_span_ratio",
    "mean_interpurchase_days",
    "last_interpurchase_days",
    "recency_over_interpurchase",
    "orders_last_90d",
    "orders_last_180d",
    "orders_last_365d",
    "orders_per_year",
    "trend_recent_half_share",
    "mean_order_value_rel",
    "last_order_value_rel",
    "total_spend_rel",
    "spend_last_365d_rel",
    "interpurchase_rel_shop",
    "recency_rel_shop",
    "shop_median_interpurchase_days",
    "shop_return_rate_90d",
    "shop_history_days",
    "tenure_rel_shop",
    "bgnbd_p_alive",
    "bgnbd_p_buy_90d",
    "bgnbd_orders_90d_if_alive",
    "bgnbd_orders_90d",
    "bgnbd_orders_365d",
    "gamma_gamma_order_value_rel",
    "classic_spend_90d_rel",
    "shop_bgnbd_log_r",
    "shop_bgnbd_log_alpha",
    "shop_bgnbd_log_a",
    "shop_bgnbd_log_b",
    "recency_over_tenure",
    "orders_rel_shop_median",
    "spend_last_90d_rel",
    "last_over_mean_order_value",
    "shop_customers_log",
]


@dataclass(frozen=True)
class ShopContext:
    """Shop-level numbers measured on the history before `as_of`."""

    customers: int
    history_days: float
    median_order_value: float
    median_interpurchase_days: float
    median_recency_days: float
    return_rate_90d: float  # share of customers known 90 days ago who bought in the last 90 days

    def to_dict(self) -> dict:
        return asdict(self)


def purchase_days(orders: pd.DataFrame) -> pd.DataFrame:
    """One row per customer and calendar day with a purchase: customer_id, day, amount.

    `orders` needs customer_id, created_at, amount; rows without a customer and
    non-positive amounts are left out.
    """
    frame = orders.loc[orders["customer_id"].notna() & (orders["amount"] > 0),
                       ["customer_id", "created_at", "amount"]]
    day = pd.to_datetime(frame["created_at"]).dt.normalize()
    grouped = (frame.assign(day=day)
               .groupby(["customer_id", "day"], as_index=False, sort=True)["amount"].sum())
    return grouped


def _before(purchases: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    return purchases.loc[purchases["day"] < as_of]


def shop_context(purchases: pd.DataFrame, as_of) -> ShopContext:
    """The shop's own scale and rhythm, from purchase days before `as_of`."""
    as_of = pd.Timestamp(as_of).normalize()
    past = _before(purchases, as_of)
    if past.empty:
        return ShopContext(0, 0.0, 1.0, 90.0, 90.0, 0.0)
    firsts = past.groupby("customer_id")["day"].min()
    lasts = past.groupby("customer_id")["day"].max()
    gaps = past.groupby("customer_id")["day"].diff().dt.days.dropna()
    known_90d_ago = firsts < as_of - pd.Timedelta(days=90)
    came_back = lasts >= as_of - pd.Timedelta(days=90)
    return_rate = float(came_back[known_90d_ago].mean()) if known_90d_ago.any() else 0.0
    return ShopContext(
        customers=len(firsts),
        history_days=float((as_of - past["day"].min()).days),
        median_order_value=max(float(past["amount"].median()), 0.01),
        # one-order shops have no gaps: fall back to a quarter year, a neutral rhythm
        median_interpurchase_days=float(gaps.median()) if len(gaps) else 90.0,
        median_recency_days=float((as_of - lasts).dt.days.median()),
        return_rate_90d=return_rate,
    )


def customer_history(purchases: pd.DataFrame, as_of) -> pd.DataFrame:
    """Per customer, from purchase days before `as_of`: orders_count, first_day, last_day,
    total_spend, last_amount, recency_days, tenure_days, mean/last days between orders and
    orders/spend in the last 90/180/365 days. Indexed by customer_id."""
    as_of = pd.Timestamp(as_of).normalize()
    past = _before(purchases, as_of).sort_values(["customer_id", "day"])
    grouped = past.groupby("customer_id", sort=True)
    history = pd.DataFrame({
        "orders_count": grouped.size().astype(float),
        "first_day": grouped["day"].min(),
        "last_day": grouped["day"].max(),
        "total_spend": grouped["amount"].sum(),
        "last_amount": grouped["amount"].last(),
    })
    history["recency_days"] = (as_of - history["last_day"]).dt.days.astype(float)
    # tenure counts the day of the first order, so a first order yesterday has tenure 1
    history["tenure_days"] = (as_of - history["first_day"]).dt.days.astype(float)
    span = (history["last_day"] - history["first_day"]).dt.days.astype(float)
    repeats = history["orders_count"] - 1
    history["mean_interpurchase_days"] = (span / repeats).where(repeats > 0)
    gaps = past.assign(gap=grouped["day"].diff().dt.days).groupby("customer_id")["gap"].last()
    history["last_interpurchase_days"] = gaps.astype(float)
    for days in (90, 180, 365):
        recent = past.loc[past["day"] >= as_of - pd.Timedelta(days=days)].groupby("customer_id")
        history[f"orders_last_{days}d"] = recent.size().reindex(history.index, fill_value=0).astype(float)
        history[f"spend_last_{days}d"] = recent["amount"].sum().reindex(history.index, fill_value=0.0)
    half_point = history["first_day"] + (as_of - history["first_day"]) / 2
    in_recent_half = past["day"].to_numpy() >= half_point.reindex(past["customer_id"]).to_numpy()
    history["orders_recent_half"] = (
        pd.Series(in_recent_half, index=past["customer_id"].to_numpy()).groupby(level=0).sum()
        .reindex(history.index, fill_value=0).astype(float))
    return history


def build_features(purchases: pd.DataFrame, as_of, context: ShopContext | None = None) -> pd.DataFrame:
    """The model inputs (exactly FEATURE_NAMES, in order) for every customer with a purchase
    before `as_of`, indexed by customer_id."""
    context = context or shop_context(purchases, as_of)
    history = customer_history(purchases, as_of)
    return features_from_history(history, context)


def features_from_history(history: pd.DataFrame, context: ShopContext) -> pd.DataFrame:
    """FEATURE_NAMES from a `customer_history` frame and the shop's context."""
    h = history
    order_value = context.median_order_value
    median_customer_spend = max(float(h["total_spend"].median()) if len(h) else order_value, 0.01)
    mean_gap = h["mean_interpurchase_days"]
    tenure = h["tenure_days"].clip(lower=1.0)
    features = pd.DataFrame(index=h.index)
    features["orders_count"] = h["orders_count"]
    features["recency_days"] = h["recency_days"]
    features["tenure_days"] = h["tenure_days"]
    features["active_span_ratio"] = (h["tenure_days"] - h["recency_days"]) / tenure
    features["mean_interpurchase_days"] = mean_gap
    features["last_interpurchase_days"] = h["last_interpurchase_days"]
    features["recency_over_interpurchase"] = h["recency_days"] / mean_gap.clip(lower=1.0)
    features["orders_last_90d"] = h["orders_last_90d"]
    features["orders_last_180d"] = h["orders_last_180d"]
    features["orders_last_365d"] = h["orders_last_365d"]
    features["orders_per_year"] = (h["orders_count"] - 1) / tenure * 365.0
    features["trend_recent_half_share"] = h["orders_recent_half"] / h["orders_count"]
    features["mean_order_value_rel"] = h["total_spend"] / h["orders_count"] / order_value
    features["last_order_value_rel"] = h["last_amount"] / order_value
    features["total_spend_rel"] = h["total_spend"] / median_customer_spend
    features["spend_last_365d_rel"] = h["spend_last_365d"] / order_value
    features["interpurchase_rel_shop"] = mean_gap / max(context.median_interpurchase_days, 1.0)
    features["recency_rel_shop"] = h["recency_days"] / max(context.median_recency_days, 1.0)
    features["shop_median_interpurchase_days"] = context.median_interpurchase_days
    features["shop_return_rate_90d"] = context.return_rate_90d
    features["shop_history_days"] = context.history_days
    features["tenure_rel_shop"] = h["tenure_days"] / max(context.history_days, 1.0)
    features["recency_over_tenure"] = h["recency_days"] / tenure
    features["orders_rel_shop_median"] = h["orders_count"] / max(float(h["orders_count"].median()) if len(h) else 1.0, 1.0)
    features["spend_last_90d_rel"] = h["spend_last_90d"] / order_value
    features["last_over_mean_order_value"] = h["last_amount"] / (h["total_spend"] / h["orders_count"])
    features["shop_customers_log"] = np.log(max(len(h), 1))
    features = features.join(bgnbd_features(h, order_value))
    features = features.replace([np.inf, -np.inf], np.nan).fillna(MISSING)
    return features[FEATURE_NAMES].astype("float32")


def bgnbd_inputs(history: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The BG/NBD view of a `customer_history` frame, in weeks: x (repeat purchases), t_x (time
    from the first to the last purchase) and T (time from the first purchase to `as_of`)."""
    x = history["orders_count"].to_numpy(dtype=float) - 1.0
    t_x = (history["tenure_days"] - history["recency_days"]).to_numpy(dtype=float) / 7.0
    age = history["tenure_days"].clip(lower=1.0).to_numpy(dtype=float) / 7.0
    return x, t_x, age


def bgnbd_features(history: pd.DataFrame, median_order_value: float) -> pd.DataFrame:
    """BG/NBD + Gamma-Gamma fitted on this shop's customers (time in weeks): P(alive), P(buy in
    90 days), expected orders in 90 days if alive and in 90 / 365 days, the expected order
    value and 90-day spend (money / the shop's median order value), and the shop's log BG/NBD
    parameters. NaN (-> MISSING) when it cannot be fitted."""
    columns = [name for name in FEATURE_NAMES if name.startswith(("bgnbd_", "gamma_gamma_", "classic_", "shop_bgnbd_"))]
    if len(history) < 2:
        return pd.DataFrame(np.nan, index=history.index, columns=columns)
    x, t_x, age = bgnbd_inputs(history)
    params = fit_bgnbd(x, t_x, age)
    mean_value = (history["total_spend"] / history["orders_count"]).to_numpy(dtype=float)
    order_value_rel = expected_order_value(fit_gamma_gamma(x, mean_value), x, mean_value) / median_order_value
    orders_90d = expected_purchases(params, 90 / 7.0, x, t_x, age)
    features = pd.DataFrame({
        "bgnbd_p_alive": p_alive(params, x, t_x, age),
        "bgnbd_p_buy_90d": p_buy_within(params, 90 / 7.0, x, t_x, age),
        "bgnbd_orders_90d_if_alive": rate_if_alive(params, x, age) * 90 / 7.0,
        "bgnbd_orders_90d": orders_90d,
        "bgnbd_orders_365d": expected_purchases(params, 365 / 7.0, x, t_x, age),
        "gamma_gamma_order_value_rel": order_value_rel,
        "classic_spend_90d_rel": orders_90d * order_value_rel,
    }, index=history.index)
    for name in ("r", "alpha", "a", "b"):
        features[f"shop_bgnbd_log_{name}"] = np.log(getattr(params, name))
    return features[columns]


def future_labels(purchases: pd.DataFrame, as_of, horizon_days: int) -> pd.DataFrame:
    """What each customer did in [as_of, as_of + horizon_days): orders and spend (training labels
    and backtests). Indexed by customer_id; customers without purchases are absent."""
    start = pd.Timestamp(as_of).normalize()
    end = start + pd.Timedelta(days=horizon_days)
    window = purchases.loc[(purchases["day"] >= start) & (purchases["day"] < end)]
    grouped = window.groupby("customer_id")
    return pd.DataFrame({"orders": grouped.size().astype(float), "spend": grouped["amount"].sum()})
