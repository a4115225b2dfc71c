"""Export a fitted scikit-learn model to ONNX, prove it predicts the same, write its card.

Every shipped model goes through `export_model`, so they all share: one float32 input named
"X", an explicit target opset, ZipMap off, feature names + version + training date in the
ONNX metadata, and a parity check on held-out rows that fails the build when ONNX and
scikit-learn disagree beyond the stated tolerance.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.training.model_cards import PROVIDER_NOTE, write_models_readme

DEFAULT_TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}
MAX_MODEL_BYTES = 15 * 1024 * 1024
REQUIRED_CARD_KEYS = ("purpose", "training_data", "metrics", "limits")
INPUT_NAME = "X"  # merchant_ai.ml.registry feeds this input
PARITY_SAMPLE_ROWS = 20  # held-out rows + scikit-learn outputs kept in the card for the shipped-model tests


class ParityCheckError(RuntimeError):
    """ONNX and scikit-learn predictions differ beyond the tolerance: the build must fail."""


def float32_values(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every value rounded to float32 (kept as float64 for scikit-learn).

    Fit tree models on this: ONNX compares float32 features with float32 thresholds, so a
    split between two training values that float32 cannot tell apart (0.9999999999 vs 1.0)
    sends rows the other way at run time.
    """
    return frame.astype(np.float32).astype(np.float64)


def _final_step(estimator):
    steps = getattr(estimator, "steps", None)
    return steps[-1][1] if steps else estimator


def _is_classifier(estimator) -> bool:
    from sklearn.base import is_classifier

    return is_classifier(estimator) and hasattr(estimator, "predict_proba")


def _has_log_link(estimator) -> bool:
    """HistGradientBoostingRegressor with poisson/gamma loss predicts exp(raw)."""
    link = getattr(getattr(_final_step(estimator), "_loss", None), "link", None)
    return type(_final_step(estimator)).__name__ == "HistGradientBoostingRegressor" and \
        type(link).__name__ == "LogLink"


def _append_exp(model) -> None:
    """skl2onnx emits the raw (log) score for log-link boosting; add the Exp that predict() applies."""
    from onnx import helper

    final = model.graph.output[0].name
    raw = f"{final}_log"
    for node in model.graph.node:
        for i, out in enumerate(node.output):
            if out == final:
                node.output[i] = raw
    model.graph.node.append(helper.make_node("Exp", [raw], [final], name="log_link_exp"))


def to_onnx_model(estimator, feature_names: list[str], *, name: str, version: str, trained_at: str,
                  target_opset: dict | int | None = None):
    """The ONNX ModelProto for a fitted estimator, with our input, options and metadata."""
    from onnx import helper
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType

    options = {"zipmap": False} if _is_classifier(estimator) else None
    with warnings.catch_warnings():
        # skl2onnx 1.20 passes booleans where onnx wants ints (harmless; one warning per tree node).
        warnings.filterwarnings("ignore", message=".*Expected an int, got a boolean.*", category=DeprecationWarning)
        model = to_onnx(
            estimator,
            initial_types=[(INPUT_NAME, FloatTensorType([None, len(feature_names)]))],
            target_opset=target_opset or DEFAULT_TARGET_OPSET,
            options=options,
        )
    if _has_log_link(estimator):
        _append_exp(model)
    helper.set_model_props(model, {
        "feature_names": json.dumps(list(feature_names)),
        "model_name": name,
        "model_version": version,
        "trained_at": trained_at,
    })
    model.doc_string = f"Merchant AI model {name} {version}, trained {trained_at}."
    return model


def _close(onnx_values: np.ndarray, sk_values: np.ndarray, tolerance: float) -> tuple[bool, float]:
    onnx_values = np.asarray(onnx_values, dtype=np.float64).reshape(np.shape(sk_values))
    sk_values = np.asarray(sk_values, dtype=np.float64)
    diff = np.abs(onnx_values - sk_values)
    ok = bool(np.all((diff <= tolerance + tolerance * np.abs(sk_values)) | (np.isnan(onnx_values) & np.isnan(sk_values))))
    return ok, float(np.nanmax(diff)) if diff.size else 0.0


def check_parity(estimator, model_bytes: bytes, X_holdout: pd.DataFrame, tolerance: float) -> dict:
    """Compare onnxruntime with scikit-learn on X_holdout (both fed the same float32 values).

    Raises ParityCheckError when any value differs by more than tolerance + tolerance * |sklearn|.
    """
    import onnxruntime

    matrix = X_holdout.to_numpy(dtype=np.float32, na_value=np.nan)
    same_values = pd.DataFrame(matrix.astype(np.float64), columns=X_holdout.columns, index=X_holdout.index)
    if not hasattr(estimator, "feature_names_in_"):  # fitted on a bare array: give it one
        same_values = same_values.to_numpy()
    session = onnxruntime.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    outputs = dict(zip([o.name for o in session.get_outputs()], session.run(None, {INPUT_NAME: matrix})))
    if _is_classifier(estimator):
        proba = estimator.predict_proba(same_values)
        ok, max_diff = _close(outputs["probabilities"], proba, tolerance)
        top_two = np.sort(proba, axis=1)[:, -2:] if proba.shape[1] > 1 else np.ones((len(proba), 2))
        clear = (top_two[:, 1] - top_two[:, 0]) > tolerance  # ties may break either way
        labels_ok = bool(np.all(outputs["label"][clear] == estimator.predict(same_values)[clear]))
        ok = ok and labels_ok
        compared = "probabilities and labels"
        expected = {"probabilities": proba}
    elif hasattr(estimator, "predict"):
        expected = {"variable": estimator.predict(same_values)}
        ok, max_diff = _close(outputs["variable"], expected["variable"], tolerance)
        compared = "predict()"
    else:
        first = next(iter(outputs))
        expected = {first: estimator.transform(same_values)}
        ok, max_diff = _close(outputs[first], expected[first], tolerance)
        compared = "transform()"
    result = {"tolerance": tolerance, "rule": "|onnx - sklearn| <= tol + tol * |sklearn|",
              "rows": len(matrix), "compared": compared, "max_abs_diff": max_diff, "passed": ok}
    if not ok:
        raise ParityCheckError(
            f"ONNX and scikit-learn disagree beyond {tolerance}: {result}. For trees, fit on "
            "float32_values(X_train) so no split falls between values float32 cannot tell apart.")
    result["sample"] = {
        "X": _json_rows(matrix[:PARITY_SAMPLE_ROWS]),
        "expected": {key: _json_rows(np.asarray(value, dtype=np.float64)[:PARITY_SAMPLE_ROWS])
                     for key, value in expected.items()},
    }
    return result


def _json_rows(values: np.ndarray) -> list:
    """Nested lists with NaN as None (JSON has no NaN)."""
    as_object = np.asarray(values, dtype=np.float64).astype(object)
    as_object[pd.isna(as_object)] = None
    return as_object.tolist()


def export_model(estimator, *, name: str, version: str, X_train: pd.DataFrame, X_holdout: pd.DataFrame,
                 out_dir: Path, card: dict, tolerance: float, target_opset: dict | int | None = None,
                 trained_at: str | None = None) -> dict:
    """Export, parity-check and write out_dir/NAME.onnx + NAME.json; refresh out_dir/README.md.

    Nothing is written when the parity check (or any other check) fails. Returns the card.
    """
    feature_names = [str(c) for c in X_train.columns]
    if [str(c) for c in X_holdout.columns] != feature_names:
        raise ValueError("X_train and X_holdout must have the same columns in the same order.")
    if len(X_holdout) == 0:
        raise ValueError("X_holdout is empty: parity needs held-out rows.")
    missing = [key for key in REQUIRED_CARD_KEYS if key not in card]
    if missing:
        raise ValueError(f"The card of {name} lacks {missing}.")
    trained_at = trained_at or datetime.now(UTC).date().isoformat()
    opset = target_opset or DEFAULT_TARGET_OPSET
    model = to_onnx_model(estimator, feature_names, name=name, version=version, trained_at=trained_at,
                          target_opset=opset)
    model_bytes = model.SerializeToString()
    if len(model_bytes) > MAX_MODEL_BYTES:
        raise ValueError(f"{name}.onnx would be {len(model_bytes) / 1e6:.1f} MB; keep shipped models under 15 MB.")
    parity = check_parity(estimator, model_bytes, X_holdout, tolerance)

    import onnx
    import onnxruntime
    import skl2onnx
    import sklearn

    op_types = {node.op_type for node in model.graph.node}
    full_card = {
        "name": name, "version": version, "trained_at": trained_at, "file": f"{name}.onnx",
        "sha256": hashlib.sha256(model_bytes).hexdigest(), "size_bytes": len(model_bytes),
        "estimator": type(_final_step(estimator)).__name__,
        **card,
        "inputs": card.get("inputs") or {f: "" for f in feature_names},
        "feature_names": feature_names,
        "outputs": card.get("outputs") or {o.name: "" for o in model.graph.output},
        "output_names": [o.name for o in model.graph.output],
        "training_rows": len(X_train),
        "target_opset": opset,
        "parity": parity,
        "tree_ensemble": any(op.startswith("TreeEnsemble") for op in op_types),
        "providers": PROVIDER_NOTE,
        "built_with": {"scikit-learn": sklearn.__version__, "skl2onnx": skl2onnx.__version__,
                       "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__},
    }
    if _is_classifier(estimator):
        full_card["classes"] = [c.item() if hasattr(c, "item") else c for c in _final_step(estimator).classes_]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(out_dir / f"{name}.onnx", model_bytes)
    _write_atomic(out_dir / f"{name}.json",
                  (json.dumps(full_card, indent=1, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
    write_models_readme(out_dir)
    return full_card


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
