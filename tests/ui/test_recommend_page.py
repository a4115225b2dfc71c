"""The recommendations page: product lists with evidence, customer lists, bundle ideas,
verdicts stored through the service, CSV export."""

from __future__ import annotations

import pandas as pd

from merchant_ai.services.recommend.controls import load_controls
from merchant_ai.store import open_store
from tests.recommend_synthetic import CUSTOMERS, MUG, TEA, write_store
from tests.ui.conftest import wait_page


def _page(make_window, qtbot, tmp_path):
    store_path = tmp_path / "shop.db"
    write_store(store_path)
    context, window = make_window(store_path)
    window.go_to("recommend")
    page = window.page("recommend")
    wait_page(qtbot, context, page)
    return store_path, context, page


def _select(table, column, value) -> None:
    rows = table.model.view_frame()[column].tolist()
    table.view.selectRow(rows.index(value))


def test_picking_a_product_shows_bought_together_with_evidence_and_similar(make_window, qtbot, tmp_path):
    _, _, page = _page(make_window, qtbot, tmp_path)
    _select(page.products, "sku", MUG)
    together = page.together.shown()
    assert together["sku"].iloc[0] == TEA
    assert together["reason"].iloc[0].startswith("bought together in 8 orders;")
    assert len(page.similar.shown()) > 0
    assert "products have frequent partners" in page.status.text()


def test_picking_a_customer_shows_their_list_with_reasons(make_window, qtbot, tmp_path):
    _, _, page = _page(make_window, qtbot, tmp_path)
    _select(page.customers, "customer_id", "007")
    shown = page.next_items.shown()
    assert len(shown) > 0 and shown["reason"].str.len().min() > 0
    assert sorted(page.customers.model.view_frame()["customer_id"]) == sorted(CUSTOMERS)


def test_bundle_ideas_show_revenue_already_produced(make_window, qtbot, tmp_path):
    _, _, page = _page(make_window, qtbot, tmp_path)
    bundles = page.bundles.model.view_frame()
    assert len(bundles) > 0 and (bundles["revenue"] > 0).all()
    assert bundles["evidence"].str.startswith("bought together in").all()


def test_blocking_a_pair_is_stored_and_hides_it(make_window, qtbot, tmp_path):
    store_path, context, page = _page(make_window, qtbot, tmp_path)
    _select(page.products, "sku", MUG)
    page.together.view.selectRow(0)
    page.together.decide("blocked")
    wait_page(qtbot, context, page)
    assert TEA not in set(page.together.shown()["sku"])
    with open_store(store_path) as store:
        assert frozenset((MUG, TEA)) in load_controls(store).blocked_pairs


def test_all_customer_lists_export_to_csv(make_window, qtbot, tmp_path):
    _, context, page = _page(make_window, qtbot, tmp_path)
    target = tmp_path / "lists.csv"
    page.export_to("customers", target)
    wait_page(qtbot, context, page)
    exported = pd.read_csv(target, dtype=str)
    assert set(exported["subject"]) == set(CUSTOMERS)
    assert {"sku", "score", "reason", "repeat"} <= set(exported.columns)


def test_settings_are_saved_through_the_service_and_applied(make_window, qtbot, tmp_path):
    store_path, context, page = _page(make_window, qtbot, tmp_path)
    page.min_orders.setValue(4)
    page.max_repeats.setValue(1)
    page.apply_settings()
    wait_page(qtbot, context, page)
    with open_store(store_path) as store:
        controls = load_controls(store)
    assert controls.min_pair_orders == 4 and controls.max_repeats == 1
    _select(page.customers, "customer_id", "007")
    assert (page.next_items.shown()["repeat"] == "yes").sum() <= 1
