"""Review exports: one declarative column map per app, detected from the header row like orders.

Judge.me has two export layouts (the review export, and the import/export template), Shopify's
own Product Reviews app one, WooCommerce's reviews (WordPress comments with a rating, as the
common review export plugin writes them) one. Any other reviews CSV, and a messages CSV in
the owner's own layout, go through a saved column mapping (`REVIEW_FIELDS`, `MESSAGE_FIELDS`).
"""

from __future__ import annotations

from merchant_ai.importers.formats import FormatSpec


def _spec(**kwargs) -> FormatSpec:
    fields = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in kwargs.pop("fields").items()}
    return FormatSpec(kind="reviews", fields=fields, **kwargs)


JUDGEME_REVIEWS = _spec(
    key="judgeme_reviews",
    label="Judge.me reviews",
    source="judgeme",
    signature=("body", "rating", "created_at", "reviewer_name", "product"),
    fields={
        "title": ("title", "review_title"),
        "body": "body",
        "rating": "rating",
        "created_at": "review_date",
        "reviewer_name": "reviewer_name",
        "reviewer_email": "reviewer_email",
        "product": ("product_handle", "product_id"),
        "reply": "reply",
        "status": "curated",
        "hidden": "hidden",
    },
)

SHOPIFY_REVIEWS = _spec(
    key="shopify_reviews",
    label="Shopify Product Reviews",
    source="shopify_reviews",
    signature=("product", "rating", "body", "reviewer_name", "created_at", "status"),
    fields={
        "product": "product_handle",
        "status": "state",
        "rating": "rating",
        "title": "title",
        "reviewer_name": "author",
        "reviewer_email": "email",
        "body": "body",
        "reply": "reply",
        "created_at": "created_at",
    },
)

WOOCOMMERCE_REVIEWS = _spec(
    key="woocommerce_reviews",
    label="WooCommerce reviews",
    source="woocommerce",
    signature=("review_id", "product", "body", "rating"),
    fields={
        "review_id": "comment_ID",
        "product": ("product_SKU", "comment_post_ID"),
        "reviewer_name": "comment_author",
        "reviewer_email": "comment_author_email",
        "created_at": ("comment_date", "comment_date_gmt"),
        "body": "comment_content",
        "status": "comment_approved",
        "rating": "rating",
        "title": "title",
    },
)

REVIEW_SPECS = [JUDGEME_REVIEWS, SHOPIFY_REVIEWS, WOOCOMMERCE_REVIEWS]
REVIEW_SPECS_BY_KEY = {spec.key: spec for spec in REVIEW_SPECS}
GENERIC_REVIEWS_KEY = "generic_reviews"
GENERIC_MESSAGES_KEY = "generic_messages"
MAIL_KEY = "mail"
SUPPORT_FORMATS = sorted(REVIEW_SPECS_BY_KEY) + [GENERIC_REVIEWS_KEY, GENERIC_MESSAGES_KEY, MAIL_KEY]
MAPPING_KIND_KEY = "__kind"  # saved with a mapping so the next file with these columns is read the same way

# field -> (label, required, help): what the column-matching dialog offers for each kind
REVIEW_FIELDS = {
    "product": ("Product", True, "Handle, SKU or name of the product reviewed."),
    "body": ("Review text", True, "What the customer wrote."),
    "rating": ("Stars", False, "1 to 5."),
    "created_at": ("Date", False, "When the review was written."),
    "title": ("Title", False, "The review's headline."),
    "reviewer_name": ("Reviewer name", False, "Stored only as a hash plus initials (privacy on)."),
    "reviewer_email": ("Reviewer email", False, "Stored only as a salted hash (privacy on)."),
    "review_id": ("Review id", False, "The app's id of the review, if it has one."),
}
MESSAGE_FIELDS = {
    "body": ("Message text", True, "What the customer wrote."),
    "received_at": ("Date", True, "When the message came in."),
    "sender_email": ("From (email)", False, "Stored only as a salted hash (privacy on)."),
    "sender_name": ("From (name)", False, "Stored only as a hash plus initials (privacy on)."),
    "subject": ("Subject", False, ""),
    "order_ref": ("Order number", False, "The order the message is about, if your tool records it."),
    "message_id": ("Message id", False, "Your tool's id of the message, if it has one."),
}


def detect_review_spec(header: list[str]) -> FormatSpec | None:
    """The review layout this header row is, or None."""
    best: tuple[int, FormatSpec] | None = None
    for spec in REVIEW_SPECS:
        ok, known = spec.matches(header)
        if ok and (best is None or known > best[0]):
            best = (known, spec)
    return best[1] if best else None


def mapping_problems(kind: str, header: list[str], mapping: dict[str, str]) -> list[str]:
    """Plain messages about a reviews/messages column mapping; empty means usable."""
    fields = REVIEW_FIELDS if kind == "reviews" else MESSAGE_FIELDS
    problems = []
    for name, column in mapping.items():
        if name == MAPPING_KIND_KEY:
            continue
        if name not in fields:
            problems.append(f"'{name}' is not one of the {kind} fields.")
        elif column not in header:
            problems.append(f"The file has no column '{column}' (chosen for {fields[name][0]}).")
    for name, (label, required, _) in fields.items():
        if required and not mapping.get(name):
            problems.append(f"Choose the column that holds the {label.lower()}.")
    return problems


def generic_spec(kind: str, header: list[str], mapping: dict[str, str]) -> FormatSpec:
    from merchant_ai.errors import UnknownFormatError

    problems = mapping_problems(kind, header, mapping)
    if problems:
        raise UnknownFormatError("The column mapping cannot be used: " + " ".join(problems))
    fields = {k: (v,) for k, v in mapping.items() if v and k != MAPPING_KIND_KEY}
    key = GENERIC_REVIEWS_KEY if kind == "reviews" else GENERIC_MESSAGES_KEY
    label = f"{kind.capitalize()} spreadsheet with your own column mapping"
    return FormatSpec(key=key, label=label, kind=kind, fields=fields, signature=tuple(fields)[:1],
                      source="spreadsheet", default_date_order="mdy")
