"""A browsable table: search box, column choice, sortable view, row count, export.

Sorting and filtering of big tables (more than SYNC_LIMIT_ROWS) are computed through the
task helper, so typing in the search box never freezes the window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from merchant_ai.ui.widgets.dataframe_model import DataFrameTableModel, compute_order

SYNC_LIMIT_ROWS = 50_000
SEARCH_DEBOUNCE_MS = 250


class DataTable(QWidget):
    def __init__(self, context, parent=None, *, export_name: str = "export") -> None:
        super().__init__(parent)
        self.context = context
        self.export_name = export_name
        self.model = DataFrameTableModel(parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        vertical = self.view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        vertical.setDefaultSectionSize(24)
        vertical.setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        self._sort: tuple[str | None, bool] = (None, True)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self.column_choice = QComboBox()
        self.column_choice.addItem("in all columns", None)
        self.count_label = QLabel()
        self.export_button = QPushButton("Export view…")
        self.export_button.clicked.connect(self.ask_export)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_view)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.column_choice.currentIndexChanged.connect(lambda _i: self.refresh_view())
        self.order_task = None
        self._pending = False

        tools = QHBoxLayout()
        tools.addWidget(self.search, 2)
        tools.addWidget(self.column_choice)
        tools.addStretch(1)
        tools.addWidget(self.count_label)
        tools.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(self.view)

    def set_frame(self, frame, headers: dict[str, str] | None = None) -> None:
        if headers:
            self.model._headers = headers
        self.model.set_frame(frame)
        current = self.column_choice.currentData()
        self.column_choice.blockSignals(True)
        self.column_choice.clear()
        self.column_choice.addItem("in all columns", None)
        for name in frame.columns:
            self.column_choice.addItem(f"in {self.model._headers.get(name, name.replace('_', ' '))}", name)
        index = self.column_choice.findData(current)
        self.column_choice.setCurrentIndex(max(index, 0))
        self.column_choice.blockSignals(False)
        self.view.resizeColumnsToContents()
        self.refresh_view()

    # --- filtering and sorting ---------------------------------------------------------------
    def _header_clicked(self, section: int) -> None:
        name = str(self.model.frame().columns[section])
        ascending = not (self._sort[0] == name and self._sort[1])
        self._sort = (name, ascending)
        self.view.horizontalHeader().setSortIndicator(
            section, Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder)
        self.refresh_view()

    def refresh_view(self) -> None:
        """Recompute which rows show, in which order (off the GUI thread for big tables)."""
        frame = self.model.frame()
        options = {"search": self.search.text(), "column": self.column_choice.currentData(),
                   "sort_column": self._sort[0], "ascending": self._sort[1]}
        self.model.remember_view(options["search"], options["column"], options["sort_column"], options["ascending"])
        if len(frame) <= SYNC_LIMIT_ROWS:
            self._apply_order(compute_order(frame, **options))
            return
        if self.order_task is not None and not self.order_task.done:
            self._pending = True  # run again once the current computation returns
            return
        self.count_label.setText("Filtering…")
        self.order_task = self.context.tasks.run(
            _order_task, frame, options, title="Sorting and filtering…", show_progress=False,
            on_done=self._order_ready)

    def _order_ready(self, rows) -> None:
        if self._pending:
            self._pending = False
            self.order_task = None
            self.refresh_view()
            return
        self._apply_order(rows)

    def _apply_order(self, rows) -> None:
        self.model.set_order(rows)
        total = len(self.model.frame())
        shown = len(rows)
        self.count_label.setText(f"{shown:,} rows" if shown == total else f"{shown:,} of {total:,} rows")

    def busy(self) -> bool:
        return self.order_task is not None and not self.order_task.done

    # --- export ----------------------------------------------------------------------------------
    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the rows shown", f"{self.export_name}.xlsx",
                                              "Excel workbook (*.xlsx);;CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path):
        """Export the shown rows (current filter and order) off the GUI thread; returns the task."""
        from merchant_ai.services.browse import export_frame

        frame = self.model.view_frame()
        return self.context.tasks.run(export_frame, frame, path, title=f"Exporting {len(frame):,} rows…",
                                      on_done=lambda p: self.count_label.setText(f"Exported to {p.name}"))


def _order_task(frame, options, *, progress, cancel):
    return compute_order(frame, **options)
