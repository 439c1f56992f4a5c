"""The orientation graph: a NetworkX projection of the store.

Every orientation function takes this graph ``G``: a :class:`networkx.MultiDiGraph` whose
nodes are the store's node ids, with attributes ``type`` (a :class:`~cartonet.model.NodeType`)
and ``node`` (the :class:`~cartonet.model.Node` itself, so results can hand back real nodes),
and whose edges are keyed by relationship type (``"REQUIRES"``, ``"BROADER"``...) and carry
the relationship's properties. ``G.graph["version"]`` is the store version it was built from.

Build it with :func:`graph_from_dataset` (from ``await store.export()``, which both store
backends implement) or :func:`project` (straight from a store). The heavy, vectorised side
of the graph (sparse matrices, IDF, norms, group ancestors...) is
:func:`cartonet.orientation.index.index_of`, computed once per graph and kept in
``G.graph``.

Example
-------
>>> from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
>>> ds = Dataset("demo",
...              nodes=[Node("o", NodeType.OCCUPATION, {"en": "cook"}, "demo"),
...                     Node("s", NodeType.SKILL, {"en": "baking"}, "demo")],
...              relationships=[Relationship(RelType.REQUIRES, "o", "s")])
>>> G = graph_from_dataset(ds)
>>> list(G.edges("o", keys=True))
[('o', 's', 'REQUIRES')]
"""

from __future__ import annotations

import networkx as nx

from cartonet.model import Dataset, NodeType, RelType
from cartonet.store.base import Store

MOBILITY = RelType.MOBILITY.value


def graph_from_dataset(
    dataset: Dataset, *, include_mobility: bool = True, version: str | None = None
) -> nx.MultiDiGraph:
    """The orientation graph of ``dataset``.

    Parameters
    ----------
    dataset:
        Nodes and relationships, typically ``await store.export()``.
    include_mobility:
        When false, curated ``MOBILITY`` edges are left out of the graph altogether. The
        evaluation builds its graph this way, so the transitions it is scored against can
        never leak into the features (similarity never reads them anyway; this makes the
        ablation explicit and checkable: ``G.graph["mobility_included"]``).
    version:
        The store's graph version, kept as ``G.graph["version"]``.

    Returns
    -------
    A ``MultiDiGraph``; relationships whose endpoints are missing from the dataset are
    skipped (a partial export cannot create phantom nodes).
    """
    G = nx.MultiDiGraph(
        version=version or "", source=dataset.source, mobility_included=include_mobility
    )
    for node in dataset.nodes:
        G.add_node(node.id, type=NodeType(node.type), node=node)
    for rel in dataset.relationships:
        kind = RelType(rel.type).value
        if kind == MOBILITY and not include_mobility:
            continue
        if rel.start not in G or rel.end not in G:
            continue
        G.add_edge(rel.start, rel.end, key=kind, **dict(rel.props))
    return G


async def project(store: Store, *, include_mobility: bool = True) -> nx.MultiDiGraph:
    """Export ``store`` and build its orientation graph (not cached: see
    :class:`cartonet.orientation.cache.ProjectionCache`)."""
    version = await store.version()
    dataset = await store.export()
    return graph_from_dataset(dataset, include_mobility=include_mobility, version=version)
