"""Store-free: pair statistics from baskets: support, confidence, lift and item-to-item cosine.

For items i and j over N baskets, with n_i baskets holding i and n_ij holding both:
support = n_ij / N, confidence(i -> j) = n_ij / n_i, lift = n_ij * N / (n_i * n_j)
("bought together 4.2x more often than if the two were bought independently").
Everything is one sparse product X^T X, so half a million lines take well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from merchant_ai.services.recommend.baskets import Baskets


@dataclass
class PairStats:
    together: sparse.csr_matrix    # items x items: baskets holding both (diagonal removed)
    item_baskets: np.ndarray       # baskets holding each item
    n_baskets: int

    def count(self, i: int, j: int) -> int:
        return int(self.together[i, j])

    def support(self, i: int, j: int) -> float:
        return self.count(i, j) / self.n_baskets if self.n_baskets else 0.0

    def confidence(self, i: int, j: int) -> float:
        n_i = self.item_baskets[i]
        return self.count(i, j) / n_i if n_i else 0.0

    def lift(self, i: int, j: int) -> float:
        n_i, n_j = self.item_baskets[i], self.item_baskets[j]
        return self.count(i, j) * self.n_baskets / (n_i * n_j) if n_i and n_j else 0.0

    def confidence_matrix(self) -> sparse.csr_matrix:
        """Row i holds confidence(i -> j) for every j bought with i."""
        inverse = np.divide(1.0, self.item_baskets, out=np.zeros(len(self.item_baskets)),
                            where=self.item_baskets > 0)
        return sparse.diags(inverse) @ self.together

    def lift_matrix(self) -> sparse.csr_matrix:
        inverse = np.divide(1.0, self.item_baskets, out=np.zeros(len(self.item_baskets)),
                            where=self.item_baskets > 0)
        scale = sparse.diags(inverse)
        return (scale @ self.together @ scale * self.n_baskets).tocsr()


def without_diagonal(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(matrix)
    matrix.setdiag(0)
    matrix.eliminate_zeros()
    return matrix


def pair_stats(baskets: Baskets, orders: np.ndarray | None = None) -> PairStats:
    """Pair counts over all baskets, or over the baskets with the given row indices."""
    x = baskets.orders if orders is None else baskets.orders[orders]
    x = x.astype(np.float32)
    together = without_diagonal(x.T @ x)
    return PairStats(together=together, item_baskets=np.asarray(x.sum(axis=0)).ravel(),
                     n_baskets=x.shape[0])


def buyer_items(baskets: Baskets) -> sparse.csr_matrix:
    """Buyers x items (1 = bought): known customers, plus each guest order as its own buyer."""
    customers = baskets.customer_items()
    customers.data[:] = 1.0
    guests = baskets.orders[np.flatnonzero(baskets.order_customer < 0)]
    return sparse.vstack([customers, guests]).tocsr()


def cosine_similarity(baskets: Baskets) -> sparse.csr_matrix:
    """Item-to-item cosine over buyers: shared buyers / sqrt(buyers_i * buyers_j)."""
    x = buyer_items(baskets).astype(np.float32)
    shared = without_diagonal(x.T @ x)
    norms = np.sqrt(np.asarray(x.sum(axis=0)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    scale = sparse.diags(inverse)
    return (scale @ shared @ scale).tocsr()


def evidence_words(count: int, lift: float) -> str:
    """The pair's evidence in one plain phrase."""
    orders = "order" if count == 1 else "orders"
    return f"bought together in {count} {orders}; {lift:.1f}x more often than chance"
