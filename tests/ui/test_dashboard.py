"""Dashboard: charts and figures drawn from the store; hover values; saving; capability cards."""

from __future__ import annotations

import sys
import types

import pytest

from merchant_ai.services.dashboard import dashboard_data
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


def test_capability_cards_say_not_built_yet_or_show_the_summary_and_link_to_the_page(
        app_window, qtbot, monkeypatch):
    built = types.ModuleType("fake_reorder_service")
    built.card_summary = lambda store: {"headline": f"{store.scalar('SELECT COUNT(*) FROM products')} products",
                                        "detail": "from the store"}
    monkeypatch.setitem(sys.modules, "fake_reorder_service", built)
    monkeypatch.setattr("merchant_ai.services.dashboard.CAPABILITY_CARDS",
                        [("Items to reorder", "fake_reorder_service", "inventory"),
                         ("Risky orders to review", "merchant_ai.services.no_such_capability", "risk")])
    context, window = app_window
    page = window.page("dashboard")
    handle = page.reload_cards()
    qtbot.waitUntil(lambda: handle.done, timeout=20_000)
    wait_page(qtbot, context, page)
    assert page.capability_cards["inventory"].headline.text() == "300 products"
    assert page.capability_cards["risk"].headline.text() == "Not built yet"
    page.capability_cards["risk"].button.click()
    assert window.current_key() == "risk"
