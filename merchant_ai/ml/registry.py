"""The shipped models: find them, start their sessions once, check their features, predict.

A model is `models/NAME.onnx` (feature names, version and training date in its metadata)
plus `models/NAME.json` (its card). A missing, corrupt or incompatible file raises
ModelUnavailableError naming the file; callers catch it and the rest of the app keeps working.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.errors import FeatureMismatchError, ModelUnavailableError
from merchant_ai.ml import providers

log = logging.getLogger(__name__)

MODELS_DIR_ENV = "MERCHANT_AI_MODELS_DIR"
INPUT_NAME = "X"
TREE_NOTE = "onnxruntime runs tree ensembles on the CPU whatever the provider."

_cache: dict[tuple[str, str], OnnxModel] = {}
_lock = threading.Lock()


def default_models_dir() -> Path:
    """`MERCHANT_AI_MODELS_DIR` if set, else models/ in the installer bundle or the checkout."""
    override = os.environ.get(MODELS_DIR_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "models"
    return Path(__file__).resolve().parents[2] / "models"


@dataclass
class OnnxModel:
    """A loaded model: its identity, what ran it, and `predict`."""

    name: str
    version: str
    path: Path
    sha256: str
    feature_names: list[str]
    provider_preference: str
    provider_requested: str
    provider_used: str
    output_names: list[str]
    card: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    session: object = field(default=None, repr=False)

    def check_features(self, columns: list[str]) -> None:
        """Raise FeatureMismatchError unless `columns` equals the trained feature list, in order."""
        columns = [str(c) for c in columns]
        if columns == self.feature_names:
            return
        missing = [c for c in self.feature_names if c not in columns]
        extra = [c for c in columns if c not in self.feature_names]
        if missing or extra:
            detail = f"missing {missing[:5]}, unexpected {extra[:5]}"
        else:
            detail = "same names in a different order"
        raise FeatureMismatchError(
            f"The model file {self.path.name} was trained on other features than it was given "
            f"({detail}); the app and the model do not match.",
            details=f"expected {self.feature_names}, got {columns}",
        )

    def predict(self, X: pd.DataFrame) -> dict[str, np.ndarray]:
        """Outputs by name: classifiers "label" + "probabilities", regressors "variable" (n,)."""
        self.check_features(list(X.columns))
        if self.card.get("input_kind") == "text":  # text models take the normalised strings as they are
            matrix = X.to_numpy(dtype=object).astype(str).reshape(-1, 1).astype(object)
        else:
            matrix = np.ascontiguousarray(X.to_numpy(dtype=np.float32, na_value=np.nan))
        results = self.session.run(None, {INPUT_NAME: matrix})
        outputs = dict(zip(self.output_names, results))
        if "variable" in outputs and outputs["variable"].ndim == 2 and outputs["variable"].shape[1] == 1:
            outputs["variable"] = outputs["variable"].ravel()
        return outputs

    def describe(self) -> dict:
        return {
            "name": self.name, "version": self.version, "file": str(self.path), "sha256": self.sha256,
            "provider_preference": self.provider_preference,
            "provider_requested": self.provider_requested, "provider_used": self.provider_used,
            "status": "ok", "notes": list(self.notes),
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_model(name: str, *, feature_names: list[str] | None = None,
               models_dir: Path | None = None, preference: str | None = None) -> OnnxModel:
    """The model NAME, its session created once and cached (thread-safe).

    `feature_names` (the caller's FEATURE_NAMES) must equal the model's, in order, else
    FeatureMismatchError. `preference` overrides the Auto / CPU only setting.
    """
    folder = Path(models_dir) if models_dir is not None else default_models_dir()
    path = (folder / f"{name}.onnx").resolve()
    chosen = preference or providers.provider_preference()
    key = (str(path), chosen)
    with _lock:
        model = _cache.get(key)
        if model is None:
            model = _open(name, path, chosen)
            _cache[key] = model
    if feature_names is not None:
        model.check_features(list(feature_names))
    return model


def _open(name: str, path: Path, preference: str) -> OnnxModel:
    if not path.is_file():
        raise ModelUnavailableError(f"The model file {path} is missing; reinstall the app to restore it.")
    card_path = path.with_suffix(".json")
    card: dict = {}
    notes: list[str] = []
    if card_path.is_file():
        try:
            card = json.loads(card_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            notes.append(f"The card {card_path.name} cannot be read ({exc}).")
    try:
        info = providers.start_session(path, preference)
    except Exception as exc:  # onnxruntime raises several types for bad files
        log.warning("cannot load %s: %s", path, exc)
        raise ModelUnavailableError(
            f"The model file {path} is corrupt or was made for another version of the app; "
            "reinstall the app to restore it.", details=str(exc)) from exc
    meta = info.session.get_modelmeta().custom_metadata_map
    try:
        trained_features = json.loads(meta["feature_names"])
    except (KeyError, ValueError) as exc:
        raise ModelUnavailableError(
            f"The model file {path} has no feature list in its metadata, so it cannot be checked; "
            "it was not built by this app's training.") from exc
    inputs = info.session.get_inputs()
    if len(inputs) != 1 or inputs[0].name != INPUT_NAME:
        raise ModelUnavailableError(f"The model file {path} does not take one input named {INPUT_NAME}.")
    if card.get("feature_names") not in (None, trained_features):
        raise ModelUnavailableError(f"The card {card_path} does not match the model file {path.name}.")
    notes += info.notes
    if info.provider_used != providers.CPU and card.get("tree_ensemble", True):
        notes.append(TREE_NOTE)
    return OnnxModel(
        name=name, version=meta.get("model_version", card.get("version", "?")), path=path,
        sha256=file_sha256(path), feature_names=[str(f) for f in trained_features],
        provider_preference=preference, provider_requested=info.provider_requested,
        provider_used=info.provider_used, output_names=[o.name for o in info.session.get_outputs()],
        card=card, notes=notes, session=info.session,
    )


def list_models(models_dir: Path | None = None) -> list[dict]:
    """Every model in the models folder: name, version, file, sha256, providers, status, notes.

    Loads each model (so the providers shown are the ones that really ran); a model that
    cannot load is listed with status "unavailable" and the reason in `notes`.
    """
    folder = Path(models_dir) if models_dir is not None else default_models_dir()
    names = sorted({p.stem for p in folder.glob("*.onnx")} | {p.stem for p in folder.glob("*.json")})
    rows = []
    for name in names:
        try:
            rows.append(load_model(name, models_dir=folder).describe())
        except ModelUnavailableError as exc:
            path = folder / f"{name}.onnx"
            card = _read_card(path.with_suffix(".json"))
            rows.append({
                "name": name, "version": card.get("version"), "file": str(path),
                "sha256": file_sha256(path) if path.is_file() else None,
                "provider_preference": providers.provider_preference(),
                "provider_requested": None, "provider_used": None,
                "status": "unavailable", "notes": [exc.message],
            })
    return rows


def _read_card(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def loaded_models() -> list[OnnxModel]:
    """The models whose session this process has started (what really ran, for the self-test)."""
    with _lock:
        return list(_cache.values())


def clear_cache() -> None:
    """Forget every started session (after the provider setting changes, and in tests)."""
    with _lock:
        _cache.clear()
