"""An honest page for a capability that has not been built yet: no numbers, just words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class NotBuiltPage(QWidget):
    """Title, one sentence of what the page will do, and that it is not built yet."""

    title = "Not built yet"
    promise = ""

    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        heading = QLabel(f"<h2>{self.title}</h2>")
        body = QLabel(f"<p>{self.promise}</p><p><b>This part of Merchant AI is not built yet.</b> "
                      "Nothing here is calculated from your data, so nothing is shown.</p>")
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
