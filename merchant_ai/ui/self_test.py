"""`merchant-ai --self-test [--db PATH]`: open the window, run everything once, print one JSON.

Without --db it works on a fresh demo store in a temporary folder, with temporary settings,
so it never touches the user's data. Exit code 0 only when nothing failed.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

PAGE_TIMEOUT_S = 120.0
ANALYSIS_TIMEOUT_S = 600.0


def wait_until(app, predicate, timeout_s: float) -> bool:
    """Process events until `predicate()` is true (False on timeout)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


def _page_busy(page) -> bool:
    busy = getattr(page, "busy", None)
    return bool(busy()) if callable(busy) else False


def _loaded_models() -> list[dict]:
    """Models whose session was started during this run, with the provider each used."""
    if "merchant_ai.ml.registry" not in sys.modules:
        return []  # no analysis needed a model
    models = sys.modules["merchant_ai.ml.registry"].loaded_models()
    return [{"name": m.name, "version": m.version, "provider_used": m.provider_used,
             "provider_requested": m.provider_requested} for m in models]


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {getattr(error, 'message', str(error))}"


def run_self_test(app, args, process_start: float) -> int:
    from PySide6.QtCore import QSettings, QTimer

    from merchant_ai import capabilities
    from merchant_ai.services.about import app_versions, onnx_providers
    from merchant_ai.services.demo_store import ensure_demo_store
    from merchant_ai.ui.app import build_window
    from merchant_ai.ui.error_dialog import install_excepthook
    from merchant_ai.ui.main_window import pages as sidebar_pages

    errors: list[str] = []
    record = lambda exc: errors.append(_describe(exc))
    workdir = Path(tempfile.mkdtemp(prefix="merchant-ai-self-test-"))
    store_path = Path(args.db) if args.db else workdir / "demo-store.db"
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    context, window = build_window(store_path, settings, record_error=record)
    install_excepthook(lambda: window, record=record)
    shown_at: list[float] = []
    window.shown.connect(lambda: QTimer.singleShot(0, lambda: shown_at.append(time.perf_counter())))
    window.show()
    wait_until(app, lambda: bool(shown_at), 30)
    report: dict = {"ok": False, **app_versions(), "store": str(store_path),
                    "startup_seconds": round(shown_at[0] - process_start, 3) if shown_at else None}

    if not args.db:
        started = time.perf_counter()
        handle = context.tasks.run(ensure_demo_store, store_path, title="Creating a demo store…")
        wait_until(app, lambda: handle.done, PAGE_TIMEOUT_S)
        report["demo_store_seconds"] = round(time.perf_counter() - started, 2)
        if handle.error is not None:
            errors.append("demo store: " + _describe(handle.error))
        context.set_store_path(store_path)
    elif not store_path.exists():
        errors.append(f"BadInputError: there is no store at {store_path}")

    pages: dict[str, float] = {}
    for key in [entry.key for entry in sidebar_pages()]:
        started = time.perf_counter()
        try:
            window.go_to(key)
            page = window.page(key)
            if not wait_until(app, lambda p=page: not _page_busy(p) and not context.tasks.busy(), PAGE_TIMEOUT_S):
                errors.append(f"page {key}: still busy after {PAGE_TIMEOUT_S:.0f} s")
        except Exception as exc:  # noqa: BLE001 - record and keep visiting the other pages
            errors.append(f"page {key}: {_describe(exc)}")
            traceback.print_exc(file=sys.stderr)
        pages[key] = round(time.perf_counter() - started, 3)
    report["pages_visited"] = pages

    analyses: dict[str, float | None] = {}
    refused: list[str] = []  # plain "not enough data" answers (an empty or young store): correct, not failures
    for name, target in capabilities.analyses().items():
        started = time.perf_counter()
        try:
            handle = context.run_on_store(capabilities.load(target), title=f"Running {name}…",
                                          on_error=lambda exc, n=name: _sort_error(n, exc, errors, refused))
            if not wait_until(app, lambda h=handle: h.done, ANALYSIS_TIMEOUT_S):
                errors.append(f"analysis {name}: no answer after {ANALYSIS_TIMEOUT_S:.0f} s")
            elif handle.error is None:
                _check_result(handle.result)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"analysis {name}: {_describe(exc)}")
        analyses[name] = round(time.perf_counter() - started, 3)
    report["analyses_seconds"] = analyses
    report["models_loaded"] = _loaded_models()
    report["onnxruntime_providers"] = onnx_providers()
    report["not_enough_data"] = refused
    report["errors"] = errors
    report["ok"] = not errors
    window.close()
    context.tasks.shutdown()
    print(json.dumps(report, indent=1, default=str), flush=True)
    return 0 if not errors else 1


def _sort_error(name: str, error: BaseException, errors: list[str], refused: list[str]) -> None:
    from merchant_ai.errors import NotEnoughDataError

    (refused if isinstance(error, NotEnoughDataError) else errors).append(f"analysis {name}: {_describe(error)}")


def _check_result(result) -> None:
    """An analysis result must serialise: a DataFrame, or an object with to_dict()."""
    if hasattr(result, "to_dict"):
        json.dumps(result.to_dict() if not hasattr(result, "columns") else result.head(5).to_dict(), default=str)
    elif result is not None:
        raise TypeError(f"the result is a {type(result).__name__}, not a DataFrame or an object with to_dict()")
