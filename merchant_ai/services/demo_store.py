"""The demo store for the app: written once to a side file, then moved into place."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def ensure_demo_store(path: Path, *, progress: Callable[[float, str], None] | None = None,
                      cancel: Callable[[], bool] | None = None) -> Path:
    """Create the seeded demo store at `path` unless it exists; return `path`.

    Written to `<path>.partial` and renamed, so an interrupted run never leaves a half store
    where the app would open it."""
    from merchant_ai.demo.generate import create_demo_store
    from merchant_ai.errors import CancelledError

    path = Path(path)
    if path.exists():
        return path
    if progress:
        progress(0.05, "Simulating two years of orders…")
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    create_demo_store(partial)
    if cancel and cancel():
        partial.unlink(missing_ok=True)
        raise CancelledError("The demo store was not created.")
    os.replace(partial, path)
    if progress:
        progress(1.0, "Demo store ready.")
    return path
