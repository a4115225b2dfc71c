""""How accurate is this on my shop?" for the risk check: the orders of a past period, scored
with the thresholds the shop would have had on its first day, against the merchant's verdicts.

As of a date, the thresholds come from the scores of the orders before it (and the verdicts on
those orders, or the merchant's own thresholds), exactly as the Risk page sets them. The period's
orders are then scored and levelled. Where the merchant marked some of them fraud or legitimate,
the check counts how many verdicts fall on the right side (fraud held back at medium or high,
legitimate let through). Without verdicts, it says what share of the period's orders each level
would have held back. The baseline is the app's own fallback: 20 points per warning sign.
Scoring a period's order uses the shop's statistics up to the period's end (medians, usual
quantities), as the Risk page does for the latest orders.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merchant_ai.ml.backtest import BacktestSpec, Score
from merchant_ai.ml.features.fraud_indicators import INDICATORS

RAISING = [f"flag_{s.key}" for s in INDICATORS if s.effect == "raises"]
HORIZON_DAYS = 28


def _scores(store, before: pd.Timestamp, scorer: str) -> tuple[pd.Series, pd.Series]:
    """Score of every order before `before` (by the model, or by counting warning signs) and
    each order's time, indexed by order id."""
    from merchant_ai.services.fraud.service import load_history, score_frames

    orders, lines = load_history(store, before)
    scored = score_frames(orders, lines)
    if scorer == "model":
        scores = scored.scores
    else:
        scores = np.minimum(scored.features.X[RAISING].sum(axis=1).to_numpy() * 20.0, 100.0)
    index = pd.Index(scored.features.order_ids, name="order_id")
    return (pd.Series(np.asarray(scores, dtype=float), index=index),
            pd.Series(scored.features.context["created_at"].to_numpy(), index=index))


def _thresholds(store, as_of: pd.Timestamp, scorer: str) -> dict:
    from merchant_ai.services.fraud.service import thresholds_for
    from merchant_ai.services.fraud.settings import verdicts

    scores, _ = _scores(store, as_of, scorer)
    if scores.empty:
        from merchant_ai.errors import NotEnoughDataError

        raise NotEnoughDataError(f"There are no orders before {as_of:%Y-%m-%d} to set thresholds from.")
    marks = verdicts(store).reindex(scores.index).reset_index(drop=True)
    return {"scorer": scorer, "thresholds": thresholds_for(store, scores.to_numpy(), marks)}


def _answer(store, as_of: pd.Timestamp) -> dict:
    return _thresholds(store, as_of, "model")


def _warning_signs(store, as_of: pd.Timestamp) -> dict:
    return _thresholds(store, as_of, "warning signs")


def _score(store, answer: dict, as_of: pd.Timestamp, until: pd.Timestamp) -> Score:
    from merchant_ai.services.fraud.settings import verdicts

    scores, placed = _scores(store, until, answer["scorer"])
    period = scores[(placed >= as_of).to_numpy()]
    level = pd.Series(answer["thresholds"].level(period.to_numpy()), index=period.index)
    held = level != "low"
    marks = verdicts(store).reindex(period.index)
    fraud, legit = marks == "fraud", marks == "legit"
    marked = int(fraud.sum() + legit.sum())
    metrics = {
        "verdicts_right": float(((fraud & held).sum() + (legit & ~held).sum()) / marked) if marked else float("nan"),
        "fraud_held": float((fraud & held).sum() / fraud.sum()) if fraud.any() else float("nan"),
        "legit_held": float((legit & held).sum() / legit.sum()) if legit.any() else float("nan"),
        "high_share": float((level == "high").mean()) if len(level) else float("nan"),
        "medium_share": float((level == "medium").mean()) if len(level) else float("nan"),
        "verdicts_in_period": float(marked),
    }
    return Score(metrics=metrics, n_evaluated=len(period))


def _describe(method: dict, baseline: dict) -> str:
    """No verdicts on the period's orders: what each level would have held back."""
    return (f"there are no verdicts of yours on its orders to check against. The risk check would have "
            f"held back {method['high_share']:.1%} of them as high risk and {method['medium_share']:.1%} as "
            f"medium; counting warning signs would have held back {baseline['high_share']:.1%} and "
            f"{baseline['medium_share']:.1%}. Mark orders fraud or legitimate to measure accuracy.")


FRAUD_BACKTEST = BacktestSpec(
    capability="fraud", answer=_answer, baseline=_warning_signs, score=_score,
    primary_metric="verdicts_right", higher_is_better=True, horizon_days=HORIZON_DAYS,
    method_label="the risk check", baseline_label="counting warning signs (20 points each)",
    metric_labels={"verdicts_right": "your verdicts on the right side (fraud held back, legitimate let through)",
                   "fraud_held": "orders you marked fraud that were held back (medium or high)",
                   "legit_held": "orders you marked legitimate that were held back anyway",
                   "high_share": "share of the period's orders at high risk",
                   "medium_share": "share of the period's orders at medium risk",
                   "verdicts_in_period": "your verdicts on the period's orders"},
    describe=_describe,
)
