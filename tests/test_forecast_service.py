"""The forecast contract: ordered quantiles, consistent totals, honest 'not enough history'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from merchant_ai.services.forecast.core import BORROWED, NONE
from merchant_ai.services.forecast.service import forecast
from merchant_ai.store import open_store
from tests.forecast_fixtures import NEVER_SOLD, NEW_ARRIVAL, build_small_shop


@pytest.fixture(scope="module")
def small_shop(tmp_path_factory):
    path = tmp_path_factory.mktemp("shop") / "small.db"
    build_small_shop(path)
    return path


@pytest.fixture(scope="module")
def result(small_shop):
    with open_store(small_shop) as store:
        return forecast(store, horizon_days=35)


def test_forecast_starts_the_day_after_the_last_order(result):
    assert result.as_of == pd.Timestamp("2026-07-01")
    assert result.dates[0] == pd.Timestamp("2026-07-01") and len(result.dates) == 35


def test_quantiles_are_ordered_and_not_negative(result):
    daily = result.daily_frame()
    assert len(daily) > 0
    assert (daily["p10"] >= 0).all()
    assert (daily["p10"] <= daily["p50"]).all() and (daily["p50"] <= daily["p90"]).all()


def test_week_and_month_totals_add_up_the_days(result):
    daily = result.daily_frame()
    for freq in ("W", "M"):
        totals = result.aggregate(freq)
        assert totals.groupby("sku")["mean"].sum().to_dict() == pytest.approx(
            daily.groupby("sku")["mean"].sum().to_dict(), abs=0.01)
        assert totals["days"].groupby(totals["sku"]).sum().eq(35).all()
        assert (totals["p10"] <= totals["p50"]).all() and (totals["p50"] <= totals["p90"]).all()


def test_product_that_never_sold_gets_not_enough_history(result):
    i = result.index_of(NEVER_SOLD)
    assert result.arrays.basis[i] == NONE
    assert "not enough history" in result.explain(i).lower()
    entry = next(p for p in result.to_dict()["products"] if p["sku"] == NEVER_SOLD)
    assert entry["daily"] == []


def test_new_product_borrows_from_its_category_and_says_so(result):
    i = result.index_of(NEW_ARRIVAL)
    assert result.arrays.basis[i] == BORROWED
    assert "blended with" in result.arrays.notes[i]
    assert np.isfinite(result.arrays.mean[i]).all()


def test_as_of_uses_only_earlier_sales(small_shop):
    with open_store(small_shop) as store:
        early = forecast(store, as_of="2026-06-01", horizon_days=7)
    # the new arrival first sold on 21 June: as of 1 June it has no history at all
    assert early.arrays.basis[early.index_of(NEW_ARRIVAL)] == NONE
    assert early.dates[0] == pd.Timestamp("2026-06-01")


def test_missing_model_falls_back_and_says_so(small_shop, tmp_path, monkeypatch):
    from merchant_ai.ml import registry

    monkeypatch.setenv("MERCHANT_AI_MODELS_DIR", str(tmp_path))
    registry.clear_cache()
    try:
        with open_store(small_shop) as store:
            got = forecast(store, horizon_days=7)
    finally:
        registry.clear_cache()
    assert "fallback" in got.arrays.model_label
    assert got.arrays.model_note
    assert len(got.daily_frame()) > 0


def test_the_dashboard_card_asks_for_stock_instead_of_saying_nothing_to_order(small_shop, tmp_path):
    import shutil

    from merchant_ai.services.reorder.service import card_summary

    path = tmp_path / "no-stock.db"
    shutil.copy(small_shop, path)
    with open_store(path) as store:
        with store.transaction() as conn:
            conn.execute("DELETE FROM inventory")  # an imported shop without an inventory export
        card = card_summary(store)
    assert card["headline"] == "Enter your stock on hand"
    assert "Stock on hand is unknown for" in card["detail"]


def test_the_demo_shop_mostly_has_stock_with_a_few_items_to_act_on(demo_store):
    from merchant_ai.services.reorder.service import reorder

    with open_store(demo_store) as store:
        statuses = pd.Series([line.status for line in reorder(store).lines]).value_counts(normalize=True)
    assert statuses.idxmax() == "fine"
    assert 0 < statuses.get("out of stock", 0) < 0.1
    assert statuses.get("will run out even if ordered today", 0) < 0.3
