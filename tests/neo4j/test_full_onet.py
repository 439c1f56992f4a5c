"""The full O*NET 29.3 release on both stores: same load counts, same reads.

Needs ``../shared/data`` (marked slow: the workbooks take ~20 s to read)."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j_backend import Neo4jService, wipe
from neo4j_parity import compare_lists, compare_neighbours, report_counts

from cartonet.ingest.onet import load_onet
from cartonet.model import NodeType, RelType
from cartonet.orientation.index import index_of
from cartonet.orientation.projection import graph_from_dataset
from cartonet.orientation.similarity import similar_occupations
from cartonet.store.base import NodeFilter
from cartonet.store.embedded import EmbeddedStore
from cartonet_testing import need

pytestmark = [pytest.mark.slow, pytest.mark.shared_data, pytest.mark.neo4j]


async def test_full_onet_loads_and_reads_the_same(
    shared_data_dir: Path, neo4j_service: Neo4jService
) -> None:
    path = shared_data_dir / "onet" / "29.3"
    need(path.is_dir(), f"O*NET 29.3 not found at {path}")
    dataset = load_onet(path)
    await wipe(neo4j_service)
    neo4j = neo4j_service.store()
    embedded = EmbeddedStore(":memory:")
    for store in (neo4j, embedded):
        await store.open()
    try:
        expected, got = await embedded.load(dataset), await neo4j.load(dataset)
        assert report_counts(got) == report_counts(expected)
        assert got.stats.occupations == 1016 and got.stats.skills == 84
        again = await neo4j.load(dataset)
        assert (again.nodes_written, again.relationships_written) == (0, 0)
        ids = [n.id for n in sorted(dataset.nodes, key=lambda n: n.id)[::37]]
        assert await neo4j.get_nodes(ids) == await embedded.get_nodes(ids)
        await compare_neighbours(
            embedded, neo4j, ids, [RelType.REQUIRES, RelType.BROADER, RelType.MATCHES_INTEREST]
        )
        major = NodeFilter(group="onet-group:15-0000")
        await compare_lists(embedded, neo4j, NodeType.OCCUPATION, major, 50, 2)
        # the continuous requirement weights come back the same, and so do the answers
        G_neo4j = graph_from_dataset(await neo4j.export())
        G_embedded = graph_from_dataset(await embedded.export())
        weights = index_of(G_neo4j).relevance
        assert (weights != index_of(G_embedded).relevance).nnz == 0
        assert len(set(weights.data.tolist())) > 2  # not only 1 / 0.5
        for origin in [o for o in ids if o.startswith("onet:")][:8]:
            assert similar_occupations(G_neo4j, origin, k=10) == similar_occupations(
                G_embedded, origin, k=10
            )
    finally:
        for store in (neo4j, embedded):
            await store.close()
