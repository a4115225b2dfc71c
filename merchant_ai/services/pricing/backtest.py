""""How accurate is this on my shop?" for pricing: after past price changes, did units move
as the elasticities (estimated only from data before) said they would?

For every product whose average price in the period differs by at least 3% from the four
weeks before it, the method predicts the period's units as
    units before x (price after / price before) ** elasticity x shop traffic change,
where the traffic change is the units ratio of the products whose price did not move.
The baseline is the same prediction with no response to price (elasticity 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merchant_ai.ml.backtest import BacktestSpec, Score
from merchant_ai.store import queries

MIN_PRICE_CHANGE = 0.03
BEFORE_DAYS = 28


def _answer(store, as_of: pd.Timestamp) -> pd.DataFrame:
    from merchant_ai.services.pricing.service import elasticities

    post, _, _ = elasticities(store, as_of)
    return post[["sku", "elasticity_post"]].rename(columns={"elasticity_post": "elasticity"})


def _no_response(store, as_of: pd.Timestamp) -> pd.DataFrame:
    answer = _answer(store, as_of)
    return answer.assign(elasticity=0.0)


def _window(lines: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    part = lines[(lines["created_at"] >= start) & (lines["created_at"] < end) & (lines["quantity"] > 0)]
    grouped = part.assign(revenue=part["quantity"] * part["unit_price"]).groupby("sku")
    return pd.DataFrame({"units": grouped["quantity"].sum(), "price": grouped["revenue"].sum() / grouped["quantity"].sum()})


def price_change_outcomes(store, as_of: pd.Timestamp, until: pd.Timestamp) -> pd.DataFrame:
    """Per product with sales on both sides: units and price before and after, and whether
    the price moved by at least MIN_PRICE_CHANGE."""
    lines = queries.sales_lines(store, until)
    before = _window(lines, as_of - pd.Timedelta(days=BEFORE_DAYS), as_of)
    after = _window(lines, as_of, until)
    both = before.add_suffix("_before").join(after.add_suffix("_after"), how="inner")
    # scale the before-window to the period's length
    both["units_before"] *= (until - as_of).days / BEFORE_DAYS
    both["moved"] = np.abs(np.log(both["price_after"] / both["price_before"])) >= MIN_PRICE_CHANGE
    return both


def _score(store, answer: pd.DataFrame, as_of: pd.Timestamp, until: pd.Timestamp) -> Score:
    outcomes = price_change_outcomes(store, as_of, until)
    steady = outcomes[~outcomes["moved"]]
    traffic = float(steady["units_after"].sum() / steady["units_before"].sum()) if len(steady) else 1.0
    moved = outcomes[outcomes["moved"]].join(answer.set_index("sku"), how="inner")
    if moved.empty:
        return Score(metrics={"mae_units": float("nan"), "mae_log_units": float("nan")}, n_evaluated=0)
    predicted = moved["units_before"] * traffic * (moved["price_after"] / moved["price_before"]) ** moved["elasticity"]
    return Score(metrics={
        "mae_units": float(np.mean(np.abs(predicted - moved["units_after"]))),
        "mae_log_units": float(np.mean(np.abs(np.log1p(predicted) - np.log1p(moved["units_after"])))),
    }, n_evaluated=len(moved))


PRICING_BACKTEST = BacktestSpec(
    capability="pricing", answer=_answer, baseline=_no_response, score=_score,
    primary_metric="mae_units", higher_is_better=False, horizon_days=28,
    method_label="the estimated price response", baseline_label="assuming price changes do not matter",
    metric_labels={"mae_units": "average error in units sold after a price change (per product)",
                   "mae_log_units": "average error on a log scale (relative error)"},
)
