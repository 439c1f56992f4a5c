"""The projection cache: rebuilt exactly when the store's version changes, once under
concurrency, and the same orientation answers from both store backends."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from cartonet.model import Dataset, Node, NodeType
from cartonet.orientation.cache import ProjectionCache, projection_cache
from cartonet.orientation.demo import demo_dataset
from cartonet.orientation.paths import career_paths
from cartonet.orientation.profile import Profile
from cartonet.orientation.projection import project
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.transitions import suggest_transitions
from cartonet.store.embedded import EmbeddedStore


class CountingStore:
    """A store double answering ``version``, ``export`` and ``get_nodes`` only, counting
    exports, with a slow export so concurrent callers really overlap. Like the embedded
    store, it hands out the very nodes it holds."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.current = "v1"
        self.exports = 0
        self.bump_during_export = False

    async def version(self) -> str:
        return self.current

    async def get_nodes(self, ids: list[str]) -> list[Node | None]:
        nodes = {n.id: n for n in self.dataset.nodes}
        return [nodes.get(i) for i in ids]

    async def export(self) -> Dataset:
        self.exports += 1
        await asyncio.sleep(0.05)
        if self.bump_during_export:
            self.bump_during_export = False
            self.current = "v3"
        return self.dataset


async def test_built_once_under_concurrent_requests() -> None:
    store = CountingStore(demo_dataset())
    cache = ProjectionCache()
    graphs = await asyncio.gather(*(cache.get(store) for _ in range(20)))  # type: ignore[arg-type]
    assert store.exports == 1 and cache.builds == 1
    assert all(g is graphs[0] for g in graphs)
    assert graphs[0].graph["version"] == "v1"
    assert await cache.get(store) is graphs[0]  # type: ignore[arg-type]
    assert store.exports == 1


async def test_rebuilt_when_the_version_moves() -> None:
    store = CountingStore(demo_dataset())
    cache = ProjectionCache()
    first = await cache.get(store)  # type: ignore[arg-type]
    store.current = "v2"
    second = await cache.get(store)  # type: ignore[arg-type]
    assert second is not first and cache.builds == 2 and second.graph["version"] == "v2"
    # a load landing during the export: exported again, tagged with the new version
    store.current = "v2b"
    store.bump_during_export = True
    third = await cache.get(store)  # type: ignore[arg-type]
    assert third.graph["version"] == "v3" and store.exports == 4


def test_projection_cache_lives_in_the_app_cache() -> None:
    shared: dict = {}
    assert projection_cache(shared) is projection_cache(shared)


async def test_embedded_store_reload_triggers_a_rebuild(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.sqlite")
    await store.open()
    try:
        await store.load(demo_dataset())
        cache = ProjectionCache()
        g1 = await cache.get(store)
        assert await cache.get(store) is g1
        extra = Dataset(
            "demo-extra", nodes=[Node("x:job", NodeType.OCCUPATION, {"en": "x"}, "demo-extra")]
        )
        await store.load(extra)
        g2 = await cache.get(store)
        assert g2 is not g1 and "x:job" in g2 and "x:job" not in g1
        assert cache.builds == 2
    finally:
        await store.close()


async def _answers(store: object) -> tuple:
    G = await project(store)  # type: ignore[arg-type]
    return (
        sorted(G.nodes),
        sorted((u, v, k) for u, v, k in G.edges(keys=True)),
        similar_occupations(G, "demo:cook", 5),
        suggest_transitions(
            G, Profile(current_occupations=("demo:care-assistant",), interests={"S": 1}), 5
        ),
        career_paths(G, "demo:kitchen-porter", "demo:nurse", 3),
    )


@pytest.mark.neo4j
async def test_both_backends_give_the_same_answers(
    tmp_path: Path, store_factory_neo4j: object
) -> None:
    embedded = EmbeddedStore(tmp_path / "e.sqlite")
    await embedded.open()
    neo = await store_factory_neo4j()  # type: ignore[operator]
    try:
        for s in (embedded, neo):
            await s.load(demo_dataset())
        a, b = await _answers(embedded), await _answers(neo)
        for x, y in itertools.zip_longest(a, b):
            assert x == y
    finally:
        await embedded.close()
        await neo.close()


def test_derived_results_are_built_once_across_threads() -> None:
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from cartonet.orientation.demo import demo_graph
    from cartonet.orientation.index import index_of

    ix = index_of(demo_graph())
    calls: list[int] = []
    started = threading.Event()

    def build() -> object:
        calls.append(1)
        started.set()
        time.sleep(0.05)
        return object()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: ix.once(("test", 1), build), range(8)))
    assert len(calls) == 1 and all(r is results[0] for r in results)
    # another key is not held up by a build in progress: the slow build only ends once the
    # fast key has been built (the wait's timeout just avoids a hang if that were broken)
    release, inside = threading.Event(), threading.Event()
    seen: list[bool] = []

    def slow_build() -> int:
        inside.set()
        seen.append(release.wait(timeout=10))
        return 1

    slow = threading.Thread(target=ix.once, args=(("slow", 1), slow_build))
    slow.start()
    inside.wait(timeout=10)
    assert ix.once(("fast", 1), lambda: 2) == 2
    release.set()
    slow.join()
    assert seen == [True]
