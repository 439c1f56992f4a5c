"""How ``/graphql`` runs an operation: graphql-core's executor with short paths.

graphql-core completes every field the same general way: a resolve info object, the
arguments coerced, the resolver called, the value completed by its type, a path kept for
errors. Most of an answer is plain values read off objects already in memory (a page of
20 occupations is 20 edges, 20 nodes and 40 labels), for which that work is most of the
request's CPU. :class:`PlainExecutor` keeps graphql-core's path for everything and adds
three short ones, each giving the same answer:

* **leaf fields** whose resolver is info-free (:data:`~cartonet.api.types.INFO_FREE_RESOLVERS`:
  a node's ``id`` and ``label``, ``totalCount``...) are resolved and coerced directly;
* **objects** go straight to their fields;
* **plain subtrees**: an object whose selection holds only such fields, nested objects
  and lists of them (``edges { node { id label } }``) is completed by a plan made once per
  document (:func:`plan_of`), a few tuples walked by one function.

Whatever is not a plain value (a resolver that raises, ``null`` where the schema says
non-null, a value the coercion refuses, an argument read from a variable, a directive
anywhere in the document) makes the short path step aside: graphql-core's path then
runs, and its answer and errors (message, location, path) are its own. The resolvers
involved only read attributes, so running one twice changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, NamedTuple

from graphql.execution import Executor
from graphql.execution.values import get_argument_values
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
)
from graphql.pyutils import Undefined
from graphql.type import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from .types import INFO_FREE_RESOLVERS

CACHE_ENTRIES = 4096
"""Field nodes whose literal arguments, and objects whose plans, the executor keeps."""


class _NotPlain(Exception):
    """A plan met a value it does not complete itself: graphql-core's path takes over."""


class Step(NamedTuple):
    """One field of a plan: ``key`` in the answer, read by ``resolve(source, None,
    **arguments)`` (``None``: ``__typename``, answered ``typename``), completed as a leaf
    of type ``leaf`` or as an object by ``plan`` (checked with ``is_type_of``), a list of
    such items when ``in_list``; ``nonnull`` / ``item_nonnull`` as the schema says."""

    key: str
    resolve: Callable[..., Any] | None
    arguments: Mapping[str, Any]
    nonnull: bool
    in_list: bool
    item_nonnull: bool
    leaf: GraphQLScalarType | GraphQLEnumType | None
    is_type_of: Callable[[Any, Any], Any] | None
    plan: tuple[Step, ...] | None
    typename: str | None = None


Plan = tuple[Step, ...]


def run_plan(plan: Plan, source: Any) -> dict[str, Any]:
    """The answer for ``source`` under ``plan``; raises :class:`_NotPlain` on any value
    graphql-core's path should complete (and report) itself."""
    out: dict[str, Any] = {}
    for step in plan:
        if step.resolve is None:
            out[step.key] = step.typename
            continue
        value = step.resolve(source, None, **step.arguments)
        if value is None:
            if step.nonnull:
                raise _NotPlain
            out[step.key] = None
        elif step.in_list:
            if not isinstance(value, list | tuple):
                raise _NotPlain
            out[step.key] = [_item(step, item) for item in value]
        else:
            out[step.key] = _item(step, value)
    return out


def _item(step: Step, value: Any) -> Any:
    if value is None:
        if step.item_nonnull:
            raise _NotPlain
        return None
    if step.leaf is not None:
        coerced = step.leaf.coerce_output_value(value)
        if coerced is None or coerced is Undefined:
            raise _NotPlain
        return coerced
    assert step.plan is not None
    if step.is_type_of is not None and step.is_type_of(value, None) is not True:
        raise _NotPlain
    return run_plan(step.plan, value)


class PlainExecutor(Executor):
    """graphql-core's executor without incremental delivery, handing resolvers the info
    object Strawberry's resolvers expect, with the short paths of this module.

    Strawberry's own executor class is graphql-core's incremental one (``@defer`` and
    ``@stream``), which adds a step to every object it completes; the schema declares
    neither directive and ``graphql.execute`` refuses incremental results anyway, so the
    plain executor gives the same answers for less work.
    """

    operation_extensions: Any = None
    build_resolve_info = StrawberryGraphQLCoreExecutionContext.build_resolve_info  # type: ignore[assignment]

    # Caches shared by every request, keyed by object ids. Each entry keeps the objects it
    # was made from and is used only when they are the very ones met again: an id reused
    # after a document left the document cache, or the same document on another schema,
    # never matches.
    _literal_arguments: ClassVar[dict[int, tuple[Any, Any, dict[str, Any] | None]]] = {}
    _plans: ClassVar[dict[tuple[int, ...], tuple[Any, tuple[Any, ...], Plan | None]]] = {}
    _directive_free: ClassVar[dict[int, tuple[Any, bool]]] = {}

    def execute_field(  # type: ignore[override]
        self,
        parent_type: Any,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        details = field_details_list[0]
        field_def = parent_type.fields.get(details.node.name.value)
        if (
            field_def is not None
            and field_def.resolve in INFO_FREE_RESOLVERS
            and self.middleware_manager is None  # middleware wraps every resolver
        ):
            value = self._plain_leaf(field_def, details, source)
            if value is not Undefined:
                return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _plain_leaf(self, field_def: Any, details: Any, source: Any) -> Any:
        """The completed value of a leaf field with an info-free resolver, or
        ``Undefined`` when graphql-core's own path should run (and report)."""
        return_type = field_def.type
        leaf = return_type.of_type if type(return_type) is GraphQLNonNull else return_type
        if not isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
            return Undefined
        arguments = self._arguments(field_def, details)
        if arguments is None:
            return Undefined
        try:
            value = field_def.resolve(source, None, **arguments)
            if value is None:
                return None if leaf is return_type else Undefined
            coerced = leaf.coerce_output_value(value)
        except Exception:
            return Undefined  # the same call on graphql-core's path raises, located
        return Undefined if coerced is None else coerced

    def complete_value(  # type: ignore[override]
        self,
        return_type: Any,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        # An object (nullable or not) that is one: by its plan when it has one, else
        # straight to its fields, where graphql-core takes three more steps to get there.
        named = return_type.of_type if type(return_type) is GraphQLNonNull else return_type
        if type(named) is GraphQLObjectType and result is not None and result is not Undefined:
            is_type_of = named.is_type_of
            if not isinstance(result, Exception) and (
                is_type_of is None or is_type_of(result, info) is True
            ):
                plan = self._plan(named, field_details_list)
                if plan is not None:
                    # a value it does not complete: graphql-core's path below reports it
                    with contextlib.suppress(Exception):
                        return run_plan(plan, result)
                return self.collect_and_execute_subfields(
                    named, field_details_list, path, result, position_context
                )
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _arguments(self, field_def: Any, details: Any) -> dict[str, Any] | None:
        """The field's coerced arguments when none reads a variable, from the per-node
        cache; ``None`` when graphql-core should coerce them itself."""
        node = details.node
        if not node.arguments and not field_def.args:
            return {}
        if details.fragment_variable_values is not None:
            return None
        known = self._literal_arguments.get(id(node))
        if known is not None and known[0] is node and known[1] is field_def:
            return known[2]
        arguments: dict[str, Any] | None = None
        if not any(_reads_variable(a.value) for a in node.arguments or ()):
            # an argument it refuses: graphql-core's path reports it, located
            with contextlib.suppress(Exception):
                arguments = get_argument_values(field_def, node)
        _remember(self._literal_arguments, id(node), (node, field_def, arguments))
        return arguments

    def _plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> Plan | None:
        """The plan completing ``object_type`` under these field nodes, made on first
        need; ``None`` when its selection is not plain (see :func:`plan_of`)."""
        nodes = tuple(d.node for d in field_details_list)
        key = (id(object_type), *map(id, nodes))
        known = self._plans.get(key)
        if known is not None and known[0] is object_type and known[1] == nodes:
            return known[2]
        plan = plan_of(self, object_type, field_details_list)
        _remember(self._plans, key, (object_type, nodes, plan))
        return plan

    def directive_free(self) -> bool:
        """Whether the operation and its fragments use no directive (``@skip``,
        ``@include``): the fields selected then never depend on variables."""
        operation = self.operation
        known = self._directive_free.get(id(operation))
        if known is not None and known[0] is operation:
            return known[1]
        free = _directive_free(operation, self.fragment_definitions)
        _remember(self._directive_free, id(operation), (operation, free))
        return free


def plan_of(
    executor: PlainExecutor, object_type: GraphQLObjectType, field_details_list: Any
) -> Plan | None:
    """The plan completing ``object_type`` under ``field_details_list``, or ``None`` when
    its selection is not plain: every field selected (down to the leaves) must be
    ``__typename`` or have an info-free resolver and arguments that read no variable, and
    be a leaf, an object type, or a list of either; the document must hold no directive.
    """
    if executor.middleware_manager is not None or not executor.directive_free():
        return None
    grouped, defer_usages, _ = executor.collect_subfields(object_type, field_details_list)
    if defer_usages:
        return None
    steps: list[Step] = []
    for key, details_list in grouped.items():
        details = details_list[0]
        name = details.node.name.value
        if name == "__typename":
            steps.append(Step(key, None, {}, True, False, True, None, None, None, object_type.name))
            continue
        field_def = object_type.fields.get(name)
        if field_def is None or field_def.resolve not in INFO_FREE_RESOLVERS:
            return None
        arguments = executor._arguments(field_def, details)
        if arguments is None:
            return None
        field_type: Any = field_def.type
        nonnull = type(field_type) is GraphQLNonNull
        field_type = field_type.of_type if nonnull else field_type
        in_list = type(field_type) is GraphQLList
        item_type = field_type.of_type if in_list else field_type
        item_nonnull = type(item_type) is GraphQLNonNull
        item_type = item_type.of_type if item_nonnull else item_type
        if not in_list:
            item_nonnull = nonnull
        leaf: GraphQLScalarType | GraphQLEnumType | None = None
        plan: Plan | None = None
        if isinstance(item_type, GraphQLScalarType | GraphQLEnumType):
            leaf = item_type
        elif type(item_type) is GraphQLObjectType:
            plan = executor._plan(item_type, details_list)
            if plan is None:
                return None
        else:  # an interface or a union, or a list of lists: graphql-core's path
            return None
        is_type_of = None if plan is None else item_type.is_type_of
        steps.append(
            Step(
                key,
                field_def.resolve,
                arguments,
                nonnull,
                in_list,
                item_nonnull,
                leaf,
                is_type_of,
                plan,
            )
        )
    return tuple(steps)


def _remember(cache: dict[Any, Any], key: Any, entry: Any) -> None:
    if len(cache) >= CACHE_ENTRIES:
        cache.clear()
    cache[key] = entry


def _reads_variable(value: ValueNode) -> bool:
    """Whether an argument's value is, or holds, a variable."""
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_reads_variable(v) for v in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_reads_variable(f.value) for f in value.fields)
    return False


def _directive_free(operation: OperationDefinitionNode, fragments: Mapping[str, Any]) -> bool:
    def free(selection_set: SelectionSetNode | None) -> bool:
        for selection in selection_set.selections if selection_set else ():
            if selection.directives:
                return False
            if isinstance(selection, FieldNode | InlineFragmentNode):
                if not free(selection.selection_set):
                    return False
            elif not isinstance(selection, FragmentSpreadNode):
                return False  # a kind of selection this check does not know
        return True

    return free(operation.selection_set) and all(
        not f.directives and free(f.selection_set) for f in fragments.values()
    )
