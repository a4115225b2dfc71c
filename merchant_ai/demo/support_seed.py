"""Seeded customer messages and product reviews written from a store's own orders and products.

The demo store gets them so the Messages and Reviews pages have something to show; the
linking benchmark uses `messages_from_orders` with its known truth (which order each message
is about). Half of the messages name their order number, the other half only come from the
customer's address (its hash matches the customer), as real mail does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merchant_ai.ml.mail_text import strip_reply

SHOP_HASH = "demo-shop"
WITH_NUMBER = {
    "track_order": ["Hi, where is my order {n}? It has not arrived yet.", "Any news on order {n}? Still waiting.",
                    "Could you tell me when order {n} will be delivered?"],
    "damaged_item": ["Order {n} arrived today but the {item} is broken.", "The {item} from order {n} came cracked."],
    "wrong_item": ["I received the wrong item in order {n}: I ordered the {item}.",
                   "Order {n} had something else in it instead of the {item}."],
    "get_refund": ["I sent the {item} back, when will I get my refund for order {n}?",
                   "I would like a refund for order {n}, please."],
    "cancel_order": ["Please cancel order {n}, I ordered by mistake.", "Can I still cancel order {n}?"],
    "exchange": ["Can I exchange the {item} from order {n} for another colour?"],
    "get_invoice": ["Could you send me an invoice for order {n}?"],
}
ADDRESS_ONLY = {
    "track_order": ["Hello, my parcel has still not arrived. Can you check?", "When will my order arrive?"],
    "damaged_item": ["The {item} I got from you arrived broken, very disappointing."],
    "complaint": ["This is the second time something goes wrong with my order. Not happy at all."],
    "product_question": ["Is the {item} dishwasher safe?", "Do you have the {item} in another colour?"],
    "discount_question": ["Do you have a discount code for returning customers?"],
    "review": ["Just wanted to say the {item} is lovely, thank you!"],
}
FOLLOW_UP = "Still no answer and still no parcel. Please reply!\n\nOn {d}, I wrote:\n> {q}"

GOOD = ["Lovely {noun}, exactly as pictured.", "Great quality, really well made.", "Arrived quickly and well packed.",
        "Good value for the price.", "Beautiful colour, I love it.", "Perfect size and very sturdy.",
        "The seller was very helpful when I had a question.", "Bought a second one as a gift."]
BAD = ["The {noun} arrived broken, poor packaging.", "Cheap material, it fell apart after a week.",
       "Much smaller than I expected.", "Took three weeks to arrive.", "Overpriced for what you get.",
       "Customer service never replied to my email.", "The colour is nothing like the photo."]
MIXED = ["Nice {noun} but the delivery was slow.", "Looks great, but the packaging was damaged.",
         "Good quality, however a bit expensive."]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def messages_from_orders(orders: pd.DataFrame, lines: pd.DataFrame, *, count: int, seed: int = 21,
                         with_number_share: float = 0.5) -> pd.DataFrame:
    """Message rows (store columns) + `truth_order_id`, written about random non-refund orders."""
    rng = _rng(seed)
    paid = orders[(orders["is_refund"] == 0) & orders["email_hash"].notna()]
    first_items = lines[lines["quantity"] > 0].groupby("order_id")["title"].first()
    picks = paid.sample(n=min(count, len(paid)), random_state=seed)
    rows = []
    for i, order in enumerate(picks.itertuples(index=False)):
        item = str(first_items.get(order.order_id, "item")).lower()
        numbered = rng.random() < with_number_share
        pool = WITH_NUMBER if numbered else ADDRESS_ONLY
        intent = list(pool)[rng.integers(len(pool))]
        text = str(rng.choice(pool[intent])).format(n=str(order.order_id).lstrip("#"), item=item)
        when = pd.Timestamp(order.created_at) + pd.Timedelta(hours=int(rng.integers(20, 24 * 12)))
        rows.append({"message_id": f"demo-{seed}-{i}@mail.example", "thread_id": f"demo-{seed}-{i}@mail.example",
                     "in_reply_to": None, "received_at": when.strftime("%Y-%m-%d %H:%M:%S"),
                     "sender_hash": order.email_hash, "sender_initials": None, "recipient_hash": SHOP_HASH,
                     "subject": f"Order {str(order.order_id).lstrip('#')}" if numbered else "Question",
                     "body": text, "clean_text": text, "order_ref": None, "source": "demo",
                     "truth_order_id": order.order_id, "truth_intent": intent})
    return pd.DataFrame(rows)


def demo_messages(orders: pd.DataFrame, lines: pd.DataFrame, customers: pd.DataFrame, *, count: int = 80,
                  seed: int = 21) -> pd.DataFrame:
    """The demo inbox: recent messages, a few follow-ups and shop replies, about the last 60 days' orders."""
    last = pd.Timestamp(orders["created_at"].max())
    recent = orders[pd.to_datetime(orders["created_at"]) >= last - pd.Timedelta(days=60)]
    frame = messages_from_orders(recent, lines, count=count, seed=seed)
    frame = frame[pd.to_datetime(frame["received_at"]) <= last].copy()
    initials = dict(zip(customers["email_hash"], customers["initials"]))
    frame["sender_initials"] = frame["sender_hash"].map(initials)
    rng = _rng(seed + 1)
    extra = []
    for row in frame[frame["truth_intent"] == "track_order"].head(6).itertuples(index=False):
        later = (pd.Timestamp(row.received_at) + pd.Timedelta(days=int(rng.integers(2, 5)))).strftime("%Y-%m-%d %H:%M:%S")
        body = FOLLOW_UP.format(d=row.received_at[:10], q=row.body)
        extra.append({**row._asdict(), "message_id": row.message_id.replace("@", "-2@"), "in_reply_to": row.message_id,
                      "received_at": min(later, last.strftime("%Y-%m-%d %H:%M:%S")), "subject": f"Re: {row.subject}",
                      "body": body, "clean_text": strip_reply(body)})
    for row in frame.iloc[::9].itertuples(index=False):  # the shop answered some
        extra.append({**row._asdict(), "message_id": row.message_id.replace("@", "-reply@"),
                      "in_reply_to": row.message_id, "sender_hash": SHOP_HASH, "sender_initials": None,
                      "recipient_hash": row.sender_hash, "subject": f"Re: {row.subject}",
                      "received_at": (pd.Timestamp(row.received_at) + pd.Timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S"),
                      "body": "Thank you, we are looking into it.", "clean_text": "Thank you, we are looking into it."})
    out = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    return out.drop(columns=["truth_order_id", "truth_intent"])


def demo_reviews(orders: pd.DataFrame, lines: pd.DataFrame, products: pd.DataFrame, *, count: int = 400,
                 seed: int = 22) -> pd.DataFrame:
    """Reviews of the best-selling products by customers who bought them, with stars matching the text
    (and a few that do not, so mismatches show)."""
    rng = _rng(seed)
    sold = lines[(lines["quantity"] > 0) & (lines["is_product"] == 1)].merge(
        orders[["order_id", "created_at", "email_hash"]], on="order_id")
    top = sold["sku"].value_counts().head(25).index
    picks = sold[sold["sku"].isin(top)].sample(n=min(count, len(sold)), random_state=seed)
    titles = dict(zip(products["sku"], products["title"]))
    worse = set(top[:2])  # the two best sellers get worse lately: the trend has something to show
    cutoff = pd.to_datetime(picks["created_at"]).quantile(0.7)
    last = pd.Timestamp(orders["created_at"].max())
    rows = []
    for i, line in enumerate(picks.itertuples(index=False)):
        when = min(pd.Timestamp(line.created_at) + pd.Timedelta(days=int(rng.integers(5, 30))), last)
        good_share = 0.25 if line.sku in worse and pd.Timestamp(line.created_at) > cutoff else 0.8
        kind = "good" if rng.random() < good_share else ("mixed" if rng.random() < 0.3 else "bad")
        noun = str(titles.get(line.sku, "item")).split(" ")[-1].lower()
        pool = {"good": GOOD, "bad": BAD, "mixed": MIXED}[kind]
        body = " ".join(str(s).format(noun=noun) for s in rng.choice(pool, size=int(rng.integers(1, 3)), replace=False))
        stars = {"good": rng.choice([4, 5, 5]), "mixed": rng.choice([3, 4]), "bad": rng.choice([1, 2])}[kind]
        if rng.random() < 0.03:
            stars = 5 if kind == "bad" else stars  # five stars with a complaint: the mismatch flag's case
        rows.append({"review_id": f"demo-r{i}", "product": line.sku, "rating": float(stars), "title": None,
                     "body": body, "created_at": when.strftime("%Y-%m-%d %H:%M:%S"), "reviewer_hash": line.email_hash,
                     "reviewer_name": None, "reviewer_initials": None, "reply": None, "status": "published",
                     "source": "demo"})
    return pd.DataFrame(rows)
