"""Export a scikit-learn text pipeline to ONNX, prove it labels the same, write its card.

The text twin of export.export_model: one input "X" of strings, shape [None, 1] (texts
normalised in Python by merchant_ai.ml.features.text first), ZipMap off, feature_names
["text"] + version + training date in the metadata. The parity check runs onnxruntime and
scikit-learn on every evaluation text: labels must agree on 100% of them and probabilities
within the tolerance, else ParityCheckError and nothing is written.

Pitfalls checked here, all of which fail silently otherwise: analyzer='char_wb' has no
converter; the default token pattern becomes [a-zA-Z0-9_]+ in ONNX (every Chinese character
is dropped), so word vectorisers use WORD_TOKEN_PATTERN and Chinese goes through
analyzer='char'; lowercase=True makes the session fail to load without the en_US.UTF-8
locale, so every vectoriser must say lowercase=False; sublinear_tf=True converts but
weighs a word used twice differently in ONNX (measured: up to 0.03 in probability).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from merchant_ai.ml.features.text import FEATURE_NAMES
from merchant_ai.training.export import (
    DEFAULT_TARGET_OPSET,
    INPUT_NAME,
    MAX_MODEL_BYTES,
    PARITY_SAMPLE_ROWS,
    REQUIRED_CARD_KEYS,
    ParityCheckError,
    _write_atomic,
)
from merchant_ai.training.model_cards import write_models_readme

TEXT_PROVIDER_NOTE = ("Text models run on the CPU: the tokenizer and n-gram operators have no GPU "
                      "kernels, so choosing a GPU does not make this model faster.")


def _vectorisers(pipeline):
    from sklearn.feature_extraction.text import TfidfVectorizer

    found = []
    for _, step in getattr(pipeline, "steps", []):
        for _, part in getattr(step, "transformer_list", [("", step)]):
            if isinstance(part, TfidfVectorizer):
                found.append(part)
    return found


def check_convertible(pipeline) -> None:
    """Refuse the settings that convert but then disagree or fail to load (see module doc)."""
    from merchant_ai.ml.features.text import WORD_TOKEN_PATTERN

    for vec in _vectorisers(pipeline):
        if vec.lowercase:
            raise ValueError("text vectorisers need lowercase=False (normalise_text lower-cases in Python)")
        if vec.max_features is not None:
            raise ValueError("cut the vocabulary with min_df, not max_features (see text_pipelines)")
        if vec.sublinear_tf:
            raise ValueError("sublinear_tf=True converts but ONNX then weighs repeated words differently")
        if vec.analyzer == "char_wb":
            raise ValueError("analyzer='char_wb' does not convert to ONNX; use analyzer='char'")
        if vec.analyzer == "word" and vec.token_pattern != WORD_TOKEN_PATTERN:
            raise ValueError(f"word vectorisers need token_pattern={WORD_TOKEN_PATTERN!r}")


def to_onnx_text_model(pipeline, *, name: str, version: str, trained_at: str):
    import warnings

    from onnx import helper
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import StringTensorType

    check_convertible(pipeline)
    final = pipeline.steps[-1][1]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*only tokenizer='word' is fully supported.*")
        model = to_onnx(pipeline, initial_types=[(INPUT_NAME, StringTensorType([None, 1]))],
                        target_opset=DEFAULT_TARGET_OPSET, options={id(final): {"zipmap": False}})
    helper.set_model_props(model, {"feature_names": json.dumps(FEATURE_NAMES), "model_name": name,
                                   "model_version": version, "trained_at": trained_at, "input_kind": "text"})
    model.doc_string = f"Merchant AI text model {name} {version}, trained {trained_at}."
    return model


def check_text_parity(pipeline, model_bytes: bytes, texts: list[str], tolerance: float) -> dict:
    """onnxruntime vs scikit-learn on every text: 100% label agreement, probabilities within tolerance."""
    import onnxruntime

    session = onnxruntime.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    labels, proba = session.run(None, {INPUT_NAME: np.array(texts, dtype=object).reshape(-1, 1)})
    sk_labels = pipeline.predict(texts)
    sk_proba = pipeline.predict_proba(texts)
    agreement = float(np.mean(np.asarray(labels).astype(str) == np.asarray(sk_labels).astype(str)))
    max_diff = float(np.max(np.abs(proba - sk_proba))) if len(texts) else 0.0
    result = {"rows": len(texts), "compared": "labels (all must agree) and probabilities",
              "label_agreement": agreement, "tolerance": tolerance, "max_abs_diff": max_diff,
              "rule": "labels equal on every text; |onnx - sklearn| <= tol",
              "passed": agreement == 1.0 and max_diff <= tolerance}
    if not result["passed"]:
        raise ParityCheckError(f"ONNX and scikit-learn disagree on texts: {result}")
    result["sample"] = {"X": [[t] for t in texts[:PARITY_SAMPLE_ROWS]],
                        "expected": {"probabilities": sk_proba[:PARITY_SAMPLE_ROWS].tolist()}}
    return result


def export_text_model(pipeline, *, name: str, version: str, train_texts: list[str], eval_texts: list[str],
                      out_dir: Path, card: dict, tolerance: float = 1e-2, extra_meta: dict | None = None) -> dict:
    """Export, parity-check on eval_texts and write out_dir/NAME.onnx + NAME.json; returns the card."""
    missing = [key for key in REQUIRED_CARD_KEYS if key not in card]
    if missing:
        raise ValueError(f"The card of {name} lacks {missing}.")
    if not eval_texts:
        raise ValueError("parity needs evaluation texts")
    trained_at = datetime.now(UTC).date().isoformat()
    model = to_onnx_text_model(pipeline, name=name, version=version, trained_at=trained_at)
    model_bytes = model.SerializeToString()
    if len(model_bytes) > MAX_MODEL_BYTES:
        raise ValueError(f"{name}.onnx would be {len(model_bytes) / 1e6:.1f} MB; keep shipped models under 15 MB.")
    parity = check_text_parity(pipeline, model_bytes, eval_texts, tolerance)

    import onnx
    import onnxruntime
    import skl2onnx
    import sklearn

    final = pipeline.steps[-1][1]
    full_card = {
        "name": name, "version": version, "trained_at": trained_at, "file": f"{name}.onnx",
        "sha256": hashlib.sha256(model_bytes).hexdigest(), "size_bytes": len(model_bytes),
        "estimator": " + ".join(type(step).__name__ for _, step in pipeline.steps),
        **card,
        "input_kind": "text",
        "inputs": {"text": "one normalised text per row (merchant_ai.ml.features.text.normalize_text)"},
        "feature_names": list(FEATURE_NAMES),
        "output_names": [o.name for o in model.graph.output],
        "classes": [c.item() if hasattr(c, "item") else c for c in final.classes_],
        "training_rows": len(train_texts),
        "target_opset": DEFAULT_TARGET_OPSET,
        "parity": parity,
        "tree_ensemble": False,
        "providers": TEXT_PROVIDER_NOTE + " (Tree ensembles likewise run on the CPU whatever the provider.)",
        "built_with": {"scikit-learn": sklearn.__version__, "skl2onnx": skl2onnx.__version__,
                       "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__},
        **(extra_meta or {}),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(out_dir / f"{name}.onnx", model_bytes)
    _write_atomic(out_dir / f"{name}.json",
                  (json.dumps(full_card, indent=1, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
    write_models_readme(out_dir)
    return full_card
