"""Store-free: per-customer predictions: BG/NBD + Gamma-Gamma fitted on the shop's own customers.

The classic models (merchant_ai.ml.bgnbd) are fitted on the history before `as_of` each time
the customers are analysed: BG/NBD gives P(buys in the next 90 days) and the expected number of
orders in 90 and 365 days, Gamma-Gamma the expected value of each of those orders. A learned
model was measured against them and did not beat them by the required margin, so the app ships
these (see bench/customers_eval.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from merchant_ai.ml.bgnbd import (
    BgNbdParams,
    GammaGammaParams,
    expected_order_value,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    p_buy_within,
)
from merchant_ai.ml.features.customers import bgnbd_inputs

PREDICTION_COLUMNS = ["p_active_90d", "expected_orders_90d", "expected_spend_90d",
                      "expected_orders_365d", "clv_365d", "next_order_in_days"]
METHOD = ("BG/NBD (who keeps buying, and how often) + Gamma-Gamma (how much per order), "
          "fitted on your own customers' order history")


@dataclass(frozen=True)
class ShopFit:
    """The shop's fitted purchase (BG/NBD) and order value (Gamma-Gamma) parameters."""

    purchases: BgNbdParams
    order_value: GammaGammaParams | None  # None: too few repeat customers; own mean order value used

    @property
    def at_bound(self) -> bool:
        """A parameter hit its bound: the history does not pin the model down well."""
        return self.purchases.at_bound or (self.order_value is not None and self.order_value.at_bound)


def empty_predictions(index: pd.Index) -> pd.DataFrame:
    """NaN predictions (predictions were not asked for)."""
    return pd.DataFrame(np.nan, index=index, columns=PREDICTION_COLUMNS)


def next_order_in_days(orders_90d: np.ndarray, orders_365d: np.ndarray) -> np.ndarray:
    """Days until the expected count of orders reaches one: within 90 days when 90 days hold
    at least one expected order, else interpolated between day 90 and day 365; NaN when less
    than one order is expected within a year."""
    orders_90d = np.asarray(orders_90d, dtype=float)
    orders_365d = np.asarray(orders_365d, dtype=float)
    within_90 = 90.0 / np.maximum(orders_90d, 1e-9)
    extra = np.maximum(orders_365d - orders_90d, 1e-9)
    within_year = 90.0 + (1.0 - orders_90d) / extra * 275.0
    days = np.where(orders_90d >= 1.0, within_90, np.where(orders_365d >= 1.0, within_year, np.nan))
    return np.round(days)


def _mean_order_value(history: pd.DataFrame) -> np.ndarray:
    return (history["total_spend"] / history["orders_count"]).to_numpy(dtype=float)


def fit_shop(history: pd.DataFrame) -> ShopFit:
    """Fit BG/NBD and Gamma-Gamma on a `customer_history` frame (at least one customer)."""
    x, t_x, age = bgnbd_inputs(history)
    return ShopFit(purchases=fit_bgnbd(x, t_x, age), order_value=fit_gamma_gamma(x, _mean_order_value(history)))


def predict_customers(history: pd.DataFrame, fit: ShopFit) -> pd.DataFrame:
    """PREDICTION_COLUMNS for every customer of `history` (indexed like it), money in the
    shop's currency. The expected spend is expected orders x expected order value."""
    if history.empty:
        return empty_predictions(history.index)
    x, t_x, age = bgnbd_inputs(history)
    order_value = expected_order_value(fit.order_value, x, _mean_order_value(history))
    orders_90 = expected_purchases(fit.purchases, 90 / 7.0, x, t_x, age)
    orders_365 = expected_purchases(fit.purchases, 365 / 7.0, x, t_x, age)
    return pd.DataFrame({
        "p_active_90d": p_buy_within(fit.purchases, 90 / 7.0, x, t_x, age),
        "expected_orders_90d": orders_90,
        "expected_spend_90d": orders_90 * order_value,
        "expected_orders_365d": orders_365,
        "clv_365d": orders_365 * order_value,
        "next_order_in_days": next_order_in_days(orders_90, orders_365),
    }, index=history.index)
