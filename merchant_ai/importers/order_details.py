"""Whole-order logic: dates decided per file, totals from lines when the export lacks them,
cancellations and refunds, customer keys and personal data (hashed unless privacy is off)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from merchant_ai.importers.dates import parse_date_column
from merchant_ai.importers.formats import FormatSpec
from merchant_ai.importers.parsing import clean_identifier, parse_flag
from merchant_ai.importers.privacy import email_domain, email_local_scores, initials, salted_hash
from merchant_ai.importers.report import Notes, row_examples

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _column(raw: pd.DataFrame, name: str) -> pd.Series:
    if name in raw.columns:
        return raw[name]
    return pd.Series([None] * len(raw), index=raw.index, dtype=object)


def _text(raw: pd.DataFrame, name: str) -> pd.Series:
    """Stripped text with blanks as None (object dtype, vectorised)."""
    if name not in raw.columns or raw[name].isna().all():
        return pd.Series([None] * len(raw), index=raw.index, dtype=object)
    values = raw[name]
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    return text.astype(object).where(text != "", None)


def _distinct(series: pd.Series, func, tick: Callable[[], None] | None = None) -> pd.Series:
    """func applied once per distinct non-null value (`tick` every 5,000 values)."""
    answers = {}
    for count, value in enumerate(pd.unique(series.dropna()), start=1):
        answers[value] = func(value)
        if tick is not None and count % 5000 == 0:
            tick()
    return series.map(answers).astype(object).where(series.notna(), None)


def _words_for(wall: str) -> str:
    day, month = int(wall[8:10]), _MONTHS[int(wall[5:7]) - 1]
    return f"{day} {month} {wall[:4]}"


def _parse_created(raw: pd.DataFrame, spec: FormatSpec, notes: Notes, tick: Callable[[], None]):
    text = _text(raw, "created_at").fillna("")
    if "created_time" in raw.columns:
        text = (text + " " + _text(raw, "created_time").fillna("")).str.strip()
    dates = parse_date_column(text, spec.default_date_order, tick=tick)
    if dates.order_used is not None and dates.examples:
        sample = dates.examples[0]
        reading = dates.text[text == sample].iloc[0] if (text == sample).any() else None
        words = "day first" if dates.order_used == "dmy" else "month first"
        meaning = f" ({sample} is {_words_for(reading)})" if reading else ""
        notes.fix(
            f"orders dated like {sample} were read {words}{meaning} throughout the file, "
            f"because {dates.order_reason}",
            int(dates.text.notna().sum()),
        )
    notes.fix("Excel date numbers were turned into dates", dates.excel_serials)
    return dates


def build_orders(
    raw: pd.DataFrame,
    lines: pd.DataFrame | None,
    spec: FormatSpec,
    notes: Notes,
    salt: str,
    checkpoint: Callable[[str], None] = lambda text: None,
) -> pd.DataFrame:
    """Canonical orders from the first non-empty order-level values of each order."""
    dates = _parse_created(raw, spec, notes, lambda: checkpoint("Reading order dates"))
    checkpoint("Reading cancellations and totals")
    bad = dates.text.isna()
    if bad.any():
        affected = int(lines["order_id"].isin(raw.index[bad]).sum()) if lines is not None else int(bad.sum())
        notes.skip("order date missing or unreadable", affected, row_examples(raw.loc[bad, "first_row"]))
    status = _text(raw, "order_status").str.lower()
    event = _text(raw, "event_type").str.lower()
    orders = pd.DataFrame({"order_id": raw.index.astype(str)}, index=raw.index)
    orders["created_at"] = dates.text
    orders["utc_offset_minutes"] = dates.offset_minutes
    cancelled = parse_date_column(_text(raw, "cancelled_at").fillna(""), spec.default_date_order).text
    by_status = status.isin(spec.cancelled_statuses)
    orders["cancelled_at"] = cancelled.where(cancelled.notna(), dates.text.where(by_status, None))
    notes.fix("cancelled orders were kept but left out of sales", int(orders["cancelled_at"].notna().sum()))

    money = {
        name: _column(raw, name).astype(float)
        for name in ["subtotal", "shipping", "taxes", "discount_amount", "total", "refunded_amount"]
    }
    if lines is not None and len(lines):
        sums = lines.groupby("order_id", sort=False)[["line_total", "_shipping_line", "_tax_line"]].sum()
        sums = sums.reindex(raw.index)
        money["subtotal"] = money["subtotal"].fillna(sums["line_total"])
        money["shipping"] = money["shipping"].fillna(
            sums["_shipping_line"].where(sums["_shipping_line"] != 0)
        )
        money["taxes"] = money["taxes"].fillna(sums["_tax_line"].where(sums["_tax_line"] != 0))
    money["total"] = money["total"].fillna(
        money["subtotal"] + money["shipping"].fillna(0) + money["taxes"].fillna(0)
    )
    refund_event = event.isin(spec.refund_events) if spec.refund_events else pd.Series(False, index=raw.index)
    for name, values in money.items():
        values = values.where(~refund_event, -values.abs())
        orders[name] = values.round(2)
    refunded = money["refunded_amount"].abs().fillna(0.0)
    fully_refunded = status.eq("refunded") & refunded.eq(0)
    orders["refunded_amount"] = refunded.where(~fully_refunded, money["total"].abs()).fillna(0.0)
    orders["discount_code"] = _text(raw, "discount_code")
    orders["financial_status"] = _text(raw, "financial_status").fillna(status)

    is_refund = refund_event.copy()
    if spec.credit_note_prefix:
        is_refund |= orders["order_id"].str.startswith(spec.credit_note_prefix)
    if lines is not None and len(lines):
        all_returns = lines.groupby("order_id", sort=False)["is_refund"].min().reindex(raw.index)
        is_refund |= all_returns.fillna(0).astype(bool)
    orders["is_refund"] = is_refund.astype(int)
    notes.fix(
        "orders that are refunds or credit notes were counted as returns, not sales", int(is_refund.sum())
    )

    checkpoint("Protecting customer details")
    _add_people(orders, raw, spec, salt, lambda: checkpoint("Protecting customer details"))
    checkpoint("Reading addresses")
    for name in ["currency", "payment_method", "shipping_method", "billing_country", "shipping_country"]:
        orders[name] = _text(raw, name)
    orders["currency"] = orders["currency"].str.upper()
    for name in ["billing_zip", "shipping_zip"]:
        orders[name] = clean_identifier(_text(raw, name))
    orders["_city"] = _text(raw, "shipping_city")
    orders["_accepts"] = parse_flag(_text(raw, "accepts_marketing"))
    orders["source"] = spec.source
    return orders[~bad].reset_index(drop=True)


def _add_people(
    orders: pd.DataFrame, raw: pd.DataFrame, spec: FormatSpec, salt: str, tick: Callable[[], None]
) -> None:
    """Customer key, email-derived signals and name hashes (never plain text in the order)."""
    email = _text(raw, "email").str.lower()
    email = email.where(email.str.contains("@", na=False), None)
    full = (_text(raw, "first_name").fillna("") + " " + _text(raw, "last_name").fillna("")).str.strip()
    billing_name = _text(raw, "billing_name").fillna(_text(raw, "customer_name"))
    billing_name = billing_name.fillna(full.where(full != "", None))
    shipping_name = _text(raw, "shipping_name")
    hashed_email = _distinct(email, lambda e: salted_hash(e, salt), tick)
    orders["email_hash"] = hashed_email
    orders["email_domain"] = _distinct(email, email_domain, tick)
    unique_emails = pd.Series(pd.unique(email.dropna()), dtype=object)
    scores = dict(zip(unique_emails, email_local_scores(unique_emails)))
    orders["email_local_score"] = email.map(scores).astype(float)
    orders["billing_name_hash"] = _distinct(billing_name, lambda n: salted_hash(n, salt), tick)
    orders["shipping_name_hash"] = _distinct(shipping_name, lambda n: salted_hash(n, salt), tick)
    source_id = clean_identifier(_text(raw, "customer_id"))
    source_id = source_id.where(source_id != "0", None)  # WooCommerce writes 0 for a guest
    if spec.customer_key == "email":
        derived = hashed_email.map(lambda h: f"e-{h[:16]}" if h else None)
    elif spec.customer_key == "buyer":
        derived = _distinct(_text(raw, "buyer"), lambda b: f"b-{salted_hash(b, salt)[:16]}", tick)
    else:
        derived = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    orders["customer_id"] = source_id.where(source_id.notna(), derived)
    orders["_email"] = email
    orders["_name"] = billing_name.fillna(shipping_name)


def derive_customers(orders: pd.DataFrame, privacy: bool) -> pd.DataFrame | None:
    """One row per customer seen in the orders, with their most recent details."""
    known = orders[orders["customer_id"].notna()]
    if known.empty:
        return None
    ordered = known.sort_values("created_at", kind="stable")
    latest = ordered.groupby("customer_id", sort=False).agg(
        {
            "email_hash": "last",
            "_email": "last",
            "_name": "last",
            "shipping_country": "last",
            "billing_country": "last",
            "_city": "last",
            "shipping_zip": "last",
            "_accepts": "last",
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": latest.index.astype(str),
            "email_hash": latest["email_hash"].values,
            "email": latest["_email"].values if not privacy else None,
            "name": latest["_name"].values if not privacy else None,
            "initials": latest["_name"].map(initials).values,
            "country": latest["shipping_country"].fillna(latest["billing_country"]).values,
            "city": latest["_city"].values,
            "zip": latest["shipping_zip"].values,
            "accepts_marketing": latest["_accepts"].values,
        }
    )
    return customers.replace({np.nan: None})


def derive_products(lines: pd.DataFrame) -> pd.DataFrame | None:
    """Products named by the order lines (for SKUs the store does not know yet)."""
    if lines is None or lines.empty:
        return None
    selling = lines[lines["quantity"] > 0]
    source = selling if not selling.empty else lines
    latest = source.groupby("sku", sort=False).agg(
        {
            "title": "last",
            "unit_price": "last",
            "is_product": "min",
            "_vendor": "last",
            "_category": "last",
        }
    )
    products = pd.DataFrame(
        {
            "sku": latest.index.astype(str),
            "title": latest["title"].values,
            "vendor": latest["_vendor"].replace("", None).values,
            "category": latest["_category"].replace("", None).values,
            "price": latest["unit_price"].values,
            "is_product": latest["is_product"].astype(int).values,
        }
    )
    missing = set(lines["sku"].dropna()) - set(products["sku"])
    if missing:
        extra = lines[lines["sku"].isin(missing)].groupby("sku", sort=False)["title"].last()
        products = pd.concat(
            [products, pd.DataFrame({"sku": extra.index, "title": extra.values, "is_product": 1})]
        )
    return products.reset_index(drop=True)
