"""How long the full forecast + reorder run takes on the demo store and on a 5,000-product store.

The timed call is `merchant_ai.services.reorder.reorder(store)`: it reads the sales, builds the
features, runs the ONNX demand model for every product (horizon: lead + review + 28 days, at
least 56) and works out every reorder number, exactly what the Inventory page and
`merchant-ai reorder` do. `forecast(store)` (28 days, what `merchant-ai forecast` does) is timed
too. Median of 3 runs each, after one untimed warm-up (model session creation). Target: < 20 s
on 2 cores. The 5,000-product store is generated here (seeded): two years of intermittent
daily sales with lognormal product rates, a weekly pattern and Sunday closing.

Usage: python bench/forecast_speed_bench.py [--products 5000] [--runs 3]  -> one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from merchant_ai.store import open_store
from merchant_ai.store.bulk import insert_frame


def write_large_store(path: Path, n_products: int, seed: int = 0, days: int = 730) -> int:
    """A seeded store with `n_products` products and their daily sales; returns the line count."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end="2026-10-31", periods=days, freq="D")
    rate = rng.lognormal(-1.6, 1.1, n_products)
    weekday = np.array([1.0, 1.05, 1.1, 1.1, 1.2, 0.9, 0.0])[dates.day_of_week]
    units = rng.poisson(rate[:, None] * weekday[None, :])
    product_idx, day_idx = np.nonzero(units)
    skus = np.array([f"SKU-{i:05d}" for i in range(n_products)])
    price = np.round(rng.lognormal(2.5, 0.5, n_products), 2)
    order_ids = np.array([f"O{i}" for i in range(len(product_idx))])
    created = dates[day_idx] + pd.to_timedelta(rng.integers(8 * 3600, 20 * 3600, len(day_idx)), unit="s")
    orders = pd.DataFrame({"order_id": order_ids, "created_at": created, "currency": "GBP"})
    qty = units[product_idx, day_idx].astype(float)
    lines = pd.DataFrame({"order_id": order_ids, "line_no": 1, "sku": skus[product_idx], "quantity": qty,
                          "unit_price": price[product_idx], "line_total": qty * price[product_idx],
                          "is_product": 1})
    products = pd.DataFrame({"sku": skus, "title": [f"Product {i}" for i in range(n_products)],
                             "vendor": rng.choice(["North", "South", "East", "West"], n_products),
                             "category": rng.choice(["A", "B", "C", "D", "E"], n_products),
                             "price": price, "unit_cost": np.round(price * 0.5, 2), "is_product": 1})
    inventory = pd.DataFrame({"sku": skus, "on_hand": np.round(rate * rng.choice([0, 5, 20, 60], n_products))})
    settings = pd.DataFrame({"sku": skus, "lead_time_days": rng.choice([5.0, 7, 14, 21], n_products),
                             "review_period_days": 7.0, "min_order_qty": rng.choice([1.0, 6, 12], n_products),
                             "pack_size": rng.choice([1.0, 1, 6], n_products), "service_level": 0.95})
    with open_store(path) as store, store.transaction() as conn:
        for table, frame in [("products", products), ("orders", orders), ("order_lines", lines),
                             ("inventory", inventory), ("product_settings", settings)]:
            insert_frame(conn, table, frame)
    return len(lines)


def time_runs(path: Path, runs: int) -> dict:
    from merchant_ai.services.forecast.service import forecast
    from merchant_ai.services.reorder.service import reorder

    with open_store(path) as store:
        reorder(store)  # warm-up: ONNX session creation, imports
        full, fc = [], []
        for _ in range(runs):
            started = time.perf_counter()
            result = reorder(store)
            full.append(time.perf_counter() - started)
            started = time.perf_counter()
            forecast(store)
            fc.append(time.perf_counter() - started)
        products = len(result.lines)
    return {"products": products, "reorder_with_forecast_seconds_median": round(statistics.median(full), 2),
            "reorder_runs_seconds": [round(x, 2) for x in full],
            "forecast_28_days_seconds_median": round(statistics.median(fc), 2),
            "target_under_20s_met": bool(statistics.median(full) < 20.0)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    threadpool_limits(2)
    report = {"benchmark": "full forecast + reorder run", "cpu_count": os.cpu_count(), "stores": {}}
    with tempfile.TemporaryDirectory() as folder:
        from merchant_ai.demo.generate import create_demo_store

        demo = Path(folder) / "demo.db"
        create_demo_store(demo)
        report["stores"]["demo"] = time_runs(demo, args.runs)
        large = Path(folder) / "large.db"
        started = time.perf_counter()
        n_lines = write_large_store(large, args.products)
        report["stores"][f"{args.products}_products"] = {
            "order_lines": n_lines, "setup_seconds": round(time.perf_counter() - started, 1),
            **time_runs(large, args.runs)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
