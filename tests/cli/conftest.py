"""CLI test fixtures: a small real dataset (a slice of the bundled ESCO fixture) as a
``cartonet-graph`` JSON file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartonet.ingest.fixtures import fixture_paths
from cartonet.ingest.jsonfmt import read_json, write_json
from cartonet.model import Dataset, NodeType, RelType


@pytest.fixture(scope="session")
def small_dataset() -> Dataset:
    """Three ESCO occupations of the fixtures, their skills and REQUIRES relations."""
    esco = read_json(next(p for p in fixture_paths() if p.name.startswith("esco")))
    occupations = sorted(n.id for n in esco.nodes if n.type == NodeType.OCCUPATION)[:3]
    rels = [r for r in esco.relationships if r.type == RelType.REQUIRES and r.start in occupations]
    keep = set(occupations) | {r.end for r in rels}
    return Dataset(
        source="cli-test-slice",
        nodes=[n for n in esco.nodes if n.id in keep],
        relationships=rels,
    )


@pytest.fixture
def small_json(tmp_path: Path, small_dataset: Dataset) -> Path:
    path = tmp_path / "slice.json"
    write_json(small_dataset, path, attribution="ESCO v1.1.1 (European Commission)")
    return path
