"""Reorder suggestions: what to order, when and how much, and why; stock and reorder settings
the merchant edits; purchase-order drafts. Built on the forecast capability's entry point.

    service.py          the store-facing entry point: reorder(store, as_of) -> ReorderResult;
                        the dashboard card
    core.py             store-free: the reorder arithmetic of one product
    explain.py          store-free: one plain sentence per reorder number
    settings.py         the merchant's edits of stock on hand and reorder settings (writes)
    purchase_orders.py  purchase-order drafts per vendor, to CSV or PDF
"""

from merchant_ai.services.reorder.service import ReorderLine, ReorderResult, card_summary, reorder

__all__ = ["ReorderLine", "ReorderResult", "card_summary", "reorder"]
