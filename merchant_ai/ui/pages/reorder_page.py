"""Inventory: products by urgency (coloured), and for the selected one the forecast fan, the
stock projection with its reorder point, one sentence per number, editable stock and
settings, purchase-order export, and "How accurate is this on my shop?"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from merchant_ai.ui.pages.analysis_page import AnalysisPage
from merchant_ai.ui.pages.reorder_editor import InventoryEditor, save_product_edits
from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel
from merchant_ai.ui.widgets.table_views import single_row_table

COLUMNS = {
    "sku": "SKU", "title": "Product", "status": "Status", "abc_class": "ABC", "on_hand": "In stock",
    "on_order": "On order", "forecast_per_day": "Sells / day", "reorder_point": "Reorder point",
    "suggested_qty": "Order qty", "last_order_date": "Order by", "stockout_date": "Runs out",
    "days_of_cover": "Days of cover", "lost_sales": "Lost sales", "vendor": "Vendor",
}
STATUS_COLOURS = {
    "out of stock": "#f4b6b0", "will run out even if ordered today": "#f9d1a4",
    "order now": "#fbeaa0", "fine": "#cfe8c9",
}
EXPLAINED = [("status", "Status"), ("forecast", "Forecast"), ("suggested_qty", "Order"),
             ("last_order_date", "When"), ("reorder_point", "Reorder point"), ("safety_stock", "Safety stock"),
             ("stockout_date", "Runs out"), ("days_of_cover", "Cover"), ("lost_sales", "Lost sales"),
             ("abc_class", "ABC class")]


class UrgencyTableModel(DataFrameTableModel):
    """The reorder table with each row coloured by its status."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            status = self._frame["status"].iat[self._order[index.row()]]
            colour = STATUS_COLOURS.get(status)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            status = self._frame["status"].iat[self._order[index.row()]]
            return QColor("#1a1a1a") if status in STATUS_COLOURS else None
        return super().data(index, role)


def _load(store, *, progress, cancel):
    from merchant_ai.services.reorder.service import reorder_today

    return reorder_today(store, progress=progress, cancel=cancel)


def _export(store, result, path, *, progress, cancel):
    from merchant_ai.services.reorder.purchase_orders import export_purchase_orders, purchase_order_drafts

    drafts = purchase_order_drafts(result)
    export_purchase_orders(drafts, path, as_of=result.as_of.date().isoformat())
    return path, drafts


class ReorderPage(AnalysisPage):
    page_key = "reorder"
    accuracy_capability = "forecast"  # the reorder numbers stand on the forecast: its accuracy
    empty_store_text = "Import your sales and stock first: forecasts are learned from your own history."
    loading_text = "Forecasting every product and working out what to reorder…"
    failed_text = "The reorder suggestions could not be worked out (details in the log)."
    loader = staticmethod(_load)
    remembers = True

    def make_accuracy_panel(self):
        from merchant_ai.ui.pages.forecast_accuracy import ForecastAccuracyPanel

        return ForecastAccuracyPanel(self.context)

    def build(self, layout) -> None:
        from merchant_ai.ui.pages.reorder_chart import make_canvas

        legend = QLabel(" ".join(f'<span style="background:{c};color:#1a1a1a">&nbsp;{s}&nbsp;</span>'
                                 for s, c in STATUS_COLOURS.items()))
        self.model = UrgencyTableModel(headers=COLUMNS, parent=self)
        self.table = single_row_table(self.model, fit_columns=False)
        self.table.setSortingEnabled(False)  # rows come sorted by urgency; keep that order
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.export_button = QPushButton("Export purchase orders…")
        self.export_button.clicked.connect(self._ask_export)
        self.canvas = make_canvas(self)
        self.explanations = QTextBrowser()
        self.explanations.setPlainText("Select a product to see why.")
        self.editor = InventoryEditor(self)
        self.editor.save_requested.connect(self._save_edits)

        top_row = QHBoxLayout()
        top_row.addWidget(legend, 1)
        top_row.addWidget(self.export_button)
        detail = QWidget()
        detail_layout = QHBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        side = QVBoxLayout()
        side.addWidget(self.explanations, 1)
        side.addWidget(self.editor)
        detail_layout.addWidget(self.canvas, 3)
        detail_layout.addLayout(side, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.addWidget(self.accuracy)  # in the splitter, so its table never squeezes the list
        for index, stretch in enumerate((3, 4, 1)):
            splitter.setStretchFactor(index, stretch)
        self.table.setMinimumHeight(170)
        layout.addLayout(top_row)
        layout.addWidget(splitter, 1)

    def show_result(self, result) -> None:
        frame = result.to_frame()
        self.model.set_frame(frame[list(COLUMNS)])
        counts = frame["status"].value_counts()
        self.status.setText(
            f"{len(frame)} products as of {result.as_of:%d %b %Y} ({result.forecast.arrays.model_label}): "
            f"{int(counts.get('out of stock', 0))} out of stock, "
            f"{int(counts.get('will run out even if ordered today', 0))} will run out even if ordered today, "
            f"{int(counts.get('order now', 0))} to order now, {int(counts.get('fine', 0))} fine"
            # the rest have no suggestion: say so, or the zeros above read as "all is well"
            + "".join(f", {int(counts[s])} {s}" for s in ("stock unknown", "not enough history", "discontinued")
                      if counts.get(s, 0)) + "."
            + (f" {result.forecast.arrays.model_note}" if result.forecast.arrays.model_note else ""))
        self.table.resizeColumnsToContents()
        if len(frame):
            self.table.selectRow(0)

    # --- the selected product ------------------------------------------------------------------
    def selected_sku(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.result is None:
            return None
        return str(self.model.view_frame()["sku"].iat[rows[0].row()])

    def _selected(self) -> None:
        sku = self.selected_sku()
        if sku is None:
            return
        from merchant_ai.ui.pages.reorder_chart import draw_product

        line = self.result.line(sku)
        draw_product(self.canvas, self.result, sku)
        items = "".join(f"<li><b>{label}:</b> {line.explanations[key]}</li>"
                        for key, label in EXPLAINED if key in line.explanations)
        self.explanations.setHtml(f"<b>{sku}</b> {line.title or ''}<ul>{items}</ul>")
        self.editor.show_line(line)

    def _save_edits(self, sku: str, on_hand: float, settings: dict) -> None:
        self.status.setText(f"Saving {sku} and recalculating…")
        self.track(self.context.run_on_store(save_product_edits, sku, on_hand, settings, writes=True,
                                             title="Saving…", on_done=lambda _: self._after_save(sku),
                                             on_error=self.failed))

    def _after_save(self, sku: str) -> None:
        self._reselect_sku = sku
        self.task = None
        self.reload()

    def _loaded(self, loaded) -> None:
        super()._loaded(loaded)
        sku, self._reselect_sku = getattr(self, "_reselect_sku", None), None
        skus = self.model.view_frame()["sku"].tolist()
        if sku in skus:
            self.table.selectRow(skus.index(sku))

    # --- purchase orders -----------------------------------------------------------------------
    def _ask_export(self) -> None:
        if self.result is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export purchase orders", "purchase-orders.pdf",
                                              "PDF (*.pdf);;CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path: str):
        """Write the purchase-order drafts (PDF or CSV by the file's extension)."""
        return self.context.run_on_store(_export, self.result, path, title="Writing purchase orders…",
                                         on_done=self._exported, on_error=self.failed)

    def _exported(self, done) -> None:
        path, drafts = done
        self.status.setText(f"Wrote {len(drafts)} order lines for {drafts['vendor'].nunique()} vendors to {path}.")
