"""Customer insight service: predictions, small shops, the action list, the backtest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from merchant_ai.ml.features.customers import FEATURE_NAMES, build_features, customer_history, purchase_days
from merchant_ai.services.customers.actions import ACTION_COLUMNS, action_list, export_action_list_csv
from merchant_ai.services.customers.predictions import fit_shop, next_order_in_days, predict_customers
from merchant_ai.services.customers.service import (
    CLI_FIELDS,
    analyze_customers,
    card_summary,
    customer_orders,
)
from merchant_ai.store import open_store
from tests.customers_fixtures import small_shop_orders, write_shop


@pytest.fixture(scope="module")
def demo_insight(demo_store_template):
    with open_store(demo_store_template, create=False) as store:
        return analyze_customers(store)


def test_features_have_exactly_the_feature_names_in_order():
    orders = pd.DataFrame({"customer_id": ["a", "a", "b", None], "amount": [10.0, 20.0, 5.0, 9.0],
                           "created_at": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-02-03", "2026-02-04"])})
    features = build_features(purchase_days(orders), "2026-03-01")
    assert list(features.columns) == FEATURE_NAMES
    assert list(features.index) == ["a", "b"]  # guest orders (no customer) are not customers
    assert features.loc["a", "orders_count"] == 2 and features.loc["b", "recency_days"] == 26
    assert not features.isna().any().any()


def test_next_order_date_comes_sooner_for_customers_expected_to_order_more():
    days = next_order_in_days(np.array([2.0, 0.5, 0.1]), np.array([8.0, 2.0, 0.4]))
    assert days[0] == 45 and 90 < days[1] < 365 and np.isnan(days[2])


def test_predictions_are_probabilities_and_fall_with_time_since_last_order(demo_insight):
    table = demo_insight.customers
    assert table["p_active_90d"].notna().all()
    assert table["p_active_90d"].between(0, 1).all()
    assert (table["expected_orders_90d"] >= table["p_active_90d"] - 1e-9).all()
    assert (table["clv_365d"] >= table["expected_spend_90d"] - 1e-6).all()
    assert (table["expected_orders_365d"] >= table["expected_orders_90d"]).all()
    by_recency = table.groupby(pd.qcut(table["days_since_last_order"], 4, labels=False))["p_active_90d"].mean()
    assert by_recency.is_monotonic_decreasing
    assert demo_insight.predictions_available and not demo_insight.predictions_uncertain


def test_segments_summary_shows_size_value_and_rule(demo_insight):
    segments = demo_insight.segments
    assert segments["customers"].sum() == len(demo_insight.customers)
    assert segments.loc[segments["segment"] == "Champions", "customers"].iat[0] > 0
    assert segments["rule"].str.len().min() > 20
    assert demo_insight.movement["customers"].sum() > 0


def test_small_shop_still_gets_segments_and_an_uncertainty_note(tmp_path):
    path = write_shop(tmp_path / "small.db", small_shop_orders(), extra_customers=("0099",))
    with open_store(path, create=False) as store:
        insight = analyze_customers(store)
    table = insight.customers
    assert insight.predictions_uncertain
    assert any("uncertain" in note for note in insight.notes)
    assert table["segment"].notna().all()
    buyers = table.loc[table["orders_count"].notna()]
    assert buyers["p_active_90d"].between(0, 1).all() and buyers["clv_365d"].ge(0).all()
    assert table.loc[table["customer_id"] == "0099", "segment"].iat[0] == "Prospects"
    assert set(table["customer_id"]) == {f"00{i:02d}" for i in range(24)} | {"0099"}  # ids verbatim


def test_segments_only_summary_skips_the_predictions(tmp_path):
    path = write_shop(tmp_path / "small.db", small_shop_orders())
    with open_store(path, create=False) as store:
        insight = analyze_customers(store, with_predictions=False)
    assert not insight.predictions_available
    assert insight.customers["p_active_90d"].isna().all()
    assert insight.customers["segment"].notna().all()


def test_a_shop_where_nobody_came_back_is_told_the_repeat_chances_are_guesses(tmp_path):
    # 240 customers over 7 months, none ever came back: nothing to learn the return rate from
    orders = [(f"N{i:03d}", str((pd.Timestamp("2026-01-01") + pd.Timedelta(days=i % 210)).date()), 25.0)
              for i in range(240)]
    path = write_shop(tmp_path / "one-timers.db", orders)
    with open_store(path, create=False) as store:
        insight = analyze_customers(store)
    assert insight.predictions_uncertain
    assert any(note.startswith("None of your customers has ordered more than once") and "guesses" in note
               for note in insight.notes)
    table = insight.customers
    assert table["p_active_90d"].between(0, 1).all() and table["clv_365d"].notna().all()


def test_predictions_use_the_shops_own_bgnbd_and_gamma_gamma_fit(demo_store_template):
    with open_store(demo_store_template, create=False) as store:
        from merchant_ai.services.customers.service import store_orders
        from merchant_ai.store.as_of import resolve_as_of

        day = resolve_as_of(store)
        history = customer_history(purchase_days(store_orders(store, day)), day)
    fit = fit_shop(history)
    assert not fit.at_bound and fit.order_value is not None and fit.order_value.q > 1
    predicted = predict_customers(history, fit)
    busy = history["orders_count"].idxmax()
    once = history.index[history["orders_count"] == 1][0]
    assert predicted.loc[busy, "expected_orders_365d"] > predicted.loc[once, "expected_orders_365d"]
    # spend = expected orders x expected order value, in the shop's currency
    value = predicted["expected_spend_90d"] / predicted["expected_orders_90d"]
    assert np.allclose(value, predicted["clv_365d"] / predicted["expected_orders_365d"])


def test_as_of_uses_only_orders_before_that_date(tmp_path):
    orders = [("A1", "2026-01-05", 20.0), ("A1", "2026-03-01", 30.0), ("B2", "2026-02-20", 10.0)]
    path = write_shop(tmp_path / "s.db", orders)
    with open_store(path, create=False) as store:
        insight = analyze_customers(store, as_of="2026-02-01")
        timeline = customer_orders(store, "A1")
    table = insight.customers.set_index("customer_id")
    assert list(table.index) == ["A1"]  # B2 had not ordered yet, so is not a customer then
    assert table.loc["A1", "orders_count"] == 1 and table.loc["A1", "historic_value"] == 20.0
    assert list(timeline["amount"]) == [20.0, 30.0]


def test_action_list_puts_valuable_customers_at_risk_first_and_exports_csv(demo_store_template, demo_insight, tmp_path):
    with open_store(demo_store_template, create=False) as store:
        actions, notes = action_list(demo_insight, store, limit=40)
    assert list(actions.columns) == ACTION_COLUMNS
    assert actions["action"].iloc[0] == "win-back"
    win_back = actions.loc[actions["action"] == "win-back"]
    assert win_back["segment"].isin(["At risk", "Previously loyal", "Almost lost"]).all()
    assert set(actions["action"]) <= {"win-back", "thank-you", "personal recommendation"}
    assert (actions["suggested_products"] != "").any() or notes
    out = export_action_list_csv(actions, tmp_path / "contact.csv")
    back = pd.read_csv(out, dtype={"customer_id": str}, encoding="utf-8-sig")
    assert list(back["customer_id"]) == list(actions["customer_id"])


def test_cli_fields_are_in_the_dict_for_every_customer(demo_insight):
    payload = demo_insight.to_dict()
    first = payload["customers"][0]
    assert set(CLI_FIELDS) <= set(first)
    assert isinstance(first["customer_id"], str)


def test_card_summary_names_customers_at_risk(demo_store_template):
    with open_store(demo_store_template, create=False) as store:
        card = card_summary(store)
    assert "at risk" in card["headline"] and card["detail"]


def test_backtest_scores_the_prediction_against_recency_alone(demo_store_template):
    from merchant_ai.ml.backtest import how_accurate
    from merchant_ai.services.customers.backtest import CUSTOMERS_BACKTEST

    with open_store(demo_store_template, create=False) as store:
        result = how_accurate(store, CUSTOMERS_BACKTEST)
    assert 0.5 < result.method_metrics["roc_auc"] <= 1.0
    assert 0.5 < result.baseline_metrics["roc_auc"] <= 1.0
    assert result.n_evaluated > 100 and result.verdict
