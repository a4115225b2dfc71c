"""Loading shipped models: caching, feature checks, and clear errors for broken files."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from merchant_ai.errors import FeatureMismatchError, ModelUnavailableError
from merchant_ai.ml.registry import list_models, load_model, loaded_models


def test_classifier_predicts_labels_and_probabilities(tiny_models_dir, feature_names, make_rows):
    model = load_model("tiny_clf", models_dir=tiny_models_dir, feature_names=feature_names)
    out = model.predict(make_rows(rows=7, seed=5))
    assert out["label"].shape == (7,)
    assert out["probabilities"].shape == (7, 2)
    np.testing.assert_allclose(out["probabilities"].sum(axis=1), 1.0, atol=1e-5)
    assert model.version == "1.0.0"
    assert model.card["classes"] == [0, 1]
    assert len(model.sha256) == 64


def test_regressor_predicts_one_flat_column_of_positive_counts(tiny_models_dir, make_rows):
    out = load_model("tiny_reg", models_dir=tiny_models_dir).predict(make_rows(rows=5, seed=6))
    assert out["variable"].shape == (5,)
    assert (out["variable"] > 0).all()  # the Exp of the Poisson link was added at export


def test_session_is_created_once_and_shared_between_threads(tiny_models_dir):
    first = load_model("tiny_clf", models_dir=tiny_models_dir)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(load_model("tiny_clf", models_dir=tiny_models_dir)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(model is first for model in seen)
    assert loaded_models() == [first]


def test_columns_in_another_order_are_rejected(tiny_models_dir, feature_names, make_rows):
    model = load_model("tiny_clf", models_dir=tiny_models_dir)
    frame = make_rows(rows=3)
    with pytest.raises(FeatureMismatchError, match="different order"):
        model.predict(frame[list(reversed(feature_names))])
    with pytest.raises(FeatureMismatchError, match="missing"):
        model.predict(frame[feature_names[:2]])


def test_caller_feature_list_is_checked_when_the_model_loads(tiny_models_dir, feature_names):
    with pytest.raises(FeatureMismatchError):
        load_model("tiny_clf", models_dir=tiny_models_dir, feature_names=[*feature_names, "new_feature"])
    with pytest.raises(ModelUnavailableError):  # FeatureMismatchError is a ModelUnavailableError
        load_model("tiny_clf", models_dir=tiny_models_dir, feature_names=list(reversed(feature_names)))


def test_missing_model_file_names_the_file(tmp_path):
    with pytest.raises(ModelUnavailableError, match="nothing_here.onnx"):
        load_model("nothing_here", models_dir=tmp_path)


def test_corrupt_model_file_names_the_file_and_other_models_keep_working(models_copy, make_rows):
    (models_copy / "tiny_reg.onnx").write_bytes(b"this is not an onnx file")
    with pytest.raises(ModelUnavailableError, match="tiny_reg.onnx"):
        load_model("tiny_reg", models_dir=models_copy)
    assert load_model("tiny_clf", models_dir=models_copy).predict(make_rows(rows=2))["label"].shape == (2,)
    rows = {row["name"]: row for row in list_models(models_copy)}
    assert rows["tiny_reg"]["status"] == "unavailable"
    assert "tiny_reg.onnx" in rows["tiny_reg"]["notes"][0]
    assert rows["tiny_clf"]["status"] == "ok"


def test_truncated_model_file_is_unavailable(models_copy):
    path = models_copy / "tiny_clf.onnx"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ModelUnavailableError, match="tiny_clf.onnx"):
        load_model("tiny_clf", models_dir=models_copy)


def test_model_without_feature_metadata_is_incompatible(models_copy):
    import onnx

    path = models_copy / "tiny_clf.onnx"
    proto = onnx.load(str(path))
    kept = [p for p in proto.metadata_props if p.key != "feature_names"]
    del proto.metadata_props[:]
    proto.metadata_props.extend(kept)
    onnx.save(proto, str(path))
    with pytest.raises(ModelUnavailableError, match="no feature list"):
        load_model("tiny_clf", models_dir=models_copy)


def test_list_models_reports_versions_hashes_and_providers(tiny_models_dir):
    rows = list_models(tiny_models_dir)
    assert [row["name"] for row in rows] == ["tiny_clf", "tiny_reg"]
    for row in rows:
        assert row["status"] == "ok"
        assert row["version"] == "1.0.0"
        assert row["provider_used"] == "CPUExecutionProvider"
        assert row["provider_preference"] == "auto"
        assert len(row["sha256"]) == 64


def test_model_needing_a_newer_onnxruntime_is_unavailable(models_copy):
    import onnx

    path = models_copy / "tiny_reg.onnx"
    proto = onnx.load(str(path))
    for opset in proto.opset_import:
        if opset.domain == "":
            opset.version = 99  # an opset this onnxruntime has never heard of
    onnx.save(proto, str(path))
    with pytest.raises(ModelUnavailableError, match="tiny_reg.onnx"):
        load_model("tiny_reg", models_dir=models_copy)
