"""Store-free: ranking metrics for recommendation lists against what was really bought."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def hit(ranked: Sequence, truth: set, k: int) -> float:
    """1 if any of the top-k is in truth."""
    return float(any(item in truth for item in ranked[:k]))


def recall(ranked: Sequence, truth: set, k: int) -> float:
    """Share of the truth found in the top-k."""
    return sum(item in truth for item in ranked[:k]) / len(truth) if truth else 0.0


def ndcg(ranked: Sequence, truth: set, k: int) -> float:
    """Normalised discounted cumulative gain with binary relevance."""
    gains = sum(1.0 / np.log2(rank + 2) for rank, item in enumerate(ranked[:k]) if item in truth)
    ideal = sum(1.0 / np.log2(rank + 2) for rank in range(min(len(truth), k)))
    return gains / ideal if ideal else 0.0


def reciprocal_rank(ranked: Sequence, truth: set) -> float:
    for rank, item in enumerate(ranked):
        if item in truth:
            return 1.0 / (rank + 1)
    return 0.0


def next_period_metrics(lists: Iterable[tuple[Sequence, set]], k: int = 10) -> dict[str, float]:
    """Mean HR@k, Recall@k and NDCG@k over (ranked list, bought set) pairs."""
    rows = [(hit(r, t, k), recall(r, t, k), ndcg(r, t, k)) for r, t in lists if t]
    if not rows:
        return {f"hr@{k}": 0.0, f"recall@{k}": 0.0, f"ndcg@{k}": 0.0, "n": 0}
    values = np.mean(rows, axis=0)
    return {f"hr@{k}": float(values[0]), f"recall@{k}": float(values[1]), f"ndcg@{k}": float(values[2]),
            "n": len(rows)}
