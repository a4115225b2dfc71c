"""Product recommendations: bought together, similar, and next items per customer.

    service.py   the store-facing entry points (lists per product and customer, the overview
                 analysis, the dashboard card); context.py reads the store once per date
    controls.py  the merchant's pins, blocks, verdicts and settings (writes)
    backtest.py  "How accurate is this on my shop?"
    baskets, cooccurrence, shop_stats, candidates, ranking, product_recs, customer_recs,
    bundles, metrics: store-free (training and the benchmarks import them)
"""

from merchant_ai.services.recommend.context import RecommendContext, load_context
from merchant_ai.services.recommend.service import card_summary, next_item_titles, recommendations_overview

__all__ = ["RecommendContext", "card_summary", "load_context", "next_item_titles", "recommendations_overview"]
