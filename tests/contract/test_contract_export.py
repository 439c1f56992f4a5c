"""Export round trips on every store: the JSON export (with the observed mobility file)
loads back into a fresh store of the same backend to the same graph and moves; GraphML and
CSV hold the same items; the Cypher script, run in the suite's real Neo4j, rebuilds the
same graph and moves."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx
from contract_expect import StoreFactory, rel_tuples
from test_contract_observed import fiches, observed

from cartonet.export import cypher_lines, export, observed_part, subgraph
from cartonet.ingest.jsonfmt import read_json
from cartonet.ingest.observed_json import read_observed_json
from cartonet.model import Dataset, ObservedMobility
from cartonet.store.base import Store


def sorted_observed(data: ObservedMobility) -> ObservedMobility:
    moves = sorted(data.moves, key=lambda m: (m.area or "", m.start, m.end))
    return ObservedMobility(data.source, moves, dict(sorted(data.communes.items())))


async def with_observed(store: Store) -> tuple[ObservedMobility, Store]:
    await store.load(fiches())
    data = observed()
    await store.load_observed(data)
    return sorted_observed(data), store


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


async def test_observed_mobility_is_exported_and_loads_back(
    loaded: Store, make_store: StoreFactory, tmp_path: Path
) -> None:
    data, store = await with_observed(loaded)
    assert await store.export_observed() == [data]
    graph = await store.export()
    graph_file, observed_file = export(graph, "json", tmp_path / "g.json", [data])
    assert observed_file.name == "g.observed.json"
    fresh = await make_store()
    await fresh.load(read_json(graph_file))
    for item in read_observed_json(observed_file):
        await fresh.load_observed(item)
    assert await fresh.export_observed() == [data]
    ids = sorted({m.start for m in data.moves})
    assert await fresh.observed_moves(ids) == await store.observed_moves(ids)
    assert await fresh.area_of_commune("97104") == data.communes["97104"]

    files = export(graph, "csv", tmp_path / "csv", [data])
    assert [f.name for f in files[2:]] == ["observed_moves.csv", "area_communes.csv"]
    with files[2].open(encoding="utf-8") as f:
        rows = [(r["area"], r["start"], r["end"], float(r["score"])) for r in csv.DictReader(f)]
    assert rows == [(m.area, m.start, m.end, m.score) for m in data.moves]
    with files[3].open(encoding="utf-8") as f:
        assert {r["commune"]: r["area"] for r in csv.DictReader(f)} == data.communes


async def test_a_part_keeps_the_moves_between_its_occupations(loaded: Store) -> None:
    data, store = await with_observed(loaded)
    graph = await store.export()
    ids = {"rome:C1202", "rome:C1503", "rome:M1805"}
    part = Dataset("part", [n for n in graph.nodes if n.id in ids])
    (kept,) = observed_part([data], part)
    assert kept.moves == [m for m in data.moves if m.start in ids and m.end in ids] != []
    assert set(kept.communes.values()) <= {m.area for m in kept.moves}
    assert observed_part([data], part, whole=True) == [data]


async def test_the_cypher_script_rebuilds_the_graph_in_neo4j(
    loaded: Store, store_factory_neo4j: StoreFactory, neo4j_service: Any, tmp_path: Path
) -> None:
    """The ``--format cypher`` script of the store under test, run statement by statement in
    the suite's real (emptied) Neo4j, gives a Neo4j store the same graph and moves."""
    data, store = await with_observed(loaded)
    graph = await store.export()
    (script,) = export(graph, "cypher", tmp_path / "graph.cypher", [data])
    statements = [
        line.removesuffix(";")
        for line in script.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("//")
    ]
    items = len(graph.nodes) + len(graph.relationships) + len(data.moves) + len(data.communes)
    assert len(statements) == 1 + items  # the constraint, then one statement per item
    target = await store_factory_neo4j()  # empties the database
    try:
        async with (
            neo4j_service.driver() as driver,
            driver.session(database=neo4j_service.database) as session,
        ):
            for statement in statements:
                await (await session.run(statement)).consume()
        again = await target.export()
        assert again.nodes == graph.nodes
        assert rel_tuples(again.relationships) == rel_tuples(graph.relationships)
        assert await target.export_observed() == [data]
        ids = sorted({m.start for m in data.moves})
        assert await target.observed_moves(ids) == await store.observed_moves(ids)
    finally:
        await target.close()
