"""GraphQL fields of the orientation engine: similar occupations, transition suggestions,
skill gaps, career paths and the map.

Resolvers read the orientation graph from the app's :class:`ProjectionCache` (rebuilt only
when the store's version changes) and return the node types of :mod:`cartonet.api.types`,
so a suggestion's ``occupation`` is a full ``Occupation`` (its skills, groups... resolve as
anywhere else). Nodes come from the projection itself, so one answer is consistent with
one graph version. Heavy first computations (the map, the transition graph) run in a
worker thread.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from typing import Annotated, Any

import networkx as nx
import strawberry

from cartonet.errors import InvalidArgument
from cartonet.model import MobilityKind
from cartonet.orientation.cache import projection_cache
from cartonet.orientation.gaps import SkillGap, skill_gap
from cartonet.orientation.paths import CareerPath, career_paths
from cartonet.orientation.profile import Constraints, Profile
from cartonet.orientation.projection import node_of
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.skillmap import MapLink as LinkedPair
from cartonet.orientation.skillmap import MapLinks, SkillMap, skill_map
from cartonet.orientation.skillmap import MapPoint as PlacedItem
from cartonet.orientation.transitions import (
    TransitionPart,
    TransitionWeights,
    interest_edges,
    suggest_transitions,
)
from cartonet.store.base import MAX_PAGE, check_first, decode_cursor, encode_cursor

from .context import Context
from .types import (
    AfterArg,
    Connection,
    Interest,
    Lang,
    NodeInterface,
    Occupation,
    Skill,
    Training,
    described_enum,
    wrap,
)

# --- inputs --------------------------------------------------------------------------------


@strawberry.input(description="A skill the seeker holds, with a level in (0, 1] (default 1).")
class HeldSkillInput:
    id: strawberry.ID = strawberry.field(description="The skill's id.")
    level: float = strawberry.field(
        default=1.0, description="How well the seeker masters it, in (0, 1]; 1: fully."
    )


@strawberry.input(description="An interest (id, RIASEC code or label) and its weight ≥ 0.")
class InterestWeightInput:
    id: str = strawberry.field(
        description="The interest: its id (riasec:S), its RIASEC letter (S) or its label (Social)."
    )
    weight: float = strawberry.field(
        default=1.0,
        description="How much it counts, a finite number ≥ 0 (only ratios matter; the "
        "weights of one interest named twice add up).",
    )


@strawberry.input(description="Hard limits on suggestions.")
class ConstraintsInput:
    max_training_hours: float | None = strawberry.field(
        default=None, description="Leave out occupations whose training plan is longer."
    )
    avoid_groups: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Leave out occupations under these groups."
    )


@strawberry.input(description="A job seeker's profile. Used for this request only, never stored.")
class ProfileInput:
    current_occupations: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Occupations held now: their skills count as held (level 1), and they "
        "are never suggested.",
    )
    past_occupations: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Occupations held before: their skills count as held at level 0.8.",
    )
    skills: list[HeldSkillInput] = strawberry.field(
        default_factory=list, description="Skills held, each with a level."
    )
    interests: list[InterestWeightInput] = strawberry.field(
        default_factory=list, description="Interests (RIASEC), each with a weight."
    )
    liked_skills: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Skills the seeker would like to use."
    )
    disliked_skills: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Skills the seeker would rather not use."
    )
    liked_occupations: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Occupations the seeker likes the look of."
    )
    disliked_occupations: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Occupations the seeker rules out (never suggested)."
    )
    liked_groups: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Occupation groups the seeker is drawn to."
    )
    disliked_groups: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Occupation groups the seeker would rather avoid."
    )
    lacking_skills: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Skills the seeker does not have although a current or past occupation "
        "requires them (e.g. unticked by a counsellor): never counted as held.",
    )
    constraints: ConstraintsInput | None = strawberry.field(
        default=None, description="Hard limits: what is never suggested."
    )
    commune: str | None = strawberry.field(
        default=None,
        description="INSEE code of the commune where the seeker looks for work: turns on "
        "the observed local mobility of its employment area in suggestions (a commune with "
        "no known area leaves it off).",
    )
    area: str | None = strawberry.field(
        default=None, description="Employment-area code (instead of a commune)."
    )
    education_level: int | None = strawberry.field(
        default=None,
        description="The seeker's highest diploma on the entry scale of `Occupation."
        "entryLevel` (2 none, 3 CAP/BEP, 4 Bac, 5 Bac+2, 6 Licence, 7 Master, 8 Doctorat); "
        "without it, the highest entry level of the profile's occupations.",
    )
    open_to_long_training: bool | None = strawberry.field(
        default=None,
        description="Long or regulated training (a state diploma) is an option: moves up "
        "the entry scale or into a regulated profession cost a quarter as much. Default: "
        "true for a profile with no occupation and no skill (a first training), else false.",
    )

    def to_profile(self) -> Profile:
        skills: dict[str, float] = {}
        for s in self.skills:
            skills[str(s.id)] = float(s.level)
        interests: dict[str, float] = {}
        for i in self.interests:
            interests[str(i.id)] = interests.get(str(i.id), 0.0) + float(i.weight)
        cons = self.constraints or ConstraintsInput()
        return Profile(
            current_occupations=tuple(map(str, self.current_occupations)),
            past_occupations=tuple(map(str, self.past_occupations)),
            skills=skills,
            interests=interests,
            liked_skills=tuple(map(str, self.liked_skills)),
            disliked_skills=tuple(map(str, self.disliked_skills)),
            liked_occupations=tuple(map(str, self.liked_occupations)),
            disliked_occupations=tuple(map(str, self.disliked_occupations)),
            liked_groups=tuple(map(str, self.liked_groups)),
            disliked_groups=tuple(map(str, self.disliked_groups)),
            lacking_skills=tuple(map(str, self.lacking_skills)),
            constraints=Constraints(
                max_training_hours=cons.max_training_hours,
                avoid_groups=tuple(map(str, cons.avoid_groups)),
            ),
            commune=self.commune,
            area=self.area,
            education_level=self.education_level,
            open_to_long_training=self.open_to_long_training,
        )


async def _observed_for(
    info: strawberry.Info, profile: Profile
) -> dict[str, dict[str, float]] | None:
    """Observed moves from the profile's occupations: in its commune's or area's employment
    area, or merged over all areas (a global prior) when it names neither. ``None`` (the
    part stays off) when it names a commune the store knows no area for (not a commune of
    the loaded data): a front-end may always send the commune it has. A store without
    observed mobility answers no move, so the part stays off too."""
    if profile.commune is not None and profile.area is not None:
        raise InvalidArgument("profile.commune", "give profile.area or profile.commune, not both")
    area = profile.area
    if profile.commune is not None:
        area = await info.context.read(info.context.store.area_of_commune(profile.commune))
        if area is None:
            return None
    origins = list(dict.fromkeys([*profile.current_occupations, *profile.past_occupations]))
    if not origins:
        return {}
    found = await info.context.read(info.context.store.observed_moves(origins, area))
    return {start: {m.end: m.score for m in moves} for start, moves in found.items()}


_TW = TransitionWeights()


@strawberry.input(description="Weights of the suggestion score (only their ratios matter).")
class TransitionWeightsInput:
    skill_fit: float = strawberry.field(
        default=_TW.skill_fit, description="Weight of how well held skills fit the target."
    )
    affinity_fit: float = strawberry.field(
        default=_TW.affinity_fit, description="Weight of interests, likes and dislikes."
    )
    gap_cost: float = strawberry.field(
        default=_TW.gap_cost, description="Weight of the training effort (less is better)."
    )
    mobility: float = strawberry.field(
        default=_TW.mobility, description="Weight of a curated move from a held occupation."
    )
    local_mobility: float = strawberry.field(
        default=_TW.local_mobility,
        description="Weight of observed moves in the profile's commune or area (off without one).",
    )
    observed_mobility: float = strawberry.field(
        default=_TW.observed_mobility,
        description="Weight of observed moves merged over all areas, when the profile names no "
        "commune and no area.",
    )
    similarity: float = strawberry.field(
        default=_TW.similarity,
        description="Weight of the occupation similarity to the profile's occupations.",
    )
    sibling_credit: float = strawberry.field(
        default=_TW.sibling_credit, description="Credit for a skill held through a sibling."
    )
    direction: float = strawberry.field(
        default=_TW.direction, description="Share of skill fit measuring the target's needs."
    )
    feasibility: float = strawberry.field(
        default=_TW.feasibility,
        description="Weight of the feasibility part (entry level above the seeker's, "
        "regulated profession).",
    )
    affinity_gate: float = strawberry.field(
        default=_TW.affinity_gate,
        description="Skill fit at which affinity counts in full (below it, in proportion); "
        "0 turns the gate off.",
    )

    def to_weights(self) -> TransitionWeights:
        return TransitionWeights(
            skill_fit=self.skill_fit,
            affinity_fit=self.affinity_fit,
            gap_cost=self.gap_cost,
            mobility=self.mobility,
            local_mobility=self.local_mobility,
            similarity=self.similarity,
            observed_mobility=self.observed_mobility,
            sibling_credit=self.sibling_credit,
            direction=self.direction,
            feasibility=self.feasibility,
            affinity_gate=self.affinity_gate,
        )


described_enum(
    TransitionPart,
    "A part of a suggestion score.",
    {
        "SKILL_FIT": "How well held skills fit the target.",
        "AFFINITY_FIT": "Interests, likes and dislikes.",
        "GAP_COST": "Training effort (counts as 1 − gapCost).",
        "MOBILITY": "A curated move from a profile occupation.",
        "LOCAL_MOBILITY": "An observed move from a profile occupation in its commune or area.",
        "OBSERVED_MOBILITY": "An observed move from a profile occupation, merged over all areas "
        "(when the profile names no commune and no area).",
        "SIMILARITY": "Occupation similarity to a profile occupation.",
        "FEASIBILITY": "Entry level above the seeker's or a state diploma they lack "
        "(counts as 1 − feasibility).",
    },
)


@strawberry.enum(description="What the map shows.")
class MapKind(Enum):
    SKILLS = strawberry.enum_value(
        "skills", description="Skills, linked when the same occupations require them."
    )
    OCCUPATIONS = strawberry.enum_value(
        "occupations", description="Occupations, linked to their most similar ones."
    )


# --- outputs -------------------------------------------------------------------------------


@strawberry.type(description="The parts of an occupation similarity, each in [0, 1].")
class SimilarityParts:
    skill: float = strawberry.field(description="Weighted, asymmetric skill coverage.")
    title: float = strawberry.field(description="Title and synonym text similarity.")
    content: float = strawberry.field(description="Description and skill text similarity.")
    group: float = strawberry.field(description="Shared occupation groups.")
    interest: float = strawberry.field(description="Interest (RIASEC) cosine.")
    feasibility: float = strawberry.field(
        description="1 minus the cost of a higher entry level or a state diploma the origin "
        "lacks (see docs/algorithms.md)."
    )


@strawberry.type(description="An occupation similar to the one asked, with why.")
class SimilarOccupationResult:
    occupation: Occupation = strawberry.field(description="The similar occupation.")
    score: float = strawberry.field(description="In [0, 1]; see docs/algorithms.md.")
    parts: SimilarityParts = strawberry.field(description="What the score is made of.")
    shared_skills: list[Skill] = strawberry.field(description="Skills both require.")
    missing_skills: list[Skill] = strawberry.field(description="Essential first, rarest first.")
    interest_inferred: bool = strawberry.field(
        default=False,
        description="True when `parts.interest` rests on interests estimated across a "
        "crosswalk (`cartonet crosswalk --infer-interests`) for this occupation or the one "
        "asked, not given by their taxonomy.",
    )


@strawberry.type(description="A skill the seeker lacks for a target occupation.")
class MissingSkill:
    skill: Skill = strawberry.field(description="The skill lacking.")
    essential: bool = strawberry.field(description="Whether the target requires it as essential.")


@strawberry.type(description="One training of a plan.")
class TrainingStep:
    training: Training = strawberry.field(description="The training.")
    hours: float = strawberry.field(description="Its length (35 when the catalogue gives none).")
    covers: list[Skill] = strawberry.field(description="Missing skills it teaches.")
    prerequisites: list[Skill] = strawberry.field(
        description="Skills it expects on entry that the seeker lacks."
    )
    illustrative: bool = strawberry.field(
        description="True for a made-up training of the illustrative catalogue, not a real offer."
    )


@strawberry.type(description="Trainings closing a skill gap, prerequisites first.")
class TrainingPlan:
    steps: list[TrainingStep] = strawberry.field(description="The trainings, in order.")
    total_hours: float = strawberry.field(description="Sum of the steps' hours.")
    uncovered_skills: list[Skill] = strawberry.field(
        description="Skills no training of the catalogue teaches."
    )
    catalogue_hours: float = strawberry.field(
        default=0.0, description="Hours of the catalogue trainings of the plan."
    )
    estimated_hours: float = strawberry.field(
        default=0.0,
        description="Estimated hours for the uncovered skills (70 h each); "
        "`totalHours` = `catalogueHours` + `estimatedHours`.",
    )
    regulated: bool = strawberry.field(
        default=False,
        description="The target requires a diploma the seeker's occupations do not: "
        "skills alone do not open it.",
    )
    required_diploma: str | None = strawberry.field(
        default=None, description="That diploma, when the source names it."
    )


@strawberry.type(description="What a profile lacks for a target occupation.")
class SkillGapResult:
    target: Occupation = strawberry.field(description="The occupation aimed at.")
    shared_skills: list[Skill] = strawberry.field(
        description="Skills the target requires that the profile holds."
    )
    missing_skills: list[MissingSkill] = strawberry.field(
        description="Skills the target requires that the profile lacks, essential first."
    )
    training_plan: TrainingPlan = strawberry.field(
        description="Trainings covering the missing essential skills (all missing skills "
        "with `includeOptional`)."
    )


@strawberry.type(description="The parts of a suggestion score, each in [0, 1].")
class TransitionParts:
    skill_fit: float = strawberry.field(description="How well held skills fit the target.")
    affinity_fit: float = strawberry.field(
        description="Interests, liked and disliked skills, occupations and groups."
    )
    gap_cost: float = strawberry.field(description="Estimated training effort (higher: worse).")
    mobility: float = strawberry.field(description="1 for a curated move.")
    local_mobility: float = strawberry.field(
        description="Score of the best observed move into it from the profile's occupations, "
        "in the profile's commune or area (0 when none is given)."
    )
    feasibility: float = strawberry.field(
        default=0.0,
        description="Cost of an entry level above the seeker's or a regulated profession "
        "(higher: worse).",
    )
    similarity: float = strawberry.field(
        default=0.0,
        description="Occupation similarity to the profile's occupations (a past one's times 0.8).",
    )
    observed_mobility: float = strawberry.field(
        default=0.0,
        description="Mean score over all areas of the best observed move into it from the "
        "profile's occupations (0 when the profile names a commune or an area).",
    )


@strawberry.type(description="An occupation within reach of the profile, with why.")
class TransitionSuggestion:
    occupation: Occupation = strawberry.field(description="The suggested occupation.")
    score: float = strawberry.field(description="Weighted mean of the active parts, in [0, 1].")
    parts: TransitionParts = strawberry.field(description="Every part, active or not.")
    active_parts: list[TransitionPart] = strawberry.field(
        description="The parts that counted in `score` (a part the profile gives nothing to "
        "work on is left out)."
    )
    curated_mobility: MobilityKind | None = strawberry.field(
        description="The kind of curated move leading there from a profile occupation, if any."
    )
    mobility_from: Occupation | None = strawberry.field(
        description="The profile occupation that curated move starts from."
    )
    shared_skills: list[Skill] = strawberry.field(
        description="Skills the target requires that the profile holds."
    )
    missing_skills: list[MissingSkill] = strawberry.field(description="Essential first.")
    matched_interests: list[Interest] = strawberry.field(
        description="The profile's interests the occupation matches."
    )
    training_plan: TrainingPlan = strawberry.field(
        description="Trainings covering the missing essential skills."
    )
    explanation: str = strawberry.field(
        description="One paragraph saying why, in `lang`; every figure in it comes from the "
        "lists above."
    )
    level_step: int | None = strawberry.field(
        default=None,
        description="Levels of the entry scale the occupation lies above the seeker's "
        "(negative: below); null when either level is unknown.",
    )
    inferred_interests: list[Interest] = strawberry.field(
        default_factory=list,
        description="Those of `matchedInterests` the occupation's own taxonomy does not give: "
        "estimated from a linked occupation of another taxonomy (`cartonet crosswalk "
        "--infer-interests`), so `affinityFit` rests partly on an estimate.",
    )
    interests_from: Occupation | None = strawberry.field(
        default=None,
        description="The linked occupation (SAME_AS) the inferred interests were read from; "
        "null when none is inferred or the link is no longer in the graph.",
    )


@strawberry.type(description="One move of a career path.")
class CareerStep:
    source: Occupation = strawberry.field(name="from", description="Where the move starts.")
    target: Occupation = strawberry.field(name="to", description="Where the move leads.")
    cost: float = strawberry.field(
        description="0.25 + (1 − coverage)² + 0.5 · feasibility: one step costs at least "
        "0.25, a leap more, a higher entry level or a state diploma more again; 7.5 more "
        "when the step covers less than 1 % (a change of trade)."
    )
    coverage: float = strawberry.field(description="Share of the target's needs already covered.")
    curated: bool = strawberry.field(description="Whether a curated MOBILITY move is this step.")
    feasibility: float = strawberry.field(
        default=0.0,
        description="Part of the cost due to a higher entry level or a state diploma "
        "(see docs/algorithms.md).",
    )


@strawberry.type(description="A route through intermediate occupations.")
class CareerPathResult:
    occupations: list[Occupation] = strawberry.field(
        description="The occupations of the route, from the start to the goal."
    )
    steps: list[CareerStep] = strawberry.field(description="The moves, in order.")
    total_cost: float = strawberry.field(description="Sum of the steps' costs (lower: easier).")


@strawberry.type(description="A cluster of the map.")
class MapCommunity:
    id: int = strawberry.field(description="The cluster's number (`community` of its points).")
    size: int = strawberry.field(description="How many items it holds.")
    central: list[NodeInterface] = strawberry.field(description="Most central members first.")


@strawberry.type(description="One item placed on the map.")
class MapPoint:
    node: NodeInterface = strawberry.field(description="The skill or occupation.")
    x: float = strawberry.field(description="Horizontal position, in [−1, 1].")
    y: float = strawberry.field(description="Vertical position, in [−1, 1].")
    community: int = strawberry.field(description="The cluster it belongs to.")
    centrality: float = strawberry.field(description="PageRank on the map's graph.")


@strawberry.type(
    description="A link of the map: two items among each other's closest (what the map's "
    "clusters and layout are computed from)."
)
class MapLink:
    source: strawberry.ID = strawberry.field(description="One end: the smaller id of the two.")
    target: strawberry.ID = strawberry.field(description="The other end.")
    weight: float = strawberry.field(
        description="Strength of the link: co-requirement association (skills, cosine in "
        "[0, 1]) or similarity score (occupations, in [0, 1])."
    )


@strawberry.type(description="Clusters, central items and 2-D coordinates.")
class SkillMapResult:
    kind: MapKind = strawberry.field(description="Skills or occupations.")
    modularity: float = strawberry.field(description="Modularity of the clustering (Louvain).")
    communities: list[MapCommunity] = strawberry.field(description="The clusters.")
    most_central: list[NodeInterface] = strawberry.field(
        description="The most central items of the whole map, first first."
    )
    graph: strawberry.Private[nx.MultiDiGraph]
    computed: strawberry.Private[SkillMap]

    @strawberry.field(
        description="The placed items in ascending id order, paged like every list "
        f"(`first` 0..{MAX_PAGE}, default {MAX_PAGE}; `after` an `endCursor`). `community` "
        "keeps one cluster's members (an unknown id gives an empty page)."
    )
    def points(
        self,
        first: Annotated[
            int, strawberry.argument(description=f"How many points, 0 to {MAX_PAGE}.")
        ] = MAX_PAGE,
        after: AfterArg = None,
        community: Annotated[
            int | None, strawberry.argument(description="Only the points of this cluster.")
        ] = None,
    ) -> Connection[MapPoint]:
        return map_points_page(self.graph, self.computed.points, first, after, community)

    @strawberry.field(
        description="The links the map is drawn from (each item keeps its 10 strongest), "
        "once per pair, in ascending (source, target) order, paged like every list "
        f"(`first` 0..{MAX_PAGE}, default {MAX_PAGE}; `after` an `endCursor`). `around` "
        "keeps the links touching those items (the neighbourhood of a few highlighted "
        "points without paging through the whole map)."
    )
    def links(
        self,
        first: Annotated[
            int, strawberry.argument(description=f"How many links, 0 to {MAX_PAGE}.")
        ] = MAX_PAGE,
        after: AfterArg = None,
        around: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description=f"Only the links with an end among these ids (at most {MAX_PAGE})."
            ),
        ] = None,
    ) -> Connection[MapLink]:
        return map_links_page(self.computed.links, first, after, around)


# --- conversion ----------------------------------------------------------------------------


def _node(G: nx.MultiDiGraph, node_id: str) -> Any:
    return wrap(node_of(G, node_id))


def _nodes(G: nx.MultiDiGraph, ids: list[str]) -> list[Any]:
    return [_node(G, i) for i in ids]


def _plan(G: nx.MultiDiGraph, gap: SkillGap) -> TrainingPlan:
    return TrainingPlan(
        steps=[
            TrainingStep(
                training=_node(G, s.training),
                hours=s.hours,
                covers=_nodes(G, s.covers),
                prerequisites=_nodes(G, s.prerequisites),
                illustrative=s.illustrative,
            )
            for s in gap.plan
        ],
        total_hours=gap.total_hours,
        uncovered_skills=_nodes(G, gap.uncovered),
        catalogue_hours=gap.catalogue_hours,
        estimated_hours=gap.estimated_hours,
        regulated=gap.regulated,
        required_diploma=gap.required_diploma,
    )


def _missing(G: nx.MultiDiGraph, gap: SkillGap) -> list[MissingSkill]:
    essential = set(gap.missing_essential)
    return [MissingSkill(skill=_node(G, s), essential=s in essential) for s in gap.missing_skills]


def _path(G: nx.MultiDiGraph, path: CareerPath) -> CareerPathResult:
    return CareerPathResult(
        occupations=_nodes(G, path.occupations),
        steps=[
            CareerStep(
                source=_node(G, s.source),
                target=_node(G, s.target),
                cost=s.cost,
                coverage=s.coverage,
                curated=s.curated,
                feasibility=s.feasibility,
            )
            for s in path.steps
        ],
        total_cost=path.total_cost,
    )


def _point_id(point: PlacedItem) -> str:
    return point.id


def map_points_page(
    G: nx.MultiDiGraph,
    points: Sequence[PlacedItem],
    first: int,
    after: str | None,
    community: int | None = None,
) -> Connection[MapPoint]:
    """A page of a map's points, sliced from the map computed once per graph version.

    ``points`` are in ascending id order (as :func:`skill_map` returns them), so the
    cursors are the same keyset cursors as every other list of the API
    (:func:`cartonet.api.types.paginate`): ``after`` points after an id, a page starts at
    the first point above it (binary search, no re-sorting), and a cursor of one page of a
    filtered list stays meaningful on the next. ``community`` keeps one cluster's members;
    an id that is no cluster of the map gives an empty page, as the lists' filters do.
    """
    check_first(first)
    after_id = decode_cursor(after)
    if community is not None:
        # one pass over the cached list; the map itself is not recomputed
        points = [p for p in points if p.community == community]
    start = 0 if after_id is None else bisect.bisect_right(points, after_id, key=_point_id)
    chunk = points[start : start + first]
    return Connection.build(
        chunk,  # type: ignore[arg-type]  # build only reads ``.id`` for the cursor
        total_count=len(points),
        end_cursor=encode_cursor(chunk[-1].id) if chunk else None,
        has_next_page=start + len(chunk) < len(points),
        has_previous_page=start > 0,
        make=lambda p: MapPoint(
            node=_node(G, p.id), x=p.x, y=p.y, community=p.community, centrality=p.centrality
        ),
    )


def map_links_page(
    links: MapLinks,
    first: int,
    after: str | None,
    around: Sequence[str] | None = None,
) -> Connection[MapLink]:
    """A page of a map's links, sliced from the map computed once per graph version.

    ``links`` are sorted by their ``id`` (``source``, then ``target``), so a cursor is the
    pair's id and a page starts at the first link above it (binary search). ``around``
    keeps the links with an end among those ids (:meth:`MapLinks.touching`).
    """
    check_first(first)
    after_id = decode_cursor(after)
    if around is not None and len(around) > MAX_PAGE:
        raise InvalidArgument("around", f"at most {MAX_PAGE} ids, got {len(around)}")
    items: Sequence[LinkedPair] = links
    if around is not None:
        items = links.touching(str(i) for i in around)
    start = 0 if after_id is None else bisect.bisect_right(items, after_id, key=_link_id)
    chunk = items[start : start + first]
    return Connection.build(
        chunk,  # type: ignore[arg-type]  # build only reads ``.id`` for the cursor
        total_count=len(items),
        end_cursor=encode_cursor(chunk[-1].id) if chunk else None,
        has_next_page=start + len(chunk) < len(items),
        has_previous_page=start > 0,
        make=lambda link: MapLink(
            source=strawberry.ID(link.source), target=strawberry.ID(link.target), weight=link.weight
        ),
    )


def _link_id(link: LinkedPair) -> str:
    return link.id


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@contextmanager
def graphql_names(**renames: str) -> Iterator[None]:
    """Re-raise :class:`InvalidArgument` under the GraphQL argument's name: ``renames``
    maps the engine's names (``k``, ``occupation``) to the field's (``first``, ``id``), and
    profile fields become camelCase (``profile.current_occupations`` →
    ``profile.currentOccupations``; constraints live under ``profile.constraints``)."""
    try:
        yield
    except InvalidArgument as exc:
        name = renames.get(exc.argument, exc.argument)
        if name.startswith("constraints."):
            name = "profile." + name
        name = ".".join(_camel(part) for part in name.split("."))
        if name == exc.argument:
            raise
        raise InvalidArgument(name, exc.reason) from exc


async def _graph(info: strawberry.Info) -> nx.MultiDiGraph:
    ctx: Context = info.context
    # a store that is down or hangs fails here, within the app's read timeout, before the
    # cache waits on it (an export of a whole taxonomy is allowed to take longer)
    await ctx.read(ctx.store.version())
    return await projection_cache(ctx.cache).get(ctx.store)


# --- query ---------------------------------------------------------------------------------


@strawberry.type
class OrientationQuery:
    """Orientation: similar occupations, suggestions from a profile, gaps, paths, the map."""

    @strawberry.field(
        description="Occupations easiest to move to from `id`, best first (asymmetric "
        "similarity; see docs/algorithms.md)."
    )
    async def similar_occupations(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The occupation's id.")],
        first: Annotated[int, strawberry.argument(description="How many results.")] = 10,
    ) -> list[SimilarOccupationResult]:
        G = await _graph(info)
        with graphql_names(occupation="id", k="first"):
            found = similar_occupations(G, str(id), first)
        origin_estimated = bool(interest_edges(G, str(id), inferred=True))
        return [
            SimilarOccupationResult(
                occupation=_node(G, r.occupation),
                score=r.score,
                parts=SimilarityParts(**r.parts),
                shared_skills=_nodes(G, r.shared_skills),
                missing_skills=_nodes(G, r.missing_skills),
                interest_inferred=r.parts["interest"] > 0
                and (origin_estimated or bool(interest_edges(G, r.occupation, inferred=True))),
            )
            for r in found
        ]

    @strawberry.field(
        description="Occupations within reach of `profile`, best first, each with its score "
        "parts, shared and missing skills, matched interests, training plan and explanation."
    )
    async def suggest_transitions(
        self,
        info: strawberry.Info,
        profile: Annotated[
            ProfileInput, strawberry.argument(description="The seeker (used, never stored).")
        ],
        first: Annotated[int, strawberry.argument(description="How many suggestions.")] = 10,
        weights: Annotated[
            TransitionWeightsInput | None,
            strawberry.argument(
                description="Weights of the score parts (default: the tuned ones)."
            ),
        ] = None,
        lang: Annotated[
            Lang, strawberry.argument(description="Language of the explanations.")
        ] = Lang.FR,
    ) -> list[TransitionSuggestion]:
        G = await _graph(info)
        seeker = profile.to_profile()
        observed = await _observed_for(info, seeker)
        with graphql_names(k="first"):
            tw = (weights or TransitionWeightsInput()).to_weights()
            found = suggest_transitions(G, seeker, first, tw, lang.value, observed)
        return [
            TransitionSuggestion(
                occupation=_node(G, s.occupation),
                score=s.score,
                parts=TransitionParts(**s.parts),
                active_parts=[TransitionPart(p) for p in s.active_parts],
                curated_mobility=MobilityKind(s.curated_mobility) if s.curated_mobility else None,
                mobility_from=_node(G, s.mobility_from) if s.mobility_from else None,
                shared_skills=_nodes(G, s.shared_skills),
                missing_skills=_missing(G, s.gap),
                matched_interests=_nodes(G, s.matched_interests),
                inferred_interests=_nodes(G, s.inferred_interests),
                interests_from=_node(G, s.interests_from) if s.interests_from else None,
                training_plan=_plan(G, s.gap),
                explanation=s.explanation,
                level_step=s.level_step,
            )
            for s in found
        ]

    @strawberry.field(
        description="What `profile` lacks for occupation `target`, and the smallest set of "
        "trainings (by hours, greedy) covering the missing essential skills."
    )
    async def skill_gap(
        self,
        info: strawberry.Info,
        profile: Annotated[
            ProfileInput, strawberry.argument(description="The seeker (used, never stored).")
        ],
        target: Annotated[
            strawberry.ID, strawberry.argument(description="The occupation aimed at.")
        ],
        include_optional: Annotated[
            bool,
            strawberry.argument(description="Also plan trainings for missing optional skills."),
        ] = False,
    ) -> SkillGapResult:
        G = await _graph(info)
        with graphql_names():
            gap = skill_gap(G, profile.to_profile(), str(target), include_optional)
        return SkillGapResult(
            target=_node(G, gap.target),
            shared_skills=_nodes(G, gap.shared_skills),
            missing_skills=_missing(G, gap),
            training_plan=_plan(G, gap),
        )

    @strawberry.field(
        description="The `k` cheapest routes from one occupation to another through "
        "intermediate occupations, each step with its cost."
    )
    async def career_paths(
        self,
        info: strawberry.Info,
        source: Annotated[
            strawberry.ID, strawberry.argument(name="from", description="The occupation held.")
        ],
        target: Annotated[
            strawberry.ID, strawberry.argument(name="to", description="The occupation aimed at.")
        ],
        k: Annotated[int, strawberry.argument(description="How many routes, 1 to 20.")] = 3,
    ) -> list[CareerPathResult]:
        G = await _graph(info)
        if not isinstance(k, int) or not 1 <= k <= 20:
            raise InvalidArgument("k", f"must be between 1 and 20, got {k}")
        paths = await asyncio.to_thread(career_paths, G, str(source), str(target), k)
        return [_path(G, p) for p in paths]

    @strawberry.field(
        description="Clusters (Louvain), most central items (PageRank) and 2-D coordinates of "
        "the skills or the occupations (`points`, paged); computed once per graph version."
    )
    async def skill_map(
        self,
        info: strawberry.Info,
        kind: Annotated[
            MapKind, strawberry.argument(description="Map the skills or the occupations.")
        ] = MapKind.SKILLS,
    ) -> SkillMapResult:
        G = await _graph(info)
        m = await asyncio.to_thread(skill_map, G, kind.value)
        return SkillMapResult(
            kind=kind,
            modularity=m.modularity,
            communities=[
                MapCommunity(id=c.id, size=c.size, central=_nodes(G, c.central))
                for c in m.communities
            ],
            most_central=_nodes(G, m.most_central),
            graph=G,
            computed=m,
        )


__all__ = ["OrientationQuery", "ProfileInput", "TransitionWeightsInput"]
