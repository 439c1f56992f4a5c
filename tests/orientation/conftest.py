"""Fixtures of the orientation tests: the illustrative demo graph, the bundled fixtures as
one orientation graph, and (slow) the full ROME v3.33 graph from the shared data."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest
from orientation_helpers import merged

from cartonet.ingest.fixtures import load_fixtures
from cartonet.model import Dataset
from cartonet.orientation.demo import demo_graph
from cartonet.orientation.projection import graph_from_dataset
from cartonet_testing import need

# the Neo4j backend fixtures (a real server shared with tests/neo4j)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "neo4j"))
from neo4j_backend import neo4j_service, store_factory_neo4j  # noqa: F401


@pytest.fixture
def demo() -> nx.MultiDiGraph:
    return demo_graph()


@pytest.fixture(scope="session")
def fixture_datasets() -> list[Dataset]:
    return list(load_fixtures())


@pytest.fixture(scope="session")
def fixtures_graph(fixture_datasets: list[Dataset]) -> nx.MultiDiGraph:
    """The bundled fixtures (ESCO and ROME subsets, illustrative trainings) as one graph."""
    return graph_from_dataset(merged(fixture_datasets), version="fixtures")


@pytest.fixture(scope="session")
def rome_dataset(shared_data_dir: Path) -> Dataset:
    from cartonet.ingest.rome import load_rome

    path = shared_data_dir / "rome" / "v333"
    need(path.is_dir(), f"ROME v3.33 not found at {path}")
    return load_rome(path)


@pytest.fixture(scope="session")
def rome_graph(rome_dataset: Dataset) -> nx.MultiDiGraph:
    return graph_from_dataset(rome_dataset, version="rome-v333")
