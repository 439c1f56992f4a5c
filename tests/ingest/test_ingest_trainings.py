"""Training catalogues: CSV and JSON, entries by id or by label, resolved against the
bundled fixtures' nodes; unresolved and ambiguous labels reported with file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartonet.errors import LoadError
from cartonet.ingest.fixtures import load_fixtures
from cartonet.ingest.jsonfmt import read_json
from cartonet.ingest.trainings import LabelResolver, load_trainings
from cartonet.model import Dataset, Node, NodeType, RelType
from cartonet.store.validate import check_dataset

SPORT_MEDICINE = "http://data.europa.eu/esco/skill/00506f28-e884-4496-800c-3477c67eb355"
HOUSEKEEPING = "http://data.europa.eu/esco/skill/00f12ec1-b416-4e3c-8ed7-c4f875c6b681"
LEGISLATION_ESCO = "http://data.europa.eu/esco/skill/08fe5910-8c4c-4679-a988-eb2ded3c4909"
LEGISLATION_ROME = "rome-skill:100343"

HEADER = "id,title,title_en,provider,hours,level,certification,teaches,requires,prepares_for\n"


@pytest.fixture(scope="module")
def nodes() -> list[Node]:
    return [n for ds in load_fixtures() if ds.source != "illustrative-trainings" for n in ds.nodes]


def rels(ds: Dataset) -> set[tuple[str, str, str]]:
    return {(r.type.value, r.start, r.end) for r in ds.relationships}


def test_csv_by_id_label_alt_label_and_close_label(tmp_path: Path, nodes: list[Node]) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text(
        HEADER
        + "t:1,Médecine du sport (exemple),Sports medicine,Org,35,5,RS1,"
        + f"{SPORT_MEDICINE} | superviser des services de ménage,,Boucherie\n"
        + "t:2,Encadrement,,Org,,,,superviser les services menagers,médecine du sport,"
        + "Aide-boulanger\n"
        + "t:3,Typo,,Org,7,,,superviser les service ménagers,,\n",
        encoding="utf-8",
    )
    ds = load_trainings(path, nodes)
    assert ds.source == "trainings-catalogue"
    by_id = {n.id: n for n in ds.nodes}
    assert by_id["t:1"].labels == {"fr": "Médecine du sport (exemple)", "en": "Sports medicine"}
    assert by_id["t:1"].props == {
        "certification": "RS1",
        "durationHours": 35.0,
        "level": 5.0,
        "provider": "Org",
    }
    assert rels(ds) == {
        ("TEACHES", "t:1", SPORT_MEDICINE),
        ("TEACHES", "t:1", HOUSEKEEPING),  # an alternative label
        ("PREPARES_FOR", "t:1", "rome:D1101"),
        ("TEACHES", "t:2", HOUSEKEEPING),  # accents folded
        ("REQUIRES", "t:2", SPORT_MEDICINE),
        ("PREPARES_FOR", "t:2", "rome:D1102"),  # an appellation
        ("TEACHES", "t:3", HOUSEKEEPING),  # a close label, said in the warnings
    }
    assert ds.warnings == [
        f"{path}:4: teaches: 'superviser les service ménagers' matched the label "
        f"'superviser les services menagers' of {HOUSEKEEPING} (close match)"
    ]
    # what a store checks before writing: every end exists with the right type
    assert check_dataset(ds, {n.id: n.type for n in nodes}) == []


def test_unresolved_and_ambiguous_labels_are_never_guessed(
    tmp_path: Path, nodes: list[Node]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "t:1,Droit,,,,,,législation sociale,,\n"
        + "t:2,Rien,,,,,,astrophysique quantique,,\n"
        + "t:3,Heures,,,beaucoup,,,,,\n"
        + "t:1,Doublon,,,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as err:
        load_trainings(path, nodes)
    problems = err.value.problems
    assert len(problems) == 4
    assert problems[0].startswith(
        f"{path}:2: teaches: ambiguous skill label 'législation sociale': 2 skills have it"
    )
    assert LEGISLATION_ESCO in problems[0] and LEGISLATION_ROME in problems[0]
    assert problems[1].startswith(
        f"{path}:3: teaches: no skill has the id or label 'astrophysique quantique' (closest: "
    )
    assert problems[2] == f"{path}:4: hours 'beaucoup' is not a number ≥ 0"
    assert problems[3] == f"{path}:5: id 't:1' already used by line 2"
    # one taxonomy settles the ambiguity; skipping drops only what cannot be resolved
    ds = load_trainings(path, nodes, taxonomies=["rome-v333"], skip_bad_rows=True)
    assert ("TEACHES", "t:1", LEGISLATION_ROME) in rels(ds)
    assert {n.id for n in ds.nodes} == {"t:1", "t:2"}
    assert sum("(skipped)" in w for w in ds.warnings) == 3


def test_json_catalogue_with_lines(tmp_path: Path, nodes: list[Node]) -> None:
    path = tmp_path / "catalogue.json"
    catalogue = {
        "format": "cartonet-trainings",
        "version": 1,
        "source": "my-catalogue",
        "trainings": [
            {
                "id": "t:1",
                "title": {"fr": "Boucherie", "en": "Butchery"},
                "hours": 140,
                "illustrative": True,
                "teaches": [SPORT_MEDICINE],
                "preparesFor": ["Boucherie"],
            },
            {"id": "t:2", "title": "Rien", "teaches": ["astrophysique quantique"]},
        ],
    }
    path.write_text(json.dumps(catalogue, indent=2, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_trainings(path, nodes)
    line = path.read_text().splitlines().index('      "id": "t:2",') + 1
    (problem,) = err.value.problems
    assert problem.startswith(f"{path}:{line}: trainings[1].teaches: no skill has the id")
    catalogue["trainings"].pop()
    path.write_text(json.dumps(catalogue), encoding="utf-8")
    ds = load_trainings(path, nodes)
    assert ds.source == "my-catalogue"
    (training,) = ds.nodes
    assert training.props == {"durationHours": 140.0, "illustrative": True}
    assert rels(ds) == {("TEACHES", "t:1", SPORT_MEDICINE), ("PREPARES_FOR", "t:1", "rome:D1101")}


def test_wrong_format_is_named(tmp_path: Path, nodes: list[Node]) -> None:
    path = tmp_path / "graph.json"
    path.write_text('{"format": "cartonet-graph"}', encoding="utf-8")
    with pytest.raises(LoadError, match="not a training catalogue"):
        load_trainings(path, nodes)


def test_resolver_keeps_node_types_apart(nodes: list[Node]) -> None:
    occupations = LabelResolver(nodes, NodeType.OCCUPATION)
    assert occupations.resolve(SPORT_MEDICINE).node_id is None  # a skill id
    assert occupations.resolve("rome:D1101").node_id == "rome:D1101"


@pytest.mark.slow
@pytest.mark.shared_data
def test_illustrative_catalogue_fits_full_esco_and_rome(
    esco_full: Dataset, rome_full: Dataset
) -> None:
    """fixtures/trainings_illustrative.json names real ESCO and ROME ids: a store holding
    the full releases accepts it (the check every store runs before writing)."""
    from cartonet.ingest.fixtures import fixture_paths

    path = next(p for p in fixture_paths() if p.name == "trainings_illustrative.json")
    trainings = read_json(path)
    stored = {n.id: n.type for ds in (esco_full, rome_full) for n in ds.nodes}
    assert check_dataset(trainings, stored) == []
    assert {r.type for r in trainings.relationships} == {
        RelType.TEACHES,
        RelType.REQUIRES,
        RelType.PREPARES_FOR,
    }


def test_cli_loads_a_catalogue_against_the_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cartonet.cli import main

    def cli(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args), env={"CARTONET_STORE": ""}, obj=None)
        return result.exit_code, result.output

    store = str(tmp_path / "store.sqlite")
    assert cli("load", "fixtures", "--store", store, "-q")[0] == 0
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "t:1,Sport,,,35,,,médecine du sport,,Boucherie\n", encoding="utf-8")
    code, output = cli("load", "trainings", str(good), "--store", store, "-q")
    assert code == 0, output
    assert "Loaded trainings-good" in output and "TEACHES" in output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "t:2,Droit,,,,,,législation sociale,,\n", encoding="utf-8")
    code, output = cli("load", "trainings", str(bad), "--store", store, "-q")
    assert code == 1 and f"{bad}:2: teaches: ambiguous skill label" in output
    code, output = cli(
        "load", "trainings", str(bad), "--store", store, "-q", "--taxonomy", "esco-v1.1.1"
    )
    assert code == 0, output
