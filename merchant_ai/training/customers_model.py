"""Offline build of the learned customer models (models/customers_*.onnx + cards), behind a gate.

Five gradient-boosting models over the shop-relative features of
`merchant_ai.ml.features.customers` (which stack the outputs and parameters of BG/NBD +
Gamma-Gamma fitted on each shop's own customers at each cutoff, so the trees only have to learn
corrections to the classic models), each answering one question about the days after a
cutoff: will the customer buy in the next 90 days (classifier), and how many orders and how
much spend in the next 90 and 365 days (Poisson regressors; spend is in units of the shop's
median order value, so one model serves shops of any price level).

Training rows are (customer, cutoff) pairs with time-split labels from the simulator (several
seeds and shop shapes) and the real CDNOW and Online Retail Germany histories. Real data enters
training only through label windows that END BEFORE the evaluation cutoff of
bench/customers_eval.py, and the simulator seeds the benchmark scores on are never trained on,
so the benchmark never scores a model on customers' futures it has seen.

The rule: the learned models must beat the classic BG/NBD + Gamma-Gamma models, or
they do not ship. `build` first trains the two models the gate scores (P(buy in 90 days) and
90-day spend) and runs training/customers_gate.py; when the gate fails it prints the measured
margins, exports nothing and removes any earlier customer models from the output folder (the
app then ships the per-shop BG/NBD + Gamma-Gamma fit, as it does today). Kept for future work.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import roc_auc_score

from merchant_ai.ml.features.customers import FEATURE_NAMES
from merchant_ai.training.customers_data import (
    PurchaseHistory,
    labelled_rows,
    load_cdnow,
    load_online_retail_germany,
    load_simulated,
    training_cutoffs,
)
from merchant_ai.training.customers_gate import export_gate, gate_report
from merchant_ai.training.export import export_model, float32_values
from merchant_ai.training.model_cards import write_models_readme

MODEL_VERSION = "1.0.0"
TRAIN_SIM_SEEDS = (1, 2, 3, 4, 5, 6)
EVAL_SIM_SEEDS = (100, 101)          # bench only; never trained on
SPEND_CAP_ORDERS = 100.0             # a customer's future spend is capped at 100 median orders
REAL_ROW_WEIGHT = 6.0                # real shops count more than simulated ones (measured: 3 < 6-10)
REAL_STEP_DAYS, SIM_STEP_DAYS = 21, 45  # cutoff spacing: real histories are few, so they get more cutoffs
HORIZONS = (90, 365)

# model name -> (target column, kind)
TARGETS: dict[str, tuple[str, str]] = {
    "customers_active_90d": ("bought_90d", "classifier"),
    "customers_orders_90d": ("orders_90d", "regressor"),
    "customers_spend_90d": ("spend_rel_90d", "regressor"),
    "customers_orders_365d": ("orders_365d", "regressor"),
    "customers_spend_365d": ("spend_rel_365d", "regressor"),
}
GATE_MODELS = ("customers_active_90d", "customers_spend_90d")  # the two the export gate scores
HGB_COMMON = {"max_iter": 200, "learning_rate": 0.06, "max_leaf_nodes": 15, "min_samples_leaf": 80,
              "l2_regularization": 1.0, "early_stopping": False}


def real_histories() -> list[PurchaseHistory]:
    """The real public histories that are present in ../shared/data."""
    found = []
    for loader in (load_cdnow, load_online_retail_germany):
        try:
            found.append(loader())
        except FileNotFoundError:
            continue
    return found


def history_rows(history: PurchaseHistory, *, real: bool) -> pd.DataFrame:
    """Labelled rows of one history. Real data: only label windows ending before its evaluation
    cutoff. Simulated training seeds: the whole history."""
    before = history.evaluation_cutoff if real else history.last_day + pd.Timedelta(days=1)
    step_days = REAL_STEP_DAYS if real else SIM_STEP_DAYS
    parts = [labelled_rows(history, cutoff) for cutoff in training_cutoffs(history, before=before, step_days=step_days)]
    rows = pd.concat(parts) if parts else pd.DataFrame()
    rows["weight"] = REAL_ROW_WEIGHT if real else 1.0
    return rows


def add_targets(rows: pd.DataFrame) -> pd.DataFrame:
    """The training targets next to the raw labels."""
    rows = rows.copy()
    rows["bought_90d"] = (rows["orders_90d"] > 0).astype(int)
    for horizon in HORIZONS:
        rows[f"spend_rel_{horizon}d"] = (rows[f"spend_{horizon}d"] / rows["shop_median_order_value"]).clip(
            lower=0.0, upper=SPEND_CAP_ORDERS)
    return rows


def training_table(histories: list[PurchaseHistory], sim_seeds=TRAIN_SIM_SEEDS) -> pd.DataFrame:
    """All training rows: simulated seeds (whole histories) and real histories (before their
    evaluation cutoffs)."""
    parts = [history_rows(load_simulated(seed), real=False) for seed in sim_seeds]
    parts += [history_rows(history, real=True) for history in histories]
    return add_targets(pd.concat(parts))


def fit_target(rows: pd.DataFrame, model_name: str, *, seed: int = 0):
    """Fit one model on the rows whose target is known (365-day labels need a full year)."""
    target, kind = TARGETS[model_name]
    known = rows.loc[rows[target].notna()]
    X = float32_values(known[FEATURE_NAMES])
    if kind == "classifier":
        estimator = HistGradientBoostingClassifier(random_state=seed, **HGB_COMMON)
    else:
        estimator = HistGradientBoostingRegressor(loss="poisson", random_state=seed, **HGB_COMMON)
    return estimator.fit(X, known[target], sample_weight=known["weight"])


def holdout_metrics(estimator, model_name: str, holdout: pd.DataFrame) -> dict:
    """Model vs the recency-alone baseline on the held-out rows of each source."""
    target, kind = TARGETS[model_name]
    metrics = {}
    for source, rows in holdout.groupby("source"):
        rows = rows.loc[rows[target].notna()]
        if rows.empty:
            continue
        X = float32_values(rows[FEATURE_NAMES])
        if kind == "classifier":
            truth = rows[target]
            if truth.nunique() < 2:
                continue
            metrics[source] = {
                "roc_auc": round(float(roc_auc_score(truth, estimator.predict_proba(X)[:, 1])), 4),
                "roc_auc_recency_baseline": round(float(roc_auc_score(truth, -rows["recency_days"])), 4),
                "customers": len(rows),
            }
        else:
            predicted = estimator.predict(X)
            metrics[source] = {
                "mae": round(float(np.mean(np.abs(predicted - rows[target]))), 4),
                "mae_baseline_past_rate": round(float(np.mean(np.abs(_past_rate_baseline(rows, target)
                                                                     - rows[target]))), 4),
                "customers": len(rows),
            }
    return metrics


def _past_rate_baseline(rows: pd.DataFrame, target: str) -> pd.Series:
    """Naive baseline: the customer's past rate carried forward over the horizon."""
    horizon = 365.0 if target.endswith("365d") else 90.0
    per_day = rows["orders_count"] / rows["tenure_days"].clip(lower=1.0)
    if target.startswith("spend"):
        per_day = per_day * rows["mean_order_value_rel"]
    return per_day * horizon


def holdout_table(histories: list[PurchaseHistory]) -> pd.DataFrame:
    """Rows at each real history's evaluation cutoff and at the simulated evaluation seeds'."""
    parts = [labelled_rows(h, h.evaluation_cutoff) for h in histories]
    for seed in EVAL_SIM_SEEDS:
        sim = load_simulated(seed)
        parts.append(labelled_rows(sim, sim.evaluation_cutoff - pd.Timedelta(days=275)))  # room for 365 days
    return add_targets(pd.concat(parts))


def build(out_dir: Path, *, seed: int = 0) -> dict:
    """Train the customer models and export them only if they pass the gate against BG/NBD +
    Gamma-Gamma; returns the gate and, when exported, the held-out metrics."""
    histories = real_histories()
    return build_from(training_table(histories), histories, out_dir, seed=seed)


def build_from(table: pd.DataFrame, histories: list[PurchaseHistory], out_dir: Path, *, seed: int = 0) -> dict:
    """`build` on a given training table and the real histories the gate scores on."""
    gate_estimators = {name: fit_target(table, name, seed=seed) for name in GATE_MODELS}
    gate = export_gate(*gate_estimators.values(), histories)
    print("\n".join(gate_report(gate)), file=sys.stderr)
    if not gate["passed"]:
        removed = _remove_customer_models(Path(out_dir))
        return {"exported": [], "removed": removed, "gate": gate}
    holdout = holdout_table(histories)
    sources = sorted(set(table["source"]))
    results = {}
    for model_name, (target, kind) in TARGETS.items():
        estimator = gate_estimators[model_name] if model_name in gate_estimators else fit_target(
            table, model_name, seed=seed)
        metrics = holdout_metrics(estimator, model_name, holdout)
        known = holdout.loc[holdout[target].notna()]
        export_model(
            estimator, name=model_name, version=MODEL_VERSION,
            X_train=float32_values(table[FEATURE_NAMES]), X_holdout=float32_values(known[FEATURE_NAMES].head(2000)),
            out_dir=out_dir, tolerance=1e-4,
            card={
                "purpose": _PURPOSES[model_name],
                "training_data": (f"{len(table):,} (customer, cutoff) rows from {', '.join(sources)}; cutoffs every "
                                  f"{REAL_STEP_DAYS} days (real) / {SIM_STEP_DAYS} days (simulated), real rows "
                                  f"weighted x{REAL_ROW_WEIGHT:g}. Real data only through label windows ending before the evaluation "
                                  "cutoff of bench/customers_eval.py (CDNOW 1997-10-01, Online Retail Germany "
                                  "the last 90 days); simulated seeds "
                                  f"{list(EVAL_SIM_SEEDS)} are held out."),
                "metrics": metrics | {"gain_over_bgnbd_gamma_gamma": {
                    name: {"roc_auc": d["roc_auc_gain"], "spend_spearman": d["spend_spearman_gain"]}
                    for name, d in gate["datasets"].items()}},
                "baselines": ("recency alone (classifier) / the customer's past rate carried forward "
                              "(regressors); BG/NBD + Gamma-Gamma and the RFM score are compared in "
                              "bench/customers_eval.py"),
                "outputs": {"probabilities" if kind == "classifier" else "variable": _OUTPUTS[model_name]},
                "limits": ("Needs at least one purchase per customer; one model for all shops, so a shop "
                           "unlike CDNOW, UCI Online Retail and the simulator may be served less well. With "
                           "under ~200 customers or 6 months of history predictions are uncertain."),
            },
        )
        results[model_name] = metrics
    return {"exported": list(TARGETS), "gate": gate, "metrics": results}


def _remove_customer_models(out_dir: Path) -> list[str]:
    """Delete earlier customer model files from out_dir (they failed the gate now) and refresh
    its README; returns the file names removed."""
    removed = []
    for model_name in TARGETS:
        for path in (out_dir / f"{model_name}.onnx", out_dir / f"{model_name}.json"):
            if path.is_file():
                path.unlink()
                removed.append(path.name)
    if removed:
        write_models_readme(out_dir)
    return removed


_PURPOSES = {
    "customers_active_90d": "Probability that a customer orders at least once in the next 90 days.",
    "customers_orders_90d": "Expected number of orders (days with an order) of a customer in the next 90 days.",
    "customers_spend_90d": "Expected spend of a customer in the next 90 days, in shop median orders.",
    "customers_orders_365d": "Expected number of orders (days with an order) of a customer in the next 365 days.",
    "customers_spend_365d": "Expected spend of a customer in the next 365 days (CLV), in shop median orders.",
}
_OUTPUTS = {
    "customers_active_90d": "columns [P(no order), P(at least one order)] in the next 90 days",
    "customers_orders_90d": "expected orders in the next 90 days",
    "customers_spend_90d": "expected spend in the next 90 days / the shop's median order value",
    "customers_orders_365d": "expected orders in the next 365 days",
    "customers_spend_365d": "expected spend in the next 365 days / the shop's median order value",
}
