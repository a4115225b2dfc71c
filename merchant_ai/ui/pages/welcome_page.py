"""First run: import your own exports, or explore a demo store."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from merchant_ai.ui.theme import app_icon, icon


class WelcomePage(QWidget):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(72, 72)))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("<h1>Welcome to Merchant AI</h1>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro = QLabel(
            "See what to reorder, what to recommend, which prices to change, which orders look risky "
            "and which customers are slipping away — worked out on this computer from your own "
            "store exports. Nothing leaves the machine.")
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro.setFixedWidth(620)
        intro.setMinimumHeight(intro.heightForWidth(620))  # an aligned label is not given its wrapped height
        self.import_button = QPushButton(icon("import", 32), "  Import my store exports")
        self.demo_button = QPushButton(icon("demo", 32), "  Explore with a demo store")
        for button in (self.import_button, self.demo_button):
            button.setIconSize(QSize(28, 28))
            button.setMinimumSize(280, 64)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.pick_files)
        self.demo_button.clicked.connect(self.open_demo)
        hint = QLabel("Shopify, WooCommerce, Square, Etsy, Amazon or any spreadsheet (CSV/XLSX). "
                      "You can also drop the files anywhere on this window.")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet("color: palette(placeholder-text);")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(logo)
        layout.addWidget(title)
        layout.addWidget(intro, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addSpacing(12)
        layout.addWidget(hint)
        layout.addStretch(3)

    def pick_files(self) -> None:
        from merchant_ai.ui.store_actions import pick_export_files

        files = pick_export_files(self)
        if files:
            self.context.import_requested.emit(files)

    def open_demo(self):
        from merchant_ai.ui.store_actions import open_demo_store

        return open_demo_store(self.context)
