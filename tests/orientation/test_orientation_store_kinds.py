"""The engine works unchanged on every kind of store: ESCO only, ROME only, O*NET only and
mixed (no constant of one taxonomy is needed), and reads interests across crosswalks."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from orientation_helpers import merged

from cartonet.model import Dataset
from cartonet.orientation.evaluate import evaluate
from cartonet.orientation.index import index_of
from cartonet.orientation.profile import Profile
from cartonet.orientation.projection import graph_from_dataset
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.transitions import suggest_transitions
from cartonet_testing import crossed

HERE = Path(__file__).resolve().parent


def _mini_onet(tmp: Path) -> Dataset:
    """The O*NET loader's small hand-made release (tests/ingest), loaded."""
    spec = importlib.util.spec_from_file_location(
        "onet_mini", HERE.parent / "ingest" / "test_ingest_onet.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from cartonet.ingest.onet import load_onet

    return load_onet(module.mini_onet(tmp))


@pytest.fixture(scope="module")
def kinds(
    fixture_datasets: list[Dataset], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, nx.MultiDiGraph]:
    by_source = {ds.source.split("-")[0]: ds for ds in fixture_datasets}
    onet = _mini_onet(tmp_path_factory.mktemp("onet"))
    parts = {
        "esco": [by_source["esco"]],
        "rome": [by_source["rome"]],
        "onet": [onet],
        "mixed": [by_source["esco"], by_source["rome"], onet],
    }
    return {k: graph_from_dataset(merged(v), version=k) for k, v in parts.items()}


def _source(G: nx.MultiDiGraph, occupation: str) -> str:
    return str(G.nodes[occupation]["node"].source).split("-")[0]


def _origin(G: nx.MultiDiGraph, source: str) -> str:
    """The occupation of ``source`` requiring the most skills (ties: lowest id)."""
    ix = index_of(G)
    counts = np.diff(ix.has_skill.indptr)
    rows = [i for i, o in enumerate(ix.occupations) if _source(G, o) == source]
    return ix.occupations[max(rows, key=lambda i: (counts[i], -i))]


@pytest.mark.parametrize(
    ("kind", "sources"),
    [
        ("esco", ["esco"]),
        ("rome", ["rome"]),
        ("onet", ["onet"]),
        ("mixed", ["esco", "rome", "onet"]),
    ],
)
def test_suggest_similar_and_evaluate_on_every_store_kind(
    kinds: dict[str, nx.MultiDiGraph], kind: str, sources: list[str]
) -> None:
    G = kinds[kind]
    for source in sources:
        origin = _origin(G, source)
        found = suggest_transitions(G, Profile(current_occupations=(origin,)), 5)
        assert found, f"{kind}: no suggestion from {origin}"
        for s in found:
            # candidates stay in the origin's taxonomy, the similarity part counts
            assert _source(G, s.occupation) == source
            assert "similarity" in s.active_parts and 0 <= s.score <= 1
            assert all(math.isfinite(v) for v in s.parts.values())
        similar = similar_occupations(G, origin, 3)
        assert [_source(G, s.occupation) for s in similar] == [source] * len(similar)
        if kind == "onet":  # evaluate copies the graph: once, on the smallest store
            report = evaluate(G, [(origin, found[0].occupation)], k=1, method="suggest")
            assert (report.n, report.recall_at_k) == (1, 1.0)


def test_esco_occupations_get_interests_across_the_crosswalk(
    fixture_datasets: list[Dataset], fixtures_graph: nx.MultiDiGraph
) -> None:
    """ESCO occupations have no RIASEC interests of their own: with ROME's read across
    SAME_AS (``cartonet crosswalk --infer-interests``), a seeker's interests change ESCO
    suggestions, and the edges the engine reads are marked inferred."""
    crossed_ds, extra = crossed(fixture_datasets)
    assert extra and all(r.props["inferred"] is True for r in extra)
    plain = fixtures_graph
    G = graph_from_dataset(merged([*fixture_datasets, crossed_ds]), version="crossed")
    inferred = {r.start for r in extra}
    ix = index_of(G)
    assert all(ix.interest_raw[ix.occ_pos[o]].any() for o in inferred)
    assert not any(index_of(plain).interest_raw[index_of(plain).occ_pos[o]].any() for o in inferred)
    origin = sorted(inferred)[0]

    def ranked(graph: nx.MultiDiGraph, code: str) -> list[str]:
        p = Profile(current_occupations=(origin,), interests={code: 1.0})
        return [s.occupation for s in suggest_transitions(graph, p, 10)]

    # without the crosswalk the interests cannot tell ESCO jobs apart; with it they can
    assert len({tuple(ranked(plain, c)) for c in "RIASEC"}) == 1
    assert len({tuple(ranked(G, c)) for c in "RIASEC"}) > 1
    # and a suggestion says which of its matched interests are estimates, and from where
    shown = [
        s
        for c in "RIASEC"
        for s in suggest_transitions(
            G, Profile(current_occupations=(origin,), interests={c: 1.0}), 10
        )
        if s.matched_interests
    ]
    assert shown
    for s in shown:
        own = {r.end for r in extra if r.start == s.occupation}
        assert s.inferred_interests == [i for i in s.matched_interests if i in own]
        if s.inferred_interests:
            assert s.interests_from is not None
            assert s.interests_from.startswith("rome:")
            twin = {
                t for _, t, k in G.out_edges(s.interests_from, keys=True) if k == "MATCHES_INTEREST"
            }
            assert twin == own
            # the explanation says it too, naming the linked job
            twin_label = G.nodes[s.interests_from]["node"].label("fr")
            assert f"estimés d'après le métier lié {twin_label}." in s.explanation
        else:
            assert "estimés" not in s.explanation
    assert any(s.inferred_interests for s in shown)
