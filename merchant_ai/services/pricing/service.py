"""Pricing suggestions from how each product's demand responds to price in this shop.

store -> weekly panel -> own-history elasticities -> shrunk toward the prior model and the
category -> the allowed price with the best expected profit (or a markdown for slow movers).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from merchant_ai.errors import ModelUnavailableError, NotEnoughDataError
from merchant_ai.ml.features.pricing import FEATURE_NAMES, product_features, weekly_sales_panel
from merchant_ai.services.pricing import markdown
from merchant_ai.services.pricing.actions import load_guardrails
from merchant_ai.services.pricing.elasticity import estimate_raw, shrink_to_prior
from merchant_ai.services.pricing.guardrails import Guardrails, candidate_prices
from merchant_ai.services.pricing.optimizer import decide_price, decision_at
from merchant_ai.services.remembered import PendingRun, data_version, latest
from merchant_ai.store import queries
from merchant_ai.store.as_of import AsOf, resolve_as_of
from merchant_ai.store.db import Store

PRIOR_MODEL = "pricing_elasticity_prior"
KIND = "pricing"  # its remembered runs (merchant_ai.services.remembered)
FALLBACK_PRIOR = -1.5   # a typical retail elasticity, used only without model and estimates
log = logging.getLogger(__name__)

COLUMNS = ["sku", "title", "category", "current_price", "suggested_price", "unit_cost", "status",
           "kind", "objective", "elasticity", "elasticity_low", "elasticity_high", "elasticity_sd",
           "elasticity_source", "weight_own_history", "expected_units_change_pct",
           "expected_revenue_change_pct", "expected_profit_change_pct", "gain_probability",
           "confidence", "weekly_units", "stock_cover_days", "reason"]


@dataclass
class PricingResult:
    """One row per product (COLUMNS) plus notes about how the answer was made."""

    as_of: str
    products: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    guardrails: Guardrails = field(default_factory=Guardrails)

    def to_dict(self) -> dict:
        rows = self.products.replace({np.nan: None}).to_dict(orient="records")
        return {"as_of": self.as_of, "notes": self.notes, "products": rows}


def sales_with_promotions(store: Store, as_of=None) -> pd.DataFrame:
    """Sales lines with `on_promotion`: the order carried a discount code."""
    lines = queries.sales_lines(store, as_of)
    orders = queries.orders(store, as_of)[["order_id", "discount_code"]]
    promo = orders.set_index("order_id")["discount_code"].fillna("").astype(str).str.len() > 0
    return lines.assign(on_promotion=lines["order_id"].map(promo).fillna(False).astype(bool))


def elasticities(store: Store, as_of=None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Posterior elasticity per product (see pricing_elasticity), the weekly panel, notes."""
    lines = sales_with_promotions(store, as_of)
    if lines.empty:
        raise NotEnoughDataError("There are no sales to learn prices from" + (f" before {as_of}." if as_of else "."))
    products = queries.products(store)
    panel = weekly_sales_panel(lines, end=as_of)
    category = products.set_index("sku")["category"]
    raw = estimate_raw(panel, category)
    prior, notes = prior_elasticity(panel, lines, products, raw)
    return shrink_to_prior(raw, category, prior), panel, notes


def prior_elasticity(panel, lines, products, raw) -> tuple[pd.Series, list[str]]:
    """The prior model's elasticity per product; the shop's median estimate if it is missing."""
    features = product_features(panel, lines, products)
    try:
        from merchant_ai.ml.registry import load_model

        model = load_model(PRIOR_MODEL, feature_names=FEATURE_NAMES)
        predicted = model.predict(features)["variable"]
        return pd.Series(predicted.astype(float), index=features.index), []
    except ModelUnavailableError as exc:
        known = raw["elasticity"].dropna()
        fallback = float(known.median()) if len(known) >= 5 else FALLBACK_PRIOR
        note = (f"The pricing prior model is unavailable ({exc.message}); products borrow the shop's "
                f"typical elasticity {fallback:.2f} instead.")
        return pd.Series(fallback, index=features.index), [note]


def suggest_prices(store: Store, as_of: AsOf = None, *, rails: Guardrails | None = None,
                   progress=None, cancel=None) -> PricingResult:
    """A price decision for every product with sales history (see module docstring)."""
    from merchant_ai.errors import CancelledError

    rails = rails or load_guardrails(store)
    as_of = resolve_as_of(store, as_of)
    if progress:
        progress(0.1, "Learning how each product's sales respond to price…")
    post, panel, notes = elasticities(store, as_of)
    if cancel and cancel():
        raise CancelledError("Price suggestions stopped; nothing was changed.")
    catalogue = queries.products(store).set_index("sku")
    # the forecast costs seconds: only ask it when some product has stock to cover
    has_stock = bool((pd.to_numeric(catalogue.get("on_hand"), errors="coerce") > 0).any())
    cover_rate = markdown.forecast_rate_per_day(store, as_of) if has_stock else None
    if cover_rate is None:
        cover_rate = markdown.sales_rate_per_day(panel)
        rate_words = f"the last {markdown.RECENT_WEEKS} weeks' sales rate"
    else:
        rate_words = "the demand forecast's rate"
    last_price = panel.dropna(subset=["price"]).groupby("sku")["price"].last()
    weekly_units = markdown.sales_rate_per_day(panel) * 7.0
    rows = []
    for item in post.itertuples(index=False):
        info = catalogue.loc[item.sku] if item.sku in catalogue.index else None
        if info is not None and (info.get("is_product", 1) == 0 or info.get("status") == "archived"
                                 or info.get("discontinued") == 1):
            continue
        current = _first_number(None if info is None else info.get("price"), last_price.get(item.sku))
        if current is None:
            continue
        cost = _first_number(None if info is None else info.get("effective_unit_cost"))
        on_hand = _first_number(None if info is None else info.get("on_hand"))
        cover = (markdown.stock_cover(pd.Series({item.sku: on_hand}), cover_rate).iloc[0]
                 if on_hand is not None else math.nan)
        decision, kind = _decide(item, current, cost, cover, rails, rate_words)
        rows.append({
            "sku": item.sku, "title": None if info is None else info.get("title"),
            "category": item.category, "current_price": round(current, 2),
            "suggested_price": round(decision.suggested_price, 2), "unit_cost": cost,
            "status": decision.status, "kind": kind, "objective": decision.objective,
            "elasticity": round(item.elasticity_post, 3), "elasticity_low": round(item.low, 3),
            "elasticity_high": round(item.high, 3), "elasticity_sd": round(item.sd_post, 3),
            "elasticity_source": item.source, "weight_own_history": round(item.weight_own, 3),
            "expected_units_change_pct": decision.expected_units_change_pct,
            "expected_revenue_change_pct": decision.expected_revenue_change_pct,
            "expected_profit_change_pct": decision.expected_profit_change_pct,
            "gain_probability": decision.gain_probability,
            "confidence": _confidence(item.sd_post),
            "weekly_units": round(float(weekly_units.get(item.sku, 0.0)), 2),
            "stock_cover_days": None if not math.isfinite(cover) else round(float(cover), 1),
            "reason": _with_source(decision.reason, item),
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    notes.append("Elasticities come from weekly regressions of units on log price (a count model for "
                 "slow sellers, log units for products selling dozens a week) with category sales, the "
                 "product's trend and the discount-code share as controls, shrunk toward a prior; "
                 "intervals are 90%.")
    return PricingResult(as_of=str(as_of.date()), products=frame, notes=notes, guardrails=rails)


def _decide(item, current, cost, cover, rails, rate_words):
    """A markdown for slow movers, else the profit-maximising decision."""
    if cover == math.inf or (math.isfinite(cover) and markdown.is_slow_mover(cover)):
        prices, _ = candidate_prices(current, cost, rails.competitor_prices.get(item.sku), rails)
        lower = prices[prices < current]
        if len(lower):
            target = float(lower.min())
            cover_text = "no sales recently" if cover == math.inf else f"about {cover:.0f} days"
            units_pct = 100.0 * ((target / current) ** item.elasticity_post - 1.0)
            reason = (f"slow mover: stock covers {cover_text} at {rate_words}, far beyond the "
                      f"{markdown.HORIZON_DAYS}-day horizon; mark down to {target:.2f} "
                      f"(expected units {units_pct:+.0f}%). Test for 2 weeks, then review")
            return decision_at(current, target, cost, item.elasticity_post, item.sd_post, reason), "markdown"
    decision = decide_price(current, cost, rails.competitor_prices.get(item.sku),
                            item.elasticity_post, item.sd_post, rails)
    return decision, "price"


def _with_source(reason: str, item) -> str:
    if item.source == "category and prior":
        borrowed = ("the prior model" if item.category == "(none)"
                    else f"the {item.category} category and the prior model")
        return f"{reason.rstrip('.')}. Elasticity borrowed from {borrowed}: {item.reason_missing}."
    if item.source != "own history":
        return f"{reason.rstrip('.')}. Elasticity from own history, {100 * (1 - item.weight_own):.0f}% borrowed from category and prior."
    return f"{reason.rstrip('.')}."


def _confidence(sd: float) -> str:
    return "high" if sd < 0.3 else "medium" if sd < 0.6 else "low"


def _first_number(*values) -> float | None:
    for value in values:
        if value is not None and isinstance(value, (int, float, np.number)) and math.isfinite(value) and value > 0:
            return float(value)
    return None


def suggest_today(store: Store, *, rails: Guardrails | None = None, progress=None,
                  cancel=None) -> tuple[PricingResult, PendingRun]:
    """Today's suggestions and the run to remember for the dashboard card (the caller saves it)."""
    version = data_version(store)
    result = suggest_prices(store, rails=rails, progress=progress, cancel=cancel)
    payloads = result.products.astype(object).where(result.products.notna(), None).to_dict(orient="records")
    return result, PendingRun(kind=KIND, as_of=result.as_of, rows=[(str(p["sku"]), p) for p in payloads],
                              version=version, params={"guardrails": result.guardrails.to_json()})


def card_summary(store: Store) -> dict:
    """Dashboard card from the latest remembered run (fast: nothing is recomputed)."""
    run = latest(store, KIND)
    if run is None:
        return {"headline": "Price suggestions not worked out yet",
                "detail": "Open Pricing to learn from your sales how each product's demand responds to price."}
    frame = run.results
    changes = int(((frame["status"] == "change") & (frame["kind"] == "price")).sum()) if len(frame) else 0
    markdowns = int((frame["kind"] == "markdown").sum()) if len(frame) else 0
    withheld = int((frame["status"] == "withheld").sum()) if len(frame) else 0
    return {
        "headline": f"{changes} price changes, {markdowns} markdowns suggested",
        "detail": f"{withheld} more withheld as too uncertain; {len(frame)} products checked on {run.created_at[:16]}.",
    }
