"""The customers page: segment map, customer table, customer card, action list export."""

from __future__ import annotations

import pandas as pd

from tests.customers_fixtures import small_shop_orders, write_shop
from tests.ui.conftest import wait_page


def _customers_page(make_window, qtbot, store_path):
    context, window = make_window(store_path)
    window.go_to("customers")
    page = window.page("customers")
    wait_page(qtbot, context, page)
    return context, page


def test_customers_page_shows_segments_table_card_and_exports_the_action_list(make_window, qtbot, tmp_path):
    store_path = write_shop(tmp_path / "shop.db", small_shop_orders())
    context, page = _customers_page(make_window, qtbot, store_path)
    assert "customers as of" in page.status.text() and "uncertain" in page.status.text()
    shown = page.customer_table.model.view_frame()
    assert sorted(shown["customer_id"]) == sorted({c for c, _, _ in small_shop_orders()})  # ids verbatim
    assert {"Segment", "Chance of order (90 days)", "Next order expected"} <= {
        page.customer_table.model.headerData(i, _horizontal()) for i in range(page.customer_table.model.columnCount())}
    assert len(page.segment_map.figure.axes) == 2  # size and value by segment
    assert len(page.segment_table.model.view_frame()) == 11  # every segment with its rule
    assert "BG/NBD" in page.how_it_works.text() and "Gamma-Gamma" in page.how_it_works.text()

    page.customer_table.view.selectRow(0)
    wait_page(qtbot, context, page)
    chosen = page.selected_customer()
    assert chosen["customer_id"] in page.card.summary.text()
    assert chosen["segment"] in page.card.summary.text()
    assert page.card.canvas.figure.axes[0].lines  # the order timeline is drawn

    out = page.export_to(tmp_path / "contact.csv")
    exported = pd.read_csv(out, dtype={"customer_id": str}, encoding="utf-8-sig", keep_default_na=False)
    assert list(exported["customer_id"]) == list(page.actions["customer_id"])
    assert "Exported" in page.export_note.text()
    page.grab().save(str(tmp_path / "customers_page.png"))


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
