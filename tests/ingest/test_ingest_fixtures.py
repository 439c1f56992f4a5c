"""The bundled fixtures: what they hold, that they are a faithful real subset, that the
training catalogue is marked illustrative, and that the script reproduces them."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from cartonet.ingest.fixtures import fixture_paths, load_fixtures
from cartonet.ingest.subset import subset
from cartonet.model import REL_ENDPOINTS, Dataset, Node, NodeType, Relationship, RelType

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "make_fixtures.py"


@pytest.fixture(scope="module")
def fixtures() -> list[Dataset]:
    return load_fixtures()


def occupations(ds: Dataset) -> list:
    return [n for n in ds.nodes if n.type is NodeType.OCCUPATION]


def test_files_order_and_size() -> None:
    paths = fixture_paths()
    assert [p.name.split(".")[0] for p in paths] == [
        "esco_subset",
        "rome_subset",
        "trainings_illustrative",
    ]
    assert paths[0].parent == REPO / "fixtures"
    assert sum(p.stat().st_size for p in paths) < 5_000_000


def test_sources_and_endpoints(fixtures: list[Dataset]) -> None:
    assert [ds.source for ds in fixtures] == ["esco-v1.1.1", "rome-v333", "illustrative-trainings"]
    types: dict[str, NodeType] = {}
    for ds in fixtures:
        types.update({n.id: n.type for n in ds.nodes})
        # Files load in order: every end is in this file or an earlier one.
        for rel in ds.relationships:
            assert rel.start in types and rel.end in types, (ds.source, rel)
            assert (types[rel.start], types[rel.end]) in REL_ENDPOINTS[rel.type], rel


def test_a_few_hundred_occupations_in_both_languages(fixtures: list[Dataset]) -> None:
    esco, rome, _ = fixtures
    total = len(occupations(esco)) + len(occupations(rome))
    assert 200 <= total <= 600
    assert all({"fr", "en"} <= set(n.labels) for n in occupations(esco))
    assert all(n.labels.get("fr") and n.descriptions.get("fr") for n in occupations(rome))
    # Six sectors on each side: ISCO major groups 2..9 for ESCO, six ROME grands domaines.
    assert {n.props["code"][:1] for n in occupations(rome)} == {"D", "F", "G", "J", "M", "N"}
    iscos = {n.props["iscoGroup"] for n in occupations(esco)}
    assert any(i.startswith("251") for i in iscos) and any(i.startswith("711") for i in iscos)
    assert len({i[:2] for i in iscos}) >= 8
    kinds = Counter(n.props["kind"] for n in esco.nodes if n.type is NodeType.SKILL)
    assert kinds["SOFT"] == 96 and kinds["HARD"] > 0 and kinds["KNOWLEDGE"] > 0
    rome_types = Counter(n.type for n in rome.nodes)
    assert rome_types[NodeType.INTEREST] == 6 and rome_types[NodeType.OCCUPATION_GROUP] > 10
    assert any(r.type is RelType.MOBILITY for r in rome.relationships)


def test_training_catalogue_is_marked_illustrative(fixtures: list[Dataset]) -> None:
    esco, rome, trainings = fixtures
    nodes = trainings.nodes
    assert 30 <= len(nodes) <= 60
    skills = {n.id for ds in (esco, rome) for n in ds.nodes if n.type is NodeType.SKILL}
    occs = {n.id for ds in (esco, rome) for n in occupations(ds)}
    by_start: dict[str, Counter] = {n.id: Counter() for n in nodes}
    for rel in trainings.relationships:
        by_start[rel.start][rel.type] += 1
        target = occs if rel.type is RelType.PREPARES_FOR else skills
        assert rel.end in target, rel
    for node in nodes:
        assert node.type is NodeType.TRAINING
        assert node.props["illustrative"] is True
        assert node.props["provider"] == "Illustrative catalogue"
        assert "illustrative" in node.labels["fr"] and "illustrative" in node.labels["en"]
        assert "illustrative" in node.descriptions["fr"].lower()
        assert "illustrative" in node.descriptions["en"].lower()
        assert node.props["durationHours"] > 0 and node.props["certification"]
        assert by_start[node.id][RelType.PREPARES_FOR] == 1
        assert by_start[node.id][RelType.TEACHES] >= 1
    assert sum(1 for c in by_start.values() if c[RelType.REQUIRES]) >= 5


def test_script_help() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, check=True
    )
    assert "--data" in result.stdout and "--out" in result.stdout


@pytest.mark.slow
def test_fixtures_are_a_faithful_subset(
    fixtures: list[Dataset], esco_full: Dataset, rome_full: Dataset
) -> None:
    for part, full in zip(fixtures[:2], (esco_full, rome_full), strict=True):
        nodes = {n.id: n for n in full.nodes}
        for node in part.nodes:
            assert nodes[node.id] == node
        # Every kept occupation has all its skills, and edges are those of the release.
        full_rels = {r.key: r for r in full.relationships}
        for rel in part.relationships:
            assert full_rels[rel.key] == rel
        kept = {n.id for n in part.nodes}
        need = Counter(r.start for r in full.relationships if r.type is RelType.REQUIRES)
        have = Counter(r.start for r in part.relationships if r.type is RelType.REQUIRES)
        for occ in occupations(part):
            assert have[occ.id] == need[occ.id], occ.id
        moves = [
            r
            for r in full.relationships
            if r.type is RelType.MOBILITY and r.start in kept and r.end in kept
        ]
        assert len(moves) == sum(1 for r in part.relationships if r.type is RelType.MOBILITY)
    soft = {n.id for n in esco_full.nodes if n.props.get("kind") == "SOFT"}
    assert soft <= {n.id for n in fixtures[0].nodes}


@pytest.mark.slow
def test_script_reproduces_the_committed_files(tmp_path: Path, shared_data_dir: Path) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--data", str(shared_data_dir), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == [p.name for p in fixture_paths()]
    for name in made:
        assert (tmp_path / name).read_bytes() == (REPO / "fixtures" / name).read_bytes(), name


def test_subset_follows_needs_and_keeps_inner_edges() -> None:
    def node(node_id: str, type: NodeType, **props: object) -> Node:
        return Node(node_id, type, {"en": node_id}, "t", props=props)

    ds = Dataset(
        source="t",
        nodes=[
            node("o1", NodeType.OCCUPATION),
            node("o2", NodeType.OCCUPATION),
            node("o3", NodeType.OCCUPATION),
            node("s1", NodeType.SKILL, kind="HARD"),
            node("s2", NodeType.SKILL, kind="HARD"),
            node("s3", NodeType.SKILL, kind="SOFT"),
            node("g", NodeType.SKILL_GROUP),
            node("i", NodeType.INTEREST),
        ],
        relationships=[
            Relationship(RelType.REQUIRES, "o1", "s1"),
            Relationship(RelType.BROADER, "o1", "o2"),  # o2 comes with its own skills
            Relationship(RelType.REQUIRES, "o2", "s2"),
            Relationship(RelType.BROADER, "s1", "g"),
            Relationship(RelType.MATCHES_INTEREST, "o1", "i"),
            Relationship(RelType.MOBILITY, "o1", "o2"),
            Relationship(RelType.MOBILITY, "o1", "o3"),  # o3 is not needed: dropped
            Relationship(RelType.REQUIRES, "o3", "s1"),
        ],
    )
    part = subset(ds, ["o1"], also=lambda n: n.props.get("kind") == "SOFT")
    assert [n.id for n in part.nodes] == ["o1", "o2", "s1", "s2", "s3", "g", "i"]
    assert [(r.start, r.end) for r in part.relationships] == [
        ("o1", "s1"),
        ("o1", "o2"),
        ("o2", "s2"),
        ("s1", "g"),
        ("o1", "i"),
        ("o1", "o2"),
    ]
