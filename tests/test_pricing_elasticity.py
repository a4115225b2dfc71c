"""Elasticities are recovered from a shop's own price history, with honest intervals."""

from __future__ import annotations

import pandas as pd

from merchant_ai.ml.features.pricing import weekly_sales_panel
from merchant_ai.services.pricing.elasticity import estimate_raw, shrink_to_prior
from tests.pricing_synthetic import synthetic_lines


def test_elasticity_is_recovered_from_a_synthetic_price_history():
    truth = {"A": -0.8, "B": -1.6, "C": -2.5, "D": -3.2}
    panel = weekly_sales_panel(synthetic_lines(truth, base_units=40.0))
    raw = estimate_raw(panel, pd.Series("Tea", index=list(truth))).set_index("sku")
    for sku, elasticity in truth.items():
        assert abs(raw.loc[sku, "elasticity"] - elasticity) < 3 * raw.loc[sku, "std_error"] + 0.1
    assert raw["elasticity"].rank().tolist() == pd.Series(truth).rank().tolist()


def test_weekly_panel_fills_weeks_without_sales_with_zero_units_and_the_last_price():
    lines = pd.DataFrame({
        "created_at": pd.to_datetime(["2025-01-01 10:00", "2025-01-20 10:00"]),
        "sku": ["A", "A"], "quantity": [2.0, 1.0], "unit_price": [5.0, 6.0],
    })
    panel = weekly_sales_panel(lines, end="2025-01-22")
    assert panel["units"].tolist() == [2.0, 0.0, 1.0]
    assert panel["price"].tolist() == [5.0, 5.0, 6.0]


def test_refund_lines_do_not_count_as_demand():
    lines = pd.DataFrame({
        "created_at": pd.to_datetime(["2025-01-01 10:00", "2025-01-02 10:00"]),
        "sku": ["A", "A"], "quantity": [3.0, -1.0], "unit_price": [5.0, 5.0],
    })
    assert weekly_sales_panel(lines)["units"].sum() == 3.0


def test_product_without_price_variation_borrows_from_its_category_and_says_so():
    truth = {"A": -1.5, "B": -1.8, "C": -2.0, "D": -1.2, "E": -1.6, "FLAT": -1.7}
    panel = weekly_sales_panel(synthetic_lines(truth, flat_price=("FLAT",)))
    category = pd.Series("Tea", index=list(truth))
    raw = estimate_raw(panel, category)
    post = shrink_to_prior(raw, category, pd.Series(-1.0, index=list(truth))).set_index("sku")
    assert post.loc["FLAT", "source"] == "category and prior"
    assert post.loc["FLAT", "reason_missing"] == "too little price variation"
    # the category's own estimates pull the borrowed value from the prior model's -1.0
    assert post.loc["FLAT", "elasticity_post"] < -1.1
    assert post.loc["FLAT", "low"] < post.loc["FLAT", "elasticity_post"] < post.loc["FLAT", "high"]


def test_noisy_estimates_are_shrunk_toward_the_prior_and_precise_ones_are_not():
    raw = pd.DataFrame({
        "sku": list("ABCDEF"), "elasticity": [-3.0, -1.0, -1.2, -1.4, -1.1, -1.3],
        "std_error": [2.0, 0.05, 0.3, 0.3, 0.3, 0.3], "reason_missing": [""] * 6,
    })
    post = shrink_to_prior(raw, pd.Series("X", index=list("ABCDEF")), pd.Series(-1.2, index=list("ABCDEF")))
    post = post.set_index("sku")
    assert post.loc["A", "weight_own"] < 0.2 and post.loc["A", "elasticity_post"] > -2.0
    assert post.loc["B", "weight_own"] > 0.9 and abs(post.loc["B", "elasticity_post"] + 1.0) < 0.05
    assert (post["sd_post"] <= raw.set_index("sku")["std_error"] + 1e-9).all()


def test_a_shop_with_only_days_of_history_gets_prior_elasticities_not_a_crash():
    lines = pd.DataFrame({
        "created_at": pd.to_datetime(["2025-01-01 10:00", "2025-01-02 11:00", "2025-01-02 12:00"]),
        "sku": ["A", "B", "A"], "quantity": [3.0, 1.0, 2.0], "unit_price": [5.0, 7.0, 5.0],
    })
    panel = weekly_sales_panel(lines)
    category = pd.Series("Tea", index=["A", "B"])
    post = shrink_to_prior(estimate_raw(panel, category), category, pd.Series(-1.5, index=["A", "B"]))
    assert (post["source"] == "category and prior").all()
    assert post["sd_post"].notna().all() and (post["low"] < post["elasticity_post"]).all()
