"""The orientation graph of a store, cached by graph version.

:class:`ProjectionCache` asks the store for its version on every call (one cheap read)
and rebuilds the projection only when the version changed. The rebuild happens once even
when many requests arrive together: they wait on one :class:`asyncio.Lock` and the first
one builds. Building (export, graph, vector index) runs in a worker thread so the event
loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio
from typing import Any

import networkx as nx

from cartonet.model import Dataset
from cartonet.orientation.index import index_of
from cartonet.orientation.projection import graph_from_dataset
from cartonet.store.base import Store

CACHE_KEY = "orientation.projection"
"""Key of the cache in ``AppState.cache`` (:mod:`cartonet.api.context`)."""

EXPORT_ATTEMPTS = 3


def _build(dataset: Dataset, version: str, include_mobility: bool) -> nx.MultiDiGraph:
    G = graph_from_dataset(dataset, include_mobility=include_mobility, version=version)
    index_of(G)  # every request needs it: pay once here, off the event loop
    return G


class ProjectionCache:
    """Holds the orientation graph of one store for its current version.

    ``include_mobility=False`` drops curated MOBILITY edges (what the evaluation uses).
    ``builds`` counts rebuilds (for tests and diagnostics).
    """

    def __init__(self, include_mobility: bool = True) -> None:
        self.include_mobility = include_mobility
        self._lock = asyncio.Lock()
        self._graph: nx.MultiDiGraph | None = None
        self._version: str | None = None
        self.builds = 0

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
            dataset = await store.export()
            for _ in range(EXPORT_ATTEMPTS - 1):
                # a load that landed during the export: take the export again so the graph
                # matches the version it is tagged with
                after = await store.version()
                if after == version:
                    break
                version, dataset = after, await store.export()
            graph = await asyncio.to_thread(_build, dataset, version, self.include_mobility)
            self._graph, self._version = graph, version
            self.builds += 1
            return graph


def projection_cache(cache: dict[str, Any]) -> ProjectionCache:
    """The :class:`ProjectionCache` kept in an app's long-lived ``cache`` dict."""
    found = cache.get(CACHE_KEY)
    if not isinstance(found, ProjectionCache):
        found = ProjectionCache()
        cache[CACHE_KEY] = found
    return found
