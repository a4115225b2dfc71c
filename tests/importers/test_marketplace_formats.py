"""WooCommerce, Square, Etsy, Amazon and Online Retail exports, built from their real header
rows, import correctly (Shopify is in test_platform_formats.py)."""

from __future__ import annotations

import pytest

from merchant_ai.services.imports import import_file
from tests.importers import exports as ex
from tests.importers.conftest import order_lines_of, order_row


def test_woocommerce_products_sale_price_and_stock(store, tmp_path):
    rows = [
        {
            "ID": "44",
            "Type": "simple",
            "SKU": "woo-beanie",
            "Name": "Beanie",
            "Published": "1",
            "Stock": "7",
            "Sale price": "18",
            "Regular price": "20",
            "Categories": "Clothing > Accessories",
        },
        {"ID": "45", "Type": "simple", "SKU": "", "Name": "Belt", "Published": "0", "Regular price": "55"},
    ]
    path = ex.write_export(tmp_path / "wc-product-export.csv", ex.WOO_PRODUCTS, rows)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # WooCommerce writes a BOM
    report = import_file(store, path)
    assert report.format == "woocommerce_products" and report.products["imported"] == 2
    beanie = store.query_df("SELECT * FROM products WHERE sku = 'woo-beanie'").iloc[0]
    assert (
        beanie["price"] == 18
        and beanie["compare_at_price"] == 20
        and beanie["category"] == "Clothing > Accessories"
    )
    assert store.scalar("SELECT status FROM products WHERE sku = '45'") == "draft"


def test_woocommerce_orders_advanced_export_layout(store, tmp_path):
    rows = [
        {
            "Order Number": "1201",
            "Order Status": "completed",
            "Order Date": "2024-03-05 14:02",
            "First Name (Billing)": "Ann",
            "Last Name (Billing)": "Lee",
            "Email (Billing)": "ann@shop.example",
            "Country Code (Billing)": "GB",
            "Postcode (Billing)": "SW1A 1AA",
            "Order Subtotal Amount": "38.00",
            "Order Shipping Amount": "3.95",
            "Order Total Amount": "41.95",
            "SKU": "woo-beanie",
            "Item Name": "Beanie",
            "Quantity (- Refund)": "2",
            "Item Cost": "19.00",
        },
        {
            "Order Number": "1202",
            "Order Status": "cancelled",
            "Order Date": "2024-03-06 10:00",
            "SKU": "woo-belt",
            "Item Name": "Belt",
            "Quantity (- Refund)": "1",
            "Item Cost": "55.00",
            "Order Total Amount": "55.00",
        },
    ]
    report = import_file(
        store, ex.write_export(tmp_path / "orders-2024.csv", ex.WOO_ORDERS_ADVANCED_EXPORT, rows)
    )
    assert report.format == "woocommerce_orders" and report.lines["imported"] == 2
    assert order_row(store, "1201")["total"] == 41.95 and order_lines_of(store, "1201")["line_total"].tolist() == [38.0]
    assert order_row(store, "1202")["cancelled_at"] == "2024-03-06 10:00:00"


def test_woocommerce_orders_skyverge_layout(store, tmp_path):
    rows = [
        {
            "order_id": "88",
            "order_number": "88",
            "order_date": "2024-04-01 09:15:00",
            "status": "refunded",
            "order_total": "24.00",
            "order_currency": "EUR",
            "customer_id": "12",
            "billing_email": "b@x.example",
            "item_name": "Scarf",
            "item_sku": "SC-1",
            "item_quantity": "1",
            "item_subtotal": "24.00",
            "item_total": "24.00",
            "refunded_total": "24.00",
        },
        {
            "order_id": "89",
            "order_number": "89",
            "order_date": "2024-04-02 10:00:00",
            "status": "completed",
            "customer_id": "0",  # a guest checkout
            "billing_email": "guest@x.example",
            "item_name": "Scarf",
            "item_sku": "SC-1",
            "item_quantity": "2",
            "item_total": "48.00",
        },
    ]
    report = import_file(store, ex.write_export(tmp_path / "export.csv", ex.WOO_ORDERS_SKYVERGE, rows))
    assert report.format == "woocommerce_orders"
    order = order_row(store, "88")
    assert order["customer_id"] == "12" and order["currency"] == "EUR" and order["refunded_amount"] == 24.0
    assert order_row(store, "89")["customer_id"].startswith("e-")  # guest: keyed by the hashed email


def test_square_item_sales_money_and_refund_events(store, tmp_path):
    rows = [
        {
            "Date": "2026-05-03",
            "Time": "10:21:33",
            "Time Zone": "Pacific Time (US & Canada)",
            "Category": "Coffee",
            "Item": "Latte",
            "Qty": "2.0",
            "SKU": "LAT",
            "Gross Sales": "$9.00",
            "Discounts": "-$1.00",
            "Net Sales": "$8.00",
            "Tax": "$0.72",
            "Transaction ID": "T1",
            "Event Type": "Payment",
            "Customer ID": "C9",
        },
        {
            "Date": "2026-05-03",
            "Time": "10:21:33",
            "Time Zone": "Pacific Time (US & Canada)",
            "Item": "Tip",
            "Qty": "1.0",
            "Gross Sales": "$1.00",
            "Net Sales": "$1.00",
            "Transaction ID": "T1",
            "Event Type": "Payment",
        },
        {
            "Date": "2026-05-04",
            "Time": "08:00:00",
            "Item": "Latte",
            "Qty": "1.0",
            "SKU": "LAT",
            "Gross Sales": "($4.50)",
            "Net Sales": "($4.50)",
            "Transaction ID": "T2",
            "Event Type": "Refund",
        },
    ]
    report = import_file(store, ex.write_export(tmp_path / "items-2026-05.csv", ex.SQUARE_ITEMS, rows))
    assert report.format == "square_items"
    t1 = order_lines_of(store, "T1")
    assert t1["line_total"].tolist() == [8.0, 1.0] and t1["unit_price"].tolist() == [4.5, 1.0]
    assert t1["is_product"].tolist() == [1, 0]
    refund = order_lines_of(store, "T2").iloc[0]
    assert refund["quantity"] == -1 and refund["line_total"] == -4.5 and refund["is_refund"] == 1
    assert order_row(store, "T1")["created_at"] == "2026-05-03 10:21:33"


def test_square_transactions_give_orders_without_items(store, tmp_path):
    rows = [
        {
            "Date": "05/03/2026",
            "Time": "10:21",
            "Gross Sales": "$10.00",
            "Tax": "$0.72",
            "Total Collected": "$10.72",
            "Transaction ID": "T1",
            "Event Type": "Payment",
            "Card Brand": "Visa",
        }
    ]
    report = import_file(store, ex.write_export(tmp_path / "transactions.csv", ex.SQUARE_TRANSACTIONS, rows))
    assert report.format == "square_transactions" and report.orders["imported"] == 1
    assert order_row(store, "T1")["total"] == 10.72


@pytest.mark.parametrize("header", [ex.ETSY_ITEMS_A, ex.ETSY_ITEMS_B])
def test_etsy_order_items_then_orders_merge(store, tmp_path, header):
    items = [
        {
            "Sale Date": "09/03/26",
            "Item Name": "Ring",
            "Buyer": "crafty_ann",
            "Quantity": "1",
            "Price": "40.00",
            "Item Total": "40.00",
            "Currency": "USD",
            "Transaction ID": "9001",
            "Listing ID": "777",
            "Order ID": "3001",
            "Order Shipping": "4.00",
            "Ship Country": "United States",
            "Ship Zipcode": "'07030",
        },
        {
            "Sale Date": "09/13/26",
            "Item Name": "Earrings",
            "Buyer": "crafty_ann",
            "Quantity": "2",
            "Price": "15.00",
            "Item Total": "30.00",
            "Currency": "USD",
            "Transaction ID": "9002",
            "Listing ID": "778",
            "Order ID": "3002",
        },
    ]
    report = import_file(store, ex.write_export(tmp_path / "EtsySoldOrderItems2026.csv", header, items))
    assert report.format == "etsy_order_items" and report.lines["imported"] == 2
    assert order_row(store, "3001")["created_at"] == "2026-09-03 00:00:00"  # month first: 09/13/26 exists
    assert order_lines_of(store, "3001")["sku"].tolist() == ["777"]  # listing id when no SKU
    orders = [
        {
            "Sale Date": "09/03/26",
            "Order ID": "3001",
            "Buyer User ID": "55",
            "Full Name": "Ann Smith",
            "Number of Items": "1",
            "Currency": "USD",
            "Order Value": "40.00",
            "Shipping": "4.00",
            "Sales Tax": "3.20",
            "Order Total": "47.20",
            "Buyer": "crafty_ann",
        }
    ]
    second = import_file(store, ex.write_export(tmp_path / "EtsySoldOrders2026.csv", ex.ETSY_ORDERS, orders))
    assert second.format == "etsy_orders" and second.orders == {"imported": 0, "updated": 1}
    assert order_row(store, "3001")["total"] == 47.2
    assert order_row(store, "3001")["customer_id"] == order_row(store, "3002")["customer_id"]


def test_amazon_order_report_tab_delimited(store, tmp_path):
    rows = [
        {
            "amazon-order-id": "111-2223334-5556667",
            "purchase-date": "2020-01-01T12:34:56+00:00",
            "order-status": "Shipped",
            "product-name": "Widget",
            "sku": "WID-1",
            "quantity": "2",
            "currency": "GBP",
            "item-price": "19.98",
            "item-tax": "3.33",
            "shipping-price": "2.99",
            "item-promotion-discount": "-1.00",
            "ship-postal-code": "SW1A 1AA",
            "ship-country": "GB",
        },
        {
            "amazon-order-id": "111-0000000-0000001",
            "purchase-date": "2020-01-02T08:00:00-08:00",
            "order-status": "Cancelled",
            "product-name": "Widget",
            "sku": "WID-1",
            "quantity": "1",
            "currency": "GBP",
            "item-price": "9.99",
        },
    ]
    path = ex.write_export(tmp_path / "orders.txt", ex.AMAZON_ORDERS, rows, delimiter="\t")
    report = import_file(store, path)
    assert report.format == "amazon_orders" and report.orders["imported"] == 2
    line = order_lines_of(store, "111-2223334-5556667").iloc[0]
    assert line["unit_price"] == 9.99 and line["line_total"] == 18.98
    order = order_row(store, "111-2223334-5556667")
    assert order["shipping"] == 2.99 and order["taxes"] == 3.33 and order["customer_id"] is None
    assert order_row(store, "111-0000000-0000001")["cancelled_at"] is not None
    assert order_row(store, "111-0000000-0000001")["utc_offset_minutes"] == -480


def test_online_retail_export_credit_notes_and_postage(store, tmp_path):
    rows = [
        {
            "InvoiceNo": "536365",
            "StockCode": "85123A",
            "Description": "WHITE HANGING HEART T-LIGHT HOLDER",
            "Quantity": "6",
            "InvoiceDate": "12/1/2010 8:26",
            "UnitPrice": "2.55",
            "CustomerID": "17850",
            "Country": "United Kingdom",
        },
        {
            "InvoiceNo": "536365",
            "StockCode": "POST",
            "Description": "POSTAGE",
            "Quantity": "1",
            "InvoiceDate": "12/1/2010 8:26",
            "UnitPrice": "18",
            "CustomerID": "17850",
            "Country": "United Kingdom",
        },
        {
            "InvoiceNo": "C536379",
            "StockCode": "85123A",
            "Description": "WHITE HANGING HEART T-LIGHT HOLDER",
            "Quantity": "-2",
            "InvoiceDate": "12/13/2010 9:41",
            "UnitPrice": "2.55",
            "CustomerID": "17850",
            "Country": "United Kingdom",
        },
        {
            "InvoiceNo": "536380",
            "StockCode": "22086",
            "Description": "PAPER CHAIN KIT",
            "Quantity": "3",
            "InvoiceDate": "12/13/2010 9:45",
            "UnitPrice": "2.95",
            "CustomerID": "",
            "Country": "France",
        },
    ]
    report = import_file(store, ex.write_export(tmp_path / "Online Retail.csv", ex.ONLINE_RETAIL, rows))
    assert report.format == "online_retail"
    credit = order_row(store, "C536379")
    assert credit["is_refund"] == 1 and credit["created_at"] == "2010-12-13 09:41:00"
    assert order_lines_of(store, "C536379")["line_total"].tolist() == [-5.1]
    assert order_lines_of(store, "536365")["is_product"].tolist() == [1, 0]
    assert order_row(store, "536380")["customer_id"] is None  # guest
