"""Text models: the skl2onnx pitfalls are refused, ONNX labels like scikit-learn, 'other' when unsure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from merchant_ai.ml.features.text import FEATURE_NAMES, WORD_TOKEN_PATTERN, normalize_text, normalize_texts

TEXTS = ["the mug arrived broken", "where is my parcel", "love it, great quality", "terrible, fell apart",
         "质量很好，物流很快", "太差了，再也不买了", "order #1042 has not arrived", "fits well, very happy",
         "包装破损，很失望", "非常满意，下次还来", "the zip broke on day one", "quick delivery, thank you"]
LABELS = [0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1]


def _pipeline(**vectoriser) -> Pipeline:
    settings = {"lowercase": False, "analyzer": "char", "ngram_range": (1, 2), **vectoriser}
    return Pipeline([("features", TfidfVectorizer(**settings)), ("model", LogisticRegression(C=10))])


def test_text_is_normalised_the_same_way_for_training_and_inference():
    assert normalize_text("  Order ＃１０４２\n\tARRIVED  broken！ ") == "order 0 arrived broken!"
    assert normalize_text(None) == "" and normalize_texts(["A", "b"]) == ["a", "b"]


@pytest.mark.parametrize("settings", [
    {"lowercase": True}, {"analyzer": "char_wb"}, {"sublinear_tf": True}, {"max_features": 50},
    {"analyzer": "word", "ngram_range": (1, 1)},  # the default token pattern drops every Chinese character
])
def test_export_refuses_vectoriser_settings_that_break_onnx(settings):
    from merchant_ai.training.text_export import check_convertible

    with pytest.raises(ValueError):
        check_convertible(_pipeline(**settings).fit(normalize_texts(TEXTS), LABELS))


def test_an_english_and_chinese_pipeline_labels_every_text_like_scikit_learn(tmp_path):
    from merchant_ai.ml.registry import clear_cache, load_model
    from merchant_ai.training.text_export import export_text_model

    texts = normalize_texts(TEXTS)
    pipeline = _pipeline().fit(texts, LABELS)
    card = export_text_model(pipeline, name="tiny_text", version="1.0.0", train_texts=texts, eval_texts=texts,
                             out_dir=tmp_path, card={"purpose": "p", "training_data": "t", "metrics": {}, "limits": "l"})
    assert card["parity"]["label_agreement"] == 1.0 and card["input_kind"] == "text"
    clear_cache()
    model = load_model("tiny_text", models_dir=tmp_path, feature_names=FEATURE_NAMES, preference="cpu")
    unseen = normalize_texts(["broken again", "物流很慢，质量差", "great, thanks"])
    out = model.predict(pd.DataFrame({"text": unseen}))
    assert list(out["label"]) == list(pipeline.predict(unseen))
    np.testing.assert_allclose(out["probabilities"], pipeline.predict_proba(unseen), atol=1e-5)


def test_word_vectorisers_use_the_token_pattern_that_means_the_same_in_onnx():
    from merchant_ai.training.text_pipelines import text_pipeline

    words = text_pipeline(C=1.0).named_steps["features"].transformer_list[0][1]
    assert words.token_pattern == WORD_TOKEN_PATTERN and not words.lowercase


def test_the_shipped_intent_model_says_other_rather_than_guess():
    from merchant_ai.ml.text_models import classify_intents

    result = classify_intents(["my mug arrived broken", "qwxz vbnm", "我的订单还没到", "hello!"])
    assert result.labels[0] == "damaged_item"
    assert result.labels[1:] == ["other", "other", "other"]
