"""Offline training of the pricing prior (models/pricing_elasticity_prior.onnx).

The prior predicts a product's price elasticity from shop-relative product features
(merchant_ai.ml.features.pricing) before its own price history says much. Training data:
simulated shops with known elasticities (seeds 100-105, varied sizes); holdout: seeds 110-111.
The target is the simulator's true elasticity of the product's own choice; in a real shop
the service corrects the level per category with the shop's own estimates.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

from merchant_ai.demo.simulator import SimulationConfig, simulate
from merchant_ai.ml.features.pricing import FEATURE_NAMES, product_features, weekly_sales_panel
from merchant_ai.training.export import export_model

NAME = "pricing_elasticity_prior"
VERSION = "1.0.0"
TRAIN_SEEDS = (100, 101, 102, 103, 104, 105)
HOLDOUT_SEEDS = (110, 111)


def shop_examples(seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Features and true elasticities of every product with sales in one simulated shop."""
    config = SimulationConfig(seed=seed, n_products=120 + 60 * (seed % 3),
                              n_customers=2000 + 1000 * (seed % 2), orders_per_customer_year=5.0)
    sim = simulate(config)
    lines = sim.order_lines.merge(sim.orders[["order_id", "created_at", "customer_id"]], on="order_id")
    panel = weekly_sales_panel(lines)
    features = product_features(panel, lines, sim.products)
    truth = sim.products_truth.set_index("sku")["elasticity"].reindex(features.index)
    return features, truth.to_numpy(float)


def _stack(seeds) -> tuple[pd.DataFrame, np.ndarray]:
    parts = [shop_examples(seed) for seed in seeds]
    features = pd.concat([p[0] for p in parts], ignore_index=True)
    # train on float32-exact values: tree thresholds then compare the same way in ONNX (float32)
    return features.astype(np.float32).astype(np.float64), np.concatenate([p[1] for p in parts])


def build(out_dir: Path, *, seed: int = 0) -> dict:
    """Train, compare with the constant baseline on held-out shops, export with its card."""
    X_train, y_train = _stack(TRAIN_SEEDS)
    X_holdout, y_holdout = _stack(HOLDOUT_SEEDS)
    model = HistGradientBoostingRegressor(max_depth=3, max_iter=150, learning_rate=0.05,
                                          min_samples_leaf=30, random_state=seed).fit(X_train, y_train)
    predicted = model.predict(X_holdout)
    constant = float(np.mean(y_train))
    metrics = {
        "holdout_products": len(y_holdout),
        "mae": round(float(np.mean(np.abs(predicted - y_holdout))), 4),
        "baseline_mae_training_mean": round(float(np.mean(np.abs(constant - y_holdout))), 4),
        "rank_correlation": round(float(pd.Series(predicted).corr(pd.Series(y_holdout), method="spearman")), 4),
    }
    export_model(
        model, name=NAME, version=VERSION, X_train=X_train, X_holdout=X_holdout, out_dir=out_dir,
        tolerance=1e-4,
        card={
            "purpose": "Prior price elasticity of a product from its price level, sales level, "
                       "volatility, seasonality and repeat buying, before its own price history says much.",
            "training_data": f"Simulated shops (merchant_ai.demo.simulator) seeds {TRAIN_SEEDS}; holdout seeds "
                             f"{HOLDOUT_SEEDS}; target: the simulator's true elasticity.",
            "metrics": metrics,
            "baselines": {"baseline_mae_training_mean": "predict the training average elasticity for every product"},
            "inputs": {name: "see merchant_ai/ml/features/pricing.py" for name in FEATURE_NAMES},
            "outputs": {"variable": "elasticity (negative: units fall when the price rises)"},
            "limits": "Learned from simulated shops only, so it knows the simulator's link between price level, "
                      "seasonality and elasticity, not a real shop's. The pricing service therefore uses it "
                      "only as a prior, corrects its level per category with the shop's own estimates, and "
                      "lets a product's own price history override it.",
        },
    )
    return metrics
