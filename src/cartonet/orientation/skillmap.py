"""A map of the graph: clusters, central items and 2-D coordinates, once per graph.

``kind="skills"``
    Skills required by at least one occupation, linked when occupations require them
    together: association ``cos(s, t) = n_st / sqrt(n_s · n_t)`` (``n_st`` occupations
    require both), each skill keeping its ``NEIGHBOURS`` strongest links.
``kind="occupations"``
    Occupations linked to their ``NEIGHBOURS`` most similar ones
    (:mod:`cartonet.orientation.similarity`), weight = similarity score.

On that sparse graph:

* **clusters**: Louvain modularity optimisation (V. D. Blondel et al., 2008, "Fast
  unfolding of communities in large networks", *J. Stat. Mech.* P10008), seeded, so the
  same graph always gives the same clusters (NetworkX's ``louvain_communities`` on a graph
  whose nodes are integer positions, so no string hash order reaches it);
* **centrality**: PageRank (L. Page et al., 1999, Stanford InfoLab 1999-66). For
  occupations, on the similarity graph above (occupations many others can move to). For
  skills, on the full co-requirement graph (weight = number of occupations requiring both
  skills): it ranks the most *transferable* skills, needed alongside many skills that are
  themselves widely needed;
* **coordinates**: a two-level force-directed layout (T. Fruchterman & E. Reingold, 1991,
  *Software: Practice and Experience* 21(11)): clusters are placed by a seeded spring
  layout of the cluster graph, then each cluster's members around its centre (spring
  layout for small clusters, spectral layout for large ones), in ``[-1, 1]²``.

Computed once per graph version (kept in the index cache).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

import networkx as nx
import numpy as np
import scipy.sparse as sp

from cartonet.errors import InvalidArgument
from cartonet.orientation.index import OrientationIndex, index_of
from cartonet.orientation.neighbours import Neighbours, similarity_neighbours
from cartonet.orientation.similarity import top_k

KINDS = ("skills", "occupations")
NEIGHBOURS = 10
SEED = 42
SPRING_MAX = 60  # larger clusters are laid out spectrally (spring layout is quadratic)


@dataclass(frozen=True, slots=True)
class MapPoint:
    id: str
    x: float
    y: float
    community: int
    centrality: float


@dataclass(frozen=True, slots=True)
class MapLink:
    source: str  # the smaller id of the two
    target: str
    weight: float  # association (skills) or similarity score (occupations) of the pair

    @property
    def id(self) -> str:
        """The pair as one text, the key links are sorted and paged by: a line break (no id
        holds one, and it sorts before any character an id holds) keeps tuple order."""
        return f"{self.source}\n{self.target}"


class MapLinks(Sequence[MapLink]):
    """A map's links kept as arrays: ``ends`` (``n × 2`` positions in ``ids``) and
    ``weights``; a :class:`MapLink` is made when one is read. It behaves as the list of
    links (order, values, equality) without holding one object per link: ~190k of them
    for ESCO + ROME, ~80 MiB of a server's resident memory once the build's garbage is
    interleaved with them (bench/memory_warmup.py). Built maps and maps read back from the
    warm-up cache (:mod:`cartonet.orientation.persist`) both hold one."""

    __slots__ = ("_ascending", "ends", "ids", "weights")

    def __init__(self, ids: list[str], ends: np.ndarray, weights: np.ndarray) -> None:
        if len(ends) != len(weights):
            raise ValueError(f"{len(ends)} link ends, {len(weights)} weights")
        self.ids = ids
        # read-only: one map is shared by every request (and by the warm-up cache file)
        self.ends = ends.reshape(-1, 2)
        self.ends.setflags(write=False)
        self.weights = weights.view()
        self.weights.setflags(write=False)
        # a map's points come in ascending id order: an id's position is a bisection
        self._ascending = all(a < b for a, b in itertools.pairwise(ids))

    def __len__(self) -> int:
        return len(self.weights)

    def _link(self, i: int) -> MapLink:
        a, b = self.ends[i].tolist()
        return MapLink(self.ids[a], self.ids[b], float(self.weights[i]))

    @overload
    def __getitem__(self, i: int) -> MapLink: ...
    @overload
    def __getitem__(self, i: slice) -> list[MapLink]: ...
    def __getitem__(self, i: int | slice) -> MapLink | list[MapLink]:
        if isinstance(i, slice):
            return [self._link(j) for j in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        return self._link(i % n)

    def __iter__(self) -> Iterator[MapLink]:
        ids = self.ids
        for (a, b), w in zip(self.ends.tolist(), self.weights.tolist(), strict=True):
            yield MapLink(ids[a], ids[b], w)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(x == y for x, y in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # a sequence compared by value

    def __repr__(self) -> str:
        return f"MapLinks({len(self)} links between {len(self.ids)} items)"

    def touching(self, ends: Iterable[str]) -> list[MapLink]:
        """The links with an end among ``ends``, in order: ``[l for l in self if l.source
        in ends or l.target in ends]`` without making every link."""
        wanted = set(ends)
        if self._ascending:
            at = []
            for end in wanted:
                i = bisect.bisect_left(self.ids, end)
                if i < len(self.ids) and self.ids[i] == end:
                    at.append(i)
        else:
            at = [i for i, node_id in enumerate(self.ids) if node_id in wanted]
        keep = np.isin(self.ends, np.asarray(at, dtype=self.ends.dtype)).any(axis=1)
        return [self._link(int(i)) for i in np.flatnonzero(keep)]


NO_LINKS = MapLinks([], np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float64))


@dataclass(frozen=True, slots=True)
class Community:
    id: int
    size: int
    central: list[str]  # most central members first (up to 5)


@dataclass(frozen=True, slots=True)
class SkillMap:
    kind: str
    points: list[MapPoint]  # sorted by id: the API pages through them with id cursors
    communities: list[Community]
    most_central: list[str]  # the 20 most central items
    modularity: float
    # the sparse graph the map is drawn from, sorted by (source, target): the API pages
    # through it like the points
    links: MapLinks = field(default_factory=lambda: NO_LINKS)


def _knn_edges(ids: list[str], matrix: sp.csr_matrix | np.ndarray | Neighbours, k: int) -> nx.Graph:
    """Undirected graph keeping each row's ``k`` strongest positive entries (a pair kept
    by both rows weighs the larger of its two entries). Its nodes are the rows' positions
    ``0 .. len(ids) - 1`` (``ids[i]`` names node ``i``).

    The pairs are gathered first and given to NetworkX in one call, in the order they are
    first met row by row: each node's adjacency then lists its neighbours in the order
    edge-by-edge insertion would, which Louvain's visiting order (and so the clusters)
    depends on. Integer nodes, not ids, because NetworkX keeps node sets (Louvain's
    communities, ``modularity``, ``subgraph``) whose iteration order for text follows
    the process's string hash (``PYTHONHASHSEED``): with integers it is the same in every
    process, and so are the sums taken in that order."""
    H = nx.Graph()
    H.add_nodes_from(range(len(ids)))
    dense = not sp.issparse(matrix)
    kept: dict[tuple[int, int], float] = {}  # first-met order; value = largest entry
    for i in range(len(ids)):
        if isinstance(matrix, Neighbours):
            cols, vals = matrix.row(i, k)
        elif dense:
            row = np.asarray(matrix[i], dtype=np.float64)
            cols = top_k(np.where(np.isfinite(row), row, np.nan), k)
            vals = row[cols]
        else:
            start, end = matrix.indptr[i], matrix.indptr[i + 1]
            cols_all, vals_all = matrix.indices[start:end], matrix.data[start:end]
            keep = top_k(np.where(cols_all == i, np.nan, vals_all).astype(np.float64), k)
            cols, vals = cols_all[keep], vals_all[keep]
        for j, v in zip(
            np.asarray(cols).tolist(), np.asarray(vals, dtype=np.float64).tolist(), strict=True
        ):
            if v <= 0 or j == i:
                continue
            pair = (i, j) if i < j else (j, i)
            old = kept.get(pair)
            kept[pair] = old if old is not None and old > v else v
    H.add_weighted_edges_from((a, b, w) for (a, b), w in kept.items())
    return H


def _co_requirements(ix: OrientationIndex) -> tuple[list[str], sp.csr_matrix]:
    """Skills required by some occupation, and how many occupations require each pair."""
    used = np.flatnonzero(ix.skill_occurrence > 0)
    H = ix.has_skill[:, used]
    co = sp.csr_matrix(H.T @ H)
    co.setdiag(0)
    co.eliminate_zeros()
    return [ix.skills[j] for j in used], co


def _skill_graph(ix: OrientationIndex, ids: list[str], co: sp.csr_matrix) -> nx.Graph:
    """The skills' kNN association graph, from :func:`_co_requirements`' ``(ids, co)``."""
    inv = 1.0 / np.sqrt(ix.skill_occurrence[ix.skill_occurrence > 0])
    cosine = sp.csr_matrix(sp.diags(inv) @ co @ sp.diags(inv))
    return _knn_edges(ids, cosine, NEIGHBOURS)


def pagerank(weights: sp.csr_matrix, damping: float = 0.85, tol: float = 1e-10) -> np.ndarray:
    """PageRank of a weighted graph given as a sparse matrix (power iteration; a node
    without edges spreads its rank evenly, as in :func:`networkx.pagerank`)."""
    n = weights.shape[0]
    out = np.asarray(weights.sum(axis=1)).ravel()
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    step = sp.csr_matrix((sp.diags(inv) @ weights).T)
    dangling = out == 0
    rank = np.full(n, 1.0 / n)
    for _ in range(200):
        nxt = damping * (step @ rank + rank[dangling].sum() / n) + (1.0 - damping) / n
        if np.abs(nxt - rank).sum() < tol * n:
            return nxt
        rank = nxt
    return rank


def _occupation_graph(G: nx.MultiDiGraph, ix: OrientationIndex) -> nx.Graph:
    # the best rows of the similarity matrix, not the matrix: a server keeps no n² array
    return _knn_edges(ix.occupations, similarity_neighbours(G, NEIGHBOURS), NEIGHBOURS)


def _scale(arr: np.ndarray) -> np.ndarray:
    """``arr`` (one row per point) centred on its mean and scaled into ``[-1, 1]²``."""
    if len(arr) == 0:
        return arr
    arr = arr - arr.mean(axis=0)
    span = np.abs(arr).max()
    if span > 0:
        arr /= span
    return arr


def _spectral(A: sp.csr_array) -> np.ndarray:
    """Spectral coordinates (one row per row of ``A``) of the graph whose weighted
    adjacency is ``A``: the 2nd and 3rd leading eigenvectors of the normalised
    adjacency ``D^-1/2 A D^-1/2`` (the smallest non-trivial ones of the normalised
    Laplacian; Belkin & Niyogi 2003, "Laplacian eigenmaps"), sparse and deterministic
    (fixed start vector, signs fixed so the largest entry is positive)."""
    from scipy.sparse.linalg import eigsh

    deg = np.asarray(A.sum(axis=1)).ravel()
    inv = np.divide(1.0, np.sqrt(deg), out=np.zeros_like(deg), where=deg > 0)
    M = sp.diags(inv) @ A @ sp.diags(inv)
    v0 = np.sqrt(deg + 1.0)
    vals, vecs = eigsh(M, k=3, which="LA", v0=v0 / np.linalg.norm(v0), tol=1e-6)
    order = np.argsort(-vals)
    coords = vecs[:, order[1:3]]
    for c in range(coords.shape[1]):
        if coords[np.abs(coords[:, c]).argmax(), c] < 0:
            coords[:, c] = -coords[:, c]
    return coords


def _adjacency(n: int, edges: list[tuple[int, int, float]]) -> sp.csr_array:
    """The weighted adjacency of the graph on nodes ``0 .. n - 1`` with ``edges`` (row
    ``i`` = node ``i``): the canonical CSR array (sorted columns, no duplicates)
    :func:`networkx.to_scipy_sparse_array` gives, built from the edge list once."""
    rows = np.fromiter((e[0] for e in edges), dtype=np.int64, count=len(edges))
    cols = np.fromiter((e[1] for e in edges), dtype=np.int64, count=len(edges))
    data = np.fromiter((e[2] for e in edges), dtype=np.float64, count=len(edges))
    A = sp.coo_array(
        (
            np.concatenate([data, data]),
            (np.concatenate([rows, cols]), np.concatenate([cols, rows])),
        ),
        shape=(n, n),
    ).tocsr()
    A.sum_duplicates()
    return A


def _block(A: sp.csr_array, rows: np.ndarray) -> sp.csr_array:
    """The square block of ``A`` on ``rows`` (in that order), canonical like ``A``."""
    sub = sp.csr_array(A[rows][:, rows])
    sub.sum_duplicates()
    return sub


def _layout(
    n: int, edges: list[tuple[int, int, float]], communities: list[list[int]]
) -> np.ndarray:
    """Coordinates of the graph's nodes ``0 .. n - 1`` (row ``i`` = node ``i``). Each
    cluster is laid out from its block of one adjacency array, rows in the order
    ``communities`` lists its members (by id), so the result depends on the graph only,
    never on a set's order."""
    member = {i: c for c, nodes in enumerate(communities) for i in nodes}
    Q = nx.Graph()
    Q.add_nodes_from(range(len(communities)))
    for a, b, w in edges:
        ca, cb = member[a], member[b]
        if ca != cb:
            Q.add_edge(ca, cb, weight=Q.get_edge_data(ca, cb, {"weight": 0.0})["weight"] + w)
    if len(Q) > 1:
        found = nx.spring_layout(Q, seed=SEED, weight="weight")
        centres = _scale(np.array([found[c] for c in range(len(Q))], dtype=np.float64))
    else:
        centres = np.zeros((1, 2))
    total = max(n, 1)
    A = _adjacency(n, edges)
    out = np.zeros((n, 2))
    for c, nodes in enumerate(communities):
        rows = np.asarray(nodes, dtype=np.int64)
        if len(nodes) == 1:
            local = np.zeros((1, 2))
        elif len(nodes) <= SPRING_MAX:
            # nodes 0 .. k-1 of the block: the seeded start positions follow that order
            found = nx.spring_layout(
                nx.from_scipy_sparse_array(_block(A, rows)),
                seed=SEED,
                weight="weight",
                iterations=50,
            )
            local = np.array([found[i] for i in range(len(nodes))], dtype=np.float64)
        else:
            local = _spectral(_block(A, rows))
        radius = 0.5 * np.sqrt(len(nodes) / total)
        out[rows] = centres[c] + radius * _scale(local)
    return _scale(out)


def skill_map(G: nx.MultiDiGraph, kind: str = "skills") -> SkillMap:
    """Clusters, centrality and 2-D coordinates of the skills or the occupations of ``G``.

    Parameters
    ----------
    G:
        The orientation graph.
    kind:
        ``"skills"`` or ``"occupations"``.

    Returns
    -------
    :class:`SkillMap`: one point per item, sorted by id (coordinates in [-1, 1], cluster, PageRank),
    the clusters (largest first, ids 0, 1, ... in that order) with their most central
    members, the 20 most central items, the partition's modularity, and the links of the
    sparse graph the map is drawn from (each item's ``NEIGHBOURS`` strongest, kept once per
    pair as ``source < target``, sorted). Deterministic.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> m = skill_map(demo_graph(), "occupations")
    >>> len(m.points), all(-1 <= p.x <= 1 for p in m.points)
    (6, True)
    >>> all(link.source < link.target for link in m.links)
    True
    """
    if kind not in KINDS:
        raise InvalidArgument("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    ix = index_of(G)
    return ix.once(("skill_map", kind), lambda: _build(G, ix, kind))


def _build(G: nx.MultiDiGraph, ix: OrientationIndex, kind: str) -> SkillMap:
    co: sp.csr_matrix | None = None
    if kind == "skills":
        # one co-requirement count serves the skills' graph and their centrality
        ids, co = _co_requirements(ix)
        H = _skill_graph(ix, ids, co)
    else:
        ids = list(ix.occupations)
        H = _occupation_graph(G, ix)
    n = H.number_of_nodes()  # node i is ids[i]
    if n == 0:
        return SkillMap(kind, [], [], [], 0.0)
    name = ids.__getitem__
    # read once: a NetworkX edge view is slow to walk, and every step below walks it
    edges = list(H.edges(data="weight"))
    parts = nx.community.louvain_communities(H, weight="weight", seed=SEED)
    communities = sorted((sorted(c, key=name) for c in parts), key=lambda c: (-len(c), ids[c[0]]))
    member = [0] * n
    for c, nodes in enumerate(communities):
        for i in nodes:
            member[i] = c
    quality = nx.community.modularity(H, communities, weight="weight") if edges else 0.0
    if co is not None:
        rank = pagerank(co).tolist()
    elif edges:
        found = nx.pagerank(H, weight="weight")
        rank = [found[i] for i in range(n)]
    else:
        rank = [1.0 / n] * n
    pos = _layout(n, edges, communities).tolist()

    def central_first(nodes: list[int]) -> list[int]:
        return sorted(nodes, key=lambda i: (-rank[i], ids[i]))

    by_name = sorted(range(n), key=name)
    return SkillMap(
        kind=kind,
        points=[MapPoint(ids[i], pos[i][0], pos[i][1], member[i], rank[i]) for i in by_name],
        communities=[
            Community(c, len(nodes), [ids[i] for i in central_first(nodes)[:5]])
            for c, nodes in enumerate(communities)
        ],
        most_central=[ids[i] for i in central_first(list(range(n)))[:20]],
        modularity=float(quality),
        links=_links(edges, ids, by_name),
    )


def _links(edges: list[tuple[int, int, float]], ids: list[str], by_name: list[int]) -> MapLinks:
    """The edges as links (``source < target``), sorted by ``(source, target)``: the
    order is taken on the ids' ranks (``by_name`` = nodes in id order), not by comparing
    strings pair by pair; the ends are positions in the ids sorted (the points' order)."""
    a = np.fromiter((e[0] for e in edges), dtype=np.int64, count=len(edges))
    b = np.fromiter((e[1] for e in edges), dtype=np.int64, count=len(edges))
    w = np.fromiter((e[2] for e in edges), dtype=np.float64, count=len(edges))
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.asarray(by_name, dtype=np.int64)] = np.arange(len(ids))
    lo, hi = np.minimum(rank[a], rank[b]), np.maximum(rank[a], rank[b])
    order = np.lexsort((hi, lo))
    ends = np.stack((lo[order], hi[order]), axis=1)
    return MapLinks([ids[i] for i in by_name], ends, w[order])
