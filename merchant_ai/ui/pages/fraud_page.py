"""Risk: the orders to review first (score, level, your rules' decision, the main reason), an
order card with the reasons in red and green, the customer's history and "mark fraud" /
"mark legitimate", the score distribution with its thresholds, and the rules editor with its
backtest. Everything comes from merchant_ai.services.fraud.service (no SQL here)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget

from merchant_ai.ui.pages.analysis_page import AnalysisPage

ORDER_HEADERS = {"order_id": "Order", "score": "Risk score", "level": "Level", "main_reason": "Main reason",
                 "action": "Your rule says", "verdict": "Your verdict", "created_at": "Placed",
                 "customer_id": "Customer", "total": "Total"}


def _mark(store, order_id: str, verdict: str, *, progress, cancel) -> None:
    from merchant_ai.services.fraud.settings import mark_order

    mark_order(store, order_id, verdict)


def _save_rules(store, texts: list[str], *, progress, cancel):
    from merchant_ai.services.fraud.settings import save_rules

    return save_rules(store, texts)


def _set_thresholds(store, medium, high, *, progress, cancel):
    from merchant_ai.services.fraud.settings import set_thresholds

    return set_thresholds(store, medium, high)


def _load(store, *, progress, cancel):
    """Today's risk check with the run to remember, and the saved rules as the editor shows them."""
    from merchant_ai.services.fraud.service import analyze_today
    from merchant_ai.services.fraud.settings import saved_rules

    result, run = analyze_today(store, progress=progress, cancel=cancel)
    return (result, [rule.text for rule in saved_rules(store)]), run


def _check_rules(store, rules, *, progress, cancel):
    from merchant_ai.services.fraud import analyze

    return analyze(store, rules=rules, progress=progress, cancel=cancel)


def _customer_history(store, order_id, *, progress, cancel):
    from merchant_ai.services.fraud.service import customer_history

    return customer_history(store, order_id)


class FraudPage(AnalysisPage):
    page_key = "fraud"
    empty_store_text = "Import your orders first: risk is judged against your own shop's orders."
    loading_text = "Checking your orders for risk…"
    failed_text = "The risk check could not run (details in the log)."
    loader = staticmethod(_load)
    remembers = True

    def build(self, layout) -> None:
        from merchant_ai.ui.pages.fraud_panels import OrderCard, RulesEditor, ThresholdsPanel
        from merchant_ai.ui.widgets.data_table import DataTable

        self._reselect = None  # order to show again after a change
        self.table = DataTable(self.context, self, export_name="risky-orders")
        self.table.view.selectionModel().selectionChanged.connect(lambda *_: self._order_selected())
        self.card = OrderCard(self)
        self.card.verdict_requested.connect(self.mark)
        self.thresholds = ThresholdsPanel(self)
        self.thresholds.thresholds_requested.connect(self.set_thresholds)
        self.rules = RulesEditor(self)
        self.rules.check_requested.connect(self.check_rules)
        self.rules.save_requested.connect(self.save_rules)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.table)
        top.addWidget(self.card)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.thresholds, "Score distribution")
        self.tabs.addTab(self.rules, "Your rules")
        self.tabs.addTab(self.accuracy, "How accurate is this on my shop?")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

    def show_result(self, loaded) -> None:
        result, rule_texts = loaded
        self.result = result
        self.rules.set_rules(rule_texts)
        orders = result.orders
        counts = orders["level"].value_counts()
        ruled = orders["action"].isin(["review", "block"]).sum()
        since = f"since {result.period_start:%d %b %Y}" if result.period_start is not None else ""
        self.status.setText(
            f"{len(orders):,} orders {since}: {counts.get('high', 0)} high risk, {counts.get('medium', 0)} medium, "
            f"{ruled} held by your rules. Riskiest first. " + " ".join(result.notes))
        shown = orders.assign(main_reason=orders["indicators"].map(
            lambda items: next((i["name"] for i in items if i["effect"] == "raises"), "")))
        self.table.set_frame(shown[list(ORDER_HEADERS)], headers=ORDER_HEADERS)
        self.table.view.setColumnWidth(list(ORDER_HEADERS).index("main_reason"), 330)
        self.thresholds.show_scores(result.all_scores, result.thresholds)
        self.rules.show_backtest(result.rules, saved=True)
        if len(orders):
            keep = self.table.model.view_frame()["order_id"].tolist()
            self.table.view.selectRow(keep.index(self._reselect) if self._reselect in keep else 0)
        self._reselect = None

    # --- the order card --------------------------------------------------------------------------
    def selected_row(self) -> dict | None:
        rows = self.table.view.selectionModel().selectedRows()
        if not rows or self.result is None:
            return None
        order_id = self.table.model.view_frame().iloc[rows[0].row()]["order_id"]
        match = self.result.orders.loc[self.result.orders["order_id"] == order_id]
        return None if match.empty else match.iloc[0].to_dict()

    def _order_selected(self):
        row = self.selected_row()
        if row is None:
            return None
        self.card.show_order(row)
        return self.track(self.context.run_on_store(_customer_history, row["order_id"], show_progress=False,
                                                    on_done=self.card.show_history, on_error=self.failed))

    # --- what the merchant changes ---------------------------------------------------------------
    def mark(self, order_id: str, verdict: str):
        """Store the verdict, then score again (thresholds follow your verdicts)."""
        self._reselect = order_id
        self.task = self.track(self.context.run_on_store(_mark, order_id, verdict, writes=True, show_progress=False,
                                                         on_done=lambda _: self._after_change(), on_error=self.failed))
        return self.task

    def set_thresholds(self, medium, high):
        self.task = self.track(self.context.run_on_store(
            _set_thresholds, medium, high, writes=True, show_progress=False,
            on_done=lambda _: self._after_change(), on_error=self.failed))
        return self.task

    def check_rules(self, rules):
        """Backtest the editor's rules on every past order without saving them."""
        return self.track(self.context.run_on_store(
            _check_rules, rules, show_progress=False, title="Checking your rules on past orders…",
            on_done=lambda result: self.rules.show_backtest(result.rules, saved=False), on_error=self.failed))

    def save_rules(self, rules):
        self.task = self.track(self.context.run_on_store(
            _save_rules, [r.text for r in rules], writes=True, show_progress=False,
            on_done=lambda _: self._after_change(), on_error=self.failed))
        return self.task

    def _after_change(self) -> None:
        self.task = None
        self.reload()
