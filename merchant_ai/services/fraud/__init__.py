"""Order risk: a 0-100 score, a level, the merchant's rules and the reasons, for every order.

    service.py     the store-facing entry point: analyze(store, as_of) -> FraudResult; the card
    rules.py       store-free: the merchant's rule grammar, evaluated on all orders at once
    thresholds.py  store-free: levels from scores, default and recalibrated thresholds
    settings.py    what the merchant tells the risk check: verdicts, thresholds, rules (writes)
    backtest.py    "How accurate is this on my shop?": verdicts caught, or orders held back
"""

from merchant_ai.services.fraud.service import FraudResult, analyze, card_summary

__all__ = ["FraudResult", "analyze", "card_summary"]
