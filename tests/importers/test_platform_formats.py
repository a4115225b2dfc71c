"""Every platform export we support, built from its real header row, imports correctly."""

from __future__ import annotations

import pytest

from merchant_ai.services.imports import detect_file, import_file
from tests.importers import exports as ex


def _order(store, order_id):
    return store.query_df("SELECT * FROM orders WHERE order_id = ?", (order_id,)).iloc[0]


def _lines(store, order_id):
    return store.query_df("SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no", (order_id,))


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
    first = _order(store, "#1001")
    assert first["created_at"] == "2025-12-06 10:37:33" and first["utc_offset_minutes"] == -300
    assert first["total"] == 59.0 and first["currency"] == "USD" and first["billing_zip"] == "02134"
    assert first["email_domain"] == "example.com" and first["customer_id"].startswith("e-")
    lines = _lines(store, "#1001")
    assert list(lines["sku"]) == ["MUG-B", "TEA-1"] and list(lines["line_total"]) == [30.0, 20.0]


def test_shopify_orders_guest_refund_cancel_and_gift_card(store, tmp_path):
    path = ex.write_export(tmp_path / "orders.csv", ex.SHOPIFY_ORDERS_2022, SHOPIFY_ROWS)
    import_file(store, path)
    guest = _order(store, "#1002")
    assert guest["customer_id"] is None and guest["refunded_amount"] == 30.0
    assert _lines(store, "#1002")["is_product"].tolist() == [0]  # gift card
    assert _order(store, "#1003")["cancelled_at"] == "2025-12-09 08:00:00"
    assert _order(store, "#1003")["email_local_score"] > _order(store, "#1001")["email_local_score"]


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
    assert customer["customer_id"] == _order(store, "#1001")["customer_id"]


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
    assert _order(store, "1201")["total"] == 41.95 and _lines(store, "1201")["line_total"].tolist() == [38.0]
    assert _order(store, "1202")["cancelled_at"] == "2024-03-06 10:00:00"


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
    order = _order(store, "88")
    assert order["customer_id"] == "12" and order["currency"] == "EUR" and order["refunded_amount"] == 24.0
    assert _order(store, "89")["customer_id"].startswith("e-")  # guest: keyed by the hashed email


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
    t1 = _lines(store, "T1")
    assert t1["line_total"].tolist() == [8.0, 1.0] and t1["unit_price"].tolist() == [4.5, 1.0]
    assert t1["is_product"].tolist() == [1, 0]
    refund = _lines(store, "T2").iloc[0]
    assert refund["quantity"] == -1 and refund["line_total"] == -4.5 and refund["is_refund"] == 1
    assert _order(store, "T1")["created_at"] == "2026-05-03 10:21:33"


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
    assert _order(store, "T1")["total"] == 10.72


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
    assert _order(store, "3001")["created_at"] == "2026-09-03 00:00:00"  # month first: 09/13/26 exists
    assert _lines(store, "3001")["sku"].tolist() == ["777"]  # listing id when no SKU
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
    assert _order(store, "3001")["total"] == 47.2
    assert _order(store, "3001")["customer_id"] == _order(store, "3002")["customer_id"]


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
    line = _lines(store, "111-2223334-5556667").iloc[0]
    assert line["unit_price"] == 9.99 and line["line_total"] == 18.98
    order = _order(store, "111-2223334-5556667")
    assert order["shipping"] == 2.99 and order["taxes"] == 3.33 and order["customer_id"] is None
    assert _order(store, "111-0000000-0000001")["cancelled_at"] is not None
    assert _order(store, "111-0000000-0000001")["utc_offset_minutes"] == -480


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
    credit = _order(store, "C536379")
    assert credit["is_refund"] == 1 and credit["created_at"] == "2010-12-13 09:41:00"
    assert _lines(store, "C536379")["line_total"].tolist() == [-5.1]
    assert _lines(store, "536365")["is_product"].tolist() == [1, 0]
    assert _order(store, "536380")["customer_id"] is None  # guest
