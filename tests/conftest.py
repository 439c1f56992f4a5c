"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false; under CI=true, fail instead:
    CI always has what the tests need, so a missing piece there is a defect."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: tests are never skipped in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """``../shared/data`` beside the repo (or ``CARTONET_SHARED_DATA``): the real taxonomies."""
    path = Path(os.environ.get("CARTONET_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")
    need(path.is_dir(), f"real taxonomies not found at {path} (set CARTONET_SHARED_DATA)")
    return path
