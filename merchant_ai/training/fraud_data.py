"""Labelled shops for the fraud model and its benchmark: legitimate orders with fraud injected.

Sources (all rebuildable): the seeded simulator under many shop shapes (size, basket, guest
share, which fields the export carries, currency scale), with innocent oddities added to the
legitimate orders; and real legitimate orders from UCI Online Retail in ../shared/data. The
training uses simulator seeds TRAIN_SEEDS and the non-German rows of the first-5000 extract;
the benchmark uses EVAL_SEEDS and the German rows, so no shop and no fraud event is shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.demo.fraud_injection import FAR_COUNTRIES, add_legit_noise, inject_fraud
from merchant_ai.ml.features.fraud import FraudFeatures, build_fraud_features

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
GERMANY_CSV = SHARED_DATA / "online-retail-germany" / "online_retail_germany.csv"
FIRST5000_CSV = SHARED_DATA / "online-retail-first5000" / "online_retail_small.csv"
TRAIN_SEEDS = range(1000, 1036)
EVAL_SEEDS = range(5000, 5012)
HOME_COUNTRIES = ["United Kingdom", "Germany", "France", "United States", "Netherlands", "Australia"]
_MONEY = ["subtotal", "shipping", "taxes", "discount_amount", "total"]
# Export fields a shop may not have, blanked together (as a platform's export would lack them).
_FIELD_GROUPS = {
    "email": ["email_domain", "email_local_score"], "zip": ["billing_zip", "shipping_zip"],
    "names": ["billing_name_hash", "shipping_name_hash"], "billing_country": ["billing_country"],
    "shipping_method": ["shipping_method"], "payment": ["payment_method", "financial_status"],
}


@dataclass
class LabelledShop:
    name: str
    features: FraudFeatures
    is_fraud: np.ndarray      # per row of features.X
    pattern: np.ndarray       # pattern name or "" per row


def label(name: str, orders: pd.DataFrame, lines: pd.DataFrame, labels: pd.DataFrame) -> LabelledShop:
    """Features of every sale (refunds left out) with the injected labels."""
    sales = orders[orders["is_refund"] == 0]
    features = build_fraud_features(sales, lines)
    pattern = features.order_ids.map(labels.set_index("order_id")["pattern"]).fillna("").to_numpy()
    return LabelledShop(name=name, features=features, is_fraud=pattern != "", pattern=pattern)


def simulated_shop(seed: int, *, fraud_share: float | None = None) -> LabelledShop:
    """One simulated shop of a random shape, with noise and fraud; everything follows `seed`."""
    from merchant_ai.demo.simulator import SimulationConfig, simulate

    rng = np.random.default_rng(seed)
    days = int(rng.integers(240, 540))
    start = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 300)))
    cfg = SimulationConfig(
        seed=seed, n_products=int(rng.integers(60, 400)), n_customers=int(rng.integers(300, 2500)),
        start=start.strftime("%Y-%m-%d"), end=(start + pd.Timedelta(days=days)).strftime("%Y-%m-%d"),
        orders_per_customer_year=float(rng.uniform(1.5, 6.0)), guest_share=float(rng.uniform(0.02, 0.3)),
    )
    sim = simulate(cfg)
    orders = add_legit_noise(sim.orders, seed=seed + 1)
    lines = sim.order_lines
    orders = _reshape_shop(orders, rng)
    scale = float(rng.lognormal(0.0, 1.0))  # another currency / price level
    orders[_MONEY] = orders[_MONEY] * scale
    lines = lines.assign(unit_price=lines["unit_price"] * scale, line_total=lines["line_total"] * scale)
    minimal_export = rng.random() < 0.35  # e.g. a till or marketplace export: no emails, addresses, payments
    for columns in _FIELD_GROUPS.values():
        if minimal_export or rng.random() < 0.3:
            orders[columns] = None
    share = fraud_share if fraud_share is not None else float(rng.uniform(0.005, 0.03))
    injected = inject_fraud(orders, lines, seed=seed + 2, fraud_share=share)
    return label(f"simulator seed {seed}", injected.orders, injected.order_lines, injected.labels)


def _reshape_shop(orders: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Another home country and export share, and another time zone, per simulated shop."""
    home = str(rng.choice(HOME_COUNTRIES))
    foreign = rng.choice([c for c in HOME_COUNTRIES + FAR_COUNTRIES[:6] if c != home],
                         size=int(rng.integers(1, 7)), replace=False)
    key = orders["customer_id"].fillna(orders["order_id"])
    codes, uniques = pd.factorize(key)
    per_key = np.where(rng.random(len(uniques)) < rng.uniform(0.5, 1.0), home,
                       rng.choice(foreign, size=len(uniques)))
    same = orders["billing_country"] == orders["shipping_country"]
    orders["shipping_country"] = per_key[codes]
    orders["billing_country"] = orders["billing_country"].where(~same, orders["shipping_country"])
    orders["created_at"] = orders["created_at"] + pd.Timedelta(hours=int(rng.integers(-3, 4)))
    return orders.sort_values("created_at", kind="stable").reset_index(drop=True)


def load_online_retail(path: Path, *, countries: set[str] | None = None,
                       exclude: set[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """UCI Online Retail rows as store-shaped orders and lines (legitimate); None if absent.

    The file has no email, postcode, payment or shipping method: those stay empty, and the
    injected fraud gets none either. Credit notes ('C' invoices) are refunds.
    """
    if not path.exists():
        return None
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
    if countries is not None:
        raw = raw[raw["Country"].isin(countries)]
    if exclude:
        raw = raw[~raw["Country"].isin(exclude)]
    when = pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    if when.isna().mean() > 0.5:
        when = pd.to_datetime(raw["InvoiceDate"], format="%d/%m/%Y %H:%M", errors="coerce")
    raw = raw.assign(created_at=when, line_total=raw["Quantity"] * raw["UnitPrice"],
                     customer_id=raw["CustomerID"].str.replace(r"\.0$", "", regex=True))
    raw = raw.dropna(subset=["created_at"])
    orders = raw.groupby("InvoiceNo", sort=False).agg(
        created_at=("created_at", "first"), customer_id=("customer_id", "first"),
        total=("line_total", "sum"), shipping_country=("Country", "first")).reset_index()
    orders = orders.rename(columns={"InvoiceNo": "order_id"})
    orders["subtotal"] = orders["total"]
    orders["shipping"] = 0.0
    orders["discount_amount"] = 0.0
    orders["is_refund"] = orders["order_id"].str.startswith("C").astype(int)
    for column in ["email_hash", "email_domain", "email_local_score", "billing_country", "billing_zip",
                   "shipping_zip", "billing_name_hash", "shipping_name_hash", "payment_method",
                   "shipping_method", "financial_status", "discount_code", "cancelled_at"]:
        orders[column] = None
    orders["currency"] = "GBP"
    orders["source"] = "online retail"
    lines = raw.rename(columns={"InvoiceNo": "order_id", "StockCode": "sku", "Description": "title",
                                "Quantity": "quantity", "UnitPrice": "unit_price"})
    lines = lines[["order_id", "sku", "title", "quantity", "unit_price", "line_total"]].copy()
    lines["line_no"] = lines.groupby("order_id").cumcount() + 1
    lines["is_refund"] = (lines["quantity"] < 0).astype(int)
    lines["is_product"] = 1
    return orders.sort_values("created_at", kind="stable").reset_index(drop=True), lines


def online_retail_shop(path: Path, *, seed: int, fraud_share: float, name: str, **filters) -> LabelledShop | None:
    """Real legitimate orders of one UCI extract with fraud injected under `seed`."""
    loaded = load_online_retail(path, **filters)
    if loaded is None:
        return None
    orders, lines = loaded
    injected = inject_fraud(orders, lines, seed=seed, fraud_share=fraud_share)
    return label(name, injected.orders, injected.order_lines, injected.labels)


def training_shops() -> list[LabelledShop]:
    """The training set: simulator TRAIN_SEEDS plus the non-German first-5000 extract twice."""
    shops = [simulated_shop(seed) for seed in TRAIN_SEEDS]
    for seed in (101, 102):
        real = online_retail_shop(FIRST5000_CSV, seed=seed, fraud_share=0.03, name=f"UCI first 5000 (fraud seed {seed})",
                                  exclude={"Germany"})
        if real is not None:
            shops.append(real)
    return shops
