"""Dashboard numbers on a tiny hand-made store, where every figure can be checked by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from merchant_ai.services.dashboard.service import (
    dashboard_data,
    new_vs_returning,
    partial_last_period,
    period_start,
    sales_over_time,
)
from merchant_ai.store import open_store
from merchant_ai.store.bulk import insert_frame


@pytest.fixture
def tiny_store(store_path):
    orders = pd.DataFrame({
        "order_id": ["1", "2", "3", "4", "5"],
        "created_at": ["2025-03-03 10:00:00", "2025-03-05 11:00:00", "2025-03-11 09:00:00", "2025-03-12 09:00:00",
                       "2025-03-13 09:00:00"],
        "customer_id": ["A", "B", "A", "C", "A"],
        "cancelled_at": [None, None, None, "2025-03-12 10:00:00", None],
        "is_refund": [0, 0, 1, 0, 0],  # order 3 is a credit note
        "currency": ["EUR"] * 5,
    })
    lines = pd.DataFrame({
        "order_id": ["1", "1", "2", "3", "4", "5"], "line_no": [1, 2, 1, 1, 1, 1],
        "sku": ["X", "Y", "X", "X", "Y", "Y"], "quantity": [2.0, 1.0, 1.0, -1.0, 5.0, 2.0],
        "unit_price": [10.0, 5.0, 10.0, 10.0, 5.0, 5.0], "line_total": [20.0, 5.0, 10.0, -10.0, 25.0, 10.0],
        "is_refund": [0, 0, 0, 1, 0, 0], "is_product": [1, 1, 1, 1, 1, 1],
    })
    with open_store(store_path) as store:
        with store.transaction() as conn:
            insert_frame(conn, "orders", orders)
            insert_frame(conn, "order_lines", lines)
        yield store


def test_weekly_sales_are_net_of_refund_lines_and_leave_cancelled_orders_out(tiny_store):
    weeks = sales_over_time(tiny_store, date(2025, 3, 3), date(2025, 3, 16), "week")
    assert weeks["period"].dt.date.tolist() == [date(2025, 3, 3), date(2025, 3, 10)]
    assert weeks["revenue"].tolist() == [35.0, 0.0]   # week 2: a 10.00 sale and a 10.00 refund
    assert weeks["orders"].tolist() == [2, 1]         # the credit note is not an order
    assert weeks["units"].tolist() == [4.0, 1.0]
    assert weeks["average_order_value"].tolist() == [17.5, 0.0]


def test_customers_are_new_in_their_first_period_and_returning_after(tiny_store):
    weeks = new_vs_returning(tiny_store, date(2025, 3, 3), date(2025, 3, 16), "week")
    assert weeks["new_customers"].tolist() == [2, 0]       # A and B
    assert weeks["returning_customers"].tolist() == [0, 1]  # A again (C's order was cancelled)


def test_default_range_starts_on_a_whole_period_and_totals_add_up(tiny_store):
    data = dashboard_data(tiny_store, frequency="week")
    assert data.start == period_start(date(2025, 3, 3), "week") == date(2025, 3, 3)
    assert data.end == date(2025, 3, 13)
    assert data.totals["revenue"] == 35.0 and data.totals["orders"] == 3 and data.totals["currency"] == "EUR"
    assert data.top_products["sku"].tolist() == ["X", "Y"]  # X 20.00 vs Y 15.00
    assert period_start(date(2025, 3, 19), "month") == date(2025, 3, 1)


def test_a_week_or_month_that_is_not_over_is_marked_as_partial():
    saturday = date(2026, 10, 31)
    assert partial_last_period(saturday, "week") == (6, 7)           # Monday 26 Oct to Saturday
    assert partial_last_period(date(2026, 11, 1), "week") is None     # the Sunday closes the week
    assert partial_last_period(saturday, "month") is None             # 31 Oct closes October
    assert partial_last_period(date(2026, 2, 10), "month") == (10, 28)
    assert partial_last_period(saturday, "day") is None
