"""The export gate of the learned customer models: beat BG/NBD + Gamma-Gamma, or do not ship.

The bar: on every real data set, the learned model's ROC-AUC
of "buys in the 90 days after the evaluation cutoff" must be at least GATE_AUC_GAIN above
the classic models', and its Spearman correlation of predicted vs actual spend in those days
at least GATE_SPEARMAN_GAIN above. The classic side is exactly what the app ships: the
per-shop fit of services/customers/predictions.py on the same calibration history. The split
is the one of bench/customers_eval.py (CDNOW: 39-week calibration; Online Retail Germany: the
last 90 days held out), which training never sees.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from merchant_ai.ml.features.customers import FEATURE_NAMES, customer_history
from merchant_ai.services.customers.predictions import fit_shop, predict_customers
from merchant_ai.training.customers_data import PurchaseHistory, labelled_rows
from merchant_ai.training.export import float32_values

GATE_AUC_GAIN = 0.02
GATE_SPEARMAN_GAIN = 0.03


def _scores(bought: np.ndarray, spend: np.ndarray, p_buy: np.ndarray, spend_pred: np.ndarray) -> dict:
    return {"roc_auc": round(float(roc_auc_score(bought, p_buy)), 4),
            "spend_spearman": round(float(spearmanr(spend_pred, spend).statistic), 4)}


def gate_scores(active_model, spend_model, history: PurchaseHistory) -> dict:
    """Candidate vs shipped BG/NBD + Gamma-Gamma on one history's evaluation split.

    `active_model` has predict_proba (P(buys in 90 days)); `spend_model` has predict (spend in
    90 days, any positive scale: Spearman only uses the ranking)."""
    cutoff = history.evaluation_cutoff
    rows = labelled_rows(history, cutoff)
    X = float32_values(rows[FEATURE_NAMES])
    bought, spend = (rows["orders_90d"] > 0).to_numpy(), rows["spend_90d"].to_numpy(dtype=float)
    past = customer_history(history.purchases, cutoff)
    classic = predict_customers(past, fit_shop(past)).reindex(rows.index)
    candidate = _scores(bought, spend, np.asarray(active_model.predict_proba(X))[:, 1],
                        np.asarray(spend_model.predict(X), dtype=float))
    shipped = _scores(bought, spend, classic["p_active_90d"].to_numpy(), classic["expected_spend_90d"].to_numpy())
    auc_gain = candidate["roc_auc"] - shipped["roc_auc"]
    spearman_gain = candidate["spend_spearman"] - shipped["spend_spearman"]
    return {"customers": len(rows), "candidate": candidate, "bgnbd_gamma_gamma": shipped,
            "roc_auc_gain": round(auc_gain, 4), "spend_spearman_gain": round(spearman_gain, 4),
            "passed": bool(auc_gain >= GATE_AUC_GAIN and spearman_gain >= GATE_SPEARMAN_GAIN)}


def export_gate(active_model, spend_model, histories: list[PurchaseHistory]) -> dict:
    """The gate over every real history; without any real history nothing is proven, so it fails."""
    datasets = {h.name: gate_scores(active_model, spend_model, h) for h in histories}
    return {"required": {"roc_auc_gain": GATE_AUC_GAIN, "spend_spearman_gain": GATE_SPEARMAN_GAIN},
            "datasets": datasets,
            "passed": bool(datasets) and all(d["passed"] for d in datasets.values())}


def gate_report(gate: dict) -> list[str]:
    """Plain lines with the measured margins, one per data set."""
    need = gate["required"]
    lines = [(f"customer models vs BG/NBD + Gamma-Gamma: {'PASSED' if gate['passed'] else 'FAILED'} "
              f"(needs ROC-AUC +{need['roc_auc_gain']} and spend Spearman +{need['spend_spearman_gain']} "
              "on every real data set)")]
    for name, d in gate["datasets"].items():
        lines.append(f"  {name}: ROC-AUC {d['candidate']['roc_auc']} vs {d['bgnbd_gamma_gamma']['roc_auc']} "
                     f"({d['roc_auc_gain']:+.4f}); spend Spearman {d['candidate']['spend_spearman']} vs "
                     f"{d['bgnbd_gamma_gamma']['spend_spearman']} ({d['spend_spearman_gain']:+.4f})")
    if not gate["datasets"]:
        lines.append("  no real data set found in ../shared/data: nothing proves the models beat BG/NBD")
    return lines
