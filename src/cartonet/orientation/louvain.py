"""Louvain communities of an undirected weighted graph: NetworkX's result, computed leaner.

:func:`louvain_communities` returns what :func:`networkx.community.louvain_communities`
returns for the same graph, weight, resolution, threshold and seed: the same algorithm
(V. D. Blondel et al., 2008, "Fast unfolding of communities in large networks",
*J. Stat. Mech.* P10008) taken step for step as NetworkX 3.x takes it:

* each level visits its nodes in the order one :class:`random.Random` (seeded once, shared
  by all levels) shuffles them to;
* a node's neighbours are read in insertion order, so candidate communities come in the
  order NetworkX's adjacency dicts give them, the node's own community last when no
  neighbour is in it;
* a node moves to the first community of strictly largest gain, the gain computed with
  the same floating-point operations in the same order
  (``remove_cost + w / m - resolution * (Stot[c] * degree) / (2 * m**2)``);
* each level's graph joins the communities found, edges merged in the order NetworkX's
  ``_gen_graph`` meets them.

What differs is the machinery: a level's graph is a list of plain dicts
(``adj[u] = {v: weight}``) instead of a :class:`networkx.Graph` with an attribute dict per
edge, and the modularity compared with ``threshold`` between levels is summed from those
dicts (NetworkX sums it in the iteration order of a set, so the last bits may differ; the
partition could only differ for a level whose gain is within rounding of ``threshold``).
On the skills map of ESCO + ROME (7 k nodes, 170 k edges) that is where NetworkX spent most
of its time: copying the graph, building each level, and three modularity passes per level.
``tests/orientation/test_orientation_louvain.py`` checks the partitions equal NetworkX's.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable

import networkx as nx

Adjacency = list[dict[int, float]]


def louvain_communities(
    G: nx.Graph,
    weight: str | None = "weight",
    resolution: float = 1,
    threshold: float = 0.0000001,
    seed: int | random.Random | None = None,
) -> list[set[Hashable]]:
    """Partition of ``G``'s nodes by Louvain modularity optimisation.

    Parameters
    ----------
    G : an undirected :class:`networkx.Graph` (not a multigraph).
    weight : the edge attribute holding the weight (None: every edge weighs 1).
    resolution : above 1 favours smaller communities, below 1 larger ones.
    threshold : a level whose modularity gain is at most this ends the descent.
    seed : an integer, a :class:`random.Random`, or None (the ``random`` module's state).

    Returns
    -------
    list of sets of nodes, as :func:`networkx.community.louvain_communities` gives them
    (same sets, same order).

    Example
    -------
    >>> G = nx.barbell_graph(4, 0)
    >>> louvain_communities(G, seed=1) == nx.community.louvain_communities(G, seed=1)
    True
    >>> sorted(sorted(c) for c in louvain_communities(G, seed=1))
    [[0, 1, 2, 3], [4, 5, 6, 7]]

    References
    ----------
    V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of
    communities in large networks", J. Stat. Mech. (2008) P10008.
    NetworkX, ``networkx/algorithms/community/louvain.py`` (the order of operations).
    """
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented("louvain_communities: undirected simple graphs only")
    nodes = list(G)
    at = {u: i for i, u in enumerate(nodes)}
    edges = [(at[u], at[v], w) for u, v, w in G.edges(data=weight, default=1)]
    found = louvain_partition(len(nodes), edges, resolution, threshold, seed)
    return [{nodes[i] for i in part} for part in found]


def adjacency(n: int, edges: list[tuple[int, int, float]]) -> Adjacency:
    """``adj[u] = {v: weight}`` of the graph on nodes ``0 .. n - 1`` with ``edges``, each
    node's neighbours in the order the edge list meets them (NetworkX's adjacency order
    for a graph built from that list)."""
    adj: Adjacency = [{} for _ in range(n)]
    for a, b, w in edges:
        adj[a][b] = w
        adj[b][a] = w
    return adj


def louvain_partition(
    n: int,
    edges: list[tuple[int, int, float]],
    resolution: float = 1,
    threshold: float = 0.0000001,
    seed: int | random.Random | None = None,
) -> list[list[int]]:
    """:func:`louvain_communities` of the graph on nodes ``0 .. n - 1`` whose edge list,
    in ``G.edges(data=weight)`` order, is ``edges``: lists of nodes, same order."""
    rng = seed if isinstance(seed, random.Random) else _rng(seed)
    if not edges:
        return [[i] for i in range(n)]
    # NetworkX works on a copy built from G's edge list: adjacency order is that list's
    adj = adjacency(n, edges)
    m = sum(_degrees(adj)) / 2
    mod = modularity(adj, list(range(len(adj))), resolution)
    inside = [[i] for i in range(len(adj))]  # original nodes within each level's node
    com, _ = _one_level(adj, m, resolution, rng)
    found = _groups(inside, com)
    while True:
        new_mod = modularity(adj, com, resolution)
        if new_mod - mod <= threshold:
            break
        mod = new_mod
        adj, inside = _next_level(adj, com, inside)
        com, improved = _one_level(adj, m, resolution, rng)
        if not improved:
            break
        found = _groups(inside, com)
    return found


def _rng(seed: int | None) -> random.Random:
    if seed is None:
        return random._inst  # type: ignore[attr-defined]  # what NetworkX uses for None
    return random.Random(seed)


def _degrees(adj: Adjacency) -> list[float]:
    # as networkx's weighted degree: neighbours' weights in order, a self-loop twice
    return [sum(nbrs.values()) + nbrs.get(u, 0) for u, nbrs in enumerate(adj)]


def modularity(adj: Adjacency, com: list[int], resolution: float = 1) -> float:
    """Modularity of the partition ``com`` (node → community number) of the graph ``adj``
    (``adj[u] = {v: weight}``, symmetric): ``Σ_c L_c / m - resolution · (d_c / 2m)²``,
    ``L_c`` the weight inside ``c`` (each edge once), ``d_c`` its nodes' degrees, ``m`` the
    total weight; as :func:`networkx.community.modularity` (up to summation order)."""
    degrees = _degrees(adj)
    deg_sum = sum(degrees)
    inner: dict[int, float] = defaultdict(float)
    total: dict[int, float] = defaultdict(float)
    for u, nbrs in enumerate(adj):
        c = com[u]
        total[c] += degrees[u]
        for v, w in nbrs.items():
            if v >= u and com[v] == c:
                inner[c] += w
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    return sum(inner[c] / m - resolution * d * d * norm for c, d in total.items())


def _one_level(
    adj: Adjacency, m: float, resolution: float, rng: random.Random
) -> tuple[list[int], bool]:
    """One pass of local moves until none improves: each node's community number (the
    number of the node it started with) and whether any node moved."""
    n = len(adj)
    com = list(range(n))
    degrees = _degrees(adj)
    stot = list(degrees)
    nbrs = [{v: w for v, w in d.items() if v != u} for u, d in enumerate(adj)]
    order = list(range(n))
    rng.shuffle(order)
    two_m2 = 2 * m**2
    improved = False
    moves = 1
    while moves > 0:
        moves = 0
        for u in order:
            best_mod: float = 0
            best = com[u]
            to_com: dict[int, float] = defaultdict(float)
            for v, w in nbrs[u].items():
                to_com[com[v]] += w
            degree = degrees[u]
            stot[best] -= degree
            remove_cost = -to_com[best] / m + resolution * (stot[best] * degree) / two_m2
            for c, w in to_com.items():
                gain = remove_cost + w / m - resolution * (stot[c] * degree) / two_m2
                if gain > best_mod:
                    best_mod = gain
                    best = c
            stot[best] += degree
            if best != com[u]:
                com[u] = best
                improved = True
                moves += 1
    return com, improved


def _groups(inside: list[list[int]], com: list[int]) -> list[list[int]]:
    """The original nodes of each community, communities in number order."""
    buckets: list[list[int]] = [[] for _ in com]
    for u, c in enumerate(com):
        buckets[c].extend(inside[u])
    return [b for b in buckets if b]


def _next_level(
    adj: Adjacency, com: list[int], inside: list[list[int]]
) -> tuple[Adjacency, list[list[int]]]:
    """The graph of the communities (one node each, in number order; edges merged in
    the order the edge list meets them, self-loops for inner weight) and their members."""
    number = {c: i for i, c in enumerate(sorted(set(com)))}
    new: Adjacency = [{} for _ in number]
    new_inside: list[list[int]] = [[] for _ in number]
    for u, c in enumerate(com):
        new_inside[number[c]].extend(inside[u])
    for u, nbrs in enumerate(adj):
        a = number[com[u]]
        for v, w in nbrs.items():
            if v < u:  # the edge list gives each edge once, from its earlier node
                continue
            b = number[com[v]]
            total = w + new[a].get(b, 0)
            new[a][b] = total
            new[b][a] = total
    return new, new_inside
