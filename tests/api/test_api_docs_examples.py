"""Every ```graphql block of README.md and docs/api.md runs against the fixtures.

A block whose first line is ``# expect: CODE`` must fail with that error code; every other
block must answer without errors, with some data and no empty list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from api_helpers import Gql

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "docs" / "api.md"]
BLOCK = re.compile(r"^```graphql\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXPECT = re.compile(r"^#\s*expect:\s*(\w+)")


def _blocks() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for n, match in enumerate(BLOCK.finditer(text), start=1):
            found.append((f"{doc.relative_to(ROOT)}#{n}", match.group(1)))
    return found


def test_the_docs_have_examples() -> None:
    names = [name for name, _ in _blocks()]
    assert any(n.startswith("README.md") for n in names)
    assert sum(n.startswith("docs") for n in names) >= 5


@pytest.mark.parametrize(("name", "query"), _blocks(), ids=[n for n, _ in _blocks()])
async def test_example_runs(gql: Gql, name: str, query: str) -> None:
    expect = EXPECT.match(query.strip())
    if expect:
        body = await gql(query, errors=True)
        assert body["errors"][0]["extensions"]["code"] == expect.group(1), body
        return
    data = await gql(query)
    assert data and any(v not in (None, [], {}) for v in data.values()), data
    assert '"totalCount": 0' not in json.dumps(data), f"{name} shows an empty list: {data}"
