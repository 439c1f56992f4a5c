"""Parsed and validated GraphQL documents, cached, and their execution.

:meth:`Documents.prepare` turns a request's document text into what can run, in an order
where each step only sees documents the previous one bounded:

1. parse, with the token bound of :class:`~cartonet.api.limits.Limits`;
2. refuse fragment cycles (:func:`~cartonet.api.limits.fragment_cycle`);
3. measure depth, aliases, directives and cost in one linear pass
   (:func:`~cartonet.api.limits.measure`) and refuse what is over a limit;
4. graphql-core's own validation, given ``Limits.validation_seconds`` at most;
5. pick the operation (``operationName``, or the only one; several and no name is an
   error, as the GraphQL spec says).

The outcome is cached (least recently used first out) by document text and operation
name, so a repeated query pays none of it; a cost that reads variables (``first: $n``) is
cached per value of those variables. :func:`execute` then runs the operation with
graphql-core, whose resolvers are Strawberry's, and shapes its errors
(:func:`cartonet.api.errors.shape_error`).
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    ValidationRule,
    parse,
    specified_rules,
    validate,
)
from graphql import (
    execute as graphql_execute,
)
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from .errors import (
    BAD_REQUEST,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    shape_error,
)
from .executor import PlainExecutor, Shortcuts
from .limits import Limits, NumberRangeRule, cost_error, fragment_cycle, measure, static_errors

CACHE_ENTRIES = 1024
CACHE_CHARS = 8_000_000
"""Bounds of the document cache: entries, and characters of document text over all."""

COST_ENTRIES = 32
"""Variable sets whose cost one document remembers."""


class _ValidationTimeout(Exception):
    pass


def _deadline_rule(deadline: float) -> type[ValidationRule]:
    class Deadline(ValidationRule):
        """Stops graphql-core's validation once ``deadline`` has passed, in CPU time of
        this thread (``time.thread_time``): what is bounded is the work, and a loaded
        machine that leaves the process waiting must not make a small document fail."""

        def enter(self, *_: Any) -> None:
            if time.thread_time() > deadline:
                raise _ValidationTimeout

    return Deadline


def _error(message: str, code: str) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code}}


@dataclass
class Prepared:
    """A document ready to run, or the errors that stop it (formatted for the answer)."""

    errors: list[dict[str, Any]]
    document: DocumentNode | None = None
    operation: OperationDefinitionNode | None = None
    cost: int = 0
    cost_variables: frozenset[str] = frozenset()
    costs: OrderedDict[str, list[dict[str, Any]]] = field(default_factory=OrderedDict)
    size: int = 0
    shortcuts: Shortcuts = field(default_factory=Shortcuts)
    """What the executor's short paths learned of the document (kept with it)."""

    @property
    def operation_type(self) -> OperationType | None:
        return self.operation.operation if self.operation is not None else None


class Documents:
    """The document cache of one schema and one set of limits."""

    def __init__(self, schema: strawberry.Schema, limits: Limits) -> None:
        self.schema, self.limits = schema, limits
        self._cache: OrderedDict[tuple[str, str | None], Prepared] = OrderedDict()
        self._chars = 0
        self._rules = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule)

    def prepare(
        self, query: str, operation_name: str | None, variables: Mapping[str, Any]
    ) -> tuple[Prepared, list[dict[str, Any]]]:
        """The prepared document and the errors that stop this request (formatted), from
        the cache when the same document was prepared before."""
        key = (query, operation_name)
        prepared = self._cache.get(key)
        if prepared is None:
            prepared, cacheable = self._prepare(query, operation_name, variables)
            if cacheable:
                self._remember(key, prepared)
        else:
            self._cache.move_to_end(key)
        if prepared.errors:
            return prepared, prepared.errors
        return prepared, self._cost_errors(prepared, variables)

    def _remember(self, key: tuple[str, str | None], prepared: Prepared) -> None:
        prepared.size = len(key[0]) + len(key[1] or "")
        if prepared.size > CACHE_CHARS // 8:
            return  # a document this long is not worth keeping
        self._cache[key] = prepared
        self._chars += prepared.size
        while len(self._cache) > CACHE_ENTRIES or self._chars > CACHE_CHARS:
            _, old = self._cache.popitem(last=False)
            self._chars -= old.size

    def _cost_errors(
        self, prepared: Prepared, variables: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        if not prepared.cost_variables:
            return []
        try:
            key = json.dumps(
                [variables.get(v) for v in sorted(prepared.cost_variables)], sort_keys=True
            )
        except (TypeError, ValueError, RecursionError):
            key = repr([variables.get(v) for v in sorted(prepared.cost_variables)])
        known = prepared.costs.get(key)
        if known is not None:
            prepared.costs.move_to_end(key)
            return known
        assert prepared.document is not None
        m = measure(
            self.schema._schema, prepared.document, prepared.operation, variables, self.limits
        )
        error = cost_error(max(m.cost, m.static.cost), self.limits)
        errors = [self._format(error, prepared.document)] if error else []
        prepared.costs[key] = errors
        if len(prepared.costs) > COST_ENTRIES:
            prepared.costs.popitem(last=False)
        return errors

    def _format(self, error: GraphQLError, document: DocumentNode | None) -> dict[str, Any]:
        return shape_error(error, document).formatted  # type: ignore[return-value]

    def _prepare(
        self, query: str, operation_name: str | None, variables: Mapping[str, Any]
    ) -> tuple[Prepared, bool]:
        """The prepared document, and whether it holds for any variables (to cache it)."""
        try:
            document = parse(query, **self.limits.parse_options)
        except GraphQLSyntaxError as exc:
            return Prepared([self._format(exc, None)]), True
        except RecursionError:
            message = "Syntax Error: the document nests too deeply."
            return Prepared([_error(message, GRAPHQL_PARSE_FAILED)]), True
        cycle = fragment_cycle(document)
        if cycle is not None:
            message = "fragment cycle: " + " → ".join(cycle) + " (a fragment cannot spread itself)"
            return Prepared([_error(message, GRAPHQL_VALIDATION_FAILED)], document), True
        operation, problem = _pick_operation(document, operation_name)
        measured = measure(self.schema._schema, document, operation, variables, self.limits)
        errors = static_errors(measured.static, self.limits)
        too_costly = cost_error(max(measured.cost, measured.static.cost), self.limits)
        if too_costly is not None:
            errors.append(too_costly)
        if errors:
            # a cost read from variables only holds for these variables: not cached
            cacheable = too_costly is None or not measured.cost_variables
            return Prepared([self._format(e, document) for e in errors], document), cacheable
        # numbers first: graphql-core's own rules fail on integers Python cannot convert
        errors = validate(self.schema._schema, document, (NumberRangeRule,))
        if errors:
            return Prepared([self._format(e, document) for e in errors], document), True
        deadline = time.thread_time() + self.limits.validation_seconds
        try:
            errors = validate(
                self.schema._schema, document, (*self._rules, _deadline_rule(deadline))
            )
        except _ValidationTimeout:
            message = (
                f"validation took longer than {self.limits.validation_seconds:g} s; "
                "send a smaller document"
            )
            # not cached: a document refused this way is checked again next time
            return Prepared([_error(message, GRAPHQL_VALIDATION_FAILED)], document), False
        if errors:
            return Prepared([self._format(e, document) for e in errors], document), True
        if problem is not None:
            return Prepared([_error(problem, BAD_REQUEST)], document), True
        assert operation is not None
        prepared = Prepared([], document, operation, measured.cost, measured.cost_variables)
        return prepared, True


def _pick_operation(
    document: DocumentNode, name: str | None
) -> tuple[OperationDefinitionNode | None, str | None]:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is not None:
        for op in operations:
            if op.name is not None and op.name.value == name:
                return op, None
        return None, f"no operation named '{name}' in the document (operationName)"
    if len(operations) == 1:
        return operations[0], None
    if not operations:
        return None, "the document holds no operation"
    return None, (
        f"the document holds {len(operations)} operations: say which to run with operationName"
    )


async def execute(
    schema: strawberry.Schema,
    prepared: Prepared,
    variables: dict[str, Any] | None,
    context: Any,
) -> tuple[Any, list[dict[str, Any]]]:
    """Run a prepared operation: its ``data`` and its errors, shaped and formatted."""
    assert prepared.document is not None and prepared.operation is not None
    name = prepared.operation.name.value if prepared.operation.name else None
    result = graphql_execute(
        schema._schema,
        prepared.document,
        context_value=context,
        variable_values=variables,
        operation_name=name,
        executor_class=PlainExecutor,
        is_awaitable=optimized_is_awaitable,
        shortcuts=prepared.shortcuts,
    )
    if optimized_is_awaitable(result):
        result = await result
    errors = [shape_error(e, prepared.document).formatted for e in result.errors or ()]
    return result.data, errors  # type: ignore[return-value]
