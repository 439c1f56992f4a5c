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

``--instructions`` counts instructions instead of seconds, with valgrind's callgrind (a
count does not move with what else the machine runs, where CPU time drifts by 10-20 % on
a shared machine): each workload runs in a child process under callgrind with the
instrumentation off through start-up and a warm-up burst, then on (``callgrind_control``)
for ``--requests`` requests only, so the total divided by the requests is what one request
costs. The child serves ``--concurrency`` request loops at once (2 by default: on Neo4j,
concurrent lookups are merged into one statement as under load) and, like a warm server,
freezes what start-up built and collects as the warm-up leaves the collector. Repeatable
to a fraction of a percent, and the way to compare two versions of the code::

    .venv/bin/python bench/api_inprocess.py --instructions --only c2 --neo4j bolt://127.0.0.1:7699
    PYTHONPATH=/tmp/before/src .venv/bin/python bench/api_inprocess.py --instructions --only c2

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
import contextlib
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from cartonet.api import warmup
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


@contextlib.asynccontextmanager
async def opened_app(store_file: Path, neo4j: str | None) -> AsyncIterator[tuple[Any, list[Any]]]:
    """The app on the embedded file (or on ``neo4j``), opened, and the workloads with the
    ids picked on the embedded file; the store is closed on the way out."""
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
        yield app, workloads(ids)
    finally:
        await store.close()


async def _check(app: Any, work: Any) -> None:
    """Stop the benchmark unless the workload's question gets an answer without errors."""
    answer = json.loads(await _post(app, work.ours))
    if answer.get("errors") or not answer.get("data"):
        raise SystemExit(f"{work.name}: {json.dumps(answer)[:300]}")


async def measure(
    store_file: Path, requests: int, only: set[str], neo4j: str | None = None
) -> dict[str, float]:
    async with opened_app(store_file, neo4j) as (app, works):
        figures: dict[str, float] = {}
        for w in works:
            if w.name not in only:
                continue
            await _check(app, w)
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


async def serve_only(
    store_file: Path, name: str, requests: int, concurrency: int, neo4j: str | None
) -> None:
    """Start the app and warm it, then answer ``requests`` requests of workload ``name``
    from ``concurrency`` loops at once with callgrind's instrumentation on: what
    ``--instructions`` counts."""
    async with opened_app(store_file, neo4j) as (app, works):
        (work,) = [w for w in works if w.name == name]
        await _check(app, work)

        async def loop(count: int) -> None:
            for _ in range(count):
                await _post(app, work.ours)

        async def run(count: int) -> None:
            share, rest = divmod(count, concurrency)
            await asyncio.gather(*(loop(share + (i < rest)) for i in range(concurrency)))

        await run(2 * BATCH)
        # as a warm server: start-up's objects frozen, the collector as the warm-up sets it
        gc.collect()
        gc.freeze()
        young = getattr(warmup, "GC_YOUNG_THRESHOLD", None)  # versions before: the default
        if young is not None:
            gc.set_threshold(young, *gc.get_threshold()[1:])
        _instrument("on")
        await run(requests)
        _instrument("off")


def _instrument(state: str) -> None:
    """Turn callgrind's instrumentation of this process on or off (the tool answers once
    it is done: the next instruction is counted, or not)."""
    subprocess.run(
        ["callgrind_control", "--instr=" + state, str(os.getpid())],
        check=True,
        capture_output=True,
    )


def count_instructions(args: argparse.Namespace, name: str) -> float:
    """Instructions per request of workload ``name`` (one child under callgrind)."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--store",
        str(args.store),
        "--serve-only",
        name,
        "--requests",
        str(args.requests),
        "--concurrency",
        str(args.concurrency),
    ]
    if args.neo4j:
        command += ["--neo4j", args.neo4j]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{name}: callgrind run failed:\n{done.stderr[-1500:]}")
    return int(found.group(1)) / args.requests


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
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per request with valgrind's callgrind instead of CPU time",
    )
    parser.add_argument(
        "--concurrency", type=int, default=2, help="--instructions: request loops at once (2)"
    )
    parser.add_argument("--serve-only", metavar="WORKLOAD", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.store.is_file():
        parser.error(f"{args.store} not found: run bench/graphql_peer.py once to build it")
    if args.serve_only:
        asyncio.run(
            serve_only(args.store, args.serve_only, args.requests, args.concurrency, args.neo4j)
        )
        return 0
    if args.instructions:
        if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
            parser.error("--instructions needs valgrind (apt-get install valgrind)")
        if args.requests < 1 or args.concurrency < 1:
            parser.error("--instructions needs --requests and --concurrency of 1 or more")
        counts = {
            name: round(count_instructions(args, name)) for name in args.only.split(",") if name
        }
        if args.json:
            print(json.dumps({"instructions_per_request": counts}))
        else:
            print("Instructions per request, in process (callgrind):")
            for name, count in counts.items():
                print(f"  {name}: {count:,}")
        return 0
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
