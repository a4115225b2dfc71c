"""The shared "How accurate is this on my shop?" panel: runs the backtest harness off the
GUI thread and shows the verdict and the method-vs-baseline table."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt

from merchant_ai.ml.backtest import BacktestSpec, Score
from merchant_ai.store.queries import sales_lines
from merchant_ai.ui.widgets.accuracy_panel import AccuracyPanel


def _daily_units(store, as_of):
    lines = sales_lines(store, as_of=as_of)
    recent = lines[lines["created_at"] >= as_of - pd.Timedelta(days=28)]
    return float(recent["quantity"].sum()) / 28


def _score(store, answer, as_of, until):
    lines = sales_lines(store, as_of=until)
    actual = float(lines[lines["created_at"] >= as_of]["quantity"].sum()) / (until - as_of).days
    return Score(metrics={"error": abs(answer - actual)}, n_evaluated=1)


# A deliberately simple capability: "units per day = last 28 days' average" vs "zero".
SPEC = BacktestSpec(capability="units", answer=_daily_units, baseline=lambda store, as_of: 0.0, score=_score,
                    primary_metric="error", higher_is_better=False, horizon_days=14,
                    method_label="the 28-day average", baseline_label="zero",
                    metric_labels={"error": "error in units per day"})


def test_accuracy_panel_shows_the_verdict_and_metrics_from_the_store(app_window, qtbot):
    context, _window = app_window
    panel = AccuracyPanel(context, SPEC)
    qtbot.addWidget(panel)
    handle = panel.run_check()
    assert not panel.check_button.isEnabled()
    qtbot.waitUntil(lambda: handle.done, timeout=60_000)
    assert handle.error is None, handle.error
    assert panel.result is not None and panel.check_button.isEnabled()
    assert panel.result.verdict in panel.verdict.text()
    model = panel.table.model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(model.columnCount())]
    assert "This app" in headers and "Rule of thumb" in headers
    assert model.rowCount() == 1
