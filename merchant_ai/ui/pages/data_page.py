"""Data: past imports (with undo) and the store's tables (orders, products, customers, lines)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from merchant_ai.ui.widgets.data_table import DataTable

TABLES = [("orders", "Orders"), ("products", "Products"), ("customers", "Customers"),
          ("order_lines", "Order lines")]


class TableTab(QWidget):
    """One store table, loaded off the GUI thread the first time it is shown (and after changes)."""

    def __init__(self, context, table_name: str, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.table_name = table_name
        self.stale = True
        self.task = None
        self.status = QLabel("")
        self.table = DataTable(context, self, export_name=table_name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        context.store_changed.connect(self._store_changed)

    def _store_changed(self) -> None:
        self.stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.stale:
            self.load()

    def load(self):
        from merchant_ai.services.browse import load_table

        if not self.context.store_exists() or (self.task is not None and not self.task.done):
            return self.task
        self.stale = False
        self.status.setText("Loading…")
        self.task = self.context.run_on_store(load_table, self.table_name, title=f"Loading {self.table_name}…",
                                              show_progress=False,
                                              on_done=self._loaded, on_error=self._failed)
        return self.task

    def _loaded(self, frame) -> None:
        self.status.setText("")
        self.status.setVisible(False)
        self.table.set_frame(frame)

    def _failed(self, error) -> None:
        self.stale = True
        self.status.setText(getattr(error, "message", "The table could not be loaded (see the log)."))

    def busy(self) -> bool:
        return (self.task is not None and not self.task.done) or self.table.busy()


class DataPage(QWidget):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        from merchant_ai.ui.imports.imports_tab import ImportsTab

        self.context = context
        self.tabs = QTabWidget()
        self.imports_tab = ImportsTab(context)
        self.tabs.addTab(self.imports_tab, "Imports")
        self.table_tabs: dict[str, TableTab] = {}
        for name, label in TABLES:
            tab = TableTab(context, name)
            self.table_tabs[name] = tab
            self.tabs.addTab(tab, label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(QLabel("<h2>Your data</h2>"))
        layout.addWidget(self.tabs)

    def busy(self) -> bool:
        return self.imports_tab.busy() or any(tab.busy() for tab in self.table_tabs.values())
