"""The ASGI app: probes, GraphiQL, the guide page, the default store, and outage behaviour."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import strawberry
from api_helpers import Graph, client_for, gql_for

from cartonet.api.app import create_app
from cartonet.api.context import Context
from cartonet.api.schema import QUERY_PARTS
from cartonet.errors import StoreUnavailable
from cartonet.model import Dataset, NodeType
from cartonet.settings import Settings
from cartonet.store.base import Direction, NodeFilter
from cartonet.store.embedded import EmbeddedStore


async def test_probes_and_pages(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/healthz")
    assert response.status_code == 200
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "warm": "off"}
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
    response = await client.get("/")
    assert response.status_code == 200
    assert "/static/assets/" in response.text
    response = await client.get("/graphql", params={"query": "{ stats { version } }"})
    assert response.status_code == 200
    assert response.json()["data"]["stats"]["version"]


async def test_default_store_is_seeded_with_the_fixtures(tmp_path: Path, graph: Graph) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.uses_default_store
    app = create_app(settings)
    async with app.router.lifespan_context(app), client_for(app) as client:
        data = await gql_for(client)("{ stats { occupations skills } }")
    assert data["stats"]["occupations"] == len(graph.of_type(NodeType.OCCUPATION))
    assert data["stats"]["skills"] == len(graph.of_type(NodeType.SKILL))
    assert settings.embedded_path.exists()


async def test_a_named_store_is_served_as_it_is(tmp_path: Path) -> None:
    app = create_app(Settings(store=str(tmp_path / "empty.sqlite"), data_dir=tmp_path))
    async with app.router.lifespan_context(app), client_for(app) as client:
        data = await gql_for(client)("{ stats { occupations } }")
    assert data["stats"]["occupations"] == 0


class Outage:
    """Wraps a real store and makes it fail like an unreachable server: ``down`` raises
    StoreUnavailable from every call, ``hang`` never answers. (A test double for the outage
    path only; everything else here runs on the real embedded store.)"""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self.down = False
        self.hang = False
        self.opens = 0
        self.release_open: asyncio.Event | None = None  # when set, open waits for it

    async def _gate(self) -> None:
        if self.hang:
            await asyncio.Event().wait()
        if self.down:
            raise StoreUnavailable("connection refused by 127.0.0.1:7687")

    async def open(self) -> None:
        self.opens += 1
        if self.release_open is not None:
            await self.release_open.wait()
        await self._gate()
        await self.store.open()

    async def close(self) -> None:
        await self.store.close()

    async def ping(self) -> None:
        await self._gate()
        await self.store.ping()

    async def version(self) -> str:
        await self._gate()
        return await self.store.version()

    async def stats(self) -> Any:
        await self._gate()
        return await self.store.stats()

    async def get_nodes(self, ids: Sequence[str]) -> Any:
        await self._gate()
        return await self.store.get_nodes(ids)

    async def list_nodes(
        self, type: NodeType, flt: NodeFilter, first: int, after: Any, **kwargs: Any
    ) -> Any:
        await self._gate()
        return await self.store.list_nodes(type, flt, first, after, **kwargs)

    async def neighbours(
        self,
        ids: Sequence[str],
        rel: Any,
        direction: Direction,
        rel_props: Mapping | None = None,
        **kwargs: Any,
    ) -> Any:
        await self._gate()
        return await self.store.neighbours(ids, rel, direction, rel_props, **kwargs)

    async def neighbour_pages(self, *args: Any, **kwargs: Any) -> Any:
        await self._gate()
        return await self.store.neighbour_pages(*args, **kwargs)

    async def search(self, text: str, types: Any, lang: Any, first: int) -> Any:
        await self._gate()
        return await self.store.search(text, types, lang, first)

    async def load(self, dataset: Dataset, replace: bool = False, progress: Any = None) -> Any:
        await self._gate()
        return await self.store.load(dataset, replace, progress)

    async def export(self) -> Dataset:
        await self._gate()
        return await self.store.export()

    async def warm(self) -> None:
        await self._gate()
        await self.store.warm()

    async def load_observed(self, data: Any, progress: Any = None) -> Any:
        await self._gate()
        return await self.store.load_observed(data, progress)

    async def observed_moves(self, ids: Any, area: Any = None) -> Any:
        await self._gate()
        return await self.store.observed_moves(ids, area)

    async def area_of_commune(self, commune: str) -> Any:
        await self._gate()
        return await self.store.area_of_commune(commune)

    async def export_observed(self) -> Any:
        await self._gate()
        return await self.store.export_observed()

    async def load_history(self, source: Any = None, last: int = 20) -> Any:
        await self._gate()
        return await self.store.load_history(source, last)


async def ready_again(client: Any, attempts: int = 20) -> bool:
    """Whether ``/readyz`` turns 200 within a few probes.

    One probe gives the store 1.5 s to reopen; on a loaded machine a reopen can take longer,
    so the recovery is judged over several probes (a hang detector, not a speed check).
    """
    for _ in range(attempts):
        if (await client.get("/readyz")).status_code == 200:
            return True
    return False


async def test_outage_at_start_then_recovery_then_outage(store_path: Path) -> None:
    flaky = Outage(EmbeddedStore(store_path))
    flaky.down = True
    app = create_app(Settings(store=str(store_path)), flaky, read_timeout=0.5)  # type: ignore[arg-type]
    query = "{ stats { occupations } }"
    async with app.router.lifespan_context(app), client_for(app) as client:
        gql = gql_for(client)
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
        assert "connection refused" in ready.json()["reason"]

        (error,) = (await gql(query, errors=True))["errors"]
        assert error["extensions"] == {"code": "STORE_UNAVAILABLE"}
        assert "connection refused" in error["message"]
        assert "Traceback" not in error["message"]

        flaky.down = False  # the server is back: no restart needed
        assert await ready_again(client)
        assert (await gql(query))["stats"]["occupations"] > 0

        flaky.down = True  # goes away while running
        assert (await client.get("/readyz")).status_code == 503
        (error,) = (await gql('{ search(text: "dev") { score } }', errors=True))["errors"]
        assert error["extensions"]["code"] == "STORE_UNAVAILABLE"

        flaky.down, flaky.hang = False, True  # accepts connections but never answers
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert "did not answer" in ready.json()["reason"]
        (error,) = (await gql(query, errors=True))["errors"]
        assert error["extensions"]["code"] == "STORE_UNAVAILABLE"
        flaky.hang = False
        assert await ready_again(client)


async def test_a_slow_open_is_joined_not_restarted(store_path: Path) -> None:
    """A probe that stops waiting does not cancel the open under way; later callers join
    it, and the store is opened once."""
    slow = Outage(EmbeddedStore(store_path))
    slow.release_open = asyncio.Event()
    app = create_app(Settings(store=str(store_path)), slow)  # type: ignore[arg-type]
    state = app.state.cartonet
    async with client_for(app) as client:
        # Start-up would wait for an embedded store: drive it by hand instead.
        starting = asyncio.create_task(state.start())
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert "did not" in ready.json()["reason"]
        assert (await client.get("/healthz")).status_code == 200
        slow.release_open.set()
        await starting
        assert (await client.get("/readyz")).status_code == 200
        assert (await gql_for(client)("{ stats { occupations } }"))["stats"]["occupations"] > 0
        await state.stop()
    assert slow.opens == 1


@strawberry.type
class ExtraQuery:
    """What another module (orientation) adds: its own class, merged into Query."""

    @strawberry.field
    async def occupation_count(self, info: strawberry.Info) -> int:
        ctx: Context = info.context
        ctx.cache["extra.calls"] = ctx.cache.get("extra.calls", 0) + 1
        return (await ctx.read(ctx.store.stats())).occupations


async def test_query_parts_extend_the_schema(store_path: Path, graph: Graph) -> None:
    app = create_app(Settings(store=str(store_path)), query_parts=(*QUERY_PARTS, ExtraQuery))
    async with app.router.lifespan_context(app), client_for(app) as client:
        gql = gql_for(client)
        for _ in range(2):
            data = await gql("{ occupationCount stats { occupations } }")
            assert data["occupationCount"] == data["stats"]["occupations"]
    assert data["occupationCount"] == len(graph.of_type(NodeType.OCCUPATION))
    assert app.state.cartonet.cache["extra.calls"] == 2, "the cache lives as long as the app"
