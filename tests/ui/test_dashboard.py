"""Dashboard: charts and figures drawn from the store; hover values; saving; capability cards."""

from __future__ import annotations

import sys
import types

import pytest

from merchant_ai.services.dashboard.service import dashboard_data
from merchant_ai.store import open_store
from tests.ui.conftest import wait_page


def test_dashboard_charts_show_the_stores_sales(app_window, qtbot, demo_store, tmp_path):
    context, window = app_window
    page = window.page("dashboard")
    wait_page(qtbot, context, page)
    with open_store(demo_store) as store:
        expected = dashboard_data(store, frequency="week")
    assert page.kpis["orders"].headline.text() == f"{expected.totals['orders']:,}"
    revenue_axes = page.charts.canvases["revenue"].figure.axes[0]
    line = revenue_axes.lines[0]
    drawn = line.get_ydata().sum()
    if expected.last_period_days:   # the unfinished last week: its own hollow point after a dashed segment
        assert revenue_axes.lines[1].get_linestyle() == "--"
        line = revenue_axes.lines[-1]
        drawn += line.get_ydata().sum()
        covered, length = expected.last_period_days
        assert f"{covered} of its {length} days" in page.status.text()
    assert drawn == pytest.approx(expected.over_time["revenue"].sum())
    top = page.charts.canvases["top_products"].figure.axes[0]
    assert len(top.patches) == len(expected.top_products)

    # Hovering over the last point shows its value.
    canvas = page.charts.canvases["revenue"]
    canvas.draw()
    x_px, y_px = revenue_axes.transData.transform((line.get_xdata(orig=False)[-1], line.get_ydata()[-1]))
    text = canvas.hover_at(revenue_axes, x_px, y_px)
    assert f"{expected.over_time['revenue'].iloc[-1]:,.2f}" in text

    for suffix in ("png", "pdf"):
        saved = canvas.save(tmp_path / f"revenue.{suffix}")
        assert saved.stat().st_size > 1000

    # Another granularity recomputes from the store.
    page.frequency.setCurrentIndex(page.frequency.findData("month"))
    qtbot.waitUntil(lambda: page.data is not None and page.data.frequency == "month", timeout=30_000)
    assert len(page.charts.canvases["orders"].figure.axes[0].lines[0].get_xdata()) == len(
        dashboard_data(open_store(demo_store), frequency="month").over_time)


def test_capability_cards_show_each_summary_or_a_plain_sentence_and_link_to_the_page(
        app_window, qtbot, monkeypatch):
    from merchant_ai import capabilities
    from merchant_ai.errors import NotEnoughDataError

    fake = types.ModuleType("fake_cards")
    fake.reorder = lambda store: {"headline": f"{store.scalar('SELECT COUNT(*) FROM products')} products",
                                  "detail": "from the store"}

    def refuses(store):
        raise NotEnoughDataError("Not enough orders yet.")

    fake.fraud = refuses
    monkeypatch.setitem(sys.modules, "fake_cards", fake)
    monkeypatch.setattr("merchant_ai.capabilities.cards", lambda: [
        (capabilities.capability("reorder"), capabilities.Card("Items to reorder", "fake_cards:reorder", "reorder")),
        (capabilities.capability("fraud"), capabilities.Card("Risky orders", "fake_cards:fraud", "fraud"))])
    context, window = app_window
    page = window.page("dashboard")
    handle = page.reload_cards()
    qtbot.waitUntil(lambda: handle.done, timeout=20_000)
    wait_page(qtbot, context, page)
    assert page.capability_cards["reorder"].headline.text() == "300 products"
    assert page.capability_cards["fraud"].headline.text() == "Not available"
    assert page.capability_cards["fraud"].detail.text() == "Not enough orders yet."
    page.capability_cards["fraud"].button.click()
    assert window.current_key() == "fraud"
