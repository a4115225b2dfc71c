"""The ONE way the app runs long work off the GUI thread.

A task is a plain function `fn(*args, progress, cancel, **kwargs)`:
- `progress(fraction: float, text: str)` reports how far it got (0..1; throttled here so a
  chatty function cannot flood the event loop),
- `cancel()` returns True once the user pressed Cancel; the function should then raise
  `merchant_ai.errors.CancelledError` (store unchanged).
The function knows nothing about Qt, so it is tested without a window. Results and errors
come back on the GUI thread through `on_done(result)` / `on_error(exc)`. A progress dialog
appears only when the work takes longer than PROGRESS_DELAY_MS. Tasks that write to the
store (`writes=True`) run one at a time (SQLite has one writer).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from merchant_ai.errors import CancelledError

log = logging.getLogger("merchant_ai.ui.tasks")

PROGRESS_DELAY_MS = 500
PROGRESS_MIN_INTERVAL_S = 0.05
# SQLite allows one writer; a process-wide lock keeps our own writers in line.
_WRITE_LOCK = threading.Lock()


class _WorkerSignals(QObject):
    """Emitted from the worker thread; delivered queued to the handle on the GUI thread."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)


class TaskHandle(QObject):
    """One running task: cancel it, watch it, or wait for it (tests)."""

    progressed = Signal(float, str)
    finished = Signal()  # after on_done/on_error ran, success or not

    def __init__(self, title: str, on_done, on_error, on_progress, parent=None) -> None:
        super().__init__(parent)
        self.title = title
        self._cancel_event = threading.Event()
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.started_at = time.perf_counter()
        self.seconds: float | None = None

    def cancel(self) -> None:
        """Ask the function to stop; it notices on its next `cancel()` poll."""
        self._cancel_event.set()

    def is_cancel_requested(self) -> bool:
        return self._cancel_event.is_set()

    @Slot(float, str)
    def _progress(self, fraction: float, text: str) -> None:
        if self._on_progress is not None:
            self._on_progress(fraction, text)
        self.progressed.emit(fraction, text)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self._finish(result=result)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._finish(error=error)

    def _finish(self, result: Any = None, error: BaseException | None = None) -> None:
        self.result, self.error, self.done = result, error, True
        self.seconds = time.perf_counter() - self.started_at
        callback, value = (self._on_done, result) if error is None else (self._on_error, error)
        try:
            if callback is not None and _owner_alive(callback):
                callback(value)
        finally:
            self.finished.emit()


def _owner_alive(callback: Callable) -> bool:
    """False when the callback is a method of a widget that was closed and deleted meanwhile."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable, args: tuple, kwargs: dict, handle: TaskHandle, writes: bool) -> None:
        super().__init__()
        # Python owns it (via the handle) so its signal object outlives the queued events.
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs, self.writes = fn, args, kwargs, writes
        self.signals = _WorkerSignals()
        self.signals.progressed.connect(handle._progress)
        self.signals.succeeded.connect(handle._succeeded)
        self.signals.failed.connect(handle._failed)
        self.cancel_event = handle._cancel_event
        self._last_progress = 0.0

    def _progress(self, fraction: float, text: str = "") -> None:
        now = time.perf_counter()
        if fraction >= 1.0 or now - self._last_progress >= PROGRESS_MIN_INTERVAL_S:
            self._last_progress = now
            try:
                self.signals.progressed.emit(float(fraction), str(text))
            except RuntimeError:  # owner gone (see _deliver)
                pass

    def run(self) -> None:  # worker thread
        try:
            if self.writes:
                with _WRITE_LOCK:
                    result = self._call()
            else:
                result = self._call()
        except BaseException as exc:  # every failure goes back to the GUI thread
            if not isinstance(exc, CancelledError):
                log.exception("task failed")
            self._deliver(self.signals.failed, exc)
        else:
            self._deliver(self.signals.succeeded, result)

    @staticmethod
    def _deliver(signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window that asked was closed and deleted meanwhile
            log.debug("task result dropped: its owner is gone")

    def _call(self):
        if self.cancel_event.is_set():
            raise CancelledError("Stopped before it started; nothing was changed.")
        return self.fn(*self.args, progress=self._progress, cancel=self.cancel_event.is_set, **self.kwargs)


class TaskRunner(QObject):
    """Owns the worker threads. `run()` is the only entry point pages use."""

    def __init__(self, dialog_parent: Callable[[], QWidget | None] | None = None,
                 default_on_error: Callable[[BaseException], None] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._dialog_parent = dialog_parent or (lambda: None)
        self.default_on_error = default_on_error
        self.active: list[TaskHandle] = []
        self._dialogs: set = set()

    def run(self, fn: Callable, *args, title: str = "Working…", on_done=None, on_error=None,
            on_progress=None, writes: bool = False, show_progress: bool = True, **kwargs) -> TaskHandle:
        """Run `fn(*args, progress=, cancel=, **kwargs)` on a worker thread.

        on_error defaults to the app's error dialog; a CancelledError is not an error and
        goes to on_error only when one was given.
        """
        if on_error is None:
            on_error = self._default_error
        handle = TaskHandle(title, on_done, on_error, on_progress, parent=self)
        self.active.append(handle)
        handle.finished.connect(lambda: self._forget(handle))
        if show_progress:
            QTimer.singleShot(PROGRESS_DELAY_MS, lambda: self._maybe_show_dialog(handle))
        handle._runnable = _Runnable(fn, args, kwargs, handle, writes)
        self._pool.start(handle._runnable)
        return handle

    def _default_error(self, error: BaseException) -> None:
        if isinstance(error, CancelledError):
            return
        if self.default_on_error is not None:
            self.default_on_error(error)
        else:
            log.error("task error without a handler: %r", error)

    def _forget(self, handle: TaskHandle) -> None:
        if handle in self.active:
            self.active.remove(handle)
        handle.deleteLater()

    def _maybe_show_dialog(self, handle: TaskHandle) -> None:
        if handle.done or handle not in self.active:
            return
        dialog = QProgressDialog(handle.title, "Cancel", 0, 1000, self._dialog_parent())
        dialog.setWindowTitle("Merchant AI")
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(handle.cancel)
        handle.progressed.connect(lambda f, t: (dialog.setValue(int(f * 1000)), t and dialog.setLabelText(t)))
        self._dialogs.add(dialog)
        handle.finished.connect(lambda: self._close_dialog(dialog))
        dialog.show()

    def _close_dialog(self, dialog) -> None:
        self._dialogs.discard(dialog)
        dialog.close()
        dialog.deleteLater()

    def busy(self) -> bool:
        return bool(self.active)

    def cancel_all(self) -> None:
        for handle in list(self.active):
            handle.cancel()

    def wait_all(self, timeout_ms: int = 30_000) -> bool:
        """Block until every worker thread is idle (shutdown and tests)."""
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel everything and wait; True when every worker thread has stopped.

        Work that ignores cancel (a long read-only analysis) may still run after the timeout;
        the caller may then exit the process: SQLite transactions keep the store consistent,
        and writers hold _WRITE_LOCK, which we wait for below."""
        self.cancel_all()
        for dialog in list(self._dialogs):  # an open dialog would keep the app from quitting
            self._close_dialog(dialog)
        done = self._pool.waitForDone(timeout_ms)
        if not done and _WRITE_LOCK.acquire(timeout=60):  # never cut a write short
            _WRITE_LOCK.release()
        return done
