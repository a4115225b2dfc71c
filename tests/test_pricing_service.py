"""Price suggestions from a store: CLI JSON, apply/dismiss, export, markdowns, card, backtest."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from merchant_ai.cli import run_cli
from merchant_ai.services.pricing.actions import (
    export_accepted_prices,
    latest_price_decisions,
    record_price_decision,
)
from merchant_ai.services.pricing.guardrails import Guardrails
from merchant_ai.services.pricing.service import (
    card_summary,
    load_guardrails,
    suggest_prices,
    suggest_today,
)
from merchant_ai.store import open_store
from tests.pricing_synthetic import write_small_pricing_store

CLI_FIELDS = {"current_price", "suggested_price", "elasticity", "elasticity_low", "elasticity_high",
              "expected_units_change_pct", "expected_profit_change_pct", "reason"}


@pytest.fixture
def small_store(store_path):
    return write_small_pricing_store(store_path)


def _cli_json(capsys, *argv) -> dict:
    assert run_cli(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_price_cli_json_has_the_documented_fields_per_sku(demo_store, capsys):
    payload = _cli_json(capsys, "price", "--db", str(demo_store), "--as-of", "2026-06-01", "--json")
    assert payload["as_of"] == "2026-06-01"
    assert len(payload["products"]) > 100
    for row in payload["products"]:
        assert CLI_FIELDS <= set(row)
        assert row["elasticity_low"] <= row["elasticity"] <= row["elasticity_high"]
        assert row["reason"]


def test_price_cli_bad_sku_exits_2_with_one_line(small_store, capsys):
    assert run_cli(["price", "--db", str(small_store), "--apply", "NOPE"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "NOPE" in err


def test_price_cli_bad_sku_does_not_save_the_guardrails_given_with_it(small_store, capsys):
    assert run_cli(["price", "--db", str(small_store), "--max-step", "5", "--save-guardrails",
                    "--apply", "NOPE"]) == 2
    with open_store(small_store) as store:
        assert load_guardrails(store).max_step_pct == Guardrails().max_step_pct


def test_as_of_uses_only_sales_before_that_date(small_store, tmp_path):
    with open_store(small_store) as store:
        early = suggest_prices(store, as_of="2024-09-01").products.set_index("sku")
        late = suggest_prices(store).products.set_index("sku")
    assert (early["elasticity_sd"] >= late["elasticity_sd"] - 1e-9).mean() > 0.5
    # the answer as of a date must not change when everything after that date is removed
    trimmed_path = tmp_path / "trimmed.db"
    with open_store(small_store) as store:
        store.conn.execute("VACUUM INTO ?", (str(trimmed_path),))
    with open_store(trimmed_path) as trimmed, trimmed.transaction() as conn:
        conn.execute("DELETE FROM order_lines WHERE order_id IN "
                     "(SELECT order_id FROM orders WHERE created_at >= '2024-09-01')")
        conn.execute("DELETE FROM orders WHERE created_at >= '2024-09-01'")
    with open_store(trimmed_path) as trimmed:
        without_future = suggest_prices(trimmed, as_of="2024-09-01").products.set_index("sku")
    pd.testing.assert_frame_equal(early, without_future)


def test_every_store_suggestion_respects_max_step_and_cost(small_store):
    rails = Guardrails(max_step_pct=5.0, min_margin_pct=20.0)
    with open_store(small_store) as store:
        frame = suggest_prices(store, rails=rails).products
    assert ((frame["suggested_price"] - frame["current_price"]).abs() <= 0.05 * frame["current_price"] + 1e-6).all()
    assert (frame["suggested_price"] > frame["unit_cost"]).all()


def test_slow_mover_gets_a_markdown_with_the_stock_cover_reason(small_store):
    with open_store(small_store) as store:
        frame = suggest_prices(store).products.set_index("sku")
    slow = frame.loc["SLOW"]
    assert slow["kind"] == "markdown"
    assert slow["suggested_price"] < slow["current_price"]
    assert "stock covers" in slow["reason"] and ("demand forecast" in slow["reason"] or "sales rate" in slow["reason"])
    assert (frame.drop(index="SLOW")["kind"] == "price").all()


def test_applied_and_dismissed_suggestions_are_stored_latest_wins(small_store):
    with open_store(small_store) as store:
        record_price_decision(store, "A", "dismissed", current_price=10.0, suggested_price=10.99)
        record_price_decision(store, "A", "accepted", current_price=10.0, suggested_price=10.99)
        record_price_decision(store, "B", "dismissed", current_price=11.0, suggested_price=11.99)
        decisions = latest_price_decisions(store).set_index("sku")
    assert decisions.loc["A", "action"] == "accepted"
    assert decisions.loc["B", "action"] == "dismissed"


def test_export_of_applied_prices_is_a_shopify_product_csv_the_importer_recognises(small_store, tmp_path):
    from merchant_ai.services.imports import detect_file

    target = tmp_path / "prices.csv"
    with open_store(small_store) as store:
        record_price_decision(store, "A", "accepted", current_price=10.0, suggested_price=10.99)
        record_price_decision(store, "SLOW", "accepted", current_price=15.0, suggested_price=13.49)
        record_price_decision(store, "B", "dismissed", current_price=11.0, suggested_price=11.99)
        assert export_accepted_prices(store, target) == 2
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["Variant SKU"] for r in rows] == ["A", "SLOW"]
    assert rows[0]["Handle"] == "item-a" and rows[0]["Variant Price"] == "10.99"
    assert rows[0]["Variant Compare At Price"] == ""          # a raise is not a sale
    assert rows[1]["Variant Compare At Price"] == "15.00"     # a markdown shows the old price
    assert detect_file(target).format == "shopify_products"


def test_export_without_applied_changes_is_refused(small_store, tmp_path):
    from merchant_ai.errors import BadInputError

    with open_store(small_store) as store, pytest.raises(BadInputError):
        export_accepted_prices(store, tmp_path / "none.csv")


def _suggest_and_remember(store):
    from merchant_ai.services.remembered import save

    result, run = suggest_today(store)
    save(store, run)
    return result


def test_dashboard_card_reports_the_latest_run(small_store):
    with open_store(small_store) as store:
        assert "not worked out yet" in card_summary(store)["headline"]
        result = _suggest_and_remember(store)
        card = card_summary(store)
    markdowns = int((result.products["kind"] == "markdown").sum())
    assert f"{markdowns} markdowns" in card["headline"]
    assert f"{len(result.products)} products" in card["detail"]


def test_remembering_a_new_run_replaces_the_earlier_one(small_store):
    with open_store(small_store) as store:
        first = _suggest_and_remember(store)
        _suggest_and_remember(store)
        runs = store.scalar("SELECT COUNT(*) FROM analysis_runs WHERE kind = 'pricing'")
        results = store.scalar("SELECT COUNT(*) FROM analysis_results")
    assert runs == 1 and results == len(first.products)


def test_backtest_compares_with_a_no_price_response_baseline(small_store):
    from merchant_ai.ml.backtest import run_backtest
    from merchant_ai.services.pricing.backtest import PRICING_BACKTEST

    with open_store(small_store) as store:
        result = run_backtest(store, PRICING_BACKTEST, "2025-06-01", horizon_days=84)
    assert result.n_evaluated >= 1
    assert set(result.method_metrics) == {"mae_units", "mae_log_units"}
    assert result.baseline_label == "assuming price changes do not matter"


def test_missing_prior_model_falls_back_to_the_shop_typical_elasticity_and_says_so(small_store, tmp_path,
                                                                                   monkeypatch):
    monkeypatch.setenv("MERCHANT_AI_MODELS_DIR", str(tmp_path / "no-models"))
    with open_store(small_store) as store:
        result = suggest_prices(store)
    assert any("prior model is unavailable" in note for note in result.notes)
    assert len(result.products) == 6 and result.products["reason"].str.len().gt(0).all()
