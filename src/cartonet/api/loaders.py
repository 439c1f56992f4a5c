"""Per-request DataLoaders: they turn the many small reads of a GraphQL query into a few
batched store calls.

A query for 50 occupations with their skills asks ``loaders.neighbours(REQUIRES, OUT)``
for 50 ids from 50 resolvers; the loader gathers them in one event-loop tick and makes a
single ``store.neighbours(ids, ...)`` call. Loaders cache per request only, so a load
between two requests is always seen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from cartonet.model import Node, ObservedMove, RelType
from cartonet.store.base import MAX_PAGE, Direction, Edge, Store

T = TypeVar("T")

Read = Callable[[Awaitable[Any]], Awaitable[Any]]
"""How loaders await a store call (the request context's ``read``, which adds a timeout)."""

NeighbourKey = tuple[RelType, Direction, tuple[tuple[str, Any], ...]]


async def _direct(awaitable: Awaitable[T]) -> T:
    return await awaitable


class Loaders:
    """The DataLoaders of one request.

    ``nodes`` loads nodes by id (``None`` for unknown ids). ``neighbours(rel, direction,
    rel_props)`` returns the loader for one kind of neighbourhood; loaders are made on first
    use and kept for the request, so every resolver asking for the same kind shares a batch.
    Nodes met as neighbours are primed into ``nodes``, so following an edge and then
    asking for that node by id costs nothing.
    """

    def __init__(self, store: Store, read: Read = _direct, max_batch_size: int = MAX_PAGE):
        self._store = store
        self._read = read
        self._max_batch = max_batch_size
        self.nodes: DataLoader[str, Node | None] = DataLoader(
            load_fn=self._load_nodes, max_batch_size=max_batch_size
        )
        self._neighbours: dict[NeighbourKey, DataLoader[str, list[Edge]]] = {}
        self._observed: dict[str | None, DataLoader[str, list[ObservedMove]]] = {}

    async def _load_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        return list(await self._read(self._store.get_nodes(list(ids))))

    def neighbours(
        self,
        rel: RelType,
        direction: Direction,
        rel_props: Mapping[str, Any] | None = None,
    ) -> DataLoader[str, list[Edge]]:
        key: NeighbourKey = (rel, direction, tuple(sorted((rel_props or {}).items())))
        loader = self._neighbours.get(key)
        if loader is None:

            async def load(ids: Sequence[str]) -> list[list[Edge]]:
                found = await self._read(
                    self._store.neighbours(list(ids), rel, direction, dict(key[2]) or None)
                )
                result = [found.get(node_id, []) for node_id in ids]
                for edges in result:
                    for edge in edges:
                        self.nodes.prime(edge.node.id, edge.node)
                return result

            loader = DataLoader(load_fn=load, max_batch_size=self._max_batch)
            self._neighbours[key] = loader
        return loader

    def observed_moves(self, area: str | None) -> DataLoader[str, list[ObservedMove]]:
        """Observed moves from each id, in ``area`` (``None``: merged over all areas)."""
        loader = self._observed.get(area)
        if loader is None:

            async def load(ids: Sequence[str]) -> list[list[ObservedMove]]:
                found = await self._read(self._store.observed_moves(list(ids), area))
                return [found.get(node_id, []) for node_id in ids]

            loader = DataLoader(load_fn=load, max_batch_size=self._max_batch)
            self._observed[area] = loader
        return loader
