"""Shopify exports (orders, products, customers), built from their real header rows, import correctly."""

from __future__ import annotations

import pytest

from merchant_ai.services.imports import detect_file, import_file
from tests.importers import exports as ex
from tests.importers.conftest import order_lines_of, order_row

SHOPIFY_ROWS = [
    {
        "Name": "#1001",
        "Email": "Jane.Doe@Example.com",
        "Financial Status": "paid",
        "Currency": "USD",
        "Subtotal": "50.00",
        "Shipping": "5.00",
        "Taxes": "4.00",
        "Total": "59.00",
        "Created at": "2025-12-06 10:37:33 -0500",
        "Lineitem quantity": "2",
        "Lineitem name": "Blue Mug",
        "Lineitem price": "15.00",
        "Lineitem sku": "MUG-B",
        "Billing Name": "Jane Doe",
        "Billing Zip": "'02134",
        "Billing Country": "US",
        "Shipping Name": "Jane Doe",
        "Shipping Zip": "'02134",
        "Shipping Country": "US",
        "Payment Method": "Shopify Payments",
        "Id": "5550001",
        "Accepts Marketing": "yes",
        "Lineitem discount": "0.00",
    },
    # continuation line: order-level columns blank, as Shopify writes them
    {
        "Name": "#1001",
        "Email": "Jane.Doe@Example.com",
        "Created at": "2025-12-06 10:37:33 -0500",
        "Lineitem quantity": "1",
        "Lineitem name": "Teapot",
        "Lineitem price": "20.00",
        "Lineitem sku": "TEA-1",
        "Lineitem discount": "0.00",
    },
    {
        "Name": "#1002",
        "Email": "",
        "Financial Status": "refunded",
        "Currency": "USD",
        "Subtotal": "30.00",
        "Shipping": "0.00",
        "Taxes": "0.00",
        "Total": "30.00",
        "Created at": "2025-12-07 09:00:00 -0500",
        "Lineitem quantity": "1",
        "Lineitem name": "Gift Card",
        "Lineitem price": "30.00",
        "Lineitem sku": "",
        "Refunded Amount": "30.00",
        "Lineitem discount": "0.00",
    },
    {
        "Name": "#1003",
        "Email": "xk7q9zt2@mailinator.com",
        "Financial Status": "voided",
        "Currency": "USD",
        "Subtotal": "15.00",
        "Total": "15.00",
        "Created at": "2025-12-08 23:59:00 -0500",
        "Cancelled at": "2025-12-09 08:00:00 -0500",
        "Lineitem quantity": "1",
        "Lineitem name": "Blue Mug",
        "Lineitem price": "15.00",
        "Lineitem sku": "MUG-B",
    },
]


def test_shopify_orders_fill_order_fields_from_the_first_line(store, tmp_path):
    path = ex.write_export(tmp_path / "orders_export_1.csv", ex.SHOPIFY_ORDERS_2022, SHOPIFY_ROWS)
    assert detect_file(path).format == "shopify_orders"
    report = import_file(store, path)
    assert report.orders["imported"] == 3 and report.lines["imported"] == 4
    first = order_row(store, "#1001")
    assert first["created_at"] == "2025-12-06 10:37:33" and first["utc_offset_minutes"] == -300
    assert first["total"] == 59.0 and first["currency"] == "USD" and first["billing_zip"] == "02134"
    assert first["email_domain"] == "example.com" and first["customer_id"].startswith("e-")
    lines = order_lines_of(store, "#1001")
    assert list(lines["sku"]) == ["MUG-B", "TEA-1"] and list(lines["line_total"]) == [30.0, 20.0]


def test_shopify_orders_guest_refund_cancel_and_gift_card(store, tmp_path):
    path = ex.write_export(tmp_path / "orders.csv", ex.SHOPIFY_ORDERS_2022, SHOPIFY_ROWS)
    import_file(store, path)
    guest = order_row(store, "#1002")
    assert guest["customer_id"] is None and guest["refunded_amount"] == 30.0
    assert order_lines_of(store, "#1002")["is_product"].tolist() == [0]  # gift card
    assert order_row(store, "#1003")["cancelled_at"] == "2025-12-09 08:00:00"
    assert order_row(store, "#1003")["email_local_score"] > order_row(store, "#1001")["email_local_score"]


def test_shopify_orders_tolerate_column_drift_between_vintages(store, tmp_path):
    names = ex.header_list(ex.SHOPIFY_ORDERS_2022)
    drifted = list(reversed(names)) + ex.SHOPIFY_ORDERS_2025_EXTRA
    path = ex.write_export(tmp_path / "orders_2025.csv", ",".join(drifted), SHOPIFY_ROWS)
    report = import_file(store, path)
    assert report.format == "shopify_orders" and report.lines["imported"] == 4


SHOPIFY_PRODUCT_ROWS = [
    {
        "Handle": "blue-mug",
        "Title": "Blue Mug",
        "Vendor": "Potter",
        "Type": "Mugs",
        "Published": "TRUE",
        "Option1 Name": "Title",
        "Option1 Value": "Default Title",
        "Variant SKU": "'MUG-B",
        "Variant Price": "15.00",
        "Variant Compare At Price": "18.00",
        "Variant Inventory Qty": "12",
        "Gift Card": "FALSE",
        "Cost per item": "6.50",
        "Status": "active",
    },
    {"Handle": "blue-mug", "Image Src": "https://cdn.example/mug2.jpg", "Image Position": "2"},
    {
        "Handle": "tee",
        "Title": "Tee",
        "Vendor": "Cotton Co",
        "Published": "TRUE",
        "Option1 Name": "Size",
        "Option1 Value": "S",
        "Variant SKU": "TEE-S",
        "Variant Price": "20.00",
        "Variant Inventory Qty": "3",
        "Gift Card": "FALSE",
        "Status": "active",
    },
    {
        "Handle": "tee",
        "Option1 Value": "M",
        "Variant SKU": "TEE-M",
        "Variant Price": "20.00",
        "Variant Inventory Qty": "0",
    },
    {
        "Handle": "gift",
        "Title": "Gift card",
        "Published": "TRUE",
        "Variant SKU": "",
        "Variant Price": "25.00",
        "Gift Card": "TRUE",
        "Status": "active",
    },
]


@pytest.mark.parametrize("header", [ex.SHOPIFY_PRODUCTS_2021, ex.SHOPIFY_PRODUCTS_2025])
def test_shopify_products_variants_stock_and_image_rows(store, tmp_path, header):
    path = ex.write_export(tmp_path / "products_export_1.csv", header, SHOPIFY_PRODUCT_ROWS)
    report = import_file(store, path)
    assert report.format == "shopify_products" and report.products["imported"] == 4
    products = store.query_df("SELECT * FROM products ORDER BY sku").set_index("sku")
    assert products.loc["MUG-B", "unit_cost"] == 6.5 and products.loc["MUG-B", "compare_at_price"] == 18.0
    assert products.loc["TEE-M", "title"] == "Tee" and products.loc["TEE-M", "vendor"] == "Cotton Co"
    assert products.loc["gift", "is_product"] == 0
    stock = dict(store.conn.execute("SELECT sku, on_hand FROM inventory").fetchall())
    assert stock["MUG-B"] == 12 and stock["TEE-M"] == 0
    assert any("image rows" in s["reason"] for s in report.skipped)


@pytest.mark.parametrize("header", [ex.SHOPIFY_CUSTOMERS_2018, ex.SHOPIFY_CUSTOMERS_2024])
def test_shopify_customers_both_vintages_link_to_their_orders(store, tmp_path, header):
    marketing = "Accepts Marketing" if "Accepts Marketing" in header else "Accepts Email Marketing"
    rows = [
        {
            "First Name": "Jane",
            "Last Name": "Doe",
            "Email": "jane.doe@example.com",
            marketing: "yes",
            "Total Spent": "59.00",
            "Total Orders": "1",
        }
    ]
    if "Customer ID" in header:
        rows[0].update(
            {
                "Customer ID": "'7001",
                "Default Address Country Code": "US",
                "Default Address Zip": "'02134",
                "Default Address City": "Boston",
            }
        )
    else:
        rows[0].update({"Country Code": "US", "Zip": "'02134", "City": "Boston"})
    import_file(store, ex.write_export(tmp_path / "orders.csv", ex.SHOPIFY_ORDERS_2022, SHOPIFY_ROWS))
    report = import_file(store, ex.write_export(tmp_path / "customers_export.csv", header, rows))
    assert report.format == "shopify_customers"
    customer = store.query_df("SELECT * FROM customers WHERE initials = 'J.D.'").iloc[0]
    assert customer["zip"] == "02134" and customer["city"] == "Boston" and customer["email"] is None
    assert customer["customer_id"] == order_row(store, "#1001")["customer_id"]

