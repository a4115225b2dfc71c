"""The canonical rows an import writes, and the field lists shared by every format."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# Order-level fields: the first non-empty value of each within an order is the order's value
# (Shopify writes them only on an order's first line; other exports repeat them).
ORDER_TEXT_FIELDS = [
    "created_at",
    "created_time",
    "timezone_name",
    "cancelled_at",
    "customer_id",
    "email",
    "buyer",
    "billing_name",
    "shipping_name",
    "customer_name",
    "first_name",
    "last_name",
    "currency",
    "discount_code",
    "financial_status",
    "order_status",
    "payment_method",
    "shipping_method",
    "billing_country",
    "shipping_country",
    "billing_zip",
    "shipping_zip",
    "shipping_city",
    "accepts_marketing",
    "event_type",
]
ORDER_MONEY_FIELDS = ["subtotal", "shipping", "taxes", "discount_amount", "total", "refunded_amount"]
ORDER_FIELDS = ORDER_TEXT_FIELDS + ORDER_MONEY_FIELDS

LINE_TEXT_FIELDS = [
    "sku",
    "title",
    "listing_id",
    "variant",
    "event_type",
    "vendor",
    "category",
    "item_status",
]
LINE_NUMBER_FIELDS = [
    "quantity",
    "unit_price",
    "line_gross",
    "line_discount",
    "line_total_net",
    "taxes_line",
    "shipping_line",
]

# primary keys of the tables an import writes
TABLE_KEYS = {
    "products": ["sku"],
    "customers": ["customer_id"],
    "orders": ["order_id"],
    "order_lines": ["order_id", "line_no"],
    "inventory": ["sku"],
    # customer service (importers/support_import.py)
    "messages": ["message_id"],
    "reviews": ["review_id"],
}


@dataclass
class Canonical:
    """Clean rows ready for the store. `products_insert_only`: products seen in order lines
    only add SKUs the store lacks; they never overwrite a product export's data."""

    orders: pd.DataFrame | None = None
    order_lines: pd.DataFrame | None = None
    products: pd.DataFrame | None = None
    customers: pd.DataFrame | None = None
    inventory: pd.DataFrame | None = None
    products_insert_only: bool = False

    def tables(self) -> list[tuple[str, pd.DataFrame]]:
        order = ["products", "customers", "orders", "order_lines", "inventory"]
        return [(t, getattr(self, t)) for t in order if getattr(self, t) is not None]
