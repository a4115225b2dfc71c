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

from merchant_ai.errors import MerchantError

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


def _how_it_works() -> str:
    from merchant_ai.services.customer_predictions import METHOD
    from merchant_ai.services.customer_segments import SCORE_RULE

    return f"{SCORE_RULE} Predictions: {METHOD}, refitted each time the page loads."


def _load_customers(store, *, progress, cancel):
    """The insight and the action list (with product suggestions when they can be made)."""
    from merchant_ai.services.customer_actions import action_list
    from merchant_ai.services.customers import analyze_customers

    progress(0.1, "Scoring your customers…")
    insight = analyze_customers(store)
    progress(0.7, "Choosing whom to contact…")
    actions, notes = action_list(insight, store)
    return insight, actions, notes


class CustomersPage(QWidget):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        from merchant_ai.services.customer_backtest import CUSTOMERS_BACKTEST
        from merchant_ai.ui.pages.customers_card import CustomerCard
        from merchant_ai.ui.widgets.accuracy_panel import AccuracyPanel
        from merchant_ai.ui.widgets.chart_canvas import ChartCanvas
        from merchant_ai.ui.widgets.data_table import DataTable

        self.context = context
        self.task = None
        self.card_task = None
        self.insight = None
        self.actions = None
        self.status = QLabel("Scoring your customers…")
        self.status.setWordWrap(True)
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(QLabel("<h2>Customers</h2>"))
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.accuracy = AccuracyPanel(context, CUSTOMERS_BACKTEST, self)
        layout.addWidget(self.accuracy)
        context.store_changed.connect(self.reload)
        self.reload()

    # --- loading -------------------------------------------------------------------------------
    def reload(self):
        if not self.context.store_exists():
            self.status.setText("Import your orders first: segments and predictions come from your own history.")
            return None
        if self.task is not None and not self.task.done:
            return self.task
        self.status.setText("Scoring your customers…")
        self.task = self.context.run_on_store(_load_customers, show_progress=False, title="Scoring your customers…",
                                              on_done=self._show, on_error=self._failed)
        return self.task

    def busy(self) -> bool:
        running = any(t is not None and not t.done for t in (self.task, self.card_task))
        return running or self.customer_table.busy() or self.action_table.busy()

    def _show(self, loaded) -> None:
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

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error.message if isinstance(error, MerchantError)
                            else "Customers could not be scored (details in the log).")

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
        from merchant_ai.services.customers import customer_orders

        row = self.selected_customer()
        if row is None:
            return None
        self.card_task = self.context.run_analysis(
            customer_orders, row["customer_id"], as_of=self.insight.as_of, show_progress=False,
            title="Loading the customer's orders…", on_done=lambda orders: self._show_card(row, orders),
            on_error=self._failed)
        return self.card_task

    def _show_card(self, row: dict, orders) -> None:
        from merchant_ai.services.customer_segments import RULES_BY_NAME

        rule = RULES_BY_NAME[row["segment"]].rule
        self.card.show_customer(row, rule, orders, self.insight.currency)

    # --- export ----------------------------------------------------------------------------------
    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export action list", "customers-to-contact.csv", "CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path):
        """Write the action list as CSV (customer ids verbatim)."""
        from merchant_ai.services.customer_actions import export_action_list_csv

        if self.actions is None:
            return None
        export_action_list_csv(self.actions, path)
        self.export_note.setText(f"Exported {len(self.actions):,} customers to {path}.")
        return path
