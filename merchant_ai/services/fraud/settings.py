"""What the merchant tells the risk check: verdicts on orders, thresholds, and rules.

Verdicts live in the `feedback` table (kind 'fraud', latest per order wins); thresholds and
rules in `settings` (JSON). The threshold arithmetic itself is store-free (thresholds.py);
thresholds set here by hand win over it.
"""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from merchant_ai.errors import BadInputError
from merchant_ai.services.fraud.rules import Rule, parse_rule
from merchant_ai.services.fraud.thresholds import Thresholds, check_thresholds
from merchant_ai.store import Store

VERDICTS = ("fraud", "legit")
THRESHOLDS_KEY, RULES_KEY = "fraud.thresholds", "fraud.rules"


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
