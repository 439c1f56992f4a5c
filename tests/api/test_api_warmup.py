"""The start-up warm-up: caches built before the first request, never a failed start, a
clean shutdown while it runs; the settings and the ``serve`` flag that turn it on."""

from __future__ import annotations

import asyncio
import ctypes.util
import gc
import logging
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Graph, client_for, gql_for
from click.testing import CliRunner

from cartonet.api.app import create_app
from cartonet.api.context import AppState
from cartonet.api.warmup import GC_YOUNG_THRESHOLD, MAP_KINDS, limit_malloc_arenas
from cartonet.cli import main
from cartonet.errors import InvalidArgument
from cartonet.model import NodeType
from cartonet.orientation.cache import CACHE_KEY, projection_cache
from cartonet.orientation.index import index_of
from cartonet.settings import Settings
from cartonet.store.embedded import EmbeddedStore
from cartonet_testing import embedded_store_file

WAIT = 60.0  # a bound against a hung test, not a speed requirement


async def _settled(state: AppState) -> str:
    """``state.warm`` once the warm-up has finished, one way or the other."""
    async with asyncio.timeout(WAIT):
        while state.warm == "warming":
            await asyncio.sleep(0.01)
    return state.warm


async def test_warm_up_builds_every_cache_before_any_query(store_path: Path, graph: Graph) -> None:
    thresholds = gc.get_threshold()
    store = EmbeddedStore(store_path)
    app = create_app(Settings(store=str(store_path)), store, warm_up=True)
    state: AppState = app.state.cartonet
    async with app.router.lifespan_context(app), client_for(app) as client:
        assert state.warm in ("warming", "warm")
        assert await _settled(state) == "warm"

        # Built by the warm-up alone: no request has been sent yet.
        cache = projection_cache(state.cache)
        assert cache.builds == 1
        assert store._state._search is not None
        assert set(store._state._texts) == set(store._state.ids_by_type)
        G = await cache.get(store)
        maps = index_of(G).cache
        assert {("skill_map", kind) for kind in MAP_KINDS} <= set(maps)

        ready = await client.get("/readyz")
        assert (ready.status_code, ready.json()) == (200, {"status": "ready", "warm": "warm"})

        occupation = graph.of_type(NodeType.OCCUPATION)[0].id
        data = await gql_for(client)(
            """query($id: ID!) {
                similarOccupations(id: $id, first: 3) { occupation { id } }
                skillMap(kind: SKILLS) { points(first: 2) { totalCount } }
                search(text: "developpeur", first: 1) { node { id } } }""",
            {"id": occupation},
        )
        built = maps[("skill_map", "skills")]
        assert data["skillMap"]["points"]["totalCount"] == len(built.points) > 0
        assert data["search"]
        assert cache.builds == 1  # the queries used what the warm-up built
        assert index_of(await cache.get(store)).cache[("skill_map", "skills")] is built

        # what the warm-up built is out of the collector's full passes (frozen), and the
        # youngest generation is collected less often from then on
        try:
            assert gc.is_tracked(built) and gc.get_freeze_count() > 0
            assert not any(o is built for o in gc.get_objects(generation=2))
            assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
        finally:
            gc.unfreeze()
            gc.set_threshold(*thresholds)


async def test_without_warm_up_nothing_is_built_at_start(store_path: Path) -> None:
    store = EmbeddedStore(store_path)
    app = create_app(Settings(store=str(store_path)), store)
    state: AppState = app.state.cartonet
    async with app.router.lifespan_context(app), client_for(app) as client:
        for _ in range(3):
            await asyncio.sleep(0)  # a warm-up task, if one had started, would have run
        assert state.warm == "off"
        assert CACHE_KEY not in state.cache
        assert store._state._search is None
        ready = await client.get("/readyz")
        assert ready.json() == {"status": "ready", "warm": "off"}


class StuckWarm(EmbeddedStore):
    """An embedded store whose ``warm`` never ends (or raises ``error``): a warm-up caught
    half-way at shutdown, or one that breaks."""

    def __init__(self, path: Path, error: Exception | None = None) -> None:
        super().__init__(path)
        self.error = error
        self.warming = asyncio.Event()

    async def warm(self) -> None:
        self.warming.set()
        if self.error is not None:
            raise self.error
        await asyncio.Event().wait()


async def test_shutdown_right_after_start_is_clean(store_path: Path) -> None:
    app = create_app(Settings(store=str(store_path)), warm_up=True)
    async with app.router.lifespan_context(app):
        pass
    assert app.state.cartonet.opened is False


async def test_shutdown_while_warming_is_clean(store_path: Path) -> None:
    store = StuckWarm(store_path)
    app = create_app(Settings(store=str(store_path)), store, warm_up=True)
    state: AppState = app.state.cartonet
    async with app.router.lifespan_context(app):
        async with asyncio.timeout(WAIT):
            await store.warming.wait()
        assert state.warm == "warming"
    assert state.opened is False  # the store was closed after the warm-up was cancelled


async def test_a_step_that_breaks_leaves_the_service_serving(store_path: Path) -> None:
    store = StuckWarm(store_path, error=RuntimeError("index build broke"))
    app = create_app(Settings(store=str(store_path)), store, warm_up=True)
    state: AppState = app.state.cartonet
    gc.freeze()  # as an earlier warm-up leaves it: the next one lets the collector back in
    async with app.router.lifespan_context(app), client_for(app) as client:
        assert await _settled(state) == "failed"
        assert gc.get_freeze_count() == 0
        assert CACHE_KEY not in state.cache  # stopped at the broken step
        data = await gql_for(client)('{ search(text: "developpeur", first: 1) { node { id } } }')
        assert data["search"]  # the lazy path still builds the index


async def test_a_store_down_at_start_fails_the_warm_up_not_the_app(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    down = tmp_path / "a-folder-not-a-store"
    down.mkdir()
    app = create_app(Settings(store=str(down)), warm_up=True)
    state: AppState = app.state.cartonet
    async with app.router.lifespan_context(app), client_for(app) as client:
        assert await _settled(state) == "failed"
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["warm"] == "failed"
        assert "is a directory" in ready.json()["reason"]
    assert any(
        r.name == "cartonet.api" and "warm-up stopped" in r.getMessage() for r in caplog.records
    )


# --- settings and the serve flag -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, True),
        ("", True),
        ("1", True),
        ("on", True),
        ("Yes", True),
        ("true", True),
        ("0", False),
        ("false", False),
        ("no", False),
        (" OFF ", False),
    ],
)
def test_warm_up_setting(value: str | None, expected: bool) -> None:
    env = {} if value is None else {"CARTONET_WARM_UP": value}
    assert Settings.from_env(env).warm_up is expected


@pytest.mark.parametrize(
    ("name", "value"),
    [("CARTONET_WARM_UP", "maybe"), ("CARTONET_PORT", "eighty"), ("CARTONET_PORT", "70000")],
)
def test_an_unreadable_setting_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(InvalidArgument, match=name) as raised:
        Settings.from_env({name: value})
    assert repr(value) in str(raised.value)


def test_an_unreadable_setting_is_a_clean_cli_error() -> None:
    result = CliRunner().invoke(main, ["stats"], env={"CARTONET_WARM_UP": "maybe"})
    assert result.exit_code == 2
    assert "CARTONET_WARM_UP" in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def service_logging() -> Any:
    """``serve`` sets up the ``cartonet`` logger for a terminal; put it back afterwards so
    later tests still capture its records."""
    logger = logging.getLogger("cartonet")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield
    logger.handlers[:] = saved[0]
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


@pytest.mark.usefixtures("service_logging")
@pytest.mark.parametrize(
    ("env", "flags", "expected"),
    [
        ({}, [], True),
        ({"CARTONET_WARM_UP": "off"}, [], False),
        ({"CARTONET_WARM_UP": "off"}, ["--warm-up"], True),
        ({}, ["--no-warm-up"], False),
    ],
)
def test_serve_passes_the_warm_up_choice_to_the_app(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: dict[str, str],
    flags: list[str],
    expected: bool,
) -> None:
    import uvicorn

    import cartonet.api.app

    made: list[dict[str, Any]] = []
    real_create_app = cartonet.api.app.create_app

    def recording_create_app(settings: Settings, *args: Any, **kwargs: Any) -> Any:
        made.append(kwargs)
        return real_create_app(settings, *args, **kwargs)

    monkeypatch.setattr(cartonet.api.app, "create_app", recording_create_app)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)  # no real server here
    store = asyncio.run(embedded_store_file(tmp_path / "s.sqlite", []))  # serve needs one
    result = CliRunner().invoke(
        main,
        ["serve", "--store", str(store), *flags],
        env={"CARTONET_WARM_UP": "", **env},
    )
    assert result.exit_code == 0, result.output
    assert [m.get("warm_up") for m in made] == [expected]


def test_malloc_arenas_limit_leaves_an_explicit_setting_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False


@pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc" or not ctypes.util.find_library("c"),
    reason="mallopt is glibc's",
)
def test_malloc_arenas_limit_is_set_on_glibc() -> None:
    # in a child process: the limit is process-wide and stays
    code = (
        "import os; os.environ.pop('MALLOC_ARENA_MAX', None); "
        "from cartonet.api.warmup import limit_malloc_arenas as f; print(f())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
