"""A store that keeps no nodes in memory (Neo4j) gives the projection copies of its nodes:
the projection keeps their labels only (``keep_labels_only``), and the API reads the
descriptions and alternative labels from the store, with the same answers as a store
whose nodes the projection shares (embedded)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from cartonet.api.app import create_app
from cartonet.model import Dataset, Node, NodeType
from cartonet.orientation.cache import ProjectionCache
from cartonet.orientation.projection import node_of
from cartonet.settings import Settings
from cartonet.store.base import NodeFilter, Page
from cartonet.store.embedded import EmbeddedStore
from cartonet_testing import embedded_store_file


class CopyingStore(EmbeddedStore):
    """An embedded store that hands out fresh copies of its nodes, as a server store does."""

    async def get_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        found = await super().get_nodes(ids)
        return [dataclasses.replace(n) if n is not None else None for n in found]

    async def list_nodes(
        self, type: NodeType, flt: NodeFilter, first: int, after: str | None, *, text: bool = True
    ) -> Page:
        page = await super().list_nodes(type, flt, first, after, text=text)
        if text:
            items = [dataclasses.replace(n) for n in page.items]
        else:  # labels and properties only, as the Neo4j store reads them
            items = [
                dataclasses.replace(n, alt_labels={}, descriptions={}, complete=False)
                for n in page.items
            ]
        return dataclasses.replace(page, items=items)

    async def export(self) -> Dataset:
        ds = await super().export()
        return Dataset(ds.source, [dataclasses.replace(n) for n in ds.nodes], ds.relationships)


@pytest.fixture(scope="module")
async def store_path(
    tmp_path_factory: pytest.TempPathFactory, fixture_datasets: list[Dataset]
) -> Path:
    return await embedded_store_file(
        tmp_path_factory.mktemp("projection-trim") / "fixtures.sqlite", fixture_datasets
    )


async def test_copies_keep_their_labels_only_shared_nodes_stay(
    store_path: Path, tmp_path: Path
) -> None:
    shared, copying = EmbeddedStore(store_path), CopyingStore(store_path)
    await shared.open()
    await copying.open()
    try:
        path = tmp_path / "orientation.npz"
        built = ProjectionCache(path=path)
        G = await built.get(copying)
        assert await built.save()
        read_back = await ProjectionCache(path=path).get(copying)
        whole = {n.id: n for n in (await shared.export()).nodes}
        for graph in (G, read_back):
            assert graph.core is not None
            for node_id in graph.core.ids:
                node = node_of(graph, node_id)
                assert not node.complete and not node.alt_labels and not node.descriptions
                assert (node.labels, node.props, node.type) == (
                    whole[node_id].labels,
                    whole[node_id].props,
                    whole[node_id].type,
                )
        assert any(n.alt_labels or n.descriptions for n in whole.values())
        own = await ProjectionCache().get(shared)
        some = own.core.ids[0]
        assert node_of(own, some) is (await shared.get_nodes([some]))[0]
    finally:
        await shared.close()
        await copying.close()


QUERY = """
query($id: ID!) { similarOccupations(id: $id, first: 5) {
    occupation { id label description(lang: EN) altLabels(lang: FR) }
    missingSkills { id label(lang: EN) description altLabels(lang: EN) } } }"""


async def _answer(app: Any) -> Any:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.post(
                "/graphql", json={"query": QUERY, "variables": {"id": "rome:G1602"}}
            )
    assert response.status_code == 200
    return response.json()


async def test_the_api_answers_the_same_over_trimmed_nodes(store_path: Path) -> None:
    settings = Settings(store=str(store_path))
    expected = await _answer(create_app(settings))
    assert "errors" not in expected
    found = expected["data"]["similarOccupations"]
    assert found and any(f["occupation"]["description"] for f in found)
    assert any(f["occupation"]["altLabels"] for f in found)
    assert await _answer(create_app(settings, store=CopyingStore(store_path))) == expected
