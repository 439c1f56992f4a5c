"""Feasibility: entry levels and regulated professions in suggestions, similarity, paths
and plans, on the real ROME v3.33 (the motivating case) and the bundled fixtures."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import numpy as np
import pytest

from cartonet.errors import InvalidArgument
from cartonet.orientation.feasibility import (
    LONG_TRAINING_FACTOR,
    MAX_STEP,
    feasibility_cost,
    pair_cost,
)
from cartonet.orientation.gaps import UNTAUGHT_SKILL_HOURS, skill_gap
from cartonet.orientation.index import index_of
from cartonet.orientation.paths import FEASIBILITY_STEP_COST, career_paths, step_cost
from cartonet.orientation.profile import Constraints, Profile
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.transitions import TransitionWeights, suggest_transitions

COOK, PUERICULTURE, NURSE, PREVENTION_NURSE = (
    "rome:G1602",
    "rome:J1507",
    "rome:J1506",
    "rome:J1505",
)
COOK_LIKES_SOCIAL = Profile(current_occupations=(COOK,), interests={"S": 1.0})
# the suggestion weights before issue 14 (no feasibility part, no affinity gate, and no
# similarity part yet: it came with issue 13)
OLD = TransitionWeights(feasibility=0.0, affinity_gate=0.0, similarity=0.0, mobility=0.1)


def test_the_cook_who_likes_social_work(rome_graph: nx.MultiDiGraph) -> None:
    """Issue 14: without the feasibility part and the affinity gate, the cook got the
    puériculture fiche (a Diplôme d'État) in the top 10; with the defaults, no regulated
    profession the cook's fiche does not lead to is suggested."""
    ix = index_of(rome_graph)
    before = [s.occupation for s in suggest_transitions(rome_graph, COOK_LIKES_SOCIAL, 10, OLD)]
    assert PUERICULTURE in before
    after = suggest_transitions(rome_graph, COOK_LIKES_SOCIAL, 10)
    curated = set(ix.mobility.get(ix.occ_pos[COOK], {}))
    for s in after:
        row = ix.occ_pos[s.occupation]
        assert not ix.regulated[row] or row in curated
        assert s.parts["feasibility"] == pytest.approx(
            feasibility_cost(ix, ix.entry_level[ix.occ_pos[COOK]], [ix.occ_pos[COOK]])[row]
        )


def test_a_regulated_plan_names_its_diploma_in_both_languages(
    rome_graph: nx.MultiDiGraph,
) -> None:
    gap = skill_gap(rome_graph, Profile(current_occupations=(COOK,)), PUERICULTURE)
    assert gap.regulated and gap.required_diploma == "Diplôme d'État de puéricultrice"
    # ROME has no training catalogue: every missing essential skill is estimated, not free
    assert gap.catalogue_hours == 0 and gap.plan == []
    assert gap.estimated_hours == UNTAUGHT_SKILL_HOURS * len(gap.uncovered) > 0
    assert gap.total_hours == gap.estimated_hours
    for lang, phrase in (
        ("fr", "Exige le Diplôme d'État de puéricultrice"),
        ("en", "Requires the Diplôme d'État de puéricultrice"),
    ):
        weights = replace(OLD, feasibility=0.0)
        found = suggest_transitions(rome_graph, COOK_LIKES_SOCIAL, 10, weights, lang)
        s = next(s for s in found if s.occupation == PUERICULTURE)
        assert phrase in s.explanation
        assert f"{s.gap.estimated_hours:g} h" in s.explanation


def test_the_same_diploma_is_held(rome_graph: nx.MultiDiGraph) -> None:
    """A nurse (Diplôme d'État d'infirmier) moving to another fiche requiring it pays no
    regulated cost; the puériculture specialisation is another diploma and does."""
    ix = index_of(rome_graph)
    nurse = ix.occ_pos[NURSE]
    cost = feasibility_cost(ix, float("nan"), [nurse])
    assert cost[ix.occ_pos[PREVENTION_NURSE]] == 0.0
    assert cost[ix.occ_pos[PUERICULTURE]] == 1.0
    gap = skill_gap(rome_graph, Profile(current_occupations=(NURSE,)), PREVENTION_NURSE)
    assert not gap.regulated and gap.required_diploma is None


def test_level_steps_cost_a_third_each_and_say_so(rome_graph: nx.MultiDiGraph) -> None:
    ix = index_of(rome_graph)
    cost = feasibility_cost(ix, 3.0)
    levels = ix.entry_level
    known = np.isfinite(levels) & ~ix.regulated
    for step in range(-2, 6):
        rows = np.flatnonzero(known & (levels == 3 + step))
        if len(rows):
            assert cost[rows] == pytest.approx(min(max(step, 0), MAX_STEP) / MAX_STEP)
    open_cost = feasibility_cost(ix, 3.0, open_to_long_training=True)
    assert open_cost == pytest.approx(cost * LONG_TRAINING_FACTOR)
    # a cook with a CAP (level 3) told about a Bac+2 job hears it, in both languages
    profile = Profile(current_occupations=(COOK,), education_level=3)
    for lang, words in (("fr", "niveaux au-dessus du vôtre"), ("en", "levels above yours")):
        found = suggest_transitions(rome_graph, profile, 30, lang=lang)
        up = [s for s in found if s.level_step is not None and s.level_step >= 2]
        assert up, "some suggestion lies two levels up"
        for s in up:
            assert s.entry_level == 3 + s.level_step
            assert f"{s.level_step} {words}" in s.explanation


def test_open_to_long_training_brings_regulated_jobs_back(rome_graph: nx.MultiDiGraph) -> None:
    ix = index_of(rome_graph)
    open_profile = replace(COOK_LIKES_SOCIAL, open_to_long_training=True)
    closed = suggest_transitions(rome_graph, COOK_LIKES_SOCIAL, 500)
    opened = suggest_transitions(rome_graph, open_profile, 500)

    def regulated(found: list) -> list[int]:
        return [i for i, s in enumerate(found) if ix.regulated[ix.occ_pos[s.occupation]]]

    # every regulated profession ranks higher (or the same) once long training is an option;
    # with the similarity part most of them stay far down for a cook
    assert len(regulated(opened)) == len(regulated(closed)) > 0
    pairs = list(zip(regulated(opened), regulated(closed), strict=True))
    assert all(o <= c for o, c in pairs) and any(o < c for o, c in pairs)
    assert len([i for i in regulated(opened) if i < 50]) >= len(
        [i for i in regulated(closed) if i < 50]
    )


def test_max_training_hours_counts_the_estimated_hours(rome_graph: nx.MultiDiGraph) -> None:
    limit = 800.0
    profile = replace(COOK_LIKES_SOCIAL, constraints=Constraints(max_training_hours=limit))
    found = suggest_transitions(rome_graph, profile, 10)
    assert found and all(s.gap.total_hours <= limit for s in found)
    unlimited = suggest_transitions(rome_graph, COOK_LIKES_SOCIAL, 10)
    assert any(s.gap.total_hours > limit for s in unlimited), "the limit has to bite"


def test_similarity_and_paths_use_the_pair_cost(rome_graph: nx.MultiDiGraph) -> None:
    ix = index_of(rome_graph)
    cook = ix.occ_pos[COOK]
    costs = pair_cost(ix, np.asarray([cook]))[0]
    # the vectorised cost equals the per-seeker cost with the cook's own level and fiche
    assert costs == pytest.approx(feasibility_cost(ix, ix.entry_level[cook], [cook]))
    for r in similar_occupations(rome_graph, COOK, 10):
        assert r.parts["feasibility"] == pytest.approx(1 - costs[ix.occ_pos[r.occupation]])
    for path in career_paths(rome_graph, COOK, PUERICULTURE, k=2):
        for step in path.steps:
            a, b = ix.occ_pos[step.source], ix.occ_pos[step.target]
            f = pair_cost(ix, np.asarray([a]))[0, b]
            assert step.feasibility == pytest.approx(f)
            assert step.cost == pytest.approx(step_cost(step.coverage, f))
            assert step_cost(step.coverage, f) == pytest.approx(
                step_cost(step.coverage) + FEASIBILITY_STEP_COST * f
            )
        assert path.steps[-1].feasibility == 1.0  # into the regulated fiche


def test_profile_levels_from_json_and_errors() -> None:
    assert Profile.from_dict({"educationLevel": "BTS"}).education_level == 5
    assert Profile.from_dict({"education_level": 7}).education_level == 7
    assert Profile.from_dict({"openToLongTraining": True}).open_to_long_training
    # left unsaid, long training is an option for someone choosing a first training only
    assert Profile(interests={"S": 1.0}).long_training_ok()
    assert not Profile(current_occupations=(COOK,)).long_training_ok()
    assert not Profile(interests={"S": 1.0}, open_to_long_training=False).long_training_ok()
    assert Profile.from_dict({}).open_to_long_training is None
    with pytest.raises(InvalidArgument) as err:
        Profile.from_dict({"educationLevel": "permis B"})
    assert err.value.argument == "profile.education_level"


def test_an_out_of_range_level_names_the_field(demo: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidArgument) as err:
        suggest_transitions(demo, Profile(education_level=11), 3)
    assert err.value.argument == "profile.education_level"
