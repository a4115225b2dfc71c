"""Demand forecasts per product: daily P10/P50/P90, week and month totals, and how accurate
they were on this shop.

    service.py   the store-facing entry point: forecast(store, as_of) -> ForecastResult
    core.py      store-free: history in, daily means, variances and ranges out (training and
                 bench/forecast_backtest.py import it, so all measure the same thing)
    backtest.py  "How accurate is this on my shop?": the last 4 weeks vs seasonal naive

Other capabilities use what this package exports, nothing deeper.
"""

from merchant_ai.services.forecast.service import DEFAULT_HORIZON_DAYS, ForecastResult, forecast

__all__ = ["DEFAULT_HORIZON_DAYS", "ForecastResult", "forecast"]
