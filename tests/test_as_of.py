"""One idea of "today": every analysis answers `as_of=D` from the orders before day D only
(none of day D itself), and without `as_of` answers as of the day after the last order."""

from __future__ import annotations

import math
import sqlite3
from datetime import date

import pandas as pd
import pytest

from merchant_ai import capabilities
from merchant_ai.demo.fraud_injection import add_demo_fraud
from merchant_ai.demo.generate import write_simulated
from merchant_ai.demo.simulator import SimulationConfig, simulate
from merchant_ai.store import open_store
from merchant_ai.store.as_of import resolve_as_of

AS_OF = date(2026, 3, 2)  # a Monday: the shop sold on the Sunday before and sells on the day itself
SMALL = SimulationConfig(seed=11, n_products=40, n_customers=600, start="2025-03-01", end="2026-04-30",
                         orders_per_customer_year=4.0)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """(the whole shop, the same shop as it stood on the morning of AS_OF)."""
    folder = tmp_path_factory.mktemp("as_of")
    whole, morning = folder / "whole.db", folder / "morning.db"
    with open_store(whole) as store:
        write_simulated(store, add_demo_fraud(simulate(SMALL)))
    source, target = sqlite3.connect(whole), sqlite3.connect(morning)
    source.backup(target)
    source.close()
    bound = AS_OF.isoformat()
    with target:
        # customers first seen on AS_OF or later were not known yet that morning
        later = [row[0] for row in target.execute(
            "SELECT customer_id FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id "
            "HAVING MIN(created_at) >= ?", (bound,))]
        target.execute("DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM orders WHERE created_at >= ?)",
                       (bound,))
        target.execute("DELETE FROM orders WHERE created_at >= ?", (bound,))
        target.executemany("DELETE FROM customers WHERE customer_id = ?", [(c,) for c in later])
    target.close()
    return whole, morning


def _comparable(value):
    """to_dict() without the run's own timing."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def test_the_day_after_the_last_order_is_today_and_a_time_of_day_is_dropped(stores):
    whole, morning = stores
    with open_store(morning) as store:
        last = store.scalar("SELECT MAX(created_at) FROM orders")
        assert last[:10] == "2026-03-01"  # orders on the day before AS_OF, none on it
        assert resolve_as_of(store) == pd.Timestamp(AS_OF)
        assert resolve_as_of(store, pd.Timestamp("2026-03-02 17:45")) == pd.Timestamp(AS_OF)
    with open_store(whole) as store:
        assert store.scalar("SELECT COUNT(*) FROM orders WHERE substr(created_at, 1, 10) = ?", (AS_OF.isoformat(),))


@pytest.mark.parametrize("name", sorted(capabilities.analyses()))
def test_every_analysis_answers_as_of_a_day_without_that_days_orders(stores, name):
    whole, morning = stores
    analysis = capabilities.analysis(name)
    with open_store(whole) as store:
        given = _comparable(analysis(store, AS_OF).to_dict())
    with open_store(morning) as store:
        today = _comparable(analysis(store).to_dict())
    assert given == today
