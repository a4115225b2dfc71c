"""Parity for EVERY shipped model: replay the held-out rows stored in its card through onnxruntime.

The build (export_model) compared ONNX with scikit-learn on held-out rows and stored a sample
of those rows with scikit-learn's outputs in the card; here the shipped file must still give
the same outputs, within the card's stated tolerance, on the onnxruntime this app runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from merchant_ai.ml.registry import default_models_dir, file_sha256, load_model

SHIPPED_CARDS = sorted((Path(__file__).resolve().parents[2] / "models").glob("*.json"))


def replay_parity_sample(model, card: dict) -> float:
    """Max |onnx - sklearn| over the card's sample; asserts it is within the tolerance."""
    assert "sample" in card["parity"], (
        f"{card['name']}.json has no parity sample: rebuild it with "
        f"`python -m merchant_ai.training build --only {card['name']}`")
    sample = card["parity"]["sample"]
    tolerance = card["parity"]["tolerance"]
    dtype = object if card.get("input_kind") == "text" else np.float64  # text models: rows of strings
    rows = pd.DataFrame(np.array(sample["X"], dtype=dtype), columns=model.feature_names)
    outputs = model.predict(rows)
    worst = 0.0
    for name, expected in sample["expected"].items():
        expected = np.array(expected, dtype=np.float64)
        got = np.asarray(outputs[name], dtype=np.float64).reshape(expected.shape)
        np.testing.assert_allclose(got, expected, rtol=tolerance, atol=tolerance, err_msg=name)
        worst = max(worst, float(np.max(np.abs(got - expected))))
    return worst


@pytest.mark.parametrize("card_path", SHIPPED_CARDS, ids=[p.stem for p in SHIPPED_CARDS])
def test_shipped_model_predicts_like_scikit_learn_within_card_tolerance(card_path):
    card = json.loads(card_path.read_text(encoding="utf-8"))
    onnx_path = card_path.with_suffix(".onnx")
    assert onnx_path.is_file(), f"{card_path.name} has no {onnx_path.name}"
    assert file_sha256(onnx_path) == card["sha256"], "the shipped file is not the one the card describes"
    assert card["parity"]["passed"] is True
    assert onnx_path.stat().st_size < 15 * 1024 * 1024
    for key in ("purpose", "inputs", "outputs", "training_data", "version", "trained_at", "metrics", "limits"):
        assert card.get(key) not in (None, "", {}), f"card lacks {key}"
    assert "CPU whatever the provider" in card["providers"]
    model = load_model(card["name"], models_dir=card_path.parent, preference="cpu")
    assert model.feature_names == card["feature_names"]
    replay_parity_sample(model, card)


def test_models_readme_has_a_section_for_every_shipped_card():
    readme = default_models_dir() / "README.md"
    if not SHIPPED_CARDS:
        pytest.skip("no model is shipped yet")
    text = readme.read_text(encoding="utf-8")
    for card_path in SHIPPED_CARDS:
        assert f"## {card_path.stem} " in text


def test_parity_replay_works_on_a_model_built_by_export(tiny_models_dir):
    # Proves the replay above really checks something, even before any model is shipped.
    for name in ("tiny_clf", "tiny_reg"):
        card = json.loads((tiny_models_dir / f"{name}.json").read_text(encoding="utf-8"))
        model = load_model(name, models_dir=tiny_models_dir, preference="cpu")
        assert replay_parity_sample(model, card) <= card["parity"]["tolerance"]
        card["parity"]["sample"]["expected"] = {
            key: (np.array(values, dtype=np.float64) + 0.01).tolist()
            for key, values in card["parity"]["sample"]["expected"].items()
        }
        with pytest.raises(AssertionError):
            replay_parity_sample(model, card)
