"""Limits that keep one query from taking the service down.

Depth, aliases and document size use Strawberry's own extensions (``QueryDepthLimiter``,
``MaxAliasesLimiter``, ``MaxTokensLimiter``); batched requests stay off (Strawberry's
default). None of those bounds how many nodes a query can make the service fetch:
``occupations(first: 500) { ... skills { skill { occupations(first: 500) ... } } }`` is
shallow and short yet asks for millions of nodes. :class:`QueryCostLimiter` estimates that
number before execution and refuses queries above a budget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from cartonet.store.base import MAX_PAGE


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds applied to every GraphQL operation (documented in docs/api.md)."""

    max_depth: int = 10
    max_aliases: int = 20
    max_tokens: int = 2000
    max_cost: int = 200_000
    list_fanout: int = 50  # assumed length of unpaginated lists (ESCO: ~41 skills a job)

    def extensions(self) -> list[Callable[[], SchemaExtension]]:
        """Factories, so each operation gets its own extension instances."""
        return [
            partial(QueryDepthLimiter, max_depth=self.max_depth),
            partial(MaxAliasesLimiter, max_alias_count=self.max_aliases),
            partial(MaxTokensLimiter, max_token_count=self.max_tokens),
            partial(QueryCostLimiter, max_cost=self.max_cost, list_fanout=self.list_fanout),
        ]


def _unwrap_list(gql_type: Any) -> bool:
    if isinstance(gql_type, GraphQLNonNull):
        gql_type = gql_type.of_type
    return isinstance(gql_type, GraphQLList)


def estimate_cost(
    context: ValidationContext,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    list_fanout: int,
) -> int:
    """Estimated number of fields an operation resolves.

    Each field costs one per parent item. Below a field with a ``first`` argument, items
    are multiplied by ``first`` (the value given, else its default); below ``nodes(ids)``
    by the number of ids; below any other list of objects, by ``list_fanout``; a
    connection's ``edges`` list adds no factor (its length is the ``first`` already
    counted). Introspection fields are free.

    Example: ``{ occupations(first: 10) { edges { node { skills { skill { id } } } } } }``
    costs 1 + 10 (edges) + 10 (node) + 10 (skills) + 500 (skill) + 500 (id) = 1031.
    """
    schema = context.schema
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0

    def first_of(field: FieldNode, default: Any) -> int:
        value: Any = default
        for arg in field.arguments or ():
            if arg.name.value != "first":
                continue
            if isinstance(arg.value, IntValueNode):
                value = int(arg.value.value)
            elif isinstance(arg.value, VariableNode):
                value = variables.get(arg.value.name.value, default)
            else:
                value = MAX_PAGE
        if not isinstance(value, int):
            return MAX_PAGE  # malformed: another rule reports it; assume the worst
        return max(0, min(value, MAX_PAGE))

    def ids_of(field: FieldNode) -> int:
        for arg in field.arguments or ():
            if arg.name.value != "ids":
                continue
            if isinstance(arg.value, ListValueNode):
                return len(arg.value.values)
            if isinstance(arg.value, VariableNode):
                value = variables.get(arg.value.name.value)
                return len(value) if isinstance(value, list) else MAX_PAGE
        return MAX_PAGE

    def walk(
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType,
        items: int,
        fragments: frozenset[str],
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__") or not isinstance(
                    parent, (GraphQLObjectType, GraphQLInterfaceType)
                ):
                    continue
                field = parent.fields.get(name)
                if field is None:
                    continue  # unknown field: FieldsOnCorrectTypeRule reports it
                total += items
                if selection.selection_set is None:
                    continue
                factor = 1
                if "first" in field.args:
                    factor = first_of(selection, field.args["first"].default_value)
                elif "ids" in field.args:
                    factor = ids_of(selection)
                elif _unwrap_list(field.type) and not parent.name.endswith("Connection"):
                    factor = list_fanout
                total += walk(
                    selection.selection_set, get_named_type(field.type), items * factor, fragments
                )
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    named = schema.get_type(selection.type_condition.name.value)
                    target = named if named is not None else parent
                total += walk(selection.selection_set, target, items, fragments)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = context.get_fragment(name)
                if fragment is None or name in fragments:
                    continue  # unknown or cyclic: other rules report it
                named = schema.get_type(fragment.type_condition.name.value)
                total += walk(fragment.selection_set, named or parent, items, fragments | {name})
        return total

    return walk(operation.selection_set, root, 1, frozenset())


def cost_rule(max_cost: int, list_fanout: int, variables: Mapping[str, Any]) -> type:
    class QueryCostRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = estimate_cost(self.context, node, variables, list_fanout)
            if cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"query too costly: it may resolve about {cost:,} fields, the limit is "
                        f"{max_cost:,}; ask for smaller pages (first) or nest fewer lists",
                        node,
                    )
                )

    return QueryCostRule


class QueryCostLimiter(SchemaExtension):
    """Refuses operations whose :func:`estimate_cost` exceeds ``max_cost``.

    A validation rule made per operation, so it sees the operation's variables
    (``first: $n``), which plain validation rules do not.
    """

    def __init__(self, max_cost: int, list_fanout: int) -> None:
        self.max_cost, self.list_fanout = max_cost, list_fanout

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        rule = cost_rule(self.max_cost, self.list_fanout, ctx.variables or {})
        ctx.validation_rules = (*ctx.validation_rules, rule)
        yield
