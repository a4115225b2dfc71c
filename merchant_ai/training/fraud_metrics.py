"""How well a fraud score separates injected fraud from legitimate orders, and the two peers.

Peers: an IsolationForest fitted per shop on the same features (what an
unsupervised anomaly detector alone gives), and the count of risk-raising indicators.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_curve

from merchant_ai.ml.features.fraud import CONTINUOUS_FEATURES
from merchant_ai.ml.features.fraud_indicators import INDICATORS


def recall_at_fpr(y: np.ndarray, score: np.ndarray, fpr: float = 0.01) -> float:
    """Share of fraud caught when at most `fpr` of legitimate orders are flagged."""
    false_pos, true_pos, _ = roc_curve(y, score)
    allowed = false_pos <= fpr + 1e-12
    return float(true_pos[allowed].max()) if allowed.any() else 0.0


def score_metrics(y: np.ndarray, score: np.ndarray) -> dict:
    return {"pr_auc": round(float(average_precision_score(y, score)), 4),
            "recall_at_1pct_fpr": round(recall_at_fpr(y, score, 0.01), 4),
            "fraud_orders": int(y.sum()), "legit_orders": int((~y.astype(bool)).sum())}


def isolation_forest_scores(X: pd.DataFrame, *, seed: int) -> np.ndarray:
    """The anomaly peer: IsolationForest fitted on this shop's own orders (higher = more anomalous)."""
    forest = IsolationForest(n_estimators=200, random_state=seed, n_jobs=1)
    values = X.to_numpy(dtype=np.float64)
    forest.fit(values)
    return -forest.score_samples(values)


def indicator_count(X: pd.DataFrame) -> np.ndarray:
    """The indicator peer: how many risk-raising indicators fire, minus the lowering ones (tie-break)."""
    raising = [f"flag_{s.key}" for s in INDICATORS if s.effect == "raises"]
    lowering = [f"flag_{s.key}" for s in INDICATORS if s.effect == "lowers"]
    return X[raising].sum(axis=1).to_numpy() - 0.1 * X[lowering].sum(axis=1).to_numpy()


def anomaly_inputs(X: pd.DataFrame) -> pd.DataFrame:
    """The features the IsolationForest peer sees: the same continuous features as the model."""
    return X[CONTINUOUS_FEATURES]
