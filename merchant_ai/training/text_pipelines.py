"""The text pipelines the customer-service models are built from, and their metrics.

Every pipeline here converts to ONNX exactly (see text_export): word n-grams with the
shared token pattern, character n-grams with analyzer='char' (the only way Chinese, which
has no spaces, gets features), lowercase=False because the text is normalised in Python.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.pipeline import FeatureUnion, Pipeline

from merchant_ai.ml.features.text import WORD_TOKEN_PATTERN


def text_pipeline(*, C: float, word_ngrams=(1, 2), char_ngrams: tuple | None = (2, 4), min_df: int = 2,
                  seed: int = 0, balanced: bool = False) -> Pipeline:
    """TF-IDF word (+ character) n-grams -> logistic regression.

    The vocabulary is cut by min_df, never by max_features: max_features can drop a word or
    character while keeping an n-gram made of it, and ONNX can then not build that n-gram
    (skl2onnx warns "Unable to split n-grams" and the model disagrees with scikit-learn).
    """
    parts = [("words", TfidfVectorizer(lowercase=False, token_pattern=WORD_TOKEN_PATTERN, ngram_range=word_ngrams,
                                       min_df=min_df, dtype=np.float32))]
    if char_ngrams is not None:
        parts.append(("chars", TfidfVectorizer(lowercase=False, analyzer="char", ngram_range=char_ngrams,
                                               min_df=min_df, dtype=np.float32)))
    model = LogisticRegression(C=C, max_iter=3000, random_state=seed,
                               class_weight="balanced" if balanced else None)
    return Pipeline([("features", FeatureUnion(parts)), ("model", model)])


def intent_scores(truth, predicted) -> dict:
    """Macro-F1 over the intents the texts really have (an "other" answer counts as a miss,
    never as a class of its own) and accuracy."""
    labels = sorted(set(truth))
    return {"macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
            "accuracy": round(float(accuracy_score(truth, predicted)), 4), "texts": len(truth)}


def auc(labels, scores) -> float:
    return round(float(roc_auc_score(labels, scores)), 4)
