"""Pricing suggestions from how each product's demand responds to price in this shop.

    service.py     the store-facing entry point: suggest_prices(store, as_of) -> PricingResult;
                   the dashboard card
    elasticity.py  store-free: price elasticity per product from weekly sales
    optimizer.py   store-free: the allowed price with the best expected profit
    guardrails.py  store-free: the merchant's guardrails and the prices they allow
    markdown.py    slow movers (stock cover from the forecast capability's entry point)
    actions.py     what the merchant saves: guardrails, applied/dismissed decisions, the export
    backtest.py    "How accurate is this on my shop?": did units move as the elasticities said
"""

from merchant_ai.services.pricing.service import PricingResult, card_summary, suggest_prices

__all__ = ["PricingResult", "card_summary", "suggest_prices"]
