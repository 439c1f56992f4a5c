"""Transition suggestions: ranges, consistency of explanations, constraints, known cases."""

from __future__ import annotations

import math
import re

import networkx as nx
import pytest
from orientation_helpers import (
    above,
    by_label,
    essential,
    in_food_hospitality,
    in_health,
    occupations,
    out,
    required,
)

from cartonet.errors import InvalidArgument
from cartonet.orientation.index import index_of
from cartonet.orientation.profile import Constraints, Profile
from cartonet.orientation.transitions import PART_NAMES, TransitionWeights, suggest_transitions


def _check(G: nx.MultiDiGraph, profile: Profile, k: int = 10, lang: str = "fr") -> list:
    found = suggest_transitions(G, profile, k, lang=lang)
    held = set(profile.skills)
    for o in profile.current_occupations:
        held |= set(required(G, o))
    for o in profile.past_occupations:
        held |= set(required(G, o))
    for s in found:
        assert 0.0 <= s.score <= 1.0
        assert all(0.0 <= s.parts[p] <= 1.0 for p in PART_NAMES)
        need = set(required(G, s.occupation))
        assert set(s.shared_skills) == need & held
        assert set(s.missing_skills) == need - held
        ess = essential(G, s.occupation)
        flags = [m in ess for m in s.missing_skills]
        assert flags == sorted(flags, reverse=True), "essential missing skills come first"
        assert set(s.missing_essential) == (need - held) & ess
        assert s.occupation not in profile.current_occupations
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True)
    return found


FR = re.compile(
    r"vous avez déjà (\d+) des (\d+) compétences demandées(?:, il en manque (\d+) dont (\d+))?"
)
EN = re.compile(
    r"you already have (\d+) of the (\d+) skills it requires(?:; (\d+) missing, (\d+) of)?"
)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_explanations_agree_with_the_lists(fixtures_graph: nx.MultiDiGraph, lang: str) -> None:
    cook = by_label(fixtures_graph, "cook")
    profiles = [
        Profile(current_occupations=(cook,)),
        Profile(current_occupations=("rome:G1602",), interests={"R": 1.0}),
        Profile(interests={"S": 1.0, "A": 0.5}),
    ]
    for p in profiles:
        for s in _check(fixtures_graph, p, 8, lang):
            m = (FR if lang == "fr" else EN).search(s.explanation)
            assert m, s.explanation
            shared, total = int(m.group(1)), int(m.group(2))
            assert shared == len(s.shared_skills)
            assert total == len(s.shared_skills) + len(s.missing_skills)
            if s.missing_skills:
                assert int(m.group(3)) == len(s.missing_skills)
                assert int(m.group(4)) == len(s.missing_essential)
            for i in s.matched_interests:
                assert fixtures_graph.nodes[i]["node"].label(lang) in s.explanation
            if s.gap.plan:
                assert f"{s.gap.catalogue_hours:g} h" in s.explanation
            assert bool(s.curated_mobility) == (
                ("Mobilité" in s.explanation) if lang == "fr" else ("curated" in s.explanation)
            )


def test_a_cooks_suggestions_stay_in_food_and_hospitality(fixtures_graph: nx.MultiDiGraph) -> None:
    cook = by_label(fixtures_graph, "cook")
    found = _check(fixtures_graph, Profile(current_occupations=(cook,)), 5)
    assert all(in_food_hospitality(fixtures_graph, s.occupation) for s in found)
    found = _check(fixtures_graph, Profile(current_occupations=("rome:G1602",)), 5)
    assert all(in_food_hospitality(fixtures_graph, s.occupation) for s in found)


def test_a_nurses_suggestions_stay_in_health(fixtures_graph: nx.MultiDiGraph) -> None:
    nurse = by_label(fixtures_graph, "nurse responsible for general care")
    found = _check(fixtures_graph, Profile(current_occupations=(nurse,)), 5)
    assert all(in_health(fixtures_graph, s.occupation) for s in found)


def test_interests_only_profile_gets_matching_suggestions(fixtures_graph: nx.MultiDiGraph) -> None:
    """A young person with no job: Social first, Artistic second."""
    found = _check(fixtures_graph, Profile(interests={"S": 1.0, "A": 0.4}), 10)
    assert len(found) == 10
    ix = index_of(fixtures_graph)
    social = ix.interest_pos["riasec:S"]
    for s in found:
        # no skill, no occupation: affinity, effort and (regulated professions being in
        # the graph) feasibility rank the suggestions
        assert s.active_parts == ("affinity_fit", "gap_cost", "feasibility")
        assert "riasec:S" in s.matched_interests
        # the occupation's strongest interest is the profile's strongest one
        row = ix.interest_raw[ix.occ_pos[s.occupation]]
        assert row.argmax() == social


def test_a_named_job_still_hears_the_interest(fixtures_graph: nx.MultiDiGraph) -> None:
    """A cook who likes social work sees a job whose main RIASEC code is S come into the
    top 10, above where the cook without interests has it. With the interest weight of
    session 4 (0.25, beside the similarity part's 2) the top 14 was the same with or
    without the interest and no S job was in the top 30 (docs/algorithms.md)."""
    G = fixtures_graph
    ix = index_of(G)
    social = ix.interest_pos["riasec:S"]
    cook = Profile(current_occupations=("rome:G1602",))
    plain = [s.occupation for s in _check(G, cook, 60)]
    liking = _check(
        G, Profile(current_occupations=cook.current_occupations, interests={"S": 1}), 60
    )
    main_s = [
        s.occupation
        for s in liking[:10]
        if ix.interest_raw[ix.occ_pos[s.occupation]].argmax() == social
    ]
    assert main_s, [s.occupation for s in liking[:10]]
    for occ in main_s:
        assert occ not in plain[:10]
        before = plain.index(occ) if occ in plain else len(plain)
        assert [s.occupation for s in liking].index(occ) < before
    # it is the interest that lifts it, and the skill-fit gate still holds it back: its
    # affinity is the S cosine scaled by skill fit / 0.2
    lifted = next(s for s in liking if s.occupation == main_s[0])
    assert "riasec:S" in lifted.matched_interests
    assert 0 < lifted.parts["affinity_fit"] < 1
    assert lifted.parts["skill_fit"] < TransitionWeights().affinity_gate
    # a regulated job the cook has no curated move to is not what the interest brings in
    assert all(not s.regulated for s in liking[:10] if s.curated_mobility is None)


def test_liked_groups_and_skills_raise_affinity(fixtures_graph: nx.MultiDiGraph) -> None:
    group = "rome-group:G16"
    found = _check(fixtures_graph, Profile(liked_groups=(group,)), 5)
    assert all(group in above(fixtures_graph, s.occupation) for s in found)


def test_constraints_are_respected(fixtures_graph: nx.MultiDiGraph) -> None:
    base = Profile(current_occupations=("rome:G1602",))
    avoid = "rome-group:G16"
    found = _check(
        fixtures_graph,
        Profile(
            current_occupations=base.current_occupations,
            constraints=Constraints(avoid_groups=(avoid,)),
        ),
        20,
    )
    assert found and all(avoid not in above(fixtures_graph, s.occupation) for s in found)
    unconstrained = suggest_transitions(fixtures_graph, base, 30)
    limit = sorted(s.gap.total_hours for s in unconstrained)[len(unconstrained) // 2]
    limited = _check(
        fixtures_graph,
        Profile(
            current_occupations=base.current_occupations,
            constraints=Constraints(max_training_hours=limit),
        ),
        10,
    )
    assert limited and all(s.gap.total_hours <= limit for s in limited)
    disliked = unconstrained[0].occupation
    found = _check(
        fixtures_graph,
        Profile(current_occupations=base.current_occupations, disliked_occupations=(disliked,)),
        10,
    )
    assert disliked not in {s.occupation for s in found}


def test_curated_mobility_is_a_bonus_and_named(fixtures_graph: nx.MultiDiGraph) -> None:
    origin = "rome:G1602"
    curated = out(fixtures_graph, origin, "MOBILITY")
    assert curated
    with_bonus = suggest_transitions(fixtures_graph, Profile(current_occupations=(origin,)), 50)
    for s in with_bonus:
        assert (s.curated_mobility is not None) == (s.occupation in curated)
        if s.curated_mobility:
            assert s.curated_mobility == curated[s.occupation]["kind"]
            assert s.mobility_from == origin
            assert s.parts["mobility"] == 1.0
    assert "mobility" in with_bonus[0].active_parts
    no_bonus = suggest_transitions(
        fixtures_graph, Profile(current_occupations=(origin,)), 50, TransitionWeights(mobility=0.0)
    )
    rank = {s.occupation: i for i, s in enumerate(no_bonus)}
    moved_up = [
        s.occupation
        for i, s in enumerate(with_bonus)
        if s.curated_mobility and rank.get(s.occupation, 99) > i
    ]
    assert moved_up, "the bonus lifts at least one curated move"


def test_deterministic(fixtures_graph: nx.MultiDiGraph) -> None:
    p = Profile(
        current_occupations=("rome:G1602",), interests={"R": 1.0}, liked_groups=("rome-group:G",)
    )
    assert suggest_transitions(fixtures_graph, p, 10) == suggest_transitions(fixtures_graph, p, 10)


def test_stays_in_the_profiles_taxonomy(fixtures_graph: nx.MultiDiGraph) -> None:
    cook = by_label(fixtures_graph, "cook")
    found = suggest_transitions(fixtures_graph, Profile(current_occupations=(cook,)), 30)
    assert all(not s.occupation.startswith("rome:") for s in found)


def test_profile_errors_name_the_field(fixtures_graph: nx.MultiDiGraph) -> None:
    cases = [
        (Profile(current_occupations=("nope",)), "profile.current_occupations"),
        (Profile(skills={"rome:G1602": 1.0}), "profile.skills"),
        (Profile(skills={occupations(fixtures_graph)[0]: 1.0}), "profile.skills"),
        (Profile(interests={"Z": 1.0}), "profile.interests"),
        (Profile(liked_groups=("nope",)), "profile.liked_groups"),
        (Profile(constraints=Constraints(max_training_hours=-1)), "constraints.max_training_hours"),
        (Profile(constraints=Constraints(max_training_hours=math.nan)),
         "constraints.max_training_hours"),
        # not finite: would empty the interest vector and silently suggest nothing
        (Profile(interests={"S": math.inf}), "profile.interests.S"),
        (Profile(interests={"S": math.nan}), "profile.interests.S"),
        # nothing to start from: empty, or only dislikes, constraints, a place, zero interest
        (Profile(), "profile"),
        (Profile(disliked_occupations=("rome:G1602",), area="x"), "profile"),
        (Profile(interests={"S": 0.0}, constraints=Constraints(max_training_hours=5)), "profile"),
        (Profile(interests={"S": 1e308, "riasec:S": 1e308}), "profile.interests.riasec:S"),
    ]  # fmt: skip
    for profile, argument in cases:
        with pytest.raises(InvalidArgument) as err:
            suggest_transitions(fixtures_graph, profile, 5)
        assert err.value.argument == argument
    skill = next(iter(required(fixtures_graph, "rome:G1602")))
    with pytest.raises(InvalidArgument) as err:
        suggest_transitions(fixtures_graph, Profile(skills={skill: 1.5}), 5)
    assert err.value.argument.startswith("profile.skills")
    with pytest.raises(InvalidArgument):
        suggest_transitions(fixtures_graph, Profile(), 5, lang="de")
    with pytest.raises(InvalidArgument):
        TransitionWeights(
            skill_fit=0,
            affinity_fit=0,
            gap_cost=0,
            mobility=0,
            local_mobility=0,
            feasibility=0,
            similarity=0,
            observed_mobility=0,
        )


def test_profile_from_dict_accepts_json_shapes() -> None:
    p = Profile.from_dict(
        {
            "currentOccupations": ["a"],
            "skills": [{"id": "s", "level": 0.5}, "t"],
            "interests": {"S": 2},
            "constraints": {"maxTrainingHours": 100, "avoidGroups": ["g"]},
        }
    )
    assert p.current_occupations == ("a",)
    assert p.skills == {"s": 0.5, "t": 1.0}
    assert p.interests == {"S": 2.0}
    assert p.constraints == Constraints(100.0, ("g",))
    with pytest.raises(InvalidArgument):
        Profile.from_dict({"skills": [{"level": 1}]})
    with pytest.raises(InvalidArgument):
        Profile.from_dict({"constraints": {"maxTrainingHours": "lots"}})
