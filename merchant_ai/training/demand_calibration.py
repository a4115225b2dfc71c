"""Calibrating the P10-P90 range of the exported demand model, through the service's own code.

After export, the shipped ONNX model forecasts held-out periods exactly as the app does
(merchant_ai.services.forecast.core), and the two variance parameters (kappa, floor_cv) are
chosen so the P10-P90 coverage is nearest 80% on average over the held-out sets, ties broken
by the P10 and P90 pinball losses (each set's divided by its mean units). Pinball alone picked
a range too narrow for the weekly tuna (68% coverage). Coverage is measured with the
randomized PIT (pit_inside_share): plain coverage of sparse daily sales barely moves with the
range, because every day that sells nothing counts as inside once a zero is at all likely. Held-out periods: a simulated
shop never trained on, and the real data's last periods BEFORE the benchmark's first cutoff.
The result goes into the card ("calibration"), which the service reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.ml.demand_distribution import count_quantiles, forecast_variance
from merchant_ai.training.demand_data import Panel, germany_panel, simulator_panel, tuna_panel

KAPPAS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
FLOORS = (0.0, 0.05, 0.1, 0.2, 0.3)
TARGET_COVERAGE = 0.80


def pinball(actual: np.ndarray, predicted: np.ndarray, q: float) -> float:
    diff = actual - predicted
    return float(np.mean(np.maximum(q * diff, (q - 1) * diff)))


def pit_inside_share(actual: np.ndarray, mean: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """Expected share of each count's randomized PIT (uniform on [F(y-1), F(y)]) that falls in
    [0.1, 0.9]: the coverage of the P10-P90 range for count data (Czado, Gneiting & Held 2009).
    A calibrated forecast scores 0.80 however many days sell nothing, where plain coverage
    counts every zero day as inside once the chance of a zero exceeds 10%."""
    from scipy import stats

    mean = np.nan_to_num(np.maximum(mean, 1e-9))
    excess = np.nan_to_num(variance) - mean
    poisson = excess <= 1e-6 * mean
    r = mean**2 / np.where(poisson, 1.0, excess)
    nbinom = stats.nbinom(r, r / (r + mean))
    lower = np.where(poisson, stats.poisson.cdf(actual - 1, mean), nbinom.cdf(actual - 1))
    upper = np.where(poisson, stats.poisson.cdf(actual, mean), nbinom.cdf(actual))
    overlap = np.clip(np.minimum(upper, 0.9) - np.maximum(lower, 0.1), 0.0, None)
    return np.where(upper - lower > 1e-12, overlap / np.maximum(upper - lower, 1e-12),
                    ((lower >= 0.1) & (lower <= 0.9)).astype(float))


def holdout_sets(holdout_seed: int, germany_cutoff: str, tuna_cutoff_week: int) -> list[tuple[Panel, list[int], int]]:
    """(panel, origins, horizon) of the held-out periods."""
    sets = []
    sim = simulator_panel(holdout_seed, n_products=150, n_customers=5000, orders_per_customer_year=4.0)
    T = sim.history.n_days
    sets.append((sim, [T - 28 * k for k in (3, 2, 1)], 28))
    germany = germany_panel()
    if germany is not None:
        cutoff = int((pd.Timestamp(germany_cutoff) - germany.history.start).days)
        sets.append((germany, [cutoff - 28 * k for k in (3, 2, 1)], 28))
    tuna = tuna_panel()
    if tuna is not None:
        sets.append((tuna, [tuna_cutoff_week - 8 * k for k in (3, 2, 1)], 8))
    return sets


def _collect(panel: Panel, origins: list[int], horizon: int):
    from merchant_ai.services.forecast.core import NONE, forecast_history

    means, actuals, dispersions, scales = [], [], [], []
    for origin in origins:
        price, promo = panel.future(origin, horizon)
        past_price = None if panel.prices is None else panel.prices[:, :origin]
        past_promo = None if panel.promo is None else panel.promo[:, :origin]
        arrays = forecast_history(panel.history.until(origin), horizon, future_price=price, future_promo=promo,
                                  past_price=past_price, past_promo=past_promo)
        rows = np.array([b != NONE for b in arrays.basis])
        means.append(arrays.mean[rows].ravel())
        actuals.append(panel.history.units[rows, origin:origin + horizon].ravel())
        dispersions.append(np.repeat(arrays.dispersion[rows], horizon))
        scales.append(np.repeat(arrays.stats.scale[rows], horizon))
    return [np.concatenate(part) for part in (means, actuals, dispersions, scales)]


def calibrate(models_dir: Path, model_name: str, sets: list[tuple[Panel, list[int], int]]) -> dict:
    """Choose kappa and floor_cv with the exported model in `models_dir`; per-set coverage too."""
    from merchant_ai.ml import registry

    previous = os.environ.get("MERCHANT_AI_MODELS_DIR")
    os.environ["MERCHANT_AI_MODELS_DIR"] = str(models_dir)
    registry.clear_cache()
    try:
        data = [(panel.name, *_collect(panel, origins, horizon)) for panel, origins, horizon in sets]
    finally:
        if previous is None:
            os.environ.pop("MERCHANT_AI_MODELS_DIR", None)
        else:
            os.environ["MERCHANT_AI_MODELS_DIR"] = previous
        registry.clear_cache()
    best = None
    for kappa in KAPPAS:
        for floor_cv in FLOORS:
            loss, coverage = 0.0, {}
            for name, mean, actual, dispersion, scale in data:
                var = forecast_variance(mean, dispersion, scale, kappa=kappa, floor_cv=floor_cv)
                q = count_quantiles(mean, var)
                level = max(float(np.mean(actual)), 1e-6)
                loss += (pinball(actual, q[:, 0], 0.1) + pinball(actual, q[:, 2], 0.9)) / level
                trading = mean > 0   # closed days have a 0-0 range by construction
                coverage[name] = round(float(np.mean(pit_inside_share(actual[trading], mean[trading],
                                                                      var[trading]))), 4)
            # first: P10-P90 coverage nearest 80% on average (to 0.01); then the sharper range
            miss = round(float(np.mean([abs(c - TARGET_COVERAGE) for c in coverage.values()])), 2)
            if best is None or (miss, loss) < best[0]:
                best = ((miss, loss), {"kappa": kappa, "floor_cv": floor_cv,
                                       "holdout_p10_p90_pit_coverage": coverage})
    return best[1]


def write_calibration(models_dir: Path, model_name: str, calibration: dict) -> None:
    """Put the calibration into the model's card and refresh models/README.md."""
    from merchant_ai.training.model_cards import write_models_readme

    path = Path(models_dir) / f"{model_name}.json"
    card = json.loads(path.read_text(encoding="utf-8"))
    card["calibration"] = {"kappa": calibration["kappa"], "floor_cv": calibration["floor_cv"],
                           "method": "P10-P90 coverage (randomized PIT) nearest 80% on held-out periods "
                                     "(ties: P10+P90 pinball), through the service code",
                           "holdout_p10_p90_pit_coverage": calibration["holdout_p10_p90_pit_coverage"]}
    path.write_text(json.dumps(card, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    write_models_readme(Path(models_dir))
