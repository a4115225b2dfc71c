"""Offline training of the order-risk model (models/fraud.onnx).

Examples: every sale of 36 simulated shops of random shapes (TRAIN_SEEDS, innocent oddities
added, some export fields blanked per shop) and of the non-German rows of the UCI first-5000
extract (real legitimate orders), each with fraud injected (card testing, foreign high-value
first orders, reseller spikes, account takeover, discount abuse). Holdout for the card and the
parity check: the last HOLDOUT_SHOPS simulated shops, never trained on. The benchmark
(bench/fraud_eval.py) uses other seeds and the real German orders.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

from merchant_ai.ml.features.fraud import FEATURE_NAMES
from merchant_ai.training.fraud_data import LabelledShop, training_shops
from merchant_ai.training.fraud_metrics import (
    anomaly_inputs,
    indicator_count,
    isolation_forest_scores,
    score_metrics,
)

VERSION = "1.0.0"
HOLDOUT_SHOPS = 6


def stack(shops: list[LabelledShop]) -> tuple[pd.DataFrame, np.ndarray]:
    X = pd.concat([s.features.X for s in shops], ignore_index=True)
    return X, np.concatenate([s.is_fraud for s in shops]).astype(int)


def fit(X: pd.DataFrame, y: np.ndarray, seed: int = 0) -> HistGradientBoostingClassifier:
    model = HistGradientBoostingClassifier(max_iter=250, learning_rate=0.06, max_leaf_nodes=15,
                                           min_samples_leaf=30, l2_regularization=1.0, random_state=seed)
    return model.fit(X, y)


def holdout_metrics(model, shops: list[LabelledShop], seed: int) -> dict:
    """Model, IsolationForest peer and indicator-count peer on the same held-out shops."""
    X, y = stack(shops)
    forest = np.concatenate([isolation_forest_scores(anomaly_inputs(s.features.X), seed=seed) for s in shops])
    return {"model": score_metrics(y, model.predict_proba(X)[:, 1]),
            "isolation_forest_peer": score_metrics(y, forest),
            "indicator_count_peer": score_metrics(y, indicator_count(X))}


def build(out_dir: Path, *, seed: int = 0) -> dict:
    from merchant_ai.training.export import export_model

    shops = training_shops()
    simulated = [s for s in shops if s.name.startswith("simulator")]
    holdout = simulated[-HOLDOUT_SHOPS:]
    train = [s for s in shops if s not in holdout]
    X_train, y_train = stack(train)
    model = fit(X_train, y_train, seed)
    metrics = holdout_metrics(model, holdout, seed)
    X_holdout, _ = stack(holdout)
    export_model(
        model, name="fraud", version=VERSION, X_train=X_train, X_holdout=X_holdout[FEATURE_NAMES],
        out_dir=out_dir, tolerance=1e-4,
        card={
            "purpose": "Probability that an order is fraud (card testing, stolen cards shipped abroad, "
                       "reseller spikes, account takeover, discount abuse), from shop-relative order "
                       "features and indicator flags. The app shows 100 x probability as the risk score.",
            "training_data": f"{len(train)} shops: simulated shops (seeds {train[0].name.split()[-1]}.., random "
                             "size, basket, guest share, currency scale and missing export fields, innocent "
                             "oddities added) and the non-German UCI Online Retail first-5000 rows (real "
                             f"legitimate orders), each with injected fraud; {int(y_train.sum())} fraud of "
                             f"{len(y_train)} orders.",
            "metrics": {"holdout": f"{HOLDOUT_SHOPS} simulated shops not trained on", **metrics},
            "baselines": {"isolation_forest_peer": "IsolationForest fitted per shop on the same features",
                          "indicator_count_peer": "number of risk-raising indicators"},
            "outputs": {"label": "1 = fraud", "probabilities": "[P(legit), P(fraud)]"},
            "limits": "Trained on simulated fraud patterns, not on real chargebacks; a pattern unlike "
                      "these (e.g. friendly fraud by a loyal customer) gets a low score. Needs a few "
                      "hundred orders of history for the shop-relative features to mean something.",
        },
    )
    return metrics
