"""The merchant's say over recommendations: pins, blocks, exclusions, evidence, feedback.

Everything is stored in the store's `feedback` table (kind 'recommendation') and `settings`
table; the UI and the CLI change it only through these functions.
- pin (product A -> B): B is shown first on A's bought-together list;
- block (A, B): the pair is never shown, in either direction;
- dismissed (customer or product -> B): never suggested there again;
- accepted: marked on that list, and on a product's bought-together list shown first;
- cleared: takes back the previous verdict on that pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from merchant_ai.errors import BadInputError
from merchant_ai.store import Store
from merchant_ai.store.queries import feedback

FEEDBACK_KIND = "recommendation"
ACTIONS = ("accepted", "dismissed", "pinned", "blocked", "cleared")  # cleared: undo the previous verdict
SETTING_MIN_PAIR_ORDERS = "recommend.min_pair_orders"
SETTING_EXCLUDE_OUT_OF_STOCK = "recommend.exclude_out_of_stock"
SETTING_EXCLUDE_DISCONTINUED = "recommend.exclude_discontinued"
SETTING_MAX_REPEATS = "recommend.max_repeats"  # re-orders per customer list at most; unset = no limit


@dataclass
class Controls:
    min_pair_orders: int = 2
    exclude_out_of_stock: bool = True
    exclude_discontinued: bool = True
    max_repeats: int | None = None
    # subject -> targets, from the feedback table (latest verdict per pair wins)
    pinned: dict[str, list[str]] = field(default_factory=dict)
    blocked_pairs: set[frozenset] = field(default_factory=set)
    dismissed: dict[str, set[str]] = field(default_factory=dict)
    accepted: dict[str, set[str]] = field(default_factory=dict)

    def is_blocked(self, subject: str, target: str) -> bool:
        return frozenset((subject, target)) in self.blocked_pairs or target in self.dismissed.get(subject, set())


def load_controls(store: Store) -> Controls:
    """The merchant's settings and verdicts; the latest verdict on a (subject, target) wins."""
    controls = Controls(
        min_pair_orders=int(store.get_setting(SETTING_MIN_PAIR_ORDERS, "2")),
        exclude_out_of_stock=store.get_setting(SETTING_EXCLUDE_OUT_OF_STOCK, "1") == "1",
        exclude_discontinued=store.get_setting(SETTING_EXCLUDE_DISCONTINUED, "1") == "1",
    )
    max_repeats = store.get_setting(SETTING_MAX_REPEATS, "")
    controls.max_repeats = int(max_repeats) if max_repeats else None
    rows = feedback(store, FEEDBACK_KIND)
    if rows.empty:
        return controls
    latest = rows.drop_duplicates(["subject", "target"], keep="last")
    for subject, target, action in latest[["subject", "target", "action"]].itertuples(index=False):
        if action == "pinned":
            controls.pinned.setdefault(subject, []).append(target)
        elif action == "blocked":
            controls.blocked_pairs.add(frozenset((subject, target)))
        elif action == "dismissed":
            controls.dismissed.setdefault(subject, set()).add(target)
        elif action == "accepted":
            controls.accepted.setdefault(subject, set()).add(target)
    return controls


def record_feedback(store: Store, subject: str, target: str, action: str, note: str | None = None) -> None:
    """Store the merchant's verdict on suggesting `target` for `subject` (a SKU or customer id)."""
    if action not in ACTIONS:
        raise BadInputError(f"'{action}' is not a recommendation verdict; use one of {', '.join(ACTIONS)}.")
    if not subject or not target:
        raise BadInputError("A verdict needs both the product or customer and the suggested product.")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO feedback(kind, subject, target, action, created_at, note) VALUES (?, ?, ?, ?, ?, ?)",
            (FEEDBACK_KIND, str(subject), str(target), action, datetime.now().strftime("%Y-%m-%d %H:%M:%S"), note),
        )


def set_controls(store: Store, *, min_pair_orders: int | None = None, exclude_out_of_stock: bool | None = None,
                 exclude_discontinued: bool | None = None, max_repeats: int | None | str = "keep") -> Controls:
    """Change the merchant's recommendation settings; returns the new controls.

    max_repeats: re-orders allowed per customer list (None = no limit; "keep" = unchanged)."""
    if min_pair_orders is not None:
        if min_pair_orders < 1:
            raise BadInputError("The minimum number of shared orders must be 1 or more.")
        store.set_setting(SETTING_MIN_PAIR_ORDERS, str(int(min_pair_orders)))
    if exclude_out_of_stock is not None:
        store.set_setting(SETTING_EXCLUDE_OUT_OF_STOCK, "1" if exclude_out_of_stock else "0")
    if exclude_discontinued is not None:
        store.set_setting(SETTING_EXCLUDE_DISCONTINUED, "1" if exclude_discontinued else "0")
    if max_repeats != "keep":
        if max_repeats is not None and int(max_repeats) < 0:
            raise BadInputError("The number of re-orders per list cannot be negative.")
        store.set_setting(SETTING_MAX_REPEATS, "" if max_repeats is None else str(int(max_repeats)))
    return load_controls(store)


def allowed_items(skus: np.ndarray, products: pd.DataFrame, controls: Controls) -> np.ndarray:
    """True for each SKU that may be recommended: a product line, in stock, not discontinued.

    SKUs missing from the product list are allowed (sales lines already drop non-products);
    unknown stock (no inventory row) counts as in stock.
    """
    info = products.set_index("sku").reindex(pd.Index(skus, dtype=object))
    allowed = info["is_product"].fillna(1).astype(int).to_numpy() == 1
    if controls.exclude_out_of_stock:
        on_hand = info["on_hand"].astype(float).to_numpy()
        allowed &= ~(on_hand <= 0)
    if controls.exclude_discontinued:
        discontinued = info["discontinued"].fillna(0).astype(int).to_numpy() == 1
        archived = info["status"].astype(object).fillna("").str.lower().to_numpy() == "archived"
        allowed &= ~(discontinued | archived)
    return allowed
