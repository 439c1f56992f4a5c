"""Benchmark of loading ESCO into Neo4j: batched ``UNWIND $rows … MERGE`` against one
statement per row, measured in the same run on the same server.

Measures:

* **Neo4j start-up**: seconds from launching the server to Bolt accepting connections
  (only when this script starts the server);
* **full load**: the whole ESCO v1.1.1 release through ``Neo4jStore.load`` into an empty
  database (validation, row building, batched MERGE, one transaction, commit), and the
  same load again (nothing changed: reads only);
* **sample, batched vs one row per statement**: a sample of ESCO nodes and the
  relationships among them, written into an empty database with the store's own
  ``merge_nodes`` / ``merge_relationships`` statements, once in batches of
  :data:`cartonet.store.neo4j.BATCH` rows and once with one row per statement (the
  baseline), each in one transaction.

Rows are nodes plus relationships. Prints a table, or one JSON object with ``--json``.

Usage::

    .venv/bin/python bench/load_neo4j.py                 # starts its own Neo4j
    CARTONET_NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/load_neo4j.py --json

The database named by ``CARTONET_NEO4J_URI`` is EMPTIED first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neo4j import AsyncGraphDatabase, AsyncManagedTransaction

from cartonet.ingest.esco import load_esco
from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
from cartonet.store.cypher import statements
from cartonet.store.neo4j import BATCH, Neo4jStore
from cartonet.store.neo4j_rows import node_props, rel_props

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
from neo4j_server import neo4j_target  # noqa: E402


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def sample_of(dataset: Dataset, occupations: int) -> tuple[list[Node], list[Relationship]]:
    """The first ``occupations`` occupations (by id), every node they are linked to, and
    every relationship among those nodes: a realistic slice of the graph."""
    by_id = {n.id: n for n in dataset.nodes}
    chosen = sorted(n.id for n in dataset.nodes if n.type is NodeType.OCCUPATION)[:occupations]
    seeds = set(chosen)
    keep = set(chosen)
    for rel in dataset.relationships:
        if rel.start in seeds or rel.end in seeds:
            keep.update((rel.start, rel.end))
    rels = [r for r in dataset.relationships if r.start in keep and r.end in keep]
    return [by_id[i] for i in sorted(keep)], rels


async def write_rows(
    driver: Any,
    database: str,
    nodes: Sequence[Node],
    rels: Sequence[Relationship],
    source: str,
    batch: int,
) -> float:
    """Seconds to write ``nodes`` then ``rels`` with the store's statements, ``batch`` rows
    per statement, in one transaction."""
    cypher = statements()
    node_rows: dict[NodeType, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        node_rows[node.type].append({"id": node.id, "props": node_props(node)})
    rel_rows: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
    for rel in rels:
        rel_rows[rel.type].append(
            {"start": rel.start, "end": rel.end, "props": rel_props(rel, source)}
        )

    async def work(tx: AsyncManagedTransaction) -> None:
        for type_, rows in node_rows.items():
            query = cypher.render("merge_nodes", label=type_)
            for i in range(0, len(rows), batch):
                await (await tx.run(query, rows=rows[i : i + batch])).consume()
        for rel_type, rows in rel_rows.items():
            query = cypher.render("merge_relationships", rel=rel_type)
            for i in range(0, len(rows), batch):
                await (await tx.run(query, rows=rows[i : i + batch])).consume()

    started = time.perf_counter()
    async with driver.session(database=database) as session:
        await session.execute_write(work)
    return time.perf_counter() - started


async def empty(driver: Any, database: str) -> None:
    async with driver.session(database=database) as session:
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()


async def run(
    uri: str, auth: tuple[str, str] | None, database: str, occupations: int
) -> dict[str, Any]:
    esco = shared_data() / "esco" / "v1.1.1"
    started = time.perf_counter()
    dataset = load_esco(esco)
    read_s = time.perf_counter() - started
    rows = len(dataset.nodes) + len(dataset.relationships)
    user, password = auth or (None, None)
    store = Neo4jStore(uri, user, password, database)
    async with AsyncGraphDatabase.driver(uri, auth=auth) as driver:
        await empty(driver, database)
        await store.open()  # the schema: constraints and indexes the loads rely on
        started = time.perf_counter()
        report = await store.load(dataset)
        full_s = time.perf_counter() - started
        started = time.perf_counter()
        again = await store.load(dataset)
        reload_s = time.perf_counter() - started
        assert report.nodes_written == len(dataset.nodes)
        assert (again.nodes_written, again.relationships_written) == (0, 0)
        await store.close()

        nodes, rels = sample_of(dataset, occupations)
        await empty(driver, database)
        batched_s = await write_rows(driver, database, nodes, rels, dataset.source, BATCH)
        await empty(driver, database)
        per_row_s = await write_rows(driver, database, nodes, rels, dataset.source, 1)
        await empty(driver, database)
    sample_rows = len(nodes) + len(rels)
    return {
        "esco_read_s": round(read_s, 2),
        "full_rows": rows,
        "full_load_s": round(full_s, 2),
        "full_load_rows_per_s": round(rows / full_s),
        "full_reload_s": round(reload_s, 2),
        "sample_rows": sample_rows,
        "sample_batched_s": round(batched_s, 3),
        "sample_batched_rows_per_s": round(sample_rows / batched_s),
        "sample_per_row_s": round(per_row_s, 3),
        "sample_per_row_rows_per_s": round(sample_rows / per_row_s),
        "ratio_sample_batched_vs_per_row": round(per_row_s / batched_s, 1),
        "ratio_full_load_vs_per_row": round((rows / full_s) / (sample_rows / per_row_s), 1),
        "batch_rows": BATCH,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--occupations",
        type=int,
        default=30,
        help="occupations in the baseline sample (default 30)",
    )
    parser.add_argument(
        "--heap",
        default=os.environ.get("NEO4J_HEAP") or "2g",
        help="heap of the Neo4j this script starts (default 2g)",
    )
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {}
    with neo4j_target(args.heap, progress=not args.json) as target:
        if target.startup_s is not None:
            figures["neo4j_startup_s"] = target.startup_s
        figures.update(asyncio.run(run(target.uri, target.auth, target.database, args.occupations)))
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        width = max(map(len, figures))
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
