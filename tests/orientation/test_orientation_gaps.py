"""Skill gaps and training plans."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from orientation_helpers import essential, out, required

from cartonet.errors import InvalidArgument
from cartonet.model import NodeType
from cartonet.orientation.gaps import UNTAUGHT_SKILL_HOURS, skill_gap
from cartonet.orientation.index import DEFAULT_TRAINING_HOURS
from cartonet.orientation.profile import Profile


def trainings(G: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, t in G.nodes(data="type") if t == NodeType.TRAINING)


def hours(G: nx.MultiDiGraph, t: str) -> float:
    h = G.nodes[t]["node"].props.get("durationHours") or 0
    return float(h) if float(h) > 0 else DEFAULT_TRAINING_HOURS


def taught(G: nx.MultiDiGraph, t: str) -> set[str]:
    return set(out(G, t, "TEACHES"))


def targets_with_trainings(G: nx.MultiDiGraph) -> list[str]:
    return sorted({o for t in trainings(G) for o in out(G, t, "PREPARES_FOR")})


def test_holding_every_skill_means_no_gap(fixtures_graph: nx.MultiDiGraph) -> None:
    for target in targets_with_trainings(fixtures_graph)[:10]:
        gap = skill_gap(
            fixtures_graph,
            Profile(skills=dict.fromkeys(required(fixtures_graph, target), 1.0)),
            target,
        )
        assert not gap.has_gap
        assert gap.missing_skills == gap.missing_essential == gap.uncovered == []
        assert gap.plan == [] and gap.total_hours == 0
        # holding the occupation itself is the same
        same = skill_gap(fixtures_graph, Profile(current_occupations=(target,)), target)
        assert not same.has_gap and same.plan == []


def test_plan_covers_what_can_be_covered_prerequisites_first(
    fixtures_graph: nx.MultiDiGraph,
) -> None:
    all_taught = set().union(*(taught(fixtures_graph, t) for t in trainings(fixtures_graph)))
    checked = 0
    for target in targets_with_trainings(fixtures_graph):
        gap = skill_gap(fixtures_graph, Profile(liked_occupations=(target,)), target)
        ess = essential(fixtures_graph, target)
        assert set(gap.missing_essential) == ess
        covered = set().union(*(set(s.covers) for s in gap.plan)) if gap.plan else set()
        for s in gap.missing_essential:
            assert (s in covered) != (s in gap.uncovered)
        for s in gap.uncovered:
            assert s not in all_taught
        assert gap.catalogue_hours == pytest.approx(
            sum(hours(fixtures_graph, s.training) for s in gap.plan)
        )
        # skills no training teaches are not free: each counts at the documented estimate
        assert gap.estimated_hours == UNTAUGHT_SKILL_HOURS * len(gap.uncovered)
        assert gap.total_hours == pytest.approx(gap.catalogue_hours + gap.estimated_hours)
        seen: set[str] = set()
        for step in gap.plan:
            assert set(step.covers) <= taught(fixtures_graph, step.training)
            assert set(step.prerequisites) == set(out(fixtures_graph, step.training, "REQUIRES"))
            for p in step.prerequisites:
                assert p in seen or p in gap.uncovered, (
                    "a prerequisite comes before the training needing it"
                )
            seen |= taught(fixtures_graph, step.training)
            assert step.illustrative is True
        checked += bool(gap.plan)
    assert checked >= 5


def test_greedy_cost_is_within_the_set_cover_bound(fixtures_graph: nx.MultiDiGraph) -> None:
    """Greedy weighted set cover costs at most H(d) times the optimum (Chvátal 1979):
    checked against a brute-force optimum on targets with few useful trainings."""
    tried = 0
    for target in targets_with_trainings(fixtures_graph):
        gap = skill_gap(fixtures_graph, Profile(liked_occupations=(target,)), target)
        needed = set(gap.missing_essential) - set(gap.uncovered)
        if any(s.prerequisites for s in gap.plan) or not needed:
            continue  # prerequisites change the problem; the bound is for the plain cover
        useful = [t for t in trainings(fixtures_graph) if taught(fixtures_graph, t) & needed]
        if len(useful) > 12:
            continue
        best = math.inf
        for r in range(1, len(useful) + 1):
            for combo in itertools.combinations(useful, r):
                if needed <= set().union(*(taught(fixtures_graph, t) for t in combo)):
                    best = min(best, sum(hours(fixtures_graph, t) for t in combo))
        d = max(len(taught(fixtures_graph, t) & needed) for t in useful)
        bound = sum(1 / i for i in range(1, d + 1))
        assert gap.catalogue_hours <= bound * best + 1e-9
        tried += 1
    assert tried >= 3


def test_demo_plan_orders_the_prerequisite_first(demo: nx.MultiDiGraph) -> None:
    """In the illustrative graph, drug administration requires anatomy, which only the
    care assistant diploma teaches: the diploma comes first."""
    gap = skill_gap(demo, Profile(current_occupations=("demo:kitchen-porter",)), "demo:nurse")
    names = [s.training for s in gap.plan]
    assert set(names) == {"demo:t-care", "demo:t-pharma"}
    assert names.index("demo:t-care") < names.index("demo:t-pharma")
    pharma = next(s for s in gap.plan if s.training == "demo:t-pharma")
    assert pharma.prerequisites == ["demo:anatomy"]


def test_include_optional_covers_more(demo: nx.MultiDiGraph) -> None:
    base = skill_gap(demo, Profile(current_occupations=("demo:cook",)), "demo:pastry-cook")
    assert base.missing_skills == [] and base.plan == []  # the cook already bakes
    wider = skill_gap(
        demo, Profile(skills={"demo:food-hygiene": 1.0}), "demo:pastry-cook", include_optional=True
    )
    narrow = skill_gap(demo, Profile(skills={"demo:food-hygiene": 1.0}), "demo:pastry-cook")
    assert set(narrow.missing_essential) <= set(wider.missing_skills)
    assert wider.total_hours >= narrow.total_hours


def test_errors(demo: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidArgument) as err:
        skill_gap(demo, Profile(), "demo:nope")
    assert err.value.argument == "target"
    with pytest.raises(InvalidArgument) as err:
        skill_gap(demo, Profile(), "demo:t-care")
    assert err.value.argument == "target"


def test_lacking_skills_are_missing_even_from_the_current_occupation(
    fixtures_graph: nx.MultiDiGraph,
) -> None:
    target = targets_with_trainings(fixtures_graph)[0]
    ess = sorted(essential(fixtures_graph, target))
    unticked = ess[:2]
    gap = skill_gap(
        fixtures_graph,
        Profile(current_occupations=(target,), lacking_skills=tuple(unticked)),
        target,
    )
    assert sorted(gap.missing_essential) == unticked
    assert not set(unticked) & set(gap.shared_skills)
    # an explicit skill is overridden too: "lacking" is what the counsellor said last
    gap = skill_gap(
        fixtures_graph,
        Profile(skills={unticked[0]: 1.0}, lacking_skills=(unticked[0],)),
        target,
    )
    assert unticked[0] in gap.missing_essential
    with pytest.raises(InvalidArgument, match="lacking_skills"):
        skill_gap(fixtures_graph, Profile(lacking_skills=("no-such-skill",)), target)


def test_an_empty_profile_is_refused(demo: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidArgument) as err:
        skill_gap(demo, Profile(disliked_skills=("demo:food-hygiene",)), "demo:cook")
    assert err.value.argument == "profile" and "current or past occupation" in err.value.reason
