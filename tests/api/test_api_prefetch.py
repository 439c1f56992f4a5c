"""A lookup by id and the list nested under it come in one store read (cartonet.api.prefetch),
with the same answers and errors as two reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Gql, Graph, client_for, gql_for
from test_api_batching import Counting

from cartonet.api.app import create_app
from cartonet.model import NodeType, RelType
from cartonet.settings import Settings
from cartonet.store.base import encode_cursor
from cartonet.store.embedded import EmbeddedStore


@pytest.fixture
async def counted(store_path: Path) -> AsyncIterator[tuple[Counting, Gql]]:
    counting = Counting(EmbeddedStore(store_path))
    app = create_app(Settings(store=str(store_path)), counting)  # type: ignore[arg-type]
    async with app.router.lifespan_context(app), client_for(app) as client:
        counting.calls.clear()
        yield counting, gql_for(client)


def _busiest(graph: Graph, node_type: NodeType, rel: RelType, out: bool) -> str:
    """The node of ``node_type`` with the most ``rel`` edges (a list worth paging)."""
    count = (lambda n: len(graph.out(n.id, rel))) if out else (lambda n: len(graph.into(n.id, rel)))
    return max(graph.of_type(node_type), key=count).id


OCCUPATION_SKILLS = """query($id: ID!, $rel: Relevance) { occupation(id: $id) { id label
  %s } }"""
SKILLS = "skills(relevance: $rel) { relevance weight skill { id label kind } }"
SKILL_PAGE = """query($id: ID!, $first: Int!, $after: String) { skill(id: $id) { id
  %s } }"""
OCCUPATIONS = """occupations(first: $first, after: $after) { totalCount
  pageInfo { hasNextPage endCursor } edges { cursor node { id label description } } }"""


def _unprefetched(selection: str) -> str:
    """The same selection under an inline fragment, which the prefetch leaves alone."""
    of = "Occupation" if selection.startswith("skills") else "Skill"
    return "... on Node { id } ... on " + of + " { " + selection + " }"


@pytest.mark.parametrize("relevance", [None, "ESSENTIAL", "OPTIONAL"])
async def test_occupation_and_its_skills_in_one_read(
    counted: tuple[Counting, Gql], graph: Graph, relevance: str | None
) -> None:
    counting, gql = counted
    occupation = _busiest(graph, NodeType.OCCUPATION, RelType.REQUIRES, out=True)
    variables = {"id": occupation, "rel": relevance}
    data = await gql(OCCUPATION_SKILLS % SKILLS, variables)
    assert Counter(name for name, _, _ in counting.calls) == {"get_nodes_with_neighbours": 1}
    assert data["occupation"]["skills"], "a list worth comparing"

    counting.calls.clear()
    before = await gql(OCCUPATION_SKILLS % _unprefetched(SKILLS), variables)
    assert {name for name, _, _ in counting.calls} == {"get_nodes", "neighbours"}
    assert data == before


async def test_a_page_of_a_skill_s_occupations_in_one_read(
    counted: tuple[Counting, Gql], graph: Graph
) -> None:
    counting, gql = counted
    skill = _busiest(graph, NodeType.SKILL, RelType.REQUIRES, out=False)
    total = len(graph.into(skill, RelType.REQUIRES))
    assert total > 3
    second = sorted(r.start for r in graph.into(skill, RelType.REQUIRES))[1]
    for first, after in ((2, None), (2, encode_cursor(second)), (0, None)):
        variables: dict[str, Any] = {"id": skill, "first": first, "after": after}
        counting.calls.clear()
        data = await gql(SKILL_PAGE % OCCUPATIONS, variables)
        names = Counter(name for name, _, _ in counting.calls)
        # (A store whose nested reads leave descriptions out fetches them in one more
        # batched get_nodes; the embedded store's nodes are whole.)
        assert names["get_nodes_with_pages"] == 1, counting.calls
        assert names.keys() <= {"get_nodes_with_pages", "get_nodes"}, counting.calls
        assert data["skill"]["occupations"]["totalCount"] == total
        before = await gql(SKILL_PAGE % _unprefetched(OCCUPATIONS), variables)
        assert data == before


async def test_refused_arguments_are_refused_as_before(counted: tuple[Counting, Gql]) -> None:
    counting, gql = counted
    skill = "http://data.europa.eu/esco/skill/000f1d3d-220f-4789-9c0a-cc742521fb02"
    for variables in ({"first": 10_000, "after": None}, {"first": 2, "after": "not a cursor"}):
        body = await gql(SKILL_PAGE % OCCUPATIONS, {"id": skill, **variables}, errors=True)
        again = await gql(
            SKILL_PAGE % _unprefetched(OCCUPATIONS), {"id": skill, **variables}, errors=True
        )
        assert body["errors"][0]["message"] == again["errors"][0]["message"]
        assert body["errors"][0]["extensions"] == again["errors"][0]["extensions"]
    assert "get_nodes_with_pages" not in {name for name, _, _ in counting.calls}


async def test_a_lookup_of_another_type_answers_null(
    counted: tuple[Counting, Gql], graph: Graph
) -> None:
    _, gql = counted
    skill = graph.of_type(NodeType.SKILL)[0].id
    data = await gql(OCCUPATION_SKILLS % SKILLS, {"id": skill, "rel": None})
    assert data == {"occupation": None}


async def test_literal_arguments_and_defaults_prefetch_too(
    counted: tuple[Counting, Gql], graph: Graph
) -> None:
    counting, gql = counted
    skill = _busiest(graph, NodeType.SKILL, RelType.REQUIRES, out=False)
    occupation = _busiest(graph, NodeType.OCCUPATION, RelType.REQUIRES, out=True)
    page = "totalCount edges { node { id label } }"
    for query in (
        "query($id: ID!) { skill(id: $id) { id occupations(first: 3) { " + page + " } } }",
        "query($id: ID!) { skill(id: $id) { id occupations { " + page + " } } }",
        "query($id: ID!) { occupation(id: $id) { id skillsConnection(relevance: OPTIONAL, "
        "first: 2) { totalCount edges { node { relevance skill { id label } } } } } }",
        "query($id: ID!) { occupation(id: $id) { id skills(relevance: ESSENTIAL) "
        "{ skill { id } } } }",
    ):
        node = occupation if "occupation(" in query else skill
        counting.calls.clear()
        data = await gql(query, {"id": node})
        assert {name for name, _, _ in counting.calls} <= {
            "get_nodes_with_pages",
            "get_nodes_with_neighbours",
        }, (query, counting.calls)
        assert len(counting.calls) == 1, query
        # The same query with the nested field under a fragment reads as before.
        field = query.index("{ id ") + len("{ id ")
        head, tail = query[:field], query[field:]
        of = "Occupation" if "occupation(" in query else "Skill"
        plain = head + "... on " + of + " { " + tail[: tail.rindex("}")] + "} }"
        assert await gql(plain, {"id": node}) == data
