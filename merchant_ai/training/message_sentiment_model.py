"""Offline training of the message sentiment model (models/message_sentiment.onnx).

Three classes, because most support mail is neither happy nor angry: negative (1-2 star
reviews, Bitext complaints, template damaged/wrong-item messages), neutral (the other
Bitext requests and template questions) and positive (4-5 star reviews, template thank-you
messages). The settings are those of the smallest review-model candidate (scored on the
review model's "choose" parts); classes are balanced. Reported on data not trained on: the review "report" parts (positive vs
negative) and the Bitext validation file (complaints vs requests).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from merchant_ai.ml.features.text import normalize_texts
from merchant_ai.training import intent_templates
from merchant_ai.training.review_sentiment_model import CANDIDATES, per_language, splits
from merchant_ai.training.support_data import bitext, require_data
from merchant_ai.training.text_pipelines import auc, text_pipeline

VERSION = "1.0.0"
NAME = "message_sentiment"
CHOSEN = "words1-2+chars1-2, C=4, min_df=15"
NEGATIVE_INTENTS = {"complaint", "damaged_item", "wrong_item"}
REVIEWS_PER_LANGUAGE_CLASS = 6000  # keeps reviews from drowning the support mail


def training_set(seed: int) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed + 21)
    texts, labels = [], []
    for s in splits():
        for value, name in ((0, "negative"), (1, "positive")):
            idx = np.flatnonzero(s.labels["train"] == value)
            idx = rng.choice(idx, size=min(len(idx), REVIEWS_PER_LANGUAGE_CLASS), replace=False)
            texts += [s.texts["train"][i] for i in idx]
            labels += [name] * len(idx)
    frame = bitext("train")
    extra = intent_templates.intent_examples(seed=21)
    for text, intent in list(zip(frame["text"], frame["intent"])) + extra:
        texts.append(text)
        labels.append("negative" if intent in NEGATIVE_INTENTS else "neutral")
    thanks = intent_templates.thanks_examples()
    return normalize_texts(texts + thanks), np.array(labels + ["positive"] * len(thanks))


def score(proba: np.ndarray, classes) -> np.ndarray:
    """P(positive) - P(negative): -1 .. 1."""
    classes = list(classes)
    return proba[:, classes.index("positive")] - proba[:, classes.index("negative")]


class _AsBinary:
    """Lets per_language score this 3-class model by its -1..1 score."""

    def __init__(self, pipeline):
        self.pipeline = pipeline

    def predict_proba(self, texts):
        s = score(self.pipeline.predict_proba(texts), self.pipeline.classes_)
        return np.column_stack([-s, s])


def build(out_dir: Path, *, seed: int = 0) -> dict:
    from merchant_ai.training.text_export import export_text_model

    require_data()
    texts, labels = training_set(seed)
    pipeline = text_pipeline(seed=seed, balanced=True, **CANDIDATES[CHOSEN]).fit(texts, labels)
    validation = bitext("validation")
    val_texts = normalize_texts(validation["text"])
    val_score = score(pipeline.predict_proba(val_texts), pipeline.classes_)
    is_complaint = validation["intent"].eq("complaint").to_numpy()
    predicted = pipeline.predict(val_texts)
    metrics = {
        "settings": CHOSEN + " (a review_sentiment candidate, scored on its 'choose' parts)",
        "reviews_report_parts": per_language(_AsBinary(pipeline), splits(), "report"),
        "bitext_validation": {"complaint_vs_other_roc_auc": auc(is_complaint, -val_score),
                              "requests_said_neutral": round(float(np.mean(predicted[~is_complaint] == "neutral")), 4),
                              "texts": len(val_texts)},
    }
    report_texts = [t for s in splits() for t in normalize_texts(s.texts["report"][:2000])]
    export_text_model(
        pipeline, name=NAME, version=VERSION, train_texts=texts, eval_texts=val_texts + report_texts,
        out_dir=out_dir,
        card={
            "purpose": "The tone of a customer's message: negative, neutral or positive; the app shows "
                       "P(positive) - P(negative) as a sentiment from -1 to 1.",
            "training_data": f"{len(texts)} texts: train parts of the English and Chinese review sets (seed 21, "
                             f"at most {REVIEWS_PER_LANGUAGE_CLASS} per language and class), the Bitext training "
                             "file (complaints negative, other requests neutral), seeded template messages.",
            "metrics": metrics,
            "outputs": {"label": "negative / neutral / positive", "probabilities": "in `classes` order"},
            "limits": "No real labelled support mail exists in the training data: neutral is learnt from "
                      "synthetic requests, negative and positive mostly from reviews.",
        },
    )
    return metrics
