"""The compact forms the stores keep in memory behave as the plain objects they replace:
packed strings as a list of ``str``, a node's packed descriptions and alternative labels
as the dicts they were read from."""

from __future__ import annotations

import bisect
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from cartonet.ingest.fixtures import load_fixtures
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.search import PackedStrings
from cartonet_testing import embedded_store_file

WORDS = ["", "a", "infirmier", "développeur", "ß", "Σ", "zz", "日本", "c++"]


def test_packed_strings_are_the_list_they_hold() -> None:
    words = sorted(WORDS)
    packed = PackedStrings.of(words)
    assert len(packed) == len(words) and list(packed) == words
    assert [packed[i] for i in range(-len(words), len(words))] == words + words
    assert packed[2:5] == words[2:5] and packed[::-2] == words[::-2]
    for i in (len(words), -len(words) - 1):
        with pytest.raises(IndexError):
            packed[i]
    for probe in [*words, "b", "infirmiere", "", "\uffff", "développeuse"]:
        assert bisect.bisect_left(packed, probe) == bisect.bisect_left(words, probe)
    blob, ends = packed.to_arrays()
    assert list(PackedStrings.from_arrays(blob.copy(), ends.copy())) == words
    with pytest.raises(ValueError):
        PackedStrings.from_arrays(blob[:-1].copy(), ends.copy())
    with pytest.raises(ValueError):
        PackedStrings.from_arrays(blob.copy(), ends[::-1].copy())
    assert (
        list(PackedStrings.of([])) == []
        and len(PackedStrings.from_arrays(*PackedStrings.of([]).to_arrays())) == 0
    )
    assert isinstance(ends, np.ndarray)


async def test_stored_nodes_equal_the_loaded_ones(tmp_path: Path) -> None:
    datasets = list(load_fixtures())
    path = await embedded_store_file(tmp_path / "s.sqlite", datasets)
    store = EmbeddedStore(path)
    await store.open()
    try:
        given = {n.id: n for d in datasets for n in d.nodes}
        stored = await store.get_nodes(list(given))
        assert any(n.alt_labels for n in given.values())
        assert any(n.descriptions for n in given.values())
        for node in stored:
            assert node is not None
            plain = given[node.id]
            # both ways round: the packed mappings against dicts, and dicts against them
            assert node == plain and plain == node
            for packed, expected in (
                (node.alt_labels, {k: tuple(v) for k, v in plain.alt_labels.items() if v}),
                (node.descriptions, {k: v for k, v in plain.descriptions.items() if v}),
            ):
                assert dict(packed) == expected and dict(packed.items()) == expected
                assert bool(packed) == bool(expected) and len(packed) == len(expected)
                assert list(packed.values()) == list(expected.values())
                assert repr(packed) == repr(expected)
                for lang in ("fr", "en", "de"):
                    assert packed.get(lang) == expected.get(lang)
                    assert (lang in packed) == (lang in expected)
            for lang in ("fr", "en"):
                assert node.alt(lang) == plain.alt(lang)
                assert node.description(lang) == plain.description(lang)
            other = dataclasses.replace(plain, descriptions={"fr": "autre chose"})
            assert node != other
    finally:
        await store.close()
