"""Read-only queries shared by the services. The UI never writes SQL; it calls services.

`as_of` everywhere means "answer as if today were this date": only rows strictly before it.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from merchant_ai.store.db import Store


def as_of_bound(as_of: date | datetime | str | None) -> str | None:
    """The exclusive upper bound for `created_at` as text, or None for 'all data'."""
    if as_of is None:
        return None
    return pd.Timestamp(as_of).strftime("%Y-%m-%d %H:%M:%S")


def sales_lines(store: Store, as_of=None, *, products_only: bool = True) -> pd.DataFrame:
    """Order lines joined with their order: one row per line, refunds included (negative).

    Columns: order_id, line_no, created_at (datetime64), customer_id, sku, title, quantity,
    unit_price, line_total, is_refund, is_product, currency, shipping_country.
    Cancelled orders are left out.
    """
    bound = as_of_bound(as_of)
    where = ["o.cancelled_at IS NULL"]
    params: list = []
    if bound is not None:
        where.append("o.created_at < ?")
        params.append(bound)
    if products_only:
        where.append("l.is_product = 1")
    sql = f"""
        SELECT l.order_id, l.line_no, o.created_at, o.customer_id, l.sku, l.title,
               l.quantity, l.unit_price, l.line_total, l.is_refund, l.is_product,
               o.currency, o.shipping_country
        FROM order_lines l JOIN orders o ON o.order_id = l.order_id
        WHERE {' AND '.join(where)}
        ORDER BY o.created_at, l.order_id, l.line_no
    """
    frame = store.query_df(sql, tuple(params))
    frame["created_at"] = pd.to_datetime(frame["created_at"], format="%Y-%m-%d %H:%M:%S")
    return frame


def orders(store: Store, as_of=None) -> pd.DataFrame:
    """All orders (cancelled included, flagged by `cancelled_at`), created_at as datetime."""
    bound = as_of_bound(as_of)
    sql = "SELECT * FROM orders"
    params: tuple = ()
    if bound is not None:
        sql += " WHERE created_at < ?"
        params = (bound,)
    frame = store.query_df(sql + " ORDER BY created_at, order_id", params)
    frame["created_at"] = pd.to_datetime(frame["created_at"], format="%Y-%m-%d %H:%M:%S")
    return frame


def products(store: Store) -> pd.DataFrame:
    """Products with the merchant's settings and stock on hand merged in."""
    return store.query_df(
        """
        SELECT p.*, i.on_hand, s.lead_time_days, s.review_period_days, s.min_order_qty,
               s.pack_size, s.on_order, s.service_level, s.discontinued,
               COALESCE(s.unit_cost, p.unit_cost) AS effective_unit_cost,
               COALESCE(s.vendor, p.vendor) AS effective_vendor
        FROM products p
        LEFT JOIN inventory i ON i.sku = p.sku
        LEFT JOIN product_settings s ON s.sku = p.sku
        ORDER BY p.sku
        """
    )


def customers(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT * FROM customers ORDER BY customer_id")


def feedback(store: Store, kind: str) -> pd.DataFrame:
    return store.query_df(
        "SELECT * FROM feedback WHERE kind = ? ORDER BY feedback_id", (kind,)
    )
