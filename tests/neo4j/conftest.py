"""Fixtures of the Neo4j tests: the shared real server (see ``neo4j_backend.py``).

Every test that uses the server (here or in the contract suite) gets the ``neo4j``
marker, so ``pytest -m "not neo4j"`` leaves them out on a machine without Java.
"""

from __future__ import annotations

import pytest
from neo4j_backend import neo4j_service, store_factory_neo4j

__all__ = ["neo4j_service", "store_factory_neo4j"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "neo4j_service" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.neo4j)
