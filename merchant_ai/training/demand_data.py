"""Training and benchmark data for the demand model: many series, one shape (DemandHistory).

Sources (all rebuildable): the seeded store simulator under several configurations, and the
real public data in ../shared/data when present: UCI Online Retail (Germany) daily units per
product, and Dominick's canned tuna weekly units per brand with prices and display activity
(a week is treated as one period; prices are the planned shelf prices of the future weeks).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.ml.features.demand import build_features, item_stats
from merchant_ai.ml.features.demand_history import DemandHistory, history_from_lines, history_from_matrix

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
GERMANY_CSV = "online-retail-germany/online_retail_germany.csv"
TUNA_CSV = "dominicks-tuna-bayesm/tuna.csv"


@dataclass
class Panel:
    """A history plus what is known about each period's price and promotion (full length)."""

    name: str
    history: DemandHistory
    prices: np.ndarray | None = None   # (n, T) shelf price per period, NaN unknown
    promo: np.ndarray | None = None    # (n, T) promotion intensity 0..1

    def future(self, origin: int, horizon: int):
        """Planned prices/promotions for periods [origin, origin + horizon) (None when unknown)."""
        cut = slice(origin, origin + horizon)
        price = None if self.prices is None else self.prices[:, cut]
        promo = None if self.promo is None else self.promo[:, cut]
        return price, promo


def simulator_panel(seed: int, *, n_products: int = 200, n_customers: int = 4000,
                    orders_per_customer_year: float = 3.0) -> Panel:
    """A simulated shop's full history, with its true shelf prices."""
    from merchant_ai.demo.simulator import SimulationConfig, simulate

    sim = simulate(SimulationConfig(seed=seed, n_products=n_products, n_customers=n_customers,
                                    orders_per_customer_year=orders_per_customer_year))
    lines = sim.order_lines.merge(sim.orders[["order_id", "created_at"]], on="order_id")
    end = pd.Timestamp(sim.config.end) + pd.Timedelta(days=1)
    skus = sim.products["sku"].tolist()
    hist = history_from_lines(lines, end, skus=skus, max_days=None)
    prices = sim.daily_price.reindex(hist.days)[skus].to_numpy().T
    return Panel(name=f"simulator seed {seed}", history=hist, prices=prices)


def germany_panel(data_dir: Path = SHARED_DATA, *, min_selling_days: int = 0,
                  selling_days_before: str | None = None) -> Panel | None:
    """UCI Online Retail, Germany: daily units per product (product codes only)."""
    path = data_dir / GERMANY_CSV
    if not path.exists():
        return None
    raw = pd.read_csv(path, dtype={"StockCode": str, "InvoiceNo": str})
    raw = raw[raw["StockCode"].str[0].str.isdigit()]
    lines = pd.DataFrame({
        "created_at": pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S"),
        "sku": raw["StockCode"], "quantity": raw["Quantity"].astype(float),
        "unit_price": raw["UnitPrice"].astype(float),
    })
    end = lines["created_at"].max().normalize() + pd.Timedelta(days=1)
    sold = lines[lines["quantity"] > 0]
    if selling_days_before is not None:
        sold = sold[sold["created_at"] < pd.Timestamp(selling_days_before)]
    days_per_sku = sold.groupby("sku")["created_at"].apply(lambda s: s.dt.normalize().nunique())
    skus = sorted(days_per_sku[days_per_sku >= min_selling_days].index.tolist())
    hist = history_from_lines(lines, end, skus=skus, max_days=None)
    return Panel(name="Online Retail Germany", history=hist)


def tuna_panel(data_dir: Path = SHARED_DATA) -> Panel | None:
    """Dominick's canned tuna: weekly units of 7 brands, log prices and display share."""
    path = data_dir / TUNA_CSV
    if not path.exists():
        return None
    raw = pd.read_csv(path)
    brands = [f"brand {i}" for i in range(1, 8)]
    units = np.stack([raw[f"MOVE{i}"].to_numpy(float) for i in range(1, 8)])
    prices = np.stack([np.exp(raw[f"LPRICE{i}"].to_numpy(float)) for i in range(1, 8)])
    promo = np.stack([raw[f"NSALE{i}"].to_numpy(float) for i in range(1, 8)])
    # one period = one week; the calendar start is arbitrary (weekday features stay flat)
    hist = history_from_matrix(units, "2000-01-03", brands, prices=prices)
    return Panel(name="Dominick's tuna (weekly)", history=hist, prices=prices, promo=promo)


def training_rows(panel: Panel, origins: list[int], horizon: int, *, min_age_days: int = 7,
                  use_prices: bool = True):
    """Features, targets (units / scale) and scales for every alive product at each origin."""
    frames, targets, scales = [], [], []
    for origin in origins:
        hist = panel.history.until(origin)
        age_days = hist.n_days - hist.first_sale
        alive = np.flatnonzero((age_days >= min_age_days) & (hist.first_sale < hist.n_days))
        if len(alive) == 0:
            continue
        sub = hist.subset(alive)
        price, promo = panel.future(origin, horizon) if use_prices else (None, None)
        price = None if price is None else price[alive]
        promo = None if promo is None else promo[alive]
        sub_stats = item_stats(sub)
        X = build_features(sub, horizon, stats=sub_stats, future_price=price, future_promo=promo)
        actual = panel.history.units[alive, origin:origin + horizon]
        frames.append(X)
        targets.append(actual.reshape(-1))
        scales.append(np.repeat(sub_stats.scale, horizon))
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True), np.concatenate(targets), np.concatenate(scales)
