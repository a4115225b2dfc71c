"""Recommendations for the app, the CLI and the self-test: the public entry points.

    ctx = load_context(store, as_of)            # once (seconds on a big shop)
    product_recommendations(ctx, "SKU-1", k=10) # bought together + similar, with evidence
    customer_recommendations(ctx, "12662", k=10)
    all_customer_lists(ctx, k) / all_product_lists(ctx, k) / bundle_ideas(ctx)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from merchant_ai.errors import BadInputError, CancelledError
from merchant_ai.services.recommend.baskets import baskets_from_lines
from merchant_ai.services.recommend.bundles import bundle_ideas, pair_table
from merchant_ai.services.recommend.context import RecommendContext, load_context
from merchant_ai.services.recommend.controls import allowed_items, load_controls
from merchant_ai.services.recommend.cooccurrence import evidence_words, pair_stats
from merchant_ai.services.recommend.customer_recs import (
    CustomerRecommendations,
    for_customer,
    ranked_lists,
    reasons,
)
from merchant_ai.services.recommend.product_recs import ProductRecommendations, for_product, products_batch
from merchant_ai.store import Store
from merchant_ai.store.as_of import AsOf
from merchant_ai.store.queries import products as product_rows
from merchant_ai.store.queries import sales_lines

CARD_DAYS = 180
LIST_COLUMNS = ["subject", "list", "rank", "sku", "title", "score", "reason", "repeat"]


def _stop_if_cancelled(cancel) -> None:
    if cancel is not None and cancel():
        raise CancelledError("Recommendations stopped; nothing was changed.")


def product_recommendations(ctx: RecommendContext, sku: str, k: int = 10) -> ProductRecommendations:
    """Bought-together and similar lists for one SKU (verbatim)."""
    item = ctx.item_of(sku)
    if item is None:
        raise BadInputError(f"No sales of product '{sku}' before {ctx.as_of.date()}; check the SKU.")
    return for_product(ctx, item, k)


def customer_recommendations(ctx: RecommendContext, customer_id: str, k: int = 10) -> CustomerRecommendations:
    """The customer's top-k next products, repeat purchases marked."""
    customer = ctx.stats.baskets.customer_index().get(str(customer_id))
    if customer is None:
        raise BadInputError(f"No orders from customer '{customer_id}' before {ctx.as_of.date()}; check the id.")
    return for_customer(ctx, customer, k)


def _customer_part(ctx: RecommendContext, customers: np.ndarray, k: int) -> pd.DataFrame:
    ranked = ranked_lists(ctx, customers, k)
    return pd.DataFrame({
        "subject": ctx.stats.baskets.customer_ids[ranked["customer"].to_numpy()], "list": "next",
        "rank": ranked["rank"].to_numpy(), "sku": ctx.skus[ranked["item"].to_numpy()],
        "title": ctx.titles[ranked["item"].to_numpy()], "score": ranked["score"].round(4).to_numpy(),
        "reason": reasons(ctx, ranked), "repeat": ranked["own_orders"].to_numpy() > 0,
    })


def all_customer_lists(ctx: RecommendContext, k: int = 10, *, progress=None, cancel=None,
                       workers: int = 2) -> pd.DataFrame:
    """One row per (customer, rank): LIST_COLUMNS, list = 'next'.

    Batches run on `workers` threads: the heavy steps (sparse and dense products, partial
    sorts, onnxruntime) release the GIL, so a second core nearly halves the time."""
    from concurrent.futures import ThreadPoolExecutor

    customers = np.arange(len(ctx.stats.baskets.customer_ids))
    step = 2048
    batches = [customers[start:start + step] for start in range(0, len(customers), step)]
    ctx.stats.dense("confidence"), ctx.stats.dense("cosine"), ctx.titles  # shared caches, built once up front
    parts = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending = [pool.submit(_customer_part, ctx, batch, k) for batch in batches]
        try:
            for done, future in enumerate(pending, start=1):
                _stop_if_cancelled(cancel)
                parts.append(future.result())
                if progress is not None:
                    progress(done / len(pending), "Customers")
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LIST_COLUMNS)


def all_product_lists(ctx: RecommendContext, k: int = 10, *, progress=None, cancel=None) -> pd.DataFrame:
    """One row per (product, list, rank): list is 'bought_together' or 'similar'."""
    rows = []
    n, step = ctx.stats.n_items, 256
    for start in range(0, n, step):
        _stop_if_cancelled(cancel)
        for recs in products_batch(ctx, np.arange(start, min(start + step, n)), k):
            for name, suggestions in (("bought_together", recs.bought_together), ("similar", recs.similar)):
                rows += [(recs.sku, name, rank, s.sku, s.title, s.score, s.reason, False)
                         for rank, s in enumerate(suggestions, start=1)]
        if progress is not None:
            progress(min(1.0, (start + step) / max(n, 1)), "Products")
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def next_item_titles(ctx: RecommendContext, customer_ids: list[str], k: int = 3) -> dict[str, list[str]]:
    """Each known customer's top-k next products as "Title (SKU)" (unknown customers are left out)."""
    index = ctx.stats.baskets.customer_index()
    known = {c: index[c] for c in customer_ids if c in index}
    if not known:
        return {}
    ranked = ranked_lists(ctx, np.array(list(known.values())), k)
    by_position = {position: customer for customer, position in known.items()}
    titles: dict[str, list[str]] = {}
    for customer, item in zip(ranked["customer"], ranked["item"]):
        titles.setdefault(by_position[int(customer)], []).append(f"{ctx.title(item)} ({ctx.skus[item]})")
    return titles


@dataclass
class RecommendOverview:
    """What the self-test and the dashboard show: coverage, ranker and the top bundles."""

    as_of: str
    products_with_sales: int
    customers_with_orders: int
    orders: int
    products_with_partners: int
    ranking: str
    top_bundles: list[dict]

    def to_dict(self) -> dict:
        return asdict(self)


def recommendations_overview(store: Store, as_of: AsOf = None, *, progress=None, cancel=None) -> RecommendOverview:
    """The analysis (merchant_ai.capabilities): the shop's recommendation coverage at `as_of`."""
    ctx = load_context(store, as_of)
    _stop_if_cancelled(cancel)
    together = ctx.stats.pairs.together
    strong = np.asarray((together >= ctx.controls.min_pair_orders).sum(axis=1)).ravel()
    return RecommendOverview(
        as_of=str(ctx.as_of), products_with_sales=ctx.stats.n_items,
        customers_with_orders=len(ctx.stats.baskets.customer_ids), orders=ctx.stats.baskets.n_orders,
        products_with_partners=int(np.count_nonzero(strong)), ranking=ctx.ranking,
        top_bundles=bundle_ideas(ctx, 5).to_dict("records"),
    )


def card_summary(store: Store) -> dict:
    """Dashboard card: the pair of the last 180 days that brings in the most, in one line.

    Deliberately light (no ranker, no similarity): baskets and pair counts only.
    """
    lines = sales_lines(store, None)
    if lines.empty:
        return {"headline": "No orders yet", "detail": "Import your orders to see what sells together."}
    recent = lines.loc[lines["created_at"] >= lines["created_at"].max() - pd.Timedelta(days=CARD_DAYS)]
    baskets = baskets_from_lines(recent)
    controls = load_controls(store)
    allowed = allowed_items(baskets.skus, product_rows(store), controls)
    table = pair_table(baskets, pair_stats(baskets), allowed, controls.min_pair_orders)
    table = table[table["lift"] > 1.0]
    if table.empty:
        return {"headline": "No frequent pairs yet",
                "detail": f"No two products were bought together in {controls.min_pair_orders}+ orders "
                          f"in the last {CARD_DAYS} days."}
    best = table.loc[table["revenue"].idxmax()]
    titles = recent.drop_duplicates("sku", keep="last").set_index("sku")["title"]
    names = [str(titles.get(baskets.skus[m], baskets.skus[m])) for m in best["members"]]
    return {"headline": f"Bundle idea: {names[0]} + {names[1]}",
            "detail": f"{evidence_words(int(best['orders']), float(best['lift']))} in the last {CARD_DAYS} days "
                      f"({best['revenue']:,.2f} in sales). {len(table)} pairs sell together often."}


def product_table(ctx: RecommendContext) -> pd.DataFrame:
    """Products that sold before `as_of` (the page's product picker): sku, title, orders, partners."""
    together = ctx.stats.pairs.together
    return pd.DataFrame({
        "sku": ctx.skus, "title": ctx.titles, "orders": ctx.stats.pairs.item_baskets.astype(int),
        "partners": np.asarray((together >= ctx.controls.min_pair_orders).sum(axis=1)).ravel(),
    }).sort_values("orders", ascending=False, kind="stable").reset_index(drop=True)


def customer_table(ctx: RecommendContext) -> pd.DataFrame:
    """Customers with orders before `as_of` (the page's customer picker)."""
    return pd.DataFrame({
        "customer_id": ctx.stats.baskets.customer_ids, "orders": ctx.stats.customer_orders.astype(int),
        "days_since_last_order": np.round(ctx.stats.customer_idle_days).astype(int),
    }).sort_values("orders", ascending=False, kind="stable").reset_index(drop=True)


def reload_controls(store: Store, ctx: RecommendContext) -> RecommendContext:
    """The same context with the merchant's latest verdicts and settings (after a change)."""
    from dataclasses import replace

    controls = load_controls(store)
    return replace(ctx, controls=controls, allowed=allowed_items(ctx.skus, product_rows(store), controls))
