"""The learned customer models ship only if they beat BG/NBD + Gamma-Gamma (training export gate)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from merchant_ai.ml.features.customers import build_features, customer_history, future_labels, shop_context
from merchant_ai.services.customers.predictions import fit_shop, predict_customers
from merchant_ai.training import customers_model
from merchant_ai.training.customers_data import PurchaseHistory
from merchant_ai.training.customers_gate import export_gate, gate_report


def _history(name: str = "small_real", n_customers: int = 300, seed: int = 0, prefix: str = "C") -> PurchaseHistory:
    """Customers who buy at their own rate until they drop out, over about 15 months."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01")
    rows = []
    for i in range(n_customers):
        rate, dropout, value = rng.gamma(0.8, 1 / 12.0), rng.beta(1.0, 4.0), rng.gamma(3.0, 15.0)
        day = float(rng.integers(0, 120))
        while day < 450:
            rows.append((f"{prefix}{i:04d}", start + pd.Timedelta(days=int(day)), value * rng.uniform(0.7, 1.3)))
            if rng.random() < dropout:
                break
            day += rng.exponential(1 / rate)
    purchases = (pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
                 .groupby(["customer_id", "day"], as_index=False)["amount"].sum())
    last_day = start + pd.Timedelta(days=449)
    return PurchaseHistory(name, purchases, last_day + pd.Timedelta(days=1) - pd.Timedelta(days=90), last_day)


class _EchoBgNbd:
    """A 'learned' model that only repeats the BG/NBD inputs it is given."""

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = X["bgnbd_p_buy_90d"].to_numpy()
        return np.column_stack([1 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return X["bgnbd_orders_90d_if_alive"].to_numpy() * X["bgnbd_p_alive"].to_numpy() * X["mean_order_value_rel"]


class _Oracle:
    """A model that knows the future of every history (their customer ids differ): it must pass."""

    def __init__(self, histories: list[PurchaseHistory]) -> None:
        self.future = pd.concat([future_labels(h.purchases, h.evaluation_cutoff, 90) for h in histories])

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = (self.future["orders"].reindex(X.index).fillna(0) > 0).to_numpy(dtype=float)
        return np.column_stack([1 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.future["spend"].reindex(X.index).fillna(0).to_numpy()


def test_gate_fails_a_candidate_no_better_than_bgnbd_and_prints_the_margins():
    history = _history()
    gate = export_gate(_EchoBgNbd(), _EchoBgNbd(), [history])
    scores = gate["datasets"]["small_real"]
    assert not gate["passed"] and not scores["passed"]
    assert abs(scores["roc_auc_gain"]) < 0.02  # the same ranking as the shipped BG/NBD
    assert 0.5 < scores["bgnbd_gamma_gamma"]["roc_auc"] < 1.0
    report = "\n".join(gate_report(gate))
    assert "FAILED" in report and "small_real" in report and f"{scores['roc_auc_gain']:+.4f}" in report


def test_gate_passes_a_candidate_that_beats_bgnbd_on_every_real_data_set():
    histories = [_history("shop_a", seed=1, prefix="A"), _history("shop_b", seed=2, prefix="B")]
    oracle = _Oracle(histories)
    gate = export_gate(oracle, oracle, histories)
    assert set(gate["datasets"]) == {"shop_a", "shop_b"}
    assert all(d["roc_auc_gain"] >= 0.02 and d["spend_spearman_gain"] >= 0.03 for d in gate["datasets"].values())
    assert gate["passed"] and "PASSED" in gate_report(gate)[0]


def test_gate_without_real_data_proves_nothing_so_it_fails():
    gate = export_gate(_EchoBgNbd(), _EchoBgNbd(), [])
    assert not gate["passed"]
    assert "no real data set" in "\n".join(gate_report(gate))


def test_build_exports_nothing_and_removes_old_customer_models_when_the_gate_fails(tmp_path, monkeypatch, capsys):
    (tmp_path / "customers_active_90d.onnx").write_bytes(b"old")
    (tmp_path / "customers_active_90d.json").write_text(json.dumps({"name": "customers_active_90d"}))
    (tmp_path / "fraud.json").write_text(json.dumps({"name": "fraud", "purpose": "kept"}))
    monkeypatch.setattr(customers_model, "fit_target", lambda table, name, seed=0: _EchoBgNbd())
    result = customers_model.build_from(pd.DataFrame(), [_history()], tmp_path)
    assert result["exported"] == [] and not result["gate"]["passed"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "fraud.json"]
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "## fraud " in readme and "customers_active_90d" not in readme
    assert "FAILED" in capsys.readouterr().err


def test_learned_candidate_sees_the_shipped_bgnbd_gamma_gamma_predictions_as_inputs():
    history = _history()
    cutoff = history.evaluation_cutoff
    features = build_features(history.purchases, cutoff)
    past = customer_history(history.purchases, cutoff)
    shipped = predict_customers(past, fit_shop(past)).reindex(features.index)
    order_value = shop_context(history.purchases, cutoff).median_order_value
    np.testing.assert_allclose(features["bgnbd_p_buy_90d"], shipped["p_active_90d"], rtol=1e-5)
    np.testing.assert_allclose(features["bgnbd_orders_365d"], shipped["expected_orders_365d"], rtol=1e-5)
    np.testing.assert_allclose(features["classic_spend_90d_rel"] * order_value, shipped["expected_spend_90d"],
                               rtol=1e-5)
