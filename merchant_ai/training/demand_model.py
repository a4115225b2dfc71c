"""Offline build of the demand model (models/demand_forecast.onnx + card).

One global gradient-boosting model (Poisson loss) over many series predicts each day's
expected units divided by the product's own level; the P10/P50/P90 range comes from a
negative binomial around that mean whose variance parameters (kappa, floor_cv) are
calibrated here on a held-out simulated shop by minimising the P10 and P90 pinball losses.
Why a mean model plus calibrated quantiles rather than three quantile models: the mean adds
up over days (a week's expected units are the sum of its days'), which the reorder
arithmetic needs, and one model is a third of the run time; bench/forecast_backtest.py
shows the resulting P10-P90 coverage on real data.

Real data enters training only BEFORE the first cutoff of bench/forecast_backtest.py, so the
benchmark never scores the model on periods it has seen.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.ml.features.demand import FEATURE_NAMES
from merchant_ai.training.demand_calibration import calibrate, holdout_sets, write_calibration
from merchant_ai.training.demand_data import Panel, germany_panel, simulator_panel, training_rows, tuna_panel

MODEL_NAME = "demand_forecast"
MODEL_VERSION = "1.0.0"
HORIZON_DAYS = 28
TUNA_HORIZON_WEEKS = 8
# First benchmark cutoffs (bench/forecast_backtest.py): no real data from here on is trained on.
GERMANY_FIRST_CUTOFF = "2011-09-17"
TUNA_FIRST_CUTOFF_WEEK = 314
TRAIN_SEEDS = (101, 102, 103, 104)
HOLDOUT_SEED = 105
SIM_CONFIGS = [  # several shop sizes: slow movers to busy shops
    {"n_products": 200, "n_customers": 3000, "orders_per_customer_year": 3.0},
    {"n_products": 150, "n_customers": 6000, "orders_per_customer_year": 5.0},
    {"n_products": 120, "n_customers": 9000, "orders_per_customer_year": 6.0},
    {"n_products": 250, "n_customers": 2000, "orders_per_customer_year": 2.0},
]
HGB_PARAMS = {"loss": "poisson", "max_iter": 250, "learning_rate": 0.06, "max_leaf_nodes": 31,
              "min_samples_leaf": 200, "l2_regularization": 0.1, "early_stopping": False}

FEATURE_MEANINGS = dict(zip(FEATURE_NAMES, [
    "day of the horizon (1-28; later days use 28)",
    "log of the product's recent units per day (the scale)",
    "mean of the last 7 days / scale", "mean of the last 28 days / scale",
    "mean of the last 91 days / scale", "mean of the last 365 days / scale",
    "share of days without a sale in the last 28", "days since the last sale / 28 (capped at 4)",
    "log(1 + days since the first sale)", "variance / mean of daily units over 91 days",
    "shop's units on the target weekday / average day (8 weeks)",
    "product's weekday pattern, shrunk to the shop's", "1 if the shop's history says it is closed",
    "product's units a year ago around the day / its level then (1 without a year)",
    "the same for the whole shop", "1 when the product has a year and a month of history",
    "log(planned price / usual price), 0 unknown", "promotion (price 7% under usual, or known)",
    "shop's last 28 days / last 91 days",
], strict=True))


def _origins(first: int, last: int, step: int) -> list[int]:
    return list(range(first, last + 1, step))


def training_panels(seed: int = 0) -> list[tuple[Panel, list[int], int, float]]:
    """(panel, origins, horizon, row weight) for every training source."""
    parts = []
    for sim_seed, config in zip(TRAIN_SEEDS, SIM_CONFIGS):
        panel = simulator_panel(sim_seed + seed, **config)
        T = panel.history.n_days
        parts.append((panel, _origins(70, T - HORIZON_DAYS, 21), HORIZON_DAYS, 1.0))
    germany = germany_panel()
    if germany is not None:
        cutoff = int((pd.Timestamp(GERMANY_FIRST_CUTOFF) - germany.history.start).days)
        parts.append((germany, _origins(56, cutoff - HORIZON_DAYS, 7), HORIZON_DAYS, 1.0))
    tuna = tuna_panel()
    if tuna is not None:
        parts.append((tuna, _origins(52, TUNA_FIRST_CUTOFF_WEEK - TUNA_HORIZON_WEEKS, 2),
                      TUNA_HORIZON_WEEKS, 20.0))
    return parts


def _baselines(panel: Panel, origins: list[int], horizon: int):
    """Seasonal naive (same weekday last week) and 28-day mean, aligned with training_rows."""
    naive, mean28 = [], []
    for origin in origins:
        hist = panel.history.until(origin)
        alive = np.flatnonzero((hist.n_days - hist.first_sale >= 7) & (hist.first_sale < hist.n_days))
        units = hist.units[alive]
        cols = origin - 7 + (np.arange(horizon) % 7)
        naive.append(units[:, cols].reshape(-1))
        mean28.append(np.repeat(units[:, -28:].mean(axis=1), horizon))
    return np.concatenate(naive), np.concatenate(mean28)


def build(out_dir: Path, *, seed: int = 0) -> dict:
    """Train on many series, calibrate the range, export with a parity check; return metrics."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    from merchant_ai.training.export import export_model

    X_parts, y_parts, w_parts, sources = [], [], [], []
    for panel, origins, horizon, weight in training_panels(seed):
        rows = training_rows(panel, origins, horizon)
        if rows is None:
            continue
        X, actual, scale = rows
        X_parts.append(X)
        y_parts.append(actual / scale)
        w_parts.append(np.full(len(X), weight))
        sources.append(f"{panel.name}: {len(X):,} rows")
    X_train = pd.concat(X_parts, ignore_index=True)
    y_train = np.concatenate(y_parts)
    weights = np.concatenate(w_parts)
    model = HistGradientBoostingRegressor(random_state=seed, **HGB_PARAMS)
    model.fit(X_train, y_train, sample_weight=weights)

    holdout = simulator_panel(HOLDOUT_SEED + seed, n_products=150, n_customers=5000,
                              orders_per_customer_year=4.0)
    origins = _origins(400, holdout.history.n_days - HORIZON_DAYS, 28)
    X_hold, actual, scale = training_rows(holdout, origins, HORIZON_DAYS)
    mean = model.predict(X_hold) * scale
    mean = np.where(X_hold["closed_day"].to_numpy() > 0, 0.0, mean)
    naive, mean28 = _baselines(holdout, origins, HORIZON_DAYS)
    total = actual.sum()
    metrics = {
        "holdout": f"simulated shop seed {HOLDOUT_SEED + seed}, {len(origins)} origins x {HORIZON_DAYS} days",
        "wape_model": float(np.abs(actual - mean).sum() / total),
        "wape_seasonal_naive": float(np.abs(actual - naive).sum() / total),
        "wape_mean_28_days": float(np.abs(actual - mean28).sum() / total),
    }
    export_model(
        model, name=MODEL_NAME, version=MODEL_VERSION, X_train=X_train,
        X_holdout=X_hold.iloc[:2000], out_dir=out_dir, tolerance=1e-4,
        card={
            "purpose": "Expected units sold per product and day for the next 28 days, divided by the "
                       "product's own recent level; P10/P50/P90 from a negative binomial calibrated after export "
                       "(see 'calibration').",
            "training_data": "Seeded simulator shops " + ", ".join(sources)
                             + f". Real data only before {GERMANY_FIRST_CUTOFF} (Germany) and week "
                               f"{TUNA_FIRST_CUTOFF_WEEK} (tuna).",
            "metrics": metrics,
            "baselines": "seasonal naive (same weekday last week), mean of the last 28 days",
            "inputs": FEATURE_MEANINGS,
            "outputs": {"variable": "expected units on the target day / product scale (multiply back)"},
            "limits": "Needs at least a week of sales per product (shorter histories borrow from their "
                      "category in the service); days are assumed independent when summing ranges; "
                      "prices after the origin are assumed unchanged unless given.",
        },
    )
    # the range is calibrated on the exported model, through the service's own code path
    calibration = calibrate(out_dir, MODEL_NAME, holdout_sets(HOLDOUT_SEED + seed, GERMANY_FIRST_CUTOFF,
                                                             TUNA_FIRST_CUTOFF_WEEK))
    write_calibration(out_dir, MODEL_NAME, calibration)
    return {**metrics, **calibration}
