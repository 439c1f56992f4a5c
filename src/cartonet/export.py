"""Exporting the stored graph, whole or a part, for the tools data teams use.

==========  =================================================================================
format      what is written
==========  =================================================================================
``json``    the ``cartonet-graph`` JSON format (:mod:`cartonet.ingest.jsonfmt`): loads back
            with ``cartonet load json`` to the same nodes and relationships
``graphml`` GraphML (Gephi, Cytoscape, yEd): node attributes ``type``, ``source``,
            ``label_fr``, ``label_en``, ``label`` and the node's properties; edge attribute
            ``type`` and the relationship's properties
``csv``     two files for Neo4j's ``LOAD CSV`` or a spreadsheet: ``<output>`` names a folder
            that receives ``nodes.csv`` (``id, type, source, label_fr, label_en,
            alt_fr, alt_en, description_fr, description_en, props``; alt labels ``|``
            separated, props as JSON) and ``relationships.csv`` (``type, start, end,
            props``)
``cypher``  a Cypher script of ``MERGE`` statements (one per node and relationship, values
            as literals) that rebuilds the part in an empty Neo4j with ``cypher-shell``
==========  =================================================================================

Parts (:func:`subgraph`): nodes of one ``source``; a ``group`` and everything below it
through BROADER; the neighbourhood of a node ``around`` up to ``hops`` relationships away
(any type, either direction). Only relationships between kept nodes are written.

Observed mobility (kept beside the graph, one move per employment area) goes with it
(:func:`observed_part`: the moves between kept occupations, the communes of their areas):
``json`` writes it to ``<output>.observed.json`` (the ``cartonet-observed`` format of
:mod:`cartonet.ingest.observed_json`, loaded back by ``cartonet load observed``); ``csv``
adds ``observed_moves.csv`` (``source, area, start, end, score``) and
``area_communes.csv`` (``source, commune, area``); ``cypher`` creates the
``:ObservedMove`` / ``:AreaCommune`` nodes as the Neo4j store keeps them. GraphML has no
place for them (a move is not an edge of the graph: there is one per area).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from cartonet.errors import InvalidArgument
from cartonet.model import LANGS, Dataset, ObservedMobility, RelType

FORMATS = ("json", "graphml", "csv", "cypher")


def subgraph(
    graph: Dataset,
    *,
    source: str | None = None,
    group: str | None = None,
    around: str | None = None,
    hops: int = 1,
) -> Dataset:
    """The part of ``graph`` the filters keep (all of it with none); several filters keep
    the nodes every one of them keeps.

    Example
    -------
    >>> part = subgraph(graph, around="rome:M1805", hops=1)  # doctest: +SKIP
    """
    keep = {n.id for n in graph.nodes}
    ids = set(keep)
    if source is not None:
        keep &= {n.id for n in graph.nodes if n.source == source}
    if group is not None:
        if group not in ids:
            raise InvalidArgument("group", f"no node {group!r} in the store")
        children: dict[str, set[str]] = defaultdict(set)
        for r in graph.relationships:
            if r.type is RelType.BROADER:
                children[r.end].add(r.start)
        below, todo = {group}, [group]
        while todo:
            for child in children[todo.pop()]:
                if child not in below:
                    below.add(child)
                    todo.append(child)
        keep &= below
    if around is not None:
        if around not in ids:
            raise InvalidArgument("around", f"no node {around!r} in the store")
        if hops < 0:
            raise InvalidArgument("hops", f"must be ≥ 0, got {hops}")
        adjacent: dict[str, set[str]] = defaultdict(set)
        for r in graph.relationships:
            adjacent[r.start].add(r.end)
            adjacent[r.end].add(r.start)
        seen, frontier = {around: 0}, deque([around])
        while frontier:
            node = frontier.popleft()
            if seen[node] < hops:
                for other in adjacent[node]:
                    if other not in seen:
                        seen[other] = seen[node] + 1
                        frontier.append(other)
        keep &= set(seen)
    nodes = [n for n in graph.nodes if n.id in keep]
    rels = [r for r in graph.relationships if r.start in keep and r.end in keep]
    return Dataset(source=graph.source, nodes=nodes, relationships=rels)


def observed_part(
    items: Sequence[ObservedMobility], part: Dataset, whole: bool = False
) -> list[ObservedMobility]:
    """The observed mobility that goes with ``part``: every move and commune when ``whole``
    (no filter was given), else the moves whose two ends are in ``part`` and the communes
    of their areas. Sources left empty are dropped."""
    if whole:
        return [d for d in items if d.moves or d.communes]
    ids = {n.id for n in part.nodes}
    kept = []
    for data in items:
        moves = [m for m in data.moves if m.start in ids and m.end in ids]
        areas = {m.area for m in moves}
        communes = {c: a for c, a in data.communes.items() if a in areas}
        if moves:
            kept.append(ObservedMobility(data.source, moves, communes))
    return kept


def observed_json_path(output: Path) -> Path:
    """Where a JSON export puts the observed mobility: ``graph.json`` →
    ``graph.observed.json``."""
    name = output.name
    for suffix in (".json.gz", ".json"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return output.with_name(name + ".observed.json")


def write_observed_csv(items: Sequence[ObservedMobility], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    moves_path, communes_path = folder / "observed_moves.csv", folder / "area_communes.csv"
    with moves_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "area", "start", "end", "score"])
        for data in items:
            w.writerows([data.source, m.area or "", m.start, m.end, m.score] for m in data.moves)
    with communes_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "commune", "area"])
        for data in items:
            w.writerows([data.source, c, a] for c, a in sorted(data.communes.items()))
    return [moves_path, communes_path]


def observed_cypher_lines(items: Sequence[ObservedMobility]) -> Iterable[str]:
    """``CREATE`` statements of the ``:ObservedMove`` and ``:AreaCommune`` nodes, as the
    Neo4j store keeps them (``cypher/observed.cypher``)."""
    for data in items:
        source = _literal(data.source)
        for m in data.moves:
            props = {"area": m.area or "", "start": m.start, "end": m.end, "score": m.score}
            yield f"CREATE (:ObservedMove {{source: {source}, {_map(props)[1:-1]}}});"
        for commune, area in sorted(data.communes.items()):
            props = {"commune": commune, "area": area}
            yield f"CREATE (:AreaCommune {{source: {source}, {_map(props)[1:-1]}}});"


def _scalar_props(props: dict[str, Any] | Any) -> dict[str, Any]:
    return {k: v for k, v in dict(props).items() if v is not None}


def to_networkx(part: Dataset) -> nx.MultiDiGraph:
    """The part as a NetworkX multigraph with GraphML-friendly (scalar) attributes."""
    G = nx.MultiDiGraph()
    for n in part.nodes:
        attrs: dict[str, Any] = {"type": n.type.value, "source": n.source, "label": n.label()}
        for lang in LANGS:
            if n.labels.get(lang):
                attrs[f"label_{lang}"] = n.labels[lang]
        attrs.update(_scalar_props(n.props))
        G.add_node(n.id, **attrs)
    for r in part.relationships:
        G.add_edge(r.start, r.end, key=r.type.value, type=r.type.value, **_scalar_props(r.props))
    return G


def write_csv(part: Dataset, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, rels_path = folder / "nodes.csv", folder / "relationships.csv"
    with nodes_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["id", "type", "source"]
            + [f"label_{lg}" for lg in LANGS]
            + [f"alt_{lg}" for lg in LANGS]
            + [f"description_{lg}" for lg in LANGS]
            + ["props"]
        )
        for n in part.nodes:
            w.writerow(
                [n.id, n.type.value, n.source]
                + [n.labels.get(lg, "") for lg in LANGS]
                + [" | ".join(n.alt_labels.get(lg, ())) for lg in LANGS]
                + [n.descriptions.get(lg, "") for lg in LANGS]
                + [json.dumps(_scalar_props(n.props), ensure_ascii=False, sort_keys=True)]
            )
    with rels_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["type", "start", "end", "props"])
        for r in part.relationships:
            w.writerow(
                [
                    r.type.value,
                    r.start,
                    r.end,
                    json.dumps(_scalar_props(r.props), ensure_ascii=False, sort_keys=True),
                ]
            )
    return [nodes_path, rels_path]


def _literal(value: Any) -> str:
    """A Cypher literal: strings as double-quoted JSON strings (Cypher reads the same
    escapes), numbers and booleans as they are, lists of strings as lists."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _map(values: dict[str, Any]) -> str:
    return "{" + ", ".join(f"`{k}`: {_literal(v)}" for k, v in values.items()) + "}"


def cypher_lines(part: Dataset) -> Iterable[str]:
    """A Cypher script rebuilding ``part``: one ``MERGE`` per node (labels ``:Node`` and
    its type) and per relationship."""
    yield "// Carto.net export: run with cypher-shell into an empty database"
    yield "CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;"
    for n in part.nodes:
        props: dict[str, Any] = {"type": n.type.value, "source": n.source}
        for lang in LANGS:
            if n.labels.get(lang):
                props[f"label_{lang}"] = n.labels[lang]
            if n.alt_labels.get(lang):
                props[f"alt_{lang}"] = list(n.alt_labels[lang])
            if n.descriptions.get(lang):
                props[f"desc_{lang}"] = n.descriptions[lang]
        props.update(_scalar_props(n.props))
        yield f"MERGE (n:Node {{id: {_literal(n.id)}}}) SET n:`{n.type.value}`, n += {_map(props)};"
    for r in part.relationships:
        yield (
            f"MATCH (a:Node {{id: {_literal(r.start)}}}), (b:Node {{id: {_literal(r.end)}}}) "
            f"MERGE (a)-[r:`{r.type.value}`]->(b) SET r += {_map(_scalar_props(r.props))};"
        )


def export(
    part: Dataset, fmt: str, output: Path, observed: Sequence[ObservedMobility] = ()
) -> list[Path]:
    """Write ``part`` (and the ``observed`` mobility that goes with it, see
    :func:`observed_part`) in ``fmt`` to ``output``; returns the files written."""
    from cartonet.ingest.jsonfmt import write_json
    from cartonet.ingest.observed_json import write_observed_json

    output = Path(output)
    if fmt == "json":
        write_json(part, output)
        if not observed:
            return [output]
        write_observed_json(observed, observed_json_path(output))
        return [output, observed_json_path(output)]
    if fmt == "graphml":
        nx.write_graphml(to_networkx(part), output)
        return [output]
    if fmt == "csv":
        files = write_csv(part, output)
        return files + (write_observed_csv(observed, output) if observed else [])
    if fmt == "cypher":
        lines = [*cypher_lines(part), *observed_cypher_lines(observed)]
        output.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [output]
    raise InvalidArgument("format", f"must be one of {', '.join(FORMATS)}, got {fmt!r}")
