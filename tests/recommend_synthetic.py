"""A tiny hand-made shop for recommendation tests: known pairs, an out-of-stock product, a
discontinued one, a postage line, and ids that a careless parser would mangle."""

from __future__ import annotations

import pandas as pd

from merchant_ai.store import open_store
from merchant_ai.store.bulk import insert_frame

# SKUs and customer ids that a careless parser would mangle (leading zeros, spaces, slashes)
MUG, TEA, SPOON, JAR, OUT, OLD, POST = "00123", "A-1/x", "C 3", "D4", "E5", "F6", "POST"
BASKETS = (
    [[MUG, TEA]] * 6 + [[MUG, SPOON]] * 3 + [[TEA, JAR]] * 2 + [[MUG, OUT]] * 5 + [[MUG, OLD]] * 5
    + [[MUG, TEA, POST]] * 2 + [[JAR]] * 10
)
CUSTOMERS = ["007", "0042", "x 9"]


def write_store(path) -> None:
    orders, lines = [], []
    for n, basket in enumerate(BASKETS):
        order_id = f"#{1000 + n}"
        orders.append({"order_id": order_id, "created_at": f"2025-{1 + n % 12:02d}-{1 + n % 27:02d} 10:00:00",
                       "customer_id": CUSTOMERS[n % 3], "currency": "GBP"})
        for line_no, sku in enumerate(basket, start=1):
            lines.append({"order_id": order_id, "line_no": line_no, "sku": sku, "title": f"Item {sku}",
                          "quantity": 1.0, "unit_price": 5.0, "line_total": 5.0, "is_refund": 0,
                          "is_product": int(sku != POST)})
    skus = [MUG, TEA, SPOON, JAR, OUT, OLD, POST]
    products = pd.DataFrame({"sku": skus, "title": [f"Item {s}" for s in skus], "category": "Kitchen",
                             "price": 5.0, "is_product": [int(s != POST) for s in skus], "status": "active"})
    with open_store(path) as store, store.transaction() as conn:
        insert_frame(conn, "products", products)
        insert_frame(conn, "customers", pd.DataFrame({"customer_id": CUSTOMERS}))
        insert_frame(conn, "orders", pd.DataFrame(orders))
        insert_frame(conn, "order_lines", pd.DataFrame(lines))
        insert_frame(conn, "inventory", pd.DataFrame({"sku": [OUT, MUG], "on_hand": [0.0, 5.0]}))
        insert_frame(conn, "product_settings", pd.DataFrame({"sku": [OLD], "discontinued": [1]}))
