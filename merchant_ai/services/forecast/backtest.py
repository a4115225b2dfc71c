""""How accurate is this on my shop?" for the forecast: the last 4 weeks, forecast vs actual,
next to seasonal naive (each day: what sold on the same weekday of the last week)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from merchant_ai.ml.backtest import BacktestSpec, Score
from merchant_ai.ml.features.demand_history import history_from_lines
from merchant_ai.services.forecast.service import forecast
from merchant_ai.store.db import Store
from merchant_ai.store.demand_queries import daily_product_sales

HORIZON_DAYS = 28


def _answer(store: Store, as_of: pd.Timestamp) -> pd.DataFrame:
    return forecast(store, as_of=as_of, horizon_days=HORIZON_DAYS).daily_frame()


def seasonal_naive(store: Store, as_of: pd.Timestamp, horizon_days: int = HORIZON_DAYS) -> pd.DataFrame:
    """Each future day gets what sold on the same weekday in the last week before `as_of`."""
    sales = daily_product_sales(store, as_of)
    hist = history_from_lines(sales, as_of, max_days=7)
    cols = np.arange(horizon_days) % 7
    values = hist.units[:, cols] if hist.n_days >= 7 else np.zeros((len(hist.skus), horizon_days))
    dates = pd.date_range(as_of, periods=horizon_days, freq="D").date
    return pd.DataFrame({"sku": np.repeat(hist.skus, horizon_days), "date": np.tile(dates, len(hist.skus)),
                         "mean": values.reshape(-1)})


def actual_units(store: Store, start: pd.Timestamp, until: pd.Timestamp) -> pd.DataFrame:
    """Units sold per product and day in [start, until): sku, date, actual."""
    sales = daily_product_sales(store, until)
    sales = sales[sales["created_at"] >= start]
    return pd.DataFrame({"sku": sales["sku"].astype(str), "date": sales["created_at"].dt.date,
                         "actual": sales["quantity"].astype(float)})


def _score(store: Store, answer: pd.DataFrame, as_of: pd.Timestamp, until: pd.Timestamp) -> Score:
    actual = actual_units(store, as_of, until)
    merged = answer.merge(actual, on=["sku", "date"], how="left").fillna({"actual": 0.0})
    # products sold in the period but not forecast count fully as error
    missed = actual[~actual["sku"].isin(answer["sku"])]["actual"].sum()
    total = merged["actual"].sum() + missed
    error = (merged["actual"] - merged["mean"]).abs().sum() + missed
    metrics = {"wape": float(error / total) if total > 0 else float("nan"),
               "mae": float((merged["actual"] - merged["mean"]).abs().mean()),
               "bias": float((merged["mean"].sum() - total) / total) if total > 0 else float("nan")}
    if "p10" in merged:
        inside = (merged["actual"] >= merged["p10"]) & (merged["actual"] <= merged["p90"])
        metrics["p10_p90_coverage"] = float(inside.mean())
    return Score(metrics=metrics, n_evaluated=int(merged["sku"].nunique()))


FORECAST_BACKTEST = BacktestSpec(
    capability="forecast", answer=_answer, baseline=seasonal_naive, score=_score,
    primary_metric="wape", higher_is_better=False, horizon_days=HORIZON_DAYS,
    method_label="the forecast", baseline_label="seasonal naive (same weekday last week)",
    metric_labels={"wape": "error as a share of units sold (lower is better)",
                   "mae": "average error per product and day (units)",
                   "bias": "over (+) or under (-) forecast of total units",
                   "p10_p90_coverage": "share of days inside the P10-P90 range (aim: about 0.8)"},
)


def daily_totals(store: Store, as_of: pd.Timestamp) -> pd.DataFrame:
    """Shop-wide units per day over the backtest period: actual, forecast (summed expected units)
    and seasonal naive; for the app's accuracy chart."""
    until = as_of + pd.Timedelta(days=HORIZON_DAYS)
    answer = _answer(store, as_of).groupby("date")[["mean"]].sum()
    naive = seasonal_naive(store, as_of).groupby("date")["mean"].sum().rename("seasonal_naive")
    actual = actual_units(store, as_of, until).groupby("date")["actual"].sum()
    frame = answer.join(naive, how="outer").join(actual, how="left").fillna({"actual": 0.0})
    return frame.reset_index()
