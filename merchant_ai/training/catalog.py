"""Every shipped model and the module that builds it.

Each module exposes `build(out_dir: pathlib.Path, *, seed: int = 0) -> dict` (returns its
metrics) and calls merchant_ai.training.export.export_model. Add ONE line per model.
"""

from __future__ import annotations

import importlib
from pathlib import Path

MODELS: dict[str, str] = {
    "demand_forecast": "merchant_ai.training.demand_model",
    "pricing_elasticity_prior": "merchant_ai.training.pricing_model",
    "recommend": "merchant_ai.training.recommend_model",
    "customers": "merchant_ai.training.customers_model",
    "fraud": "merchant_ai.training.fraud_model",
    "support_intent": "merchant_ai.training.intent_model",
    "review_sentiment": "merchant_ai.training.review_sentiment_model",
    "message_sentiment": "merchant_ai.training.message_sentiment_model",
}

DEFAULT_OUT_DIR = Path(__file__).resolve().parents[2] / "models"


def build_models(names: list[str] | None = None, *, out_dir: Path = DEFAULT_OUT_DIR, seed: int = 0) -> dict:
    """Build the named models (default: all) into out_dir; returns {name: metrics}.

    Stops at the first failure (e.g. a parity check), so a broken model is never shipped.
    """
    unknown = [name for name in names or [] if name not in MODELS]
    if unknown:
        raise KeyError(f"unknown model(s) {unknown}; known: {sorted(MODELS)}")
    results = {}
    for name in names or list(MODELS):
        module = importlib.import_module(MODELS[name])
        results[name] = module.build(Path(out_dir), seed=seed)
    return results
