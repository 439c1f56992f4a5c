"""Graph stores: one protocol (:mod:`.base`), an embedded backend and a Neo4j backend."""

from __future__ import annotations

from cartonet.settings import Settings
from cartonet.store.base import Direction, Edge, EdgePage, NodeFilter, Page, SearchHit, Store

__all__ = [
    "Direction",
    "Edge",
    "EdgePage",
    "NodeFilter",
    "Page",
    "SearchHit",
    "Store",
    "make_store",
]


def make_store(settings: Settings) -> Store:
    """The store that ``settings`` names (not yet opened: ``await store.open()``)."""
    if settings.is_neo4j:
        from cartonet.store.neo4j import Neo4jStore  # the driver is only imported when used

        return Neo4jStore(
            uri=settings.store or "",
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
        )
    from cartonet.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.embedded_path)
