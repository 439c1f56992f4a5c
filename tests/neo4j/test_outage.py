"""Outage behaviour of the service on a real Neo4j: the server is stopped mid-run, the
service says so fast and clearly, and it recovers by itself when the server is back.

This test runs its own Neo4j (not the suite's shared one), so stopping it disturbs no
other test. ``/readyz`` and the GraphQL query are given 2 s each: that bound is the
requirement under test (answers must not hang), not a speed measurement.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from neo4j_backend import Neo4jRuntimeError, Neo4jServer, need

from cartonet.api.app import create_app
from cartonet.errors import StoreUnavailable
from cartonet.ingest.fixtures import load_fixtures
from cartonet.settings import Settings
from cartonet.store import make_store
from cartonet.store.neo4j import Neo4jStore

PASSWORD = "outage-test-password"
ANSWER_WITHIN = 2.0
RECOVERY_WITHIN = 60.0
STATS = "{ stats { occupations skills relations version } }"


@pytest.fixture(scope="module")
def own_server() -> Iterator[Neo4jServer]:
    """A Neo4j of this test's own, in a temporary home, on a free port, with auth on (so
    the credentials path is exercised too)."""
    server = Neo4jServer(heap="512m", password=PASSWORD)
    try:
        server.start()
    except (Neo4jRuntimeError, OSError) as exc:
        server.close()
        need(False, f"cannot start a real Neo4j for the outage test: {exc}")
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
async def client(own_server: Neo4jServer) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(store=own_server.uri, neo4j_user="neo4j", neo4j_password=PASSWORD)
    store = make_store(settings)
    await store.open()
    # Real records (the bundled ROME subset) so the queries read something.
    await store.load(next(d for d in load_fixtures() if d.source.startswith("rome")))
    app = create_app(settings, store)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://cartonet.test"
        ) as client,
    ):
        yield client


async def _get(client: httpx.AsyncClient, path: str) -> httpx.Response:
    return await asyncio.wait_for(client.get(path), ANSWER_WITHIN)


async def _query(client: httpx.AsyncClient, within: float = ANSWER_WITHIN) -> dict:
    response = await asyncio.wait_for(client.post("/graphql", json={"query": STATS}), within)
    assert response.status_code == 200, response.text
    return response.json()


async def test_outage_is_reported_fast_and_recovers_by_itself(
    own_server: Neo4jServer, client: httpx.AsyncClient
) -> None:
    assert (await _get(client, "/readyz")).status_code == 200
    before = await _query(client)
    assert "errors" not in before and before["data"]["stats"]["occupations"] > 0

    own_server.stop()

    ready = await _get(client, "/readyz")
    assert ready.status_code == 503
    assert own_server.uri in ready.json()["reason"]
    body = await _query(client)
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "STORE_UNAVAILABLE"
    assert own_server.uri in error["message"]
    assert "Traceback" not in str(body) and 'File "' not in str(body)

    # Same port, same home: the data is still there; nobody reopens the store by hand.
    await asyncio.to_thread(own_server.restart)
    # A bound on waiting, not a speed check: without it a broken recovery would hang the run.
    async with asyncio.timeout(RECOVERY_WITHIN):
        while (await _get(client, "/readyz")).status_code != 200:
            await asyncio.sleep(0.2)
    # A cold server plans its queries afresh: recovery is not held to the 2 s bound.
    after = await _query(client, within=RECOVERY_WITHIN)
    assert after == before


async def test_wrong_password_is_store_unavailable(own_server: Neo4jServer) -> None:
    store = Neo4jStore(own_server.uri, "neo4j", PASSWORD + "-wrong")
    try:
        with pytest.raises(StoreUnavailable, match="authentication failed"):
            await asyncio.wait_for(store.open(), ANSWER_WITHIN)
    finally:
        await store.close()
