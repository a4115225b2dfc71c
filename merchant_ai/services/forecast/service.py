"""Demand forecasts per product: daily P10/P50/P90 with week and month totals.

`forecast(store, as_of=None)` answers as if today were `as_of`, using only sales before it
(merchant_ai.store.as_of says what "today" means). Week and month totals add up the daily expected
units exactly; their ranges come from the summed daily variances.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from merchant_ai.errors import BadInputError, NotEnoughDataError
from merchant_ai.ml.demand_distribution import count_quantiles
from merchant_ai.ml.features.demand_history import history_from_lines
from merchant_ai.services.forecast.core import NONE, ForecastArrays, forecast_history
from merchant_ai.store.as_of import AsOf, resolve_as_of
from merchant_ai.store.db import Store
from merchant_ai.store.demand_queries import daily_product_sales
from merchant_ai.store.queries import products

DEFAULT_HORIZON_DAYS = 28
MAX_HORIZON_DAYS = 182
RECENT_DAYS = 91
WEEKDAYS = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]


@dataclass
class ForecastResult:
    """Forecasts of every product; arrays are (products, days) in `skus` x `dates` order."""

    as_of: pd.Timestamp
    dates: pd.DatetimeIndex
    skus: list[str]
    titles: list[str | None]
    categories: list[str | None]
    arrays: ForecastArrays
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def horizon_days(self) -> int:
        return len(self.dates)

    def index_of(self, sku: str) -> int:
        try:
            return self.skus.index(sku)
        except ValueError:
            raise BadInputError(f"There is no product with SKU '{sku}'.") from None

    def has_forecast(self, i: int) -> bool:
        return self.arrays.basis[i] != NONE

    def daily_frame(self) -> pd.DataFrame:
        """One row per product with a forecast and day: sku, date, mean, p10, p50, p90."""
        rows = [i for i in range(len(self.skus)) if self.has_forecast(i)]
        H = self.horizon_days
        q = self.arrays.quantiles[rows].round(3)
        return pd.DataFrame({
            "sku": np.repeat([self.skus[i] for i in rows], H),
            "date": np.tile(self.dates.date, len(rows)),
            "mean": self.arrays.mean[rows].reshape(-1).round(3),
            "p10": q[:, :, 0].reshape(-1), "p50": q[:, :, 1].reshape(-1), "p90": q[:, :, 2].reshape(-1),
        })

    def aggregate(self, freq: str) -> pd.DataFrame:
        """Totals per product and week ("W": weeks starting Monday) or month ("M"): the mean is
        the sum of the daily means; P10/P50/P90 from the summed means and variances."""
        period = self.dates.to_period("W-SUN" if freq == "W" else "M")
        starts = pd.Index(period.start_time)
        labels = starts.unique()
        onehot = (starts.to_numpy()[:, None] == labels.to_numpy()[None, :]).astype(float)
        rows = [i for i in range(len(self.skus)) if self.has_forecast(i)]
        mean = self.arrays.mean[rows] @ onehot
        var = self.arrays.variance[rows] @ onehot
        q = count_quantiles(mean.ravel(), var.ravel()).reshape(len(rows), len(labels), 3).round(3)
        return pd.DataFrame({
            "sku": np.repeat([self.skus[i] for i in rows], len(labels)),
            "period_start": np.tile(labels.date, len(rows)),
            "days": np.tile(onehot.sum(axis=0).astype(int), len(rows)),
            "mean": mean.reshape(-1).round(3),
            "p10": q[:, :, 0].reshape(-1), "p50": q[:, :, 1].reshape(-1), "p90": q[:, :, 2].reshape(-1),
        })

    def explain(self, i: int) -> str:
        """One plain sentence about product i's forecast."""
        if not self.has_forecast(i):
            return self.arrays.notes[i]
        mean = self.arrays.mean[i]
        per_weekday = pd.Series(mean).groupby(self.dates.day_of_week).mean()
        per_weekday = per_weekday[per_weekday > 0] if (per_weekday > 0).any() else per_weekday
        busiest, quietest = per_weekday.idxmax(), per_weekday.idxmin()
        total = count_quantiles(np.array([mean.sum()]), np.array([self.arrays.variance[i].sum()]))[0]
        text = f"Sells about {_amount(mean.mean())} a day"
        if per_weekday[busiest] > 1.25 * per_weekday[quietest]:
            text += (f" ({_amount(per_weekday[busiest])} on {WEEKDAYS[busiest]}, "
                     f"{_amount(per_weekday[quietest])} on {WEEKDAYS[quietest]})")
        text += (f"; expect {total[1]:.0f} (likely {total[0]:.0f} to {total[2]:.0f}) "
                 f"in the next {self.horizon_days} days.")
        note = self.arrays.notes[i]
        return f"{text} {note}".strip()

    def recent_sales(self, i: int) -> pd.Series:
        """Units sold per day over the last 13 weeks before `as_of` (for charts)."""
        units = self.extra["recent_units"][i]
        return pd.Series(units, index=pd.date_range(self.extra["recent_start"], periods=len(units), freq="D"))

    def to_dict(self) -> dict:
        """JSON-ready: per SKU, the daily {date, p10, p50, p90} (SKUs verbatim)."""
        q = self.arrays.quantiles.round(3)
        out = []
        for i, sku in enumerate(self.skus):
            entry = {"sku": sku, "title": self.titles[i], "basis": self.arrays.basis[i],
                     "note": self.arrays.notes[i] or None}
            if self.has_forecast(i):
                entry["daily"] = [{"date": d.isoformat(), "p10": float(q[i, k, 0]), "p50": float(q[i, k, 1]),
                                   "p90": float(q[i, k, 2]), "mean": round(float(self.arrays.mean[i, k]), 3)}
                                  for k, d in enumerate(self.dates.date)]
            else:
                entry["daily"] = []
            out.append(entry)
        return {"as_of": self.as_of.date().isoformat(), "horizon_days": self.horizon_days,
                "model": self.arrays.model_label, "model_note": self.arrays.model_note,
                "seconds": round(self.seconds, 3), "products": out}


def _amount(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def forecast(store: Store, as_of: AsOf = None, horizon_days: int = DEFAULT_HORIZON_DAYS, *,
             progress=None, cancel=None) -> ForecastResult:
    """Daily P10/P50/P90 of units sold per product for `horizon_days` days from `as_of`."""
    started = time.perf_counter()
    if not 1 <= int(horizon_days) <= MAX_HORIZON_DAYS:
        raise BadInputError(f"The horizon must be between 1 and {MAX_HORIZON_DAYS} days.")
    as_of = resolve_as_of(store, as_of)
    if progress:
        progress(0.1, "Reading sales")
    sales = daily_product_sales(store, as_of)
    if sales.empty:
        raise NotEnoughDataError(f"There are no sales before {as_of.date()} to forecast from.")
    catalog = products(store)
    catalog = catalog[catalog["is_product"].fillna(1).astype(int) == 1]
    skus = catalog["sku"].astype(str).tolist()
    skus += sorted(set(sales["sku"].astype(str)) - set(skus))
    info = catalog.set_index("sku").reindex(skus)
    hist = history_from_lines(sales, as_of, skus=skus)
    if cancel and cancel():
        from merchant_ai.errors import CancelledError

        raise CancelledError("Forecast cancelled.")
    if progress:
        progress(0.4, "Forecasting")
    arrays = forecast_history(hist, int(horizon_days), categories=info["category"].tolist())
    result = ForecastResult(
        as_of=as_of, dates=pd.date_range(as_of, periods=int(horizon_days), freq="D"), skus=skus,
        titles=[None if pd.isna(t) else str(t) for t in info["title"]],
        categories=[None if pd.isna(c) else str(c) for c in info["category"]],
        arrays=arrays, seconds=time.perf_counter() - started,
        extra={"revenue_last_year": hist.revenue[:, -365:].sum(axis=1),
               # the recent past, for charts: units per day over the last 13 weeks
               "recent_units": hist.units[:, -RECENT_DAYS:],
               "recent_start": hist.end - pd.Timedelta(days=min(RECENT_DAYS, hist.n_days))},
    )
    if progress:
        progress(1.0, "Done")
    return result
