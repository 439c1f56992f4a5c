"""ROME loader: a small hand-made export (mapping, bad rows) and the real v3.33 (counts)."""

from __future__ import annotations

import csv
import functools
from collections import Counter
from pathlib import Path

import pytest
from ingest_helpers import ROME_FILES, append_line, mini_rome, rome_path, write_csv

from cartonet.errors import LoadError
from cartonet.ingest.rome import load_rome
from cartonet.model import REL_ENDPOINTS, Dataset, NodeType, RelType


def by_id(ds: Dataset) -> dict:
    return {n.id: n for n in ds.nodes}


def rels(ds: Dataset, type: RelType) -> dict[tuple[str, str], dict]:
    return {(r.start, r.end): dict(r.props) for r in ds.relationships if r.type is type}


# -- a small export -------------------------------------------------------------------------


def test_mini_export_maps_every_file(tmp_path: Path) -> None:
    ds = load_rome(mini_rome(tmp_path))
    nodes = by_id(ds)
    assert ds.source == "rome-v333"
    fiche = nodes["rome:M1805"]
    # "Accès par un diplôme." names no level nor state diploma: not regulated, no level
    assert fiche.type is NodeType.OCCUPATION
    assert fiche.props == {"code": "M1805", "regulated": False}
    assert fiche.labels == {"fr": "Études et développement informatique"}
    # Definition paragraphs in position order; the "accès à l'emploi" text is not in them.
    assert fiche.descriptions == {
        "fr": "Conçoit et développe des applications.\nPeut coordonner une équipe."
    }
    assert fiche.alt_labels == {
        "fr": ("Développeur / Développeuse web", "Développeur web", "Développeuse web")
    }
    # ROME doubles apostrophes inside quoted fields.
    assert (
        nodes["rome:M1810"].labels["fr"] == "Production et exploitation de systèmes d'information"
    )
    assert nodes["rome-skill:5001"].props == {"kind": "KNOWLEDGE", "code": "5001"}
    assert nodes["rome-skill:7001"].props == {"kind": "HARD", "code": "7001"}
    assert nodes["rome-skill:7001"].labels == {"fr": "Concevoir une application"}
    assert nodes["rome-group:M18"].props == {"code": "M18", "level": 3}
    assert rels(ds, RelType.REQUIRES) == {
        ("rome:M1805", "rome-skill:5001"): {"relevance": "ESSENTIAL", "weight": 1.0},
        ("rome:M1805", "rome-skill:7001"): {"relevance": "OPTIONAL", "weight": 0.5},
    }
    assert set(rels(ds, RelType.BROADER)) == {
        ("rome:M1805", "rome-group:M18"),
        ("rome:M1810", "rome-group:M18"),
        ("rome-group:M18", "rome-group:M"),
    }
    assert rels(ds, RelType.MATCHES_INTEREST) == {
        ("rome:M1805", "riasec:I"): {"weight": 1.0, "rank": 1},
        ("rome:M1805", "riasec:C"): {"weight": 0.5, "rank": 2},
        ("rome:M1810", "riasec:C"): {"weight": 1.0, "rank": 1},
    }
    # One pair listed as Evolution and (for one appellation) Proche: kept once, CLOSE.
    assert rels(ds, RelType.MOBILITY) == {
        ("rome:M1805", "rome:M1810"): {"kind": "CLOSE", "source": "rome-v333"}
    }
    interests = [n for n in ds.nodes if n.type is NodeType.INTEREST]
    assert [n.props["code"] for n in interests] == ["A", "C", "E", "I", "R", "S"]
    assert all(set(n.labels) == {"fr", "en"} for n in interests)
    assert ds.read_counts["unix_referentiel_code_rome_v333_utf8.csv"] == 2


def test_bad_rows_name_file_and_line(tmp_path: Path) -> None:
    release = mini_rome(tmp_path)
    riasec = rome_path(release, "referentiel_code_rome_riasec")
    mobility = rome_path(release, "rubrique_mobilite")
    links = rome_path(release, "liens_rome_referentiels")
    l1 = append_line(riasec, '"M1810","X","C"')
    l2 = append_line(mobility, '"M1805","M9999","","","1","Proche"')
    l3 = append_line(mobility, '"M1805","informatique","","","1","Proche"')
    l4 = append_line(links, '"M1805","5999","7","1","1","8","2","1"')
    with pytest.raises(LoadError) as err:
        load_rome(release)
    message = str(err.value)
    assert f"{riasec}:{l1}: RIASEC codes 'X', 'C'" in message
    assert f"{mobility}:{l2}: unknown code_rome_cible M9999" in message
    assert f"{mobility}:{l3}: code_rome_cible 'informatique' is not a ROME code" in message
    assert f"{links}:{l4}: unknown savoir code_ogr 5999" in message
    ds = load_rome(release, skip_bad_rows=True)
    assert sum(1 for w in ds.warnings if w.endswith("(skipped)")) == 4
    assert ("rome:M1805", "rome:M1810") in rels(ds, RelType.MOBILITY)


def test_missing_columns(tmp_path: Path) -> None:
    release = mini_rome(tmp_path)
    path = rome_path(release, "rubrique_mobilite")
    write_csv(path, ["code_rome", "code_type_mobilite"], [], quote_all=True)
    with pytest.raises(LoadError) as err:
        load_rome(release)
    assert f"{path}:1: missing column code_rome_cible" in str(err.value)


def test_fiche_missing_from_referentiel_is_completed(tmp_path: Path) -> None:
    release = mini_rome(tmp_path)
    append_line(rome_path(release, "referentiel_code_rome_riasec"), '"M1806","E","C"')
    # Without another source naming M1806, its rows are bad rows.
    with pytest.raises(LoadError, match="unknown code_rome M1806"):
        load_rome(release)
    labels = tmp_path / "labonneboite_2021"
    write_csv(labels / "rome_labels.csv", ["rome_id|rome_label"], [["M1806|Conseil en SI"]])
    ds = load_rome(release)
    node = by_id(ds)["rome:M1806"]
    assert node.props == {"code": "M1806", "incomplete": True}
    assert node.labels == {"fr": "Conseil en SI"}
    assert ("rome:M1806", "rome-group:M18") in rels(ds, RelType.BROADER)
    assert any("fiche M1806" in w and "incomplete" in w for w in ds.warnings)


def test_every_file_is_required(tmp_path: Path) -> None:
    for name in ROME_FILES:
        release = mini_rome(tmp_path / name)
        rome_path(release, name).unlink()
        with pytest.raises(LoadError):
            load_rome(release)


# -- the real v3.33 export ------------------------------------------------------------------


@functools.cache
def csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def data_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def rome_file(rome_dir: Path, name: str) -> Path:
    return rome_dir / f"unix_{name}_v333_utf8.csv"


@pytest.mark.slow
def test_counts_match_the_files(rome_full: Dataset, rome_dir: Path) -> None:
    fiches = data_rows(rome_file(rome_dir, "referentiel_code_rome"))
    referentiel = {r["code_rome"] for r in csv_rows(rome_file(rome_dir, "referentiel_code_rome"))}
    riasec = csv_rows(rome_file(rome_dir, "referentiel_code_rome_riasec"))
    others = {r["code_rome"] for r in riasec} - referentiel
    assert (fiches, others) == (531, {"L1510"})
    types = Counter(n.type for n in rome_full.nodes)
    assert types[NodeType.OCCUPATION] == fiches + 1
    savoirs = data_rows(rome_file(rome_dir, "referentiel_competence"))
    tree = csv_rows(rome_file(rome_dir, "item_arborescence"))
    know_how = {
        r["code_item_arbo_associe"]
        for r in tree
        if r["code_type_referentiel"] == "8" and r["libelle_type_noeud"] == "FEUILLE"
    }
    kinds = Counter(n.props["kind"] for n in rome_full.nodes if n.type is NodeType.SKILL)
    assert kinds == {"KNOWLEDGE": savoirs, "HARD": len(know_how)}
    domaine_nodes = sum(
        1 for r in tree if r["code_type_referentiel"] == "6" and r["libelle_type_noeud"] == "NOEUD"
    )
    assert types[NodeType.OCCUPATION_GROUP] == domaine_nodes
    assert types[NodeType.INTEREST] == 6

    links = csv_rows(rome_file(rome_dir, "liens_rome_referentiels"))
    savoir_links = [r for r in links if r["code_type_referentiel"] == "1"]
    know_how_links = [
        r for r in links if r["code_type_referentiel"] == "2" and r["code_ogr"] in know_how
    ]
    requires = rels(rome_full, RelType.REQUIRES)
    assert len(requires) == len(savoir_links) + len(know_how_links) == 12109 + 12368
    essential = sum(
        1 for r in savoir_links + know_how_links if r["code_ref_rubrique"] in ("6", "7")
    )
    assert sum(1 for p in requires.values() if p["relevance"] == "ESSENTIAL") == essential

    moves = csv_rows(rome_file(rome_dir, "rubrique_mobilite"))
    pairs = {(r["code_rome"], r["code_rome_cible"]) for r in moves}
    close = {
        (r["code_rome"], r["code_rome_cible"]) for r in moves if r["code_type_mobilite"] == "1"
    }
    mobility = rels(rome_full, RelType.MOBILITY)
    assert len(mobility) == len(pairs) == 4008
    assert sum(1 for p in mobility.values() if p["kind"] == "CLOSE") == len(close)
    matches = rels(rome_full, RelType.MATCHES_INTEREST)
    assert len(matches) == len(riasec) + sum(1 for r in riasec if r["riasec_mineur"])


@pytest.mark.slow
def test_labels_descriptions_and_appellations(rome_full: Dataset, rome_dir: Path) -> None:
    nodes = by_id(rome_full)
    occupations = [n for n in rome_full.nodes if n.type is NodeType.OCCUPATION]
    assert all(n.labels.get("fr") and n.descriptions.get("fr") for n in occupations)
    assert not any("''" in label for n in rome_full.nodes for label in n.labels.values())
    for row in csv_rows(rome_file(rome_dir, "referentiel_appellation")):
        label = " ".join(row["libelle_appellation_long"].replace("''", "'").split())
        assert label in nodes[f"rome:{row['code_rome']}"].alt_labels["fr"]
    assert nodes["rome-group:M"].labels["fr"] == "Support à l'entreprise"
    assert nodes["rome-group:M18"].labels["fr"] == "Systèmes d'information et de télécommunication"


@pytest.mark.slow
def test_l1510_and_the_unresolved_items(rome_full: Dataset, tmp_path: Path, rome_dir: Path) -> None:
    node = by_id(rome_full)["rome:L1510"]
    # its access text (in unix_texte, which names L1510) gives its entry requirements
    entry = {"entryLevel", "entryLevelFrom", "entryText", "regulated"}
    assert {k: v for k, v in node.props.items() if k not in entry} == {
        "code": "L1510",
        "incomplete": True,
    }
    assert node.props["entryLevel"] == 5 and node.props["regulated"] is False
    assert node.labels == {"fr": "Films d'animation et effets spéciaux"}
    assert any("fiche L1510" in w for w in rome_full.warnings)
    assert any("551 savoir-faire links name 366 item codes" in w for w in rome_full.warnings)
    # Without the labonneboite files, the label comes from the v3.33 domaine tree.
    alone = load_rome(rome_dir, labels_dir=tmp_path)
    assert by_id(alone)["rome:L1510"].labels == node.labels


@pytest.mark.slow
def test_relationships_join_known_nodes_and_loads_are_equal(
    rome_full: Dataset, rome_dir: Path
) -> None:
    types = {n.id: n.type for n in rome_full.nodes}
    for rel in rome_full.relationships:
        assert (types[rel.start], types[rel.end]) in REL_ENDPOINTS[rel.type], rel
    again = load_rome(rome_dir)
    assert again.nodes == rome_full.nodes
    assert again.relationships == rome_full.relationships
