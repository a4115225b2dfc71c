"""Store-free: everything the recommenders know about one shop at one moment, computed once.

`shop_stats(baskets)` turns the basket matrices into per-item, per-customer and per-pair
statistics (popularity, repurchase habits, confidence, lift, cosine). The generators, the
ranking features, the product lists and the benchmark all read this one object.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from merchant_ai.services.recommend.baskets import Baskets
from merchant_ai.services.recommend.cooccurrence import PairStats, cosine_similarity, pair_stats

RECENT_DAYS = 90
SHORT_DAYS = 30  # the latest month: what is taking off right now
DENSE_ITEMS = 6000  # two dense float32 item x item matrices stay under ~300 MB
SECONDS_PER_DAY = 86400.0


@dataclass
class ShopStats:
    baskets: Baskets
    pairs: PairStats
    confidence: sparse.csr_matrix     # items x items, confidence(i -> j)
    lift: sparse.csr_matrix           # items x items
    cosine: sparse.csr_matrix         # items x items, over buyers
    history: sparse.csr_matrix        # customers x items: orders holding the item
    last_bought_days: sparse.csr_matrix  # customers x items: days since last bought + 1
    item_recent_share: np.ndarray     # share of the last 90 days' baskets holding the item
    item_share: np.ndarray            # share of all baskets holding the item
    item_short_share: np.ndarray      # share of the last 30 days' baskets holding the item
    item_age_days: np.ndarray         # days since the item first sold in this history
    history_days: float               # days from the first order to `as_of`
    item_repeat_rate: np.ndarray      # share of the item's buyers who bought it again
    item_gap_days: np.ndarray         # typical days between two purchases of it by one customer
    item_basket_value: np.ndarray     # average revenue of a basket line holding the item
    customer_orders: np.ndarray       # orders per customer
    customer_idle_days: np.ndarray    # days since the customer's last order
    shop_gap_days: float              # median days between a customer's orders

    @property
    def n_items(self) -> int:
        return self.baskets.n_items

    def spread(self, owned: sparse.csr_matrix, name: str) -> np.ndarray:
        """owned (rows x items) @ the item-to-item matrix `name` ('confidence' or 'cosine'), dense float32.

        Up to DENSE_ITEMS items the matrix is kept dense once: a sparse x dense product is
        many times faster than sparse x sparse for the few items a customer owns."""
        dense = self.dense(name)
        if dense is None:
            return (owned @ getattr(self, name)).toarray().astype(np.float32)
        return np.asarray(owned.astype(np.float32) @ dense)

    def dense(self, name: str) -> np.ndarray | None:
        """The item-to-item matrix `name` as a dense float32 array (made once), or None when
        the catalogue has more than DENSE_ITEMS items."""
        if self.n_items > DENSE_ITEMS:
            return None
        cache = self.__dict__.setdefault("_dense", {})
        if name not in cache:
            cache[name] = getattr(self, name).toarray().astype(np.float32)
        return cache[name]

    def pair_values(self, name: str, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Entries (rows[i], cols[i]) of the item-to-item matrix `name`."""
        dense = self.dense(name)
        if dense is not None:
            return dense[rows, cols].astype(np.float64)
        return np.asarray(getattr(self, name)[rows, cols]).ravel()


def _customer_item_timing(baskets: Baskets):
    """Per (customer, item): orders, days since last purchase, mean days between purchases."""
    coo = baskets.orders.tocoo()
    customer = baskets.order_customer[coo.row]
    known = customer >= 0
    seconds = baskets.order_time.astype("datetime64[s]").astype(np.int64)[coo.row[known]]
    frame = pd.DataFrame({"c": customer[known], "i": coo.col[known], "t": seconds})
    grouped = frame.groupby(["c", "i"], sort=False)["t"].agg(["min", "max", "size"]).reset_index()
    now = pd.Timestamp(baskets.as_of).value // 10**9
    days_since = (now - grouped["max"].to_numpy()) / SECONDS_PER_DAY
    gaps = (grouped["max"] - grouped["min"]).to_numpy() / SECONDS_PER_DAY / np.maximum(grouped["size"] - 1, 1)
    return grouped, days_since, gaps


def _item_gap_days(grouped: pd.DataFrame, gaps: np.ndarray, n_items: int, fallback: float) -> np.ndarray:
    repeat = grouped["size"].to_numpy() >= 2
    per_item = pd.Series(gaps[repeat]).groupby(grouped["i"].to_numpy()[repeat]).median()
    out = np.full(n_items, fallback)
    out[per_item.index.to_numpy()] = np.maximum(per_item.to_numpy(), 1.0)
    return out


def _customer_timing(baskets: Baskets) -> tuple[np.ndarray, np.ndarray, float]:
    n_customers = len(baskets.customer_ids)
    known = baskets.order_customer >= 0
    seconds = baskets.order_time.astype(np.int64)[known]
    frame = pd.DataFrame({"c": baskets.order_customer[known], "t": seconds})
    agg = frame.groupby("c")["t"].agg(["min", "max", "size"])
    orders = np.zeros(n_customers)
    idle = np.full(n_customers, np.nan)
    orders[agg.index.to_numpy()] = agg["size"].to_numpy()
    now = pd.Timestamp(baskets.as_of).value // 10**9
    idle[agg.index.to_numpy()] = (now - agg["max"].to_numpy()) / SECONDS_PER_DAY
    repeaters = agg[agg["size"] >= 2]
    gaps = (repeaters["max"] - repeaters["min"]) / SECONDS_PER_DAY / (repeaters["size"] - 1)
    shop_gap = float(np.median(gaps)) if len(gaps) else 60.0
    return orders, idle, max(shop_gap, 1.0)


def _item_basket_value(baskets: Baskets) -> np.ndarray:
    # revenue per basket holding the item: a stand-in for its price level that needs no catalogue
    counts = np.asarray(baskets.orders.sum(axis=0)).ravel()
    totals = np.asarray(baskets.revenue.sum(axis=0)).ravel()
    return np.divide(totals, counts, out=np.zeros_like(totals), where=counts > 0)


def _item_age_days(baskets: Baskets) -> tuple[np.ndarray, float]:
    """Days since each item first sold, and the length of the whole history (a new product is
    'new' relative to how long the shop has been recording sales)."""
    now = pd.Timestamp(baskets.as_of).value // 10**9
    seconds = baskets.order_time.astype("datetime64[s]").astype(np.int64)
    coo = baskets.orders.tocoo()
    first = np.full(baskets.n_items, now, dtype=np.int64)
    np.minimum.at(first, coo.col, seconds[coo.row])
    start = seconds.min() if len(seconds) else now
    return (now - first) / SECONDS_PER_DAY, max((now - start) / SECONDS_PER_DAY, 1.0)


def shop_stats(baskets: Baskets) -> ShopStats:
    """Compute the statistics of `baskets` (all of its history, before `as_of`)."""
    pairs = pair_stats(baskets)
    n_items = baskets.n_items
    recent = baskets.recent_orders(RECENT_DAYS)
    recent_counts = np.asarray(baskets.orders[recent].sum(axis=0)).ravel()
    item_share = pairs.item_baskets / max(pairs.n_baskets, 1)
    item_recent_share = recent_counts / max(len(recent), 1)
    short = baskets.recent_orders(SHORT_DAYS)
    short_counts = np.asarray(baskets.orders[short].sum(axis=0)).ravel()
    item_age_days, history_days = _item_age_days(baskets)
    customer_orders, customer_idle, shop_gap = _customer_timing(baskets)
    grouped, days_since, gaps = _customer_item_timing(baskets)
    shape = (len(baskets.customer_ids), n_items)
    rows, cols = grouped["c"].to_numpy(), grouped["i"].to_numpy()
    history = sparse.csr_matrix((grouped["size"].to_numpy(float), (rows, cols)), shape=shape)
    last_bought = sparse.csr_matrix((days_since + 1.0, (rows, cols)), shape=shape)
    buyers = np.bincount(cols, minlength=n_items)
    again = np.bincount(cols[grouped["size"].to_numpy() >= 2], minlength=n_items)
    return ShopStats(
        baskets=baskets, pairs=pairs, confidence=pairs.confidence_matrix().tocsr(),
        lift=pairs.lift_matrix(), cosine=cosine_similarity(baskets), history=history,
        last_bought_days=last_bought, item_recent_share=item_recent_share, item_share=item_share,
        item_short_share=short_counts / max(len(short), 1), item_age_days=item_age_days, history_days=history_days,
        item_repeat_rate=np.divide(again, buyers, out=np.zeros(n_items), where=buyers > 0),
        item_gap_days=_item_gap_days(grouped, gaps, n_items, shop_gap),
        item_basket_value=_item_basket_value(baskets),
        customer_orders=customer_orders, customer_idle_days=customer_idle, shop_gap_days=shop_gap,
    )
