"""The inbox: every customer message with intent, tone, urgency, its order and customer, a draft.

`inbox(store, as_of=None)` is what the Messages page and `merchant-ai messages` show: the
customers' messages received before `as_of` (default: all), most urgent first. The shop's own
mail (from the address customers write to: the `shop_email` policy, else the address most
messages went to) is not listed; it marks the thread as answered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from merchant_ai.errors import BadInputError, ModelUnavailableError
from merchant_ai.importers.privacy import SALT_KEY, salted_hash
from merchant_ai.ml import text_models
from merchant_ai.services.messages.drafts import Draft, build_draft
from merchant_ai.services.messages.linking import OrderLinker
from merchant_ai.services.messages.templates import policies
from merchant_ai.services.messages.urgency import urgency
from merchant_ai.store import Store

log = logging.getLogger(__name__)


@dataclass
class InboxResult:
    messages: list[dict]
    by_intent: dict[str, int]
    as_of: str | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"as_of": self.as_of, "messages": self.messages, "waiting_by_intent": self.by_intent,
                "notes": self.notes}

    def waiting(self) -> list[dict]:
        return [m for m in self.messages if m["status"] == "open" and not m["answered"]]


def _cutoff(as_of: date | str | None) -> str | None:
    return None if as_of is None else f"{pd.Timestamp(as_of):%Y-%m-%d} 00:00:00"


def shop_hashes(store: Store, frame: pd.DataFrame) -> set[str]:
    """The shop's own address(es): the `shop_email` policy, else the address most mail went to."""
    salt = store.get_setting(SALT_KEY) or ""
    found = {h for h in (salted_hash(policies(store).get("shop_email"), salt),) if h}
    recipients = frame["recipient_hash"].dropna()
    if not found and len(recipients):
        top = recipients.value_counts()
        if top.iloc[0] >= 0.5 * len(frame):
            found.add(top.index[0])
    return found


def load_messages(store: Store, as_of: date | str | None) -> pd.DataFrame:
    cutoff = _cutoff(as_of)
    where = " WHERE m.received_at < ?" if cutoff else ""
    return store.query_df(
        "SELECT m.*, a.status AS action_status, a.draft AS edited_draft FROM messages m "
        f"LEFT JOIN message_actions a ON a.message_id = m.message_id{where}", (cutoff,) if cutoff else ())


def _classify(texts: list[str], notes: list[str]):
    try:
        intents = text_models.classify_intents(texts)
        tone = text_models.message_sentiment(texts)
        return intents.labels, intents.confidence, tone.score
    except ModelUnavailableError as exc:
        notes.append(f"Intent and tone are not available: {exc.message}")
        return ["other"] * len(texts), [0.0] * len(texts), [0.0] * len(texts)


def inbox(store: Store, *, as_of: date | str | None = None, with_drafts: bool = True) -> InboxResult:
    frame = load_messages(store, as_of)
    notes: list[str] = []
    if frame.empty:
        return InboxResult([], {}, None if as_of is None else str(as_of), ["No messages imported yet."])
    own = shop_hashes(store, frame)
    from_shop = frame["sender_hash"].isin(own)
    customers = frame[~from_shop].sort_values("received_at", na_position="first").reset_index(drop=True)
    shop_mail = frame[from_shop]
    # the text says what the customer wants; a subject ("Order 1042", "Re: Question") mostly adds noise
    texts = [t if t and len(t.split()) >= 3 else f"{s or ''}. {t or ''}".strip(". ")
             for s, t in zip(customers["subject"], customers["clean_text"])]
    intents, confidence, tone = _classify(texts, notes)
    now = pd.Timestamp(_cutoff(as_of) or datetime.now())
    linker = OrderLinker(store, _cutoff(as_of))
    last_reply = shop_mail.groupby("thread_id")["received_at"].max().to_dict()
    per_thread = customers.groupby("thread_id")["message_id"].count().to_dict()
    shipping_days = _days(policies(store).get("shipping_times"))
    facts_cache: dict = {}
    out = []
    for i, row in enumerate(customers.to_dict("records")):
        link = linker.link(sender_hash=row["sender_hash"], received_at=row["received_at"], subject=row["subject"],
                           text=row["clean_text"], order_ref=row.get("order_ref"))
        created = pd.Timestamp(linker.created_of[link.order_id]) if link.order_id else None
        received = pd.Timestamp(row["received_at"]) if row["received_at"] else now
        answered = bool(row["thread_id"] in last_reply and str(last_reply[row["thread_id"]]) > str(row["received_at"]))
        status = row.get("action_status") or "open"
        closed = _order_closed(store, link.order_id, facts_cache)
        rank = urgency(
            intent=intents[i], sentiment=float(tone[i]),
            order_age_days=None if created is None else (received - created).days, order_closed=closed,
            customer_orders=linker.orders_of(link.customer_id), waiting_days=max((now - received).days, 0),
            customer_messages_in_thread=int(per_thread.get(row["thread_id"], 1)), answered=answered,
            done=status == "done", shipping_days=shipping_days)
        item = {
            "message_id": row["message_id"], "thread_id": row["thread_id"], "received_at": row["received_at"],
            "sender": row.get("sender_name") or row.get("sender_email") or row.get("sender_initials") or "unknown",
            "subject": row["subject"], "text": row["clean_text"], "intent": intents[i],
            "intent_confidence": round(float(confidence[i]), 3), "sentiment": round(float(tone[i]), 3),
            "urgency": rank.score, "urgency_reasons": rank.reasons, "order_id": link.order_id,
            "customer_id": link.customer_id, "linked_by": link.how, "answered": answered, "status": status,
        }
        if with_drafts:
            draft = _draft(store, row, item)
            item["draft_reply"], item["missing_facts"] = draft.body, draft.missing
        out.append(item)
    out.sort(key=lambda m: (-m["urgency"], m["received_at"] or ""))
    waiting = pd.Series([m["intent"] for m in out if m["status"] == "open" and not m["answered"]], dtype=object)
    return InboxResult(out, {str(k): int(v) for k, v in waiting.value_counts().items()},
                       None if as_of is None else str(as_of), notes)


def _draft(store: Store, row: dict, item: dict) -> Draft:
    draft = build_draft(store, row, intent=item["intent"], order_id=item["order_id"])
    if row.get("edited_draft"):
        draft.body, draft.missing = row["edited_draft"], []
    return draft


def _order_closed(store: Store, order_id: str | None, cache: dict) -> bool:
    """Cancelled or refunded: a late-delivery reason no longer applies."""
    if order_id is None:
        return False
    if order_id not in cache:
        row = store.conn.execute("SELECT cancelled_at, refunded_amount FROM orders WHERE order_id = ?",
                                 (order_id,)).fetchone()
        cache[order_id] = bool(row and (row[0] or (row[1] or 0) > 0))
    return cache[order_id]


def _days(shipping_times: str | None) -> int | None:
    """The longest number of days in "2-4 working days" (None when the owner has not said)."""
    import re

    numbers = [int(n) for n in re.findall(r"\d+", shipping_times or "")]
    return max(numbers) if numbers else None


def draft_for(store: Store, message_id: str, *, as_of: date | str | None = None) -> Draft:
    """The draft reply of one message (BadInputError when there is no such message)."""
    frame = load_messages(store, None)
    if frame.empty or not (frame["message_id"] == message_id).any():
        raise BadInputError(f"There is no message '{message_id}' in this store.")
    result = inbox(store, as_of=as_of, with_drafts=False)
    item = next((m for m in result.messages if m["message_id"] == message_id), None)
    if item is None:
        raise BadInputError(f"Message '{message_id}' is the shop's own mail or came after --as-of; it needs no reply.")
    row = frame[frame["message_id"] == message_id].iloc[0].to_dict()
    return _draft(store, row, item)
