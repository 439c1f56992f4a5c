"""The ``cypher/*.cypher`` files and their loader (no Neo4j needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cartonet.model import NodeType, RelType
from cartonet.store import neo4j as neo4j_store
from cartonet.store.cypher import cypher_dir, parse, statements

SLOT = re.compile(r"\{(label|rel)\}")


def test_files_are_found_in_the_checkout(repo_root: Path) -> None:
    assert cypher_dir() == repo_root / "cypher"
    assert {p.stem for p in cypher_dir().glob("*.cypher")} >= {"schema", "read", "load", "search"}


def test_every_node_type_has_a_unique_id_constraint() -> None:
    schema = statements()
    constrained = {
        m.group(1)
        for name in schema.group("schema")
        for m in re.finditer(r"FOR \(n:(\w+)\) REQUIRE n\.id IS UNIQUE", schema.by_name[name])
    }
    assert constrained == {t.value for t in NodeType} | {"Node"}


def test_schema_statements_are_idempotent() -> None:
    schema = statements()
    for name in schema.group("schema"):
        text = schema.by_name[name]
        if text.startswith("CREATE"):
            assert "IF NOT EXISTS" in text, name


def test_values_are_parameters_and_only_enum_slots_are_rendered() -> None:
    for name, text in statements().by_name.items():
        # No Python formatting fields other than the two enum slots.
        stripped = SLOT.sub("", text)
        assert not re.search(r"\{[a-z_]+\}", stripped), name
        assert "%s" not in text and "{0}" not in text, name


def test_render_takes_enum_members_only() -> None:
    cypher = statements()
    text = cypher.render("merge_nodes", label=NodeType.SKILL)
    assert "n:`Skill`" in text and "{label}" not in text
    with pytest.raises(TypeError):
        cypher.render("merge_nodes", label="Skill) DETACH DELETE (n")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="slot"):
        cypher["merge_nodes"]  # a slotted statement cannot be used unrendered
    with pytest.raises(ValueError):
        cypher.render("merge_nodes")  # slot left empty
    with pytest.raises(ValueError):
        cypher.render("merge_nodes", label=NodeType.SKILL, rel=RelType.REQUIRES)


def test_every_statement_the_store_names_exists_and_none_is_unused() -> None:
    source = Path(neo4j_store.__file__).read_text(encoding="utf-8")
    named = set(re.findall(r"""(?:cypher|_cypher)(?:\.render\(|\[)\s*"([a-z_]+)\"""", source))
    named |= set(re.findall(r"""_records?\(\s*"([a-z_]+)\"""", source))
    named |= {"neighbours_out", "neighbours_in"}  # chosen by direction
    named |= {"neighbour_pages_out", "neighbour_pages_in"}  # chosen by direction
    named |= {"nodes_neighbours_out", "nodes_neighbours_in"}  # chosen by direction
    named |= {"nodes_pages_out", "nodes_pages_in"}  # chosen by direction
    named |= {"list_nodes", "list_nodes_all"}  # chosen by whether a filter is given
    named |= {"delete_observed_moves", "delete_area_communes"}  # run in a loop by name
    cypher = statements()
    assert named <= set(cypher.by_name), named - set(cypher.by_name)
    prefixes = neo4j_store._SCHEMA_OBJECTS
    schema_objects = {n for n in cypher.group("schema") if n.startswith(prefixes)}
    assert set(cypher.by_name) - named - schema_objects == set()


def test_parse_reports_where_a_file_is_wrong() -> None:
    assert parse("// a comment\n// name: one\nRETURN 1\n") == {"one": "RETURN 1"}
    with pytest.raises(ValueError, match=r"x.cypher:3: statement 'one' named twice"):
        parse("// name: one\nRETURN 1\n// name: one\nRETURN 2", "x.cypher")
    with pytest.raises(ValueError, match=r"x.cypher:1: text before"):
        parse("RETURN 1\n// name: one\nRETURN 2", "x.cypher")
    with pytest.raises(ValueError, match="empty"):
        parse("// name: one\n// name: two\nRETURN 2", "x.cypher")
