"""CPU per GraphQL request of the ASGI app itself, in process: no HTTP server, no network.

Drives the app made by ``create_app`` (middleware, ``/graphql`` endpoint, document cache,
execution, store reads) with the questions of ``bench/graphql_peer.py`` (workloads a, b,
c, c2 and ``{ __typename }``, ids picked by the same rules) on an embedded store holding
full ESCO, and prints the process CPU time per request of each. What uvicorn, the socket
and a load generator cost is left out, so small changes of the GraphQL layer show under a
machine's noise: each figure is the best mean over batches of 20 requests (a batch that
another process slowed down counts less than in a plain mean).

To compare two versions of the code, run the script with each one's ``src`` first on
``PYTHONPATH``, alternately, a few times, and compare the best figures::

    .venv/bin/python bench/api_inprocess.py --json
    PYTHONPATH=/tmp/before/src .venv/bin/python bench/api_inprocess.py --json

The store file is only read; by default it is the one ``bench/graphql_peer.py`` keeps in
its cache (``~/.cache/cartonet/peer/esco-embedded.sqlite``). ``--neo4j URI`` drives the app
on a Neo4j holding the same data instead (``bench/graphql_peer.py`` leaves one in
``~/.cache/cartonet/peer/neo4j-esco``; ``tools/neo4j_server.py run --data`` that folder serves
it): the figure is then this process's CPU only, the database's is left out. The ids are
still picked on the embedded file, so both stores answer the same questions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from cartonet.api.app import create_app
from cartonet.settings import Settings
from cartonet.store.base import Store
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.neo4j import Neo4jStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from graphql_peer import cache_dir, pick_ids, workloads

BATCH = 20


async def _post(app: Any, body: dict[str, Any]) -> bytes:
    raw = json.dumps(body).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:  # the app never asks twice for a body sent whole
            raise RuntimeError("the app asked for more body")
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    chunks: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return b"".join(chunks)


async def measure(
    store_file: Path, requests: int, only: set[str], neo4j: str | None = None
) -> dict[str, float]:
    picker = EmbeddedStore(store_file)
    try:
        await picker.open()
        ids = await pick_ids(picker)
    finally:
        await picker.close()
    store: Store = Neo4jStore(neo4j) if neo4j else EmbeddedStore(store_file)
    app = create_app(Settings(store=neo4j or str(store_file), warm_cache=False), store=store)
    await app.state.cartonet.ensure_open(None)
    try:
        figures: dict[str, float] = {}
        for w in workloads(ids):
            if w.name not in only:
                continue
            answer = json.loads(await _post(app, w.ours))
            if answer.get("errors") or not answer.get("data"):
                raise SystemExit(f"{w.name}: {json.dumps(answer)[:300]}")
            for _ in range(2 * BATCH):  # caches in the state of a busy server
                await _post(app, w.ours)
            best = float("inf")
            for _ in range(max(1, requests // BATCH)):
                start = time.process_time()
                for _ in range(BATCH):
                    await _post(app, w.ours)
                best = min(best, time.process_time() - start)
            figures[w.name] = round(best / BATCH * 1000, 3)
        return figures
    finally:
        await store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store",
        type=Path,
        default=cache_dir() / "esco-embedded.sqlite",
        help="embedded store holding full ESCO (default: graphql_peer.py's cache)",
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per workload")
    parser.add_argument("--only", default="typename,a,b,c,c2", help="comma-separated workloads")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--neo4j", metavar="URI", help="drive the app on this Neo4j (auth off) holding full ESCO"
    )
    args = parser.parse_args(argv)
    if not args.store.is_file():
        parser.error(f"{args.store} not found: run bench/graphql_peer.py once to build it")
    figures = asyncio.run(measure(args.store, args.requests, set(args.only.split(",")), args.neo4j))
    load = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"cpu_ms_per_request": figures, "load_average": round(load, 2)}))
    else:
        print(f"CPU ms per request, in process (load average {load:.2f}):")
        for name, ms in figures.items():
            print(f"  {name}: {ms}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
