"""Career paths over the transition graph."""

from __future__ import annotations

import networkx as nx
import pytest
from orientation_helpers import coverage, occupations

from cartonet.errors import InvalidArgument
from cartonet.orientation.paths import (
    BLIND_STEP,
    FEASIBILITY_STEP_COST,
    MIN_COVERAGE,
    STEP_COST,
    career_paths,
    transition_graph,
)
from cartonet.orientation.similarity import SimilarityWeights


def test_paths_are_loopless_chained_and_sorted(fixtures_graph: nx.MultiDiGraph) -> None:
    rome = [o for o in occupations(fixtures_graph) if o.startswith("rome:")]
    pairs = [(rome[0], rome[-1]), ("rome:G1602", "rome:J1301"), (rome[10], rome[50])]
    for source, target in pairs:
        paths = career_paths(fixtures_graph, source, target, k=4)
        assert 1 <= len(paths) <= 4
        costs = [p.total_cost for p in paths]
        assert costs == sorted(costs)
        assert len({tuple(p.occupations) for p in paths}) == len(paths)
        for p in paths:
            assert p.occupations[0] == source and p.occupations[-1] == target
            assert len(set(p.occupations)) == len(p.occupations)
            assert [s.source for s in p.steps] == p.occupations[:-1]
            assert [s.target for s in p.steps] == p.occupations[1:]
            for s in p.steps:
                blind = BLIND_STEP if s.coverage < MIN_COVERAGE else 0.0
                feas = FEASIBILITY_STEP_COST * s.feasibility
                assert s.cost == pytest.approx(STEP_COST + (1 - s.coverage) ** 2 + blind + feas)
                assert 0 <= s.coverage <= 1 and 0 <= s.feasibility <= 1
            assert p.total_cost == pytest.approx(sum(s.cost for s in p.steps))


def test_the_direct_move_is_always_considered(fixtures_graph: nx.MultiDiGraph) -> None:
    paths = career_paths(fixtures_graph, "rome:G1602", "rome:J1301", k=20)
    assert any(len(p.steps) == 1 for p in paths)


def test_intermediate_steps_are_plausible_moves(fixtures_graph: nx.MultiDiGraph) -> None:
    H = transition_graph(fixtures_graph)
    paths = career_paths(fixtures_graph, "rome:G1602", "rome:J1301", k=5)
    for p in paths:
        for s in p.steps[:-1] if len(p.steps) > 1 else []:
            assert H.has_edge(s.source, s.target)
        for s in p.steps:
            if s.curated:
                assert fixtures_graph.has_edge(s.source, s.target, key="MOBILITY")


def test_transition_graph_is_cached(fixtures_graph: nx.MultiDiGraph) -> None:
    assert transition_graph(fixtures_graph) is transition_graph(fixtures_graph)


def test_a_far_target_is_reached_in_steps() -> None:
    """A shares nothing with B but half of its skills with M, which shares half of B's:
    with the convex step cost, A → M → B (about 2 × (0.25 + 0.5²)) beats the leap
    A → B (0.25 + 1² = 1.25)."""
    from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
    from cartonet.orientation.projection import graph_from_dataset

    skills = {"A": "a1 a2 a3 a4", "M": "a1 a2 b1 b2", "B": "b1 b2 b3 b4", "X": "x1 x2"}
    nodes = [Node(o, NodeType.OCCUPATION, {"en": f"job {o}"}, "t") for o in skills]
    nodes += [
        Node(s, NodeType.SKILL, {"en": s}, "t")
        for s in {s for v in skills.values() for s in v.split()}
    ]
    rels = [
        Relationship(RelType.REQUIRES, o, s, {"relevance": "ESSENTIAL"})
        for o, v in skills.items()
        for s in v.split()
    ]
    G = graph_from_dataset(Dataset("t", nodes, rels))
    paths = career_paths(G, "A", "B", k=2)
    assert paths[0].occupations == ["A", "M", "B"]
    assert paths[1].occupations == ["A", "B"]
    assert paths[1].total_cost == pytest.approx(STEP_COST + 1.0 + BLIND_STEP)
    assert paths[0].total_cost < paths[1].total_cost


@pytest.mark.parametrize(
    ("source", "target"),
    [("rome:N4101", "rome:J1505"), ("rome:D1213", "rome:J1304"), ("rome:D1501", "rome:G1602")],
)
def test_a_leap_covering_nothing_never_ranks_before_real_moves(
    fixtures_graph: nx.MultiDiGraph, source: str, target: str
) -> None:
    """The source covers nothing of the target (checked with the plain formula), and routes
    whose every step covers something exist: they all rank before the leap. With the bare
    squared gap the leap cost 1.25 and came first, before routes of three 12-14 % moves."""
    eta = SimilarityWeights().sibling_credit
    assert coverage(fixtures_graph, source, target, eta) == 0.0
    paths = career_paths(fixtures_graph, source, target, k=20)
    blind = [any(s.coverage < MIN_COVERAGE for s in p.steps) for p in paths]
    # the leap, when among the 20 cheapest, is blind (it covers nothing)
    assert all(b for p, b in zip(paths, blind, strict=True) if len(p.steps) == 1)
    assert not blind[0] and len(paths[0].steps) > 1
    assert blind == sorted(blind), "every route with a blind step comes after the others"
    for p in paths:
        if not any(s.coverage < MIN_COVERAGE for s in p.steps):
            assert all(coverage(fixtures_graph, s.source, s.target, eta) > 0 for s in p.steps)
            break


def test_errors(demo: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidArgument) as err:
        career_paths(demo, "demo:cook", "demo:cook")
    assert err.value.argument == "to"
    with pytest.raises(InvalidArgument) as err:
        career_paths(demo, "demo:nope", "demo:cook")
    assert err.value.argument == "from"
    with pytest.raises(InvalidArgument):
        career_paths(demo, "demo:cook", "demo:nurse", k=0)
