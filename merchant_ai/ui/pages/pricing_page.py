"""Pricing: suggested prices with the expected change in units, revenue and profit, how sure
the app is and why; a what-if panel; apply / dismiss (stored); export of applied changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from merchant_ai.ui.pages.analysis_page import AnalysisPage
from merchant_ai.ui.pages.pricing_what_if import PricingWhatIf
from merchant_ai.ui.widgets.data_table import DataTable

HEADERS = {
    "sku": "SKU", "title": "Product", "current_price": "Current", "suggested_price": "Suggested",
    "expected_units_change_pct": "Units Δ %", "expected_revenue_change_pct": "Revenue Δ %",
    "expected_profit_change_pct": "Profit Δ %", "confidence": "Confidence", "status": "Suggestion",
    "decision": "Your decision", "reason": "Why",
}
ACTION_WORDS = {"accepted": "applied", "dismissed": "dismissed"}


def _load_pricing(store, *, progress, cancel):
    """Today's suggestions with the run to remember, and the merchant's decisions."""
    from merchant_ai.services.pricing.actions import latest_price_decisions
    from merchant_ai.services.pricing.service import suggest_today

    result, run = suggest_today(store, progress=progress, cancel=cancel)
    return (result, latest_price_decisions(store)), run


def _save_rails(store, rails, *, progress, cancel) -> None:
    from merchant_ai.services.pricing.actions import save_guardrails

    save_guardrails(store, rails)


def _record(store, sku, action, current_price, suggested_price, *, progress, cancel):
    from merchant_ai.services.pricing.actions import latest_price_decisions, record_price_decision

    record_price_decision(store, sku, action, current_price=current_price, suggested_price=suggested_price)
    return latest_price_decisions(store)


class PricingPage(AnalysisPage):
    page_key = "pricing"
    empty_store_text = "Import your sales first: prices are learned from your own history."
    loading_text = "Learning how each product's sales respond to price…"
    failed_text = "Price suggestions could not be worked out (details in the log)."
    loader = staticmethod(_load_pricing)
    remembers = True

    def build(self, layout) -> None:
        self.decisions = None
        self.table = DataTable(self.context, self, export_name="price-suggestions")
        self.table.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.what_if = PricingWhatIf(self)
        self.what_if.competitor_price_set.connect(self._set_competitor_price)
        self.apply_button = QPushButton("Apply suggested price")
        self.dismiss_button = QPushButton("Dismiss")
        self.export_button = QPushButton("Export applied prices…")
        self.apply_button.clicked.connect(lambda: self.decide("accepted"))
        self.dismiss_button.clicked.connect(lambda: self.decide("dismissed"))
        self.export_button.clicked.connect(self._ask_export)
        self.export_note = QLabel("Applied changes export as a Shopify product CSV that your shop imports.")
        self.export_note.setWordWrap(True)

        actions = QVBoxLayout()
        for widget in (self.apply_button, self.dismiss_button, self.export_button, self.export_note):
            actions.addWidget(widget)
        actions.addStretch(1)
        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.what_if, 1)
        lower_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addLayout(self._guardrail_row())
        layout.addWidget(splitter, 1)
        self._enable_actions()

    def _guardrail_row(self) -> QHBoxLayout:
        self.max_step = QDoubleSpinBox(suffix=" %", minimum=1.0, maximum=50.0, value=10.0, decimals=0)
        self.min_margin = QDoubleSpinBox(suffix=" %", minimum=0.0, maximum=95.0, value=15.0, decimals=0)
        self.ending = QComboBox()
        for label, key in ((".99", ".99"), (".95", ".95"), ("whole", "whole"), ("any cent", "any")):
            self.ending.addItem(label, key)
        self.competitor_above = QDoubleSpinBox(suffix=" %", minimum=0.0, maximum=50.0, value=5.0, decimals=0)
        self.competitor_above.setToolTip("Never more than this above a competitor's price (set per product below)")
        self.apply_rules = QPushButton("Use these rules")
        self.apply_rules.clicked.connect(self._save_rules)
        row = QHBoxLayout()
        for text, widget in (("Largest step", self.max_step), ("Minimum margin", self.min_margin),
                             ("Price ending", self.ending), ("Above competitor at most", self.competitor_above)):
            row.addWidget(QLabel(text))
            row.addWidget(widget)
        row.addWidget(self.apply_rules)
        row.addStretch(1)
        return row

    # --- loading -------------------------------------------------------------------------------
    def reload(self, rails=None):
        """Work the suggestions out again; with `rails`, save those guardrails first."""
        if rails is None or not self.context.store_exists():
            return super().reload()
        if self.task is not None and not self.task.done:
            return self.task
        self.status.setText("Saving your rules…")
        self.task = self.track(self.context.run_on_store(
            _save_rails, rails, writes=True, show_progress=False, on_error=self.failed,
            on_done=lambda _: super(PricingPage, self).reload()))
        return self.task

    def show_result(self, loaded) -> None:
        self.result, self.decisions = loaded
        rails = self.result.guardrails
        self.max_step.setValue(rails.max_step_pct)
        self.min_margin.setValue(rails.min_margin_pct)
        self.ending.setCurrentIndex(max(self.ending.findData(rails.price_ending), 0))
        self.competitor_above.setValue(rails.competitor_max_above_pct)
        frame = self.result.products
        changes = int((frame["status"] == "change").sum())
        withheld = int((frame["status"] == "withheld").sum())
        self.status.setText(
            f"{changes} suggested changes ({int((frame['kind'] == 'markdown').sum())} markdowns for slow movers), "
            f"{withheld} withheld as too uncertain, {len(frame)} products. Change prices in small steps, "
            f"test for 2 weeks, then review. " + " ".join(self.result.notes))
        self._refresh_table()
        if len(frame):
            self.table.view.selectRow(0)

    def _refresh_table(self) -> None:
        frame = self.result.products.copy()
        decided = {} if self.decisions is None else dict(zip(self.decisions["sku"], self.decisions["action"]))
        frame["decision"] = frame["sku"].map(lambda s: ACTION_WORDS.get(decided.get(s), ""))
        self.table.set_frame(frame[list(HEADERS)], headers=HEADERS)

    # --- selection, decisions, rules ---------------------------------------------------------------
    def selected_row(self) -> dict | None:
        rows = self.table.view.selectionModel().selectedRows()
        if not rows or self.result is None:
            return None
        sku = self.table.model.view_frame().iloc[rows[0].row()]["sku"]
        match = self.result.products[self.result.products["sku"] == sku]
        return None if match.empty else match.iloc[0].to_dict()

    def _selection_changed(self) -> None:
        row = self.selected_row()
        self._enable_actions()
        if row is not None:
            self.what_if.set_product(row, self.result.guardrails.competitor_prices.get(row["sku"]))

    def _enable_actions(self) -> None:
        row = self.selected_row()
        changeable = row is not None and row["suggested_price"] != row["current_price"]
        self.apply_button.setEnabled(changeable)
        self.dismiss_button.setEnabled(changeable)

    def decide(self, action: str):
        """Store 'accepted' or 'dismissed' for the selected product's suggestion."""
        row = self.selected_row()
        if row is None:
            return None
        return self.context.run_on_store(
            _record, row["sku"], action, float(row["current_price"]), float(row["suggested_price"]),
            writes=True, title="Saving your decision…", on_done=self._decisions_saved, on_error=self.failed)

    def _decisions_saved(self, decisions) -> None:
        self.decisions = decisions
        selected = self.selected_row()
        self._refresh_table()
        if selected is not None:
            rows = self.table.model.view_frame()["sku"].tolist()
            if selected["sku"] in rows:
                self.table.view.selectRow(rows.index(selected["sku"]))

    def _current_rails(self, **changes):
        from dataclasses import replace

        from merchant_ai.services.pricing.guardrails import Guardrails

        base = self.result.guardrails if self.result is not None else Guardrails()
        return replace(base, max_step_pct=self.max_step.value(), min_margin_pct=self.min_margin.value(),
                       price_ending=self.ending.currentData(),
                       competitor_max_above_pct=self.competitor_above.value(), **changes)

    def _save_rules(self):
        return self.reload(self._current_rails())

    def _set_competitor_price(self, sku: str, price: float):
        prices = dict(self.result.guardrails.competitor_prices) if self.result is not None else {}
        if price > 0:
            prices[sku] = price
        else:
            prices.pop(sku, None)
        return self.reload(self._current_rails(competitor_prices=prices))

    # --- export ----------------------------------------------------------------------------------
    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export applied prices", "price-changes.csv", "CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path):
        from merchant_ai.services.pricing.actions import export_accepted_prices

        return self.context.run_analysis(
            export_accepted_prices, path, title="Exporting applied prices…", on_error=self.failed,
            on_done=lambda count: self.export_note.setText(f"Exported {count} price changes to {path}."))
