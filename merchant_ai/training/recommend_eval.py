"""Time-split evaluation of next-period recommendations, shared by training and bench.

A split is one shop at one cutoff: statistics from the history before it, truth = what each
customer bought in the window after it. Only customers with purchases on both sides count.
"new items" means products the customer had never bought before the cutoff; for that view
every method ranks only products new to the customer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from merchant_ai.services.recommend.baskets import baskets_from_lines
from merchant_ai.services.recommend.candidates import generator_scores
from merchant_ai.services.recommend.metrics import ndcg, next_period_metrics
from merchant_ai.services.recommend.ranking import Scorer, rank_customers
from merchant_ai.services.recommend.shop_stats import ShopStats, shop_stats
from merchant_ai.training.recommend_data import ShopLines, future_items


@dataclass
class Split:
    name: str
    stats: ShopStats
    customers: np.ndarray            # customer indices with purchases on both sides
    truth: list[set[int]]            # item indices bought in the window, per customer
    item_category: np.ndarray | None


def make_split(shop: ShopLines, cutoff: pd.Timestamp, window_days: int = 90) -> Split:
    baskets = baskets_from_lines(shop.lines, as_of=cutoff)
    stats = shop_stats(baskets)
    future = future_items(shop.lines, cutoff, cutoff + pd.Timedelta(days=window_days))
    items = baskets.item_index()
    customers, truth = [], []
    for index, customer_id in enumerate(baskets.customer_ids):
        bought = {items[s] for s in future.get(customer_id, ()) if s in items}
        if bought:
            customers.append(index)
            truth.append(bought)
    category = (np.array([shop.item_category.get(s) for s in baskets.skus], dtype=object)
                if shop.item_category else None)
    return Split(f"{shop.name}@{cutoff.date()}", stats, np.array(customers, dtype=np.int64), truth, category)


def peer_scores(stats: ShopStats, customers: np.ndarray, name: str) -> np.ndarray:
    """Dense scores of a single-generator peer: popular, repeat, cosine or cooc_lift."""
    if name == "cooc_lift":
        owned = stats.history[customers]
        owned.data[:] = 1.0
        evidence = stats.pairs.together >= 2  # lift on one shared order is noise
        lift = sparse.csr_matrix(stats.lift.multiply(evidence))
        return (owned @ lift).toarray()
    return generator_scores(stats, customers)[name]


def top_k(scores: np.ndarray, k: int, exclude: np.ndarray | None = None) -> np.ndarray:
    """Indices of each row's k best items (items with score 0 still fill the list)."""
    scores = scores.astype(float, copy=True)
    if exclude is not None:
        scores[exclude] = -np.inf
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def _list_truth_pairs(split: Split, lists: list[list[int]], new_only: bool) -> list[tuple[list[int], set[int]]]:
    owned = split.stats.history[split.customers]
    pairs = []
    for row, (ranked, bought) in enumerate(zip(lists, split.truth)):
        truth = bought - set(owned[row].indices) if new_only else bought
        pairs.append((ranked, truth))
    return pairs


def evaluate_lists(split: Split, lists: list[list[int]], new_only: bool, k: int = 10) -> dict:
    return next_period_metrics(_list_truth_pairs(split, lists, new_only), k)


def ndcg_per_customer(split: Split, lists: list[list[int]], new_only: bool, k: int = 10) -> np.ndarray:
    """NDCG@k of each customer with something to find (the rows next_period_metrics averages)."""
    return np.array([ndcg(ranked, truth, k) for ranked, truth in _list_truth_pairs(split, lists, new_only) if truth])


def score_lists(split: Split, score_fn: Callable[[ShopStats, np.ndarray], np.ndarray],
                new_only: bool, k: int = 10) -> list[list[int]]:
    scores = score_fn(split.stats, split.customers)
    exclude = split.stats.history[split.customers].toarray() > 0 if new_only else None
    return [list(r) for r in top_k(scores, k, exclude)]


def evaluate_scores(split: Split, score_fn: Callable[[ShopStats, np.ndarray], np.ndarray],
                    new_only: bool, k: int = 10) -> dict:
    return evaluate_lists(split, score_lists(split, score_fn, new_only, k), new_only, k)


def ranker_lists(split: Split, scorer: Scorer, new_only: bool, k: int = 10) -> list[list[int]]:
    ranked = rank_customers(split.stats, split.customers, scorer, k=k, new_only=new_only,
                            item_category=split.item_category)
    by_customer = ranked.groupby("customer")["item"].apply(list).to_dict()
    return [by_customer.get(customer, []) for customer in split.customers]


def evaluate_ranker(split: Split, scorer: Scorer, new_only: bool, k: int = 10) -> dict:
    return evaluate_lists(split, ranker_lists(split, scorer, new_only, k), new_only, k)
