"""Write a seeded, realistic demo store: the simulator's output, in one transaction."""

from __future__ import annotations

from pathlib import Path

from merchant_ai.demo.fraud_injection import add_demo_fraud
from merchant_ai.demo.simulator import SimulatedStore, SimulationConfig, simulate
from merchant_ai.demo.support_seed import demo_messages, demo_reviews
from merchant_ai.errors import BadInputError
from merchant_ai.store import Store, open_store
from merchant_ai.store.bulk import insert_frame

DEMO_CONFIG = SimulationConfig(seed=7, n_products=300, n_customers=7000, orders_per_customer_year=5.0)

# Tables the demo fills, in an order that respects references.
_TABLES = ["products", "customers", "orders", "order_lines", "inventory", "product_settings"]


def write_simulated(store: Store, sim: SimulatedStore) -> None:
    """Write simulated frames into an empty store, atomically."""
    if store.scalar("SELECT COUNT(*) FROM orders"):
        raise BadInputError(f"The store {store.path} already holds orders; a demo needs an empty store.")
    frames = sim.frames()
    with store.transaction() as conn:
        for table in _TABLES:
            insert_frame(conn, table, frames[table])
        # customer mail and reviews written from its own orders, for the Messages and Reviews pages
        insert_frame(conn, "messages", demo_messages(sim.orders, sim.order_lines, sim.customers))
        insert_frame(conn, "reviews", demo_reviews(sim.orders, sim.order_lines, sim.products))
        conn.execute("INSERT INTO settings(key, value) VALUES ('demo', '1') "
                     "ON CONFLICT(key) DO UPDATE SET value = '1'")


def create_demo_store(path: str | Path | None = None, config: SimulationConfig | None = None) -> Path:
    """Create the demo store at `path` (default: the per-user store) and return its path."""
    sim = add_demo_fraud(simulate(config or DEMO_CONFIG))  # a few suspicious orders for the Risk page
    with open_store(path) as store:
        write_simulated(store, sim)
        return store.path
