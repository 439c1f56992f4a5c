"""The node fields resolved by plain functions (``resolve_node_fields_directly``) answer
exactly what Strawberry's resolvers of ``NodeInterface`` answer, on every fixture node."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_helpers import Graph, client_for

import cartonet.api.app as app_module
from cartonet.api.app import create_app
from cartonet.api.schema import build_schema
from cartonet.api.types import NODE_TYPES, resolve_node_fields_directly
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
