"""Load history on real data: a reload of a changed ROME v3.33 part reports exactly what
changed per type, `cartonet stats` lists it with the files' SHA-256.

There is one release of each taxonomy in ../shared/data, so the two "releases" here are
two real parts of ROME v3.33 cut by the fixture builder's function
(:func:`cartonet.ingest.subset.subset`): the *old* one read with the v3.33 labels only,
for fiches of three domains; the *new* one read with the labonneboite 2021 labels
(renamed fiches: updates), for two of those domains and another one (added and removed
fiches, skills and links). The expected changes are computed here from the two datasets,
independently of the stores."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cartonet.cli import main
from cartonet.ingest.jsonfmt import write_json
from cartonet.ingest.rome import load_rome
from cartonet.ingest.subset import subset
from cartonet.model import Dataset, NodeType

OLD_DOMAINS, NEW_DOMAINS = ("M18", "J15", "G16"), ("M18", "J15", "K13")


def part(rome: Dataset, domains: tuple[str, ...]) -> Dataset:
    seeds = [
        n.id
        for n in rome.nodes
        if n.type is NodeType.OCCUPATION and n.id.startswith(tuple(f"rome:{d}" for d in domains))
    ]
    return subset(rome, seeds)


@pytest.fixture(scope="module")
def releases(
    rome_dir: Path, rome_full: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Dataset, Dataset]:
    no_labels = tmp_path_factory.mktemp("no-2021-labels")
    return part(load_rome(rome_dir, labels_dir=no_labels), OLD_DOMAINS), part(
        rome_full, NEW_DOMAINS
    )


def expected_changes(old: Dataset, new: Dataset) -> dict[tuple[str, str], dict[str, int]]:
    """Added / updated / removed per type between two datasets of one source."""
    out: dict[tuple[str, str], Counter[str]] = {}

    def count(kind: str, type_: str, what: str) -> None:
        out.setdefault((kind, type_), Counter())[what] += 1

    old_nodes, new_nodes = {n.id: n for n in old.nodes}, {n.id: n for n in new.nodes}
    for i, node in new_nodes.items():
        if i not in old_nodes:
            count("node", str(node.type), "added")
        elif old_nodes[i] != node:
            count("node", str(node.type), "updated")
    for i in old_nodes.keys() - new_nodes.keys():
        count("node", str(old_nodes[i].type), "removed")
    old_rels = {r.key: dict(r.props) for r in old.relationships}
    new_rels = {r.key: dict(r.props) for r in new.relationships}
    for key, props in new_rels.items():
        if key not in old_rels:
            count("relationship", key[0], "added")
        elif old_rels[key] != props:
            count("relationship", key[0], "updated")
    for key in old_rels.keys() - new_rels.keys():
        count("relationship", key[0], "removed")
    return {
        k: {w: c[w] for w in ("added", "updated", "removed", "takenOver")} for k, c in out.items()
    }


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"CARTONET_STORE": ""}, obj=None)
    assert result.exit_code == 0, result.output
    return result.output


def test_reloading_a_changed_release_reports_what_changed(
    releases: tuple[Dataset, Dataset], tmp_path: Path
) -> None:
    old, new = releases
    expected = expected_changes(old, new)
    # the parts really differ in every way the report knows
    assert {w for c in expected.values() for w, n in c.items() if n} == {
        "added",
        "updated",
        "removed",
    }
    store = str(tmp_path / "s.sqlite")
    files = []
    for dataset, name in ((old, "old.json"), (new, "new.json")):
        files.append(tmp_path / name)
        write_json(dataset, files[-1], attribution="ROME v3.33 (Pôle emploi), real subset")
    invoke("load", "json", str(files[0]), "--store", store, "-q")
    out = invoke("load", "json", str(files[1]), "--store", store, "-q", "--replace")
    assert "changed" in out and "taken over" in out

    loads = json.loads(invoke("stats", "--store", store, "--json", "--loads", "5"))["loads"]
    assert [r["source"] for r in loads] == ["rome-v333", "rome-v333"]
    newest = loads[0]
    assert newest["replace"] and newest["release"] == "v333"
    got = {
        (c["kind"], c["type"]): {w: c[w] for w in ("added", "updated", "removed", "takenOver")}
        for c in newest["changes"]
    }
    assert got == expected
    assert newest["files"] == [
        {"name": "new.json", "sha256": hashlib.sha256(files[1].read_bytes()).hexdigest()}
    ]
    assert newest["counts"]["Occupation"] == sum(n.type is NodeType.OCCUPATION for n in new.nodes)

    text = invoke("stats", "--store", store, "--loads", "1")
    assert (
        "last loads (1, newest first)" in text
        and hashlib.sha256(files[1].read_bytes()).hexdigest() in text
    )
