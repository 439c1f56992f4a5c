"""The map's faster construction steps give exactly what the edge-by-edge ones gave.

The references below are the earlier implementations (NetworkX graph built one edge at a
time; adjacency exported per cluster with ``to_scipy_sparse_array``; ``origin_mix`` by its
own pass). Louvain's clusters depend on each node's adjacency order, so that order is
compared too, not only the edge set."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from cartonet.orientation.index import OrientationIndex, index_of
from cartonet.orientation.neighbours import Neighbours, similarity_neighbours
from cartonet.orientation.similarity import PARTS, SimilarityWeights, _scores, origin_mix, top_k
from cartonet.orientation.skillmap import (
    NEIGHBOURS,
    _adjacency,
    _block,
    _co_requirements,
    _knn_edges,
    _skill_graph,
)


def reference_knn_edges(ids: list[str], matrix: object, k: int) -> nx.Graph:
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


def same_graph(H: nx.Graph, R: nx.Graph, ids: list[str]) -> None:
    """``H`` (nodes = positions in ``ids``) is ``R`` (nodes = ids) renamed."""
    assert list(H.nodes) == list(range(len(ids)))
    assert [ids[i] for i in H] == list(R.nodes)
    for i in H:  # adjacency order included: Louvain visits neighbours in it
        assert [(ids[j], d) for j, d in H.adj[i].items()] == list(R.adj[ids[i]].items())
    assert [(ids[a], ids[b], w) for a, b, w in H.edges(data="weight")] == list(
        R.edges(data="weight")
    )


def test_skill_graph_equals_edge_by_edge(fixtures_graph: nx.MultiDiGraph) -> None:
    ix = index_of(fixtures_graph)
    ids, co = _co_requirements(ix)
    inv = 1.0 / np.sqrt(ix.skill_occurrence[ix.skill_occurrence > 0])
    cosine = sp.csr_matrix(sp.diags(inv) @ co @ sp.diags(inv))
    H = _skill_graph(ix, ids, co)
    assert H.number_of_edges() > 100
    same_graph(H, reference_knn_edges(ids, cosine, NEIGHBOURS), ids)


def test_knn_edges_asymmetric_ties_and_dense(fixtures_graph: nx.MultiDiGraph) -> None:
    rng = np.random.default_rng(7)
    n = 80
    ids = [f"n{i:03d}" for i in rng.permutation(n)]
    # asymmetric weights, ties (rounded), negatives and zeros: the larger entry of a pair
    # must win whichever row meets it first
    dense = np.round(rng.normal(size=(n, n)), 1)
    dense[rng.random((n, n)) < 0.6] = 0.0
    for k in (3, 10):
        same_graph(
            _knn_edges(ids, sp.csr_matrix(dense), k),
            reference_knn_edges(ids, sp.csr_matrix(dense), k),
            ids,
        )
        with_nan = dense.copy()
        np.fill_diagonal(with_nan, np.nan)
        same_graph(_knn_edges(ids, with_nan, k), reference_knn_edges(ids, with_nan, k), ids)
    ix = index_of(fixtures_graph)
    nb = similarity_neighbours(fixtures_graph, NEIGHBOURS)
    same_graph(
        _knn_edges(ix.occupations, nb, NEIGHBOURS),
        reference_knn_edges(ix.occupations, nb, NEIGHBOURS),
        ix.occupations,
    )


def test_blocks_equal_networkx_export(fixtures_graph: nx.MultiDiGraph) -> None:
    ix = index_of(fixtures_graph)
    ids, co = _co_requirements(ix)
    H = _skill_graph(ix, ids, co)
    A = _adjacency(len(ids), list(H.edges(data="weight")))
    parts = nx.community.louvain_communities(H, weight="weight", seed=42)
    rng = np.random.default_rng(3)
    # members in id order (as the layout reads them), and a random sample in no order
    groups = [sorted(c, key=ids.__getitem__) for c in parts] + [
        rng.choice(len(ids), 150, replace=False).tolist()
    ]
    for nodes in groups:
        ref = nx.to_scipy_sparse_array(H, nodelist=nodes, weight="weight", format="csr")
        got = _block(A, np.array(nodes, dtype=np.int64))
        assert got.dtype == ref.dtype and got.shape == ref.shape
        assert got.has_canonical_format and ref.has_canonical_format
        assert np.array_equal(got.indptr, ref.indptr)
        assert np.array_equal(got.indices, ref.indices)
        assert np.array_equal(got.data, ref.data)


def reference_origin_mix(ix: OrientationIndex, weights: SimilarityWeights) -> np.ndarray:
    n = len(ix.occupations)
    out = np.zeros((n, len(PARTS)))
    for start in range(0, n, 256):
        rows = np.arange(start, min(start + 256, n), dtype=np.int64)
        _, _, lam = _scores(ix, rows, weights)
        for k, p in enumerate(PARTS):
            out[rows, k] = lam[p]
    return out


@pytest.mark.parametrize("neighbours_first", [True, False])
def test_origin_mix_from_the_neighbours_pass(neighbours_first: bool) -> None:
    from orientation_helpers import merged

    from cartonet.ingest.fixtures import load_fixtures
    from cartonet.orientation.projection import graph_from_dataset

    # a graph of its own: the session's shared graph may hold origin_mix already
    G = graph_from_dataset(merged(list(load_fixtures())), version="fixtures-mix")
    ix = index_of(G)
    if neighbours_first:
        similarity_neighbours(G, NEIGHBOURS)
        assert ("origin_mix", SimilarityWeights()) in ix.cache
    got = origin_mix(G)
    ref = reference_origin_mix(ix, SimilarityWeights())
    assert got.dtype == ref.dtype and np.array_equal(got, ref)
    assert not got.flags.writeable
