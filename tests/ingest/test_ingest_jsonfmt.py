"""The cartonet-graph JSON format: round trip, deterministic output, errors by JSON path."""

from __future__ import annotations

import copy
import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cartonet.errors import LoadError
from cartonet.ingest.jsonfmt import dumps, read_json, write_json
from cartonet.model import Dataset, Node, NodeType, Relationship, RelType

SKILL = "http://data.europa.eu/esco/skill/s1"


def catalogue() -> Dataset:
    return Dataset(
        source="test-catalogue",
        nodes=[
            Node(
                id="training:2",
                type=NodeType.TRAINING,
                labels={"fr": "Tests logiciels (illustratif)", "en": "Software testing"},
                source="test-catalogue",
                alt_labels={"fr": ("Test", "Recette")},
                descriptions={"fr": "Une formation d'exemple."},
                props={"durationHours": 35, "level": 4, "illustrative": True, "provider": "X"},
            ),
            Node(
                id="training:1",
                type=NodeType.TRAINING,
                labels={"en": "Python basics"},
                source="test-catalogue",
                props={"durationHours": 12.5, "certification": "none"},
            ),
            Node(
                id=SKILL,
                type=NodeType.SKILL,
                labels={"en": "test software", "fr": "tester des logiciels"},
                source="other-source",
                props={"kind": "HARD", "reuse": "cross-sector"},
            ),
        ],
        relationships=[
            Relationship(RelType.TEACHES, "training:2", SKILL, {"weight": 1.0}),
            Relationship(RelType.REQUIRES, "training:2", "rome-skill:123", {}),
            Relationship(RelType.PREPARES_FOR, "training:1", "rome:M1805"),
        ],
    )


def test_round_trip_plain_and_gzip(tmp_path: Path) -> None:
    ds = catalogue()
    for name in ("c.json", "c.json.gz"):
        path = tmp_path / name
        write_json(ds, path, attribution="me", license="CC0")
        back = read_json(path)
        assert back.source == ds.source
        assert back.nodes == sorted(ds.nodes, key=lambda n: n.id)
        assert back.relationships == sorted(ds.relationships, key=lambda r: r.key)
        assert back.read_counts == {f"{name}:nodes": 3, f"{name}:relationships": 3}
    assert (
        gzip.decompress((tmp_path / "c.json.gz").read_bytes()) == (tmp_path / "c.json").read_bytes()
    )


def test_output_is_deterministic_and_one_item_per_line(tmp_path: Path) -> None:
    ds = catalogue()
    shuffled = Dataset(
        source=ds.source,
        nodes=list(reversed(ds.nodes)),
        relationships=list(reversed(ds.relationships)),
    )
    assert dumps(ds) == dumps(shuffled)
    write_json(ds, tmp_path / "a.json.gz")
    write_json(shuffled, tmp_path / "b.json.gz")
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()
    lines = dumps(ds).splitlines()
    assert sum(1 for line in lines if line.startswith('  {"id": ')) == 3
    assert json.loads(dumps(ds))["nodes"][0]["id"] == SKILL


def write_doc(tmp_path: Path, doc: Any, name: str = "trainings.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def base_doc() -> dict[str, Any]:
    return json.loads(dumps(catalogue()))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["nodes"][1].update(type="Foo"), "nodes[1].type: unknown node type 'Foo'"),
        (lambda d: d["nodes"][0]["props"].pop("kind"), "nodes[0].props.kind: required for a Skill"),
        (lambda d: d["nodes"][0]["props"].update(kind="EASY"),
         "nodes[0].props.kind: 'EASY' is not one of HARD, KNOWLEDGE, SOFT"),
        (lambda d: d["nodes"][1]["props"].update(durationHours="long"),
         "nodes[1].props.durationHours: a number ≥ 0 is expected, got 'long'"),
        (lambda d: d["nodes"][1]["props"].update(colour="red"),
         "nodes[1].props.colour: unknown property for Training"),
        (lambda d: d["nodes"][2].update(labels={"fr": " "}),
         "nodes[2].labels: at least one non-empty label is required"),
        (lambda d: d["nodes"][2].pop("labels"), "nodes[2].labels: required"),
        (lambda d: d["nodes"][2].update(label="x"), "nodes[2].label: unknown key"),
        (lambda d: d["nodes"][2].update(altLabels={"fr": "Test"}),
         "nodes[2].altLabels.fr: a list of strings is expected"),
        (lambda d: d["nodes"].append(copy.deepcopy(d["nodes"][0])),
         f"nodes[3].id: '{SKILL}' appears twice"),
        (lambda d: d["nodes"].append("training:9"),
         "nodes[3]: a string where an object is expected"),
        (lambda d: d["relationships"][0].update(type="LIKES"),
         "relationships[0].type: unknown relationship type 'LIKES'"),
        (lambda d: d["relationships"][2].update(start=SKILL),
         f"relationships[2].type: TEACHES may not join Skill '{SKILL}' to Skill"),
        (lambda d: d["relationships"][0].update(start="elsewhere:1", end="training:2"),
         "relationships[0].end: a PREPARES_FOR cannot end at a Training"),
        (lambda d: d["relationships"][1].update(start=SKILL),
         "relationships[1].start: a REQUIRES cannot start at a Skill"),
        (lambda d: d["relationships"][2].update(start="elsewhere:1", end="training:1"),
         "relationships[2].end: a TEACHES cannot end at a Training"),
        (lambda d: d["relationships"][1].update(props={"relevance": "MUST"}),
         "relationships[1].props.relevance: 'MUST' is not one of ESSENTIAL, OPTIONAL"),
        (lambda d: d["relationships"][1].pop("end"),
         "relationships[1].end: a node id (non-empty string) is required"),
    ],
)  # fmt: skip
def test_errors_name_the_json_path(tmp_path: Path, change, expected: str) -> None:
    doc = base_doc()
    change(doc)
    path = write_doc(tmp_path, doc)
    with pytest.raises(LoadError) as err:
        read_json(path)
    assert f"{path}: {expected}" in str(err.value)


def test_relationship_order_in_base_doc() -> None:
    # The parametrised cases above rely on this order (sorted by type, start, end).
    assert [r["type"] for r in base_doc()["relationships"]] == [
        "PREPARES_FOR",
        "REQUIRES",
        "TEACHES",
    ]
    assert [n["id"] for n in base_doc()["nodes"]] == [SKILL, "training:1", "training:2"]


def test_top_level_errors(tmp_path: Path) -> None:
    cases = [
        ([], "the top level is a list, an object was expected"),
        ({**base_doc(), "format": "graphml"}, "format: expected 'cartonet-graph', got 'graphml'"),
        ({**base_doc(), "version": 2}, "version: expected 1, got 2"),
        ({**base_doc(), "source": ""}, "source: a non-empty string is required"),
        ({**base_doc(), "nodes": {}}, "nodes: a list is expected, got a object"),
        ({**base_doc(), "edges": []}, "unknown key edges"),
    ]
    for doc, expected in cases:
        path = write_doc(tmp_path, doc)
        with pytest.raises(LoadError) as err:
            read_json(path)
        assert f"{path}: {expected}" in str(err.value)


def test_invalid_json_gives_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n "format": "cartonet-graph",\n "version": 1,\n "nodes": [,]\n}\n')
    with pytest.raises(LoadError) as err:
        read_json(path)
    assert f"{path}:4: Expecting value" in str(err.value)
    with pytest.raises(LoadError, match="file not found"):
        read_json(tmp_path / "missing.json")


def test_skip_bad_rows_drops_items_and_their_relationships(tmp_path: Path) -> None:
    doc = base_doc()
    doc["nodes"][2]["props"]["durationHours"] = -1  # training:2, which TEACHES and REQUIRES
    path = write_doc(tmp_path, doc)
    ds = read_json(path, skip_bad_rows=True)
    assert [n.id for n in ds.nodes] == [SKILL, "training:1"]
    assert [r.type for r in ds.relationships] == [RelType.PREPARES_FOR]
    assert len(ds.warnings) == 3
    assert ds.warnings[0] == (
        f"{path}: nodes[2].props.durationHours: a number ≥ 0 is expected, got -1 (skipped)"
    )


def test_the_documented_example_reads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "data-loading.md").read_text()
    # The page has several JSON blocks (the training catalogue too): take the graph format's.
    blocks = [b.split("```", 1)[0] for b in doc.split("```json\n")[1:]]
    example = next(b for b in blocks if '"format": "cartonet-graph"' in b)
    path = tmp_path / "example.json"
    path.write_text(example, encoding="utf-8")
    ds = read_json(path)
    assert ds.source == "acme-trainings-2024"
    assert [n.id for n in ds.nodes] == ["acme:git-basics", "acme:web-dev"]
    assert Counter(r.type for r in ds.relationships) == {
        RelType.TEACHES: 2,
        RelType.REQUIRES: 1,
        RelType.PREPARES_FOR: 2,
    }


def test_a_gzip_file_inflating_beyond_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cartonet.ingest.jsonfmt.MAX_GUNZIPPED_BYTES", 10_000)
    path = tmp_path / "bomb.json.gz"
    path.write_bytes(gzip.compress(b" " * 20_000 + dumps(catalogue()).encode()))
    with pytest.raises(LoadError) as err:
        read_json(path)
    assert f"{path}: more than 10,000 bytes once decompressed" in str(err.value)
    small = tmp_path / "fine.json.gz"
    write_json(catalogue(), small)
    assert len(read_json(small).nodes) == 3
