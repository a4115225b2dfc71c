"""Product recommendations: bought together, similar, and next items per customer.

Public entry points live in merchant_ai.services.recommend.service; merchant controls and
feedback in merchant_ai.services.recommend.controls.
"""

from merchant_ai.services.recommend.service import card_summary

__all__ = ["card_summary"]
