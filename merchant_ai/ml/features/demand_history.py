"""Daily demand history per product: the one input shape the demand features are built from.

Both the offline training (simulator frames, public data) and the forecast service turn their
sales lines into a `DemandHistory` here, so the two cannot disagree about what "a day's demand"
is: units sold on positive lines (returns are not negative demand: the customer wanted the item).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Longest look-back any feature uses: a year ago plus a four-week base window and slack.
LOOKBACK_DAYS = 420


@dataclass
class DemandHistory:
    """Units and revenue per product (rows) and day (columns), days ending the day before `end`."""

    skus: list[str]
    start: pd.Timestamp            # date of column 0
    units: np.ndarray              # (n, T) float64, units sold per day
    revenue: np.ndarray            # (n, T) float64, money taken per day
    first_sale: np.ndarray         # (n,) column of the first sale; T when never sold
    shop_units: np.ndarray         # (T,) units of the whole shop per day (all products)

    @property
    def n_days(self) -> int:
        return self.units.shape[1]

    @property
    def days(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.n_days, freq="D")

    @property
    def end(self) -> pd.Timestamp:
        """The first day after the history (the first forecast day)."""
        return self.start + pd.Timedelta(days=self.n_days)

    def until(self, column: int) -> DemandHistory:
        """The history as it was before day `column` (for training and backtests)."""
        return DemandHistory(
            skus=self.skus, start=self.start, units=self.units[:, :column],
            revenue=self.revenue[:, :column],
            first_sale=np.minimum(self.first_sale, column), shop_units=self.shop_units[:column],
        )

    def subset(self, rows: np.ndarray) -> DemandHistory:
        return DemandHistory(
            skus=[self.skus[i] for i in rows], start=self.start, units=self.units[rows],
            revenue=self.revenue[rows], first_sale=self.first_sale[rows], shop_units=self.shop_units,
        )


def history_from_lines(lines: pd.DataFrame, end, *, skus: list[str] | None = None,
                       max_days: int | None = LOOKBACK_DAYS) -> DemandHistory:
    """Daily history from sales lines (columns created_at, sku, quantity, and line_total or
    unit_price), for the days before `end` (exclusive). `skus` fixes the row order and adds
    products that never sold; `max_days` keeps only the most recent days (None: all)."""
    end = pd.Timestamp(end).normalize()
    frame = lines.loc[(lines["created_at"] < end) & lines["sku"].notna(), :]
    shop_day = frame["created_at"].dt.normalize()
    first_day = shop_day.min() if len(frame) else end - pd.Timedelta(days=1)
    start = first_day if max_days is None else max(first_day, end - pd.Timedelta(days=max_days))
    n_days = max(int((end - start).days), 1)
    start = end - pd.Timedelta(days=n_days)
    sold = frame["quantity"].to_numpy(dtype=float) > 0
    frame = frame.loc[sold, :]
    day_index = ((frame["created_at"].dt.normalize() - start).dt.days).to_numpy()
    if "line_total" in frame:
        money = frame["line_total"].to_numpy(dtype=float)
    else:
        money = frame["quantity"].to_numpy(dtype=float) * frame["unit_price"].to_numpy(dtype=float)
    money = np.nan_to_num(money)
    if skus is None:
        skus = sorted(frame["sku"].astype(str).unique().tolist())
    position = pd.Index(skus)
    row = position.get_indexer(frame["sku"].astype(str))
    # first sale over the WHOLE history (not just the window): the age of a product matters
    all_first = frame.groupby(frame["sku"].astype(str))["created_at"].min().dt.normalize()
    first_col = ((all_first.reindex(position) - start).dt.days).to_numpy(dtype=float)
    first_sale = np.where(np.isnan(first_col), n_days, np.maximum(first_col, -10**6)).astype(int)
    keep = (day_index >= 0) & (row >= 0)
    quantity = frame["quantity"].to_numpy(dtype=float)
    shape = (len(skus), n_days)
    units = np.zeros(shape)
    revenue = np.zeros(shape)
    np.add.at(units, (row[keep], day_index[keep]), quantity[keep])
    np.add.at(revenue, (row[keep], day_index[keep]), money[keep])
    shop = np.bincount(day_index[day_index >= 0], weights=quantity[day_index >= 0], minlength=n_days)
    return DemandHistory(skus=list(skus), start=start, units=units, revenue=revenue,
                         first_sale=first_sale, shop_units=shop[:n_days].astype(float))


def history_from_matrix(units: np.ndarray, start, skus: list[str], *,
                        prices: np.ndarray | None = None) -> DemandHistory:
    """A history from a ready units matrix (public weekly/daily panels, generated stores)."""
    units = np.nan_to_num(np.asarray(units, dtype=float))
    revenue = units * np.nan_to_num(prices) if prices is not None else np.zeros_like(units)
    sold = units > 0
    first_sale = np.where(sold.any(axis=1), sold.argmax(axis=1), units.shape[1])
    return DemandHistory(skus=list(skus), start=pd.Timestamp(start), units=units, revenue=revenue,
                         first_sale=first_sale, shop_units=units.sum(axis=0))
