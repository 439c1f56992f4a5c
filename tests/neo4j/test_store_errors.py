"""The Neo4j store without a server: clear errors, fast (no Neo4j needed)."""

from __future__ import annotations

import asyncio
import socket

import pytest

from cartonet.errors import StoreUnavailable
from cartonet.settings import Settings
from cartonet.store import make_store
from cartonet.store.neo4j import Neo4jStore

ANSWER_WITHIN = 2.0


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def store_without_server() -> Neo4jStore:
    store = Neo4jStore(f"bolt://127.0.0.1:{_closed_port()}")
    yield store
    await store.close()


async def test_open_fails_fast_naming_the_server(store_without_server: Neo4jStore) -> None:
    with pytest.raises(StoreUnavailable) as caught:
        await asyncio.wait_for(store_without_server.open(), ANSWER_WITHIN)
    assert store_without_server.uri in str(caught.value)
    assert "unavailable" in str(caught.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.ping(),
        lambda s: s.stats(),
        lambda s: s.get_nodes(["x"]),
        lambda s: s.search("nurse", None, None, 5),
    ],
    ids=["ping", "stats", "get_nodes", "search"],
)
async def test_every_call_fails_fast_when_down(store_without_server: Neo4jStore, call) -> None:
    with pytest.raises(StoreUnavailable):
        await asyncio.wait_for(call(store_without_server), ANSWER_WITHIN)


def test_settings_pick_the_neo4j_store() -> None:
    settings = Settings.from_env(
        {
            "CARTONET_STORE": "neo4j://db.example:7687",
            "CARTONET_NEO4J_USER": "reader",
            "CARTONET_NEO4J_PASSWORD": "secret-password",
            "CARTONET_NEO4J_DATABASE": "skills",
        }
    )
    store = make_store(settings)
    assert isinstance(store, Neo4jStore)
    assert (store.uri, store.database) == ("neo4j://db.example:7687", "skills")
    assert "secret-password" not in repr(store)


async def test_a_malformed_uri_is_store_unavailable() -> None:
    store = Neo4jStore("bolt://127.0.0.1:notaport")
    with pytest.raises(StoreUnavailable, match="notaport"):
        await store.open()
    await store.close()
