"""A rotating log in the user's log folder; quiet on the console."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler


def setup_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger("merchant_ai")
    if root.handlers:
        return
    root.setLevel(level)
    try:
        from merchant_ai.store.paths import log_dir

        handler: logging.Handler = RotatingFileHandler(
            log_dir() / "merchant-ai.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
