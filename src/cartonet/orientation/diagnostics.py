"""Where a similarity misses known transitions, and how far ranking alone could go.

:func:`diagnose` reads the same truth pairs as :func:`~cartonet.orientation.evaluate.evaluate`
and explains its recall@k instead of summarising it:

* **by distance**: each pair is put in one class by the occupation groups the two
  occupations share (BROADER ancestors in the graph): ``same parent group`` (a direct parent
  in common, e.g. the same ROME domaine or ESCO ISCO unit), ``same wider group`` (only a
  higher ancestor in common, e.g. the same ROME grand domaine), or ``no shared group``. For
  each class: how many pairs, recall@k, and how the targets' ranks spread over bins. A
  similarity built on shared content finds near moves and loses far ones; this shows how
  much of the truth is far.
* **missed destinations**: the occupations most often named as a target yet ranked beyond
  ``k``, with how many sources name them and their median rank. A destination many unrelated
  sources lead to (a vocational trainer, a sales representative) is a change of *function*
  that no content overlap can find.
* **popularity ceiling**: recall@k if every source's scores were shifted by
  ``w · σ_s · ln(1 + in_degree(t))``, where ``in_degree(t)`` counts the sources naming ``t``
  *in the truth itself* and ``σ_s`` is the spread of the source's scores; the best ``w`` of a
  small grid is reported. It reads the answers, so it is not a method: it is an upper bound
  on what a perfect "popular destination" prior could add to the similarity.

MOBILITY edges are removed before scoring, as in the evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from cartonet.errors import InvalidArgument
from cartonet.orientation.evaluate import metrics, truth_sets, without_mobility
from cartonet.orientation.index import OrientationIndex, ancestors, index_of
from cartonet.orientation.similarity import SimilarityWeights, cached_similarity_matrix

DISTANCES: tuple[str, ...] = ("same parent group", "same wider group", "no shared group")
PRIOR_WEIGHTS: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


@dataclass(frozen=True, slots=True)
class DistanceClass:
    name: str
    pairs: int
    recall_at_k: float  # share of this class's pairs ranked within k (micro)
    rank_bins: dict[str, int]  # "1-10", "11-20", "21-50", "51-100", ">100" → pairs


@dataclass(frozen=True, slots=True)
class MissedDestination:
    occupation: str
    label: str
    sources: int  # sources naming it as a target
    missed: int  # of those, how many rank it beyond k
    median_rank: float


@dataclass(frozen=True, slots=True)
class Diagnostics:
    k: int
    n: int
    recall_at_k: float
    by_distance: list[DistanceClass]
    missed_destinations: list[MissedDestination]
    ceiling_recall_at_k: float
    ceiling_weight: float

    def to_json(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "n": self.n,
            "recallAtK": round(self.recall_at_k, 4),
            "byDistance": [
                {
                    "distance": c.name,
                    "pairs": c.pairs,
                    "recallAtK": round(c.recall_at_k, 4),
                    "rankBins": c.rank_bins,
                }
                for c in self.by_distance
            ],
            "missedDestinations": [
                {
                    "occupation": m.occupation,
                    "label": m.label,
                    "sources": m.sources,
                    "missed": m.missed,
                    "medianRank": m.median_rank,
                }
                for m in self.missed_destinations
            ],
            "popularityCeiling": {
                "recallAtK": round(self.ceiling_recall_at_k, 4),
                "weight": self.ceiling_weight,
                "note": "reads the truth's in-degrees: an upper bound, not a method",
            },
        }


def ranks_of(scores: np.ndarray, sources: list[int]) -> np.ndarray:
    """``ranks[i, j]``: rank (from 1) of candidate ``j`` for ``sources[i]``, ties by index,
    as :func:`~cartonet.orientation.evaluate.metrics` ranks them; the source itself last."""
    n = scores.shape[1]
    ids = np.arange(n)
    out = np.empty((len(sources), n), dtype=np.int64)
    for i, s in enumerate(sources):
        row = np.where(np.isnan(scores[s]), -np.inf, scores[s].astype(np.float64))
        row[s] = -np.inf
        order = np.lexsort((ids, -row))
        order = np.concatenate([order[order != s], [s]])
        out[i, order] = np.arange(1, n + 1)
    return out


def _distance(parents: list[set[str]], anc: list[set[str]], s: int, t: int) -> str:
    if parents[s] & parents[t]:
        return DISTANCES[0]
    if anc[s] & anc[t]:
        return DISTANCES[1]
    return DISTANCES[2]


def _bins(k: int) -> list[tuple[str, int, int]]:
    edges = sorted({k, 2 * k, max(50, 2 * k + 1), max(100, 2 * k + 2)})
    out, low = [], 1
    for high in edges:
        out.append((f"{low}-{high}", low, high))
        low = high + 1
    out.append((f">{edges[-1]}", low, 10**9))
    return out


def diagnose(
    G: nx.MultiDiGraph,
    pairs: list[tuple[str, str]],
    k: int = 10,
    weights: SimilarityWeights | None = None,
    top: int = 10,
    scorer: Callable[[nx.MultiDiGraph], np.ndarray] | None = None,
) -> Diagnostics:
    """Explain the recall@k of the similarity on ``pairs`` (see the module docstring).

    Parameters
    ----------
    G:
        The orientation graph; MOBILITY edges are removed from a copy before scoring.
    pairs:
        ``(source id, target id)`` pairs.
    k:
        Cut-off (1 to 500).
    weights:
        Similarity weights (default: :class:`SimilarityWeights`).
    top:
        How many missed destinations to list.
    scorer:
        All-pairs scores to diagnose instead of the similarity.

    Returns
    -------
    :class:`Diagnostics`.

    Raises
    ------
    InvalidArgument
        ``k`` out of range, or no pair names two occupations of ``G``.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> d = diagnose(demo_graph(), [("demo:cook", "demo:pastry-cook")], k=1)
    >>> (d.n, d.recall_at_k, d.by_distance[0].pairs + d.by_distance[1].pairs
    ...  + d.by_distance[2].pairs)
    (1, 1.0, 1)
    """
    if not isinstance(k, int) or not 1 <= k <= 500:
        raise InvalidArgument("k", f"must be between 1 and 500, got {k!r}")
    clean, _ = without_mobility(G)
    ix = index_of(clean)
    truth, _ = truth_sets(ix, pairs)
    if not truth:
        raise InvalidArgument("pairs", "no pair names two occupations of this graph")
    sources = sorted(truth)
    scores = (
        scorer(clean) if scorer else cached_similarity_matrix(clean, weights or SimilarityWeights())
    )
    ranked = _Ranked(clean, ix, truth, sources, ranks_of(scores, sources), k)
    return Diagnostics(
        k=k,
        n=len(sources),
        recall_at_k=metrics(scores, truth, k, sources).recall_at_k,
        by_distance=_by_distance(ranked),
        missed_destinations=_missed(ranked, top),
        **_ceiling(scores, truth, sources, k),
    )


@dataclass(frozen=True, slots=True)
class _Ranked:
    """The truth and where the scores put each target: what the explanations read."""

    G: nx.MultiDiGraph
    ix: OrientationIndex
    truth: Mapping[int, set[int]]
    sources: list[int]
    ranks: np.ndarray  # row i: ranks of every candidate for sources[i]
    k: int


def _by_distance(r: _Ranked) -> list[DistanceClass]:
    G, ix, truth, sources, ranks, k = r.G, r.ix, r.truth, r.sources, r.ranks, r.k
    rows_needed = set(sources) | {t for s in sources for t in truth[s]}
    parents: list[set[str]] = [set() for _ in ix.occupations]
    anc: list[set[str]] = [set() for _ in ix.occupations]
    for r in rows_needed:
        o = ix.occupations[r]
        parents[r] = {p for _, p, key in G.out_edges(o, keys=True) if key == "BROADER"}
        anc[r] = set(ancestors(G, o))
    bins = _bins(k)
    counts = {d: {label: 0 for label, _, _ in bins} for d in DISTANCES}
    hits = dict.fromkeys(DISTANCES, 0)
    totals = dict.fromkeys(DISTANCES, 0)
    for i, s in enumerate(sources):
        for t in truth[s]:
            d = _distance(parents, anc, s, t)
            rank = int(ranks[i, t])
            totals[d] += 1
            hits[d] += rank <= k
            for label, low, high in bins:
                if low <= rank <= high:
                    counts[d][label] += 1
                    break
    return [
        DistanceClass(d, totals[d], hits[d] / totals[d] if totals[d] else 0.0, counts[d])
        for d in DISTANCES
    ]


def _missed(r: _Ranked, top: int) -> list[MissedDestination]:
    G, ix, truth, sources, ranks, k = r.G, r.ix, r.truth, r.sources, r.ranks, r.k
    by_target: dict[int, list[int]] = {}
    for i, s in enumerate(sources):
        for t in truth[s]:
            by_target.setdefault(t, []).append(int(ranks[i, t]))
    ordered = sorted(
        by_target.items(),
        key=lambda item: (-sum(r > k for r in item[1]), ix.occupations[item[0]]),
    )
    out = []
    for t, rs in ordered[:top]:
        missed = sum(r > k for r in rs)
        if missed == 0:
            break
        node = ix.node(G, ix.occupations[t])
        out.append(
            MissedDestination(
                occupation=ix.occupations[t],
                label=node.label("fr") or ix.occupations[t],
                sources=len(rs),
                missed=missed,
                median_rank=float(np.median(rs)),
            )
        )
    return out


def _ceiling(
    scores: np.ndarray, truth: Mapping[int, set[int]], sources: list[int], k: int
) -> dict[str, float]:
    n = scores.shape[1]
    in_degree = np.zeros(n)
    for s in sources:
        for t in truth[s]:
            in_degree[t] += 1
    prior = np.log1p(in_degree)[None, :]
    base = np.array(scores, dtype=np.float64)
    spread = np.nanstd(np.where(np.isfinite(base), base, np.nan), axis=1, keepdims=True)
    spread = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
    best_w, best = 0.0, metrics(base, truth, k, sources).recall_at_k
    for w in PRIOR_WEIGHTS:
        r = metrics(base + w * spread * prior, truth, k, sources).recall_at_k
        if r > best:
            best_w, best = w, r
    return {"ceiling_recall_at_k": best, "ceiling_weight": best_w}
