"""Parts of the Risk page: the order card (reasons, customer history, verdict buttons), the score
distribution with its thresholds, and the rules editor with its backtest."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

RAISES_COLOUR, LOWERS_COLOUR = "#c0392b", "#1e8449"
HISTORY_HEADERS = {"order_id": "Order", "created_at": "Placed", "total": "Total",
                   "shipping_country": "Ships to", "financial_status": "Payment", "verdict": "Your verdict"}
BACKTEST_HEADERS = {"rule": "Rule", "action": "Action", "orders_matched": "Past orders", "share": "Share",
                    "value_matched": "Value", "marked_fraud_matched": "Your fraud marks",
                    "marked_legit_matched": "Your legitimate marks", "high_risk_matched": "High-risk orders"}


class OrderCard(QWidget):
    """One order: score and level, reasons in red (raise risk) and green (lower it), the
    customer's other orders, and the two verdict buttons."""

    verdict_requested = Signal(str, str)  # order_id, "fraud" | "legit"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.order_id: str | None = None
        self.title = QLabel("Pick an order to see why it was scored so.")
        self.title.setWordWrap(True)
        self.reasons = QListWidget()
        self.reasons.setWordWrap(True)
        self.history_label = QLabel("The customer's orders")
        self.history = QTableView()
        self.history.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.fraud_button = QPushButton("Mark fraud")
        self.legit_button = QPushButton("Mark legitimate")
        for button, verdict in ((self.fraud_button, "fraud"), (self.legit_button, "legit")):
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, v=verdict: self._ask(v))
        buttons = QHBoxLayout()
        buttons.addWidget(self.fraud_button)
        buttons.addWidget(self.legit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.reasons, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 2)

    def show_order(self, row: dict, currency: str = "") -> None:
        self.order_id = str(row["order_id"])
        verdict = {"fraud": "you marked it fraud", "legit": "you marked it legitimate"}.get(row.get("verdict"), "")
        decided = f"; your rule says {row['action']} (“{row['rule']}”)" if row.get("action") else ""
        extra = "; ".join(part for part in (verdict,) if part)
        self.title.setText(f"<b>Order {self.order_id}</b> — risk score {row['score']:.0f} of 100, "
                           f"<b>{row['level']}</b>{decided}{'; ' + extra if extra else ''}. "
                           f"Total {row['total']:,.2f} {currency}".strip())
        self.reasons.clear()
        if not row["indicators"]:
            self.reasons.addItem("No warning signs and no reassuring signs: an unremarkable order.")
        for item in row["indicators"]:
            raises = item["effect"] == "raises"
            entry = QListWidgetItem(("▲ raises risk: " if raises else "▼ lowers risk: ") + item["name"])
            entry.setForeground(QBrush(QColor(RAISES_COLOUR if raises else LOWERS_COLOUR)))
            entry.setData(Qt.ItemDataRole.UserRole, item["effect"])
            self.reasons.addItem(entry)
        self.fraud_button.setEnabled(True)
        self.legit_button.setEnabled(True)

    def show_history(self, history) -> None:
        from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel

        others = history[history["order_id"] != self.order_id]
        self.history_label.setText(
            "A guest order: no earlier orders to compare with." if history.empty else
            f"The customer's other orders: {len(others)}" + (" (this is their first)" if others.empty else ""))
        self.history.setModel(DataFrameTableModel(others[list(HISTORY_HEADERS)], headers=HISTORY_HEADERS,
                                                  parent=self.history))

    def _ask(self, verdict: str) -> None:
        if self.order_id is not None:
            self.verdict_requested.emit(self.order_id, verdict)


class ThresholdsPanel(QWidget):
    """The score distribution of every past order, with the medium and high thresholds."""

    thresholds_requested = Signal(object, object)  # medium, high (None, None = automatic)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        from merchant_ai.ui.widgets.chart_canvas import ChartCanvas

        self.canvas = ChartCanvas(self, value_format=lambda y: f"{y:,.0f} orders", height_inches=2.4)
        self.medium = QDoubleSpinBox()
        self.high = QDoubleSpinBox()
        for box in (self.medium, self.high):
            box.setRange(0, 100)
            box.setDecimals(0)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        use = QPushButton("Use these thresholds")
        use.clicked.connect(lambda: self.thresholds_requested.emit(self.medium.value(), self.high.value()))
        automatic = QPushButton("Automatic")
        automatic.clicked.connect(lambda: self.thresholds_requested.emit(None, None))
        row = QHBoxLayout()
        row.addWidget(QLabel("Medium from"))
        row.addWidget(self.medium)
        row.addWidget(QLabel("High from"))
        row.addWidget(self.high)
        row.addWidget(use)
        row.addWidget(automatic)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(row)
        layout.addWidget(self.explain)

    def show_scores(self, scores, thresholds) -> None:
        import numpy as np

        ax = self.canvas.clear().add_subplot()
        counts, edges = np.histogram(scores, bins=50, range=(0, 100))
        bars = ax.bar(edges[:-1], counts, width=2.0, align="edge", color="#7f8c8d")
        self.canvas.label_bars(bars, [f"score {e:.0f}–{e + 2:.0f}" for e in edges[:-1]], counts)
        ax.set_yscale("symlog")
        ax.axvline(thresholds.medium, color="#e67e22", linestyle="--", label=f"medium from {thresholds.medium:.0f}")
        ax.axvline(thresholds.high, color=RAISES_COLOUR, linestyle="--", label=f"high from {thresholds.high:.0f}")
        ax.set_xlabel("risk score")
        ax.set_ylabel("orders")
        ax.legend(fontsize=8, loc="upper center")
        self.canvas.finish()
        self.medium.setValue(thresholds.medium)
        self.high.setValue(thresholds.high)
        high_share = float((np.asarray(scores) >= thresholds.high).mean()) if len(scores) else 0.0
        self.explain.setText(f"Thresholds: {thresholds.source}. {high_share:.2%} of your {len(scores):,} past "
                             "orders score high.")


class RulesEditor(QWidget):
    """Your rules, one per line, checked before the score; "Check" backtests without saving."""

    check_requested = Signal(list)
    save_requested = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("review if total > 500 and country != shipping country\n"
                                     "allow if customer has 3+ paid orders")
        self.text.setMaximumHeight(110)
        self.message = QLabel("One rule per line: allow, review or block, then 'if' and a condition. "
                              "The first rule that matches an order decides.")
        self.message.setWordWrap(True)
        check = QPushButton("Check on past orders")
        check.clicked.connect(lambda: self._emit(self.check_requested))
        save = QPushButton("Save rules")
        save.clicked.connect(lambda: self._emit(self.save_requested))
        buttons = QHBoxLayout()
        buttons.addWidget(check)
        buttons.addWidget(save)
        buttons.addStretch(1)
        self.backtest = QTableView()
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.backtest, 1)

    def rule_lines(self) -> list[str]:
        return [line.strip() for line in self.text.toPlainText().splitlines() if line.strip()]

    def set_rules(self, texts: list[str]) -> None:
        self.text.setPlainText("\n".join(texts))

    def _emit(self, signal) -> None:
        """Parse here first (cheap, no store): a bad rule is reported at once, nothing runs."""
        from merchant_ai.errors import BadRuleError
        from merchant_ai.services.fraud.rules import parse_rule

        try:
            rules = [parse_rule(text) for text in self.rule_lines()]
        except BadRuleError as exc:
            self.message.setText(f"<span style='color:{RAISES_COLOUR}'>{exc.message}</span>")
            return
        signal.emit(rules)

    def show_backtest(self, rows: list[dict], saved: bool) -> None:
        import pandas as pd

        from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel

        frame = pd.DataFrame(rows, columns=[*BACKTEST_HEADERS, "share_of_orders", "marked_fraud_total"])
        frame["share"] = frame["share_of_orders"].map(lambda share: f"{share:.1%}")
        frame["marked_fraud_matched"] = [f"{hit} of {total}" for hit, total in
                                         zip(frame["marked_fraud_matched"], frame["marked_fraud_total"])]
        self.backtest.setModel(DataFrameTableModel(frame[list(BACKTEST_HEADERS)], headers=BACKTEST_HEADERS,
                                                   parent=self.backtest))
        self.backtest.resizeColumnsToContents()
        self.message.setText(("Saved. " if saved else "Not saved yet. ")
                             + (f"{len(rows)} rule(s) checked on every past order: how many each would have "
                                "caught." if rows else "No rules yet."))
