"""A load on Neo4j is all or nothing, and other sessions never see half of it."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import AsyncIterator

import pytest
from neo4j.exceptions import ConstraintError
from neo4j_backend import Neo4jService, wipe

from cartonet.ingest.fixtures import load_fixtures
from cartonet.model import Dataset, Stats
from cartonet.store.neo4j import BATCH, Neo4jStore


class Interrupted(Exception):
    """Raised from the progress callback: a load stopped half-way."""


@pytest.fixture(scope="module")
def rome() -> Dataset:
    """The bundled ROME subset: real records, several batches of relationships."""
    dataset = next(d for d in load_fixtures() if d.source.startswith("rome"))
    assert len(dataset.relationships) > BATCH
    return dataset


@pytest.fixture
async def store(neo4j_service: Neo4jService) -> AsyncIterator[Neo4jStore]:
    await wipe(neo4j_service)
    store = neo4j_service.store()
    await store.open()
    yield store
    await store.close()


async def _snapshot(store: Neo4jStore) -> tuple[object, ...]:
    return await store.version(), await store.stats(), await store.export()


def _changed(dataset: Dataset) -> Dataset:
    """The dataset with every node relabelled, every weight halved and one node in twenty
    gone (for a replace load: writes and removals of both kinds, several batches)."""
    nodes = [
        dataclasses.replace(n, labels={**n.labels, "en": f"{n.label('en')} (changed)"})
        for i, n in enumerate(dataset.nodes)
        if i % 20
    ]
    kept = {n.id for n in nodes}
    rels = [
        dataclasses.replace(r, props={**r.props, "weight": r.props["weight"] / 2})
        if "weight" in r.props
        else r
        for r in dataset.relationships
        if r.start in kept and r.end in kept
    ]
    assert sum("weight" in r.props for r in rels) > BATCH
    return Dataset(dataset.source, nodes, rels)


@pytest.mark.parametrize("phase", ["nodes", "relationships"])
async def test_a_load_interrupted_half_way_changes_nothing(
    store: Neo4jStore, rome: Dataset, phase: str
) -> None:
    await store.load(rome)
    before = await _snapshot(store)

    def stop_half_way(current: str, done: int, total: int) -> None:
        if current == phase and 0 < done < total:
            raise Interrupted(f"{current} {done}/{total}")

    with pytest.raises(Interrupted):
        await store.load(_changed(rome), replace=True, progress=stop_half_way)
    assert await _snapshot(store) == before


async def test_an_interrupted_first_load_leaves_an_empty_graph(
    store: Neo4jStore, rome: Dataset
) -> None:
    before = await _snapshot(store)

    def stop(current: str, done: int, total: int) -> None:
        if current == "relationships" and done > 0:
            raise Interrupted

    with pytest.raises(Interrupted):
        await store.load(rome, progress=stop)
    assert await _snapshot(store) == before
    assert (await store.stats()).occupations == 0


async def test_other_sessions_see_the_old_graph_until_commit(
    store: Neo4jStore, neo4j_service: Neo4jService, rome: Dataset
) -> None:
    await store.load(rome)
    before = await store.stats()
    seen: list[Stats] = []

    def read_elsewhere() -> None:
        """Another process's view: its own store, driver and event loop."""

        async def read() -> Stats:
            other = neo4j_service.store()
            try:
                return await other.stats()
            finally:
                await other.close()

        seen.append(asyncio.run(read()))

    def look_half_way(current: str, done: int, total: int) -> None:
        if current == "relationships" and 0 < done < total and not seen:
            reader = threading.Thread(target=read_elsewhere)
            reader.start()
            reader.join(timeout=60)  # the load waits here, its transaction open

    report = await store.load(_changed(rome), replace=True, progress=look_half_way)
    assert report.nodes_written and report.nodes_removed and report.relationships_removed
    assert seen == [before]
    assert await store.stats() == report.stats != before


async def test_the_schema_applies_twice_and_enforces_unique_ids(
    store: Neo4jStore, neo4j_service: Neo4jService, rome: Dataset
) -> None:
    async with neo4j_service.driver() as driver:
        show = "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties RETURN * ORDER BY name"
        first = (await driver.execute_query(show, database_=neo4j_service.database)).records
        again = neo4j_service.store()
        await again.open()  # applies the schema a second time
        await again.close()
        second = (await driver.execute_query(show, database_=neo4j_service.database)).records
        assert [r.data() for r in first] == [r.data() for r in second]

        await store.load(rome)
        node = rome.nodes[0]
        with pytest.raises(ConstraintError):
            await driver.execute_query(
                f"CREATE (:{node.type.value} {{id: $id}})",
                {"id": node.id},
                database_=neo4j_service.database,
            )
