"""The merchant's pricing guardrails hold for every suggestion."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merchant_ai.errors import BadInputError
from merchant_ai.services.pricing.guardrails import Guardrails, candidate_prices, prices_with_ending
from merchant_ai.services.pricing.optimizer import decide_price


def test_suggestion_never_below_cost_even_when_demand_is_very_elastic():
    rails = Guardrails(min_margin_pct=0.0, price_ending="any")
    decision = decide_price(10.0, 9.8, None, elasticity=-8.0, elasticity_sd=0.1, rails=rails)
    assert decision.suggested_price > 9.8


def test_price_below_cost_jumps_to_the_lowest_price_keeping_the_margin():
    rails = Guardrails(min_margin_pct=20.0, max_step_pct=10.0, price_ending=".99")
    decision = decide_price(10.0, 12.0, None, elasticity=-1.5, elasticity_sd=0.1, rails=rails)
    assert decision.suggested_price == 15.49
    assert "does not cover the unit cost" in decision.reason


def test_price_below_minimum_margin_moves_up_by_one_step_at_most():
    rails = Guardrails(min_margin_pct=30.0, max_step_pct=10.0, price_ending="any")
    decision = decide_price(10.0, 9.0, None, elasticity=-3.0, elasticity_sd=0.1, rails=rails)
    assert decision.status == "rule"
    assert 10.0 < decision.suggested_price <= 11.0
    assert "minimum margin" in decision.reason


def test_suggestion_stays_within_the_maximum_step():
    rails = Guardrails(max_step_pct=10.0, price_ending="any", min_margin_pct=0.0)
    up = decide_price(20.0, 5.0, None, elasticity=-0.3, elasticity_sd=0.05, rails=rails)
    down = decide_price(20.0, 1.0, None, elasticity=-6.0, elasticity_sd=0.05, rails=rails)
    assert up.suggested_price == pytest.approx(22.0)
    assert down.suggested_price == pytest.approx(18.0)


@pytest.mark.parametrize("ending, cents", [(".99", {99, 49}), (".95", {95, 45}), ("whole", {0, 50})])
def test_suggested_prices_have_the_chosen_ending(ending, cents):
    rails = Guardrails(price_ending=ending, min_margin_pct=0.0)
    decision = decide_price(14.20, 2.0, None, elasticity=-0.5, elasticity_sd=0.05, rails=rails)
    assert decision.status == "change"
    assert round(decision.suggested_price * 100) % 100 in cents


def test_price_endings_above_twenty_use_whole_steps_only():
    assert list(prices_with_ending(30.0, 33.5, ".99")) == [30.99, 31.99, 32.99]


def test_competitor_rule_caps_a_raise_at_five_percent_above_their_price():
    rails = Guardrails(price_ending="any", min_margin_pct=0.0, competitor_max_above_pct=5.0)
    decision = decide_price(20.0, 5.0, 20.0, elasticity=-0.3, elasticity_sd=0.05, rails=rails)
    assert decision.suggested_price <= 21.0 + 1e-9


def test_price_above_the_competitor_rule_comes_down():
    rails = Guardrails(price_ending="any", min_margin_pct=0.0, competitor_max_above_pct=5.0)
    decision = decide_price(30.0, 5.0, 20.0, elasticity=-0.3, elasticity_sd=0.05, rails=rails)
    assert decision.status == "rule"
    assert 27.0 - 1e-9 <= decision.suggested_price < 30.0


def test_uncertain_gain_is_withheld_with_the_reason():
    rails = Guardrails(price_ending="any", min_margin_pct=0.0)
    # elasticity around the break-even point with a wide interval: the change may lose money
    decision = decide_price(20.0, 10.0, None, elasticity=-2.1, elasticity_sd=1.2, rails=rails)
    assert decision.status in {"withheld", "keep"}
    assert decision.suggested_price == 20.0
    if decision.status == "withheld":
        assert "chance of helping" in decision.reason


def test_without_unit_cost_the_suggestion_maximises_revenue_and_says_so():
    decision = decide_price(20.0, None, None, elasticity=-0.4, elasticity_sd=0.05, rails=Guardrails())
    assert decision.objective == "revenue"
    assert "judged by revenue" in decision.reason
    assert math.isnan(decision.expected_profit_change_pct)


def test_bad_guardrails_are_refused_in_plain_words():
    with pytest.raises(BadInputError):
        Guardrails(price_ending=".97")
    with pytest.raises(BadInputError):
        Guardrails(max_step_pct=0)


@settings(max_examples=60, deadline=None)
@given(current=st.floats(1.0, 200.0), cost_share=st.floats(0.1, 1.2), competitor_share=st.floats(0.6, 1.5),
       elasticity=st.floats(-5.0, 0.0), ending=st.sampled_from([".99", ".95", "whole", "any"]))
def test_every_suggestion_respects_all_guardrails(current, cost_share, competitor_share, elasticity, ending):
    current = round(current, 2)
    cost = current * cost_share
    competitor = current * competitor_share
    rails = Guardrails(price_ending=ending, min_margin_pct=10.0, max_step_pct=10.0)
    decision = decide_price(current, cost, competitor, elasticity, 0.2, rails)
    price = decision.suggested_price
    if current <= cost:
        assert price >= cost / 0.9 - 1e-6      # never below cost beats the step limit
        return
    assert abs(price - current) <= 0.10 * current + 1e-6
    if price != current:
        # a change never goes below cost, and never moves away from a broken rule
        assert price > cost
        if current >= cost / 0.9:
            assert price >= cost / 0.9 - 1e-6
        if current <= competitor * 1.05 and current >= cost / 0.9 and cost / 0.9 <= competitor * 1.05:
            assert price <= competitor * 1.05 + 1e-6


def test_candidates_start_with_todays_price():
    prices, note = candidate_prices(12.34, 5.0, None, Guardrails())
    assert prices[0] == 12.34 and note == ""
    assert np.all(np.abs(prices - 12.34) <= 1.234 + 1e-9)


def test_what_if_curve_band_contains_the_expected_demand_and_profit():
    from merchant_ai.services.pricing.optimizer import what_if_curves

    prices = np.linspace(8.0, 12.0, 9)
    curves = what_if_curves(10.0, 5.0, 20.0, -1.5, -2.0, -1.0, prices)
    assert curves.loc[4, "units"] == pytest.approx(20.0)          # today's price: today's rate
    assert (curves["units_low"] <= curves["units"] + 1e-9).all()
    assert (curves["units"] <= curves["units_high"] + 1e-9).all()
    assert (curves["profit_low"] <= curves["profit"] + 1e-9).all()
    assert curves["units"].is_monotonic_decreasing
