"""One-off texts (one per line of a file), classified like imported messages and reviews."""

from __future__ import annotations

from merchant_ai.ml import text_models


def classify_messages(texts: list[str]) -> list[dict]:
    """{text, intent, confidence, sentiment} per message text."""
    if not texts:
        return []
    intents = text_models.classify_intents(texts)
    tone = text_models.message_sentiment(texts)
    return [{"text": t, "intent": i, "confidence": round(float(c), 4), "sentiment": round(float(s), 4)}
            for t, i, c, s in zip(texts, intents.labels, intents.confidence, tone.score)]


def classify_reviews(texts: list[str]) -> list[dict]:
    """{text, sentiment (-1..1), confidence} per review text."""
    if not texts:
        return []
    scores = text_models.review_sentiment(texts)
    return [{"text": t, "sentiment": round(float(s), 4), "confidence": round(float(c), 4)}
            for t, s, c in zip(texts, scores.score, scores.confidence)]
