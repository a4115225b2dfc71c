"""Editing stock on hand and reorder settings, with plain checks (used by the app and the CLI)."""

from __future__ import annotations

import math

from merchant_ai.errors import BadInputError
from merchant_ai.store.db import Store
from merchant_ai.store.demand_queries import EDITABLE_SETTINGS, write_product_edits

# (lowest, highest) allowed for the numeric settings
_RANGES = {
    "lead_time_days": (0.0, 365.0), "review_period_days": (1.0, 365.0), "min_order_qty": (0.0, 1e7),
    "pack_size": (1.0, 1e6), "on_order": (0.0, 1e9), "service_level": (0.5, 0.999), "unit_cost": (0.0, 1e9),
    "discontinued": (0, 1),
}
LABELS = {
    "lead_time_days": "lead time (days)", "review_period_days": "review period (days)",
    "min_order_qty": "minimum order", "pack_size": "pack size", "on_order": "stock on order",
    "service_level": "service level", "unit_cost": "unit cost", "vendor": "vendor", "discontinued": "discontinued",
}


def _require_product(store: Store, sku: str) -> None:
    if store.scalar("SELECT 1 FROM products WHERE sku = ?", (sku,)) is None:
        raise BadInputError(f"There is no product with SKU '{sku}'.")


def _number(text, what: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise BadInputError(f"{what} must be a number, not '{text}'.") from None
    if math.isnan(value) or math.isinf(value):
        raise BadInputError(f"{what} must be a number, not '{text}'.")
    return value


def _clean_stock(store: Store, sku: str, on_hand) -> float:
    _require_product(store, sku)
    value = _number(on_hand, "Stock on hand")
    if value < 0:
        raise BadInputError("Stock on hand cannot be negative.")
    return value


def apply_edits(store: Store, stock: list[tuple[str, object]], settings: list[tuple[str, dict]]) -> None:
    """Several edits at once: all are checked before any is written, and all are written in
    one transaction (bad input, or a failure while writing, changes nothing).
    A service level may be given as 95 or 0.95."""
    clean_stock = [(sku, _clean_stock(store, sku, value)) for sku, value in stock]
    clean_settings = [(sku, _clean_settings(store, sku, values)) for sku, values in settings]
    write_product_edits(store, clean_stock, [(sku, values) for sku, values in clean_settings if values])


def _clean_settings(store: Store, sku: str, values: dict) -> dict:
    _require_product(store, sku)
    clean = {}
    for name, raw in values.items():
        if name not in EDITABLE_SETTINGS:
            raise BadInputError(f"'{name}' is not a setting; use one of: {', '.join(EDITABLE_SETTINGS)}.")
        if raw is None or raw == "":
            clean[name] = None
            continue
        if EDITABLE_SETTINGS[name] is str:
            clean[name] = str(raw).strip()
            continue
        value = _number(raw, LABELS[name].capitalize())
        if name == "service_level" and value > 1:
            value /= 100.0
        low, high = _RANGES[name]
        if not low <= value <= high:
            raise BadInputError(f"The {LABELS[name]} must be between {low:g} and {high:g}.")
        clean[name] = int(value) if EDITABLE_SETTINGS[name] is int else value
    return clean
