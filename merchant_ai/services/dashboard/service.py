"""The dashboard's numbers: sales over time, top products, new vs returning customers.
Revenue is net of refund lines; cancelled orders are left out. (The cards: cards.py.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from merchant_ai.errors import BadInputError
from merchant_ai.store.db import Store

FREQUENCIES = {"day": "D", "week": "W-MON", "month": "MS"}


@dataclass
class DashboardData:
    start: date
    end: date                      # inclusive
    frequency: str                 # day | week | month
    totals: dict                   # revenue, orders, average_order_value, units, currency
    over_time: pd.DataFrame        # period, revenue, orders, average_order_value, units
    top_products: pd.DataFrame     # sku, title, revenue, units
    customers: pd.DataFrame        # period, new_customers, returning_customers
    notes: list[str] = field(default_factory=list)
    # (days with data, days in the period) when the last week/month is cut short by the end date
    last_period_days: tuple[int, int] | None = None


def date_bounds(store: Store) -> tuple[date, date] | None:
    """First and last order day (cancelled orders excluded), or None for an empty store."""
    first, last = store.conn.execute(
        "SELECT MIN(created_at), MAX(created_at) FROM orders WHERE cancelled_at IS NULL").fetchone()
    if not first:
        return None
    return date.fromisoformat(first[:10]), date.fromisoformat(last[:10])


def _daily(store: Store, start: date, end: date) -> pd.DataFrame:
    return store.query_df(
        """
        SELECT substr(o.created_at, 1, 10) AS day, SUM(l.line_total) AS revenue,
               COUNT(DISTINCT CASE WHEN o.is_refund = 0 THEN o.order_id END) AS orders,
               SUM(CASE WHEN l.is_product = 1 THEN l.quantity ELSE 0 END) AS units
        FROM order_lines l JOIN orders o ON o.order_id = l.order_id
        WHERE o.cancelled_at IS NULL AND o.created_at >= ? AND o.created_at < ?
        GROUP BY day ORDER BY day
        """, (start.isoformat(), (end + timedelta(days=1)).isoformat()))


def sales_over_time(store: Store, start: date, end: date, frequency: str = "week") -> pd.DataFrame:
    """Revenue, orders, average order value and units per day, week or month (empty periods = 0)."""
    if frequency not in FREQUENCIES:
        raise BadInputError(f"'{frequency}' is not one of day, week, month.")
    daily = _daily(store, start, end)
    index = pd.date_range(start, end, freq="D")
    daily = daily.assign(day=pd.to_datetime(daily["day"])).set_index("day").reindex(index, fill_value=0)
    grouped = daily.resample(FREQUENCIES[frequency], label="left", closed="left").sum()
    grouped["average_order_value"] = (grouped["revenue"] / grouped["orders"].where(grouped["orders"] > 0)).round(2)
    grouped["revenue"] = grouped["revenue"].astype(float).round(2)
    return grouped.rename_axis("period").reset_index()[["period", "revenue", "orders", "average_order_value",
                                                         "units"]]


def top_products(store: Store, start: date, end: date, limit: int = 10) -> pd.DataFrame:
    return store.query_df(
        """
        SELECT l.sku, COALESCE(p.title, MAX(l.title)) AS title, ROUND(SUM(l.line_total), 2) AS revenue,
               SUM(l.quantity) AS units
        FROM order_lines l JOIN orders o ON o.order_id = l.order_id LEFT JOIN products p ON p.sku = l.sku
        WHERE o.cancelled_at IS NULL AND l.is_product = 1 AND o.created_at >= ? AND o.created_at < ?
        GROUP BY l.sku ORDER BY revenue DESC LIMIT ?
        """, (start.isoformat(), (end + timedelta(days=1)).isoformat(), limit))


def new_vs_returning(store: Store, start: date, end: date, frequency: str = "week") -> pd.DataFrame:
    """Per period: customers whose first order ever fell in it (new) and those who had ordered
    before it started (returning). Guest orders (no customer id) are not counted."""
    orders = store.query_df(
        """
        WITH firsts AS (SELECT customer_id, MIN(created_at) AS first_at FROM orders
                        WHERE cancelled_at IS NULL AND customer_id IS NOT NULL GROUP BY customer_id)
        SELECT o.customer_id, substr(o.created_at, 1, 10) AS day, substr(f.first_at, 1, 10) AS first_day
        FROM orders o JOIN firsts f ON f.customer_id = o.customer_id
        WHERE o.cancelled_at IS NULL AND o.is_refund = 0 AND o.created_at >= ? AND o.created_at < ?
        """, (start.isoformat(), (end + timedelta(days=1)).isoformat()))
    periods = pd.DatetimeIndex(sorted(set(_period_start(pd.Series(pd.date_range(start, end, freq="D")),
                                                        frequency))))
    if orders.empty:
        return pd.DataFrame({"period": periods, "new_customers": 0, "returning_customers": 0})
    period = _period_start(pd.to_datetime(orders["day"]), frequency)
    first_period = _period_start(pd.to_datetime(orders["first_day"]), frequency)
    frame = pd.DataFrame({"customer_id": orders["customer_id"], "period": period, "new": first_period == period})
    counts = frame.drop_duplicates(["period", "customer_id"]).groupby("period")["new"].agg(["sum", "count"])
    result = pd.DataFrame({"new_customers": counts["sum"], "returning_customers": counts["count"] - counts["sum"]})
    result = result.reindex(periods, fill_value=0).rename_axis("period").reset_index()
    return result.astype({"new_customers": int, "returning_customers": int})


def period_start(day: date, frequency: str) -> date:
    """The first day of the period holding `day`, so a chart starts with a whole period
    (a partial first week or month would look like a slump)."""
    return _period_start(pd.Series([pd.Timestamp(day)]), frequency).iloc[0].date()


def partial_last_period(end: date, frequency: str) -> tuple[int, int] | None:
    """(days covered, days in the period) when the week or month holding `end` goes on after
    it: that period's totals are lower only because it is not over, and the chart says so."""
    if frequency == "day":
        return None
    first = period_start(end, frequency)
    last = (pd.Timestamp(first) + (pd.DateOffset(weeks=1) if frequency == "week" else pd.DateOffset(months=1))
            - pd.Timedelta(days=1)).date()
    if end >= last:
        return None
    return (end - first).days + 1, (last - first).days + 1


def _period_start(days: pd.Series, frequency: str) -> pd.Series:
    """The first day of the day/week (Monday)/month each date falls in."""
    days = days.dt.normalize()
    if frequency == "week":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    if frequency == "month":
        return days - pd.to_timedelta(days.dt.day - 1, unit="D")
    return days


def dashboard_data(store: Store, start: date | None = None, end: date | None = None, frequency: str = "week",
                   *, progress=None, cancel=None) -> DashboardData | None:
    """Everything the dashboard draws, for [start, end] (default: the last 12 months of data).
    None when the store has no orders."""
    bounds = date_bounds(store)
    if bounds is None:
        return None
    end = end or bounds[1]
    start = start or period_start(max(bounds[0], end - timedelta(days=364)), frequency)
    if start > end:
        raise BadInputError("The start date is after the end date.")
    over_time = sales_over_time(store, start, end, frequency)
    if progress:
        progress(0.5, "Sales over time…")
    currency = store.scalar("SELECT currency FROM orders WHERE currency IS NOT NULL "
                            "GROUP BY currency ORDER BY COUNT(*) DESC LIMIT 1")
    revenue, orders, units = (float(over_time["revenue"].sum()), int(over_time["orders"].sum()),
                              float(over_time["units"].sum()))
    totals = {"revenue": round(revenue, 2), "orders": orders, "units": units, "currency": currency,
              "average_order_value": round(revenue / orders, 2) if orders else None}
    return DashboardData(start=start, end=end, frequency=frequency, totals=totals, over_time=over_time,
                         top_products=top_products(store, start, end),
                         customers=new_vs_returning(store, start, end, frequency),
                         last_period_days=partial_last_period(end, frequency))
