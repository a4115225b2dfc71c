"""One suggestion list of the recommendations page: a table with the reason for each item and
buttons for the merchant's verdict (pin, block, accept, dismiss) on the selected item."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel
from merchant_ai.ui.widgets.table_views import single_row_table

BUTTON_WORDS = {"pinned": "Pin first", "blocked": "Never show this pair", "accepted": "Accept",
                "dismissed": "Dismiss"}
HEADERS = {"rank": "#", "title": "Product", "sku": "SKU", "reason": "Why", "repeat": "Re-order",
           "verdict": "Your verdict", "orders_together": "Orders together", "lift": "× chance",
           "confidence": "Confidence", "score": "Score"}


class SuggestionList(QGroupBox):
    verdict = Signal(str, str, str)  # subject, suggested sku, action

    def __init__(self, title: str, actions: list[str], *, evidence: bool = False, parent=None) -> None:
        super().__init__(title, parent)
        self.subject: str | None = None
        self.evidence = evidence
        self.subject_label = QLabel("Pick one on the left.")
        self.subject_label.setWordWrap(True)
        self.model = DataFrameTableModel(headers=HEADERS, parent=self)
        self.view = single_row_table(self.model)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for action in actions:
            button = QPushButton(BUTTON_WORDS[action])
            button.clicked.connect(lambda _checked=False, a=action: self.decide(a))
            self.buttons[action] = button
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.subject_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    def set_items(self, subject: str, description: str, suggestions: list) -> None:
        """Show `suggestions` (objects with to_dict()) made for `subject`."""
        import pandas as pd

        self.subject = subject
        frame = pd.DataFrame([s.to_dict() for s in suggestions])
        if frame.empty:
            self.subject_label.setText(f"Nothing to suggest for {description} yet.")
            self.model.set_frame(pd.DataFrame(columns=["rank", "sku", "title", "reason"]))
            return
        frame.insert(0, "rank", range(1, len(frame) + 1))
        marks = [("pinned", "pinned"), ("accepted", "accepted")]
        frame["verdict"] = [", ".join(word for key, word in marks if row.get(key)) for row in frame.to_dict("records")]
        if "repeat" in frame:
            frame["repeat"] = frame["repeat"].map({True: "yes", False: ""})
        columns = [c for c in HEADERS if c in frame.columns]
        self.subject_label.setText(f"For {description}:")
        self.model.set_frame(frame[columns])

    def show_message(self, text: str) -> None:
        import pandas as pd

        self.subject = None
        self.subject_label.setText(text)
        self.model.set_frame(pd.DataFrame(columns=["rank", "sku", "title", "reason"]))

    def selected_sku(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or self.subject is None:
            return None
        return str(self.model.view_frame().iloc[rows[0].row()]["sku"])

    def decide(self, action: str) -> None:
        target = self.selected_sku()
        if target is not None:
            self.verdict.emit(self.subject, target, action)

    def shown(self):
        """The rows on screen (tests, export)."""
        return self.model.view_frame()
