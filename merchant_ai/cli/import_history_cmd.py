"""`merchant-ai imports` (the import log) and `merchant-ai undo-import ID` (take one back)."""

from __future__ import annotations

import argparse

from merchant_ai.cli.common import add_db_option, add_json_option, open_existing_store, print_json


def _import_number(text: str) -> int:
    if text.lstrip("#").isdigit():
        return int(text.lstrip("#"))
    raise argparse.ArgumentTypeError(f"'{text}' is not an import number like 3 (see `merchant-ai imports`)")


def add_parser(sub) -> None:
    listing = sub.add_parser("imports", help="list the imports in the store, newest first")
    add_db_option(listing)
    add_json_option(listing)
    listing.set_defaults(run=run_list)
    undo = sub.add_parser("undo-import", help="undo one import: the store returns exactly to how it was")
    undo.add_argument(
        "import_id", type=_import_number, metavar="ID", help="the import's number (see `merchant-ai imports`)"
    )
    add_db_option(undo)
    add_json_option(undo)
    undo.set_defaults(run=run_undo)


def run_list(args) -> int:
    from merchant_ai.services.imports import list_imports

    with open_existing_store(args) as store:
        frame = list_imports(store)
    if args.json:
        print_json({"imports": frame.to_dict(orient="records")})
    elif frame.empty:
        print("No imports yet.")
    else:
        for row in frame.itertuples(index=False):
            print(
                f"#{row.import_id:<4} {row.started_at}  {row.status:<6}  {row.format:<20} {row.file_name} "
                f"({row.orders_imported} new orders, {row.lines_imported} new lines)"
            )
    return 0


def run_undo(args) -> int:
    from merchant_ai.services.imports import undo_import

    with open_existing_store(args) as store:
        undo_import(store, args.import_id)
    if args.json:
        print_json({"undone": args.import_id})
    else:
        print(f"Import #{args.import_id} was undone.")
    return 0
