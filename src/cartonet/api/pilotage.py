"""GraphQL fields of strategic steering (pilotage): feeder occupations, and for a
population its options, the skills and trainings that open the most doors, and its
transferable skills (:mod:`cartonet.orientation.pilotage`; docs/pilotage.md).

The population is given in the request and never stored. Computations run in a worker
thread: a population of a few thousand groups takes seconds on a full taxonomy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

import networkx as nx
import strawberry

from cartonet.orientation.pilotage import (
    MAX_COUNT,
    MAX_GROUPS,
    VIABLE_SCORE,
    Population,
    check_population,
    feeder_occupations,
    population_options,
    skill_leverage,
    training_leverage,
    transferable_skills,
)

from .orientation import SimilarityParts, _graph, _node, _nodes, graphql_names
from .types import Occupation, Skill, Training, observed_area

# --- inputs --------------------------------------------------------------------------------


@strawberry.input(description="A group of people: an occupation and its head count.")
class PopulationGroupInput:
    occupation: strawberry.ID = strawberry.field(description="The occupation's id.")
    count: int = strawberry.field(
        description=f"How many people (a whole number from 1 to {MAX_COUNT}); an occupation "
        "given twice counts once with the counts added."
    )


@strawberry.input(
    description="A population: job seekers of an area, a company's staff... Used for this "
    "request only, never stored."
)
class PopulationInput:
    groups: list[PopulationGroupInput] = strawberry.field(
        description=f"Its groups, 1 to {MAX_GROUPS}."
    )
    area: str | None = strawberry.field(
        default=None,
        description="Employment-area code: the moves people of the population's occupations "
        "were observed to make there count as viable options.",
    )
    commune: str | None = strawberry.field(
        default=None, description="INSEE code of a commune, instead of its area."
    )
    viability: float = strawberry.field(
        default=VIABLE_SCORE,
        description=f"Similarity from which a feasible move is viable, 0 to 1 (default "
        f"{VIABLE_SCORE}, Nesta's threshold); lower it to see which skills bring moves "
        "closer when none crosses it.",
    )

    def pairs(self) -> list[tuple[str, int]]:
        return [(str(g.occupation), g.count) for g in self.groups]


# --- outputs -------------------------------------------------------------------------------


@strawberry.type(description="An occupation whose people can move into the one asked, with why.")
class FeederOccupationResult:
    occupation: Occupation = strawberry.field(description="The occupation people come from.")
    score: float = strawberry.field(
        description="The similarity of the move from it (the score `similarOccupations` "
        "gives the asked occupation from this one), in [0, 1]."
    )
    parts: SimilarityParts = strawberry.field(description="What the score is made of.")
    shared_skills: list[Skill] = strawberry.field(
        description="Skills the asked occupation requires that this one requires too."
    )
    missing_skills: list[Skill] = strawberry.field(
        description="Skills the asked occupation requires that this one does not, essential "
        "first, rarest first."
    )
    training_hours: float | None = strawberry.field(
        description="Hours of the training plan covering the missing essential skills "
        "(catalogue hours plus 70 h per skill no training teaches)."
    )
    curated: bool = strawberry.field(description="A curated MOBILITY move leads from it.")
    observed: bool = strawberry.field(
        description="People were observed making the move (in `area`/`commune` when given, "
        "else in any area)."
    )


@strawberry.type(description="A group of the population that can reach an option.")
class PopulationOrigin:
    occupation: Occupation = strawberry.field(description="The group's occupation.")
    count: int = strawberry.field(description="The group's head count.")
    score: float = strawberry.field(description="Similarity of the move, in [0, 1].")


@strawberry.type(description="A destination within reach of part of the population.")
class PopulationOption:
    occupation: Occupation = strawberry.field(description="The destination.")
    people: int = strawberry.field(description="Head count of the groups that can reach it.")
    share: float = strawberry.field(description="`people` over the population's head count.")
    origins: list[PopulationOrigin] = strawberry.field(
        description="The groups that can reach it, largest first."
    )


@strawberry.type(description="A skill and the new viable moves it opens for the population.")
class SkillLeverage:
    skill: Skill = strawberry.field(description="The skill to acquire.")
    new_options: float = strawberry.field(
        description="New viable moves per person once acquired (mean over the population, "
        "weighted by head counts; see docs/algorithms.md)."
    )
    people: int = strawberry.field(
        description="Head count of the groups that gain at least one move."
    )


@strawberry.type(description="A training and the new viable moves it opens per hour.")
class TrainingLeverage:
    training: Training = strawberry.field(description="The training.")
    new_options: float = strawberry.field(
        description="New viable moves per person once its skills are acquired (mean over "
        "the population, weighted by head counts)."
    )
    hours: float | None = strawberry.field(
        description="Its duration; null when the catalogue gives none (35 h are counted)."
    )
    options_per_hour: float = strawberry.field(description="`newOptions` per training hour.")
    people: int = strawberry.field(
        description="Head count of the groups that gain at least one move."
    )


@strawberry.type(description="A skill that bridges fields of the occupation map.")
class TransferableSkill:
    skill: Skill = strawberry.field(description="The skill.")
    clusters: int = strawberry.field(
        description="Clusters of the occupation map (`skillMap(kind: OCCUPATIONS)`) with an "
        "occupation requiring it."
    )
    held_by: int = strawberry.field(
        description="Head count of the population whose occupation requires it; without a "
        "population, the number of occupations requiring it."
    )
    other_clusters: int = strawberry.field(
        description="Of `clusters`, those holding none of the population's occupations "
        "(other fields valuing it); all of them without a population."
    )


# --- helpers -------------------------------------------------------------------------------


async def _observed(
    info: strawberry.Info, origins: list[str], area: str | None, commune: str | None, path: str
) -> dict[str, dict[str, float]] | None:
    """Observed moves from ``origins`` in the area named (``None`` when none is)."""
    if area is None and commune is None:
        return None
    where = await observed_area(info, area, commune, (f"{path}area", f"{path}commune"))
    return await _moves_from(info, origins, where)


async def _moves_from(
    info: strawberry.Info, origins: list[str], where: str | None
) -> dict[str, dict[str, float]]:
    """Observed moves from ``origins`` in ``where`` (any area when None), origin id →
    {destination id: score}."""
    found = await info.context.read(info.context.store.observed_moves(origins, where))
    return {start: {m.end: m.score for m in moves} for start, moves in found.items()}


async def _population(
    info: strawberry.Info, G: nx.MultiDiGraph, population: PopulationInput
) -> tuple[Population, dict[str, dict[str, float]] | None]:
    with graphql_names():
        pop = check_population(G, population.pairs(), "population.groups")
    observed = await _observed(
        info, list(pop.ids), population.area, population.commune, "population."
    )
    return pop, observed


async def _answer(
    info: strawberry.Info,
    population: PopulationInput,
    first: int,
    compute: Callable[..., list[Any]],
) -> tuple[nx.MultiDiGraph, list[Any]]:
    """``compute(G, population, first, observed, None, viability)`` off the event loop, with
    its argument errors named as the GraphQL arguments; the three population answers share
    this order of arguments."""
    G = await _graph(info)
    pop, observed = await _population(info, G, population)
    with graphql_names(k="first", viability="population.viability"):
        found = await asyncio.to_thread(
            compute, G, pop, first, observed, None, population.viability
        )
    return G, found


FirstArg = Annotated[int, strawberry.argument(description="How many results, 1 to 500.")]
PopulationArg = Annotated[
    PopulationInput, strawberry.argument(description="The population (used, never stored).")
]


# --- query ---------------------------------------------------------------------------------


@strawberry.type
class PilotageQuery:
    """Strategic steering: who could come here, which skills and trainings open doors."""

    @strawberry.field(
        description="Occupations whose people can most easily move into `id`, best first: "
        "the score `similarOccupations` gives the move from each (the same scoring read the "
        "other way), with shared and missing skills, training hours, curated and observed "
        "moves flagged."
    )
    async def feeder_occupations(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The occupation to fill.")],
        first: FirstArg = 10,
        area: Annotated[
            str | None,
            strawberry.argument(description="Employment area of the `observed` flag."),
        ] = None,
        commune: Annotated[
            str | None,
            strawberry.argument(description="INSEE commune code, instead of `area`."),
        ] = None,
    ) -> list[FeederOccupationResult]:
        G = await _graph(info)
        with graphql_names(occupation="id", k="first"):
            found = await asyncio.to_thread(feeder_occupations, G, str(id), first)
        observed: dict[str, dict[str, float]] = {}
        if found:
            where = await observed_area(info, area, commune)
            observed = await _moves_from(info, [f.occupation for f in found], where)
        return [
            FeederOccupationResult(
                occupation=_node(G, f.occupation),
                score=f.score,
                parts=SimilarityParts(**f.parts),
                shared_skills=_nodes(G, f.shared_skills),
                missing_skills=_nodes(G, f.missing_skills),
                training_hours=f.training_hours,
                curated=f.curated,
                observed=str(id) in observed.get(f.occupation, {}),
            )
            for f in found
        ]

    @strawberry.field(
        description="Destinations reachable by the largest part of `population` (viable "
        f"moves: similarity ≥ {VIABLE_SCORE} and at most one entry level up without a "
        "missing state diploma, curated moves, and observed moves in its area), with the "
        "groups that can reach each."
    )
    async def population_options(
        self, info: strawberry.Info, population: PopulationArg, first: FirstArg = 20
    ) -> list[PopulationOption]:
        G, found = await _answer(info, population, first, population_options)
        return [
            PopulationOption(
                occupation=_node(G, o.occupation),
                people=o.people,
                share=o.share,
                origins=[
                    PopulationOrigin(
                        occupation=_node(G, x.occupation), count=x.count, score=x.score
                    )
                    for x in o.origins
                ],
            )
            for o in found
        ]

    @strawberry.field(
        description="Skills that, once acquired, add the most new viable moves across "
        "`population` (Nesta's core-skills analysis; see docs/algorithms.md)."
    )
    async def skill_leverage(
        self, info: strawberry.Info, population: PopulationArg, first: FirstArg = 20
    ) -> list[SkillLeverage]:
        G, found = await _answer(info, population, first, skill_leverage)
        return [
            SkillLeverage(skill=_node(G, s.item), new_options=s.new_options, people=s.people)
            for s in found
        ]

    @strawberry.field(
        description="Trainings ranked by the new viable moves they open per training hour "
        "for `population`."
    )
    async def training_leverage(
        self, info: strawberry.Info, population: PopulationArg, first: FirstArg = 20
    ) -> list[TrainingLeverage]:
        G, found = await _answer(info, population, first, training_leverage)
        return [
            TrainingLeverage(
                training=_node(G, t.item),
                new_options=t.new_options,
                hours=t.hours,
                options_per_hour=float(t.options_per_hour or 0.0),
                people=t.people,
            )
            for t in found
        ]

    @strawberry.field(
        description="Skills required in the most clusters of the occupation map (bridges "
        "between fields); with `population`, the skills it holds, ranked by the clusters "
        "other than its own that require them."
    )
    async def transferable_skills(
        self,
        info: strawberry.Info,
        population: Annotated[
            PopulationInput | None,
            strawberry.argument(description="Optional population (used, never stored)."),
        ] = None,
        first: FirstArg = 20,
    ) -> list[TransferableSkill]:
        G = await _graph(info)
        pop = None
        if population is not None:
            with graphql_names():
                pop = check_population(G, population.pairs(), "population.groups")
            if population.area is not None or population.commune is not None:
                await observed_area(
                    info, population.area, population.commune,
                    ("population.area", "population.commune"),
                )  # fmt: skip
        with graphql_names(k="first"):
            found = await asyncio.to_thread(transferable_skills, G, pop, first)
        return [
            TransferableSkill(
                skill=_node(G, s.skill),
                clusters=s.clusters,
                held_by=s.held_by,
                other_clusters=s.other_clusters,
            )
            for s in found
        ]


__all__ = ["PilotageQuery", "PopulationInput"]
