"""Each occupation's most similar occupations, without holding the all-pairs matrix.

The occupation map and the career-path transition graph only read, per origin row, the
``k`` best destinations of :func:`~cartonet.orientation.similarity.similarity_matrix`.
On ESCO + ROME that matrix is 3,540² ``float32`` (48 MiB) and a server would keep it for
its whole life; :func:`similarity_neighbours` computes the same scores in blocks of
origin rows and keeps only each row's best ``k`` (a few hundred kB), so the two give the
same neighbours, scores and order: ``top_k(similarity_matrix(G)[i], k)`` equals
``similarity_neighbours(G, k).columns(i)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from cartonet.orientation.index import index_of
from cartonet.orientation.similarity import (
    PARTS,
    SimilarityWeights,
    keep_origin_mix,
    origin_scores_and_mix,
    put_mix,
    top_k,
)

BLOCK = 256
"""Origin rows scored at once (the block :func:`similarity_matrix` uses)."""
KEPT = 20
"""Neighbours kept per row at least, so the map (10) and the paths (15) share one pass."""


@dataclass(frozen=True)
class Neighbours:
    """Per origin row, the best destination rows (``-1`` past the last) and their
    scores as :func:`~cartonet.orientation.similarity.similarity_matrix` stores them
    (``float32``), best first, ties by row."""

    cols: np.ndarray  # (n, k) int32
    scores: np.ndarray  # (n, k) float32

    @property
    def k(self) -> int:
        return int(self.cols.shape[1])

    def row(self, i: int, k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(columns, scores as float64)`` of row ``i``'s best ``k`` (all kept if None)."""
        cols = self.cols[i, : self.k if k is None else k]
        keep = cols >= 0
        return cols[keep].astype(np.int64), self.scores[i, : len(keep)][keep].astype(np.float64)


def _compute(G: nx.MultiDiGraph, k: int, weights: SimilarityWeights) -> Neighbours:
    ix = index_of(G)
    n = len(ix.occupations)
    cols = np.full((n, k), -1, dtype=np.int32)
    scores = np.zeros((n, k), dtype=np.float32)
    # the same blocks give every origin's mixing weights (origin_mix, read by the
    # feeders): kept on the way, which saves the warm-up a second full pass
    mix = np.zeros((n, len(PARTS)))
    for start in range(0, n, BLOCK):
        rows = np.arange(start, min(start + BLOCK, n), dtype=np.int64)
        block, lam = origin_scores_and_mix(ix, rows, weights)
        put_mix(mix, rows, lam)
        block = block.astype(np.float32)
        for r, row in enumerate(rows.tolist()):
            values = block[r].astype(np.float64)
            best = top_k(values, k)
            cols[row, : len(best)] = best
            scores[row, : len(best)] = block[r, best]
    scores.setflags(write=False)
    cols.setflags(write=False)
    keep_origin_mix(ix, weights, mix)
    return Neighbours(cols, scores)


def similarity_neighbours(
    G: nx.MultiDiGraph, k: int, weights: SimilarityWeights | None = None
) -> Neighbours:
    """The ``k`` most similar destinations of every occupation, computed once per graph
    and weights (a request for fewer reuses a larger result: ``top_k`` order is total, so
    the best ``k`` are the first ``k`` of the best ``K``).

    Parameters
    ----------
    G : the orientation graph.
    k : neighbours wanted per row (at least :data:`KEPT` are computed).
    weights : similarity weights (defaults if None).

    Returns
    -------
    :class:`Neighbours` (read-only arrays).

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> G = demo_graph()
    >>> ix = index_of(G)
    >>> cols, _ = similarity_neighbours(G, 2).row(ix.occ_pos["demo:cook"], 2)
    >>> [ix.occupations[c] for c in cols]
    ['demo:pastry-cook', 'demo:kitchen-porter']
    """
    weights = weights or SimilarityWeights()
    ix = index_of(G)
    for key, found in list(ix.cache.items()):
        if (
            isinstance(key, tuple)
            and key[:1] == ("similarity_neighbours",)
            and key[2] == weights
            and key[1] >= k
        ):
            return found
    wanted = max(k, KEPT)
    return ix.once(("similarity_neighbours", wanted, weights), lambda: _compute(G, wanted, weights))
