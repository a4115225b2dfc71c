"""Demand-forecast features, shared by the offline training and the forecast service.

One row per (product, day of the horizon). Everything is shop-relative, so a model trained on
many simulated and public series works on a shop it has never seen:
- levels are divided by the product's own recent level (`scale`); the model predicts
  units / scale, the service multiplies back;
- calendar effects come from the shop's own history: weekday pattern, days the shop is
  closed (a weekday with no sales for 8 weeks; a date with no sales a year ago while the days
  around it sold), and a yearly index once a product has a year and a month of history;
- trend (recent vs longer means), price relative to the product's usual price and a
  promotion flag where prices are known, and intermittency (share of zero days, days since
  the last sale, dispersion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from merchant_ai.ml.features.demand_history import DemandHistory

FEATURE_NAMES: list[str] = [
    "horizon_days",
    "log_level",
    "mean_7_rel",
    "mean_28_rel",
    "mean_91_rel",
    "mean_365_rel",
    "zero_share_28",
    "days_since_sale_rel",
    "log_age_days",
    "dispersion_91",
    "shop_weekday_index",
    "item_weekday_index",
    "closed_day",
    "year_index_item",
    "year_index_shop",
    "has_year",
    "log_price_ratio",
    "promo",
    "shop_trend",
]

MIN_SCALE = 1.0 / 56.0          # one unit in eight weeks: keeps targets from exploding
YEAR_DAYS = 364                 # 52 weeks: a year ago on the same weekday
PROMO_PRICE_RATIO = 0.93        # 7% under the usual price counts as a promotion
TRAINED_HORIZON_DAYS = 28       # later days reuse the day-28 horizon (calendar features still move)


@dataclass
class ItemStats:
    """What the features know about each product at the forecast origin (arrays of length n)."""

    scale: np.ndarray           # units per day the targets are divided by
    age_days: np.ndarray        # days since the first sale (0: never sold)
    mean_28: np.ndarray
    dispersion: np.ndarray      # variance / mean of daily units over the last 91 alive days
    reference_price: np.ndarray # median selling price over the last 91 days (NaN: unknown)
    current_price: np.ndarray   # last selling price (NaN: unknown)
    weekday_index: np.ndarray   # (n, 7) the product's weekday pattern, Monday first


def _window_mean(units: np.ndarray, alive_from: np.ndarray, days: int) -> np.ndarray:
    """Mean per alive day over the last `days` columns (alive = on/after the first sale)."""
    total = units.shape[1]
    lo = max(total - days, 0)
    alive_days = np.clip(total - np.maximum(alive_from, lo), 0, None)
    sums = units[:, lo:].sum(axis=1)
    return np.divide(sums, alive_days, out=np.zeros(len(units)), where=alive_days > 0)


def _shop_weekday_index(hist: DemandHistory) -> np.ndarray:
    """Shop units per weekday over the last 8 weeks relative to the average day."""
    T = hist.n_days
    if T < 14:
        return np.ones(7)
    lo = max(T - 56, 0)
    weekday = (hist.days[lo:].day_of_week).to_numpy()
    shop = hist.shop_units[lo:]
    overall = shop.mean()
    if overall <= 0:
        return np.ones(7)
    sums = np.bincount(weekday, weights=shop, minlength=7)
    counts = np.maximum(np.bincount(weekday, minlength=7), 1)
    return sums / counts / overall


def closed_days(hist: DemandHistory, targets: pd.DatetimeIndex) -> np.ndarray:
    """1.0 for target days the shop's own history says it is closed."""
    T = hist.n_days
    closed = np.zeros(len(targets))
    if T >= 56:
        recent = hist.shop_units[T - 56:]
        weekday = hist.days[T - 56:].day_of_week.to_numpy()
        if (recent > 0).sum() >= 20:
            open_weekday = np.bincount(weekday, weights=(recent > 0).astype(float), minlength=7) > 0
            closed = np.where(open_weekday[targets.day_of_week.to_numpy()], 0.0, 1.0)
    for i, day in enumerate(targets):
        col = int((day - pd.DateOffset(years=1) - hist.start).days)
        if col - 3 < 0 or col + 3 >= T:
            continue
        around = np.r_[hist.shop_units[col - 3:col], hist.shop_units[col + 1:col + 4]]
        if hist.shop_units[col] == 0 and (around > 0).sum() >= 4:
            closed[i] = 1.0
    return closed


def _price_stats(hist: DemandHistory) -> tuple[np.ndarray, np.ndarray]:
    """Median selling price over the last 91 days, and the last selling price (NaN: unknown)."""
    T = hist.n_days
    lo = max(T - 91, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        daily = np.where(hist.units > 0, hist.revenue / hist.units, np.nan)
    daily[daily <= 0] = np.nan
    recent = daily[:, lo:]
    has = ~np.isnan(recent)
    reference = np.full(len(daily), np.nan)
    rows = has.any(axis=1)
    if rows.any():
        reference[rows] = np.nanmedian(recent[rows], axis=1)
    has_any = ~np.isnan(daily)
    last_col = np.where(has_any.any(axis=1), T - 1 - has_any[:, ::-1].argmax(axis=1), -1)
    current = np.where(last_col >= 0, daily[np.arange(len(daily)), np.maximum(last_col, 0)], np.nan)
    return reference, current


def item_stats(hist: DemandHistory) -> ItemStats:
    """Per-product levels, dispersion, weekday pattern and prices at the end of `hist`."""
    T = hist.n_days
    units = hist.units
    first = hist.first_sale
    mean_56 = _window_mean(units, first, 56)
    mean_365 = _window_mean(units, first, 365)
    scale = np.maximum(np.maximum(mean_56, 0.25 * mean_365), MIN_SCALE)
    lo = max(T - 91, 0)
    alive = np.arange(lo, T)[None, :] >= first[:, None]
    window = np.where(alive, units[:, lo:], np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_91 = np.nanmean(np.where(alive.any(axis=1)[:, None], window, 0.0), axis=1)
        var_91 = np.nanvar(np.where(alive.any(axis=1)[:, None], window, 0.0), axis=1)
        dispersion = np.where(mean_91 > 0, var_91 / np.maximum(mean_91, 1e-9), 1.0)
    # weekday pattern over 16 weeks, shrunk towards the shop's pattern (about 3 units of prior)
    lo = max(T - 112, 0)
    weekday = hist.days[lo:].day_of_week.to_numpy()
    alive = (np.arange(lo, T)[None, :] >= first[:, None]).astype(float)
    one_hot = np.eye(7)[weekday]
    sums = units[:, lo:] @ one_hot
    counts = alive @ one_hot
    per_day = np.divide(sums.sum(axis=1), counts.sum(axis=1), out=np.zeros(len(units)),
                        where=counts.sum(axis=1) > 0)
    prior_days = np.minimum(3.0 / np.maximum(per_day, 1e-3), 1000.0)[:, None]
    shop_idx = _shop_weekday_index(hist)[None, :]
    expected = per_day[:, None]
    weekday_index = np.divide(sums + prior_days * shop_idx * expected,
                              (counts + prior_days) * expected,
                              out=np.repeat(shop_idx, len(units), axis=0), where=expected > 0)
    reference, current = _price_stats(hist)
    return ItemStats(scale=scale, age_days=np.clip(T - first, 0, None).astype(float),
                     mean_28=_window_mean(units, first, 28), dispersion=dispersion,
                     reference_price=reference, current_price=current, weekday_index=weekday_index)


def _year_index(hist: DemandHistory, units: np.ndarray, targets_col: np.ndarray, prior: float) -> np.ndarray:
    """Units around the same day a year ago relative to the level a year before the origin,
    shrunk towards 1 with `prior` units; (rows, H). NaN when there is no such history."""
    T = hist.n_days
    out = np.full((units.shape[0], len(targets_col)), np.nan)
    if T - YEAR_DAYS - 28 < 0:
        return out
    base = units[:, T - YEAR_DAYS - 28:T - YEAR_DAYS].sum(axis=1) / 28.0
    cums = np.concatenate([np.zeros((units.shape[0], 1)), np.cumsum(units, axis=1)], axis=1)
    for j, col in enumerate(targets_col):
        centre = col - YEAR_DAYS
        lo, hi = max(centre - 7, 0), min(centre + 8, T)
        got = cums[:, hi] - cums[:, lo]
        expected = base * (hi - lo)
        out[:, j] = (got + prior) / (expected + prior)
    return out


def build_features(hist: DemandHistory, horizon_days: int, *, stats: ItemStats | None = None,
                   future_price: np.ndarray | None = None,
                   future_promo: np.ndarray | None = None) -> pd.DataFrame:
    """Features for every product of `hist` and every day of the horizon after it.

    Rows are product-major: product 0 day 1..H, product 1 day 1..H, ... Columns are exactly
    FEATURE_NAMES. `future_price` (n, H) is the planned shelf price (default: the last selling
    price, i.e. no change); `future_promo` (n, H) marks planned promotions (default: the planned
    price is 7% or more under the usual price).
    """
    stats = stats or item_stats(hist)
    n, T, H = len(hist.skus), hist.n_days, int(horizon_days)
    units, first = hist.units, hist.first_sale
    scale = stats.scale
    rel = lambda values: values / scale
    last_sale = np.where(units.any(axis=1), T - 1 - (units[:, ::-1] > 0).argmax(axis=1), first - 1)
    lo28 = max(T - 28, 0)
    alive28 = np.arange(lo28, T)[None, :] >= first[:, None]
    zero_share = np.divide(((units[:, lo28:] == 0) & alive28).sum(axis=1), alive28.sum(axis=1),
                           out=np.ones(n), where=alive28.sum(axis=1) > 0)
    shop = hist.shop_units
    shop_trend = (shop[-28:].mean() + 1e-6) / (shop[-91:].mean() + 1e-6) if T else 1.0

    targets = pd.date_range(hist.end, periods=H, freq="D")
    target_weekday = targets.day_of_week.to_numpy()
    targets_col = np.arange(T, T + H)
    year_item = _year_index(hist, units, targets_col, prior=5.0)
    year_shop = _year_index(hist, shop[None, :], targets_col, prior=5.0)[0]
    has_year = (stats.age_days >= YEAR_DAYS + 28)[:, None] & ~np.isnan(year_item)
    year_shop_filled = np.nan_to_num(year_shop, nan=1.0)

    reference = stats.reference_price
    price = np.repeat(stats.current_price[:, None], H, axis=1) if future_price is None else future_price
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = price / reference[:, None]
    known = np.isfinite(ratio) & (ratio > 0)
    log_ratio = np.where(known, np.log(np.where(known, ratio, 1.0)), 0.0).clip(-1.0, 1.0)
    promo = (known & (ratio < PROMO_PRICE_RATIO)).astype(float) if future_promo is None else future_promo

    per_item = {
        "log_level": np.log(scale),
        "mean_7_rel": rel(_window_mean(units, first, 7)),
        "mean_28_rel": rel(stats.mean_28),
        "mean_91_rel": rel(_window_mean(units, first, 91)),
        "mean_365_rel": rel(_window_mean(units, first, 365)),
        "zero_share_28": zero_share,
        "days_since_sale_rel": np.minimum((T - 1 - last_sale) / 28.0, 4.0),
        "log_age_days": np.log1p(stats.age_days),
        "dispersion_91": np.minimum(stats.dispersion, 50.0),
    }
    per_target = {
        "horizon_days": np.minimum(np.arange(1, H + 1), TRAINED_HORIZON_DAYS).astype(float),
        "shop_weekday_index": _shop_weekday_index(hist)[target_weekday],
        "closed_day": closed_days(hist, targets),
        "year_index_shop": year_shop_filled,
    }
    per_pair = {
        "item_weekday_index": stats.weekday_index[:, target_weekday],
        "year_index_item": np.where(has_year, np.nan_to_num(year_item, nan=1.0), 1.0),
        "has_year": has_year.astype(float),
        "log_price_ratio": log_ratio,
        "promo": np.asarray(promo, dtype=float),
    }
    columns = {}
    for name in FEATURE_NAMES:
        if name in per_item:
            columns[name] = np.repeat(per_item[name], H)
        elif name in per_target:
            columns[name] = np.tile(per_target[name], n)
        elif name == "shop_trend":
            columns[name] = np.full(n * H, shop_trend)
        else:
            columns[name] = np.asarray(per_pair[name], dtype=float).reshape(n * H)
    return pd.DataFrame(columns, columns=FEATURE_NAMES).astype("float32")
