"""Messages and reviews services and commands: drafts, linking, urgency, topics, JSON shapes."""

from __future__ import annotations

import email
import email.policy
import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from merchant_ai.services.messages import actions, templates
from merchant_ai.services.messages.inbox import draft_for, inbox
from merchant_ai.services.messages.urgency import urgency
from merchant_ai.store import open_store

MESSAGE_KEYS = {"message_id", "received_at", "sender", "subject", "intent", "intent_confidence", "sentiment",
                "urgency", "order_id", "customer_id", "draft_reply"}


def _cli(*args):
    return subprocess.run([sys.executable, "main.py", *args], capture_output=True, text=True, check=False)


def _linked_message(store) -> tuple[dict, dict]:
    """A demo message linked to an order (the inbox item, and its stored row)."""
    item = next(m for m in inbox(store, with_drafts=False).messages if m["order_id"])
    row = store.query_df("SELECT * FROM messages WHERE message_id = ?", (item["message_id"],)).iloc[0].to_dict()
    return item, row


def _draft(store, intent: str):
    from merchant_ai.services.messages.drafts import build_draft

    item, row = _linked_message(store)
    return item, build_draft(store, row, intent=intent, order_id=item["order_id"])


def test_a_tracking_draft_says_the_tracking_number_is_missing_instead_of_inventing_one(demo_store):
    with open_store(demo_store) as store:
        message, draft = _draft(store, "track_order")
        lines = store.query_df("SELECT title FROM order_lines WHERE order_id = ?", (message["order_id"],))
    assert "tracking number" in draft.missing
    assert "[tracking number: not in your store; add it before sending]" in draft.body
    assert draft.order_id == message["order_id"] and message["order_id"] in draft.body
    assert lines["title"].iloc[0] in draft.body
    numbers = set(re.findall(r"\d{4,}", draft.body)) - {message["order_id"].lstrip("#")}
    assert numbers <= set(re.findall(r"\d{4,}", draft.body.split("Tracking")[0]))  # no number made up for tracking


def test_a_draft_uses_the_policies_entered_once_and_names_the_ones_missing(demo_store):
    with open_store(demo_store) as store:
        _, before = _draft(store, "get_refund")
        assert "return window" in before.missing and "[return window: not in your store" in before.body
        templates.set_policies(store, return_window_days="30", shop_name="Kettle Corner", signature="Best, Jo")
        _, after = _draft(store, "get_refund")
    assert "30 days" in after.body and after.body.rstrip().endswith("Best, Jo")
    assert "return window" not in after.missing


def test_an_edited_template_is_used_and_an_unknown_placeholder_is_refused(demo_store):
    from merchant_ai.errors import BadInputError

    with open_store(demo_store) as store:
        with pytest.raises(BadInputError):
            templates.set_template(store, "track_order", "Your parcel {tracking_code}")
        templates.set_template(store, "track_order", "{greeting}\n\nOrder {order_number}: on its way.")
        _, draft = _draft(store, "track_order")
    assert draft.body.endswith(": on its way.") and draft.missing == []


def test_a_complaint_about_a_late_order_of_a_repeat_customer_comes_first():
    common = {"sentiment": -0.6, "customer_messages_in_thread": 1, "answered": False, "done": False, "shipping_days": 5,
                  "waiting_days": 1}
    late_repeat = urgency(intent="complaint", order_age_days=12, order_closed=False, customer_orders=6, **common)
    late_new = urgency(intent="complaint", order_age_days=12, order_closed=False, customer_orders=1, **common)
    newsletter = urgency(intent="newsletter_subscription", order_age_days=None, order_closed=False,
                         customer_orders=6, **{**common, "sentiment": 0.3})
    answered = urgency(intent="complaint", order_age_days=12, order_closed=False, customer_orders=6,
                       **{**common, "answered": True})
    assert late_repeat.score > late_new.score > newsletter.score
    assert answered.score < late_repeat.score / 2
    assert any("past the 5-day delivery time" in r for r in late_repeat.reasons)


def test_messages_link_by_order_number_else_by_the_senders_latest_order(store_path):
    from merchant_ai.services.messages.linking import OrderLinker

    with open_store(store_path) as store, store.transaction() as conn:
        conn.execute("INSERT INTO customers(customer_id, email_hash) VALUES ('c1', 'h1')")
        for oid, day in (("#1001", "2024-01-05"), ("#1002", "2024-02-05"), ("#1003", "2024-03-05")):
            conn.execute("INSERT INTO orders(order_id, created_at, customer_id, email_hash) VALUES (?, ?, 'c1', 'h1')",
                         (oid, day + " 10:00:00"))
        conn.execute("INSERT INTO order_lines(order_id, line_no, title, quantity) VALUES ('#1001', 1, 'Oak mug', 1)")
        conn.execute("INSERT INTO order_lines(order_id, line_no, title, quantity) VALUES ('#1002', 1, 'Linen scarf', 1)")
    with open_store(store_path) as store:
        linker = OrderLinker(store)
        by_number = linker.link(sender_hash=None, received_at="2024-04-01", subject="Order 1001", text="hi")
        by_address = linker.link(sender_hash="h1", received_at="2024-02-20", subject="Hi", text="where is it, call 0123456")
        unknown = linker.link(sender_hash="nobody", received_at="2024-02-20", subject="Hi", text="order 9999")
        named = linker.link(sender_hash="h1", received_at="2024-04-01", subject=None, text="The OAK MUG arrived broken")
    assert named.order_id == "#1001"  # an older order, but the one holding the product the message names
    assert (by_number.order_id, by_number.customer_id) == ("#1001", "c1")
    assert (by_address.order_id, by_address.how) == ("#1002", "sender's latest order")
    assert unknown.order_id is None and unknown.customer_id is None


def test_done_messages_drop_to_the_bottom_and_the_shops_own_replies_are_not_listed(demo_store):
    with open_store(demo_store) as store:
        first = inbox(store).messages[0]
        actions.mark_done(store, first["message_id"])
        after = inbox(store)
        shop = store.scalar("SELECT COUNT(*) FROM messages WHERE sender_hash = 'demo-shop'")
        total = store.scalar("SELECT COUNT(*) FROM messages")
    done = next(m for m in after.messages if m["message_id"] == first["message_id"])
    assert done["status"] == "done" and done["urgency"] == 0 and after.messages[-1]["urgency"] == 0
    assert shop > 0 and len(after.messages) == total - shop
    assert any(m["answered"] for m in after.messages)


def test_messages_command_prints_the_documented_json_and_one_draft_as_eml(demo_store, tmp_path):
    result = _cli("messages", "--db", str(demo_store), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["messages"] and all(MESSAGE_KEYS <= set(m) for m in payload["messages"])
    urgencies = [m["urgency"] for m in payload["messages"]]
    assert urgencies == sorted(urgencies, reverse=True)
    target = payload["messages"][0]["message_id"]
    eml = tmp_path / "reply.eml"
    one = _cli("messages", "--db", str(demo_store), "--draft", target, "--save-eml", str(eml))
    assert one.returncode == 0, one.stderr and "Subject: Re:" in one.stdout
    saved = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert saved["X-Unsent"] == "1" and saved["Subject"].startswith("Re:")
    assert _cli("messages", "--db", str(demo_store), "--draft", "no-such-id").returncode == 2
    with open_store(demo_store) as store:
        assert draft_for(store, target).message_id == target


def test_reviews_command_prints_reviews_and_products_with_praise_and_complaints(demo_store):
    result = _cli("reviews", "--db", str(demo_store), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    review = payload["reviews"][0]
    assert {"review_id", "product", "rating", "sentiment", "topics"} <= set(review)
    assert all(-1 <= r["sentiment"] <= 1 for r in payload["reviews"])
    product = payload["products"][0]
    assert {"product", "reviews", "average_rating", "praise", "complaints"} <= set(product)
    assert product["praise"] and all(len(p["quotes"]) <= 2 and p["count"] >= len(p["quotes"]) for p in product["praise"])
    assert any(p["turned_worse"] for p in payload["products"])  # the demo's two best sellers got worse


def test_review_topics_per_clause_and_a_five_star_complaint_is_flagged(store_path, tmp_path):
    from merchant_ai.services.imports import import_file
    from merchant_ai.services.reviews.analysis import analyze
    from tests.support.review_fixtures import REVIEWS, write_reviews

    odd = ("oak-candle", 5, "Hmm", "Terrible. It arrived broken and the seller never replied.", "2024-06-03 10:00:00",
           "Dan Ek", "dan@example.com")
    with open_store(store_path) as store:
        import_file(store, write_reviews(tmp_path / "r.csv", "shopify_reviews", REVIEWS + [odd]))
        result = analyze(store)
    by_text = {r["text"].split(". ", 1)[-1]: r for r in result.reviews}
    broken = by_text["Arrived broken, the glass was cracked. Poor packaging."]
    assert {"quality", "packaging"} <= set(broken["topics"]) and broken["sentiment"] < 0
    assert by_text[odd[3]]["mismatch"] == "high stars, but the text complains"
    candle = next(p for p in result.products if p["product"] == "oak-candle")
    assert {c["topic"] for c in candle["complaints"]} >= {"quality"}


@pytest.mark.parametrize("kind,key", [("--messages", "intent"), ("--reviews", "sentiment")])
def test_classify_command_prints_one_item_per_line(tmp_path, kind, key):
    path = tmp_path / "texts.txt"
    path.write_text("the vase arrived broken\n\nwhere is my order 1042?\n质量很好，物流很快\n", encoding="utf-8")
    result = _cli("classify", kind, str(path), "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    assert [i["text"] for i in items] == ["the vase arrived broken", "where is my order 1042?", "质量很好，物流很快"]
    assert all({"text", key, "confidence"} <= set(i) and 0 <= i["confidence"] <= 1 for i in items)
    if key == "intent":
        assert items[0]["intent"] == "damaged_item" and items[1]["intent"] == "track_order"
    else:
        assert items[0]["sentiment"] < 0 < items[2]["sentiment"]
    assert _cli("classify", kind, str(tmp_path / "missing.txt")).returncode == 2


def test_the_messages_inbox_answers_as_of_a_date_with_mail_before_it_only(demo_store):
    with open_store(demo_store) as store:
        everything = inbox(store, with_drafts=False)
        cut = sorted(m["received_at"] for m in everything.messages)[len(everything.messages) // 2][:10]
        earlier = inbox(store, as_of=cut, with_drafts=False)
    assert 0 < len(earlier.messages) < len(everything.messages)
    assert all(m["received_at"] < cut for m in earlier.messages)
    assert pd.Series([m["intent"] for m in everything.messages]).nunique() >= 5
