"""The command line: every capability of the app, with --json output.

Each command lives in its own module of this package with two functions:
`add_parser(subparsers)` (registers its sub-command and sets `run=`), and the `run(args)`
it registered, which returns the exit code. Exit codes: 0 ok, 2 bad input (one line on
stderr, nothing changed), 1 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from merchant_ai import __version__
from merchant_ai.errors import BadInputError, MerchantError

# One entry per command module (explicit, so the installer bundles each of them).
COMMAND_MODULES = [
    "merchant_ai.cli.forecast_cmd",
    "merchant_ai.cli.reorder_cmd",
    "merchant_ai.cli.demo_cmd",
    "merchant_ai.cli.summary_cmd",
    "merchant_ai.cli.import_cmd",
    "merchant_ai.cli.import_history_cmd",
    "merchant_ai.cli.recommend_cmd",
    "merchant_ai.cli.models_cmd",
    "merchant_ai.cli.price_cmd",
    "merchant_ai.cli.fraud_cmd",
    "merchant_ai.cli.customers_cmd",
    "merchant_ai.cli.messages_cmd",
    "merchant_ai.cli.reviews_cmd",
    "merchant_ai.cli.classify_cmd",
]

log = logging.getLogger("merchant_ai.cli")


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad arguments already; keep its message to one line."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse path
        self.exit(2, f"merchant-ai: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="merchant-ai", description="Offline analytics for your shop.")
    parser.add_argument("--version", action="version", version=f"merchant-ai {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the app on a demo store")
    parser.add_argument("--self-test", action="store_true", help="open the window, run everything once, print JSON")
    parser.add_argument("--db", help="path of the store (default: your data folder, or MERCHANT_AI_DB)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(sub)
    return parser


def run_cli(argv: list[str]) -> int:
    """Run a sub-command; map typed errors to exit codes and one plain line on stderr."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return -1  # no sub-command: the caller opens the app
    try:
        return int(args.run(args) or 0)
    except BadInputError as exc:
        print(f"merchant-ai: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except MerchantError as exc:
        print(f"merchant-ai: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("merchant-ai: stopped.", file=sys.stderr)
        return 130
    except Exception as exc:
        log.exception("internal error")
        print(f"merchant-ai: internal error: {exc!r} (details in the log)", file=sys.stderr)
        return 1
