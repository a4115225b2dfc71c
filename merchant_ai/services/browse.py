"""The data browser's service: whole tables as DataFrames, and exports that are safe to open.

Reading is chunked (progress + cancel between chunks) so that a 500,000-line table never holds
the interpreter for long, and the window stays responsive while it loads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from merchant_ai.errors import BadInputError, CancelledError
from merchant_ai.store.db import Store

CHUNK_ROWS = 20_000

TABLE_QUERIES: dict[str, tuple[str, str]] = {
    # name: (count query, select query)
    "orders": ("SELECT COUNT(*) FROM orders", """
        SELECT order_id, created_at, customer_id, total, currency, financial_status, payment_method,
               discount_code, refunded_amount, shipping_country, cancelled_at, source
        FROM orders ORDER BY created_at DESC, order_id"""),
    "products": ("SELECT COUNT(*) FROM products", """
        SELECT p.sku, p.title, p.vendor, p.category, p.price, COALESCE(s.unit_cost, p.unit_cost) AS unit_cost,
               i.on_hand, s.lead_time_days, p.status, p.is_product
        FROM products p LEFT JOIN inventory i ON i.sku = p.sku LEFT JOIN product_settings s ON s.sku = p.sku
        ORDER BY p.sku"""),
    "customers": ("SELECT COUNT(*) FROM customers", """
        SELECT c.customer_id, c.initials, c.country, c.city, o.orders, o.spent, o.first_order, o.last_order,
               c.accepts_marketing
        FROM customers c LEFT JOIN (
            SELECT customer_id, COUNT(*) AS orders, ROUND(SUM(total), 2) AS spent,
                   MIN(created_at) AS first_order, MAX(created_at) AS last_order
            FROM orders WHERE cancelled_at IS NULL GROUP BY customer_id) o ON o.customer_id = c.customer_id
        ORDER BY c.customer_id"""),
    "order_lines": ("SELECT COUNT(*) FROM order_lines", """
        SELECT l.order_id, l.line_no, o.created_at, l.sku, l.title, l.quantity, l.unit_price, l.line_total,
               l.is_refund
        FROM order_lines l JOIN orders o ON o.order_id = l.order_id
        ORDER BY o.created_at DESC, l.order_id, l.line_no"""),
}
TABLE_LABELS = {"orders": "Orders", "products": "Products", "customers": "Customers",
                "order_lines": "Order lines"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def load_table(store: Store, name: str, *, progress: Callable[[float, str], None] | None = None,
               cancel: Callable[[], bool] | None = None) -> pd.DataFrame:
    """One browsable table as a DataFrame, read in chunks (progress and cancel between them)."""
    if name not in TABLE_QUERIES:
        raise BadInputError(f"There is no table called '{name}'.")
    count_sql, select_sql = TABLE_QUERIES[name]
    total = int(store.scalar(count_sql) or 0)
    cursor = store.conn.execute(select_sql)
    columns = [d[0] for d in cursor.description]
    chunks: list[list[tuple]] = []
    read = 0
    while True:
        if cancel is not None and cancel():
            raise CancelledError("Stopped loading the table.")
        rows = cursor.fetchmany(CHUNK_ROWS)
        if not rows:
            break
        chunks.append(rows)
        read += len(rows)
        if progress is not None:
            progress(read / max(total, 1), f"Reading {TABLE_LABELS[name].lower()}: {read:,} of {total:,}")
    frames = [pd.DataFrame.from_records(rows, columns=columns) for rows in chunks]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells starting with = + - @ (or tab/CR) get a leading apostrophe, so a spreadsheet
    shows them as text instead of running them as formulas (CSV/formula injection)."""
    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            text = column.astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                values = column.astype(object).to_numpy(copy=True)
                values[risky] = np.array(["'" + v for v in text[risky]], dtype=object)
                safe[name] = values
    return safe


def export_frame(frame: pd.DataFrame, path: str | Path, *, progress: Callable[[float, str], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> Path:
    """Write the rows to CSV or XLSX (by suffix), formulas neutralised; returns the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise BadInputError("Choose a file name ending in .csv or .xlsx.")
    if suffix == ".xlsx" and len(frame) > 1_048_575:
        raise BadInputError("Excel holds at most 1,048,575 rows; export this view as CSV instead.")
    if not path.parent.is_dir():
        raise BadInputError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    safe = neutralise_formulas(frame)
    if cancel is not None and cancel():
        raise CancelledError("Export stopped; no file was written.")
    partial = path.with_name(path.name + ".partial")
    try:
        if suffix == ".csv":
            safe.to_csv(partial, index=False, encoding="utf-8-sig")
        else:
            _write_xlsx(safe, partial, progress, cancel)
        partial.replace(path)
    except OSError as exc:  # a missing or read-only folder: the owner picks another place
        partial.unlink(missing_ok=True)
        raise BadInputError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(1.0, "Exported.")
    return path


def _write_xlsx(frame: pd.DataFrame, path: Path, progress, cancel) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append([str(c) for c in frame.columns])
    total = len(frame)
    for i, row in enumerate(frame.astype(object).where(frame.notna(), None).itertuples(index=False), 1):
        sheet.append(list(row))
        if i % 20_000 == 0:
            if cancel is not None and cancel():
                raise CancelledError("Export stopped; no file was written.")
            if progress is not None:
                progress(i / total, f"Writing row {i:,} of {total:,}")
    book.save(path)
