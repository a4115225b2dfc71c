"""Store-free: bundle ideas: pairs and triples already bought together, with the revenue they produce.

Revenue of a pair is what its items earned in the orders that held both (the money the
bundle already moves). Triples grow from the strongest pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from merchant_ai.services.recommend.baskets import Baskets
from merchant_ai.services.recommend.context import RecommendContext
from merchant_ai.services.recommend.cooccurrence import PairStats, evidence_words

BUNDLE_COLUMNS = ["items", "skus", "titles", "orders", "lift", "revenue", "evidence"]


def pair_table(baskets: Baskets, pairs: PairStats, allowed: np.ndarray, min_orders: int) -> pd.DataFrame:
    """Every allowed pair seen in at least `min_orders` baskets: members, orders, lift, revenue."""
    upper = sparse.triu(pairs.together, k=1).tocoo()
    keep = (upper.data >= min_orders) & allowed[upper.row] & allowed[upper.col]
    i, j, count = upper.row[keep], upper.col[keep], upper.data[keep]
    if not len(i):  # scipy returns a (1, 0) sparse matrix, not an empty array, for empty indices
        return pd.DataFrame({"members": pd.Series([], dtype=object), "orders": np.zeros(0, dtype=int),
                             "lift": np.zeros(0), "revenue": np.zeros(0)})
    # (R^T X)[i, j] = revenue of item i in the orders that also hold j
    revenue_with = (baskets.revenue.T @ baskets.orders).tocsr()
    revenue = np.asarray(revenue_with[i, j]).ravel() + np.asarray(revenue_with[j, i]).ravel()
    lift = count * pairs.n_baskets / (pairs.item_baskets[i] * pairs.item_baskets[j])
    return pd.DataFrame({"members": list(zip(i.tolist(), j.tolist())), "orders": count.astype(int),
                         "lift": lift, "revenue": revenue})


def _triples(ctx: RecommendContext, pairs: pd.DataFrame, min_orders: int, seeds: int) -> pd.DataFrame:
    baskets, stats = ctx.stats.baskets, ctx.stats.pairs
    orders = baskets.orders.tocsc()
    rows = []
    for i, j in pairs.nlargest(seeds, "orders")["members"]:
        both = orders[:, i].multiply(orders[:, j]).tocsr()
        holding = both.nonzero()[0]
        counts = np.asarray(baskets.orders[holding].sum(axis=0)).ravel()
        counts[[i, j]] = 0
        for k in np.flatnonzero((counts >= min_orders) & ctx.allowed):
            members = tuple(sorted((int(i), int(j), int(k))))
            # how much more often the third product joins this pair than it would by chance
            lift = counts[k] * stats.n_baskets / (len(holding) * stats.item_baskets[k])
            revenue = baskets.revenue[holding][:, list(members)].multiply(baskets.orders[holding][:, [k]]).sum()
            rows.append({"members": members, "orders": int(counts[k]), "lift": lift,
                         "revenue": float(revenue)})
    frame = pd.DataFrame(rows, columns=["members", "orders", "lift", "revenue"])
    return frame.drop_duplicates("members")


def bundle_ideas(ctx: RecommendContext, top_n: int = 50, *, seeds: int = 30) -> pd.DataFrame:
    """Pairs and triples bought together in at least the merchant's minimum number of orders,
    with lift > 1, by revenue they already produce."""
    min_orders = ctx.controls.min_pair_orders
    pairs = pair_table(ctx.stats.baskets, ctx.stats.pairs, ctx.allowed, min_orders)
    blocked = ctx.controls.blocked_pairs
    # a boolean array, not a list: an empty list would select columns and drop them all
    pairs = pairs[np.array([frozenset((ctx.skus[a], ctx.skus[b])) not in blocked for a, b in pairs["members"]],
                           dtype=bool)]
    ideas = pd.concat([pairs, _triples(ctx, pairs, min_orders, seeds)], ignore_index=True)
    ideas = ideas.astype({"orders": int, "lift": float, "revenue": float})
    ideas = ideas[ideas["lift"] > 1.0].nlargest(top_n, "revenue")
    ideas["items"] = ideas["members"].map(len)
    ideas["skus"] = ideas["members"].map(lambda m: " + ".join(str(ctx.skus[x]) for x in m))
    ideas["titles"] = ideas["members"].map(lambda m: " + ".join(ctx.title(x) for x in m))
    ideas["evidence"] = [evidence_words(int(n), float(lift)) for n, lift in zip(ideas["orders"], ideas["lift"])]
    ideas["revenue"] = ideas["revenue"].round(2)
    ideas["lift"] = ideas["lift"].round(2)
    return ideas[BUNDLE_COLUMNS].reset_index(drop=True)
