"""`python -m merchant_ai.training build`: the catalog, one model at a time, README refreshed."""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import types

import pytest

from merchant_ai.training import catalog
from merchant_ai.training.__main__ import main


@pytest.mark.parametrize("name", sorted(catalog.MODELS))
def test_every_catalog_entry_has_a_seeded_build_function(name):
    build = importlib.import_module(catalog.MODELS[name]).build
    params = inspect.signature(build).parameters
    assert next(iter(params)) == "out_dir"
    assert params["seed"].kind is inspect.Parameter.KEYWORD_ONLY


def test_build_only_builds_the_named_model_and_refreshes_the_readme(tmp_path, monkeypatch, make_rows, capsys):
    from sklearn.linear_model import LinearRegression

    from merchant_ai.training.export import export_model

    built = []

    def fake_build(out_dir, *, seed=0):
        X = make_rows(rows=60, seed=seed).fillna(0.0)
        model = LinearRegression().fit(X, X["price_rel"] * 3 + 1)
        export_model(model, name="fake_linear", version="0.1", X_train=X, X_holdout=X.iloc[:20], out_dir=out_dir,
                     card={"purpose": "p", "training_data": "t", "metrics": {"mae": 0.0}, "limits": "l"},
                     tolerance=1e-5)
        built.append(seed)
        return {"mae": 0.0}

    module = types.ModuleType("fake_linear_model")
    module.build = fake_build
    monkeypatch.setitem(sys.modules, "fake_linear_model", module)
    monkeypatch.setitem(catalog.MODELS, "fake_linear", "fake_linear_model")
    assert main(["build", "--only", "fake_linear", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert built == [3]
    assert json.loads(capsys.readouterr().out)["built"] == {"fake_linear": {"mae": 0.0}}
    assert (tmp_path / "fake_linear.onnx").is_file()
    assert "## fake_linear (version 0.1" in (tmp_path / "README.md").read_text(encoding="utf-8")
