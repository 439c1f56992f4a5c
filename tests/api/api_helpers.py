"""Helpers of the API tests: the loaded data indexed (:class:`Graph`, so tests derive what
the API should answer from the data instead of hard-coding it) and an in-process client."""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette

from cartonet.model import Dataset, Node, NodeType, Relationship, RelType

Gql = Callable[..., Awaitable[Any]]
"""``await gql(query, variables)``: the ``data`` of a query (see conftest)."""


def fold(text: str) -> str:
    """Lower case without accents, as the store's text filter compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    rels: list[Relationship] = field(default_factory=list)
    _out: dict[tuple[str, RelType], list[Relationship]] = field(default_factory=dict)
    _in: dict[tuple[str, RelType], list[Relationship]] = field(default_factory=dict)

    @classmethod
    def of(cls, datasets: Iterable[Dataset]) -> Graph:
        graph = cls()
        keyed: dict[tuple[str, str, str], Relationship] = {}
        for ds in datasets:
            graph.nodes.update({n.id: n for n in ds.nodes})
            keyed.update({r.key: r for r in ds.relationships})
        graph.rels = list(keyed.values())
        for r in graph.rels:
            graph._out.setdefault((r.start, r.type), []).append(r)
            graph._in.setdefault((r.end, r.type), []).append(r)
        return graph

    def of_type(self, node_type: NodeType) -> list[Node]:
        return sorted((n for n in self.nodes.values() if n.type == node_type), key=lambda n: n.id)

    def out(self, node_id: str, rel: RelType) -> list[Relationship]:
        return self._out.get((node_id, rel), [])

    def into(self, node_id: str, rel: RelType) -> list[Relationship]:
        return self._in.get((node_id, rel), [])

    def ancestors(self, node_id: str) -> set[str]:
        """Every node above ``node_id`` through BROADER."""
        seen: set[str] = set()
        frontier = [node_id]
        while frontier:
            nxt = {r.end for f in frontier for r in self.out(f, RelType.BROADER)}
            frontier = [n for n in nxt if n not in seen]
            seen.update(frontier)
        return seen

    def labels_folded(self, node: Node) -> list[str]:
        texts = [*node.labels.values(), *(a for alts in node.alt_labels.values() for a in alts)]
        return [fold(t) for t in texts]


def client_for(app: Starlette) -> httpx.AsyncClient:
    """An HTTP client that calls ``app`` in-process (lifespan is the caller's business)."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cartonet.test"
    )


def gql_for(client: httpx.AsyncClient) -> Gql:
    async def run(
        query: str, variables: dict[str, Any] | None = None, *, errors: bool = False
    ) -> Any:
        """POST a query; return ``data`` (asserting no errors), or the whole body with
        ``errors=True`` (asserting there are some)."""
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body = response.json()
        if errors:
            assert body.get("errors"), body
            return body
        assert "errors" not in body, body["errors"]
        return body["data"]

    return run
