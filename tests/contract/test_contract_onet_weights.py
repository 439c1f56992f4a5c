"""Continuous requirement weights (O*NET importance and level, written by the loader as the
REQUIRES ``weight``) survive every store unchanged, and the orientation graph read back
from the store answers as the one built from the loaded dataset."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from cartonet.ingest.onet import load_onet
from cartonet.model import Dataset, RelType
from cartonet.orientation.index import index_of
from cartonet.orientation.profile import Profile
from cartonet.orientation.projection import graph_from_dataset
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.transitions import suggest_transitions
from cartonet.store.base import Store

INGEST_TESTS = Path(__file__).resolve().parents[1] / "ingest" / "test_ingest_onet.py"


def mini_onet_dataset(tmp: Path, weights: str) -> Dataset:
    """The O*NET loader's small hand-made release (tests/ingest, labelled so there)."""
    spec = importlib.util.spec_from_file_location("onet_mini", INGEST_TESTS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return load_onet(module.mini_onet(tmp), weights=weights)


def requires_weights(dataset: Dataset) -> dict[tuple[str, str], float]:
    return {
        (r.start, r.end): r.props["weight"]
        for r in dataset.relationships
        if r.type is RelType.REQUIRES
    }


@pytest.mark.parametrize("weights", ["importance", "importance-level"])
async def test_continuous_weights_read_back_and_answer_the_same(
    store: Store, tmp_path: Path, weights: str
) -> None:
    dataset = mini_onet_dataset(tmp_path, weights)
    await store.load(dataset)
    exported = await store.export()
    want = requires_weights(dataset)
    assert requires_weights(exported) == want
    assert set(want.values()) - {1.0, 0.5}  # continuous: not the relevance weights
    G_store, G_loaded = graph_from_dataset(exported), graph_from_dataset(dataset)
    assert index_of(G_store).relevance.toarray().tolist() == (
        index_of(G_loaded).relevance.toarray().tolist()
    )
    origin = "onet:15-1252.00"
    assert similar_occupations(G_store, origin, k=5) == similar_occupations(G_loaded, origin, k=5)
    # a seeker holding one skill of the origin: the skill fit reads the weights
    profile = Profile(current_occupations=("onet:15-1252.01",), skills={"onet-skill:2.A.1.a": 1.0})
    got = suggest_transitions(G_store, profile, k=5)
    assert got == suggest_transitions(G_loaded, profile, k=5)
    relevance_graph = graph_from_dataset(mini_onet_dataset(tmp_path / "relevance", "relevance"))
    by_relevance = suggest_transitions(relevance_graph, profile, k=5)
    assert [s.occupation for s in got] == [s.occupation for s in by_relevance] == [origin]
    assert got[0].parts != by_relevance[0].parts
