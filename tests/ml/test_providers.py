"""Provider choice: Auto / CPU only, GPU order, falling back to CPU with a visible note."""

from __future__ import annotations

import onnxruntime
import pytest

from merchant_ai.errors import BadInputError
from merchant_ai.ml import providers
from merchant_ai.ml.registry import list_models, load_model
from merchant_ai.store import open_store

CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"


def test_auto_prefers_cuda_then_directml_then_coreml_then_cpu():
    available = ["CoreMLExecutionProvider", CPU, "DmlExecutionProvider", CUDA, "AzureExecutionProvider"]
    assert providers.candidate_providers("auto", available) == [
        CUDA, "DmlExecutionProvider", "CoreMLExecutionProvider", CPU]
    assert providers.candidate_providers("auto", [CPU]) == [CPU]
    assert providers.candidate_providers("cpu", available) == [CPU]


def test_provider_setting_comes_from_env_then_store_then_process(monkeypatch, store_path):
    with open_store(store_path) as store:
        assert providers.provider_preference(store) == "auto"
        providers.set_provider_preference("CPU only", store=store)
        assert store.get_setting("ml.provider") == "cpu"
        monkeypatch.setattr(providers, "_process_preference", "auto")
        assert providers.provider_preference(store) == "cpu"
        monkeypatch.setenv("MERCHANT_AI_PROVIDER", "auto")
        assert providers.provider_preference(store) == "auto"


def test_unknown_provider_setting_is_bad_input():
    with pytest.raises(BadInputError):
        providers.set_provider_preference("tpu")


def test_sessions_do_not_spin_idle_threads():
    options = providers.session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert options.get_session_config_entry("session.inter_op.allow_spinning") == "0"
    assert 1 <= options.intra_op_num_threads <= 4
    assert options.inter_op_num_threads == 1


@pytest.fixture
def failing_cuda(monkeypatch):
    """Pretend CUDA is installed but cannot start a session (e.g. a driver mismatch)."""
    real_session = onnxruntime.InferenceSession
    attempts = []

    def fake_session(path, sess_options=None, providers=None, **kwargs):
        attempts.append(list(providers or []))
        if providers and CUDA in providers:
            raise RuntimeError("CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version")
        return real_session(path, sess_options=sess_options, providers=providers, **kwargs)

    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: [CUDA, CPU])
    monkeypatch.setattr(onnxruntime, "InferenceSession", fake_session)
    return attempts


def test_failing_gpu_provider_falls_back_to_cpu_with_a_note(tiny_models_dir, failing_cuda, make_rows):
    model = load_model("tiny_clf", models_dir=tiny_models_dir)
    assert failing_cuda == [[CUDA, CPU], [CPU]]
    assert model.provider_requested == CUDA
    assert model.provider_used == CPU
    assert "CUDAExecutionProvider failed" in model.notes[0]
    assert model.predict(make_rows(rows=3))["label"].shape == (3,)
    row = next(r for r in list_models(tiny_models_dir) if r["name"] == "tiny_clf")
    assert row["provider_requested"] == CUDA and row["provider_used"] == CPU
    assert any("running on the CPU" in note for note in row["notes"])


def test_cpu_only_setting_never_tries_the_gpu(tiny_models_dir, failing_cuda, monkeypatch):
    monkeypatch.setenv("MERCHANT_AI_PROVIDER", "cpu")
    model = load_model("tiny_clf", models_dir=tiny_models_dir)
    assert failing_cuda == [[CPU]]
    assert (model.provider_requested, model.provider_used, model.notes) == (CPU, CPU, [])


@pytest.mark.filterwarnings("ignore:Specified provider:UserWarning")
def test_gpu_listed_but_not_used_is_noted(tiny_models_dir, monkeypatch):
    # onnxruntime itself drops a provider it cannot use; we still say so.
    monkeypatch.setattr(onnxruntime, "get_available_providers", lambda: [CUDA, CPU])
    model = load_model("tiny_reg", models_dir=tiny_models_dir)
    assert model.provider_requested == CUDA
    assert model.provider_used == CPU
    assert any("not usable" in note for note in model.notes)


def test_tree_model_on_a_gpu_says_trees_still_run_on_the_cpu(tiny_models_dir, monkeypatch):
    real_start = providers.start_session

    def gpu_start(path, preference):
        info = real_start(path, "cpu")
        info.provider_requested = info.provider_used = CUDA  # as if CUDA had started
        return info

    monkeypatch.setattr(providers, "start_session", gpu_start)
    model = load_model("tiny_clf", models_dir=tiny_models_dir)
    assert model.provider_used == CUDA
    assert "tree ensembles on the CPU whatever the provider" in model.notes[-1]
