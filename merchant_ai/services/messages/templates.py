"""Reply templates per intent and the shop's policies, entered once, kept in `settings`.

A template is plain text with {placeholders} for facts: {greeting}, {order_number},
{order_date}, {items}, {order_total}, {payment_status}, {fulfilment}, {tracking},
{refund_state}, {return_window}, {shipping_times}, {shop_name}, {signature}. The owner can
edit any template; an edited one is saved per intent and wins over the default.
"""

from __future__ import annotations

import json
import re

from merchant_ai.errors import BadInputError
from merchant_ai.store import Store

TEMPLATES_KEY, POLICIES_KEY = "messages.templates", "messages.policies"
PLACEHOLDERS = ("greeting", "order_number", "order_date", "items", "order_total", "payment_status", "fulfilment",
                "tracking", "refund_state", "return_window", "shipping_times", "shop_name", "signature")
POLICY_FIELDS = {
    "shop_name": "Your shop's name, as you sign replies.",
    "return_window_days": "How many days customers have to return an item (a number).",
    "shipping_times": "How long delivery takes, in your words (e.g. '2-4 working days in the UK').",
    "signature": "How your replies end (e.g. 'Best wishes, Anna').",
    "shop_email": "The address customers write to (so your own replies are not counted as customer mail).",
}

_ORDER = "Your order {order_number} of {order_date} ({items})"
_GROUPS = {
    "where_is_my_order": (["track_order", "delivery_period"],
                          (f"{{greeting}}\n\nThank you for your message. {_ORDER} is {{fulfilment}}. "
                          "Tracking: {tracking}. Delivery usually takes {shipping_times}.\n\n{signature}")),
    "damaged": (["damaged_item"],
                (f"{{greeting}}\n\nI am sorry the item arrived damaged. {_ORDER}: could you send a photo of the "
                "damage and the packaging? We will send a replacement or refund you, as you prefer. "
                "{refund_state}.\n\n{signature}")),
    "wrong_item": (["wrong_item"],
                   (f"{{greeting}}\n\nI am sorry you received the wrong item. {_ORDER}: please tell us what "
                   "arrived and we will send the right one and arrange the return.\n\n{signature}")),
    "refund": (["get_refund", "track_refund", "check_refund_policy", "check_cancellation_fee"],
               (f"{{greeting}}\n\nThank you for getting in touch. {_ORDER}: {{refund_state}}. You can return "
               "items within {return_window} of delivery.\n\n{signature}")),
    "exchange": (["exchange"],
                 (f"{{greeting}}\n\nHappy to help with an exchange. {_ORDER}: you can exchange items within "
                 "{return_window} of delivery; tell us the size or colour you would like.\n\n{signature}")),
    "cancel_or_change": (["cancel_order", "change_order", "change_shipping_address", "set_up_shipping_address"],
                         (f"{{greeting}}\n\nThank you for letting us know. {_ORDER} is {{fulfilment}}; we will "
                         "make the change if it has not left us yet.\n\n{signature}")),
    "complaint": (["complaint", "contact_customer_service", "contact_human_agent"],
                  (f"{{greeting}}\n\nThank you for writing, and I am sorry for the trouble. {_ORDER} is "
                  "{fulfilment}. I will look into it personally and get back to you.\n\n{signature}")),
    "invoice_payment": (["check_invoice", "get_invoice", "payment_issue", "check_payment_methods", "place_order"],
                        (f"{{greeting}}\n\nThank you for your message. {_ORDER}, total {{order_total}}, payment: "
                        "{payment_status}.\n\n{signature}")),
    "delivery_options": (["delivery_options"],
                         "{greeting}\n\nWe deliver in {shipping_times}.\n\n{signature}"),
    "product_question": (["product_question"],
                         ("{greeting}\n\nThank you for your interest. [Answer the question about the product "
                         "here.]\n\n{signature}")),
    "discount_question": (["discount_question"],
                          "{greeting}\n\nThank you for asking. [Say which offers or codes apply.]\n\n{signature}"),
    "account": (["create_account", "delete_account", "edit_account", "recover_password", "registration_problems",
                 "switch_account", "newsletter_subscription"],
                "{greeting}\n\nThank you for your message. [Say what you changed in the account.]\n\n{signature}"),
    "review": (["review"], ("{greeting}\n\nThank you for your feedback, it means a lot to {shop_name}."
                           "\n\n{signature}")),
    "other": (["other"], "{greeting}\n\nThank you for your message. [Your reply.]\n\n{signature}"),
}
DEFAULT_TEMPLATES = {intent: text for intents, text in _GROUPS.values() for intent in intents}


def templates(store: Store) -> dict[str, str]:
    """Every intent's template: the owner's edited one, else the default."""
    saved = json.loads(store.get_setting(TEMPLATES_KEY) or "{}")
    return {**DEFAULT_TEMPLATES, **saved}


def template_for(store: Store, intent: str) -> str:
    all_templates = templates(store)
    return all_templates.get(intent, all_templates["other"])


def set_template(store: Store, intent: str, text: str | None) -> None:
    """Save the owner's template for `intent` (None: back to the default). Unknown {names} are refused."""
    if intent not in DEFAULT_TEMPLATES:
        raise BadInputError(f"There is no intent '{intent}'. Known: {', '.join(sorted(DEFAULT_TEMPLATES))}.")
    if text is not None:
        unknown = sorted(set(re.findall(r"{(\w+)}", text)) - set(PLACEHOLDERS))
        if unknown:
            raise BadInputError(f"The template uses {{{unknown[0]}}}, which is not a fact we fill in. "
                                f"Use: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}.")
    saved = json.loads(store.get_setting(TEMPLATES_KEY) or "{}")
    if text is None:
        saved.pop(intent, None)
    else:
        saved[intent] = text
    store.set_setting(TEMPLATES_KEY, json.dumps(saved, ensure_ascii=False))


def policies(store: Store) -> dict:
    return json.loads(store.get_setting(POLICIES_KEY) or "{}")


def set_policies(store: Store, **values) -> dict:
    """Save the shop's policies (None removes one); the return window must be a whole number of days."""
    unknown = [k for k in values if k not in POLICY_FIELDS]
    if unknown:
        raise BadInputError(f"'{unknown[0]}' is not a policy. Known: {', '.join(POLICY_FIELDS)}.")
    current = policies(store)
    for key, value in values.items():
        if value is None or value == "":
            current.pop(key, None)
            continue
        if key == "return_window_days":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise BadInputError("The return window is a number of days, e.g. 30.") from None
            if not 0 < value <= 365:
                raise BadInputError("The return window is between 1 and 365 days.")
        current[key] = value
    store.set_setting(POLICIES_KEY, json.dumps(current, ensure_ascii=False))
    return current
