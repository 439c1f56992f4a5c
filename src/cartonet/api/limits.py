"""Limits that keep one query from taking the service down, each costing one linear pass.

A document is measured by :func:`measure` in a single walk where every fragment is measured
once and memoised: a spread adds the fragment's figures instead of walking it again, so
30 fragments that each spread the next one twice cost 30 steps, not 2³⁰, while the
figures themselves (aliases, cost) still count every expansion, which is what the server
would resolve. Fragment cycles are refused before anything else
(:func:`fragment_cycle`), so the walk always ends.

What is measured, over the expanded operation:

* **depth**: nesting of fields (introspection fields ``__*`` excepted, so GraphiQL's
  schema query passes);
* **aliases** and **directives**: how many the expanded document holds;
* **cost**: about how many fields the server resolves, using real fan-outs: a field with
  a ``first`` argument multiplies what is under it by ``first`` (given, from a variable, or
  its default) — on a connection only its ``edges`` are multiplied, ``totalCount`` and
  ``pageInfo`` are one each —, ``nodes(ids:)`` by the number of ids, an unpaginated list by
  its entry of :data:`FIELD_FANOUT` (``broader`` is 1: a chain of ``broader`` costs its
  length) or ``Limits.list_fanout``, a single object by 1.

The document's token count is bounded by the parser (``Limits.parse_options``), before
any of this. :mod:`cartonet.api.documents` runs these checks before graphql-core's own
validation and caches the outcome per document.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from strawberry.extensions import SchemaExtension

from cartonet.store.base import MAX_PAGE

FIELD_FANOUT: Mapping[str, int] = {
    "broader": 1,  # hierarchies: one parent (ESCO skills now and then two)
    "groups": 6,  # every group above a node: ISCO is 4 deep, ROME 3
    "interests": 6,  # RIASEC has six letters
    "sameAs": 2,
}
"""Expected length of unpaginated list fields, by field name; others use
``Limits.list_fanout``."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds applied to every GraphQL operation (documented in docs/api.md)."""

    max_depth: int = 10
    max_aliases: int = 20
    max_directives: int = 20
    max_tokens: int = 2000
    max_cost: int = 200_000
    max_field_pairs: int = 20_000  # see Measure.pairs; about 40 ms of graphql-core's time
    list_fanout: int = 50  # assumed length of unpaginated lists (ESCO: ~41 skills a job)
    validation_seconds: float = 1.0  # CPU seconds graphql-core's own validation may take
    max_variable_values: int = 10_000  # values in a request's variables, nested ones too
    max_variable_depth: int = 32  # nesting of lists and objects in variables

    @property
    def parse_options(self) -> dict[str, int]:
        """Keyword arguments of ``graphql.parse`` bounding the parser's work."""
        return {"max_lexical_tokens": self.max_tokens, "max_comments": self.max_tokens}


@dataclass(frozen=True, slots=True)
class Measure:
    """Figures of a selection set (or a whole operation), per item of its parent.

    ``pairs`` estimates the field comparisons graphql-core's overlapping-fields rule makes:
    fields sharing a response name in one selection set are compared pairwise, each
    comparison walking their sub-selections, so ``m`` fields named alike under which
    ``w`` fields are selected cost about ``m² × (1 + w)``. ``names`` counts the response
    names a selection set holds (fragments expanded), ``width`` its fields.
    """

    depth: int = 0
    aliases: int = 0
    directives: int = 0
    cost: int = 0
    pairs: int = 0
    width: int = 0
    names: Mapping[str, int] = field(default_factory=dict)


_LEAF = Measure()


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    list_fanout: int
    introspection_fanout: int
    memo: dict[tuple[str, int], Measure] = field(default_factory=dict)
    cost_variables: set[str] = field(default_factory=set)

    def fragment(self, name: str, parent: GraphQLNamedType, page: int = 1) -> Measure:
        known = self.memo.get((name, page))
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        if fragment is None:
            return _LEAF  # unknown fragment: graphql-core's validation reports it
        target = self.schema.get_type(fragment.type_condition.name.value) or parent
        measured = self.selections(fragment.selection_set, target, page)
        self.memo[name, page] = measured
        return measured

    def selections(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, page: int = 1
    ) -> Measure:
        """Figures of ``selection_set`` on ``parent``; ``page``: the length of the
        ``edges`` list when ``parent`` is a connection."""
        depth = aliases = directives = cost = pairs = width = 0
        names: dict[str, int] = {}
        widths: dict[str, int] = {}
        for selection in selection_set.selections:
            directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                m, below = self.field(selection, parent, page)
                key = (selection.alias or selection.name).value
                names[key] = names.get(key, 0) + 1
                widths[key] = max(widths.get(key, 0), below)
                width += 1
            else:
                if isinstance(selection, InlineFragmentNode):
                    target = parent
                    if selection.type_condition is not None:
                        name = selection.type_condition.name.value
                        target = self.schema.get_type(name) or parent
                    m = self.selections(selection.selection_set, target, page)
                elif isinstance(selection, FragmentSpreadNode):
                    m = self.fragment(selection.name.value, parent, page)
                else:  # pragma: no cover - the AST has no other selection
                    continue
                for key, count in m.names.items():
                    names[key] = names.get(key, 0) + count
                width += m.width
            depth = max(depth, m.depth)
            aliases += m.aliases
            directives += m.directives
            cost += m.cost
            pairs += m.pairs
        pairs += sum(m * m * (1 + widths.get(k, 0)) for k, m in names.items() if m > 1)
        return Measure(depth, aliases, directives, cost, pairs, width, names)

    def field(self, node: FieldNode, parent: GraphQLNamedType, page: int) -> tuple[Measure, int]:
        """The field's figures, and the number of fields selected right under it."""
        name = node.name.value
        alias = 1 if node.alias is not None else 0
        definition = None
        if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            definition = parent.fields.get(name)
        if name.startswith("__"):
            definition = _introspection_field(name)
        if node.selection_set is None:
            return Measure(0 if name.startswith("__") else 1, alias, 0, 1), 0
        if definition is None:
            # unknown field (validation reports it): still count what is under it
            below = self.selections(node.selection_set, parent)
            m = Measure(below.depth + 1, below.aliases + alias, below.directives, 1, below.pairs)
            return m, below.width
        target = get_named_type(definition.type)
        if "first" in definition.args and target.name.endswith("Connection"):
            # a page: its edges are `first` long, its totalCount and pageInfo are one each
            first = self.first(node, definition.args["first"].default_value)
            below, factor = self.selections(node.selection_set, target, first), 1
        else:
            below = self.selections(node.selection_set, target)
            factor = self.factor(node, definition, parent, name, page)
        depth = 0 if name.startswith("__") else below.depth + 1
        m = Measure(
            depth, below.aliases + alias, below.directives, 1 + factor * below.cost, below.pairs
        )
        return m, below.width

    def factor(
        self, node: FieldNode, definition: Any, parent: GraphQLNamedType, name: str, page: int
    ) -> int:
        if "first" in definition.args:
            return self.first(node, definition.args["first"].default_value)
        if "ids" in definition.args:
            return self.ids(node)
        if not _is_list(definition.type):
            return 1
        if parent.name.startswith("__"):
            return len(self.schema.type_map) if name == "types" else self.introspection_fanout
        if parent.name.endswith("Connection"):
            return page  # edges
        return FIELD_FANOUT.get(name, self.list_fanout)

    def first(self, node: FieldNode, default: Any) -> int:
        value: Any = default
        for arg in node.arguments or ():
            if arg.name.value != "first":
                continue
            if isinstance(arg.value, IntValueNode):
                value = _int(arg.value.value)
            elif isinstance(arg.value, VariableNode):
                self.cost_variables.add(arg.value.name.value)
                value = self.variables.get(arg.value.name.value, default)
            else:
                value = MAX_PAGE
        if not isinstance(value, int) or isinstance(value, bool):
            return MAX_PAGE  # malformed: validation reports it; assume the worst meanwhile
        return max(0, min(value, MAX_PAGE))

    def ids(self, node: FieldNode) -> int:
        for arg in node.arguments or ():
            if arg.name.value != "ids":
                continue
            if isinstance(arg.value, ListValueNode):
                return len(arg.value.values)
            if isinstance(arg.value, VariableNode):
                self.cost_variables.add(arg.value.name.value)
                value = self.variables.get(arg.value.name.value)
                return min(len(value), MAX_PAGE) if isinstance(value, list) else MAX_PAGE
        return MAX_PAGE


def _int(text: str) -> int:
    # int() of a 5,000-digit literal raises ValueError (Python's digit limit); any
    # literal that long is far over every page size anyway.
    return int(text) if len(text) <= 12 else MAX_PAGE + 1


def _is_list(gql_type: Any) -> bool:
    if isinstance(gql_type, GraphQLNonNull):
        gql_type = gql_type.of_type
    return isinstance(gql_type, GraphQLList)


def _introspection_field(name: str) -> Any:
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    return None  # __typename: a leaf


def _introspection_fanout(schema: GraphQLSchema) -> int:
    """Average fields per object or input type: the real fan-out of introspection lists."""
    sizes = [len(t.fields) for t in schema.type_map.values() if hasattr(t, "fields")]
    return max(1, math.ceil(sum(sizes) / max(1, len(sizes))))


def fragment_cycle(document: DocumentNode) -> list[str] | None:
    """A cycle of fragment spreads (names, first repeated at the end), or ``None``.

    Iterative depth-first search over the spreads each fragment holds, so a long chain
    cannot exhaust the interpreter's recursion limit.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    spreads = {name: list(_spreads(f.selection_set)) for name, f in fragments.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in fragments:
        if state.get(start):
            continue
        path, stack = [start], [iter(spreads[start])]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if nxt not in fragments or state.get(nxt) == 2:
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            state[nxt] = 1
            path.append(nxt)
            stack.append(iter(spreads[nxt]))
    return None


def _spreads(selection_set: SelectionSetNode) -> Iterator[str]:
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif selection.selection_set is not None:  # type: ignore[union-attr]
                pending.append(selection.selection_set)  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class DocumentMeasure:
    """:func:`measure`'s answer: the worst figures over every operation and fragment
    (``static``), the cost of the operation to run, and which variables that cost read."""

    static: Measure
    cost: int
    cost_variables: frozenset[str]


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode | None,
    variables: Mapping[str, Any],
    limits: Limits,
) -> DocumentMeasure:
    """Measure ``document`` in one pass (fragments once each); ``operation`` is the one
    to run, whose cost is computed with ``variables``. The document must have no fragment
    cycle (:func:`fragment_cycle`)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments, variables, limits.list_fanout, _introspection_fanout(schema))
    depth = aliases = directives = pairs = cost = fragment_cost = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            root = schema.get_root_type(definition.operation)
            if root is None:
                continue
            m = walk.selections(definition.selection_set, root)
            m = replace(m, directives=m.directives + len(definition.directives or ()))
            if definition is operation:
                cost = m.cost
        elif isinstance(definition, FragmentDefinitionNode):
            # a fragment is also measured on its own, as if spread once at the top, so one
            # that no operation uses cannot hide a bomb from these limits
            m = walk.fragment(definition.name.value, schema.query_type)  # type: ignore[arg-type]
            if definition.type_condition.name.value.startswith("__"):
                m = replace(m, depth=0)  # introspection is exempt from depth, as below
            fragment_cost = max(fragment_cost, m.cost)
        else:
            continue
        depth, aliases = max(depth, m.depth), max(aliases, m.aliases)
        directives, pairs = max(directives, m.directives), max(pairs, m.pairs)
    static = Measure(depth, aliases, directives, max(cost, fragment_cost), pairs)
    return DocumentMeasure(static, cost, frozenset(walk.cost_variables))


def static_errors(measured: Measure, limits: Limits) -> list[GraphQLError]:
    """Errors for the figures over a limit that do not depend on variables."""
    errors = []
    if measured.depth > limits.max_depth:
        errors.append(
            GraphQLError(
                f"query too deep: fields nest {measured.depth} levels, the limit is "
                f"{limits.max_depth} (maximum depth)"
            )
        )
    if measured.aliases > limits.max_aliases:
        errors.append(
            GraphQLError(
                f"too many aliases: {_amount(measured.aliases)} once fragments are expanded, "
                f"the limit is {limits.max_aliases}"
            )
        )
    if measured.directives > limits.max_directives:
        errors.append(
            GraphQLError(
                f"too many directives: {_amount(measured.directives)} once fragments are "
                "expanded, "
                f"the limit is {limits.max_directives}"
            )
        )
    if measured.pairs > limits.max_field_pairs:
        errors.append(
            GraphQLError(
                f"too many fields selected under the same name: checking that they merge "
                f"would take {_amount(measured.pairs)} comparisons, the limit is "
                f"{limits.max_field_pairs:,}"
            )
        )
    return errors


def _amount(n: int) -> str:
    # fragment bombs make numbers of 20+ digits: past 10^15 the exact figure says nothing
    return f"{n:,}" if n < 10**15 else f"over {10**15:,}"


def cost_error(cost: int, limits: Limits) -> GraphQLError | None:
    if cost <= limits.max_cost:
        return None
    return GraphQLError(
        f"query too costly: it may resolve about {_amount(cost)} fields, the limit is "
        f"{limits.max_cost:,}; ask for smaller pages (first) or nest fewer lists"
    )


def variables_problem(variables: Mapping[str, Any], limits: Limits) -> str | None:
    """What makes ``variables`` too big to coerce cheaply, or ``None``.

    graphql-core coerces every value a variable holds (about 10 µs each, on the event
    loop): 100,000 ids would hold the server for a second before any resolver refuses
    them. Iterative, so depth costs no recursion.
    """
    too_many = f"variables hold more than {limits.max_variable_values:,} values"
    count = len(variables)
    if count > limits.max_variable_values:
        return too_many
    pending: list[tuple[Any, int]] = [(v, 1) for v in variables.values()]
    while pending:
        value, depth = pending.pop()
        if not isinstance(value, (dict, list)):
            continue
        if depth >= limits.max_variable_depth:
            return f"variables nest deeper than {limits.max_variable_depth} levels"
        # counted before they are walked, so a list of a million is refused at once
        count += len(value)
        if count > limits.max_variable_values:
            return too_many
        items = value.values() if isinstance(value, dict) else value
        pending.extend((v, depth + 1) for v in items)
    return None


MAX_INT_DIGITS = 309
"""Longest integer literal read: any longer is beyond every float (and Python refuses to
convert integers of over 4,300 digits, which would be an internal error)."""


class NumberRangeRule(ValidationRule):
    """Refuses integer literals of more than :data:`MAX_INT_DIGITS` digits (graphql-core's
    own rules would fail on them with an internal error). A float literal out of range
    (``1e400``) parses to infinity and is left to the argument's own checks, which name
    the item it is about."""

    def enter_int_value(self, node: IntValueNode, *_: Any) -> None:
        if len(node.value.lstrip("-")) > MAX_INT_DIGITS:
            shown = f"{node.value[:12]}... ({len(node.value):,} digits)"
            self.report_error(GraphQLError(f"number out of range: {shown}", node))


def limit_errors(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode | None,
    variables: Mapping[str, Any],
    limits: Limits,
) -> list[GraphQLError]:
    """Every limit ``document`` breaks, cycles first (an empty list: none)."""
    cycle = fragment_cycle(document)
    if cycle is not None:
        return [
            GraphQLError(
                "fragment cycle: " + " → ".join(cycle) + " (a fragment cannot spread itself)"
            )
        ]
    measured = measure(schema, document, operation, variables, limits)
    errors = static_errors(measured.static, limits)
    error = cost_error(max(measured.cost, measured.static.cost), limits)
    return [*errors, error] if error is not None else errors


class LimitsExtension(SchemaExtension):
    """The same limits on Strawberry's own path (``schema.execute``), for callers that do
    not come through ``/graphql`` (which checks them itself, with a cache: see
    :mod:`cartonet.api.documents`)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def on_parse(self) -> Iterator[None]:
        self.execution_context.parse_options.update(self.limits.parse_options)  # type: ignore[typeddict-item]
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            operations = [
                d
                for d in ctx.graphql_document.definitions
                if isinstance(d, OperationDefinitionNode)
                and (ctx.operation_name is None or (d.name and d.name.value == ctx.operation_name))
            ]
            errors = limit_errors(
                ctx.schema._schema,
                ctx.graphql_document,
                operations[0] if len(operations) == 1 else None,
                ctx.variables or {},
                self.limits,
            )
            if errors:
                ctx.pre_execution_errors = errors
        yield
