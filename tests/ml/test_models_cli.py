"""`merchant-ai models --json`: the shipped models with versions, hashes and providers."""

from __future__ import annotations

import json

from merchant_ai.cli import run_cli


def test_models_json_lists_each_model_with_its_providers(models_copy, monkeypatch, capsys):
    (models_copy / "tiny_reg.onnx").write_bytes(b"\x00broken")
    monkeypatch.setenv("MERCHANT_AI_MODELS_DIR", str(models_copy))
    assert run_cli(["models", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    rows = {row["name"]: row for row in payload["models"]}
    assert set(rows) == {"tiny_clf", "tiny_reg"}
    good = rows["tiny_clf"]
    assert good["status"] == "ok" and good["version"] == "1.0.0" and len(good["sha256"]) == 64
    assert good["provider_requested"] and good["provider_used"] == "CPUExecutionProvider"
    assert rows["tiny_reg"]["status"] == "unavailable"
    assert "tiny_reg.onnx" in rows["tiny_reg"]["notes"][0]


def test_models_text_output_names_the_provider(tiny_models_dir, monkeypatch, capsys):
    monkeypatch.setenv("MERCHANT_AI_MODELS_DIR", str(tiny_models_dir))
    assert run_cli(["models"]) == 0
    out = capsys.readouterr().out
    assert "tiny_clf 1.0.0  [ok]  runs on CPUExecutionProvider" in out


def test_models_uses_the_provider_setting_saved_in_the_store(tiny_models_dir, store_path, monkeypatch, capsys):
    from merchant_ai.ml.providers import set_provider_preference
    from merchant_ai.store import open_store

    with open_store(store_path) as store:
        set_provider_preference("cpu", store=store)
    set_provider_preference("auto")  # a fresh process would start on Auto
    monkeypatch.setenv("MERCHANT_AI_MODELS_DIR", str(tiny_models_dir))
    assert run_cli(["models", "--db", str(store_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["models"]
    assert {row["provider_preference"] for row in rows} == {"cpu"}
