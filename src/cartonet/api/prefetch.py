"""Read a lookup by id and the list nested under it in one store read.

``{ occupation(id: ...) { id label skills(relevance: ESSENTIAL) { ... } } }`` would take
two reads one after the other: the occupation (the nodes loader), then its skills (the
neighbours loader, once the occupation resolved). On Neo4j each read is a round trip and
the server's cost of a statement is mostly per statement, not per row, so the lookup
looks at the fields selected under it first: when one of them is a nested list of
:data:`NESTED`, the node and that list come in one read
(:meth:`~cartonet.api.loaders.Loaders.nodes_with`), and the list is primed into the
loader its resolver reads from.

The prefetch never decides an answer: it primes exactly the loader key the nested
resolver computes from the same arguments (:func:`nested_key` mirrors the resolvers in
:mod:`cartonet.api.types`). Arguments the resolver would refuse (``first`` out of range, a
malformed cursor), fields under fragments, and a lookup that finds a node of another type
simply read as before: the resolver then loads (or refuses) on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import FieldNode, GraphQLError, GraphQLObjectType, get_named_type
from graphql.execution.values import VariableValues, get_argument_values

from cartonet.errors import InvalidArgument
from cartonet.model import NodeType, Relevance, RelType
from cartonet.store.base import MAX_PAGE, Direction, decode_cursor

from .loaders import Loaders, NestedKey
from .selection import NODE_CONNECTION, REQUIREMENT_CONNECTION, REQUIREMENTS, Shape, fits
from .types import DEFAULT_PAGE


@dataclass(frozen=True, slots=True)
class Nested:
    """How a nested list field reads: ``rel`` in ``direction``, filtered on ``relevance``
    when given; ``page_of`` the node type of a paged list (``first``/``after``), ``None``
    for a whole list; ``shape`` where its nodes sit in its answer (labels only when the
    selection reads nothing else of them, as the resolver decides)."""

    rel: RelType
    direction: Direction
    shape: Shape
    page_of: NodeType | None = None


NESTED: Mapping[tuple[NodeType, str], Nested] = {
    (NodeType.OCCUPATION, "skills"): Nested(RelType.REQUIRES, Direction.OUT, REQUIREMENTS),
    (NodeType.OCCUPATION, "skillsConnection"): Nested(
        RelType.REQUIRES, Direction.OUT, REQUIREMENT_CONNECTION, NodeType.SKILL
    ),
    (NodeType.SKILL, "occupations"): Nested(
        RelType.REQUIRES, Direction.IN, NODE_CONNECTION, NodeType.OCCUPATION
    ),
}
"""Nested fields a lookup reads along, by (looked-up type, GraphQL field name); each reads
``REQUIRES`` with an optional ``relevance`` argument, as its resolver does."""


def nested_key(
    loaders: Loaders, spec: Nested, arguments: Mapping[str, Any], field: FieldNode
) -> NestedKey | None:
    """The loader key the field's resolver will read, from its GraphQL ``arguments`` and
    its selection (``field``); ``None`` when the resolver would refuse the arguments (it
    then says why itself)."""
    relevance = _relevance(arguments.get("relevance"))
    if relevance is False:
        return None
    props = {"relevance": relevance} if relevance else None
    # ``Occupation.skills(kind:)`` filters on the skills' kind: whole skills then
    labels_only = arguments.get("kind") is None and fits([field], spec.shape)
    if spec.page_of is None:
        return loaders.nested_key(spec.rel, spec.direction, props, labels_only=labels_only)
    first = arguments.get("first", DEFAULT_PAGE)
    after = arguments.get("after")
    if not isinstance(first, int) or not 0 <= first <= MAX_PAGE:
        return None
    try:
        decode_cursor(after)
    except InvalidArgument:
        return None
    page = (spec.page_of, first, after)
    return loaders.nested_key(spec.rel, spec.direction, props, page, labels_only=labels_only)


def _relevance(value: Any) -> str | bool | None:
    """The stored relevance an argument stands for (a literal gives the enum's name, a
    variable its coerced value); ``False`` when it is neither."""
    if value is None:
        return None
    if isinstance(value, Relevance):
        return value.value
    if isinstance(value, str) and value in Relevance.__members__:
        return Relevance[value].value
    return False


def _variables(values: Any) -> VariableValues:
    # The resolve info carries the coerced variables as a plain dict.
    if isinstance(values, VariableValues):
        return values
    return VariableValues(sources={}, coerced=dict(values or {}))


def prefetch_key(info: strawberry.Info, node_type: NodeType) -> NestedKey | None:
    """The first nested list of :data:`NESTED` selected directly under this lookup, as
    a loader key; ``None`` when there is none."""
    raw = info._raw_info
    parent = get_named_type(raw.return_type)
    nodes = raw.field_nodes
    if len(nodes) != 1 or nodes[0].selection_set is None:
        return None
    if not isinstance(parent, GraphQLObjectType):
        return None
    for child in nodes[0].selection_set.selections:
        if not isinstance(child, FieldNode):
            continue
        spec = NESTED.get((node_type, child.name.value))
        field = parent.fields.get(child.name.value)
        if spec is None or field is None:
            continue
        try:
            # Coerced as the resolver gets them: literals typed, variables read, defaults in.
            arguments = get_argument_values(field, child, _variables(raw.variable_values))
        except GraphQLError:
            return None
        return nested_key(info.context.loaders, spec, arguments, child)
    return None
