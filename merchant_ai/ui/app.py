"""Start the desktop app: QApplication, settings, theme, the main window.

Only light modules are imported before the window is on screen; pages, charts, pandas-heavy
services and onnxruntime load when first needed (cold start target: < 1.5 s).
Environment switches (for benchmarks and support):
- MERCHANT_AI_STARTUP_PROBE=1: print {"startup_seconds": (window shown), "dashboard_numbers_seconds":
  (the dashboard's figures arrived)} and quit.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

PROBE_ENV = "MERCHANT_AI_STARTUP_PROBE"


def parse_app_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="merchant-ai", add_help=False)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--self-test", dest="self_test", action="store_true")
    parser.add_argument("--db")
    args, _unknown = parser.parse_known_args(argv)
    return args


def needs_offscreen() -> bool:
    """No screen to draw on (CI, ssh): render offscreen instead of failing."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def choose_store_path(args: argparse.Namespace, settings) -> Path:
    """--db, then MERCHANT_AI_DB, then --demo, then the store used last time, else the default."""
    from merchant_ai.store.paths import default_db_path
    from merchant_ai.ui.store_actions import demo_store_path

    if args.db:
        return Path(args.db)
    if os.environ.get("MERCHANT_AI_DB"):
        return Path(os.environ["MERCHANT_AI_DB"])
    if args.demo:
        return demo_store_path()
    last = settings.value("store/last_path")
    if last and Path(str(last)).exists():
        return Path(str(last))
    return default_db_path()


def make_settings():
    """QSettings in an ini file in the data folder (tests and MERCHANT_AI_HOME stay isolated)."""
    from PySide6.QtCore import QSettings

    from merchant_ai.store.paths import data_dir

    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def build_window(store_path: Path, settings=None, *, record_error=None):
    """The context and main window (not shown). Used by run_app, the self-test and the tests."""
    from merchant_ai.ui.context import AppContext
    from merchant_ai.ui.error_dialog import show_error
    from merchant_ai.ui.main_window import MainWindow
    from merchant_ai.ui.tasks import TaskRunner

    settings = settings or make_settings()
    tasks = TaskRunner()
    context = AppContext(store_path, settings, tasks)
    window = MainWindow(context)
    tasks._dialog_parent = lambda: window

    def report(error: BaseException) -> None:
        if record_error is not None:
            record_error(error)
        show_error(error, window)

    tasks.default_on_error = report
    context.show_error = report
    return context, window


def _install_startup_probe(window, context, process_start: float) -> None:
    """Print when the window is shown and when the dashboard has its numbers, then quit."""
    from PySide6.QtCore import QTimer

    marks: dict[str, float] = {}

    def dashboard_ready() -> None:
        page = window.pages.get("dashboard")
        waited = time.perf_counter() - process_start
        if (page is None or getattr(page, "data", None) is None) and waited < 60:
            QTimer.singleShot(20, dashboard_ready)
            return
        print(json.dumps({"startup_seconds": round(marks["shown"], 4), "shown_at_epoch": marks["epoch"],
                          "dashboard_numbers_seconds": round(waited, 4), "store": str(context.store_path)}),
              flush=True)
        window.close()

    def shown() -> None:
        marks["shown"] = time.perf_counter() - process_start
        marks["epoch"] = time.time()  # wall clock, so a launcher can time from spawn (bundles)
        dashboard_ready()

    window.shown.connect(lambda: QTimer.singleShot(0, shown))


def run_app(argv: list[str], process_start: float | None = None) -> int:
    process_start = process_start or time.perf_counter()
    args = parse_app_args(argv)
    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from merchant_ai.ui.error_dialog import install_excepthook
    from merchant_ai.ui.theme import apply_theme, follow_system_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Merchant AI")
    app.setOrganizationName("MerchantAI")
    settings = make_settings()
    theme_choice = lambda: str(settings.value("appearance/theme", "system"))
    apply_theme(app, theme_choice())
    follow_system_theme(app, theme_choice)

    if args.self_test:
        from merchant_ai.ui.self_test import run_self_test

        return run_self_test(app, args, process_start)

    context, window = build_window(choose_store_path(args, settings), settings)
    install_excepthook(lambda: window)
    if os.environ.get(PROBE_ENV):
        _install_startup_probe(window, context, process_start)
    window.show()
    if args.demo and not context.store_exists():
        window.open_demo_store()
    code = app.exec()
    if not context.tasks.shutdown(timeout_ms=2_000):
        # A read-only analysis that cannot be interrupted is still running (writes were
        # waited for): leave now instead of keeping a closed app alive until it ends.
        logging.shutdown()
        os._exit(code)
    return code
