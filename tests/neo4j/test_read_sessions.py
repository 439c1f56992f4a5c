"""The Neo4j store reuses its read sessions: a read that went through gives its session
back, a failed one does not, and closing the store closes them."""

from __future__ import annotations

import asyncio

import pytest
from neo4j.exceptions import CypherSyntaxError
from neo4j_backend import Neo4jService

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
