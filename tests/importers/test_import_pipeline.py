"""The import pipeline's promises: idempotent, overlap-safe, undoable, cancellable, private,
offline, and the store unchanged on bad input."""

from __future__ import annotations

import socket
from datetime import datetime

import pytest

from merchant_ai.errors import BadInputError, CancelledError, UnknownFormatError
from merchant_ai.services.imports import (
    canonical_fields,
    detect_file,
    import_file,
    list_imports,
    undo_import,
    validate_mapping,
)
from tests.importers import exports as ex
from tests.importers.conftest import store_snapshot


def _invoice(
    number: str, date: str, sku: str = "M1", qty: str = "2", price: str = "2.50", customer: str = "12345"
):
    return {
        "InvoiceNo": number,
        "StockCode": sku,
        "Description": f"ITEM {sku}",
        "Quantity": qty,
        "InvoiceDate": date,
        "UnitPrice": price,
        "CustomerID": customer,
        "Country": "France",
    }


JAN_MAR = [
    _invoice("1001", "2011-01-10 10:00:00"),
    _invoice("1002", "2011-02-10 10:00:00"),
    _invoice("1003", "2011-03-10 10:00:00"),
]
MAR_MAY = [
    _invoice("1003", "2011-03-10 10:00:00"),
    _invoice("1004", "2011-04-10 10:00:00"),
    _invoice("1005", "2011-05-10 10:00:00", customer="12346"),
]


def _write(tmp_path, name, rows):
    return ex.write_export(tmp_path / name, ex.ONLINE_RETAIL, rows)


def test_importing_the_same_file_twice_changes_nothing(store, tmp_path):
    path = _write(tmp_path, "jan-mar.csv", JAN_MAR)
    first = import_file(store, path)
    before = store_snapshot(store)
    second = import_file(store, path)
    assert second.already_imported and second.import_id == first.import_id
    assert store_snapshot(store) == before
    assert "already imported" in second.to_text()


def test_overlapping_exports_merge_without_double_counting(store, tmp_path):
    import_file(store, _write(tmp_path, "jan-mar.csv", JAN_MAR))
    report = import_file(store, _write(tmp_path, "mar-may.csv", MAR_MAY))
    assert report.orders == {"imported": 2, "updated": 0}
    assert report.lines == {"imported": 2, "updated": 0}
    assert store.scalar("SELECT COUNT(*) FROM orders") == 5
    assert store.scalar("SELECT SUM(line_total) FROM order_lines") == 25.0


def test_a_changed_row_is_updated_and_undo_restores_it_exactly(store, tmp_path):
    import_file(store, _write(tmp_path, "jan-mar.csv", JAN_MAR))
    before = store_snapshot(store)
    changed = [dict(MAR_MAY[0], Quantity="3")] + MAR_MAY[1:]
    report = import_file(store, _write(tmp_path, "mar-may.csv", changed))
    assert report.lines == {"imported": 2, "updated": 1}
    assert store.scalar("SELECT quantity FROM order_lines WHERE order_id = '1003'") == 3
    undo_import(store, report.import_id)
    after = store_snapshot(store)
    assert after["imports"] != before["imports"]  # the log keeps the undone import
    assert {k: v for k, v in after.items() if k != "imports"} == {
        k: v for k, v in before.items() if k != "imports"
    }
    assert list_imports(store)["status"].tolist() == ["undone", "done"]


def test_undo_of_the_first_import_empties_the_store_and_the_file_can_be_imported_again(store, tmp_path):
    path = _write(tmp_path, "jan-mar.csv", JAN_MAR)
    report = import_file(store, path)
    undo_import(store, report.import_id)
    assert (
        store.scalar("SELECT COUNT(*) FROM orders") == 0
        and store.scalar("SELECT COUNT(*) FROM customers") == 0
    )
    again = import_file(store, path)
    assert not again.already_imported and again.orders["imported"] == 3
    with pytest.raises(BadInputError):
        undo_import(store, report.import_id)


def test_undo_is_refused_while_a_later_import_changed_the_same_rows(store, tmp_path):
    first = import_file(store, _write(tmp_path, "jan-mar.csv", JAN_MAR))
    second = import_file(store, _write(tmp_path, "fix.csv", [dict(JAN_MAR[0], Quantity="5")]))
    with pytest.raises(BadInputError, match="undo #"):
        undo_import(store, first.import_id)
    undo_import(store, second.import_id)
    undo_import(store, first.import_id)
    assert store.scalar("SELECT COUNT(*) FROM order_lines") == 0


def test_every_import_is_logged_with_hash_format_counts_and_duration(store, tmp_path):
    report = import_file(store, _write(tmp_path, "jan-mar.csv", JAN_MAR))
    row = store.conn.execute(
        "SELECT file_name, file_sha256, format, rows_read, seconds, status FROM imports"
    ).fetchone()
    assert row[0] == "jan-mar.csv" and len(row[1]) == 64 and row[2] == "online_retail"
    assert row[3] == 3 and row[4] >= 0 and row[5] == "done"
    listed = list_imports(store).iloc[0]
    assert listed["orders_imported"] == 3 and listed["import_id"] == report.import_id


def test_cancel_while_saving_leaves_the_store_unchanged(store, tmp_path):
    import_file(store, _write(tmp_path, "jan-mar.csv", JAN_MAR))
    before = store_snapshot(store)
    saving = []
    with pytest.raises(CancelledError):
        import_file(
            store,
            _write(tmp_path, "mar-may.csv", MAR_MAY),
            progress=lambda fraction, text: saving.append(text.startswith("Saving")),
            cancel=lambda: any(saving),
        )
    assert store_snapshot(store) == before


def test_progress_is_reported_and_cancel_polled_for_every_chunk_read(store, tmp_path, monkeypatch):
    from merchant_ai.importers import reading

    monkeypatch.setattr(reading, "CHUNK_ROWS", 50)
    rows = [_invoice(str(2000 + i // 3), "2011-01-10 10:00:00", sku=f"S{i % 7}") for i in range(600)]
    path = _write(tmp_path, "big.csv", rows)
    before = store_snapshot(store)
    reads = []
    with pytest.raises(CancelledError):
        import_file(
            store,
            path,
            progress=lambda f, text: reads.append(text) if text.startswith("Reading:") else None,
            cancel=lambda: len(reads) >= 5,
        )
    assert reads[:2] == ["Reading: 50 rows", "Reading: 100 rows"] and len(reads) == 5
    assert store_snapshot(store) == before
    fractions = []
    import_file(store, path, progress=lambda f, text: fractions.append(f))
    assert len(fractions) >= 12 and fractions == sorted(fractions) and fractions[-1] == 1.0


def test_cancel_is_also_polled_between_cleaning_steps(store, tmp_path):
    texts = []
    with pytest.raises(CancelledError):
        import_file(
            store,
            _write(tmp_path, "jan-mar.csv", JAN_MAR),
            progress=lambda f, text: texts.append(text),
            cancel=lambda: "Protecting customer details" in texts,
        )
    assert "Cleaning order lines" in texts and store.scalar("SELECT COUNT(*) FROM imports") == 0


def test_privacy_on_keeps_only_hashes_initials_domain_and_score(store, tmp_path):
    from tests.importers.test_platform_formats import SHOPIFY_ROWS

    import_file(store, ex.write_export(tmp_path / "orders.csv", ex.SHOPIFY_ORDERS_2022, SHOPIFY_ROWS))
    dump = "\n".join(store.conn.iterdump()).lower()
    assert "jane" not in dump and "doe" not in dump
    customer = store.query_df("SELECT * FROM customers").iloc[0]
    assert customer["initials"] == "J.D." and customer["email"] is None and len(customer["email_hash"]) == 32
    assert store.get_setting("privacy_salt")


def test_privacy_off_keeps_emails_and_names(store, tmp_path):
    from tests.importers.test_platform_formats import SHOPIFY_ROWS

    import_file(
        store, ex.write_export(tmp_path / "orders.csv", ex.SHOPIFY_ORDERS_2022, SHOPIFY_ROWS), privacy=False
    )
    customer = store.query_df("SELECT * FROM customers WHERE initials = 'J.D.'").iloc[0]
    assert customer["email"] == "jane.doe@example.com" and customer["name"] == "Jane Doe"


GENERIC_HEADER = "Bestellung;Datum;Artikelnummer;Artikel;Menge;Preis;Kunde"


def _generic_file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(GENERIC_HEADER + "\n" + "\n".join(rows) + "\n", encoding="cp1252")
    return path


GENERIC_MAPPING = {
    "order_id": "Bestellung",
    "created_at": "Datum",
    "sku": "Artikelnummer",
    "title": "Artikel",
    "quantity": "Menge",
    "unit_price": "Preis",
    "customer_id": "Kunde",
}


def test_generic_file_needs_a_mapping_which_is_checked_saved_and_reused(store, tmp_path):
    first = _generic_file(
        tmp_path,
        "verkauf-1.csv",
        ["A-1;13.01.2024 10:00;K1;Käse;2;1.234,50 €;77", "A-2;14.01.2024 11:00;K2;Brot;1;3,20 €;"],
    )
    detection = detect_file(first, store=store)
    assert detection.needs_mapping and detection.format is None and detection.delimiter == ";"
    assert {f.name for f in canonical_fields() if f.required} == {"order_id", "created_at", "quantity"}
    assert validate_mapping(detection, {"order_id": "Bestellung"})  # incomplete: messages
    assert any(
        "Artikel" in m for m in validate_mapping(detection, dict(GENERIC_MAPPING, created_at="Artikel"))
    )
    assert validate_mapping(detection, GENERIC_MAPPING) == []
    with pytest.raises(UnknownFormatError):
        import_file(store, first)
    report = import_file(store, first, mapping=GENERIC_MAPPING)
    assert report.format == "generic" and report.lines["imported"] == 2
    assert store.scalar("SELECT unit_price FROM order_lines WHERE order_id = 'A-1'") == 1234.5
    assert store.scalar("SELECT created_at FROM orders WHERE order_id = 'A-1'") == "2024-01-13 10:00:00"
    second = _generic_file(tmp_path, "verkauf-2.csv", ["A-3;15.01.2024 09:00;K1;Käse;1;1.234,50 €;77"])
    again = detect_file(second, store=store)
    assert again.format == "generic" and not again.needs_mapping and again.saved_mapping == GENERIC_MAPPING
    assert import_file(store, second).lines["imported"] == 1


def test_generic_xlsx_with_a_mapping(store, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(GENERIC_HEADER.split(";"))
    book.active.append(["A-9", datetime(2024, 2, 1, 9, 30), "K1", "Käse", 3, 4.5, 77])
    path = tmp_path / "verkauf.xlsx"
    book.save(path)
    assert detect_file(path, store=store).needs_mapping
    report = import_file(store, path, mapping=GENERIC_MAPPING)
    assert report.lines["imported"] == 1
    assert store.conn.execute("SELECT created_at, customer_id FROM orders").fetchone() == (
        "2024-02-01 09:30:00",
        "77",
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"just one column\nvalue\n", "one column"),
        (b"a,b,c\n1,2,3\n", "not one we know"),
    ],
)
def test_bad_files_raise_a_plain_error_and_change_nothing(store, tmp_path, content, message):
    before = store_snapshot(store)
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(BadInputError, match=message):
        import_file(store, path)
    assert store_snapshot(store) == before


def test_unknown_format_name_and_wrong_format_are_refused(store, tmp_path):
    path = _write(tmp_path, "jan-mar.csv", JAN_MAR)
    with pytest.raises(UnknownFormatError, match="no format called"):
        import_file(store, path, format="ebay")
    with pytest.raises(UnknownFormatError, match="not a Shopify orders export"):
        import_file(store, path, format="shopify_orders")


def test_no_socket_is_opened_during_an_import(store, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the import tried to open a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    report = import_file(store, _write(tmp_path, "jan-mar.csv", JAN_MAR))
    assert report.orders["imported"] == 3


def test_real_online_retail_first_5000_rows(store, shared_data):
    report = import_file(store, shared_data / "online-retail-first5000" / "online_retail_small.csv")
    assert report.format == "online_retail" and report.rows_read == 5000
    assert report.orders["imported"] == 300  # 300 complete invoices (PROVENANCE.md)
    assert report.customers["imported"] == 197  # 197 customers
    first, last = store.conn.execute("SELECT MIN(created_at), MAX(created_at) FROM orders").fetchone()
    assert first.startswith("2010-12-01") and last.startswith("2010-12-02")  # day-first file
    assert store.scalar("SELECT COUNT(*) FROM orders WHERE is_refund = 1 AND order_id LIKE 'C%'") > 0
    assert store.scalar("SELECT COUNT(*) FROM orders WHERE customer_id IS NULL") > 0  # guests


def test_real_online_retail_germany_full_year(store, shared_data):
    report = import_file(store, shared_data / "online-retail-germany" / "online_retail_germany.csv")
    assert report.rows_read == 9495 and report.orders["imported"] == 603
    assert report.customers["imported"] == 95
    assert store.scalar("SELECT COUNT(*) FROM order_lines WHERE sku = 'POST' AND is_product = 0") > 300
    refunds = store.scalar("SELECT COUNT(*) FROM order_lines WHERE is_refund = 1 AND quantity < 0")
    assert refunds > 0
