"""The skeleton every analysis page shares, so that each page only says what it loads and how
it shows it.

The base gives: the title (the page's word in merchant_ai.capabilities), a status line, the
sentence shown while there is no store, one load at a time (a reload while loading returns the
running task), `busy()` for the self-test and tests, plain error sentences, the capability's
"How accurate is this on my shop?" panel, and remembering today's run for the dashboard card
(a short writing task after the read-only load).

A page sets `page_key`, the sentences `empty_store_text`, `loading_text`, `failed_text`, a
`loader(store, *args, progress, cancel)` (a plain function: it runs on a worker thread), and
overrides `build(layout)` and `show_result(result)`. With `remembers = True` the loader returns
(result, PendingRun) and the run is kept after the page has shown the result.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from merchant_ai.errors import MerchantError

log = logging.getLogger("merchant_ai.ui")


def _owner(page_key: str):
    """(capability, page) of a page key in the capability table."""
    from merchant_ai.capabilities import CAPABILITIES

    for entry in CAPABILITIES:
        for page in entry.pages:
            if page.key == page_key:
                return entry, page
    raise KeyError(f"no capability has the page '{page_key}'")


def _remember(store, run, *, progress, cancel) -> None:
    from merchant_ai.services.remembered import save

    save(store, run)


class AnalysisPage(QWidget):
    page_key = ""
    empty_store_text = "Import your orders first: this page learns from your own history."
    loading_text = "Working it out…"
    failed_text = "This could not be worked out (details in the log)."
    loader = None                 # a plain function; see the module docstring
    remembers = False
    accuracy_capability: str | None = None   # default: the page's own capability

    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.task = None
        self.result = None
        self._handles: list = []
        self.capability, self.page_entry = _owner(self.page_key)
        self.status = QLabel(self.loading_text)
        self.status.setWordWrap(True)
        self.accuracy = self.make_accuracy_panel()
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(QLabel(f"<h2>{self.page_entry.label}</h2>"))
        layout.addWidget(self.status)
        layout.addLayout(self.body, 1)
        self.build(self.body)
        if self.accuracy is not None and self.accuracy.parentWidget() is None:
            layout.addWidget(self.accuracy)  # the page did not place it: under everything
        context.store_changed.connect(self.reload)
        self.reload()

    # --- what a page declares -------------------------------------------------------------------
    def build(self, layout: QVBoxLayout) -> None:
        """Add the page's widgets to `layout` (between the status line and the accuracy panel)."""

    def load_args(self) -> tuple:
        """Extra arguments for `loader` on the next load."""
        return ()

    def show_result(self, result) -> None:
        """Show what `loader` returned (on the GUI thread)."""

    def make_accuracy_panel(self):
        from merchant_ai.capabilities import capability

        entry = capability(self.accuracy_capability) if self.accuracy_capability else self.capability
        if not entry.backtest:
            return None
        from merchant_ai.capabilities import load
        from merchant_ai.ui.widgets.accuracy_panel import AccuracyPanel

        return AccuracyPanel(self.context, load(entry.backtest))  # placed by build(), or under it

    # --- the shared skeleton --------------------------------------------------------------------
    def track(self, handle):
        """Count a task of the page's own in `busy()`; returns it."""
        self._handles = [h for h in self._handles if not h.done] + [handle]
        return handle

    def reload(self, *args):
        if not self.context.store_exists():
            self.status.setText(self.empty_store_text)
            return None
        if self.task is not None and not self.task.done:
            return self.task
        self.status.setText(self.loading_text)
        self.task = self.track(self.context.run_on_store(
            type(self).loader, *self.load_args(), show_progress=False, title=self.loading_text,
            on_done=self._loaded, on_error=self.failed))
        return self.task

    def _loaded(self, loaded) -> None:
        if self.remembers:
            loaded, run = loaded
            self.track(self.context.run_on_store(_remember, run, writes=True, show_progress=False,
                                                 title="Remembering the result…", on_error=self._not_remembered))
        self.result = loaded
        self.show_result(loaded)

    def _not_remembered(self, error: BaseException) -> None:
        # the page already shows the result; the dashboard card will simply work it out again
        log.warning("%s: result not remembered: %r", self.page_key, error)

    def failed(self, error: BaseException) -> None:
        """A plain sentence in the status line (typed errors say what is wrong); a real bug also
        goes to the error dialog (and so counts in the self-test)."""
        self.status.setText(error.message if isinstance(error, MerchantError) else self.failed_text)
        if not isinstance(error, MerchantError):
            self.context.show_error(error)

    def busy(self) -> bool:
        if any(not handle.done for handle in self._handles):
            return True
        return any(child.busy() for child in self.findChildren(QWidget)
                   if child is not self and callable(getattr(child, "busy", None)))
