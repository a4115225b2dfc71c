"""Reviews exports with the real header rows of each app (rows written by the tests)."""

from __future__ import annotations

import csv
from pathlib import Path

HEADERS = {
    "judgeme_reviews": "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,"
                       "product_handle,reply,reply_date,picture_urls,ip_address,location",
    "judgeme_template": "product_handle,review_title,body,reviewer_name,reviewer_email,rating,review_date,reply,"
                        "reply_date,featured,verified,hidden",
    "shopify_reviews": "product_handle,state,rating,title,author,email,location,body,reply,created_at,replied_at",
    # the common WooCommerce review export plugin (WordPress comment fields + the rating meta)
    "woocommerce_reviews": "comment_ID,comment_post_ID,product_SKU,comment_author,comment_author_email,"
                           "comment_author_url,comment_author_IP,comment_date,comment_date_gmt,comment_content,"
                           "comment_karma,comment_approved,comment_parent,user_id,rating,verified",
}
EXPECTED_FORMAT = {"judgeme_reviews": "judgeme_reviews", "judgeme_template": "judgeme_reviews",
                   "shopify_reviews": "shopify_reviews", "woocommerce_reviews": "woocommerce_reviews"}

REVIEWS = [  # product, stars, title, body, date, name, email
    ("oak-candle", 5, "Lovely", "Smells wonderful and burns evenly. Great value.", "2024-05-02 10:00:00",
     "Anna Berg", "anna@example.com"),
    ("oak-candle", 1, "Broken", "Arrived broken, the glass was cracked. Poor packaging.", "2024-05-09 12:00:00",
     "Bob Li", "bob@example.com"),
    ("linen-scarf", 4, "Nice", "Soft fabric, runs a little small.", "2024-06-01 09:30:00", "Cleo Park",
     "cleo@example.com"),
]


def _row(layout: str, i: int, review) -> dict:
    product, stars, title, body, date, name, email = review
    common = {"rating": stars, "body": body, "reviewer_name": name, "reviewer_email": email, "product_handle": product}
    if layout == "judgeme_reviews":
        return {**common, "title": title, "review_date": date, "source": "web", "curated": "ok", "product_id": 100 + i}
    if layout == "judgeme_template":
        return {**common, "review_title": title, "review_date": date, "hidden": "FALSE" if i else "TRUE",
                "verified": "TRUE"}
    if layout == "shopify_reviews":
        return {"product_handle": product, "state": "published", "rating": stars, "title": title, "author": name,
                "email": email, "body": body, "created_at": date}
    return {"comment_ID": 500 + i, "comment_post_ID": 40 + i, "product_SKU": product.upper(), "comment_author": name,
            "comment_author_email": email, "comment_date": date, "comment_date_gmt": date, "comment_content": body,
            "comment_approved": 1, "rating": stars, "verified": 1}


def write_reviews(path: Path, layout: str, reviews=REVIEWS) -> Path:
    header = HEADERS[layout].split(",")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for i, review in enumerate(reviews):
            writer.writerow({k: v for k, v in _row(layout, i, review).items() if k in header})
    return path
