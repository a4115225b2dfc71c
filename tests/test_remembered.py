"""Remembered results live in analysis_runs only: analyses never write while they run, a card
reads the remembered run while the data is unchanged and works it out again after a change;
the merchant's stock and settings edits are written all together or not at all."""

from __future__ import annotations

import json
import sqlite3

import pytest

from merchant_ai import capabilities
from merchant_ai.demo.fraud_injection import add_demo_fraud
from merchant_ai.demo.generate import write_simulated
from merchant_ai.demo.simulator import SimulationConfig, simulate
from merchant_ai.errors import BadInputError
from merchant_ai.services.remembered import latest, save
from merchant_ai.store import open_store

SMALL = SimulationConfig(seed=11, n_products=40, n_customers=500, start="2025-06-01", end="2026-05-31",
                         orders_per_customer_year=4.0)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("remembered") / "shop.db"
    with open_store(path) as store:
        write_simulated(store, add_demo_fraud(simulate(SMALL)))
    return path


@pytest.fixture
def shop(template, tmp_path):
    target = tmp_path / "shop.db"
    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    source.backup(copy)
    source.close()
    copy.close()
    with open_store(target) as store:
        yield store


@pytest.mark.parametrize("name", sorted(capabilities.analyses()))
def test_no_analysis_writes_to_the_store_while_it_runs(shop, name):
    before = shop.conn.total_changes
    capabilities.analysis(name)(shop)
    assert shop.conn.total_changes == before
    assert shop.scalar("SELECT COUNT(*) FROM analysis_runs") == 0


def test_the_reorder_card_uses_the_remembered_run_until_the_stock_changes(shop, monkeypatch):
    from merchant_ai.services.reorder import service
    from merchant_ai.services.reorder.settings import apply_edits

    first = service.card_summary(shop)
    assert first["remember"] is not None  # worked out now: the caller keeps it
    save(shop, first["remember"])
    assert latest(shop, "reorder").fresh
    assert not shop.scalar("SELECT COUNT(*) FROM settings WHERE key LIKE 'reorder.%'")

    def no_recompute(*args, **kwargs):
        raise AssertionError("the card must read the remembered run")

    monkeypatch.setattr(service, "reorder_today", no_recompute)
    again = service.card_summary(shop)
    assert again["remember"] is None and again["headline"] == first["headline"]

    sku = shop.scalar("SELECT sku FROM products ORDER BY sku LIMIT 1")
    apply_edits(shop, [(sku, 0)], [])
    assert not latest(shop, "reorder").fresh
    with pytest.raises(AssertionError, match="remembered run"):
        service.card_summary(shop)  # stale: it would work the numbers out again


def test_the_risk_card_reads_the_remembered_run_of_the_page(shop, monkeypatch):
    from merchant_ai.services.fraud import service

    result, run = service.analyze_today(shop)
    save(shop, run)
    monkeypatch.setattr(service, "analyze_today", lambda *a, **k: pytest.fail("recomputed"))
    card = service.card_summary(shop)
    assert card["remember"] is None and "high-risk order" in card["headline"]
    kept = latest(shop, "fraud")
    assert kept.kind == "fraud" and len(kept.results) == len(result.orders)


def test_remembering_again_replaces_the_earlier_run(shop):
    from merchant_ai.services.reorder.service import reorder_today

    for _ in range(2):
        save(shop, reorder_today(shop)[1])
    assert shop.scalar("SELECT COUNT(*) FROM analysis_runs WHERE kind = 'reorder'") == 1
    params = json.loads(shop.scalar("SELECT params_json FROM analysis_runs WHERE kind = 'reorder'"))
    assert params["data_version"]


def test_stock_and_settings_edits_are_written_together_or_not_at_all(shop):
    from merchant_ai.services.reorder.settings import apply_edits

    first, second = [row[0] for row in shop.conn.execute("SELECT sku FROM products ORDER BY sku LIMIT 2")]
    before = shop.query_df("SELECT * FROM inventory ORDER BY sku")
    # a failure while writing the second product's settings (after the first product's stock)
    shop.conn.execute(f"CREATE TRIGGER refuse BEFORE UPDATE ON product_settings WHEN NEW.sku = '{second}' "
                      "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    shop.conn.execute(f"CREATE TRIGGER refuse_new BEFORE INSERT ON product_settings WHEN NEW.sku = '{second}' "
                      "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    with pytest.raises(sqlite3.DatabaseError, match="disk trouble"):
        apply_edits(shop, [(first, 123)], [(second, {"lead_time_days": 9})])
    assert shop.query_df("SELECT * FROM inventory ORDER BY sku").equals(before)
    # bad input is refused before anything is written
    with pytest.raises(BadInputError):
        apply_edits(shop, [(first, 5)], [(first, {"lead_time_days": "soon"})])
    assert shop.query_df("SELECT * FROM inventory ORDER BY sku").equals(before)
