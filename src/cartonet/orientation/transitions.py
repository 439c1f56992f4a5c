"""Transition suggestions: which occupations are within reach of a seeker, and why.

For every occupation B of the graph, eight parts in ``[0, 1]`` are computed at once with
sparse matrix products (no loop over occupations):

``skill_fit``
    The profile's held levels ``h`` (:mod:`cartonet.orientation.profile`) with sibling
    credit ``c_s = h_s + η (1 − h_s) [a held skill shares s's BROADER parent]``, then, as in
    :mod:`cartonet.orientation.similarity`::

        skill_fit(B) = α · Σ_s need_B(s) c_s / Σ_s need_B(s)          (B's needs covered)
                     + (1 − α) · Σ_{s ∈ req(B)} h_s idf_s / Σ_s h_s idf_s  (experience used)

``affinity_fit``
    Mean of the positive signals the profile gives — interest cosine (profile weights vs
    the occupation's MATCHES_INTEREST weights), 1 if B lies under a liked group, the
    highest description/skill-text cosine with a liked occupation, the share of liked
    skills B requires — minus the mean of the negative ones (disliked groups, skills,
    occupations), clipped to ``[0, 1]``. Only dislikes: a neutral 0.5 minus them. When
    ``skill_fit`` is active it *gates* the affinity:
    ``affinity_fit · min(1, skill_fit / affinity_gate)`` (gate 0.2), so an interest alone
    cannot carry a job the seeker has none of the skills for (on the ROME bench, without
    the gate 64 % of the top-10 suggestions had a skill fit ≤ 0.07; see
    ``bench/feasibility.py``).
``gap_cost``
    Estimated training effort ``H / (H + 400)``, with
    ``H = Σ_{s essential in B} (1 − c_s) · hours(s)``, where ``hours(s)`` is the lowest
    ``durationHours / number of skills taught`` over the trainings teaching s (the share
    of s in its most efficient training), or 70 h when none does. ``1 − gap_cost`` enters
    the score; the exact plan is computed for the suggestions returned.
``mobility``
    1 when a curated ``MOBILITY`` edge leads from one of the profile's occupations to B.
``local_mobility``
    The highest score of an *observed* move (:mod:`cartonet.ingest.lbb`, people of a ROME
    fiche seen moving into another in one employment area) from one of the profile's
    occupations to B, in the area the profile names (``commune`` or ``area``). Off unless
    the caller passes those moves (``observed``): the API and CLI do when the profile
    gives a commune or an area and the store holds observed mobility.
``observed_mobility``
    The same when the profile names no commune and no area: the moves merged over all
    areas (mean score over the areas that observed the move), a global prior, with a
    weight of its own (an area's own moves are much stronger evidence for that area than
    the national mean is for anyone).
``similarity``
    How close B is to the profile's occupations by the occupation similarity
    (:mod:`cartonet.orientation.similarity`: skills, titles, texts, groups, interests,
    entry level): the highest score from a current occupation, or ``PAST_CREDIT`` (0.8)
    times the score from a past one. It carries what the held skills alone miss (two
    jobs worded alike, in the same group); inactive when the profile names no occupation.
``feasibility``
    The cost of a higher entry level or a state diploma the seeker lacks
    (:mod:`cartonet.orientation.feasibility`): ``1 − (1 − up)(1 − reg)``, ``up`` a third
    per level above the seeker's (full at three), ``reg`` 1 for a regulated profession
    whose diploma the seeker's occupations do not already require; a quarter of it when
    the seeker is open to long or regulated training (by default, a profile with no
    occupation and no skill is: it is choosing a first training). ``1 − feasibility``
    enters the score.

The score is the weighted mean of the *active* parts (a part is inactive when the
profile gives it nothing to work on: no skill and no occupation for ``skill_fit``, no
interest or like/dislike for ``affinity_fit``, no curated mobility from the profile's
occupations for ``mobility``, no entry level above the seeker's and no regulated
profession for ``feasibility``, no occupation for ``similarity``), so it stays in
``[0, 1]`` and a profile with only interests is ranked by affinity and training effort.
Current occupations, disliked occupations and occupations under an avoided group are
left out; when the profile names occupations (current, past or liked), candidates come
from their taxonomies only (a graph with ESCO and ROME side by side would otherwise
suggest most jobs twice); with ``max_training_hours`` a candidate whose training plan
(:func:`skill_gap`) is longer is skipped. Ties are broken by lower gap cost, then id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum

import networkx as nx
import numpy as np

from cartonet.model import RelType
from cartonet.orientation.explain import ExplanationFacts, check_lang, explain
from cartonet.orientation.feasibility import feasibility_cost
from cartonet.orientation.gaps import UNTAUGHT_SKILL_HOURS, SkillGap, gap_for
from cartonet.orientation.index import OrientationIndex, index_of
from cartonet.orientation.profile import PAST_CREDIT, Profile, ResolvedProfile, resolve
from cartonet.orientation.similarity import SimilarityWeights, check_k, check_weights, origin_scores

GAP_HALF_HOURS = 400.0
"""Training hours at which ``gap_cost`` reaches 0.5 (about three months full time)."""
MAX_SCAN = 50
"""With ``max_training_hours``, at most ``MAX_SCAN · k`` ranked candidates get a plan."""

LOCAL_WEIGHT = 4.0
"""Default weight of ``local_mobility``, chosen by the per-area hold-out
(:func:`~cartonet.orientation.evaluate.evaluate_by_area`, docs/algorithms.md)."""
AFFINITY_WEIGHT = 1.5
"""Default weight of ``affinity_fit``: the largest of the grid measured by
``bench/interests.py`` that keeps issue 14's guards (regulated jobs the source does not lead
to < 5 % of the suggestions, suggestions with a skill fit ≤ 0.07 no more frequent than with
the old 0.25). At 0.25, beside the similarity part's 2, a seeker's interest barely reordered
the suggestions of a named job (docs/algorithms.md, "Interests when a job is named")."""

PART_NAMES = (
    "skill_fit",
    "affinity_fit",
    "gap_cost",
    "mobility",
    "local_mobility",
    "feasibility",
    "similarity",
    "observed_mobility",
)


class TransitionPart(StrEnum):
    """The parts of a suggestion score, by the names ``Suggestion.parts`` uses; the API and
    the CLI's ``--json`` show them by member name (``SKILL_FIT``)."""

    SKILL_FIT = "skill_fit"
    AFFINITY_FIT = "affinity_fit"
    GAP_COST = "gap_cost"
    MOBILITY = "mobility"
    LOCAL_MOBILITY = "local_mobility"
    FEASIBILITY = "feasibility"
    SIMILARITY = "similarity"
    OBSERVED_MOBILITY = "observed_mobility"


@dataclass(frozen=True, slots=True)
class TransitionWeights:
    """Weights of the score parts, plus η (``sibling_credit``) and α (``direction``) of
    ``skill_fit`` and the skill fit at which affinity counts in full (``affinity_gate``;
    0 turns the gate off). Part weights are any non-negative numbers; only their ratios
    matter."""

    skill_fit: float = 0.5
    affinity_fit: float = AFFINITY_WEIGHT
    gap_cost: float = 0.15
    mobility: float = 0.2
    local_mobility: float = LOCAL_WEIGHT
    feasibility: float = 0.2
    similarity: float = 2.0
    observed_mobility: float = 0.2
    affinity_gate: float = 0.2
    sibling_credit: float = 0.2
    direction: float = 0.6

    def __post_init__(self) -> None:
        check_weights(self, PART_NAMES)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested occupation. ``parts`` holds the eight parts (``gap_cost`` and
    ``feasibility`` as costs: higher is worse); ``active_parts`` those that counted in
    ``score``. ``entry_level`` is the target's entry level, ``level_step`` how many levels
    it lies above the seeker's (negative: below; ``None`` when either is unknown);
    ``regulated`` and ``required_diploma`` say whether a state diploma is required.
    ``inferred_interests`` are those of ``matched_interests`` the occupation's own taxonomy
    does not give (read across a crosswalk, see :func:`inferred_interests`), and
    ``interests_from`` the linked occupation they were read from, when known."""

    occupation: str
    score: float
    parts: dict[str, float]
    active_parts: tuple[str, ...]
    curated_mobility: str | None
    mobility_from: str | None
    shared_skills: list[str]
    missing_skills: list[str]
    missing_essential: list[str]
    matched_interests: list[str]
    gap: SkillGap
    explanation: str
    entry_level: int | None = None
    level_step: int | None = None
    regulated: bool = False
    required_diploma: str | None = None
    inferred_interests: list[str] = field(default_factory=list)
    interests_from: str | None = None


@dataclass(frozen=True, slots=True)
class PartVectors:
    """The eight parts for every occupation, and which ones are active."""

    skill_fit: np.ndarray
    affinity_fit: np.ndarray
    gap_cost: np.ndarray
    mobility: np.ndarray
    mobility_kind: dict[int, tuple[str, int]]  # target row → (kind, origin row)
    active: tuple[str, ...]
    local_mobility: np.ndarray | None = None
    feasibility: np.ndarray | None = None  # cost in [0, 1] (feasibility module)
    similarity: np.ndarray | None = None
    observed_mobility: np.ndarray | None = None


def _skill_share(ix: OrientationIndex, skills: np.ndarray) -> np.ndarray:
    """Share of ``skills`` (a non-empty mask over skills) each occupation requires."""
    return np.asarray(ix.has_skill @ skills.astype(np.float64)).ravel() / skills.sum()


def _credit(ix: OrientationIndex, held: np.ndarray, eta: float) -> np.ndarray:
    if eta <= 0 or not held.any():
        return held
    touched = ix.transposed("skill_parent") @ (held > 0).astype(np.float64)
    near = np.minimum(ix.skill_parent @ (touched > 0).astype(np.float64), 1.0)
    return held + eta * (1.0 - held) * near


def part_vectors(
    G: nx.MultiDiGraph,
    rp: ResolvedProfile,
    weights: TransitionWeights,
    observed: Mapping[str, Mapping[str, float]] | None = None,
) -> PartVectors:
    """Compute the eight parts for every occupation (see the module docstring)."""
    ix = index_of(G)
    n = len(ix.occupations)
    held = rp.held
    active: list[str] = []

    credit = _credit(ix, held, weights.sibling_credit)
    if held.any():
        active.append("skill_fit")
        into = np.divide(ix.need @ credit, ix.need_mass, out=np.zeros(n), where=ix.need_mass > 0)
        mass = held * ix.idf
        back = (ix.has_skill @ mass) / mass.sum()
        skill_fit = np.clip(weights.direction * into + (1 - weights.direction) * back, 0.0, 1.0)
    else:
        skill_fit = np.zeros(n)

    positives: list[np.ndarray] = []
    negatives: list[np.ndarray] = []
    if rp.interest_weights and ix.interests:
        positives.append(np.clip(ix.interest_vec @ rp.interest_vec, 0.0, 1.0))
    if rp.liked_groups:
        positives.append(_under(ix, rp.liked_groups))
    if rp.liked_occupations:
        positives.append(_text_affinity(ix, rp.liked_occupations))
    if rp.liked_skills.any():
        positives.append(_skill_share(ix, rp.liked_skills))
    if rp.disliked_groups:
        negatives.append(_under(ix, rp.disliked_groups))
    if rp.disliked_occupations:
        negatives.append(_text_affinity(ix, rp.disliked_occupations))
    if rp.disliked_skills.any():
        negatives.append(_skill_share(ix, rp.disliked_skills))
    if positives or negatives:
        active.append("affinity_fit")
        base = np.mean(positives, axis=0) if positives else np.full(n, 0.5)
        malus = np.mean(negatives, axis=0) if negatives else 0.0
        affinity = np.clip(base - malus, 0.0, 1.0)
        if "skill_fit" in active and weights.affinity_gate > 0:
            # liking a job one has none of the skills for does not make it within reach
            affinity = affinity * np.minimum(skill_fit / weights.affinity_gate, 1.0)
    else:
        affinity = np.zeros(n)

    hours_per_skill = np.where(
        np.isfinite(ix.cheapest_hours), ix.cheapest_hours, UNTAUGHT_SKILL_HOURS
    )
    hours = ix.essential @ ((1.0 - np.minimum(credit, 1.0)) * hours_per_skill)
    gap_cost = hours / (hours + GAP_HALF_HOURS)
    active.append("gap_cost")

    mobility = np.zeros(n)
    kinds: dict[int, tuple[str, int]] = {}
    for origin in rp.origins:
        for target, kind in ix.mobility.get(origin, {}).items():
            mobility[target] = 1.0
            if target not in kinds or (kind == "CLOSE" and kinds[target][0] != "CLOSE"):
                kinds[target] = (kind, origin)
    if any(ix.mobility.get(o) for o in rp.origins):
        active.append("mobility")

    local = np.zeros(n)
    for origin in rp.origins:
        for target, score in (observed or {}).get(ix.occupations[origin], {}).items():
            row = ix.occ_pos.get(target)
            if row is not None:
                local[row] = max(local[row], min(max(float(score), 0.0), 1.0))
    # the caller passes an area's moves when the profile names one, else the merged ones
    in_area = rp.profile.commune is not None or rp.profile.area is not None
    merged = np.zeros(n)
    if not in_area:
        local, merged = merged, local
    if local.any():
        active.append("local_mobility")
    if merged.any():
        active.append("observed_mobility")
    feasibility = feasibility_cost(
        ix, rp.reference_level, rp.origins, rp.profile.long_training_ok()
    )
    if feasibility.any():
        active.append("feasibility")
    similarity = _similarity(G, ix, rp) if weights.similarity > 0 else np.zeros(n)
    if rp.origins and weights.similarity > 0:
        active.append("similarity")
    return PartVectors(
        skill_fit,
        affinity,
        gap_cost,
        mobility,
        kinds,
        tuple(active),
        local,
        feasibility,
        similarity,
        merged,
    )


def _similarity(G: nx.MultiDiGraph, ix: OrientationIndex, rp: ResolvedProfile) -> np.ndarray:
    """Best occupation similarity from the profile's occupations (past ones discounted)."""
    out = np.zeros(len(ix.occupations))
    if not rp.origins:
        return out
    current = {ix.occ_pos[o] for o in rp.profile.current_occupations if o in ix.occ_pos}
    rows = np.asarray(rp.origins, dtype=np.int64)
    scores = np.nan_to_num(origin_scores(ix, rows, SimilarityWeights()), nan=0.0)
    for i, row in enumerate(rp.origins):
        credit = 1.0 if row in current else PAST_CREDIT
        np.maximum(out, credit * scores[i], out=out)
    return out


def _under(ix: OrientationIndex, groups: tuple[int, ...]) -> np.ndarray:
    """1.0 for occupations below any of ``groups`` (group columns), else 0.0."""
    below = ix.transposed("occ_groups")[list(groups)]
    out = np.zeros(len(ix.occupations))
    out[below.indices] = 1.0
    return out


def _text_affinity(ix: OrientationIndex, rows: tuple[int, ...]) -> np.ndarray:
    sims = (ix.content_text[list(rows)] @ ix.transposed("content_text")).toarray()
    out = np.clip(sims.max(axis=0), 0.0, 1.0)
    out[list(rows)] = 1.0
    return out


def combine_parts(parts: PartVectors, weights: TransitionWeights) -> np.ndarray:
    """Weighted mean of the active parts (``1 − cost`` for the two costs), in [0, 1]."""
    values = {
        "skill_fit": parts.skill_fit,
        "affinity_fit": parts.affinity_fit,
        "gap_cost": 1.0 - parts.gap_cost,
        "mobility": parts.mobility,
        "local_mobility": parts.local_mobility
        if parts.local_mobility is not None
        else np.zeros_like(parts.mobility),
        "feasibility": 1.0 - parts.feasibility
        if parts.feasibility is not None
        else np.ones_like(parts.mobility),
        "similarity": parts.similarity
        if parts.similarity is not None
        else np.zeros_like(parts.mobility),
        "observed_mobility": parts.observed_mobility
        if parts.observed_mobility is not None
        else np.zeros_like(parts.mobility),
    }
    total = sum(getattr(weights, p) for p in parts.active)
    if total <= 0:  # every active part weighted 0: fall back to training effort
        return values["gap_cost"]
    return sum(getattr(weights, p) * values[p] for p in parts.active) / total


def excluded_rows(ix: OrientationIndex, rp: ResolvedProfile) -> np.ndarray:
    mask = np.zeros(len(ix.occupations), dtype=bool)
    named = [*rp.origins, *rp.liked_occupations]
    if named:  # stay in the taxonomies the profile speaks (see the module docstring)
        mask |= ~np.isin(ix.occ_source, ix.occ_source[named])
    mask[[ix.occ_pos[o] for o in rp.profile.current_occupations]] = True
    mask[list(rp.disliked_occupations)] = True
    if rp.avoid_groups:
        mask |= _under(ix, rp.avoid_groups) > 0
        for g in rp.profile.constraints.avoid_groups:
            if g in ix.occ_pos:  # an occupation named as a group to avoid: itself too
                mask[ix.occ_pos[g]] = True
    return mask


def matched_interests(ix: OrientationIndex, rp: ResolvedProfile, row: int) -> list[str]:
    """Interests of the occupation the profile also has, strongest product first."""
    scored = [
        (w * ix.interest_raw[row, pos], ix.interests[pos])
        for pos, w in rp.interest_weights.items()
        if ix.interest_raw[row, pos] > 0
    ]
    return [i for _, i in sorted(scored, key=lambda x: (-x[0], x[1]))]


def interest_edges(G: nx.MultiDiGraph, occupation: str, inferred: bool) -> set[str]:
    """The interests ``occupation`` matches by edges marked ``inferred`` (``True``: read
    across a crosswalk) or by its taxonomy's own edges (``False``)."""
    return {
        target
        for _, target, key, props in G.out_edges(occupation, keys=True, data=True)
        if key == RelType.MATCHES_INTEREST.value and (props.get("inferred") is True) == inferred
    }


def inferred_interests(
    G: nx.MultiDiGraph, occupation: str, interests: list[str]
) -> tuple[list[str], str | None]:
    """Which of ``interests`` (ids ``occupation`` matches) are *inferred*, and from where.

    ``cartonet crosswalk --infer-interests`` gives an occupation without RIASEC interests
    (every ESCO one) those of its best-scored SAME_AS twin in another taxonomy, on edges
    marked ``inferred: true``: an estimate a counsellor should see as such.

    Returns
    -------
    The inferred ones, in the order of ``interests``, and the twin they were read from: the
    best-scored SAME_AS neighbour (ties: lowest id) whose own, not inferred, interests are
    the ones inferred; ``None`` when none is inferred or the graph no longer holds that link.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> inferred_interests(demo_graph(), "demo:cook", ["riasec:R"])
    ([], None)
    """
    marked = interest_edges(G, occupation, inferred=True)
    found = [i for i in interests if i in marked]
    if not found:
        return [], None
    twins: dict[str, float] = {}
    for a, b, key, props in [
        *G.out_edges(occupation, keys=True, data=True),
        *G.in_edges(occupation, keys=True, data=True),
    ]:
        twin = b if a == occupation else a
        if key == RelType.SAME_AS.value and twin != occupation:
            score = props.get("score")
            value = float(score) if isinstance(score, int | float) else 0.0
            twins[twin] = max(twins.get(twin, value), value)
    for twin in sorted(twins, key=lambda t: (-twins[t], t)):
        if interest_edges(G, twin, inferred=False) == marked:
            return found, twin
    return found, None


def suggest_transitions(
    G: nx.MultiDiGraph,
    profile: Profile,
    k: int = 10,
    weights: TransitionWeights | None = None,
    lang: str = "fr",
    observed: Mapping[str, Mapping[str, float]] | None = None,
) -> list[Suggestion]:
    """The ``k`` occupations best within reach of ``profile``, best first.

    Parameters
    ----------
    G:
        The orientation graph.
    profile:
        The seeker (:class:`~cartonet.orientation.profile.Profile`).
    k:
        How many suggestions (1 to 500).
    weights:
        :class:`TransitionWeights` (defaults: skill fit 0.5, affinity 1.5, gap 0.15,
        mobility 0.2, local mobility 4, feasibility 0.2, similarity 2, observed mobility
        0.2; affinity gate 0.2).
    lang:
        ``"fr"`` or ``"en"``, the language of the explanations.
    observed:
        Observed moves in the seeker's area, or merged over all areas when the profile names
        none: origin occupation id → target id → score in (0, 1]
        (``Store.observed_moves(origins, area)``); turns on ``local_mobility`` when the
        profile names a commune or an area, ``observed_mobility`` otherwise.

    Returns
    -------
    A list of :class:`Suggestion`: score in [0, 1] and its parts, curated mobility if any,
    shared and missing skills (essential first), matched interests, the training plan
    (:class:`~cartonet.orientation.gaps.SkillGap`) and a short explanation.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> G = demo_graph()
    >>> cook = Profile(current_occupations=("demo:cook",))
    >>> [s.occupation for s in suggest_transitions(G, cook, k=2)]
    ['demo:pastry-cook', 'demo:kitchen-porter']
    >>> [s.occupation for s in suggest_transitions(G, Profile(interests={"S": 1.0}), k=2)]
    ['demo:waiter', 'demo:care-assistant']

    References: see docs/algorithms.md (Nesta 2021 for skill-based transitions; Holland's
    RIASEC for interests; Chvátal 1979 for the training plan).
    """
    check_k(k)
    check_lang(lang)
    weights = weights or TransitionWeights()
    ix = index_of(G)
    rp = resolve(G, profile)
    parts = part_vectors(G, rp, weights, observed)
    score = combine_parts(parts, weights)
    excluded = excluded_rows(ix, rp)
    limit = rp.profile.constraints.max_training_hours
    if limit is not None:
        # a plan is at least UNTAUGHT_SKILL_HOURS per missing essential skill no training
        # teaches: candidates above the limit on that bound alone need no plan
        untaught = ((rp.held <= 0) & ~np.isfinite(ix.cheapest_hours)).astype(np.float64)
        excluded = excluded | (UNTAUGHT_SKILL_HOURS * (ix.essential @ untaught) > limit)
    results: list[Suggestion] = []
    scanned = 0
    for row in ranked(score, parts.gap_cost, np.flatnonzero(~excluded), 4 * k):
        if len(results) >= k or (limit is not None and scanned >= MAX_SCAN * k):
            break
        scanned += 1
        gap = gap_for(G, rp, row)
        if limit is not None and gap.total_hours > limit:
            continue
        results.append(_suggestion(G, ix, rp, parts, score, row, gap, lang))
    return results


def ranked(score: np.ndarray, gap: np.ndarray, candidates: np.ndarray, chunk: int) -> Iterator[int]:
    """Candidates by score (desc), then gap (asc), then row, lazily: the first ``chunk``
    come from a partial sort; the full sort is only done if more are asked for."""
    if len(candidates) > chunk:
        s = score[candidates]
        cut = np.partition(s, len(s) - chunk)[len(s) - chunk]
        head = candidates[s >= cut]  # every tie at the cut is kept: the order stays exact
        yield from _sorted(score, gap, head)
        rest = candidates[s < cut]
        yield from _sorted(score, gap, rest)
    else:
        yield from _sorted(score, gap, candidates)


def _sorted(score: np.ndarray, gap: np.ndarray, rows: np.ndarray) -> Iterator[int]:
    for row in rows[np.lexsort((rows, gap[rows], -score[rows]))]:
        yield int(row)


def _suggestion(
    G: nx.MultiDiGraph,
    ix: OrientationIndex,
    rp: ResolvedProfile,
    parts: PartVectors,
    score: np.ndarray,
    row: int,
    gap: SkillGap,
    lang: str,
) -> Suggestion:
    kind, origin = parts.mobility_kind.get(row, (None, None))
    interests = matched_interests(ix, rp, row)
    estimated, interests_from = inferred_interests(G, ix.occupations[row], interests)
    entry = int(ix.entry_level[row]) if np.isfinite(ix.entry_level[row]) else None
    raw_step = float(ix.entry_level[row] - rp.reference_level)
    step = int(raw_step) if np.isfinite(raw_step) else None
    origin_id = ix.occupations[origin] if origin is not None else None
    facts = ExplanationFacts(
        target=ix.occupations[row],
        shared=gap.shared_skills,
        missing=gap.missing_skills,
        missing_essential=gap.missing_essential,
        matched_interests=interests,
        mobility_kind=kind,
        mobility_from=origin_id,
        plan=[(s.training, s.hours) for s in gap.plan],
        uncovered=gap.uncovered,
        training_illustrative=any(s.illustrative for s in gap.plan),
        estimated_hours=gap.estimated_hours,
        level_step=step,
        entry_level=entry,
        regulated=gap.regulated,
        required_diploma=gap.required_diploma,
        inferred_interests=estimated,
        interests_from=interests_from,
    )
    return Suggestion(
        occupation=ix.occupations[row],
        score=float(score[row]),
        parts={
            "skill_fit": float(parts.skill_fit[row]),
            "affinity_fit": float(parts.affinity_fit[row]),
            "gap_cost": float(parts.gap_cost[row]),
            "mobility": float(parts.mobility[row]),
            "local_mobility": float(parts.local_mobility[row])
            if parts.local_mobility is not None
            else 0.0,
            "feasibility": float(parts.feasibility[row]) if parts.feasibility is not None else 0.0,
            "similarity": float(parts.similarity[row]) if parts.similarity is not None else 0.0,
            "observed_mobility": float(parts.observed_mobility[row])
            if parts.observed_mobility is not None
            else 0.0,
        },
        active_parts=parts.active,
        curated_mobility=kind,
        mobility_from=origin_id,
        shared_skills=gap.shared_skills,
        missing_skills=gap.missing_skills,
        missing_essential=gap.missing_essential,
        matched_interests=interests,
        gap=gap,
        explanation=explain(G, facts, lang),
        entry_level=entry,
        level_step=step,
        regulated=gap.regulated,
        required_diploma=gap.required_diploma,
        inferred_interests=estimated,
        interests_from=interests_from,
    )
