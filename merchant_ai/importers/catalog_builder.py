"""Product and customer exports -> canonical products (+ stock on hand) and customers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np
import pandas as pd

from merchant_ai.importers.canonical import Canonical
from merchant_ai.importers.formats import FormatSpec
from merchant_ai.importers.parsing import apostrophe_count, clean_identifier, parse_amount_column, parse_flag
from merchant_ai.importers.privacy import initials, salted_hash
from merchant_ai.importers.report import Notes, row_examples

_NUMBER_FIELDS = ["variant_price", "compare_at_price", "unit_cost", "on_hand", "sale_price", "regular_price"]


class CatalogBuilder:
    """Collects text chunks of a products or customers export; `finish()` cleans them."""

    def __init__(self, spec: FormatSpec, notes: Notes, salt: str, privacy: bool) -> None:
        self.spec, self.notes, self.salt, self.privacy = spec, notes, salt, privacy
        self.parts: list[pd.DataFrame] = []
        self.rows_read = 0
        self.checkpoint: Callable[[str], None] = lambda text: None

    def add_chunk(self, frame: pd.DataFrame) -> None:
        self.rows_read += len(frame)
        self.parts.append(frame.fillna(""))

    def finish(self) -> Canonical:
        if not self.parts:
            return Canonical()
        frame = pd.concat(self.parts)
        self.parts = []
        self.checkpoint("Cleaning products and customers")
        for name in frame.columns:
            frame[name] = frame[name].astype(str).str.strip()
        if self.spec.kind == "customers":
            return Canonical(customers=self._customers(frame))
        products = self._products(frame)
        stock = products[["sku", "on_hand"]].dropna(subset=["on_hand"])
        stock = stock.assign(updated_at=datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
        return Canonical(products=products.drop(columns=["on_hand"]), inventory=stock if len(stock) else None)

    def _number(self, frame: pd.DataFrame, name: str) -> pd.Series:
        if name not in frame.columns:
            return pd.Series(np.nan, index=frame.index)
        column = parse_amount_column(frame[name])
        self.notes.fix(
            "amounts written with currency signs or separators were read as numbers",
            column.reformatted,
            column.examples,
        )
        return column.values

    def _products(self, frame: pd.DataFrame) -> pd.DataFrame:
        get = lambda name: frame[name] if name in frame.columns else pd.Series("", index=frame.index)
        if "handle" in frame.columns:
            # Shopify: product fields only on a handle's first row; image rows carry no variant
            shared = [
                c
                for c in ("title", "vendor", "category", "tags", "status", "gift_card", "published")
                if c in frame.columns
            ]
            firsts = frame[shared].where(frame[shared] != "").groupby(frame["handle"]).transform("first")
            frame[shared] = firsts.fillna("")
            image_only = get("sku").eq("") & get("variant_price").eq("")
            self.notes.skip(
                "image rows (no product or variant on them)",
                int(image_only.sum()),
                row_examples(frame.index[image_only]),
            )
            frame = frame[~image_only]
            get = lambda name: frame[name] if name in frame.columns else pd.Series("", index=frame.index)
        self.notes.fix(
            "SKUs with a spreadsheet apostrophe (') in front were cleaned", apostrophe_count(get("sku"))
        )
        sku = clean_identifier(get("sku"))
        fallback = self._fallback_sku(frame, get)
        no_sku = sku.isna()
        self.notes.fix(
            "products without a SKU are keyed by their handle or id",
            int((no_sku & fallback.notna()).sum()),
            list(fallback[no_sku].dropna().head(3)),
        )
        sku = sku.where(~no_sku, fallback)
        nothing = sku.isna()
        self.notes.skip("no SKU, handle or id", int(nothing.sum()), row_examples(frame.index[nothing]))
        regular = self._number(frame, "regular_price")
        sale = self._number(frame, "sale_price")
        price = self._number(frame, "variant_price").fillna(sale).fillna(regular)
        compare = self._number(frame, "compare_at_price").fillna(regular.where(sale.notna()))
        status = get("status").str.lower().replace("", None)
        published = parse_flag(get("published"))
        status = status.fillna(published.map({1: "active", 0: "draft"}))
        gift = parse_flag(get("gift_card")).eq(1)
        products = pd.DataFrame(
            {
                "sku": sku,
                "title": get("title").replace("", None),
                "vendor": get("vendor").replace("", None),
                "category": get("category").replace("", None),
                "tags": get("tags").replace("", None),
                "price": price,
                "compare_at_price": compare,
                "unit_cost": self._number(frame, "unit_cost"),
                "is_product": (~gift).astype(int),
                "status": status,
                "on_hand": self._number(frame, "on_hand"),
            },
            index=frame.index,
        )[~nothing]
        self.notes.fix("gift cards were kept apart from products", int(gift.sum()))
        dup = products["sku"].duplicated(keep="last")
        self.notes.skip(
            "the same SKU again further down (the last row was kept)",
            int(dup.sum()),
            row_examples(products.index[dup]),
        )
        return products[~dup].reset_index(drop=True)

    def _fallback_sku(self, frame: pd.DataFrame, get) -> pd.Series:
        if "handle" in frame.columns:
            options = (get("option1") + "/" + get("option2") + "/" + get("option3")).str.strip("/")
            several = frame.groupby("handle")["handle"].transform("size") > 1
            keyed = get("handle").where(~several, get("handle") + ":" + options)
            return keyed.where(get("handle") != "", None)
        return clean_identifier(get("source_id"))

    def _customers(self, frame: pd.DataFrame) -> pd.DataFrame:
        get = lambda name: frame[name] if name in frame.columns else pd.Series("", index=frame.index)
        email = get("email").str.lower()
        email = email.where(email.str.contains("@"), None)
        email_hash = email.map(lambda e: salted_hash(e, self.salt) if e else None)
        source_id = clean_identifier(get("source_customer_id"))
        self.notes.fix(
            "customer ids and zips with a spreadsheet apostrophe (') in front were cleaned",
            apostrophe_count(get("source_customer_id")) + apostrophe_count(get("zip")),
        )
        customer_id = email_hash.map(lambda h: f"e-{h[:16]}" if h else None).fillna(source_id)
        nothing = customer_id.isna()
        self.notes.skip("no email and no customer id", int(nothing.sum()), row_examples(frame.index[nothing]))
        name = (get("first_name") + " " + get("last_name")).str.strip()
        name = name.where(name != "", None)
        customers = pd.DataFrame(
            {
                "customer_id": customer_id,
                "email_hash": email_hash,
                "email": None if self.privacy else email,
                "name": None if self.privacy else name,
                "initials": name.map(initials),
                "country": get("country").replace("", None),
                "city": get("city").replace("", None),
                "zip": clean_identifier(get("zip")),
                "accepts_marketing": parse_flag(get("accepts_marketing")),
            },
            index=frame.index,
        )[~nothing]
        dup = customers["customer_id"].duplicated(keep="last")
        self.notes.skip(
            "the same customer again further down (the last row was kept)",
            int(dup.sum()),
            row_examples(customers.index[dup]),
        )
        return customers[~dup].reset_index(drop=True)
