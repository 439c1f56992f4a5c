"""Search through the API: the targets from the issue, filters and the hit shape."""

from __future__ import annotations

import pytest
from api_helpers import Gql, Graph

from cartonet.model import NodeType

SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"

SEARCH = """
query($text: String!, $kinds: [NodeType!], $lang: Lang, $first: Int! = 10) {
  search(text: $text, kinds: $kinds, lang: $lang, first: $first) {
    score matchedLabel matchedLang
    node { id type label ... on Occupation { code } }
  }
}"""


@pytest.mark.parametrize("text", ["developpeur logiciel", "dévelopeur", "software developer"])
async def test_software_developer_in_top_3(gql: Gql, graph: Graph, text: str) -> None:
    assert SOFTWARE_DEVELOPER in graph.nodes, "the fixtures hold the ESCO software developer"
    hits = (await gql(SEARCH, {"text": text, "kinds": ["OCCUPATION"], "first": 3}))["search"]
    assert SOFTWARE_DEVELOPER in [h["node"]["id"] for h in hits], hits


async def test_software_developer_in_top_3_across_all_kinds(gql: Gql) -> None:
    hits = (await gql(SEARCH, {"text": "software developer", "first": 3}))["search"]
    assert SOFTWARE_DEVELOPER in [h["node"]["id"] for h in hits]


async def test_hits_are_ranked_and_carry_the_matched_label(gql: Gql, graph: Graph) -> None:
    hits = (await gql(SEARCH, {"text": "infirmier", "first": 10}))["search"]
    assert hits
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    for hit in hits:
        node = graph.nodes[hit["node"]["id"]]
        labels = {*node.labels.values(), *(a for alts in node.alt_labels.values() for a in alts)}
        assert hit["matchedLabel"] in labels


async def test_kinds_and_lang_restrict_hits(gql: Gql, graph: Graph) -> None:
    hits = (await gql(SEARCH, {"text": "programmation", "kinds": ["SKILL"], "first": 20}))["search"]
    assert hits and all(h["node"]["type"] == "SKILL" for h in hits)
    hits = (await gql(SEARCH, {"text": "software", "lang": "EN", "first": 20}))["search"]
    assert hits and all(h["matchedLang"] in (None, "EN") for h in hits)


async def test_first_bounds_the_number_of_hits(gql: Gql) -> None:
    hits = (await gql(SEARCH, {"text": "gestion", "first": 2}))["search"]
    assert len(hits) == 2


@pytest.mark.parametrize("kind", [t.name for t in NodeType])
async def test_every_kind_is_accepted(gql: Gql, kind: str) -> None:
    await gql(SEARCH, {"text": "a", "kinds": [kind], "first": 1})
