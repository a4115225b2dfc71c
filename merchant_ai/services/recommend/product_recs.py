"""Store-free: per product: what is bought with it (with evidence) and what is similar to it.

Bought together ranks partners by shrunk confidence, n_ij / (n_i + 5): the chance a basket
with this product also holds the partner, pulled down when the product itself is rare.
Only pairs seen in at least `min_pair_orders` baskets and more often than chance (lift > 1)
are shown; pins come first.
Similar mixes the co-purchase neighbourhood (cosine over buyers) with product attributes:
same category, same vendor, price within 1.5x, shared title words.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from merchant_ai.services.recommend.context import RecommendContext
from merchant_ai.services.recommend.cooccurrence import evidence_words

CONFIDENCE_PRIOR = 5.0


@dataclass
class Suggestion:
    sku: str
    score: float
    reason: str
    title: str = ""
    orders_together: int | None = None
    support: float | None = None
    confidence: float | None = None
    lift: float | None = None
    pinned: bool = False
    accepted: bool = False

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class ProductRecommendations:
    sku: str
    title: str
    orders: int
    bought_together: list[Suggestion] = field(default_factory=list)
    similar: list[Suggestion] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"sku": self.sku, "title": self.title, "orders": self.orders,
                "bought_together": [s.to_dict() for s in self.bought_together],
                "similar": [s.to_dict() for s in self.similar]}


def _row(matrix, item: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of one CSR row, without building a new matrix."""
    start, stop = matrix.indptr[item], matrix.indptr[item + 1]
    return matrix.indices[start:stop], matrix.data[start:stop]


def together_scores(ctx: RecommendContext, item: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Partner indices, their shared orders and scores for `item`, evidence and controls applied.

    Only pairs bought together more often than chance (lift > 1) count as partners."""
    pairs = ctx.stats.pairs
    partners, counts = _row(pairs.together, item)
    lift = counts * pairs.n_baskets / (pairs.item_baskets[item] * pairs.item_baskets[partners])
    keep = (counts >= ctx.controls.min_pair_orders) & ctx.allowed[partners] & (lift > 1.0)
    partners, counts = partners[keep], counts[keep]
    return partners, counts, counts / (pairs.item_baskets[item] + CONFIDENCE_PRIOR)


def _allowed_for(ctx: RecommendContext, subject: str, target: str) -> bool:
    return not ctx.controls.is_blocked(subject, target)


def _first(ctx: RecommendContext, subject: str) -> list[int]:
    """Items the merchant put first for this subject: pinned, then accepted."""
    chosen = ctx.controls.pinned.get(subject, []) + sorted(ctx.controls.accepted.get(subject, set()))
    return [i for i in (ctx.item_of(s) for s in chosen) if i is not None]


def bought_together(ctx: RecommendContext, item: int, k: int = 10) -> list[Suggestion]:
    """Top-k partners of `item` with support, confidence, lift and the evidence in words."""
    pairs, subject = ctx.stats.pairs, str(ctx.skus[item])
    partners, _, scores = together_scores(ctx, item)
    order = np.argsort(-scores, kind="stable")
    first = _first(ctx, subject)
    all_partners, all_counts = _row(pairs.together, item)
    count_of = dict(zip(all_partners.tolist(), all_counts.tolist()))
    score_of = dict(zip(partners.tolist(), scores.tolist()))
    pinned = set(ctx.controls.pinned.get(subject, []))
    n_item, n_baskets = pairs.item_baskets[item], pairs.n_baskets
    out: list[Suggestion] = []
    for partner in dict.fromkeys(first + partners[order].tolist()):
        target = str(ctx.skus[partner])
        if partner == item or not _allowed_for(ctx, subject, target):
            continue
        count = int(count_of.get(partner, 0))
        lift = count * n_baskets / (n_item * pairs.item_baskets[partner]) if count else 0.0
        reason = evidence_words(count, lift) if count else "no orders together yet"
        out.append(Suggestion(
            sku=target, title=ctx.title(partner), score=round(score_of.get(partner, 0.0), 4),
            reason=("pinned by you; " if target in pinned else "") + reason, orders_together=count,
            support=round(count / n_baskets, 5), confidence=round(count / n_item, 4) if n_item else 0.0,
            lift=round(lift, 3), pinned=target in pinned,
            accepted=target in ctx.controls.accepted.get(subject, set()),
        ))
        if len(out) >= k:
            break
    return out


def similarity_scores(ctx: RecommendContext, items: np.ndarray):
    """For a batch of items (rows) against every item (columns): the 'similar' score, the
    cosine over buyers, and each attribute's match with its label."""
    codes = ctx.attribute_codes
    parts: list[tuple[float, np.ndarray, str]] = []
    for column, weight, label in (("category", 0.35, "same category"), ("vendor", 0.15, "same vendor")):
        values = codes[column]
        own = values[items][:, None]
        parts.append((weight, (values[None, :] == own) & (own >= 0), label))
    log_price = codes["log_price"]
    with np.errstate(invalid="ignore"):
        close_price = np.abs(log_price[None, :] - log_price[items][:, None]) <= np.log(1.5)
    parts.append((0.2, close_price, "similar price"))
    words, sizes = ctx.title_words, ctx.title_word_counts
    shared = (words[items] @ words.T).toarray()
    union = sizes[None, :] + sizes[items][:, None] - shared
    parts.append((0.3, np.divide(shared, union, out=np.zeros(shared.shape), where=union > 0), "similar name"))
    cosine = ctx.stats.cosine[items].toarray()
    top = cosine.max(axis=1, keepdims=True)
    neighbourhood = np.divide(cosine, top, out=np.zeros_like(cosine), where=top > 0)
    score = 0.6 * neighbourhood + 0.4 * sum(weight * values for weight, values, _ in parts)
    score[np.arange(len(items)), items] = -1.0
    score[:, ~ctx.allowed] = -1.0
    return score, cosine, [(values, label) for _, values, label in parts]


def _similar_row(ctx: RecommendContext, item: int, score: np.ndarray, cosine: np.ndarray,
                 matches: list[tuple[np.ndarray, str]], k: int) -> list[Suggestion]:
    subject = str(ctx.skus[item])
    accepted = ctx.controls.accepted.get(subject, set())
    top = min(len(score), k + len(ctx.controls.blocked_pairs) + len(ctx.controls.dismissed.get(subject, ())))
    best = np.argpartition(-score, top - 1)[:top] if top < len(score) else np.arange(len(score))
    out: list[Suggestion] = []
    for j in best[np.argsort(-score[best], kind="stable")]:
        if score[j] <= 0 or len(out) >= k:
            break
        target = str(ctx.skus[j])
        if not _allowed_for(ctx, subject, target):
            continue
        why = [label for values, label in matches if values[j] > 0]
        if cosine[j] > 0:
            why.insert(0, f"shares buyers (cosine {cosine[j]:.2f})")
        out.append(Suggestion(sku=target, title=ctx.title(j), score=round(float(score[j]), 4),
                              reason="; ".join(why), accepted=target in accepted))
    return out


def similar(ctx: RecommendContext, item: int, k: int = 10) -> list[Suggestion]:
    """Top-k similar items: 60% co-purchase neighbourhood, 40% attributes."""
    return products_batch(ctx, np.array([item]), k)[0].similar


def products_batch(ctx: RecommendContext, items: np.ndarray, k: int = 10) -> list[ProductRecommendations]:
    """Both lists for a batch of item indices (one matrix pass for the 'similar' scores)."""
    score, cosine, matches = similarity_scores(ctx, items)
    return [
        ProductRecommendations(
            sku=str(ctx.skus[item]), title=ctx.title(item), orders=int(ctx.stats.pairs.item_baskets[item]),
            bought_together=bought_together(ctx, item, k),
            similar=_similar_row(ctx, item, score[row], cosine[row], [(v[row], label) for v, label in matches], k),
        )
        for row, item in enumerate(items)
    ]


def for_product(ctx: RecommendContext, item: int, k: int = 10) -> ProductRecommendations:
    return products_batch(ctx, np.array([item]), k)[0]
