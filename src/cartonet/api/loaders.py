"""Per-request DataLoaders: they turn the many small reads of a GraphQL query into a few
batched store calls, one per level of the query.

A query for 50 occupations with their skills asks ``loaders.neighbours(REQUIRES, OUT)``
for 50 ids from 50 resolvers; the loader gathers them in one event-loop tick and makes a
single ``store.neighbours(ids, ...)`` call. Nested connections do the same through
``loaders.pages(...)``, keyed by the page arguments too, so 50 ``occupations(first: 5)``
lists are one ``store.neighbour_pages`` call that pages, orders and counts in the store.
Loaders cache per request only, so a load between two requests is always seen.

Nested reads ask the store for no texts (``text=False``): descriptions and alternative
labels are most of a node's bytes, and a query selecting them on a nested node gets them
through ``nodes`` (one more batched read, only then). When the query reads nothing of the
nested nodes but their labels (``edges { node { id label } }``), the resolver asks for
labels only (``labels_only``, see :mod:`cartonet.api.selection`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from cartonet.model import Node, NodeType, ObservedMove, RelType
from cartonet.store.base import MAX_PAGE, Direction, Edge, EdgePage, Store

T = TypeVar("T")

Read = Callable[[Awaitable[Any]], Awaitable[Any]]
"""How loaders await a store call (the request context's ``read``, which adds a timeout)."""

PropsKey = tuple[tuple[str, Any], ...]
NeighbourKey = tuple[RelType, Direction, PropsKey, bool, bool]
PageKey = tuple[RelType, Direction, NodeType, int, str | None, PropsKey, bool, bool]
NestedKey = NeighbourKey | PageKey
"""Which nested list a lookup reads along (:meth:`Loaders.nodes_with`): a neighbours key
(5 items) or a page key (8 items); the last two are the reads' ``text`` and
``labels_only``."""


async def _direct(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _props_key(rel_props: Mapping[str, Any] | None) -> PropsKey:
    return tuple(sorted((rel_props or {}).items()))


class Loaders:
    """The DataLoaders of one request.

    ``nodes`` loads whole nodes by id (``None`` for unknown ids). ``neighbours(rel,
    direction, rel_props, text, labels_only)`` returns the loader for one kind of
    neighbourhood, and ``pages(rel, direction, node_type, first, after, rel_props, text,
    labels_only)`` the loader of one page of it per parent id; loaders are made on first
    use and kept for the request, so every resolver asking for the same kind shares a
    batch. Whole nodes met as neighbours are primed into ``nodes``, so following an edge
    and then asking for that node by id costs nothing.
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
        self._nodes_with: dict[tuple[NestedKey, bool], DataLoader[str, Node | None]] = {}

    def release(self) -> None:
        """Drop what the request read. Each loader refers back to this object (its load
        function is a bound method), so without this the request's nodes and edges wait
        for the cyclic garbage collector instead of going at once."""
        for loaders in (self._neighbours, self._observed, self._pages, self._nodes_with):
            for loader in loaders.values():
                loader.clear_all()
            loaders.clear()
        self.nodes.clear_all()

    async def _load_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        return list(await self._read(self._store.get_nodes(list(ids))))

    def prime_whole(self, nodes: Iterable[Node]) -> None:
        """Put the whole ones of ``nodes`` into ``nodes`` (it answers whole nodes only: a
        partial one, read without texts or with its labels only, is left out)."""
        for node in nodes:
            if node.complete:
                self.nodes.prime(node.id, node)

    def _prime(self, edges: Sequence[Edge]) -> None:
        self.prime_whole(edge.node for edge in edges)

    def neighbours(
        self,
        rel: RelType,
        direction: Direction,
        rel_props: Mapping[str, Any] | None = None,
        text: bool = True,
        labels_only: bool = False,
    ) -> DataLoader[str, list[Edge]]:
        return self._neighbour_loader((rel, direction, _props_key(rel_props), text, labels_only))

    def _neighbour_loader(self, key: NeighbourKey) -> DataLoader[str, list[Edge]]:
        rel, direction, _, text, labels_only = key
        loader = self._neighbours.get(key)
        if loader is None:
            props = dict(key[2]) or None

            async def load(ids: Sequence[str]) -> list[list[Edge]]:
                found = await self._read(
                    self._store.neighbours(
                        list(ids), rel, direction, props, text=text, labels_only=labels_only
                    )
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
        labels_only: bool = False,
    ) -> DataLoader[str, EdgePage]:
        return self._page_loader(
            (rel, direction, node_type, first, after, _props_key(rel_props), text, labels_only)
        )

    def _page_loader(self, key: PageKey) -> DataLoader[str, EdgePage]:
        rel, direction, node_type, first, after, _, text, labels_only = key
        loader = self._pages.get(key)
        if loader is None:
            props = dict(key[5]) or None

            async def load(ids: Sequence[str]) -> list[EdgePage]:
                found = await self._read(
                    self._store.neighbour_pages(
                        list(ids),
                        rel,
                        direction,
                        node_type,
                        first,
                        after,
                        props,
                        text=text,
                        labels_only=labels_only,
                    )
                )
                result = [found[node_id] for node_id in ids]
                for page in result:
                    self._prime(page.edges)
                return result

            loader = DataLoader(load_fn=load, max_batch_size=self._max_batch)
            self._pages[key] = loader
        return loader

    def nested_key(
        self,
        rel: RelType,
        direction: Direction,
        rel_props: Mapping[str, Any] | None = None,
        page: tuple[NodeType, int, str | None] | None = None,
        text: bool = False,
        labels_only: bool = False,
    ) -> NestedKey:
        """The key of the nested list ``neighbours(rel, direction, rel_props, text,
        labels_only)`` or, with ``page = (node_type, first, after)``, of that page
        (``pages(...)``)."""
        props = _props_key(rel_props)
        if page is None:
            return (rel, direction, props, text, labels_only)
        return (rel, direction, page[0], page[1], page[2], props, text, labels_only)

    def nodes_with(self, nested: NestedKey, text: bool = True) -> DataLoader[str, Node | None]:
        """Nodes by id, like ``nodes``, read together with the list ``nested`` under each
        of them (one store read for both, :meth:`Store.get_nodes_with_pages` or
        :meth:`Store.get_nodes_with_neighbours`); with ``text=False`` the nodes may come
        without descriptions and alternative labels (``complete=False``). The lists are
        primed into their loaders, so the nested resolver asking for the same list gets
        it without a read, and whole nodes into ``nodes``. A lookup whose nested field
        asks something else only wastes the list it read: answers never depend on the
        prefetch."""
        key = (nested, text)
        loader = self._nodes_with.get(key)
        if loader is None:

            async def load(ids: Sequence[str]) -> list[Node | None]:
                return await self._load_nodes_with(nested, text, list(ids))

            loader = DataLoader(load_fn=load, max_batch_size=self._max_batch)
            self._nodes_with[key] = loader
        return loader

    async def _load_nodes_with(
        self, nested: NestedKey, node_text: bool, ids: list[str]
    ) -> list[Node | None]:
        store = self._store
        lists: Mapping[str, Any]
        target: DataLoader[str, Any]
        if len(nested) == 5:
            rel, direction, props, text, labels_only = nested
            nodes, lists = await self._read(
                store.get_nodes_with_neighbours(
                    ids,
                    rel,
                    direction,
                    dict(props),
                    text=text,
                    labels_only=labels_only,
                    node_text=node_text,
                )
            )
            target = self._neighbour_loader(nested)
            for edges in lists.values():
                self._prime(edges)
        else:
            rel, direction, node_type, first, after, props, text, labels_only = nested
            nodes, lists = await self._read(
                store.get_nodes_with_pages(
                    ids,
                    rel,
                    direction,
                    node_type,
                    first,
                    after,
                    dict(props),
                    text=text,
                    labels_only=labels_only,
                    node_text=node_text,
                )
            )
            target = self._page_loader(nested)
            for page in lists.values():
                self._prime(page.edges)
        found = [node for node in nodes if node is not None]
        self.prime_whole(found)
        for node in found:
            target.prime(node.id, lists[node.id])
        return list(nodes)
