"""``cartonet feeders | pilotage``: the engine's answers, population files read with
labels and named errors, and the CSV and HTML reports."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from cartonet.cli import main
from cartonet.orientation.pilotage import (
    feeder_occupations,
    population_options,
    skill_leverage,
    training_leverage,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding the bundled fixtures (ESCO and ROME subsets, illustrative
    trainings)."""
    path = tmp_path_factory.mktemp("cli-pilotage") / "fixtures.sqlite"
    result = CliRunner().invoke(main, ["load", "fixtures", "--store", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def graph(store: Path) -> nx.MultiDiGraph:
    import asyncio

    from cartonet.orientation.projection import project
    from cartonet.store.embedded import EmbeddedStore

    async def build() -> nx.MultiDiGraph:
        s = EmbeddedStore(store)
        await s.open()
        try:
            return await project(s)
        finally:
            await s.close()

    return asyncio.run(build())


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


GROUPS = [("rome:D1507", 12), ("rome:G1803", 5), ("rome:G1802", 3), ("rome:N1303", 7)]


@pytest.fixture
def population(tmp_path: Path) -> Path:
    # G1803 by one of its labels, with a semicolon separator as a French spreadsheet writes
    path = tmp_path / "population.csv"
    path.write_text(
        "occupation;count;comment\n"
        "rome:D1507;12;\n"
        "Serveuse de restaurant;5;by label\n"
        "rome:G1802;3;\n"
        "rome:N1303;7;\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("command", ["feeders", "pilotage"])
def test_help(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0 and "--store" in out and "--json" in out


def test_feeders_json_is_the_engine(store: Path, graph: nx.MultiDiGraph) -> None:
    code, out, _ = invoke("feeders", "rome:D1106", "--k", "4", "--json", "--store", str(store))
    assert code == 0
    got = json.loads(out)
    expected = feeder_occupations(graph, "rome:D1106", 4)
    assert [g["id"] for g in got] == [f.occupation for f in expected]
    assert [g["curated"] for g in got] == [f.curated for f in expected]
    assert [g["missingSkills"] for g in got] == [f.missing_skills for f in expected]


def test_pilotage_json_is_the_engine(store: Path, graph: nx.MultiDiGraph, population: Path) -> None:
    code, out, err = invoke(
        "pilotage", "--population", str(population), "--json", "--k", "5", "--store", str(store)
    )
    assert code == 0, err
    got = json.loads(out)
    assert got["population"] == {"groups": 4, "people": 27, "area": None}
    assert [o["id"] for o in got["options"]] == [
        o.occupation for o in population_options(graph, GROUPS, 5)
    ]
    assert [s["id"] for s in got["skills"]] == [s.item for s in skill_leverage(graph, GROUPS, 5)]
    assert [t["id"] for t in got["trainings"]] == [
        t.item for t in training_leverage(graph, GROUPS, 5)
    ]
    assert got["skills"] and got["trainings"], "the case must show leverage"
    assert "options" in err and "done" in err  # progress on stderr


def test_pilotage_writes_csv_and_a_self_contained_html_report(
    store: Path, population: Path, tmp_path: Path
) -> None:
    html_file, folder = tmp_path / "report.html", tmp_path / "csv"
    code, _, err = invoke(
        "pilotage", "--population", str(population), "--store", str(store), "-q",
        "--csv", str(folder), "--html", str(html_file),
    )  # fmt: skip
    assert code == 0, err
    with (folder / "options.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and int(rows[0]["people"]) > 0
    assert rows[0]["origins"].count(":") >= 1
    for name in ("skills", "trainings", "transferable", "bridges"):
        assert (folder / f"{name}.csv").read_text(encoding="utf-8").startswith("id,label,")
    page = html_file.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page
    assert rows[0]["label"] in page
    assert "illustrative" in page  # the fixtures' trainings are made up, and the page says so
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "the page fetches nothing"


def test_bad_population_rows_are_named_with_their_lines(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "occupation,count\nrome:D1507,12\nServeur de restoran,5\nrome:G1802,x\nrome:Z9999,2\n",
        encoding="utf-8",
    )
    code, _, err = invoke("pilotage", "--population", str(path), "--store", str(store), "-q")
    assert code == 1
    assert f"{path}:3: no occupation has the id or label 'Serveur de restoran'" in err
    assert "closest: rome:G1803" in err
    assert f"{path}:4: count must be a whole number" in err
    assert f"{path}:5: no occupation has the id or label 'rome:Z9999'" in err
    assert "Traceback" not in err


def test_bad_area_arguments_are_named(store: Path, population: Path) -> None:
    code, _, err = invoke(
        "pilotage", "--population", str(population), "--store", str(store), "-q",
        "--area", "1107", "--commune", "75056",
    )  # fmt: skip
    assert code == 2 and "--commune" in err
    code, _, err = invoke("feeders", "rome:Z9999", "--store", str(store))
    assert code == 2 and "rome:Z9999" in err


def test_a_lower_viability_ranks_more_skills(store: Path, population: Path) -> None:
    base = ["pilotage", "--population", str(population), "--store", str(store), "-q", "--json"]
    code, out, _ = invoke(*base, "--k", "50")
    strict = json.loads(out)
    code, out, _ = invoke(*base, "--k", "50", "--viability", "0.2")
    assert code == 0
    loose = json.loads(out)
    assert loose["viability"] == 0.2 and len(loose["skills"]) > len(strict["skills"])
    code, _, err = invoke(*base, "--viability", "2")
    assert code == 2 and "--viability" in err
