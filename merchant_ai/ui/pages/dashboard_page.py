"""Dashboard: sales over time, top products, new vs returning customers, capability cards.

Numbers come from merchant_ai.services.dashboard.service, computed off the GUI thread; charts are
drawn when the numbers arrive (matplotlib is imported in the worker, not at startup).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from merchant_ai.ui.pages.dashboard_charts import ChartGrid

PRESETS = [("Last 12 months", 364), ("Last 90 days", 89), ("Last 30 days", 29), ("All time", None),
           ("Custom", -1)]


def _load(store, start, end, frequency, *, progress, cancel):
    # Load the plotting library here, off the GUI thread, so drawing does not stall.
    import matplotlib.backends.backend_qtagg
    import matplotlib.figure  # noqa: F401

    from merchant_ai.services.dashboard.service import dashboard_data, date_bounds

    return date_bounds(store), dashboard_data(store, start, end, frequency, progress=progress, cancel=cancel)


def _cards(store, *, progress, cancel):
    from merchant_ai.services.dashboard.cards import card_summaries

    return card_summaries(store)


def _remember(store, runs, *, progress, cancel) -> int:
    from merchant_ai.services.dashboard.cards import remember_runs

    return remember_runs(store, runs)


def money(value, currency: str | None) -> str:
    if value is None:
        return "–"
    symbol = {"GBP": "£", "EUR": "€", "USD": "$"}.get(currency or "", "")
    return f"{symbol}{value:,.2f}" if symbol else f"{value:,.2f} {currency or ''}".strip()


class Card(QFrame):
    """A clickable card: title, headline, one line of detail."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("card")
        # Cards share the row's width and wrap their text instead of widening the page.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title = QLabel(f"<b>{title}</b>")
        self.headline = QLabel("…")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 17px;")
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("color: palette(placeholder-text);")
        self.button: QPushButton | None = None
        self.layout_ = QVBoxLayout(self)
        for widget in (self.title, self.headline, self.detail):
            self.layout_.addWidget(widget)

    def set_text(self, headline: str, detail: str = "") -> None:
        self.headline.setText(headline)
        self.detail.setText(detail)

    def link_to(self, text: str, callback) -> None:
        self.button = QPushButton(text)
        self.button.setFlat(True)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(callback)
        self.layout_.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)


class DashboardPage(QWidget):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.task = None
        self.cards_task = None
        self._cards_wanted = False
        self.data = None
        self.bounds = None
        self.preset = QComboBox()
        for label, days in PRESETS:
            self.preset.addItem(label, days)
        self.start_edit = QDateEdit(calendarPopup=True)
        self.end_edit = QDateEdit(calendarPopup=True)
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._custom_dates)
        self.frequency = QComboBox()
        for label in ("day", "week", "month"):
            self.frequency.addItem(f"by {label}", label)
        self.frequency.setCurrentIndex(1)
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.reload)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.frequency.currentIndexChanged.connect(lambda _i: self._debounce.start())

        self.status = QLabel("Loading your sales…")
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.kpis = {key: Card(label) for key, label in [("revenue", "Revenue (after refunds)"), ("orders", "Orders"),
                                                          ("average_order_value", "Average order value"),
                                                          ("units", "Units sold")]}
        self.capability_cards: dict[str, Card] = {}
        self.cards_row = QHBoxLayout()
        self.charts = ChartGrid(self)

        top = QHBoxLayout()
        for widget in (self.preset, QLabel("from"), self.start_edit, QLabel("to"), self.end_edit, self.frequency):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        kpi_row = QHBoxLayout()
        for card in self.kpis.values():
            kpi_row.addWidget(card)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(QLabel("<h2>Dashboard</h2>"))
        layout.addLayout(top)
        layout.addLayout(kpi_row)
        layout.addLayout(self.cards_row)
        layout.addWidget(self.charts, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        context.store_changed.connect(self.reload_all)
        self.reload_all()

    # --- loading ---------------------------------------------------------------------------------
    def reload_all(self) -> None:
        self.bounds = None
        self._cards_wanted = True  # after the sales figures: the cards run whole analyses
        self.reload()

    def _range(self):
        days = self.preset.currentData()
        if self.bounds is None or days == -1:
            if self.bounds is None:
                return None, None
            return self.start_edit.date().toPython(), self.end_edit.date().toPython()
        from merchant_ai.services.dashboard.service import period_start

        end = self.bounds[1]
        start = self.bounds[0] if days is None else max(self.bounds[0], end - timedelta(days=days))
        return period_start(start, self.frequency.currentData()), end

    def reload(self):
        if not self.context.store_exists():
            self._cards_wanted = False
            return None
        if self.task is not None and not self.task.done:
            self._debounce.start()  # a newer request comes after the running one
            return self.task
        start, end = self._range()
        self.status.setText("Loading your sales…")
        self.task = self.context.run_on_store(_load, start, end, self.frequency.currentData(),
                                              title="Adding up your sales…", show_progress=False,
                                              on_done=self._loaded, on_error=self._failed)
        return self.task

    def reload_cards(self):
        if not self.context.store_exists():
            return None
        self.cards_task = self.context.run_on_store(_cards, title="Summarising the analyses…", show_progress=False,
                                                    on_done=self._show_cards)
        return self.cards_task

    def _preset_changed(self, _index: int) -> None:
        custom = self.preset.currentData() == -1
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        self._debounce.start()

    def _custom_dates(self) -> None:
        if self.preset.currentData() == -1:
            self._debounce.start()

    # --- showing ---------------------------------------------------------------------------------
    def _loaded(self, payload) -> None:
        self.bounds, data = payload
        self.data = data
        if self._cards_wanted:
            self._cards_wanted = False
            self.reload_cards()
        if data is None:
            self.status.setText("There are no orders in this store yet. Import your store exports to see your sales.")
            return
        for edit, value in ((self.start_edit, data.start), (self.end_edit, data.end)):
            edit.blockSignals(True)
            edit.setDate(QDate(value.year, value.month, value.day))
            edit.blockSignals(False)
        totals = data.totals
        status = f"{data.start:%d %b %Y} – {data.end:%d %b %Y}, {data.frequency}ly."
        if data.last_period_days:
            covered, length = data.last_period_days
            status += f" The last {data.frequency} has {covered} of its {length} days so far (dashed)."
        self.status.setText(status)
        self.kpis["revenue"].set_text(money(totals["revenue"], totals["currency"]))
        self.kpis["orders"].set_text(f"{totals['orders']:,}")
        self.kpis["average_order_value"].set_text(money(totals["average_order_value"], totals["currency"]))
        self.kpis["units"].set_text(f"{totals['units']:,.0f}")
        self.charts.draw(data)

    def _failed(self, error: BaseException) -> None:
        self._cards_wanted = False
        self.status.setText("Your sales could not be added up.")
        self.context.show_error(error)

    def _show_cards(self, loaded) -> None:
        cards, runs = loaded
        if runs:  # what the cards worked out: kept, so the next dashboard is quick (a short write)
            self.cards_task = self.context.run_on_store(_remember, runs, writes=True, show_progress=False,
                                                        title="Remembering the cards…", on_error=lambda _e: None)
        while self.cards_row.count():
            item = self.cards_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.capability_cards = {}
        for info in cards:
            card = Card(info["title"])
            card.set_text(info["headline"], info["detail"])
            card.link_to("Open →", lambda _=False, page=info["page"]: self.context.navigate_requested.emit(page))
            self.capability_cards[info["capability"]] = card
            self.cards_row.addWidget(card)

    def busy(self) -> bool:
        return (any(t is not None and not t.done for t in (self.task, self.cards_task)) or self._debounce.isActive()
                or self._cards_wanted)
