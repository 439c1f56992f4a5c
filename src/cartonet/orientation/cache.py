"""The orientation graph of a store, cached by graph version.

:class:`ProjectionCache` asks the store for its version on every call (one cheap read)
and rebuilds the projection only when the version changed. The rebuild happens once even
when many requests arrive together: they wait on one :class:`asyncio.Lock` and the first
one builds. Building (export, graph, vector index) runs in a worker thread so the event
loop keeps serving other requests meanwhile.

Given a ``path``, the cache also keeps what it computed on disk
(:mod:`cartonet.orientation.persist`): :meth:`ProjectionCache.save` writes it (the
warm-up does, once the maps are built), and
the next process serving the same graph version reads it back instead of exporting and
rebuilding (seconds instead of tens of seconds, and none of the build's garbage). A file
for another version, or one that cannot be read, is ignored and replaced.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import networkx as nx

from cartonet.model import Dataset, Node, NodeType
from cartonet.orientation import persist
from cartonet.orientation.index import index_of
from cartonet.orientation.projection import graph_from_dataset, keep_labels_only
from cartonet.store.base import MAX_PAGE, NodeFilter, Store

CACHE_KEY = "orientation.projection"
"""Key of the cache in ``AppState.cache`` (:mod:`cartonet.api.context`)."""

EXPORT_ATTEMPTS = 3

log = logging.getLogger("cartonet.orientation")


def _build(dataset: Dataset, version: str, include_mobility: bool) -> nx.MultiDiGraph:
    G = graph_from_dataset(dataset, include_mobility=include_mobility, version=version)
    index_of(G)  # every request needs it: pay once here, off the event loop
    return G


class ProjectionCache:
    """Holds the orientation graph of one store for its current version.

    ``include_mobility=False`` drops curated MOBILITY edges (what the evaluation uses).
    ``path``: the file keeping the computed graph between processes (None: nothing on
    disk). ``builds`` counts rebuilds and ``loads`` graphs read from ``path`` (for tests
    and diagnostics).
    """

    def __init__(self, include_mobility: bool = True, path: Path | None = None) -> None:
        self.include_mobility = include_mobility
        self.path = path
        self._lock = asyncio.Lock()
        self._graph: nx.MultiDiGraph | None = None
        self._version: str | None = None
        self._saved: tuple[str, frozenset[Any]] | None = None  # version and cache keys on disk
        self.builds = 0
        self.loads = 0

    @property
    def version(self) -> str | None:
        return self._version

    async def get(self, store: Store) -> nx.MultiDiGraph:
        """The graph for the store's current version, rebuilt only if the version moved."""
        version = await store.version()
        graph = self._graph
        if graph is not None and self._version == version:
            return graph
        async with self._lock:
            version = await store.version()
            if self._graph is not None and self._version == version:
                return self._graph
            loaded = await self._load(store, version)
            if loaded is not None:
                await self._trim(store, loaded)
                self._graph, self._version = loaded, version
                self.loads += 1
                return loaded
            dataset = await store.export()
            for _ in range(EXPORT_ATTEMPTS - 1):
                # a load that landed during the export: take the export again so the graph
                # matches the version it is tagged with
                after = await store.version()
                if after == version:
                    break
                version, dataset = after, await store.export()
            graph = await asyncio.to_thread(_build, dataset, version, self.include_mobility)
            del dataset
            await self._trim(store, graph)
            self._graph, self._version = graph, version
            self.builds += 1
            return graph

    async def fill(self, store: Store, build: Callable[[], Awaitable[bool]]) -> bool:
        """Have ``path`` hold the graph of the store's current version, built by ``build``
        (which writes the file, e.g. from another process, and says whether it did), unless
        this cache or the file already holds that version. Callers of :meth:`get` meanwhile
        wait, then read the file instead of building a graph of their own. Returns whether
        ``build`` ran and wrote the file."""
        if self.path is None or not self.include_mobility:
            return False
        async with self._lock:
            version = await store.version()
            if self._graph is not None and self._version == version:
                return False
            if await asyncio.to_thread(persist.holds, self.path, version, self.include_mobility):
                return False
            return await build()

    async def _trim(self, store: Store, graph: nx.MultiDiGraph) -> None:
        """Keep only the labels of the graph's nodes when they are a copy of the store's
        (a Neo4j store keeps none in memory: the export made them for this graph), once
        the index that reads their texts is built. The embedded store hands out the very
        nodes it keeps: they are shared as they are, and cost nothing more."""
        core = getattr(graph, "core", None)
        if core is None or not core.ids:
            return
        found = await store.get_nodes([core.ids[0]])
        if found[0] is not core.nodes[0]:
            count = await asyncio.to_thread(keep_labels_only, core)
            log.info("orientation projection: %d nodes keep their labels only", count)

    async def _load(self, store: Store, version: str) -> nx.MultiDiGraph | None:
        """The graph saved at ``path`` for ``version``, joined to the store's nodes."""
        if self.path is None:
            return None
        saved = await asyncio.to_thread(persist.load, self.path, version, self.include_mobility)
        if saved is None:
            return None
        nodes = await _labelled_nodes(store, saved.ids)
        if await store.version() != version:
            return None  # a load landed meanwhile: build from an export instead
        try:
            graph = await asyncio.to_thread(saved.restore, nodes)  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            log.warning("orientation cache %s does not fit, rebuilding: %s", self.path, exc)
            return None
        if graph is None:
            log.warning(
                "orientation cache %s does not match the store's nodes, rebuilding", self.path
            )
            return None
        self._saved = (version, frozenset(index_of(graph).cache))
        return graph

    async def save(self) -> bool:
        """Write the current graph and what was derived from it to ``path``, unless the file
        already holds it all. Returns whether it wrote. Never raises on a disk error (logged)."""
        graph, version = self._graph, self._version
        if self.path is None or graph is None or version is None or not self.include_mobility:
            return False
        keys = frozenset(index_of(graph).cache)
        if self._saved is not None and self._saved[0] == version and keys <= self._saved[1]:
            return False
        try:
            await asyncio.to_thread(persist.save, graph, self.path)
        except persist.NotPersistable as exc:
            log.info("orientation cache not written: %s", exc)
            return False
        except OSError as exc:
            log.warning("orientation cache %s not written: %s", self.path, exc)
            return False
        self._saved = (version, keys)
        return True


async def _labelled_nodes(store: Store, ids: list[str]) -> list[Node | None]:
    """The store's nodes ``ids``, read with their labels and properties only where the
    store can leave the rest out (``list_nodes(..., text=False)``, page by page): the
    projection read back from disk needs no more, and a server store then sends a
    fraction of the text (a whole-node read of every node is ~40 MB of records to decode
    and throw away on ESCO + ROME). A store that keeps its nodes hands out its own."""
    found: dict[str, Node] = {}
    for node_type in NodeType:
        after = None
        while True:
            page = await store.list_nodes(node_type, NodeFilter(), MAX_PAGE, after, text=False)
            found.update((node.id, node) for node in page.items)
            if not page.has_next_page:
                break
            after = page.end_cursor
    return [found.get(i) for i in ids]


def projection_cache(cache: dict[str, Any]) -> ProjectionCache:
    """The :class:`ProjectionCache` kept in an app's long-lived ``cache`` dict."""
    found = cache.get(CACHE_KEY)
    if not isinstance(found, ProjectionCache):
        found = ProjectionCache()
        cache[CACHE_KEY] = found
    return found
