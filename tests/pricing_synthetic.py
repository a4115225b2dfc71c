"""Synthetic sales with known price response, shared by the pricing tests."""

from __future__ import annotations

import numpy as np
import pandas as pd


def synthetic_lines(elasticities: dict[str, float], *, weeks: int = 104, base_units: float = 12.0,
                    seed: int = 0, flat_price: tuple[str, ...] = ()) -> pd.DataFrame:
    """Daily sales of products with constant-elasticity demand, a yearly season, a trend and
    price moves (permanent steps and one-week promotions)."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-01-01", periods=weeks * 7, freq="D")
    season = 1.0 + 0.5 * np.sin(2 * np.pi * days.day_of_year.to_numpy() / 365.0)
    rows = []
    for k, (sku, elasticity) in enumerate(elasticities.items()):
        price = np.full(len(days), 10.0 + k)
        if sku not in flat_price:
            for step_day in rng.choice(np.arange(30, len(days) - 30), size=3, replace=False):
                price[step_day:] *= rng.uniform(0.88, 1.12)
            for promo_day in rng.choice(np.arange(0, len(days) - 7), size=4, replace=False):
                price[promo_day:promo_day + 7] *= 0.8
        trend = np.exp(0.1 * np.arange(len(days)) / 365.0)
        mean = base_units / 7.0 * season * trend * (price / price[0]) ** elasticity
        units = rng.poisson(mean)
        for day, quantity, unit_price in zip(days[units > 0], units[units > 0], price[units > 0]):
            rows.append((day + pd.Timedelta(hours=12), sku, float(quantity), round(float(unit_price), 2)))
    return pd.DataFrame(rows, columns=["created_at", "sku", "quantity", "unit_price"])


def write_small_pricing_store(store_path):
    """A store of six products with two years of sales, unit cost 4; SLOW has 400 in stock
    and sells about one a week (a slow mover). Returns the path."""
    from merchant_ai.store import open_store
    from merchant_ai.store.bulk import insert_frame

    truth = {"A": -0.6, "B": -1.2, "C": -2.8, "D": -1.5, "E": -1.9, "SLOW": -1.4}
    lines = synthetic_lines(truth, base_units=20.0)
    lines = lines[(lines["sku"] != "SLOW") | (lines.index % 12 == 0)]
    lines = lines.assign(order_id=[f"#{i}" for i in range(len(lines))], line_no=1,
                         line_total=lines["quantity"] * lines["unit_price"])
    last_price = lines.groupby("sku")["unit_price"].last()
    products = pd.DataFrame({"sku": list(truth), "title": [f"Item {s}" for s in truth], "category": "Tea",
                             "price": [last_price[s] for s in truth], "unit_cost": [4.0] * 6})
    with open_store(store_path) as store, store.transaction() as conn:
        insert_frame(conn, "products", products)
        insert_frame(conn, "orders", lines[["order_id", "created_at"]].assign(total=lines["line_total"]))
        insert_frame(conn, "order_lines", lines[["order_id", "line_no", "sku", "quantity", "unit_price", "line_total"]])
        insert_frame(conn, "inventory", pd.DataFrame({"sku": list(truth), "on_hand": [20, 20, 20, 20, 20, 400]}))
    return store_path
