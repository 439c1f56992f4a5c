"""Benchmark of the embedded store and the label search on the full ESCO release.

Measures, in one run, on ESCO v1.1.1 (occupations, skills, groups, hierarchies and
occupation–skill relations, both languages):

* load into a new file, then the same load again (nothing to write), then ``open`` of the
  file by a fresh store and the first search (which builds the search index);
* search latency for 24 queries (French, English, typos, one and several words), after a
  warm-up, next to a brute-force baseline in the same run: rapidfuzz ``process.extract``
  with ``WRatio`` over every normalised label (a C loop over ~160k strings, the obvious
  implementation without a token index);
* a ``NodeFilter.text`` list and a 100-id ``neighbours`` batch;
* the reader's peak memory (``open`` + search index, measured in a child process so the
  dataset built here does not count).

Prints a table, or one JSON object with ``--json``. Usage::

    .venv/bin/python bench/store_embedded.py
    .venv/bin/python bench/store_embedded.py --esco ../shared/data/esco --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests" / "store")]

from cartonet.model import NodeType, RelType  # noqa: E402
from cartonet.store.base import Direction, NodeFilter  # noqa: E402
from cartonet.store.embedded import EmbeddedStore  # noqa: E402
from cartonet.store.search import label_entries, normalize  # noqa: E402

QUERIES = [
    "developpeur logiciel",
    "dévelopeur",
    "software developer",
    "infirmier",
    "nurse",
    "sofware develper",
    "gestion de projet",
    "project management",
    "c++",
    "python",
    "chauffeur poids lourd",
    "boulanger",
    "cuisinier",
    "soudeur",
    "welding",
    "comptable",
    "accountant",
    "data scientist",
    "analyse de données",
    "communication",
    "vendeur",
    "électricien bâtiment",
    "teach children",
    "maçon",
]


def _peak_rss_mb() -> int:
    """This process's peak resident memory. ``VmHWM`` rather than ``getrusage``: Linux keeps
    ``ru_maxrss`` across fork and exec, so a child would report its parent's peak."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


async def _reader(path: Path) -> dict[str, Any]:
    """Open the file as ``cartonet serve`` would and measure reads (run in a child)."""
    store = EmbeddedStore(path)
    t0 = time.perf_counter()
    await store.open()
    opened = time.perf_counter() - t0
    t0 = time.perf_counter()
    await store.search("warm up", None, None, 10)
    first_search = time.perf_counter() - t0
    for q in QUERIES:  # warm-up: caches, branch predictors, lazy imports
        await store.search(q, None, None, 10)
    per_query: dict[str, float] = {}
    for q in QUERIES:
        runs = []
        for _ in range(15):
            t0 = time.perf_counter()
            await store.search(q, None, None, 10)
            runs.append(time.perf_counter() - t0)
        per_query[q] = statistics.median(runs)
    t0 = time.perf_counter()
    await store.list_nodes(NodeType.SKILL, NodeFilter(text="logiciel"), 50, None)
    first_text = time.perf_counter() - t0
    t0 = time.perf_counter()
    await store.list_nodes(NodeType.SKILL, NodeFilter(text="logiciel"), 50, None)
    text = time.perf_counter() - t0
    ids = (await store.list_nodes(NodeType.OCCUPATION, NodeFilter(), 100, None)).items
    t0 = time.perf_counter()
    await store.neighbours([n.id for n in ids], RelType.REQUIRES, Direction.OUT)
    neighbours = time.perf_counter() - t0
    await store.close()
    latencies = sorted(per_query.values())
    return {
        "open_ms": _ms(opened),
        "first_search_ms": _ms(first_search),
        "search_p50_ms": _ms(statistics.median(latencies)),
        "search_p95_ms": _ms(latencies[int(0.95 * (len(latencies) - 1))]),
        "search_max_ms": _ms(latencies[-1]),
        "search_per_query_ms": {q: _ms(v) for q, v in per_query.items()},
        "text_filter_first_ms": _ms(first_text),
        "text_filter_ms": _ms(text),
        "neighbours_100_ms": _ms(neighbours),
        "reader_peak_rss_mb": _peak_rss_mb(),
    }


def _baseline(dataset: Any) -> dict[str, Any]:
    labels = sorted({normalize(e.label) for n in dataset.nodes for e in label_entries(n)})
    runs = []
    for q in QUERIES:
        qn = normalize(q)
        process.extract(qn, labels, scorer=fuzz.WRatio, limit=10)  # warm-up
        t0 = time.perf_counter()
        process.extract(qn, labels, scorer=fuzz.WRatio, limit=10)
        runs.append(time.perf_counter() - t0)
    return {"labels": len(labels), "baseline_p50_ms": _ms(statistics.median(runs))}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--esco", type=Path, default=REPO.parent / "shared" / "data" / "esco")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reader", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        print(json.dumps(await _reader(args.reader)))
        return

    from real_esco import read_esco

    t0 = time.perf_counter()
    dataset = read_esco(args.esco)
    read = time.perf_counter() - t0
    rows = len(dataset.nodes) + len(dataset.relationships)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "esco.sqlite"
        store = EmbeddedStore(path)
        await store.open()
        t0 = time.perf_counter()
        await store.load(dataset)
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = await store.load(dataset)
        reload = time.perf_counter() - t0
        assert again.nodes_written == again.relationships_written == 0
        await store.close()
        size_mb = round(os.path.getsize(path) / 2**20, 1)
        child = subprocess.run(
            [sys.executable, __file__, "--reader", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        reader = json.loads(child.stdout)
    figures = {
        "nodes": len(dataset.nodes),
        "relationships": len(dataset.relationships),
        "read_csv_s": round(read, 2),
        "load_s": round(load, 2),
        "load_rows_per_s": round(rows / load),
        "reload_unchanged_s": round(reload, 2),
        "file_mb": size_mb,
        **reader,
        **_baseline(dataset),
    }
    figures["search_speedup_vs_baseline"] = round(
        figures["baseline_p50_ms"] / figures["search_p50_ms"], 1
    )
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    for key, value in figures.items():
        if key != "search_per_query_ms":
            print(f"{key:28} {value}")
    print("per query (median ms):")
    for q, v in figures["search_per_query_ms"].items():
        print(f"  {q:28} {v}")


if __name__ == "__main__":
    asyncio.run(main())
