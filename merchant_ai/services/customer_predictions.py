"""Per-customer predictions from the prebuilt customer models (models/customers_*.onnx).

The models answer in shop-relative units (spend in median orders); this module turns their
answers back into the shop's money and dates, keeps them consistent with each other (a
customer likely to buy expects at least that many orders; a year holds at least its first 90
days) and works out the expected next order date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merchant_ai.errors import ModelUnavailableError
from merchant_ai.ml.features.customers import FEATURE_NAMES, ShopContext

PREDICTION_COLUMNS = ["p_active_90d", "expected_orders_90d", "expected_spend_90d",
                      "expected_orders_365d", "clv_365d", "next_order_in_days"]
MODEL_NAMES = {
    "p_active_90d": "customers_active_90d",
    "expected_orders_90d": "customers_orders_90d",
    "spend_rel_90d": "customers_spend_90d",
    "expected_orders_365d": "customers_orders_365d",
    "spend_rel_365d": "customers_spend_365d",
}


def empty_predictions(index: pd.Index) -> pd.DataFrame:
    """NaN predictions (the model files are missing or broken)."""
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


def predict_customers(features: pd.DataFrame, context: ShopContext, *, models_dir=None) -> pd.DataFrame:
    """Predictions for every row of `features` (FEATURE_NAMES, indexed by customer_id).

    Raises ModelUnavailableError when a model file is missing or broken.
    """
    from merchant_ai.ml.registry import load_model

    if features.empty:
        return empty_predictions(features.index)
    raw = {}
    for column, model_name in MODEL_NAMES.items():
        model = load_model(model_name, feature_names=FEATURE_NAMES, models_dir=models_dir)
        output = model.predict(features)
        if "probabilities" in output:
            raw[column] = np.asarray(output["probabilities"])[:, 1]
        elif "variable" in output:
            raw[column] = np.clip(np.asarray(output["variable"], dtype=float), 0.0, None)
        else:  # pragma: no cover - a card/model mismatch
            raise ModelUnavailableError(f"The model {model_name} gives no usable output.")
    p_active = np.clip(raw["p_active_90d"], 0.0, 1.0)
    orders_90 = np.maximum(raw["expected_orders_90d"], p_active)
    orders_365 = np.maximum(raw["expected_orders_365d"], orders_90)
    spend_90 = raw["spend_rel_90d"] * context.median_order_value
    spend_365 = np.maximum(raw["spend_rel_365d"] * context.median_order_value, spend_90)
    return pd.DataFrame({
        "p_active_90d": p_active,
        "expected_orders_90d": orders_90,
        "expected_spend_90d": spend_90,
        "expected_orders_365d": orders_365,
        "clv_365d": spend_365,
        "next_order_in_days": next_order_in_days(orders_90, orders_365),
    }, index=features.index)
