"""A small simulated shop for the forecast and reorder tests (a second or two to build)."""

from __future__ import annotations

import pandas as pd

from merchant_ai.demo.generate import write_simulated
from merchant_ai.demo.simulator import SimulationConfig, simulate
from merchant_ai.store import open_store
from merchant_ai.store.bulk import insert_frame

SMALL_SHOP = SimulationConfig(seed=3, n_products=25, n_customers=1500, orders_per_customer_year=5.0,
                              start="2025-09-01", end="2026-06-30")
NEVER_SOLD = "NEW/never sold 1"   # SKUs are kept verbatim, odd characters included
NEW_ARRIVAL = "NEW-2"


def build_small_shop(path) -> None:
    """The simulated shop plus a product that never sold and one on sale for 10 days."""
    sim = simulate(SMALL_SHOP)
    category = sim.products["category"].iloc[0]
    with open_store(path) as store:
        write_simulated(store, sim)
        extra = pd.DataFrame({"sku": [NEVER_SOLD, NEW_ARRIVAL], "title": ["Brand new", "Just in"],
                              "category": [category, category], "price": [9.99, 12.0], "is_product": [1, 1],
                              "vendor": ["Test Vendor", "Test Vendor"]})
        days = pd.date_range("2026-06-21", "2026-06-30", freq="D")
        orders = pd.DataFrame({"order_id": [f"N{i}" for i in range(len(days))],
                               "created_at": days + pd.Timedelta(hours=12)})
        lines = pd.DataFrame({"order_id": orders["order_id"], "line_no": 1, "sku": NEW_ARRIVAL,
                              "quantity": 2.0, "unit_price": 12.0, "line_total": 24.0, "is_product": 1})
        with store.transaction() as conn:
            insert_frame(conn, "products", extra)
            insert_frame(conn, "orders", orders)
            insert_frame(conn, "order_lines", lines)
            insert_frame(conn, "inventory", pd.DataFrame({"sku": [NEW_ARRIVAL], "on_hand": [3.0]}))
