"""Email and shipping words the fraud features recognise (kept apart so the list is easy to extend)."""

from __future__ import annotations

import re

# Throwaway-address services; an order from one of these cannot be contacted later.
DISPOSABLE_DOMAINS = [
    "mailinator.com", "guerrillamail.com", "10minutemail.com", "tempmail.com", "temp-mail.org",
    "yopmail.com", "trashmail.com", "sharklasers.com", "getnada.com", "dispostable.com",
    "maildrop.cc", "throwawaymail.com", "fakeinbox.com", "mintemail.com", "mohmal.com",
    "emailondeck.com", "spamgourmet.com", "mailnesia.com", "tempail.com", "burnermail.io",
]
DISPOSABLE_SET = frozenset(DISPOSABLE_DOMAINS)

# Shipping methods that get goods out fastest (what a fraudster picks before the chargeback).
EXPRESS_PATTERN = re.compile(r"express|next[ -]?day|overnight|priority|expedited|same[ -]?day|24 ?h", re.IGNORECASE)

# Payment states of an attempt that did not go through.
FAILED_PAYMENT_STATUSES = frozenset({"voided", "failed", "declined", "expired", "void"})
