"""Errors the owner sees: a plain sentence, and details they can copy for support.

`install_excepthook()` makes every uncaught exception (GUI thread) land here: it is logged
to the rotating log and shown in `ErrorDialog`. Typed errors (merchant_ai.errors) map to
plain sentences by their type, never by matching message text.
"""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from merchant_ai import errors

log = logging.getLogger("merchant_ai.ui")

# Title per error type; the most specific class listed wins.
_TITLES: list[tuple[type, str]] = [
    (errors.CancelledError, "Stopped"),
    (errors.UnknownFormatError, "This file's layout is not recognised"),
    (errors.NotEnoughDataError, "Not enough history yet"),
    (errors.BadInputError, "This can't be used"),
    (errors.StoreError, "Your shop's data file has a problem"),
    (errors.ModelUnavailableError, "A model is unavailable"),
    (errors.MerchantError, "Something needs your attention"),
]
_unparented: set = set()
_UNEXPECTED = ("Something went wrong inside Merchant AI. Your data was not changed by this error. "
               "The details below were saved to the log; please send them to support.")
_MEMORY = "Your computer ran out of memory for this task. Close other programs and try again."
_DISK = "The file could not be read or written: {reason}."


def plain_message(error: BaseException) -> tuple[str, str]:
    """(title, one plain paragraph) for an error, chosen by its type."""
    if isinstance(error, errors.MerchantError):
        title = next(t for cls, t in _TITLES if isinstance(error, cls))
        suffix = " Other parts of the app keep working." if isinstance(error, errors.ModelUnavailableError) else ""
        return title, error.message + suffix
    if isinstance(error, MemoryError):
        return "Out of memory", _MEMORY
    if isinstance(error, OSError):
        return "File problem", _DISK.format(reason=error.strerror or str(error))
    return "Unexpected error", _UNEXPECTED


def error_details(error: BaseException) -> str:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    extra = getattr(error, "details", "")
    return f"{extra}\n\n{text}" if extra else text


class ErrorDialog(QDialog):
    """Plain message on top; the technical details below, selectable, with a Copy button."""

    def __init__(self, error: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title, message = plain_message(error)
        self.setWindowTitle(title)
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.details = QPlainTextEdit(error_details(error))
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(140)
        copy_button = QPushButton("Copy details")
        copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


def show_error(error: BaseException, parent: QWidget | None = None) -> ErrorDialog:
    """Log the error and show it (window-modal, without a nested event loop)."""
    if not isinstance(error, errors.MerchantError):
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    else:
        log.info("%s: %s", type(error).__name__, error.message)
    dialog = ErrorDialog(error, parent or QApplication.activeWindow())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if dialog.parent() is None:
        # Without a parent only Python holds it; keep it alive until the owner closes it.
        _unparented.add(dialog)
        dialog.finished.connect(lambda _r: _unparented.discard(dialog))
    dialog.open()
    return dialog


def install_excepthook(parent_getter=lambda: None, record=None) -> None:
    """Route uncaught exceptions on the GUI thread to the log and an ErrorDialog.

    `record(error)` (optional) is told about each one, e.g. by the self-test."""
    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        if record is not None:
            record(exc)
        show_error(exc, parent_getter())

    sys.excepthook = hook
