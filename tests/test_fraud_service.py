"""Order risk on a store: scores, levels, thresholds, verdicts, rules, the CLI and the demo's fraud."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from merchant_ai.cli import run_cli
from merchant_ai.demo.fraud_injection import PATTERNS, inject_fraud
from merchant_ai.errors import BadInputError
from merchant_ai.services.fraud import settings as fraud_settings
from merchant_ai.services.fraud.rules import parse_rule
from merchant_ai.services.fraud.service import analyze, card_summary, customer_history
from merchant_ai.services.fraud.thresholds import Thresholds, default_thresholds, recalibrate
from merchant_ai.store import open_store


@pytest.fixture(scope="module")
def demo_result(demo_store_template):
    with open_store(demo_store_template) as store:
        return analyze(store)


def test_demo_store_has_a_few_suspicious_orders_with_reasons(demo_result):
    high = demo_result.orders[demo_result.orders["level"] == "high"]
    assert 3 <= len(high) <= 60
    reasons = [i for row in high["indicators"] for i in row if i["effect"] == "raises"]
    assert reasons and all(i["name"] and "value" in i for i in reasons)
    assert demo_result.model.get("status") != "unavailable", demo_result.notes


def test_scores_are_0_to_100_and_high_is_rare(demo_result):
    scores = demo_result.all_scores
    assert scores.min() >= 0 and scores.max() <= 100
    levels = demo_result.thresholds.level(scores)
    assert (levels == "high").mean() <= 0.01


def test_orders_to_review_come_first(demo_result):
    scores = demo_result.orders.loc[demo_result.orders["action"].isna(), "score"].to_numpy()
    assert (np.diff(scores) <= 0).all()


def test_default_thresholds_follow_the_score_distribution_and_stay_bounded():
    few_risky = default_thresholds(np.r_[np.zeros(990), np.full(10, 97.0)])
    assert few_risky.high == 95.0 and few_risky.medium == 15.0  # the top 1% is risky: high at the ceiling
    calm_scores = np.random.default_rng(0).exponential(5.0, 10_000)
    calm = default_thresholds(calm_scores)
    assert calm.high == 50.0  # nothing stands out: high never drops below the floor
    assert (calm.level(calm_scores) == "high").mean() <= 0.005
    spread = default_thresholds(np.linspace(0, 80, 1001))
    assert 50.0 <= spread.high <= 80.0 and spread.medium < spread.high


def test_recalibration_lifts_high_above_orders_marked_legitimate():
    scores = np.r_[np.zeros(1000), [60.0, 62.0, 90.0]]
    default = Thresholds(medium=20.0, high=55.0, source="d")
    moved = recalibrate(default, scores, fraud_scores=np.array([90.0]), legit_scores=np.array([60.0, 62.0]))
    assert 62.0 < moved.high <= 90.0
    assert "3 verdicts" in moved.source


def test_recalibration_keeps_high_rare_when_a_low_score_is_marked_fraud():
    scores = np.linspace(0, 100, 1000)
    default = Thresholds(medium=30.0, high=99.0, source="d")
    moved = recalibrate(default, scores, fraud_scores=np.array([10.0]), legit_scores=np.array([]))
    assert (scores >= moved.high).mean() <= 0.02
    assert moved.medium <= 10.0


def test_verdicts_are_stored_used_for_thresholds_and_shown_in_the_rule_backtest(demo_store):
    with open_store(demo_store) as store:
        first = analyze(store, rules=[parse_rule("review if total > 0")])
        legit_id = first.orders.iloc[0]["order_id"]
        fraud_settings.mark_order(store, legit_id, "legit")
        fraud_settings.mark_order(store, first.orders.iloc[1]["order_id"], "fraud")
        assert fraud_settings.verdicts(store)[legit_id] == "legit"
        again = analyze(store, rules=[parse_rule("review if total > 0")])
    assert "verdict" in again.thresholds.source
    assert again.orders.set_index("order_id").loc[legit_id, "verdict"] == "legit"
    [rule] = again.rules
    assert rule["marked_fraud_total"] == 1 and rule["marked_legit_matched"] == 1
    assert again.feedback["marked_fraud"] == 1 and again.feedback["marked_legit"] == 1


def test_marking_an_unknown_order_or_verdict_is_bad_input(demo_store):
    with open_store(demo_store) as store:
        with pytest.raises(BadInputError):
            fraud_settings.mark_order(store, "no-such-order", "fraud")
        order_id = store.scalar("SELECT order_id FROM orders LIMIT 1")
        with pytest.raises(BadInputError):
            fraud_settings.mark_order(store, order_id, "maybe")


def test_thresholds_set_by_hand_win_and_can_be_reset(demo_store):
    with open_store(demo_store) as store:
        fraud_settings.set_thresholds(store, 10, 20)
        assert fraud_settings.manual_thresholds(store).high == 20
        with pytest.raises(BadInputError):
            fraud_settings.set_thresholds(store, 50, 40)
        fraud_settings.set_thresholds(store, None, None)
        assert fraud_settings.manual_thresholds(store) is None


def test_rules_decide_before_the_score_and_a_bad_rule_keeps_the_saved_ones(demo_store):
    with open_store(demo_store) as store:
        fraud_settings.save_rules(store, ["allow if customer has 3+ paid orders", "block if total > 100000"])
        with pytest.raises(BadInputError):
            fraud_settings.save_rules(store, ["review if totl > 5"])
        assert next(r.text for r in fraud_settings.saved_rules(store)) == "allow if customer has 3+ paid orders"
        result = analyze(store)
    loyal = result.orders[result.orders["indicators"].map(lambda items: any(i["key"] == "loyal_customer"
                                                                              for i in items))]
    assert (loyal["action"] == "allow").all() and len(loyal)
    assert result.rules[0]["orders_matched"] > 0


def test_card_summary_and_customer_history(demo_store):
    with open_store(demo_store) as store:
        card = card_summary(store)
        assert card["headline"] and card["detail"]
        order_id = store.scalar("SELECT order_id FROM orders WHERE customer_id IS NOT NULL LIMIT 1")
        history = customer_history(store, order_id)
    assert order_id in set(history["order_id"])


def test_cli_json_lists_each_order_with_score_level_and_indicators(demo_store, capsys):
    assert run_cli(["fraud", "--db", str(demo_store), "--as-of", "2026-10-01", "--days", "10", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    with open_store(demo_store) as store:
        expected = set(store.query_df("SELECT order_id FROM orders WHERE is_refund = 0 AND created_at >= "
                                      "'2026-09-21' AND created_at < '2026-10-01'")["order_id"])
    assert {o["order_id"] for o in payload["orders"]} == expected  # ids verbatim, e.g. '#123456'
    order = payload["orders"][0]
    assert set(order) >= {"order_id", "score", "level", "indicators"}
    assert all(set(i) == {"name", "value", "effect"} for o in payload["orders"] for i in o["indicators"])


def test_cli_rejects_a_bad_rule_with_exit_2_and_changes_nothing(demo_store, capsys):
    code = run_cli(["fraud", "--db", str(demo_store), "--rule", "review if totl > 5", "--save-rules",
                    "--mark", "#100001", "fraud"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "totl" in err
    with open_store(demo_store) as store:
        assert fraud_settings.saved_rules(store) == [] and fraud_settings.verdicts(store).empty


def test_cli_rejects_bad_thresholds_before_storing_a_verdict(demo_store, capsys):
    code = run_cli(["fraud", "--db", str(demo_store), "--mark", "#100001", "fraud", "--thresholds", "80", "20"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "medium < high" in err
    with open_store(demo_store) as store:
        assert fraud_settings.verdicts(store).empty and fraud_settings.manual_thresholds(store) is None


def test_injected_fraud_is_labelled_and_respects_the_shop_fields():
    from merchant_ai.demo.simulator import SimulationConfig, simulate

    sim = simulate(SimulationConfig(seed=3, n_products=40, n_customers=300, start="2025-01-01", end="2025-06-30"))
    orders = sim.orders.assign(billing_zip=None, email_domain=None)
    injected = inject_fraud(orders, sim.order_lines, seed=1, n_events=10)
    labels = injected.labels
    assert set(labels["pattern"]) == set(PATTERNS)
    fraud = injected.orders[injected.orders["order_id"].isin(labels["order_id"])]
    assert len(fraud) == len(labels) and injected.orders["order_id"].is_unique
    assert fraud["billing_zip"].isna().all() and fraud["email_domain"].isna().all()
    assert set(labels["order_id"]) <= set(injected.order_lines["order_id"])
    assert pd.api.types.is_datetime64_any_dtype(injected.orders["created_at"])


def test_an_empty_store_says_there_is_nothing_to_check(store_path):
    from merchant_ai.errors import NotEnoughDataError

    with open_store(store_path) as store:
        with pytest.raises(NotEnoughDataError):
            analyze(store)
        assert card_summary(store)["headline"] == "No orders to check yet"


def test_backtest_without_verdicts_says_what_each_level_would_have_held_back(demo_store, capsys):
    assert run_cli(["fraud", "--db", str(demo_store), "--backtest", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["capability"] == "fraud" and result["n_evaluated"] > 100
    method, baseline = result["method_metrics"], result["baseline_metrics"]
    assert 0 < method["high_share"] < 0.05 and 0 <= method["medium_share"] < 0.2
    assert method["verdicts_in_period"] == 0 and result["improvement"] is None
    assert "no verdicts of yours" in result["verdict"] and f"{method['high_share']:.1%}" in result["verdict"]
    assert "counting warning signs" in result["verdict"] and baseline["high_share"] >= 0


def test_backtest_with_verdicts_counts_those_on_the_right_side(demo_store):
    from merchant_ai.ml.backtest import how_accurate
    from merchant_ai.services.fraud.backtest import FRAUD_BACKTEST

    with open_store(demo_store) as store:
        period = analyze(store, days=28).orders  # the latest period the check looks at
        high = period.loc[period["level"] == "high", "order_id"].head(3).tolist()
        low = period.loc[period["level"] == "low", "order_id"].head(3).tolist()
        for order_id in high:
            fraud_settings.mark_order(store, order_id, "fraud")
        for order_id in low:
            fraud_settings.mark_order(store, order_id, "legit")
        result = how_accurate(store, FRAUD_BACKTEST)
    assert high and result.method_metrics["verdicts_in_period"] == len(high) + len(low)
    assert 0.5 <= result.method_metrics["verdicts_right"] <= 1.0
    assert result.method_metrics["legit_held"] <= 0.5
    assert "your verdicts on the right side" in result.verdict
