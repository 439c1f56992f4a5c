"""ESCO loader: a small hand-made release (mapping, bad rows) and the real v1.1.1 (counts)."""

from __future__ import annotations

import csv
import functools
import shutil
from collections import Counter
from pathlib import Path

import pytest
from ingest_helpers import (
    BROADER_HEADER,
    GROUP,
    ISCO_2,
    OCC_A,
    OCC_B,
    REQUIRES_HEADER,
    SK_HARD,
    SK_KNOW,
    SK_SOFT,
    SKILL_HEADER,
    append_line,
    mini_esco,
    skill_row,
    write_csv,
)

from cartonet.errors import LoadError
from cartonet.ingest.esco import load_esco
from cartonet.model import REL_ENDPOINTS, Dataset, NodeType, RelType

INCOMPLETE = "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"


def by_id(ds: Dataset) -> dict:
    return {n.id: n for n in ds.nodes}


def rels(ds: Dataset, type: RelType) -> dict[tuple[str, str], dict]:
    return {(r.start, r.end): dict(r.props) for r in ds.relationships if r.type is type}


# -- a small release ------------------------------------------------------------------------


def test_mini_release_maps_every_concept(tmp_path: Path) -> None:
    ds = load_esco(mini_esco(tmp_path))
    nodes = by_id(ds)
    assert ds.source == "esco-v1.1.1"
    assert {n.source for n in ds.nodes} == {"esco-v1.1.1"}
    assert nodes[SK_HARD].props == {"kind": "HARD", "reuse": "cross-sector"}
    assert nodes[SK_KNOW].props == {"kind": "KNOWLEDGE", "reuse": "sector-specific"}
    # In the transversal collection, so SOFT although its skillType says skill/competence.
    assert nodes[SK_SOFT].props["kind"] == "SOFT"
    occ = nodes[OCC_A]
    # ISCO 2519 (professionals, skill level 4) → entry level 6 on the shared scale
    assert occ.props == {
        "code": "2519.1",
        "iscoGroup": "2519",
        "entryLevel": 6,
        "entryLevelFrom": "isco",
    }
    assert occ.alt_labels["en"] == ("tester", "test analyst", "QA tester")
    assert occ.labels == {"en": "software tester", "fr": "testeur logiciel/testeuse logiciel"}
    # Both halves of the masculine/feminine label become French alternative labels.
    assert occ.alt_labels["fr"] == ("testeur logiciel", "testeuse logiciel")
    assert occ.descriptions == {"en": "Tests software.", "fr": "Teste des logiciels."}
    # French from v1.0 when v1.1.1 has none; English only when no file has French.
    assert nodes[SK_HARD].labels["fr"] == "tester des logiciels"
    assert "fr" not in nodes[SK_KNOW].labels
    assert nodes[ISCO_2].props == {"code": "25", "level": 2}
    assert nodes[GROUP].type is NodeType.SKILL_GROUP and nodes[GROUP].props == {"code": "S1"}
    assert rels(ds, RelType.REQUIRES) == {
        (OCC_A, SK_HARD): {"relevance": "ESSENTIAL", "weight": 1.0},
        (OCC_A, SK_SOFT): {"relevance": "OPTIONAL", "weight": 0.5},
        (OCC_B, SK_KNOW): {"relevance": "ESSENTIAL", "weight": 1.0},
    }
    assert set(rels(ds, RelType.BROADER)) == {
        (ISCO_2, "http://data.europa.eu/esco/isco/C2"),
        (OCC_A, ISCO_2),
        (SK_HARD, GROUP),
    }
    assert ds.read_counts["en/occupations_en.csv"] == 2
    assert ds.read_counts["v1.0_fr_labels/skills_fr.csv"] == 1
    assert any("Skill nodes have no French label" in w for w in ds.warnings)


def test_loading_twice_gives_equal_datasets(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    first, second = load_esco(release), load_esco(release)
    assert first.nodes == second.nodes
    assert first.relationships == second.relationships


def test_progress_reports_every_file(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    load_esco(mini_esco(tmp_path), progress=lambda *a: calls.append(a))
    finished = {phase for phase, done, total in calls if done == total}
    assert "esco relations/occupationSkillRelations.csv" in finished
    assert "esco en/skills_en.csv" in finished


def spoil_skills(release: Path, skill_type: str) -> None:
    write_csv(
        release / "en" / "skills_en.csv",
        SKILL_HEADER,
        [
            skill_row(SK_HARD, "skill/competence", "cross-sector", "test software", "a\nb"),
            skill_row(SK_KNOW, skill_type, "sector-specific", "retail law"),
            skill_row(SK_SOFT, "skill/competence", "transversal", "work in teams"),
        ],
    )


def test_unknown_skill_type_names_file_and_physical_line(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    spoil_skills(release, "talent")
    with pytest.raises(LoadError) as err:
        load_esco(release)
    message = str(err.value)
    # The first skill spans lines 2-3, so the spoiled one starts on line 4.
    assert f"{release / 'en' / 'skills_en.csv'}:4: unknown skillType 'talent'" in message
    assert "nothing was loaded" in message
    # Its relation then names an unknown skill: reported too, in the same error.
    assert "occupationSkillRelations.csv:4: unknown skill" in message


def test_skip_bad_rows_drops_them_and_warns(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    spoil_skills(release, "talent")
    ds = load_esco(release, skip_bad_rows=True)
    assert SK_KNOW not in by_id(ds)
    assert (OCC_B, SK_KNOW) not in rels(ds, RelType.REQUIRES)
    skipped = [w for w in ds.warnings if w.endswith("(skipped)")]
    assert len(skipped) == 2
    assert "skills_en.csv:4: unknown skillType 'talent'" in skipped[0]


def test_empty_skill_type_becomes_hard_with_a_warning(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    spoil_skills(release, "")
    ds = load_esco(release)
    assert by_id(ds)[SK_KNOW].props["kind"] == "HARD"
    assert any("skills_en.csv:4: empty skillType" in w for w in ds.warnings)


def test_missing_columns_are_one_error(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    path = release / "en" / "skills_en.csv"
    header = [c for c in SKILL_HEADER if c not in ("skillType", "reuseLevel")]
    write_csv(path, header, [])
    with pytest.raises(LoadError) as err:
        load_esco(release)
    message = str(err.value)
    assert f"{path}:1: missing columns skillType, reuseLevel" in message


def test_bad_quoting_in_relations(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    path = release / "relations" / "occupationSkillRelations.csv"
    line = append_line(path, f'{OCC_A},"essential"x,knowledge,{SK_KNOW}')
    with pytest.raises(LoadError) as err:
        load_esco(release)
    assert f"{path}:{line}: malformed CSV" in str(err.value)


def test_relation_to_unknown_ids(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    path = release / "relations" / "occupationSkillRelations.csv"
    nope_skill = "http://data.europa.eu/esco/skill/nope"
    nope_occ = "http://data.europa.eu/esco/occupation/nope"
    l1 = append_line(path, f"{OCC_A},essential,knowledge,{nope_skill}")
    l2 = append_line(path, f"{nope_occ},optional,knowledge,{SK_KNOW}")
    l3 = append_line(path, f"{OCC_A},mandatory,knowledge,{SK_KNOW}")
    with pytest.raises(LoadError) as err:
        load_esco(release)
    message = str(err.value)
    assert f"{path}:{l1}: unknown skill {nope_skill}" in message
    assert f"{path}:{l2}: unknown occupation {nope_occ}" in message
    assert f"{path}:{l3}: unknown relationType 'mandatory'" in message
    assert "3 bad records" in message


def test_broader_with_wrong_declared_type(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    path = release / "relations" / "broaderRelationsSkillPillar.csv"
    write_csv(path, BROADER_HEADER, [["Occupation", SK_HARD, "SkillGroup", GROUP]])
    with pytest.raises(LoadError) as err:
        load_esco(release)
    assert f"{path}:2: conceptType 'Occupation' but {SK_HARD} is a Skill" in str(err.value)


def test_occupation_completed_from_older_french_file(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    ghost = "http://data.europa.eu/esco/occupation/ghost"
    write_csv(
        tmp_path / "v1.0_fr_labels" / "occupations_fr.csv",
        ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"],
        [["Occupation", ghost, "3211", "manipulateur/manipulatrice", "manip", ""]],
    )
    write_csv(
        release / "relations" / "occupationSkillRelations.csv",
        REQUIRES_HEADER,
        [[OCC_A, "essential", "skill/competence", SK_HARD],
         [ghost, "essential", "skill/competence", SK_HARD],
         [ghost, "optional", "knowledge", SK_KNOW]],
    )  # fmt: skip
    ds = load_esco(release)
    node = by_id(ds)[ghost]
    assert node.props == {"incomplete": True}
    assert node.labels == {"fr": "manipulateur/manipulatrice"}
    assert {k for k in rels(ds, RelType.REQUIRES) if k[0] == ghost} == {
        (ghost, SK_HARD),
        (ghost, SK_KNOW),
    }
    warning = next(w for w in ds.warnings if ghost in w)
    assert "occupationSkillRelations.csv:3:" in warning
    assert "2 rows of occupationSkillRelations.csv" in warning and "incomplete" in warning


def test_not_a_release(tmp_path: Path) -> None:
    release = mini_esco(tmp_path)
    shutil.rmtree(release / "relations")
    with pytest.raises(LoadError, match="no 'relations/' folder"):
        load_esco(release)


# -- the real v1.1.1 release ----------------------------------------------------------------


@functools.cache
def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def data_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


@pytest.mark.slow
def test_counts_match_the_files(esco_full: Dataset, esco_dir: Path) -> None:
    occupation_rows = data_rows(esco_dir / "en" / "occupations_en.csv")
    skill_rows = data_rows(esco_dir / "en" / "skills_en.csv")
    relation_rows = data_rows(esco_dir / "relations" / "occupationSkillRelations.csv")
    assert (occupation_rows, skill_rows, relation_rows) == (3007, 13896, 123855)
    types = Counter(n.type for n in esco_full.nodes)
    assert types[NodeType.OCCUPATION] == occupation_rows + 1 == 3008
    assert sum(1 for n in esco_full.nodes if n.props.get("incomplete")) == 1
    assert types[NodeType.SKILL] == skill_rows
    assert types[NodeType.OCCUPATION_GROUP] == data_rows(esco_dir / "en" / "ISCOGroups_en.csv")
    requires = [r for r in esco_full.relationships if r.type is RelType.REQUIRES]
    assert len(requires) == relation_rows
    essential = sum(
        1
        for r in csv_rows(esco_dir / "relations" / "occupationSkillRelations.csv")
        if r["relationType"] == "essential"
    )
    assert sum(1 for r in requires if r.props["relevance"] == "ESSENTIAL") == essential
    broader_rows = data_rows(esco_dir / "relations" / "broaderRelationsOccPillar.csv") + data_rows(
        esco_dir / "relations" / "broaderRelationsSkillPillar.csv"
    )
    assert sum(1 for r in esco_full.relationships if r.type is RelType.BROADER) == broader_rows
    assert esco_full.read_counts["en/occupations_en.csv"] == occupation_rows
    assert esco_full.read_counts["relations/occupationSkillRelations.csv"] == relation_rows


@pytest.mark.slow
def test_kinds_and_reuse_follow_the_files(esco_full: Dataset, esco_dir: Path) -> None:
    skills = csv_rows(esco_dir / "en" / "skills_en.csv")
    soft = {
        r["conceptUri"] for r in csv_rows(esco_dir / "en" / "transversalSkillsCollection_en.csv")
    }
    expected = Counter(
        "SOFT"
        if r["conceptUri"] in soft
        else "KNOWLEDGE"
        if r["skillType"] == "knowledge"
        else "HARD"
        for r in skills
    )
    got = Counter(n.props["kind"] for n in esco_full.nodes if n.type is NodeType.SKILL)
    assert got == expected
    assert got["SOFT"] == 96
    reuse = Counter(r["reuseLevel"] or None for r in skills)
    assert (
        Counter(n.props.get("reuse") for n in esco_full.nodes if n.type is NodeType.SKILL) == reuse
    )
    empty_type = [w for w in esco_full.warnings if "empty skillType" in w]
    assert len(empty_type) == sum(1 for r in skills if not r["skillType"]) == 6


@pytest.mark.slow
def test_french_labels_coverage(esco_full: Dataset, esco_dir: Path) -> None:
    en = {r["conceptUri"] for r in csv_rows(esco_dir / "en" / "skills_en.csv")}
    fr = {
        r["conceptUri"]
        for p in (esco_dir / "fr").glob("*SkillsCollection_fr.csv")
        for r in csv_rows(p)
    }
    fr |= {r["conceptUri"] for r in csv_rows(esco_dir.parent / "v1.0_fr_labels" / "skills_fr.csv")}
    skills = [n for n in esco_full.nodes if n.type is NodeType.SKILL]
    assert sum(1 for n in skills if "fr" in n.labels) == len(en & fr)
    assert len(en & fr) / len(en) > 0.98
    occupations = [n for n in esco_full.nodes if n.type is NodeType.OCCUPATION]
    assert all("fr" in n.labels for n in occupations)
    assert sum(1 for n in occupations if "fr" in n.descriptions) == 3007
    groups = [
        n for n in esco_full.nodes if n.type in (NodeType.SKILL_GROUP, NodeType.OCCUPATION_GROUP)
    ]
    assert all("fr" in n.labels for n in groups)


@pytest.mark.slow
def test_the_occupation_missing_from_occupations_en(esco_full: Dataset, esco_dir: Path) -> None:
    node = by_id(esco_full)[INCOMPLETE]
    assert node.props.get("incomplete") is True
    assert "en" not in node.labels and node.labels["fr"].startswith("technicien en radiothérapie")
    named = sum(
        1
        for r in csv_rows(esco_dir / "relations" / "occupationSkillRelations.csv")
        if r["occupationUri"] == INCOMPLETE
    )
    assert named == 67
    assert sum(1 for k in rels(esco_full, RelType.REQUIRES) if k[0] == INCOMPLETE) == named
    assert [k for k in rels(esco_full, RelType.BROADER) if k[0] == INCOMPLETE] == [
        (INCOMPLETE, "http://data.europa.eu/esco/occupation/7639a601-6db0-41ed-9fb0-813d9b8beb05")
    ]
    assert any(INCOMPLETE in w and "incomplete" in w for w in esco_full.warnings)


@pytest.mark.slow
def test_every_relationship_joins_known_nodes_of_allowed_types(esco_full: Dataset) -> None:
    types = {n.id: n.type for n in esco_full.nodes}
    for rel in esco_full.relationships:
        assert (types[rel.start], types[rel.end]) in REL_ENDPOINTS[rel.type], rel
    assert len(types) == len(esco_full.nodes)
