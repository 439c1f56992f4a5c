"""``Store.warm`` on every store: idempotent, harmless on an empty store, and never a cause
of stale answers (a load after a warm-up is searched like any load)."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract_data import all_nodes, esco_dataset, rome_dataset

from cartonet.store.base import Store
from cartonet.store.search import label_entries, rank

ENTRIES = [e for n in all_nodes() for e in label_entries(n)]
QUERIES = ["developpeur logiciel", "infirmier", "sofware develper", "python"]


def _key(hits: list) -> list[tuple[str, float, str, str | None]]:
    return [(h.node.id, h.score, h.matched_label, h.matched_lang) for h in hits]


async def test_warm_on_an_empty_store(store: Store) -> None:
    await store.warm()
    assert await store.search("infirmier", None, None, 5) == []


@pytest.mark.parametrize("query", QUERIES)
async def test_warm_ups_then_a_load_then_search(store: Store, query: str) -> None:
    await store.load(esco_dataset())
    await store.warm()
    await store.warm()
    # a load after the warm-up: what was warmed for the ESCO-only graph must not be served
    await store.load(rome_dataset())
    found = await store.search(query, None, None, 10)
    assert found
    assert _key(found) == _key(rank(query, ENTRIES, 10))
    await store.warm()
    assert _key(await store.search(query, None, None, 10)) == _key(found)


async def test_warm_with_a_cache_file_never_serves_a_stale_graph(
    store: Store, tmp_path: Path
) -> None:
    # a backend may keep what it built in the file (the embedded store does) or ignore it
    cache = tmp_path / "warm.npz"
    await store.load(esco_dataset())
    await store.warm(cache)
    await store.warm(cache)
    await store.load(rome_dataset())
    await store.warm(cache)  # a file for the ESCO-only version must not be read back
    for query in QUERIES:
        assert _key(await store.search(query, None, None, 10)) == _key(rank(query, ENTRIES, 10))
