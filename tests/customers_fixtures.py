"""Small hand-made shops for the customer tests (orders with one product line each)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.store import open_store
from merchant_ai.store.bulk import insert_frame


def write_shop(path: Path, orders: list[tuple[str, str, float]], extra_customers: tuple[str, ...] = ()) -> Path:
    """A store holding `orders` as (customer_id, 'YYYY-MM-DD', amount) and the customers on file."""
    frame = pd.DataFrame(orders, columns=["customer_id", "day", "amount"])
    frame["order_id"] = [f"#{1000 + i}" for i in range(len(frame))]
    frame["created_at"] = pd.to_datetime(frame["day"]) + pd.Timedelta(hours=12)
    frame["total"] = frame["amount"]
    frame["currency"] = "EUR"
    lines = pd.DataFrame({"order_id": frame["order_id"], "line_no": 1, "sku": "SKU-1", "title": "Mug",
                          "quantity": 1.0, "unit_price": frame["amount"], "line_total": frame["amount"],
                          "is_refund": 0, "is_product": 1})
    ids = sorted(set(frame["customer_id"]) | set(extra_customers))
    customers = pd.DataFrame({"customer_id": ids, "email": [f"c{i}@example.com" for i in range(len(ids))]})
    with open_store(path) as store, store.transaction() as conn:
        insert_frame(conn, "customers", customers)
        insert_frame(conn, "orders", frame[["order_id", "created_at", "customer_id", "total", "currency"]])
        insert_frame(conn, "order_lines", lines)
    return path


def small_shop_orders(n_customers: int = 24, seed: int = 3) -> list[tuple[str, str, float]]:
    """Three months of orders: some customers buy often, most once; ids with leading zeros."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-01-01")
    rows = []
    for i in range(n_customers):
        customer = f"00{i:02d}"
        n_orders = 1 + int(rng.poisson(1.5 if i % 3 == 0 else 0.3))
        for day in np.sort(rng.integers(0, 90, n_orders)):
            rows.append((customer, str((start + pd.Timedelta(days=int(day))).date()), float(rng.uniform(10, 80))))
    return rows
