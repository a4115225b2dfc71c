"""Reading values the way shop exports write them: money, quantities, dates, identifiers.

Every parser works on the column's DISTINCT values (exports repeat the same prices and
timestamps thousands of times) and maps the answers back, so half a million lines cost a
few thousand regex matches. Decisions that must be the same for the whole file (decimal
comma or point; day/month order) are made once per column from all of its values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

_MONEY_JUNK = re.compile(r"[^0-9,.\-+()]")
_COMMA_DECIMAL = re.compile(r"^[^.]*\d,\d{1,2}$")  # 12,5  1.234,56 (after junk removal)
_POINT_DECIMAL = re.compile(r"\d\.\d{1,2}$|\d,\d{3}\.\d")  # 12.50  1,234.5


def uses_decimal_comma(values: list[str]) -> bool:
    """True when the column writes 12,50 for twelve and a half (and never 12.50)."""
    comma = point = 0
    for raw in values:
        text = _MONEY_JUNK.sub("", raw)
        if _COMMA_DECIMAL.search(text):
            comma += 1
        elif _POINT_DECIMAL.search(text):
            point += 1
    return comma > point


def parse_amount(raw: str, decimal_comma: bool) -> float | None:
    """'$1,234.56' -> 1234.56, '1.234,56 €' -> 1234.56, '($33.62)' -> -33.62; None if unreadable."""
    text = raw.strip()
    if not text:
        return None
    negative = (text.startswith("(") and text.endswith(")")) or "-" in text or "\u2212" in text
    digits = _MONEY_JUNK.sub("", text).replace("(", "").replace(")", "").replace("-", "").replace("+", "")
    if decimal_comma:
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    if not digits or digits.count(".") > 1 or not any(ch.isdigit() for ch in digits):
        return None
    # a single letter run between digits ("12a5") is garbage, not money
    if re.search(r"\d[^\d\s.,$€£¥()+\-\u2212]+\d", text):
        return None
    try:
        value = float(digits)
    except ValueError:
        return None
    return -value if negative else value


@dataclass
class AmountColumn:
    values: pd.Series  # float64, NaN where empty or unreadable
    unreadable: pd.Series  # bool: had text but no number
    reformatted: int  # how many values needed cleaning (symbols, separators, brackets)
    decimal_comma: bool
    examples: list[str]


def parse_amount_column(series: pd.Series, decimal_comma: bool | None = None) -> AmountColumn:
    """A text column of money or quantities -> floats, plus what had to be fixed."""
    text = series.fillna("").astype(str)
    codes, uniques = pd.factorize(text)
    uniq = [str(u) for u in uniques]
    if decimal_comma is None:
        decimal_comma = uses_decimal_comma(uniq)
    parsed = np.array([_fast_float(u, decimal_comma) for u in uniq], dtype=float) if uniq else np.array([])
    blank = np.array([not u.strip() for u in uniq], dtype=bool)
    plain = np.array([_is_plain_number(u) for u in uniq], dtype=bool)
    values = parsed[codes] if len(uniq) else np.full(len(text), np.nan)
    bad_u = np.isnan(parsed) & ~blank
    fixed_u = ~plain & ~blank & ~bad_u
    examples = [uniq[i] for i in np.flatnonzero(fixed_u)[:3]]
    reformatted = int(np.count_nonzero(fixed_u[codes])) if len(uniq) else 0
    unreadable = pd.Series(bad_u[codes] if len(uniq) else np.zeros(len(text), bool), index=series.index)
    return AmountColumn(
        pd.Series(values, index=series.index), unreadable, reformatted, decimal_comma, examples
    )


_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


def _is_plain_number(text: str) -> bool:
    return bool(_PLAIN.match(text.strip()))


def _fast_float(text: str, decimal_comma: bool) -> float:
    stripped = text.strip()
    if not decimal_comma and _PLAIN.match(stripped):
        return float(stripped)
    value = parse_amount(stripped, decimal_comma)
    return np.nan if value is None else value


def clean_identifier(series: pd.Series) -> pd.Series:
    """Source ids verbatim, minus what spreadsheets add: a leading apostrophe, outer spaces,
    and the '.0' Excel puts on whole numbers."""
    text = series.fillna("").astype(str).str.strip()
    text = text.str.replace(r"^'", "", regex=True)
    text = text.str.replace(r"^(\d+)\.0$", r"\1", regex=True)
    return text.astype(object).where(text != "", None)


def apostrophe_count(series: pd.Series) -> int:
    return int(series.fillna("").astype(str).str.startswith("'").sum())


def parse_flag(series: pd.Series) -> pd.Series:
    """'yes'/'TRUE'/'1'/'subscribed' -> 1, 'no'/'false'/'0' -> 0, else None."""
    lowered = series.fillna("").astype(str).str.strip().str.lower()
    out = pd.Series([None] * len(series), index=series.index, dtype=object)
    out[lowered.isin(["1", "yes", "y", "true", "subscribed", "opted_in"])] = 1
    out[lowered.isin(["0", "-1", "no", "n", "false", "unsubscribed", "not_subscribed"])] = 0
    return out
