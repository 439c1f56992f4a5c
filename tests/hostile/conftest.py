"""Fixtures of the hostile-request suite: the Neo4j backend (shared with tests/neo4j)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "neo4j"))
from neo4j_backend import neo4j_service  # noqa: F401
