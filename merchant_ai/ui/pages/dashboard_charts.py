"""The dashboard's six charts, drawn from DashboardData (matplotlib loads on first draw)."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

CHARTS = [
    ("revenue", "Revenue (after refunds)"), ("orders", "Orders"),
    ("average_order_value", "Average order value"), ("units", "Units sold"),
    ("top_products", "Top products by revenue"), ("customers", "New and returning customers"),
]


class ChartGrid(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.canvases: dict = {}
        self.grid = QGridLayout(self)

    def _ensure_canvases(self, currency_format) -> None:
        if self.canvases:
            return
        from merchant_ai.ui.widgets.chart_canvas import ChartCanvas

        count_format = lambda y: f"{y:,.0f}"
        formats = {"revenue": currency_format, "average_order_value": currency_format, "top_products": currency_format}
        for i, (key, _title) in enumerate(CHARTS):
            canvas = ChartCanvas(self, value_format=formats.get(key, count_format))
            canvas.setMinimumHeight(260)
            self.canvases[key] = canvas
            self.grid.addWidget(canvas, i // 2, i % 2)

    def draw(self, data) -> None:
        from merchant_ai.ui.pages.dashboard_page import money

        currency = data.totals.get("currency")
        self._ensure_canvases(lambda y: money(y, currency))
        titles = dict(CHARTS)
        series = data.over_time
        width_days = {"day": 0.8, "week": 5.6, "month": 24}[data.frequency]
        for key in ("revenue", "orders", "average_order_value", "units"):
            canvas = self.canvases[key]
            canvas.apply_palette()
            ax = canvas.clear().add_subplot()
            if data.frequency == "day":
                ax.plot(series["period"], series[key], color=canvas.accent, linewidth=1.4, label=titles[key])
            else:
                # a period that is not over yet is drawn dashed with a hollow point: its dip is not a slump
                whole = len(series) - 1 if data.last_period_days and len(series) > 1 else len(series)
                ax.plot(series["period"][:whole], series[key][:whole], color=canvas.accent, linewidth=1.6,
                        marker="o", markersize=3, label=titles[key])
                if whole < len(series):
                    ax.plot(series["period"][whole - 1:], series[key][whole - 1:], color=canvas.accent,
                            linewidth=1.4, linestyle="--")
                    ax.plot(series["period"][whole:], series[key][whole:], linestyle="none", marker="o",
                            markersize=4, markerfacecolor="none", color=canvas.accent)
                ax.fill_between(series["period"], series[key].fillna(0), color=canvas.accent, alpha=0.08)
            ax.set_title(titles[key], loc="left", fontsize=10)
            ax.set_xlim(series["period"].min() - _days(width_days / 2), series["period"].max() + _days(width_days / 2))
            _date_axis(ax)
            canvas.finish()

        canvas = self.canvases["top_products"]
        canvas.apply_palette()
        ax = canvas.clear().add_subplot()
        top = data.top_products.iloc[::-1]
        labels = [str(t)[:28] for t in top["title"].fillna(top["sku"])]
        bars = ax.barh(labels, top["revenue"], color=canvas.accent)
        canvas.label_bars(bars, labels, top["revenue"])
        ax.set_title(titles["top_products"], loc="left", fontsize=10)
        ax.tick_params(axis="y", labelsize=7)
        canvas.finish()

        canvas = self.canvases["customers"]
        canvas.apply_palette()
        ax = canvas.clear().add_subplot()
        customers = data.customers
        new_bars = ax.bar(customers["period"], customers["new_customers"], width=width_days, color="#e0a458",
                          label="New")
        old_bars = ax.bar(customers["period"], customers["returning_customers"], width=width_days,
                          bottom=customers["new_customers"], color=canvas.accent, label="Returning")
        days = [f"{p:%Y-%m-%d}" for p in customers["period"]]
        canvas.label_bars(new_bars, [f"{d}, new customers" for d in days], customers["new_customers"])
        canvas.label_bars(old_bars, [f"{d}, returning" for d in days], customers["returning_customers"])
        ax.set_title(titles["customers"], loc="left", fontsize=10)
        ax.legend(fontsize=8, frameon=False, labelcolor=canvas._fg)
        _date_axis(ax)
        canvas.finish()


def _days(n: float):
    import pandas as pd

    return pd.Timedelta(days=n)


def _date_axis(ax) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
