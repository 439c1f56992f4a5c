"""GraphQL over HTTP at ``/graphql``: one thin ASGI endpoint, every answer GraphQL JSON.

It follows the GraphQL-over-HTTP specification:

* ``POST`` with a ``Content-Type: application/json`` body ``{"query", "variables",
  "operationName", "extensions"}``; ``GET`` with the same as URL parameters (``variables``
  and ``extensions`` JSON-encoded), for queries only (a mutation over GET is 405);
* the answer is ``application/graphql-response+json`` when ``Accept`` asks for it: then a
  request that cannot run (parse or validation errors, variables that do not fit) is
  400 and one that ran is 200; with ``application/json`` (the default, also when
  ``Accept`` names neither type) every well-formed request is answered 200, as the spec
  requires for that media type;
* a request that is not well-formed (body not a JSON object with a ``query`` string,
  batching, invalid UTF-8...) is 400; a body over ``HttpLimits.max_body_bytes`` is 413,
  refused from its ``Content-Length`` or as soon as the bytes read pass the limit, never
  read whole; a body that does not arrive within ``body_timeout`` is 408; a method
  other than GET/POST is 405; a POST that is not JSON is 415;
* an operation running longer than ``execution_timeout`` is stopped and answered with a
  ``TIMEOUT`` error;
* GET queries carry an ``ETag`` made of the graph version and the request, and a
  ``Cache-Control``; a matching ``If-None-Match`` is answered 304 without running anything.

Every error body is ``{"errors": [{"message": ..., "extensions": {"code": ...}}]}`` (codes
in :mod:`cartonet.api.errors`). Anything unexpected is answered 500 with the message
``internal error`` and an ``errorId`` that the log line with the traceback carries.

Browsers asking ``GET /graphql`` for HTML (and sending no ``query``) get the GraphiQL page
before reaching this endpoint (:class:`cartonet.api.app.BrowserIDE`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
import strawberry
from graphql import OperationType
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from .documents import Documents, execute
from .errors import (
    BAD_REQUEST,
    BAD_USER_INPUT,
    INTERNAL_SERVER_ERROR,
    METHOD_NOT_ALLOWED,
    PAYLOAD_TOO_LARGE,
    REQUEST_TIMEOUT,
    TIMEOUT,
    UNSUPPORTED_MEDIA_TYPE,
)
from .limits import variables_problem

log = logging.getLogger("cartonet.api")

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
ALLOW = "GET, POST, OPTIONS"


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """Bounds of one HTTP request to ``/graphql`` (settings: see :mod:`cartonet.settings`)."""

    max_body_bytes: int = 1_000_000
    body_timeout: float = 10.0
    execution_timeout: float = 30.0
    cache_max_age: int = 0  # seconds of Cache-Control max-age on GET answers; 0: no-cache


class HttpError(Exception):
    """A request refused before any GraphQL runs: status, code and message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def _dumps(body: Any) -> bytes:
    try:
        return orjson.dumps(body)
    except TypeError:  # what orjson does not write (integers over 64 bits): the same JSON
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _loads(raw: bytes | str, what: str) -> Any:
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise HttpError(400, BAD_REQUEST, f"{what} is not valid UTF-8 ({exc.reason})") from exc
    except RecursionError as exc:
        raise HttpError(400, BAD_REQUEST, f"{what} nests too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, and integers over Python's digit limit
        raise HttpError(400, BAD_REQUEST, f"{what} is not valid JSON: {exc}") from exc


def _media_type(request: Request) -> str | None:
    """The answer's media type from ``Accept``; ``None`` when it names none we give (the
    caller then answers ``application/json``, as the spec allows: a browser's GET with
    ``Accept: text/html`` and a query still gets its JSON answer)."""
    accept = request.headers.get("accept", "")
    if not accept.strip():
        return JSON
    best, best_q = None, 0.0
    for part in accept.split(","):
        name, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if name == GRAPHQL_RESPONSE:
            chosen = GRAPHQL_RESPONSE
        elif name in (JSON, "application/*", "*/*"):
            chosen = JSON
        else:
            continue
        # at equal weight the newer type wins, as the spec recommends
        if q > best_q or (q == best_q and q > 0 and chosen == GRAPHQL_RESPONSE):
            best, best_q = chosen, q
    return best


async def read_body(receive: Receive, limit: int, timeout: float) -> bytes:
    """The request body, refused (413) once more than ``limit`` bytes came and (408) when
    it has not all come after ``timeout`` seconds."""
    chunks, size = [], 0
    try:
        # One deadline on this task for the whole body (wait_for would start a task per
        # chunk).
        async with asyncio.timeout(timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise HttpError(400, BAD_REQUEST, "the client went away")
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
    except TimeoutError as exc:
        raise HttpError(
            408, REQUEST_TIMEOUT, f"the request body did not arrive within {timeout:g} s"
        ) from exc


def _too_large(limit: int) -> HttpError:
    return HttpError(
        413, PAYLOAD_TOO_LARGE, f"the request body is over the limit of {limit:,} bytes"
    )


class GraphQLHTTP:
    """The ``/graphql`` endpoint (an ASGI app). See the module docstring."""

    def __init__(
        self,
        schema: strawberry.Schema,
        documents: Documents,
        make_context: Callable[[Request], Any],
        graph_version: Callable[[], Awaitable[str]],
        limits: HttpLimits,
    ) -> None:
        self.schema, self.documents = schema, documents
        self.make_context, self.graph_version = make_context, graph_version
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        media = JSON
        try:
            media = _media_type(request) or JSON
            status, headers, body = await self._handle(request, media)
        except HttpError as exc:
            status, headers = exc.status, exc.headers
            body = {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
        except Exception:  # a bug: answer masked, log the traceback with an id to find it
            error_id = uuid.uuid4().hex[:12]
            log.exception("internal error %s while answering %s", error_id, request.url.path)
            status, headers = 500, {}
            body = {
                "errors": [
                    {
                        "message": "internal error",
                        "extensions": {"code": INTERNAL_SERVER_ERROR, "errorId": error_id},
                    }
                ]
            }
        content = b"" if status == 304 or body is None else _dumps(body)
        raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        if status != 304:
            raw_headers.append((b"content-type", f"{media}; charset=utf-8".encode()))
            raw_headers.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": content})

    async def _handle(self, request: Request, media: str) -> tuple[int, dict[str, str], Any]:
        method = request.method
        if method == "OPTIONS":
            return 204, {"allow": ALLOW}, None
        if method not in ("GET", "POST"):
            raise HttpError(
                405,
                METHOD_NOT_ALLOWED,
                f"{method} is not allowed: use GET or POST",
                {"allow": ALLOW},
            )
        if method == "GET":
            params = self._from_query_string(request)
        else:
            params = await self._from_body(request)
        query, operation_name, variables = _fields(params)
        strict = media == GRAPHQL_RESPONSE
        problem = variables_problem(variables or {}, self.documents.limits)
        if problem is not None:
            error = {"message": problem, "extensions": {"code": BAD_USER_INPUT}}
            return (400 if strict else 200), {}, {"errors": [error]}
        prepared, errors = self.documents.prepare(query, operation_name, variables or {})
        if errors:
            return (400 if strict else 200), {}, {"errors": errors}
        if method == "GET" and prepared.operation_type != OperationType.QUERY:
            raise HttpError(
                405,
                METHOD_NOT_ALLOWED,
                f"a {prepared.operation_type.value} cannot be sent with GET: use POST",  # type: ignore[union-attr]
                {"allow": "POST"},
            )
        headers: dict[str, str] = {}
        if method == "GET":
            etag = await self._etag(request)
            if etag is not None:
                headers = {"etag": etag, "cache-control": self._cache_control(), "vary": "Accept"}
                if etag in _etags(request.headers.get("if-none-match", "")):
                    return 304, headers, None
        context = self.make_context(request)
        try:
            # A deadline on this task, not wait_for's extra task per request.
            async with asyncio.timeout(self.limits.execution_timeout):
                data, errors = await execute(self.schema, prepared, variables, context)
        except TimeoutError:
            message = f"the operation ran longer than {self.limits.execution_timeout:g} s"
            error = {"message": message, "extensions": {"code": TIMEOUT}}
            return (504 if strict else 200), {}, {"data": None, "errors": [error]}
        finally:
            release = getattr(context, "release", None)
            if release is not None:
                release()
        body: dict[str, Any] = {"data": data}
        if errors:
            body["errors"] = errors
            headers = {}  # an answer with errors is not one to cache
        status = 400 if strict and data is None else 200
        return status, headers, body

    def _from_query_string(self, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query_params)
        for key in ("variables", "extensions"):
            if params.get(key):
                params[key] = _loads(params[key], f"the '{key}' parameter")
        return params

    async def _from_body(self, request: Request) -> Any:
        content_type = request.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != JSON:
            shown = content_type or "none"
            raise HttpError(
                415,
                UNSUPPORTED_MEDIA_TYPE,
                f"a POST body must be {JSON}, got Content-Type: {shown}",
            )
        declared = request.headers.get("content-length")
        limit = self.limits.max_body_bytes
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        raw = await read_body(request.receive, limit, self.limits.body_timeout)
        return _loads(raw, "the request body")

    async def _etag(self, request: Request) -> str | None:
        try:
            version = await asyncio.wait_for(self.graph_version(), self.limits.body_timeout)
        except Exception:  # no version, no caching: the query itself will say what is wrong
            return None
        digest = hashlib.blake2b(request.url.query.encode(), digest_size=12).hexdigest()
        return f'W/"{version}-{digest}"'

    def _cache_control(self) -> str:
        age = self.limits.cache_max_age
        return f"public, max-age={age}" if age > 0 else "no-cache"


def _etags(header: str) -> set[str]:
    tags = {t.strip() for t in header.split(",") if t.strip()}
    # a weak comparison, as If-None-Match asks: W/"x" matches "x" and the reverse
    return tags | {t[2:] for t in tags if t.startswith("W/")} | {f"W/{t}" for t in tags}


def _fields(params: Any) -> tuple[str, str | None, dict[str, Any] | None]:
    if isinstance(params, list):
        raise HttpError(400, BAD_REQUEST, "batching is not supported: send one operation")
    if not isinstance(params, dict):
        raise HttpError(
            400,
            BAD_REQUEST,
            f"the request must be a JSON object with a 'query', got {type(params).__name__}",
        )
    query = params.get("query")
    if not isinstance(query, str) or not query.strip():
        raise HttpError(400, BAD_REQUEST, "the request has no 'query' string")
    operation_name = params.get("operationName")
    if operation_name == "":
        operation_name = None
    if operation_name is not None and not isinstance(operation_name, str):
        raise HttpError(400, BAD_REQUEST, "'operationName' must be a string or null")
    variables = params.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise HttpError(400, BAD_REQUEST, "'variables' must be a JSON object or null")
    extensions = params.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise HttpError(400, BAD_REQUEST, "'extensions' must be a JSON object or null")
    return query, operation_name, variables
