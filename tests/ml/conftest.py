"""Fixtures for the model platform tests: tiny models built through export_model."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

FEATURES = ["sales_last_28d_rel", "days_since_last_sale", "price_rel"]


def tiny_frame(rows: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(rows, len(FEATURES))), columns=FEATURES)
    frame.loc[frame.index[::9], "days_since_last_sale"] = np.nan  # trees must handle gaps the same way
    return frame


TINY_CARD = {
    "purpose": "A tiny test model.",
    "training_data": "Random numbers made by the test.",
    "metrics": {"accuracy": 1.0, "baseline_accuracy": 0.5},
    "limits": "Only for tests.",
}


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory):
    """A models folder with a classifier ("tiny_clf") and a Poisson regressor ("tiny_reg")."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    from merchant_ai.training.export import export_model

    folder = tmp_path_factory.mktemp("models")
    X = tiny_frame()
    train, holdout = X.iloc[:300], X.iloc[300:]
    labels = (X["sales_last_28d_rel"] + 0.3 * X["price_rel"] > 0).astype(int)
    counts = np.random.default_rng(1).poisson(np.exp(X["sales_last_28d_rel"].clip(-2, 2)))
    # One OpenMP thread: on a busy 2-core machine more threads make these tiny fits ~20x slower.
    with threadpool_limits(1):
        clf = HistGradientBoostingClassifier(max_iter=25, random_state=0).fit(train, labels.iloc[:300])
        reg = HistGradientBoostingRegressor(loss="poisson", max_iter=25, random_state=0).fit(train, counts[:300])
        for name, model in (("tiny_clf", clf), ("tiny_reg", reg)):
            export_model(model, name=name, version="1.0.0", X_train=train, X_holdout=holdout,
                         out_dir=folder, card=TINY_CARD, tolerance=1e-5)
    return folder


@pytest.fixture
def feature_names() -> list[str]:
    """The tiny models' features, in training order."""
    return list(FEATURES)


@pytest.fixture
def make_rows():
    """`make_rows(rows, seed)`: a feature frame like the one the tiny models were trained on."""
    return tiny_frame


@pytest.fixture
def models_copy(tiny_models_dir, tmp_path):
    """A private copy of the tiny models folder (safe to break files in)."""
    target = tmp_path / "models"
    shutil.copytree(tiny_models_dir, target)
    return target


@pytest.fixture(autouse=True)
def _fresh_registry(monkeypatch):
    """Each test starts with no cached sessions and the Auto setting."""
    from merchant_ai.ml import providers, registry

    monkeypatch.delenv(providers.ENV_VAR, raising=False)
    monkeypatch.setattr(providers, "_process_preference", providers.AUTO)
    registry.clear_cache()
    yield
    registry.clear_cache()
