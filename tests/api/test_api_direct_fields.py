"""The fields resolved by plain functions (``resolve_node_fields_directly``,
``resolve_attributes_directly``) answer exactly what Strawberry's resolvers answer: the
node fields on every fixture node, the attribute fields and cursors on every page of the
lists and nested lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_helpers import Graph, client_for

import cartonet.api.app as app_module
from cartonet.api.app import create_app
from cartonet.api.schema import build_schema
from cartonet.api.types import (
    NODE_TYPES,
    resolve_attributes_directly,
    resolve_node_fields_directly,
)
from cartonet.model import NodeType
from cartonet.settings import Settings
from cartonet.store.base import MAX_PAGE

QUERY = """query($ids: [ID!]!, $lang: Lang!) {
  nodes(ids: $ids) {
    __typename id source code label fr: label(lang: FR) en: label(lang: EN)
    v: label(lang: $lang)
  }
}"""


def test_every_node_type_gets_the_direct_fields() -> None:
    replaced = resolve_node_fields_directly(build_schema(direct_node_fields=False))
    names = {cls.__strawberry_definition__.name for cls in NODE_TYPES}  # type: ignore[attr-defined]
    assert set(replaced) == {(t, f) for t in names for f in ("id", "label", "source", "code")}


PAGES = """query($after: String) {
  occupations(first: 3, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      node {
        id
        skills { relevance weight skill { id kind } }
        skillsConnection(first: 2) {
          totalCount pageInfo { endCursor startCursor hasNextPage }
          edges { cursor node { relevance weight skill { id label } } }
        }
      }
    }
  }
  skills(first: 2) { edges { cursor node { id occupations(first: 2) { edges { cursor } } } } }
  stats { occupations skills relations version }
}"""


def test_the_attribute_fields_and_cursors_are_replaced() -> None:
    replaced = resolve_attributes_directly(build_schema(direct_node_fields=False))
    for page in ("OccupationConnection", "SkillRequirementConnection"):
        assert {(page, f) for f in ("edges", "pageInfo", "totalCount")} <= set(replaced)
    for edge in ("OccupationEdge", "SkillEdge", "SkillRequirementEdge"):
        assert {(edge, "cursor"), (edge, "node")} <= set(replaced)
    assert ("PageInfo", "endCursor") in replaced
    assert ("SkillRequirement", "skill") in replaced
    # fields with a resolver of their own keep it
    assert ("Occupation", "skills") not in replaced
    assert ("Query", "occupations") not in replaced


async def _pages(store_path: Path, direct: bool) -> list[Any]:
    def schema(*args: Any, **kwargs: Any) -> Any:
        return build_schema(*args, **kwargs, direct_node_fields=direct)

    mp = pytest.MonkeyPatch()
    mp.setattr(app_module, "build_schema", schema)
    try:
        app = create_app(Settings(store=str(store_path)))
    finally:
        mp.undo()
    out: list[Any] = []
    after = None
    async with app.router.lifespan_context(app), client_for(app) as client:
        while True:
            body = {"query": PAGES, "variables": {"after": after}}
            answer = (await client.post("/graphql", json=body)).json()
            assert "errors" not in answer, answer
            out.append(answer)
            page = answer["data"]["occupations"]
            if not page["pageInfo"]["hasNextPage"]:
                return out
            after = page["pageInfo"]["endCursor"]


async def test_direct_attributes_answer_like_strawberry(store_path: Path, graph: Graph) -> None:
    direct = await _pages(store_path, direct=True)
    assert direct == await _pages(store_path, direct=False)
    cursors = [e["cursor"] for a in direct for e in a["data"]["occupations"]["edges"]]
    assert len(cursors) == len(set(cursors)) == len(graph.of_type(NodeType.OCCUPATION))
    assert any(
        e["node"]["skillsConnection"]["edges"]
        for a in direct
        for e in a["data"]["occupations"]["edges"]
    )


async def _answers(store_path: Path, ids: list[str], direct: bool) -> list[Any]:
    def schema(*args: Any, **kwargs: Any) -> Any:
        return build_schema(*args, **kwargs, direct_node_fields=direct)

    mp = pytest.MonkeyPatch()
    mp.setattr(app_module, "build_schema", schema)
    try:
        app = create_app(Settings(store=str(store_path)))
    finally:
        mp.undo()
    out = []
    async with app.router.lifespan_context(app), client_for(app) as client:
        for lang in ("FR", "EN"):
            for i in range(0, len(ids), MAX_PAGE):
                body = {"query": QUERY, "variables": {"ids": ids[i : i + MAX_PAGE], "lang": lang}}
                response = await client.post("/graphql", json=body)
                assert "errors" not in response.json(), response.text
                out.append(response.json())
    return out


async def test_direct_fields_answer_like_strawberry(store_path: Path, graph: Graph) -> None:
    ids = sorted(graph.nodes)
    direct = await _answers(store_path, ids, direct=True)
    assert direct == await _answers(store_path, ids, direct=False)
    seen = {n["__typename"] for page in direct for n in page["data"]["nodes"]}
    assert seen == {cls.__strawberry_definition__.name for cls in NODE_TYPES}  # type: ignore[attr-defined]
    # the fixtures hold nodes labelled in one language only: the fallback is exercised
    one_language = [n for n in graph.nodes.values() if len(n.labels) == 1]
    assert one_language
