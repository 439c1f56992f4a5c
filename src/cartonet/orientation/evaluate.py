"""Evaluation of occupation similarity against known transitions (e.g. ROME mobilités).

Metrics
-------
A truth file lists pairs ``source,target``. For every source ``s`` with at least one
target known to the graph, all *other* occupations are ranked by ``score(s → ·)``, and with
``T_s`` its targets:

* ``recall@k(s) = |top_k(s) ∩ T_s| / |T_s|``; the reported **recall@k is the mean over
  sources** (macro average: each source counts once, whatever its number of targets);
* ``RR(s) = 1 / rank of the best-ranked target`` (ranks from 1); **MRR** is its mean over
  sources;
* ``n`` is the number of sources evaluated.

Ties are broken by occupation id (rank order is deterministic). The same definitions and
the same sources are used for the baselines, computed in the same run:

* ``jaccard``: plain Jaccard index of the two occupations' required-skill sets
  (``|A ∩ B| / |A ∪ B|``, relevance and rarity ignored);
* ``idf_cosine``: cosine of the rarity-weighted (IDF) skill vectors;
* ``random``: a uniformly random ranking (seeded: same figures on every run).

No leakage
----------
Curated ``MOBILITY`` edges are the usual truth (ROME mobilités), so they must not feed the
ranking. :func:`evaluate` removes every ``MOBILITY`` edge from the graph it is given before
indexing it (``G.graph["mobility_included"]`` is ``False`` on the graph actually scored),
and similarity itself never reads them; the test suite checks that adding or removing
MOBILITY edges does not change a single score.

Held-out halves
---------------
Sources are split into two halves by the parity of ``crc32(source id)`` (stable across runs
and machines). The report gives the figures on each half as well: the default weights were
chosen on half ``a`` only, so half ``b`` shows how they do on sources they never saw.
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from cartonet.errors import DataError, InvalidArgument
from cartonet.orientation.index import OrientationIndex, index_of
from cartonet.orientation.projection import MOBILITY
from cartonet.orientation.similarity import SimilarityWeights, cached_similarity_matrix

RANDOM_SEED = 20240601


@dataclass(frozen=True, slots=True)
class Metrics:
    n: int
    recall_at_k: float
    mrr: float


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

    def to_json(self) -> dict[str, Any]:
        """The report for ``--json``: camelCase keys, like every JSON the project prints."""

        def m(x: Metrics) -> dict[str, Any]:
            return {"n": x.n, "recallAtK": round(x.recall_at_k, 4), "mrr": round(x.mrr, 4)}

        return {
            "n": self.n,
            "k": self.k,
            "recallAtK": round(self.recall_at_k, 4),
            "mrr": round(self.mrr, 4),
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
    recalls, rrs = [], []
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
    return Metrics(len(sources), float(np.mean(recalls)), float(np.mean(rrs)))


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


def evaluate(
    G: nx.MultiDiGraph,
    pairs: list[tuple[str, str]],
    k: int = 10,
    weights: SimilarityWeights | None = None,
    scorer: Callable[[nx.MultiDiGraph], np.ndarray] | None = None,
) -> EvaluationReport:
    """Score :func:`~cartonet.orientation.similarity.similar_occupations`' ranking against
    ``pairs`` (see the module docstring for the metrics and the leakage guard).

    Parameters
    ----------
    G:
        The orientation graph; MOBILITY edges are removed from a copy before scoring.
    pairs:
        ``(source id, target id)`` pairs (:func:`read_pairs`).
    k:
        Cut-off of recall@k (1 to 500).
    weights:
        Similarity weights (default: :class:`SimilarityWeights`).
    scorer:
        All-pairs scores to evaluate instead of the similarity (for ablations).

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
    weights = weights or SimilarityWeights()
    clean, removed = without_mobility(G)
    ix = index_of(clean)
    truth, used = truth_sets(ix, pairs)
    sources = sorted(truth)
    # cached on the graph's index: a diagnosis of the same graph reuses it
    method = scorer(clean) if scorer else cached_similarity_matrix(clean, weights)
    n = len(ix.occupations)
    ranked = {
        "method": method,
        "jaccard": jaccard_matrix(ix),
        "idf_cosine": idf_cosine_matrix(ix),
        "random": random_matrix(n),
    }
    results = {name: metrics(m, truth, k, sources) for name, m in ranked.items()}
    halves = {
        h: {
            name: metrics(m, truth, k, [s for s in sources if half_of(ix.occupations[s]) == h])
            for name, m in ranked.items()
        }
        for h in ("a", "b")
    }
    main = results.pop("method")
    return EvaluationReport(
        n=main.n,
        k=k,
        recall_at_k=main.recall_at_k,
        mrr=main.mrr,
        baselines=results,
        halves=halves,
        pairs_read=len(pairs),
        pairs_used=used,
        pairs_skipped=len(pairs) - used,
        mobility_edges_removed=removed,
        weights=asdict(weights),
    )
