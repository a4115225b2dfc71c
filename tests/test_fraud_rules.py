"""The merchant's risk rules: what they accept, what they match, and how they say no."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from merchant_ai.errors import BadInputError, BadRuleError
from merchant_ai.services.fraud.rules import backtest_rules, decide, parse_rule

FACTS = pd.DataFrame({
    "total": [600.0, 100.0, 700.0, 45.0],
    "billing_country": ["United Kingdom", "France", None, "united states"],
    "shipping_country": ["France", "France", "France", "United States"],
    "paid_orders": [0, 5, 3, 1], "orders_before": [0, 5, 3, 1],
    "first_order": [True, False, False, False], "guest": [True, False, False, False],
    "email_domain": ["mailinator.com", "gmail.com", None, "gmail.com"],
    "max_quantity": [1, 60, 2, 1], "hour": [3, 14, 10, 12],
})


def matches(text: str) -> list[bool]:
    return parse_rule(text).matches(FACTS).tolist()


def test_review_when_total_is_high_and_countries_differ():
    assert matches("review if total > 500 and country != shipping country") == [True, False, False, False]


def test_allow_customers_with_three_or_more_paid_orders():
    rule = parse_rule("allow if customer has 3+ paid orders")
    assert rule.action == "allow"
    assert rule.matches(FACTS).tolist() == [False, True, True, False]


def test_or_not_and_parentheses():
    assert matches("block if email domain = mailinator.com or (not first order and quantity >= 50)") == \
        [True, True, False, False]


def test_text_comparisons_ignore_case_and_accept_bare_multi_word_values():
    assert matches("review if country is United States") == [False, False, False, True]
    assert matches("review if shipping country = 'france'") == [True, True, True, False]


def test_money_may_be_written_with_currency_and_thousands_separator():
    assert matches("block if total >= £1,000") == [False, False, False, False]
    assert matches("block if total >= $600") == [True, False, True, False]


def test_a_missing_value_never_matches():
    # order 3 has no billing country: neither = nor != can be true
    assert matches("review if country != shipping country")[2] is False
    assert matches("review if country = shipping country")[2] is False


def test_yes_no_fields_stand_alone():
    assert matches("review if guest") == [True, False, False, False]


@pytest.mark.parametrize("text, words", [
    ("", "cannot be empty"),
    ("hold if total > 5", "start with allow, review or block"),
    ("review total > 5", "write 'if'"),
    ("review if totl > 500", "'totl' is not something a rule can look at"),
    ("review if total > 500 and", "incomplete"),
    ("review if total >", "incomplete"),
    ("review if country is", "incomplete"),
    ("block if total > abc", "'abc' is not a number"),
    ("review if country > 5", "cannot compare"),
    ("review if country > France", "only works with numbers"),
    ("review if (total > 5", "never closed"),
    ("review if 5 > 3", "name a field"),
    ("review if total > 5 5", "join conditions with 'and' or 'or'"),
    ("review if customer has many orders", "customer has 3+ paid orders"),
    ("review if total > 5; drop table orders", "did not expect ';'"),
])
def test_bad_rules_are_rejected_with_a_plain_message(text, words):
    with pytest.raises(BadRuleError) as caught:
        parse_rule(text)
    assert words in caught.value.message
    assert isinstance(caught.value, BadInputError) and "\n" not in caught.value.message


def test_the_first_matching_rule_decides():
    rules = [parse_rule("allow if customer has 3+ paid orders"), parse_rule("review if total > 50")]
    action, which = decide(rules, FACTS)
    assert action.tolist() == ["review", "allow", "allow", None]
    assert which[0] == "review if total > 50"


def test_backtest_counts_matches_and_agreement_with_verdicts():
    rule = parse_rule("review if total > 500")
    verdicts = pd.Series(["fraud", "legit", None, "fraud"])
    [result] = backtest_rules([rule], FACTS, verdicts=verdicts, high=np.array([True, False, False, False]))
    assert result["orders_matched"] == 2 and result["value_matched"] == 1300.0
    assert result["marked_fraud_matched"] == 1 and result["marked_fraud_total"] == 2
    assert result["marked_legit_matched"] == 0 and result["high_risk_matched"] == 1
