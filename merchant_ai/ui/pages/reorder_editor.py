"""Edit one product's stock on hand and reorder settings (saved through a service, never SQL)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QGroupBox, QLineEdit, QPushButton

# field name, label, maximum, decimals, suffix
FIELDS = [
    ("on_hand", "Stock on hand", 1e7, 0, ""),
    ("on_order", "Stock on order", 1e7, 0, ""),
    ("lead_time_days", "Lead time", 365, 0, " days"),
    ("review_period_days", "Review every", 365, 0, " days"),
    ("min_order_qty", "Minimum order", 1e6, 0, ""),
    ("pack_size", "Pack size", 1e5, 0, ""),
    ("service_level", "Service level", 99.9, 1, " %"),
]


def save_product_edits(store, sku: str, on_hand, settings: dict, *, progress, cancel) -> None:
    """Task body: write the merchant's edits (all checked before any is written)."""
    from merchant_ai.services.reorder.settings import apply_edits

    progress(0.5, "Saving…")
    apply_edits(store, [(sku, on_hand)], [(sku, settings)])


class InventoryEditor(QGroupBox):
    """A form for the selected product; emits `save_requested(sku, on_hand, settings)`."""

    save_requested = Signal(str, float, dict)

    def __init__(self, parent=None) -> None:
        super().__init__("Stock and reorder settings", parent)
        self.sku: str | None = None
        self.spins: dict[str, QDoubleSpinBox] = {}
        layout = QFormLayout(self)
        for name, label, maximum, decimals, suffix in FIELDS:
            spin = QDoubleSpinBox(minimum=0.0, maximum=maximum, decimals=decimals, suffix=suffix)
            self.spins[name] = spin
            layout.addRow(label, spin)
        self.spins["pack_size"].setMinimum(1.0)
        self.spins["review_period_days"].setMinimum(1.0)
        self.spins["service_level"].setMinimum(50.0)
        self.vendor = QLineEdit()
        layout.addRow("Vendor", self.vendor)
        self.save_button = QPushButton("Save and recalculate")
        self.save_button.clicked.connect(self._save)
        layout.addRow(self.save_button)
        self.setEnabled(False)

    def show_line(self, line) -> None:
        self.sku = line.sku
        values = {"on_hand": line.on_hand or 0.0, "on_order": line.on_order,
                  "lead_time_days": line.lead_time_days, "review_period_days": line.review_period_days,
                  "min_order_qty": line.min_order_qty, "pack_size": line.pack_size,
                  "service_level": line.service_level * 100.0}
        for name, value in values.items():
            self.spins[name].setValue(float(value))
        self.vendor.setText(line.vendor or "")
        self.setEnabled(True)

    def _save(self) -> None:
        if self.sku is None:
            return
        settings = {name: spin.value() for name, spin in self.spins.items() if name != "on_hand"}
        settings["service_level"] = settings["service_level"] / 100.0
        settings["vendor"] = self.vendor.text().strip() or None
        self.save_requested.emit(self.sku, self.spins["on_hand"].value(), settings)
