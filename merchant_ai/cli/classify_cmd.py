"""`merchant-ai classify (--messages FILE | --reviews FILE) [--json]`: one text per line, for scripts.

Messages get an intent (or "other" when unsure) with its probability and a tone; reviews a
sentiment from -1 to 1 with the model's confidence. Reads UTF-8 (or the file's own encoding)."""

from __future__ import annotations

from pathlib import Path

from merchant_ai.cli.common import add_json_option, print_json


def add_parser(sub) -> None:
    parser = sub.add_parser("classify", help="intent of message texts or sentiment of review texts, one per line")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--messages", metavar="FILE", help="a text file with one message per line")
    group.add_argument("--reviews", metavar="FILE", help="a text file with one review per line")
    add_json_option(parser)
    parser.set_defaults(run=run)


def read_lines(name: str) -> list[str]:
    from merchant_ai.errors import BadInputError

    path = Path(name)
    if not path.is_file():
        raise BadInputError(f"There is no file at {path}.")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInputError(f"{path.name} is not a text file.")
    try:
        text = raw.decode("utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise BadInputError(f"{path.name} is not a text file (its characters cannot be read).") from None
        text = str(best)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise BadInputError(f"{path.name} has no text in it.")
    return lines


def run(args) -> int:
    from merchant_ai.services.messages.classify import classify_messages, classify_reviews

    if args.messages:
        items = [{k: v for k, v in item.items()} for item in classify_messages(read_lines(args.messages))]
    else:
        items = classify_reviews(read_lines(args.reviews))
    if args.json:
        print_json({"items": items})
        return 0
    for item in items:
        if "intent" in item:
            print(f"{item['intent']:<26} {item['confidence']:>5.0%}  {item['text'][:80]}")
        else:
            print(f"{item['sentiment']:+.2f} ({item['confidence']:.0%} sure)  {item['text'][:80]}")
    return 0
