"""`merchant-ai forecast`: daily P10/P50/P90 of units sold per SKU, and how accurate it was."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from merchant_ai.cli.common import (
    add_as_of_option,
    add_backtest_option,
    add_db_option,
    open_existing_store,
    print_json,
    run_backtest_command,
)
from merchant_ai.errors import BadInputError


def add_parser(sub) -> None:
    parser = sub.add_parser("forecast", help="daily demand forecasts per product (P10/P50/P90)")
    add_db_option(parser)
    add_as_of_option(parser)
    parser.add_argument("--horizon", type=int, default=28, metavar="DAYS", help="days to forecast (default 28)")
    parser.add_argument("--period", choices=["day", "week", "month"], default="day",
                        help="CSV/text totals per day (default), week or month")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON: per SKU, daily {date, p10, p50, p90}")
    out.add_argument("--csv", metavar="FILE", help="write one row per SKU and day (or period) to FILE")
    add_backtest_option(parser, "the forecast")
    parser.set_defaults(run=run)


def write_csv(frame: pd.DataFrame, path: str) -> None:
    """Write a table for the user; a bad path is bad input (exit 2)."""
    target = Path(path)
    if not target.parent.exists():
        raise BadInputError(f"The folder {target.parent} does not exist.")
    try:
        frame.to_csv(target, index=False)
    except OSError as exc:
        raise BadInputError(f"Cannot write {target}: {exc.strerror or exc}.") from exc


def run(args) -> int:
    from merchant_ai.services.forecast import forecast

    with open_existing_store(args) as store:
        if args.backtest:
            return run_backtest_command(store, "forecast", args)
        result = forecast(store, as_of=args.as_of, horizon_days=args.horizon)
    if args.json:
        print_json(result.to_dict())
        return 0
    table = result.daily_frame() if args.period == "day" else result.aggregate(args.period[0].upper())
    if args.csv:
        write_csv(table, args.csv)
        print(f"Wrote {len(table)} rows to {args.csv}.")
        return 0
    print(f"Forecast from {result.as_of.date()} for {result.horizon_days} days ({result.arrays.model_label}).")
    for i, sku in enumerate(result.skus):
        print(f"{sku}: {result.explain(i)}")
    return 0
