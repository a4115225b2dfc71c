"""`merchant-ai reviews [--as-of DATE] [--json]`: review sentiment from the text, topics, and per
product what customers praise and complain about."""

from __future__ import annotations

from merchant_ai.cli.common import add_analysis_options, open_existing_store, print_json

REVIEW_FIELDS = ("review_id", "product", "rating", "sentiment", "topics", "mismatch", "created_at")


def add_parser(sub) -> None:
    parser = sub.add_parser("reviews", help="review sentiment, topics, praise and complaints per product")
    add_analysis_options(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from merchant_ai.services.reviews.analysis import analyze

    with open_existing_store(args) as store:
        result = analyze(store, as_of=args.as_of)
    if args.json:
        payload = result.to_dict()
        payload["reviews"] = [{k: r.get(k) for k in REVIEW_FIELDS} for r in result.reviews]
        print_json(payload)
        return 0
    for note in result.notes:
        print(f"Note: {note}")
    print(f"{len(result.reviews)} reviews of {len(result.products)} products.")
    flagged = [r for r in result.reviews if r["mismatch"]]
    if flagged:
        print(f"{len(flagged)} reviews whose stars and text disagree, e.g.:")
        for r in flagged[:5]:
            print(f"  {r['product']}: {r['rating']:g} stars, text {r['sentiment']:+.2f} ({r['mismatch']})")
    for p in result.products[:20]:
        stars = f"{p['average_rating']:.1f} stars" if p["average_rating"] is not None else "no stars"
        worse = "; recent reviews read worse" if p["turned_worse"] else ""
        print(f"\n{p['product']}: {p['reviews']} reviews, {stars}, text {p['average_sentiment']:+.2f}{worse}")
        for side, word in (("praise", "Praised"), ("complaints", "Complaints")):
            for item in p[side][:3]:
                quotes = " / ".join(f'"{q}"' for q in item["quotes"])
                print(f"  {word}: {item['topic']} ({item['count']}): {quotes}")
