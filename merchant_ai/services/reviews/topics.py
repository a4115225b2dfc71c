"""What a review talks about: the six standard topics, and product words from the shop's own reviews.

Topics come from word lists (English words, Chinese phrases) matched per clause, so "fits
well but the zip broke" gives size/fit in one clause and quality in the other, each with its
own sentiment. Product words ("zipper", "lining", "wick") are the words the shop's reviews use
most that are neither common words nor topic words: counted at run time, nothing fitted.
"""

from __future__ import annotations

import re
from collections import Counter

TOPICS: dict[str, tuple[list[str], list[str]]] = {
    # topic: (English word stems, Chinese phrases)
    "quality": (["quality", "well made", "well-made", "cheaply", "flimsy", "sturdy", "durable", "stitch", "seam",
                 "broke", "broken", "fell apart", "tear", "torn", "ripped", "pilling", "pilled", "faded", "defect",
                 "material", "fabric", "craftsmanship", "poorly made", "scratch", "crack", "chipped", "leak"],
                ["质量", "做工", "材质", "面料", "结实", "破了", "坏了", "掉色", "起球", "瑕疵", "漏"]),
    "size_fit": (["size", "sizing", "fit", "fits", "fitted", "fitting", "too small", "too big", "too large",
                  "tight", "loose", "petite", "length", "runs small", "runs large", "true to size", "snug", "baggy"],
                 ["尺码", "大小", "码数", "合身", "偏大", "偏小", "太紧", "太松", "尺寸"]),
    "shipping_delivery": (["shipping", "delivery", "delivered", "arrived", "arrive", "courier", "dispatch",
                           "shipped", "late", "took weeks", "on time", "parcel", "postage", "tracking"],
                          ["物流", "快递", "发货", "送货", "到货", "配送", "送到"]),
    "packaging": (["packaging", "packed", "packing", "box", "wrapped", "wrapping", "gift wrap", "bubble wrap"],
                  ["包装", "盒子", "纸箱"]),
    "price_value": (["price", "value", "worth", "expensive", "overpriced", "bargain", "money", "cost", "pricey",
                     "cheap", "affordable", "on sale", "discount"],
                    ["价格", "价钱", "便宜", "贵", "性价比", "划算", "实惠", "值"]),
    "customer_service": (["customer service", "service", "support", "seller", "refund", "return", "returned",
                          "exchange", "helpful", "rude", "responsive", "replied", "response", "staff"],
                         ["客服", "服务", "卖家", "退货", "换货", "售后", "态度"]),
}
TOPIC_LABELS = {"quality": "quality", "size_fit": "size/fit", "shipping_delivery": "shipping/delivery",
                "packaging": "packaging", "price_value": "price/value", "customer_service": "customer service"}
_PATTERNS = {
    topic: (re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(en, key=len, reverse=True)) + r")\w*", re.IGNORECASE),
            tuple(zh))
    for topic, (en, zh) in TOPICS.items()
}
_CLAUSES = re.compile(r"[.!?;。！？；\n]+|,\s*but\b|\bbut\b|\bhowever\b|，但|但是")
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
STOPWORDS = {"the", "and", "for", "but", "with", "this", "that", "was", "are", "were", "have", "has", "had", "not", "you", "your", "yours", "they", "them", "their", "its", "it's", "i'm", "i've", "i'd", "she", "her", "his", "him", "our", "ours", "out", "very", "too", "really", "just", "also", "much", "more", "most", "some", "any", "all", "can", "could", "would", "should", "will", "what", "when", "where", "which", "who", "why", "how", "than", "then", "there", "here", "from", "into", "onto", "over", "under", "about", "after", "before", "again", "once", "only", "own", "same", "such", "both", "each", "few", "other", "off", "well", "back", "even", "still", "one", "two", "get", "got", "getting", "love", "loved", "lovely", "like", "liked", "great", "good", "nice", "beautiful", "perfect", "pretty", "cute", "bad", "poor", "happy", "sad", "wear", "wore", "worn", "wearing", "look", "looks", "looked", "looking", "bought", "buy", "ordered", "order", "item", "items", "product", "products", "made", "make", "makes", "little", "bit", "lot", "lots", "way", "thing", "things", "because", "however", "though", "although", "definitely", "absolutely", "usually", "always", "never", "first", "last", "time", "times", "day", "days", "week", "weeks", "month", "months", "year", "years", "does", "did", "doing", "done", "don't", "didn't", "doesn't", "isn't", "wasn't", "aren't", "can't", "won't", "couldn't", "wouldn't", "shouldn't", "i'll", "you're", "they're", "it'll", "let's", "which's", "retailer", "color", "colors", "colour", "colours", "dress", "dresses", "top", "tops", "shirt", "jeans", "pants", "sweater", "skirt", "jacket", "size", "sizes", "small", "medium", "large", "fit", "fits", "fitted", "fabric", "material", "quality", "price"}


def clauses(text: str) -> list[str]:
    """The review cut where its sentiment may turn (sentences, 'but', '但是')."""
    parts = [p.strip(" ,，、-") for p in _CLAUSES.split(text or "")]
    return [p for p in parts if len(p) >= 3]


def topics_in(text: str) -> list[str]:
    """The standard topics a text mentions, in TOPICS order."""
    found = []
    for topic, (english, chinese) in _PATTERNS.items():
        if english.search(text) or any(phrase in text for phrase in chinese):
            found.append(topic)
    return found


def product_words(texts: list[str], *, limit: int = 12, min_reviews: int = 3) -> list[str]:
    """The words the shop's reviews use most (in at least `min_reviews` reviews and 2% of them)
    that are no common or topic word: its products' own vocabulary."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(set(_WORD.findall((text or "").lower())))
    floor = max(min_reviews, int(0.02 * len(texts)))
    words = [w for w, n in counts.most_common() if n >= floor and w not in STOPWORDS and not topics_in(w)
             and not w.endswith("'s")]
    return words[:limit]


def words_in(text: str, words: list[str]) -> list[str]:
    present = set(_WORD.findall((text or "").lower()))
    return [w for w in words if w in present]
