"""Expected answers computed straight from a dataset's records (no store involved)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from cartonet.model import Node, NodeType, Relationship, RelType
from cartonet.store.base import Direction, Edge, Store
from cartonet.store.search import filter_text, normalize

StoreFactory = Callable[[], Awaitable[Store]]
"""Gives a fresh, empty, opened store each time it is awaited."""


def by_id(nodes: Iterable[Node]) -> dict[str, Node]:
    return {n.id: n for n in nodes}


def ids_of_type(nodes: Iterable[Node], type_: NodeType) -> list[str]:
    return sorted(n.id for n in nodes if n.type == type_)


def below(rels: Iterable[Relationship], group: str) -> set[str]:
    """Ids with a BROADER path of one step or more to ``group``."""
    children: dict[str, set[str]] = {}
    for r in rels:
        if r.type == RelType.BROADER:
            children.setdefault(r.end, set()).add(r.start)
    found: set[str] = set()
    todo = [group]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    found.discard(group)
    return found


def text_matches(node: Node, text: str) -> bool:
    """``NodeFilter.text`` as the protocol states it: some label (any language, preferred or
    alternative) contains the text, ignoring case and accents."""
    return normalize(text) in filter_text(node)


def edges(
    nodes: Mapping[str, Node],
    rels: Iterable[Relationship],
    node_id: str,
    rel: RelType,
    direction: Direction,
    rel_props: Mapping[str, Any] | None = None,
) -> list[tuple[str, str, str, dict[str, Any], str]]:
    """The edges ``neighbours`` must return for ``node_id``, as comparable tuples."""
    out = []
    for r in rels:
        if r.type != rel:
            continue
        here, other = (r.start, r.end) if direction is Direction.OUT else (r.end, r.start)
        if here != node_id:
            continue
        if rel_props and any(r.props.get(k) != v for k, v in rel_props.items()):
            continue
        out.append((r.type.value, r.start, r.end, dict(r.props), nodes[other].id))
    return sorted(out, key=lambda e: e[4])


def as_tuples(found: list[Edge]) -> list[tuple[str, str, str, dict[str, Any], str]]:
    return [
        (RelType(e.rel.type).value, e.rel.start, e.rel.end, dict(e.rel.props), e.node.id)
        for e in found
    ]


def rel_tuples(rels: Iterable[Relationship]) -> list[tuple[str, str, str, dict[str, Any]]]:
    return sorted((RelType(r.type).value, r.start, r.end, dict(r.props)) for r in rels)
