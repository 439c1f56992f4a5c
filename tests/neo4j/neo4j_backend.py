"""The real Neo4j server the suite runs against, shared by ``tests/neo4j`` and the contract
suite (``tests/contract`` imports :func:`neo4j_service` and :func:`store_factory_neo4j`).

One server per test process: ``CARTONET_NEO4J_URI`` when set (with
``CARTONET_NEO4J_USER`` / ``CARTONET_NEO4J_PASSWORD`` / ``CARTONET_NEO4J_DATABASE``),
otherwise a Neo4j Community started by ``tools/neo4j_server.py`` on a free loopback port
in a temporary home, stopped when the session ends. A server that cannot start skips the
Neo4j tests with the reason locally and fails them under ``CI=true`` (the ``need`` rule of
``tests/cartonet_testing.py``).

Every store the factory makes starts from an empty database: the factory deletes every
node first, so only one Neo4j store per test may hold data at a time.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j import AsyncDriver, AsyncGraphDatabase

from cartonet.store.base import Store
from cartonet.store.neo4j import Neo4jStore
from cartonet_testing import need

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_HEAP = "2g"
"""Heap of the test server: a full ESCO load is one transaction (see docs/neo4j.md)."""

sys.path.insert(0, str(REPO_ROOT / "tools"))
from neo4j_server import Neo4jRuntimeError, Neo4jServer  # noqa: E402

__all__ = [
    "Neo4jRuntimeError",
    "Neo4jServer",
    "Neo4jService",
    "fill_with_fixtures",
    "need",
    "serve_env",
    "wipe",
]

StoreFactory = Callable[[], Awaitable[Store]]


@dataclass(frozen=True)
class Neo4jService:
    """Where the test Neo4j answers. ``server`` is ``None`` for an external one."""

    uri: str
    user: str | None
    password: str | None
    database: str
    server: Neo4jServer | None
    startup_seconds: float | None

    def store(self, *, label_index: bool = True) -> Neo4jStore:
        """A new store on the test database; ``label_index=False``: the full-text path."""
        return Neo4jStore(
            self.uri, self.user, self.password, self.database, label_index=label_index
        )

    def driver(self) -> AsyncDriver:
        """A driver of the test's own (for set-up and checks, not for the store)."""
        auth = (self.user or "neo4j", self.password) if self.password else None
        return AsyncGraphDatabase.driver(self.uri, auth=auth)


_service: Neo4jService | None = None
_failure: str | None = None


def _start(config: pytest.Config) -> Neo4jService:
    uri = os.environ.get("CARTONET_NEO4J_URI")
    database = os.environ.get("CARTONET_NEO4J_DATABASE") or "neo4j"
    if uri:
        return Neo4jService(
            uri,
            os.environ.get("CARTONET_NEO4J_USER") or None,
            os.environ.get("CARTONET_NEO4J_PASSWORD") or None,
            database,
            None,
            None,
        )
    server = Neo4jServer(heap=os.environ.get("NEO4J_HEAP") or TEST_HEAP)
    started = time.monotonic()
    try:
        server.start()
    except (Neo4jRuntimeError, OSError) as exc:
        server.close()
        raise RuntimeError(f"cannot start a real Neo4j for the tests: {exc}") from exc
    config.add_cleanup(server.close)
    user, password = server.auth or (None, None)
    return Neo4jService(server.uri, user, password, database, server, time.monotonic() - started)


@pytest.fixture(scope="session")
def neo4j_service(pytestconfig: pytest.Config) -> Neo4jService:
    """The suite's Neo4j (started once per process, whichever folder asks first).

    Synchronous on purpose: the contract suite asks for backend fixtures from inside an
    async fixture (``request.getfixturevalue``), where an async fixture cannot be set up.
    """
    global _service, _failure
    if _service is None and _failure is None:
        try:
            _service = _start(pytestconfig)
        except RuntimeError as exc:
            _failure = str(exc)
    need(_service is not None, _failure or "no Neo4j")
    assert _service is not None
    return _service


async def wipe(service: Neo4jService) -> None:
    """Delete every node and relationship of the test database (the schema stays)."""
    async with service.driver() as driver, driver.session(database=service.database) as session:
        # Batched deletes need an auto-commit transaction (session.run).
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()


async def fill_with_fixtures(service: Neo4jService) -> None:
    """Empty the test database, then load the bundled fixtures into it (for a served app)."""
    from cartonet.ingest.fixtures import load_fixtures

    await wipe(service)
    store = service.store()
    await store.open()
    try:
        for dataset in load_fixtures():
            await store.load(dataset)
    finally:
        await store.close()


def serve_env(service: Neo4jService) -> dict[str, str]:
    """The environment a ``cartonet serve`` needs to reach this server (with the URI)."""
    env = {"CARTONET_NEO4J_DATABASE": service.database}
    if service.user:
        env["CARTONET_NEO4J_USER"] = service.user
    if service.password:
        env["CARTONET_NEO4J_PASSWORD"] = service.password
    return env


@pytest.fixture
def store_factory_neo4j(neo4j_service: Neo4jService) -> StoreFactory:
    """Fresh, empty, opened Neo4j stores (the contract suite's factory protocol)."""

    async def make() -> Store:
        await wipe(neo4j_service)
        store = neo4j_service.store()
        await store.open()
        return store

    return make
