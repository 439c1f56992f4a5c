"""Lookups by id and the relations of each node type, checked against the loaded data."""

from __future__ import annotations

from api_helpers import Gql, Graph

from cartonet.model import NodeType, RelType

OCCUPATION = """
query($id: ID!) {
  occupation(id: $id) {
    id type code source
    fr: label(lang: FR) en: label(lang: EN)
    altFr: altLabels(lang: FR)
    description(lang: EN)
    groups { id code }
    broader { id }
    interests { id code }
    skills { relevance weight skill { id kind } }
    essential: skills(relevance: ESSENTIAL) { skill { id } }
    knowledge: skills(kind: KNOWLEDGE) { skill { id kind } }
    mobilities { kind occupation { id } }
    trainings { id illustrative }
  }
}
"""


def _pick(graph: Graph, node_type: NodeType, rel: RelType, outgoing: bool = True) -> str:
    for node in graph.of_type(node_type):
        edges = graph.out(node.id, rel) if outgoing else graph.into(node.id, rel)
        if edges:
            return node.id
    raise AssertionError(f"the fixtures have no {node_type} with {rel}")


async def test_occupation_fields_match_the_data(gql: Gql, graph: Graph) -> None:
    occ_id = _pick(graph, NodeType.OCCUPATION, RelType.REQUIRES)
    node = graph.nodes[occ_id]
    data = (await gql(OCCUPATION, {"id": occ_id}))["occupation"]
    assert data["id"] == occ_id
    assert data["type"] == "OCCUPATION"
    assert data["source"] == node.source
    assert data["fr"] == node.label("fr")
    assert data["en"] == node.label("en")
    assert data["altFr"] == list(node.alt("fr"))
    assert data["description"] == node.description("en")
    assert data["code"] == node.props.get("code")

    required = {r.end: r for r in graph.out(occ_id, RelType.REQUIRES)}
    assert {s["skill"]["id"] for s in data["skills"]} == set(required)
    for item in data["skills"]:
        assert item["relevance"] == required[item["skill"]["id"]].props.get("relevance")
    relevances = [s["relevance"] for s in data["skills"]]
    assert relevances == sorted(relevances, key=lambda r: r != "ESSENTIAL"), "essential first"
    essential = {k for k, r in required.items() if r.props.get("relevance") == "ESSENTIAL"}
    assert {s["skill"]["id"] for s in data["essential"]} == essential
    knowledge = {k for k in required if graph.nodes[k].props.get("kind") == "KNOWLEDGE"}
    assert {s["skill"]["id"] for s in data["knowledge"]} == knowledge

    groups = {g["id"] for g in data["groups"]}
    expected_groups = {
        a for a in graph.ancestors(occ_id) if graph.nodes[a].type == NodeType.OCCUPATION_GROUP
    }
    assert groups == expected_groups


async def test_mobilities_and_interests_match_the_data(gql: Gql, graph: Graph) -> None:
    occ_id = _pick(graph, NodeType.OCCUPATION, RelType.MOBILITY)
    data = (await gql(OCCUPATION, {"id": occ_id}))["occupation"]
    expected = {(r.end, r.props.get("kind")) for r in graph.out(occ_id, RelType.MOBILITY)}
    assert {(m["occupation"]["id"], m["kind"]) for m in data["mobilities"]} == expected

    occ_id = _pick(graph, NodeType.OCCUPATION, RelType.MATCHES_INTEREST)
    data = (await gql(OCCUPATION, {"id": occ_id}))["occupation"]
    expected_ids = {r.end for r in graph.out(occ_id, RelType.MATCHES_INTEREST)}
    assert {i["id"] for i in data["interests"]} == expected_ids


async def test_skill_and_its_occupations(gql: Gql, graph: Graph) -> None:
    skill_id = _pick(graph, NodeType.SKILL, RelType.REQUIRES, outgoing=False)
    node = graph.nodes[skill_id]
    query = """
    query($id: ID!, $after: String) {
      skill(id: $id) {
        id label(lang: EN) kind reuse
        broader { id type }
        occupations(first: 2, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
        }
      }
    }"""
    data = (await gql(query, {"id": skill_id}))["skill"]
    assert data["label"] == node.label("en")
    assert data["kind"] == node.props.get("kind")
    occupations = sorted(
        r.start
        for r in graph.into(skill_id, RelType.REQUIRES)
        if graph.nodes[r.start].type == NodeType.OCCUPATION
    )
    conn = data["occupations"]
    assert conn["totalCount"] == len(occupations)
    assert [e["node"]["id"] for e in conn["edges"]] == occupations[:2]
    assert conn["pageInfo"]["hasNextPage"] == (len(occupations) > 2)
    assert {b["id"] for b in data["broader"]} == {
        r.end for r in graph.out(skill_id, RelType.BROADER)
    }

    seen = [e["node"]["id"] for e in conn["edges"]]
    after = conn["pageInfo"]["endCursor"]
    while conn["pageInfo"]["hasNextPage"]:
        conn = (await gql(query, {"id": skill_id, "after": after}))["skill"]["occupations"]
        seen += [e["node"]["id"] for e in conn["edges"]]
        after = conn["pageInfo"]["endCursor"]
    assert seen == occupations


async def test_training_fields_and_illustrative_flag(gql: Gql, graph: Graph) -> None:
    trainings = graph.of_type(NodeType.TRAINING)
    assert trainings, "the fixtures include an (illustrative) training catalogue"
    training = trainings[0]
    query = """
    query($id: ID!) {
      training(id: $id) {
        id label durationHours level certification provider illustrative
        teaches { id } requires { id } preparesFor { id }
      }
    }"""
    data = (await gql(query, {"id": training.id}))["training"]
    assert data["illustrative"] is bool(training.props.get("illustrative"))
    assert data["illustrative"] is True  # no real open catalogue: every training is marked
    assert data["provider"] == training.props.get("provider")
    assert {s["id"] for s in data["teaches"]} == {
        r.end for r in graph.out(training.id, RelType.TEACHES)
    }
    assert {o["id"] for o in data["preparesFor"]} == {
        r.end for r in graph.out(training.id, RelType.PREPARES_FOR)
    }


async def test_interest_lookup(gql: Gql, graph: Graph) -> None:
    interest = graph.of_type(NodeType.INTEREST)[0]
    query = """
    query($id: ID!) {
      interest(id: $id) { id code label occupations(first: 500) { totalCount } }
    }"""
    data = (await gql(query, {"id": interest.id}))["interest"]
    assert data["code"] == interest.props.get("code")
    assert data["occupations"]["totalCount"] == len(
        graph.into(interest.id, RelType.MATCHES_INTEREST)
    )


async def test_unknown_ids_are_null_without_error(gql: Gql, graph: Graph) -> None:
    skill_id = graph.of_type(NodeType.SKILL)[0].id
    query = """
    query($skill: ID!) {
      occupation(id: "rome:does-not-exist") { id }
      skill(id: "nope") { id }
      training(id: "") { id }
      interest(id: "x") { id }
      node(id: "nope") { id }
      wrongType: occupation(id: $skill) { id }
      nodes(ids: ["nope", $skill]) { id }
    }"""
    data = await gql(query, {"skill": skill_id})
    assert data["occupation"] is None
    assert data["skill"] is None
    assert data["training"] is None
    assert data["interest"] is None
    assert data["node"] is None
    assert data["wrongType"] is None, "an id of another type answers null, like an unknown id"
    assert data["nodes"] == [None, {"id": skill_id}]


async def test_node_interface_resolves_concrete_types(gql: Gql, graph: Graph) -> None:
    ids = [graph.of_type(t)[0].id for t in NodeType if graph.of_type(t)]
    query = """
    query($ids: [ID!]!) {
      nodes(ids: $ids) { __typename id type label ... on Skill { kind } ... on Occupation { code } }
    }"""
    data = (await gql(query, {"ids": ids}))["nodes"]
    for item, node_id in zip(data, ids, strict=True):
        node = graph.nodes[node_id]
        assert item["id"] == node_id
        assert item["__typename"] == node.type.value
        assert item["type"] == node.type.name


async def test_stats_match_the_loaded_data(gql: Gql, graph: Graph) -> None:
    data = (
        await gql("{ stats { occupations skills trainings interests groups relations version } }")
    )["stats"]
    assert data["occupations"] == len(graph.of_type(NodeType.OCCUPATION))
    assert data["skills"] == len(graph.of_type(NodeType.SKILL))
    assert data["trainings"] == len(graph.of_type(NodeType.TRAINING))
    assert data["interests"] == len(graph.of_type(NodeType.INTEREST))
    assert data["relations"] == len(graph.rels)
    assert data["version"]
