"""Store-free: ordering a customer's candidates: the prebuilt ranker, or a rule blend when it is missing.

`rank_customers` runs the generators for batches of customers, builds the shared features,
scores them and keeps each customer's top-k. The scorer is any function from the feature
frame to one score per row, so training, the benchmark and the app use the same path.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from merchant_ai.ml.features.recommend import FEATURE_NAMES, candidate_features
from merchant_ai.services.recommend.candidates import PER_GENERATOR, candidate_batch
from merchant_ai.services.recommend.shop_stats import ShopStats

Scorer = Callable[[pd.DataFrame], np.ndarray]
MODEL_NAME = "recommend"
REASON_COLUMNS = ["own_orders", "days_since_bought", "item_gap_days", "cooc_sum", "cosine_sum", "recent_share"]


def rule_scorer(features: pd.DataFrame) -> np.ndarray:
    """Fallback when the model file is unavailable: repeat habit, then co-purchase, then trend."""
    return (2.0 * features["own_order_share"] + 0.5 * features["item_repeat_rate"] * features["bought_before"]
            + 0.6 * features["cooc_rank_recip"] + 0.4 * features["cosine_rank_recip"]
            + 0.3 * (1.0 - features["popular_rank_pct"])).to_numpy()


def model_scorer(models_dir=None) -> tuple[Scorer, str]:
    """The ONNX ranker as a scorer and a label naming it; the rule blend if it cannot load."""
    from merchant_ai.errors import ModelUnavailableError
    from merchant_ai.ml.registry import load_model

    try:
        model = load_model(MODEL_NAME, feature_names=FEATURE_NAMES, models_dir=models_dir)
    except ModelUnavailableError as exc:
        return rule_scorer, f"rule blend ({exc.message})"

    def score(features: pd.DataFrame) -> np.ndarray:
        return model.predict(features)["probabilities"][:, 1]

    return score, f"model {model.name} {model.version}"


def top_per_group(groups: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Row indices of the k best scores of each group, best first within the group."""
    order = np.lexsort((-scores, groups))
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    position = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return order[position < k]


def rank_customers(stats: ShopStats, customers: np.ndarray, scorer: Scorer, *, k: int = 10,
                   allowed: np.ndarray | None = None, new_only: bool = False,
                   item_category: np.ndarray | None = None, batch_size: int = 512,
                   per_generator: int = PER_GENERATOR) -> pd.DataFrame:
    """Top-k per customer index: columns customer, item, score, rank and REASON_COLUMNS."""
    parts = []
    for start in range(0, len(customers), batch_size):
        batch = candidate_batch(stats, np.asarray(customers[start:start + batch_size]),
                                per_generator=per_generator, item_category=item_category,
                                allowed=allowed, new_only=new_only)
        if not len(batch.items):
            continue
        scores = np.asarray(scorer(candidate_features(batch.raw)), dtype=float)
        keep = top_per_group(batch.customers, scores, k)
        part = batch.raw.iloc[keep][REASON_COLUMNS].reset_index(drop=True)
        part.insert(0, "score", scores[keep])
        part.insert(0, "item", batch.items[keep])
        part.insert(0, "customer", batch.customers[keep])
        parts.append(part)
    if not parts:
        empty = {"customer": np.int64, "item": np.int64, "score": float, "rank": np.int64}
        return pd.DataFrame({name: pd.Series(dtype=empty.get(name, float))
                             for name in ["customer", "item", "score", "rank", *REASON_COLUMNS]})
    ranked = pd.concat(parts, ignore_index=True)
    ranked.insert(3, "rank", ranked.groupby("customer").cumcount() + 1)
    return ranked
