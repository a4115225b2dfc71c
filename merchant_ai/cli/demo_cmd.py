"""`merchant-ai demo`: write a seeded demo store."""

from __future__ import annotations

from merchant_ai.cli.common import add_db_option, add_json_option, db_path, print_json


def add_parser(sub) -> None:
    parser = sub.add_parser("demo", help="write a seeded demo store (a year and more of orders)")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from merchant_ai.demo.generate import create_demo_store
    from merchant_ai.services.dashboard.summary import summarize
    from merchant_ai.store import open_store

    path = create_demo_store(db_path(args))
    with open_store(path) as store:
        summary = summarize(store).to_dict()
    if args.json:
        print_json({"db": str(path), **summary})
    else:
        print(f"Demo store written to {path}: {summary['orders']} orders, "
              f"{summary['products']} products, {summary['customers']} customers.")
    return 0
