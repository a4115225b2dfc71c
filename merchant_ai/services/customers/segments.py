"""Store-free: RFM scores and the named customer segments merchants know from Shopify.

Each customer gets three scores from 1 to 5 by where they stand among the shop's customers:
R (how recently they last ordered), F (how many orders) and M (how much they spent in total).
F and M are averaged into one "FM" score (rounded up), and the segment is read from a grid of
R against FM. Every rule is written in plain words in SEGMENT_RULES, shown in the app and CLI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SegmentRule:
    name: str
    recency_scores: tuple[int, ...]
    fm_scores: tuple[int, ...]
    rule: str      # the rule in plain words
    action: str    # what a shop owner usually does for them

    def to_dict(self) -> dict:
        return asdict(self)


PROSPECTS = "Prospects"

# The grid of R (rows) against FM (columns); every cell belongs to exactly one segment.
SEGMENT_RULES: list[SegmentRule] = [
    SegmentRule("Champions", (5,), (4, 5),
                "ordered very recently (R 5) and order often and spend the most (FM 4-5)",
                "thank them; early access, no discount needed"),
    SegmentRule("Loyal", (3, 4), (4, 5),
                "ordered recently (R 3-4) and order often and spend the most (FM 4-5)",
                "thank them; ask for a review or referral"),
    SegmentRule("Active", (4, 5), (2, 3),
                "ordered recently (R 4-5) with some orders and moderate spend (FM 2-3)",
                "personal recommendation to grow the basket"),
    SegmentRule("New", (5,), (1,),
                "ordered very recently (R 5) but only once or for little (FM 1)",
                "welcome them and suggest a second purchase"),
    SegmentRule("Promising", (3, 4), (1,),
                "ordered fairly recently (R 3-4) but only once or for little (FM 1)",
                "personal recommendation for a second purchase"),
    SegmentRule("Needs attention", (3,), (2, 3),
                "last order is middling in time (R 3) with some orders and moderate spend (FM 2-3)",
                "a reminder with a personal recommendation"),
    SegmentRule("At risk", (2,), (3, 4, 5),
                "have not ordered for a while (R 2) but ordered often or spent well before (FM 3-5)",
                "win-back message with a personal offer"),
    SegmentRule("Almost lost", (2,), (1, 2),
                "have not ordered for a while (R 2) and ordered little before (FM 1-2)",
                "a light win-back reminder"),
    SegmentRule("Previously loyal", (1,), (4, 5),
                "have not ordered for a long time (R 1) but were among the best before (FM 4-5)",
                "win-back offer; ask what went wrong"),
    SegmentRule("Dormant", (1,), (1, 2, 3),
                "have not ordered for a long time (R 1) and ordered little before (FM 1-3)",
                "occasional newsletter only; do not spend much on them"),
    SegmentRule(PROSPECTS, (), (),
                "are known to the shop but have no order before the date analysed",
                "a first-order welcome offer"),
]
SEGMENT_NAMES: list[str] = [rule.name for rule in SEGMENT_RULES]
RULES_BY_NAME: dict[str, SegmentRule] = {rule.name: rule for rule in SEGMENT_RULES}

SCORE_RULE = ("Scores 1-5 rank each customer among the shop's customers: R by days since the last order "
              "(5 = the most recent fifth), F by number of orders, M by total spend (5 = the top fifth); "
              "customers with the same value get the same score. FM is the average of F and M, rounded up.")

_GRID = np.empty((6, 6), dtype=object)
for _rule in SEGMENT_RULES:
    for _r in _rule.recency_scores:
        for _fm in _rule.fm_scores:
            _GRID[_r, _fm] = _rule.name


def quintile_score(values: pd.Series, *, higher_is_better: bool = True,
                   ties_score_high: bool = False) -> pd.Series:
    """1-5 by the share of customers strictly below (ties share the lower score), so that,
    for example, all one-order customers get the same F score.

    With `ties_score_high` ties share the score of their best member instead, and the best value
    always scores 5: used for recency, where whole days make everyone who ordered on the last day
    tie, and they are the most recent buyers, not the least (even when the shop has one customer).
    Without ties and with 5 customers or more both rules give the same scores."""
    if values.empty:
        return pd.Series([], dtype=int, index=values.index)
    ranked = values if higher_is_better else -values
    share_below = (ranked.rank(method="max" if ties_score_high else "min") - 1) / len(ranked)
    scores = (np.floor(share_below * 5).astype(int) + 1).clip(1, 5)
    if ties_score_high:
        scores[ranked == ranked.max()] = 5
    return scores


def segment_for(recency_score: int, fm_score: int) -> str:
    """The segment of one cell of the R x FM grid."""
    return str(_GRID[int(recency_score), int(fm_score)])


def rfm_segments(history: pd.DataFrame, known_customers: pd.Index | None = None) -> pd.DataFrame:
    """RFM scores and segment per customer.

    `history` is indexed by customer_id with recency_days, orders_count and total_spend (as made
    by `merchant_ai.ml.features.customers.customer_history`). Customers in `known_customers`
    without any order become Prospects. Returns r_score, f_score, m_score, fm_score, segment.
    """
    scores = pd.DataFrame(index=history.index)
    scores["r_score"] = quintile_score(history["recency_days"], higher_is_better=False,
                                     ties_score_high=True)
    scores["f_score"] = quintile_score(history["orders_count"])
    scores["m_score"] = quintile_score(history["total_spend"])
    scores["fm_score"] = (scores["f_score"] + scores["m_score"] + 1) // 2
    scores["segment"] = [segment_for(r, fm) for r, fm in zip(scores["r_score"], scores["fm_score"])]
    if known_customers is not None:
        prospects = known_customers.difference(history.index)
        if len(prospects):
            extra = pd.DataFrame({"r_score": 0, "f_score": 0, "m_score": 0, "fm_score": 0,
                                  "segment": PROSPECTS}, index=prospects)
            scores = pd.concat([scores, extra])
    scores.index.name = "customer_id"
    return scores


def segment_movement(previous: pd.Series, current: pd.Series) -> pd.DataFrame:
    """How many customers moved from each segment to each other one between two dates.

    Both series map customer_id -> segment; customers new since `previous` come from
    "(not yet a customer)". Returns rows from_segment, to_segment, customers (moves only)."""
    before = previous.reindex(current.index).fillna("(not yet a customer)")
    moved = pd.DataFrame({"from_segment": before.to_numpy(), "to_segment": current.to_numpy()})
    moved = moved.loc[moved["from_segment"] != moved["to_segment"]]
    counts = moved.groupby(["from_segment", "to_segment"]).size().rename("customers").reset_index()
    return counts.sort_values("customers", ascending=False, kind="stable").reset_index(drop=True)
