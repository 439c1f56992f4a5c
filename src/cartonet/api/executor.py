"""How ``/graphql`` runs an operation: graphql-core's executor with short paths.

graphql-core completes every field the same general way: a resolve info object, the
arguments coerced, the resolver called, the value completed by its type, a path kept for
errors. Most of an answer is plain values read off objects already in memory (a page of
20 occupations is 20 edges, 20 nodes and 40 labels), for which that work is most of the
request's CPU. :class:`PlainExecutor` keeps graphql-core's path for everything and adds
three short ones, each giving the same answer:

* **plain fields**: a field whose resolver is info-free
  (:data:`~cartonet.api.types.INFO_FREE_RESOLVERS`: a node's ``id`` and ``label``,
  ``totalCount``, ``edges``, ``node``...) with arguments that read no variable, and that is
  a leaf, or an object or a list whose own selection is plain down to its leaves
  (``edges { node { id label } }``), is completed by a :class:`Step` made once per
  document: a few tuples walked by one function;
* **objects** go straight to their fields.

What the short paths learn of a document (its literal arguments, its steps, whether it
uses a directive) is kept with it in the document cache (:class:`Shortcuts`, held by
:class:`cartonet.api.documents.Prepared`), so a repeated query makes none of it again.

Whatever is not a plain value (a resolver that raises, ``null`` where the schema says
non-null, a value the coercion refuses, an argument read from a variable, a directive
anywhere in the document) makes the short path step aside: graphql-core's path then
runs, and its answer and errors (message, location, path) are its own. The resolvers
involved only read attributes, so running one twice changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


class _NotPlain(Exception):
    """A step met a value it does not complete itself: graphql-core's path takes over."""


class Step(NamedTuple):
    """One plain field: ``key`` in the answer, read by ``resolve(source, None,
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


@dataclass
class Shortcuts:
    """What the short paths learned of one document on one schema: the coerced literal
    arguments of its field nodes, the steps of its fields and the plans of its objects
    (``None``: not plain), and whether it uses a directive.

    Kept with the document (the document cache holds one per cached document), so its
    keys, the ids of the document's nodes and of the schema's types, always stand for the
    objects they were made from."""

    arguments: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    steps: dict[tuple[int, ...], Step | None] = field(default_factory=dict)
    plans: dict[tuple[int, ...], Plan | None] = field(default_factory=dict)
    directive_free: bool | None = None


def run_plan(plan: Plan, source: Any) -> dict[str, Any]:
    """The answer for ``source`` under ``plan``; raises :class:`_NotPlain` on any value
    graphql-core's path should complete (and report) itself."""
    return {step.key: run_step(step, source) for step in plan}


def run_step(step: Step, source: Any) -> Any:
    """The completed value of ``step``'s field on ``source`` (raises as :func:`run_plan`)."""
    if step.resolve is None:
        return step.typename
    value = step.resolve(source, None, **step.arguments)
    if value is None:
        if step.nonnull:
            raise _NotPlain
        return None
    if step.in_list:
        if not isinstance(value, list | tuple):
            raise _NotPlain
        return [_item(step, item) for item in value]
    return _item(step, value)


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

    ``shortcuts`` (a keyword of ``graphql.execute``, passed on here): what the short paths
    learned of this document before; a fresh one when not given.
    """

    operation_extensions: Any = None
    build_resolve_info = StrawberryGraphQLCoreExecutionContext.build_resolve_info  # type: ignore[assignment]

    def __init__(self, *args: Any, shortcuts: Shortcuts | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shortcuts = shortcuts if shortcuts is not None else Shortcuts()

    def execute_field(  # type: ignore[override]
        self,
        parent_type: Any,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        step = self._step(parent_type, field_details_list)
        if step is not None:
            # a value it does not complete: graphql-core's path below reports it
            with contextlib.suppress(Exception):
                return run_step(step, source)
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

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
                    with contextlib.suppress(Exception):
                        return run_plan(plan, result)
                return self.collect_and_execute_subfields(
                    named, field_details_list, path, result, position_context
                )
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _step(self, parent_type: GraphQLObjectType, details_list: Any) -> Step | None:
        """The step of this field of ``parent_type`` (all its field nodes: fragments
        group them differently where they are spread), made on first need; ``None`` when
        the field is not plain."""
        key = (id(parent_type), *(id(d.node) for d in details_list))
        steps = self.shortcuts.steps
        if key not in steps:
            steps[key] = _step_of(self, parent_type, details_list)
        return steps[key]

    def _plan(self, object_type: GraphQLObjectType, details_list: Any) -> Plan | None:
        """The plan completing ``object_type`` under these field nodes, made on first
        need; ``None`` when its selection is not plain (see :func:`plan_of`)."""
        key = (id(object_type), *(id(d.node) for d in details_list))
        plans = self.shortcuts.plans
        if key not in plans:
            plans[key] = plan_of(self, object_type, details_list)
        return plans[key]

    def _arguments(self, field_def: Any, details: Any) -> dict[str, Any] | None:
        """The field's coerced arguments when none reads a variable; ``None`` when
        graphql-core should coerce them itself."""
        node = details.node
        if not node.arguments and not field_def.args:
            return {}
        if details.fragment_variable_values is not None:
            return None
        known = self.shortcuts.arguments
        if id(node) not in known:
            arguments = None
            if not any(_reads_variable(a.value) for a in node.arguments or ()):
                # an argument it refuses: graphql-core's path reports it, located
                with contextlib.suppress(Exception):
                    arguments = get_argument_values(field_def, node)
            known[id(node)] = arguments
        return known[id(node)]

    def directive_free(self) -> bool:
        """Whether the operation and its fragments use no directive (``@skip``,
        ``@include``): the fields selected then never depend on variables."""
        if self.shortcuts.directive_free is None:
            self.shortcuts.directive_free = _directive_free(
                self.operation, self.fragment_definitions
            )
        return self.shortcuts.directive_free


def plan_of(
    executor: PlainExecutor, object_type: GraphQLObjectType, details_list: Any
) -> Plan | None:
    """The plan completing ``object_type`` under ``details_list``, or ``None`` when its
    selection is not plain: every field selected must be plain (:func:`_step_of`), and the
    document must hold no directive (its fields would then depend on variables)."""
    if not executor.directive_free():
        return None
    grouped, defer_usages, _ = executor.collect_subfields(object_type, details_list)
    if defer_usages:
        return None
    steps = []
    for fields in grouped.values():
        step = executor._step(object_type, fields)
        if step is None:
            return None
        steps.append(step)
    return tuple(steps)


def _step_of(
    executor: PlainExecutor, parent_type: GraphQLObjectType, details_list: Any
) -> Step | None:
    """The step of one field, or ``None`` when it is not plain: ``__typename``, or an
    info-free resolver with arguments that read no variable, returning a leaf, an object
    type with a plain selection, or a list of either."""
    details = details_list[0]
    node = details.node
    key = node.alias.value if node.alias else node.name.value
    if executor.middleware_manager is not None:  # middleware wraps every resolver
        return None
    if node.name.value == "__typename":
        return Step(key, None, {}, True, False, True, None, None, None, parent_type.name)
    field_def = parent_type.fields.get(node.name.value)
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
    item_nonnull = type(item_type) is GraphQLNonNull if in_list else nonnull
    item_type = item_type.of_type if type(item_type) is GraphQLNonNull else item_type
    if isinstance(item_type, GraphQLScalarType | GraphQLEnumType):
        leaf, is_type_of, plan = item_type, None, None
    elif type(item_type) is GraphQLObjectType:
        leaf, is_type_of = None, item_type.is_type_of
        plan = executor._plan(item_type, details_list)
        if plan is None:
            return None
    else:  # an interface or a union, or a list of lists: graphql-core's path
        return None
    return Step(
        key, field_def.resolve, arguments, nonnull, in_list, item_nonnull, leaf, is_type_of, plan
    )


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
