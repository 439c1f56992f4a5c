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
  same graph always gives the same clusters;
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

from dataclasses import dataclass, field

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
    links: list[MapLink] = field(default_factory=list)


def _knn_edges(ids: list[str], matrix: sp.csr_matrix | np.ndarray | Neighbours, k: int) -> nx.Graph:
    """Undirected graph keeping each row's ``k`` strongest positive entries."""
    H = nx.Graph()
    H.add_nodes_from(ids)
    dense = not sp.issparse(matrix)
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
        for j, v in zip(cols, vals, strict=True):
            if v <= 0 or j == i:
                continue
            a, b = ids[i], ids[int(j)]
            w = float(v)
            if H.has_edge(a, b):
                w = max(w, H[a][b]["weight"])
            H.add_edge(a, b, weight=w)
    return H


def _co_requirements(ix: OrientationIndex) -> tuple[list[str], sp.csr_matrix]:
    """Skills required by some occupation, and how many occupations require each pair."""
    used = np.flatnonzero(ix.skill_occurrence > 0)
    H = ix.has_skill[:, used]
    co = sp.csr_matrix(H.T @ H)
    co.setdiag(0)
    co.eliminate_zeros()
    return [ix.skills[j] for j in used], co


def _skill_graph(ix: OrientationIndex) -> nx.Graph:
    ids, co = _co_requirements(ix)
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


def _skill_centrality(ix: OrientationIndex) -> dict[str, float]:
    """PageRank on the full co-requirement graph (weight = occupations requiring both):
    a skill needed alongside many skills that are themselves widely needed is transferable."""
    ids, co = _co_requirements(ix)
    return dict(zip(ids, pagerank(co).tolist(), strict=True))


def _occupation_graph(G: nx.MultiDiGraph, ix: OrientationIndex) -> nx.Graph:
    # the best rows of the similarity matrix, not the matrix: a server keeps no n² array
    return _knn_edges(ix.occupations, similarity_neighbours(G, NEIGHBOURS), NEIGHBOURS)


def _scale(pos: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if not pos:
        return pos
    arr = np.array(list(pos.values()), dtype=np.float64)
    arr -= arr.mean(axis=0)
    span = np.abs(arr).max()
    if span > 0:
        arr /= span
    return dict(zip(pos, arr, strict=True))


def _spectral(H: nx.Graph) -> dict[str, np.ndarray]:
    """Spectral coordinates: the 2nd and 3rd leading eigenvectors of the normalised
    adjacency ``D^-1/2 A D^-1/2`` (the smallest non-trivial ones of the normalised
    Laplacian; Belkin & Niyogi 2003, "Laplacian eigenmaps"), sparse and deterministic
    (fixed start vector, signs fixed so the largest entry is positive)."""
    from scipy.sparse.linalg import eigsh

    nodes = sorted(H.nodes)
    A = nx.to_scipy_sparse_array(H, nodelist=nodes, weight="weight", format="csr")
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
    return dict(zip(nodes, coords, strict=True))


def _layout(H: nx.Graph, communities: list[list[str]]) -> dict[str, np.ndarray]:
    member = {n: c for c, nodes in enumerate(communities) for n in nodes}
    Q = nx.Graph()
    Q.add_nodes_from(range(len(communities)))
    for a, b, w in H.edges(data="weight"):
        ca, cb = member[a], member[b]
        if ca != cb:
            Q.add_edge(ca, cb, weight=Q.get_edge_data(ca, cb, {"weight": 0.0})["weight"] + w)
    centres = nx.spring_layout(Q, seed=SEED, weight="weight") if len(Q) > 1 else {0: np.zeros(2)}
    centres = _scale({str(c): p for c, p in centres.items()})
    total = max(H.number_of_nodes(), 1)
    out: dict[str, np.ndarray] = {}
    for c, nodes in enumerate(communities):
        sub = H.subgraph(nodes)
        if len(nodes) == 1:
            local = {nodes[0]: np.zeros(2)}
        elif len(nodes) <= SPRING_MAX:
            local = nx.spring_layout(sub, seed=SEED, weight="weight", iterations=50)
        else:
            local = _spectral(sub)
        local = _scale(local)
        radius = 0.5 * np.sqrt(len(nodes) / total)
        centre = centres[str(c)]
        for node_id, p in local.items():
            out[node_id] = centre + radius * np.asarray(p)
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
    H = _skill_graph(ix) if kind == "skills" else _occupation_graph(G, ix)
    if H.number_of_nodes() == 0:
        result = SkillMap(kind, [], [], [], 0.0)
    else:
        parts = nx.community.louvain_communities(H, weight="weight", seed=SEED)
        communities = sorted((sorted(c) for c in parts), key=lambda c: (-len(c), c[0]))
        modularity = (
            nx.community.modularity(H, communities, weight="weight") if H.number_of_edges() else 0.0
        )
        if kind == "skills":
            rank = _skill_centrality(ix)
        elif H.number_of_edges():
            rank = nx.pagerank(H, weight="weight")
        else:
            rank = {n: 1.0 / len(H) for n in H}
        pos = _layout(H, communities)
        member = {n: c for c, nodes in enumerate(communities) for n in nodes}
        points = [
            MapPoint(n, float(pos[n][0]), float(pos[n][1]), member[n], float(rank[n]))
            for n in sorted(H.nodes)
        ]
        by_rank = sorted(H.nodes, key=lambda n: (-rank[n], n))
        result = SkillMap(
            kind=kind,
            points=points,
            communities=[
                Community(c, len(nodes), sorted(nodes, key=lambda n: (-rank[n], n))[:5])
                for c, nodes in enumerate(communities)
            ],
            most_central=by_rank[:20],
            modularity=float(modularity),
            links=sorted(
                (MapLink(min(a, b), max(a, b), float(w)) for a, b, w in H.edges(data="weight")),
                key=lambda link: (link.source, link.target),
            ),
        )
    return result
