"""Recommendation arithmetic and generators on small hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from merchant_ai.ml.features.recommend import FEATURE_NAMES, RAW_COLUMNS, candidate_features
from merchant_ai.services.recommend.baskets import baskets_from_lines
from merchant_ai.services.recommend.candidates import candidate_batch
from merchant_ai.services.recommend.cooccurrence import evidence_words, pair_stats
from merchant_ai.services.recommend.metrics import ndcg, next_period_metrics, reciprocal_rank
from merchant_ai.services.recommend.ranking import rank_customers, rule_scorer, top_per_group
from merchant_ai.services.recommend.shop_stats import shop_stats

BASKETS = [["A", "B", "C"], ["A", "B"], ["A", "C"], ["B", "D"], ["A", "B", "D"]]


def lines_from(baskets: list[list[str]], customers: list[str | None] | None = None, start="2025-01-01",
               days_apart: int = 7) -> pd.DataFrame:
    rows = []
    for n, basket in enumerate(baskets):
        when = pd.Timestamp(start) + pd.Timedelta(days=days_apart * n)
        customer = customers[n] if customers else None
        for line_no, sku in enumerate(basket, start=1):
            rows.append({"order_id": f"#{n}", "line_no": line_no, "created_at": when, "customer_id": customer,
                         "sku": sku, "title": f"Item {sku}", "quantity": 1.0, "unit_price": 10.0,
                         "line_total": 10.0, "is_refund": 0, "is_product": 1})
    return pd.DataFrame(rows)


def test_support_confidence_and_lift_match_hand_arithmetic():
    baskets = baskets_from_lines(lines_from(BASKETS))
    pairs = pair_stats(baskets)
    a, b, c, d = (baskets.item_index()[s] for s in "ABCD")
    assert pairs.n_baskets == 5
    assert pairs.count(a, b) == 3 and pairs.count(a, d) == 1 and pairs.count(c, d) == 0
    assert pairs.support(a, b) == pytest.approx(3 / 5)
    assert pairs.confidence(a, b) == pytest.approx(3 / 4)
    assert pairs.confidence(c, a) == pytest.approx(2 / 2)
    assert pairs.lift(a, b) == pytest.approx(3 * 5 / (4 * 4))
    assert pairs.lift(a, c) == pytest.approx(2 * 5 / (4 * 2))
    assert pairs.lift(b, d) == pairs.lift(d, b) == pytest.approx(1.25)
    assert pairs.confidence_matrix()[a, b] == pytest.approx(0.75)
    assert pairs.lift_matrix()[a, c] == pytest.approx(1.25)


def test_a_sku_twice_in_one_order_counts_once_and_refunds_and_fees_are_not_basket_items():
    lines = lines_from([["A", "A", "B"], ["A", "POST"], ["B"]])
    lines.loc[lines["sku"] == "POST", "is_product"] = 0
    refund = lines.iloc[[0]].assign(order_id="C1", quantity=-1.0, is_refund=1, sku="B")
    baskets = baskets_from_lines(pd.concat([lines, refund]))
    assert list(baskets.skus) == ["A", "B"]
    pairs = pair_stats(baskets)
    assert pairs.item_baskets.tolist() == [2, 2] and pairs.count(0, 1) == 1


def test_evidence_is_said_in_words():
    assert evidence_words(37, 4.23) == "bought together in 37 orders; 4.2x more often than chance"
    assert evidence_words(1, 2.0).startswith("bought together in 1 order;")


def test_history_ends_before_as_of():
    baskets = baskets_from_lines(lines_from(BASKETS), as_of="2025-01-15")  # orders on 1st and 8th only
    assert baskets.n_orders == 2


STAPLE_BASKETS = [["S", "A"], ["S", "B"], ["A", "C"], ["S", "C"], ["B", "D", "E"], ["S", "D"], ["C", "E"]]
STAPLE_CUSTOMERS = ["007", "007", "x", "007", None, "007", "x"]


def test_repeat_buyer_gets_their_staple_and_candidates_have_every_feature():
    stats = shop_stats(baskets_from_lines(lines_from(STAPLE_BASKETS, STAPLE_CUSTOMERS)))
    batch = candidate_batch(stats, np.arange(len(stats.baskets.customer_ids)))
    assert list(batch.raw.columns) == RAW_COLUMNS
    features = candidate_features(batch.raw)
    assert list(features.columns) == FEATURE_NAMES and np.isfinite(features.to_numpy()).all()
    ranked = rank_customers(stats, np.array([0]), rule_scorer, k=2)
    top = stats.baskets.skus[ranked["item"].to_numpy()]
    # customer 007 bought S in all four orders: it comes back first, marked by own_orders
    assert top[0] == "S" and ranked["own_orders"].iat[0] == 4


def test_new_only_lists_leave_out_what_the_customer_bought():
    stats = shop_stats(baskets_from_lines(lines_from(STAPLE_BASKETS, STAPLE_CUSTOMERS)))
    ranked = rank_customers(stats, np.array([0]), rule_scorer, k=5, new_only=True)
    assert len(ranked) == 1  # of six products, 007 never bought only E
    owned = set(stats.baskets.skus[stats.history[0].indices])
    assert set(stats.baskets.skus[ranked["item"].to_numpy()]).isdisjoint(owned)


def test_top_per_group_keeps_the_best_k_of_each_group_in_order():
    groups = np.array([1, 1, 1, 0, 0])
    scores = np.array([0.1, 0.9, 0.5, 0.2, 0.3])
    assert top_per_group(groups, scores, 2).tolist() == [4, 3, 1, 2]


def test_ranking_metrics():
    assert ndcg(["x", "a"], {"a"}, 10) == pytest.approx(1 / np.log2(3))
    assert reciprocal_rank(["x", "y", "a"], {"a"}) == pytest.approx(1 / 3)
    metrics = next_period_metrics([(["a", "b"], {"a", "c"}), (["x"], {"y"})], k=10)
    assert metrics["hr@10"] == 0.5 and metrics["recall@10"] == 0.25 and metrics["n"] == 2


def test_item_age_and_last_month_share_follow_the_calendar():
    # orders every 7 days from 2025-01-01; D first sells on 2025-01-22, in the last two orders
    stats = shop_stats(baskets_from_lines(lines_from(BASKETS), as_of="2025-02-05"))
    d = stats.baskets.item_index()["D"]
    assert stats.item_age_days[d] == pytest.approx(14.0) and stats.history_days == pytest.approx(35.0)
    assert stats.item_short_share[d] == pytest.approx(2 / 4)  # the last 30 days hold the 4 orders from Jan 8
    features = candidate_features(candidate_batch(stats, np.arange(len(stats.baskets.customer_ids))).raw)
    assert features["generator_votes"].between(1, 4).all()


def test_ranker_training_never_uses_the_benchmark_test_period():
    from merchant_ai.training.recommend_model import GERMANY_CUTOFFS, germany_cutoffs

    assert max(germany_cutoffs()) + pd.Timedelta(days=90) <= pd.Timestamp("2011-09-01")
    assert len(germany_cutoffs(GERMANY_CUTOFFS)) == len(GERMANY_CUTOFFS)
    with pytest.raises(ValueError, match="test period"):
        germany_cutoffs(("2011-07-01",))
