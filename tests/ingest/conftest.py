"""Fixtures of the ingest tests: the real release folders and their (slow) full loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cartonet.ingest.esco import load_esco
from cartonet.ingest.rome import load_rome
from cartonet.model import Dataset


def need(condition: bool, reason: str) -> None:
    """The rule of ``tests/conftest.py``'s ``need`` (skip, but fail under CI=true). Copied:
    a conftest cannot import the root one, both are imported as module ``conftest``."""
    if condition:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: tests are never skipped in CI)")
    pytest.skip(reason)


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
