"""The lean Louvain gives NetworkX's partition: same sets, same order."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from cartonet.orientation.index import index_of
from cartonet.orientation.louvain import louvain_communities, modularity
from cartonet.orientation.neighbours import similarity_neighbours
from cartonet.orientation.skillmap import NEIGHBOURS, _co_requirements, _knn_edges, _skill_graph


def _random_graph(rng: np.random.Generator, n: int, p: float, ties: bool) -> nx.Graph:
    G = nx.Graph()
    # nodes in a shuffled order, some text: neither order nor labels may matter
    G.add_nodes_from(f"n{i}" for i in rng.permutation(n))
    for a in range(n):
        for b in range(a, n):
            if rng.random() < p:
                w = float(rng.integers(1, 4)) if ties else float(rng.random())
                G.add_edge(f"n{a}", f"n{b}", weight=w)  # self-loops included
    return G


@pytest.mark.parametrize("case", range(8))
def test_random_graphs_equal_networkx(case: int) -> None:
    rng = np.random.default_rng(case)
    G = _random_graph(rng, n=int(rng.integers(20, 160)), p=0.06, ties=case % 2 == 0)
    for seed in (0, 42):
        got = louvain_communities(G, weight="weight", seed=seed)
        assert got == nx.community.louvain_communities(G, weight="weight", seed=seed)
    # unweighted, another resolution, and a shared Random carried over calls
    assert louvain_communities(G, weight=None, seed=3) == nx.community.louvain_communities(
        G, weight=None, seed=3
    )
    assert louvain_communities(G, resolution=1.7, seed=5) == nx.community.louvain_communities(
        G, resolution=1.7, seed=5
    )
    ours, theirs = random.Random(9), random.Random(9)
    for _ in range(2):
        assert louvain_communities(G, seed=ours) == nx.community.louvain_communities(G, seed=theirs)


def test_map_graphs_equal_networkx(fixtures_graph: nx.MultiDiGraph) -> None:
    ix = index_of(fixtures_graph)
    skills = _skill_graph(ix, *_co_requirements(ix))
    occupations = _knn_edges(
        ix.occupations, similarity_neighbours(fixtures_graph, NEIGHBOURS), NEIGHBOURS
    )
    for H in (skills, occupations):
        got = louvain_communities(H, weight="weight", seed=42)
        assert got == nx.community.louvain_communities(H, weight="weight", seed=42)
        assert len(got) > 5


def test_modularity_equals_networkx() -> None:
    G = _random_graph(np.random.default_rng(11), n=90, p=0.08, ties=False)
    parts = louvain_communities(G, seed=1)
    at = {u: i for i, u in enumerate(G)}
    adj: list[dict[int, float]] = [{} for _ in G]
    for u, v, w in G.edges(data="weight"):
        adj[at[u]][at[v]] = adj[at[v]][at[u]] = w
    com = [0] * len(G)
    for c, part in enumerate(parts):
        for u in part:
            com[at[u]] = c
    for resolution in (1, 0.5):
        assert modularity(adj, com, resolution) == pytest.approx(
            nx.community.modularity(G, parts, weight="weight", resolution=resolution), abs=1e-12
        )


def test_no_edges_and_directed() -> None:
    G = nx.Graph()
    G.add_nodes_from("abc")
    assert louvain_communities(G) == [{"a"}, {"b"}, {"c"}]
    with pytest.raises(nx.NetworkXNotImplemented):
        louvain_communities(nx.DiGraph([(1, 2)]))


def test_next_level_graph_is_networkx_one() -> None:
    """A level's graph lists neighbours in NetworkX's order (the next level visits them in
    it): compared with NetworkX's own level builder."""
    from networkx.algorithms.community.louvain import _gen_graph

    from cartonet.orientation.louvain import _next_level, _one_level

    G = _random_graph(np.random.default_rng(5), n=120, p=0.05, ties=True)
    G = nx.convert_node_labels_to_integers(G)
    adj: list[dict[int, float]] = [{} for _ in G]
    for u, v, w in G.edges(data="weight"):
        adj[u][v] = adj[v][u] = w
    m = sum(w for _, _, w in G.edges(data="weight"))
    com, moved = _one_level(adj, m, 1, random.Random(1))
    assert moved
    new, inside = _next_level(adj, com, [[i] for i in range(len(adj))])
    groups = [{u for u in G if com[u] == c} for c in sorted(set(com))]
    ref = _gen_graph(G, groups)
    assert list(ref) == list(range(len(new)))
    assert [set(ref.nodes[i]["nodes"]) for i in ref] == [set(x) for x in inside]
    for i in ref:
        assert list(new[i].items()) == [(j, d["weight"]) for j, d in ref.adj[i].items()]
