"""Benchmark of type-ahead search on the Neo4j store, full ESCO: the in-memory label index
against the full-text candidate path it replaced, with the embedded store as reference,
all measured in the same run on the same data.

Measures:

* **latency per query category** (p50 / p95 over every timed call): 3-letter prefixes,
  4–6-letter prefixes, whole French and English words, typos, several words. Each
  category holds hand-picked inputs plus inputs drawn (seeded) from ESCO's occupation and
  skill labels the way someone types them. The three stores run the same calls, one
  after the other for each query, so machine load hits them alike:

  - ``embedded``: :class:`~cartonet.store.embedded.EmbeddedStore` (the reference);
  - ``neo4j_fulltext``: ``Neo4jStore(label_index=False)``, the path before this change
    (full-text candidates per query, ranked in Python);
  - ``neo4j_index``: ``Neo4jStore()``, the in-memory label index (one round trip);

* **identical answers**: every query's hits on the two Neo4j paths against the
  embedded store's;
* **where the time goes** (first query of each category, median of the repeats): for
  the full-text path, the version + vocabulary check, building the Lucene queries, the
  server's own time for the candidate statement (its result summary), the rest of that
  round trip (transfer and decoding of the candidate rows), parsing, ranking (index
  build + search) and fetching the hits; for the label index, the in-memory ranking and
  the one round trip;
* **cold start**: ``warm()`` on a fresh store (label index: reading every label and
  building the index, what the first search after a graph change waits for; full-text:
  the vocabulary);
* **memory** (child processes, so this script's datasets do not count): resident memory
  of a process that opened the store, warmed it and ran every query once, for each
  store, on full ESCO and then on full ESCO + ROME v3.33 (``--no-rome`` skips ROME).

Prints tables, or one JSON object with ``--json``. Usage::

    .venv/bin/python bench/search_neo4j.py                 # starts its own Neo4j
    CARTONET_NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/search_neo4j.py --json

The database named by ``CARTONET_NEO4J_URI`` is EMPTIED first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import Any

from neo4j import AsyncGraphDatabase

from cartonet.ingest.esco import load_esco
from cartonet.ingest.rome import load_rome
from cartonet.model import Dataset, NodeType
from cartonet.store.base import Store
from cartonet.store.cypher import statements
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.neo4j import Neo4jStore
from cartonet.store.neo4j_search import candidate_queries, label_entries_of
from cartonet.store.search import SearchIndex, query_tokens

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
from neo4j_server import neo4j_target  # noqa: E402

FIRST = 10
"""Hits asked per search, as the type-ahead does."""
STORES = ("embedded", "neo4j_fulltext", "neo4j_index")
CATEGORIES: dict[str, list[str]] = {
    "prefix_3": ["pro", "man", "tec", "ges", "con", "inf", "dév", "ens", "ven", "méc"],
    "prefix_4_6": ["prog", "infor", "mécan", "logist", "compta", "soign", "cuisi", "électr"],
    "word": [
        *("infirmier", "boulanger", "comptable", "soudeur", "plombier", "électricien"),
        *("nurse", "baker", "accountant", "welder", "teacher", "engineer"),
    ],
    "typo": [
        *("dévelopeur", "infirmiere", "sofware", "mecanicein", "comptabel", "boulenger"),
        *("plombiier", "enginer", "acountant", "jardinnier"),
    ],
    "multi_word": [
        *("chef de cuisine", "software developer", "gestion de projet", "aide soignant"),
        *("conducteur de bus", "analyse de données", "project management"),
        *("customer service", "agent de sécurité", "data analyst"),
    ],
}
"""Hand-picked inputs per category; :func:`query_set` adds inputs drawn from the data."""


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def query_set(dataset: Dataset, drawn: int, seed: int) -> dict[str, list[str]]:
    """:data:`CATEGORIES` plus ``drawn`` inputs per category taken from the labels of
    randomly chosen (seeded) occupations and skills: the start of a word (3, then 4–6
    letters), the word, the word with two letters swapped, the label's first words."""
    rng = random.Random(seed)
    labels = sorted(
        text
        for node in dataset.nodes
        if node.type in (NodeType.OCCUPATION, NodeType.SKILL)
        for text in node.labels.values()
    )
    out = {name: list(queries) for name, queries in CATEGORIES.items()}
    while min(len(v) - len(CATEGORIES[k]) for k, v in out.items()) < drawn:
        label = rng.choice(labels)
        words = [w for w in label.split() if len(query_tokens(w)) == 1 and len(w) >= 7]
        if not words or len(label.split()) < 2:
            continue
        word = rng.choice(words).strip(",.()")
        i = rng.randrange(1, len(word) - 2)
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        drafts = {
            "prefix_3": word[:3],
            "prefix_4_6": word[: rng.randint(4, 6)],
            "word": word,
            "typo": typo,
            "multi_word": " ".join(label.split()[:3]),
        }
        for name, query in drafts.items():
            if len(out[name]) - len(CATEGORIES[name]) < drawn and query not in out[name]:
                out[name].append(query)
    return out


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


async def _timed(call: Awaitable[Any]) -> tuple[float, Any]:
    """Seconds ``call`` (a coroutine, not started yet) takes, and its result."""
    started = time.perf_counter()
    result = await call
    return time.perf_counter() - started, result


async def latencies(
    stores: dict[str, Store], queries: dict[str, list[str]], repeats: int
) -> tuple[dict[str, dict[str, list[float]]], list[str]]:
    """Seconds per call, by store and category; and the queries whose hits differ."""
    times: dict[str, dict[str, list[float]]] = {s: {c: [] for c in queries} for s in stores}
    differ: list[str] = []
    for category, items in queries.items():
        for query in items:
            answers = {}
            for name, store in stores.items():
                # one untimed call: the answer, and warm caches (plans, pages) for the query
                answers[name] = await store.search(query, None, None, FIRST)
            if any(a != answers["embedded"] for a in answers.values()):
                differ.append(query)
            for _ in range(repeats):
                for name, store in stores.items():
                    seconds, _ = await _timed(store.search(query, None, None, FIRST))
                    times[name][category].append(seconds)
    return times, differ


async def breakdown_fulltext(
    store: Neo4jStore, driver: Any, database: str, query: str, repeats: int
) -> dict[str, float]:
    """Milliseconds per phase of one full-text-path search (medians of ``repeats``)."""
    cypher = statements()
    runs: list[dict[str, float]] = []
    for _ in range(repeats):
        phase: dict[str, float] = {}
        t, vocabulary = await _timed(store._search_vocabulary())
        phase["version_and_vocabulary"] = t
        started = time.perf_counter()
        queries = candidate_queries(query, vocabulary)
        phase["lucene_queries"] = time.perf_counter() - started
        started = time.perf_counter()
        async with driver.session(database=database) as session:
            result = await session.run(cypher["search_candidates"], queries=queries, types=None)
            rows = (await result.single(strict=True))["candidates"]
            summary = await result.consume()
        wall = time.perf_counter() - started
        server = (summary.result_available_after + summary.result_consumed_after) / 1000
        phase["server"] = server
        phase["transfer_and_decoding"] = wall - server
        started = time.perf_counter()
        entries = [e for row in rows for e in label_entries_of(*row)]
        phase["parse"] = time.perf_counter() - started
        started = time.perf_counter()
        index = SearchIndex(entries)
        phase["rank_build"] = time.perf_counter() - started
        started = time.perf_counter()
        hits = index.search(query, FIRST)
        phase["rank_search"] = time.perf_counter() - started
        t, _ = await _timed(store.get_nodes([h.node.id for h in hits]))
        phase["fetch_hits"] = t
        phase["candidates"] = len(rows)
        phase["labels"] = len(entries)
        runs.append(phase)
    return {
        k: (
            runs[0][k]
            if k in ("candidates", "labels")
            else _ms(statistics.median(r[k] for r in runs))
        )
        for k in runs[0]
    }


async def breakdown_index(store: Neo4jStore, query: str, repeats: int) -> dict[str, float]:
    """Milliseconds per phase of one label-index search (medians of ``repeats``)."""
    labels = await store._label_index()
    rank_s, trip_s = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        hits = labels.index.search(query, FIRST)
        rank_s.append(time.perf_counter() - started)
        ids = [h.node.id for h in hits]
        t, _ = await _timed(store._record("search_nodes", {"ids": ids}))
        trip_s.append(t)
    return {
        "rank_in_memory": _ms(statistics.median(rank_s)),
        "version_and_hits_round_trip": _ms(statistics.median(trip_s)),
    }


def _rss() -> dict[str, int]:
    """This process's resident memory now and at its peak, MiB (Linux)."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out["rss_mb" if line.startswith("VmRSS") else "peak_mb"] = round(
                int(line.split()[1]) / 1024
            )
    return out


async def _child(kind: str, target: str, queries: list[str]) -> dict[str, Any]:
    """In a fresh process: open a store, warm it, run every query; report memory."""
    user, password = os.environ.get("BENCH_NEO4J_USER"), os.environ.get("BENCH_NEO4J_PASSWORD")
    if kind == "embedded":
        store: Store = EmbeddedStore(target)
    else:
        db = os.environ.get("BENCH_NEO4J_DATABASE") or "neo4j"
        store = Neo4jStore(target, user, password, db, label_index=kind == "neo4j_index")
    await store.open()
    await store.ping()
    before = _rss()["rss_mb"]
    started = time.perf_counter()
    await store.warm()
    warm_s = time.perf_counter() - started
    for query in queries:
        await store.search(query, None, None, FIRST)
    after = _rss()
    await store.close()
    return {
        "warm_s": round(warm_s, 2),
        "rss_open_mb": before,
        "rss_mb": after["rss_mb"],
        "rss_added_mb": after["rss_mb"] - before,
        "peak_mb": after["peak_mb"],
    }


def memory(
    uri: str, auth: tuple[str, str] | None, database: str, sqlite: Path, queries: list[str]
) -> dict[str, dict[str, Any]]:
    env = dict(os.environ, BENCH_NEO4J_DATABASE=database)
    if auth:
        env.update(BENCH_NEO4J_USER=auth[0], BENCH_NEO4J_PASSWORD=auth[1])
    out = {}
    for kind in STORES:
        target = str(sqlite) if kind == "embedded" else uri
        child = subprocess.run(
            [sys.executable, __file__, "--child", kind, target],
            input=json.dumps(queries),
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        out[kind] = json.loads(child.stdout)
    return out


async def empty(uri: str, auth: tuple[str, str] | None, database: str) -> None:
    async with (
        AsyncGraphDatabase.driver(uri, auth=auth) as driver,
        driver.session(database=database) as session,
    ):
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()


async def run(
    uri: str, auth: tuple[str, str] | None, database: str, args: argparse.Namespace
) -> dict[str, Any]:
    data = shared_data()
    esco = load_esco(data / "esco" / "v1.1.1")
    queries = query_set(esco, args.drawn, args.seed)
    flat = [q for items in queries.values() for q in items]
    user, password = auth or (None, None)
    figures: dict[str, Any] = {"nodes": len(esco.nodes), "repeats": args.repeats}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = Path(tmp) / "esco.sqlite"
        await empty(uri, auth, database)
        embedded = EmbeddedStore(sqlite)
        fulltext = Neo4jStore(uri, user, password, database, label_index=False)
        indexed = Neo4jStore(uri, user, password, database)
        stores: dict[str, Store] = {
            "embedded": embedded,
            "neo4j_fulltext": fulltext,
            "neo4j_index": indexed,
        }
        for store in stores.values():
            await store.open()
        await embedded.load(esco)
        await indexed.load(esco)
        cold = {}
        for name, store in stores.items():
            cold[name], _ = await _timed(store.warm())
        figures["warm_s"] = {k: round(v, 2) for k, v in cold.items()}

        times, differ = await latencies(stores, queries, args.repeats)
        figures["queries"] = {k: len(v) for k, v in queries.items()}
        figures["identical_answers"] = f"{len(flat) - len(differ)}/{len(flat)}"
        figures["differing_queries"] = differ
        figures["latency_ms"] = {
            store: {
                cat: {"p50": _ms(statistics.median(v)), "p95": _ms(_p95(v))}
                for cat, v in by_cat.items()
            }
            for store, by_cat in times.items()
        }
        figures["speedup_p95_fulltext_vs_index"] = {
            cat: round(_p95(times["neo4j_fulltext"][cat]) / _p95(times["neo4j_index"][cat]), 1)
            for cat in queries
        }

        async with AsyncGraphDatabase.driver(uri, auth=auth) as driver:
            figures["breakdown_fulltext_ms"] = {
                items[0]: await breakdown_fulltext(fulltext, driver, database, items[0], 3)
                for items in queries.values()
            }
        figures["breakdown_index_ms"] = {
            items[0]: await breakdown_index(indexed, items[0], 5) for items in queries.values()
        }
        for store in stores.values():
            await store.close()

        figures["memory_esco"] = memory(uri, auth, database, sqlite, flat)
        if args.rome:
            rome = load_rome(data / "rome" / "v333")
            for store in (embedded, indexed):
                await store.open()
                await store.load(rome)
                await store.close()
            figures["nodes_with_rome"] = len(esco.nodes) + len(rome.nodes)
            figures["memory_esco_rome"] = memory(uri, auth, database, sqlite, flat)
    return figures


def print_tables(figures: dict[str, Any]) -> None:
    print(f"full ESCO: {figures['nodes']} nodes; queries per category: {figures['queries']}")
    print(f"identical answers (3 stores): {figures['identical_answers']}")
    print(f"\nlatency, ms over {figures['repeats']} timed calls per query (p50 / p95)")
    header = f"{'category':12}" + "".join(f"{s:>22}" for s in STORES) + f"{'p95 ratio':>11}"
    print(header)
    for cat in figures["queries"]:
        cells = "".join(
            f"{row[cat]['p50']:>12} / {row[cat]['p95']:<7}"
            for row in (figures["latency_ms"][s] for s in STORES)
        )
        print(f"{cat:12}{cells}{figures['speedup_p95_fulltext_vs_index'][cat]:>10}x")
    print("\nwhere the time goes, full-text path (ms; first query of each category)")
    for query, phases in figures["breakdown_fulltext_ms"].items():
        print(f"  {query!r:22} " + ", ".join(f"{k} {v}" for k, v in phases.items()))
    print("where the time goes, label index (ms)")
    for query, phases in figures["breakdown_index_ms"].items():
        print(f"  {query!r:22} " + ", ".join(f"{k} {v}" for k, v in phases.items()))
    print(f"\nwarm() on a fresh store, s: {figures['warm_s']}")
    for key in ("memory_esco", "memory_esco_rome"):
        if key in figures:
            print(f"\n{key} (MiB; child process: opened, warmed, every query once)")
            for store, row in figures[key].items():
                print(f"  {store:16} " + ", ".join(f"{k} {v}" for k, v in row.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeats", type=int, default=3, help="timed calls per query (3)")
    parser.add_argument("--drawn", type=int, default=10, help="drawn queries per category")
    parser.add_argument("--seed", type=int, default=7, help="seed of the drawn queries")
    parser.add_argument("--no-rome", dest="rome", action="store_false", help="skip ROME")
    parser.add_argument(
        "--heap",
        default=os.environ.get("NEO4J_HEAP") or "2g",
        help="heap of the Neo4j this script starts (default 2g)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        queries = json.loads(sys.stdin.read())
        print(json.dumps(asyncio.run(_child(args.child[0], args.child[1], queries))))
        return 0
    figures: dict[str, Any] = {}
    with neo4j_target(args.heap, progress=not args.json) as target:
        figures.update(asyncio.run(run(target.uri, target.auth, target.database, args)))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print_tables(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
