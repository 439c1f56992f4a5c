"""How errors reach GraphQL clients: a stable ``extensions.code``, a message that stands on
its own, and never a stack trace.

| code | when |
| --- | --- |
| ``BAD_USER_INPUT`` | an argument is out of range or malformed; ``extensions.argument`` names it |
| ``STORE_UNAVAILABLE`` | the store cannot be reached; safe to retry later |
| ``GRAPHQL_PARSE_FAILED`` | the document is not valid GraphQL (or is too long) |
| ``GRAPHQL_VALIDATION_FAILED`` | unknown field, too deep, too many aliases, too costly... |
| ``DATA_ERROR`` | other errors meant for users (:class:`cartonet.errors.CartonetError`) |
| ``INTERNAL_SERVER_ERROR`` | anything else: the message is "internal error", the details are
  logged server-side under ``extensions.errorId`` |

Errors of the HTTP request itself (:mod:`cartonet.api.http`), before any GraphQL runs:

| code | HTTP status | when |
| --- | --- | --- |
| ``BAD_REQUEST`` | 400 | the body is not a JSON object with a ``query`` string, batching, no
  operation or several and no ``operationName`` |
| ``METHOD_NOT_ALLOWED`` | 405 | neither GET nor POST, or a mutation over GET |
| ``REQUEST_TIMEOUT`` | 408 | the body did not arrive in time |
| ``PAYLOAD_TOO_LARGE`` | 413 | the body is over the size limit |
| ``UNSUPPORTED_MEDIA_TYPE`` | 415 | a POST whose ``Content-Type`` is not ``application/json`` |
| ``TIMEOUT`` | 504 (200 for ``application/json``) | the operation ran longer than allowed |
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from graphql.language import (
    ArgumentNode,
    DocumentNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension

from cartonet.errors import CartonetError, InvalidArgument, StoreUnavailable

log = logging.getLogger("cartonet.api")

BAD_USER_INPUT = "BAD_USER_INPUT"
STORE_UNAVAILABLE = "STORE_UNAVAILABLE"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
DATA_ERROR = "DATA_ERROR"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
BAD_REQUEST = "BAD_REQUEST"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
TIMEOUT = "TIMEOUT"

# graphql-core names arguments as 'text' or 'Query.search(text:)' depending on the message.
_ARGUMENT_IN_MESSAGE = re.compile(r"argument '(?:\w+\.\w+\()?(\w+):?\)?'", re.IGNORECASE)


class _ArgumentFinder(Visitor):
    """Finds the argument a value node (or a variable) is given to."""

    def __init__(self, target: Node | None, variable: str | None) -> None:
        super().__init__()
        self.target, self.variable = target, variable
        self.found: str | None = None

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        if self.found is None and self._holds(node.value):
            self.found = node.name.value

    def _holds(self, value: Node) -> bool:
        if value is self.target:
            return True
        if isinstance(value, VariableNode):
            return self.variable is not None and value.name.value == self.variable
        if isinstance(value, ListValueNode):
            return any(self._holds(v) for v in value.values)
        if isinstance(value, ObjectValueNode):
            return any(self._holds(f.value) for f in value.fields)
        return False


def argument_of(error: GraphQLError, document: DocumentNode | None) -> str | None:
    """The field argument a request-level error is about, if it is about one."""
    for node in error.nodes or ():
        if isinstance(node, ArgumentNode):
            return node.name.value
        if document is not None:
            variable = (
                node.variable.name.value if isinstance(node, VariableDefinitionNode) else None
            )
            finder = _ArgumentFinder(node, variable)
            visit(document, finder)
            if finder.found:
                return finder.found
    match = _ARGUMENT_IN_MESSAGE.search(error.message)
    return match.group(1) if match else None


def _rebuilt(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


def shape_error(error: GraphQLError, document: DocumentNode | None) -> GraphQLError:
    """The client-facing version of ``error`` (see the module table)."""
    original = error.original_error
    if isinstance(original, InvalidArgument):
        extensions = {"code": BAD_USER_INPUT, "argument": original.argument}
        return _rebuilt(error, str(original), extensions)
    if isinstance(original, StoreUnavailable):
        log.warning("store unavailable: %s", original)
        return _rebuilt(error, f"store unavailable: {original}", {"code": STORE_UNAVAILABLE})
    if isinstance(original, CartonetError):
        return _rebuilt(error, str(original), {"code": DATA_ERROR})
    if error.path is None and (original is None or isinstance(original, GraphQLError)):
        # Raised by graphql-core itself before execution: parse, validation or
        # variable coercion. Its message is safe and useful; add a code and the argument.
        if isinstance(error, GraphQLSyntaxError):
            return _rebuilt(error, error.message, {"code": GRAPHQL_PARSE_FAILED})
        argument = argument_of(error, document)
        if argument is not None:
            message = error.message
            if not message.startswith("invalid argument"):
                message = f"invalid argument '{argument}': {message}"
            return _rebuilt(error, message, {"code": BAD_USER_INPUT, "argument": argument})
        return _rebuilt(error, error.message, {"code": GRAPHQL_VALIDATION_FAILED})
    error_id = uuid.uuid4().hex[:12]
    log.error(
        "internal error %s at %s: %s",
        error_id,
        ".".join(str(p) for p in error.path or ()),
        error.message,
        exc_info=original,
    )
    return _rebuilt(error, "internal error", {"code": INTERNAL_SERVER_ERROR, "errorId": error_id})


class ShapeErrors(SchemaExtension):
    """Rewrites every error of a result with :func:`shape_error` (after the operation, like
    Strawberry's ``MaskErrors``, which can only mask, not classify)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            document = self.execution_context.graphql_document
            result.errors = [shape_error(e, document) for e in errors]  # type: ignore[union-attr]
