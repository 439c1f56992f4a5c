"""The store protocol: every read and write the service needs, in one place.

Two backends implement it: :mod:`cartonet.store.embedded` (SQLite file + in-memory
indexes, the default) and :mod:`cartonet.store.neo4j` (a Neo4j server). One contract test
suite runs the same cases on both and compares their answers, so anything written here is a
promise both keep:

* reads by id are batched (``get_nodes``, ``neighbours`` take many ids, one round trip);
* lists are keyset-paginated in ascending ``id`` order; a cursor is opaque to callers;
* search ranks with :mod:`cartonet.store.search`, so both backends order hits the same way;
* ``load`` is all or nothing and idempotent; a failed load leaves the previous graph intact;
* the graph ``version`` changes exactly when a load changes something.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from cartonet.errors import InvalidArgument
from cartonet.model import (
    Dataset,
    LoadRecord,
    LoadReport,
    Node,
    NodeType,
    ObservedLoadReport,
    ObservedMobility,
    ObservedMove,
    Relationship,
    RelType,
    Stats,
)

MAX_PAGE = 500
"""Largest page any list or search returns; callers asking for more get an error."""

ProgressCallback = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: called as a long operation advances."""


class Direction(StrEnum):
    OUT = "OUT"  # (id)-[rel]->(other)
    IN = "IN"  # (id)<-[rel]-(other)


@dataclass(frozen=True, slots=True)
class Edge:
    """One relationship seen from a node: the relationship and the node at its other end."""

    rel: Relationship
    node: Node


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a list: ``items`` in ascending id order, ``total_count`` over all pages."""

    items: list[Node]
    total_count: int
    end_cursor: str | None
    has_next_page: bool


@dataclass(frozen=True, slots=True)
class EdgePage:
    """A page of one node's edges: ``edges`` in ascending order of the other node's id,
    ``total_count`` over all pages."""

    edges: list[Edge]
    total_count: int
    end_cursor: str | None
    has_next_page: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    node: Node
    score: float  # 0..100, higher is better
    matched_label: str
    matched_lang: str | None


@dataclass(frozen=True, slots=True)
class NodeFilter:
    """Filters of a list. ``text`` keeps nodes whose labels (any language, preferred or
    alternative) contain it, ignoring case and accents; ``group`` keeps nodes with a
    BROADER path to that group id; ``kind`` keeps skills of that kind."""

    text: str | None = None
    group: str | None = None
    kind: str | None = None


def encode_cursor(node_id: str) -> str:
    return base64.urlsafe_b64encode(node_id.encode()).decode()


def decode_cursor(cursor: str | None) -> str | None:
    """The id a cursor points after, or ``None`` for the first page."""
    if cursor is None:
        return None
    try:
        node_id = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidArgument("after", "not a cursor returned by this API") from exc
    # the decoder skips characters outside its alphabet ("!!!!" decodes to ""): only a text
    # this API could have produced is a cursor
    if not node_id or encode_cursor(node_id) != cursor:
        raise InvalidArgument("after", "not a cursor returned by this API")
    return node_id


E = TypeVar("E", bound=StrEnum)


def _member(choices: type[E], value: Any, argument: str) -> E:
    """``value`` as a member of the enum ``choices``, or :class:`InvalidArgument` naming
    them."""
    try:
        return choices(value)
    except ValueError as exc:
        names = ", ".join(c.value for c in choices)
        raise InvalidArgument(argument, f"must be one of {names}, got {value!r}") from exc


def check_node_type(value: Any, argument: str = "type") -> NodeType:
    """``value`` as a :class:`NodeType`, or :class:`InvalidArgument` naming the choices."""
    return _member(NodeType, value, argument)


def check_rel_type(value: Any, argument: str = "rel") -> RelType:
    """``value`` as a :class:`RelType`, or :class:`InvalidArgument` naming the choices."""
    return _member(RelType, value, argument)


def check_direction(value: Any, argument: str = "direction") -> Direction:
    """``value`` as a :class:`Direction`, or :class:`InvalidArgument`."""
    try:
        return Direction(value)
    except ValueError as exc:
        raise InvalidArgument(argument, f"must be OUT or IN, got {value!r}") from exc


def check_first(first: int, argument: str = "first") -> int:
    if first < 0 or first > MAX_PAGE:
        raise InvalidArgument(argument, f"must be between 0 and {MAX_PAGE}, got {first}")
    return first


@runtime_checkable
class Store(Protocol):
    """What the service asks of a graph store. All methods are coroutines."""

    async def open(self) -> None:
        """Connect / read the file. Raises :class:`StoreUnavailable` when it cannot."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Return if the store answers, raise :class:`StoreUnavailable` otherwise."""

    async def version(self) -> str:
        """Graph version: changes exactly when a load changes the graph."""

    async def stats(self) -> Stats: ...

    async def get_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        """Nodes by id, in the order asked, ``None`` for unknown ids."""

    async def list_nodes(
        self,
        type: NodeType,
        flt: NodeFilter,
        first: int,
        after: str | None,
        *,
        text: bool = True,
    ) -> Page:
        """One page of the nodes of ``type`` passing ``flt``. With ``text=False`` the store
        may leave out descriptions and alternative labels (such nodes say
        ``complete=False``); everything else is the same."""

    async def neighbours(
        self,
        ids: Sequence[str],
        rel: RelType,
        direction: Direction,
        rel_props: Mapping[str, Any] | None = None,
        *,
        text: bool = True,
        labels_only: bool = False,
    ) -> dict[str, list[Edge]]:
        """For each id, the edges of type ``rel`` in ``direction`` whose properties equal
        ``rel_props`` (when given), sorted by the other node's id. Every asked id is a key.
        ``text=False``: as in :meth:`list_nodes`. ``labels_only=True``: the store may send
        the other nodes with their id, type, source and labels only (``complete=False``,
        ``props`` :data:`~cartonet.model.PROPS_LEFT_OUT`, which raises when read), for a
        caller that reads nothing else of them; everything else is the same."""

    async def neighbour_pages(
        self,
        ids: Sequence[str],
        rel: RelType,
        direction: Direction,
        node_type: NodeType,
        first: int,
        after: str | None = None,
        rel_props: Mapping[str, Any] | None = None,
        *,
        text: bool = True,
        labels_only: bool = False,
    ) -> dict[str, EdgePage]:
        """For each id, one page of its edges of type ``rel`` in ``direction`` whose other
        node is of ``node_type`` and whose properties equal ``rel_props`` (when given): the
        first ``first`` edges, in ascending order of the other node's id, after the node
        the cursor ``after`` points at; with their number over all pages. The same
        cursor applies to every id (a page of one parent's list). Every asked id is a
        key. ``text=False`` and ``labels_only=True``: as in :meth:`neighbours`."""

    async def get_nodes_with_neighbours(
        self,
        ids: Sequence[str],
        rel: RelType,
        direction: Direction,
        rel_props: Mapping[str, Any] | None = None,
        *,
        text: bool = False,
        labels_only: bool = False,
        node_text: bool = True,
    ) -> tuple[list[Node | None], dict[str, list[Edge]]]:
        """``get_nodes(ids)`` and ``neighbours(ids, rel, direction, rel_props, text=text)``
        in one read (one round trip on a server store): a lookup by id together with the
        list nested under it. The same answers as the two calls; ``text`` and
        ``labels_only`` apply to the neighbours, ``node_text`` to the looked-up nodes
        (``False``: they may come without descriptions and alternative labels, saying
        ``complete=False``, as :meth:`list_nodes` with ``text=False``)."""

    async def get_nodes_with_pages(
        self,
        ids: Sequence[str],
        rel: RelType,
        direction: Direction,
        node_type: NodeType,
        first: int,
        after: str | None = None,
        rel_props: Mapping[str, Any] | None = None,
        *,
        text: bool = False,
        labels_only: bool = False,
        node_text: bool = True,
    ) -> tuple[list[Node | None], dict[str, EdgePage]]:
        """``get_nodes(ids)`` and ``neighbour_pages(ids, ...)`` in one read, like
        :meth:`get_nodes_with_neighbours` for a nested page."""

    async def search(
        self, text: str, types: Sequence[NodeType] | None, lang: str | None, first: int
    ) -> list[SearchHit]: ...

    async def load(
        self, dataset: Dataset, replace: bool = False, progress: ProgressCallback | None = None
    ) -> LoadReport:
        """Write ``dataset``: upsert its nodes and relationships. With ``replace``, also remove
        what the store holds from ``dataset.source`` that the dataset no longer has.
        All or nothing: on any error the previous graph stays as it was."""

    async def export(self) -> Dataset:
        """Every node and relationship (for the orientation projection and dumps)."""

    async def warm(self, cache_file: Path | None = None) -> None:
        """Build what the first reads would otherwise build lazily (a search index, a cache
        on the server), so the first request after a start does not pay for it. Safe to
        call any time, idempotent; raises :class:`StoreUnavailable` like a read when the
        store cannot be reached. ``cache_file``: where a backend may keep what it built,
        keyed by graph version, to read it back on the next start (the embedded store
        does; a backend may ignore it)."""

    async def load_observed(
        self, data: ObservedMobility, progress: ProgressCallback | None = None
    ) -> ObservedLoadReport:
        """Write observed mobility (:mod:`cartonet.store.observed`): replace what
        ``data.source`` brought before. All or nothing; refused (``LoadError``) when a
        move names an occupation the store lacks. The version moves when it changed."""

    async def observed_moves(
        self, ids: Sequence[str], area: str | None = None
    ) -> dict[str, list[ObservedMove]]:
        """For each id, the observed moves from it: in ``area``, or merged over all areas
        when ``area`` is None; ordered by score, then end id; ends that are no longer
        occupations of the graph left out. Every asked id is a key."""

    async def area_of_commune(self, commune: str) -> str | None:
        """The employment area of a commune (INSEE code), ``None`` when unknown."""

    async def export_observed(self) -> list[ObservedMobility]:
        """Every source's observed moves (one per area, as loaded) and communes, for dumps:
        sources sorted, moves by (area, start, end), communes by code."""

    async def load_history(self, source: str | None = None, last: int = 20) -> list[LoadRecord]:
        """The ``last`` loads (of ``source`` when given), newest first: every load that
        committed, graph or observed mobility (:mod:`cartonet.store.history`)."""
