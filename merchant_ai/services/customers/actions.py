"""Whom to contact now, and with what: the customer action list (exportable as CSV).

Valuable customers who are slipping away come first (historic value x chance they do NOT buy
in the next 90 days), then thank-yous for the best customers, then personal recommendations
for customers who could buy more. Each row carries product suggestions from the
recommendations service when it can make them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.errors import BadInputError, MerchantError
from merchant_ai.services.customers.service import CustomerInsight
from merchant_ai.store.db import Store
from merchant_ai.store.queries import customers as customer_rows

WIN_BACK, THANK_YOU, RECOMMEND = "win-back", "thank-you", "personal recommendation"
ACTION_BY_SEGMENT = {
    "At risk": WIN_BACK, "Previously loyal": WIN_BACK, "Almost lost": WIN_BACK,
    "Champions": THANK_YOU, "Loyal": THANK_YOU,
    "Needs attention": RECOMMEND, "Active": RECOMMEND, "Promising": RECOMMEND, "New": RECOMMEND,
}
ACTION_ORDER = {WIN_BACK: 0, THANK_YOU: 1, RECOMMEND: 2}
ACTION_COLUMNS = ["customer_id", "action", "reason", "segment", "historic_value", "p_active_90d", "clv_365d",
                  "last_order_date", "suggested_products", "email", "name", "accepts_marketing"]


def _reason(row) -> str:
    chance = "" if pd.isna(row.p_active_90d) else f"; {row.p_active_90d:.0%} chance of an order in 90 days"
    return f"{row.segment}: spent {row.historic_value:,.2f}, last order {row.last_order_date}{chance}"


def action_list(insight: CustomerInsight, store: Store | None = None, *, limit: int | None = None,
                suggestions_per_customer: int = 3) -> tuple[pd.DataFrame, list[str]]:
    """The action list (ACTION_COLUMNS) and plain notes. With a store, rows get contact details
    and product suggestions."""
    table = insight.customers
    table = table.loc[table["segment"].isin(ACTION_BY_SEGMENT)].copy()
    table["action"] = table["segment"].map(ACTION_BY_SEGMENT)
    chance_lost = (1.0 - table["p_active_90d"]).fillna(1.0)
    # win-backs by value at stake; thank-yous and recommendations by what they may still spend
    worth = table["clv_365d"].fillna(table["historic_value"])
    table["priority"] = np.where(table["action"] == WIN_BACK, table["historic_value"] * chance_lost, worth)
    table = table.sort_values(["action", "priority"], key=lambda s: s.map(ACTION_ORDER) if s.name == "action" else -s,
                              kind="stable")
    if limit is not None:
        table = table.head(limit)
    table["reason"] = [_reason(row) for row in table.itertuples()]
    notes: list[str] = []
    table["suggested_products"] = ""
    table["email"], table["name"], table["accepts_marketing"] = None, None, None
    if store is not None and len(table):
        contacts = customer_rows(store).set_index("customer_id")
        contacts.index = contacts.index.astype(str)
        for column in ("email", "name", "accepts_marketing"):
            table[column] = contacts[column].reindex(table["customer_id"]).to_numpy()
        table["suggested_products"], note = _suggestions(store, insight, table["customer_id"], suggestions_per_customer)
        if note:
            notes.append(note)
    return table[ACTION_COLUMNS].reset_index(drop=True), notes


def _suggestions(store: Store, insight: CustomerInsight, customer_ids: pd.Series, k: int) -> tuple[list[str], str]:
    """Product titles suggested by the recommendations service, or empty with a note."""
    try:
        from merchant_ai.services.recommend import load_context, next_item_titles

        ctx = load_context(store, insight.as_of)
        titles = next_item_titles(ctx, list(customer_ids), k)
        return ["; ".join(titles.get(c, [])) for c in customer_ids], ""
    except (ImportError, MerchantError) as exc:
        message = getattr(exc, "message", str(exc))
        return [""] * len(customer_ids), f"Product suggestions are not available: {message}"


def export_action_list_csv(actions: pd.DataFrame, path: str | Path) -> Path:
    """Write the action list as UTF-8 CSV (with BOM, so spreadsheet tools read accents) for an
    email tool. Customer ids stay text, verbatim."""
    path = Path(path)
    if not path.parent.exists():
        raise BadInputError(f"The folder {path.parent} does not exist.")
    try:
        actions.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC)
    except OSError as exc:
        raise BadInputError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    return path
