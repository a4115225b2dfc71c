"""AppContext: what every page gets instead of globals.

It carries the path of the open store, the user's settings (QSettings), the ONE task
helper, and a few signals that keep pages in step (the store changed, go to a page).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from merchant_ai.ui.tasks import TaskHandle, TaskRunner


def _with_store(store_path: Path, fn: Callable, *args, progress, cancel, **kwargs):
    """Open a private connection in the worker thread (sqlite connections stay per thread)."""
    from merchant_ai.ml.providers import use_store_preference
    from merchant_ai.store import open_store

    with open_store(store_path) as store:
        # The Auto / CPU-only choice is saved per store; models started from here honour it.
        use_store_preference(store)
        return fn(store, *args, progress=progress, cancel=cancel, **kwargs)


def _plain(fn: Callable, store, *args, progress, cancel, **kwargs):
    return fn(store, *args, **kwargs)


class AppContext(QObject):
    """Passed to every page: `context.store_path`, `context.settings`, `context.tasks`."""

    store_changed = Signal()          # rows were imported, undone or the store was replaced
    store_path_changed = Signal(str)  # another store file was opened
    navigate_requested = Signal(str)  # a page key, e.g. "inventory"
    import_requested = Signal(list)   # file paths to import (drops, menus, welcome page)

    def __init__(self, store_path: Path, settings: QSettings, tasks: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self.store_path = Path(store_path)
        self.settings = settings
        self.tasks = tasks
        self.show_error: Callable[[BaseException], None] = lambda exc: None

    # --- the store -------------------------------------------------------------------------
    def store_exists(self) -> bool:
        return self.store_path.exists()

    def open_store(self):
        """A new connection to the store; the caller closes it (use it on one thread only)."""
        from merchant_ai.store import open_store

        return open_store(self.store_path)

    def set_store_path(self, path: Path) -> None:
        self.store_path = Path(path)
        self.settings.setValue("store/last_path", str(self.store_path))
        self.store_path_changed.emit(str(self.store_path))
        self.store_changed.emit()

    # --- background work ---------------------------------------------------------------------
    def run_on_store(self, fn: Callable, *args, writes: bool = False, **options) -> TaskHandle:
        """Run `fn(store, *args, progress=, cancel=)` off the GUI thread on a fresh connection.

        `options` are TaskRunner.run's (title, on_done, on_error, on_progress, show_progress)
        plus any keyword arguments for `fn`.
        """
        return self.tasks.run(_with_store, self.store_path, fn, *args, writes=writes, **options)

    def run_analysis(self, fn: Callable, *args, **options) -> TaskHandle:
        """Like run_on_store for a service function `fn(store, ...)` that takes no progress/cancel."""
        return self.run_on_store(partial(_plain, fn), *args, **options)
