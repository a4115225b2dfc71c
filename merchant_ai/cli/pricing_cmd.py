"""`merchant-ai pricing` (or `price`): suggested prices, elasticities and the reasons; apply, dismiss, export."""

from __future__ import annotations

import argparse

from merchant_ai.cli.common import add_analysis_options, open_existing_store, print_json, run_backtest_command
from merchant_ai.errors import BadInputError


def add_parser(sub) -> None:
    parser = sub.add_parser("pricing", aliases=["price"], help="price suggestions from how demand responds to price")
    add_analysis_options(parser)
    parser.add_argument("--max-step", type=float, help="largest change per step in %% (default: saved, else 10)")
    parser.add_argument("--min-margin", type=float, help="minimum margin in %% of the price (default: saved, else 15)")
    parser.add_argument("--ending", choices=[".99", ".95", "whole", "any"], help="price ending")
    parser.add_argument("--competitor", action="append", default=[], metavar="SKU=PRICE",
                        help="a competitor's price (repeatable); never more than 5%% above it")
    parser.add_argument("--save-guardrails", action="store_true", help="remember these guardrails")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--apply", metavar="SKU", help="record that you applied the suggestion for SKU")
    action.add_argument("--dismiss", metavar="SKU", help="record that you dismissed the suggestion for SKU")
    action.add_argument("--export", metavar="FILE", help="write applied changes as a Shopify product CSV")
    action.add_argument("--backtest", action="store_true",
                        help="instead: how accurate the price response was on your shop (28 days from "
                             "--as-of, default: the latest period that can be checked)")
    parser.set_defaults(run=run)


def _guardrails(store, args: argparse.Namespace):
    from dataclasses import replace

    from merchant_ai.services.pricing.actions import load_guardrails

    rails = load_guardrails(store)
    changes = {}
    if args.max_step is not None:
        changes["max_step_pct"] = args.max_step
    if args.min_margin is not None:
        changes["min_margin_pct"] = args.min_margin
    if args.ending is not None:
        changes["price_ending"] = args.ending
    if args.competitor:
        changes["competitor_prices"] = {**rails.competitor_prices, **dict(_competitor(v) for v in args.competitor)}
    return replace(rails, **changes)


def _competitor(text: str) -> tuple[str, float]:
    sku, _, price = text.partition("=")
    try:
        return sku.strip(), float(price)
    except ValueError:
        raise BadInputError(f"'{text}' is not SKU=PRICE, e.g. CAN-1001=12.50.") from None


def run(args) -> int:
    from merchant_ai.services.pricing import suggest_prices
    from merchant_ai.services.pricing.actions import (
        export_accepted_prices,
        record_price_decision,
        save_guardrails,
    )
    from merchant_ai.services.pricing.service import suggest_today
    from merchant_ai.services.remembered import save

    with open_existing_store(args) as store:
        if args.export:
            count = export_accepted_prices(store, args.export)
            print_json({"exported": count, "file": args.export}) if args.json else print(
                f"Wrote {count} price changes to {args.export}.")
            return 0
        if args.backtest:
            return run_backtest_command(store, "pricing", args)
        rails = _guardrails(store, args)
        if args.as_of is None:  # today's run is remembered for the dashboard card
            result, run = suggest_today(store, rails=rails)
        else:
            result, run = suggest_prices(store, as_of=args.as_of, rails=rails), None
        sku = args.apply or args.dismiss
        row = result.products[result.products["sku"] == sku] if sku else None
        if row is not None and row.empty:  # before saving anything: bad input changes nothing
            raise BadInputError(f"There is no price suggestion for SKU {sku}.")
        if args.save_guardrails:
            save_guardrails(store, rails)
        if run is not None:
            save(store, run)
        if sku:
            record_price_decision(store, sku, "accepted" if args.apply else "dismissed",
                                  current_price=float(row["current_price"].iloc[0]),
                                  suggested_price=float(row["suggested_price"].iloc[0]))
            print_json({"sku": sku, "action": "accepted" if args.apply else "dismissed"}) if args.json else print(
                f"Recorded: {sku} {'applied' if args.apply else 'dismissed'}.")
            return 0
    if args.json:
        print_json(result.to_dict())
        return 0
    for note in result.notes:
        print(note)
    for row in result.products.itertuples(index=False):
        print(f"{row.sku:<14} {row.current_price:>9.2f} -> {row.suggested_price:>9.2f}  "
              f"elasticity {row.elasticity:+.2f} [{row.elasticity_low:+.2f}, {row.elasticity_high:+.2f}]  {row.reason}")
    return 0
