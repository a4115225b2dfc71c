"""Order lines for the offline recommendation ranker and its benchmark.

Sources: the store simulator (several seeds; complements and staples are known structure)
and UCI Online Retail Germany (real, ../shared/data). Each becomes a frame shaped like
`merchant_ai.store.queries.sales_lines`, plus optional product attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from merchant_ai.demo.simulator import SimulationConfig, simulate

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ONLINE_RETAIL_GERMANY_FILE = SHARED_DATA / "online-retail-germany" / "online_retail_germany.csv"
ONLINE_RETAIL_CUTOFF = pd.Timestamp("2011-09-01")
SIMULATOR_CUTOFF = pd.Timestamp("2026-08-01")


@dataclass
class ShopLines:
    name: str
    lines: pd.DataFrame              # sales_lines shape
    item_category: dict[str, str]    # sku -> category ({} when the source has none)
    cutoff: pd.Timestamp             # evaluation split: history before, test period after
    end: pd.Timestamp                # first moment after the data


def simulator_shop(seed: int, **overrides) -> ShopLines:
    """A simulated shop; `overrides` go to SimulationConfig (n_customers, n_products, ...)."""
    sim = simulate(SimulationConfig(seed=seed, **overrides))
    lines = sim.order_lines.merge(sim.orders[["order_id", "created_at", "customer_id"]], on="order_id")
    category = dict(zip(sim.products["sku"], sim.products["category"]))
    end = pd.Timestamp(sim.config.end) + pd.Timedelta(days=1)
    return ShopLines(f"simulator-{seed}", lines, category, SIMULATOR_CUTOFF, end)


def online_retail_germany(path: Path = ONLINE_RETAIL_GERMANY_FILE) -> ShopLines | None:
    """UCI Online Retail, Germany rows; None when ../shared/data is absent.

    'C' invoices are cancellations (refund lines); codes that do not start with a digit
    (POST, M, D, BANK CHARGES, ...) are not products.
    """
    if not path.exists():
        return None
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
    lines = pd.DataFrame({
        "order_id": raw["InvoiceNo"],
        "created_at": pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S"),
        "customer_id": raw["CustomerID"],
        "sku": raw["StockCode"],
        "quantity": raw["Quantity"].astype(float),
        "line_total": raw["Quantity"] * raw["UnitPrice"],
        "is_refund": raw["InvoiceNo"].str.startswith("C").astype(int),
        "is_product": raw["StockCode"].str.match(r"^\d").astype(int),
    })
    end = lines["created_at"].max().normalize() + pd.Timedelta(days=1)
    return ShopLines("online-retail-germany", lines, {}, ONLINE_RETAIL_CUTOFF, end)


def future_items(lines: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, set[str]]:
    """Per customer: the products they bought in [start, end) (kept lines only)."""
    from merchant_ai.services.recommend.baskets import kept_lines

    kept = kept_lines(lines)
    when = pd.to_datetime(kept["created_at"])
    kept = kept.loc[(when >= start) & (when < end) & kept["customer_id"].notna()]
    return {str(c): set(group.astype(str)) for c, group in kept.groupby("customer_id")["sku"]}
