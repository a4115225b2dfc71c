"""Merchant AI entry point: logging, then the command line or the desktop app."""

from __future__ import annotations

import sys
import time

_PROCESS_START = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from merchant_ai.app_main import run

    return run(argv, process_start=_PROCESS_START)


if __name__ == "__main__":
    sys.exit(main())
