"""Generic spreadsheets: the user maps their columns to ours; the mapping is saved per header.

A header's signature is the sha256 of its normalised column names, so the next file with
the same columns (whatever its rows) is recognised and imported with the same mapping.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from merchant_ai.errors import UnknownFormatError
from merchant_ai.importers.dates import parse_date_column
from merchant_ai.importers.formats import GENERIC_KEY, GENERIC_LABEL, FormatSpec, normalize_header
from merchant_ai.importers.parsing import parse_amount_column


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    required: bool
    help: str


# canonical name -> the FormatSpec field it feeds
CANONICAL_FIELDS: list[FieldSpec] = [
    FieldSpec(
        "order_id",
        "Order number",
        True,
        "The order or invoice number; lines with the same number are one order.",
    ),
    FieldSpec("created_at", "Order date", True, "When the order was placed (any common date format)."),
    FieldSpec(
        "sku",
        "SKU / product code",
        False,
        "Your code for the product. Needed unless you map the product name.",
    ),
    FieldSpec("title", "Product name", False, "The product's name. Needed unless you map the SKU."),
    FieldSpec("quantity", "Quantity", True, "How many were sold; negative for returns."),
    FieldSpec("unit_price", "Unit price", False, "Price of one item. Needed unless you map the line total."),
    FieldSpec("line_total", "Line total", False, "Quantity times price, after discounts."),
    FieldSpec("customer_id", "Customer id", False, "Your customer number; leave empty for guest orders."),
    FieldSpec("email", "Customer email", False, "Stored only as a salted hash (privacy on)."),
    FieldSpec("customer_name", "Customer name", False, "Stored only as a hash plus initials (privacy on)."),
    FieldSpec("currency", "Currency", False, "e.g. EUR, USD."),
    FieldSpec("shipping_country", "Country", False, "Where the order was shipped."),
    FieldSpec("shipping_zip", "Postcode", False, "Shipping postcode or zip."),
]
_SPEC_FIELD = {"line_total": "line_total_net"}


def canonical_fields() -> list[FieldSpec]:
    return list(CANONICAL_FIELDS)


def header_signature(header: list[str]) -> str:
    text = "\x1f".join(normalize_header(h) for h in header)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def saved_mapping(conn: sqlite3.Connection, header: list[str]) -> dict[str, str] | None:
    row = conn.execute(
        "SELECT mapping_json FROM column_mappings WHERE header_signature = ?", (header_signature(header),)
    ).fetchone()
    return json.loads(row[0]) if row else None


def save_mapping(conn: sqlite3.Connection, header: list[str], mapping: dict[str, str]) -> None:
    """Remember the mapping for this header (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO column_mappings(header_signature, mapping_json, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(header_signature) DO UPDATE SET mapping_json = excluded.mapping_json, "
        "updated_at = excluded.updated_at",
        (
            header_signature(header),
            json.dumps(mapping, sort_keys=True),
            datetime.now().isoformat(timespec="seconds"),
        ),
    )


def mapping_problems(header: list[str], mapping: dict[str, str]) -> list[str]:
    """Plain messages about a mapping's shape (not its values); empty means usable."""
    problems = []
    known = {f.name: f for f in CANONICAL_FIELDS}
    for name, column in mapping.items():
        if name not in known:
            problems.append(f"'{name}' is not one of our fields.")
        elif column not in header:
            problems.append(f"The file has no column '{column}' (chosen for {known[name].label}).")
    for spec in CANONICAL_FIELDS:
        if spec.required and not mapping.get(spec.name):
            problems.append(f"Choose the column that holds the {spec.label.lower()}.")
    if not (mapping.get("sku") or mapping.get("title")):
        problems.append("Choose the column with the SKU or the product name.")
    if not (mapping.get("unit_price") or mapping.get("line_total")):
        problems.append("Choose the column with the unit price or the line total.")
    return problems


def preview_problems(preview: pd.DataFrame, mapping: dict[str, str]) -> list[str]:
    """Check that the preview rows parse under this mapping (dates, numbers)."""
    problems = []
    checks = [
        ("created_at", "dates"),
        ("quantity", "numbers"),
        ("unit_price", "amounts"),
        ("line_total", "amounts"),
    ]
    for name, kind in checks:
        column = mapping.get(name)
        if not column or column not in preview.columns:
            continue
        values = preview[column].fillna("").astype(str)
        if name == "created_at":
            bad = parse_date_column(values).unreadable
        else:
            bad = parse_amount_column(values).unreadable
        if bad.any():
            examples = ", ".join(f"'{v}'" for v in values[bad].head(2))
            problems.append(f"Column '{column}' should hold {kind} but has {examples}.")
    return problems


def generic_spec(header: list[str], mapping: dict[str, str]) -> FormatSpec:
    """A FormatSpec for a user-mapped order-lines file."""
    problems = mapping_problems(header, mapping)
    if problems:
        raise UnknownFormatError("The column mapping cannot be used: " + " ".join(problems))
    fields = {_SPEC_FIELD.get(k, k): (v,) for k, v in mapping.items() if v}
    return FormatSpec(
        key=GENERIC_KEY,
        label=GENERIC_LABEL,
        kind="lines",
        fields=fields,
        signature=("order_id", "created_at", "quantity"),
        source="spreadsheet",
        customer_key="email",  # the mapped customer id when there is one, else the email
    )
