"""Export round trips on every store: the JSON export loads back into a fresh store of the
same backend to the same graph; GraphML and CSV hold the same nodes and relationships."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
from contract_expect import StoreFactory, rel_tuples

from cartonet.export import cypher_lines, export, subgraph
from cartonet.ingest.jsonfmt import read_json
from cartonet.store.base import Store


async def test_json_export_loads_back_to_the_same_graph(
    loaded: Store, make_store: StoreFactory, tmp_path: Path
) -> None:
    graph = await loaded.export()
    (path,) = export(graph, "json", tmp_path / "graph.json")
    fresh = await make_store()
    await fresh.load(read_json(path))
    again = await fresh.export()
    assert again.nodes == graph.nodes
    assert rel_tuples(again.relationships) == rel_tuples(graph.relationships)


async def test_graphml_and_csv_hold_the_same_items(loaded: Store, tmp_path: Path) -> None:
    graph = await loaded.export()
    (path,) = export(graph, "graphml", tmp_path / "graph.graphml")
    G = nx.read_graphml(path, force_multigraph=True)
    assert sorted(G.nodes) == sorted(n.id for n in graph.nodes)
    edges = sorted((d["type"], a, b) for a, b, d in G.edges(data=True))
    assert edges == sorted((r.type.value, r.start, r.end) for r in graph.relationships)
    node = graph.nodes[0]
    assert G.nodes[node.id]["type"] == node.type.value
    nodes_csv, rels_csv = export(graph, "csv", tmp_path / "csv")
    with nodes_csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == [n.id for n in graph.nodes]
    assert all(
        json.loads(r["props"]) == dict(n.props) for r, n in zip(rows, graph.nodes, strict=True)
    )
    with rels_csv.open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == len(graph.relationships)
    lines = list(cypher_lines(graph))
    assert len(lines) == 2 + len(graph.nodes) + len(graph.relationships)


async def test_a_neighbourhood_is_a_closed_part(loaded: Store) -> None:
    graph = await loaded.export()
    part = subgraph(graph, around="rome:M1805", hops=1)
    ids = {n.id for n in part.nodes}
    assert "rome:M1805" in ids
    linked = {r.end for r in graph.relationships if r.start == "rome:M1805"}
    linked |= {r.start for r in graph.relationships if r.end == "rome:M1805"}
    assert ids == linked | {"rome:M1805"}
    assert all(r.start in ids and r.end in ids for r in part.relationships)
    only_rome = subgraph(graph, source="rome-v333")
    assert {n.source for n in only_rome.nodes} == {"rome-v333"}
