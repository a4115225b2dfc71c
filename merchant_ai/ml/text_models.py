"""The shipped text models, run on batches of texts: intent, message and review sentiment.

Texts are normalised here exactly as in training (merchant_ai.ml.features.text) and fed to
onnxruntime in batches. The intent model's card holds the "other" threshold chosen in
training: below it the answer is "other", never a forced guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from merchant_ai.ml.features.text import FEATURE_NAMES, normalize_texts
from merchant_ai.ml.registry import OnnxModel, load_model

INTENT_MODEL, MESSAGE_SENTIMENT_MODEL, REVIEW_SENTIMENT_MODEL = "support_intent", "message_sentiment", "review_sentiment"
OTHER = "other"
BATCH = 4096  # bounds the memory of one onnxruntime call on a long inbox


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


def classify_intents(texts: list[str]) -> TextScores:
    """Intent + probability per text; 'other' where the top probability is below the card's threshold."""
    model = load_model(INTENT_MODEL, feature_names=FEATURE_NAMES)
    proba = _probabilities(model, texts)
    classes = np.array(model.card["classes"], dtype=object)
    best = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=int)
    confidence = proba[np.arange(len(proba)), best] if len(proba) else np.zeros(0)
    labels = classes[best] if len(proba) else np.array([], dtype=object)
    labels = np.where(confidence < float(model.card.get("other_threshold", 0.0)), OTHER, labels)
    return TextScores([str(v) for v in labels], confidence)


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
