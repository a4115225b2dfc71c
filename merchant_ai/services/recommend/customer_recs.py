"""Store-free: per customer: the products they are likely to buy next, each with its reason.

Repeat purchases (consumables re-ordered) are allowed and marked `repeat`; dismissed or
blocked products never come back; accepted ones stay on the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from merchant_ai.services.recommend.context import RecommendContext
from merchant_ai.services.recommend.ranking import rank_customers


@dataclass
class CustomerSuggestion:
    sku: str
    score: float
    reason: str
    title: str = ""
    repeat: bool = False
    accepted: bool = False

    def to_dict(self) -> dict:
        return {"sku": self.sku, "score": self.score, "reason": self.reason, "title": self.title,
                "repeat": self.repeat, "accepted": self.accepted}


@dataclass
class CustomerRecommendations:
    customer_id: str
    orders: int
    items: list[CustomerSuggestion] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"customer_id": self.customer_id, "orders": self.orders, "items": [i.to_dict() for i in self.items]}


MIN_REASON_LIFT = 1.5  # below this a co-purchase link is not worth telling the merchant


def _plural(count: float, word: str) -> str:
    count = round(count)
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _ago(days: float) -> str:
    # "0 days ago" reads like a mistake to a shop owner
    return "less than a day ago" if round(days) < 1 else f"{_plural(days, 'day')} ago"


def _best_owned(ctx: RecommendContext, pair_name: str, customers: np.ndarray, items: np.ndarray):
    """For each (customer, item) row: the customer's owned item with the strongest link to the
    item in the item-to-item matrix `pair_name`, and that strength (0 when none is linked)."""
    history = ctx.stats.history
    starts, counts = history.indptr[customers], np.diff(history.indptr)[customers]
    row_of = np.repeat(np.arange(len(customers)), counts)
    # positions of every owned item of every row, without a Python loop
    positions = np.arange(counts.sum()) + np.repeat(starts - np.cumsum(np.r_[0, counts[:-1]]), counts)
    owned = history.indices[positions]
    strength = ctx.stats.pair_values(pair_name, owned, items[row_of])
    best_item, best_value = np.zeros(len(customers), dtype=np.int64), np.zeros(len(customers))
    if len(owned):
        order = np.lexsort((-strength, row_of))
        first = order[np.r_[True, np.diff(row_of[order]) != 0]]
        best_item[row_of[first]], best_value[row_of[first]] = owned[first], strength[first]
    return best_item, best_value


def reasons(ctx: RecommendContext, ranked: pd.DataFrame) -> list[str]:
    """One sentence per row: why this product for this customer (the strongest signal wins)."""
    customers, items = ranked["customer"].to_numpy(), ranked["item"].to_numpy()
    n = len(ranked)
    best_cooc, conf = np.zeros(n, dtype=np.int64), np.zeros(n)
    best_cos, cos = np.zeros(n, dtype=np.int64), np.zeros(n)
    # look up the linking item only where it is needed (not for re-orders)
    new = np.flatnonzero(ranked["own_orders"].to_numpy() == 0)
    best_cooc[new], conf[new] = _best_owned(ctx, "confidence", customers[new], items[new])
    weak = new[conf[new] == 0]
    best_cos[weak], cos[weak] = _best_owned(ctx, "cosine", customers[weak], items[weak])
    also = new[(conf[new] > 0) & (ranked["cooc_sum"].to_numpy()[new] < 0.25 * ranked["cosine_sum"].to_numpy()[new])]
    best_cos[also], cos[also] = _best_owned(ctx, "cosine", customers[also], items[also])
    recent_orders = ranked["recent_share"].to_numpy() * len(ctx.stats.baskets.recent_orders(90))
    share = ctx.stats.item_share[items]
    lift = np.divide(conf, share, out=np.zeros(n), where=share > 0)  # confidence / base rate
    out = []
    for r, row in enumerate(ranked.itertuples(index=False)):
        if row.own_orders > 0:
            text = (f"re-order: bought in {_plural(row.own_orders, 'order')}, "
                    f"last {_ago(row.days_since_bought)}")
            if ctx.stats.item_repeat_rate[row.item] > 0:
                text += f"; customers re-buy it about every {_plural(row.item_gap_days, 'day')}"
        elif conf[r] > 0 and lift[r] >= MIN_REASON_LIFT and row.cooc_sum >= 0.25 * row.cosine_sum:
            text = (f"bought with {ctx.title(best_cooc[r])} ({conf[r]:.0%} of its orders, "
                    f"{lift[r]:.1f}x more often than chance), which this customer bought")
        elif recent_orders[r] >= 1 and lift[r] < MIN_REASON_LIFT:
            # a link no stronger than chance: the honest reason is that it sells well
            text = f"a best seller lately: in {_plural(recent_orders[r], 'order')} in the last 90 days"
        elif cos[r] > 0:
            text = f"customers who bought {ctx.title(best_cos[r])} also bought this"
        else:
            text = f"a best seller lately: in {_plural(recent_orders[r], 'order')} in the last 90 days"
        out.append(text)
    return out


def ranked_lists(ctx: RecommendContext, customers: np.ndarray, k: int, *, new_only: bool = False) -> pd.DataFrame:
    """Top-k rows per customer index after the merchant's controls (dismissed, blocked, and at
    most `max_repeats` re-orders per list when the merchant set that)."""
    extra = max((len(ctx.controls.dismissed.get(str(ctx.stats.baskets.customer_ids[c]), ())) for c in customers),
                default=0)
    max_repeats = ctx.controls.max_repeats
    if max_repeats is not None and max_repeats < k:
        extra += k - max_repeats  # room for the new items that replace capped re-orders
    ranked = rank_customers(ctx.stats, customers, ctx.scorer, k=k + extra, allowed=ctx.allowed,
                            new_only=new_only, item_category=ctx.item_category())
    if ctx.controls.dismissed or ctx.controls.blocked_pairs:
        customer_ids = ctx.stats.baskets.customer_ids[ranked["customer"].to_numpy()]
        skus = ctx.skus[ranked["item"].to_numpy()]
        keep = [not ctx.controls.is_blocked(c, s) for c, s in zip(customer_ids, skus)]
        ranked = ranked.loc[keep]
    if max_repeats is not None:
        repeat = ranked["own_orders"].to_numpy() > 0
        repeats_so_far = pd.Series(repeat.astype(int)).groupby(ranked["customer"].to_numpy()).cumsum().to_numpy()
        ranked = ranked.loc[~repeat | (repeats_so_far <= max_repeats)]
    ranked = ranked.loc[ranked.groupby("customer").cumcount() < k].copy()
    ranked["rank"] = ranked.groupby("customer").cumcount() + 1
    return ranked


def for_customer(ctx: RecommendContext, customer: int, k: int = 10) -> CustomerRecommendations:
    customer_id = str(ctx.stats.baskets.customer_ids[customer])
    ranked = ranked_lists(ctx, np.array([customer]), k)
    accepted = ctx.controls.accepted.get(customer_id, set())
    items = [
        CustomerSuggestion(sku=str(ctx.skus[row.item]), title=ctx.title(row.item), score=round(float(row.score), 4),
                           reason=reason, repeat=bool(row.own_orders > 0), accepted=str(ctx.skus[row.item]) in accepted)
        for row, reason in zip(ranked.itertuples(index=False), reasons(ctx, ranked))
    ]
    return CustomerRecommendations(customer_id, int(ctx.stats.customer_orders[customer]), items)
