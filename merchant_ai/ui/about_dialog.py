"""Help → About: versions of the app, libraries, models and onnxruntime providers."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout


def about_text(info: dict) -> str:
    lines = [f"Merchant AI {info['app']}", f"Python {info['python']} on {info['platform']}",
             f"SQLite {info['sqlite']}", ""]
    lines += [f"{name} {version or 'not installed'}" for name, version in info["libraries"].items()]
    lines += ["", "onnxruntime providers available: " + (", ".join(info["onnxruntime_providers"]) or "none")]
    lines += ["", "Models:"]
    for model in info["models"] or []:
        status = model.get("status", "ok")
        ran_on = model.get("provider_used") or "not loaded"
        lines.append(f"  {model.get('name')} {model.get('version') or ''} — {status}, runs on {ran_on}")
        lines += [f"    note: {note}" for note in model.get("notes") or []]
    if not info["models"]:
        lines.append("  none installed yet")
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Merchant AI")
        self.info: dict | None = None
        heading = QLabel("<h2>Merchant AI</h2><p>Offline analytics for your shop. "
                         "Your data stays on this computer.</p>")
        self.text = QPlainTextEdit("Reading versions and loading models…")
        self.text.setReadOnly(True)
        copy_button = QPushButton("Copy")
        copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(560, 440)
        from merchant_ai.services.about import full_report

        self.task = context.tasks.run(full_report, title="Loading models…", show_progress=False,
                                      on_done=self._show, on_error=self._failed)

    def _show(self, info: dict) -> None:
        self.info = info
        self.text.setPlainText(about_text(info))

    def _failed(self, error: BaseException) -> None:
        self.text.setPlainText(f"Could not read all versions: {error}")
