"""Match a generic file's columns to what the app needs, with a live preview and checks."""

from __future__ import annotations

import html
import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel

NOT_IN_FILE = "— not in my file —"


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def guess_mapping(fields, header: list[str]) -> dict[str, str]:
    """A first guess: a column whose name matches the field's name or label."""
    by_name = {_normalise(column): column for column in header}
    guess = {}
    for field in fields:
        for candidate in (field.name, field.label):
            column = by_name.get(_normalise(candidate))
            if column is not None:
                guess[field.name] = column
                break
    return guess


class MappingDialog(QDialog):
    """`mapping()` -> {canonical field name: source column}. OK only when the checks pass."""

    def __init__(self, detection, parent=None) -> None:
        super().__init__(parent)
        from merchant_ai.services.imports import canonical_fields

        self.detection = detection
        self.fields = canonical_fields()
        self.setWindowTitle(f"Match the columns of {detection.path.name}")
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        initial = detection.saved_mapping or guess_mapping(self.fields, list(detection.header))
        for field in self.fields:
            combo = QComboBox()
            combo.addItem(NOT_IN_FILE, None)
            for column in detection.header:
                combo.addItem(str(column), str(column))
            if field.name in initial:
                combo.setCurrentIndex(max(combo.findData(initial[field.name]), 0))
            combo.setToolTip(field.help)
            combo.currentIndexChanged.connect(self.refresh)
            self.combos[field.name] = combo
            form.addRow(f"{field.label}{' *' if field.required else ''}", combo)
        fields_box = QGroupBox("Which column holds…  (* = needed)")
        fields_box.setLayout(form)
        self.preview = QTableView()
        self.preview.verticalHeader().setVisible(False)
        self.preview_model = DataFrameTableModel(parent=self.preview)
        self.preview.setModel(self.preview_model)
        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addWidget(QLabel("The first rows of your file, as the app will read them:"))
        right.addWidget(self.preview, 1)
        right.addWidget(self.messages)
        body = QHBoxLayout()
        body.addWidget(fields_box)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(QLabel("The app remembers this choice for files with the same columns."))
        layout.addWidget(self.buttons)
        self.resize(980, 560)
        self.refresh()

    def mapping(self) -> dict[str, str]:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()}

    def set_mapping(self, mapping: dict[str, str]) -> None:
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(mapping.get(name)), 0) if name in mapping else 0)
            combo.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Live preview of the mapped columns and the plain-language checks."""
        from merchant_ai.services.imports import validate_mapping

        mapping = self.mapping()
        labels = {f.name: f.label for f in self.fields}
        preview = self.detection.preview
        shown = preview[[c for c in mapping.values() if c in preview.columns]].copy()
        shown.columns = [labels[name] for name, column in mapping.items() if column in preview.columns]
        self.preview_model.set_frame(shown)
        self.preview.resizeColumnsToContents()
        problems = validate_mapping(self.detection, mapping)
        self.problems = problems
        if problems:
            self.messages.setText("<b>Before importing:</b><ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in problems)
                                  + "</ul>")
        else:
            self.messages.setText("Everything needed is there and the first rows read correctly.")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)
