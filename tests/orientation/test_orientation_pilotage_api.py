"""The pilotage fields of the GraphQL API over an embedded store holding the fixtures and
a few real observed moves: they answer what the engine computes, read the observed moves
of the area given, and name bad input."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from cartonet.api.app import create_app
from cartonet.model import Dataset, ObservedMobility, ObservedMove
from cartonet.orientation.pilotage import (
    feeder_occupations,
    population_options,
    skill_leverage,
    training_leverage,
    transferable_skills,
)
from cartonet.settings import Settings
from cartonet.store.embedded import EmbeddedStore
from cartonet_testing import embedded_store_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from api_helpers import Gql, client_for, gql_for

# Rows of lbb-pse_bassin-emploi_rome-connexe.csv (area, rome, rome_connexe, score) between
# fiches of the bundled fixtures; 75056 (Paris) is in area 1107 (..._code-insee.csv).
ROWS = [
    ("1107", "D1507", "D1106", 0.93213117),
    ("1107", "D1507", "D1107", 0.74759829),
    ("1107", "D1507", "D1104", 0.7365129),
    ("1108", "D1507", "D1102", 0.95230091),
]
COMMUNES = {"75056": "1107", "92050": "1108"}
GROUPS = [("rome:D1507", 12), ("rome:D1106", 5), ("rome:G1802", 3), ("rome:N1303", 7)]


@pytest.fixture(scope="module")
async def gql(
    tmp_path_factory: pytest.TempPathFactory, fixture_datasets: list[Dataset]
) -> AsyncIterator[Gql]:
    path = tmp_path_factory.mktemp("pilotage") / "store.sqlite"
    await embedded_store_file(path, fixture_datasets)
    store = EmbeddedStore(path)
    await store.open()
    moves = [ObservedMove(f"rome:{s}", f"rome:{e}", sc, area=a) for a, s, e, sc in ROWS]
    await store.load_observed(ObservedMobility("lbb-2021", moves, dict(COMMUNES)))
    await store.close()
    app = create_app(Settings(store=str(path)), warm_up=False)
    async with app.router.lifespan_context(app), client_for(app) as client:
        yield gql_for(client)


def population(groups: list[tuple[str, Any]] = GROUPS, **where: str) -> dict[str, Any]:
    return {"groups": [{"occupation": o, "count": c} for o, c in groups], **where}


FEEDERS = """
query($id: ID!, $area: String, $commune: String) {
  feederOccupations(id: $id, first: 5, area: $area, commune: $commune) {
    occupation { id } score parts { skill title content group interest feasibility }
    sharedSkills { id } missingSkills { id } trainingHours curated observed
  }
}
"""


async def test_feeders_answer_what_the_engine_computes(
    gql: Gql, fixtures_graph: nx.MultiDiGraph
) -> None:
    data = await gql(FEEDERS, {"id": "rome:D1106"})
    expected = feeder_occupations(fixtures_graph, "rome:D1106", k=5)
    got = data["feederOccupations"]
    assert [f["occupation"]["id"] for f in got] == [f.occupation for f in expected]
    for g, e in zip(got, expected, strict=True):
        assert g["score"] == pytest.approx(e.score)
        assert g["parts"] == pytest.approx(e.parts)
        assert [s["id"] for s in g["sharedSkills"]] == e.shared_skills
        assert [s["id"] for s in g["missingSkills"]] == e.missing_skills
        assert (g["trainingHours"], g["curated"]) == (pytest.approx(e.training_hours), e.curated)


async def test_feeders_flag_the_moves_observed_in_the_area(gql: Gql) -> None:
    # D1507 → D1106 was observed in area 1107 only
    for where, seen in [({}, True), ({"area": "1107"}, True), ({"commune": "92050"}, False)]:
        data = await gql(FEEDERS, {"id": "rome:D1106", **where})
        flags = {f["occupation"]["id"]: f["observed"] for f in data["feederOccupations"]}
        assert flags["rome:D1507"] == seen
        assert not any(v for k, v in flags.items() if k != "rome:D1507")


OPTIONS = """
query($p: PopulationInput!) {
  populationOptions(population: $p, first: 500) {
    occupation { id } people share origins { occupation { id } count score }
  }
}
"""


async def test_population_options_answer_what_the_engine_computes(
    gql: Gql, fixtures_graph: nx.MultiDiGraph
) -> None:
    data = await gql(OPTIONS, {"p": population()})
    expected = population_options(fixtures_graph, GROUPS, k=500)
    got = data["populationOptions"]
    assert [(o["occupation"]["id"], o["people"]) for o in got] == [
        (o.occupation, o.people) for o in expected
    ]
    assert got[0]["share"] == pytest.approx(expected[0].share)
    assert [x["occupation"]["id"] for x in got[0]["origins"]] == [
        x.occupation for x in expected[0].origins
    ]


async def test_observed_moves_of_the_area_become_options(
    gql: Gql, fixtures_graph: nx.MultiDiGraph
) -> None:
    observed = {"rome:D1507": {f"rome:{e}": sc for a, s, e, sc in ROWS if a == "1107"}}
    expected = population_options(fixtures_graph, GROUPS, k=500, observed=observed)
    for where in ({"area": "1107"}, {"commune": "75056"}):
        got = (await gql(OPTIONS, {"p": population(**where)}))["populationOptions"]
        assert [(o["occupation"]["id"], o["people"]) for o in got] == [
            (o.occupation, o.people) for o in expected
        ]
    reach = {o.occupation: o.people for o in expected}
    assert all(f"rome:{e}" in reach for a, _, e, _ in ROWS if a == "1107")


LEVERAGE = """
query($p: PopulationInput!) {
  skillLeverage(population: $p, first: 10) { skill { id } newOptions people }
  trainingLeverage(population: $p, first: 10) {
    training { id } newOptions hours optionsPerHour people
  }
  transferableSkills(population: $p, first: 10) { skill { id } clusters heldBy otherClusters }
  bridges: transferableSkills(first: 5) { skill { id } clusters heldBy }
}
"""


async def test_leverage_and_transferable_skills_answer_what_the_engine_computes(
    gql: Gql, fixtures_graph: nx.MultiDiGraph
) -> None:
    G = fixtures_graph
    data = await gql(LEVERAGE, {"p": population()})
    skills = skill_leverage(G, GROUPS, k=10)
    assert skills and training_leverage(G, GROUPS, k=10), "the case must show leverage"
    assert [(s["skill"]["id"], s["people"]) for s in data["skillLeverage"]] == [
        (s.item, s.people) for s in skills
    ]
    assert [s["newOptions"] for s in data["skillLeverage"]] == pytest.approx(
        [s.new_options for s in skills]
    )
    trainings = training_leverage(G, GROUPS, k=10)
    assert [(t["training"]["id"], t["hours"]) for t in data["trainingLeverage"]] == [
        (t.item, t.hours) for t in trainings
    ]
    held = transferable_skills(G, GROUPS, k=10)
    assert [
        (s["skill"]["id"], s["clusters"], s["heldBy"], s["otherClusters"])
        for s in data["transferableSkills"]
    ] == [(s.skill, s.clusters, s.held_by, s.other_clusters) for s in held]
    assert [s["skill"]["id"] for s in data["bridges"]] == [
        s.skill for s in transferable_skills(G, k=5)
    ]


@pytest.mark.parametrize(
    ("variables", "argument", "words"),
    [
        ({"p": population([])}, "population.groups", "at least one group"),
        ({"p": population([("rome:D1507", 0)])}, "population.groups[0].count", "from 1"),
        (
            {"p": population([("rome:D1507", 2), ("rome:Z9999", 1), ("nope", 4)])},
            "population.groups",
            "[1] 'rome:Z9999' (unknown), [2] 'nope' (unknown)",
        ),
        ({"p": population(commune="99999")}, "population.commune", "no employment area"),
        ({"p": population(area="1107", commune="75056")}, "population.commune", "not both"),
    ],
)
async def test_bad_populations_are_bad_user_input(
    gql: Gql, variables: dict[str, Any], argument: str, words: str
) -> None:
    for query in (OPTIONS, LEVERAGE):
        body = await gql(query, variables, errors=True)
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["argument"] == argument
        assert words in error["message"]


async def test_bad_feeder_arguments_are_bad_user_input(gql: Gql) -> None:
    for variables, argument in [({"id": "rome:Z9999"}, "id"), ({"id": "esco-skill:x"}, "id")]:
        body = await gql(FEEDERS, variables, errors=True)
        assert body["errors"][0]["extensions"]["argument"] == argument
    body = await gql('{ feederOccupations(id: "rome:D1106", first: 0) { score } }', errors=True)
    assert body["errors"][0]["extensions"]["argument"] == "first"


async def test_the_viability_threshold_is_an_input(
    gql: Gql, fixtures_graph: nx.MultiDiGraph
) -> None:
    data = await gql(LEVERAGE, {"p": population(viability=0.2)})
    expected = skill_leverage(fixtures_graph, GROUPS, k=10, viability=0.2)
    assert [s["skill"]["id"] for s in data["skillLeverage"]] == [s.item for s in expected]
    assert expected != skill_leverage(fixtures_graph, GROUPS, k=10)
    body = await gql(OPTIONS, {"p": population(viability=1.5)}, errors=True)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "population.viability"
