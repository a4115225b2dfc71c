"""Data → Imports: every import so far, a button to import more, and undo."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from merchant_ai.ui.theme import icon
from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel
from merchant_ai.ui.widgets.table_views import single_row_table

HEADERS = {"import_id": "#", "file_name": "File", "format": "Format", "started_at": "Imported at",
           "rows_read": "Rows read", "status": "Status"}


def _list_imports(store, *, progress, cancel):
    from merchant_ai.services.imports import list_imports

    return list_imports(store)


def _undo(store, import_id: int, *, progress, cancel):
    from merchant_ai.services.imports import undo_import

    progress(0.1, "Undoing the import…")
    undo_import(store, import_id)
    return import_id


class ImportsTab(QWidget):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.task = None
        self.model = DataFrameTableModel(headers=HEADERS, parent=self)
        self.view = single_row_table(self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.import_button = QPushButton(icon("import"), "Import files…")
        self.import_button.clicked.connect(lambda: context.import_requested.emit([]))
        self.undo_button = QPushButton("Undo the selected import")
        self.undo_button.clicked.connect(self.undo_selected)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        # Replaced in tests; asks "are you sure?" before undoing.
        self.confirm = lambda text: QMessageBox.question(self, "Undo import", text) == \
            QMessageBox.StandardButton.Yes
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.view)
        context.store_changed.connect(self.reload)
        self.reload()

    def reload(self):
        if not self.context.store_exists():
            return None
        self.task = self.context.run_on_store(_list_imports, title="Reading the list of imports…",
                                              show_progress=False, on_done=self._show, on_error=self._failed)
        return self.task

    def _show(self, frame) -> None:
        self.model.set_frame(frame[[c for c in HEADERS if c in frame.columns]] if len(frame.columns) else frame)
        if frame.empty:
            self.status.setText("No imports yet: import your store exports, or explore the demo data.")

    def _failed(self, error) -> None:
        self.status.setText(getattr(error, "message", "The list of imports could not be read (see the log)."))

    def selected_import(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.view_frame().iloc[rows[0].row()].to_dict()

    def undo_selected(self):
        chosen = self.selected_import()
        if chosen is None:
            self.status.setText("Select an import in the list first.")
            return None
        if chosen.get("status") == "undone":
            self.status.setText("That import was already undone.")
            return None
        if not self.confirm(f"Undo the import of {chosen['file_name']}? Everything it added or changed "
                            "is put back exactly as it was before."):
            return None
        return self.context.run_on_store(_undo, int(chosen["import_id"]), writes=True,
                                         title="Undoing the import…", on_done=self._undone)

    def _undone(self, import_id: int) -> None:
        self.status.setText(f"Import #{import_id} was undone.")
        self.context.store_changed.emit()

    def busy(self) -> bool:
        return self.task is not None and not self.task.done
