"""Nodes and relationships as Neo4j properties, both ways (no Neo4j needed)."""

from __future__ import annotations

import dataclasses

import pytest

from cartonet.ingest.fixtures import load_fixtures
from cartonet.model import LANGS, PROPS_LEFT_OUT, Dataset, Node, NodeType, Relationship, RelType
from cartonet.store.cypher import statements
from cartonet.store.neo4j_rows import (
    LABELS_ONLY,
    fingerprint,
    node_from_columns,
    node_from_labels,
    node_from_props,
    node_props,
    props_from_columns,
    rel_from,
    rel_props,
    search_terms,
)
from cartonet.store.neo4j_search import candidate_queries, escape, label_entries_of
from cartonet.store.search import filter_text, label_entries, query_tokens


@pytest.fixture(scope="module")
def datasets() -> list[Dataset]:
    return list(load_fixtures())


def _canonical(node: Node) -> Node:
    """The node as a store keeps it: empty labels and None properties dropped."""
    return dataclasses.replace(
        node,
        labels={k: v for k, v in sorted(node.labels.items()) if v},
        alt_labels={k: tuple(v) for k, v in sorted(node.alt_labels.items()) if v},
        descriptions={k: v for k, v in sorted(node.descriptions.items()) if v},
        props={k: v for k, v in sorted(node.props.items()) if v is not None},
    )


def test_every_fixture_node_reads_back_as_written(datasets: list[Dataset]) -> None:
    for node in (n for ds in datasets for n in ds.nodes):
        assert node_from_props(node_props(node)) == _canonical(node)


def test_nodes_read_as_columns_in_any_order_have_their_keys_sorted() -> None:
    node = Node(
        "x:1",
        NodeType.OCCUPATION,
        {"fr": "soudeur", "en": "welder"},
        "doc",
        alt_labels={"fr": ("soudeuse",), "en": ("welding operator",)},
        descriptions={"en": "joins metal", "fr": "assemble"},
        props={"regulated": False, "code": "7212.1", "iscoGroup": "7212"},
    )
    stored = list(node_props(node).items())
    for order in (stored, stored[::-1], stored[1::2] + stored[::2]):
        read = node_from_columns([k for k, _ in order], [v for _, v in order])
        assert read == _canonical(node)
        for mapping in (read.labels, read.alt_labels, read.descriptions, read.props):
            assert list(mapping) == sorted(mapping)  # the embedded store's key order
    keys, values = [k for k, _ in stored], [v for _, v in stored]
    assert node_from_columns(keys, values, complete=False).complete is False


def test_edge_properties_read_as_columns_come_in_key_order() -> None:
    for keys, values in (
        (["weight", "relevance"], [1.0, "essential"]),
        (["relevance", "weight"], ["essential", 1.0]),
    ):
        props = props_from_columns(keys, values)
        assert props == {"relevance": "essential", "weight": 1.0}
        assert list(props) == ["relevance", "weight"]
    assert props_from_columns([], []) == {}


def test_a_stored_node_without_its_identity_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="lacks one of id, type, source"):
        node_from_columns(["id", "label_fr"], ["x:1", "soudeur"])


def test_empty_values_are_not_stored() -> None:
    node = Node(
        "x:1",
        NodeType.SKILL,
        {"fr": "soudure", "en": ""},
        "doc",
        alt_labels={"en": ()},
        props={"code": None, "kind": "HARD"},
    )
    props = node_props(node)
    assert "label_en" not in props and "alt_en" not in props and "code" not in props
    assert node_from_props(props) == _canonical(node)


def test_fingerprint_follows_content_only() -> None:
    node = Node("x:1", NodeType.SKILL, {"fr": "soudure"}, "doc", props={"kind": "HARD"})
    same = node_props(node)["_fp"]
    assert node_props(dataclasses.replace(node))["_fp"] == same
    for changed in (
        dataclasses.replace(node, labels={"fr": "soudage"}),
        dataclasses.replace(node, source="other"),
        dataclasses.replace(node, props={"kind": "SOFT"}),
        dataclasses.replace(node, descriptions={"fr": "assembler"}),
    ):
        assert node_props(changed)["_fp"] != same
    assert fingerprint({"a": 1}) != fingerprint({"a": 1.0})  # as the embedded store's JSON


def test_relationship_props_and_source() -> None:
    rel = Relationship(RelType.MOBILITY, "rome:A", "rome:B", {"kind": "CLOSE", "source": "rome"})
    stored = rel_props(rel, "rome-v333")
    assert stored["source"] == "rome" and stored["_source"] == "rome-v333"
    assert rel_from("MOBILITY", "rome:A", "rome:B", stored) == rel
    assert rel_props(rel, "other")["_fp"] != stored["_fp"]


def test_search_terms_are_the_significant_tokens_of_every_label(datasets: list[Dataset]) -> None:
    for node in (n for ds in datasets for n in ds.nodes):
        expected = {t for e in label_entries(node) for t in query_tokens(e.label)}
        assert set(search_terms(node).split()) == expected
        assert set(search_terms(node, filter_text(node)).split()) == expected


def test_stored_labels_give_the_entries_ranking_takes(datasets: list[Dataset]) -> None:
    # The label index and the full-text path rank entries rebuilt from stored properties:
    # they must be the node's own entries, on a light node of the same id and type.
    for node in (n for ds in datasets for n in ds.nodes):
        props = node_props(node)
        got = list(label_entries_of(node.id, props["type"], props.items()))
        expected = label_entries(node)
        assert sorted((e.label, e.lang, e.preferred) for e in got) == sorted(
            (e.label, e.lang, e.preferred) for e in expected
        )
        assert {(e.node.id, e.node.type) for e in got} <= {(node.id, node.type)}


def test_search_terms_of_labels_without_ascii_form() -> None:
    node = Node("x:1", NodeType.SKILL, {"el": "Ελληνικά", "fr": "grec"}, "doc")
    expected = {t for e in label_entries(node) for t in query_tokens(e.label)}
    assert set(search_terms(node).split()) == expected


@pytest.mark.parametrize(
    "text", ["C++", "C#", "AND", "OR NOT", '"quoted"', "a:b", "(x)", "50%", "\\", "*?~^"]
)
def test_queries_hold_no_lucene_syntax(text: str) -> None:
    for query in candidate_queries(text, ["cplusplus", "csharp", "and", "quoted"]):
        terms = query.split(" OR ")
        assert all(t.rstrip("*").isalnum() for t in terms), query


def test_escape_leaves_letters_and_digits_and_escapes_the_rest() -> None:
    assert escape("developpeur42") == "developpeur42"
    assert escape("c++") == "c\\+\\+"
    assert escape('a "b" \\') == 'a\\ \\"b\\"\\ \\\\'


def test_long_queries_are_split_under_lucenes_clause_limit() -> None:
    # 600 index terms within two edits of the query token: one clause each.
    word = "abcdefgh"
    near = sorted(
        {
            word[:i] + a + word[i + 1 : j] + b + word[j + 1 :]
            for i in range(8)
            for j in range(i + 1, 8)
            for a in "mnopqrsxy"
            for b in "tuvwz0123"
        }
    )[:600]
    queries = candidate_queries(word, near)
    assert len(queries) > 1
    assert all(q.count(" OR ") < 1024 for q in queries)
    terms = [t for q in queries for t in q.split(" OR ")]
    assert sorted(terms) == sorted([word, f"{word}*", *near])


def test_a_node_read_with_its_labels_only() -> None:
    values = ["Skill", "esco-v1.1.1", "cook food", None]  # as LABELS_ONLY lists them
    node = node_from_labels("esco:s1", values)
    assert (node.id, node.type, node.source) == ("esco:s1", NodeType.SKILL, "esco-v1.1.1")
    assert node.labels == {"en": "cook food"}  # a label the node lacks is left out
    assert node.props is PROPS_LEFT_OUT and not node.complete
    with pytest.raises(LookupError, match="labels only"):
        node.props.get("kind")
    assert node.label("fr") == "cook food"  # what the API reads still answers


def test_the_statements_send_labels_only_as_the_reader_takes_them() -> None:
    """Every nested read's labels-only projection names the properties of LABELS_ONLY in
    their order (a language added to the model must be added to the statements)."""
    assert ("type", "source", *(f"label_{lang}" for lang in sorted(LANGS))) == LABELS_ONLY
    projection = "[" + ", ".join(f"other.{key}" for key in LABELS_ONLY) + "]"
    texts = statements().by_name
    nested = [
        f"{kind}_{direction}"
        for kind in ("neighbours", "neighbour_pages", "nodes_neighbours", "nodes_pages")
        for direction in ("out", "in")
    ]
    for name in nested:
        assert f"CASE WHEN $labels_only THEN {projection}" in texts[name], name
