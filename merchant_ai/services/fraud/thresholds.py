"""Store-free: risk levels from scores, and the thresholds between them.

Levels: "high" from the high threshold up, "medium" from the medium one. Default thresholds
come from the shop's own score distribution so that "high" stays rare; the merchant's
verdicts then move them (recalibration), unless the merchant set them by hand (settings.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from merchant_ai.errors import BadInputError

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


def check_thresholds(medium: float | None, high: float | None) -> None:
    """BadInputError unless 0 <= medium < high <= 100 (checked before anything is written)."""
    if medium is None or high is None or not (0 <= medium < high <= 100):
        raise BadInputError("Risk thresholds need 0 <= medium < high <= 100, e.g. medium 30 and high 70.")
