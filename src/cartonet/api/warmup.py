"""Start-up warm-up: build, before the first request asks, what reads build lazily.

On a full taxonomy the first search builds the store's label index (seconds), the first
orientation query the projection (seconds more) and the first map its clustering (several
seconds per kind). :func:`warm_up` builds them all right after start-up, through the same
caches the requests use, so a counsellor's first query after a deploy answers as fast as
the second. It runs as a background task (:func:`cartonet.api.app.create_app` with
``warm_up=True``): the server listens at once, and a request arriving meanwhile joins the
build under way instead of starting another.

With ``settings.warm_cache`` (the default of ``cartonet serve``), what the warm-up builds
is kept in files keyed by the graph version (:mod:`cartonet.orientation.persist` and the
store's search cache, placed by :func:`cache_file`): a restart on the same graph reads them
back in a few seconds instead of exporting and rebuilding. When those files do not hold the
current graph (a first start, or a load changed it), a separate process builds and writes
them (:func:`build_caches`), and the server then reads them back like a restart does. The
build allocates and frees millions of small objects: done in the server, the freed memory
stays scattered in its heap (~80 MiB more resident on ESCO + ROME embedded, ~175 MiB on
Neo4j, than the same caches read back; bench/memory_warmup.py). Requests for the
orientation arriving meanwhile wait for that build and read its file. Should the process
fail, the server builds in process, as without the cache.

Progress is kept in ``AppState.warm`` (also shown by ``/readyz``):

* ``"off"`` — no warm-up was asked for;
* ``"warming"`` — under way;
* ``"warm"`` — done: the caches hold the current graph version;
* ``"failed"`` — stopped early (the store was down, or a step broke; the log says which).
  Nothing is lost: the lazy paths still build on first use.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import hashlib
import logging
import os
import pickle
import sys
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from cartonet.errors import StoreUnavailable
from cartonet.orientation.cache import ProjectionCache, projection_cache
from cartonet.orientation.similarity import origin_mix
from cartonet.orientation.skillmap import skill_map
from cartonet.settings import Settings
from cartonet.store import make_store

from .context import START_TIMEOUT, AppState

if TYPE_CHECKING:
    import networkx as nx

log = logging.getLogger("cartonet.api")

MAP_KINDS = ("occupations", "skills")

GC_YOUNG_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation once warm (Python's
default is 700). A request on Neo4j unpacks thousands of small lists from one Bolt
message; at 700 the collector ran several times inside each unpack, walking the message
being built, and took 8-10 % of a request's CPU (issue 10, workload c2). Requests leave
almost no cycles (their loaders are released), so collecting less often keeps no more
memory than a few requests' worth of young objects."""

T = TypeVar("T")


async def _step(name: str, work: Awaitable[T]) -> T:
    started = time.perf_counter()
    result = await work
    log.info("warm-up: %s in %.2f s", name, time.perf_counter() - started)
    return result


def cache_file(settings: Settings, name: str) -> Path | None:
    """Where the warm-up keeps its ``name`` results for the store ``settings`` names, or
    None (cache off, or an in-memory store). One file per store (named after it and a hash
    of its location), replaced when the graph version changes."""
    if not settings.warm_cache:
        return None
    if settings.is_neo4j:
        where = f"{settings.store}#{settings.neo4j_database}"
        stem, folder = "neo4j", settings.data_dir
    else:
        if settings.store == ":memory:":
            return None
        path = settings.embedded_path.resolve()
        where, stem, folder = str(path), path.name, path.parent
    digest = hashlib.sha1(where.encode("utf-8")).hexdigest()[:10]
    return (settings.cache_dir or folder) / f"{stem}.{digest}.{name}.npz"


def _libc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has ``malloc_trim``), else None."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def _release_free_memory() -> None:
    """Hand the build's garbage back to the system: a build allocates and frees millions
    of small objects, and glibc keeps the freed heap pages unless asked (tens of MiB)."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)
SERVER_MALLOC_ARENAS = 2


def limit_malloc_arenas(arenas: int = SERVER_MALLOC_ARENAS) -> bool:
    """Let glibc keep at most ``arenas`` malloc arenas for the process (its default is 8 per
    core): the warm-up's worker threads and the server's threads otherwise each get an
    arena of their own whose freed pages stay resident (10 MiB of the warm process's RSS
    on ESCO + ROME; see bench/memory_warmup.py). Call it before threads start; an
    explicit ``MALLOC_ARENA_MAX`` in the environment wins. True when the limit was set."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    libc = _libc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, arenas))


async def warm_up(state: AppState) -> None:
    """Build the store's lazy indexes, the orientation projection, both skill maps and the
    feeders' mixing weights.

    Never raises (cancellation aside): a store that is down or a step that breaks is
    logged, ``state.warm`` becomes ``"failed"`` and the service goes on serving, building
    lazily as before. Safe to run again (every step is cached by graph version).
    """
    state.warm = "warming"
    started = time.perf_counter()
    # what an earlier warm-up froze may be garbage now: let the collector see it again
    gc.unfreeze()
    try:
        await _step("store open", state.ensure_open(START_TIMEOUT))
        if state.settings.warm_cache:
            # the build process writes the files the steps below then read back
            built = time.perf_counter()
            if await _projection(state).fill(state.store, lambda: _build_in_child(state.settings)):
                log.info("warm-up: build process in %.2f s", time.perf_counter() - built)
        search_file = cache_file(state.settings, "search")
        await _step(
            "store indexes",
            state.store.warm(search_file) if search_file else state.store.warm(),
        )
        projection = _projection(state)
        G = await _step("orientation projection", projection.get(state.store))
        # clustering is CPU-bound for seconds: worker threads keep the loop serving
        await _step("maps", _maps(G))
        await _step("feeder weights", asyncio.to_thread(origin_mix, G))
        if await _step("orientation cache", projection.save()):
            log.info("warm-up: orientation results saved to %s", projection.path)
        await asyncio.to_thread(_release_free_memory)
        # Keep what is alive now (the warm caches: millions of objects) out of the
        # collector's full passes, which under load walked them for every few requests
        # (0.3-0.6 ms of CPU per request on Neo4j, issue 10). Frozen objects are still
        # freed by reference counting; only cycles among them wait for the gc.unfreeze()
        # the next warm-up starts with.
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    except StoreUnavailable as exc:
        state.warm = "failed"
        log.warning("warm-up stopped (first requests will build lazily): %s", exc)
        return
    except Exception:  # a warm-up is an optimisation: whatever broke, keep serving
        state.warm = "failed"
        log.exception("warm-up failed (first requests will build lazily)")
        return
    state.warm = "warm"
    log.info("warm-up: done in %.2f s", time.perf_counter() - started)


def _projection(state: AppState) -> ProjectionCache:
    """The app's projection cache, keeping its results in the warm-up cache file."""
    projection = projection_cache(state.cache)
    if projection.path is None:
        projection.path = cache_file(state.settings, "orientation")
    return projection


async def _maps(G: nx.MultiDiGraph) -> None:
    """Both skill maps, side by side: the occupations map is mostly sparse products (SciPy
    releases the GIL in them), the skills map mostly Python, so on two cores they overlap
    (bench/memory_warmup.py, issue-10 note). Every origin's mixing weights, read by
    feederOccupations, come with the occupations map's similarity pass
    (similarity_neighbours); the step after only builds them when that pass was read
    from a file."""
    await asyncio.gather(
        *(_step(f"{kind} map", asyncio.to_thread(skill_map, G, kind)) for kind in MAP_KINDS)
    )


BUILD_TIMEOUT = 900.0
"""Seconds the build process may take before the server ends it and builds in process:
a bound, never reached by a working build (about 20 s on ESCO + ROME, 100 s seen on a
very busy machine), so that orientation requests waiting for it cannot wait forever."""


async def _build_in_child(settings: Settings, timeout: float = BUILD_TIMEOUT) -> bool:
    """Run :func:`build_caches` in a new Python process (``python -m
    cartonet.api.warm_build``: a fork would copy the event loop's threads and the driver's
    sockets) and wait for it, at most ``timeout`` seconds. True when it wrote the files;
    False, with a warning, when it could not start, failed or took too long. A cancelled
    warm-up (the server stopping) ends it."""
    try:
        payload = pickle.dumps((settings, log.getEffectiveLevel()))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cartonet.api.warm_build", stdin=asyncio.subprocess.PIPE
        )
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.warning("warm-up: no build process (%s): building in this process", exc)
        return False
    try:
        async with asyncio.timeout(timeout):
            await process.communicate(payload)
    except TimeoutError:
        log.warning(
            "warm-up: the build process took over %.0f s, ended: building in this process",
            timeout,
        )
        return False
    finally:
        if process.returncode is None:  # cancelled, or out of time
            process.kill()
            await process.wait()
    if process.returncode != 0:
        log.warning(
            "warm-up: the build process failed (exit code %s): building in this process",
            process.returncode,
        )
        return False
    return True


def build_caches(settings: Settings, log_level: int = logging.INFO) -> None:
    """Build what the warm-up keeps in files for the store ``settings`` names (the
    store's search index, the orientation projection, both maps and the feeders' mixing
    weights) and write them where :func:`cache_file` places them; meant to run in a
    process of its own (see the module docstring). Raises when a file could not be
    written, so the process exits with an error."""
    logging.basicConfig(level=log_level, format="%(levelname)s:     %(message)s")
    limit_malloc_arenas()
    asyncio.run(_build_caches(settings))


async def _build_caches(settings: Settings) -> None:
    path = cache_file(settings, "orientation")
    if path is None:
        raise ValueError("the warm-up cache is off for this store: nothing to build")
    store = make_store(settings)
    await store.open()
    try:
        await _step("build: store indexes", store.warm(cache_file(settings, "search")))
        projection = ProjectionCache(path=path)
        G = await _step("build: orientation projection", projection.get(store))
        await _step("build: maps", _maps(G))
        await asyncio.to_thread(origin_mix, G)
        if not await projection.save():
            raise OSError(f"orientation cache {path} not written (see the log above)")
    finally:
        await store.close()
