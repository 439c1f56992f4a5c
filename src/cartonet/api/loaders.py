"""Per-request DataLoaders: they turn the many small reads of a GraphQL query into a few
batched store calls, one per level of the query.

A query for 50 occupations with their skills asks ``loaders.neighbours(REQUIRES, OUT)``
for 50 ids from 50 resolvers; the loader gathers them in one event-loop tick and makes a
single ``store.neighbours(ids, ...)`` call. Nested connections do the same through
``loaders.pages(...)``, keyed by the page arguments too, so 50 ``occupations(first: 5)``
lists are one ``store.neighbour_pages`` call that pages, orders and counts in the store.
Loaders cache per request only, so a load between two requests is always seen.

Nested reads ask the store for labels only (``text=False``): descriptions and
alternative labels are most of a node's bytes, and a query selecting them on a nested
node gets them through ``nodes`` (one more batched read, only then).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from cartonet.model import Node, NodeType, ObservedMove, RelType
from cartonet.store.base import MAX_PAGE, Direction, Edge, EdgePage, Store

T = TypeVar("T")

Read = Callable[[Awaitable[Any]], Awaitable[Any]]
"""How loaders await a store call (the request context's ``read``, which adds a timeout)."""

PropsKey = tuple[tuple[str, Any], ...]
NeighbourKey = tuple[RelType, Direction, PropsKey, bool]
PageKey = tuple[RelType, Direction, NodeType, int, str | None, PropsKey, bool]


async def _direct(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _props_key(rel_props: Mapping[str, Any] | None) -> PropsKey:
    return tuple(sorted((rel_props or {}).items()))


class Loaders:
    """The DataLoaders of one request.

    ``nodes`` loads whole nodes by id (``None`` for unknown ids). ``neighbours(rel,
    direction, rel_props, text)`` returns the loader for one kind of neighbourhood, and
    ``pages(rel, direction, node_type, first, after, rel_props, text)`` the loader of one
    page of it per parent id; loaders are made on first use and kept for the request, so
    every resolver asking for the same kind shares a batch. Whole nodes met as neighbours
    are primed into ``nodes``, so following an edge and then asking for that node by id
    costs nothing.
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
        self._pages: dict[PageKey, DataLoader[str, EdgePage]] = {}

    async def _load_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        return list(await self._read(self._store.get_nodes(list(ids))))

    def _prime(self, edges: Sequence[Edge]) -> None:
        for edge in edges:
            if edge.node.complete:
                self.nodes.prime(edge.node.id, edge.node)

    def neighbours(
        self,
        rel: RelType,
        direction: Direction,
        rel_props: Mapping[str, Any] | None = None,
        text: bool = True,
    ) -> DataLoader[str, list[Edge]]:
        key: NeighbourKey = (rel, direction, _props_key(rel_props), text)
        loader = self._neighbours.get(key)
        if loader is None:
            props = dict(key[2]) or None

            async def load(ids: Sequence[str]) -> list[list[Edge]]:
                found = await self._read(
                    self._store.neighbours(list(ids), rel, direction, props, text=text)
                )
                result = [found.get(node_id, []) for node_id in ids]
                for edges in result:
                    self._prime(edges)
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

    def pages(
        self,
        rel: RelType,
        direction: Direction,
        node_type: NodeType,
        first: int,
        after: str | None,
        rel_props: Mapping[str, Any] | None = None,
        text: bool = False,
    ) -> DataLoader[str, EdgePage]:
        key: PageKey = (rel, direction, node_type, first, after, _props_key(rel_props), text)
        loader = self._pages.get(key)
        if loader is None:
            props = dict(key[5]) or None

            async def load(ids: Sequence[str]) -> list[EdgePage]:
                found = await self._read(
                    self._store.neighbour_pages(
                        list(ids), rel, direction, node_type, first, after, props, text=text
                    )
                )
                result = [found[node_id] for node_id in ids]
                for page in result:
                    self._prime(page.edges)
                return result

            loader = DataLoader(load_fn=load, max_batch_size=self._max_batch)
            self._pages[key] = loader
        return loader
