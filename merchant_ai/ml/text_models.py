"""The shipped text models, run on batches of texts: intent, message and review sentiment.

Texts are normalised here exactly as in training (merchant_ai.ml.features.text) and fed to
onnxruntime in batches. The intent model's card holds the "other" threshold chosen in
training: below it the answer is "other", never a forced guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from merchant_ai.ml.features.text import FEATURE_NAMES, normalize_texts
from merchant_ai.ml.registry import OnnxModel, load_model

INTENT_MODEL, MESSAGE_SENTIMENT_MODEL, REVIEW_SENTIMENT_MODEL = "support_intent", "message_sentiment", "review_sentiment"
OTHER = "other"
BATCH = 4096  # bounds the memory of one onnxruntime call on a long inbox
MAX_SENTENCES = 5
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|\n+")


@dataclass
class TextScores:
    labels: list[str]
    confidence: np.ndarray  # probability of the label given
    score: np.ndarray | None = None  # sentiment -1 .. 1 (sentiment models)


def _probabilities(model: OnnxModel, texts: list[str]) -> np.ndarray:
    clean = normalize_texts(texts)
    parts = []
    for start in range(0, len(clean), BATCH):
        frame = pd.DataFrame({FEATURE_NAMES[0]: clean[start:start + BATCH]})
        parts.append(np.asarray(model.predict(frame)["probabilities"], dtype=np.float64))
    n_classes = len(model.card.get("classes", [])) or 1
    return np.vstack(parts) if parts else np.zeros((0, n_classes))


def sentences(text: str, limit: int = MAX_SENTENCES) -> list[str]:
    parts = [p.strip() for p in _SENTENCE.split(text or "") if len(p.strip()) >= 3]
    return parts[:limit]


def classify_intents(texts: list[str]) -> TextScores:
    """Intent + probability per text; 'other' where the top probability is below the card's threshold.

    The model learnt from one-sentence requests; real mail says "Hi. Where is my order? It has
    not come." So the whole text and each of its first sentences are scored, and the most
    confident answer that is a request wins ("Hi." is confidently "other" and must not win).
    """
    model = load_model(INTENT_MODEL, feature_names=FEATURE_NAMES)
    pieces, owner, first = [], [], []
    for i, text in enumerate(texts):
        parts = sentences(text)
        first.append(len(pieces))
        pieces += [text] + (parts if len(parts) > 1 else [])
        owner += [i] * (1 + (len(parts) if len(parts) > 1 else 0))
    proba = _probabilities(model, pieces)
    classes = np.array(model.card["classes"], dtype=object)
    threshold = float(model.card.get("other_threshold", 0.0))
    best = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=int)
    top = proba.max(axis=1) if len(proba) else np.zeros(0)
    is_request = classes[best] != OTHER
    labels = [str(classes[best[row]]) for row in first]  # the whole text's answer ...
    confidence = np.array([top[row] for row in first], dtype=float)
    for row, i in enumerate(owner):
        if row == first[i] or not is_request[row]:
            continue
        # ... unless one of its sentences is a surer request, or the whole text was "other"
        if top[row] > confidence[i] or (labels[i] == OTHER and top[row] >= threshold):
            labels[i], confidence[i] = str(classes[best[row]]), float(top[row])
    labels = [OTHER if c < threshold else label for label, c in zip(labels, confidence)]
    return TextScores(labels, confidence)


def message_sentiment(texts: list[str]) -> TextScores:
    """negative / neutral / positive per message, and P(positive) - P(negative) as -1 .. 1."""
    model = load_model(MESSAGE_SENTIMENT_MODEL, feature_names=FEATURE_NAMES)
    proba = _probabilities(model, texts)
    classes = list(model.card["classes"])
    score = proba[:, classes.index("positive")] - proba[:, classes.index("negative")] if len(proba) else np.zeros(0)
    best = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=int)
    return TextScores([classes[i] for i in best], proba.max(axis=1) if len(proba) else np.zeros(0), score)


def review_sentiment(texts: list[str]) -> TextScores:
    """2 x P(positive) - 1 per review text (-1 .. 1), and the label's probability."""
    model = load_model(REVIEW_SENTIMENT_MODEL, feature_names=FEATURE_NAMES)
    proba = _probabilities(model, texts)
    positive = proba[:, list(model.card["classes"]).index(1)] if len(proba) else np.zeros(0)
    labels = ["positive" if p >= 0.5 else "negative" for p in positive]
    return TextScores(labels, np.maximum(positive, 1 - positive), 2 * positive - 1)
