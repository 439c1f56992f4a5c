"""DataLoaders: a list of occupations with their relations costs a handful of store calls."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api_helpers import Graph, client_for, gql_for

from cartonet.api.app import create_app
from cartonet.model import NodeType, RelType
from cartonet.settings import Settings
from cartonet.store.base import MAX_PAGE
from cartonet.store.embedded import EmbeddedStore


class Counting:
    """Forwards every call to a real store and records (method, number of ids, relation)."""

    def __init__(self, store: EmbeddedStore) -> None:
        self._store = store
        self.calls: list[tuple[str, int, str | None]] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._store, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            ids = len(args[0]) if name in ("get_nodes", "neighbours", "neighbour_pages") else 0
            rel = f"{args[1]}:{args[2]}" if name in ("neighbours", "neighbour_pages") else None
            self.calls.append((name, ids, rel))
            return await method(*args, **kwargs)

        return counted


QUERY = """
{
  occupations(first: 50) {
    edges { node {
      id label
      skills { relevance skill { id label kind } }
      groups { id label }
      interests { id }
      mobilities { kind occupation { id label } }
      trainings { id }
    } }
  }
}"""


async def test_fifty_occupations_with_relations_make_a_handful_of_calls(
    store_path: Path, graph: Graph
) -> None:
    counting = Counting(EmbeddedStore(store_path))
    app = create_app(Settings(store=str(store_path)), counting)  # type: ignore[arg-type]
    async with app.router.lifespan_context(app), client_for(app) as client:
        counting.calls.clear()
        data = await gql_for(client)(QUERY)
    edges = data["occupations"]["edges"]
    assert len(edges) == 50
    # The answer is complete: every occupation got all its skills.
    for edge in edges:
        expected = {r.end for r in graph.out(edge["node"]["id"], RelType.REQUIRES)}
        assert {s["skill"]["id"] for s in edge["node"]["skills"]} == expected

    methods = Counter(name for name, _, _ in counting.calls)
    assert methods["list_nodes"] == 1
    assert methods["get_nodes"] == 0, "nodes met as neighbours are not fetched again"
    by_rel = Counter(rel for name, _, rel in counting.calls if name == "neighbours")
    # One batched call per relation asked, whatever the number of occupations...
    for rel in ("REQUIRES:OUT", "MATCHES_INTEREST:OUT", "MOBILITY:OUT", "PREPARES_FOR:IN"):
        assert by_rel[rel] == 1, counting.calls
    requires = [ids for name, ids, rel in counting.calls if rel == "REQUIRES:OUT"]
    assert requires == [50]
    # ...and one per hierarchy level for `groups`, shared by all 50 occupations.
    assert 1 <= by_rel["BROADER:OUT"] <= 6
    assert len(counting.calls) <= 12


async def test_nested_lists_batch_across_parents(store_path: Path, graph: Graph) -> None:
    counting = Counting(EmbeddedStore(store_path))
    app = create_app(Settings(store=str(store_path)), counting)  # type: ignore[arg-type]
    query = """
    { occupations(first: 20) { edges { node { id
        skills { skill { occupations(first: 3) { totalCount } } } } } } }"""
    async with app.router.lifespan_context(app), client_for(app) as client:
        counting.calls.clear()
        data = await gql_for(client)(query)
    skills = {
        s_id
        for e in data["occupations"]["edges"]
        for s_id in (r.end for r in graph.out(e["node"]["id"], RelType.REQUIRES))
        if graph.nodes[s_id].type == NodeType.SKILL
    }
    # One paged read per batch of parents: the store pages, orders and counts.
    calls = [ids for name, ids, rel in counting.calls if rel == "REQUIRES:IN"]
    assert all(name == "neighbour_pages" for name, _, rel in counting.calls if rel == "REQUIRES:IN")
    assert sum(calls) == len(skills)
    assert len(calls) == math.ceil(len(skills) / MAX_PAGE)


async def test_release_drops_what_the_loaders_read(store_path: Path, graph: Graph) -> None:
    from cartonet.api.loaders import Loaders
    from cartonet.store.base import Direction

    store = EmbeddedStore(store_path)
    await store.open()
    try:
        loaders = Loaders(store)
        occupation = graph.of_type(NodeType.OCCUPATION)[0].id
        assert await loaders.nodes.load(occupation) is not None
        page = await loaders.pages(RelType.REQUIRES, Direction.OUT, NodeType.SKILL, 5, None).load(
            occupation
        )
        assert page.edges
        assert loaders.nodes.cache_map.cache_map and loaders._pages
        loaders.release()
        assert not loaders.nodes.cache_map.cache_map and not loaders._pages
        # still usable: a later load reads again
        assert (await loaders.nodes.load(occupation)).id == occupation  # type: ignore[union-attr]
    finally:
        await store.close()
