"""`merchant-ai customers [--as-of DATE] [--json] [--actions-csv FILE] [--backtest]`: segments,
churn risk and lifetime value per customer; the action list for an email tool."""

from __future__ import annotations

import pandas as pd

from merchant_ai.cli.common import (
    add_analysis_options,
    add_backtest_option,
    open_existing_store,
    print_json,
    run_backtest_command,
)


def add_parser(sub) -> None:
    parser = sub.add_parser("customers", help="customer segments, churn risk, lifetime value and whom to contact")
    add_analysis_options(parser)
    parser.add_argument("--actions-csv", dest="actions_csv", metavar="FILE",
                        help="also write the action list (whom to contact, with what) as CSV")
    add_backtest_option(parser, "the 90-day prediction")
    parser.set_defaults(run=run)


def run(args) -> int:
    from merchant_ai.services.customers import analyze_customers
    from merchant_ai.services.customers.actions import action_list, export_action_list_csv

    with open_existing_store(args) as store:
        if args.backtest:
            return run_backtest_command(store, "customers", args)
        insight = analyze_customers(store, as_of=args.as_of)
        if args.actions_csv:
            actions, notes = action_list(insight, store)
            export_action_list_csv(actions, args.actions_csv)
            insight.notes.extend(notes)
    if args.json:
        print_json(insight.to_dict())
        return 0
    _print_text(insight)
    return 0


def _print_text(insight) -> None:
    from merchant_ai.services.customers.predictions import METHOD
    from merchant_ai.services.customers.segments import SCORE_RULE

    print(f"Customers as of {insight.as_of}:")
    for note in insight.notes:
        print(f"  note: {note}")
    print(f"  {SCORE_RULE}")
    print(f"  Predictions: {METHOD}.")
    for row in insight.segments.itertuples():
        print(f"  {row.segment:<17} {row.customers:>6}  {row.rule}")
    table = insight.customers
    print(f"\n{'customer':<14} {'segment':<17} {'P(buy 90d)':>10} {'orders 90d':>10} {'spend 90d':>10} "
          f"{'CLV 365d':>10}  next order")
    for row in table.head(30).itertuples():
        p = "-" if _missing(row.p_active_90d) else f"{row.p_active_90d:.0%}"
        print(f"{row.customer_id:<14} {row.segment:<17} {p:>10} {_num(row.expected_orders_90d):>10} "
              f"{_num(row.expected_spend_90d):>10} {_num(row.clv_365d):>10}  {'-' if _missing(row.next_order_date) else row.next_order_date}")
    if len(table) > 30:
        print(f"... and {len(table) - 30} more (use --json for all)")


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def _num(value) -> str:
    return "-" if _missing(value) else f"{value:,.2f}"
