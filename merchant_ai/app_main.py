"""Dispatch: a sub-command runs the CLI; otherwise the desktop app opens."""

from __future__ import annotations

import sys
import time


def run(argv: list[str], process_start: float | None = None) -> int:
    from merchant_ai.logging_setup import setup_logging

    setup_logging()
    if not opens_the_app(argv):
        from merchant_ai.cli import run_cli

        code = run_cli(argv)
        if code != -1:
            return code
    # No sub-command: the desktop app.
    if sys.platform == "win32":
        # onnxruntime must load its DLLs before Qt's on Windows; elsewhere it is deferred
        # until a model is needed, to keep cold start short.
        import onnxruntime  # noqa: F401
    from merchant_ai.ui.app import run_app

    return run_app(argv, process_start=process_start or time.perf_counter())


def opens_the_app(argv: list[str]) -> bool:
    """True for `merchant-ai [--demo] [--self-test] [--db PATH]`: the desktop app, without
    building the command line's parser (its command modules import pandas: ~0.4 s of cold start)."""
    rest = list(argv)
    while rest:
        option = rest.pop(0)
        if option in ("--demo", "--self-test"):
            continue
        if option == "--db" and rest:
            rest.pop(0)
            continue
        if option.startswith("--db="):
            continue
        return False
    return True


def console_main() -> None:
    """Console-script entry point (`merchant-ai`)."""
    sys.exit(run(sys.argv[1:]))
