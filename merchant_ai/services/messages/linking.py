"""Which order and customer a message is about.

1. An order number written in the message (subject or text; "#1042", "order 1042",
   "Bestellung 1042", "订单1042") or given in a messages CSV column, when the store has that
   order: it counts only if it exists, so a phone number or an amount never links.
2. Else the sender's orders before the message, when the sender's address (its salted hash)
   matches a customer or a guest order: the latest of the last few that holds a product the
   message names ("the oak mug arrived broken"), else simply the latest.
The customer is the linked order's, else the one whose address matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from merchant_ai.store import Store

_NUMBER = re.compile(r"([A-Za-z]{1,4}-?)?(\d{3,12})")


def _key(order_id: str) -> str:
    return re.sub(r"[\s#]", "", str(order_id)).upper()


@dataclass
class Link:
    order_id: str | None
    customer_id: str | None
    how: str  # "order number in the message" | "sender's latest order" | "sender is a customer" | ""


class OrderLinker:
    """Holds the store's order numbers and customers' address hashes for many messages at once."""

    RECENT_ORDERS = 6  # how far back a message that names a product is looked for

    def __init__(self, store: Store, as_of: str | None = None) -> None:
        self.store = store
        self.titles: dict[str, list[str]] = {}
        cutoff = " WHERE created_at < ?" if as_of else ""
        params = (as_of,) if as_of else ()
        self.orders = store.query_df(
            f"SELECT order_id, created_at, customer_id, email_hash FROM orders{cutoff}", params)
        self.orders = self.orders[~self.orders["order_id"].astype(str).str.startswith("C")]  # credit notes
        self.by_key = dict(zip(self.orders["order_id"].map(_key), self.orders["order_id"]))
        self.customer_of = dict(zip(self.orders["order_id"], self.orders["customer_id"]))
        self.created_of = dict(zip(self.orders["order_id"], self.orders["created_at"]))
        customers = store.query_df("SELECT customer_id, email_hash FROM customers WHERE email_hash IS NOT NULL")
        self.customer_by_hash = dict(zip(customers["email_hash"], customers["customer_id"]))
        ordered = self.orders.sort_values("created_at")
        self.by_customer = {c: (g["created_at"].to_numpy(), g["order_id"].to_numpy())
                            for c, g in ordered.dropna(subset=["customer_id"]).groupby("customer_id")}
        self.by_hash = {h: (g["created_at"].to_numpy(), g["order_id"].to_numpy())
                        for h, g in ordered.dropna(subset=["email_hash"]).groupby("email_hash")}

    def order_number_in(self, *texts: str | None) -> str | None:
        for text in texts:
            if not text:
                continue
            for match in _NUMBER.finditer(str(text)):
                # "ORD-1042" as a whole, else its digits ("order1042", "#1042", "订单1042")
                found = self.by_key.get(_key(match.group(0))) or self.by_key.get(match.group(2))
                if found is not None:
                    return found
        return None

    def _titles(self, order_ids: list[str]) -> None:
        wanted = [o for o in order_ids if o not in self.titles]
        if not wanted:
            return
        self.titles.update({o: [] for o in wanted})
        rows = self.store.conn.execute(
            f"SELECT order_id, lower(title) FROM order_lines WHERE order_id IN ({','.join('?' * len(wanted))})",
            wanted).fetchall()
        for order_id, title in rows:
            if title and len(title) >= 4:
                self.titles[order_id].append(title)

    def _latest(self, history, before: str | None, text: str | None) -> str | None:
        if history is None:
            return None
        dates, ids = history
        n = int(np.searchsorted(dates, before, side="left")) if before else len(dates)
        if not n:
            return None
        recent = [str(i) for i in ids[max(0, n - self.RECENT_ORDERS):n]]
        lowered = (text or "").lower()
        if lowered:
            self._titles(recent)
            named = [o for o in recent if any(t in lowered for t in self.titles[o])]
            if named:
                return named[-1]
        return recent[-1]

    def link(self, *, sender_hash: str | None, received_at: str | None, subject: str | None,
             text: str | None, order_ref: str | None = None) -> Link:
        order = self.order_number_in(order_ref, subject, text)
        if order is not None:
            return Link(order, _none(self.customer_of.get(order)), "order number in the message")
        customer = self.customer_by_hash.get(sender_hash) if sender_hash else None
        history = self.by_customer.get(customer) if customer else self.by_hash.get(sender_hash)
        order = self._latest(history, received_at, f"{subject or ''} {text or ''}")
        if order is not None:
            return Link(order, _none(self.customer_of.get(order)) or customer, "sender's latest order")
        return Link(None, customer, "sender is a customer" if customer else "")

    def orders_of(self, customer_id: str | None) -> int:
        history = self.by_customer.get(customer_id) if customer_id else None
        return 0 if history is None else len(history[0])


def _none(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value
