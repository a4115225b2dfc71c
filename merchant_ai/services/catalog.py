"""Every analysis the app can run, by name.

The self-test, the dashboard cards and the backtests walk this table instead of knowing each
capability. An entry is `name: "module:function"`; the function takes `(store, as_of=None)`
and returns its result (a dataclass with `to_dict()` or a DataFrame). Each capability adds
its own line when it lands.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

ANALYSES: dict[str, str] = {
    "forecast": "merchant_ai.services.forecast:forecast_analysis",
    "reorder": "merchant_ai.services.reorder:reorder_analysis",
    "pricing": "merchant_ai.services.pricing:suggest_prices",
    "recommend": "merchant_ai.services.recommend.service:recommendations_overview",
    "fraud": "merchant_ai.services.fraud:analyze",
    "customers": "merchant_ai.services.customers:analyze_customers",
}


def analysis(name: str) -> Callable:
    """The function behind an analysis name (imported on first use)."""
    module_name, func_name = ANALYSES[name].split(":")
    return getattr(importlib.import_module(module_name), func_name)
