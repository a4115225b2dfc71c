"""Customer insight: segments, who is slipping away, what each customer is likely to be worth,
and whom to contact (with product suggestions from the recommend capability's entry point).

    service.py      the store-facing entry point: analyze_customers(store, as_of); the card
    segments.py     store-free: RFM scores and the named segments
    predictions.py  store-free: BG/NBD + Gamma-Gamma fitted on the shop's own customers
    actions.py      the action list for an email tool
    backtest.py     "How accurate is this on my shop?": who buys in the next 90 days
"""

from merchant_ai.services.customers.service import CustomerInsight, analyze_customers, card_summary

__all__ = ["CustomerInsight", "analyze_customers", "card_summary"]
