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

Memory
------
A full ESCO + ROME graph has about 45,000 nodes and 180,000 relationships: as NetworkX
dictionaries (one dict per edge, per neighbour and per node, both directions) that is
about 70 MiB, a second copy of a graph the store already holds. The graph is therefore a
:class:`ProjectedGraph`: a read-only ``MultiDiGraph`` whose adjacency is a
:class:`GraphCore` (arrays of node and edge positions, one dict per *distinct* edge
property set, the store's own :class:`~cartonet.model.Node` objects) and whose NetworkX
dictionaries are made on the fly, per node, when code asks for them. Every NetworkX read
(``G.nodes[n]``, ``G.out_edges(n, keys=True, data=True)``, ``G.edges``, subgraphs,
algorithms) works as on a plain ``MultiDiGraph`` and gives the same answers in the same
order; mutating it raises ``TypeError``.

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

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import networkx as nx
import numpy as np

from cartonet.model import Dataset, Node, NodeType, RelType
from cartonet.store.base import Store

MOBILITY = RelType.MOBILITY.value

NODE_TYPES: tuple[NodeType, ...] = tuple(NodeType)
REL_KEYS: tuple[str, ...] = tuple(t.value for t in RelType)


@dataclass(frozen=True)
class GraphCore:
    """The graph as arrays: what :class:`ProjectedGraph` reads its dictionaries from.

    ``ids[i]`` is node ``i`` (in the dataset's order, like NetworkX insertion order),
    ``nodes[i]`` its :class:`Node`. Edges are kept in the order they were added, grouped
    by start node: the out-edges of node ``i`` are positions ``out_ptr[i]:out_ptr[i+1]``
    of ``dst`` (end node), ``key`` (index in :data:`REL_KEYS`), ``prop`` (index in
    ``props``) and ``seq`` (rank in the order edges were added). ``in_order`` lists the
    edge positions grouped by end node (``in_ptr``), in the order they were added.
    """

    ids: list[str]
    nodes: list[Node]
    out_ptr: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    key: np.ndarray
    prop: np.ndarray
    in_ptr: np.ndarray
    in_order: np.ndarray
    seq: np.ndarray
    props: list[dict[str, Any]]
    pos: dict[str, int]

    @classmethod
    def from_arrays(
        cls,
        ids: list[str],
        nodes: list[Node],
        src: np.ndarray,
        dst: np.ndarray,
        key: np.ndarray,
        prop: np.ndarray,
        props: list[dict[str, Any]],
        seq: np.ndarray | None = None,
    ) -> GraphCore:
        """Edges in the order they were added (``seq``: their rank in that order when
        they come in another); kept stably grouped by start node."""
        n = len(ids)
        if seq is None:
            seq = np.arange(len(src), dtype=np.int64)
        order = np.lexsort((seq, src))
        src, dst, key, prop, seq = src[order], dst[order], key[order], prop[order], seq[order]
        out_ptr = np.searchsorted(src, np.arange(n + 1)).astype(np.int64)
        # in-edges in the order they were added, as NetworkX keeps its predecessor dicts
        in_order = np.lexsort((seq, dst)).astype(np.int32)
        in_ptr = np.searchsorted(dst[in_order], np.arange(n + 1)).astype(np.int64)
        return cls(
            ids=ids,
            nodes=nodes,
            out_ptr=out_ptr,
            src=src.astype(np.int32),
            dst=dst.astype(np.int32),
            key=key.astype(np.int8),
            prop=prop.astype(np.int32),
            in_ptr=in_ptr,
            in_order=in_order,
            seq=seq.astype(np.int32),
            props=props,
            pos={node_id: i for i, node_id in enumerate(ids)},
        )

    @property
    def edge_count(self) -> int:
        return len(self.dst)

    def node_type(self, i: int) -> NodeType:
        return NodeType(self.nodes[i].type)

    def out_positions(self, i: int) -> range:
        return range(int(self.out_ptr[i]), int(self.out_ptr[i + 1]))

    def in_positions(self, i: int) -> np.ndarray:
        return self.in_order[self.in_ptr[i] : self.in_ptr[i + 1]]


class _NodeAttrs(Mapping[str, dict[str, Any]]):
    """``G._node``: node id → ``{"type": ..., "node": ...}``, made on access."""

    __slots__ = ("_core",)

    def __init__(self, core: GraphCore) -> None:
        self._core = core

    def __getitem__(self, node_id: str) -> dict[str, Any]:
        i = self._core.pos[node_id]
        return {"type": self._core.node_type(i), "node": self._core.nodes[i]}

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._core.pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._core.ids)

    def __len__(self) -> int:
        return len(self._core.ids)


class _Adjacency(Mapping[str, dict[str, dict[str, dict[str, Any]]]]):
    """``G._succ`` / ``G._pred``: node id → ``{neighbour: {key: attributes}}``, on access.

    Neighbours come in the order their first edge was added and keys in edge order, as in
    a ``MultiDiGraph`` filled edge by edge; a repeated ``(u, v, key)`` merges its
    attributes into the first one, as ``add_edge`` does.
    """

    __slots__ = ("_core", "_out")

    def __init__(self, core: GraphCore, out: bool) -> None:
        self._core = core
        self._out = out

    def __getitem__(self, node_id: str) -> dict[str, dict[str, dict[str, Any]]]:
        core = self._core
        i = core.pos[node_id]
        positions: Sequence[int] | np.ndarray = (
            core.out_positions(i) if self._out else core.in_positions(i)
        )
        others = core.dst if self._out else core.src
        found: dict[str, dict[str, dict[str, Any]]] = {}
        for e in positions:
            other = core.ids[others[e]]
            keys = found.get(other)
            if keys is None:
                keys = found[other] = {}
            name = REL_KEYS[core.key[e]]
            attrs = core.props[core.prop[e]]
            if name in keys:
                keys[name].update(attrs)
            else:
                keys[name] = dict(attrs)
        return found

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._core.pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._core.ids)

    def __len__(self) -> int:
        return len(self._core.ids)


class ProjectedGraph(nx.MultiDiGraph):
    """A read-only ``MultiDiGraph`` over a :class:`GraphCore` (see the module docstring).

    ``G.core`` gives the arrays; everything else is the NetworkX API. Without a core
    (``ProjectedGraph()``, what NetworkX makes for ``G.copy()`` or ``G.subgraph(...)``) it
    is an ordinary, writable ``MultiDiGraph``.
    """

    def __init__(self, core: GraphCore | None = None, **attr: Any) -> None:
        super().__init__(**attr)
        self.core = core
        if core is not None:
            self._node = _NodeAttrs(core)  # type: ignore[assignment]
            self._adj = _Adjacency(core, out=True)  # type: ignore[assignment]
            self._pred = _Adjacency(core, out=False)  # type: ignore[assignment]

    def number_of_edges(self, u: Any = None, v: Any = None) -> int:
        if u is None and self.core is not None:
            return self.core.edge_count
        return super().number_of_edges(u, v)

    def size(self, weight: Any = None) -> int | float:
        if weight is None and self.core is not None:
            return self.core.edge_count
        return super().size(weight)

    def __reduce__(self) -> Any:
        if self.core is None:
            return super().__reduce__()
        return (_rebuild, (self.core, dict(self.graph)))


def node_of(G: nx.MultiDiGraph, node_id: str) -> Node:
    """The store node ``node_id`` of the orientation graph ``G``: ``G.nodes[node_id]["node"]``,
    read straight from the arrays of a :class:`ProjectedGraph` (no attribute dict made: an
    answer of 30 suggestions reads ~1,800 nodes). A ``KeyError`` for an unknown id, as
    ``G.nodes`` gives.

    >>> from cartonet.orientation.demo import demo_graph
    >>> node_of(demo_graph(), "demo:cook").id
    'demo:cook'
    """
    core = getattr(G, "core", None)
    if core is not None:
        return core.nodes[core.pos[node_id]]  # type: ignore[no-any-return]
    return G.nodes[node_id]["node"]  # type: ignore[no-any-return]


_NO_TEXT: Mapping[str, Any] = MappingProxyType({})


def keep_labels_only(core: GraphCore) -> int:
    """Drop the descriptions and alternative labels of ``core``'s nodes, once the index
    that reads them is built: each node becomes a copy with its labels and properties
    only, marked ``complete=False`` (the API then reads the rest from the store when a
    query asks for it, as for any partial read), nodes with equal properties share one
    dict and equal sources one string. For a store that does not keep its nodes in memory
    (Neo4j), this is most of the projection's Python objects (~30 MiB on ESCO + ROME); a
    store that does (embedded) should share its nodes instead. Returns how many nodes
    were replaced.

    >>> from cartonet.orientation.demo import demo_graph
    >>> G = demo_graph()
    >>> keep_labels_only(G.core) > 0, node_of(G, "demo:cook").complete
    (True, False)
    """
    shared_props: dict[tuple[Any, ...], Mapping[str, Any]] = {}
    sources: dict[str, str] = {}
    replaced = 0
    for i, node in enumerate(core.nodes):
        try:
            key = tuple((k, type(v), v) for k, v in node.props.items())  # 1 is not True
            props = shared_props.setdefault(key, node.props)
        except TypeError:  # an unhashable value: keep its own
            props = node.props
        source = sources.setdefault(node.source, node.source)
        if node.complete or props is not node.props or source is not node.source:
            core.nodes[i] = dataclasses.replace(
                node,
                source=source,
                props=props,
                alt_labels=_NO_TEXT if node.complete else node.alt_labels,
                descriptions=_NO_TEXT if node.complete else node.descriptions,
                complete=False,
            )
            replaced += 1
    return replaced


def _rebuild(core: GraphCore | None, graph: dict[str, Any]) -> ProjectedGraph:
    return ProjectedGraph(core, **graph)


def core_from_dataset(dataset: Dataset, *, include_mobility: bool = True) -> GraphCore:
    """The :class:`GraphCore` of ``dataset`` (see :func:`graph_from_dataset`)."""
    pos: dict[str, int] = {}
    ids: list[str] = []
    nodes: list[Node] = []
    for node in dataset.nodes:
        i = pos.get(node.id)
        if i is None:
            pos[node.id] = len(ids)
            ids.append(node.id)
            nodes.append(node)
        else:
            nodes[i] = node  # a repeated id: the last node wins, at the first position
    key_index = {k: n for n, k in enumerate(REL_KEYS)}
    prop_index: dict[tuple[Any, ...], int] = {}
    props: list[dict[str, Any]] = []
    edge_at: dict[tuple[int, int, int], int] = {}
    src: list[int] = []
    dst: list[int] = []
    key: list[int] = []
    prop: list[int] = []
    for rel in dataset.relationships:
        kind = RelType(rel.type).value
        if kind == MOBILITY and not include_mobility:
            continue
        u, v = pos.get(rel.start), pos.get(rel.end)
        if u is None or v is None:
            continue
        attrs = dict(rel.props)
        k = key_index[kind]
        at = edge_at.get((u, v, k))
        if at is not None:  # add_edge on an existing key updates its attributes
            attrs = {**props[prop[at]], **attrs}
        p = _intern_props(attrs, prop_index, props)
        if at is not None:
            prop[at] = p
            continue
        edge_at[(u, v, k)] = len(src)
        src.append(u)
        dst.append(v)
        key.append(k)
        prop.append(p)
    return GraphCore.from_arrays(
        ids,
        nodes,
        np.asarray(src, dtype=np.int64),
        np.asarray(dst, dtype=np.int64),
        np.asarray(key, dtype=np.int64),
        np.asarray(prop, dtype=np.int64),
        props,
    )


def _intern_props(
    attrs: dict[str, Any], index: dict[tuple[Any, ...], int], props: list[dict[str, Any]]
) -> int:
    """Index of ``attrs`` in ``props``: most edges share a handful of property sets."""
    try:
        token: tuple[Any, ...] = tuple((k, type(v), v) for k, v in attrs.items())
        hash(token)
    except TypeError:  # an unhashable value (a list): keep it on its own
        props.append(attrs)
        return len(props) - 1
    found = index.get(token)
    if found is None:
        found = index[token] = len(props)
        props.append(attrs)
    return found


def graph_from_core(
    core: GraphCore,
    *,
    include_mobility: bool = True,
    version: str | None = None,
    source: str = "",
) -> ProjectedGraph:
    """The orientation graph over ``core`` (``G.graph`` as :func:`graph_from_dataset` sets it)."""
    return ProjectedGraph(
        core, version=version or "", source=source, mobility_included=include_mobility
    )


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
    A read-only ``MultiDiGraph`` (:class:`ProjectedGraph`); relationships whose endpoints
    are missing from the dataset are skipped (a partial export cannot create phantom nodes).
    """
    core = core_from_dataset(dataset, include_mobility=include_mobility)
    return graph_from_core(
        core, include_mobility=include_mobility, version=version, source=dataset.source
    )


async def project(store: Store, *, include_mobility: bool = True) -> nx.MultiDiGraph:
    """Export ``store`` and build its orientation graph (not cached: see
    :class:`cartonet.orientation.cache.ProjectionCache`)."""
    version = await store.version()
    dataset = await store.export()
    return graph_from_dataset(dataset, include_mobility=include_mobility, version=version)
