"""The pricing page's what-if panel: a price slider, the demand and profit curves with their
band (from the elasticity's 90% interval) and the chosen point."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
)

SLIDER_RANGE = 0.3     # the slider explores +-30% around today's price
SLIDER_STEPS = 120


class PricingWhatIf(QGroupBox):
    """Shows one product; `competitor_price_set(sku, price or 0)` asks the page to save a rule."""

    competitor_price_set = Signal(str, float)

    def __init__(self, parent=None) -> None:
        super().__init__("What if I charge…", parent)
        self.row: dict | None = None
        self.canvas = None
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.valueChanged.connect(lambda _v: self._update())
        self.price_label = QLabel("Pick a product in the table.")
        self.price_label.setWordWrap(True)
        self.price_label.setTextFormat(Qt.TextFormat.RichText)
        self.competitor = QDoubleSpinBox()
        self.competitor.setRange(0.0, 1_000_000.0)
        self.competitor.setDecimals(2)
        self.competitor.setSpecialValueText("none")
        self.competitor.setToolTip("A competitor's price for this product (none = no competitor rule)")
        self.save_competitor = QPushButton("Use competitor price")
        self.save_competitor.clicked.connect(self._emit_competitor)
        self.chart_box = QVBoxLayout()
        competitor_row = QHBoxLayout()
        competitor_row.addWidget(QLabel("Competitor's price:"))
        competitor_row.addWidget(self.competitor)
        competitor_row.addWidget(self.save_competitor)
        competitor_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.chart_box, 1)
        layout.addWidget(self.slider)
        layout.addWidget(self.price_label)
        layout.addLayout(competitor_row)

    # --- data in -------------------------------------------------------------------------------
    def set_product(self, row: dict, competitor_price: float | None) -> None:
        """Show one product (a row of PricingResult.products as a dict)."""
        self.row = row
        self.competitor.setValue(competitor_price or 0.0)
        suggested = float(row["suggested_price"])
        self.slider.blockSignals(True)
        self.slider.setValue(self._position(suggested))
        self.slider.blockSignals(False)
        self._update()

    def chosen_price(self) -> float | None:
        if self.row is None:
            return None
        current = float(self.row["current_price"])
        fraction = self.slider.value() / SLIDER_STEPS
        return round(current * (1 - SLIDER_RANGE + 2 * SLIDER_RANGE * fraction), 2)

    def _position(self, price: float) -> int:
        current = float(self.row["current_price"])
        fraction = (price / current - (1 - SLIDER_RANGE)) / (2 * SLIDER_RANGE)
        return round(min(max(fraction, 0.0), 1.0) * SLIDER_STEPS)

    def _emit_competitor(self) -> None:
        if self.row is not None:
            self.competitor_price_set.emit(str(self.row["sku"]), float(self.competitor.value()))

    # --- drawing -------------------------------------------------------------------------------
    def _curves(self, prices):
        from merchant_ai.services.pricing.optimizer import what_if_curves

        row = self.row
        cost = row.get("unit_cost")
        cost = None if cost is None or (isinstance(cost, float) and math.isnan(cost)) else float(cost)
        return what_if_curves(float(row["current_price"]), cost, float(row["weekly_units"] or 0.0),
                              float(row["elasticity"]), float(row["elasticity_low"]),
                              float(row["elasticity_high"]), prices)

    def _update(self) -> None:
        if self.row is None:
            return
        import numpy as np

        row = self.row
        current, suggested, chosen = float(row["current_price"]), float(row["suggested_price"]), self.chosen_price()
        grid = np.linspace(current * (1 - SLIDER_RANGE), current * (1 + SLIDER_RANGE), 61)
        curves = self._curves(grid)
        points = self._curves(np.array([current, suggested, chosen])).to_dict(orient="records")
        self._draw(curves, points)
        now, _, pick = points
        money = "profit" if row.get("objective") == "profit" else "revenue"
        self.price_label.setText(
            f"<b>{row['sku']}</b> {row.get('title') or ''} — at <b>{chosen:.2f}</b>: about "
            f"{pick['units']:.1f} sold a week ({pick['units_low']:.1f}–{pick['units_high']:.1f}), "
            f"{money} {pick['profit']:.2f} a week ({pick['profit_low']:.2f}–{pick['profit_high']:.2f}). "
            f"Today at {current:.2f}: {now['units']:.1f} a week, {money} {now['profit']:.2f}. "
            f"Suggested: {suggested:.2f}. Elasticity {float(row['elasticity']):.2f} "
            f"({float(row['elasticity_low']):.2f} to {float(row['elasticity_high']):.2f}), "
            f"{row.get('elasticity_source')}.<br>Why: {row.get('reason')}")

    def _draw(self, curves, points) -> None:
        from merchant_ai.ui.widgets.chart_canvas import ChartCanvas

        if self.canvas is None:
            self.canvas = ChartCanvas(self, value_format=lambda y: f"{y:,.2f}", height_inches=2.6)
            self.chart_box.addWidget(self.canvas)
        figure = self.canvas.clear()
        money = "Profit" if self.row.get("objective") == "profit" else "Revenue"
        for position, (key, title) in enumerate([("units", "Units a week"), ("profit", f"{money} a week")]):
            ax = figure.add_subplot(1, 2, position + 1)
            ax.fill_between(curves["price"], curves[f"{key}_low"], curves[f"{key}_high"], alpha=0.2,
                            color="tab:blue", label="_band")
            ax.plot(curves["price"], curves[key], color="tab:blue", label=title)
            now, suggested, chosen = points
            markers = [ax.plot([now["price"]], [now[key]], "o", color="grey", label="Today")[0],
                       ax.plot([suggested["price"]], [suggested[key]], "D", color="tab:green", label="Suggested")[0]]
            ax.axvline(chosen["price"], color="tab:orange", linewidth=1)
            markers.append(ax.plot([chosen["price"]], [chosen[key]], "o", color="tab:orange", label="Chosen")[0])
            ax.set_title(title, fontsize=9)
            if position == 0:
                ax.legend(handles=markers, fontsize=7, frameon=False, loc="upper right")
            ax.set_xlabel("Price", fontsize=8)
        self.canvas.finish()
