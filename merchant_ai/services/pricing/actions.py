"""What the merchant saves about prices: the guardrails, what they did with a suggestion
(applied / dismissed), and the export of applied changes as a Shopify product CSV the shop
platform re-imports.

Decisions live in the store's `feedback` table (kind 'price'); the latest one per product wins.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from merchant_ai.errors import BadInputError
from merchant_ai.services.pricing.guardrails import SETTINGS_KEY, Guardrails
from merchant_ai.store import queries
from merchant_ai.store.db import Store

ACTIONS = ("accepted", "dismissed")
SHOPIFY_COLUMNS = ["Handle", "Title", "Variant SKU", "Variant Price", "Variant Compare At Price"]


def load_guardrails(store: Store) -> Guardrails:
    """The merchant's saved guardrails (defaults when none are saved)."""
    return Guardrails.from_json(store.get_setting(SETTINGS_KEY))


def save_guardrails(store: Store, rails: Guardrails, **_task) -> None:
    """Remember the guardrails (the task helper's progress/cancel are not needed)."""
    store.set_setting(SETTINGS_KEY, rails.to_json())


def record_price_decision(store: Store, sku: str, action: str, *, current_price: float,
                          suggested_price: float) -> None:
    """Store the merchant's verdict on one suggestion ('accepted' or 'dismissed')."""
    if action not in ACTIONS:
        raise BadInputError(f"A price decision is 'accepted' or 'dismissed', not '{action}'.")
    if store.scalar("SELECT 1 FROM products WHERE sku = ?", (sku,)) is None:
        raise BadInputError(f"There is no product with SKU {sku}.")
    if not (suggested_price > 0 and current_price > 0):
        raise BadInputError("Prices must be positive numbers.")
    note = json.dumps({"current_price": round(float(current_price), 2),
                       "suggested_price": round(float(suggested_price), 2)})
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO feedback(kind, subject, target, action, created_at, note) VALUES ('price', ?, ?, ?, ?, ?)",
            (sku, f"{suggested_price:.2f}", action, datetime.now().strftime("%Y-%m-%d %H:%M:%S"), note),
        )


def latest_price_decisions(store: Store) -> pd.DataFrame:
    """The latest decision per product: sku, action, current_price, suggested_price, decided_at."""
    rows = queries.feedback(store, "price")
    columns = ["sku", "action", "current_price", "suggested_price", "decided_at"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    latest = rows.groupby("subject").tail(1)
    notes = latest["note"].map(json.loads)
    return pd.DataFrame({
        "sku": latest["subject"].to_numpy(), "action": latest["action"].to_numpy(),
        "current_price": notes.map(lambda n: n["current_price"]).to_numpy(float),
        "suggested_price": notes.map(lambda n: n["suggested_price"]).to_numpy(float),
        "decided_at": latest["created_at"].to_numpy(),
    })


def export_accepted_prices(store: Store, path: str | Path) -> int:
    """Write the accepted price changes as a Shopify product CSV; returns the row count.

    Handle is the product title in Shopify's handle form (lower case, dashes). A markdown
    keeps the old price as 'Variant Compare At Price' so the shop shows it as a sale.
    """
    decisions = latest_price_decisions(store)
    accepted = decisions[decisions["action"] == "accepted"]
    if accepted.empty:
        raise BadInputError("No price changes have been applied yet, so there is nothing to export.")
    titles = queries.products(store).set_index("sku")["title"]
    target = Path(path)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SHOPIFY_COLUMNS)
        for row in accepted.itertuples(index=False):
            title = str(titles.get(row.sku) or row.sku)
            compare_at = f"{row.current_price:.2f}" if row.suggested_price < row.current_price else ""
            writer.writerow([shopify_handle(title), title, row.sku, f"{row.suggested_price:.2f}", compare_at])
    return len(accepted)


def shopify_handle(title: str) -> str:
    """Shopify's default handle for a title: lower case words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "product"
