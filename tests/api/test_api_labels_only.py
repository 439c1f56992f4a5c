"""Nested lists read with their nodes' labels only when the query reads nothing else of
them (``labels_only``), and whole otherwise.

The embedded store is free to send whole nodes either way, so these tests run the API on
an embedded store that does what Neo4j does: nodes of a ``labels_only`` read keep their
id, type, source and labels only, and their properties raise when read. A resolver that
read a property of such a node would turn into an error here."""

from __future__ import annotations

import doctest
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_helpers import Graph, client_for
from graphql import parse

from cartonet.api import selection
from cartonet.api.app import create_app
from cartonet.api.selection import NODE, NODE_CONNECTION, REQUIREMENT_CONNECTION, fits
from cartonet.model import PROPS_LEFT_OUT, Node, NodeType, RelType
from cartonet.settings import Settings
from cartonet.store.base import Edge, EdgePage
from cartonet.store.embedded import EmbeddedStore


def _slim(node: Node) -> Node:
    return Node(node.id, node.type, node.labels, node.source, props=PROPS_LEFT_OUT, complete=False)


def _without_text(node: Node | None) -> Node | None:
    if node is None:
        return None
    return replace(node, alt_labels={}, descriptions={}, complete=False)


def _slim_edges(edges: list[Edge]) -> list[Edge]:
    return [replace(e, node=_slim(e.node)) for e in edges]


def _slim_page(page: EdgePage) -> EdgePage:
    return replace(page, edges=_slim_edges(page.edges))


class SlimmingStore(EmbeddedStore):
    """An embedded store that leaves out what Neo4j leaves out of a ``labels_only``
    read, and notes each nested read the API asks for: (method, rel, labels_only)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.asked: set[tuple[str, RelType, bool]] = set()
        self.lookup_texts: set[bool] = set()  # node_text of the lookups' reads
        self._inside = False  # the lookups' reads call the plain ones: noted once

    def _note(self, name: str, rel: RelType, labels_only: bool) -> None:
        if not self._inside:
            self.asked.add((name, rel, labels_only))

    async def _list(
        self, name: str, read: Any, slim: Any, rel: RelType, *args: Any, **kw: Any
    ) -> Any:
        self._note(name, rel, kw.get("labels_only", False))
        found = await read(*args, **kw)
        return {k: slim(v) for k, v in found.items()} if kw.get("labels_only") else found

    async def neighbours(self, ids: Any, rel: RelType, *args: Any, **kw: Any) -> Any:
        read = super().neighbours
        return await self._list("neighbours", read, _slim_edges, rel, ids, rel, *args, **kw)

    async def neighbour_pages(self, ids: Any, rel: RelType, *args: Any, **kw: Any) -> Any:
        read = super().neighbour_pages
        return await self._list("neighbour_pages", read, _slim_page, rel, ids, rel, *args, **kw)

    async def _lookup(
        self, name: str, read: Any, slim: Any, rel: RelType, *args: Any, **kw: Any
    ) -> Any:
        self._note(name, rel, kw.get("labels_only", False))
        node_text = kw.get("node_text", True)
        self.lookup_texts.add(node_text)
        self._inside = True
        try:
            nodes, lists = await read(*args, **kw)
        finally:
            self._inside = False
        if kw.get("labels_only"):
            lists = {k: slim(v) for k, v in lists.items()}
        if not node_text:
            nodes = [_without_text(n) for n in nodes]
        return nodes, lists

    async def get_nodes_with_neighbours(self, ids: Any, rel: RelType, *args: Any, **kw: Any) -> Any:
        read = super().get_nodes_with_neighbours
        name = "get_nodes_with_neighbours"
        return await self._lookup(name, read, _slim_edges, rel, ids, rel, *args, **kw)

    async def get_nodes_with_pages(self, ids: Any, rel: RelType, *args: Any, **kw: Any) -> Any:
        read = super().get_nodes_with_pages
        return await self._lookup(
            "get_nodes_with_pages", read, _slim_page, rel, ids, rel, *args, **kw
        )


@pytest.fixture
async def slimming(store_path: Path) -> AsyncIterator[tuple[SlimmingStore, httpx.AsyncClient]]:
    store = SlimmingStore(store_path)
    app = create_app(Settings(store=str(store_path)), store)
    async with app.router.lifespan_context(app), client_for(app) as client:
        yield store, client


async def _data(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    reply = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert "errors" not in reply, reply
    return reply["data"]


def _field(text: str) -> Any:
    return parse(text).definitions[0].selection_set.selections[0]  # type: ignore[attr-defined]


def test_the_selection_examples_hold() -> None:
    assert doctest.testmod(selection).failed == 0


@pytest.mark.parametrize(
    ("query", "shape", "expected"),
    [
        ("{ f { id label(lang: EN) type source __typename } }", NODE, True),
        ("{ f { id code } }", NODE, False),
        ("{ f { id ... on Skill { label } } }", NODE, False),
        ("{ f { id ...more } }", NODE, False),
        (
            "{ f { totalCount pageInfo { endCursor } __typename edges { cursor } } }",
            NODE_CONNECTION,
            True,
        ),
        ("{ f { edges { node { id label } } } }", NODE_CONNECTION, True),
        ("{ f { edges { node { id description } } } }", NODE_CONNECTION, False),
        ("{ f { edges { node { id skills { skill { id } } } } } }", NODE_CONNECTION, False),
        ("{ f { edges { somethingNew } } }", NODE_CONNECTION, False),
        (
            "{ f { edges { node { relevance weight skill { id label } } } } }",
            REQUIREMENT_CONNECTION,
            True,
        ),
        ("{ f { edges { node { skill { id kind } } } } }", REQUIREMENT_CONNECTION, False),
        (
            "{ f { edges { node { ... on SkillRequirement { skill { id } } } } } }",
            REQUIREMENT_CONNECTION,
            False,
        ),
    ],
)
def test_which_selections_read_labels_only(query: str, shape: Any, expected: bool) -> None:
    assert fits([_field(query)], shape) is expected


def test_every_occurrence_of_a_field_must_fit() -> None:
    fitting, reading = _field("{ f { id label } }"), _field("{ f { id code } }")
    assert fits([fitting, fitting], NODE)
    assert not fits([fitting, reading], NODE)


LOOKUPS = """
query($occupation: ID!, $skill: ID!) {
  skill(id: $skill) {
    occupations(first: 5) { totalCount edges { cursor node { id label __typename } } }
  }
  occupation(id: $occupation) {
    skillsConnection(first: 5) { edges { node { relevance skill { id label(lang: EN) } } } }
  }
}"""

SCALARS = """
query($occupation: ID!, $skill: ID!) {
  skill(id: $skill) { occupations(first: 5) { edges { node { id entryLevel regulated } } } }
  occupation(id: $occupation) { skills(relevance: ESSENTIAL) { skill { id kind reuse } } }
}"""

FRAGMENTS = """
query($occupation: ID!, $skill: ID!) {
  skill(id: $skill) { occupations(first: 5) { edges { node { ...entry } } } }
  occupation(id: $occupation) { skills { skill { ... on Skill { id label } } } }
}
fragment entry on Occupation { id label entryLevelFrom }"""

KIND = """
query($occupation: ID!, $skill: ID!) {
  skill(id: $skill) { id }
  occupation(id: $occupation) { skills(kind: KNOWLEDGE) { skill { id label } } }
}"""

LISTS = """
query($occupation: ID!, $skill: ID!) {
  occupations(first: 10) {
    edges { node { id narrower { id label } trainings { id label code }
      skillsConnection(first: 3) { totalCount edges { node { skill { id label } } } } } }
  }
  skill(id: $skill) { broader { id label } }
  occupation(id: $occupation) { id }
}"""


def _busy_pair(graph: Graph) -> dict[str, str]:
    """An occupation with essential knowledge skills, and the skill most occupations
    require: both nested reads have something to send."""
    requires = [r for r in graph.rels if r.type == RelType.REQUIRES]
    counts: dict[str, int] = {}
    for r in requires:
        counts[r.end] = counts.get(r.end, 0) + 1
    occupation = next(
        r.start
        for r in requires
        if r.props.get("relevance") == "ESSENTIAL"
        and graph.nodes[r.end].props.get("kind") == "KNOWLEDGE"
        and graph.nodes[r.start].type == NodeType.OCCUPATION
    )
    skill = max(counts, key=lambda i: (counts[i], i))
    return {"occupation": occupation, "skill": skill}


REQUIRES, BROADER, PREPARES_FOR = RelType.REQUIRES, RelType.BROADER, RelType.PREPARES_FOR


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (LOOKUPS, {("get_nodes_with_pages", REQUIRES, True)}),
        (
            SCALARS,
            {
                ("get_nodes_with_pages", REQUIRES, False),
                ("get_nodes_with_neighbours", REQUIRES, False),
            },
        ),
        (
            FRAGMENTS,
            {
                ("get_nodes_with_pages", REQUIRES, False),
                ("get_nodes_with_neighbours", REQUIRES, False),
            },
        ),
        (KIND, {("get_nodes_with_neighbours", REQUIRES, False)}),
        (
            LISTS,
            {
                ("neighbours", BROADER, True),  # narrower { id label }
                ("neighbours", PREPARES_FOR, False),  # trainings { ... code }
                ("neighbour_pages", REQUIRES, True),
                ("neighbours", BROADER, False),  # Skill.broader: read whole, as before
            },
        ),
    ],
)
async def test_labels_only_exactly_when_the_query_reads_nothing_else(
    slimming: tuple[SlimmingStore, httpx.AsyncClient],
    gql: Any,
    graph: Graph,
    query: str,
    expected: set[tuple[str, RelType, bool]],
) -> None:
    """The nested reads ask for labels only when the selection shows only labels (the
    lookups' prefetch and the nested resolvers alike), and the answers are those of the
    same query on whole nodes."""
    store, client = slimming
    variables = _busy_pair(graph)
    answer = await _data(client, query, variables)
    assert answer == await gql(query, variables)
    assert store.asked == expected


@pytest.mark.parametrize(
    ("query", "texts"),
    [
        ("{ occupation(id: $occupation) { id label skills { skill { id } } } }", False),
        ("{ occupation(id: $occupation) { description skills { skill { id } } } }", True),
        ("{ occupation(id: $occupation) { altLabels(lang: EN) skills { weight } } }", True),
        (
            "{ occupation(id: $occupation) { ... on Occupation { description } "
            "skillsConnection { totalCount } } }",
            True,
        ),
        (
            "{ occupation(id: $occupation) { ...texts skills { skill { id } } } } "
            "fragment texts on Occupation { altLabels }",
            True,
        ),
    ],
)
async def test_a_lookup_reads_its_texts_only_when_the_query_does(
    slimming: tuple[SlimmingStore, httpx.AsyncClient],
    gql: Any,
    graph: Graph,
    query: str,
    texts: bool,
) -> None:
    """A lookup read together with its nested list leaves the node's descriptions and
    alternative labels out unless the selection names them (or holds a fragment); the
    answers are those of whole nodes either way."""
    store, client = slimming
    text = "query($occupation: ID!) " + query
    variables = {"occupation": _busy_pair(graph)["occupation"]}
    answer = await _data(client, text, variables)
    assert answer == await gql(text, variables)
    assert answer["occupation"] is not None
    assert store.lookup_texts == {texts}
