"""``scripts/onet_proxy_pairs.py``: ROME truth pairs carried to O*NET through SAME_AS links.

The ids and links below are illustrative (made for the test), not real crosswalk output."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
from cartonet.store.embedded import EmbeddedStore
from cartonet_testing import load_script

script = load_script("onet_proxy_pairs")


def link(a: str, b: str, score: float) -> Relationship:
    return Relationship(RelType.SAME_AS, a, b, {"score": score, "method": "illustrative"})


LINKS = [
    link("rome:A1", "onet:11-0001.00", 0.9),
    link("rome:A1", "onet:11-0002.00", 0.5),
    link("onet:11-0003.00", "rome:A2", 0.8),  # either direction counts
    link("rome:A3", "onet:11-0001.00", 0.7),  # A1 and A3 share their best link
    link("rome:A1", "esco:x", 1.0),  # not a ROME–O*NET link
]


def test_links_and_mapping_count_every_loss() -> None:
    links = script.links_from(LINKS)
    assert links == {
        "rome:A1": [(0.9, "onet:11-0001.00"), (0.5, "onet:11-0002.00")],
        "rome:A2": [(0.8, "onet:11-0003.00")],
        "rome:A3": [(0.7, "onet:11-0001.00")],
    }
    pairs = [
        ("rome:A1", "rome:A2", "CLOSE"),
        ("rome:A3", "rome:A2", "FAR"),  # maps onto the pair above
        ("rome:A1", "rome:A3", "CLOSE"),  # both on 11-0001.00
        ("rome:A1", "rome:A9", "CLOSE"),  # A9 unlinked
    ]
    mapped, counts = script.map_pairs(pairs, links)
    assert mapped == [("onet:11-0001.00", "onet:11-0003.00", "CLOSE")]
    assert counts == {
        "input": 4,
        "unmapped": 1,
        "self": 1,
        "duplicate": 1,
        "written": 1,
        "sources": 1,
    }
    # with two links per fiche, A1 → A3 survives through A1's second link
    mapped2, _ = script.map_pairs(pairs, links, per_code=2)
    assert ("onet:11-0002.00", "onet:11-0001.00", "CLOSE") in mapped2


def test_main_reads_the_links_from_a_store(tmp_path: Path) -> None:
    ids = sorted({x for r in LINKS for x in (r.start, r.end)})
    dataset = Dataset(
        "illustrative",
        nodes=[Node(i, NodeType.OCCUPATION, {"en": i}, "illustrative") for i in ids],
        relationships=LINKS,
    )
    store_path = tmp_path / "xw.sqlite"

    async def load() -> None:
        store = EmbeddedStore(store_path)
        await store.open()
        try:
            await store.load(dataset)
        finally:
            await store.close()

    asyncio.run(load())
    truth = tmp_path / "PAIRS.csv"
    truth.write_text("source,target,kind\nrome:A1,rome:A2,CLOSE\n", encoding="utf-8")
    out = tmp_path / "ONET.csv"
    assert script.main([str(truth), "--store", str(store_path), "-o", str(out)]) == 0
    with out.open(encoding="utf-8") as f:
        assert list(csv.reader(f)) == [
            ["source", "target", "kind"],
            ["onet:11-0001.00", "onet:11-0003.00", "CLOSE"],
        ]
    bad = tmp_path / "bad.csv"
    bad.write_text("from,to\n", encoding="utf-8")
    assert script.main([str(bad), "--store", str(store_path), "-o", str(out)]) == 1
