"""Actions on the store file itself: open (and if needed create) the demo store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from merchant_ai.ui.context import AppContext

IMPORT_FILTER = "Store exports (*.csv *.tsv *.txt *.xlsx *.xls);;All files (*)"


def pick_export_files(parent: QWidget | None) -> list[str]:
    """Ask for export files to import (empty list when the owner cancels)."""
    files, _ = QFileDialog.getOpenFileNames(parent, "Import store exports", str(Path.home()), IMPORT_FILTER)
    return files


def demo_store_path() -> Path:
    from merchant_ai.store.paths import data_dir

    return data_dir() / "demo-store.db"


def open_demo_store(context: AppContext, path: Path | None = None):
    """Switch to the demo store; create it first (off the GUI thread) when it is missing.

    Returns the task handle while the demo is being written, else None."""
    from merchant_ai.services.demo_store import ensure_demo_store

    target = path or demo_store_path()
    if target.exists():
        context.set_store_path(target)
        return None
    return context.tasks.run(ensure_demo_store, target, title="Creating a demo store (a few seconds)…",
                             writes=True, on_done=context.set_store_path)
