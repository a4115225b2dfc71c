"""Recommendations: per product (bought together, similar, with evidence), per customer (their
next items), bundle ideas with the revenue they already produce, the merchant's controls and
verdicts, and CSV export of every list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from merchant_ai.errors import MerchantError
from merchant_ai.ui.pages.analysis_page import AnalysisPage
from merchant_ai.ui.pages.recommend_lists import SuggestionList
from merchant_ai.ui.widgets.data_table import DataTable

PRODUCT_HEADERS = {"sku": "SKU", "title": "Product", "orders": "Orders", "partners": "Frequent partners"}
CUSTOMER_HEADERS = {"customer_id": "Customer", "orders": "Orders", "days_since_last_order": "Days since last order"}
BUNDLE_HEADERS = {"titles": "Products", "skus": "SKUs", "items": "Items", "orders": "Orders together",
                  "lift": "× chance", "revenue": "Revenue so far", "evidence": "Evidence"}


def _load(store, *, progress, cancel):
    """Everything the page shows, computed once off the GUI thread."""
    from merchant_ai.services.recommend.bundles import bundle_ideas
    from merchant_ai.services.recommend.context import load_context
    from merchant_ai.services.recommend.service import customer_table, product_table

    progress(0.1, "Reading your orders…")
    ctx = load_context(store)
    progress(0.7, "Finding bundle ideas…")
    return ctx, product_table(ctx), customer_table(ctx), bundle_ideas(ctx, 100)


def _save_verdict(store, ctx, subject, target, action, *, progress, cancel):
    from merchant_ai.services.recommend.controls import record_feedback
    from merchant_ai.services.recommend.service import reload_controls

    record_feedback(store, subject, target, action)
    return reload_controls(store, ctx)


def _save_settings(store, ctx, min_pair_orders, exclude_out_of_stock, max_repeats, *, progress, cancel):
    from merchant_ai.services.recommend.controls import set_controls
    from merchant_ai.services.recommend.service import reload_controls

    set_controls(store, min_pair_orders=min_pair_orders, exclude_out_of_stock=exclude_out_of_stock,
                 max_repeats=max_repeats)
    return reload_controls(store, ctx)


def _export_lists(ctx, which, path, *, progress, cancel):
    from merchant_ai.services.browse import export_frame
    from merchant_ai.services.recommend.service import all_customer_lists, all_product_lists

    lists = all_customer_lists if which == "customers" else all_product_lists
    frame = lists(ctx, 10, progress=progress, cancel=cancel)
    export_frame(frame, path, cancel=cancel)
    return len(frame)


class RecommendPage(AnalysisPage):
    page_key = "recommend"
    empty_store_text = "Import your orders first: recommendations are learned from your own sales."
    loading_text = "Learning what sells together from your orders…"
    failed_text = "Recommendations could not be worked out (details in the log)."
    loader = staticmethod(_load)

    def build(self, layout) -> None:
        self.ctx = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._products_tab(), "Products")
        self.tabs.addTab(self._customers_tab(), "Customers")
        self.bundles = DataTable(self.context, self, export_name="bundle-ideas")
        self.tabs.addTab(self.bundles, "Bundle ideas")
        layout.addLayout(self._controls_row())
        layout.addWidget(self.tabs, 1)

    # --- layout ----------------------------------------------------------------------------------
    def _products_tab(self) -> QWidget:
        self.products = DataTable(self.context, self, export_name="products")
        self.products.search.setPlaceholderText("Search products by name or SKU…")
        self.products.view.selectionModel().selectionChanged.connect(lambda *_: self.show_product())
        self.together = SuggestionList("Bought together", ["pinned", "blocked", "accepted", "dismissed"],
                                       evidence=True, parent=self)
        self.similar = SuggestionList("Similar", ["accepted", "dismissed"], parent=self)
        for box in (self.together, self.similar):
            box.verdict.connect(self._product_verdict)
        lists = QWidget()
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        lists_layout.addWidget(self.together)
        lists_layout.addWidget(self.similar)
        splitter = QSplitter()
        splitter.addWidget(self.products)
        splitter.addWidget(lists)
        splitter.setSizes([420, 780])
        return splitter

    def _customers_tab(self) -> QWidget:
        self.customers = DataTable(self.context, self, export_name="customers")
        self.customers.search.setPlaceholderText("Search customers by id…")
        self.customers.view.selectionModel().selectionChanged.connect(lambda *_: self.show_customer())
        self.next_items = SuggestionList("Likely next purchases", ["accepted", "dismissed"], parent=self)
        self.next_items.verdict.connect(self._customer_verdict)
        splitter = QSplitter()
        splitter.addWidget(self.customers)
        splitter.addWidget(self.next_items)
        splitter.setSizes([380, 820])
        return splitter

    def _controls_row(self) -> QHBoxLayout:
        self.min_orders = QSpinBox(minimum=1, maximum=1000, value=2)
        self.min_orders.setToolTip("Show a pair only when it was bought together in at least this many orders")
        self.exclude_out_of_stock = QCheckBox("Leave out products that are out of stock")
        self.exclude_out_of_stock.setChecked(True)
        # -1 shows as "no limit"
        self.max_repeats = QSpinBox(minimum=-1, maximum=50, value=-1)
        self.max_repeats.setSpecialValueText("no limit")
        self.max_repeats.setToolTip("At most this many re-orders on each customer's list; the rest are new items")
        self.apply_button = QPushButton("Use these settings")
        self.apply_button.clicked.connect(self.apply_settings)
        self.export_customers = QPushButton("Export all customer lists…")
        self.export_products = QPushButton("Export all product lists…")
        self.export_customers.clicked.connect(lambda: self._ask_export("customers"))
        self.export_products.clicked.connect(lambda: self._ask_export("products"))
        row = QHBoxLayout()
        row.addWidget(QLabel("Minimum orders together"))
        row.addWidget(self.min_orders)
        row.addWidget(self.exclude_out_of_stock)
        row.addWidget(QLabel("Re-orders per customer list"))
        row.addWidget(self.max_repeats)
        row.addWidget(self.apply_button)
        row.addStretch(1)
        exports = QWidget()
        exports_row = QHBoxLayout(exports)
        exports_row.setContentsMargins(0, 0, 0, 2)
        exports_row.addWidget(self.export_customers)
        exports_row.addWidget(self.export_products)
        self.tabs.setCornerWidget(exports)  # beside the tabs: keeps the settings row narrow
        return row

    # --- showing -------------------------------------------------------------------------------
    def show_result(self, loaded) -> None:
        self.ctx, products, customers, bundles = loaded
        self.min_orders.setValue(self.ctx.controls.min_pair_orders)
        self.exclude_out_of_stock.setChecked(self.ctx.controls.exclude_out_of_stock)
        limit = self.ctx.controls.max_repeats
        self.max_repeats.setValue(-1 if limit is None else limit)
        self.products.set_frame(products, headers=PRODUCT_HEADERS)
        self.customers.set_frame(customers, headers=CUSTOMER_HEADERS)
        self.bundles.set_frame(bundles[list(BUNDLE_HEADERS)], headers=BUNDLE_HEADERS)
        stats = self.ctx.stats
        self.status.setText(
            f"Learned from {stats.baskets.n_orders:,} orders of {len(stats.baskets.customer_ids):,} customers "
            f"and {stats.n_items:,} products; {int((products['partners'] > 0).sum()):,} products have frequent "
            f"partners. Customer lists are ordered by the {self.ctx.ranking}.")
        if len(products):
            self.products.view.selectRow(0)
        if len(customers):
            self.customers.view.selectRow(0)

    # --- selection -------------------------------------------------------------------------------
    def _selected(self, table: DataTable, column: str) -> str | None:
        rows = table.view.selectionModel().selectedRows()
        if not rows or self.ctx is None:
            return None
        return str(table.model.view_frame().iloc[rows[0].row()][column])

    def selected_product(self) -> str | None:
        return self._selected(self.products, "sku")

    def selected_customer(self) -> str | None:
        return self._selected(self.customers, "customer_id")

    def show_product(self) -> None:
        from merchant_ai.services.recommend.service import product_recommendations

        sku = self.selected_product()
        if sku is None:
            return
        try:
            recs = product_recommendations(self.ctx, sku, 10)
        except MerchantError as exc:
            self.together.show_message(exc.message)
            return
        self.together.set_items(sku, f"{recs.title} ({recs.orders} orders)", recs.bought_together)
        self.similar.set_items(sku, recs.title, recs.similar)

    def show_customer(self) -> None:
        from merchant_ai.services.recommend.service import customer_recommendations

        customer = self.selected_customer()
        if customer is None:
            return
        try:
            recs = customer_recommendations(self.ctx, customer, 10)
        except MerchantError as exc:
            self.next_items.show_message(exc.message)
            return
        self.next_items.set_items(customer, f"customer {customer} ({recs.orders} orders)", recs.items)

    # --- the merchant's verdicts and settings ----------------------------------------------------
    def _product_verdict(self, subject: str, target: str, action: str):
        return self._save(_save_verdict, subject, target, action, after=self.show_product)

    def _customer_verdict(self, subject: str, target: str, action: str):
        return self._save(_save_verdict, subject, target, action, after=self.show_customer)

    def apply_settings(self):
        limit = self.max_repeats.value()
        return self._save(_save_settings, self.min_orders.value(), self.exclude_out_of_stock.isChecked(),
                          None if limit < 0 else limit, after=self._settings_saved)

    def _save(self, fn, *args, after):
        if self.ctx is None:
            return None

        def done(ctx) -> None:
            self.ctx = ctx
            after()

        return self.track(self.context.run_on_store(fn, self.ctx, *args, writes=True, title="Saving…",
                                                    on_done=done, on_error=self.failed))

    def _settings_saved(self) -> None:
        self.show_product()
        self.show_customer()
        self.status.setText("Settings saved. Bundle ideas follow them after the next refresh.")
        self.reload()

    # --- export ----------------------------------------------------------------------------------
    def _ask_export(self, which: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, f"Export all {which} lists", f"recommendations-{which}.csv",
                                              "CSV (*.csv)")
        if path:
            self.export_to(which, path)

    def export_to(self, which: str, path):
        """Every customer's (or product's) list as CSV, computed off the GUI thread."""
        if self.ctx is None:
            return None
        return self.context.tasks.run(
            _export_lists, self.ctx, which, path, title=f"Exporting {which} lists…", on_error=self.failed,
            on_done=lambda rows: self.status.setText(f"Exported {rows:,} suggestions to {path}."))
