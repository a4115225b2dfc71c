"""Customers: segment map (size, value, movement), customer table, a customer card with the
order timeline and predicted next order, the action list with CSV export for an email tool,
and "How accurate is this on my shop?"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from merchant_ai.ui.pages.analysis_page import AnalysisPage

CUSTOMER_HEADERS = {
    "customer_id": "Customer", "segment": "Segment", "p_active_90d": "Chance of order (90 days)",
    "expected_orders_90d": "Orders (90 days)", "expected_spend_90d": "Spend (90 days)",
    "clv_365d": "Value next 12 months", "next_order_date": "Next order expected",
    "orders_count": "Orders so far", "last_order_date": "Last order", "avg_days_between_orders": "Days between orders",
    "historic_value": "Spent so far", "predicted_lifetime_value": "Lifetime value",
}
ACTION_HEADERS = {
    "customer_id": "Customer", "action": "Suggested action", "reason": "Why", "suggested_products": "Products to suggest",
    "email": "Email", "historic_value": "Spent so far", "p_active_90d": "Chance of order (90 days)",
}
SEGMENT_HEADERS = {"segment": "Segment", "customers": "Customers", "share": "Share", "historic_value": "Spent so far",
                   "clv_365d": "Value next 12 months", "rule": "Rule", "action": "Usual action"}


def _customer_orders(store, customer_id, as_of, *, progress, cancel):
    from merchant_ai.services.customers.service import customer_orders

    return customer_orders(store, customer_id, as_of=as_of)


def _how_it_works() -> str:
    from merchant_ai.services.customers.predictions import METHOD
    from merchant_ai.services.customers.segments import SCORE_RULE

    return f"{SCORE_RULE} Predictions: {METHOD}, refitted each time the page loads."


def _load_customers(store, *, progress, cancel):
    """The insight and the action list (with product suggestions when they can be made)."""
    from merchant_ai.services.customers.actions import action_list
    from merchant_ai.services.customers.service import analyze_customers

    insight = analyze_customers(store, progress=progress, cancel=cancel)
    progress(0.7, "Choosing whom to contact…")
    actions, notes = action_list(insight, store)
    return insight, actions, notes


class CustomersPage(AnalysisPage):
    page_key = "customers"
    empty_store_text = "Import your orders first: segments and predictions come from your own history."
    loading_text = "Scoring your customers…"
    failed_text = "Customers could not be scored (details in the log)."
    loader = staticmethod(_load_customers)

    def build(self, layout) -> None:
        from merchant_ai.ui.pages.customers_card import CustomerCard
        from merchant_ai.ui.widgets.chart_canvas import ChartCanvas
        from merchant_ai.ui.widgets.data_table import DataTable

        context = self.context
        self.insight = None
        self.actions = None
        self.segment_map = ChartCanvas(self, value_format=lambda y: f"{y:,.0f}", height_inches=2.6)
        self.customer_table = DataTable(context, self, export_name="customers")
        self.customer_table.view.selectionModel().selectionChanged.connect(lambda *_: self._customer_selected())
        self.card = CustomerCard(self)
        self.action_table = DataTable(context, self, export_name="customer-actions")
        self.export_button = QPushButton("Export action list for an email tool…")
        self.export_button.clicked.connect(self._ask_export)
        self.export_note = QLabel("Valuable customers who are slipping away come first.")
        self.export_note.setWordWrap(True)
        self.segment_table = DataTable(context, self, export_name="customer-segments")
        self.how_it_works = QLabel(_how_it_works())
        self.how_it_works.setWordWrap(True)

        customers_tab = QSplitter(Qt.Orientation.Horizontal)
        customers_tab.addWidget(self.customer_table)
        customers_tab.addWidget(self.card)
        customers_tab.setStretchFactor(0, 3)
        customers_tab.setStretchFactor(1, 2)
        actions_tab = QWidget()
        actions_layout = QVBoxLayout(actions_tab)
        actions_layout.addWidget(self.action_table, 1)
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_note, 1)
        export_row.addWidget(self.export_button)
        actions_layout.addLayout(export_row)
        self.tabs = QTabWidget()
        self.tabs.addTab(customers_tab, "Customers")
        self.tabs.addTab(actions_tab, "Whom to contact")
        rules_tab = QWidget()
        rules_layout = QVBoxLayout(rules_tab)
        rules_layout.addWidget(self.how_it_works)
        rules_layout.addWidget(self.segment_table, 1)
        self.tabs.addTab(rules_tab, "Segment rules")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.segment_map)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        layout.addWidget(splitter, 1)

    def show_result(self, loaded) -> None:
        from merchant_ai.ui.pages.customers_card import draw_segment_map

        self.insight, self.actions, action_notes = loaded
        insight = self.insight
        at_risk = int(insight.customers["segment"].isin(["At risk", "Previously loyal"]).sum())
        self.status.setText(
            f"{len(insight.customers):,} customers as of {insight.as_of:%d %b %Y}; {at_risk} valuable customers at "
            f"risk. " + " ".join(insight.notes + action_notes))
        draw_segment_map(self.segment_map, insight.segments, insight.movement)
        self.customer_table.set_frame(insight.customers[list(CUSTOMER_HEADERS)], headers=CUSTOMER_HEADERS)
        self.action_table.set_frame(self.actions[list(ACTION_HEADERS)], headers=ACTION_HEADERS)
        self.segment_table.set_frame(insight.segments[list(SEGMENT_HEADERS)], headers=SEGMENT_HEADERS)
        if len(insight.customers):
            self.customer_table.view.selectRow(0)

    # --- the customer card -----------------------------------------------------------------------
    def selected_customer(self) -> dict | None:
        rows = self.customer_table.view.selectionModel().selectedRows()
        if not rows or self.insight is None:
            return None
        customer_id = self.customer_table.model.view_frame().iloc[rows[0].row()]["customer_id"]
        table = self.insight.customers
        match = table.loc[table["customer_id"] == customer_id]
        return None if match.empty else match.iloc[0].to_dict()

    def _customer_selected(self):
        row = self.selected_customer()
        if row is None:
            return None
        return self.track(self.context.run_on_store(
            _customer_orders, row["customer_id"], self.insight.as_of, show_progress=False,
            title="Loading the customer's orders…", on_done=lambda orders: self._show_card(row, orders),
            on_error=self.failed))

    def _show_card(self, row: dict, orders) -> None:
        from merchant_ai.services.customers.segments import RULES_BY_NAME

        rule = RULES_BY_NAME[row["segment"]].rule
        self.card.show_customer(row, rule, orders, self.insight.currency)

    # --- export ----------------------------------------------------------------------------------
    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export action list", "customers-to-contact.csv", "CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path):
        """Write the action list as CSV (customer ids verbatim)."""
        from merchant_ai.services.customers.actions import export_action_list_csv

        if self.actions is None:
            return None
        export_action_list_csv(self.actions, path)
        self.export_note.setText(f"Exported {len(self.actions):,} customers to {path}.")
        return path
