"""`merchant-ai reorder`: what to order, when and how much; edit stock and settings; PO drafts."""

from __future__ import annotations

from pathlib import Path

from merchant_ai.cli.common import add_as_of_option, add_db_option, open_existing_store, print_json
from merchant_ai.errors import BadInputError


def add_parser(sub) -> None:
    parser = sub.add_parser("reorder", help="reorder suggestions per product, purchase-order drafts")
    add_db_option(parser)
    add_as_of_option(parser)
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON (the reorder fields per product)")
    out.add_argument("--csv", metavar="FILE", help="write one row per product to FILE")
    parser.add_argument("--po", metavar="FILE", help="also write purchase-order drafts (.csv or .pdf)")
    parser.add_argument("--vendor", help="purchase-order drafts for this vendor only")
    parser.add_argument("--set-stock", action="append", default=[], metavar="SKU=QTY",
                        help="record stock on hand first (repeatable)")
    parser.add_argument("--set", action="append", default=[], nargs=2, metavar=("SKU", "FIELD=VALUE"),
                        help="change a reorder setting first, e.g. --set CAN-1001 lead_time_days=10 (repeatable)")
    parser.set_defaults(run=run)


def _split(text: str, example: str) -> tuple[str, str]:
    key, sep, value = text.rpartition("=")
    if not sep or not key:
        raise BadInputError(f"'{text}' is not like {example}.")
    return key, value


def run(args) -> int:
    from merchant_ai.cli.forecast_cmd import write_csv
    from merchant_ai.services.remembered import save
    from merchant_ai.services.reorder import reorder
    from merchant_ai.services.reorder.purchase_orders import (
        check_po_path,
        check_vendor,
        export_purchase_orders,
        purchase_order_drafts,
    )
    from merchant_ai.services.reorder.service import reorder_today
    from merchant_ai.services.reorder.settings import apply_edits

    edits = [_split(text, "SKU=12") for text in args.set_stock]
    settings = [(sku, dict([_split(text, "lead_time_days=10")])) for sku, text in args.set]
    # paths are checked before the edits: bad input changes nothing
    if args.po:
        check_po_path(args.po)
    if args.csv and not Path(args.csv).parent.exists():
        raise BadInputError(f"The folder {Path(args.csv).parent} does not exist.")
    with open_existing_store(args) as store:
        check_vendor(store, args.vendor, settings)
        if edits or settings:
            apply_edits(store, edits, settings)
        if args.as_of is None:  # today's run is remembered for the dashboard card
            result, run = reorder_today(store)
            save(store, run)
        else:
            result = reorder(store, as_of=args.as_of)
    if args.po:
        drafts = purchase_order_drafts(result, vendor=args.vendor)
        export_purchase_orders(drafts, args.po, as_of=result.as_of.date().isoformat())
    if args.json:
        print_json(result.to_dict())
    elif args.csv:
        write_csv(result.to_frame(), args.csv)
        print(f"Wrote {len(result.lines)} products to {args.csv}.")
    else:
        for line in result.lines:
            what = f"order {line.suggested_qty:.0f}" if line.suggested_qty else "no order"
            print(f"{line.sku} [{line.status}, {line.abc_class}] {what}: "
                  f"{line.explanations.get('suggested_qty') or line.explanations.get('status')}")
    if args.po and not args.json:
        print(f"Wrote purchase-order drafts to {args.po}.")
    return 0
