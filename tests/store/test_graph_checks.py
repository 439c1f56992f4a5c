"""Checks of a whole stored graph (``cartonet validate``): each finding is found, named
and counted; the command's exit code gates a pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cartonet.cli import main
from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
from cartonet.store.graph_checks import check_graph

S = "test-source"


def node(id_: str, type_: NodeType, label: str, **props: object) -> Node:
    return Node(id_, type_, {"fr": label, "en": label}, S, props=props)


def graph() -> Dataset:
    return Dataset(
        source=S,
        nodes=[
            node("o:1", NodeType.OCCUPATION, "Boulanger"),
            node("o:2", NodeType.OCCUPATION, "boulanger", incomplete=True),
            node("s:1", NodeType.SKILL, "Pétrir", kind="HARD"),
            node("s:2", NodeType.SKILL, "Cuire", kind="HARD"),
            node("s:3", NodeType.SKILL, "Vendre", kind="WRONG"),
            node("g:1", NodeType.SKILL_GROUP, "A"),
            node("g:2", NodeType.SKILL_GROUP, "B"),
            Node("o:3", NodeType.OCCUPATION, {"fr": "Pâtissier"}, S),
        ],
        relationships=[
            Relationship(RelType.REQUIRES, "o:1", "s:1", {"relevance": "ESSENTIAL"}),
            Relationship(RelType.REQUIRES, "o:2", "s:3", {"relevance": "OPTIONAL"}),
            Relationship(RelType.REQUIRES, "o:3", "s:9", {"relevance": "ESSENTIAL"}),
            Relationship(RelType.BROADER, "g:1", "g:2"),
            Relationship(RelType.BROADER, "g:2", "g:1"),
        ],
    )


def test_every_check_finds_its_problem() -> None:
    report = check_graph(graph())
    found = {f.check: f for f in report.findings}
    assert (
        found["invalid-records"].count == 1
        and "'kind' is 'WRONG'" in (found["invalid-records"].examples[0])
    )
    assert found["dangling-references"].examples == ["REQUIRES o:3 -> s:9: missing end"]
    assert found["hierarchy-cycles"].examples == ["g:1 -> g:2"]
    assert found["orphan-skills"].examples == ["s:2"]
    # o:3's only essential requirement dangles, but it is written: it counts
    assert found["occupations-without-essential"].examples == ["o:2"]
    assert found["duplicate-labels"].count == 2  # "Boulanger"/"boulanger" in fr and en
    assert found["incomplete-nodes"].examples == ["o:2"]
    assert found["single-language-labels"].examples == ["o:3: no en label"]
    assert (report.errors, report.warnings) == (3, 5)
    assert report.nodes_by_source == {
        S: {"Occupation": 3, "Skill": 3, "SkillGroup": 2},
    }
    assert report.relationships_by_type == {"BROADER": 2, "REQUIRES": 3}


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"CARTONET_STORE": ""}, obj=None)
    return result.exit_code, result.output


def test_cli_exit_code_gates_on_errors(tmp_path: Path) -> None:
    store = str(tmp_path / "store.sqlite")
    assert cli("load", "fixtures", "--store", store, "-q")[0] == 0
    code, output = cli("validate", "--store", store, "--json")
    assert code == 0, output
    report = json.loads(output)
    assert report["errors"] == 0
    assert report["nodesBySource"]["rome-v333"]["Occupation"] > 0
    # the share of occupations with an entry level, per taxonomy (the fixtures' fiches and
    # ESCO occupations were loaded by the real loaders, which read them)
    entry = report["entryRequirements"]
    for source in ("rome-v333", "esco-v1.1.1"):
        c = entry[source]
        assert c["occupations"] == report["nodesBySource"][source]["Occupation"]
        assert 0 < c["with_level"] <= c["occupations"]
        assert c["level_share"] == c["with_level"] / c["occupations"]
    assert entry["rome-v333"]["regulated"] > 0  # the health fiches
    assert cli("validate", "--store", store, "--strict")[0] == 1  # the fixtures have warnings
    # a BROADER cycle passes the load checks (they look at records) but not validate
    cycle = tmp_path / "cycle.json"
    cycle.write_text(
        json.dumps(
            {
                "format": "cartonet-graph",
                "version": 1,
                "source": "cycle",
                "nodes": [
                    {"id": "g:a", "type": "SkillGroup", "labels": {"fr": "a"}},
                    {"id": "g:b", "type": "SkillGroup", "labels": {"fr": "b"}},
                ],
                "relationships": [
                    {"type": "BROADER", "start": "g:a", "end": "g:b"},
                    {"type": "BROADER", "start": "g:b", "end": "g:a"},
                ],
            }
        ),
        encoding="utf-8",
    )
    assert cli("load", "json", str(cycle), "--store", store, "-q")[0] == 0
    code, output = cli("validate", "--store", store)
    assert code == 1
    assert "error    hierarchy-cycles: 1" in output and "g:a -> g:b" in output
