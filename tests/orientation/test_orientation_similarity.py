"""Occupation similarity: properties, the documented formula, known cases on the fixtures."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from orientation_helpers import (
    by_label,
    coverage,
    in_food_hospitality,
    in_health,
    labels_of,
    occupations,
    required,
)

from cartonet.errors import InvalidArgument
from cartonet.model import NodeType
from cartonet.orientation.demo import demo_graph
from cartonet.orientation.index import index_of
from cartonet.orientation.similarity import (
    PARTS,
    SimilarityWeights,
    similar_occupations,
    similarity_matrix,
    similarity_scores,
    skill_coverage,
)


def test_scores_and_parts_are_in_range_and_contributions_add_up(
    fixtures_graph: nx.MultiDiGraph,
) -> None:
    for o in occupations(fixtures_graph)[::25]:
        found = similar_occupations(fixtures_graph, o, k=20)
        assert len(found) == 20
        for r in found:
            assert 0.0 <= r.score <= 1.0
            assert all(0.0 <= r.parts[p] <= 1.0 for p in PARTS)
            assert sum(r.contributions.values()) == pytest.approx(r.score, abs=1e-9)
        scores = [r.score for r in found]
        assert scores == sorted(scores, reverse=True)
        assert o not in {r.occupation for r in found}


def test_skill_coverage_matches_the_documented_formula(demo: nx.MultiDiGraph) -> None:
    ix = index_of(demo)
    rows = np.arange(len(ix.occupations))
    for eta in (0.0, 0.2, 0.7):
        into, back = skill_coverage(ix, rows, eta)
        for a in ix.occupations:
            for b in ix.occupations:
                i, j = ix.occ_pos[a], ix.occ_pos[b]
                assert into[i, j] == pytest.approx(coverage(demo, a, b, eta))
                assert back[i, j] == pytest.approx(coverage(demo, b, a, eta))


def test_skill_coverage_matches_the_formula_on_real_fixtures(
    fixtures_graph: nx.MultiDiGraph,
) -> None:
    """ESCO skills have a real hierarchy (several parents at times): check a sample."""
    ix = index_of(fixtures_graph)
    sample = occupations(fixtures_graph)[::40]
    rows = np.asarray([ix.occ_pos[o] for o in sample])
    into, _ = skill_coverage(ix, rows, 0.2)
    for r, a in enumerate(sample):
        for b in sample:
            assert into[r, ix.occ_pos[b]] == pytest.approx(coverage(fixtures_graph, a, b, 0.2))


def test_similarity_is_asymmetric_in_the_documented_direction(demo: nx.MultiDiGraph) -> None:
    """A cook holds what a kitchen porter needs less than the porter... and a move towards
    an occupation whose needs the origin covers scores its skill part higher."""
    ix = index_of(demo)
    into, _ = skill_coverage(ix, np.arange(len(ix.occupations)), 0.0)
    a, b = ix.occ_pos["demo:nurse"], ix.occ_pos["demo:care-assistant"]
    # the nurse holds every care-assistant skill; the reverse is not true
    assert into[a, b] == pytest.approx(1.0)
    assert into[b, a] < 1.0
    S = similarity_matrix(demo)
    parts_ab = similar_occupations(demo, "demo:nurse", k=5)
    skill_ab = next(r.parts["skill"] for r in parts_ab if r.occupation == "demo:care-assistant")
    parts_ba = similar_occupations(demo, "demo:care-assistant", k=5)
    skill_ba = next(r.parts["skill"] for r in parts_ba if r.occupation == "demo:nurse")
    assert skill_ab > skill_ba
    assert not np.allclose(np.nan_to_num(S), np.nan_to_num(S.T))


def test_rare_and_essential_skills_weigh_more() -> None:
    """Two candidates each share one skill with the origin: the one sharing a rare essential
    skill ranks above the one sharing a ubiquitous optional one."""
    from cartonet.model import Dataset, Node, Relationship, RelType

    def occ(i: str) -> Node:
        return Node(i, NodeType.OCCUPATION, {"en": f"job {i}"}, "t")

    def sk(i: str) -> Node:
        return Node(i, NodeType.SKILL, {"en": f"skill {i}"}, "t")

    def req(o: str, s: str, rel: str = "ESSENTIAL") -> Relationship:
        return Relationship(RelType.REQUIRES, o, s, {"relevance": rel})

    nodes = [occ(x) for x in ("origin", "rare", "common", "f1", "f2", "f3")] + [
        sk(x) for x in ("r", "c", "x", "y")
    ]
    rels = [
        req("origin", "r"),
        req("origin", "c"),
        req("rare", "r"),
        req("rare", "x"),
        req("common", "c", "OPTIONAL"),
        req("common", "x"),
    ]
    rels += [req(f, "c") for f in ("f1", "f2", "f3")] + [req(f, "y") for f in ("f1", "f2", "f3")]
    from cartonet.orientation.projection import graph_from_dataset

    G = graph_from_dataset(Dataset("t", nodes, rels))
    w = SimilarityWeights(title=0, content=0, group=0, interest=0)
    ranked = [r.occupation for r in similar_occupations(G, "origin", k=5, weights=w)]
    assert ranked.index("rare") < ranked.index("common")


def test_mobility_edges_never_change_a_score(
    fixtures_graph: nx.MultiDiGraph, fixture_datasets: list
) -> None:
    from orientation_helpers import merged

    from cartonet.orientation.projection import graph_from_dataset

    without = graph_from_dataset(merged(fixture_datasets), include_mobility=False)
    assert any(k == "MOBILITY" for _, _, k in fixtures_graph.edges(keys=True))
    assert not any(k == "MOBILITY" for _, _, k in without.edges(keys=True))
    sample = [o for o in occupations(fixtures_graph) if o.startswith("rome:")][:20]
    a = similarity_scores(fixtures_graph, sample)
    b = similarity_scores(without, sample)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    np.testing.assert_allclose(np.nan_to_num(a), np.nan_to_num(b), rtol=0, atol=0)


def test_deterministic_across_graph_builds(fixture_datasets: list) -> None:
    from orientation_helpers import merged

    from cartonet.orientation.projection import graph_from_dataset

    G1 = graph_from_dataset(merged(fixture_datasets))
    G2 = graph_from_dataset(merged(list(reversed(fixture_datasets))))
    for o in occupations(G1)[::50]:
        assert similar_occupations(G1, o, 10) == similar_occupations(G2, o, 10)


def test_matrix_rows_equal_single_queries(fixtures_graph: nx.MultiDiGraph) -> None:
    ix = index_of(fixtures_graph)
    S = similarity_matrix(fixtures_graph, block=37)
    for o in occupations(fixtures_graph)[::60]:
        row = S[ix.occ_pos[o]]
        for r in similar_occupations(fixtures_graph, o, 5):
            assert row[ix.occ_pos[r.occupation]] == pytest.approx(r.score, rel=1e-5)
        assert np.isnan(row[ix.occ_pos[o]])


def test_shared_and_missing_skills_partition_the_target(fixtures_graph: nx.MultiDiGraph) -> None:
    o = occupations(fixtures_graph)[3]
    held = set(required(fixtures_graph, o))
    for r in similar_occupations(fixtures_graph, o, 10):
        need = set(required(fixtures_graph, r.occupation))
        assert set(r.shared_skills) == need & held
        assert set(r.missing_skills) == need - held


def test_errors_name_the_argument(demo: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidArgument) as err:
        similar_occupations(demo, "demo:nope", 5)
    assert err.value.argument == "occupation"
    with pytest.raises(InvalidArgument, match="not an occupation"):
        similar_occupations(demo, "demo:teamwork", 5)
    for k in (0, 501):
        with pytest.raises(InvalidArgument) as err:
            similar_occupations(demo, "demo:cook", k)
        assert err.value.argument == "k"
    with pytest.raises(InvalidArgument):
        SimilarityWeights(skill=-1)
    with pytest.raises(InvalidArgument):
        SimilarityWeights(skill=0, title=0, content=0, group=0, interest=0, feasibility=0)
    with pytest.raises(InvalidArgument):
        SimilarityWeights(direction=0.3)


def test_demo_graph_is_labelled_illustrative() -> None:
    G = demo_graph()
    for _, d in G.nodes(data=True):
        node = d["node"]
        assert "Illustrative" in node.description("en") and "illustratif" in node.description("fr")
        assert node.source == "illustrative-demo"
        assert (node.props.get("illustrative") is True) == (node.type == NodeType.TRAINING)


# --- known cases on the bundled fixtures ----------------------------------------------------


def test_a_cook_stays_in_food_and_hospitality(fixtures_graph: nx.MultiDiGraph) -> None:
    cook = by_label(fixtures_graph, "cook")
    top = [r.occupation for r in similar_occupations(fixtures_graph, cook, 5)]
    assert all(in_food_hospitality(fixtures_graph, o) for o in top), labels_of(fixtures_graph, top)


def test_a_nurse_stays_in_health(fixtures_graph: nx.MultiDiGraph) -> None:
    nurse = by_label(fixtures_graph, "nurse responsible for general care")
    top = [r.occupation for r in similar_occupations(fixtures_graph, nurse, 5)]
    assert all(in_health(fixtures_graph, o) for o in top), labels_of(fixtures_graph, top)


def test_rome_kitchen_staff_stays_in_hospitality_and_food_trades(
    fixtures_graph: nx.MultiDiGraph,
) -> None:
    top = [r.occupation for r in similar_occupations(fixtures_graph, "rome:G1602", 5)]
    assert all(in_food_hospitality(fixtures_graph, o) for o in top), labels_of(fixtures_graph, top)


def test_rome_health_fiches_stay_in_health(fixtures_graph: nx.MultiDiGraph) -> None:
    """Nearly all of the three nearest fiches of a health fiche are in health (an ambulance
    driver is legitimately close to other drivers, an optician to other retail jobs)."""
    health = [o for o in occupations(fixtures_graph) if o.startswith("rome:J")]
    assert len(health) >= 5
    inside = total = 0
    for o in health:
        top = [r.occupation for r in similar_occupations(fixtures_graph, o, 3)]
        inside += sum(in_health(fixtures_graph, t) for t in top)
        total += len(top)
    assert inside / total >= 0.8, inside / total
