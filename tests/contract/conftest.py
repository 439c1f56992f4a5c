"""The contract suite's backends: every case runs once per backend in :data:`BACKENDS`.

To add a backend, append its name to :data:`BACKENDS` and define a fixture
``store_factory_<name>`` that returns a :data:`StoreFactory`: an async callable giving a
fresh, **empty**, opened store each time it is called (a new file, or a server reset
between calls). :func:`make_store` closes every store it made after the test; the cases
never depend on which backend they run on, and derive their expectations from the dataset
in ``contract_data.py``.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from contract_data import esco_dataset, rome_dataset
from contract_expect import StoreFactory

from cartonet.store.base import Store
from cartonet.store.embedded import EmbeddedStore

BACKENDS: list[str] = ["embedded", "neo4j"]

# The Neo4j backend (a real server, shared with tests/neo4j) lives with the Neo4j tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "neo4j"))
from neo4j_backend import neo4j_service, store_factory_neo4j  # noqa: E402, F401


@pytest.fixture
def store_factory_embedded(tmp_path: Path) -> StoreFactory:
    numbers = itertools.count()

    async def make() -> Store:
        store = EmbeddedStore(tmp_path / f"store-{next(numbers)}.sqlite")
        await store.open()
        return store

    return make


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def make_store(backend: str, request: pytest.FixtureRequest) -> AsyncIterator[StoreFactory]:
    factory: StoreFactory = request.getfixturevalue(f"store_factory_{backend}")
    made: list[Store] = []

    async def make() -> Store:
        store = await factory()
        made.append(store)
        return store

    yield make
    for store in made:
        await store.close()


@pytest.fixture
async def store(make_store: StoreFactory) -> Store:
    """A fresh, empty store of the backend under test."""
    return await make_store()


@pytest.fixture
async def loaded(store: Store) -> Store:
    """The store holding the contract dataset (ESCO then ROME records)."""
    await store.load(esco_dataset())
    await store.load(rome_dataset())
    return store
