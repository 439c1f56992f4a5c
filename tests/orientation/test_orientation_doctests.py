"""The examples in the orientation docstrings run and say what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "cartonet.orientation.text",
    "cartonet.orientation.projection",
    "cartonet.orientation.similarity",
    "cartonet.orientation.transitions",
    "cartonet.orientation.gaps",
    "cartonet.orientation.paths",
    "cartonet.orientation.skillmap",
    "cartonet.orientation.evaluate",
    "cartonet.orientation.diagnostics",
    "cartonet.orientation.explain",
    "cartonet.orientation.pilotage",
    "cartonet.orientation.report",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} documents no example"
