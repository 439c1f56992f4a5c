"""Relay connections: pagination, totalCount and filters, checked against the loaded data."""

from __future__ import annotations

from api_helpers import Gql, Graph, fold

from cartonet.model import NodeType

LIST = """
query($first: Int!, $after: String, $text: String, $group: ID) {
  occupations(first: $first, after: $after, text: $text, group: $group) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id } }
  }
}"""


async def _walk(gql: Gql, first: int, **filters: object) -> tuple[list[str], set[int]]:
    ids: list[str] = []
    totals: set[int] = set()
    after = None
    while True:
        conn = (await gql(LIST, {"first": first, "after": after, **filters}))["occupations"]
        totals.add(conn["totalCount"])
        ids += [e["node"]["id"] for e in conn["edges"]]
        if conn["edges"]:
            assert conn["edges"][-1]["cursor"] == conn["pageInfo"]["endCursor"]
        if not conn["pageInfo"]["hasNextPage"]:
            return ids, totals
        after = conn["pageInfo"]["endCursor"]
        assert len(ids) <= 10_000, "pagination does not end"


async def test_walking_every_page_returns_every_occupation_once(gql: Gql, graph: Graph) -> None:
    expected = [n.id for n in graph.of_type(NodeType.OCCUPATION)]
    assert len(expected) > 37, "the fixtures should span several pages"
    ids, totals = await _walk(gql, first=37)
    assert ids == expected
    assert totals == {len(expected)}


async def test_text_filter_keeps_matching_labels_in_any_language(gql: Gql, graph: Graph) -> None:
    text = "Développeur"
    ids, totals = await _walk(gql, first=100, text=text)
    expected = [
        n.id
        for n in graph.of_type(NodeType.OCCUPATION)
        if any(fold(text) in label for label in graph.labels_folded(n))
    ]
    assert expected, "the fixtures have developer occupations"
    assert ids == expected
    assert totals == {len(expected)}


async def test_group_filter_keeps_occupations_under_the_group(gql: Gql, graph: Graph) -> None:
    groups = graph.of_type(NodeType.OCCUPATION_GROUP)
    members = {
        g.id: [o.id for o in graph.of_type(NodeType.OCCUPATION) if g.id in graph.ancestors(o.id)]
        for g in groups
    }
    group_id = max(members, key=lambda g: (0 < len(members[g]) < 200, len(members[g])))
    ids, totals = await _walk(gql, first=50, group=group_id)
    assert ids == members[group_id]
    assert totals == {len(members[group_id])}


async def test_skill_kind_filter(gql: Gql, graph: Graph) -> None:
    query = """
    query($kind: SkillKind) {
      skills(kind: $kind, first: 5) { totalCount edges { node { kind } } }
    }"""
    for kind in ("HARD", "KNOWLEDGE", "SOFT"):
        data = (await gql(query, {"kind": kind}))["skills"]
        expected = [s for s in graph.of_type(NodeType.SKILL) if s.props.get("kind") == kind]
        assert data["totalCount"] == len(expected)
        assert all(e["node"]["kind"] == kind for e in data["edges"])


async def test_first_zero_counts_without_items(gql: Gql, graph: Graph) -> None:
    conn = (await gql(LIST, {"first": 0}))["occupations"]
    assert conn["edges"] == []
    assert conn["totalCount"] == len(graph.of_type(NodeType.OCCUPATION))
    assert conn["pageInfo"]["hasNextPage"] is True


async def test_other_lists(gql: Gql, graph: Graph) -> None:
    query = """
    {
      trainings(first: 500) { totalCount }
      interests(first: 500) { totalCount edges { node { code } } }
      occupationGroups(first: 1) { totalCount }
      skillGroups(first: 1) { totalCount }
    }"""
    data = await gql(query)
    assert data["trainings"]["totalCount"] == len(graph.of_type(NodeType.TRAINING))
    assert data["interests"]["totalCount"] == len(graph.of_type(NodeType.INTEREST))
    assert data["occupationGroups"]["totalCount"] == len(graph.of_type(NodeType.OCCUPATION_GROUP))
    assert data["skillGroups"]["totalCount"] == len(graph.of_type(NodeType.SKILL_GROUP))
