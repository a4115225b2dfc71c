"""Reviews: sentiment from the text alone, star mismatches, topics, per-product praise and complaints, trend.

`analyze(store, as_of=None)` is what the Reviews page and `merchant-ai reviews` show. Each
review's sentiment (-1..1) comes from its text (title + body) by the review model; the star
rating is shown beside it and a clear disagreement is flagged. Each clause of a review gets
its own sentiment and topics, so a product's praise and complaints are counted per topic,
with two short quotes each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from merchant_ai.errors import ModelUnavailableError
from merchant_ai.ml import text_models
from merchant_ai.services.reviews.topics import TOPIC_LABELS, clauses, product_words, topics_in, words_in
from merchant_ai.store import Store

PRAISE, COMPLAINT = 0.2, -0.2  # clause sentiment beyond these counts as praise / complaint
MISMATCH = 0.3                 # 4-5 stars with text at or below -0.3 (or 1-2 stars at +0.3 and up)
QUOTE_CHARS = 90
TREND_MONTHS = 12


@dataclass
class ReviewsResult:
    reviews: list[dict]
    products: list[dict]
    trend: list[dict]
    product_words: list[str]
    as_of: str | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"as_of": self.as_of, "reviews": self.reviews, "products": self.products, "trend": self.trend,
                "product_words": self.product_words, "notes": self.notes}

    def worsening(self) -> list[dict]:
        """Products whose recent reviews read worse than before (the dashboard card)."""
        return [p for p in self.products if p.get("turned_worse")]


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def product_names(store: Store) -> dict[str, str]:
    """Review product key (SKU or handle) -> the product's title, where the store knows it."""
    products = store.query_df("SELECT sku, title FROM products WHERE title IS NOT NULL")
    names = {str(s): t for s, t in zip(products["sku"], products["title"])}
    names.update({str(s).upper(): t for s, t in zip(products["sku"], products["title"])})
    names.update({_slug(t): t for t in products["title"]})
    return names


def _mismatch(rating, sentiment: float) -> str | None:
    if rating is None or pd.isna(rating):
        return None
    if rating >= 4 and sentiment <= -MISMATCH:
        return "high stars, but the text complains"
    if rating <= 2 and sentiment >= MISMATCH:
        return "low stars, but the text is happy"
    return None


def _sentiments(texts: list[str], notes: list[str]) -> np.ndarray:
    try:
        return text_models.review_sentiment(texts).score
    except ModelUnavailableError as exc:
        notes.append(f"Review sentiment is not available: {exc.message}")
        return np.zeros(len(texts))


def analyze(store: Store, *, as_of: date | str | None = None) -> ReviewsResult:
    cutoff = None if as_of is None else f"{pd.Timestamp(as_of):%Y-%m-%d} 00:00:00"
    where = " WHERE created_at IS NULL OR created_at < ?" if cutoff else ""
    frame = store.query_df(f"SELECT review_id, product, rating, title, body, created_at, status FROM reviews{where}",
                           (cutoff,) if cutoff else ())
    notes: list[str] = []
    if frame.empty:
        return ReviewsResult([], [], [], [], None if as_of is None else str(as_of), ["No reviews imported yet."])
    texts = [". ".join(p for p in (t, b) if p) for t, b in zip(frame["title"], frame["body"])]
    whole = _sentiments(texts, notes)
    parts = [clauses(t) or [t] for t in texts]
    flat = [c for p in parts for c in p]
    clause_scores = _sentiments(flat, notes) if flat else np.zeros(0)
    words = product_words(texts)
    names = product_names(store)
    reviews, mentions = [], defaultdict(lambda: {"praise": defaultdict(list), "complaints": defaultdict(list)})
    at = 0
    for i, row in enumerate(frame.to_dict("records")):
        found: list[str] = []
        product = names.get(str(row["product"]), names.get(str(row["product"]).upper(), row["product"]))
        for clause in parts[i]:
            score = float(clause_scores[at]) if len(clause_scores) else 0.0
            at += 1
            labels = [TOPIC_LABELS[t] for t in topics_in(clause)] + [f"'{w}'" for w in words_in(clause, words)]
            found += [t for t in labels if t not in found]
            side = "praise" if score >= PRAISE else "complaints" if score <= COMPLAINT else None
            for label in labels if side else []:
                mentions[product][side][label].append((abs(score), _quote(clause)))
        rating = None if pd.isna(row["rating"]) else float(row["rating"])
        reviews.append({"review_id": row["review_id"], "product": product, "rating": rating,
                        "sentiment": round(float(whole[i]), 3), "topics": found,
                        "mismatch": _mismatch(rating, float(whole[i])), "created_at": row["created_at"],
                        "text": texts[i]})
    table = pd.DataFrame(reviews)
    products = [_product_summary(name, group, mentions[name]) for name, group in table.groupby("product", sort=False)]
    products.sort(key=lambda p: -p["reviews"])
    return ReviewsResult(reviews, products, _trend(table), words, None if as_of is None else str(as_of), notes)


def _sides(found: dict) -> list[dict]:
    out = []
    for topic, hits in sorted(found.items(), key=lambda kv: -len(kv[1])):
        strongest = [q for _, q in sorted(hits, key=lambda h: -h[0])]
        quotes = list(dict.fromkeys(strongest))[:2]
        out.append({"topic": topic, "count": len(hits), "quotes": quotes})
    return out


def _product_summary(product: str, group: pd.DataFrame, found: dict) -> dict:
    dated = group.dropna(subset=["created_at"]).sort_values("created_at")
    turned_worse = False
    if len(dated) >= 6:  # the latest third of its reviews vs the rest, when both say something
        cut = len(dated) - max(2, len(dated) // 3)
        before, recent = dated["sentiment"].iloc[:cut].mean(), dated["sentiment"].iloc[cut:].mean()
        turned_worse = bool(recent < before - 0.3)
    ratings = group["rating"].dropna()
    return {"product": product, "reviews": len(group),
            "average_rating": None if ratings.empty else round(float(ratings.mean()), 2),
            "average_sentiment": round(float(group["sentiment"].mean()), 3),
            "praise": _sides(found["praise"]), "complaints": _sides(found["complaints"]),
            "mismatches": int(group["mismatch"].notna().sum()), "turned_worse": turned_worse}


def _trend(table: pd.DataFrame) -> list[dict]:
    """Per month (last TREND_MONTHS with reviews): reviews, average stars and text sentiment."""
    dated = table.dropna(subset=["created_at"]).copy()
    if dated.empty:
        return []
    dated["month"] = dated["created_at"].str[:7]
    monthly = dated.groupby("month").agg(reviews=("review_id", "count"), average_rating=("rating", "mean"),
                                         average_sentiment=("sentiment", "mean")).tail(TREND_MONTHS)
    return [{"month": m, "reviews": int(r.reviews),
             "average_rating": None if pd.isna(r.average_rating) else round(float(r.average_rating), 2),
             "average_sentiment": round(float(r.average_sentiment), 3)} for m, r in monthly.iterrows()]
