"""The Inventory page: urgency-sorted coloured table, chart, explanations, edits, PO export."""

from __future__ import annotations

from PySide6.QtCore import Qt

from merchant_ai.store import open_store
from tests.forecast_fixtures import NEW_ARRIVAL, build_small_shop
from tests.ui.conftest import wait_page


def _inventory_page(make_window, qtbot, tmp_path):
    store_path = tmp_path / "shop.db"
    build_small_shop(store_path)
    context, window = make_window(store_path)
    window.go_to("reorder")
    page = window.page("reorder")
    wait_page(qtbot, context, page)
    return store_path, context, page


def test_products_are_sorted_by_urgency_and_coloured(make_window, qtbot, tmp_path):
    _, _, page = _inventory_page(make_window, qtbot, tmp_path)
    from merchant_ai.services.reorder.service import STATUS_ORDER
    from merchant_ai.ui.pages.reorder_page import STATUS_COLOURS

    shown = page.model.view_frame()
    ranks = [STATUS_ORDER[s] for s in shown["status"]]
    assert ranks == sorted(ranks) and len(shown) == 27
    first = page.model.index(0, 0)
    colour = page.model.data(first, Qt.ItemDataRole.BackgroundRole)
    assert colour.name() == STATUS_COLOURS[shown["status"].iat[0]]
    # products without a suggestion are counted too, so the zeros do not read as "all is well"
    without = (shown["status"] == "not enough history").sum()
    assert without and f"{without} not enough history" in page.status.text()


def test_selected_product_shows_fan_chart_stock_projection_and_sentences(make_window, qtbot, tmp_path):
    _, _, page = _inventory_page(make_window, qtbot, tmp_path)
    page.table.selectRow(0)
    sku = page.selected_sku()
    sales_ax, stock_ax = page.canvas.figure.axes
    labels = [t.get_text() for t in sales_ax.get_legend().get_texts()]
    assert "Likely range (P10–P90)" in labels and "Most likely (P50)" in labels
    assert "Reorder point" in [t.get_text() for t in stock_ax.get_legend().get_texts()]
    text = page.explanations.toPlainText()
    assert sku in text and "Sells about" in text and "Reorder point:" in text


def test_editing_stock_saves_through_the_service_and_recalculates(make_window, qtbot, tmp_path):
    store_path, context, page = _inventory_page(make_window, qtbot, tmp_path)
    skus = page.model.view_frame()["sku"].tolist()
    page.table.selectRow(skus.index(NEW_ARRIVAL))
    page.editor.spins["on_hand"].setValue(0)
    page.editor.spins["pack_size"].setValue(4)
    page.editor.save_button.click()
    wait_page(qtbot, context, page)
    with open_store(store_path) as store:
        assert store.scalar("SELECT on_hand FROM inventory WHERE sku = ?", (NEW_ARRIVAL,)) == 0
        assert store.scalar("SELECT pack_size FROM product_settings WHERE sku = ?", (NEW_ARRIVAL,)) == 4
    line = page.result.line(NEW_ARRIVAL)
    assert line.status == "out of stock" and line.suggested_qty % 4 == 0
    assert page.selected_sku() == NEW_ARRIVAL


def test_purchase_orders_export_to_csv(make_window, qtbot, tmp_path):
    _, context, page = _inventory_page(make_window, qtbot, tmp_path)
    target = tmp_path / "po.csv"
    page.export_to(str(target))
    wait_page(qtbot, context, page)
    assert target.read_text().startswith("vendor,sku,title,order_qty")
    assert "order lines" in page.status.text()


def test_accuracy_check_compares_with_seasonal_naive_day_by_day(make_window, qtbot, tmp_path):
    _, context, page = _inventory_page(make_window, qtbot, tmp_path)
    page.accuracy.run_check()
    wait_page(qtbot, context, page)
    assert "seasonal naive" in page.accuracy.verdict.text()
    legend = page.accuracy.canvas.figure.axes[0].get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["Sold", "Forecast (expected)", "Seasonal naive"]
