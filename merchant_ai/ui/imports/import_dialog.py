"""Import store exports: the files and their detected format, column matching for generic
files, the import with a progress bar and Cancel, and the report (savable)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from merchant_ai.errors import CancelledError, MerchantError

COLUMNS = ["File", "Detected format", "Status"]


def _detect(store, path: Path, *, progress, cancel):
    from merchant_ai.services.imports import detect_file

    return detect_file(path, store=store)


def _import(store, path: Path, fmt, mapping, privacy: bool, *, progress, cancel):
    from merchant_ai.services.imports import import_file

    return import_file(store, path, format=fmt, mapping=mapping, progress=progress, cancel=cancel,
                       privacy=privacy)


class ImportDialog(QDialog):
    def __init__(self, context, files: list[Path], parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Import store exports")
        self.setAcceptDrops(True)
        self.paths: list[Path] = []
        self.detections: dict[Path, object] = {}
        self.mappings: dict[Path, dict[str, str]] = {}
        self.reports: list = []
        self.queue: list[Path] = []
        self.task = None
        self.detect_tasks: list = []
        self.mapping_dialog = None
        self.store_was_changed = False

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton("Add files…")
        self.add_button.clicked.connect(self.pick_files)
        self.map_button = QPushButton("Match columns…")
        self.map_button.clicked.connect(self.open_mapping_for_selected)
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton("Cancel import")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress_label = QLabel("Add or drop your export files, then press Import.")
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("The import report appears here.")
        self.save_report_button = QPushButton("Save report…")
        self.save_report_button.setEnabled(False)
        self.save_report_button.clicked.connect(self.ask_save_report)

        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.add_button)
        file_buttons.addWidget(self.map_button)
        file_buttons.addStretch(1)
        file_buttons.addWidget(self.import_button)
        file_buttons.addWidget(self.cancel_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_report_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(file_buttons)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.report, 1)
        layout.addLayout(bottom)
        self.resize(820, 600)
        self.add_files(files)
        self._update_buttons()

    # --- files and detection ---------------------------------------------------------------------
    def pick_files(self) -> None:
        from merchant_ai.ui.store_actions import pick_export_files

        self.add_files([Path(f) for f in pick_export_files(self)])

    def add_files(self, files: list[Path]) -> None:
        for path in files:
            path = Path(path)
            if path in self.paths:
                continue
            self.paths.append(path)
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(path.name))
            self.table.setItem(row, 1, QTableWidgetItem("…"))
            self.table.setItem(row, 2, QTableWidgetItem("Looking at the file…"))
            self.detect_tasks.append(self.context.run_on_store(
                _detect, path, title="Looking at the file…", show_progress=False,
                on_done=self._detected, on_error=lambda exc, p=path: self._set_status(p, _plain(exc))))
        self._update_buttons()

    def _row(self, path: Path) -> int:
        return self.paths.index(path)

    def _set_status(self, path: Path, text: str) -> None:
        self.table.item(self._row(path), 2).setText(text)
        self._update_buttons()

    def _detected(self, detection) -> None:
        path = Path(detection.path)
        self.detections[path] = detection
        label = detection.format_label or "Generic spreadsheet"
        self.table.item(self._row(path), 1).setText(label)
        if detection.needs_mapping:
            self._set_status(path, "Needs its columns matched")
            if self.mapping_dialog is None:
                self.open_mapping(path)
        else:
            self._set_status(path, "Ready" + (" (saved column matching)" if detection.saved_mapping else ""))

    def _ready_paths(self) -> list[Path]:
        return [p for p in self.paths if p in self.detections
                and (not self.detections[p].needs_mapping or p in self.mappings)]

    def _update_buttons(self) -> None:
        importing = self.task is not None and not self.task.done
        self.import_button.setEnabled(not importing and bool(self._ready_paths()))
        self.cancel_button.setEnabled(importing)
        self.add_button.setEnabled(not importing)

    # --- column matching ---------------------------------------------------------------------------
    def open_mapping_for_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        candidates = [self.paths[r.row()] for r in rows] or [
            p for p in self.paths if p in self.detections and self.detections[p].needs_mapping]
        if candidates and candidates[0] in self.detections:
            self.open_mapping(candidates[0])

    def open_mapping(self, path: Path):
        from merchant_ai.ui.imports.mapping_dialog import MappingDialog

        dialog = MappingDialog(self.detections[path], parent=self)
        dialog.accepted.connect(lambda: self._mapping_chosen(path, dialog.mapping()))
        dialog.finished.connect(lambda _r: setattr(self, "mapping_dialog", None))
        self.mapping_dialog = dialog
        dialog.open()
        return dialog

    def _mapping_chosen(self, path: Path, mapping: dict[str, str]) -> None:
        self.mappings[path] = mapping
        self._set_status(path, "Ready (columns matched)")

    # --- importing ------------------------------------------------------------------------------------
    def start_import(self):
        self.queue = [p for p in self._ready_paths() if self.table.item(self._row(p), 2).text().startswith("Ready")]
        self.total_files = len(self.queue)
        self.report.clear()
        self.reports = []
        return self._next_file()

    def _next_file(self):
        if not self.queue:
            self.task = None
            self._update_buttons()
            return None
        path = self.queue[0]
        detection = self.detections[path]
        privacy = str(self.context.settings.value("imports/privacy", "true")).lower() == "true"
        self._set_status(path, "Importing…")
        self.task = self.context.run_on_store(
            _import, path, detection.format, self.mappings.get(path), privacy, writes=True,
            title=f"Importing {path.name}…", show_progress=False, on_progress=self._progress,
            on_done=self._imported, on_error=self._import_failed)
        self._update_buttons()
        return self.task

    def _progress(self, fraction: float, text: str) -> None:
        done_files = self.total_files - len(self.queue)
        overall = (done_files + fraction) / max(self.total_files, 1)
        self.progress.setValue(int(overall * 1000))
        self.progress_label.setText(f"{self.queue[0].name if self.queue else ''}: {text}")

    def _imported(self, report) -> None:
        path = self.queue.pop(0)
        self.reports.append(report)
        self._set_status(path, "Already imported before — nothing changed" if report.already_imported
                         else "Imported")
        self.report.appendPlainText(report.to_text() + "\n")
        self.save_report_button.setEnabled(True)
        if not report.already_imported:
            self.store_was_changed = True
            self.context.store_changed.emit()
        if not self.queue:
            self.progress.setValue(1000)
            self.progress_label.setText("Done.")
        self._next_file()

    def _import_failed(self, error: BaseException) -> None:
        path = self.queue.pop(0)
        if isinstance(error, CancelledError):
            self._set_status(path, "Cancelled — nothing was changed")
            self.progress_label.setText("Import cancelled. Your data is exactly as it was before this file.")
            self.queue.clear()
        else:
            self._set_status(path, _plain(error))
            self.progress_label.setText(f"{path.name} could not be imported; nothing was changed for it.")
            if not isinstance(error, MerchantError):
                self.context.show_error(error)
        self.progress.setValue(0)
        self._next_file()

    def cancel_import(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.progress_label.setText("Cancelling…")

    # --- report -----------------------------------------------------------------------------------------
    def ask_save_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the import report", "import-report.txt",
                                              "Text (*.txt)")
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> Path:
        path.write_text(self.report.toPlainText(), encoding="utf-8")
        return path

    # --- drops and closing --------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        self.add_files([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])

    def busy(self) -> bool:
        return (self.task is not None and not self.task.done) or any(not t.done for t in self.detect_tasks)

    def closeEvent(self, event) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()  # nothing is left half-imported: the import rolls back
        super().closeEvent(event)


def _plain(error: BaseException) -> str:
    return error.message if isinstance(error, MerchantError) else "Could not be read (details in the log)"
