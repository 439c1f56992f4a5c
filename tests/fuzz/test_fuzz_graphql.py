"""Schemathesis (GraphQL mode) against a real ``cartonet serve``, on both stores.

Schemathesis reads the schema by introspection and generates valid queries for every root
field (arguments of every type, nested selections), which are sent to the server. Each
answer must be a 200 with GraphQL JSON, and every error in it must carry an
``extensions.code`` other than ``INTERNAL_SERVER_ERROR`` (an internal error is a bug, even
masked) and no trace of Python. At least :data:`MIN_CASES` cases run per store.

Generation is derandomised, so a failure replays; ``CARTONET_FUZZ_EXAMPLES`` raises the
number of examples per root field for a longer local run.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from cartonet_testing import load_script

hostile = load_script("hostile", folder="bench")

MIN_CASES = 1000
EXAMPLES = int(os.environ.get("CARTONET_FUZZ_EXAMPLES") or 50)
"""Examples per root field (21 root fields: 50 makes about 1,050 cases)."""


@dataclass
class Tally:
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    bad: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0  # generating and sending every case
    server_seconds: float = 0.0  # waiting for answers

    def record(self, query: Any, status: int, text: str) -> None:
        self.cases += 1
        self.statuses[status] += 1
        problem = None
        try:
            body = json.loads(text)
        except ValueError:
            body, problem = None, "not JSON"
        if status >= 500 or status != 200:
            problem = f"status {status}"
        for error in (body or {}).get("errors") or ():
            code = (error.get("extensions") or {}).get("code")
            self.codes[code or "-"] += 1
            if code is None or code == "INTERNAL_SERVER_ERROR":
                problem = f"error {code}: {error.get('message')}"
            elif "Traceback" in error.get("message", ""):
                problem = "a traceback in a message"
        if problem is not None:
            self.bad.append({"problem": problem, "query": query, "answer": text[:2000]})


def fuzz(port: int) -> Tally:
    schema = schemathesis.graphql.from_url(f"http://127.0.0.1:{port}/graphql")
    tally = Tally()
    session = requests.Session()  # one keep-alive connection for every case
    started = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy())
        def one(case: Any) -> None:
            sent = time.perf_counter()
            response = case.call(session=session, timeout=60)
            tally.server_seconds += time.perf_counter() - sent
            tally.record(case.body, response.status_code, response.text)

        one()
    session.close()
    tally.seconds = time.perf_counter() - started
    return tally


def _check(tally: Tally, store: str, tmp_path: Path) -> None:
    report = {
        "store": store,
        "cases": tally.cases,
        "seconds": round(tally.seconds, 1),
        "server_seconds": round(tally.server_seconds, 1),
        "statuses": dict(tally.statuses),
        "codes": dict(tally.codes),
        "bad": tally.bad[:20],
    }
    (tmp_path / f"fuzz-{store}.json").write_text(json.dumps(report, indent=2, default=str))
    print(
        f"\nfuzz {store}: {tally.cases} cases in {tally.seconds:.0f} s "
        f"({tally.server_seconds:.0f} s waiting for answers), statuses {dict(tally.statuses)}, "
        f"error codes {dict(tally.codes)}"
    )
    assert tally.bad == [], tally.bad[:5]
    assert tally.cases >= MIN_CASES


def test_fuzz_embedded(tmp_path: Path) -> None:
    with hostile.serve(log=tmp_path / "serve.log") as port:
        tally = fuzz(port)
    _check(tally, "embedded", tmp_path)
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


@pytest.mark.neo4j
async def test_fuzz_neo4j(neo4j_service: Any, tmp_path: Path) -> None:
    import asyncio

    from neo4j_backend import fill_with_fixtures, serve_env

    await fill_with_fixtures(neo4j_service)
    env = serve_env(neo4j_service)

    def run() -> Tally:
        with hostile.serve(neo4j_service.uri, env=env, log=tmp_path / "serve.log") as port:
            return fuzz(port)

    tally = await asyncio.to_thread(run)
    _check(tally, "neo4j", tmp_path)
    assert "Traceback" not in (tmp_path / "serve.log").read_text()
