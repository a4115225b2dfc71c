"""`merchant-ai recommend`: bought together / similar per product, next items per customer."""

from __future__ import annotations

import argparse

from merchant_ai.cli.common import (
    add_as_of_option,
    add_db_option,
    add_json_option,
    open_existing_store,
    print_json,
)
from merchant_ai.errors import BadInputError


def add_parser(sub) -> None:
    parser = sub.add_parser("recommend", help="what to recommend with a product or to a customer")
    add_db_option(parser)
    add_as_of_option(parser)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--product", metavar="SKU", help="bought-together and similar lists for this SKU")
    target.add_argument("--customer", metavar="ID", help="next items for this customer id")
    target.add_argument("--all-customers", action="store_true", help="a list for every customer")
    target.add_argument("--all-products", action="store_true", help="lists for every product")
    parser.add_argument("-k", type=_positive, default=10, help="items per list (default 10)")
    add_json_option(parser)
    parser.set_defaults(run=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return value


def _print_list(title: str, items: list[dict]) -> None:
    print(title)
    if not items:
        print("  (nothing to suggest)")
    for rank, item in enumerate(items, start=1):
        mark = " [repeat]" if item.get("repeat") else ""
        print(f"  {rank:>2}. {item['sku']}  {item.get('title', '')}{mark}  score {item['score']:.3f}")
        print(f"      {item['reason']}")


def run(args) -> int:
    from merchant_ai.services.recommend.context import load_context
    from merchant_ai.services.recommend.service import (
        all_customer_lists,
        all_product_lists,
        customer_recommendations,
        product_recommendations,
    )

    with open_existing_store(args) as store:
        ctx = load_context(store, args.as_of)
    if args.product is not None or args.customer is not None:
        if args.product is not None:
            result = product_recommendations(ctx, args.product, args.k).to_dict()
        else:
            result = customer_recommendations(ctx, args.customer, args.k).to_dict()
        result["ranking"] = ctx.ranking
        if args.json:
            print_json(result)
        elif args.product is not None:
            print(f"{result['sku']}  {result['title']}  (in {result['orders']} orders)")
            _print_list("Bought together:", result["bought_together"])
            _print_list("Similar:", result["similar"])
        else:
            print(f"Customer {result['customer_id']} ({result['orders']} orders), ranked by {ctx.ranking}")
            _print_list("Next items:", result["items"])
        return 0
    table = all_customer_lists(ctx, args.k) if args.all_customers else all_product_lists(ctx, args.k)
    if args.json:
        print_json(_nested(table, by_customer=args.all_customers, ranking=ctx.ranking))
    else:
        print(table.to_string(index=False, max_colwidth=60))
    return 0


def _nested(table, *, by_customer: bool, ranking: str) -> dict:
    """{customers|products: [{customer_id|sku, items|bought_together+similar: [...]}]}."""
    if table.empty and not by_customer:
        return {"ranking": ranking, "products": []}
    fields = ["sku", "score", "reason", "title", "repeat"]
    out = []
    for subject, group in table.groupby("subject", sort=True):
        if by_customer:
            out.append({"customer_id": subject, "items": group[fields].to_dict("records")})
        else:
            lists = {name: group.loc[group["list"] == name, fields[:-1]].to_dict("records")
                     for name in ("bought_together", "similar")}
            out.append({"sku": subject, **lists})
    if not out and by_customer:
        raise BadInputError("There are no customers with orders to recommend for.")
    return {"ranking": ranking, "customers" if by_customer else "products": out}
