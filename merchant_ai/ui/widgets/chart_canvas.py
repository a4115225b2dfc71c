"""A matplotlib chart inside Qt: FigureCanvasQTAgg around a Figure (never pyplot).

- hover: the value under the mouse is shown in a small box (lines: nearest point within a
  few pixels; bars: the bar under the mouse);
- right-click → "Save chart as PNG/PDF…" (or call `save(path)`);
- colours follow the window's palette, so charts look right in light and dark mode.
Import this module only when a chart is about to be drawn (matplotlib costs ~0.7 s).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QSizePolicy, QWidget

HOVER_PIXELS = 12


def _format_x(ax, x: float) -> str:
    if isinstance(ax.xaxis.get_major_formatter(), (mdates.AutoDateFormatter, mdates.ConciseDateFormatter,
                                                    mdates.DateFormatter)):
        return mdates.num2date(x).strftime("%Y-%m-%d")
    return f"{x:,.0f}"


class ChartCanvas(FigureCanvasQTAgg):
    """One chart. Draw on `canvas.figure` (e.g. `ax = canvas.figure.add_subplot()`), then
    `canvas.finish()`. `value_format` turns a y value into text for the hover box."""

    def __init__(self, parent: QWidget | None = None, *, value_format: Callable[[float], str] | None = None,
                 height_inches: float = 3.0) -> None:
        figure = Figure(figsize=(5, height_inches), layout="constrained")
        super().__init__(figure)
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(180)
        self.value_format = value_format or (lambda y: f"{y:,.2f}")
        self._annotation = None
        self._bar_info: dict = {}
        self.hover_text = ""  # last hover text (tests read it)
        self.mpl_connect("motion_notify_event", self._on_motion)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.apply_palette()

    # --- drawing -----------------------------------------------------------------------------
    def clear(self):
        self.figure.clear()
        self._annotation = None
        self._bar_info = {}
        return self.figure

    def label_bars(self, bars, labels, values) -> None:
        """Make bars hoverable: the hover box shows "label: value" for each bar."""
        for bar, label, value in zip(bars, labels, values):
            self._bar_info[bar] = (str(label), float(value))

    def apply_palette(self) -> None:
        # matplotlib gives its canvas a white palette of its own: follow the application's.
        palette = QApplication.palette()
        self._fg = palette.color(QPalette.ColorRole.WindowText).name()
        self._bg = palette.color(QPalette.ColorRole.Base).name()
        self.accent = palette.color(QPalette.ColorRole.Highlight).name()  # the series colour
        self.figure.set_facecolor(self._bg)

    def style_axes(self, ax) -> None:
        """Palette colours, light grid, no top/right spines."""
        ax.set_facecolor(self._bg)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color(self._fg)
        ax.tick_params(colors=self._fg, labelsize=8)
        # Titles placed with loc="left"/"right" are separate Text objects in matplotlib.
        for title in (ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None)):
            if title is not None:
                title.set_color(self._fg)
        ax.yaxis.label.set_color(self._fg)
        ax.grid(True, axis="y", alpha=0.25)

    def finish(self) -> None:
        for ax in self.figure.axes:
            self.style_axes(ax)
        self.draw_idle()

    # --- hover -------------------------------------------------------------------------------
    def hover_at(self, ax, x_px: float, y_px: float) -> str:
        """The text for a point on screen (pixels from bottom-left), or "" when nothing is near."""
        for bar in ax.patches:
            if bar in self._bar_info and bar.contains_point((x_px, y_px)):
                label, value = self._bar_info[bar]
                return f"{label}: {self.value_format(value)}" if label else self.value_format(value)
        best, best_text = float(HOVER_PIXELS), ""
        for line in ax.lines:
            # orig=False: the converted numbers (dates already as matplotlib day numbers).
            xs, ys = line.get_xdata(orig=False), line.get_ydata(orig=False)
            if len(xs) == 0:
                continue
            points = ax.transData.transform(np.column_stack([xs, ys]).astype(float))
            distances = np.abs(points[:, 0] - x_px)
            i = int(distances.argmin())
            if distances[i] < best:
                best = float(distances[i])
                name = line.get_label() if not line.get_label().startswith("_") else ""
                prefix = f"{name}, " if name else ""
                best_text = f"{prefix}{_format_x(ax, float(xs[i]))}: {self.value_format(float(ys[i]))}"
        return best_text

    def _on_motion(self, event) -> None:
        ax = event.inaxes
        text = self.hover_at(ax, event.x, event.y) if ax is not None else ""
        self.hover_text = text
        if self._annotation is not None and self._annotation.axes is not ax:
            self._annotation.remove()
            self._annotation = None
        if ax is not None and text:
            if self._annotation is None:
                self._annotation = ax.annotate(
                    "", xy=(0, 0), xycoords="figure pixels", xytext=(10, 10), textcoords="offset points",
                    fontsize=8, bbox={"boxstyle": "round", "fc": self._bg, "ec": self._fg, "alpha": 0.9},
                    color=self._fg)
            self._annotation.xy = (event.x, event.y)
            self._annotation.set_text(text)
            self._annotation.set_visible(True)
            self.draw_idle()
        elif self._annotation is not None and self._annotation.get_visible():
            self._annotation.set_visible(False)
            self.draw_idle()

    # --- saving ------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Save the chart; the file type follows the suffix (.png or .pdf)."""
        path = Path(path)
        if path.suffix.lower() not in (".png", ".pdf"):
            path = path.with_suffix(".png")
        if self._annotation is not None:
            self._annotation.set_visible(False)
        self.figure.savefig(path, dpi=150, facecolor=self.figure.get_facecolor())
        return path

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction("Save chart as PNG/PDF…", self.ask_and_save)
        menu.exec(self.mapToGlobal(pos))

    def ask_and_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save chart", "chart.png", "PNG image (*.png);;PDF (*.pdf)")
        if path:
            self.save(path)
