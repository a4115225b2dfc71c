"""The Inventory page's chart for one product: recent sales and the forecast fan (P10-P90 band,
P50 line) on top; the projected stock with the reorder point and safety stock below."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def make_canvas(parent: QWidget):
    from merchant_ai.ui.widgets.chart_canvas import ChartCanvas

    return ChartCanvas(parent, value_format=lambda y: f"{y:,.1f}", height_inches=4.2)


def draw_product(canvas, reorder_result, sku: str) -> None:
    """Draw `sku`'s history, forecast fan and stock projection on `canvas`."""
    import numpy as np
    import pandas as pd

    forecast = reorder_result.forecast
    i = forecast.index_of(sku)
    line = reorder_result.line(sku)
    figure = canvas.clear()
    sales_ax, stock_ax = figure.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    history = forecast.recent_sales(i)
    sales_ax.plot(history.index, history.to_numpy(), color="#7f7f7f", linewidth=1.0, label="Sold per day")
    if forecast.has_forecast(i):
        dates = forecast.dates
        q = forecast.arrays.quantiles[i]
        sales_ax.fill_between(dates, q[:, 0], q[:, 2], color="#4e79a7", alpha=0.25, step="mid",
                              label="Likely range (P10–P90)")
        sales_ax.plot(dates, q[:, 1], color="#4e79a7", drawstyle="steps-mid", label="Most likely (P50)")
        sales_ax.plot(dates, forecast.arrays.mean[i], color="#f28e2b", linewidth=1.0, label="Expected")
        if line.on_hand is not None:
            on_hand = line.on_hand + (line.on_order or 0.0)
            projected = np.maximum(on_hand - np.cumsum(forecast.arrays.mean[i]), 0)
            start = pd.DatetimeIndex([forecast.as_of - pd.Timedelta(days=1)]).append(dates)
            stock_ax.plot(start, np.r_[on_hand, projected], color="#59a14f", label="Projected stock")
            if line.reorder_point is not None:
                stock_ax.axhline(line.reorder_point, color="#e15759", linestyle="--", label="Reorder point")
                stock_ax.axhline(line.safety_stock, color="#e15759", linestyle=":", alpha=0.6,
                                 label="Safety stock")
            stock_ax.legend(loc="upper right", fontsize=8)
        else:
            stock_ax.text(0.5, 0.5, "Stock on hand unknown", transform=stock_ax.transAxes, ha="center")
    else:
        sales_ax.text(0.5, 0.5, "Not enough history for a forecast", transform=sales_ax.transAxes, ha="center")
    sales_ax.axvline(forecast.as_of, color="#999999", linewidth=0.8)
    sales_ax.set_ylabel("units per day")
    stock_ax.set_ylabel("units in stock")
    sales_ax.set_title(f"{sku} — {line.title or ''}", fontsize=10)
    sales_ax.legend(loc="upper left", fontsize=8)
    canvas.finish()
