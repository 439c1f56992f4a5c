"""The orientation fields of the GraphQL API, over an embedded store holding the fixtures."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pytest
from orientation_helpers import required

from cartonet.api.app import create_app
from cartonet.api.limits import Limits
from cartonet.model import Dataset
from cartonet.orientation.profile import Profile
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.skillmap import skill_map
from cartonet.orientation.transitions import suggest_transitions
from cartonet.settings import Settings
from cartonet_testing import crossed, embedded_store_file


@pytest.fixture(scope="module")
async def store_path(
    tmp_path_factory: pytest.TempPathFactory, fixture_datasets: list[Dataset]
) -> Path:
    return await embedded_store_file(
        tmp_path_factory.mktemp("orientation-api") / "fixtures.sqlite", fixture_datasets
    )


@pytest.fixture(scope="module")
async def client(store_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(store=str(store_path)))
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
        assert f["activeParts"] == [p.upper() for p in e.active_parts]
        assert f["trainingPlan"]["totalHours"] == e.gap.total_hours
    # weights move the ranking: with only affinity, the top is the best interest match
    only_affinity = query.replace("occupation { id }", "occupation { id interests { code } }")
    body = await gql(
        client,
        only_affinity,
        {
            "p": profile,
            "w": {"skillFit": 0, "gapCost": 0, "mobility": 0, "similarity": 0, "affinityFit": 1},
        },
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
          points { totalCount pageInfo { hasNextPage }
            edges { node { node { id } x y community centrality } } }
          mostCentral { id } } }""",
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
    points = m["points"]
    assert m["kind"] == "OCCUPATIONS" and not points["pageInfo"]["hasNextPage"]
    assert sum(c["size"] for c in m["communities"]) == points["totalCount"]
    assert points["totalCount"] == len(points["edges"])


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
        (
            '{ suggestTransitions(profile: {interests: [{id: "S", weight: 1e400}]}) { score } }',
            "profile.interests.S",
        ),
        ('{ careerPaths(from: "rome:G1602", to: "rome:G1602") { totalCost } }', "to"),
        ('{ skillGap(profile: {}, target: "nope") { target { id } } }', "target"),
        ("{ suggestTransitions(profile: {}) { score } }", "profile"),
        (
            '{ suggestTransitions(profile: {dislikedOccupations: ["rome:G1602"], '
            'interests: [{id: "S", weight: 0}]}) { score } }',
            "profile",
        ),
        ('{ skillGap(profile: {}, target: "rome:G1602") { target { id } } }', "profile"),
        ("{ skillMap(kind: OCCUPATIONS) { points(first: 501) { totalCount } } }", "first"),
        ("{ skillMap(kind: OCCUPATIONS) { points(first: -1) { totalCount } } }", "first"),
        ('{ skillMap(kind: OCCUPATIONS) { points(after: "nope") { totalCount } } }', "after"),
        ('{ skillMap { points(first: "ten") { totalCount } } }', "first"),
    ]
    for query, argument in cases:
        body = await gql(client, query)
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["argument"] == argument


# --- the map, paged -------------------------------------------------------------------------

POINTS = """
query($kind: MapKind!, $first: Int!, $after: String, $community: Int) {
  skillMap(kind: $kind) {
    points(first: $first, after: $after, community: $community) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { node { id type } x y community centrality } }
    }
  }
}"""


async def _walk(
    client: httpx.AsyncClient, kind: str, first: int, community: int | None = None
) -> tuple[list[dict], set[int]]:
    """Every point of the map, page after page; and the totalCounts seen."""
    seen: list[dict] = []
    totals: set[int] = set()
    after = None
    while True:
        variables = {"kind": kind, "first": first, "after": after, "community": community}
        body = await gql(client, POINTS, variables)
        assert "errors" not in body, body
        page = body["data"]["skillMap"]["points"]
        totals.add(page["totalCount"])
        assert len(page["edges"]) <= first
        seen.extend(e["node"] for e in page["edges"])
        if page["edges"]:
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return seen, totals
        assert len(page["edges"]) == first
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(("kind", "first"), [("OCCUPATIONS", 40), ("SKILLS", 500)])
async def test_paging_the_map_gives_every_point_once(
    client: httpx.AsyncClient, fixtures_graph: nx.MultiDiGraph, kind: str, first: int
) -> None:
    expected = skill_map(fixtures_graph, kind.lower()).points
    assert len(expected) > first, "the fixtures must make the map span several pages"
    seen, totals = await _walk(client, kind, first)
    ids = [p["node"]["id"] for p in seen]
    assert totals == {len(expected)}
    assert ids == sorted(set(ids)), "ascending id order, each point once"
    assert ids == [p.id for p in expected]
    for got, want in zip(seen, expected, strict=True):
        assert (got["x"], got["y"]) == pytest.approx((want.x, want.y))
        assert got["community"] == want.community
        assert got["centrality"] == pytest.approx(want.centrality)
    assert {p["node"]["type"] for p in seen} == {kind[:-1]}


async def test_community_filter_keeps_one_cluster(
    client: httpx.AsyncClient, fixtures_graph: nx.MultiDiGraph
) -> None:
    body = await gql(client, "{ skillMap(kind: OCCUPATIONS) { communities { id size } } }")
    communities = body["data"]["skillMap"]["communities"]
    assert len(communities) > 1
    expected = skill_map(fixtures_graph, "occupations").points
    for c in communities:
        seen, totals = await _walk(client, "OCCUPATIONS", 500, c["id"])
        assert totals == {c["size"]} and len(seen) == c["size"]
        assert {p["community"] for p in seen} == {c["id"]}
        assert [p["node"]["id"] for p in seen] == [p.id for p in expected if p.community == c["id"]]
    # cursors within a filtered list: small pages of the largest cluster
    largest = max(communities, key=lambda c: c["size"])
    seen, totals = await _walk(client, "OCCUPATIONS", 7, largest["id"])
    assert totals == {largest["size"]}
    assert len({p["node"]["id"] for p in seen}) == len(seen) == largest["size"]
    # a cluster the map does not have: an empty page, like an unknown group filter
    for unknown in (len(communities), -1):
        page = (
            await gql(client, POINTS, {"kind": "OCCUPATIONS", "first": 5, "community": unknown})
        )["data"]["skillMap"]["points"]
        assert page == {
            "totalCount": 0,
            "pageInfo": {"hasNextPage": False, "endCursor": None},
            "edges": [],
        }


COSTLY = """
query($n: Int!) {
  skillMap(kind: OCCUPATIONS) {
    points(first: $n) {
      edges { node { node { ... on Skill {
        occupations(first: 500) { edges { node { id } } } } } } }
    }
  }
}"""


async def test_the_cost_limit_counts_the_points_page(client: httpx.AsyncClient) -> None:
    """The same query is refused or run depending only on ``points(first:)``."""
    body = await gql(client, COSTLY, {"n": 500})
    assert "data" not in body  # refused before execution: no data entry (GraphQL spec)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "costly" in body["errors"][0]["message"]
    body = await gql(client, COSTLY, {"n": 2})
    assert "errors" not in body, body
    assert len(body["data"]["skillMap"]["points"]["edges"]) == 2


async def test_the_cost_estimate_of_a_points_page(store_path: Path) -> None:
    """With a budget of 0 every query is refused, and the message gives its estimate:
    ``skillMap``, ``points`` and ``edges`` once, then ``node`` and ``x`` once per point
    asked (``first``, else its default of 500)."""
    app = create_app(Settings(store=str(store_path)), limits=Limits(max_cost=0))
    cases = [("first: 10", 3 + 2 * 10), ("first: 0", 3), ("", 3 + 2 * 500)]
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://cartonet.test") as c,
    ):
        for args, cost in cases:
            page = f"points({args})" if args else "points"
            query = f"{{ skillMap {{ {page} {{ edges {{ node {{ x }} }} }} }} }}"
            body = await gql(c, query)
            found = re.search(r"about ([\d,]+) fields", body["errors"][0]["message"])
            assert found and int(found.group(1).replace(",", "")) == cost, (args, body)


LINKS = """
query($kind: MapKind!, $first: Int!, $after: String, $around: [ID!]) {
  skillMap(kind: $kind) {
    links(first: $first, after: $after, around: $around) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { source target weight } }
    }
  }
}"""


async def _links(
    client: httpx.AsyncClient, kind: str, first: int, around: list[str] | None = None
) -> tuple[list[tuple[str, str, float]], set[int]]:
    """Every link of the map, page after page; and the totalCounts seen."""
    seen: list[tuple[str, str, float]] = []
    totals: set[int] = set()
    after = None
    while True:
        variables = {"kind": kind, "first": first, "after": after, "around": around}
        body = await gql(client, LINKS, variables)
        assert "errors" not in body, body
        page = body["data"]["skillMap"]["links"]
        totals.add(page["totalCount"])
        assert len(page["edges"]) <= first
        seen.extend(
            (e["node"]["source"], e["node"]["target"], e["node"]["weight"]) for e in page["edges"]
        )
        if not page["pageInfo"]["hasNextPage"]:
            return seen, totals
        assert len(page["edges"]) == first
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(("kind", "first"), [("OCCUPATIONS", 150), ("SKILLS", 500)])
async def test_paging_the_map_links_gives_every_link_once(
    client: httpx.AsyncClient, fixtures_graph: nx.MultiDiGraph, kind: str, first: int
) -> None:
    computed = skill_map(fixtures_graph, kind.lower())
    expected = computed.links
    assert len(expected) > first, "the fixtures must make the links span several pages"
    seen, totals = await _links(client, kind, first)
    assert totals == {len(expected)}
    pairs = [(s, t) for s, t, _ in seen]
    assert pairs == sorted(set(pairs)) and all(s < t for s, t in pairs), "sorted, once a pair"
    assert pairs == [(link.source, link.target) for link in expected]
    assert [w for _, _, w in seen] == pytest.approx([link.weight for link in expected])
    # the links join placed points, and every point has one (each keeps its best neighbours)
    points = {p.id for p in computed.points}
    ends = {s for s, _ in pairs} | {t for _, t in pairs}
    assert ends <= points
    assert len(ends) > 0.9 * len(points)


async def test_links_around_a_few_items(
    client: httpx.AsyncClient, fixtures_graph: nx.MultiDiGraph
) -> None:
    """``around`` keeps the links touching the items named, pages included."""
    expected = skill_map(fixtures_graph, "occupations").links
    around = ["rome:G1602", expected[len(expected) // 2].target]
    want = [
        (link.source, link.target) for link in expected if {link.source, link.target} & set(around)
    ]
    assert len(want) > 3
    seen, totals = await _links(client, "OCCUPATIONS", 3, around)
    assert totals == {len(want)}
    assert [(s, t) for s, t, _ in seen] == want
    seen, _ = await _links(client, "OCCUPATIONS", 10, ["no:such:id"])
    assert seen == []
    too_many = [f"x{i}" for i in range(501)]
    body = await gql(client, LINKS, {"kind": "OCCUPATIONS", "first": 1, "around": too_many})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "around"
    for bad, argument in ((501, "first"), (-1, "first")):
        body = await gql(client, LINKS, {"kind": "OCCUPATIONS", "first": bad})
        assert body["errors"][0]["extensions"]["argument"] == argument
    body = await gql(client, LINKS, {"kind": "OCCUPATIONS", "first": 1, "after": "nope"})
    assert body["errors"][0]["extensions"]["argument"] == "after"


async def test_the_cost_estimate_of_a_links_page(store_path: Path) -> None:
    """``links`` counts like ``points``: ``skillMap``, ``links`` and ``edges`` once, then
    ``node`` and ``weight`` once per link asked (``first``, else its default of 500)."""
    app = create_app(Settings(store=str(store_path)), limits=Limits(max_cost=0))
    cases = [("first: 10", 3 + 2 * 10), ("", 3 + 2 * 500)]
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://cartonet.test") as c,
    ):
        for args, cost in cases:
            page = f"links({args})" if args else "links"
            body = await gql(c, f"{{ skillMap {{ {page} {{ edges {{ node {{ weight }} }} }} }} }}")
            found = re.search(r"about ([\d,]+) fields", body["errors"][0]["message"])
            assert found and int(found.group(1).replace(",", "")) == cost, (args, body)


async def test_lacking_skills_reach_the_engine(
    client: httpx.AsyncClient, fixtures_graph: nx.MultiDiGraph
) -> None:
    """What the guide sends when a counsellor unticks skills of the current job."""
    cook_skills = sorted(required(fixtures_graph, "rome:G1602"))
    unticked = cook_skills[:3]
    query = """query($p: ProfileInput!) { skillGap(profile: $p, target: "rome:G1602") {
        missingSkills { skill { id } } sharedSkills { id } } }"""
    profile = {"currentOccupations": ["rome:G1602"], "lackingSkills": unticked}
    body = await gql(client, query, {"p": profile})
    assert "errors" not in body, body
    gap = body["data"]["skillGap"]
    assert sorted(m["skill"]["id"] for m in gap["missingSkills"]) == unticked
    assert len(gap["sharedSkills"]) == len(cook_skills) - 3


async def test_entry_requirements_and_feasibility_through_the_api(
    client: httpx.AsyncClient, fixtures_graph: nx.MultiDiGraph
) -> None:
    """The occupation's entry requirements, the seeker's level, the feasibility part, the
    honest hours and the required diploma, as the engine computes them."""
    body = await gql(
        client,
        """{ occupation(id: "rome:J1507") {
               entryLevel entryLevelFrom regulated requiredDiploma entryText } }""",
    )
    assert "errors" not in body
    node = fixtures_graph.nodes["rome:J1507"]["node"]
    assert body["data"]["occupation"] == {
        "entryLevel": node.props.get("entryLevel"),
        "entryLevelFrom": node.props.get("entryLevelFrom"),
        "regulated": True,
        "requiredDiploma": "Diplôme d'État de puéricultrice",
        "entryText": node.props["entryText"],
    }
    query = """
        query($p: ProfileInput!) {
          suggestTransitions(profile: $p, first: 10, lang: FR) {
            occupation { id } parts { feasibility } levelStep explanation
            trainingPlan {
              totalHours catalogueHours estimatedHours regulated requiredDiploma } } }"""
    profile = {
        "currentOccupations": ["rome:G1602"],
        "interests": [{"id": "S"}],
        "educationLevel": 3,
        "openToLongTraining": True,
    }
    body = await gql(client, query, {"p": profile})
    assert "errors" not in body
    expected = suggest_transitions(
        fixtures_graph,
        Profile(
            current_occupations=("rome:G1602",),
            interests={"S": 1.0},
            education_level=3,
            open_to_long_training=True,
        ),
        10,
    )
    found = body["data"]["suggestTransitions"]
    assert [f["occupation"]["id"] for f in found] == [e.occupation for e in expected]
    for f, e in zip(found, expected, strict=True):
        plan = f["trainingPlan"]
        assert f["levelStep"] == e.level_step and f["explanation"] == e.explanation
        assert f["parts"]["feasibility"] == pytest.approx(e.parts["feasibility"])
        assert plan["totalHours"] == pytest.approx(plan["catalogueHours"] + plan["estimatedHours"])
        assert plan["requiredDiploma"] == e.gap.required_diploma
    gap = await gql(
        client,
        """{ skillGap(profile: {currentOccupations: ["rome:G1602"]}, target: "rome:J1507") {
               trainingPlan { regulated requiredDiploma } } }""",
    )
    assert gap["data"]["skillGap"]["trainingPlan"] == {
        "regulated": True,
        "requiredDiploma": "Diplôme d'État de puéricultrice",
    }
    bad = await gql(client, query, {"p": {"educationLevel": 11}})
    assert bad["errors"][0]["extensions"]["argument"] == "profile.educationLevel"


async def test_inferred_interests_are_flagged(
    tmp_path: Path, fixture_datasets: list[Dataset]
) -> None:
    """Interests read across a crosswalk (ESCO jobs have none of their own) are reported as
    estimates, with the linked occupation they come from; a ROME job's own are not."""
    crossed_ds, extra = crossed(fixture_datasets)
    path = await embedded_store_file(tmp_path / "crossed.sqlite", [*fixture_datasets, crossed_ds])
    app = create_app(Settings(store=str(path)))
    query = """query($p: ProfileInput!) { suggestTransitions(profile: $p, first: 10) {
        occupation { id } matchedInterests { id } inferredInterests { id }
        interestsFrom { id interests { id } } } }"""
    origin = sorted({r.start for r in extra})[0]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cartonet.test") as c:
            esco = [
                (
                    await gql(
                        c, query, {"p": {"currentOccupations": [origin], "interests": [{"id": x}]}}
                    )
                )
                for x in "RIASEC"
            ]
            rome = await gql(
                c, query, {"p": {"currentOccupations": ["rome:G1602"], "interests": [{"id": "S"}]}}
            )
            similar = """query($id: ID!) { similarOccupations(id: $id, first: 10) {
                occupation { id } parts { interest } interestInferred } }"""
            esco_similar = (await gql(c, similar, {"id": origin}))["data"]["similarOccupations"]
            rome_similar = (await gql(c, similar, {"id": "rome:G1602"}))["data"][
                "similarOccupations"
            ]
            matches = """query($id: ID!) { occupation(id: $id) {
                interests { id } interestMatches { interest { id } inferred } } }"""
            esco_matches = (await gql(c, matches, {"id": origin}))["data"]["occupation"]
            rome_matches = (await gql(c, matches, {"id": "rome:G1602"}))["data"]["occupation"]
    found = [s for body in esco for s in body["data"]["suggestTransitions"]]
    flagged = [s for s in found if s["inferredInterests"]]
    assert flagged
    for s in found:
        own = {r.end for r in extra if r.start == s["occupation"]["id"]}
        matched = [i["id"] for i in s["matchedInterests"]]
        assert [i["id"] for i in s["inferredInterests"]] == [i for i in matched if i in own]
    for s in flagged:
        twin = s["interestsFrom"]
        assert twin["id"].startswith("rome:")
        assert {i["id"] for i in s["inferredInterests"]} <= {i["id"] for i in twin["interests"]}
    shown = rome["data"]["suggestTransitions"]
    assert any(s["matchedInterests"] for s in shown)
    assert all(s["inferredInterests"] == [] and s["interestsFrom"] is None for s in shown)
    # similarOccupations: the interest part of two ESCO jobs rests on estimates, of ROME
    # jobs on ROME's own codes
    assert any(r["parts"]["interest"] > 0 for r in esco_similar)
    assert all(r["interestInferred"] == (r["parts"]["interest"] > 0) for r in esco_similar)
    assert any(r["parts"]["interest"] > 0 for r in rome_similar)
    assert not any(r["interestInferred"] for r in rome_similar)
    # Occupation.interestMatches: the same interests as `interests`, in the same order,
    # each marked an estimate exactly when the crosswalk inferred it
    for occ, inferred in ((esco_matches, True), (rome_matches, False)):
        listed = [m["interest"]["id"] for m in occ["interestMatches"]]
        assert listed and listed == [i["id"] for i in occ["interests"]]
        assert all(m["inferred"] is inferred for m in occ["interestMatches"])
    assert {m["interest"]["id"] for m in esco_matches["interestMatches"]} == {
        r.end for r in extra if r.start == origin
    }
