"""export_model: ONNX with our contract, a parity check that fails the build, cards and README."""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest
from threadpoolctl import threadpool_limits

from merchant_ai.training import export
from merchant_ai.training.export import ParityCheckError, export_model


def test_export_stores_features_version_and_date_in_onnx_metadata(tiny_models_dir, feature_names):
    proto = onnx.load(str(tiny_models_dir / "tiny_clf.onnx"))
    meta = {p.key: p.value for p in proto.metadata_props}
    assert json.loads(meta["feature_names"]) == feature_names
    assert meta["model_version"] == "1.0.0" and meta["model_name"] == "tiny_clf"
    assert len(meta["trained_at"]) == 10  # YYYY-MM-DD
    opsets = {o.domain: o.version for o in proto.opset_import}
    assert opsets[""] == 17 and opsets["ai.onnx.ml"] <= 3  # skl2onnx uses the lowest ML opset that suffices
    (only_input,) = proto.graph.input
    assert only_input.name == "X" and only_input.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert "ZipMap" not in {node.op_type for node in proto.graph.node}


def test_card_and_models_readme_describe_the_model(tiny_models_dir, feature_names):
    card = json.loads((tiny_models_dir / "tiny_clf.json").read_text(encoding="utf-8"))
    assert card["feature_names"] == feature_names
    assert card["parity"]["passed"] and card["parity"]["rows"] == 100
    assert card["parity"]["max_abs_diff"] <= card["parity"]["tolerance"] == 1e-5
    assert card["tree_ensemble"] is True
    assert "tree ensembles on the CPU whatever the provider" in card["providers"]
    readme = (tiny_models_dir / "README.md").read_text(encoding="utf-8")
    assert "## tiny_clf (version 1.0.0" in readme and "## tiny_reg (version 1.0.0" in readme
    assert "CPU whatever the provider" in readme


def test_parity_failure_fails_the_build_and_writes_nothing(tmp_path, make_rows, monkeypatch):
    from sklearn.ensemble import HistGradientBoostingRegressor

    X = make_rows(rows=200, seed=3)
    y = np.random.default_rng(0).poisson(np.exp(X["price_rel"].clip(-2, 2)))
    with threadpool_limits(1):
        model = HistGradientBoostingRegressor(loss="poisson", max_iter=10).fit(X, y)
    # Without the Exp of the log link, ONNX returns log-counts: the check must catch it.
    monkeypatch.setattr(export, "_append_exp", lambda proto: None)
    card = {"purpose": "p", "training_data": "t", "metrics": {}, "limits": "l"}
    with pytest.raises(ParityCheckError), threadpool_limits(1):
        export_model(model, name="broken", version="1", X_train=X, X_holdout=X.iloc[:50],
                     out_dir=tmp_path, card=card, tolerance=1e-4)
    assert list(tmp_path.iterdir()) == []


def test_incomplete_card_or_mismatched_columns_are_refused(tmp_path, make_rows):
    from sklearn.linear_model import LinearRegression

    X = make_rows(rows=50).fillna(0.0)
    model = LinearRegression().fit(X, X["price_rel"] * 2)
    with pytest.raises(ValueError, match="lacks"):
        export_model(model, name="m", version="1", X_train=X, X_holdout=X, out_dir=tmp_path,
                     card={"purpose": "p"}, tolerance=1e-4)
    card = {"purpose": "p", "training_data": "t", "metrics": {}, "limits": "l"}
    with pytest.raises(ValueError, match="same columns"):
        export_model(model, name="m", version="1", X_train=X, X_holdout=X[X.columns[::-1]],
                     out_dir=tmp_path, card=card, tolerance=1e-4)
    assert not (tmp_path / "m.onnx").exists()
