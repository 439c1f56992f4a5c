"""Evaluation of the orientation rankings against known transitions (e.g. ROME mobilités,
observed moves).

Methods
-------
``method="similar"`` ranks with the occupation similarity
(:func:`~cartonet.orientation.similarity.similar_occupations`); ``method="suggest"`` ranks
with the product, :func:`~cartonet.orientation.transitions.suggest_transitions`, the source
occupation being the profile's current occupation (default weights, no constraint): every
part of the suggestion score counts, curated mobility included when the graph scored still
has it. ``method="feeders"`` reads the truth the other way: for every *target*, all
occupations are ranked as :func:`~cartonet.orientation.pilotage.feeder_occupations` ranks
them (``score(· → target)``, the similarity's column) and its known sources are what must
come first; "sources" in the figures are then the truth's targets.

Metrics
-------
A truth file lists pairs ``source,target``. For every source ``s`` with at least one
target known to the graph, all *other* occupations are ranked by ``score(s → ·)``, and with
``T_s`` its targets:

* ``recall@k(s) = |top_k(s) ∩ T_s| / |T_s|``; the reported **recall@k is the mean over
  sources** (macro average: each source counts once, whatever its number of targets);
* ``RR(s) = 1 / rank of the best-ranked target`` (ranks from 1); **MRR** is its mean over
  sources;
* ``nDCG@k(s) = DCG / IDCG`` with binary relevance, ``DCG = Σ 1 / log2(r + 1)`` over the
  ranks ``r ≤ k`` holding a target and ``IDCG`` the same sum for ``min(|T_s|, k)`` targets
  ranked first (Järvelin & Kekäläinen 2002); **nDCG@k** is its mean over sources;
* ``n`` is the number of sources evaluated.

Ties are broken by occupation id (rank order is deterministic). The same definitions and
the same sources are used for the baselines, computed in the same run:

* ``jaccard``: plain Jaccard index of the two occupations' required-skill sets
  (``|A ∩ B| / |A ∪ B|``, relevance and rarity ignored);
* ``idf_cosine``: cosine of the rarity-weighted (IDF) skill vectors;
* ``random``: a uniformly random ranking (seeded: same figures on every run).

No leakage
----------
The truth must not feed the ranking. Before indexing, :func:`evaluate` removes from a copy
of the graph (:func:`without_edges`) every edge that joins a truth pair, in either
direction and whatever its type, and every edge of the relationship types
``exclude_rels`` names (default ``MOBILITY``, the type of the usual truth, ROME mobilités;
``OBSERVED_MOBILITY`` when the truth is the observed moves, which keeps MOBILITY). The
report counts the removed edges per type, naming every excluded type (0 when the graph has
none: the observed moves of ``cartonet load lbb`` are stored apart and are not edges of the
orientation graph, and the evaluated suggestions get no ``observed`` argument, so they never
read them). Similarity itself never reads MOBILITY edges (the test suite checks that
adding or removing them does not change a single score); the suggestion does.

Held-out halves
---------------
Sources are split into two halves by the parity of ``crc32(source id)`` (stable across runs
and machines). The report gives the figures on each half as well: the default weights were
chosen on half ``a`` only, so half ``b`` shows how they do on sources they never saw.
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from cartonet.errors import DataError, InvalidArgument
from cartonet.orientation.index import OrientationIndex, index_of
from cartonet.orientation.profile import Profile, resolve
from cartonet.orientation.projection import MOBILITY
from cartonet.orientation.similarity import SimilarityWeights, cached_similarity_matrix
from cartonet.orientation.transitions import (
    TransitionWeights,
    combine_parts,
    excluded_rows,
    part_vectors,
    ranked,
)

RANDOM_SEED = 20240601
METHODS = ("similar", "suggest", "feeders")


@dataclass(frozen=True, slots=True)
class Metrics:
    n: int
    recall_at_k: float
    mrr: float
    ndcg_at_k: float = 0.0


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    n: int
    k: int
    recall_at_k: float
    mrr: float
    baselines: dict[str, Metrics]
    halves: dict[str, dict[str, Metrics]]  # "a" / "b" → method name → metrics
    pairs_read: int
    pairs_used: int
    pairs_skipped: int  # unknown ids, self-pairs, duplicates
    mobility_edges_removed: int
    weights: dict[str, float] = field(default_factory=dict)
    method: str = "similar"
    ndcg_at_k: float = 0.0
    edges_removed: dict[str, int] = field(default_factory=dict)  # relationship type → count

    def to_json(self) -> dict[str, Any]:
        """The report for ``--json``: camelCase keys, like every JSON the project prints."""

        def m(x: Metrics) -> dict[str, Any]:
            return {
                "n": x.n,
                "recallAtK": round(x.recall_at_k, 4),
                "mrr": round(x.mrr, 4),
                "ndcgAtK": round(x.ndcg_at_k, 4),
            }

        return {
            "method": self.method,
            "n": self.n,
            "k": self.k,
            "recallAtK": round(self.recall_at_k, 4),
            "mrr": round(self.mrr, 4),
            "ndcgAtK": round(self.ndcg_at_k, 4),
            "baselines": {camel_case(name): m(x) for name, x in self.baselines.items()},
            "halves": {
                h: {camel_case(name): m(x) for name, x in d.items()} for h, d in self.halves.items()
            },
            "pairs": {
                "read": self.pairs_read,
                "used": self.pairs_used,
                "skipped": self.pairs_skipped,
            },
            "mobilityEdgesRemoved": self.mobility_edges_removed,
            "edgesRemoved": dict(sorted(self.edges_removed.items())),
            "weights": {camel_case(k): v for k, v in self.weights.items()},
        }


def camel_case(name: str) -> str:
    """``sibling_credit`` → ``siblingCredit`` (JSON keys follow the API's names)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """Pairs of a ``source,target`` CSV file (header required, extra columns ignored).

    Raises :class:`DataError` (``file:line: reason``) for a missing header column or an
    empty id.
    """
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise DataError(
            str(path), None, f"cannot read the truth file: {exc.strerror or exc}"
        ) from exc
    with handle:
        reader = csv.DictReader(handle)
        fields = [f.strip() for f in reader.fieldnames or []]
        if "source" not in fields or "target" not in fields:
            raise DataError(
                str(path), 1, f"header must name 'source' and 'target' columns, got {fields}"
            )
        reader.fieldnames = fields
        pairs = []
        for row in reader:
            line = reader.line_num
            source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
            if not source or not target:
                raise DataError(str(path), line, "empty source or target id")
            pairs.append((source, target))
    return pairs


def without_mobility(G: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, int]:
    """A copy of ``G`` with no MOBILITY edge (and no stale index), and how many were removed.
    ``G`` itself is returned when it has none."""
    edges = [(u, v, key) for u, v, key in G.edges(keys=True) if key == MOBILITY]
    if not edges and G.graph.get("mobility_included") is False:
        return G, 0
    H = nx.MultiDiGraph()
    H.graph.update({k: v for k, v in G.graph.items() if not k.startswith("_")})
    H.graph["mobility_included"] = False
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(
        (u, v, key, d) for u, v, key, d in G.edges(keys=True, data=True) if key != MOBILITY
    )
    return H, len(edges)


def without_edges(
    G: nx.MultiDiGraph, pairs: list[tuple[str, str]], exclude_rels: Collection[str] = (MOBILITY,)
) -> tuple[nx.MultiDiGraph, dict[str, int]]:
    """A copy of ``G`` without the edges that would leak the truth ``pairs``, and how many
    edges of each relationship type were removed.

    Removed: every edge ``u → v`` with ``(u, v)`` or ``(v, u)`` a pair, whatever its type,
    and every edge whose type is in ``exclude_rels`` (each counted, 0 when absent). The
    copy has no stale index; its ``mobility_included`` flag is ``False`` when MOBILITY is
    excluded.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> pairs = [("demo:cook", "demo:kitchen-porter")]  # a MOBILITY edge joins them backwards
    >>> H, removed = without_edges(demo_graph(), pairs, exclude_rels=())
    >>> H.has_edge("demo:kitchen-porter", "demo:cook"), removed
    (False, {'MOBILITY': 1})
    """
    joined = {(u, v) for u, v in pairs} | {(v, u) for u, v in pairs}
    rels = set(exclude_rels)
    removed: dict[str, int] = dict.fromkeys(sorted(rels), 0)
    kept = []
    for u, v, key, d in G.edges(keys=True, data=True):
        if key in rels or (u, v) in joined:
            removed[str(key)] = removed.get(str(key), 0) + 1
        else:
            kept.append((u, v, key, d))
    H = nx.MultiDiGraph()
    H.graph.update({k: v for k, v in G.graph.items() if not k.startswith("_")})
    if MOBILITY in rels:
        H.graph["mobility_included"] = False
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(kept)
    return H, removed


def truth_sets(
    ix: OrientationIndex, pairs: list[tuple[str, str]]
) -> tuple[dict[int, set[int]], int]:
    """Rows of each source → rows of its targets, keeping known, distinct occupations."""
    truth: dict[int, set[int]] = {}
    used = 0
    for source, target in pairs:
        s, t = ix.occ_pos.get(source), ix.occ_pos.get(target)
        if s is None or t is None or s == t or t in truth.get(s, ()):
            continue
        truth.setdefault(s, set()).add(t)
        used += 1
    return truth, used


def metrics(
    scores: np.ndarray, truth: Mapping[int, set[int]], k: int, sources: list[int]
) -> Metrics:
    """recall@k and MRR (see the module docstring) of the rows of ``scores`` for ``sources``.

    ``scores[s, j]`` ranks candidate ``j`` for source ``s`` (higher first, NaN never);
    the source itself is always left out.
    """
    if not sources:
        return Metrics(0, 0.0, 0.0)
    n = scores.shape[1]
    recalls, rrs, ndcgs = [], [], []
    discount = 1.0 / np.log2(np.arange(2, k + 2))  # rank r (from 1) → 1 / log2(r + 1)
    ids = np.arange(n)
    for s in sources:
        row = np.array(scores[s], dtype=np.float64)
        row[s] = np.nan
        row = np.where(np.isnan(row), -np.inf, row)
        order = np.lexsort((ids, -row))
        order = order[order != s]
        targets = truth[s]
        top = set(order[:k].tolist())
        recalls.append(len(top & targets) / len(targets))
        position = np.flatnonzero(np.isin(order, list(targets)))
        rrs.append(1.0 / (position[0] + 1) if len(position) else 0.0)
        hits = position[position < k]
        ndcgs.append(float(discount[hits].sum() / discount[: min(len(targets), k)].sum()))
    return Metrics(
        len(sources), float(np.mean(recalls)), float(np.mean(rrs)), float(np.mean(ndcgs))
    )


def jaccard_matrix(ix: OrientationIndex) -> np.ndarray:
    """Plain Jaccard of required-skill sets, all pairs."""
    H = ix.has_skill
    inter = (H @ H.T).toarray()
    size = np.asarray(H.sum(axis=1)).ravel()
    union = size[:, None] + size[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def idf_cosine_matrix(ix: OrientationIndex) -> np.ndarray:
    """Cosine of IDF-weighted binary skill vectors, all pairs."""
    W = ix.has_skill.multiply(ix.idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(W.multiply(W).sum(axis=1)).ravel())
    dots = (W @ W.T).toarray()
    den = norms[:, None] * norms[None, :]
    return np.divide(dots, den, out=np.zeros_like(dots), where=den > 0)


def random_matrix(n: int, seed: int = RANDOM_SEED) -> np.ndarray:
    return np.random.default_rng(seed).random((n, n))


def half_of(source_id: str) -> str:
    return "a" if zlib.crc32(source_id.encode("utf-8")) % 2 == 0 else "b"


def suggest_matrix(G: nx.MultiDiGraph, sources: Collection[int]) -> np.ndarray:
    """Rows ``sources`` ranked as :func:`~cartonet.orientation.transitions.suggest_transitions`
    ranks them for a profile holding only that occupation (score, then training gap, then
    row): ``n - position`` in that order; occupations it never suggests, and rows not in
    ``sources``, are NaN."""
    ix = index_of(G)
    n = len(ix.occupations)
    weights = TransitionWeights()
    out = np.full((n, n), np.nan)
    for s in sources:
        rp = resolve(G, Profile(current_occupations=(ix.occupations[s],)))
        parts = part_vectors(G, rp, weights, None)
        score = combine_parts(parts, weights)
        order = list(ranked(score, parts.gap_cost, np.flatnonzero(~excluded_rows(ix, rp)), n))
        out[s, order] = n - np.arange(len(order), dtype=np.float64)
    return out


def evaluate(
    G: nx.MultiDiGraph,
    pairs: list[tuple[str, str]],
    k: int = 10,
    weights: SimilarityWeights | None = None,
    scorer: Callable[[nx.MultiDiGraph], np.ndarray] | None = None,
    method: str = "similar",
    exclude_rels: Collection[str] = (MOBILITY,),
) -> EvaluationReport:
    """Score the ranking of ``method`` against ``pairs`` (see the module docstring for the
    methods, the metrics and the leakage guard).

    Parameters
    ----------
    G:
        The orientation graph; the edges leaking the truth are removed from a copy before
        scoring (:func:`without_edges`).
    pairs:
        ``(source id, target id)`` pairs (:func:`read_pairs`).
    k:
        Cut-off of recall@k (1 to 500).
    weights:
        Similarity weights (default: :class:`SimilarityWeights`).
    scorer:
        All-pairs scores to evaluate instead of the method (for ablations).
    method:
        ``"similar"`` (the similarity), ``"suggest"`` (the suggestions) or ``"feeders"``
        (the similarity read from each target back to its sources).
    exclude_rels:
        Relationship types removed entirely before scoring (default ``MOBILITY``).

    Returns
    -------
    :class:`EvaluationReport` with the method's figures, the baselines', and both halves'.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> r = evaluate(demo_graph(), [("demo:cook", "demo:pastry-cook")], k=1)
    >>> (r.n, r.recall_at_k, r.mrr)
    (1, 1.0, 1.0)
    """
    if not isinstance(k, int) or not 1 <= k <= 500:
        raise InvalidArgument("k", f"must be between 1 and 500, got {k!r}")
    if method not in METHODS:
        raise InvalidArgument("method", f"must be one of {', '.join(METHODS)}, got {method!r}")
    weights = weights or SimilarityWeights()
    clean, removed = without_edges(G, pairs, exclude_rels)
    ix = index_of(clean)
    if method == "feeders":  # each target's known sources are what its feeders must find
        pairs = [(target, source) for source, target in pairs]
    truth, used = truth_sets(ix, pairs)
    sources = sorted(truth)
    if scorer:
        scores = scorer(clean)
    elif method == "suggest":
        scores = suggest_matrix(clean, sources)
    elif method == "feeders":  # row t: score(· → t), the column feeder_occupations ranks
        scores = cached_similarity_matrix(clean, weights).T
    else:  # cached on the graph's index: a diagnosis of the same graph reuses it
        scores = cached_similarity_matrix(clean, weights)
    n = len(ix.occupations)
    rankings = {
        "method": scores,
        "jaccard": jaccard_matrix(ix),
        "idf_cosine": idf_cosine_matrix(ix),
        "random": random_matrix(n),
    }
    results = {name: metrics(m, truth, k, sources) for name, m in rankings.items()}
    halves = {
        h: {
            name: metrics(m, truth, k, [s for s in sources if half_of(ix.occupations[s]) == h])
            for name, m in rankings.items()
        }
        for h in ("a", "b")
    }
    main = results.pop("method")
    return EvaluationReport(
        n=main.n,
        k=k,
        recall_at_k=main.recall_at_k,
        mrr=main.mrr,
        ndcg_at_k=main.ndcg_at_k,
        baselines=results,
        halves=halves,
        pairs_read=len(pairs),
        pairs_used=used,
        pairs_skipped=len(pairs) - used,
        mobility_edges_removed=removed.get(MOBILITY, 0),
        weights=asdict(weights),
        method=method,
        edges_removed=removed,
    )
