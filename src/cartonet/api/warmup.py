"""Start-up warm-up: build, before the first request asks, what reads build lazily.

On a full taxonomy the first search builds the store's label index (seconds), the first
orientation query the projection (seconds more) and the first map its clustering (several
seconds per kind). :func:`warm_up` builds them all right after start-up, through the same
caches the requests use, so a counsellor's first query after a deploy answers as fast as
the second. It runs as a background task (:func:`cartonet.api.app.create_app` with
``warm_up=True``): the server listens at once, and a request arriving meanwhile joins the
build under way instead of starting another.

Progress is kept in ``AppState.warm`` (also shown by ``/readyz``):

* ``"off"`` — no warm-up was asked for;
* ``"warming"`` — under way;
* ``"warm"`` — done: the caches hold the current graph version;
* ``"failed"`` — stopped early (the store was down, or a step broke; the log says which).
  Nothing is lost: the lazy paths still build on first use.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from typing import TypeVar

from cartonet.errors import StoreUnavailable
from cartonet.orientation.cache import projection_cache
from cartonet.orientation.skillmap import skill_map

from .context import START_TIMEOUT, AppState

log = logging.getLogger("cartonet.api")

MAP_KINDS = ("occupations", "skills")

T = TypeVar("T")


async def _step(name: str, work: Awaitable[T]) -> T:
    started = time.perf_counter()
    result = await work
    log.info("warm-up: %s in %.2f s", name, time.perf_counter() - started)
    return result


async def warm_up(state: AppState) -> None:
    """Build the store's lazy indexes, the orientation projection and both skill maps.

    Never raises (cancellation aside): a store that is down or a step that breaks is
    logged, ``state.warm`` becomes ``"failed"`` and the service goes on serving, building
    lazily as before. Safe to run again (every step is cached by graph version).
    """
    state.warm = "warming"
    started = time.perf_counter()
    try:
        await _step("store open", state.ensure_open(START_TIMEOUT))
        await _step("store indexes", state.store.warm())
        projection = projection_cache(state.cache)
        G = await _step("orientation projection", projection.get(state.store))
        for kind in MAP_KINDS:
            # clustering is CPU-bound for seconds: a worker thread keeps the loop serving
            await _step(f"{kind} map", asyncio.to_thread(skill_map, G, kind))
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
