"""The embedded store's search index and filter texts kept on disk by ``warm``: read back
they answer the same searches; another graph version or a broken file is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartonet.ingest.fixtures import load_fixtures
from cartonet.model import Dataset, Node, NodeType
from cartonet.store import search_cache
from cartonet.store.base import NodeFilter
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.search import label_entries
from cartonet_testing import embedded_store_file

QUERIES = ["nurse", "infirmier", "cuisinier", "dévelopeur", "c++", "gestion", "xyzzy"]


@pytest.fixture
async def store_file(tmp_path: Path) -> Path:
    return await embedded_store_file(tmp_path / "s.sqlite", load_fixtures())


async def _answers(store: EmbeddedStore) -> list:
    out: list = []
    for q in QUERIES:
        for lang in (None, "fr"):
            out.append(await store.search(q, None, lang, 10))
            out.append(await store.search(q, [NodeType.SKILL], lang, 10))
        page = await store.list_nodes(NodeType.OCCUPATION, NodeFilter(text=q), 20, None)
        out.append([n.id for n in page.items])
    return out


async def test_read_back_index_answers_the_same(store_file: Path, tmp_path: Path) -> None:
    cache = tmp_path / "search.npz"
    built = EmbeddedStore(store_file)
    loaded = EmbeddedStore(store_file)
    await built.open()
    await loaded.open()
    try:
        await built.warm(cache)
        assert cache.is_file()
        await loaded.warm(cache)
        state = loaded._state
        assert state._search is not None and state._texts == built._state._texts
        # read back, not built: a hit's label is read from its node, not kept twice
        assert state._search._label_text is None and state._search._label_at is not None
        hit = (await loaded.search("infirmier", None, None, 1))[0]
        assert hit.matched_label in [e.label for e in label_entries(hit.node)]
        assert await _answers(loaded) == await _answers(built)
    finally:
        await built.close()
        await loaded.close()


async def test_another_version_or_a_broken_file_is_rebuilt(
    store_file: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "search.npz"
    store = EmbeddedStore(store_file)
    await store.open()
    try:
        await store.warm(cache)
        old = store._state.version
        await store.load(Dataset("x", nodes=[Node("x:1", NodeType.OCCUPATION, {"en": "x"}, "x")]))
        assert search_cache.load(cache, store._state.version, store._state.nodes) is None
        await store.warm(cache)  # rebuilt for the new version and written again
        assert search_cache.load(cache, store._state.version, store._state.nodes) is not None
        assert search_cache.load(cache, old, store._state.nodes) is None

        cache.write_bytes(cache.read_bytes()[:1000])  # a partial file
        assert search_cache.load(cache, store._state.version, store._state.nodes) is None
        fresh = EmbeddedStore(store_file)
        await fresh.open()
        try:
            await fresh.warm(cache)  # ignores it, builds, replaces it
            assert (await fresh.search("x", None, None, 5))[0].node.id == "x:1"
            assert search_cache.load(cache, fresh._state.version, fresh._state.nodes) is not None
        finally:
            await fresh.close()
    finally:
        await store.close()
