"""'How accurate is this on my shop?' for customer recommendations.

As of a date, every customer who ordered before it gets their top-10; scored on the customers
who ordered again in the next 90 days: did they buy one of the ten (hit rate), what share of
what they bought was listed (recall), and how high (NDCG). Baseline: the shop's 10 best sellers
of the 90 days before, the same list for everyone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merchant_ai.ml.backtest import BacktestSpec, Score
from merchant_ai.services.recommend.baskets import kept_lines
from merchant_ai.services.recommend.context import load_context
from merchant_ai.services.recommend.customer_recs import ranked_lists
from merchant_ai.services.recommend.metrics import next_period_metrics
from merchant_ai.store.queries import sales_lines

K = 10
RECENT_DAYS = 90


def _answer(store, as_of: pd.Timestamp) -> dict[str, list[str]]:
    ctx = load_context(store, as_of)
    ranked = ranked_lists(ctx, np.arange(len(ctx.stats.baskets.customer_ids)), K)
    customer_ids = ctx.stats.baskets.customer_ids[ranked["customer"].to_numpy()]
    skus = ctx.skus[ranked["item"].to_numpy()]
    return pd.Series(skus).groupby(customer_ids, sort=False).agg(list).to_dict()


def _baseline(store, as_of: pd.Timestamp) -> dict[str, list[str]]:
    lines = kept_lines(sales_lines(store, as_of))
    recent = lines.loc[lines["created_at"] >= as_of - pd.Timedelta(days=RECENT_DAYS)]
    top = recent.groupby("sku")["order_id"].nunique().sort_values(ascending=False, kind="stable")
    best = [str(s) for s in top.index[:K]]
    return {str(c): best for c in lines["customer_id"].dropna().unique()}


def _score(store, answer: dict[str, list[str]], as_of: pd.Timestamp, until: pd.Timestamp) -> Score:
    lines = kept_lines(sales_lines(store, until))
    after = lines.loc[(lines["created_at"] >= as_of) & lines["customer_id"].notna()]
    bought = after.groupby("customer_id")["sku"].agg(lambda s: set(s.astype(str)))
    pairs = [(answer[c], items) for c, items in bought.items() if c in answer]
    metrics = next_period_metrics(pairs, K)
    return Score(metrics={k: v for k, v in metrics.items() if k != "n"}, n_evaluated=int(metrics["n"]))


RECOMMEND_BACKTEST = BacktestSpec(
    capability="recommend", answer=_answer, baseline=_baseline, score=_score,
    primary_metric="hr@10", higher_is_better=True, horizon_days=90,
    method_label="each customer's recommendations", baseline_label="the 10 recent best sellers",
    metric_labels={"hr@10": "customers who bought one of their 10 suggestions",
                   "recall@10": "share of what they bought that was suggested",
                   "ndcg@10": "ranking quality (NDCG@10)"},
)
