"""The orientation fields of the GraphQL API, over an embedded store holding the fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import networkx as nx
import pytest
from orientation_helpers import required

from cartonet.api.app import create_app
from cartonet.model import Dataset
from cartonet.orientation.profile import Profile
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.transitions import suggest_transitions
from cartonet.settings import Settings
from cartonet.store.embedded import EmbeddedStore


@pytest.fixture(scope="module")
async def client(
    tmp_path_factory: pytest.TempPathFactory, fixture_datasets: list[Dataset]
) -> AsyncIterator[httpx.AsyncClient]:
    path = tmp_path_factory.mktemp("orientation-api") / "fixtures.sqlite"
    store = EmbeddedStore(path)
    await store.open()
    try:
        for ds in fixture_datasets:
            await store.load(ds)
    finally:
        await store.close()
    app = create_app(Settings(store=str(path)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cartonet.test") as c:
            yield c


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200
    return response.json()


async def test_similar_occupations_returns_real_occupations(
    client: httpx.AsyncClient, fixtures_graph: nx.MultiDiGraph
) -> None:
    body = await gql(
        client,
        """
        query($id: ID!) { similarOccupations(id: $id, first: 5) {
            occupation { id label skills { skill { id } } groups { id } }
            score parts { skill title content group interest }
            sharedSkills { id } missingSkills { id } } }""",
        {"id": "rome:G1602"},
    )
    assert "errors" not in body
    found = body["data"]["similarOccupations"]
    expected = similar_occupations(fixtures_graph, "rome:G1602", 5)
    assert [f["occupation"]["id"] for f in found] == [e.occupation for e in expected]
    for f, e in zip(found, expected, strict=True):
        assert f["score"] == pytest.approx(e.score)
        assert {s["skill"]["id"] for s in f["occupation"]["skills"]} == set(
            required(fixtures_graph, e.occupation)
        )
        assert [s["id"] for s in f["missingSkills"]] == e.missing_skills


async def test_suggest_transitions_with_a_profile(
    client: httpx.AsyncClient, fixtures_graph: nx.MultiDiGraph
) -> None:
    query = """
        query($p: ProfileInput!, $w: TransitionWeightsInput) {
          suggestTransitions(profile: $p, first: 4, weights: $w, lang: EN) {
            occupation { id } score parts { skillFit affinityFit gapCost mobility } activeParts
            curatedMobility mobilityFrom { id } sharedSkills { id }
            missingSkills { skill { id } essential } matchedInterests { id code }
            trainingPlan { totalHours uncoveredSkills { id }
              steps { training { id illustrative } hours covers { id } prerequisites { id } } }
            explanation } }"""
    profile = {"currentOccupations": ["rome:G1602"], "interests": [{"id": "R", "weight": 1.0}]}
    body = await gql(client, query, {"p": profile})
    assert "errors" not in body
    found = body["data"]["suggestTransitions"]
    expected = suggest_transitions(
        fixtures_graph,
        Profile(current_occupations=("rome:G1602",), interests={"R": 1.0}),
        4,
        lang="en",
    )
    assert [f["occupation"]["id"] for f in found] == [e.occupation for e in expected]
    for f, e in zip(found, expected, strict=True):
        assert f["explanation"] == e.explanation
        assert [m["skill"]["id"] for m in f["missingSkills"]] == e.missing_skills
        assert [
            m["skill"]["id"] for m in f["missingSkills"] if m["essential"]
        ] == e.missing_essential
        assert f["curatedMobility"] == e.curated_mobility
        assert f["trainingPlan"]["totalHours"] == e.gap.total_hours
    # weights move the ranking: with only affinity, the top is the best interest match
    only_affinity = query.replace("occupation { id }", "occupation { id interests { code } }")
    body = await gql(
        client,
        only_affinity,
        {"p": profile, "w": {"skillFit": 0, "gapCost": 0, "mobility": 0, "affinityFit": 1}},
    )
    assert all(
        f["occupation"]["interests"][0]["code"] == "R" for f in body["data"]["suggestTransitions"]
    )


async def test_interests_only_profile(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        """{ suggestTransitions(profile: {interests: [{id: "S"}]}, first: 3) {
        occupation { id interests { code } } matchedInterests { code } } }""",
    )
    for s in body["data"]["suggestTransitions"]:
        assert [i["code"] for i in s["matchedInterests"]] == ["S"]


async def test_skill_gap_and_paths_and_map(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        """{
        skillGap(profile: {currentOccupations: ["rome:G1603"]}, target: "rome:G1602") {
          target { id } sharedSkills { id } missingSkills { skill { id } essential }
          trainingPlan { totalHours } }
        careerPaths(from: "rome:G1603", to: "rome:G1703", k: 2) {
          totalCost occupations { id } steps { from { id } to { id } cost coverage curated } }
        skillMap(kind: OCCUPATIONS) { kind modularity communities { id size central { id } }
          points { node { id } x y community centrality } mostCentral { id } } }""",
    )
    assert "errors" not in body, body
    data = body["data"]
    assert data["skillGap"]["target"]["id"] == "rome:G1602"
    for p in data["careerPaths"]:
        assert (
            p["occupations"][0]["id"] == "rome:G1603" and p["occupations"][-1]["id"] == "rome:G1703"
        )
        assert p["totalCost"] == pytest.approx(sum(s["cost"] for s in p["steps"]))
    m = data["skillMap"]
    assert m["kind"] == "OCCUPATIONS" and sum(c["size"] for c in m["communities"]) == len(
        m["points"]
    )


async def test_bad_input_names_the_argument(client: httpx.AsyncClient) -> None:
    cases = [
        ('{ similarOccupations(id: "nope") { score } }', "id"),
        ('{ similarOccupations(id: "rome:G1602", first: 0) { score } }', "first"),
        (
            '{ suggestTransitions(profile: {currentOccupations: ["x"]}) { score } }',
            "profile.currentOccupations",
        ),
        (
            "{ suggestTransitions(profile: {constraints: {maxTrainingHours: -1}}) { score } }",
            "profile.constraints.maxTrainingHours",
        ),
        (
            "{ suggestTransitions(profile: {}, weights: {skillFit: -1}) { score } }",
            "weights.skillFit",
        ),
        (
            '{ suggestTransitions(profile: {skills: [{id: "rome:G1602"}]}) { score } }',
            "profile.skills",
        ),
        ('{ careerPaths(from: "rome:G1602", to: "rome:G1602") { totalCost } }', "to"),
        ('{ skillGap(profile: {}, target: "nope") { target { id } } }', "target"),
    ]
    for query, argument in cases:
        body = await gql(client, query)
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["argument"] == argument
