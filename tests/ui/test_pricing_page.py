"""The pricing page: suggestions table, what-if panel, apply/dismiss stored, export."""

from __future__ import annotations

import csv

from merchant_ai.services.pricing.actions import latest_price_decisions
from merchant_ai.store import open_store
from tests.pricing_synthetic import write_small_pricing_store
from tests.ui.conftest import wait_page


def _pricing_page(make_window, qtbot, tmp_path):
    store_path = write_small_pricing_store(tmp_path / "shop.db")
    context, window = make_window(store_path)
    window.go_to("pricing")
    page = window.page("pricing")
    wait_page(qtbot, context, page)
    return store_path, context, page


def test_pricing_page_shows_suggestions_with_expected_changes_and_reasons(make_window, qtbot, tmp_path):
    _, _, page = _pricing_page(make_window, qtbot, tmp_path)
    shown = page.table.model.view_frame()
    assert sorted(shown["sku"]) == ["A", "B", "C", "D", "E", "SLOW"]
    assert {"Current", "Suggested", "Units Δ %", "Profit Δ %", "Confidence", "Why"} <= {
        page.table.model.headerData(i, _horizontal()) for i in range(page.table.model.columnCount())}
    assert "withheld" in page.status.text() and "test for 2 weeks" in page.status.text()


def test_what_if_slider_moves_the_chosen_point_and_explains_it(make_window, qtbot, tmp_path):
    _, _, page = _pricing_page(make_window, qtbot, tmp_path)
    page.table.view.selectRow(0)
    row = page.selected_row()
    page.what_if.slider.setValue(page.what_if.slider.maximum())
    chosen = page.what_if.chosen_price()
    assert abs(chosen - 1.3 * row["current_price"]) < 0.01
    assert f"{chosen:.2f}" in page.what_if.price_label.text()
    assert len(page.what_if.canvas.figure.axes) == 2       # demand and profit


def test_apply_and_dismiss_are_stored_and_applied_prices_export(make_window, qtbot, tmp_path):
    store_path, context, page = _pricing_page(make_window, qtbot, tmp_path)
    frame = page.table.model.view_frame().reset_index(drop=True)
    changing = frame.index[frame["current_price"] != frame["suggested_price"]].tolist()
    assert len(changing) >= 2
    page.table.view.selectRow(changing[0])
    applied_sku = page.selected_row()["sku"]
    page.decide("accepted")
    wait_page(qtbot, context, page)
    page.table.view.selectRow(changing[1])
    dismissed_sku = page.selected_row()["sku"]
    page.decide("dismissed")
    wait_page(qtbot, context, page)
    with open_store(store_path) as store:
        decisions = latest_price_decisions(store).set_index("sku")["action"].to_dict()
    assert decisions == {applied_sku: "accepted", dismissed_sku: "dismissed"}
    shown = page.table.model.view_frame().set_index("sku")
    assert shown.loc[applied_sku, "decision"] == "applied"

    target = tmp_path / "prices.csv"
    page.export_to(str(target))
    wait_page(qtbot, context, page)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["Variant SKU"] for r in rows] == [applied_sku]


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
