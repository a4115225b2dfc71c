"""Reorder arithmetic on hand-checked cases (demand 2 a day, no uncertainty unless stated)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from merchant_ai.services.reorder.core import (
    FINE,
    ORDER_NOW,
    OUT_OF_STOCK,
    TOO_LATE,
    ReorderSettings,
    reorder_numbers,
    round_order,
)
from merchant_ai.services.reorder.service import abc_classes

DAYS = 60
STEADY = np.full(DAYS, 2.0)
NO_SPREAD = np.zeros(DAYS)


def numbers(on_hand, **settings):
    return reorder_numbers(STEADY, NO_SPREAD, ReorderSettings(on_hand=on_hand, **settings))


def test_low_stock_orders_up_to_lead_plus_review_demand():
    # 7 days' lead + 7 days' review at 2 a day = 28; 10 in stock -> order 18
    got = numbers(10, lead_time_days=7, review_period_days=7)
    assert got.reorder_point == pytest.approx(14)
    assert got.order_up_to == pytest.approx(28)
    assert got.safety_stock == pytest.approx(0)
    assert got.suggested_qty == 18
    assert got.order_in_days == 0


def test_stock_running_out_within_the_lead_time_is_flagged_too_late():
    got = numbers(10, lead_time_days=7, review_period_days=7)
    assert got.status == TOO_LATE
    assert got.stockout_in_days == 5          # day 5 is the first with cumulative demand 12 > 10
    assert got.days_of_cover == pytest.approx(5.0)
    assert got.lost_sales == pytest.approx(4.0)  # 14 wanted during the lead time, 10 in stock


def test_longer_lead_time_raises_reorder_point_and_order():
    got = numbers(10, lead_time_days=14, review_period_days=7)
    assert got.reorder_point == pytest.approx(28)
    assert got.suggested_qty == 32           # 42 - 10


def test_minimum_order_quantity_raises_a_small_order():
    assert numbers(10, min_order_qty=24).suggested_qty == 24


def test_pack_size_rounds_up_to_whole_packs():
    assert numbers(10, pack_size=6).suggested_qty == 18      # 18 is 3 packs
    assert numbers(9, pack_size=6).suggested_qty == 24       # 19 -> 4 packs
    assert round_order(5, 7, 6) == 12                          # minimum 7 in packs of 6


def test_stock_on_order_counts_towards_the_position():
    got = numbers(10, on_order=20)
    # position 30, demand before the next review 14 -> 16 left > reorder point 14: nothing yet
    assert got.suggested_qty == 0
    assert got.status == FINE
    assert got.stockout_in_days == 15


def test_order_now_when_stock_reaches_reorder_point_before_next_review():
    got = numbers(25)
    assert got.status == ORDER_NOW
    assert got.suggested_qty == 3
    assert got.order_in_days == 5             # 25 - 14 = 11 sold by the end of day 5


def test_last_order_day_is_when_stock_reaches_the_reorder_point():
    got = numbers(40)
    assert got.suggested_qty == 0
    assert got.order_in_days == 13           # 40 - 14 = 26 sold by the end of day 13
    assert got.days_of_cover == pytest.approx(20.0)


def test_zero_stock_is_out_of_stock_with_lost_sales():
    got = numbers(0)
    assert got.status == OUT_OF_STOCK
    assert got.suggested_qty == 28
    assert got.lost_sales == pytest.approx(14.0)
    assert got.days_of_cover == 0.0
    assert got.stockout_in_days == 0


def test_no_demand_needs_no_order():
    got = reorder_numbers(np.zeros(DAYS), np.zeros(DAYS), ReorderSettings(on_hand=5))
    assert got.suggested_qty == 0
    assert got.status == FINE
    assert got.stockout_in_days is None and got.days_of_cover is None


def test_safety_stock_follows_the_service_level():
    # variance 1 a day over 14 days -> sd sqrt(14); z(95%) = 1.6449
    got = reorder_numbers(STEADY, np.ones(DAYS), ReorderSettings(on_hand=10, service_level=0.95))
    assert got.safety_stock == pytest.approx(1.6449 * math.sqrt(14), rel=1e-3)
    assert got.reorder_point == pytest.approx(14 + 1.6449 * math.sqrt(7), rel=1e-3)
    higher = reorder_numbers(STEADY, np.ones(DAYS), ReorderSettings(on_hand=10, service_level=0.99))
    assert higher.safety_stock > got.safety_stock


def test_abc_classes_split_revenue_80_15_5():
    revenue = np.array([0.0, 50, 800, 100, 30, 20])
    assert abc_classes(revenue).tolist() == ["C", "B", "A", "B", "C", "C"]
