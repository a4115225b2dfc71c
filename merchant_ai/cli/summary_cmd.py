"""`merchant-ai summary`: counts, dates, sales."""

from __future__ import annotations

from merchant_ai.cli.common import add_db_option, add_json_option, open_existing_store, print_json


def add_parser(sub) -> None:
    parser = sub.add_parser("summary", help="counts, dates and sales of the store")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from merchant_ai.services.dashboard.summary import summarize

    with open_existing_store(args) as store:
        result = summarize(store)
    if args.json:
        print_json(result.to_dict())
    else:
        for key, value in result.to_dict().items():
            print(f"{key.replace('_', ' '):>18}: {value}")
    return 0
