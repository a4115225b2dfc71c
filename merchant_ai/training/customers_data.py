"""Customer purchase histories for the offline customer models and their benchmark.

Every source is turned into the same order table (customer_id as text, created_at, amount),
then into purchase days by `merchant_ai.ml.features.customers.purchase_days`. Sources: CDNOW
(real, Fader & Hardie), UCI Online Retail Germany (real) and the store simulator (several
seeds and shop shapes, known truth).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.demo.simulator import SimulationConfig, simulate
from merchant_ai.ml.features.customers import build_features, future_labels, purchase_days

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
CDNOW_FILE = SHARED_DATA / "cdnow" / "CDNOW_master.txt"
ONLINE_RETAIL_GERMANY_FILE = SHARED_DATA / "online-retail-germany" / "online_retail_germany.csv"


@dataclass
class PurchaseHistory:
    """One shop's purchase days and where its evaluation split lies."""

    name: str
    purchases: pd.DataFrame          # customer_id, day, amount
    evaluation_cutoff: pd.Timestamp  # calibration is before it, the 90-day holdout after it
    last_day: pd.Timestamp
    notes: dict = field(default_factory=dict)


def load_cdnow(path: Path = CDNOW_FILE) -> PurchaseHistory:
    """CDNOW: 23,570 customers who first bought in Q1 1997, followed to June 1998.
    Evaluation cutoff after 39 weeks (1997-10-01), as in the BG/NBD paper's calibration."""
    raw = pd.read_csv(path, sep=r"\s+", header=0, names=["customer_id", "date", "number_of_cds", "dollar_value"],
                      dtype={"customer_id": str, "date": str})
    orders = pd.DataFrame({
        "customer_id": raw["customer_id"],
        "created_at": pd.to_datetime(raw["date"], format="%Y%m%d"),
        "amount": raw["dollar_value"].astype(float),
    })
    purchases = purchase_days(orders)
    start = pd.Timestamp("1997-01-01")
    return PurchaseHistory("cdnow", purchases, start + pd.Timedelta(weeks=39), purchases["day"].max())


def load_online_retail_germany(path: Path = ONLINE_RETAIL_GERMANY_FILE) -> PurchaseHistory:
    """UCI Online Retail, Germany rows: invoices of 95 customers over one year.
    Cancellations ('C' invoices) are not purchases. Evaluation cutoff: the last 3 months."""
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
    raw = raw.loc[raw["CustomerID"].notna() & ~raw["InvoiceNo"].str.startswith("C")]
    raw = raw.assign(line_total=raw["Quantity"] * raw["UnitPrice"],
                     created_at=pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S"))
    invoices = raw.groupby("InvoiceNo").agg(customer_id=("CustomerID", "first"),
                                            created_at=("created_at", "min"),
                                            amount=("line_total", "sum")).reset_index(drop=True)
    purchases = purchase_days(invoices)
    last_day = purchases["day"].max()
    return PurchaseHistory("online_retail_germany", purchases, last_day + pd.Timedelta(days=1) - pd.Timedelta(days=90),
                           last_day)


def simulated_config(seed: int) -> SimulationConfig:
    """A different shop shape per seed: size, buying rate and length of history vary."""
    rng = np.random.default_rng(1000 + seed)
    return SimulationConfig(
        seed=seed,
        n_products=120,
        n_customers=int(rng.integers(800, 3000)),
        orders_per_customer_year=float(rng.uniform(1.5, 8.0)),
        start="2024-01-01" if seed % 2 else "2024-09-01",
        end="2026-10-31",
        customer_arrival_growth=float(rng.uniform(0.0, 1.2)),
    )


def load_simulated(seed: int) -> PurchaseHistory:
    """A simulated shop; evaluation cutoff 90 days before its last day."""
    cfg = simulated_config(seed)
    sim = simulate(cfg)
    orders = sim.orders.loc[sim.orders["is_refund"] == 0, ["customer_id", "created_at", "subtotal"]]
    purchases = purchase_days(orders.rename(columns={"subtotal": "amount"}))
    last_day = pd.Timestamp(cfg.end)
    return PurchaseHistory(f"simulated_seed_{seed}", purchases, last_day + pd.Timedelta(days=1) - pd.Timedelta(days=90),
                           last_day, notes={"n_customers": cfg.n_customers,
                                            "orders_per_customer_year": round(cfg.orders_per_customer_year, 2)})


def labelled_rows(history: PurchaseHistory, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Features at `cutoff` plus labels for the 90 and 365 days after it (NaN when the data
    ends before the 365-day window does). One row per customer known before `cutoff`."""
    features = build_features(history.purchases, cutoff)
    rows = features.copy()
    for horizon in (90, 365):
        labels = future_labels(history.purchases, cutoff, horizon).reindex(rows.index)
        complete = cutoff + pd.Timedelta(days=horizon) <= history.last_day + pd.Timedelta(days=1)
        rows[f"orders_{horizon}d"] = labels["orders"].fillna(0.0) if complete else np.nan
        rows[f"spend_{horizon}d"] = labels["spend"].fillna(0.0) if complete else np.nan
    order_value = history.purchases.loc[history.purchases["day"] < cutoff, "amount"].median()
    rows["shop_median_order_value"] = max(float(order_value), 0.01)
    rows["source"] = history.name
    rows["cutoff"] = cutoff
    return rows


def training_cutoffs(history: PurchaseHistory, *, before: pd.Timestamp, step_days: int = 45,
                     min_history_days: int = 60) -> list[pd.Timestamp]:
    """Cutoffs whose 90-day label window ends on or before `before` (so nothing at or after
    `before` is ever seen), stepping back every `step_days`."""
    first = history.purchases["day"].min() + pd.Timedelta(days=min_history_days)
    cutoffs = []
    cutoff = before - pd.Timedelta(days=90)
    while cutoff >= first:
        cutoffs.append(cutoff)
        cutoff -= pd.Timedelta(days=step_days)
    return cutoffs
