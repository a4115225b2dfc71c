"""The "How accurate is this on my shop?" panel, shared by every capability page.

Give it the capability's `BacktestSpec` (merchant_ai.ml.backtest). The owner picks a date
(default: the latest period fully observed) and presses "Check"; the harness answers with the
data before that date, scores against what happened next, next to the naive baseline, and
the panel shows the verdict sentence and a table of metrics. Runs through the task helper.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from merchant_ai.errors import MerchantError


def _check_accuracy(store, spec, as_of, *, progress, cancel):
    from merchant_ai.ml.backtest import how_accurate

    return how_accurate(store, spec, as_of=as_of, progress=progress, cancel=cancel)


class AccuracyPanel(QGroupBox):
    """A collapsible-looking group: date choice, Check button, verdict, metrics table."""

    def __init__(self, context, spec, parent=None, *, title: str = "How accurate is this on my shop?") -> None:
        super().__init__(title, parent)
        self.context = context
        self.spec = spec
        self.result = None
        self.auto_date = QCheckBox("Latest period I can check")
        self.auto_date.setChecked(True)
        self.as_of = QDateEdit(calendarPopup=True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setDate(QDate.currentDate().addDays(-90))
        self.as_of.setEnabled(False)
        self.auto_date.toggled.connect(lambda checked: self.as_of.setEnabled(not checked))
        self.check_button = QPushButton("Check")
        self.check_button.clicked.connect(self.run_check)
        self.verdict = QLabel(
            "Answers as if it were an earlier day, using only the data before it, and compares "
            "with what really happened next — next to a simple rule of thumb.")
        self.verdict.setWordWrap(True)
        self.table = QTableView()
        self.table.setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.auto_date)
        row.addWidget(QLabel("or as if today were"))
        row.addWidget(self.as_of)
        row.addStretch(1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table)

    def run_check(self):
        as_of = None if self.auto_date.isChecked() else self.as_of.date().toPython()
        self.check_button.setEnabled(False)
        self.verdict.setText("Checking against your past orders…")
        return self.context.run_on_store(
            _check_accuracy, self.spec, as_of, title="Checking accuracy on your past orders…",
            on_done=self._show, on_error=self._failed)

    def _show(self, result) -> None:
        from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel

        self.result = result
        self.check_button.setEnabled(True)
        self.verdict.setText(f"{result.verdict} (as if today were {result.as_of}, "
                             f"checked on {result.n_evaluated} items over {result.horizon_days} days)")
        frame = result.to_frame()
        self.table.setModel(DataFrameTableModel(frame.drop(columns=["metric"], errors="ignore"),
                                                headers={"label": "What", "method": "This app",
                                                         "baseline": "Rule of thumb"}, parent=self.table))
        self.table.setVisible(True)

    def _failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        message = error.message if isinstance(error, MerchantError) else "The check could not run (see the log)."
        self.verdict.setText(message)
