"""The Risk page: riskiest orders first with reasons, verdict buttons, thresholds chart, rules."""

from __future__ import annotations

from PySide6.QtCore import Qt

from merchant_ai.services.fraud import settings as fraud_settings
from merchant_ai.store import open_store
from tests.ui.conftest import wait_page


def _risk_page(app_window, qtbot):
    context, window = app_window
    window.go_to("fraud")
    page = window.page("fraud")
    wait_page(qtbot, context, page)
    return context, page


def test_risk_page_lists_riskiest_orders_first_with_red_and_green_reasons(app_window, qtbot, tmp_path):
    context, page = _risk_page(app_window, qtbot)
    shown = page.table.model.view_frame()
    assert len(shown) > 0 and shown.iloc[0]["level"] == "high"
    assert "high risk" in page.status.text()
    effects = [page.card.reasons.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.card.reasons.count())]
    assert "raises" in effects
    assert page.card.reasons.item(0).text().startswith("▲ raises risk: ")
    wait_page(qtbot, context, page)
    assert page.card.history_label.text()
    page.grab().save(str(tmp_path / "risk_page.png"))
    assert (tmp_path / "risk_page.png").stat().st_size > 10_000


def test_mark_fraud_is_stored_and_the_order_shows_the_verdict(app_window, qtbot, demo_store):
    context, page = _risk_page(app_window, qtbot)
    order_id = page.selected_row()["order_id"]
    page.card.fraud_button.click()
    wait_page(qtbot, context, page)
    with open_store(demo_store) as store:
        assert fraud_settings.verdicts(store)[order_id] == "fraud"
    assert page.selected_row()["order_id"] == order_id and page.selected_row()["verdict"] == "fraud"


def test_score_chart_shows_both_thresholds(app_window, qtbot):
    _, page = _risk_page(app_window, qtbot)
    ax = page.thresholds.canvas.figure.axes[0]
    labels = [line.get_label() for line in ax.lines]
    assert any(label.startswith("medium from") for label in labels)
    assert any(label.startswith("high from") for label in labels)
    assert "past orders score high" in page.thresholds.explain.text()


def test_rules_editor_rejects_a_bad_rule_in_plain_words_and_backtests_a_good_one(app_window, qtbot, demo_store):
    context, page = _risk_page(app_window, qtbot)
    page.rules.text.setPlainText("review if totl > 500")
    page.rules._emit(page.rules.save_requested)
    assert "not something a rule can look at" in page.rules.message.text()
    page.rules.text.setPlainText("review if total > 150 and first order")
    page.rules._emit(page.rules.check_requested)
    wait_page(qtbot, context, page)
    model = page.rules.backtest.model()
    assert model.rowCount() == 1 and "Not saved yet" in page.rules.message.text()
    with open_store(demo_store) as store:
        assert fraud_settings.saved_rules(store) == []


def test_how_accurate_panel_checks_the_risk_check_on_a_past_period(app_window, qtbot):
    _context, page = _risk_page(app_window, qtbot)
    assert page.tabs.indexOf(page.accuracy) >= 0 and page.accuracy.spec.capability == "fraud"
    handle = page.accuracy.run_check()
    qtbot.waitUntil(lambda: handle.done, timeout=60_000)
    assert handle.error is None
    assert "no verdicts of yours" in page.accuracy.verdict.text()
    assert page.accuracy.table.isVisibleTo(page.accuracy)
