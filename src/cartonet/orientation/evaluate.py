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
of the graph (:func:`without_edges`) every edge of the relationship types ``exclude_rels``
names (default ``MOBILITY``, the type of the usual truth, ROME mobilités;
``OBSERVED_MOBILITY`` when the truth is the observed moves, which keeps MOBILITY): the
truth's own source is gone entirely. That is the default ``leakage="type"`` rule. Evidence
from an *independent* source (curated mobilities when the truth is the observed moves, the
observed moves when it is the curated ones) stays, as it would in service. The stricter
``leakage="pairs"`` rule also removes every edge that joins a truth pair, in either
direction and whatever its type (and the observed moves joining one); it is kept as a
check, but it is biased low rather than merely strict: what remains of the other source
then points *only* away from the truth, so a method that trusts it is penalised for the
very pairs it would have found (docs/algorithms.md gives the figures). The report counts
the removed edges per type, naming every excluded type. The observed moves of ``cartonet
load lbb`` are stored apart, not as edges: the suggestions read them through ``observed``
(merged over the areas, a global prior), which is left out when ``OBSERVED_MOBILITY`` is
excluded. Similarity itself never reads MOBILITY edges (the test suite checks that adding
or removing them does not change a single score); the suggestion does.

Cross-truth protocol
--------------------
:func:`tune` chooses weights on one truth (a small grid, best recall@k) and
:func:`evaluate` reports them on another, so no figure is measured on the set its weights
were chosen on; run both ways. :func:`evaluate_by_area` holds out one employment area at a
time: an area's observed moves are predicted from the graph and the other areas'
observations only.

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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from cartonet.errors import DataError, InvalidArgument
from cartonet.orientation.index import OrientationIndex, index_of
from cartonet.orientation.profile import Profile, resolve
from cartonet.orientation.projection import MOBILITY
from cartonet.orientation.similarity import (
    SimilarityWeights,
    cached_similarity_matrix,
    similarity_matrix,
)
from cartonet.orientation.transitions import (
    PartVectors,
    TransitionWeights,
    combine_parts,
    excluded_rows,
    part_vectors,
    ranked,
)

RANDOM_SEED = 20240601
METHODS = ("similar", "suggest", "feeders")
LEAKAGE_RULES = ("type", "pairs")
OBSERVED = "OBSERVED_MOBILITY"
"""The name ``exclude_rels`` gives the observed moves (stored apart, not graph edges)."""


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
    leakage: str = "type"
    tuned_on: dict[str, Any] | None = None  # the truth the weights were chosen on, and how

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
            "leakage": self.leakage,
            **({"tunedOn": self.tuned_on} if self.tuned_on is not None else {}),
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


def read_area_pairs(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Pairs of a ``source,target,area`` CSV file by area (``lbb_observed_pairs.py
    --by-area``); :class:`DataError` (``file:line: reason``) without an ``area`` column or
    with an empty area."""
    pairs = read_pairs(path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip() for f in reader.fieldnames or []]
        if "area" not in fields:
            raise DataError(str(path), 1, f"--by-area needs an 'area' column, got {fields}")
        reader.fieldnames = fields
        out: dict[str, list[tuple[str, str]]] = {}
        for pair, row in zip(pairs, reader, strict=True):
            area = (row.get("area") or "").strip()
            if not area:
                raise DataError(str(path), reader.line_num, "empty area")
            out.setdefault(area, []).append(pair)
    return out


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
        recall, rr, ndcg = _source_metrics(scores[s], s, truth[s], k, discount, ids)
        recalls.append(recall)
        rrs.append(rr)
        ndcgs.append(ndcg)
    return Metrics(
        len(sources), float(np.mean(recalls)), float(np.mean(rrs)), float(np.mean(ndcgs))
    )


def _source_metrics(
    scores: np.ndarray,
    s: int,
    targets: set[int],
    k: int,
    discount: np.ndarray,
    ids: np.ndarray,
) -> tuple[float, float, float]:
    """recall@k, reciprocal rank and nDCG@k of one source's row of scores."""
    row = np.array(scores, dtype=np.float64)
    row[s] = np.nan
    row = np.where(np.isnan(row), -np.inf, row)
    order = np.lexsort((ids, -row))
    order = order[order != s]
    top = set(order[:k].tolist())
    position = np.flatnonzero(np.isin(order, list(targets)))
    hits = position[position < k]
    return (
        len(top & targets) / len(targets),
        1.0 / (position[0] + 1) if len(position) else 0.0,
        float(discount[hits].sum() / discount[: min(len(targets), k)].sum()),
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


def suggest_parts(
    G: nx.MultiDiGraph,
    sources: Collection[int],
    observed: Mapping[str, Mapping[str, float]] | None = None,
    weights: TransitionWeights | None = None,
) -> dict[int, tuple[PartVectors, np.ndarray]]:
    """For each source row, the suggestion parts of a profile holding only that occupation
    (``observed``: the moves the ``local_mobility`` part reads) and its excluded rows.
    Only ``weights``' structural parameters matter here (η, α, the affinity gate, whether
    similarity is on): part weights are applied by :func:`suggest_scores`."""
    ix = index_of(G)
    weights = weights or TransitionWeights()
    out = {}
    for s in sources:
        rp = resolve(G, Profile(current_occupations=(ix.occupations[s],)))
        out[s] = (part_vectors(G, rp, weights, observed), excluded_rows(ix, rp))
    return out


def suggest_scores(
    parts: Mapping[int, tuple[PartVectors, np.ndarray]], n: int, weights: TransitionWeights
) -> np.ndarray:
    """Rows of ``parts`` ranked as :func:`~cartonet.orientation.transitions.suggest_transitions`
    ranks them (score, then training gap, then row): ``n - position`` in that order;
    occupations it never suggests, and other rows, are NaN."""
    out = np.full((n, n), np.nan)
    for s, (pv, excluded) in parts.items():
        out[s] = ranked_row(combine_parts(pv, weights), pv.gap_cost, excluded, n)
    return out


def ranked_row(score: np.ndarray, gap_cost: np.ndarray, excluded: np.ndarray, n: int) -> np.ndarray:
    """One row ranked as the suggestions rank it (score, then training gap, then row):
    ``n - position`` in that order, NaN for the rows never suggested."""
    row = np.full(n, np.nan)
    order = list(ranked(score, gap_cost, np.flatnonzero(~excluded), n))
    row[order] = n - np.arange(len(order), dtype=np.float64)
    return row


def suggest_matrix(
    G: nx.MultiDiGraph,
    sources: Collection[int],
    weights: TransitionWeights | None = None,
    observed: Mapping[str, Mapping[str, float]] | None = None,
) -> np.ndarray:
    """Rows ``sources`` ranked as :func:`~cartonet.orientation.transitions.suggest_transitions`
    ranks them for a profile holding only that occupation (:func:`suggest_scores`)."""
    weights = weights or TransitionWeights()
    parts = suggest_parts(G, sources, observed, weights)
    return suggest_scores(parts, len(index_of(G).occupations), weights)


def observed_without(
    observed: Mapping[str, Mapping[str, float]], pairs: Collection[tuple[str, str]]
) -> tuple[dict[str, dict[str, float]], int]:
    """``observed`` without the moves joining a pair (either direction), and how many."""
    joined = {(u, v) for u, v in pairs} | {(v, u) for u, v in pairs}
    kept: dict[str, dict[str, float]] = {}
    removed = 0
    for start, ends in observed.items():
        for end, score in ends.items():
            if (start, end) in joined:
                removed += 1
            else:
                kept.setdefault(start, {})[end] = score
    return kept, removed


def without_leakage(
    G: nx.MultiDiGraph,
    pairs: list[tuple[str, str]],
    exclude_rels: Collection[str],
    leakage: str,
    observed: Mapping[str, Mapping[str, float]] | None,
) -> tuple[nx.MultiDiGraph, dict[str, int], Mapping[str, Mapping[str, float]] | None]:
    """The graph and observed moves left once the truth ``pairs``' leakage is removed under
    ``leakage`` (see the module docstring), and the removed counts per type: ``observed`` is
    dropped when ``OBSERVED_MOBILITY`` is excluded, and loses the moves joining a pair under
    ``"pairs"`` (counted as ``OBSERVED_MOBILITY``)."""
    clean, removed = without_edges(G, pairs if leakage == "pairs" else [], exclude_rels)
    if observed is not None and OBSERVED in exclude_rels:
        observed = None
    elif observed is not None and leakage == "pairs":
        observed, dropped = observed_without(observed, pairs)
        removed[OBSERVED] = removed.get(OBSERVED, 0) + dropped
    return clean, removed, observed


def evaluate(
    G: nx.MultiDiGraph,
    pairs: list[tuple[str, str]],
    k: int = 10,
    weights: SimilarityWeights | None = None,
    scorer: Callable[[nx.MultiDiGraph], np.ndarray] | None = None,
    method: str = "similar",
    exclude_rels: Collection[str] = (MOBILITY,),
    leakage: str = "type",
    observed: Mapping[str, Mapping[str, float]] | None = None,
    transition_weights: TransitionWeights | None = None,
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
        Relationship types removed entirely before scoring (default ``MOBILITY``;
        ``OBSERVED_MOBILITY`` leaves ``observed`` out).
    leakage:
        ``"type"`` (default: only ``exclude_rels`` go) or ``"pairs"`` (also every edge and
        observed move joining a truth pair); see the module docstring.
    observed:
        Observed moves merged over areas (start id → end id → score), read by the
        suggestions' ``observed_mobility`` part as a global prior.
    transition_weights:
        Suggestion weights (default: :class:`TransitionWeights`).

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
    if leakage not in LEAKAGE_RULES:
        raise InvalidArgument(
            "leakage", f"must be one of {', '.join(LEAKAGE_RULES)}, got {leakage!r}"
        )
    weights = weights or SimilarityWeights()
    tw = transition_weights or TransitionWeights()
    clean, removed, observed = without_leakage(G, pairs, exclude_rels, leakage, observed)
    ix = index_of(clean)
    if method == "feeders":  # each target's known sources are what its feeders must find
        pairs = [(target, source) for source, target in pairs]
    truth, used = truth_sets(ix, pairs)
    sources = sorted(truth)
    if scorer:
        scores = scorer(clean)
    elif method == "suggest":
        scores = suggest_matrix(clean, sources, tw, observed)
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
        weights=tw.as_dict() if method == "suggest" else asdict(weights),
        method=method,
        edges_removed=removed,
        leakage=leakage,
    )


SIMILARITY_GRID: dict[str, tuple[float, ...]] = {
    "title": (0.5, 1.0, 2.0),
    "content": (0.5, 1.5, 3.0),
    "group": (0.0, 0.4, 1.0),
    "feasibility": (0.1, 0.5),
}
"""Similarity weights :func:`tune` tries (skill fixed at 1, interest at its default)."""
SUGGEST_GRID: dict[str, tuple[float, ...]] = {
    "similarity": (0.5, 1.0, 2.0),
    "moves": (0.0, 0.1, 0.2, 0.4),
}
"""Suggestion weights :func:`tune` tries: the similarity part, and one weight for both kinds
of known move (``mobility`` and ``observed_mobility``): a truth built from one kind can only
choose the weight of the other, so they are chosen together. The weights that keep the
suggestions sound for a counsellor (skill fit, affinity, gap, feasibility) stay fixed, and
the similarity stays at most 4 times the skill fit, so that a seeker's interests and likes
still move the suggestions of someone who names a job."""


def _grid(names: Mapping[str, tuple[float, ...]]) -> list[dict[str, float]]:
    out: list[dict[str, float]] = [{}]
    for name, values in names.items():
        out = [{**d, name: v} for d in out for v in values]
    return out


def tune(
    G: nx.MultiDiGraph,
    pairs: list[tuple[str, str]],
    k: int = 10,
    method: str = "similar",
    exclude_rels: Collection[str] = (MOBILITY,),
    leakage: str = "type",
    observed: Mapping[str, Mapping[str, float]] | None = None,
) -> tuple[SimilarityWeights | TransitionWeights, dict[str, Any]]:
    """Weights chosen on the truth ``pairs``: the setting of :data:`SIMILARITY_GRID`
    (``method="similar"``) or :data:`SUGGEST_GRID` (``"suggest"``) with the best recall@k
    (ties: the first in grid order, so the choice is deterministic), the truth's leakage
    removed as in :func:`evaluate`. Returns the weights and what the choice saw (settings
    tried, best recall@k and MRR on this truth) for the report.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> w, seen = tune(demo_graph(), [("demo:cook", "demo:pastry-cook")], k=1)
    >>> seen["settings"], seen["recallAtK"]
    (54, 1.0)
    """
    if method not in ("similar", "suggest"):
        raise InvalidArgument("method", f"tuning takes similar or suggest, got {method!r}")
    clean, _, observed = without_leakage(G, pairs, exclude_rels, leakage, observed)
    ix = index_of(clean)
    truth, _ = truth_sets(ix, pairs)
    sources = sorted(truth)
    if not sources:
        raise InvalidArgument("tune_on", "no pair names two occupations of this store")
    best: tuple[float, float, Any] | None = None
    if method == "similar":
        settings = _grid(SIMILARITY_GRID)
        for d in settings:
            w = SimilarityWeights().with_(**d)
            m = metrics(similarity_matrix(clean, w), truth, k, sources)
            if best is None or m.recall_at_k > best[0]:
                best = (m.recall_at_k, m.mrr, w)
    else:
        settings = _grid(SUGGEST_GRID)
        parts = suggest_parts(clean, sources, observed)
        n = len(ix.occupations)
        for d in settings:
            tw = replace(
                TransitionWeights(),
                similarity=d["similarity"],
                mobility=d["moves"],
                observed_mobility=d["moves"],
            )
            m = metrics(suggest_scores(parts, n, tw), truth, k, sources)
            if best is None or m.recall_at_k > best[0]:
                best = (m.recall_at_k, m.mrr, tw)
    assert best is not None
    seen = {
        "settings": len(settings),
        "n": len(sources),
        "recallAtK": round(best[0], 4),
        "mrr": round(best[1], 4),
    }
    return best[2], seen


def evaluate_by_area(
    G: nx.MultiDiGraph,
    area_pairs: Mapping[str, list[tuple[str, str]]],
    area_moves: Mapping[str, Mapping[str, Mapping[str, float]]],
    k: int = 10,
    weights: TransitionWeights | None = None,
    exclude_rels: Collection[str] = (),
) -> dict[str, Metrics]:
    """Per-area hold-out of the suggestions on observed moves: for each area ``A`` and each
    source of its pairs (``area_pairs[A]``), the occupations are ranked by the suggestions
    of a profile holding the source, whose ``local_mobility`` part reads the moves observed
    in the *other* areas (``area_moves``: area → start → end → score, merged as the store
    merges them, mean score over the areas that saw the move). The area's own moves never
    reach its ranking.

    Returns metrics over (area, source) units, macro-averaged: ``"held_out"`` (graph plus
    the other areas), ``"graph_only"`` (the same suggestions without observed moves) and
    ``"other_areas_only"`` (the other areas' moves alone, ties by the graph's order).

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> pairs = {"1": [("demo:cook", "demo:waiter")], "2": [("demo:cook", "demo:waiter")]}
    >>> moves = {a: {"demo:cook": {"demo:waiter": 0.5}} for a in pairs}
    >>> r = evaluate_by_area(demo_graph(), pairs, moves, k=2)
    >>> [(name, m.mrr) for name, m in r.items()]  # waiter: 3rd from the graph, 1st with moves
    [('held_out', 1.0), ('graph_only', 0.3333333333333333), ('other_areas_only', 1.0)]
    """
    weights = weights or TransitionWeights()
    clean, _ = without_edges(G, [], exclude_rels)
    ix = index_of(clean)
    n = len(ix.occupations)
    sums: dict[tuple[str, str], float] = {}
    counts: dict[tuple[str, str], int] = {}
    for moves in area_moves.values():
        for start, ends in moves.items():
            for end, score in ends.items():
                sums[(start, end)] = sums.get((start, end), 0.0) + score
                counts[(start, end)] = counts.get((start, end), 0) + 1
    by_start: dict[str, list[str]] = {}
    for start, end in sums:
        by_start.setdefault(start, []).append(end)
    units: list[tuple[str, int, set[int]]] = []
    for area in sorted(area_pairs):
        truth, _ = truth_sets(ix, area_pairs[area])
        units += [(area, s, t) for s, t in sorted(truth.items())]
    parts = suggest_parts(clean, sorted({s for _, s, _ in units}), None, weights)
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    ids = np.arange(n)
    rows: dict[str, list[tuple[float, float, float]]] = {
        "held_out": [],
        "graph_only": [],
        "other_areas_only": [],
    }
    for area, s, targets in units:
        pv, excluded = parts[s]
        own = area_moves.get(area, {}).get(ix.occupations[s], {})
        local = np.zeros(n)
        for end in by_start.get(ix.occupations[s], []):
            key = (ix.occupations[s], end)
            others = counts[key] - (end in own)
            if others > 0 and end in ix.occ_pos:
                local[ix.occ_pos[end]] = (sums[key] - own.get(end, 0.0)) / others
        base = combine_parts(pv, weights)
        active = pv.active + (("local_mobility",) if local.any() else ())
        held = combine_parts(replace(pv, local_mobility=local, active=active), weights)
        for name, score in (
            ("held_out", held),
            ("graph_only", base),
            ("other_areas_only", local + 1e-6 * base),
        ):
            row = ranked_row(score, pv.gap_cost, excluded, n)
            rows[name].append(_source_metrics(row, s, targets, k, discount, ids))
    return {
        name: Metrics(len(r), *(float(np.mean([x[i] for x in r])) if r else 0.0 for i in range(3)))
        for name, r in rows.items()
    }
