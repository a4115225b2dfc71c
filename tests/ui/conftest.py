"""GUI test fixtures: a main window on a private demo store, isolated settings, and a check
that no worker thread outlives its test."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    """Factory: a shown main window on `store_path`; closed and its workers joined afterwards."""
    from merchant_ai.ui.app import build_window

    made = []

    def make(store_path):
        context, window = build_window(store_path, settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append((context, window))
        return context, window

    yield make
    for context, window in made:
        window.close()
        context.tasks.shutdown()
        assert context.tasks._pool.activeThreadCount() == 0, "a background task outlived its test"


@pytest.fixture
def app_window(make_window, demo_store):
    """(context, window) on a private copy of the demo store."""
    return make_window(demo_store)


@pytest.fixture(autouse=True)
def _no_capability_cards(monkeypatch):
    """The dashboard's capability cards run other engineers' analyses (seconds each); GUI tests
    of the frame do not need them. test_dashboard checks the card mechanism on its own."""
    monkeypatch.setattr("merchant_ai.capabilities.cards", list)


@pytest.fixture(autouse=True)
def _no_dangling_threads():
    before = set(threading.enumerate())
    yield
    extra = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    assert not extra, f"threads left running: {extra}"


GENERIC_HEADER = ["Invoice", "Day", "Item code", "Item", "Qty", "Price each", "Client"]
GENERIC_MAPPING = {"order_id": "Invoice", "created_at": "Day", "sku": "Item code", "title": "Item",
                   "quantity": "Qty", "unit_price": "Price each", "customer_id": "Client"}


def write_generic_file(path, n_lines: int, *, first_order: int = 1, lines_per_order: int = 2):
    """A spreadsheet in the shop's own layout (needs its columns matched), `n_lines` lines."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(n_lines + first_order)
    order = first_order + np.arange(n_lines) // lines_per_order
    days = pd.Timestamp("2025-01-01") + pd.to_timedelta(order % 600, unit="D")
    sku = rng.integers(1, 400, n_lines)
    frame = pd.DataFrame({
        "Invoice": [f"INV{o}" for o in order], "Day": days.strftime("%d/%m/%Y"),
        "Item code": [f"P{s:04d}" for s in sku], "Item": [f"Product {s}" for s in sku],
        "Qty": rng.integers(1, 5, n_lines), "Price each": np.round(rng.uniform(2, 40, n_lines), 2),
        "Client": [f"C{c}" for c in rng.integers(1, 5000, n_lines)],
    })
    frame.to_csv(path, index=False)
    return path


def wait_tasks(qtbot, context, timeout_ms: int = 60_000) -> None:
    """Wait until every background task of the window has finished and delivered its result."""
    qtbot.waitUntil(lambda: not context.tasks.busy(), timeout=timeout_ms)


def wait_page(qtbot, context, page, timeout_ms: int = 60_000) -> None:
    qtbot.waitUntil(lambda: not context.tasks.busy() and not getattr(page, "busy", lambda: False)(),
                    timeout=timeout_ms)
