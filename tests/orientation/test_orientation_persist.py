"""The lean projection and the warm-up cache: the array-backed graph reads exactly like the
NetworkX graph it replaces, the saved projection gives the same answers once read back,
another graph version or a broken file is rebuilt, and the best-neighbour rows equal the
all-pairs matrix's."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from orientation_helpers import merged

from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
from cartonet.orientation import persist
from cartonet.orientation.cache import ProjectionCache
from cartonet.orientation.index import index_of
from cartonet.orientation.neighbours import similarity_neighbours
from cartonet.orientation.paths import career_paths
from cartonet.orientation.profile import Profile
from cartonet.orientation.projection import ProjectedGraph, graph_from_dataset, node_of
from cartonet.orientation.similarity import (
    SimilarityWeights,
    origin_mix,
    similar_occupations,
    similarity_matrix,
    top_k,
)
from cartonet.orientation.skillmap import KINDS, MapLinks, skill_map
from cartonet.orientation.transitions import suggest_transitions
from cartonet.store.embedded import EmbeddedStore


def _networkx_graph(dataset: Dataset, include_mobility: bool = True) -> nx.MultiDiGraph:
    """The graph as NetworkX dictionaries, built edge by edge (the former projection)."""
    G = nx.MultiDiGraph()
    for node in dataset.nodes:
        G.add_node(node.id, type=NodeType(node.type), node=node)
    for rel in dataset.relationships:
        kind = RelType(rel.type).value
        if (kind == "MOBILITY" and not include_mobility) or rel.start not in G or rel.end not in G:
            continue
        G.add_edge(rel.start, rel.end, key=kind, **dict(rel.props))
    return G


@pytest.mark.parametrize("include_mobility", [True, False])
def test_projected_graph_reads_like_networkx(
    fixture_datasets: list[Dataset], include_mobility: bool
) -> None:
    ds = merged(fixture_datasets)
    # a repeated edge and a repeated node: NetworkX merges them, so must the projection
    rel = next(r for r in ds.relationships if r.type == RelType.REQUIRES)
    again = Relationship(rel.type, rel.start, rel.end, {"weight": 0.25})
    ds = Dataset(ds.source, [*ds.nodes, ds.nodes[0]], [*ds.relationships, again])
    expected = _networkx_graph(ds, include_mobility)
    G = graph_from_dataset(ds, include_mobility=include_mobility)
    assert isinstance(G, ProjectedGraph)
    assert list(G.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
    assert G.number_of_edges() == expected.number_of_edges()
    for n in list(expected)[::7]:
        assert list(G.in_edges(n, keys=True, data=True)) == list(
            expected.in_edges(n, keys=True, data=True)
        )
        assert dict(G[n]) == dict(expected[n])
    assert "nope" not in G
    with pytest.raises(TypeError):
        G.add_edge("a", "b")  # read-only
    some = list(expected)[:40]
    sub, want = G.subgraph(some), expected.subgraph(some)
    assert list(sub.edges(keys=True, data=True)) == list(want.edges(keys=True, data=True))
    copy = G.copy()
    assert list(copy.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
    copy.add_edge("a", "b")  # a copy is an ordinary graph
    # the direct node read gives what G.nodes gives, on the projection and on a copy
    for n in expected:
        assert node_of(G, n) is expected.nodes[n]["node"]
        assert node_of(copy, n) is expected.nodes[n]["node"]
    with pytest.raises(KeyError):
        node_of(G, "nope")


def test_neighbours_are_the_matrix_best_rows(fixtures_graph: nx.MultiDiGraph) -> None:
    ix = index_of(fixtures_graph)
    matrix = similarity_matrix(fixtures_graph)
    best = similarity_neighbours(fixtures_graph, 15)
    for i in range(len(ix.occupations)):
        want = top_k(matrix[i].astype(np.float64), 15)
        cols, scores = best.row(i, 15)
        assert cols.tolist() == want.tolist()
        assert scores.tolist() == matrix[i, want].astype(np.float64).tolist()
    # a smaller k reuses the larger result: its prefix
    assert similarity_neighbours(fixtures_graph, 5) is best


async def _store(path: Path, datasets: list[Dataset]) -> EmbeddedStore:
    store = EmbeddedStore(path)
    await store.open()
    for ds in datasets:
        await store.load(ds)
    return store


def _answers(G: nx.MultiDiGraph) -> tuple:
    ix = index_of(G)
    occ = ix.occupations
    return (
        [similar_occupations(G, o, 5) for o in occ[::9]],
        suggest_transitions(G, Profile(current_occupations=(occ[0],), interests={"S": 1}), 5),
        career_paths(G, occ[1], occ[-1], 3),
        [skill_map(G, kind) for kind in KINDS],
    )


def _warm(G: nx.MultiDiGraph) -> None:
    """What the warm-up computes."""
    for kind in KINDS:
        skill_map(G, kind)
    origin_mix(G)


def _same_index(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    ia, ib = index_of(a), index_of(b)
    for name in persist._INDEX_FIELDS:
        x, y = getattr(ia, name), getattr(ib, name)
        if sp.issparse(x):
            assert x.format == y.format and (x != y).nnz == 0, name
            assert np.array_equal(x.indptr, y.indptr) and np.array_equal(x.data, y.data), name
        elif isinstance(x, np.ndarray):
            # unknown entry levels are NaN: equal when both are unknown
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name
        else:
            assert x == y, name


async def test_saved_projection_gives_the_same_answers(
    tmp_path: Path, fixture_datasets: list[Dataset]
) -> None:
    store = await _store(tmp_path / "s.sqlite", fixture_datasets)
    try:
        first = ProjectionCache(path=tmp_path / "o.npz")
        built = await first.get(store)
        _warm(built)
        assert await first.save() and first.builds == 1
        assert not await first.save()  # nothing new to write
        version = built.graph["version"]
        assert persist.holds(tmp_path / "o.npz", version)
        assert not persist.holds(tmp_path / "o.npz", version + "-other")
        assert not persist.holds(tmp_path / "o.npz", version, include_mobility=False)
        assert not persist.holds(tmp_path / "missing.npz", version)
        (tmp_path / "broken.npz").write_bytes(b"not a zip")
        assert not persist.holds(tmp_path / "broken.npz", version)

        second = ProjectionCache(path=tmp_path / "o.npz")
        loaded = await second.get(store)
        assert (second.loads, second.builds) == (1, 0)
        assert ("skill_map", "skills") in index_of(loaded).cache  # read, not recomputed
        # the feeders' mixing weights too, the very numbers
        mix_key = ("origin_mix", SimilarityWeights())
        assert mix_key in index_of(loaded).cache
        assert np.array_equal(index_of(loaded).cache[mix_key], origin_mix(built))
        # the store's node objects, not copies
        some = next(iter(loaded.nodes))
        assert loaded.nodes[some]["node"] is (await store.get_nodes([some]))[0]
        _same_index(built, loaded)
        # the maps' links read back as arrays: the same sequence as the built ones
        for kind in KINDS:
            made, read = skill_map(built, kind).links, skill_map(loaded, kind).links
            assert isinstance(read, MapLinks) and read == made and list(made) == list(read)
            assert read[len(made) // 2] == made[len(made) // 2] and read[-1] == made[-1]
            assert read[3:9] == made[3:9] and read[-4:] == made[-4:]
            with pytest.raises(IndexError):
                read[len(made)]
            some = {made[0].source, made[-1].target, "not-an-id"}
            assert read.touching(some) == [
                link for link in made if link.source in some or link.target in some
            ]
            unsorted = MapLinks(
                list(reversed(read.ids)), len(read.ids) - 1 - read.ends, read.weights
            )
            assert unsorted == made and unsorted.touching(some) == read.touching(some)
        assert list(loaded.edges(keys=True, data=True)) == list(built.edges(keys=True, data=True))
        assert loaded.graph["version"] == built.graph["version"]
        assert _answers(loaded) == _answers(built)
    finally:
        await store.close()


async def test_a_new_graph_version_is_rebuilt(
    tmp_path: Path, fixture_datasets: list[Dataset]
) -> None:
    store = await _store(tmp_path / "s.sqlite", fixture_datasets)
    try:
        first = ProjectionCache(path=tmp_path / "o.npz")
        index_of(await first.get(store))
        await first.save()
        extra = Node("x:job", NodeType.OCCUPATION, {"en": "x"}, "extra")
        await store.load(Dataset("extra", nodes=[extra]))

        second = ProjectionCache(path=tmp_path / "o.npz")
        G = await second.get(store)
        assert (second.loads, second.builds) == (0, 1) and "x:job" in G
        assert await second.save()
        third = ProjectionCache(path=tmp_path / "o.npz")
        assert "x:job" in await third.get(store) and third.loads == 1
    finally:
        await store.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
async def test_a_broken_file_is_ignored_and_replaced(
    tmp_path: Path, fixture_datasets: list[Dataset], damage: str
) -> None:
    store = await _store(tmp_path / "s.sqlite", fixture_datasets)
    path = tmp_path / "o.npz"
    try:
        first = ProjectionCache(path=path)
        built = await first.get(store)
        await first.save()
        whole = path.read_bytes()
        broken = {
            "garbage": b"not a zip file at all" * 10,
            "truncated": whole[: len(whole) // 2],
        }[damage]
        path.write_bytes(broken)

        second = ProjectionCache(path=path)
        G = await second.get(store)
        assert (second.loads, second.builds) == (0, 1)
        assert list(G.edges(keys=True, data=True)) == list(built.edges(keys=True, data=True))
        assert await second.save()
        assert persist.load(path, G.graph["version"]) is not None
    finally:
        await store.close()


def test_a_file_for_another_version_or_layout_is_not_read(
    tmp_path: Path, fixtures_graph: nx.MultiDiGraph
) -> None:
    index_of(fixtures_graph)
    path = tmp_path / "o.npz"
    persist.save(fixtures_graph, path)
    assert persist.load(path, "fixtures") is not None
    assert persist.load(path, "another") is None
    assert persist.load(path, "fixtures", include_mobility=False) is None
    assert persist.load(tmp_path / "missing.npz", "fixtures") is None
    arrays = persist.snapshot(fixtures_graph)
    arrays["meta"] = persist._text({"format": "old", "version": "fixtures"})
    np.savez(path, **arrays)
    assert persist.load(path, "fixtures") is None


@pytest.mark.neo4j
async def test_saved_projection_on_neo4j(tmp_path: Path, store_factory_neo4j: object) -> None:
    from cartonet.orientation.demo import demo_dataset

    store = await store_factory_neo4j()  # type: ignore[operator]
    try:
        await store.load(demo_dataset())
        first = ProjectionCache(path=tmp_path / "o.npz")
        built = await first.get(store)
        _warm(built)
        assert await first.save()
        second = ProjectionCache(path=tmp_path / "o.npz")
        loaded = await second.get(store)
        assert (second.loads, second.builds) == (1, 0)
        assert list(loaded.edges(keys=True, data=True)) == list(built.edges(keys=True, data=True))
        assert _answers(loaded) == _answers(built)
    finally:
        await store.close()
