"""Pricing features shared by the pricing service and the offline prior model.

Two things live here so that training and the app cannot drift:
- `weekly_sales_panel`: one row per product and week (units, average shelf price, share of
  units sold on promotion), the input of every elasticity estimate;
- `product_features`: shop-relative descriptors of each product (price level against the
  shop and its category, sales level and volatility, seasonality, repeat buying), the
  inputs of the prior model that predicts a product's elasticity before its own history
  says much. They are relative to the shop so that a model trained on simulated shops can
  be used on a shop it has never seen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FEATURE_NAMES: list[str] = [
    "log_price_vs_shop_median",
    "log_category_price_vs_shop_median",
    "log_price_vs_category_median",
    "log_weekly_units_vs_shop_median",
    "weekly_units_cv",
    "seasonality_strength",
    "repeat_buyer_share",
    "items_per_order",
]

DAYS_PER_WEEK = 7


def weekly_sales_panel(lines: pd.DataFrame, end: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """Units, average price and promotion share per product and week.

    `lines`: created_at (datetime), sku, quantity, unit_price and optionally `on_promotion`
    (bool: the line's order carried a discount code or a display). Refund lines are left
    out: a return says nothing about demand at the price of its day. Weeks end the day
    before `end` (default: the day after the last sale), so the last week is complete.
    Each product's weeks run from its first sale to the end; weeks without a sale have
    0 units and the last known price (the shelf price persisted).
    Columns: sku, week (0 = oldest), week_start, units, price, promo_share, sold.
    """
    sales = lines[(lines["quantity"] > 0) & (lines["unit_price"] > 0)]
    if sales.empty:
        return pd.DataFrame(columns=["sku", "week", "week_start", "units", "price", "promo_share", "sold"])
    end_day = (pd.Timestamp(end) if end is not None
               else sales["created_at"].max().normalize() + pd.Timedelta(days=1)).normalize()
    days_before_end = (end_day - sales["created_at"]).dt.total_seconds() / 86400.0
    weeks_back = np.floor(np.maximum(days_before_end, 0) / DAYS_PER_WEEK).astype(int)
    n_weeks = int(weeks_back.max()) + 1
    promo = sales["on_promotion"].astype(float) if "on_promotion" in sales else pd.Series(0.0, index=sales.index)
    frame = pd.DataFrame({
        "sku": sales["sku"].to_numpy(),
        "week": (n_weeks - 1 - weeks_back).to_numpy(),
        "units": sales["quantity"].to_numpy(float),
        "revenue": (sales["quantity"] * sales["unit_price"]).to_numpy(float),
        "promo_units": (sales["quantity"] * promo).to_numpy(float),
    })
    weekly = frame.groupby(["sku", "week"], sort=True).sum().reset_index()
    full = pd.MultiIndex.from_tuples(
        [(sku, w) for sku, start in weekly.groupby("sku")["week"].min().items() for w in range(start, n_weeks)],
        names=["sku", "week"],
    )
    weekly = weekly.set_index(["sku", "week"]).reindex(full).reset_index()
    sold = weekly["units"].notna() & (weekly["units"] > 0)
    weekly["units"] = weekly["units"].fillna(0.0)
    weekly["price"] = (weekly["revenue"] / weekly["units"].where(sold)).groupby(weekly["sku"]).ffill()
    weekly["promo_share"] = (weekly["promo_units"] / weekly["units"].where(sold)).fillna(0.0)
    weekly["sold"] = sold
    weekly["week_start"] = end_day - pd.to_timedelta((n_weeks - weekly["week"]) * DAYS_PER_WEEK, unit="D")
    return weekly[["sku", "week", "week_start", "units", "price", "promo_share", "sold"]]


def product_features(panel: pd.DataFrame, lines: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """FEATURE_NAMES per product (index: sku) for the products present in `panel`.

    `products`: sku, category (may be empty). `lines`: order_id, sku, customer_id, created_at.
    Prices are each product's median weekly price over its recent 26 weeks.
    """
    recent = panel[panel["week"] >= panel["week"].max() - 25]
    price = recent.groupby("sku")["price"].median()
    units = panel.groupby("sku")["units"].mean().clip(lower=0.05)
    cv = (panel.groupby("sku")["units"].std() / panel.groupby("sku")["units"].mean()).fillna(0.0)
    skus = price.index
    category = (products.set_index("sku")["category"].reindex(skus) if "category" in products
                else pd.Series(index=skus, dtype=str)).fillna("(none)").astype(str)
    shop_price = float(price.median())
    category_price = price.groupby(category).transform("median")
    features = pd.DataFrame(index=skus)
    features["log_price_vs_shop_median"] = np.log(price / shop_price)
    features["log_category_price_vs_shop_median"] = np.log(category_price / shop_price)
    features["log_price_vs_category_median"] = np.log(price / category_price)
    features["log_weekly_units_vs_shop_median"] = np.log(units / float(units.median())).reindex(skus)
    features["weekly_units_cv"] = cv.reindex(skus).clip(upper=5.0)
    features["seasonality_strength"] = _seasonality_strength(panel).reindex(skus).fillna(0.0)
    features["repeat_buyer_share"] = _repeat_buyer_share(lines).reindex(skus).fillna(0.0)
    features["items_per_order"] = _items_per_order(lines).reindex(skus).fillna(1.0)
    # rounded so that no value sits within float32 precision of a tree threshold (ONNX parity)
    return features[FEATURE_NAMES].astype(float).fillna(0.0).round(4)


def _seasonality_strength(panel: pd.DataFrame) -> pd.Series:
    """How concentrated a product's sales are in its best 4-week block (0 = flat)."""
    block = panel.assign(block=panel["week"] // 4).groupby(["sku", "block"])["units"].sum()
    by_sku = block.groupby(level="sku")
    return (by_sku.max() / by_sku.mean().clip(lower=1e-9) - 1.0).clip(upper=10.0)


def _repeat_buyer_share(lines: pd.DataFrame) -> pd.Series:
    """Share of a product's known buyers who bought it more than once."""
    known = lines.dropna(subset=["customer_id"])
    if known.empty:
        return pd.Series(dtype=float)
    orders_per_buyer = known.groupby(["sku", "customer_id"])["order_id"].nunique()
    return (orders_per_buyer > 1).groupby(level="sku").mean()


def _items_per_order(lines: pd.DataFrame) -> pd.Series:
    """Average number of lines in the orders that contain the product (basket companion)."""
    size = lines.groupby("order_id")["sku"].transform("size")
    return size.groupby(lines["sku"]).mean()
