"""What the merchant did with a price suggestion (applied / dismissed), and the export of
applied changes as a Shopify product CSV the shop platform re-imports.

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
from merchant_ai.store import queries
from merchant_ai.store.db import Store

ACTIONS = ("accepted", "dismissed")
SHOPIFY_COLUMNS = ["Handle", "Title", "Variant SKU", "Variant Price", "Variant Compare At Price"]


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


def remember_run(store: Store, products: pd.DataFrame, *, as_of: str | None, params_json: str) -> int:
    """Keep a pricing run (one row per product) so the dashboard can show it without recomputing;
    it replaces the earlier run for the same as_of."""
    created = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    payloads = products.astype(object).where(products.notna(), None).to_dict(orient="records")
    with store.transaction() as conn:
        # only the latest run is ever read: drop the earlier ones so the store does not grow per run
        conn.execute("DELETE FROM analysis_results WHERE run_id IN "
                     "(SELECT run_id FROM analysis_runs WHERE kind = 'price' AND as_of IS ?)", (as_of,))
        conn.execute("DELETE FROM analysis_runs WHERE kind = 'price' AND as_of IS ?", (as_of,))
        cursor = conn.execute(
            "INSERT INTO analysis_runs(kind, as_of, created_at, params_json) VALUES ('price', ?, ?, ?)",
            (as_of, created, params_json))
        run_id = int(cursor.lastrowid)
        conn.executemany("INSERT INTO analysis_results(run_id, subject, payload_json) VALUES (?, ?, ?)",
                         [(run_id, str(p["sku"]), json.dumps(p, default=str)) for p in payloads])
    return run_id


def latest_run(store: Store) -> tuple[str, pd.DataFrame] | None:
    """(created_at, products) of the latest remembered run for today (no as_of), or None."""
    row = store.conn.execute(
        "SELECT run_id, created_at FROM analysis_runs WHERE kind = 'price' AND as_of IS NULL "
        "ORDER BY run_id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    payloads = store.query_df("SELECT payload_json FROM analysis_results WHERE run_id = ?", (row[0],))
    return row[1], pd.DataFrame([json.loads(p) for p in payloads["payload_json"]])
