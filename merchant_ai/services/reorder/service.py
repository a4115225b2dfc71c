"""Reorder suggestions per product: what to order, when and how much, and why.

From the demand forecast, stock on hand, stock on order and the merchant's settings (lead
time, review period, minimum order, pack size, service level; defaults in reorder_math).
Products come back sorted by urgency: out of stock, will run out even if ordered today,
order now, fine; then those without stock figures or history.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from merchant_ai.services.forecast import ForecastResult, forecast
from merchant_ai.services.remembered import PendingRun, data_version, latest
from merchant_ai.services.reorder.core import DEFAULTS, URGENCY, ReorderSettings, reorder_numbers
from merchant_ai.services.reorder.explain import explain_numbers
from merchant_ai.store.as_of import AsOf, resolve_as_of
from merchant_ai.store.db import Store
from merchant_ai.store.queries import products

NO_HISTORY, NO_STOCK, DISCONTINUED = "not enough history", "stock unknown", "discontinued"
STATUS_ORDER = {**URGENCY, NO_STOCK: 4, NO_HISTORY: 5, DISCONTINUED: 6}
MIN_HORIZON_DAYS = 56
KIND = "reorder"  # its remembered runs (merchant_ai.services.remembered)


@dataclass
class ReorderLine:
    sku: str
    title: str | None
    vendor: str | None
    category: str | None
    status: str
    abc_class: str
    on_hand: float | None
    on_order: float
    lead_time_days: float
    review_period_days: float
    min_order_qty: float
    pack_size: float
    service_level: float
    unit_cost: float | None
    forecast_per_day: float | None
    safety_stock: float | None = None
    reorder_point: float | None = None
    order_up_to: float | None = None
    suggested_qty: float = 0.0
    last_order_date: str | None = None
    stockout_date: str | None = None
    days_of_cover: float | None = None
    lost_sales: float | None = None
    revenue_last_year: float = 0.0
    basis: str = ""
    explanations: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReorderResult:
    as_of: pd.Timestamp
    lines: list[ReorderLine]
    forecast: ForecastResult
    seconds: float

    def to_frame(self) -> pd.DataFrame:
        rows = [{k: v for k, v in line.to_dict().items() if k != "explanations"} for line in self.lines]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.date().isoformat(), "model": self.forecast.arrays.model_label,
                "seconds": round(self.seconds, 3), "products": [line.to_dict() for line in self.lines]}

    def line(self, sku: str) -> ReorderLine:
        for line in self.lines:
            if line.sku == sku:
                return line
        raise KeyError(sku)


def abc_classes(revenue: np.ndarray) -> np.ndarray:
    """A: the best sellers making 80% of revenue, B: the next 15%, C: the rest (and no sales)."""
    revenue = np.nan_to_num(np.asarray(revenue, dtype=float))
    order = np.argsort(-revenue, kind="stable")
    total = revenue.sum()
    classes = np.full(len(revenue), "C", dtype=object)
    if total <= 0:
        return classes
    share_before = (np.cumsum(revenue[order]) - revenue[order]) / total
    ranked = np.where(share_before < 0.80, "A", np.where(share_before < 0.95, "B", "C"))
    classes[order] = np.where(revenue[order] > 0, ranked, "C")
    return classes


def _setting(row: pd.Series, name: str) -> float:
    value = row.get(name)
    return DEFAULTS[name] if value is None or pd.isna(value) else float(value)


def reorder(store: Store, as_of: AsOf = None, *, forecast_result: ForecastResult | None = None,
            progress=None, cancel=None) -> ReorderResult:
    """Reorder numbers for every product, most urgent first (reads the store, never writes)."""
    started = time.perf_counter()
    as_of = resolve_as_of(store, as_of)
    catalog = products(store).set_index("sku")
    longest = (catalog["lead_time_days"].fillna(DEFAULTS["lead_time_days"])
               + catalog["review_period_days"].fillna(DEFAULTS["review_period_days"])).max()
    horizon = int(min(max(MIN_HORIZON_DAYS, (0 if pd.isna(longest) else longest) + 28), 182))
    result = forecast_result or forecast(store, as_of=as_of, horizon_days=horizon, progress=progress,
                                         cancel=cancel)
    arrays = result.arrays
    revenue = result.extra.get("revenue_last_year", np.zeros(len(result.skus)))
    classes = abc_classes(revenue)
    lines = []
    for i, sku in enumerate(result.skus):
        row = catalog.loc[sku] if sku in catalog.index else pd.Series(dtype=object)
        on_hand = row.get("on_hand")
        settings = ReorderSettings(
            on_hand=float(on_hand) if on_hand is not None and not pd.isna(on_hand) else float("nan"),
            **{name: _setting(row, name) for name in DEFAULTS},
        )
        cost = row.get("effective_unit_cost")
        vendor = row.get("effective_vendor")
        has = result.has_forecast(i)
        line = ReorderLine(
            sku=sku, title=result.titles[i], category=result.categories[i],
            vendor=None if vendor is None or pd.isna(vendor) else str(vendor),
            status="", abc_class=str(classes[i]),
            on_hand=None if np.isnan(settings.on_hand) else settings.on_hand, on_order=settings.on_order,
            lead_time_days=settings.lead_time_days, review_period_days=settings.review_period_days,
            min_order_qty=settings.min_order_qty, pack_size=settings.pack_size,
            service_level=settings.service_level,
            unit_cost=None if cost is None or pd.isna(cost) else float(cost),
            forecast_per_day=round(float(np.nanmean(arrays.mean[i, :28])), 3) if has else None,
            revenue_last_year=round(float(revenue[i]), 2), basis=arrays.basis[i],
        )
        discontinued = row.get("discontinued")
        if discontinued is not None and not pd.isna(discontinued) and int(discontinued):
            line.status = DISCONTINUED
        elif not has:
            line.status = NO_HISTORY
        elif line.on_hand is None:
            line.status = NO_STOCK
        else:
            numbers = reorder_numbers(arrays.mean[i], arrays.variance[i], settings)
            _fill(line, numbers, as_of)
        line.explanations = explain_numbers(line, result.explain(i), as_of.date().isoformat())
        lines.append(line)
    lines.sort(key=lambda ln: (STATUS_ORDER[ln.status], ln.stockout_date or "9999", -ln.revenue_last_year))
    return ReorderResult(as_of=as_of, lines=lines, forecast=result, seconds=time.perf_counter() - started)


def _status_counts(result: ReorderResult) -> dict[str, int]:
    return {str(k): int(v) for k, v in pd.Series([ln.status for ln in result.lines]).value_counts().items()}


def pending_run(result: ReorderResult, version: str) -> PendingRun:
    """The run to remember for the dashboard card: each product's status."""
    rows = [(line.sku, {"status": line.status}) for line in result.lines]
    return PendingRun(kind=KIND, as_of=result.as_of.date().isoformat(), rows=rows, version=version,
                      seconds=round(result.seconds, 3))


def reorder_today(store: Store, *, progress=None, cancel=None) -> tuple[ReorderResult, PendingRun]:
    """Today's reorder numbers and the run to remember (the page and the command use it)."""
    version = data_version(store)
    result = reorder(store, progress=progress, cancel=cancel)
    return result, pending_run(result, version)


def _fill(line: ReorderLine, numbers, as_of: pd.Timestamp) -> None:
    def day(offset):
        return None if offset is None else (as_of + pd.Timedelta(days=int(offset))).date().isoformat()

    line.status = numbers.status
    line.safety_stock = round(numbers.safety_stock, 1)
    line.reorder_point = round(numbers.reorder_point, 1)
    line.order_up_to = round(numbers.order_up_to, 1)
    line.suggested_qty = numbers.suggested_qty
    line.last_order_date = day(numbers.order_in_days)
    line.stockout_date = day(numbers.stockout_in_days)
    line.days_of_cover = None if numbers.days_of_cover is None else round(numbers.days_of_cover, 1)
    line.lost_sales = round(numbers.lost_sales, 1)


def card_summary(store: Store) -> dict:
    """Dashboard card: how many products need ordering now, from the remembered run when the
    data has not changed since; otherwise worked out now (the card then carries the run to
    remember under "remember")."""
    run = latest(store, KIND)
    pending = None
    if run is not None and run.fresh and run.as_of == resolve_as_of(store).date().isoformat():
        counts = run.results["status"].value_counts().to_dict() if len(run.results) else {}
    else:
        result, pending = reorder_today(store)
        counts = _status_counts(result)
    urgent = int(counts.get("out of stock", 0) + counts.get("will run out even if ordered today", 0))
    to_order = int(counts.get("order now", 0))
    unknown = int(counts.get(NO_STOCK, 0))
    if urgent + to_order:
        headline = f"{urgent + to_order} products to order now"
    else:  # "nothing to order" would be false comfort when the stock is not known
        headline = "Enter your stock on hand" if unknown else "Nothing to order today"
    detail = (f"{int(counts.get('out of stock', 0))} out of stock, "
              f"{int(counts.get('will run out even if ordered today', 0))} will run out before a new "
              f"order arrives, {to_order} reached their reorder point.")
    if unknown:
        detail += f" Stock on hand is unknown for {unknown} products: enter it to get reorder suggestions."
    return {"headline": headline, "detail": detail, "remember": pending}
