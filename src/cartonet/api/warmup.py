"""Start-up warm-up: build, before the first request asks, what reads build lazily.

On a full taxonomy the first search builds the store's label index (seconds), the first
orientation query the projection (seconds more) and the first map its clustering (several
seconds per kind). :func:`warm_up` builds them all right after start-up, through the same
caches the requests use, so a counsellor's first query after a deploy answers as fast as
the second. It runs as a background task (:func:`cartonet.api.app.create_app` with
``warm_up=True``): the server listens at once, and a request arriving meanwhile joins the
build under way instead of starting another.

With ``settings.warm_cache`` (the default of ``cartonet serve``), what the warm-up built
for the orientation is then saved to a file keyed by the graph version
(:mod:`cartonet.orientation.persist`, placed by :func:`cache_file`): a restart on the same
graph reads it back in a second or two instead of exporting and rebuilding.

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
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

from cartonet.errors import StoreUnavailable
from cartonet.orientation.cache import projection_cache
from cartonet.orientation.similarity import origin_mix
from cartonet.orientation.skillmap import skill_map
from cartonet.settings import Settings

from .context import START_TIMEOUT, AppState

log = logging.getLogger("cartonet.api")

MAP_KINDS = ("occupations", "skills")

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
    try:
        await _step("store open", state.ensure_open(START_TIMEOUT))
        search_file = cache_file(state.settings, "search")
        await _step(
            "store indexes",
            state.store.warm(search_file) if search_file else state.store.warm(),
        )
        projection = projection_cache(state.cache)
        if projection.path is None:
            projection.path = cache_file(state.settings, "orientation")
        G = await _step("orientation projection", projection.get(state.store))
        # clustering is CPU-bound for seconds: worker threads keep the loop serving. The two
        # maps are independent and run side by side: the occupations map is mostly sparse
        # products (SciPy releases the GIL in them), the skills map mostly Python, so on two
        # cores they overlap (bench/memory_warmup.py, issue-10 note)
        await _step(
            "maps",
            asyncio.gather(
                *(_step(f"{kind} map", asyncio.to_thread(skill_map, G, kind)) for kind in MAP_KINDS)
            ),
        )
        # every origin's mixing weights, read by feederOccupations: filled by the
        # occupations map's similarity pass above (similarity_neighbours), so this step
        # only builds them when that pass was read from elsewhere; saved with the rest, so
        # a restart on an unchanged graph reads it back (and the file is not rewritten)
        await _step("feeder weights", asyncio.to_thread(origin_mix, G))
        if await _step("orientation cache", projection.save()):
            log.info("warm-up: orientation results saved to %s", projection.path)
        await asyncio.to_thread(_release_free_memory)
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
