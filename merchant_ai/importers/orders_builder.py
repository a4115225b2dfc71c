"""Order exports (one row per line, or one row per order) -> canonical orders and lines.

Chunks are reduced as they arrive: order-level fields to the first non-empty value per order,
line fields to numbers, so memory stays small; the per-file decisions (dates, decimal commas)
and everything that needs whole orders happen in `finish`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from merchant_ai.importers.canonical import (
    LINE_NUMBER_FIELDS,
    LINE_TEXT_FIELDS,
    ORDER_FIELDS,
    ORDER_MONEY_FIELDS,
    Canonical,
)
from merchant_ai.importers.formats import FormatSpec
from merchant_ai.importers.order_details import build_orders, derive_customers, derive_products
from merchant_ai.importers.parsing import apostrophe_count, clean_identifier, parse_amount_column
from merchant_ai.importers.report import Notes, row_examples

# stock codes of non-product lines in Online Retail style exports: postage (POST, DOT, C2),
# manual entries, discounts, bank and Amazon fees, charity (CRUK), samples, bad-debt adjustments
_NON_PRODUCT_CODES = {
    "POST",
    "DOT",
    "M",
    "D",
    "C2",
    "BANK CHARGES",
    "AMAZONFEE",
    "CRUK",
    "S",
    "B",
    "ADJUST",
    "ADJUST2",
    "TEST001",
    "TEST002",
}
# whole titles that are postage, fees or tips (not "Shipping box"), or any gift card
_NON_PRODUCT_WORDS = re.compile(
    r"(?i)^\s*(dotcom )?(postage|shipping|delivery|carriage|handling)"
    r"( (and|&) handling)?( fee| charge| cost)?s?\s*$"
    r"|\bgift ?(card|voucher|certificate)\b"
    r"|^\s*(service fee|service charge|fees?|tips?|gratuity|bank charges?|amazon ?fee|manual|discount)\s*$"
)


class OrdersBuilder:
    """Feed text chunks with canonical column names; `finish()` returns the canonical rows."""

    def __init__(self, spec: FormatSpec, notes: Notes, salt: str, privacy: bool) -> None:
        self.spec, self.notes, self.salt, self.privacy = spec, notes, salt, privacy
        self.order_parts: list[pd.DataFrame] = []
        self.line_parts: list[pd.DataFrame] = []
        self.decimal_comma: dict[str, bool] = {}
        self.rows_read = 0
        # called between cleaning steps: the pipeline reports progress and polls cancel there
        self.checkpoint: Callable[[str], None] = lambda text: None

    def _numbers(self, text: pd.Series, name: str) -> pd.Series:
        text = text.astype(object).where(text.notna(), "").astype(str)
        column = parse_amount_column(text, self.decimal_comma.get(name))
        if text.str.strip().ne("").any():
            self.decimal_comma.setdefault(name, column.decimal_comma)
        bad = column.unreadable
        if bad.any():
            self.notes.fix(
                f"unreadable numbers in '{name.replace('_', ' ')}' were left empty",
                int(bad.sum()),
                list(text[bad].head(3)),
            )
        if column.reformatted:
            what = "amounts written with currency signs, separators or brackets were read as numbers"
            self.notes.fix(what, column.reformatted, column.examples)
        return column.values

    def add_chunk(self, frame: pd.DataFrame) -> None:
        """One chunk of text rows (index = spreadsheet row numbers)."""
        self.rows_read += len(frame)
        frame = frame.fillna("")
        self.notes.fix(
            "ids and zips with a spreadsheet apostrophe (') in front were cleaned",
            sum(
                apostrophe_count(frame[c])
                for c in frame.columns
                if c in ("order_id", "customer_id", "billing_zip", "shipping_zip", "sku")
            ),
        )
        order_id = clean_identifier(frame["order_id"])
        missing = order_id.isna()
        if missing.any():
            self.notes.skip("no order number", int(missing.sum()), row_examples(frame.index[missing]))
        frame = frame[~missing]
        order_id = order_id[~missing]
        row_hash = pd.util.hash_pandas_object(frame, index=False)
        order_cols = [c for c in ORDER_FIELDS if c in frame.columns]
        order_part = frame[order_cols].where(frame[order_cols] != "")
        order_part.insert(0, "order_id", order_id)
        order_part["first_row"] = frame.index
        self.order_parts.append(order_part.groupby("order_id", sort=False).first())
        if self.spec.kind != "lines":
            return
        lines = pd.DataFrame({"order_id": order_id, "row_hash": row_hash.values}, index=frame.index)
        for name in LINE_TEXT_FIELDS:
            if name in frame.columns:
                lines[name] = frame[name].str.strip()
        for name in LINE_NUMBER_FIELDS:
            if name in frame.columns:
                lines[name] = self._numbers(frame[name], name)
        self.line_parts.append(lines)

    def finish(self) -> Canonical:
        if not self.order_parts:
            return Canonical()
        raw_orders = pd.concat(self.order_parts)
        self.order_parts = []
        raw_orders = raw_orders.groupby(level=0, sort=False).first()
        self.checkpoint("Cleaning order amounts")
        for name in ORDER_MONEY_FIELDS:
            if name in raw_orders.columns:
                raw_orders[name] = self._numbers(raw_orders[name], name)
        self.checkpoint("Cleaning order lines")
        lines = self._finish_lines(raw_orders) if self.spec.kind == "lines" else None
        self.checkpoint("Reading dates and customers")
        orders = build_orders(raw_orders, lines, self.spec, self.notes, self.salt, self.checkpoint)
        if lines is not None:
            lines = lines[lines["order_id"].isin(orders["order_id"])]
        self.checkpoint("Collecting customers and products")
        customers = derive_customers(orders, self.privacy)
        orders = orders.drop(columns=[c for c in orders.columns if c.startswith("_")])
        products = derive_products(lines) if lines is not None else None
        if lines is not None:
            lines = lines.drop(columns=[c for c in lines.columns if c.startswith("_")])
        return Canonical(
            orders=orders,
            order_lines=lines,
            products=products,
            customers=customers,
            products_insert_only=True,
        )

    def _finish_lines(self, raw_orders: pd.DataFrame) -> pd.DataFrame:
        lines = pd.concat(self.line_parts) if self.line_parts else pd.DataFrame(columns=["order_id"])
        self.line_parts = []
        dup = lines["row_hash"].duplicated()
        if dup.any():
            self.notes.skip(
                "exact duplicate of an earlier row", int(dup.sum()), row_examples(lines.index[dup])
            )
            lines = lines[~dup]
        for name in LINE_TEXT_FIELDS:
            if name not in lines.columns:
                lines[name] = ""
        for name in LINE_NUMBER_FIELDS:
            if name not in lines.columns:
                lines[name] = np.nan
        lines = self._fill_product_ids(lines)
        qty = lines["quantity"]
        bad_qty = qty.isna()
        if bad_qty.any():
            self.notes.skip(
                "quantity missing or unreadable", int(bad_qty.sum()), row_examples(lines.index[bad_qty])
            )
            lines = lines[~bad_qty]
        return self._amounts(lines)

    def _fill_product_ids(self, lines: pd.DataFrame) -> pd.DataFrame:
        sku = clean_identifier(lines["sku"])
        listing = clean_identifier(lines["listing_id"])
        title = lines["title"].where(lines["title"] != "", None)
        no_sku = sku.isna()
        nothing = no_sku & listing.isna() & title.isna()
        if nothing.any():
            self.notes.skip(
                "no product (neither SKU nor name)", int(nothing.sum()), row_examples(lines.index[nothing])
            )
        fallback = listing.where(listing.notna(), title)
        self.notes.fix(
            "lines without a SKU use the listing id or product name as their SKU",
            int((no_sku & ~nothing).sum()),
            list(fallback[no_sku & ~nothing].head(3)),
        )
        lines = lines.assign(sku=sku.where(~no_sku, fallback), title=title)
        return lines[~nothing]

    def _amounts(self, lines: pd.DataFrame) -> pd.DataFrame:
        """Unit price, line total (after line discount) and refund/product flags."""
        qty = lines["quantity"].astype(float)
        refund_event = lines["event_type"].str.lower().isin(self.spec.refund_events)
        if self.spec.refund_events:
            self.notes.fix(
                "refund lines were stored as returns (negative quantities)", int(refund_event.sum())
            )
        qty = qty.where(~refund_event, -qty.abs())
        safe_qty = qty.abs().replace(0, np.nan)
        unit = lines["unit_price"].abs()
        unit = unit.fillna(lines["line_gross"].abs() / safe_qty).fillna(
            lines["line_total_net"].abs() / safe_qty
        )
        discount = lines["line_discount"].abs().fillna(0.0)
        gross = lines["line_gross"].abs().fillna(unit * qty.abs())
        total = lines["line_total_net"].abs().fillna(gross - discount)
        sign = np.where(qty < 0, -1.0, 1.0)
        cancelled_item = lines["item_status"].str.lower().isin(self.spec.cancelled_statuses)
        out = pd.DataFrame(
            {
                "order_id": lines["order_id"],
                "sku": lines["sku"],
                "title": lines["title"],
                "quantity": qty,
                "unit_price": unit.round(4),
                "line_total": (total * sign).round(2),
                "is_refund": (qty < 0).astype(int),
                "is_product": self._is_product(lines).astype(int),
                "_shipping_line": lines["shipping_line"].fillna(0.0),
                "_tax_line": lines["taxes_line"].abs().fillna(0.0) * sign,
                "_vendor": lines["vendor"],
                "_category": lines["category"],
            },
            index=lines.index,
        )
        if cancelled_item.any():
            self.notes.skip(
                "item cancelled before it was shipped",
                int(cancelled_item.sum()),
                row_examples(lines.index[cancelled_item]),
            )
            out = out[~cancelled_item]
        out["line_no"] = out.groupby("order_id", sort=False).cumcount() + 1
        non_product = int((out["is_product"] == 0).sum())
        self.notes.fix(
            "postage, fees and gift cards were kept apart from products",
            non_product,
            list(out.loc[out["is_product"] == 0, "title"].dropna().unique()[:3]),
        )
        return out

    def _is_product(self, lines: pd.DataFrame) -> pd.Series:
        sku_upper = lines["sku"].fillna("").str.upper()
        by_code = sku_upper.isin(_NON_PRODUCT_CODES) | sku_upper.str.startswith("GIFT_")
        titles = lines["title"].fillna("")
        verdicts = {t: bool(_NON_PRODUCT_WORDS.search(t)) for t in pd.unique(titles)}
        by_name = titles.map(verdicts).astype(bool)
        return ~(by_code | by_name)
