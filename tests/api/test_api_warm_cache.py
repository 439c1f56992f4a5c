"""The warm-up cache files: written by a first start, read back by the next one on the
same graph; placed by the settings (off, or another folder)."""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

import pytest
from api_helpers import client_for, gql_for

from cartonet.api import warmup
from cartonet.api.app import create_app
from cartonet.api.context import AppState
from cartonet.api.warmup import cache_file
from cartonet.ingest.fixtures import load_fixtures
from cartonet.orientation.cache import ProjectionCache, projection_cache
from cartonet.orientation.similarity import origin_mix
from cartonet.orientation.skillmap import skill_map
from cartonet.settings import Settings
from cartonet_testing import embedded_store_file

WAIT = 120.0  # a bound against a hung test, not a speed requirement


async def _start(settings: Settings) -> AppState:
    app = create_app(settings, warm_up=True)
    state: AppState = app.state.cartonet
    async with app.router.lifespan_context(app):
        async with asyncio.timeout(WAIT):
            while state.warm == "warming":
                await asyncio.sleep(0.05)
    return state


async def test_second_start_reads_what_the_first_saved(tmp_path: Path) -> None:
    store = await embedded_store_file(tmp_path / "s.sqlite", load_fixtures())
    settings = Settings(store=str(store), warm_cache=True, cache_dir=tmp_path / "cache")
    first = await _start(settings)
    # the files were built by the build process; the server read them back, built nothing
    projection = projection_cache(first.cache)
    assert first.warm == "warm" and (projection.loads, projection.builds) == (1, 0)
    files = {cache_file(settings, name) for name in ("orientation", "search")}
    assert all(f is not None and f.parent == tmp_path / "cache" and f.is_file() for f in files)
    stamps = {f: f.stat().st_mtime_ns for f in files if f is not None}

    second = await _start(settings)
    projection = projection_cache(second.cache)
    assert second.warm == "warm" and (projection.loads, projection.builds) == (1, 0)
    assert {f: f.stat().st_mtime_ns for f in stamps} == stamps  # no second build process
    # what the build process wrote answers as a server that built it all itself
    alone = await _start(Settings(store=str(store)))
    assert projection_cache(alone.cache).builds == 1
    assert _answers(projection_cache(second.cache)) == _answers(projection_cache(alone.cache))


async def test_a_failed_build_process_leaves_the_build_to_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A build process that cannot run (here: its interpreter exits with an error at
    once) costs a warning: the server builds in process and still saves the files."""
    monkeypatch.setattr(warmup.sys, "executable", shutil.which("false"))
    store = await embedded_store_file(tmp_path / "s.sqlite", load_fixtures())
    settings = Settings(store=str(store), warm_cache=True, cache_dir=tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="cartonet.api"):
        state = await _start(settings)
    projection = projection_cache(state.cache)
    assert state.warm == "warm" and (projection.loads, projection.builds) == (0, 1)
    assert "the build process failed (exit code 1)" in caplog.text
    assert all(
        f is not None and f.is_file()
        for f in (cache_file(settings, name) for name in ("orientation", "search"))
    )


def _answers(projection: ProjectionCache) -> tuple[object, ...]:
    G = projection._graph
    assert G is not None
    maps = [skill_map(G, kind) for kind in ("occupations", "skills")]
    return (
        sorted(G.edges(keys=True)),
        [(m.points, m.communities, m.modularity, list(m.links)) for m in maps],
        origin_mix(G).tolist(),
    )


def test_cache_file_placement(tmp_path: Path) -> None:
    store = tmp_path / "a" / "s.sqlite"
    beside = cache_file(Settings(store=str(store), warm_cache=True), "search")
    assert beside is not None and beside.parent == store.parent and beside.name.startswith("s.")
    other = cache_file(Settings(store=str(tmp_path / "b" / "s.sqlite"), warm_cache=True), "search")
    assert other is not None and other.name != beside.name  # one file per store
    assert cache_file(Settings(store=str(store)), "search") is None  # off unless asked
    assert cache_file(Settings(store=":memory:", warm_cache=True), "search") is None
    neo = Settings(store="bolt://127.0.0.1:7687", warm_cache=True, data_dir=tmp_path)
    found = cache_file(neo, "orientation")
    assert found is not None and found.parent == tmp_path
    env = Settings.from_env({"CARTONET_WARM_CACHE": "off", "CARTONET_CACHE_DIR": str(tmp_path)})
    assert (env.warm_cache, env.cache_dir) == (False, tmp_path)
    assert Settings.from_env({}).warm_cache is True


async def test_a_build_process_out_of_time_is_ended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A build process that hangs is killed at its time limit and the server builds
    itself: orientation requests waiting for it never wait forever."""
    hang = tmp_path / "hang.sh"
    pid_file = tmp_path / "pid"
    hang.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    hang.chmod(0o755)
    monkeypatch.setattr(warmup.sys, "executable", str(hang))
    settings = Settings(store=str(tmp_path / "s.sqlite"), warm_cache=True)
    with caplog.at_level(logging.WARNING, logger="cartonet.api"):
        async with asyncio.timeout(WAIT):
            assert await warmup._build_in_child(settings, timeout=1.0) is False
    assert "took over 1 s, ended" in caplog.text
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists()  # killed and reaped, not left behind


async def test_a_request_during_the_build_process_reads_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An orientation query arriving while the build process runs waits for it and reads
    the file it wrote: the server builds no graph of its own."""
    started = asyncio.Event()
    build = warmup._build_in_child

    async def watched(settings: Settings) -> bool:
        started.set()
        return await build(settings)

    monkeypatch.setattr(warmup, "_build_in_child", watched)
    store = await embedded_store_file(tmp_path / "s.sqlite", load_fixtures())
    settings = Settings(store=str(store), warm_cache=True, cache_dir=tmp_path / "cache")
    app = create_app(settings, warm_up=True)
    state: AppState = app.state.cartonet
    query = '{ similarOccupations(id: "rome:G1602", first: 3) { occupation { id } } }'
    async with app.router.lifespan_context(app), client_for(app) as client:
        async with asyncio.timeout(WAIT):
            await started.wait()
            data = await gql_for(client)(query)
        assert len(data["similarOccupations"]) == 3
        projection = projection_cache(state.cache)
        assert (projection.loads, projection.builds) == (1, 0)
