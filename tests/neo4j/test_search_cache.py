"""What the Neo4j store caches for search (the label index, or the full-text path's
vocabulary) follows the graph version: a load by another process is searched at once,
an unchanged graph is not read again, concurrent first searches read it once.

"Another process" is a second store with its own driver: the server cannot tell the two
apart, and the searching store learns of the load only through the graph version. The
reference answers are an embedded store's that received the same loads.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from neo4j_backend import Neo4jService, wipe
from neo4j_parity import queries_from

from cartonet.ingest.fixtures import load_fixtures
from cartonet.model import Dataset
from cartonet.store.base import SearchHit
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.neo4j import Neo4jStore
from cartonet.store.neo4j_search import LabelIndex, load_label_index

MODES = {"label_index": True, "fulltext": False}


@dataclasses.dataclass
class Stores:
    searcher: Neo4jStore  # the store under test: searches only
    writer: Neo4jStore  # "another process": loads only
    reference: EmbeddedStore  # receives the same loads

    async def load(self, dataset: Dataset, replace: bool = False) -> None:
        await self.writer.load(dataset, replace=replace)
        await self.reference.load(dataset, replace=replace)

    async def answers(self, queries: list[str]) -> list[list[SearchHit]]:
        """The searcher's hits for each query, checked against the reference's."""
        found = [await self.searcher.search(q, None, None, 10) for q in queries]
        expected = [await self.reference.search(q, None, None, 10) for q in queries]
        assert [q for q, a, b in zip(queries, found, expected, strict=True) if a != b] == []
        return found


@pytest.fixture(scope="module")
def esco_rome() -> tuple[Dataset, Dataset]:
    datasets = {d.source.split("-")[0]: d for d in load_fixtures()}
    return datasets["esco"], datasets["rome"]


@pytest.fixture(params=list(MODES))
async def stores(
    request: pytest.FixtureRequest, neo4j_service: Neo4jService
) -> AsyncIterator[Stores]:
    await wipe(neo4j_service)
    searcher = neo4j_service.store(label_index=MODES[request.param])
    writer = neo4j_service.store()
    reference = EmbeddedStore(":memory:")
    for store in (searcher, writer, reference):
        await store.open()
    yield Stores(searcher, writer, reference)
    for store in (searcher, writer, reference):
        await store.close()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The versions the label index is built for, in order."""
    versions: list[str] = []
    build = LabelIndex.build.__func__  # type: ignore[attr-defined]

    def counting(cls: type[LabelIndex], version: str, entries: list) -> LabelIndex:
        versions.append(version)
        return build(cls, version, entries)

    monkeypatch.setattr(LabelIndex, "build", classmethod(counting))
    return versions


def _queries(*datasets: Dataset) -> list[str]:
    """Typed-like queries (labels, misspelt, cut short) and a few whole labels."""
    nodes = [n for d in datasets for n in d.nodes]
    return [*queries_from(nodes, 16, seed=13), *(n.label("fr") for n in nodes[::500])]


def _without_some_nodes(dataset: Dataset) -> Dataset:
    """The dataset less one node in ten (and their relationships): a replace load of it
    removes real nodes."""
    kept = [n for i, n in enumerate(dataset.nodes) if i % 10]
    ids = {n.id for n in kept}
    rels = [r for r in dataset.relationships if r.start in ids and r.end in ids]
    return Dataset(dataset.source, kept, rels)


async def test_a_load_by_another_process_is_searched_at_once(
    stores: Stores, esco_rome: tuple[Dataset, Dataset], builds: list[str]
) -> None:
    esco, rome = esco_rome
    queries = _queries(esco, rome)
    await stores.load(rome)
    await stores.searcher.warm()
    before = await stores.answers(queries)

    # New nodes the cached labels know nothing of; concurrent searches then rebuild once.
    await stores.load(esco)
    found = await asyncio.gather(*(stores.searcher.search(q, None, None, 10) for q in queries))
    assert found == await stores.answers(queries)
    assert found != before  # the load changed answers, and the searcher followed
    if stores.searcher.label_index:
        assert len(builds) == 2 and builds[-1] == await stores.searcher.version()
    else:
        assert builds == []

    # Removed nodes: hits that must go.
    smaller = _without_some_nodes(rome)
    gone = {n.id for n in rome.nodes} - {n.id for n in smaller.nodes}
    probes = [n.label("fr") for n in rome.nodes if n.id in gone][:10]
    found = await stores.answers(probes)
    assert any(hit.node.id in gone for hits in found for hit in hits)
    await stores.load(smaller, replace=True)
    found = await stores.answers([*queries, *probes])
    assert not any(hit.node.id in gone for hits in found for hit in hits)


async def test_the_label_index_is_read_once_per_version(
    neo4j_service: Neo4jService, esco_rome: tuple[Dataset, Dataset], builds: list[str]
) -> None:
    _, rome = esco_rome
    smaller = _without_some_nodes(rome)
    await wipe(neo4j_service)
    searcher, writer = neo4j_service.store(), neo4j_service.store()
    await searcher.open()
    await writer.open()
    try:
        await writer.load(smaller)
        first = await searcher.version()
        for query in _queries(rome)[:10]:
            await searcher.search(query, None, None, 10)
        assert builds == [first]

        await writer.load(smaller)  # nothing written: same version, nothing read again
        await searcher.search("infirmier", None, None, 10)
        assert builds == [first]

        await writer.load(rome)
        second = await searcher.version()
        await searcher.search("infirmier", None, None, 10)
        await searcher.search("nurse", None, None, 10)
        assert builds == [first, second] and second != first

        await searcher.load(smaller, replace=True)  # its own load
        third = await searcher.version()
        await searcher.search("infirmier", None, None, 10)
        assert builds == [first, second, third] and third != second
    finally:
        await searcher.close()
        await writer.close()


async def test_a_search_that_gives_up_leaves_the_label_index_building(
    neo4j_service: Neo4jService, esco_rome: tuple[Dataset, Dataset], builds: list[str]
) -> None:
    """A first search on a cold server can outlast its request's timeout; the build of the
    label index goes on without it, and the next search uses that build."""
    _, rome = esco_rome
    await wipe(neo4j_service)
    searcher, writer = neo4j_service.store(), neo4j_service.store()
    await searcher.open()
    await writer.open()
    try:
        await writer.load(rome)
        with pytest.raises(TimeoutError):
            # Gives up at once, as a request past its timeout does (reading the labels
            # takes round trips to the server: it cannot be done this soon).
            await asyncio.wait_for(searcher.search("infirmier", None, None, 10), 0.001)
        for _ in range(1200):  # bounded: a minute
            if builds:
                break
            await asyncio.sleep(0.05)
        assert builds == [await searcher.version()], "the build went on without its waiter"
        assert await searcher.search("infirmier", None, None, 10)
        assert len(builds) == 1
    finally:
        await searcher.close()
        await writer.close()


async def test_the_label_index_is_read_back_from_its_file_for_the_same_version(
    neo4j_service: Neo4jService,
    esco_rome: tuple[Dataset, Dataset],
    builds: list[str],
    tmp_path: Path,
) -> None:
    """``warm(cache_file)`` writes the label index; a restart on the same graph reads it
    back (no label read from the server) and answers the same; after a load, the file is
    not trusted: the index is built again and the file replaced."""
    esco, rome = esco_rome
    cache = tmp_path / "labels.npz"
    await wipe(neo4j_service)
    first, second, reference = (
        neo4j_service.store(),
        neo4j_service.store(),
        EmbeddedStore(":memory:"),
    )
    for store in (first, second, reference):
        await store.open()
    try:
        for store in (first, reference):
            await store.load(rome)
        await first.warm(cache)
        assert cache.is_file() and builds == [await first.version()]
        await second.warm(cache)  # a restart: read back, not built
        assert builds == [await first.version()]
        queries = _queries(rome)
        expected = [await reference.search(q, None, None, 10) for q in queries]
        assert [await second.search(q, None, None, 10) for q in queries] == expected
        assert [await first.search(q, None, None, 10) for q in queries] == expected

        for store in (first, reference):
            await store.load(esco)
        queries = _queries(esco, rome)
        expected = [await reference.search(q, None, None, 10) for q in queries]
        # the first search sees the new version and builds; warm then writes that one
        assert [await second.search(q, None, None, 10) for q in queries] == expected
        assert builds == [builds[0], await second.version()]
        assert load_label_index(cache, await second.version()) is None
        await second.warm(cache)
        assert load_label_index(cache, await second.version()) is not None
        third = neo4j_service.store()
        await third.open()
        try:
            await third.warm(cache)  # read back: no third build
            assert len(builds) == 2
            assert [await third.search(q, None, None, 10) for q in queries] == expected
        finally:
            await third.close()
    finally:
        for store in (first, second, reference):
            await store.close()
