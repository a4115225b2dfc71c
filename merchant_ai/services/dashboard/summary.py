"""Store summary: counts, first and last order date, gross sales, refunds, net sales."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from merchant_ai.store.db import Store


@dataclass
class StoreSummary:
    orders: int
    order_lines: int
    products: int
    customers: int
    first_order_date: str | None
    last_order_date: str | None
    gross_sales: float
    refunds: float
    net_sales: float
    currency: str | None
    imports: int

    def to_dict(self) -> dict:
        return asdict(self)


def summarize(store: Store) -> StoreSummary:
    """Counts and sales totals. Gross = positive lines; refunds = negative lines plus
    order-level refunded amounts; cancelled orders are left out of sales."""
    conn = store.conn
    count = lambda table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    first, last = conn.execute(
        "SELECT MIN(created_at), MAX(created_at) FROM orders WHERE cancelled_at IS NULL"
    ).fetchone()
    gross, line_refunds = conn.execute(
        """
        SELECT COALESCE(SUM(CASE WHEN l.line_total > 0 THEN l.line_total END), 0),
               COALESCE(-SUM(CASE WHEN l.line_total < 0 THEN l.line_total END), 0)
        FROM order_lines l JOIN orders o ON o.order_id = l.order_id
        WHERE o.cancelled_at IS NULL
        """
    ).fetchone()
    order_refunds = conn.execute(
        "SELECT COALESCE(SUM(refunded_amount), 0) FROM orders WHERE cancelled_at IS NULL"
    ).fetchone()[0]
    currency_row = conn.execute(
        "SELECT currency FROM orders WHERE currency IS NOT NULL "
        "GROUP BY currency ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()
    refunds = float(line_refunds) + float(order_refunds)
    return StoreSummary(
        orders=count("orders"),
        order_lines=count("order_lines"),
        products=count("products"),
        customers=count("customers"),
        first_order_date=first[:10] if first else None,
        last_order_date=last[:10] if last else None,
        gross_sales=round(float(gross), 2),
        refunds=round(refunds, 2),
        net_sales=round(float(gross) - refunds, 2),
        currency=currency_row[0] if currency_row else None,
        imports=int(conn.execute("SELECT COUNT(*) FROM imports WHERE status = 'done'").fetchone()[0]),
    )
