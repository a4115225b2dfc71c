"""Store-free: candidate generators for a customer's next purchase, and the raw facts about each pair.

Four cheap generators each score every product for a batch of customers (dense rows):
- repeat: what the customer bought before, by how often (consumables come back);
- cooccurrence: sum of confidence(owned item -> product), "often bought with what you have";
- cosine: item-to-item cosine over buyers, "customers who bought X also bought this";
- popular: the shop's last-90-days popularity.
The union of each generator's top `per_generator` products is the candidate set; the
ranker (or the rule blend) orders it using merchant_ai.ml.features.recommend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from merchant_ai.services.recommend.shop_stats import ShopStats

GENERATORS = ("repeat", "cooccurrence", "cosine", "popular")
PER_GENERATOR = 20  # candidates each generator proposes per customer
REPEAT_CANDIDATES = 40  # past purchases are the strongest signal and cheap to list: take more


@dataclass
class CandidateBatch:
    customers: np.ndarray          # customer index of each candidate row
    items: np.ndarray              # item index of each candidate row
    raw: pd.DataFrame              # RAW_COLUMNS of merchant_ai.ml.features.recommend
    scores: dict[str, np.ndarray]  # generator -> score of each candidate row


def generator_scores(stats: ShopStats, customers: np.ndarray) -> dict[str, np.ndarray]:
    """Dense (customers x items) score of each generator; higher is better, 0 = no opinion."""
    owned = stats.history[customers]
    owned_flags = owned.copy()
    owned_flags.data[:] = 1.0
    recency = stats.last_bought_days[customers]
    recency.data = 1.0 / (1.0 + recency.data)  # ties in count go to the more recent item
    return {
        "repeat": (owned + recency * 0.5).toarray().astype(np.float32),
        "cooccurrence": stats.spread(owned_flags, "confidence"),
        "cosine": stats.spread(owned_flags, "cosine"),
        "popular": np.tile((stats.item_recent_share + 1e-6 * stats.item_share).astype(np.float32), (len(customers), 1)),
    }


def top_and_ranks(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's top-k entries with a positive score (mask), and ranks capped at k: 0..k-1
    for the top-k in order, k for every other entry (a full sort of every row costs far more,
    and past the top-k the exact rank says little)."""
    k = min(k, scores.shape[1])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    ranks = np.full(scores.shape, k, dtype=np.int32)
    np.put_along_axis(ranks, np.take_along_axis(top, order, axis=1), np.arange(k, dtype=np.int32)[None, :], axis=1)
    return (ranks < k) & (scores > 0), ranks


def top_and_ranks_sparse(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """top_and_ranks for rows with few positive entries (repeat purchases): sorts only those."""
    rows, cols = np.nonzero(scores > 0)
    order = np.lexsort((-scores[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    position = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    ranks = np.full(scores.shape, k, dtype=np.int32)
    top = position < k
    ranks[rows[top], cols[top]] = position[top]
    return ranks < k, ranks


def category_affinity(stats: ShopStats, customers: np.ndarray, item_category: np.ndarray | None) -> np.ndarray:
    """customers x items: share of the customer's items in each item's category."""
    if item_category is None:
        return np.zeros((len(customers), stats.n_items))
    codes, _ = pd.factorize(pd.Series(item_category, dtype=object).fillna("\x00unknown"))
    onehot = sparse.csr_matrix((np.ones(len(codes)), (np.arange(len(codes)), codes)))
    owned = stats.history[customers]
    by_category = (owned @ onehot).toarray()
    totals = np.maximum(by_category.sum(axis=1, keepdims=True), 1.0)
    return (by_category / totals)[:, codes]


def candidate_batch(stats: ShopStats, customers: np.ndarray, *, per_generator: int = PER_GENERATOR,
                    item_category: np.ndarray | None = None, allowed: np.ndarray | None = None,
                    new_only: bool = False) -> CandidateBatch:
    """Candidates and their raw facts for the given customer indices.

    allowed: boolean per item (False = never recommend: blocked, out of stock, not a product);
    new_only: leave out what the customer already bought.
    """
    scores = generator_scores(stats, customers)
    owned = stats.history[customers].toarray()
    # in place: the not-allowed columns and (new_only) each row's own items score nothing
    blocked = np.flatnonzero(~allowed) if allowed is not None else np.array([], dtype=int)
    own_rows, own_items = np.nonzero(owned) if new_only else (None, None)
    for matrix in scores.values():
        matrix[:, blocked] = 0.0
        if new_only:
            matrix[own_rows, own_items] = 0.0
    rank_matrices = {
        "repeat": top_and_ranks_sparse(scores["repeat"], max(per_generator, REPEAT_CANDIDATES)),
        "cooccurrence": top_and_ranks(scores["cooccurrence"], per_generator),
        "cosine": top_and_ranks(scores["cosine"], per_generator),
        # the same list for everyone unless each customer's own purchases are left out
        "popular": (top_and_ranks(scores["popular"], per_generator) if new_only else
                    tuple(np.broadcast_to(m, owned.shape) for m in top_and_ranks(scores["popular"][:1], per_generator))),
    }
    votes = np.zeros(owned.shape, dtype=np.int8)
    for name in GENERATORS:
        top, rank_matrices[name] = rank_matrices[name]
        votes += top
    rows, items = np.nonzero(votes)
    ranks = {name: rank_matrices[name][rows, items] for name in GENERATORS}
    last = stats.last_bought_days[customers].toarray()[rows, items]
    customer = customers[rows]
    history_items = np.diff(stats.history[customers].indptr)[rows]
    value = stats.item_basket_value
    customer_value = (owned @ value) / np.maximum(owned.sum(axis=1), 1.0)
    raw = pd.DataFrame({
        "own_orders": owned[rows, items],
        "customer_orders": stats.customer_orders[customer],
        "days_since_bought": np.where(last > 0, last - 1.0, np.nan),
        "item_gap_days": stats.item_gap_days[items],
        "item_repeat_rate": stats.item_repeat_rate[items],
        "cooc_sum": scores["cooccurrence"][rows, items],
        "cosine_sum": scores["cosine"][rows, items],
        "history_items": history_items,
        "cooc_max": scores["cooccurrence"].max(axis=1)[rows],
        "cosine_max": scores["cosine"].max(axis=1)[rows],
        "votes": votes[rows, items],
        "cooc_rank": ranks["cooccurrence"],
        "cosine_rank": ranks["cosine"],
        "repeat_rank": np.where(owned[rows, items] > 0, ranks["repeat"], np.nan),
        "popular_rank": ranks["popular"],
        "active_items": np.count_nonzero(stats.item_share),
        "recent_share": stats.item_recent_share[items],
        "share": stats.item_share[items],
        "short_share": stats.item_short_share[items],
        "item_age_days": stats.item_age_days[items],
        "history_days": stats.history_days,
        "customer_idle_days": stats.customer_idle_days[customer],
        "shop_gap_days": stats.shop_gap_days,
        "category_affinity": category_affinity(stats, customers, item_category)[rows, items],
        "value_ratio": np.divide(value[items], customer_value[rows], out=np.ones(len(rows)),
                                 where=customer_value[rows] > 0),
    })
    return CandidateBatch(customers=customer, items=items, raw=raw,
                          scores={name: scores[name][rows, items] for name in GENERATORS})
