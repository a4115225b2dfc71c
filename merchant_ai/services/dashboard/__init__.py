"""The dashboard: sales over time, top products, new vs returning customers, the store
summary (`merchant-ai summary`) and one card per capability.

    service.py  the numbers the dashboard draws
    cards.py    one card per capability of merchant_ai.capabilities, from remembered results
    summary.py  counts, first and last order date, gross sales, refunds, net sales
"""
