"""Store-free: the forecast arithmetic: history in, daily mean/variance/P10-P50-P90 out.

Used by the forecast service, its backtest and bench/forecast_backtest.py, so all three
measure the same thing. Products with under four weeks of sales borrow the level and shape
of established products of their category; products that never sold, or sold for under a
week with nothing to borrow from, get no forecast ("not enough history").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from merchant_ai.errors import ModelUnavailableError
from merchant_ai.ml.demand_distribution import count_quantiles, forecast_variance
from merchant_ai.ml.features.demand import FEATURE_NAMES, ItemStats, build_features, item_stats
from merchant_ai.ml.features.demand_history import DemandHistory

MODEL_NAME = "demand_forecast"
OWN_HISTORY_DAYS = 28        # from here on a product's own history is used alone
MIN_HISTORY_DAYS = 7         # below this, only borrowing can give a forecast
PEER_MIN_AGE_DAYS = 56       # products old enough to lend their level and shape
DEFAULT_CALIBRATION = {"kappa": 1.0, "floor_cv": 0.1}
BACKCAST_DAYS = 28           # the model re-run this long ago tells how far sales scatter around it
BACKCAST_PRIOR_UNITS = 5.0

OWN, BORROWED, SHORT, NONE = "own history", "borrowed", "short history", "not enough history"


@dataclass
class ForecastArrays:
    """Per product (rows) and day (columns); rows with basis NONE hold NaN."""

    mean: np.ndarray
    variance: np.ndarray
    quantiles: np.ndarray        # (n, H, 3): P10, P50, P90
    dispersion: np.ndarray       # (n,) scatter around the model (see residual_dispersion)
    basis: list[str]
    notes: list[str]
    stats: ItemStats
    model_label: str
    model_note: str | None


def _model_means(hist: DemandHistory, horizon_days: int, stats: ItemStats, future_price, future_promo):
    """Expected units per product and day from the ONNX model (or a weekday-average fallback)."""
    from merchant_ai.ml.registry import load_model

    n = len(hist.skus)
    X = build_features(hist, horizon_days, stats=stats, future_price=future_price, future_promo=future_promo)
    closed = X["closed_day"].to_numpy().reshape(n, horizon_days) > 0
    try:
        model = load_model(MODEL_NAME, feature_names=FEATURE_NAMES)
        relative = model.predict(X)["variable"].reshape(n, horizon_days)
        label = f"{model.name} {model.version}"
        note = "; ".join(model.notes) or None
        calibration = {**DEFAULT_CALIBRATION, **model.card.get("calibration", {})}
    except ModelUnavailableError as exc:
        # degrade, say so: each product's recent level times its weekday pattern
        weekday = (hist.end.day_of_week + np.arange(horizon_days)) % 7
        relative = stats.weekday_index[:, weekday]
        label = "weekday average (fallback)"
        note = f"{exc.message} Showing each product's recent average by weekday instead."
        calibration = DEFAULT_CALIBRATION
    mean = np.where(closed, 0.0, relative * stats.scale[:, None])
    return mean, label, note, calibration


def residual_dispersion(hist: DemandHistory, past_price: np.ndarray | None = None,
                        past_promo: np.ndarray | None = None) -> np.ndarray:
    """How far each product's sales scatter around what the model says: the model is re-run as of
    four weeks ago; squared errors over the four weeks since, divided by the expected units
    (about 1 for Poisson-like sales), shrunk towards the shop's median with ~5 expected units.
    Unlike the raw variance of the history this leaves out what the model explains (weekdays,
    promotions, price changes). `past_price`/`past_promo` (n, T): known prices of the history."""
    n, T = len(hist.skus), hist.n_days
    back = min(BACKCAST_DAYS, T - BACKCAST_DAYS)
    if back < MIN_HISTORY_DAYS:
        return np.ones(n)
    origin = T - back
    past = hist.until(origin)
    price = None if past_price is None else past_price[:, origin:T]
    promo = None if past_promo is None else past_promo[:, origin:T]
    mean = _model_means(past, back, item_stats(past), price, promo)[0]
    expected = mean.sum(axis=1)
    squared = ((hist.units[:, origin:] - mean) ** 2).sum(axis=1)
    valid = (past.first_sale < origin) & (expected > 0)
    raw = np.divide(squared, expected, out=np.ones(n), where=valid)
    shop = float(np.median(raw[valid])) if valid.any() else 1.0
    weight = np.where(valid, expected / (expected + BACKCAST_PRIOR_UNITS), 0.0)
    return weight * raw + (1 - weight) * shop


def forecast_history(hist: DemandHistory, horizon_days: int, *, categories: list | None = None,
                     future_price: np.ndarray | None = None, future_promo: np.ndarray | None = None,
                     past_price: np.ndarray | None = None, past_promo: np.ndarray | None = None) -> ForecastArrays:
    """Daily forecasts for every product of `hist` over the `horizon_days` after it."""
    stats = item_stats(hist)
    n, H = len(hist.skus), int(horizon_days)
    mean, label, note, calibration = _model_means(hist, H, stats, future_price, future_promo)
    age = stats.age_days
    sold = hist.first_sale < hist.n_days
    basis = np.where(~sold, NONE, np.where(age >= OWN_HISTORY_DAYS, OWN, SHORT)).astype(object)
    notes = [""] * n
    categories = list(categories) if categories is not None else [None] * n
    shape = mean / stats.scale[:, None]
    peers_ok = sold & (age >= PEER_MIN_AGE_DAYS)
    by_category: dict = {}
    for i in np.flatnonzero(peers_ok):
        by_category.setdefault(categories[i], []).append(i)
    for i in np.flatnonzero(sold & (age < OWN_HISTORY_DAYS)):
        peers = by_category.get(categories[i], []) if categories[i] is not None else []
        if not peers:
            if age[i] < MIN_HISTORY_DAYS:
                basis[i] = NONE
                notes[i] = f"Only {_days(age[i])} of sales and no similar products to learn from."
            else:
                notes[i] = f"Only {_days(age[i])} of sales: this forecast is rough."
            continue
        weight = age[i] / OWN_HISTORY_DAYS
        level = float(np.median(stats.scale[peers]))
        profile = np.median(shape[peers], axis=0) * level
        mean[i] = weight * mean[i] + (1 - weight) * profile
        basis[i] = BORROWED
        notes[i] = (f"New product ({_days(age[i])} of sales): blended with {len(peers)} established "
                    f"products in {categories[i]}.")
    for i in np.flatnonzero(basis == NONE):
        notes[i] = notes[i] or "Not enough history: this product has not sold yet."
        mean[i] = np.nan
    dispersion = residual_dispersion(hist, past_price, past_promo)
    variance = forecast_variance(mean, dispersion[:, None], stats.scale[:, None],
                                 kappa=calibration["kappa"], floor_cv=calibration["floor_cv"])
    quantiles = np.full((n, H, 3), np.nan)
    ok = basis != NONE
    if ok.any():
        quantiles[ok] = count_quantiles(mean[ok].ravel(), variance[ok].ravel()).reshape(int(ok.sum()), H, 3)
    return ForecastArrays(mean=mean, variance=variance, quantiles=quantiles, dispersion=dispersion,
                          basis=basis.tolist(),
                          notes=notes, stats=stats, model_label=label, model_note=note)


def _days(count: float) -> str:
    """"1 day" / "3 days" for the notes a shop owner reads."""
    return "1 day" if int(count) == 1 else f"{int(count)} days"
