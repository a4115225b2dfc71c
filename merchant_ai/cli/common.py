"""Options and output shared by the commands."""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.errors import BadInputError


def add_db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a top-level `--db` from being overwritten by the sub-command default.
    parser.add_argument("--db", default=argparse.SUPPRESS, help="path of the store")


def add_as_of_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", dest="as_of", type=parse_as_of, default=None,
                        help="answer as if today were DATE (YYYY-MM-DD), using only data before it")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def add_analysis_options(parser: argparse.ArgumentParser) -> None:
    """The options every analysis command shares: --db, --as-of and --json."""
    add_db_option(parser)
    add_as_of_option(parser)
    add_json_option(parser)


def parse_as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2024-03-31") from None


def db_path(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "db", None)
    return Path(value) if value else None


def open_existing_store(args: argparse.Namespace):
    """Open the store for a read command; a missing file is bad input (exit 2)."""
    from merchant_ai.errors import StoreError
    from merchant_ai.store import open_store

    try:
        return open_store(db_path(args), create=False)
    except StoreError as exc:
        raise BadInputError(exc.message) from exc


def _json_default(value):
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot encode {type(value).__name__}")


def clean_nans(value):
    """NaN is not JSON: turn it into null, recursively."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: clean_nans(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_nans(v) for v in value]
    return value


def print_json(payload) -> None:
    json.dump(clean_nans(payload), sys.stdout, default=_json_default, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def add_backtest_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--backtest", action="store_true",
                        help=f"instead: how accurate {what} was on your shop (from --as-of, default: the "
                             "latest period that can be checked), next to a simple rule of thumb")


def run_backtest_command(store, capability: str, args: argparse.Namespace) -> int:
    """`--backtest` of any capability: its spec from merchant_ai.capabilities, the verdict printed."""
    from merchant_ai.capabilities import backtest_spec
    from merchant_ai.ml.backtest import how_accurate

    result = how_accurate(store, backtest_spec(capability), as_of=args.as_of)
    if getattr(args, "json", False):
        print_json(result.to_dict())
    else:
        print(result.verdict)
        print(result.to_frame().to_string(index=False))
    return 0
