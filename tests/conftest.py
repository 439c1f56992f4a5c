"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cartonet_testing import need

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """``../shared/data`` beside the repo (or ``CARTONET_SHARED_DATA``): the real taxonomies."""
    path = Path(os.environ.get("CARTONET_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")
    need(path.is_dir(), f"real taxonomies not found at {path} (set CARTONET_SHARED_DATA)")
    return path
