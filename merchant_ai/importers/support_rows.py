"""Mail records and review/message spreadsheet rows -> the store's `messages` and `reviews` rows.

Personal data is kept as for orders: with privacy on, an address or a name is stored only as
the store's salted hash (so a sender is still matched to a customer) plus initials. Review
and message ids that an export does not give are salted hashes of the row's content, so the
same review imported twice (or in an overlapping export) is one row.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from merchant_ai.importers.dates import parse_date_column
from merchant_ai.importers.parsing import clean_identifier, parse_amount_column, parse_flag
from merchant_ai.importers.privacy import initials, salted_hash
from merchant_ai.importers.report import Notes, row_examples

MESSAGE_COLUMNS = ["message_id", "thread_id", "in_reply_to", "received_at", "sender_hash", "sender_email",
                   "sender_name", "sender_initials", "recipient_hash", "subject", "body", "clean_text",
                   "order_ref", "source"]
REVIEW_COLUMNS = ["review_id", "product", "rating", "title", "body", "created_at", "reviewer_hash",
                  "reviewer_name", "reviewer_initials", "reply", "status", "source"]


def _content_id(prefix: str, salt: str, *parts) -> str:
    text = "\x1f".join("" if p is None or (isinstance(p, float) and pd.isna(p)) else str(p) for p in parts)
    return prefix + hashlib.sha256((salt + "\x00" + text).encode("utf-8")).hexdigest()[:24]


def resolve_threads(records: list[dict], known: dict[str, str]) -> None:
    """A reply without References joins its parent's thread (parent in this file or the store)."""
    threads = dict(known)
    for record in sorted(records, key=lambda r: r["received_at"] or ""):
        parent = record.get("in_reply_to")
        if parent and parent in threads and record["thread_id"] in (parent, record["message_id"]):
            record["thread_id"] = threads[parent]
        threads[record["message_id"]] = record["thread_id"]


def message_rows(records: list[dict], salt: str, privacy: bool) -> pd.DataFrame:
    rows = []
    for r in records:
        email_, name = r.get("sender_email"), r.get("sender_name")
        rows.append({
            **{k: r.get(k) for k in ("message_id", "thread_id", "in_reply_to", "received_at", "subject", "body",
                                     "clean_text", "order_ref", "source")},
            "sender_hash": salted_hash(email_, salt) or (salted_hash(name, salt) if name else None),
            "sender_email": None if privacy else email_,
            "sender_name": None if privacy else name,
            "sender_initials": initials(name),
            "recipient_hash": salted_hash(r.get("recipient_email"), salt),
        })
    return pd.DataFrame(rows, columns=MESSAGE_COLUMNS)


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    values = frame[name].fillna("").astype(str).str.strip()
    return values.astype(object).where(values != "", None)


def _dates(frame: pd.DataFrame, name: str, notes: Notes, what: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    column = parse_date_column(frame[name])
    if column.unreadable.any():
        notes.fix(f"unreadable {what} dates were left empty", int(column.unreadable.sum()),
                  list(frame[name][column.unreadable].head(3)))
    return column.text


def review_rows(frame: pd.DataFrame, source: str, salt: str, privacy: bool, notes: Notes) -> pd.DataFrame:
    """Canonical-named text columns of a reviews export -> reviews rows (bad rows noted and left out)."""
    body, title = _text(frame, "body"), _text(frame, "title")
    product = clean_identifier(frame["product"]) if "product" in frame.columns else _text(frame, "product")
    rating = (parse_amount_column(frame["rating"].fillna("")).values if "rating" in frame.columns
              else pd.Series(float("nan"), index=frame.index))
    bad_rating = rating.notna() & ~rating.between(0, 5)
    if bad_rating.any():
        notes.fix("star ratings outside 0-5 were left empty", int(bad_rating.sum()), list(rating[bad_rating].head(3)))
        rating = rating.where(~bad_rating)
    empty = body.isna() & title.isna()
    notes.skip("no review text", int(empty.sum()), row_examples(frame.index[empty]))
    no_product = product.isna() & ~empty
    notes.skip("no product named", int(no_product.sum()), row_examples(frame.index[no_product]))
    keep = ~empty & ~no_product
    email_, name = _text(frame, "reviewer_email"), _text(frame, "reviewer_name")
    created = _dates(frame, "created_at", notes, "review")
    status = _text(frame, "status")
    if "hidden" in frame.columns:  # Judge.me's template layout says hidden TRUE/FALSE instead of a state
        hidden = parse_flag(frame["hidden"]).eq(1)
        status = status.where(~hidden, "hidden").where(hidden | status.notna(), "published")
    given_id = _text(frame, "review_id")
    rows = pd.DataFrame({
        "product": product, "rating": rating, "title": title, "body": body, "created_at": created,
        "reviewer_hash": [salted_hash(e, salt) or salted_hash(n, salt) for e, n in zip(email_, name)],
        "reviewer_name": None if privacy else name,
        "reviewer_initials": [initials(n) for n in name],
        "reply": _text(frame, "reply"), "status": status, "source": source,
    }, index=frame.index)
    ids = [
        f"{source}-{g}" if g else _content_id("r-", salt, source, p, c, h, t, b)
        for g, p, c, h, t, b in zip(given_id, rows["product"], rows["created_at"], rows["reviewer_hash"],
                                    rows["title"], rows["body"])
    ]
    rows.insert(0, "review_id", ids)
    return rows[keep].reindex(columns=REVIEW_COLUMNS)


def csv_message_records(frame: pd.DataFrame, salt: str, notes: Notes) -> list[dict]:
    """A mapped messages spreadsheet -> mail-like records (quotes stripped like mail)."""
    from merchant_ai.ml.mail_text import strip_reply

    body = _text(frame, "body")
    empty = body.isna()
    notes.skip("no message text", int(empty.sum()), row_examples(frame.index[empty]))
    received = _dates(frame, "received_at", notes, "message")
    given = _text(frame, "message_id")
    order_ref = clean_identifier(frame["order_ref"]) if "order_ref" in frame.columns else _text(frame, "order_ref")
    senders, names, subjects = (_text(frame, n) for n in ("sender_email", "sender_name", "subject"))
    records = []
    for i in frame.index[~empty]:
        sender = (senders[i] or "").lower() or None
        message_id = given[i] or _content_id("c-", salt, received[i], sender, body[i])
        records.append({"message_id": message_id, "thread_id": message_id, "in_reply_to": None,
                        "received_at": received[i], "sender_email": sender,
                        "sender_name": names[i], "recipient_email": None, "subject": subjects[i], "body": body[i],
                        "clean_text": strip_reply(body[i]), "order_ref": order_ref[i], "source": "csv"})
    return records
