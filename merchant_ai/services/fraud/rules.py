"""Store-free: the merchant's own risk rules: a small, safe grammar (no eval), evaluated on all orders at once.

    review if total > 500 and country != shipping country
    allow if customer has 3+ paid orders
    block if email domain = mailinator.com or (first order and quantity >= 50)

Grammar (case-insensitive):
    rule       := ACTION "if" condition            ACTION: allow | review | block
    condition  := term ("or" term)*
    term       := factor ("and" factor)*
    factor     := "not" factor | "(" condition ")" | "customer has" N["+"] ["paid"] "orders"
                | yes/no field | value OP value    OP: > >= < <= = == != is "is not"
    value      := field name | number (500, 1,200.50, £500) | "quoted text" | bare words (United States)
A comparison with a missing value (an export without billing country) is false.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from merchant_ai.errors import BadRuleError

ACTIONS = ("allow", "review", "block")
# field words -> (column in the facts frame, kind); kind: number | text | flag
FIELDS: dict[str, tuple[str, str]] = {
    "total": ("total", "number"), "order total": ("total", "number"), "subtotal": ("subtotal", "number"),
    "discount": ("discount", "number"), "shipping cost": ("shipping_cost", "number"),
    "country": ("billing_country", "text"), "billing country": ("billing_country", "text"),
    "shipping country": ("shipping_country", "text"), "email domain": ("email_domain", "text"),
    "payment method": ("payment_method", "text"), "shipping method": ("shipping_method", "text"),
    "discount code": ("discount_code", "text"), "payment status": ("payment_status", "text"),
    "hour": ("hour", "number"), "items": ("items", "number"), "quantity": ("max_quantity", "number"),
    "paid orders": ("paid_orders", "number"), "orders": ("orders_before", "number"),
    "first order": ("first_order", "flag"), "guest": ("guest", "flag"), "express": ("express", "flag"),
}
_OPERATORS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal,
              "=": None, "==": None, "is": None, "!=": None, "is not": None}
_TOKEN = re.compile(r'\s*(?:(?P<string>"[^"]*"|\'[^\']*\')|(?P<op>>=|<=|!=|==|=|>|<)|(?P<paren>[()])'
                    r'|(?P<number>[£$€]?\d[\d,]*(?:\.\d+)?\+?)|(?P<word>[^\s()"\'<>=!]+))')
_KEYWORDS = {"and", "or", "not", "if", "is", "customer", "has"}


@dataclass(frozen=True)
class Rule:
    """A parsed rule: `matches(facts)` gives one bool per order."""

    text: str
    action: str
    matches: Callable[[pd.DataFrame], pd.Series]

    def to_dict(self) -> dict:
        return {"text": self.text, "action": self.action}


def _tokens(text: str) -> list[tuple[str, str]]:
    out, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise BadRuleError(f"Rule '{text}': cannot read '{text[position:].strip()[:20]}'.")
        position = match.end()
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def fail(self, why: str) -> BadRuleError:
        return BadRuleError(f"Rule '{self.text}': {why}")

    def peek_word(self, offset: int = 0) -> str | None:
        j = self.i + offset
        if j < len(self.tokens) and self.tokens[j][0] == "word":
            return self.tokens[j][1].lower()
        return None

    def take_word(self, word: str) -> bool:
        if self.peek_word() == word:
            self.i += 1
            return True
        return False

    def parse(self) -> Rule:
        action = self.peek_word()
        if action not in ACTIONS:
            raise self.fail("start with allow, review or block, e.g. 'review if total > 500'.")
        self.i += 1
        if not self.take_word("if"):
            raise self.fail(f"write 'if' after '{action}'.")
        condition = self.condition()
        if self.i != len(self.tokens):
            raise self.fail(f"did not expect '{self.tokens[self.i][1]}' here; join conditions with 'and' or 'or'.")
        return Rule(text=self.text.strip(), action=action, matches=condition)

    def condition(self):
        parts = [self.term()]
        while self.take_word("or"):
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else lambda f: np.logical_or.reduce([p(f) for p in parts])

    def term(self):
        parts = [self.factor()]
        while self.take_word("and"):
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else lambda f: np.logical_and.reduce([p(f) for p in parts])

    def factor(self):
        if self.i >= len(self.tokens):
            raise self.fail("the condition is incomplete.")
        if self.take_word("not"):
            inner = self.factor()
            return lambda f: ~inner(f)
        if self.tokens[self.i] == ("paren", "("):
            self.i += 1
            inner = self.condition()
            if self.i >= len(self.tokens) or self.tokens[self.i] != ("paren", ")"):
                raise self.fail("a '(' is never closed.")
            self.i += 1
            return inner
        if self.peek_word() == "customer" and self.peek_word(1) == "has":
            return self.customer_has()
        left = self.value()
        if self.i < len(self.tokens) and (self.tokens[self.i][0] == "op" or self.peek_word() == "is"):
            op = self.operator()
            right = self.value()
            return self.comparison(left, op, right)
        if left[0] == "field" and left[2] == "flag":
            column = left[1]
            return lambda f: f[column].fillna(False).astype(bool).to_numpy()
        raise self.fail(f"'{left[3]}' needs a comparison, e.g. 'total > 500'.")

    def customer_has(self):
        self.i += 2
        if self.i >= len(self.tokens) or self.tokens[self.i][0] != "number":
            raise self.fail("write it as 'customer has 3+ paid orders'.")
        count = _number(self.tokens[self.i][1])
        self.i += 1
        column = "paid_orders" if self.take_word("paid") else "orders_before"
        if not (self.take_word("orders") or self.take_word("order")):
            raise self.fail("write it as 'customer has 3+ paid orders'.")
        return lambda f: (f[column] >= count).to_numpy()

    def operator(self) -> str:
        if self.take_word("is"):
            return "is not" if self.take_word("not") else "is"
        op = self.tokens[self.i][1]
        self.i += 1
        return op

    def value(self) -> tuple:
        """(source, value, kind, as written); source: field | number | text (quoted) | words (bare)."""
        if self.i >= len(self.tokens):
            raise self.fail("the condition is incomplete; write e.g. 'total > 500'.")
        kind, token = self.tokens[self.i]
        if kind == "number":
            self.i += 1
            return ("number", _number(token), "number", token)
        if kind == "string":
            self.i += 1
            return ("text", token[1:-1].strip().lower(), "text", token)
        if kind != "word":
            raise self.fail(f"did not expect '{token}' here.")
        for length in (3, 2, 1):  # longest field name first ("shipping country" before "country")
            words = [self.peek_word(k) for k in range(length)]
            if None not in words and " ".join(words) in FIELDS:
                self.i += length
                column, field_kind = FIELDS[" ".join(words)]
                return ("field", column, field_kind, " ".join(words))
        words = []
        while self.peek_word() is not None and self.peek_word() not in _KEYWORDS:
            words.append(self.tokens[self.i][1])
            self.i += 1
        if not words:
            raise self.fail(f"did not expect '{token}' here.")
        return ("words", " ".join(words).lower(), "text", " ".join(words))

    def comparison(self, left: tuple, op: str, right: tuple):
        if left[0] == "words" and right[0] != "field":
            raise self.fail(f"'{left[3]}' is not something a rule can look at. Fields: {', '.join(sorted(FIELDS))}.")
        if left[0] != "field" and right[0] != "field":
            raise self.fail(f"'{left[3]} {op} {right[3]}' compares two fixed values; name a field such as "
                            f"total or country. Fields: {', '.join(sorted(FIELDS))}.")
        kinds = {left[2], right[2]}
        if len(kinds) > 1:
            text_side = left if left[2] == "text" else right
            if text_side[0] == "words":
                raise self.fail(f"'{text_side[3]}' is not a number, nor something a rule can look at. Fields: "
                                f"{', '.join(sorted(FIELDS))}.")
            raise self.fail(f"cannot compare '{left[3]}' with '{right[3]}'.")
        if "flag" in kinds or ("text" in kinds and _OPERATORS[op] is not None):
            raise self.fail(f"'{op}' only works with numbers; use = or != for '{left[3]}'.")

        def side(value: tuple, facts: pd.DataFrame):
            return facts[value[1]] if value[0] == "field" else value[1]

        def compare(facts: pd.DataFrame) -> np.ndarray:
            a, b = side(left, facts), side(right, facts)
            if "text" in kinds:
                a = a.astype("str").str.strip().str.lower().where(a.notna()) if isinstance(a, pd.Series) else a
                b = b.astype("str").str.strip().str.lower().where(b.notna()) if isinstance(b, pd.Series) else b
            known = np.ones(len(facts), dtype=bool)
            for part in (a, b):
                if isinstance(part, pd.Series):
                    known &= part.notna().to_numpy()
            if op in ("=", "==", "is"):
                result = np.asarray(a == b, dtype=bool)
            elif op in ("!=", "is not"):
                result = np.asarray(a != b, dtype=bool)
            else:
                result = np.asarray(_OPERATORS[op](pd.to_numeric(a), pd.to_numeric(b)), dtype=bool)
            return result & known

        return compare


def _number(token: str) -> float:
    return float(token.lstrip("£$€").rstrip("+").replace(",", ""))


def parse_rule(text: str) -> Rule:
    """Parse one rule; raises BadRuleError (exit code 2) with a plain message when it cannot."""
    if not text or not text.strip():
        raise BadRuleError("A rule cannot be empty; write e.g. 'review if total > 500'.")
    return _Parser(text).parse()


def decide(rules: list[Rule], facts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per order: the action and text of the first rule that matches (None where none does)."""
    action = np.full(len(facts), None, dtype=object)
    which = np.full(len(facts), None, dtype=object)
    for rule in rules:
        hit = rule.matches(facts) & pd.isna(action)
        action[hit] = rule.action
        which[hit] = rule.text
    return action, which


def backtest_rules(rules: list[Rule], facts: pd.DataFrame, *, verdicts: pd.Series, high: np.ndarray) -> list[dict]:
    """How many past orders each rule would have caught, and how it agrees with your verdicts.

    `verdicts`: 'fraud' / 'legit' / NA per order (the merchant's marks); `high`: bool per order.
    """
    out = []
    for rule in rules:
        hit = rule.matches(facts)
        out.append({
            "rule": rule.text, "action": rule.action, "orders_matched": int(hit.sum()),
            "share_of_orders": round(float(hit.mean()), 4) if len(hit) else 0.0,
            "value_matched": round(float(facts.loc[hit, "total"].sum()), 2),
            "marked_fraud_matched": int((hit & (verdicts == "fraud").to_numpy()).sum()),
            "marked_fraud_total": int((verdicts == "fraud").sum()),
            "marked_legit_matched": int((hit & (verdicts == "legit").to_numpy()).sum()),
            "high_risk_matched": int((hit & high).sum()),
        })
    return out
