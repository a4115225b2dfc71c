""""How accurate is this on my shop?" for customers: who buys in the 90 days after a date.

The method is the shipped P(buy in 90 days): BG/NBD fitted on the shop's history before the
date. The naive baseline ranks customers by recency alone (the most recent buyers first). Both
are scored on the customers known before the date by ROC-AUC (how well they rank buyers above
non-buyers), PR-AUC and top-decile lift.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merchant_ai.ml.backtest import BacktestSpec, Score
from merchant_ai.ml.features.customers import customer_history, future_labels, purchase_days


def roc_auc(truth: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney; ties count half). NaN with one class only."""
    truth = np.asarray(truth, dtype=bool)
    positives, negatives = int(truth.sum()), int((~truth).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = pd.Series(np.asarray(score, dtype=float)).rank(method="average").to_numpy()
    return float((ranks[truth].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def average_precision(truth: np.ndarray, score: np.ndarray) -> float:
    """PR-AUC as average precision over the ranking by score (highest first)."""
    truth = np.asarray(truth, dtype=bool)
    if truth.sum() == 0:
        return float("nan")
    order = np.argsort(-np.asarray(score, dtype=float), kind="stable")
    hits = truth[order]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def top_decile_lift(truth: np.ndarray, score: np.ndarray) -> float:
    """Share of buyers among the top tenth by score, over the share among everyone."""
    truth = np.asarray(truth, dtype=float)
    if truth.mean() == 0:
        return float("nan")
    top = np.argsort(-np.asarray(score, dtype=float), kind="stable")[: max(1, len(truth) // 10)]
    return float(truth[top].mean() / truth.mean())


def _answer(store, as_of: pd.Timestamp) -> pd.Series:
    from merchant_ai.services.customers.service import analyze_customers

    table = analyze_customers(store, as_of).customers
    table = table.loc[table["orders_count"].notna()]
    return table.set_index("customer_id")["p_active_90d"]


def _recency_baseline(store, as_of: pd.Timestamp) -> pd.Series:
    from merchant_ai.services.customers.service import store_orders

    history = customer_history(purchase_days(store_orders(store, as_of)), as_of)
    return -history["recency_days"]


def _score(store, answer: pd.Series, as_of: pd.Timestamp, until: pd.Timestamp) -> Score:
    from merchant_ai.services.customers.service import store_orders

    purchases = purchase_days(store_orders(store, until))
    bought = future_labels(purchases, as_of, int((until - as_of).days))["orders"].reindex(answer.index).fillna(0) > 0
    score = answer.fillna(answer.min() if answer.notna().any() else 0.0).to_numpy()
    truth = bought.to_numpy()
    return Score(metrics={"roc_auc": roc_auc(truth, score), "pr_auc": average_precision(truth, score),
                          "top_decile_lift": top_decile_lift(truth, score)},
                 n_evaluated=len(answer))


CUSTOMERS_BACKTEST = BacktestSpec(
    capability="customers", answer=_answer, baseline=_recency_baseline, score=_score,
    primary_metric="roc_auc", higher_is_better=True, horizon_days=90,
    method_label="the prediction (BG/NBD fitted on your customers)", baseline_label="recency alone",
    metric_labels={"roc_auc": "how well it ranks buyers first (ROC-AUC, 0.5 = guessing)",
                   "pr_auc": "precision over the ranking (PR-AUC)",
                   "top_decile_lift": "buyers in the top tenth vs on average (lift)"},
)
