"""What the merchant tells the risk check: verdicts on orders, thresholds, and rules.

Verdicts live in the `feedback` table (kind 'fraud', latest per order wins); thresholds and
rules in `settings` (JSON). Levels: "high" from the high threshold up, "medium" from the medium
one. Default thresholds come from the shop's own score distribution so that "high" stays rare;
the merchant's verdicts then move them (recalibration), unless the merchant set them by hand.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from merchant_ai.errors import BadInputError
from merchant_ai.services.fraud_rules import Rule, parse_rule
from merchant_ai.store import Store

VERDICTS = ("fraud", "legit")
THRESHOLDS_KEY, RULES_KEY = "fraud.thresholds", "fraud.rules"
# Bounds of the distribution defaults: "high" never below 50 (a coin flip is not high risk).
HIGH_FLOOR, HIGH_CEILING, MEDIUM_FLOOR = 50.0, 95.0, 15.0
HIGH_QUANTILE, MEDIUM_QUANTILE = 0.995, 0.97
RARE_SHARE = 0.01  # recalibration keeps "high" to about this share of orders


@dataclass(frozen=True)
class Thresholds:
    medium: float
    high: float
    source: str          # plain words: where these numbers come from

    def to_dict(self) -> dict:
        return asdict(self)

    def level(self, scores: np.ndarray) -> np.ndarray:
        return np.where(scores >= self.high, "high", np.where(scores >= self.medium, "medium", "low"))


def default_thresholds(scores: np.ndarray) -> Thresholds:
    """From the shop's score distribution: about the top 0.5% high, the next 2.5% medium (bounded)."""
    if len(scores) == 0:
        return Thresholds(medium=30.0, high=70.0, source="standard values (no orders yet)")
    high = float(np.clip(np.quantile(scores, HIGH_QUANTILE), HIGH_FLOOR, HIGH_CEILING))
    medium = float(np.clip(np.quantile(scores, MEDIUM_QUANTILE), MEDIUM_FLOOR, high - 5.0))
    return Thresholds(medium=round(medium, 1), high=round(high, 1), source="your shop's score distribution")


def recalibrate(default: Thresholds, scores: np.ndarray, fraud_scores: np.ndarray,
                legit_scores: np.ndarray) -> Thresholds:
    """Move the thresholds so your verdicts fall on the right side, while "high" stays rare.

    The high threshold minimises: legitimate-marked orders at or above it + fraud-marked orders
    below it + 1 per percent of all orders above it beyond RARE_SHARE (+ a tie-break toward the
    default). The medium threshold drops to the lowest fraud-marked score if that is lower.
    """
    if len(fraud_scores) + len(legit_scores) == 0:
        return default
    candidates = np.arange(HIGH_FLOOR / 2, 100.0, 0.5)
    sorted_scores = np.sort(scores)
    share_above = 1.0 - np.searchsorted(sorted_scores, candidates, "left") / max(len(scores), 1)
    cost = ((legit_scores[None, :] >= candidates[:, None]).sum(axis=1)
            + (fraud_scores[None, :] < candidates[:, None]).sum(axis=1)
            + np.maximum(share_above - RARE_SHARE, 0.0) * 100.0
            + np.abs(candidates - default.high) / 1000.0)
    high = float(candidates[np.argmin(cost)])
    medium = default.medium
    if len(fraud_scores):
        medium = max(min(medium, float(fraud_scores.min())), 5.0)
    medium = min(medium, high - 1.0)
    n = len(fraud_scores) + len(legit_scores)
    return Thresholds(medium=round(medium, 1), high=round(high, 1),
                      source=f"your shop's score distribution, adjusted to your {n} verdict{'s' * (n != 1)}")


def manual_thresholds(store: Store) -> Thresholds | None:
    raw = store.get_setting(THRESHOLDS_KEY)
    if not raw:
        return None
    values = json.loads(raw)
    return Thresholds(medium=float(values["medium"]), high=float(values["high"]), source="set by you")


def set_thresholds(store: Store, medium: float | None, high: float | None) -> Thresholds | None:
    """Set both thresholds by hand (0 <= medium < high <= 100), or clear them with None, None."""
    if medium is None and high is None:
        with store.transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (THRESHOLDS_KEY,))
        return None
    check_thresholds(medium, high)
    store.set_setting(THRESHOLDS_KEY, json.dumps({"medium": medium, "high": high}))
    return Thresholds(medium=medium, high=high, source="set by you")


def check_thresholds(medium: float | None, high: float | None) -> None:
    """BadInputError unless 0 <= medium < high <= 100 (checked before anything is written)."""
    if medium is None or high is None or not (0 <= medium < high <= 100):
        raise BadInputError("Risk thresholds need 0 <= medium < high <= 100, e.g. medium 30 and high 70.")


def mark_order(store: Store, order_id: str, verdict: str, note: str | None = None) -> None:
    """Record the merchant's verdict on an order: 'fraud' or 'legit' (the latest one counts)."""
    if verdict not in VERDICTS:
        raise BadInputError(f"A verdict is 'fraud' or 'legit', not '{verdict}'.")
    if not store.scalar("SELECT 1 FROM orders WHERE order_id = ?", (order_id,)):
        raise BadInputError(f"There is no order '{order_id}' in this store.")
    with store.transaction() as conn:
        conn.execute("INSERT INTO feedback(kind, subject, action, created_at, note) VALUES ('fraud', ?, ?, ?, ?)",
                     (order_id, verdict, datetime.now().strftime("%Y-%m-%d %H:%M:%S"), note))


def verdicts(store: Store) -> pd.Series:
    """order_id -> 'fraud' / 'legit', the latest verdict per order."""
    frame = store.query_df(
        "SELECT subject, action FROM feedback WHERE kind = 'fraud' AND action IN ('fraud', 'legit') "
        "ORDER BY feedback_id")
    if frame.empty:
        return pd.Series(dtype="str", name="verdict")
    return frame.groupby("subject")["action"].last().rename("verdict")


def saved_rules(store: Store) -> list[Rule]:
    """The merchant's rules, in the order they are checked (the first that matches decides)."""
    raw = store.get_setting(RULES_KEY)
    return [parse_rule(text) for text in json.loads(raw)] if raw else []


def save_rules(store: Store, texts: list[str]) -> list[Rule]:
    """Check every rule, then replace the saved list; nothing is saved if one is unreadable."""
    rules = [parse_rule(text) for text in texts if text.strip()]
    store.set_setting(RULES_KEY, json.dumps([rule.text for rule in rules]))
    return rules
