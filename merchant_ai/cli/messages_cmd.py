"""`merchant-ai messages [--as-of DATE] [--json]`: the inbox, most urgent first, with draft replies.

`--draft MESSAGE_ID` prints one draft (`--save-eml FILE` writes it as an unsent .eml for your mail
program); `--done ID` marks a message done; `--policy NAME=VALUE` saves a shop policy used in
drafts (return_window_days, shipping_times, shop_name, signature, shop_email). Nothing is sent.
"""

from __future__ import annotations

from merchant_ai.cli.common import add_analysis_options, open_existing_store, print_json

JSON_FIELDS = ("message_id", "received_at", "sender", "subject", "intent", "intent_confidence", "sentiment",
               "urgency", "order_id", "customer_id", "draft_reply")


def add_parser(sub) -> None:
    parser = sub.add_parser("messages", help="customer messages: intent, tone, urgency, order, draft reply")
    add_analysis_options(parser)
    parser.add_argument("--draft", metavar="MESSAGE_ID", help="print the draft reply to this message")
    parser.add_argument("--save-eml", dest="save_eml", metavar="FILE", help="with --draft: save it as an .eml file")
    parser.add_argument("--done", metavar="MESSAGE_ID", help="mark this message done")
    parser.add_argument("--policy", action="append", default=[], metavar="NAME=VALUE",
                        help="save a shop policy for drafts, e.g. return_window_days=30 (repeatable)")
    parser.set_defaults(run=run)


def _policies(texts: list[str]) -> dict:
    from merchant_ai.errors import BadInputError

    values = {}
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep:
            raise BadInputError(f"--policy needs NAME=VALUE, e.g. return_window_days=30 (got '{text}').")
        values[name.strip()] = value.strip()
    return values


def run(args) -> int:
    from merchant_ai.errors import BadInputError
    from merchant_ai.services.messages import actions, templates
    from merchant_ai.services.messages.inbox import draft_for, inbox

    if args.save_eml and not args.draft:
        raise BadInputError("--save-eml needs --draft MESSAGE_ID.")
    with open_existing_store(args) as store:
        if args.policy:
            templates.set_policies(store, **_policies(args.policy))
        if args.done:
            actions.mark_done(store, args.done)
        if args.draft:
            draft = draft_for(store, args.draft, as_of=args.as_of)
            if args.save_eml:
                draft.save_eml(args.save_eml)
            if args.json:
                print_json(draft.to_dict())
            else:
                print(f"To: {draft.to or '(the customer: your store keeps only a hash of the address)'}")
                print(f"Subject: {draft.subject}\n\n{draft.body}")
                if draft.missing:
                    print(f"\nMissing from your store (fill in before sending): {', '.join(draft.missing)}")
                if args.save_eml:
                    print(f"\nSaved as {args.save_eml} (not sent).")
            return 0
        result = inbox(store, as_of=args.as_of)
    if args.json:
        print_json({"as_of": result.as_of, "notes": result.notes, "waiting_by_intent": result.by_intent,
                    "messages": [{k: m.get(k) for k in JSON_FIELDS} | {"urgency_reasons": m["urgency_reasons"],
                                                                         "status": m["status"]}
                                 for m in result.messages]})
        return 0
    _print_text(result)
    return 0


def _print_text(result) -> None:
    for note in result.notes:
        print(f"Note: {note}")
    waiting = result.waiting()
    print(f"{len(result.messages)} customer messages; {len(waiting)} waiting for a reply.")
    if result.by_intent:
        print("Waiting by intent: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.by_intent.items()))
    for m in result.messages[:50]:
        order = f", order {m['order_id']}" if m["order_id"] else ""
        print(f"\n[{m['urgency']:>5.1f}] {m['received_at'] or '?'}  {m['sender']}: {m['subject'] or '(no subject)'}")
        print(f"        {m['intent'].replace('_', ' ')} ({m['intent_confidence']:.0%} sure), tone "
              f"{m['sentiment']:+.2f}{order}; {m['status']}{', answered' if m['answered'] else ''}")
        print(f"        why: {'; '.join(m['urgency_reasons'])}")
        print(f"        id: {m['message_id']}")
    if len(result.messages) > 50:
        print(f"\n... and {len(result.messages) - 50} more (use --json for all).")
