"""Fixtures of the Neo4j tests: the shared real server (see ``neo4j_backend.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from neo4j_backend import StoreFactory, neo4j_service, store_factory_neo4j

from cartonet.store.neo4j import Neo4jStore

__all__ = ["neo4j_service", "store_factory_neo4j"]


@pytest.fixture
async def neo4j_store(store_factory_neo4j: StoreFactory) -> AsyncIterator[Neo4jStore]:
    """An opened Neo4j store over an empty database."""
    store = await store_factory_neo4j()
    assert isinstance(store, Neo4jStore)
    yield store
    await store.close()
