"""Ranking features for (customer, candidate product) pairs, shared by training and the app.

Inputs are raw per-pair quantities gathered by merchant_ai.services.recommend.candidates
(counts, days, shares, ranks). This module turns them into shop-relative features (shares,
ratios to the item's own repurchase cycle and to the shop's typical gap, reciprocal ranks),
so a model trained on simulated shops and on Online Retail can rank a shop it never saw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RAW_COLUMNS: list[str] = [
    "own_orders",            # orders of this customer holding the item
    "customer_orders",       # orders of this customer
    "days_since_bought",     # days since the customer last bought the item (NaN: never)
    "item_gap_days",         # typical days between two purchases of the item by one customer
    "item_repeat_rate",      # share of the item's buyers who bought it again
    "cooc_sum",              # sum over the customer's items of confidence(item -> candidate)
    "cosine_sum",            # sum over the customer's items of cosine(item, candidate)
    "history_items",         # distinct items the customer bought
    "cooc_max",              # the customer's best cooc_sum over all products
    "cosine_max",            # the customer's best cosine_sum over all products
    "votes",                 # how many generators put the candidate in their top list
    "cooc_rank",             # 0-based rank of the candidate in the customer's co-occurrence list
    "cosine_rank",
    "repeat_rank",           # NaN when never bought
    "popular_rank",          # 0-based rank in the shop's last-90-days popularity
    "active_items",          # items sold in the history (scale of the catalogue)
    "recent_share",          # share of the last 90 days' baskets holding the item
    "share",                 # share of all baskets holding the item
    "short_share",           # share of the last 30 days' baskets holding the item
    "item_age_days",         # days since the item first sold
    "history_days",          # days of history the shop has
    "customer_idle_days",    # days since the customer's last order
    "shop_gap_days",         # median days between a customer's orders in this shop
    "category_affinity",     # share of the customer's items in the candidate's category (0 if unknown)
    "value_ratio",           # item's line value / the customer's average line value
]

FEATURE_NAMES: list[str] = [
    "bought_before", "own_order_share", "own_orders_log", "repurchase_due", "item_repeat_rate",
    "cooc_sum", "cooc_mean", "cooc_rank_recip", "cosine_sum", "cosine_mean", "cosine_rank_recip",
    "repeat_rank_recip", "popular_rank_pct", "popular_lift_log", "popular_trend_log",
    "customer_orders_log", "customer_idle_rel", "category_affinity", "value_ratio_log",
    "cooc_rel", "cosine_rel", "generator_votes", "short_trend_log", "item_age_rel",
]


def _col(raw: pd.DataFrame | dict, name: str) -> np.ndarray:
    return np.asarray(raw[name], dtype=np.float64)


def candidate_features(raw: pd.DataFrame | dict) -> pd.DataFrame:
    """FEATURE_NAMES, in order, from the RAW_COLUMNS of each candidate pair."""
    own = _col(raw, "own_orders")
    orders = np.maximum(_col(raw, "customer_orders"), 1.0)
    since = _col(raw, "days_since_bought")
    history = np.maximum(_col(raw, "history_items"), 1.0)
    active = np.maximum(_col(raw, "active_items"), 1.0)
    recent, share = _col(raw, "recent_share"), _col(raw, "share")
    repeat_rank = _col(raw, "repeat_rank")
    never = np.isnan(since)
    floor = 0.1 / active  # one basket in ten per item: keeps logs finite for unsold items
    features = {
        "bought_before": (~never).astype(float),
        "own_order_share": own / orders,
        "own_orders_log": np.log1p(own),
        # -1 = never bought; 1.0 = one typical repurchase cycle has passed
        "repurchase_due": np.where(never, -1.0, np.minimum(np.nan_to_num(since) / np.maximum(
            _col(raw, "item_gap_days"), 1.0), 20.0)),
        "item_repeat_rate": _col(raw, "item_repeat_rate"),
        "cooc_sum": _col(raw, "cooc_sum"),
        "cooc_mean": _col(raw, "cooc_sum") / history,
        "cooc_rank_recip": 1.0 / (1.0 + _col(raw, "cooc_rank")),
        "cosine_sum": _col(raw, "cosine_sum"),
        "cosine_mean": _col(raw, "cosine_sum") / history,
        "cosine_rank_recip": 1.0 / (1.0 + _col(raw, "cosine_rank")),
        "repeat_rank_recip": np.where(np.isnan(repeat_rank), 0.0, 1.0 / (1.0 + np.nan_to_num(repeat_rank))),
        "popular_rank_pct": _col(raw, "popular_rank") / active,
        # >0: in more recent baskets than the average item
        "popular_lift_log": np.log(np.maximum(recent * active, floor * active)),
        "popular_trend_log": np.log(np.maximum(recent, floor) / np.maximum(share, floor)),
        "customer_orders_log": np.log1p(orders),
        "customer_idle_rel": np.minimum(_col(raw, "customer_idle_days") / np.maximum(
            _col(raw, "shop_gap_days"), 1.0), 20.0),
        "category_affinity": _col(raw, "category_affinity"),
        "value_ratio_log": np.log(np.clip(_col(raw, "value_ratio"), 0.01, 100.0)),
        # the candidate's link strength against the customer's strongest link (1 = their best)
        "cooc_rel": _col(raw, "cooc_sum") / np.maximum(_col(raw, "cooc_max"), 1e-9),
        "cosine_rel": _col(raw, "cosine_sum") / np.maximum(_col(raw, "cosine_max"), 1e-9),
        "generator_votes": _col(raw, "votes"),
        # >0: selling faster in the last month than over the last three
        "short_trend_log": np.log(np.maximum(_col(raw, "short_share"), floor) / np.maximum(recent, floor)),
        # 0 = first sold today, 1 = sold since the start of the shop's history
        "item_age_rel": np.minimum(_col(raw, "item_age_days") / np.maximum(_col(raw, "history_days"), 1.0), 1.0),
    }
    # On a 1e-4 grid every value sits far from the trees' split thresholds, so the float32
    # ONNX trees branch exactly like scikit-learn's float64 ones.
    return pd.DataFrame({name: np.round(features[name], 4) for name in FEATURE_NAMES})
