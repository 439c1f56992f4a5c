"""What a GraphQL resolver can reach: the app's state (one per app) and the request context.

:class:`AppState` lives as long as the app: the store, the settings, and ``cache``, a place
for long-lived derived data other modules build from the store (the orientation
projection, keyed e.g. ``"orientation.projection"``; its owner rebuilds it when
``store.version()`` changes). :class:`Context` is made afresh for every request: it carries
the per-request DataLoaders, so two requests never share cached nodes.

Resolvers reach both through ``info.context``::

    ctx: Context = info.context
    node = await ctx.loaders.nodes.load("rome:M1805")
    stats = await ctx.read(ctx.store.stats())
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.requests import Request

from cartonet.errors import CartonetError, StoreUnavailable
from cartonet.settings import Settings
from cartonet.store.base import Store

log = logging.getLogger("cartonet.api")

T = TypeVar("T")

OPEN_TIMEOUT = 2.0
"""Seconds a request waits for the store to open before it gives up."""

START_TIMEOUT = 5.0
"""Seconds the app waits at start-up for a server store (Neo4j) before it serves anyway."""


@dataclass
class AppState:
    """Everything one app instance holds. Made by :func:`cartonet.api.app.create_app`.

    The store may be unreachable when the app starts (a Neo4j server still booting or
    down): the app starts anyway, ``/readyz`` says 503, and the first request after the
    store comes back opens it. Opening runs as one shared background task: a caller that
    stops waiting (a probe with a 2 s budget) does not cancel it half-way, and the next
    caller joins it instead of starting another. ``read_timeout`` bounds every store read
    a request makes, so a store that hangs turns into a ``STORE_UNAVAILABLE`` error instead
    of a hung request.
    """

    settings: Settings
    store: Store
    read_timeout: float = 10.0
    cache: dict[str, Any] = field(default_factory=dict)
    opened: bool = False
    warm: str = "off"  # start-up warm-up: off, warming, warm or failed (cartonet.api.warmup)
    _opening: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Open the store (and seed the default store). An embedded store is waited for
        (it has no network to hang on, and seeding it takes a few seconds on a first
        start); a server store for at most :data:`START_TIMEOUT`, after which the app
        serves and reports itself not ready until the store answers."""
        timeout = START_TIMEOUT if self.settings.is_neo4j else None
        try:
            await self.ensure_open(timeout)
        except StoreUnavailable as exc:
            log.warning("store unavailable at start, will retry on demand: %s", exc)

    async def stop(self) -> None:
        if self._opening is not None and not self._opening.done():
            self._opening.cancel()
            with suppress(asyncio.CancelledError, CartonetError):
                await self._opening
        if self.opened:
            self.opened = False
            await self.store.close()

    async def ensure_open(self, timeout: float | None = OPEN_TIMEOUT) -> None:
        """Open the store if it is not yet open; raise :class:`StoreUnavailable` if it
        cannot be opened, or is not open after ``timeout`` seconds (``None``: no limit)."""
        if self.opened:
            return
        if self._opening is None or self._opening.done():
            self._opening = asyncio.create_task(self._open())
            # Read the outcome even if every waiter gave up, so a failure is not reported
            # later as "exception never retrieved".
            self._opening.add_done_callback(lambda t: t.cancelled() or t.exception())
        try:
            await asyncio.wait_for(asyncio.shield(self._opening), timeout)
        except TimeoutError as exc:
            raise StoreUnavailable(f"the store did not open within {timeout:g} s") from exc

    async def _open(self) -> None:
        try:
            await self.store.open()
        except OSError as exc:
            raise StoreUnavailable(f"the store cannot be opened: {exc}") from exc
        try:
            await seed_default_store(self.settings, self.store)
        except CartonetError:
            # Serving an empty store beats not serving: the log says why it is empty.
            log.exception("could not load the bundled fixtures into the default store")
        self.opened = True


async def seed_default_store(settings: Settings, store: Store) -> bool:
    """Load the bundled fixtures into ``store`` if it is the default store (no store was
    named) and it is empty; any other store is served as it is. Returns whether it loaded."""
    if not settings.uses_default_store:
        return False
    stats = await store.stats()
    if stats.occupations or stats.skills or stats.relations:
        return False
    from cartonet.ingest.fixtures import load_fixtures  # only needed on a first start

    log.info("default store is empty: loading the bundled fixtures")
    for dataset in load_fixtures():
        await store.load(dataset)
    return True


@dataclass
class Context:
    """Per-request context handed to resolvers as ``info.context``."""

    state: AppState
    loaders: Any  # cartonet.api.loaders.Loaders; typed loosely to keep this module light
    request: Request | None = None

    @property
    def store(self) -> Store:
        return self.state.store

    def release(self) -> None:
        """End of the request: let what it read go at once (see ``Loaders.release``)."""
        if self.loaders is not None:
            self.loaders.release()

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def cache(self) -> dict[str, Any]:
        return self.state.cache

    async def read(self, awaitable: Awaitable[T]) -> T:
        """Await a store read with the app's timeout; a store that does not answer in time
        becomes :class:`StoreUnavailable`, like one that refuses the connection."""
        try:
            await self.state.ensure_open()
        except CartonetError:
            if asyncio.iscoroutine(awaitable):
                awaitable.close()  # never awaited: close it to avoid a warning
            raise
        try:
            # A deadline on this task, not wait_for's extra task per read.
            async with asyncio.timeout(self.state.read_timeout):
                return await awaitable
        except TimeoutError as exc:
            raise StoreUnavailable(
                f"the store did not answer within {self.state.read_timeout:g} s"
            ) from exc
