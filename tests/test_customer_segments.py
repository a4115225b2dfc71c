"""RFM scores and the named segments, on hand-made customers."""

from __future__ import annotations

import pandas as pd

from merchant_ai.services.customers.segments import (
    PROSPECTS,
    SEGMENT_NAMES,
    SEGMENT_RULES,
    quintile_score,
    rfm_segments,
    segment_for,
    segment_movement,
)

SHOPIFY_SEGMENTS = ["Champions", "Loyal", "Active", "Promising", "New", "Needs attention", "At risk",
                    "Almost lost", "Previously loyal", "Dormant", "Prospects"]


def _history(rows: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    """customer_id -> (recency_days, orders_count, total_spend)."""
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["recency_days", "orders_count", "total_spend"])
    frame.index.name = "customer_id"
    return frame


def test_all_shopify_segments_exist_with_a_rule_in_plain_words():
    assert sorted(SEGMENT_NAMES) == sorted(SHOPIFY_SEGMENTS)
    for rule in SEGMENT_RULES:
        assert len(rule.rule) > 20 and rule.action


def test_every_cell_of_the_recency_by_fm_grid_has_exactly_one_segment():
    cells = [(r, fm) for rule in SEGMENT_RULES for r in rule.recency_scores for fm in rule.fm_scores]
    assert sorted(cells) == [(r, fm) for r in range(1, 6) for fm in range(1, 6)]
    assert segment_for(5, 5) == "Champions"
    assert segment_for(1, 5) == "Previously loyal"
    assert segment_for(5, 1) == "New"
    assert segment_for(1, 1) == "Dormant"


def test_customers_with_the_same_value_get_the_same_score():
    scores = quintile_score(pd.Series([1, 1, 1, 1, 1, 1, 2, 3, 5, 9]))
    assert scores.iloc[:6].nunique() == 1 and scores.iloc[0] == 1
    assert scores.iloc[-1] == 5
    recency = quintile_score(pd.Series([1.0, 400.0]), higher_is_better=False)
    assert recency.iloc[0] > recency.iloc[1]  # the more recent buyer scores higher


def test_hand_made_customers_land_in_the_expected_segments():
    rows = {
        # recent, many orders, big spend
        "champ": (2, 12, 900.0),
        # long ago but was among the best
        "was-loyal": (400, 11, 850.0),
        # yesterday, first and only small order
        "newbie": (1, 1, 15.0),
        # long ago, one small order
        "sleepy": (420, 1, 12.0),
    }
    # filler customers spread the scores so that the hand-made ones sit at the extremes
    for i in range(16):
        rows[f"filler-{i}"] = (30 + 20 * i, 2 + i % 4, 60.0 + 15 * i)
    segments = rfm_segments(_history(rows), known_customers=pd.Index([*rows, "no-orders-yet"]))
    assert segments.loc["champ", "segment"] == "Champions"
    assert segments.loc["was-loyal", "segment"] == "Previously loyal"
    assert segments.loc["newbie", "segment"] == "New"
    assert segments.loc["sleepy", "segment"] == "Dormant"
    assert segments.loc["no-orders-yet", "segment"] == PROSPECTS
    assert set(segments["segment"]) <= set(SEGMENT_NAMES)


def test_segment_movement_counts_moves_and_newcomers():
    previous = pd.Series({"a": "Champions", "b": "Loyal", "c": "New"})
    current = pd.Series({"a": "At risk", "b": "Loyal", "c": "Active", "d": "New"})
    moves = segment_movement(previous, current)
    as_set = {(r.from_segment, r.to_segment, r.customers) for r in moves.itertuples()}
    assert as_set == {("Champions", "At risk", 1), ("New", "Active", 1), ("(not yet a customer)", "New", 1)}


def test_customers_who_ordered_on_the_last_day_are_the_most_recent_not_dormant():
    # a brand-new shop: one customer, or everyone ordered on one of the last two days
    alone = rfm_segments(_history({"only": (1, 1, 15.0)}))
    assert alone.loc["only", "r_score"] == 5 and alone.loc["only", "segment"] == "New"
    rows = {f"yesterday-{i}": (1, 1, 20.0 + i) for i in range(5)}
    rows.update({f"two-days-{i}": (2, 1, 20.0 + i) for i in range(5)})
    segments = rfm_segments(_history(rows))
    assert (segments.loc[[f"yesterday-{i}" for i in range(5)], "r_score"] == 5).all()
    assert "Dormant" not in set(segments.loc[[f"yesterday-{i}" for i in range(5)], "segment"])
    for n in (5, 7, 10, 23):  # no ties: the same scores
        assert (quintile_score(pd.Series(range(n)), ties_score_high=True) == quintile_score(pd.Series(range(n)))).all()
