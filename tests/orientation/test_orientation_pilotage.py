"""Pilotage: feeders are the similarity read the other way, and a population's options,
skill and training leverage and transferable skills match plain recomputations of the
documented rules on the bundled fixtures (real ESCO and ROME subsets)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from orientation_helpers import idf, occupations, out, parents, required

from cartonet.errors import InvalidArgument
from cartonet.orientation.feasibility import pair_cost
from cartonet.orientation.index import index_of
from cartonet.orientation.pilotage import (
    MAX_FEASIBLE_COST,
    MAX_GROUPS,
    check_population,
    feeder_occupations,
    new_options_matrix,
    population_options,
    skill_leverage,
    training_leverage,
    transferable_skills,
)
from cartonet.orientation.similarity import (
    SimilarityWeights,
    similar_occupations,
    similarity_into,
    similarity_matrix,
    similarity_scores,
)
from cartonet.orientation.skillmap import skill_map


def rome(G: nx.MultiDiGraph) -> list[str]:
    return [o for o in occupations(G) if o.startswith("rome:")]


def test_similarity_into_is_the_matrix_column(fixtures_graph: nx.MultiDiGraph) -> None:
    S = similarity_matrix(fixtures_graph)
    for col in range(S.shape[1]):
        got, _, _ = similarity_into(fixtures_graph, col)
        assert np.array_equal(np.isnan(got), np.isnan(S[:, col]))
        np.testing.assert_allclose(got[np.isfinite(got)], S[np.isfinite(S[:, col]), col], atol=1e-6)


def test_feeders_score_as_similar_occupations_from_each_feeder(
    fixtures_graph: nx.MultiDiGraph,
) -> None:
    G = fixtures_graph
    for target in ["rome:D1106", occupations(G)[3]]:
        feeders = feeder_occupations(G, target, k=8)
        assert len(feeders) == 8
        assert [f.score for f in feeders] == sorted((f.score for f in feeders), reverse=True)
        for f in feeders:
            seen = {s.occupation: s for s in similar_occupations(G, f.occupation, k=500)}
            assert seen[target].score == pytest.approx(f.score, abs=1e-9)
            assert seen[target].parts == pytest.approx(f.parts, abs=1e-9)
            assert set(f.shared_skills) == set(required(G, target)) & set(required(G, f.occupation))
            assert set(f.missing_skills) == set(required(G, target)) - set(
                required(G, f.occupation)
            )
            assert f.curated == (target in out(G, f.occupation, "MOBILITY"))
            assert f.training_hours >= 0
        # nothing outside the list beats the last one
        column = similarity_scores(G, occupations(G))[:, index_of(G).occ_pos[target]]
        assert np.nanmax(column) == pytest.approx(feeders[0].score)


def test_feeders_flag_observed_moves(demo: nx.MultiDiGraph) -> None:
    found = feeder_occupations(
        demo, "demo:pastry-cook", k=3, observed={"demo:cook": {"demo:pastry-cook": 0.5}}
    )
    assert [f.observed for f in found] == [f.occupation == "demo:cook" for f in found]


@pytest.mark.parametrize(
    ("groups", "argument", "words"),
    [
        ([], "population.groups", "at least one group"),
        ([("demo:cook", 0)], "population.groups[0].count", "from 1"),
        ([("demo:cook", 2), ("demo:waiter", 1.5)], "population.groups[1].count", "whole number"),
        ([("demo:cook", True)], "population.groups[0].count", "whole number"),
        (
            [("demo:cook", 1), ("demo:nobody", 2), ("demo:teamwork", 3)],
            "population.groups",
            "[1] 'demo:nobody' (unknown), [2] 'demo:teamwork' (not an occupation)",
        ),
        ([("demo:cook", 1)] * (MAX_GROUPS + 1), "population.groups", f"at most {MAX_GROUPS}"),
    ],
)
def test_bad_populations_are_named(
    demo: nx.MultiDiGraph, groups: list, argument: str, words: str
) -> None:
    with pytest.raises(InvalidArgument) as err:
        check_population(demo, groups)
    assert err.value.argument == argument
    assert words in err.value.reason


def _viable(G: nx.MultiDiGraph, tau: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every move's score, feasibility and viability, from the matrix and the rule."""
    ix = index_of(G)
    S = similarity_matrix(G).astype(np.float64)
    cost = pair_cost(ix, np.arange(len(ix.occupations)))
    feasible = np.isfinite(S) & (cost <= MAX_FEASIBLE_COST + 1e-12)
    viable = feasible & (np.nan_to_num(S, nan=-1) >= tau - 1e-9)
    for a, ends in ix.mobility.items():
        for b in ends:
            viable[a, b] |= bool(np.isfinite(S[a, b]))
    return S, feasible, viable


def test_population_options_count_people_by_the_viability_rule(
    fixtures_graph: nx.MultiDiGraph,
) -> None:
    G = fixtures_graph
    ix = index_of(G)
    groups = [(o, 1 + i % 5) for i, o in enumerate(rome(G)[::3])]
    _, _, viable = _viable(G, 0.3)
    expected = np.zeros(len(ix.occupations))
    for o, c in groups:
        expected += c * viable[ix.occ_pos[o]]
    found = population_options(G, groups, k=500)
    total = sum(c for _, c in groups)
    assert {o.occupation: o.people for o in found} == {
        ix.occupations[b]: int(expected[b]) for b in np.flatnonzero(expected)
    }
    assert [o.people for o in found] == sorted((o.people for o in found), reverse=True)
    for o in found[:5]:
        assert o.share == pytest.approx(o.people / total)
        assert sum(x.count for x in o.origins) == o.people


def test_observed_moves_of_the_area_are_options(fixtures_graph: nx.MultiDiGraph) -> None:
    G = fixtures_graph
    groups = [("rome:D1507", 3)]
    before = {o.occupation for o in population_options(G, groups, k=500)}
    far = next(o for o in rome(G) if o not in before and o != "rome:D1507")
    after = population_options(G, groups, k=500, observed={"rome:D1507": {far: 0.4}})
    assert {o.occupation for o in after} == before | {far}


class Recompute:
    """New viable moves for a person of an origin who learns a set of skills, recomputed
    from the documented rule with sets and loops (the graph read once)."""

    def __init__(self, G: nx.MultiDiGraph, tau: float) -> None:
        self.G, self.tau, self.w = G, tau, SimilarityWeights()
        self.ix = index_of(G)
        self.S, self.feasible, self.viable = _viable(G, tau)
        self.lam_skill = similarity_into(G, 0)[2][:, 0]  # λ_skill per origin
        self.rarity = idf(G)
        self.req = {o: required(G, o) for o in occupations(G)}
        self.par: dict[str, set[str]] = {}

    def parents(self, s: str) -> set[str]:
        if s not in self.par:
            self.par[s] = parents(self.G, s)
        return self.par[s]

    def cov(self, held: set[str], b: str) -> float:
        """cov(held → b) as docs/algorithms.md writes it."""
        touched = {p for s in held for p in self.parents(s)}
        total = got = 0.0
        for s, w in self.req[b].items():
            ps = self.parents(s)
            credit = (
                1.0
                if s in held
                else self.w.sibling_credit * sum(p in touched for p in ps) / len(ps)
            )
            total += w * self.rarity[s]
            got += w * self.rarity[s] * credit
        return got / total if total else 0.0

    def gained(self, origin: str, taught: set[str]) -> int:
        a = self.ix.occ_pos[origin]
        held = set(self.req[origin])
        n = 0
        for b in np.flatnonzero(self.feasible[a] & ~self.viable[a]):
            dest = self.ix.occupations[b]
            delta = self.cov(held | taught, dest) - self.cov(held, dest)
            n += self.S[a, b] + self.lam_skill[a] * self.w.direction * delta >= self.tau - 1e-9
        return n


def gaining_origins(G: nx.MultiDiGraph, kind: str, tau: float) -> list[str]:
    """Four ROME origins that gain moves (spread over the list) and one that may not."""
    everyone = check_population(G, [(o, 1) for o in rome(G)])
    gains = np.asarray(new_options_matrix(G, everyone, kind, viability=tau).sum(axis=1)).ravel()
    gaining = [o for o, g in zip(everyone.ids, gains, strict=True) if g > 0]
    assert len(gaining) >= 4, "the case must show gains"
    return [*gaining[:: max(1, len(gaining) // 4)][:4], rome(G)[1]]


def test_skill_leverage_matches_a_plain_recomputation(fixtures_graph: nx.MultiDiGraph) -> None:
    G = fixtures_graph
    ix = index_of(G)
    tau = 0.2
    origins = gaining_origins(G, "skills", tau)
    pop = check_population(G, [(o, 1) for o in origins])
    matrix = new_options_matrix(G, pop, "skills", viability=tau).toarray()
    plain = Recompute(G, tau)
    rng = np.random.default_rng(7)
    for r, origin in enumerate(origins):
        # every skill found, and as many others: required by the origin's destinations
        found = {ix.skills[j] for j in np.flatnonzero(matrix[r])}
        near = sorted({s for b in rome(G) for s in plain.req[b]} - found)
        others = set(rng.choice(near, size=min(len(near), max(len(found), 10)), replace=False))
        for s in sorted(found | others):
            assert matrix[r, ix.skill_pos[s]] == plain.gained(origin, {s}), (origin, s)


def test_skill_leverage_weighs_groups_by_head_count(fixtures_graph: nx.MultiDiGraph) -> None:
    G = fixtures_graph
    ix = index_of(G)
    origins = rome(G)[:40:8]
    groups = [(o, 1 + 3 * i) for i, o in enumerate(origins)]
    pop = check_population(G, groups)
    matrix = new_options_matrix(G, pop, "skills", viability=0.2).toarray()
    found = skill_leverage(G, groups, k=500, viability=0.2)
    counts = np.asarray([c for _, c in groups], dtype=float)
    for item in found:
        col = matrix[:, ix.skill_pos[item.item]]
        assert item.new_options == pytest.approx(col @ counts / counts.sum())
        assert item.people == int(counts[col > 0].sum())
    assert len(found) == int((matrix.sum(axis=0) > 0).sum())


def test_training_leverage_matches_a_plain_recomputation(fixtures_graph: nx.MultiDiGraph) -> None:
    G = fixtures_graph
    ix = index_of(G)
    tau = 0.2
    origins = gaining_origins(G, "trainings", tau)
    pop = check_population(G, [(o, 1) for o in origins])
    matrix = new_options_matrix(G, pop, "trainings", viability=tau).toarray()
    plain = Recompute(G, tau)
    for t in ix.trainings[::2]:
        taught = set(out(G, t, "TEACHES"))
        for r, origin in enumerate(origins):
            assert matrix[r, ix.training_pos[t]] == plain.gained(origin, taught), (origin, t)
    found = training_leverage(G, [(o, 1) for o in origins], k=500, viability=tau)
    rates = [t.options_per_hour for t in found]
    assert rates == sorted(rates, reverse=True)
    for t in found:
        hours = t.hours if t.hours is not None else 35.0
        assert t.options_per_hour == pytest.approx(t.new_options / hours)


def test_transferable_skills_count_map_clusters(fixtures_graph: nx.MultiDiGraph) -> None:
    G = fixtures_graph
    cluster = {p.id: p.community for p in skill_map(G, "occupations").points}
    by_skill: dict[str, set[int]] = {}
    for o in occupations(G):
        for s in required(G, o):
            if o in cluster:
                by_skill.setdefault(s, set()).add(cluster[o])
    found = transferable_skills(G, k=30)
    assert [s.clusters for s in found] == sorted((len(c) for c in by_skill.values()), reverse=True)[
        :30
    ]
    for s in found:
        assert s.clusters == len(by_skill[s.skill]) == s.other_clusters
    groups = [("rome:D1507", 4), ("rome:D1106", 1)]
    home = {cluster[o] for o, _ in groups}
    held = transferable_skills(G, groups, k=500)
    assert {s.skill for s in held} == set(required(G, "rome:D1507")) | set(
        required(G, "rome:D1106")
    )
    for s in held:
        assert s.other_clusters == len(by_skill[s.skill] - home)
        assert s.held_by == 4 * (s.skill in required(G, "rome:D1507")) + (
            s.skill in required(G, "rome:D1106")
        )
    others = [s.other_clusters for s in held]
    assert others == sorted(others, reverse=True)


def test_kept_moves_are_bounded_and_give_the_same_answers(
    demo: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cartonet.orientation.pilotage as pilotage

    ix = index_of(demo)
    first = population_options(demo, [("demo:cook", 3)])
    for o in ix.occupations:
        population_options(demo, [(o, 1)])
    kept = ix.cache[("pilotage_moves",)]
    assert len(kept) == pilotage.MOVES_KEPT
    assert population_options(demo, [("demo:cook", 3)]) == first  # computed again, same
    monkeypatch.setattr(pilotage, "MOVES_KEPT_BYTES", 1)
    population_options(demo, [("demo:waiter", 2), ("demo:cook", 1)])
    assert len(kept) == 1  # over the memory bound: only the newest stays


@pytest.mark.parametrize("viability", [-0.1, 1.5, float("nan")])
def test_a_viability_out_of_range_is_refused(demo: nx.MultiDiGraph, viability: float) -> None:
    with pytest.raises(InvalidArgument) as err:
        skill_leverage(demo, [("demo:cook", 1)], viability=viability)
    assert err.value.argument == "viability"
