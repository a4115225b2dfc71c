"""Demand features: shop-relative, calendar from the shop's own history."""

from __future__ import annotations

import numpy as np
import pandas as pd

from merchant_ai.ml.features.demand import FEATURE_NAMES, build_features
from merchant_ai.ml.features.demand_history import history_from_lines


def _lines(units_per_day: float, days: pd.DatetimeIndex, sku: str, closed_weekday: int | None = None):
    keep = days if closed_weekday is None else days[days.day_of_week != closed_weekday]
    return pd.DataFrame({"created_at": keep + pd.Timedelta(hours=10), "sku": sku,
                         "quantity": units_per_day, "unit_price": 5.0})


def test_features_are_the_same_for_a_busy_and_a_quiet_copy_of_a_product():
    days = pd.date_range("2025-01-01", "2025-06-30", freq="D")
    lines = pd.concat([_lines(1.0, days, "quiet"), _lines(50.0, days, "busy")])
    X = build_features(history_from_lines(lines, "2025-07-01"), 7)
    assert list(X.columns) == FEATURE_NAMES
    quiet, busy = X.iloc[:7].drop(columns="log_level"), X.iloc[7:].drop(columns="log_level")
    np.testing.assert_allclose(quiet.to_numpy(), busy.to_numpy(), rtol=1e-5)


def test_a_weekday_the_shop_never_opens_is_marked_closed():
    days = pd.date_range("2025-01-01", "2025-06-30", freq="D")
    hist = history_from_lines(_lines(3.0, days, "A", closed_weekday=6), "2025-07-01")
    X = build_features(hist, 14)
    sundays = pd.date_range("2025-07-01", periods=14, freq="D").day_of_week == 6
    assert (X["closed_day"].to_numpy()[sundays] == 1).all()
    assert (X["closed_day"].to_numpy()[~sundays] == 0).all()


def test_returns_are_not_negative_demand():
    days = pd.date_range("2025-01-01", "2025-03-31", freq="D")
    lines = pd.concat([_lines(2.0, days, "A"),
                       pd.DataFrame({"created_at": [pd.Timestamp("2025-03-30 12:00")], "sku": ["A"],
                                     "quantity": [-5.0], "unit_price": [5.0]})])
    hist = history_from_lines(lines, "2025-04-01")
    assert hist.units.min() >= 0 and hist.units[0, -2] == 2.0
