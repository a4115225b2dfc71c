"""Importing customer mail and reviews: parsing, threads, privacy, idempotency, undo, bad files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from merchant_ai.importers.privacy import SALT_KEY, salted_hash
from merchant_ai.services.imports import detect_file, import_file, undo_import
from tests.support.mail_fixtures import gb2312, html_only, latin1, write_eml_folder, write_mbox
from tests.support.review_fixtures import EXPECTED_FORMAT, HEADERS, write_reviews


def _messages(store):
    return store.query_df("SELECT * FROM messages ORDER BY message_id").set_index("message_id")


def test_mbox_reads_multipart_html_only_and_legacy_charsets_and_ignores_attachments(store, tmp_path):
    report = import_file(store, write_mbox(tmp_path / "Inbox.mbox"))
    assert report.messages == {"imported": 6, "updated": 0}
    rows = _messages(store)
    assert "invoice" not in rows.loc["m1@example.com", "body"].lower()  # the PDF attachment was not read
    assert "#1042 has not arrived" in rows.loc["m1@example.com", "body"]
    html = rows.loc["m2@example.com", "body"]
    assert "broken" in html and "<" not in html and "alert" not in html and "tracker.example" not in html
    assert "café est arrivé cassé" in rows.loc["m3@example.com", "body"]
    assert rows.loc["m3@example.com", "subject"] == "Café"
    assert rows.loc["m4@example.com", "body"] == "你好，我的订单还没有到。"
    assert "kaputt angekommen, schöne Grüße" in rows.loc["m5@example.com", "body"]  # unknown charset: guessed
    assert "PNG" not in rows.loc["m6@example.com", "body"]


def test_reply_joins_its_thread_with_quote_and_signature_stripped_for_classification_only(store, tmp_path):
    import_file(store, write_mbox(tmp_path / "Inbox.mbox"))
    rows = _messages(store)
    reply = rows.loc["m6@example.com"]
    assert reply["thread_id"] == "m1@example.com"
    assert reply["in_reply_to"] == "shop-reply@candles.example"
    assert reply["clean_text"] == "Still nothing, this is getting late!"
    assert "We are looking into it" in reply["body"]  # kept for display
    first = rows.loc["m1@example.com"]
    assert "+44 1234" in first["body"] and "+44 1234" not in first["clean_text"]


def test_eml_folder_gives_the_same_messages_as_the_mbox(store, tmp_path):
    detection = detect_file(write_eml_folder(tmp_path / "mails"), store=store)
    assert detection.format == "mail" and not detection.needs_mapping
    import_file(store, tmp_path / "mails")
    from_folder = _messages(store)[["subject", "clean_text", "thread_id"]]
    undo_import(store, 1)
    assert store.scalar("SELECT COUNT(*) FROM messages") == 0
    import_file(store, write_mbox(tmp_path / "Inbox.mbox"))
    assert _messages(store)[["subject", "clean_text", "thread_id"]].equals(from_folder)


def test_reimporting_the_same_mailbox_changes_nothing_and_an_overlap_adds_only_new_mail(store, tmp_path):
    path = write_mbox(tmp_path / "Inbox.mbox", [html_only, latin1])
    first = import_file(store, path)
    again = import_file(store, path)
    assert again.already_imported and again.import_id == first.import_id
    overlap = import_file(store, write_mbox(tmp_path / "Later.mbox", [latin1, gb2312]))
    assert overlap.messages == {"imported": 1, "updated": 0}
    assert store.scalar("SELECT COUNT(*) FROM messages") == 3


def test_privacy_mode_keeps_the_sender_only_as_the_customers_salted_hash(store, tmp_path):
    import_file(store, write_mbox(tmp_path / "Inbox.mbox"))
    salt = store.get_setting(SALT_KEY)
    row = _messages(store).loc["m1@example.com"]
    assert row["sender_email"] is None and row["sender_name"] is None
    assert row["sender_initials"] == "A.B."
    assert row["sender_hash"] == salted_hash("Anna@Example.com", salt)
    kept = import_file(store, write_mbox(tmp_path / "Other.mbox", [gb2312]), privacy=False)
    assert kept.messages["imported"] == 0  # already there: same message id, blanks never erase
    import_file(store, write_eml_folder(tmp_path / "new", [html_only]), privacy=False)


@pytest.mark.parametrize("layout", sorted(HEADERS))
def test_each_reviews_layout_is_detected_from_its_real_header_row_and_imported(store, tmp_path, layout):
    path = write_reviews(tmp_path / f"{layout}.csv", layout)
    assert detect_file(path, store=store).format == EXPECTED_FORMAT[layout]
    report = import_file(store, path)
    assert report.reviews == {"imported": 3, "updated": 0}
    rows = store.query_df("SELECT * FROM reviews ORDER BY rating")
    assert rows["rating"].tolist() == [1.0, 4.0, 5.0]
    assert rows["body"].str.contains("Arrived broken").any()
    assert rows["reviewer_name"].isna().all() and rows["reviewer_hash"].notna().all()
    assert rows["created_at"].iloc[0] == "2024-05-09 12:00:00"
    if layout == "judgeme_template":
        assert (rows["status"] == "hidden").sum() == 1
    assert import_file(store, path).already_imported
    undo_import(store, report.import_id)
    assert store.scalar("SELECT COUNT(*) FROM reviews") == 0


def test_overlapping_review_exports_without_ids_count_each_review_once(store, tmp_path):
    from tests.support.review_fixtures import REVIEWS

    import_file(store, write_reviews(tmp_path / "a.csv", "shopify_reviews", REVIEWS[:2]))
    second = import_file(store, write_reviews(tmp_path / "b.csv", "shopify_reviews", REVIEWS))
    assert second.reviews == {"imported": 1, "updated": 0}


def test_a_reviews_csv_in_the_owners_layout_imports_through_a_saved_mapping(store, tmp_path):
    path = tmp_path / "my reviews.csv"
    path.write_text("Item,Stars,Comment,When\nmug,2,Too small for coffee,2024-03-01\nmug,5,Love it,2024-03-02\n",
                    encoding="utf-8")
    mapping = {"__kind": "reviews", "product": "Item", "rating": "Stars", "body": "Comment", "created_at": "When"}
    first = import_file(store, path, format="generic_reviews", mapping=mapping)
    assert first.reviews["imported"] == 2
    path2 = tmp_path / "more reviews.csv"
    path2.write_text("Item,Stars,Comment,When\nvase,3,OK,2024-04-01\n", encoding="utf-8")
    assert detect_file(path2, store=store).format == "generic_reviews"  # the mapping was remembered
    assert import_file(store, path2).reviews["imported"] == 1


def test_a_messages_csv_imports_through_a_mapping_with_its_order_numbers(store, tmp_path):
    path = tmp_path / "helpdesk.csv"
    path.write_text("Date,From,Text,Order\n2024-05-01 10:00,ann@example.com,Where is my parcel?,1042\n",
                    encoding="utf-8")
    mapping = {"__kind": "messages", "received_at": "Date", "sender_email": "From", "body": "Text",
               "order_ref": "Order"}
    assert import_file(store, path, format="generic_messages", mapping=mapping).messages["imported"] == 1
    row = store.query_df("SELECT * FROM messages").iloc[0]
    assert row["order_ref"] == "1042" and row["received_at"] == "2024-05-01 10:00:00"


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary" * 50, b"From nobody\n\n"])
def test_a_damaged_mailbox_is_refused_with_exit_2_and_nothing_written(tmp_path, content):
    path = tmp_path / "broken.mbox"
    path.write_bytes(content)
    db = tmp_path / "store.db"
    result = subprocess.run([sys.executable, "main.py", "import", str(path), "--db", str(db), "--json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "broken.mbox" in result.stderr
    if db.exists():
        from merchant_ai.store import open_store

        with open_store(db) as opened:
            assert opened.scalar("SELECT COUNT(*) FROM messages") == 0


def test_import_command_reports_messages_in_json(tmp_path):
    path = write_mbox(tmp_path / "Inbox.mbox")
    result = subprocess.run([sys.executable, "main.py", "import", str(path), "--db", str(tmp_path / "s.db"), "--json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"][0]["messages"] == {"imported": 6, "updated": 0}
