"""The one backtest harness, exercised with a tiny fake capability on a tiny store."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest

from merchant_ai.errors import CancelledError, NotEnoughDataError
from merchant_ai.ml.backtest import BacktestSpec, Score, how_accurate, run_backtest
from merchant_ai.store import open_store
from merchant_ai.store.queries import sales_lines

FIRST_DAY = pd.Timestamp("2026-01-01")
N_DAYS = 120


def units_on_day(i: int) -> int:
    return 1 + i // 10  # sales grow: the recent average beats the all-time average


@pytest.fixture
def tiny_store(store_path):
    store = open_store(store_path)
    days = [FIRST_DAY + pd.Timedelta(days=i, hours=10) for i in range(N_DAYS)]
    with store.transaction() as conn:
        conn.executemany("INSERT INTO orders(order_id, created_at, total) VALUES (?, ?, ?)",
                         [(f"o{i}", f"{d:%Y-%m-%d %H:%M:%S}", 5.0 * units_on_day(i)) for i, d in enumerate(days)])
        conn.executemany(
            "INSERT INTO order_lines(order_id, line_no, sku, quantity, unit_price, line_total) "
            "VALUES (?, 1, 'MUG', ?, 5.0, ?)",
            [(f"o{i}", units_on_day(i), 5.0 * units_on_day(i)) for i in range(N_DAYS)])
    yield store
    store.close()


def _units_per_day(store, as_of: pd.Timestamp, days: int | None) -> float:
    lines = sales_lines(store, as_of=as_of)
    if days is not None:
        lines = lines[lines["created_at"] >= as_of - pd.Timedelta(days=days)]
    return float(lines["quantity"].sum()) / (days or lines["created_at"].dt.normalize().nunique())


def _score(store, units_per_day: float, as_of: pd.Timestamp, until: pd.Timestamp) -> Score:
    lines = sales_lines(store, as_of=until)
    actual = float(lines.loc[lines["created_at"] >= as_of, "quantity"].sum())
    predicted = units_per_day * (until - as_of).days
    return Score(metrics={"abs_error_units": abs(predicted - actual), "actual_units": actual}, n_evaluated=1)


SEEN_BEFORE: list[pd.Timestamp] = []


def _recent_average(store, as_of):
    SEEN_BEFORE.append(sales_lines(store, as_of=as_of)["created_at"].max())
    return _units_per_day(store, as_of, 14)


FAKE = BacktestSpec(
    capability="fake_forecast", answer=_recent_average, baseline=lambda store, as_of: _units_per_day(store, as_of, None),
    score=_score, primary_metric="abs_error_units", higher_is_better=False, horizon_days=14,
    method_label="the recent average", baseline_label="the all-time average",
    metric_labels={"abs_error_units": "error in units over the period"},
)


def test_method_and_baseline_are_scored_on_the_days_after_as_of(tiny_store):
    result = run_backtest(tiny_store, FAKE, "2026-03-01")
    assert (str(result.period_start), str(result.period_end)) == ("2026-03-01", "2026-03-15")
    day0 = (pd.Timestamp("2026-03-01") - FIRST_DAY).days
    actual = sum(units_on_day(i) for i in range(day0, day0 + 14))
    recent = sum(units_on_day(i) for i in range(day0 - 14, day0))  # 14 days x rate = 14-day sum
    assert result.method_metrics["abs_error_units"] == pytest.approx(abs(recent - actual))
    assert result.baseline_metrics["actual_units"] == actual
    assert result.orders_before == day0 and result.orders_in_period == 14
    assert result.improvement > 0
    assert "better than the all-time average" in result.verdict


def test_answers_use_only_data_before_as_of(tiny_store):
    SEEN_BEFORE.clear()
    run_backtest(tiny_store, FAKE, "2026-02-10")
    assert SEEN_BEFORE and max(SEEN_BEFORE) < pd.Timestamp("2026-02-10")


def test_a_method_worse_than_its_baseline_gets_a_cautious_verdict(tiny_store):
    swapped = replace(FAKE, answer=FAKE.baseline, baseline=FAKE.answer)
    result = run_backtest(tiny_store, swapped, "2026-03-01")
    assert result.improvement < 0
    assert "treat these results with caution" in result.verdict


def test_how_accurate_checks_the_latest_fully_observed_period(tiny_store):
    result = how_accurate(tiny_store, FAKE)
    last_day = FIRST_DAY + pd.Timedelta(days=N_DAYS - 1)
    assert pd.Timestamp(result.period_end) == last_day + pd.Timedelta(days=1)
    assert result.orders_in_period == 14


def test_periods_outside_the_data_are_not_enough_data(tiny_store):
    with pytest.raises(NotEnoughDataError, match="pick an earlier date"):
        run_backtest(tiny_store, FAKE, "2026-04-25")
    with pytest.raises(NotEnoughDataError, match="no orders before"):
        run_backtest(tiny_store, FAKE, "2025-06-01")


def test_progress_is_reported_and_cancel_stops_the_check(tiny_store):
    steps = []
    run_backtest(tiny_store, FAKE, "2026-03-01", progress=lambda f, text: steps.append(f))
    assert steps == sorted(steps) and steps[-1] == 1.0
    with pytest.raises(CancelledError):
        run_backtest(tiny_store, FAKE, "2026-03-01", cancel=lambda: True)


def test_result_serialises_to_json_and_a_table(tiny_store):
    result = run_backtest(tiny_store, FAKE, "2026-03-01", horizon_days=7)
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["period_end"] == "2026-03-08" and payload["horizon_days"] == 7
    table = result.to_frame()
    assert list(table.columns) == ["metric", "label", "method", "baseline"]
    assert table.loc[table.metric == "abs_error_units", "label"].item() == "error in units over the period"
