""""How accurate is this on my shop?" for the forecast: the shared panel plus a chart of the
checked four weeks, shop-wide units per day: what sold, the forecast, and seasonal naive."""

from __future__ import annotations

from merchant_ai.ui.widgets.accuracy_panel import AccuracyPanel


def _daily_totals(store, as_of, *, progress, cancel):
    import pandas as pd

    from merchant_ai.services.forecast.backtest import daily_totals

    progress(0.2, "Comparing day by day…")
    return daily_totals(store, pd.Timestamp(as_of))


class ForecastAccuracyPanel(AccuracyPanel):
    """After a check, also draws forecast vs actual vs seasonal naive per day."""

    def __init__(self, context, parent=None) -> None:
        from merchant_ai.services.forecast.backtest import FORECAST_BACKTEST
        from merchant_ai.ui.widgets.chart_canvas import ChartCanvas

        super().__init__(context, FORECAST_BACKTEST, parent)
        self.chart_task = None
        self.canvas = ChartCanvas(self, value_format=lambda y: f"{y:,.0f} units", height_inches=2.2)
        self.canvas.setVisible(False)
        self.canvas.setMinimumHeight(140)
        self.table.setMaximumHeight(130)  # the chart says the same day by day; keep the page's list visible
        self.layout().addWidget(self.canvas)

    def _show(self, result) -> None:
        super()._show(result)
        self.chart_task = self.context.run_on_store(_daily_totals, result.as_of, show_progress=False,
                                                    title="Comparing day by day…", on_done=self._draw,
                                                    on_error=self._failed)

    def _draw(self, frame) -> None:
        ax = self.canvas.clear().add_subplot()
        ax.plot(frame["date"], frame["actual"], color="#333333", label="Sold")
        ax.plot(frame["date"], frame["mean"], color="#4e79a7", label="Forecast (expected)")
        ax.plot(frame["date"], frame["seasonal_naive"], color="#e15759", linestyle="--",
                label="Seasonal naive")
        ax.set_ylabel("units / day (shop)")
        ax.legend(loc="upper left", fontsize=8)
        self.canvas.setVisible(True)
        self.canvas.finish()
