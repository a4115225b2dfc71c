"""Customer insight: segments, who is slipping away, what each customer is likely to be worth.

    insight = analyze_customers(store, as_of=None)
    insight.customers   one row per customer (CUSTOMER_COLUMNS)
    insight.segments    size and value per segment, with the rule in plain words
    insight.movement    customers that changed segment since the previous period (90 days)
    insight.notes       plain sentences (small shop, uncertain fit, ...)

Predictions come from BG/NBD + Gamma-Gamma fitted on the shop's own history before `as_of`
(predictions.py). Small shops (under ~200 customers or 6 months of history)
get everything, with a note that the predictions are uncertain; so does a shop whose history
pushes a fitted parameter to its bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from merchant_ai.errors import NotEnoughDataError
from merchant_ai.ml.features.customers import customer_history, purchase_days, shop_context
from merchant_ai.services.customers.predictions import empty_predictions, fit_shop, predict_customers
from merchant_ai.services.customers.segments import (
    SCORE_RULE,
    SEGMENT_RULES,
    rfm_segments,
    segment_movement,
)
from merchant_ai.store.as_of import AsOf, resolve_as_of
from merchant_ai.store.db import Store
from merchant_ai.store.queries import as_of_bound, sales_lines
from merchant_ai.store.queries import customers as customer_rows

SMALL_SHOP_CUSTOMERS = 200
SMALL_SHOP_DAYS = 182
MIN_REPEAT_CUSTOMERS = 3           # below this BG/NBD has nobody to learn the return rate from
MOVEMENT_PERIOD_DAYS = 90
CLI_FIELDS = ["customer_id", "segment", "p_active_90d", "expected_orders_90d", "expected_spend_90d",
              "clv_365d", "next_order_date"]
CUSTOMER_COLUMNS = CLI_FIELDS + [
    "expected_orders_365d", "orders_count", "first_order_date", "last_order_date", "days_since_last_order",
    "avg_days_between_orders", "historic_value", "predicted_lifetime_value", "r_score", "f_score", "m_score",
]


@dataclass
class CustomerInsight:
    as_of: date
    customers: pd.DataFrame
    segments: pd.DataFrame
    movement: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    predictions_uncertain: bool = False
    predictions_available: bool = True
    currency: str | None = None

    def to_dict(self) -> dict:
        records = self.customers[CUSTOMER_COLUMNS].astype(object).where(self.customers[CUSTOMER_COLUMNS].notna(), None)
        return {
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "predictions_available": self.predictions_available,
            "predictions_uncertain": self.predictions_uncertain,
            "notes": list(self.notes),
            "score_rule": SCORE_RULE,
            "segments": self.segments.to_dict(orient="records"),
            "movement": self.movement.to_dict(orient="records"),
            "customers": records.to_dict(orient="records"),
        }


def store_orders(store: Store, as_of=None) -> pd.DataFrame:
    """Orders with a customer, before `as_of`: customer_id (verbatim), created_at, amount (sum of
    the order's product lines, net; refund orders are negative). Cancelled orders are left out."""
    bound = as_of_bound(as_of)
    where = "o.cancelled_at IS NULL AND o.customer_id IS NOT NULL AND l.is_product = 1"
    params: tuple = ()
    if bound is not None:
        where += " AND o.created_at < ?"
        params = (bound,)
    # aggregated in SQLite: ~10x faster than loading every line into pandas
    orders = store.query_df(f"""
        SELECT o.order_id, o.customer_id, o.created_at, SUM(l.line_total) AS amount
        FROM orders o JOIN order_lines l ON l.order_id = o.order_id
        WHERE {where}
        GROUP BY o.order_id ORDER BY o.created_at, o.order_id
    """, params)
    orders["customer_id"] = orders["customer_id"].astype(str)
    orders["created_at"] = pd.to_datetime(orders["created_at"], format="%Y-%m-%d %H:%M:%S")
    orders["amount"] = orders["amount"].astype(float)
    return orders


def _segments_summary(table: pd.DataFrame) -> pd.DataFrame:
    grouped = table.groupby("segment")
    summary = pd.DataFrame({
        "customers": grouped.size(),
        "historic_value": grouped["historic_value"].sum().round(2),
        "clv_365d": grouped["clv_365d"].sum(min_count=1).round(2),
        "avg_p_active_90d": grouped["p_active_90d"].mean().round(3),
    })
    rules = pd.DataFrame([{"segment": r.name, "rule": r.rule, "action": r.action} for r in SEGMENT_RULES])
    summary = rules.merge(summary, left_on="segment", right_index=True, how="left")
    summary["customers"] = summary["customers"].fillna(0).astype(int)
    summary["historic_value"] = summary["historic_value"].fillna(0.0)
    summary["share"] = (summary["customers"] / max(int(summary["customers"].sum()), 1)).round(4)
    return summary[["segment", "customers", "share", "historic_value", "clv_365d", "avg_p_active_90d", "rule", "action"]]


def analyze_customers(store: Store, as_of: AsOf = None, *, with_predictions: bool = True,
                      progress=None, cancel=None) -> CustomerInsight:
    """Segments, predictions and movement for every customer, as if today were `as_of`.
    `with_predictions=False` skips the per-shop fit (segments only, for quick summaries)."""
    from merchant_ai.errors import CancelledError

    day = resolve_as_of(store, as_of)
    if progress:
        progress(0.1, "Scoring your customers…")
    orders = store_orders(store, day)
    purchases = purchase_days(orders)
    if purchases.empty:
        raise NotEnoughDataError(f"No orders with a customer before {day:%Y-%m-%d}; segments need customers.")
    history = customer_history(purchases, day)
    context = shop_context(purchases, day)
    net_value = orders.groupby("customer_id")["amount"].sum()
    known = _known_customers(store, history.index)
    segments = rfm_segments(history, known)
    notes: list[str] = []
    predictions, fit_at_bound = empty_predictions(history.index), False
    if cancel and cancel():
        raise CancelledError("Customer scoring stopped; nothing was changed.")
    if with_predictions:
        fit = fit_shop(history)
        predictions, fit_at_bound = predict_customers(history, fit), fit.at_bound
    small = context.customers < SMALL_SHOP_CUSTOMERS or context.history_days < SMALL_SHOP_DAYS
    repeaters = int((history["orders_count"] > 1).sum())
    few_repeaters = with_predictions and repeaters < MIN_REPEAT_CUSTOMERS
    if small:
        notes.append(f"Your shop has {_shop_size(context.customers, context.history_days)} of history; with "
                     f"fewer than ~{SMALL_SHOP_CUSTOMERS} customers or 6 months, predictions are uncertain. "
                     "The segments are reliable.")
    if few_repeaters:
        # BG/NBD learns how often customers return from those who did; with none it says "never"
        who = "None of your customers has" if repeaters == 0 else f"Only {repeaters} of your customers " + (
            "has" if repeaters == 1 else "have")
        notes.append(f"{who} ordered more than once yet, so how often customers come back cannot be learned: "
                     "the chances of a repeat order and the values shown are guesses, likely too low.")
    elif fit_at_bound and not small:
        notes.append("Your customers' buying pattern could not be pinned down well (a fitted parameter hit its "
                     "limit), so predictions are uncertain. The segments are reliable.")
    uncertain = small or fit_at_bound or few_repeaters
    table = _customer_table(segments, history, predictions, net_value, day)
    previous = _previous_segments(purchases, day)
    movement = segment_movement(previous, table.set_index("customer_id")["segment"])
    return CustomerInsight(as_of=day.date(), customers=table, segments=_segments_summary(table), movement=movement,
                           notes=notes, predictions_uncertain=uncertain, predictions_available=with_predictions,
                           currency=_currency(store))


def _shop_size(customers: int, history_days: float) -> str:
    """"1 customer and less than a month" / "178 customers and 3 months", for the note."""
    months = round(history_days / 30.4)
    span = "less than a month" if months < 1 else ("1 month" if months == 1 else f"{months} months")
    return f"{customers} customer{'' if customers == 1 else 's'} and {span}"


def _known_customers(store: Store, buyers: pd.Index) -> pd.Index:
    """Buyers plus customers on file who never ordered (Prospects); customers whose first order
    is after `as_of` were not known yet and are left out."""
    on_file = pd.Index(customer_rows(store)["customer_id"].astype(str))
    ordered_later = store.query_df("SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL")
    never_ordered = on_file.difference(pd.Index(ordered_later["customer_id"].astype(str)))
    return buyers.union(never_ordered)


def _customer_table(segments: pd.DataFrame, history: pd.DataFrame, predictions: pd.DataFrame,
                    net_value: pd.Series, day: pd.Timestamp) -> pd.DataFrame:
    table = segments.join(history, how="left").join(predictions, how="left")
    table["historic_value"] = net_value.reindex(table.index).fillna(0.0).round(2)
    table["predicted_lifetime_value"] = (table["historic_value"] + table["clv_365d"]).round(2)
    table["days_since_last_order"] = table["recency_days"]
    table["avg_days_between_orders"] = table["mean_interpurchase_days"].round(1)
    table["first_order_date"] = table["first_day"].dt.date
    table["last_order_date"] = table["last_day"].dt.date
    next_day = day + pd.to_timedelta(table["next_order_in_days"], unit="D")
    table["next_order_date"] = next_day.dt.date.where(next_day.notna(), None)
    for column in ("p_active_90d", "expected_orders_90d", "expected_orders_365d"):
        table[column] = table[column].round(4)
    for column in ("expected_spend_90d", "clv_365d"):
        table[column] = table[column].round(2)
    table = table.reset_index().rename(columns={"index": "customer_id"})
    table["customer_id"] = table["customer_id"].astype(str)
    return table[CUSTOMER_COLUMNS].sort_values("historic_value", ascending=False, kind="stable").reset_index(drop=True)


def _previous_segments(purchases: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    previous_day = day - pd.Timedelta(days=MOVEMENT_PERIOD_DAYS)
    history = customer_history(purchases, previous_day)
    if history.empty:
        return pd.Series(dtype=str)
    return rfm_segments(history)["segment"]


def _currency(store: Store) -> str | None:
    return store.scalar("SELECT currency FROM orders WHERE currency IS NOT NULL "
                        "GROUP BY currency ORDER BY COUNT(*) DESC LIMIT 1")


def customer_orders(store: Store, customer_id: str, as_of=None) -> pd.DataFrame:
    """One customer's orders (the card's timeline): order_id, created_at, amount, items."""
    lines = sales_lines(store, as_of)
    lines = lines.loc[lines["customer_id"] == str(customer_id)]
    return (lines.groupby("order_id", sort=False)
            .agg(created_at=("created_at", "first"), amount=("line_total", "sum"), items=("quantity", "sum"))
            .reset_index().sort_values("created_at", kind="stable").reset_index(drop=True))


def card_summary(store: Store) -> dict:
    """Dashboard card: how many valuable customers are at risk (segments only, from order totals,
    one SQL pass: the card must be quick)."""
    per_customer = store.query_df("""
        SELECT customer_id, MAX(created_at) AS last_at, COUNT(DISTINCT substr(created_at, 1, 10)) AS orders_count,
               SUM(COALESCE(subtotal, total, 0)) AS total_spend
        FROM orders
        WHERE cancelled_at IS NULL AND customer_id IS NOT NULL AND is_refund = 0
        GROUP BY customer_id
    """)
    if per_customer.empty:
        return {"headline": "No customers yet", "detail": "Import orders with customer ids to see segments."}
    last = pd.to_datetime(per_customer["last_at"], format="%Y-%m-%d %H:%M:%S").dt.normalize()
    history = per_customer.set_index("customer_id")[["orders_count", "total_spend"]]
    history["recency_days"] = (last.max() + pd.Timedelta(days=1) - last).dt.days.to_numpy()
    segment = rfm_segments(history)["segment"]
    at_risk = segment.isin(["At risk", "Previously loyal"])
    value = float(history.loc[at_risk, "total_spend"].sum())
    currency = _currency(store)
    return {
        "headline": f"{int(at_risk.sum())} valuable customers at risk",
        "detail": (f"They spent {value:,.0f}{' ' + currency if currency else ''} so far; "
                   f"{int((segment == 'Champions').sum())} champions among {len(history):,} customers."),
    }


__all__ = [
    "CustomerInsight",
    "analyze_customers",
    "card_summary",
    "customer_orders",
    "store_orders",
]
