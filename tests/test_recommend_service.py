"""Merchant controls, feedback and the `recommend` command on a tiny hand-made store."""

from __future__ import annotations

import json

import pytest

from merchant_ai.cli import run_cli
from merchant_ai.services.recommend.context import load_context
from merchant_ai.services.recommend.controls import load_controls, record_feedback, set_controls
from merchant_ai.services.recommend.service import (
    all_customer_lists,
    customer_recommendations,
    product_recommendations,
)
from merchant_ai.store import open_store
from tests.recommend_synthetic import BASKETS, CUSTOMERS, JAR, MUG, OLD, OUT, POST, SPOON, TEA, write_store


@pytest.fixture
def shop(store_path):
    write_store(store_path)
    with open_store(store_path) as store:
        yield store


def _together(store, sku=MUG, k=10) -> list[str]:
    return [s.sku for s in product_recommendations(load_context(store), sku, k).bought_together]


def test_bought_together_gives_evidence_and_leaves_out_unsellable_products(shop):
    recs = product_recommendations(load_context(shop), MUG)
    first = recs.bought_together[0]
    assert first.sku == TEA and first.orders_together == 8
    assert first.reason.startswith("bought together in 8 orders;")
    assert first.support == pytest.approx(8 / len(BASKETS), abs=1e-4)
    # out of stock, discontinued and postage lines are never suggested
    assert {OUT, OLD, POST}.isdisjoint(s.sku for s in recs.bought_together + recs.similar)


def test_out_of_stock_products_come_back_when_the_merchant_allows_them(shop):
    set_controls(shop, exclude_out_of_stock=False)
    assert OUT in _together(shop)


def test_minimum_evidence_hides_pairs_seen_in_too_few_orders(shop):
    assert SPOON in _together(shop)          # 3 shared orders, default minimum 2
    set_controls(shop, min_pair_orders=4)
    assert SPOON not in _together(shop) and TEA in _together(shop)


def test_a_blocked_pair_is_hidden_both_ways(shop):
    record_feedback(shop, MUG, TEA, "blocked")
    assert TEA not in _together(shop, MUG)
    assert MUG not in _together(shop, TEA)


def test_a_pinned_product_comes_first_even_without_shared_orders(shop):
    record_feedback(shop, MUG, JAR, "pinned")
    recs = product_recommendations(load_context(shop), MUG).bought_together
    assert recs[0].sku == JAR and recs[0].pinned and recs[0].reason.startswith("pinned by you")


def test_a_dismissed_suggestion_never_comes_back_for_that_customer(shop):
    ctx = load_context(shop)
    before = [i.sku for i in customer_recommendations(ctx, "007", 10).items]
    assert before
    record_feedback(shop, "007", before[0], "dismissed")
    after = [i.sku for i in customer_recommendations(load_context(shop), "007", 10).items]
    assert before[0] not in after
    others = all_customer_lists(load_context(shop), 10)
    assert before[0] not in set(others.loc[others["subject"] == "007", "sku"])


def test_the_latest_verdict_wins(shop):
    record_feedback(shop, MUG, TEA, "blocked")
    record_feedback(shop, MUG, TEA, "cleared")
    assert TEA in _together(shop)


def test_customer_lists_mark_repeat_purchases_and_give_a_reason(shop):
    recs = customer_recommendations(load_context(shop), "007", 5)
    assert recs.customer_id == "007"
    assert all(item.reason for item in recs.items)
    repeats = [item for item in recs.items if item.repeat]
    assert repeats and all(item.reason.startswith("re-order") for item in repeats)


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = run_cli(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_product_json_keeps_skus_verbatim(shop, store_path, capsys):
    code, out, _ = _cli(capsys, "recommend", "--db", str(store_path), "--product", MUG, "-k", "3", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["sku"] == MUG
    assert result["bought_together"][0]["sku"] == TEA
    assert {"sku", "score", "reason"} <= set(result["similar"][0])
    assert len(result["bought_together"]) <= 3


def test_cli_customer_json_keeps_ids_verbatim(shop, store_path, capsys):
    code, out, _ = _cli(capsys, "recommend", "--db", str(store_path), "--customer", "0042", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["customer_id"] == "0042"
    assert all({"sku", "score", "reason", "repeat"} <= set(item) for item in result["items"])


def test_cli_all_customers_json_lists_every_customer(shop, store_path, capsys):
    code, out, _ = _cli(capsys, "recommend", "--db", str(store_path), "--all-customers", "-k", "2", "--json")
    assert code == 0
    assert sorted(c["customer_id"] for c in json.loads(out)["customers"]) == sorted(CUSTOMERS)


def test_cli_unknown_sku_is_bad_input_with_one_line(shop, store_path, capsys):
    code, out, err = _cli(capsys, "recommend", "--db", str(store_path), "--product", "123", "--json")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "'123'" in err


def test_backtest_compares_with_recent_best_sellers(shop):
    from merchant_ai.ml.backtest import run_backtest
    from merchant_ai.services.recommend.backtest import RECOMMEND_BACKTEST

    result = run_backtest(shop, RECOMMEND_BACKTEST, "2025-09-01", horizon_days=60)
    assert result.n_evaluated > 0
    assert set(result.method_metrics) == set(result.baseline_metrics) == {"hr@10", "recall@10", "ndcg@10"}
    assert 0.0 <= result.method_metrics["hr@10"] <= 1.0 and result.verdict


def test_overview_and_dashboard_card_name_the_best_bundle(shop):
    from merchant_ai.services.recommend import card_summary
    from merchant_ai.services.recommend.service import recommendations_overview

    overview = recommendations_overview(shop)
    assert overview.top_bundles and overview.top_bundles[0]["items"] in (2, 3)
    card = card_summary(shop)
    assert card["headline"].startswith("Bundle idea:") and "bought together in" in card["detail"]


def test_bundle_ideas_report_the_revenue_a_pair_already_produces(shop):
    from merchant_ai.services.recommend.bundles import bundle_ideas

    ideas = bundle_ideas(load_context(shop)).set_index("skus")
    pair = ideas.loc[f"{MUG} + {TEA}"] if f"{MUG} + {TEA}" in ideas.index else ideas.loc[f"{TEA} + {MUG}"]
    assert pair["orders"] == 8 and pair["revenue"] == pytest.approx(8 * (5.0 + 5.0))
    assert OUT not in " ".join(ideas.index)


def test_as_of_answers_with_the_orders_before_that_date_only(shop, store_path, capsys):
    # by 2025-03-01 only the first orders (MUG with TEA) had happened: no SPOON pair yet
    code, out, _ = _cli(capsys, "recommend", "--db", str(store_path), "--as-of", "2025-03-01",
                        "--product", MUG, "--json")
    assert code == 0
    assert SPOON not in [s["sku"] for s in json.loads(out)["bought_together"]]


def test_an_unknown_verdict_is_refused(shop):
    from merchant_ai.errors import BadInputError

    with pytest.raises(BadInputError):
        record_feedback(shop, MUG, TEA, "loved")


def test_the_merchant_can_cap_re_orders_per_customer_list(shop):
    before = customer_recommendations(load_context(shop), "007", 5).items
    assert sum(item.repeat for item in before) >= 2
    set_controls(shop, max_repeats=1)
    after = customer_recommendations(load_context(shop), "007", 5).items
    assert sum(item.repeat for item in after) == 1
    set_controls(shop, max_repeats=None)
    assert load_controls(shop).max_repeats is None


def test_a_shop_with_no_pair_bought_together_often_enough_gets_no_bundles_not_a_crash(shop):
    from merchant_ai.services.recommend import card_summary
    from merchant_ai.services.recommend.bundles import bundle_ideas
    from merchant_ai.services.recommend.service import recommendations_overview

    set_controls(shop, min_pair_orders=50)  # no pair reaches it
    assert bundle_ideas(load_context(shop)).empty
    assert recommendations_overview(shop).top_bundles == []
    assert card_summary(shop)["headline"] == "No frequent pairs yet"


def test_a_re_order_bought_on_the_last_day_says_a_day_ago_never_0_days(shop):
    # the last order of the shop is customer "x 9" buying JAR; today is the day after it
    reasons = [item.reason for item in customer_recommendations(load_context(shop), CUSTOMERS[2], 10).items]
    assert any("last 1 day ago" in reason for reason in reasons)
    assert not any(" 0 days ago" in reason for reason in reasons)


def test_an_as_of_before_the_first_order_says_so_and_exits_2(shop, store_path, capsys):
    code, out, err = _cli(capsys, "recommend", "--db", str(store_path), "--as-of", "2000-01-01",
                          "--all-products", "--json")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "before 2000-01-01 (found 0 orders with 0 products)" in err
