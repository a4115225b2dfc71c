"""One shop's recommendation state at one date: statistics, catalogue, controls, ranker.

`load_context(store, as_of)` reads the store once; every list (per product, per customer,
bundles) is then cheap to compute from it, so the app builds it in the background once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse

from merchant_ai.errors import NotEnoughDataError
from merchant_ai.services.recommend.baskets import baskets_from_lines
from merchant_ai.services.recommend.controls import Controls, allowed_items, load_controls
from merchant_ai.services.recommend.ranking import Scorer, model_scorer
from merchant_ai.services.recommend.shop_stats import ShopStats, shop_stats
from merchant_ai.store import Store
from merchant_ai.store.as_of import AsOf, resolve_as_of
from merchant_ai.store.queries import products as product_rows
from merchant_ai.store.queries import sales_lines

WORD = re.compile(r"[a-z]{3,}")


@dataclass
class RecommendContext:
    stats: ShopStats
    items: pd.DataFrame          # one row per item index: sku, title, vendor, category, price
    controls: Controls
    allowed: np.ndarray          # per item index: may be recommended
    scorer: Scorer
    ranking: str                 # which ranker ran, in words
    as_of: pd.Timestamp

    @cached_property
    def sku_index(self) -> dict[str, int]:
        return self.stats.baskets.item_index()

    def item_of(self, sku: str) -> int | None:
        """Item index of a SKU (verbatim), None when it was never sold before `as_of`."""
        return self.sku_index.get(str(sku))

    @cached_property
    def title_words(self) -> sparse.csr_matrix:
        """items x words matrix used by the 'similar' list."""
        return title_word_matrix(self.items["title"])

    @cached_property
    def title_word_counts(self) -> np.ndarray:
        return np.asarray(self.title_words.sum(axis=1)).ravel()

    @property
    def skus(self) -> np.ndarray:
        return self.stats.baskets.skus

    @cached_property
    def titles(self) -> np.ndarray:
        """Title per item index (the SKU when the title is unknown)."""
        titles = self.items["title"].astype(object).to_numpy()
        known = np.array([isinstance(t, str) and bool(t) for t in titles])
        return np.where(known, titles, self.skus).astype(object)

    def title(self, item: int) -> str:
        return str(self.titles[item])

    @cached_property
    def attribute_codes(self) -> dict[str, np.ndarray]:
        """category and vendor as integer codes (-1 unknown), log price (NaN unknown)."""
        codes = {name: pd.factorize(self.items[name].astype(object))[0] for name in ("category", "vendor")}
        price = self.items["price"].astype(float).to_numpy()
        codes["log_price"] = np.log(np.where(price > 0, price, np.nan))
        return codes

    def item_category(self) -> np.ndarray | None:
        category = self.items["category"]
        return category.to_numpy(dtype=object) if category.notna().any() else None


def title_word_matrix(titles: pd.Series) -> sparse.csr_matrix:
    """items x words (1 = the title holds the word)."""
    words = [set(WORD.findall(str(t).lower())) if isinstance(t, str) else set() for t in titles]
    vocabulary = {w: i for i, w in enumerate(sorted(set().union(*words)))}
    rows = [r for r, ws in enumerate(words) for _ in ws]
    cols = [vocabulary[w] for ws in words for w in ws]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(words), max(len(vocabulary), 1)))


def item_table(skus: np.ndarray, products: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Attributes per sold SKU: the catalogue's when known, else the sales lines' title/price."""
    from_lines = lines.groupby("sku").agg(line_title=("title", "last"), line_price=("unit_price", "median"))
    info = products.set_index("sku")[["title", "vendor", "category", "price"]]
    table = pd.DataFrame(index=pd.Index(skus, dtype=object, name="sku"))
    table = table.join(info).join(from_lines)
    table["title"] = table["title"].fillna(table["line_title"])
    table["price"] = table["price"].fillna(table["line_price"])
    return table.drop(columns=["line_title", "line_price"]).reset_index()


def load_context(store: Store, as_of: AsOf = None, *, models_dir=None) -> RecommendContext:
    """Read the store (orders strictly before `as_of`) and prepare every recommender."""
    as_of = resolve_as_of(store, as_of)
    lines = sales_lines(store, as_of)
    baskets = baskets_from_lines(lines, as_of=as_of)
    if baskets.n_orders < 2 or baskets.n_items < 2:
        before = f" before {as_of:%Y-%m-%d}"
        orders, items = baskets.n_orders, baskets.n_items
        raise NotEnoughDataError(f"Recommendations need at least 2 orders and 2 products{before} (found {orders} "
                                 f"order{'' if orders == 1 else 's'} with {items} product{'' if items == 1 else 's'}).")
    stats = shop_stats(baskets)
    catalogue = product_rows(store)
    controls = load_controls(store)
    scorer, ranking = model_scorer(models_dir)
    return RecommendContext(
        stats=stats, items=item_table(baskets.skus, catalogue, lines), controls=controls,
        allowed=allowed_items(baskets.skus, catalogue, controls), scorer=scorer, ranking=ranking,
        as_of=baskets.as_of,
    )
