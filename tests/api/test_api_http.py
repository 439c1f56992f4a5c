"""GraphQL over HTTP at /graphql: status codes, media types, refusals as GraphQL JSON,
body limits, timeouts, ETag, CORS and gzip (in-process; tests/hostile runs a real server)."""

from __future__ import annotations

import asyncio
import gzip
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from api_helpers import client_for
from starlette.applications import Starlette

from cartonet.api.app import create_app
from cartonet.api.documents import Documents
from cartonet.api.http import GraphQLHTTP, HttpLimits
from cartonet.api.limits import Limits
from cartonet.api.schema import build_schema
from cartonet.settings import Settings
from cartonet.store.embedded import EmbeddedStore

GRAPHQL_RESPONSE = "application/graphql-response+json"


def _error(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    (error,) = body["errors"]
    assert set(error) >= {"message", "extensions"}, error
    assert "Traceback" not in error["message"]
    return error


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'"{ __typename }"', "JSON object"),
        (b"null", "JSON object"),
        (b"42", "JSON object"),
        (b"true", "JSON object"),
        (b'[{"query": "{ __typename }"}]', "batching"),
        (b"{}", "'query'"),
        (b'{"query": 7}', "'query'"),
        (b'{"query": "  "}', "'query'"),
        (b'{"query": "{ __typename }", "variables": "x"}', "'variables'"),
        (b'{"query": "{ __typename }", "operationName": 3}', "'operationName'"),
        (b'{"query": "{ __typename }", "extensions": []}', "'extensions'"),
        (b'{"query": "\xff"}', "UTF-8"),
        (b"{nope", "not valid JSON"),
        (b'{"query": "{ __typename }", "variables": {"a": NaN}}', "not valid JSON"),
        (b'{"query": "{ __typename }", "variables": {"a": ' + b"9" * 5000 + b"}}", "JSON"),
        (b'{"variables": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nests too deeply"),
    ],
)
async def test_malformed_bodies_are_400_with_a_coded_error(
    client: httpx.AsyncClient, body: bytes, fragment: str
) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    error = _error(response)
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert fragment in error["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_a_post_that_is_not_json_is_415(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post("/graphql", content=b'{"query": "{ x }"}', headers=headers)
    assert response.status_code == 415
    assert _error(response)["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_405_with_allow(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "/graphql")
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]
    assert _error(response)["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_accept_without_a_json_type_is_answered_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_two_operations_need_an_operation_name(client: httpx.AsyncClient) -> None:
    query = "query A { a: __typename } query B { b: __typename }"
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    error = _error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "operationName" in error["message"]
    response = await client.post("/graphql", json={"query": query, "operationName": "B"})
    assert response.json() == {"data": {"b": "Query"}}
    response = await client.post("/graphql", json={"query": query, "operationName": "C"})
    assert "'C'" in _error(response)["message"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            '{ suggestTransitions(profile: {interests: [{id: "R", weight: 1e400}]}) { score } }',
            None,
        ),
        (
            "query($p: ProfileInput!) { suggestTransitions(profile: $p) { score } }",
            {"p": {"interests": [{"id": "R", "weight": float("inf")}]}},
        ),
    ],
)
async def test_a_weight_out_of_range_is_bad_user_input(
    client: httpx.AsyncClient, query: str, variables: Any
) -> None:
    if variables is not None:  # JSON has no infinity: 1e400 is what a client sends for it
        body = '{"query": %s, "variables": {"p": {"interests": [{"id": "R", "weight": 1e400}]}}}'
        content = (body % __import__("json").dumps(query)).encode()
        response = await client.post(
            "/graphql", content=content, headers={"content-type": "application/json"}
        )
    else:
        response = await client.post("/graphql", json={"query": query})
    error = _error(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"].startswith("profile")


async def test_a_huge_integer_literal_is_bad_user_input(client: httpx.AsyncClient) -> None:
    query = "{ occupations(first: " + "9" * 5000 + ") { totalCount } }"
    error = _error(await client.post("/graphql", json={"query": query}))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert "5,000 digits" in error["message"]


async def test_variables_too_big_to_coerce_are_refused(client: httpx.AsyncClient) -> None:
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    response = await client.post(
        "/graphql", json={"query": query, "variables": {"ids": [str(i) for i in range(20_000)]}}
    )
    error = _error(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "10,000 values" in error["message"]


async def test_graphql_response_json_uses_status_codes(client: httpx.AsyncClient) -> None:
    headers = {"accept": GRAPHQL_RESPONSE}
    ok = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    invalid = await client.post("/graphql", json={"query": "{ nope }"}, headers=headers)
    assert invalid.status_code == 400
    assert invalid.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert _error(invalid)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    coercion = await client.post(
        "/graphql",
        json={
            "query": "query($n: Int!) { occupations(first: $n) { totalCount } }",
            "variables": {"n": "x"},
        },
        headers=headers,
    )
    assert coercion.status_code == 400
    # the same request under application/json: a well-formed request is 200
    legacy = await client.post("/graphql", json={"query": "{ nope }"})
    assert legacy.status_code == 200
    assert legacy.headers["content-type"].startswith("application/json")


async def test_get_runs_queries_with_etag_and_304(client: httpx.AsyncClient) -> None:
    params = {"query": "{ stats { version occupations } }"}
    first = await client.get("/graphql", params=params)
    assert first.status_code == 200
    version = first.json()["data"]["stats"]["version"]
    etag = first.headers["etag"]
    assert version in etag  # keyed by the graph version
    assert first.headers["cache-control"] == "no-cache"
    again = await client.get("/graphql", params=params, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other = await client.get("/graphql", params={"query": "{ stats { version } }"})
    assert other.headers["etag"] != etag
    posted = await client.post("/graphql", json=params)
    assert "etag" not in posted.headers


async def test_get_answers_with_errors_carry_no_etag(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ nope }"})
    assert response.status_code == 200
    assert "etag" not in response.headers


async def test_browsers_still_get_the_ide_on_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "<html" in response.text.lower()


@strawberry.type
class _Query:
    @strawberry.field
    def hello(self) -> str:
        return "hello"


@strawberry.type
class _Mutation:
    @strawberry.mutation
    def touch(self) -> bool:
        return True


async def test_mutations_over_get_are_405() -> None:
    schema = build_schema((_Query,), mutation_parts=(_Mutation,))
    endpoint = GraphQLHTTP(
        schema, Documents(schema, Limits()), lambda r: None, _no_version, HttpLimits()
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=endpoint), base_url="http://t"
    ) as client:
        response = await client.get("/", params={"query": "mutation { touch }"})
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
        assert _error(response)["extensions"]["code"] == "METHOD_NOT_ALLOWED"
        posted = await client.post("/", json={"query": "mutation { touch }"})
        assert posted.json() == {"data": {"touch": True}}


async def _no_version() -> str:
    raise RuntimeError("no store here")


@pytest.fixture
async def small_app(store_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(
        store=str(store_path), max_body_bytes=2000, cors_origins=("https://a.example",)
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


async def test_bodies_over_the_limit_are_413(small_app: Starlette) -> None:
    async with client_for(small_app) as client:
        big = {"query": "{ __typename }", "variables": {"x": "y" * 3000}}
        response = await client.post("/graphql", json=big)
        assert response.status_code == 413
        assert _error(response)["extensions"]["code"] == "PAYLOAD_TOO_LARGE"

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
            yield b'{"query": "{ __typename }", "variables": {"x": "'
            for _ in range(10):
                yield b"y" * 500
            yield b'"}}'

        streamed = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        small = await client.post("/graphql", json={"query": "{ __typename }"})
        assert small.json() == {"data": {"__typename": "Query"}}


async def test_cors_preflight_and_headers_for_configured_origins(small_app: Starlette) -> None:
    async with client_for(small_app) as client:
        preflight = await client.options(
            "/graphql",
            headers={
                "origin": "https://a.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://a.example"
        response = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://a.example"}
        )
        assert response.headers["access-control-allow-origin"] == "https://a.example"
        other = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://b.example"}
        )
        assert "access-control-allow-origin" not in other.headers


async def test_no_cors_by_default(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/graphql",
        headers={"origin": "https://a.example", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 204  # answered, but grants nothing
    assert "access-control-allow-origin" not in preflight.headers


async def test_large_answers_are_gzipped(client: httpx.AsyncClient) -> None:
    query = "{ occupations(first: 100) { edges { node { id label description } } } }"
    response = await client.post(
        "/graphql", json={"query": query}, headers={"accept-encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["data"]["occupations"]["edges"]  # httpx decoded it
    raw = await client.post(
        "/graphql", json={"query": query}, headers={"accept-encoding": "identity"}
    )
    assert "content-encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content)


class _SlowStore(EmbeddedStore):
    async def stats(self) -> Any:
        await asyncio.sleep(5)
        return await super().stats()


async def test_an_operation_running_too_long_is_stopped(store_path: Path) -> None:
    settings = Settings(store=str(store_path), request_timeout=0.2)
    app = create_app(settings, _SlowStore(store_path))
    async with app.router.lifespan_context(app), client_for(app) as client:
        response = await client.post("/graphql", json={"query": "{ stats { version } }"})
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
        strict = await client.post(
            "/graphql",
            json={"query": "{ stats { version } }"},
            headers={"accept": GRAPHQL_RESPONSE},
        )
        assert strict.status_code == 504


async def test_a_bug_in_the_http_layer_is_a_masked_500(
    store_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("secret detail")

    monkeypatch.setattr(Documents, "prepare", broken)
    app = create_app(Settings(store=str(store_path)))
    async with app.router.lifespan_context(app), client_for(app) as client:
        with caplog.at_level(logging.ERROR, logger="cartonet.api"):
            response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 500
    error = _error(response)
    assert error["message"] == "internal error"
    assert "secret" not in response.text
    error_id = error["extensions"]["errorId"]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)


async def test_page_info_is_full_relay(client: httpx.AsyncClient) -> None:
    query = """query($after: String) { occupations(first: 2, after: $after) {
        edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    first = (await client.post("/graphql", json={"query": query})).json()["data"]
    info = first["occupations"]["pageInfo"]
    edges = first["occupations"]["edges"]
    assert info["hasPreviousPage"] is False
    assert info["startCursor"] == edges[0]["cursor"]
    assert info["endCursor"] == edges[-1]["cursor"]
    second = (
        await client.post(
            "/graphql", json={"query": query, "variables": {"after": info["endCursor"]}}
        )
    ).json()["data"]
    info2 = second["occupations"]["pageInfo"]
    assert info2["hasPreviousPage"] is True
    assert info2["startCursor"] == second["occupations"]["edges"][0]["cursor"]


class _Releasing:
    def __init__(self) -> None:
        self.released = 0

    def release(self) -> None:
        self.released += 1


@strawberry.type
class _Slow:
    @strawberry.field
    async def slow(self) -> str:
        await asyncio.sleep(5)
        return "late"


async def test_the_context_is_released_after_every_operation() -> None:
    """What a request read goes when it is answered, timed out or not (the loaders
    refer back to themselves: without the release it waits for the cyclic collector)."""
    contexts: list[_Releasing] = []

    def make_context(request: Any) -> _Releasing:
        contexts.append(_Releasing())
        return contexts[-1]

    schema = build_schema((_Query, _Slow))
    endpoint = GraphQLHTTP(
        schema,
        Documents(schema, Limits()),
        make_context,
        _no_version,
        HttpLimits(execution_timeout=0.05),
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=endpoint), base_url="http://t"
    ) as client:
        answered = await client.post("/", json={"query": "{ hello }"})
        assert answered.json() == {"data": {"hello": "hello"}}
        late = await client.post("/", json={"query": "{ slow }"})
        assert late.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
    assert [c.released for c in contexts] == [1, 1]


def test_answers_are_compact_utf8_json_with_a_fallback_for_what_orjson_refuses() -> None:
    from cartonet.api.http import _dumps

    body = {"data": {"label": "ingénieur", "score": 0.5, "n": 3, "none": None}}
    assert _dumps(body).decode() == '{"data":{"label":"ingénieur","score":0.5,"n":3,"none":null}}'
    huge = {"data": {"n": 2**70}}  # over 64 bits: orjson refuses it, json writes it
    assert _dumps(huge) == b'{"data":{"n":1180591620717411303424}}'
