"""Helpers shared by every test folder, importable from any conftest or test module.

A plain module (on the test path through ``pythonpath`` in pyproject.toml) because pytest
imports every ``conftest.py`` as module ``conftest``: a sub-folder conftest cannot import
the root one by name.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false; under CI=true, fail instead:
    CI always has what the tests need, so a missing piece there is a defect."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: tests are never skipped in CI)")
    pytest.skip(reason)
