"""Light/dark following the system, and SVG icons drawn in the palette's text colour.

Qt 6.5+ reports the system colour scheme; with the Fusion style we build the matching
palette ourselves so Windows, macOS and Linux look alike. Icons are monochrome SVGs in
resources/icons using `currentColor`, recoloured per palette and rendered crisp at any DPI.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from merchant_ai.resources import resource_path

ACCENT = "#2f6f5e"  # also the charts' series colour (palette Highlight)


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2b2d30",
        QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#3d8c76",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2b2d30",
        QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b6f74"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b6f74"))
    return palette


def light_palette() -> QPalette:
    palette = QApplication.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    return palette


def apply_theme(app: QApplication, choice: str = "system") -> None:
    """choice: "system" (follow the OS, live), "light" or "dark"."""
    app.setStyle("Fusion")
    dark = system_is_dark() if choice == "system" else choice == "dark"
    app.setPalette(dark_palette() if dark else light_palette())
    icon.cache_clear()


def follow_system_theme(app: QApplication, current_choice) -> None:
    """Re-apply the palette when the OS switches between light and dark."""
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: current_choice() == "system" and apply_theme(app, "system"))


@lru_cache(maxsize=64)
def icon(name: str, size: int = 24) -> QIcon:
    """The SVG icon `resources/icons/<name>.svg` in the palette's text colour (HiDPI-sharp)."""
    path = resource_path("icons", f"{name}.svg")
    svg = path.read_text(encoding="utf-8")
    app = QApplication.instance()
    color = app.palette().color(QPalette.ColorRole.WindowText).name() if app else "#444444"
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", color).encode("utf-8")))
    result = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        result.addPixmap(pixmap)
    return result


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "app.svg")))
