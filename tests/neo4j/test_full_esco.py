"""The full ESCO v1.1.1 release on both stores: same load counts, same answers.

The contract suite's full-taxonomy case: it needs ``../shared/data`` and takes a minute
or two (marked slow; it still runs in ``make test``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j_backend import Neo4jService, wipe
from neo4j_parity import (
    SPECIAL_QUERIES,
    compare_lists,
    compare_neighbours,
    compare_search,
    queries_from,
    report_counts,
)

from cartonet.ingest.esco import load_esco
from cartonet.model import Dataset, LoadReport, NodeType, RelType
from cartonet.store.base import NodeFilter
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.neo4j import Neo4jStore

pytestmark = [pytest.mark.slow, pytest.mark.shared_data, pytest.mark.neo4j]

BROAD_PREFIXES = ["pro", "man", "con", "ges", "tec"]
"""Type-ahead's first letters: thousands of candidates each (the slowest searches)."""


@dataclass
class Loaded:
    dataset: Dataset
    embedded: EmbeddedStore
    neo4j: Neo4jStore
    neo4j_fulltext: Neo4jStore  # the same database, searched through the full-text index
    first: tuple[LoadReport, LoadReport]
    second: tuple[LoadReport, LoadReport]


@pytest.fixture(scope="module")
async def loaded(shared_data_dir: Path, neo4j_service: Neo4jService) -> AsyncIterator[Loaded]:
    dataset = load_esco(shared_data_dir / "esco" / "v1.1.1")
    await wipe(neo4j_service)
    neo4j = neo4j_service.store()
    fulltext = neo4j_service.store(label_index=False)
    embedded = EmbeddedStore(":memory:")
    for store in (neo4j, fulltext, embedded):
        await store.open()
    first = (await embedded.load(dataset), await neo4j.load(dataset))
    second = (await embedded.load(dataset), await neo4j.load(dataset))
    yield Loaded(dataset, embedded, neo4j, fulltext, first, second)
    for store in (neo4j, fulltext, embedded):
        await store.close()


def test_full_esco_loads_with_the_same_counts(loaded: Loaded) -> None:
    expected, got = loaded.first
    assert report_counts(got) == report_counts(expected)
    assert got.nodes_written == len(loaded.dataset.nodes)
    assert got.relationships_written == len(loaded.dataset.relationships)
    assert got.stats.occupations == 3008 and got.stats.skills == 13896


def test_reloading_full_esco_writes_nothing(loaded: Loaded) -> None:
    expected, got = loaded.second
    assert report_counts(got) == report_counts(expected)
    assert (got.nodes_written, got.relationships_written) == (0, 0)
    assert got.version == loaded.first[1].version


@pytest.mark.parametrize("path", ["label_index", "fulltext"])
async def test_full_esco_search_matches(loaded: Loaded, path: str) -> None:
    searcher = loaded.neo4j if path == "label_index" else loaded.neo4j_fulltext
    nodes = loaded.dataset.nodes
    queries = [*queries_from(nodes, 40, seed=11), *SPECIAL_QUERIES, *BROAD_PREFIXES]
    assert await compare_search(loaded.embedded, searcher, queries) == []
    skills = [NodeType.SKILL]
    typed = queries_from(nodes, 15, seed=5)
    assert await compare_search(loaded.embedded, searcher, typed, types=skills, first=50) == []


async def test_full_esco_label_index_matches_on_many_queries(loaded: Loaded) -> None:
    # The default path answers in milliseconds: it can afford many more queries.
    nodes = loaded.dataset.nodes
    queries = queries_from(nodes, 300, seed=23)
    assert await compare_search(loaded.embedded, loaded.neo4j, queries) == []
    occupations = [NodeType.OCCUPATION]
    assert (
        await compare_search(
            loaded.embedded, loaded.neo4j, queries[:60], types=occupations, lang="en", first=20
        )
        == []
    )


async def test_full_esco_reads_match(loaded: Loaded) -> None:
    nodes = sorted(loaded.dataset.nodes, key=lambda n: n.id)
    ids = [n.id for n in nodes[::97]]
    assert await loaded.neo4j.get_nodes(ids) == await loaded.embedded.get_nodes(ids)
    await compare_neighbours(
        loaded.embedded, loaded.neo4j, ids, [RelType.REQUIRES, RelType.BROADER]
    )
    top_groups = [n.id for n in nodes if n.type is NodeType.SKILL_GROUP][:3]
    for group in top_groups:
        await compare_lists(
            loaded.embedded, loaded.neo4j, NodeType.SKILL, NodeFilter(group=group), 200, 2
        )
    for type_ in (NodeType.OCCUPATION, NodeType.SKILL):
        await compare_lists(loaded.embedded, loaded.neo4j, type_, NodeFilter(), 500, 3)
        flt = NodeFilter(text="données")
        await compare_lists(loaded.embedded, loaded.neo4j, type_, flt, 100, 2)
