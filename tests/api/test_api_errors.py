"""Error shapes and query limits: what a client sees when it asks for too much or wrong."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from api_helpers import Gql, client_for, gql_for
from graphql import GraphQLError

from cartonet.api.app import create_app
from cartonet.api.errors import shape_error
from cartonet.api.limits import Limits
from cartonet.errors import InvalidArgument, StoreUnavailable
from cartonet.settings import Settings
from cartonet.store.base import MAX_PAGE


def _only_error(body: dict) -> dict:
    assert body.get("data") is None or all(v is None for v in body["data"].values()), body
    (error,) = body["errors"]
    assert "Traceback" not in error["message"]
    return error


@pytest.mark.parametrize(
    ("query", "argument", "fragment"),
    [
        (f"{{ occupations(first: {MAX_PAGE + 1}) {{ totalCount }} }}", "first", str(MAX_PAGE)),
        ("{ occupations(first: -1) { totalCount } }", "first", "between"),
        ('{ occupations(after: "abc") { totalCount } }', "after", "cursor"),
        ('{ search(text: "   ") { score } }', "text", "empty"),
        ('{ search(text: "") { score } }', "text", "empty"),
        ('{ search(text: "' + "x" * 500 + '") { score } }', "text", "at most"),
        ('{ search(text: "dev", first: 100000) { score } }', "first", str(MAX_PAGE)),
        ("{ occupations { edges { node { label(lang: DE) } } } }", "lang", "DE"),
        ('{ search(text: "dev", kinds: [PLANET]) { score } }', "kinds", "PLANET"),
        ("{ skills(kind: SOFTISH) { totalCount } }", "kind", "SOFTISH"),
        ('{ occupations(first: "ten") { totalCount } }', "first", "ten"),
        ("{ search { score } }", "text", "required"),
    ],
)
async def test_invalid_arguments_name_the_argument(
    gql: Gql, query: str, argument: str, fragment: str
) -> None:
    error = _only_error(await gql(query, errors=True))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument
    assert argument in error["message"]
    assert fragment in error["message"]


async def test_invalid_variable_names_the_argument_it_feeds(gql: Gql) -> None:
    query = 'query($l: Lang!) { search(text: "dev", lang: $l) { score } }'
    error = _only_error(await gql(query, {"l": "DE"}, errors=True))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "lang"}


async def test_nested_page_size_is_checked_too(gql: Gql) -> None:
    query = """
    { search(text: "développeur", kinds: [SKILL], first: 1) {
        node { ... on Skill { occupations(first: 501) { totalCount } } } } }"""
    body = await gql(query, errors=True)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}


async def test_depth_limit(gql: Gql) -> None:
    query = """
    { occupations(first: 1) { edges { node { skills { skill { occupations(first: 1) {
      edges { node { skills { skill { occupations(first: 1) { edges { node { id } } } } } } }
    } } } } } } }"""
    error = _only_error(await gql(query, errors=True))
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "depth" in error["message"]


async def test_alias_limit(gql: Gql) -> None:
    query = "{ " + " ".join(f"a{i}: stats {{ version }}" for i in range(50)) + " }"
    error = (await gql(query, errors=True))["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "aliases" in error["message"]


async def test_token_limit(gql: Gql) -> None:
    query = "{ stats { " + " ".join(["version"] * 3000) + " } }"
    error = (await gql(query, errors=True))["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "token" in error["message"].lower()


async def test_cost_limit_refuses_wide_nested_lists(gql: Gql) -> None:
    query = """
    { occupations(first: 500) { edges { node { skills { skill {
        occupations(first: 500) { edges { node { id } } } } } } } } }"""
    error = _only_error(await gql(query, errors=True))
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "costly" in error["message"]


async def test_cost_limit_reads_variables(gql: Gql) -> None:
    query = """
    query($n: Int!) { occupations(first: $n) { edges { node { skills { skill {
        occupations(first: $n) { edges { node { id } } } } } } } } }"""
    body = await gql(query, {"n": 500}, errors=True)
    assert "costly" in body["errors"][0]["message"]
    data = await gql(query, {"n": 2})
    assert len(data["occupations"]["edges"]) == 2


async def test_batched_requests_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/graphql", json=[{"query": "{ stats { version } }"}] * 2)
    assert response.status_code == 400


async def test_introspection_is_not_counted_against_depth(gql: Gql) -> None:
    query = """
    { __schema { types { name fields { name
        type { ofType { ofType { ofType { name } } } } } } } }"""
    data = await gql(query)
    assert any(t["name"] == "Occupation" for t in data["__schema"]["types"])


def test_internal_errors_are_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise KeyError("secret detail")
    except KeyError as exc:
        original = exc
    error = GraphQLError("boom", path=["occupation"], original_error=original)
    with caplog.at_level(logging.ERROR, logger="cartonet.api"):
        shaped = shape_error(error, None)
    assert shaped.message == "internal error"
    assert shaped.extensions["code"] == "INTERNAL_SERVER_ERROR"
    error_id = shaped.extensions["errorId"]
    assert "secret" not in str(shaped.formatted)
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert error_id in logged
    assert any(r.exc_info for r in caplog.records), "the traceback stays server-side"


def test_user_errors_keep_their_message() -> None:
    shaped = shape_error(
        GraphQLError("x", path=["a"], original_error=InvalidArgument("first", "too big")), None
    )
    assert shaped.extensions == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert shaped.message == "invalid argument 'first': too big"
    shaped = shape_error(
        GraphQLError("x", path=["a"], original_error=StoreUnavailable("neo4j is down")), None
    )
    assert shaped.extensions == {"code": "STORE_UNAVAILABLE"}
    assert "neo4j is down" in shaped.message


async def test_cost_estimate_is_exact_on_the_documented_example(store_path: Path) -> None:
    """docs/api.md computes 1,022 for this query: a budget one below refuses it, the exact
    budget accepts it."""
    query = "{ occupations(first: 10) { edges { node { skills { skill { id } } } } } }"
    for budget, refused in ((1021, True), (1022, False)):
        app = create_app(Settings(store=str(store_path)), limits=Limits(max_cost=budget))
        async with app.router.lifespan_context(app), client_for(app) as client:
            body = (await client.post("/graphql", json={"query": query})).json()
        assert ("errors" in body) is refused, (budget, body)
        if refused:
            assert "1,022" in body["errors"][0]["message"]


async def test_nodes_ids_count_in_the_cost(store_path: Path) -> None:
    app = create_app(Settings(store=str(store_path)), limits=Limits(max_cost=100))
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id label } }"
    async with app.router.lifespan_context(app), client_for(app) as client:
        gql = gql_for(client)
        await gql(query, {"ids": ["a"] * 10})  # 1 + 10 + 10
        body = await gql(query, {"ids": ["a"] * 60}, errors=True)  # 1 + 60 + 60
    assert "costly" in body["errors"][0]["message"]
