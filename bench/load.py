"""Benchmark of loading the real sources one after the other — ESCO, ROME, O*NET, then the
observed mobility — into the embedded store and into Neo4j.

For each store and source, in that order, into a store already holding the previous
sources, one fresh child process reads the files (the loader) and writes them (the
store's ``load`` / ``load_observed``) and reports:

* ``read_s`` and ``write_s``: seconds to read the files, and to validate and write them;
* ``rows``: nodes + relationships (observed mobility: moves + communes), and ``rows_per_s``
  over read + write;
* ``peak_mb``: the peak resident memory of that child (``ru_maxrss``), i.e. of reading and
  loading that source (a fresh process per source, so one source's peak does not hide
  the next one's);
* ``checksum_s``: seconds to take the SHA-256 of the files read, as ``cartonet load`` does
  for the load history (not in ``read_s`` / ``write_s``);
* ``history_s``: seconds of the history's own work, measured apart on the same data:
  counting the items per type, one change per item (what a first load counts) and building
  the record (the stores do this inside ``write_s``; the record itself is one row / node).

The last rows give, per source, the ratio of Neo4j's total time to the embedded store's
(measured in the same run). Prints a table, or one JSON object with ``--json``.

Usage::

    .venv/bin/python bench/load.py                      # both stores; starts its own Neo4j
    .venv/bin/python bench/load.py --stores embedded --json
    CARTONET_NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/load.py

The Neo4j database is EMPTIED first; the embedded store is a temporary file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("esco", "rome", "onet", "lbb")


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def _inputs(source: str) -> list[Path]:
    data = shared_data()
    return {
        "esco": [data / "esco" / "v1.1.1"],
        "rome": [data / "rome" / "v333", data / "rome" / "labonneboite_2021"],
        "onet": [data / "onet" / "29.3"],
        "lbb": [data / "rome" / "labonneboite_2021"],
    }[source]


def _history_work(data: Any) -> float:
    """Seconds of the load history's own work on ``data`` (see the module doc)."""
    from cartonet.model import ObservedMobility
    from cartonet.store import history

    started = time.perf_counter()
    changes = history.ChangeCounter()
    if isinstance(data, ObservedMobility):
        counts = history.observed_counts(data)
        changes.add("observed", "ObservedMove", "added", len(data.moves))
    else:
        counts = history.dataset_counts(data)
        for node in data.nodes:
            changes.add("node", node.type, "added")
        for rel in data.relationships:
            changes.add("relationship", rel.type, "added")
    history.record_info(
        source=data.source,
        kind="graph",
        started=time.time(),
        read_seconds=None,
        files=data.files,
        counts=counts,
        changes=changes.changes(),
        version="v0",
        replace=False,
        warnings=len(data.warnings),
    )
    return time.perf_counter() - started


def _read(source: str) -> Any:
    data = shared_data()
    if source == "esco":
        from cartonet.ingest.esco import load_esco

        return load_esco(data / "esco" / "v1.1.1")
    if source == "rome":
        from cartonet.ingest.rome import load_rome

        return load_rome(data / "rome" / "v333")
    if source == "onet":
        from cartonet.ingest.onet import load_onet

        return load_onet(data / "onet" / "29.3")
    from cartonet.ingest.lbb import load_lbb

    return load_lbb(data / "rome" / "labonneboite_2021")


async def _child(source: str, store_spec: dict[str, Any]) -> dict[str, Any]:
    """Read and load one source into the store ``store_spec`` names."""
    from cartonet.model import ObservedMobility

    started = time.perf_counter()
    data = _read(source)
    read_s = time.perf_counter() - started
    checksum_s = history_s = None
    try:
        from cartonet.ingest.checksums import input_checksums
    except ImportError:  # a version without the load history (baseline runs)
        pass
    else:
        started = time.perf_counter()
        data.files = input_checksums(_inputs(source), data.read_counts)
        checksum_s = round(time.perf_counter() - started, 2)
        history_s = round(_history_work(data), 3)
    if store_spec["kind"] == "embedded":
        from cartonet.store.embedded import EmbeddedStore

        store: Any = EmbeddedStore(Path(store_spec["path"]))
    else:
        from cartonet.store.neo4j import Neo4jStore

        user, password = store_spec.get("auth") or (None, None)
        store = Neo4jStore(store_spec["uri"], user, password, store_spec["database"])
    await store.open()
    try:
        started = time.perf_counter()
        if isinstance(data, ObservedMobility):
            await store.load_observed(data)
            rows = len(data.moves) + len(data.communes)
        else:
            await store.load(data)
            rows = len(data.nodes) + len(data.relationships)
        write_s = time.perf_counter() - started
    finally:
        await store.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    total = read_s + write_s
    return {
        "read_s": round(read_s, 2),
        "write_s": round(write_s, 2),
        "rows": rows,
        "rows_per_s": round(rows / total) if total else None,
        "peak_mb": round(peak_kb / 1024),
        "checksum_s": checksum_s,
        "history_s": history_s,
    }


def run_child(source: str, store_spec: dict[str, Any]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", source, "--spec", json.dumps(store_spec)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"loading {source} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


async def _wipe(uri: str, auth: Any, database: str) -> None:
    from neo4j import AsyncGraphDatabase

    async with (
        AsyncGraphDatabase.driver(uri, auth=auth) as driver,
        driver.session(database=database) as session,
    ):
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--stores", default="embedded,neo4j", help="comma-separated: embedded, neo4j"
    )
    parser.add_argument("--heap", default=os.environ.get("NEO4J_HEAP") or "2g")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(_child(args.child, json.loads(args.spec)))))
        return 0
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    figures: dict[str, Any] = {}
    if "embedded" in stores:
        with tempfile.TemporaryDirectory() as tmp:
            spec = {"kind": "embedded", "path": str(Path(tmp) / "bench.sqlite")}
            for source in SOURCES:
                figures[f"embedded.{source}"] = run_child(source, spec)
    if "neo4j" in stores:
        sys.path.insert(0, str(REPO / "tools"))
        from neo4j_server import neo4j_target

        with neo4j_target(args.heap, progress=not args.json) as target:
            if target.startup_s is not None:
                figures["neo4j_startup_s"] = target.startup_s
            asyncio.run(_wipe(target.uri, target.auth, target.database))
            spec = {
                "kind": "neo4j",
                "uri": target.uri,
                "auth": list(target.auth) if target.auth else None,
                "database": target.database,
            }
            for source in SOURCES:
                figures[f"neo4j.{source}"] = run_child(source, spec)
    for source in SOURCES:
        emb, neo = figures.get(f"embedded.{source}"), figures.get(f"neo4j.{source}")
        if emb and neo:
            ratio = (neo["read_s"] + neo["write_s"]) / max(emb["read_s"] + emb["write_s"], 1e-9)
            figures[f"ratio_neo4j_to_embedded.{source}"] = round(ratio, 2)
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(
        f"{'store.source':<18} {'read_s':>7} {'write_s':>8} {'rows':>8} {'rows/s':>8} "
        f"{'peak MB':>8}"
    )
    for key, value in figures.items():
        if isinstance(value, dict):
            print(
                f"{key:<18} {value['read_s']:>7} {value['write_s']:>8} {value['rows']:>8} "
                f"{value['rows_per_s']:>8} {value['peak_mb']:>8}"
            )
        else:
            print(f"{key:<18} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
