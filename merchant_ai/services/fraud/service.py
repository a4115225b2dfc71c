"""Order risk: a 0-100 score, a level, the merchant's rules and the reasons, for every order.

store -> orders before `as_of` -> shop-relative features (merchant_ai.ml.features.fraud) ->
the prebuilt ONNX model (models/fraud.onnx) -> score = 100 x P(fraud) -> level by thresholds
(fraud_settings) -> the merchant's rules decide first (fraud_rules) -> indicators in plain words.
When the model file is unavailable the score falls back to the count of risk-raising indicators,
with a note, so the page still works.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from merchant_ai.errors import ModelUnavailableError
from merchant_ai.ml.features.fraud import FEATURE_NAMES, FraudFeatures, build_fraud_features
from merchant_ai.ml.features.fraud_email import EXPRESS_PATTERN
from merchant_ai.ml.features.fraud_indicators import INDICATORS, describe_indicators
from merchant_ai.services.fraud import settings as fraud_settings
from merchant_ai.services.fraud.rules import Rule, backtest_rules, decide
from merchant_ai.services.fraud.thresholds import Thresholds, default_thresholds, recalibrate
from merchant_ai.services.remembered import PendingRun, data_version, latest
from merchant_ai.store import Store
from merchant_ai.store.as_of import AsOf, resolve_as_of
from merchant_ai.store.queries import as_of_bound

MODEL_NAME = "fraud"
DEFAULT_DAYS = 30
_RAISING = [f"flag_{s.key}" for s in INDICATORS if s.effect == "raises"]
_ACTION_ORDER = {"block": 0, "review": 1}
KIND = "fraud"  # its remembered runs (merchant_ai.services.remembered)


@dataclass
class ScoredOrders:
    """Every order of the history with its features and 0-100 score (same row order)."""

    features: FraudFeatures
    scores: np.ndarray
    model: dict
    notes: list[str] = field(default_factory=list)


def score_frames(orders: pd.DataFrame, lines: pd.DataFrame) -> ScoredOrders:
    """Score a shop's orders given as frames (the core, also used by the benchmark)."""
    from merchant_ai.ml.registry import load_model

    features = build_fraud_features(orders, lines)
    try:
        model = load_model(MODEL_NAME, feature_names=FEATURE_NAMES)
        probability = model.predict(features.X)["probabilities"][:, 1]
        return ScoredOrders(features, np.round(probability * 100.0, 1),
                            {"name": model.name, "version": model.version, "provider_used": model.provider_used})
    except ModelUnavailableError as exc:
        fallback = np.minimum(features.X[_RAISING].sum(axis=1).to_numpy() * 20.0, 100.0)
        return ScoredOrders(features, fallback, {"name": MODEL_NAME, "status": "unavailable"},
                            [f"{exc.message} Scores count the warning signs instead (20 points each)."])


@dataclass
class FraudResult:
    """Scored orders of the period, thresholds, rules and their backtest."""

    as_of: pd.Timestamp
    period_start: pd.Timestamp
    thresholds: Thresholds
    orders: pd.DataFrame          # the period's orders, those to review first
    all_scores: np.ndarray        # every scored order of the history (for the distribution chart)
    rules: list[dict]
    feedback: dict                # your verdicts and where the thresholds put them
    model: dict
    notes: list[str]
    seconds: float

    def to_dict(self) -> dict:
        counts = self.orders["level"].value_counts()
        return {
            "as_of": self.as_of, "period_start": self.period_start, "thresholds": self.thresholds.to_dict(),
            "model": self.model, "notes": self.notes, "seconds": round(self.seconds, 3),
            "counts": {"orders": len(self.orders), **{lvl: int(counts.get(lvl, 0)) for lvl in ("high", "medium", "low")},
                       "scored_history": len(self.all_scores)},
            "orders": [
                {"order_id": r.order_id, "created_at": r.created_at, "customer_id": r.customer_id,
                 "total": r.total, "score": float(r.score), "level": r.level, "action": r.action,
                 "rule": r.rule, "verdict": r.verdict,
                 "indicators": [{k: i[k] for k in ("name", "value", "effect")} for i in r.indicators]}
                for r in self.orders.itertuples(index=False)
            ],
            "rules": self.rules, "feedback": self.feedback,
        }


def load_history(store: Store, as_of=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sales (no refunds) before `as_of` and their lines."""
    bound = as_of_bound(as_of)
    where, params = "WHERE o.is_refund = 0", ()
    if bound is not None:
        where, params = where + " AND o.created_at < ?", (bound,)
    orders = store.query_df(f"SELECT o.* FROM orders o {where}", params)
    orders["created_at"] = pd.to_datetime(orders["created_at"], format="%Y-%m-%d %H:%M:%S")
    lines = store.query_df(f"SELECT l.order_id, l.sku, l.quantity FROM order_lines l JOIN orders o "
                           f"ON o.order_id = l.order_id {where}", params)
    return orders, lines


def rule_facts(features: FraudFeatures, orders: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """What a rule can look at, one row per scored order (see fraud_rules.FIELDS)."""
    by_id = orders.set_index("order_id").reindex(features.order_ids)
    sold = lines[lines["quantity"] > 0].groupby("order_id")["quantity"].agg(["sum", "max"])
    sold = sold.reindex(features.order_ids)
    X, context = features.X, features.context

    def text(column: str) -> np.ndarray:
        return by_id[column].to_numpy() if column in by_id else np.full(len(by_id), None)

    return pd.DataFrame({
        "total": context["total"].to_numpy(), "subtotal": by_id["subtotal"].to_numpy(),
        "discount": by_id["discount_amount"].fillna(0.0).to_numpy(),
        "shipping_cost": by_id["shipping"].to_numpy(), "billing_country": text("billing_country"),
        "shipping_country": text("shipping_country"), "email_domain": text("email_domain"),
        "payment_method": text("payment_method"), "shipping_method": text("shipping_method"),
        "discount_code": text("discount_code"), "payment_status": text("financial_status"),
        "hour": context["hour"].to_numpy(), "items": sold["sum"].to_numpy(), "max_quantity": sold["max"].to_numpy(),
        "paid_orders": context["prior_paid"].to_numpy(), "orders_before": (1 - X["is_first_order"]).to_numpy(),
        "first_order": X["is_first_order"].to_numpy() > 0, "guest": X["is_guest"].to_numpy() > 0,
        "express": pd.Series(text("shipping_method")).fillna("").str.contains(EXPRESS_PATTERN).to_numpy(),
    })


def thresholds_for(store: Store, scores: np.ndarray, marks: pd.Series) -> Thresholds:
    """The merchant's own thresholds, else the shop's distribution moved by their verdicts
    (`marks`: the verdict per scored order, in `scores` order)."""
    return fraud_settings.manual_thresholds(store) or recalibrate(
        default_thresholds(scores), scores,
        scores[(marks == "fraud").to_numpy()], scores[(marks == "legit").to_numpy()])


def analyze(store: Store, as_of: AsOf = None, *, days: float = DEFAULT_DAYS, rules: list[Rule] | None = None,
            progress=None, cancel=None) -> FraudResult:
    """Score every order before `as_of`; report the `days` days before it, riskiest first.

    `rules` (default: the saved ones) decide before the score; their backtest counts the whole
    history. `progress(fraction, text)` and `cancel()` follow the app's background-task helper.
    """
    from merchant_ai.errors import CancelledError, NotEnoughDataError

    started = time.perf_counter()
    report = progress or (lambda fraction, text: None)
    report(0.05, "Reading orders")
    as_of = resolve_as_of(store, as_of)
    orders, lines = load_history(store, as_of)
    if orders.empty:
        raise NotEnoughDataError(f"There are no orders before {as_of:%d %b %Y} to check for risk yet.")
    if cancel and cancel():
        raise CancelledError("Risk check stopped; nothing was changed.")
    report(0.3, "Scoring orders")
    scored = score_frames(orders, lines)
    ids = scored.features.order_ids
    marks = fraud_settings.verdicts(store).reindex(ids).reset_index(drop=True)
    scores = scored.scores
    thresholds = thresholds_for(store, scores, marks)
    rules = fraud_settings.saved_rules(store) if rules is None else rules
    facts = rule_facts(scored.features, orders, lines)
    action, which = decide(rules, facts)
    level = thresholds.level(scores)
    report(0.8, "Explaining the riskiest orders")
    start = as_of - pd.Timedelta(days=days)
    in_period = (scored.features.context["created_at"] >= start).to_numpy()
    period = _period_frame(scored, marks, level, action, which, in_period)
    return FraudResult(
        as_of=as_of, period_start=start, thresholds=thresholds,
        orders=period, all_scores=scores,
        rules=backtest_rules(rules, facts, verdicts=marks, high=level == "high"),
        feedback={f"marked_{v}": int((marks == v).sum()) for v in fraud_settings.VERDICTS}
        | {f"marked_{v}_scored_high": int(((marks == v).to_numpy() & (level == "high")).sum())
           for v in fraud_settings.VERDICTS},
        model=scored.model, notes=scored.notes, seconds=time.perf_counter() - started,
    )


def _period_frame(scored: ScoredOrders, marks: pd.Series, level, action, which, in_period) -> pd.DataFrame:
    rows = np.flatnonzero(in_period)
    context = scored.features.context.iloc[rows].reset_index(drop=True)
    X = scored.features.X.iloc[rows].reset_index(drop=True)
    details = pd.concat([context, X.drop(columns=[c for c in X if c in context])], axis=1)
    flags = X[[c for c in X if c.startswith("flag_")]].rename(columns=lambda c: c[5:]).astype(bool)
    indicators = [describe_indicators(flags.iloc[i], details.iloc[i].to_dict()) for i in range(len(rows))]
    frame = pd.DataFrame({
        "order_id": context["order_id"], "created_at": context["created_at"], "customer_id": context["customer_id"],
        "total": context["total"].round(2), "score": scored.scores[rows], "level": level[rows],
        "action": action[rows], "rule": which[rows], "verdict": marks.iloc[rows].to_numpy(),
        "indicators": indicators,
    })
    priority = frame["action"].map(_ACTION_ORDER).fillna(2)
    frame = frame.assign(_priority=priority).sort_values(["_priority", "score"], ascending=[True, False],
                                                         kind="stable")
    return frame.drop(columns="_priority").reset_index(drop=True)


def customer_history(store: Store, order_id: str) -> pd.DataFrame:
    """The other orders of this order's customer (by customer id, else email), newest first."""
    row = store.conn.execute("SELECT customer_id, email_hash FROM orders WHERE order_id = ?", (order_id,)).fetchone()
    if row is None or (row[0] is None and row[1] is None):
        return pd.DataFrame(columns=["order_id", "created_at", "total", "shipping_country", "financial_status",
                                     "verdict"])
    column, value = ("customer_id", row[0]) if row[0] is not None else ("email_hash", row[1])
    history = store.query_df(
        f"SELECT order_id, created_at, total, shipping_country, financial_status FROM orders "
        f"WHERE {column} = ? AND is_refund = 0 ORDER BY created_at DESC", (value,))
    history["verdict"] = history["order_id"].map(fraud_settings.verdicts(store))
    return history


def pending_run(result: FraudResult, version: str) -> PendingRun:
    """The run to remember for the dashboard card: the period's orders with their level."""
    rows = [(r.order_id, {"level": r.level, "action": r.action}) for r in result.orders.itertuples(index=False)]
    return PendingRun(kind=KIND, as_of=result.as_of.date().isoformat(), rows=rows, version=version,
                      seconds=round(result.seconds, 3))


def analyze_today(store: Store, *, progress=None, cancel=None) -> tuple[FraudResult, PendingRun]:
    """Today's risk check and the run to remember (the page and the command use it)."""
    version = data_version(store)
    result = analyze(store, progress=progress, cancel=cancel)
    return result, pending_run(result, version)


def card_summary(store: Store) -> dict:
    """Dashboard card: high-risk orders among those the last import brought (or the last 7 days).

    From the remembered run while the data is unchanged (the Risk page remembers its run);
    otherwise worked out now, and the card carries the run to remember under "remember".
    """
    from merchant_ai.errors import NotEnoughDataError

    last_import = store.scalar("SELECT MAX(import_id) FROM imports WHERE status = 'done'")
    run, pending = latest(store, KIND), None
    if run is not None and run.fresh and len(run.results):
        orders = run.results.rename(columns={"subject": "order_id"})
    else:
        try:
            result, pending = analyze_today(store)
        except NotEnoughDataError as exc:
            return {"headline": "No orders to check yet", "detail": exc.message}
        orders = result.orders[["order_id", "level", "action"]]
    if last_import is not None:
        new_ids = set(store.query_df("SELECT order_id FROM orders WHERE import_id = ?", (last_import,))["order_id"])
        orders = orders[orders["order_id"].isin(new_ids)]
        since = "since the last import"
    else:
        recent = store.query_df("SELECT order_id FROM orders WHERE created_at >= "
                                "datetime((SELECT MAX(created_at) FROM orders), '-7 days')")
        orders = orders[orders["order_id"].isin(set(recent["order_id"]))]
        since = "in the last 7 days"
    risky = orders[(orders["level"] == "high") | orders["action"].isin(["review", "block"])]
    if risky.empty:
        return {"headline": f"No high-risk orders {since}", "detail": f"{len(orders)} orders checked.",
                "remember": pending}
    shown = ", ".join(risky["order_id"].head(3))
    more = f" and {len(risky) - 3} more" if len(risky) > 3 else ""
    return {"headline": f"{len(risky)} high-risk order{'s' * (len(risky) != 1)} {since}",
            "detail": f"Review {shown}{more} on the Risk page.", "remember": pending}
