"""Fixtures of the ingest tests: the real release folders and their (slow) full loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartonet.ingest.esco import load_esco
from cartonet.ingest.rome import load_rome
from cartonet.model import Dataset
from cartonet_testing import need


@pytest.fixture(scope="session")
def esco_dir(shared_data_dir: Path) -> Path:
    path = shared_data_dir / "esco" / "v1.1.1"
    need(path.is_dir(), f"ESCO v1.1.1 not found at {path}")
    return path


@pytest.fixture(scope="session")
def rome_dir(shared_data_dir: Path) -> Path:
    path = shared_data_dir / "rome" / "v333"
    need(path.is_dir(), f"ROME v3.33 not found at {path}")
    return path


@pytest.fixture(scope="session")
def esco_full(esco_dir: Path) -> Dataset:
    """The full ESCO release, loaded once for the whole session."""
    return load_esco(esco_dir)


@pytest.fixture(scope="session")
def rome_full(rome_dir: Path) -> Dataset:
    return load_rome(rome_dir)
