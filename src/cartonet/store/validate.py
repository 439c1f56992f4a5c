"""Checks a dataset must pass before any store writes it.

Both stores call these before their write transaction, so a bad dataset is refused the
same way everywhere, with every problem listed and nothing written:

>>> ids = ids_to_look_up(dataset)                  # doctest: +SKIP
>>> stored = {i: t for i, t in store_types(ids)}   # the store's own lookup  # doctest: +SKIP
>>> validate_dataset(dataset, stored)              # raises LoadError  # doctest: +SKIP

``stored`` maps the ids the store already holds (among those asked) to their node type:
a relationship may point at a node loaded earlier from another source, and a node may not
change type under an id the store already has.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from cartonet.errors import LoadError
from cartonet.model import (
    BOOLEAN_PROPS,
    NODE_PROPS,
    NUMBER_PROPS,
    PROP_ENUMS,
    REL_ENDPOINTS,
    REL_PROPS,
    Dataset,
    Node,
    NodeType,
    Relationship,
    RelType,
)
from cartonet.store.base import ProgressCallback

__all__ = ["check_dataset", "ids_to_look_up", "validate_dataset"]

# Plain-string lookups: enum attribute access would dominate the check of 150k edges.
_NODE_TYPES: Mapping[str, NodeType] = {t.value: t for t in NodeType}
_REL_TYPES: Mapping[str, RelType] = {t.value: t for t in RelType}
_ENDPOINTS: Mapping[str, frozenset[tuple[str, str]]] = {
    t.value: frozenset((a.value, b.value) for a, b in pairs) for t, pairs in REL_ENDPOINTS.items()
}
_ENUM_VALUES: Mapping[tuple[str, str], frozenset[str]] = {
    k: frozenset(e.value for e in enum) for k, enum in PROP_ENUMS.items()
}
_SCALARS = (str, int, float, bool)


def ids_to_look_up(dataset: Dataset) -> set[str]:
    """Every id the dataset names (its nodes and relationship ends): the ids whose stored
    type :func:`check_dataset` needs."""
    ids = {n.id for n in dataset.nodes if isinstance(n.id, str)}
    for rel in dataset.relationships:
        ids.update(x for x in (rel.start, rel.end) if isinstance(x, str))
    return ids


def _check_value(where: str, owner: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, _SCALARS):
        return f"{where}: property '{key}' must be a string, number or boolean"
    allowed = _ENUM_VALUES.get((owner, key))
    if allowed is not None and value not in allowed:
        return (
            f"{where}: property '{key}' is {value!r}, expected one of {', '.join(sorted(allowed))}"
        )
    if key in NUMBER_PROPS and (
        isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
    ):
        return f"{where}: property '{key}' must be a finite number, got {value!r}"
    if key in BOOLEAN_PROPS and not isinstance(value, bool):
        return f"{where}: property '{key}' must be true or false, got {value!r}"
    return None


def _check_node(node: Node, where: str) -> list[str]:
    problems: list[str] = []
    if not isinstance(node.id, str) or not node.id.strip():
        return [f"{where}: node id must be a non-empty string"]
    type_ = _NODE_TYPES.get(node.type) if isinstance(node.type, str) else None
    if type_ is None:
        return [f"{where}: unknown node type {node.type!r}"]
    if not isinstance(node.source, str) or not node.source.strip():
        problems.append(f"{where}: missing source")
    labels = node.labels if isinstance(node.labels, Mapping) else {}
    if not any(isinstance(v, str) and v.strip() for v in labels.values()):
        problems.append(f"{where}: no label in any language")
    for field, values in (("labels", node.labels), ("descriptions", node.descriptions)):
        if not isinstance(values, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in values.items()
        ):
            problems.append(f"{where}: {field} must map a language to a string")
    if not isinstance(node.alt_labels, Mapping) or not all(
        isinstance(k, str) and not isinstance(v, str) and all(isinstance(x, str) for x in v)
        for k, v in node.alt_labels.items()
    ):
        problems.append(f"{where}: alt_labels must map a language to a list of strings")
    allowed = NODE_PROPS[type_]
    for key, value in node.props.items():
        if key not in allowed:
            problems.append(
                f"{where}: property '{key}' is not allowed on {type_.value} "
                f"(allowed: {', '.join(sorted(allowed))})"
            )
            continue
        problem = _check_value(where, type_.value, key, value)
        if problem:
            problems.append(problem)
    return problems


def _check_rel(rel: Relationship, where: str, types: Mapping[str, str]) -> list[str]:
    rel_type = _REL_TYPES.get(rel.type) if isinstance(rel.type, str) else None
    if rel_type is None:
        return [f"{where}: unknown relationship type {rel.type!r}"]
    problems: list[str] = []
    start = types.get(rel.start) if isinstance(rel.start, str) else None
    end = types.get(rel.end) if isinstance(rel.end, str) else None
    if start is None:
        problems.append(
            f"{where}: start node {rel.start!r} is neither in the dataset nor the store"
        )
    if end is None:
        problems.append(f"{where}: end node {rel.end!r} is neither in the dataset nor the store")
    if rel.start == rel.end:
        problems.append(f"{where}: starts and ends at the same node")
    name = rel_type.value
    if start is not None and end is not None and (start, end) not in _ENDPOINTS[name]:
        allowed = ", ".join(sorted(f"{a}->{b}" for a, b in _ENDPOINTS[name]))
        problems.append(f"{where}: {name} cannot join {start} to {end} (allowed: {allowed})")
    if rel.props:
        allowed_props = REL_PROPS[rel_type]
        for key, value in rel.props.items():
            if key not in allowed_props:
                names = ", ".join(sorted(allowed_props)) or "none"
                problems.append(
                    f"{where}: property '{key}' is not allowed on {name} (allowed: {names})"
                )
                continue
            problem = _check_value(where, name, key, value)
            if problem:
                problems.append(problem)
    return problems


def _origin(dataset: Dataset, key: Any, source: str) -> str:
    """Where the loader read the item (``file: nodes[3]``), else the source's name."""
    try:
        return dataset.origins.get(key, source)
    except TypeError:  # an id that is not even hashable: the check itself reports it
        return source


def check_dataset(
    dataset: Dataset,
    stored: Mapping[str, NodeType],
    progress: ProgressCallback | None = None,
) -> list[str]:
    """Every problem that would make ``dataset`` unfit to load, as readable lines.

    Parameters
    ----------
    dataset : what a loader produced.
    stored : type of each id the store already holds, at least for
        :func:`ids_to_look_up` ``(dataset)``.
    progress : called as ``progress("validate", done, total)``.

    Returns
    -------
    Problems, each naming the source and the node or relationship (empty when fine).
    Checked: ids, types and labels of nodes, a node's type against the type it has in the
    store, duplicate ids with different content, property names (``NODE_PROPS``,
    ``REL_PROPS``) and values (enums, numbers), relationship ends (in the dataset or the
    store) and their types (``REL_ENDPOINTS``).
    """
    source = dataset.source if isinstance(dataset.source, str) else repr(dataset.source)
    problems: list[str] = []
    if not isinstance(dataset.source, str) or not dataset.source.strip():
        problems.append(f"{source}: the dataset has no source name")
    total = len(dataset.nodes) + len(dataset.relationships)
    report: Callable[[int], None] = (
        (lambda done: progress("validate", done, total)) if progress else (lambda done: None)
    )
    types: dict[str, str] = {i: str(t) for i, t in stored.items()}
    seen: dict[str, Node] = {}
    step = 10_000
    for i, node in enumerate(dataset.nodes, 1):
        where = f"{_origin(dataset, node.id, source)}: node {node.id!r}"
        node_problems = _check_node(node, where)
        problems.extend(node_problems)
        if not node_problems:
            previous = seen.get(node.id)
            if previous is not None and previous != node:
                problems.append(f"{where}: appears twice with different content")
            seen[node.id] = node
            stored_type = stored.get(node.id)
            if stored_type is not None and stored_type != node.type:
                problems.append(
                    f"{where}: the store holds it as {stored_type}, the dataset as {node.type}"
                )
            types[node.id] = str(node.type)
        if i % step == 0:
            report(i)
    rels: dict[tuple[str, str, str], Relationship] = {}
    no_props: Mapping[str, Any] = {}
    for j, rel in enumerate(dataset.relationships, len(dataset.nodes) + 1):
        origin = _origin(dataset, (str(rel.type), rel.start, rel.end), source)
        where = f"{origin}: relationship {rel.type} {rel.start!r} -> {rel.end!r}"
        rel_problems = _check_rel(rel, where, types)
        problems.extend(rel_problems)
        if not rel_problems:
            key = (str(rel.type), rel.start, rel.end)
            previous_rel = rels.get(key)
            if previous_rel is not None and (previous_rel.props or no_props) != (
                rel.props or no_props
            ):
                problems.append(f"{where}: appears twice with different properties")
            rels[key] = rel
        if j % step == 0:
            report(j)
    report(total)
    return problems


def validate_dataset(
    dataset: Dataset,
    stored: Mapping[str, NodeType],
    progress: ProgressCallback | None = None,
) -> None:
    """Raise :class:`LoadError` listing every problem :func:`check_dataset` finds."""
    problems = check_dataset(dataset, stored, progress)
    if problems:
        raise LoadError(
            f"{dataset.source}: dataset refused, nothing was written "
            f"({len(problems)} problem{'s' if len(problems) != 1 else ''})",
            problems,
        )
