"""Customer page helpers: the segment map chart and the card of one customer (order timeline
with the predicted next order)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from merchant_ai.ui.widgets.chart_canvas import ChartCanvas


def draw_segment_map(canvas: ChartCanvas, segments, movement) -> None:
    """Two bar charts: customers per segment (with the net change since the previous period)
    and value per segment (spent so far and expected in the next 12 months)."""
    import numpy as np

    shown = segments.loc[segments["customers"] > 0].sort_values("customers")
    arrived = movement.groupby("to_segment")["customers"].sum()
    left = movement.groupby("from_segment")["customers"].sum()
    net = (arrived.reindex(shown["segment"]).fillna(0) - left.reindex(shown["segment"]).fillna(0)).to_numpy()
    figure = canvas.clear()
    size_ax, value_ax = figure.subplots(1, 2, sharey=True)
    positions = np.arange(len(shown))
    bars = size_ax.barh(positions, shown["customers"], color="#4C78A8")
    canvas.label_bars(bars, [f"{s} ({n:+.0f} in 90 days)" for s, n in zip(shown["segment"], net)], shown["customers"])
    for y, count, change in zip(positions, shown["customers"], net):
        size_ax.text(count, y, f"  {count:,}  ({change:+.0f})", va="center", fontsize=7, color=canvas._fg)
    size_ax.set_yticks(positions, shown["segment"])
    size_ax.set_title("Customers (change since 90 days ago)", fontsize=9)
    historic = shown["historic_value"].to_numpy(dtype=float)
    future = shown["clv_365d"].fillna(0).to_numpy(dtype=float)
    spent = value_ax.barh(positions, historic, color="#72B7B2", label="spent so far")
    expected = value_ax.barh(positions, future, left=historic, color="#F58518", label="expected next 12 months")
    canvas.label_bars(spent, [f"{s} spent so far" for s in shown["segment"]], historic)
    canvas.label_bars(expected, [f"{s} expected next 12 months" for s in shown["segment"]], future)
    value_ax.set_title("Value", fontsize=9)
    value_ax.legend(fontsize=7, loc="lower right")
    size_ax.margins(x=0.35)
    canvas.finish()


class CustomerCard(QWidget):
    """Who the customer is to the shop: segment and rule, key numbers, order timeline."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.summary = QLabel("Pick a customer to see their card.")
        self.summary.setWordWrap(True)
        self.canvas = ChartCanvas(self, value_format=lambda y: f"{y:,.2f}", height_inches=2.2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.canvas, 1)

    def show_customer(self, row: dict, rule: str, orders, currency: str | None) -> None:
        """`row`: the customer's line of the insight table; `orders`: their order timeline."""
        import pandas as pd

        money = (lambda v: "-" if pd.isna(v) else f"{v:,.2f} {currency or ''}".strip())
        chance = "-" if pd.isna(row["p_active_90d"]) else f"{row['p_active_90d']:.0%}"
        gap = "-" if pd.isna(row["avg_days_between_orders"]) else f"{row['avg_days_between_orders']:.0f} days"
        self.summary.setText(
            f"<b>{row['customer_id']}</b> — <b>{row['segment']}</b>: {rule}.<br>"
            f"{int(row['orders_count'] or 0)} orders since {row['first_order_date']}, last {row['last_order_date']}; "
            f"average {gap} between orders.<br>Spent {money(row['historic_value'])}; chance of an order in the "
            f"next 90 days {chance}; expected next 12 months {money(row['clv_365d'])}; lifetime value "
            f"(so far + next 12 months) {money(row['predicted_lifetime_value'])}; next order expected "
            f"{row['next_order_date'] if pd.notna(row['next_order_date']) else 'not within a year'}.")
        ax = self.canvas.clear().add_subplot()
        if len(orders):
            ax.vlines(orders["created_at"], 0, orders["amount"], color="#4C78A8", linewidth=1.5)
            ax.plot(orders["created_at"], orders["amount"], "o", color="#4C78A8", label="orders")
        if pd.notna(row["next_order_date"]):
            when = pd.Timestamp(row["next_order_date"])
            ax.axvline(when, color="#F58518", linestyle="--", label=f"expected next order {when:%d %b %Y}")
        ax.set_title("Orders (value) and the predicted next order", fontsize=9)
        ax.legend(fontsize=7, loc="upper left")
        self.canvas.finish()
