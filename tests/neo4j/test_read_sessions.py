"""The Neo4j store reuses its read sessions: a read that went through gives its session
back, a failed one does not, and closing the store closes them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from neo4j.exceptions import CypherSyntaxError
from neo4j_backend import Neo4jService

from cartonet.store.base import NodeFilter
from cartonet.store.neo4j import IDLE_SESSIONS


async def test_reads_reuse_sessions_and_drop_failed_ones(neo4j_service: Neo4jService) -> None:
    store = neo4j_service.store()
    await store.open()
    try:
        await store.ping()
        (session,) = store._idle_sessions
        await store.version()
        assert store._idle_sessions == [session]  # the same session served the next read
        await asyncio.gather(*(store.ping() for _ in range(5)))
        assert 1 <= len(store._idle_sessions) <= min(5, IDLE_SESSIONS)
        kept = list(store._idle_sessions)
        store._rendered[("ping", None, None)] = "RETURN 1 AS"  # a statement the server refuses
        with pytest.raises(CypherSyntaxError):
            await store.ping()
        assert store._idle_sessions == kept[:-1]  # the failed read's session is not back
        del store._rendered[("ping", None, None)]
        await store.ping()  # reads go on with the sessions left
        assert store._idle_sessions == kept[:-1]
    finally:
        await store.close()
    assert store._idle_sessions == []


async def test_concurrent_lookups_are_merged_and_answer_as_alone(
    neo4j_service: Neo4jService,
) -> None:
    """Lookups of concurrent requests with their nested list run as one statement, and
    each gets what it gets alone (the same id asked twice included)."""
    from neo4j_backend import fill_with_fixtures

    from cartonet.model import NodeType, RelType
    from cartonet.store.base import Direction

    await fill_with_fixtures(neo4j_service)
    store = neo4j_service.store()
    await store.open()
    try:
        page = await store.list_nodes(NodeType.OCCUPATION, NodeFilter(), 6, None)
        ids = [n.id for n in page.items]
        asked = [[ids[0], ids[1]], [ids[1], "no-such-id"], [ids[2]], [ids[0]], ids[3:6]]

        def pages(batch: list[str]) -> Any:
            return store.get_nodes_with_pages(
                batch, RelType.REQUIRES, Direction.OUT, NodeType.SKILL, 3
            )

        def edges(batch: list[str]) -> Any:
            return store.get_nodes_with_neighbours(batch, RelType.REQUIRES, Direction.OUT)

        for read in (pages, edges):
            alone = [await read(batch) for batch in asked]
            before = store._merged.statements
            together = await asyncio.gather(*(read(batch) for batch in asked))
            assert list(together) == alone
            assert store._merged.statements == before + 1
        assert any(alone_page.edges for alone_page in (await pages(ids[:1]))[1].values())
    finally:
        await store.close()


async def test_labels_only_reads_send_labels_only(neo4j_service: Neo4jService) -> None:
    """On Neo4j, ``labels_only`` reads do leave the rest out (what the API saves by
    asking): every other node comes with its id, type, source and labels, marked partial,
    with properties that raise when read; the same read without it sends them whole."""
    from neo4j_backend import fill_with_fixtures

    from cartonet.model import PROPS_LEFT_OUT, NodeType, RelType
    from cartonet.store.base import Direction

    await fill_with_fixtures(neo4j_service)
    store = neo4j_service.store()
    await store.open()
    try:
        page = await store.list_nodes(NodeType.OCCUPATION, NodeFilter(), 20, None)
        ids = [n.id for n in page.items]
        args = (ids, RelType.REQUIRES, Direction.OUT)
        _, lists = await store.get_nodes_with_neighbours(*args, labels_only=True)
        pages = await store.neighbour_pages(*args, NodeType.SKILL, 5, labels_only=True)
        met = [e.node for edges in lists.values() for e in edges]
        met += [e.node for p in pages.values() for e in p.edges]
        assert met
        whole = {n.id: n for n in await store.get_nodes([n.id for n in met]) if n}
        for node in met:
            assert node.props is PROPS_LEFT_OUT and not node.complete
            assert (node.type, node.source, node.labels) == (
                whole[node.id].type,
                whole[node.id].source,
                whole[node.id].labels,
            )
        assert any(whole[n.id].props for n in met), "the skills have properties to leave out"
        plain = await store.neighbours(*args, text=False)
        assert all(e.node.props is not PROPS_LEFT_OUT for edges in plain.values() for e in edges)
        # the looked-up nodes leave their texts out when asked to, and only then
        light, _ = await store.get_nodes_with_neighbours(*args, node_text=False)
        paged, _ = await store.get_nodes_with_pages(*args, NodeType.SKILL, 5, node_text=False)
        whole_nodes, _ = await store.get_nodes_with_neighbours(*args)
        by_id = {n.id: n for n in whole_nodes if n is not None}
        assert any(n.descriptions for n in by_id.values()), "the occupations have texts"
        for node in (n for n in (*light, *paged) if n is not None):
            assert not node.complete and not node.descriptions and not node.alt_labels
            assert (node.labels, node.props) == (by_id[node.id].labels, by_id[node.id].props)
    finally:
        await store.close()
