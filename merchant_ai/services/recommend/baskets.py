"""Store-free: purchase history as sparse matrices: the one input every recommender here reads.

Rows of `orders` are orders, columns are products (1 = the product was in the order).
Refund lines, non-product lines (postage, fees) and lines without a SKU are left out, so a
"basket" is what the customer actually kept. Guest orders count as baskets but belong to
no customer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

LINE_COLUMNS = ["order_id", "created_at", "customer_id", "sku", "quantity", "line_total"]


@dataclass
class Baskets:
    skus: np.ndarray                 # item index -> SKU (verbatim text)
    order_ids: np.ndarray            # order index -> order id
    order_time: np.ndarray           # datetime64[s] per order
    order_customer: np.ndarray       # customer index per order, -1 for guests
    customer_ids: np.ndarray         # customer index -> customer id (verbatim text)
    orders: sparse.csr_matrix        # orders x items, 1.0 where bought
    revenue: sparse.csr_matrix       # orders x items, line totals
    as_of: pd.Timestamp              # history ends strictly before this moment

    @property
    def n_items(self) -> int:
        return len(self.skus)

    @property
    def n_orders(self) -> int:
        return len(self.order_ids)

    def item_index(self) -> dict[str, int]:
        return {sku: i for i, sku in enumerate(self.skus)}

    def customer_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.customer_ids)}

    def customer_items(self, since: pd.Timestamp | None = None) -> sparse.csr_matrix:
        """customers x items: number of orders in which the customer bought the item."""
        keep = self.order_customer >= 0
        if since is not None:
            keep &= self.order_time >= np.datetime64(since)
        rows = np.flatnonzero(keep)
        to_customer = sparse.csr_matrix(
            (np.ones(len(rows)), (self.order_customer[rows], rows)),
            shape=(len(self.customer_ids), self.n_orders),
        )
        return (to_customer @ self.orders).tocsr()

    def recent_orders(self, days: float) -> np.ndarray:
        """Indices of the orders placed in the last `days` days of the history."""
        start = np.datetime64(self.as_of - pd.Timedelta(days=days))
        return np.flatnonzero(self.order_time >= start)


def kept_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines that make up baskets: products, bought (not refunded), with a SKU."""
    keep = lines["sku"].notna() & (lines["quantity"] > 0)
    if "is_refund" in lines:
        keep &= lines["is_refund"].fillna(0).astype(int) == 0
    if "is_product" in lines:
        keep &= lines["is_product"].fillna(1).astype(int) == 1
    return lines.loc[keep, LINE_COLUMNS]


def baskets_from_lines(lines: pd.DataFrame, as_of=None) -> Baskets:
    """Build the matrices from order lines shaped like `store.queries.sales_lines`.

    `as_of` keeps only orders strictly before it (default: everything, ending just after
    the last order).
    """
    frame = kept_lines(lines)
    created = pd.to_datetime(frame["created_at"])
    if as_of is not None:
        bound = pd.Timestamp(as_of)
        frame = frame.loc[created < bound]
        created = created.loc[frame.index]
    else:
        bound = (created.max() if len(created) else pd.Timestamp("1970-01-01")) + pd.Timedelta(seconds=1)
    item_codes, skus = pd.factorize(frame["sku"].astype(str), sort=True)
    order_codes, order_ids = pd.factorize(frame["order_id"].astype(str))
    n_orders, n_items = len(order_ids), len(skus)
    orders = sparse.csr_matrix(
        (np.ones(len(frame)), (order_codes, item_codes)), shape=(n_orders, n_items))
    orders.sum_duplicates()
    orders.data[:] = 1.0  # a SKU on two lines of one order is still one basket item
    revenue = sparse.csr_matrix(
        (frame["line_total"].fillna(0).to_numpy(float), (order_codes, item_codes)), shape=(n_orders, n_items))
    revenue.sum_duplicates()
    first_row = pd.Series(np.arange(len(frame))).groupby(order_codes).first().to_numpy()
    order_time = created.to_numpy()[first_row].astype("datetime64[s]")
    customer_of_order = frame["customer_id"].to_numpy(dtype=object)[first_row]
    known = pd.notna(customer_of_order)
    customer_codes = np.full(n_orders, -1, dtype=np.int64)
    codes, customer_ids = pd.factorize(pd.Series(customer_of_order[known]).astype(str), sort=True)
    customer_codes[known] = codes
    return Baskets(
        skus=np.asarray(skus, dtype=object), order_ids=np.asarray(order_ids, dtype=object),
        order_time=order_time, order_customer=customer_codes,
        customer_ids=np.asarray(customer_ids, dtype=object), orders=orders, revenue=revenue,
        as_of=bound,
    )
