"""Draft replies: the intent's template filled with the linked order's facts and the shop's policies.

A fact the store does not hold is never made up: the draft says, in brackets, what is missing
("[tracking number: not in your store; add it before sending]") and lists it in `missing`.
The store's orders carry no tracking number today, so a tracking draft always says so unless
an import added a tracking column. Drafts are never sent: the owner copies one or saves it as
an .eml file for their mail program.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

import pandas as pd

from merchant_ai.services.messages.templates import policies, template_for
from merchant_ai.store import Store

_TRACKING_COLUMNS = ("tracking_number", "tracking_company", "tracking_url")
_FULFILMENT_COLUMNS = ("fulfillment_status", "fulfilment_status", "fulfilled_at")


def _missing(what: str) -> str:
    return f"[{what}: not in your store; add it before sending]"


@dataclass
class Draft:
    message_id: str
    intent: str
    to: str | None
    subject: str
    body: str
    order_id: str | None
    missing: list[str] = field(default_factory=list)
    in_reply_to: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def to_eml(self) -> bytes:
        """An unsent reply for the owner's mail program (X-Unsent makes Outlook open it as a draft)."""
        mail = EmailMessage()
        if self.to:
            mail["To"] = self.to
        mail["Subject"] = self.subject
        mail["Date"] = formatdate(localtime=True)
        if self.in_reply_to and not self.in_reply_to.startswith(("h-", "c-")):
            mail["In-Reply-To"] = f"<{self.in_reply_to}>"
            mail["References"] = f"<{self.in_reply_to}>"
        mail["X-Unsent"] = "1"
        mail.set_content(self.body)
        return bytes(mail)

    def save_eml(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_bytes(self.to_eml())
        return path


def order_facts(store: Store, order_id: str | None) -> dict[str, str | None]:
    """The facts a reply may state about an order; None where the store does not know."""
    facts: dict[str, str | None] = {k: None for k in ("order_number", "order_date", "items", "order_total",
                                                      "payment_status", "fulfilment", "tracking", "refund_state")}
    if order_id is None:
        return facts
    order = store.query_df("SELECT * FROM orders WHERE order_id = ?", (order_id,))
    if order.empty:
        return facts
    row = order.iloc[0]
    lines = store.query_df("SELECT title, sku, quantity FROM order_lines WHERE order_id = ? AND is_product = 1 "
                           "AND quantity > 0 ORDER BY line_no", (order_id,))
    facts["order_number"] = str(order_id)
    facts["order_date"] = str(row["created_at"])[:10]
    if not lines.empty:
        names = [f"{q:g} x {t or s}" for t, s, q in lines.itertuples(index=False)]
        facts["items"] = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    if pd.notna(row.get("total")):
        facts["order_total"] = f"{row['total']:.2f} {row.get('currency') or ''}".strip()
    facts["payment_status"] = row.get("financial_status") if pd.notna(row.get("financial_status")) else None
    refunded = float(row.get("refunded_amount") or 0)
    if pd.notna(row.get("cancelled_at")):
        facts["refund_state"] = f"the order was cancelled on {str(row['cancelled_at'])[:10]}"
        facts["fulfilment"] = "cancelled"
    elif refunded > 0:
        facts["refund_state"] = f"a refund of {refunded:.2f} {row.get('currency') or ''} was issued".strip()
    else:
        facts["refund_state"] = "no refund has been issued on it so far"
    for column in _FULFILMENT_COLUMNS:
        if column in row.index and pd.notna(row[column]) and facts["fulfilment"] is None:
            facts["fulfilment"] = str(row[column])
    tracking = [str(row[c]) for c in _TRACKING_COLUMNS if c in row.index and pd.notna(row[c]) and str(row[c]).strip()]
    facts["tracking"] = " ".join(tracking) or None
    return facts


_MISSING_WORDS = {
    "order_number": "order number", "order_date": "order date", "items": "items of the order",
    "order_total": "order total", "payment_status": "payment status", "fulfilment": "shipping status",
    "tracking": "tracking number", "refund_state": "refund state", "return_window": "return window",
    "shipping_times": "shipping times", "shop_name": "shop name", "signature": "signature",
}


def build_draft(store: Store, message: dict, *, intent: str, order_id: str | None,
                template: str | None = None) -> Draft:
    """The reply draft for one message (`message`: a messages row as a dict)."""
    policy = policies(store)
    facts = order_facts(store, order_id)
    window = policy.get("return_window_days")
    facts.update({
        "return_window": f"{window} days" if window else None,
        "shipping_times": policy.get("shipping_times"),
        "shop_name": policy.get("shop_name"),
        "signature": policy.get("signature") or (f"Best wishes,\n{policy['shop_name']}" if policy.get("shop_name")
                                                 else None),
    })
    name = (message.get("sender_name") or "").split(" ")[0]
    facts["greeting"] = f"Hello {name}," if name else "Hello,"
    text = template or template_for(store, intent)
    missing = []
    for key, value in facts.items():
        placeholder = "{" + key + "}"
        if placeholder not in text:
            continue
        if value is None:
            missing.append(_MISSING_WORDS.get(key, key))
            value = _missing(_MISSING_WORDS.get(key, key))
        text = text.replace(placeholder, str(value))
    # a fact that starts a sentence ("no refund has been issued ...") starts with a capital
    text = re.sub(r"([.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    subject = message.get("subject") or ""
    return Draft(message_id=message["message_id"], intent=intent, to=message.get("sender_email"),
                 subject=subject if subject.lower().startswith("re:") else f"Re: {subject}".strip(),
                 body=text, order_id=order_id, missing=missing, in_reply_to=message["message_id"])
