"""`merchant-ai fraud`: risk score, level and reasons per order; rules, verdicts and thresholds."""

from __future__ import annotations

from merchant_ai.cli.common import (
    add_analysis_options,
    add_backtest_option,
    open_existing_store,
    print_json,
    run_backtest_command,
)


def add_parser(sub) -> None:
    parser = sub.add_parser("fraud", help="risk score, level and reasons for recent orders")
    add_analysis_options(parser)
    parser.add_argument("--days", type=float, default=30, help="report orders of the last DAYS days (default 30)")
    parser.add_argument("--rule", action="append", default=None, metavar="TEXT",
                        help="try a rule such as 'review if total > 500' (repeatable; not saved)")
    parser.add_argument("--save-rules", action="store_true", help="save the --rule list as your rules")
    parser.add_argument("--mark", nargs=2, metavar=("ORDER_ID", "VERDICT"), help="mark an order fraud or legit")
    parser.add_argument("--thresholds", nargs=2, type=float, metavar=("MEDIUM", "HIGH"),
                        help="set the medium and high score thresholds")
    parser.add_argument("--reset-thresholds", action="store_true", help="go back to automatic thresholds")
    add_backtest_option(parser, "the risk check (with your verdicts, else the share each level holds back)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from merchant_ai.errors import BadInputError
    from merchant_ai.services.fraud import analyze
    from merchant_ai.services.fraud import settings as fraud_settings
    from merchant_ai.services.fraud.rules import parse_rule
    from merchant_ai.services.fraud.service import DEFAULT_DAYS, analyze_today
    from merchant_ai.services.remembered import save

    if args.days <= 0:
        raise BadInputError("--days must be a positive number of days.")
    if args.save_rules and args.rule is None:
        raise BadInputError("--save-rules needs the rules to save, each given with --rule.")
    rules = None if args.rule is None else [parse_rule(text) for text in args.rule]  # bad rule: exit 2 first
    if args.thresholds:  # checked before the verdict below is written: bad input changes nothing
        fraud_settings.check_thresholds(*args.thresholds)
    with open_existing_store(args) as store:
        if args.backtest:
            return run_backtest_command(store, "fraud", args)
        if args.mark:
            fraud_settings.mark_order(store, args.mark[0], args.mark[1])
        if args.thresholds:
            fraud_settings.set_thresholds(store, *args.thresholds)
        elif args.reset_thresholds:
            fraud_settings.set_thresholds(store, None, None)
        if args.save_rules:
            rules = fraud_settings.save_rules(store, args.rule)
        if args.as_of is None and (args.rule is None or args.save_rules) and args.days == DEFAULT_DAYS:
            result, run = analyze_today(store)  # the dashboard card's run: remembered
            save(store, run)
        else:
            result = analyze(store, as_of=args.as_of, days=args.days, rules=rules)
    if args.json:
        print_json(result.to_dict())
        return 0
    _print_text(result)
    return 0


def _print_text(result) -> None:
    t = result.thresholds
    print(f"Thresholds: medium {t.medium:g}, high {t.high:g} ({t.source}).")
    for note in result.notes:
        print(f"Note: {note}")
    worth = result.orders[(result.orders["level"] != "low") | result.orders["action"].notna()]
    print(f"{len(result.orders)} orders checked; {len(worth)} to look at.")
    for row in worth.itertuples(index=False):
        decided = f", rule: {row.action}" if row.action else ""
        print(f"{row.order_id:>12}  score {row.score:5.1f}  {row.level:<6}{decided}")
        for item in row.indicators:
            sign = "+" if item["effect"] == "raises" else "-"
            print(f"{'':14}{sign} {item['name']}")
    for rule in result.rules:
        print(f"Rule '{rule['rule']}': would have caught {rule['orders_matched']} past orders "
              f"({rule['marked_fraud_matched']} of {rule['marked_fraud_total']} marked fraud).")
