"""The Neo4j store answers like the embedded store on the bundled fixtures (real ESCO and
ROME subsets, 8,500 nodes): load counts, lookups, lists, neighbourhoods and, above all,
search, for hundreds of queries drawn from the data and for raw Lucene syntax, on both
search paths of the Neo4j store (the in-memory label index, and the full-text candidates
of ``label_index=False``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from neo4j_backend import Neo4jService, wipe
from neo4j_parity import (
    SPECIAL_QUERIES,
    compare_lists,
    compare_neighbours,
    compare_search,
    queries_from,
    report_counts,
)

from cartonet.api.app import create_app
from cartonet.ingest.fixtures import load_fixtures
from cartonet.model import Dataset, LoadReport, Node, NodeType, RelType
from cartonet.settings import Settings
from cartonet.store.base import Direction, NodeFilter, encode_cursor
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.neo4j import Neo4jStore


@dataclass
class Pair:
    datasets: list[Dataset]
    embedded: EmbeddedStore
    neo4j: Neo4jStore
    neo4j_fulltext: Neo4jStore  # the same database, searched through the full-text index
    reports: list[tuple[LoadReport, LoadReport]]

    def searcher(self, path: str) -> Neo4jStore:
        return self.neo4j if path == "label_index" else self.neo4j_fulltext

    @property
    def nodes(self) -> list[Node]:
        return sorted((n for ds in self.datasets for n in ds.nodes), key=lambda n: n.id)


@pytest.fixture(scope="module")
async def pair(neo4j_service: Neo4jService) -> AsyncIterator[Pair]:
    datasets = list(load_fixtures())
    await wipe(neo4j_service)
    neo4j = neo4j_service.store()
    fulltext = neo4j_service.store(label_index=False)
    embedded = EmbeddedStore(":memory:")
    for store in (neo4j, fulltext, embedded):
        await store.open()
    reports = [(await embedded.load(ds), await neo4j.load(ds)) for ds in datasets]
    yield Pair(datasets, embedded, neo4j, fulltext, reports)
    for store in (neo4j, fulltext, embedded):
        await store.close()


SEARCH_PATHS = pytest.mark.parametrize("path", ["label_index", "fulltext"])


def test_loads_report_the_same_counts(pair: Pair) -> None:
    for expected, got in pair.reports:
        assert report_counts(got) == report_counts(expected)
        assert got.nodes_written == len(
            {n.id for n in next(ds for ds in pair.datasets if ds.source == got.source).nodes}
        )


async def test_stats_and_export_match(pair: Pair) -> None:
    a, b = await pair.embedded.stats(), await pair.neo4j.stats()
    assert (a.occupations, a.skills, a.trainings, a.interests, a.groups, a.relations) == (
        b.occupations,
        b.skills,
        b.trainings,
        b.interests,
        b.groups,
        b.relations,
    )
    assert await pair.neo4j.export() == await pair.embedded.export()


async def test_lookups_match(pair: Pair) -> None:
    ids = [n.id for n in pair.nodes[::37]] + ["rome:Z9999", "http://data.europa.eu/esco/x"]
    assert await pair.neo4j.get_nodes(ids) == await pair.embedded.get_nodes(ids)


@SEARCH_PATHS
async def test_search_matches_on_queries_from_the_data(pair: Pair, path: str) -> None:
    queries = queries_from(pair.nodes, 80)
    assert await compare_search(pair.embedded, pair.searcher(path), queries) == []


@SEARCH_PATHS
async def test_search_matches_on_lucene_syntax_and_edge_cases(pair: Pair, path: str) -> None:
    assert await compare_search(pair.embedded, pair.searcher(path), SPECIAL_QUERIES) == []
    long_query = " ".join(queries_from(pair.nodes, 40, seed=3))  # many tokens and clauses
    assert await compare_search(pair.embedded, pair.searcher(path), [long_query]) == []


@pytest.mark.parametrize(
    ("types", "lang", "first"),
    [
        ([NodeType.OCCUPATION], None, 5),
        ([NodeType.SKILL, NodeType.SKILL_GROUP], "en", 20),
        (None, "fr", 1),
        ([NodeType.TRAINING, NodeType.INTEREST], None, 50),
        (None, None, 500),
    ],
)
@SEARCH_PATHS
async def test_search_matches_with_filters(
    pair: Pair, path: str, types: list[NodeType] | None, lang: str | None, first: int
) -> None:
    queries = queries_from(pair.nodes, 25, seed=first)
    differ = await compare_search(
        pair.embedded, pair.searcher(path), queries, types=types, lang=lang, first=first
    )
    assert differ == []


async def test_lists_match(pair: Pair) -> None:
    groups = [
        n.id for n in pair.nodes if n.type in (NodeType.SKILL_GROUP, NodeType.OCCUPATION_GROUP)
    ][::60]
    for type_ in NodeType:
        await compare_lists(pair.embedded, pair.neo4j, type_, NodeFilter(), 100, 3)
        for text in ("infirm", "Développ", "données", "a"):
            await compare_lists(pair.embedded, pair.neo4j, type_, NodeFilter(text=text), 50, 2)
        for group in groups:
            await compare_lists(pair.embedded, pair.neo4j, type_, NodeFilter(group=group), 50, 2)
    for kind in ("HARD", "KNOWLEDGE", "SOFT"):
        flt = NodeFilter(kind=kind, text="gest")
        await compare_lists(pair.embedded, pair.neo4j, NodeType.SKILL, flt, 20, 2)


async def test_neighbours_match(pair: Pair) -> None:
    ids = [n.id for n in pair.nodes[::11]]
    await compare_neighbours(pair.embedded, pair.neo4j, ids, list(RelType))
    for props in ({"relevance": "ESSENTIAL"}, {"relevance": "OPTIONAL"}, {"relevance": None}):
        a = await pair.embedded.neighbours(ids, RelType.REQUIRES, "OUT", props)
        b = await pair.neo4j.neighbours(ids, RelType.REQUIRES, "OUT", props)
        assert a == b, props


async def test_reloading_writes_nothing_in_both(pair: Pair) -> None:
    version = await pair.neo4j.version()
    for ds in pair.datasets:
        expected, got = await pair.embedded.load(ds), await pair.neo4j.load(ds)
        assert report_counts(got) == report_counts(expected)
        assert (got.nodes_written, got.relationships_written) == (0, 0)
    assert await pair.neo4j.version() == version


async def test_neighbour_pages_match(pair: Pair) -> None:
    ids = [n.id for n in pair.nodes[::7]]
    cases = [
        (RelType.REQUIRES, Direction.OUT, NodeType.SKILL, None),
        (RelType.REQUIRES, Direction.OUT, NodeType.SKILL, {"relevance": "ESSENTIAL"}),
        (RelType.REQUIRES, Direction.IN, NodeType.OCCUPATION, None),
        (RelType.BROADER, Direction.IN, NodeType.SKILL, None),
        (RelType.MATCHES_INTEREST, Direction.IN, NodeType.OCCUPATION, None),
    ]
    for rel, direction, node_type, props in cases:
        for first, after in (
            (5, None),
            (500, None),
            (3, encode_cursor("http://data.europa.eu/esco/skill/5")),
        ):
            args = (ids, rel, direction, node_type, first, after, props)
            a = await pair.embedded.neighbour_pages(*args)
            b = await pair.neo4j.neighbour_pages(*args, text=False)
            assert {k: (p.total_count, p.end_cursor, p.has_next_page) for k, p in a.items()} == {
                k: (p.total_count, p.end_cursor, p.has_next_page) for k, p in b.items()
            }
            for node_id, page in a.items():
                light = b[node_id].edges
                assert [(e.rel, e.node.id, e.node.labels, e.node.props) for e in page.edges] == [
                    (e.rel, e.node.id, e.node.labels, e.node.props) for e in light
                ]
                assert all(not e.node.complete for e in light)
            assert await pair.neo4j.neighbour_pages(*args) == a


NESTED_QUERY = """
query($id: ID!, $skill: ID!) {
  occupation(id: $id) {
    id label description(lang: EN) altLabels(lang: FR)
    skills(relevance: ESSENTIAL) { relevance weight skill { id label kind description altLabels } }
    skillsConnection(first: 4) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { relevance skill { id label(lang: EN) description(lang: EN) } } }
    }
    groups { id label description }
    narrowerConnection(first: 2) { totalCount edges { node { id } } }
  }
  occupations(first: 3, text: "infirm") { edges { node { id label description altLabels } } }
  skill(id: $skill) {
    occupations(first: 3) { totalCount edges { node { id label altLabels(lang: EN) } } }
    broader { id label ... on SkillGroup { description } }
  }
}"""


async def _both_answer(
    pair: Pair, query: str, every_occupation: int, every_skill: int
) -> list[list[dict[str, object]]]:
    """The answers of ``query`` (variables ``$id``, an occupation, and ``$skill``) on
    every n-th occupation and skill, through the API on each store: embedded, then Neo4j.
    Checks they hold no errors."""
    occupations = [n.id for n in pair.nodes if n.type == NodeType.OCCUPATION][::every_occupation]
    skills = [n.id for n in pair.nodes if n.type == NodeType.SKILL][::every_skill]
    answers = []
    for store in (pair.embedded, pair.neo4j):
        app = create_app(Settings(store="unused.sqlite"), store)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            got = []
            for occupation, skill in zip(occupations, skills, strict=False):
                body = {"query": query, "variables": {"id": occupation, "skill": skill}}
                reply = (await client.post("/graphql", json=body)).json()
                assert "errors" not in reply, reply
                got.append(reply["data"])
            answers.append(got)
    return answers


async def test_nested_queries_answer_the_same_through_the_api(pair: Pair) -> None:
    """Nested reads on Neo4j carry labels only; selecting a description or alternative
    labels on a nested node fetches it whole: the answers are the embedded store's."""
    answers = await _both_answer(pair, NESTED_QUERY, 25, 60)
    assert answers[0] == answers[1]
    assert any(a["occupation"]["skillsConnection"]["edges"] for a in answers[0])
    assert any(s["skill"]["description"] for a in answers[0] for s in a["occupation"]["skills"])


LABELS_QUERY = """
query($id: ID!, $skill: ID!) {
  occupation(id: $id) {
    id
    skills { skill { id label __typename } }
    essential: skills(relevance: ESSENTIAL) { weight skill { id kind reuse code } }
    knowledge: skills(kind: KNOWLEDGE) { relevance skill { id label } }
    skillsConnection(first: 3) {
      totalCount edges { cursor node { relevance skill { id label(lang: EN) type source } } }
    }
    narrower { id label }
    trainings { id label code }
  }
  skill(id: $skill) {
    occupations(first: 5) {
      totalCount pageInfo { endCursor hasNextPage } edges { node { id label __typename } }
    }
    scalars: occupations(first: 5) { edges { node { id entryLevel regulated code } } }
    fragment: occupations(first: 5) { edges { node { ... on Occupation { id entryLevel } } } }
    named: occupations(first: 5) { edges { node { ...entry } } }
  }
}
fragment entry on Occupation { label entryLevelFrom requiredDiploma }"""


async def test_labels_only_reads_answer_the_same_through_the_api(pair: Pair) -> None:
    """Nested lists whose nodes the query reads by id and label only are read with their
    labels only on Neo4j; those selecting anything else (a scalar, a fragment, the kind
    filter) read whole: every answer is the embedded store's."""
    answers = await _both_answer(pair, LABELS_QUERY, 20, 40)
    assert answers[0] == answers[1]
    found = [a for a in answers[0] if a["occupation"] and a["skill"]]
    assert any(r["skill"]["kind"] for a in found for r in a["occupation"]["essential"])
    assert any(a["occupation"]["knowledge"] for a in found)
    assert any(
        e["node"]["entryLevel"] is not None for a in found for e in a["skill"]["scalars"]["edges"]
    )
    assert any(e["node"].get("entryLevelFrom") for a in found for e in a["skill"]["named"]["edges"])


MAP_LINKS_QUERY = """
query($kind: MapKind!, $around: [ID!]) {
  skillMap(kind: $kind) {
    points(first: 5) { totalCount edges { node { node { id } community } } }
    links(first: 50, around: $around) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { source target weight } }
    }
  }
}"""


async def test_map_links_answer_the_same_through_the_api(pair: Pair) -> None:
    """The map's links (computed by the orientation engine from each store's graph) are
    the same on Neo4j as on the embedded store, whole pages and ``around`` a few jobs."""
    occupations = [n.id for n in pair.nodes if n.type == NodeType.OCCUPATION][::40]
    answers = []
    for store in (pair.embedded, pair.neo4j):
        app = create_app(Settings(store="unused.sqlite"), store)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            got = []
            for kind, around in (
                ("OCCUPATIONS", None),
                ("OCCUPATIONS", occupations),
                ("SKILLS", None),
            ):
                body = {"query": MAP_LINKS_QUERY, "variables": {"kind": kind, "around": around}}
                reply = (await client.post("/graphql", json=body)).json()
                assert "errors" not in reply, reply
                got.append(reply["data"])
            answers.append(got)
    assert answers[0] == answers[1]
    assert all(a["skillMap"]["links"]["edges"] for a in answers[0])


PILOTAGE_QUERY = """
query($id: ID!, $p: PopulationInput!, $area: String) {
  feederOccupations(id: $id, first: 8, area: $area) {
    occupation { id } score parts { skill title content group interest feasibility }
    sharedSkills { id } missingSkills { id } trainingHours curated observed
  }
  populationOptions(population: $p, first: 50) {
    occupation { id } people share origins { occupation { id } count score }
  }
  skillLeverage(population: $p, first: 30) { skill { id } newOptions people }
  trainingLeverage(population: $p, first: 30) {
    training { id } newOptions hours optionsPerHour people
  }
  transferableSkills(population: $p, first: 30) { skill { id } clusters heldBy otherClusters }
}"""

# Rows of lbb-pse_bassin-emploi_rome-connexe.csv (area, rome, rome_connexe, score) between
# fiches of the bundled fixtures.
OBSERVED_ROWS = [
    ("1107", "D1507", "D1106", 0.93213117),
    ("1107", "D1507", "D1107", 0.74759829),
    ("1108", "D1507", "D1102", 0.95230091),
]


async def test_pilotage_answers_the_same_through_the_api(pair: Pair) -> None:
    """Pilotage is orientation code over the projection: both stores give the same
    feeders, options, leverage and transferable skills, observed moves of an area
    included. Runs last in this module: it adds observed moves to both stores."""
    from cartonet.model import ObservedMobility, ObservedMove

    moves = [ObservedMove(f"rome:{s}", f"rome:{e}", sc, area=a) for a, s, e, sc in OBSERVED_ROWS]
    for store in (pair.embedded, pair.neo4j):
        await store.load_observed(ObservedMobility("lbb-2021", moves, {"75056": "1107"}))
    groups = [("rome:D1507", 12), ("rome:D1106", 5), ("rome:G1802", 3), ("rome:N1303", 7)]
    variables = [
        {"id": "rome:D1106", "area": "1107", "p": {"area": "1107", "groups": groups}},
        {"id": "rome:D1106", "area": None, "p": {"groups": groups}},
    ]
    for v in variables:
        v["p"]["groups"] = [{"occupation": o, "count": c} for o, c in groups]
    answers = []
    for store in (pair.embedded, pair.neo4j):
        app = create_app(Settings(store="unused.sqlite"), store)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            got = []
            for v in variables:
                reply = (
                    await client.post("/graphql", json={"query": PILOTAGE_QUERY, "variables": v})
                ).json()
                assert "errors" not in reply, reply
                got.append(reply["data"])
            answers.append(got)
    assert answers[0] == answers[1]
    local, merged = answers[0]
    assert any(f["observed"] for f in local["feederOccupations"])
    assert local["skillLeverage"] and local["trainingLeverage"] and local["populationOptions"]
    assert local["populationOptions"] != merged["populationOptions"]  # the area's moves count
