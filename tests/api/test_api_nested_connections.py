"""Nested connections (`skillsConnection`, `narrowerConnection`...): every page in id
order, with the count, the same items as the plain list beside them."""

from __future__ import annotations

from api_helpers import Gql, Graph

from cartonet.model import NodeType, RelType

SKILLS = """
query($id: ID!, $first: Int!, $after: String, $relevance: Relevance) {
  occupation(id: $id) {
    skills(relevance: $relevance) { relevance weight skill { id } }
    skillsConnection(relevance: $relevance, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { relevance weight skill { id label description } } }
    }
  }
}"""


async def _walk_skills(gql: Gql, occupation: str, relevance: str | None) -> tuple[list, list]:
    variables = {"id": occupation, "first": 3, "relevance": relevance}
    seen, totals, listed = [], set(), None
    after = None
    while True:
        data = (await gql(SKILLS, {**variables, "after": after}))["occupation"]
        listed = data["skills"]
        conn = data["skillsConnection"]
        totals.add(conn["totalCount"])
        assert len(conn["edges"]) <= 3
        seen += [e["node"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert totals == {len(seen)}
    return seen, listed


async def test_skills_connection_pages_the_skills_list(gql: Gql, graph: Graph) -> None:
    occupation = max(
        graph.of_type(NodeType.OCCUPATION), key=lambda n: len(graph.out(n.id, RelType.REQUIRES))
    ).id
    for relevance in (None, "ESSENTIAL", "OPTIONAL"):
        seen, listed = await _walk_skills(gql, occupation, relevance)
        assert len(seen) > 3, "several pages"
        ids = [s["skill"]["id"] for s in seen]
        assert ids == sorted(ids)
        # the same requirements as the list (which puts essential skills first)
        key = lambda r: (r["skill"]["id"], r["relevance"], r["weight"])  # noqa: E731
        assert sorted(map(key, seen)) == sorted(map(key, listed))
        if relevance:
            assert {s["relevance"] for s in seen} == {relevance}
        for s in seen:
            node = graph.nodes[s["skill"]["id"]]
            assert (s["skill"]["label"], s["skill"]["description"]) == (
                node.label("fr"),
                node.description("fr"),
            )


async def test_narrower_connections_match_the_lists(gql: Gql, graph: Graph) -> None:
    both = "narrower { id } narrowerConnection(first: 500) { totalCount edges { node { id } } }"
    query = (
        "query($id: ID!) { node(id: $id) { "
        + " ".join(
            f"... on {t} {{ {both} }}" for t in ("SkillGroup", "OccupationGroup", "Occupation")
        )
        + " } }"
    )
    checked = 0
    for node_type in (NodeType.SKILL_GROUP, NodeType.OCCUPATION_GROUP, NodeType.OCCUPATION):
        parents = [n.id for n in graph.of_type(node_type) if graph.into(n.id, RelType.BROADER)]
        for parent in parents[:5]:
            data = (await gql(query, {"id": parent}))["node"]
            listed = [n["id"] for n in data["narrower"]]
            conn = data["narrowerConnection"]
            assert [e["node"]["id"] for e in conn["edges"]] == sorted(listed)
            assert conn["totalCount"] == len(listed)
            checked += bool(listed)
    assert checked >= 5
