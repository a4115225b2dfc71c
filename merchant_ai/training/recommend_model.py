"""Offline training of the recommendation ranker (models/recommend.onnx).

Examples: for each shop and cutoff, every customer with purchases on both sides of the
cutoff, every candidate the generators propose; label 1 if the customer bought that product
in the 90 days after the cutoff. Shops: simulated stores (seeds 11-16) and the real UCI
Online Retail Germany rows *before* 2011-09-01 only (monthly cutoffs 2011-01-01 to 2011-06-01,
so the last 90-day window ends 2011-08-30): the benchmark's test period (from 2011-09-01) stays
unseen. Holdout for the gate: simulator seeds 21-22 at the standard cutoff. The ranker ships
only if it beats every generator alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

from merchant_ai.ml.features.recommend import candidate_features
from merchant_ai.services.recommend.candidates import GENERATORS, candidate_batch
from merchant_ai.training.recommend_data import ONLINE_RETAIL_CUTOFF, online_retail_germany, simulator_shop
from merchant_ai.training.recommend_eval import (
    Split,
    evaluate_ranker,
    evaluate_scores,
    make_split,
    peer_scores,
)

VERSION = "1.1.0"
WINDOW_DAYS = 90
TRAIN_SEEDS = (11, 12, 13, 14, 15, 16)
HOLDOUT_SEEDS = (21, 22)
SIM_CUTOFFS = ("2025-11-01", "2026-03-01", "2026-06-01")
# every window ends before the benchmark's test period starts (2011-06-01 + 90 days = 2011-08-30)
GERMANY_CUTOFFS = ("2011-01-01", "2011-02-01", "2011-03-01", "2011-04-01", "2011-05-01", "2011-06-01")


def examples(split: Split) -> tuple[pd.DataFrame, np.ndarray]:
    """Features and labels of every candidate of the split's customers."""
    batch = candidate_batch(split.stats, split.customers, item_category=split.item_category)
    truth = dict(zip(split.customers.tolist(), split.truth))
    labels = np.array([item in truth[c] for c, item in zip(batch.customers.tolist(), batch.items.tolist())])
    return candidate_features(batch.raw), labels.astype(int)


def training_splits() -> list[Split]:
    splits = []
    for seed in TRAIN_SEEDS:
        # vary the shop's shape so the ranker does not learn one catalogue size
        shop = simulator_shop(seed, n_customers=1500 + 500 * (seed % 4), n_products=150 + 100 * (seed % 3))
        splits += [make_split(shop, pd.Timestamp(c), WINDOW_DAYS) for c in SIM_CUTOFFS]
    germany = online_retail_germany()
    if germany is not None:
        splits += [make_split(germany, cutoff, WINDOW_DAYS) for cutoff in germany_cutoffs()]
    return splits


def germany_cutoffs(cutoffs=GERMANY_CUTOFFS) -> list[pd.Timestamp]:
    """The Germany training cutoffs; refuses any whose label window reaches the benchmark's
    test period (training on it would be leakage)."""
    out = [pd.Timestamp(c) for c in cutoffs]
    for cutoff in out:
        if cutoff + pd.Timedelta(days=WINDOW_DAYS) > ONLINE_RETAIL_CUTOFF:
            raise ValueError(f"Germany window from {cutoff.date()} reaches the benchmark's test period")
    return out


def holdout_splits() -> list[Split]:
    return [make_split(simulator_shop(seed), pd.Timestamp("2026-08-01"), WINDOW_DAYS) for seed in HOLDOUT_SEEDS]


def fit_ranker(splits: list[Split], seed: int = 0) -> HistGradientBoostingClassifier:
    parts = [examples(s) for s in splits]
    # train on exactly the float32 values ONNX will see, so both branch alike
    X = pd.concat([p[0] for p in parts], ignore_index=True).astype(np.float32).astype(np.float64)
    y = np.concatenate([p[1] for p in parts])
    # 120 trees: scoring every candidate of 50,000 customers has to stay within seconds
    model = HistGradientBoostingClassifier(max_iter=120, learning_rate=0.1, max_leaf_nodes=31,
                                           min_samples_leaf=40, l2_regularization=1.0, random_state=seed)
    return model.fit(X, y)


def gate_metrics(model, splits: list[Split]) -> dict:
    """NDCG@10 etc. of the ranker and of each generator alone on held-out splits, averaged."""

    def scorer(features: pd.DataFrame) -> np.ndarray:
        return model.predict_proba(features)[:, 1]

    results: dict[str, dict] = {}
    for view, new_only in (("all_items", False), ("new_items", True)):
        rows = {"ranker": [evaluate_ranker(s, scorer, new_only) for s in splits]}
        for name in GENERATORS:
            rows[name] = [evaluate_scores(s, lambda st, c, n=name: peer_scores(st, c, n), new_only) for s in splits]
        results[view] = {method: {metric: float(np.mean([r[metric] for r in runs]))
                                  for metric in ("hr@10", "recall@10", "ndcg@10")}
                         for method, runs in rows.items()}
    return results


def beats_every_generator(metrics: dict) -> bool:
    return all(metrics[view]["ranker"]["ndcg@10"] > max(metrics[view][g]["ndcg@10"] for g in GENERATORS)
               for view in metrics)


def build(out_dir: Path, *, seed: int = 0) -> dict:
    """Train, gate against the generators, export models/recommend.onnx + card."""
    from merchant_ai.training.export import export_model

    splits = training_splits()
    model = fit_ranker(splits, seed)
    holdout = holdout_splits()
    metrics = gate_metrics(model, holdout)
    if not beats_every_generator(metrics):
        raise RuntimeError(f"The ranker does not beat every generator alone on the holdout; not shipped: {metrics}")
    X_train = examples(splits[0])[0]
    X_holdout = examples(holdout[0])[0]
    export_model(
        model, name="recommend", version=VERSION, X_train=X_train, X_holdout=X_holdout,
        out_dir=out_dir, tolerance=1e-4,
        card={
            "purpose": "Orders a customer's recommendation candidates (repeat purchases, co-purchases, "
                       "similar items, recent best sellers) by the chance they buy each in the next 90 days.",
            "training_data": "Simulated stores (seeds 11-16, three cutoffs each) and UCI Online Retail Germany "
                             "before 2011-09-01 (monthly cutoffs 2011-01-01 to 2011-06-01; the last window ends "
                             "2011-08-30), 90-day windows.",
            "metrics": metrics,
            "baselines": {g: "that candidate generator alone" for g in GENERATORS},
            "limits": "Needs a few hundred orders with customer ids; customers with no history get the "
                      "shop's recent best sellers. Trained on gift/home-goods style baskets.",
            "outputs": {"probabilities": "column 1: chance the customer buys the product within 90 days"},
        },
    )
    return metrics
