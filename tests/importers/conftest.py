"""Fixtures for the importer tests: a fresh store, and helpers to import and count."""

from __future__ import annotations

import pytest

from merchant_ai.store import open_store


@pytest.fixture
def store(store_path):
    with open_store(store_path) as opened:
        yield opened


def table_counts(store) -> dict[str, int]:
    tables = ["orders", "order_lines", "products", "customers", "inventory", "imports", "import_changes"]
    return {t: int(store.scalar(f"SELECT COUNT(*) FROM {t}")) for t in tables}


def store_snapshot(store) -> dict[str, list]:
    """Every row of every table an import writes, for exact before/after comparisons."""
    tables = [
        "orders",
        "order_lines",
        "products",
        "customers",
        "inventory",
        "imports",
        "import_changes",
        "column_mappings",
    ]
    return {t: sorted(map(repr, store.conn.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def order_row(store, order_id):
    """The stored order `order_id` (one row)."""
    return store.query_df("SELECT * FROM orders WHERE order_id = ?", (order_id,)).iloc[0]


def order_lines_of(store, order_id):
    """The stored lines of order `order_id`, in their order."""
    return store.query_df("SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no", (order_id,))
