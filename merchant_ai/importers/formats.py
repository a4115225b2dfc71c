"""One declarative column map per platform export, and detection from the header row.

Columns are matched by NAME, never by position: a header is normalised (lower case, every
run of punctuation or spaces becomes one space) and each canonical field lists the names it
has had across export vintages. A format is detected when all of its `signature` fields are
present; among candidates the one that recognises the most columns wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What a format's rows describe: "lines" (one row per order line), "orders" (one row per
# order, no items), "products", "customers".
KINDS = ("lines", "orders", "products", "customers")


def normalize_header(name: object) -> str:
    """'Lineitem  quantity' / 'amazon-order-id' / '\ufeffName' -> 'lineitem quantity' ..."""
    text = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[^0-9a-z\u00c0-\uffff]+", " ", text).strip()


@dataclass(frozen=True)
class FormatSpec:
    key: str
    label: str
    kind: str
    fields: dict[str, tuple[str, ...]]
    signature: tuple[str, ...]
    source: str
    # day/month order to assume when a file's dates never tell (e.g. 3/4/2024): "mdy" or "dmy"
    default_date_order: str = "mdy"
    # values that mark a refund row in the `event_type` field
    refund_events: tuple[str, ...] = ()
    # order ids starting with this mark a credit note (UCI 'C' invoices)
    credit_note_prefix: str | None = None
    # order statuses meaning the order was cancelled (lower case)
    cancelled_statuses: tuple[str, ...] = ("cancelled", "canceled", "voided", "failed")
    # the key of a customer whose row has no customer id: "email" -> 'e-' + salted email hash,
    # "buyer" -> 'b-' + salted hash of the Etsy user name, "id" -> none (a guest order)
    customer_key: str = "id"

    def column_map(self, header: list[str]) -> dict[str, str]:
        """canonical field -> the source column holding it (first alias found wins)."""
        present = {normalize_header(h): h for h in reversed(header)}
        mapping: dict[str, str] = {}
        for canonical, aliases in self.fields.items():
            for alias in aliases:
                source = present.get(normalize_header(alias))
                if source is not None:
                    mapping[canonical] = source
                    break
        return mapping

    def matches(self, header: list[str]) -> tuple[bool, int]:
        mapping = self.column_map(header)
        return all(f in mapping for f in self.signature), len(mapping)


def _spec(**kwargs) -> FormatSpec:
    fields = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in kwargs.pop("fields").items()}
    return FormatSpec(fields=fields, **kwargs)


SHOPIFY_ORDERS = _spec(
    key="shopify_orders",
    label="Shopify orders",
    kind="lines",
    source="shopify",
    customer_key="email",
    signature=("order_id", "created_at", "quantity", "title"),
    fields={
        "order_id": "Name",
        "created_at": "Created at",
        "email": "Email",
        "financial_status": "Financial Status",
        "currency": "Currency",
        "subtotal": "Subtotal",
        "shipping": "Shipping",
        "taxes": "Taxes",
        "total": "Total",
        "discount_code": "Discount Code",
        "discount_amount": "Discount Amount",
        "shipping_method": "Shipping Method",
        "quantity": "Lineitem quantity",
        "title": "Lineitem name",
        "unit_price": "Lineitem price",
        "sku": "Lineitem sku",
        "line_discount": "Lineitem discount",
        "vendor": "Vendor",
        "billing_name": "Billing Name",
        "billing_zip": "Billing Zip",
        "billing_country": "Billing Country",
        "shipping_name": "Shipping Name",
        "shipping_zip": "Shipping Zip",
        "shipping_country": "Shipping Country",
        "shipping_city": "Shipping City",
        "cancelled_at": "Cancelled at",
        "payment_method": ("Payment Method", "Payment Methods"),
        "refunded_amount": "Refunded Amount",
        "accepts_marketing": ("Accepts Marketing", "Accepts Email Marketing"),
    },
)

SHOPIFY_PRODUCTS = _spec(
    key="shopify_products",
    label="Shopify products",
    kind="products",
    source="shopify",
    signature=("handle", "variant_price"),
    fields={
        "handle": "Handle",
        "title": "Title",
        "vendor": "Vendor",
        "category": ("Type", "Product Category"),
        "tags": "Tags",
        "sku": "Variant SKU",
        "variant_price": "Variant Price",
        "compare_at_price": "Variant Compare At Price",
        "unit_cost": "Cost per item",
        "on_hand": "Variant Inventory Qty",
        "gift_card": "Gift Card",
        "status": "Status",
        "published": "Published",
        "option1": "Option1 Value",
        "option2": "Option2 Value",
        "option3": "Option3 Value",
    },
)

SHOPIFY_CUSTOMERS = _spec(
    key="shopify_customers",
    label="Shopify customers",
    kind="customers",
    source="shopify",
    customer_key="email",
    signature=("email", "total_spent"),
    fields={
        "email": "Email",
        "first_name": "First Name",
        "last_name": "Last Name",
        "city": ("Default Address City", "City"),
        "country": ("Default Address Country Code", "Country Code", "Country"),
        "zip": ("Default Address Zip", "Zip"),
        "accepts_marketing": ("Accepts Email Marketing", "Accepts Marketing"),
        "total_spent": "Total Spent",
        "total_orders": "Total Orders",
        "source_customer_id": "Customer ID",
    },
)

WOOCOMMERCE_PRODUCTS = _spec(
    key="woocommerce_products",
    label="WooCommerce products",
    kind="products",
    source="woocommerce",
    signature=("sku", "regular_price", "product_type"),
    fields={
        "source_id": "ID",
        "product_type": "Type",
        "sku": "SKU",
        "title": "Name",
        "published": "Published",
        "on_hand": "Stock",
        "sale_price": "Sale price",
        "regular_price": "Regular price",
        "category": "Categories",
        "tags": "Tags",
        "parent": "Parent",
    },
)

# The WooCommerce core has no order CSV exporter; these are the two layouts in common use:
# "Advanced Order Export For WooCommerce" (one row per item) and SkyVerge's "Customer/Order/
# Coupon Export" default one-row-per-item layout (snake_case headers).
WOOCOMMERCE_ORDERS = _spec(
    key="woocommerce_orders",
    label="WooCommerce orders",
    kind="lines",
    source="woocommerce",
    customer_key="email",
    signature=("order_id", "created_at", "quantity"),
    fields={
        "order_id": ("Order Number", "order_number", "Order ID", "order_id"),
        "created_at": ("Order Date", "order_date", "Date"),
        "order_status": ("Order Status", "status"),
        "customer_id": ("Customer User ID", "customer_id", "Customer ID"),
        "email": ("Email (Billing)", "billing_email", "Customer Email"),
        "first_name": ("First Name (Billing)", "billing_first_name"),
        "last_name": ("Last Name (Billing)", "billing_last_name"),
        "billing_country": ("Country Code (Billing)", "billing_country"),
        "billing_zip": ("Postcode (Billing)", "billing_postcode"),
        "shipping_country": ("Country Code (Shipping)", "shipping_country"),
        "shipping_zip": ("Postcode (Shipping)", "shipping_postcode"),
        "shipping_city": ("City (Shipping)", "shipping_city"),
        "payment_method": ("Payment Method Title", "payment_method"),
        "shipping_method": ("Shipping Method Title", "shipping_method"),
        "discount_amount": ("Cart Discount Amount", "cart_discount", "discount_total"),
        "subtotal": ("Order Subtotal Amount", "order_subtotal"),
        "shipping": ("Order Shipping Amount", "shipping_total", "order_shipping"),
        "refunded_amount": ("Order Refund Amount", "refunded_total", "order_total_refunded"),
        "total": ("Order Total Amount", "order_total"),
        "taxes": ("Order Total Tax Amount", "tax_total", "order_total_tax"),
        "currency": ("Order Currency", "order_currency", "Currency"),
        "discount_code": ("Coupon Code", "coupon_code"),
        "sku": ("SKU", "item_sku"),
        "title": ("Item Name", "item_name", "Product Name"),
        "quantity": ("Quantity (- Refund)", "Quantity", "item_quantity", "Qty"),
        "unit_price": ("Item Cost", "Item Price"),
        "line_gross": ("item_subtotal", "Item Subtotal"),
        "line_total_net": ("item_total", "Order Line Total"),
    },
)

SQUARE_ITEMS = _spec(
    key="square_items",
    label="Square item sales",
    kind="lines",
    source="square",
    signature=("order_id", "created_at", "title", "quantity", "event_type"),
    refund_events=("refund",),
    fields={
        "created_at": "Date",
        "created_time": "Time",
        "timezone_name": "Time Zone",
        "category": "Category",
        "title": "Item",
        "quantity": "Qty",
        "variant": "Price Point Name",
        "sku": "SKU",
        "line_gross": "Gross Sales",
        "line_discount": "Discounts",
        "line_total_net": "Net Sales",
        "taxes_line": "Tax",
        "order_id": "Transaction ID",
        "event_type": "Event Type",
        "customer_id": "Customer ID",
        "customer_name": "Customer Name",
        "payment_method": "Card Brand",
        "channel": "Channel",
    },
)

SQUARE_TRANSACTIONS = _spec(
    key="square_transactions",
    label="Square transactions",
    kind="orders",
    source="square",
    signature=("order_id", "created_at", "total"),
    refund_events=("refund",),
    fields={
        "created_at": "Date",
        "created_time": "Time",
        "timezone_name": "Time Zone",
        "subtotal": "Gross Sales",
        "discount_amount": "Discounts",
        "taxes": "Tax",
        "total": ("Total Collected", "Net Total"),
        "refunded_amount": "Partial Refunds",
        "order_id": "Transaction ID",
        "event_type": "Event Type",
        "customer_id": "Customer ID",
        "customer_name": "Customer Name",
        "payment_method": ("Card Brand", "Source"),
    },
)

ETSY_ORDER_ITEMS = _spec(
    key="etsy_order_items",
    label="Etsy sold order items",
    kind="lines",
    source="etsy",
    customer_key="buyer",
    signature=("order_id", "created_at", "title", "quantity", "listing_id"),
    fields={
        "created_at": "Sale Date",
        "title": "Item Name",
        "buyer": "Buyer",
        "quantity": "Quantity",
        "unit_price": "Price",
        "discount_code": "Coupon Code",
        "line_discount": "Discount Amount",
        "shipping": "Order Shipping",
        "taxes": "Order Sales Tax",
        "line_gross": "Item Total",
        "currency": "Currency",
        "listing_id": "Listing ID",
        "shipping_name": "Ship Name",
        "shipping_city": "Ship City",
        "shipping_zip": "Ship Zipcode",
        "shipping_country": "Ship Country",
        "order_id": "Order ID",
        "payment_method": "Payment Type",
        "sku": "SKU",
    },
)

ETSY_ORDERS = _spec(
    key="etsy_orders",
    label="Etsy sold orders",
    kind="orders",
    source="etsy",
    customer_key="buyer",
    signature=("order_id", "created_at", "number_of_items"),
    fields={
        "created_at": "Sale Date",
        "order_id": "Order ID",
        "customer_name": "Full Name",
        "number_of_items": "Number of Items",
        "payment_method": "Payment Method",
        "shipping_city": "Ship City",
        "shipping_zip": "Ship Zipcode",
        "shipping_country": "Ship Country",
        "currency": "Currency",
        "subtotal": "Order Value",
        "discount_code": "Coupon Code",
        "discount_amount": "Discount Amount",
        "shipping": "Shipping",
        "taxes": "Sales Tax",
        "total": "Order Total",
        "order_status": "Status",
        "buyer": "Buyer",
    },
)

AMAZON_ORDERS = _spec(
    key="amazon_orders",
    label="Amazon order report",
    kind="lines",
    source="amazon",
    signature=("order_id", "created_at", "sku", "quantity"),
    fields={
        "order_id": "amazon-order-id",
        "created_at": "purchase-date",
        "order_status": "order-status",
        "channel": "sales-channel",
        "shipping_method": "ship-service-level",
        "title": "product-name",
        "sku": "sku",
        "item_status": "item-status",
        "quantity": ("quantity", "quantity-purchased"),
        "currency": "currency",
        "line_gross": "item-price",
        "taxes_line": "item-tax",
        "shipping_line": "shipping-price",
        "line_discount": "item-promotion-discount",
        "shipping_city": "ship-city",
        "shipping_zip": "ship-postal-code",
        "shipping_country": "ship-country",
    },
)

UCI_ONLINE_RETAIL = _spec(
    key="online_retail",
    label="Online Retail line export",
    kind="lines",
    source="online_retail",
    signature=("order_id", "created_at", "sku", "quantity", "unit_price"),
    default_date_order="dmy",
    credit_note_prefix="C",
    fields={
        "order_id": ("InvoiceNo", "Invoice"),
        "sku": "StockCode",
        "title": "Description",
        "quantity": "Quantity",
        "created_at": "InvoiceDate",
        "unit_price": ("UnitPrice", "Price"),
        "customer_id": ("CustomerID", "Customer ID"),
        "shipping_country": "Country",
    },
)

SPECS: list[FormatSpec] = [
    SHOPIFY_ORDERS,
    SHOPIFY_PRODUCTS,
    SHOPIFY_CUSTOMERS,
    WOOCOMMERCE_PRODUCTS,
    WOOCOMMERCE_ORDERS,
    SQUARE_ITEMS,
    SQUARE_TRANSACTIONS,
    ETSY_ORDER_ITEMS,
    ETSY_ORDERS,
    AMAZON_ORDERS,
    UCI_ONLINE_RETAIL,
]
SPECS_BY_KEY = {spec.key: spec for spec in SPECS}
GENERIC_KEY = "generic"
GENERIC_LABEL = "Spreadsheet with your own column mapping"


def detect_spec(header: list[str]) -> FormatSpec | None:
    """The best matching known format for this header row, or None (a generic file)."""
    best: tuple[int, FormatSpec] | None = None
    for spec in SPECS:
        ok, known = spec.matches(header)
        if ok and (best is None or known > best[0]):
            best = (known, spec)
    return best[1] if best else None


def format_label(key: str | None) -> str:
    if key is None:
        return "Unknown layout"
    if key == GENERIC_KEY:
        return GENERIC_LABEL
    return SPECS_BY_KEY[key].label
