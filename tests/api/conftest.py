"""API test fixtures: the bundled fixtures loaded once into an embedded store in a temp
dir, an app over it, and an HTTP client that talks to the app in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from api_helpers import Gql, Graph, client_for, gql_for
from starlette.applications import Starlette

from cartonet.api.app import create_app
from cartonet.ingest.fixtures import load_fixtures
from cartonet.model import Dataset
from cartonet.settings import Settings
from cartonet_testing import embedded_store_file


@pytest.fixture(scope="session")
def fixture_datasets() -> list[Dataset]:
    return list(load_fixtures())


@pytest.fixture(scope="session")
def graph(fixture_datasets: list[Dataset]) -> Graph:
    return Graph.of(fixture_datasets)


@pytest.fixture(scope="session")
async def store_path(
    tmp_path_factory: pytest.TempPathFactory, fixture_datasets: list[Dataset]
) -> Path:
    """An embedded store file holding the fixtures (written once per session)."""
    return await embedded_store_file(
        tmp_path_factory.mktemp("api-store") / "fixtures.sqlite", fixture_datasets
    )


@pytest.fixture(scope="session")
async def app(store_path: Path) -> AsyncIterator[Starlette]:
    app = create_app(Settings(store=str(store_path)))
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture(scope="session")
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as c:
        yield c


@pytest.fixture(scope="session")
def gql(client: httpx.AsyncClient) -> Gql:
    return gql_for(client)
