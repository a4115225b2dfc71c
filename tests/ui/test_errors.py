"""Errors: a plain sentence for the owner, copyable details, logged; the global hook."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from merchant_ai.errors import BadInputError, ModelUnavailableError
from merchant_ai.ui.error_dialog import ErrorDialog, install_excepthook, plain_message


def _raised(error):
    try:
        raise error
    except Exception as exc:  # noqa: BLE001
        return exc


def test_typed_errors_map_to_plain_sentences():
    title, message = plain_message(BadInputError("The file sales.csv is empty."))
    assert (title, message) == ("This can't be used", "The file sales.csv is empty.")
    title, message = plain_message(ModelUnavailableError("The model file x.onnx is missing."))
    assert message.endswith("Other parts of the app keep working.")
    title, message = plain_message(ZeroDivisionError("division by zero"))
    assert title == "Unexpected error" and "division" not in message and "log" in message


def test_error_dialog_shows_the_plain_message_and_copies_the_details(qtbot):
    dialog = ErrorDialog(_raised(KeyError("sku")))
    qtbot.addWidget(dialog)
    assert "Something went wrong inside Merchant AI" in dialog.message_label.text()
    assert "KeyError: 'sku'" in dialog.details.toPlainText()
    dialog.copy_details()
    assert "Traceback" in QGuiApplication.clipboard().text()


def test_uncaught_exceptions_are_logged_and_shown(qtbot, monkeypatch, caplog):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    seen = []
    install_excepthook(record=seen.append)
    error = _raised(RuntimeError("boom"))
    with caplog.at_level(logging.ERROR, logger="merchant_ai"):
        sys.excepthook(type(error), error, error.__traceback__)
    assert seen == [error]
    assert "boom" in caplog.text
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]
    assert shown and "RuntimeError: boom" in shown[0].details.toPlainText()
    for dialog in shown:
        dialog.close()
