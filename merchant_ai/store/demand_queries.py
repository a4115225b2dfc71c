"""Queries behind forecasts and reorder suggestions: daily sales per product, and the
merchant's edits of stock on hand and reorder settings (the only writes, one row at a time)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from merchant_ai.store.db import Store
from merchant_ai.store.queries import as_of_bound

# Settings the merchant may edit, with the column type they are stored as.
EDITABLE_SETTINGS = {
    "lead_time_days": float, "review_period_days": float, "min_order_qty": float,
    "pack_size": float, "on_order": float, "service_level": float, "unit_cost": float,
    "vendor": str, "discontinued": int,
}


def daily_product_sales(store: Store, as_of=None) -> pd.DataFrame:
    """Units and revenue sold per product and day (positive lines of non-cancelled orders,
    product lines only), before `as_of`. Columns: sku, created_at (the day), quantity, line_total.

    Aggregating in SQLite keeps a 5,000-product shop's history to one row per product-day."""
    bound = as_of_bound(as_of)
    where = ["o.cancelled_at IS NULL", "l.is_product = 1", "l.quantity > 0", "l.sku IS NOT NULL"]
    params: list = []
    if bound is not None:
        where.append("o.created_at < ?")
        params.append(bound)
    frame = store.query_df(
        f"""
        SELECT l.sku AS sku, substr(o.created_at, 1, 10) AS day,
               SUM(l.quantity) AS quantity, SUM(COALESCE(l.line_total, l.quantity * l.unit_price)) AS line_total
        FROM order_lines l JOIN orders o ON o.order_id = l.order_id
        WHERE {' AND '.join(where)}
        GROUP BY l.sku, day
        """,
        tuple(params),
    )
    frame["created_at"] = pd.to_datetime(frame["day"], format="%Y-%m-%d")
    return frame.drop(columns="day")


def write_product_edits(store: Store, stock: list[tuple[str, float]], settings: list[tuple[str, dict]]) -> None:
    """Stock counts and reorder settings of several products, in ONE transaction: all are
    written, or none (a failure half way leaves the store as it was)."""
    now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    with store.transaction() as conn:
        for sku, on_hand in stock:
            conn.execute(
                "INSERT INTO inventory(sku, on_hand, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(sku) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at",
                (sku, float(on_hand), now),
            )
        for sku, values in settings:
            if not values:
                continue
            columns = list(values)
            assignments = ", ".join(f"{c} = excluded.{c}" for c in columns)
            conn.execute(
                f"INSERT INTO product_settings(sku, {', '.join(columns)}, updated_at) "
                f"VALUES (?, {', '.join('?' for _ in columns)}, ?) "
                f"ON CONFLICT(sku) DO UPDATE SET {assignments}, updated_at = excluded.updated_at",
                (sku, *[values[c] for c in columns], now),
            )
