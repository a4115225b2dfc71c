"""Slow movers: stock that will take far longer to sell than the planning horizon.

Stock cover = units on hand / expected units per day. The expected rate comes from the
demand forecast service (its mean over the horizon) when it answers; otherwise from a
transparent sales rate: units sold in the last RECENT_WEEKS weeks / their days (the reason
says which).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from merchant_ai.errors import MerchantError

RECENT_WEEKS = 8
HORIZON_DAYS = 90
SLOW_COVER_MULTIPLE = 2.0   # cover beyond 2 x the horizon counts as a slow mover

log = logging.getLogger(__name__)


def sales_rate_per_day(panel: pd.DataFrame) -> pd.Series:
    """Units per day over the last RECENT_WEEKS weeks of the panel, per sku."""
    last = panel["week"].max()
    recent = panel[panel["week"] > last - RECENT_WEEKS]
    weeks_present = recent.groupby("sku")["week"].nunique()
    return recent.groupby("sku")["units"].sum() / (weeks_present * 7.0)


def forecast_rate_per_day(store, as_of, horizon_days: int = HORIZON_DAYS) -> pd.Series | None:
    """Expected units per day over the horizon from the demand forecast service, per sku;
    None when that service is unavailable or cannot answer (pricing keeps working)."""
    try:
        from merchant_ai.services.forecast import forecast

        result = forecast(store, as_of=as_of, horizon_days=horizon_days)
    except (ImportError, MerchantError) as exc:
        log.info("forecast service not used for stock cover: %s", exc)
        return None
    rows = [i for i in range(len(result.skus)) if result.has_forecast(i)]
    if not rows:
        return None
    return pd.Series(result.arrays.mean[rows].mean(axis=1), index=[result.skus[i] for i in rows])


def stock_cover(on_hand: pd.Series, rate_per_day: pd.Series) -> pd.Series:
    """Days of stock at the given rate (inf when stock sits and nothing sells)."""
    rate = rate_per_day.reindex(on_hand.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = on_hand / rate
    return cover.where(on_hand > 0, 0.0).fillna(np.inf)


def is_slow_mover(cover_days: float, horizon_days: float = HORIZON_DAYS) -> bool:
    return cover_days > SLOW_COVER_MULTIPLE * horizon_days
