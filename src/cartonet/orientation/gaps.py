"""Skill gap to a target occupation, and the trainings that close it.

Algorithm
---------
1. *Missing skills*: the target's required skills the seeker does not hold (level 0),
   essential ones first, then the rarest (highest IDF) first.
2. *Training plan*: a greedy weighted set cover (Chvátal 1979). The skills to cover are the
   missing essential ones (all missing ones with ``include_optional``); each step picks
   the training with the lowest cost per skill it newly covers (cost = ``durationHours``,
   or 35 h when unknown), ties broken by more skills covered, then by id. When a picked
   training requires on entry a skill the seeker lacks and no picked training teaches,
   that skill joins the skills to cover, so its prerequisite training is picked as well.
   Greedy set cover costs at most ``H(d) ≤ 1 + ln d`` times the optimum, where ``d`` is the
   most skills one training covers; the exact problem is NP-hard (Karp 1972).
3. *Order*: a training that teaches another one's missing prerequisite comes first
   (topological order, ties in pick order); a cycle of prerequisites, which real
   catalogues should not have, is broken in pick order.
4. *Uncovered*: missing (or prerequisite) skills no training of the graph teaches. Each
   is counted at ``UNTAUGHT_SKILL_HOURS`` (70 h, two weeks full time: the price of a skill
   learnt on the job or in a course outside the catalogue) in ``estimated_hours``, apart
   from the catalogue's ``catalogue_hours``; ``total_hours`` is their sum, so a target
   whose skills no training teaches never looks free.
5. *Required diploma*: a regulated target (``regulated`` property, see
   :mod:`cartonet.qualifications`) is reached through its diploma, not through skills
   alone: the gap says so (``regulated``, ``required_diploma``) unless the seeker's own
   occupation requires the same diploma.

References: V. Chvátal (1979), "A greedy heuristic for the set-covering problem",
*Mathematics of Operations Research* 4(3); A. B. Kahn (1962), "Topological sorting of large
networks", *CACM* 5(11).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from cartonet.errors import InvalidArgument
from cartonet.orientation.index import OrientationIndex, index_of, training_cost
from cartonet.orientation.profile import Profile, ResolvedProfile, resolve
from cartonet.orientation.similarity import occupation_row


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One training of a plan: ``covers`` the target's missing skills it teaches,
    ``prerequisites`` the skills it expects on entry that the seeker lacks (taught by an
    earlier step, or listed as uncovered)."""

    training: str
    hours: float
    covers: list[str]
    prerequisites: list[str]
    illustrative: bool


UNTAUGHT_SKILL_HOURS = 70.0
"""Estimated effort for a missing skill no training of the graph teaches (two weeks)."""


@dataclass(frozen=True, slots=True)
class SkillGap:
    """``total_hours`` = ``catalogue_hours`` (the plan's trainings) + ``estimated_hours``
    (``UNTAUGHT_SKILL_HOURS`` per uncovered skill). ``required_diploma`` names the
    diploma a regulated target requires (``regulated`` is true even when the source
    names none), unless the seeker's occupation requires it already."""

    target: str
    shared_skills: list[str]
    missing_skills: list[str]  # essential first, then rarest
    missing_essential: list[str]
    plan: list[PlanStep]
    total_hours: float
    uncovered: list[str]  # skills to cover that no training teaches
    catalogue_hours: float = 0.0
    estimated_hours: float = 0.0
    regulated: bool = False
    required_diploma: str | None = None

    @property
    def has_gap(self) -> bool:
        return bool(self.missing_skills)


def _ordered_missing(
    ix: OrientationIndex, held: np.ndarray, row: int
) -> tuple[list[int], list[int], set[int]]:
    start, end = ix.relevance.indptr[row], ix.relevance.indptr[row + 1]
    cols = ix.relevance.indices[start:end]
    ess = ix.relevance_essential[start:end]
    is_held = held[cols] > 0
    shared = cols[is_held]  # skill columns are stored sorted, in id order
    missing, optional = cols[~is_held], ~ess[~is_held]
    missing = missing[np.lexsort((missing, -ix.idf[missing], optional))]
    return shared.tolist(), missing.tolist(), set(cols[ess].tolist())


def training_plan(
    ix: OrientationIndex, held: np.ndarray, to_cover: list[int]
) -> tuple[list[int], dict[int, list[int]], dict[int, list[int]], list[int]]:
    """Greedy cover of skill columns ``to_cover`` (see the module docstring).

    Returns ``(ordered trainings, covers per training, prerequisites per training,
    uncovered skill columns)``, with matrix positions.
    """
    if not to_cover or ix.teaches.nnz == 0:
        return [], {}, {}, list(dict.fromkeys(to_cover))
    cost = training_cost(ix.training_hours)
    need = list(dict.fromkeys(to_cover))
    need_set = set(need)
    taught: set[int] = set()
    chosen: list[int] = []
    covers: dict[int, list[int]] = {}
    prereqs: dict[int, list[int]] = {}
    tb = ix.taught_by
    teaches = ix.teaches
    while True:
        open_skills = [j for j in need if j not in taught]
        if not open_skills:
            break
        gain: dict[int, int] = {}
        for j in open_skills:
            for t in tb.indices[tb.indptr[j] : tb.indptr[j + 1]]:
                gain[int(t)] = gain.get(int(t), 0) + 1
        for t in chosen:
            gain.pop(t, None)
        if not gain:
            break
        best = min(gain, key=lambda t: (cost[t] / gain[t], -gain[t], ix.trainings[t]))
        chosen.append(best)
        t_skills = teaches.indices[teaches.indptr[best] : teaches.indptr[best + 1]].tolist()
        covers[best] = [j for j in open_skills if j in set(t_skills)]
        taught.update(t_skills)
        req = ix.training_requires
        lacking = [
            int(j) for j in req.indices[req.indptr[best] : req.indptr[best + 1]] if held[j] <= 0
        ]
        prereqs[best] = sorted(lacking, key=lambda j: ix.skills[j])
        for j in lacking:
            if j not in need_set:
                need_set.add(j)
                need.append(j)
    uncovered = [j for j in need if j not in taught]
    return _prerequisites_first(ix, chosen, prereqs), covers, prereqs, uncovered


def _prerequisites_first(
    ix: OrientationIndex, chosen: list[int], prereqs: dict[int, list[int]]
) -> list[int]:
    if len(chosen) < 2:
        return chosen
    D = nx.DiGraph()
    D.add_nodes_from(chosen)
    teaches = ix.teaches
    for a in chosen:
        taught = set(teaches.indices[teaches.indptr[a] : teaches.indptr[a + 1]].tolist())
        for b in chosen:
            if a != b and taught.intersection(prereqs.get(b, ())):
                D.add_edge(a, b)
    rank = {t: i for i, t in enumerate(chosen)}
    try:
        return list(nx.lexicographical_topological_sort(D, key=lambda t: rank[t]))
    except nx.NetworkXUnfeasible:
        # a prerequisite cycle: order the strongly connected parts, each in pick order
        C = nx.condensation(D)
        members = C.graph["mapping"]
        parts: dict[int, list[int]] = {}
        for t, c in members.items():
            parts.setdefault(c, []).append(t)
        first = {c: min(rank[t] for t in ts) for c, ts in parts.items()}
        order = nx.lexicographical_topological_sort(C, key=lambda c: first[c])
        return [t for c in order for t in sorted(parts[c], key=rank.__getitem__)]


def gap_for(
    G: nx.MultiDiGraph, resolved: ResolvedProfile, row: int, include_optional: bool = False
) -> SkillGap:
    """The gap of an already resolved profile to the occupation at ``row``."""
    ix = index_of(G)
    shared, missing, ess = _ordered_missing(ix, resolved.held, row)
    to_cover = missing if include_optional else [j for j in missing if j in ess]
    order, covers, prereqs, uncovered = training_plan(ix, resolved.held, to_cover)
    cost = training_cost(ix.training_hours) if order else np.zeros(0)
    steps = []
    for t in order:
        node = G.nodes[ix.trainings[t]]["node"]
        steps.append(
            PlanStep(
                training=ix.trainings[t],
                hours=float(cost[t]),
                covers=[ix.skills[j] for j in covers[t]],
                prerequisites=[ix.skills[j] for j in prereqs[t]],
                illustrative=bool(node.props.get("illustrative", False)),
            )
        )
    catalogue = float(sum(s.hours for s in steps))
    estimated = UNTAUGHT_SKILL_HOURS * len(uncovered)
    held_diplomas = {int(ix.diploma_key[r]) for r in resolved.origins if ix.regulated[r]}
    regulated = bool(ix.regulated[row]) and int(ix.diploma_key[row]) not in held_diplomas
    diploma = G.nodes[ix.occupations[row]]["node"].props.get("requiredDiploma")
    return SkillGap(
        target=ix.occupations[row],
        shared_skills=[ix.skills[j] for j in shared],
        missing_skills=[ix.skills[j] for j in missing],
        missing_essential=[ix.skills[j] for j in missing if j in ess],
        plan=steps,
        total_hours=catalogue + estimated,
        uncovered=[ix.skills[j] for j in uncovered],
        catalogue_hours=catalogue,
        estimated_hours=estimated,
        regulated=regulated,
        required_diploma=str(diploma) if regulated and diploma else None,
    )


def skill_gap(
    G: nx.MultiDiGraph, profile: Profile, target: str, include_optional: bool = False
) -> SkillGap:
    """Missing skills of ``profile`` for occupation ``target`` and a training plan.

    Parameters
    ----------
    G:
        The orientation graph.
    profile:
        The seeker (:class:`~cartonet.orientation.profile.Profile`); held skills come from
        its explicit skills and its current and past occupations.
    target:
        Occupation id.
    include_optional:
        Also cover the target's missing optional skills (default: essential only; the
        optional ones are listed in ``missing_skills`` either way).

    Returns
    -------
    :class:`SkillGap`: shared and missing skills, the ordered plan (prerequisites first),
    its hours (catalogue, estimated for the skills no training covers, total), the
    skills no training covers, and the diploma a regulated target requires. A profile
    holding every skill of the target has no missing skill and an empty plan.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> gap = skill_gap(demo_graph(), Profile(current_occupations=("demo:care-assistant",)),
    ...                 "demo:nurse")
    >>> gap.missing_essential, [s.training for s in gap.plan]
    (['demo:administer-drugs', 'demo:anatomy'], ['demo:t-care', 'demo:t-pharma'])
    """
    ix = index_of(G)
    if not isinstance(target, str):
        raise InvalidArgument("target", "must be an occupation id")
    row = occupation_row(ix, G, target, "target")
    return gap_for(G, resolve(G, profile), row, include_optional)
