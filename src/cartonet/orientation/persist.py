"""What the warm-up computes, saved to disk so a restart on an unchanged graph is warm at once.

The file holds the projection's arrays (:class:`~cartonet.orientation.projection.GraphCore`
without the nodes, which the store already has), every matrix and array of the
:class:`~cartonet.orientation.index.OrientationIndex`, and the derived results the warm-up
builds (transposed matrices, each occupation's best neighbours, both maps). It is a NumPy
``.npz`` archive read with ``allow_pickle=False``: numbers in arrays, strings as UTF-8
JSON, nothing that runs code when read.

It is keyed by the store's graph version and by :data:`FORMAT` (bumped, with the field
names of the index, whenever the layout changes): a file for another version or layout
is ignored and replaced after the next build. A missing, partial or corrupt file is
ignored too (logged), and files are written to a temporary name then renamed, so a crash
mid-write never leaves a half file under the real name.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from cartonet.model import Node
from cartonet.orientation.index import _KEY as INDEX_KEY
from cartonet.orientation.index import OrientationIndex
from cartonet.orientation.neighbours import Neighbours
from cartonet.orientation.projection import NODE_TYPES, GraphCore, ProjectedGraph, graph_from_core
from cartonet.orientation.similarity import SimilarityWeights
from cartonet.orientation.skillmap import Community, MapLinks, MapPoint, SkillMap
from cartonet.store.search_cache import UNREADABLE, read_meta, write_npz

log = logging.getLogger("cartonet.orientation")

_RUNTIME = {"cache", "lock", "key_locks"}
_POSITIONS = {
    "occ_pos": "occupations",
    "skill_pos": "skills",
    "group_pos": "groups",
    "interest_pos": "interests",
    "training_pos": "trainings",
}
_INDEX_FIELDS = [f.name for f in dataclasses.fields(OrientationIndex) if f.name not in _RUNTIME]
FORMAT = "cartonet-orientation-2-" + hashlib.sha1(" ".join(_INDEX_FIELDS).encode()).hexdigest()[:8]
"""Layout version: a new index field changes it, so an old file is never misread."""


class NotPersistable(Exception):
    """The graph holds something this layout cannot write (it is then not saved)."""


def _text(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _untext(array: np.ndarray) -> Any:
    return json.loads(array.tobytes().decode("utf-8"))


def _put_matrix(out: dict[str, np.ndarray], name: str, m: sp.spmatrix) -> None:
    fmt = m.format
    if fmt not in ("csr", "csc"):
        raise NotPersistable(f"{name}: sparse format {fmt}")
    out[f"{name}.format"] = _text(fmt)
    out[f"{name}.shape"] = np.asarray(m.shape, dtype=np.int64)
    out[f"{name}.data"] = m.data
    out[f"{name}.indices"] = m.indices
    out[f"{name}.indptr"] = m.indptr


def _get_matrix(data: Any, name: str) -> sp.spmatrix:
    fmt = _untext(data[f"{name}.format"])
    make = sp.csr_matrix if fmt == "csr" else sp.csc_matrix
    shape = tuple(int(x) for x in data[f"{name}.shape"])
    m = make((data[f"{name}.data"], data[f"{name}.indices"], data[f"{name}.indptr"]), shape=shape)
    m.has_sorted_indices  # noqa: B018 -- computed now, not by the first request
    return m


def _put_index(out: dict[str, np.ndarray], ix: OrientationIndex) -> None:
    for name in _INDEX_FIELDS:
        value = getattr(ix, name)
        key = f"ix.{name}"
        if name in _POSITIONS:
            continue  # rebuilt from the list it indexes
        if name == "mobility":
            rows = [(i, j, kind) for i, targets in value.items() for j, kind in targets.items()]
            out[f"{key}.rows"] = np.asarray([r[0] for r in rows], dtype=np.int64)
            out[f"{key}.cols"] = np.asarray([r[1] for r in rows], dtype=np.int64)
            out[f"{key}.kinds"] = _text([r[2] for r in rows])
        elif sp.issparse(value):
            _put_matrix(out, key, value)
        elif isinstance(value, np.ndarray):
            if value.dtype == object:
                raise NotPersistable(f"index field {name}: object array")
            out[key] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[f"{key}.strings"] = _text(value)
        else:
            raise NotPersistable(f"index field {name}: {type(value).__name__}")


def _get_index(data: Any, core: GraphCore) -> OrientationIndex:
    def shared(s: str) -> str:
        # the graph's own id strings, not a second copy of each
        i = core.pos.get(s)
        return core.ids[i] if i is not None else s

    values: dict[str, Any] = {}
    for name in _INDEX_FIELDS:
        key = f"ix.{name}"
        if name in _POSITIONS:
            continue
        if name == "mobility":
            mobility: dict[int, dict[int, str]] = {}
            kinds = _untext(data[f"{key}.kinds"])
            for i, j, kind in zip(
                data[f"{key}.rows"].tolist(), data[f"{key}.cols"].tolist(), kinds, strict=True
            ):
                mobility.setdefault(i, {})[j] = kind
            values[name] = mobility
        elif f"{key}.strings" in data:
            values[name] = [shared(s) for s in _untext(data[f"{key}.strings"])]
        elif f"{key}.format" in data:
            values[name] = _get_matrix(data, key)
        else:
            values[name] = data[key]
    for name, listed in _POSITIONS.items():
        values[name] = {v: i for i, v in enumerate(values[listed])}
    return OrientationIndex(**values)


def _put_map(out: dict[str, np.ndarray], m: SkillMap) -> None:
    key = f"map.{m.kind}"
    out[f"{key}.ids"] = _text([p.id for p in m.points])
    out[f"{key}.xy"] = np.asarray([(p.x, p.y) for p in m.points], dtype=np.float64).reshape(-1, 2)
    out[f"{key}.community"] = np.asarray([p.community for p in m.points], dtype=np.int64)
    out[f"{key}.centrality"] = np.asarray([p.centrality for p in m.points], dtype=np.float64)
    if m.links.ids != [p.id for p in m.points]:
        raise NotPersistable(f"{key}: links not numbered by the map's points")
    out[f"{key}.links"] = m.links.ends.astype(np.int64, copy=False)
    out[f"{key}.link_weights"] = m.links.weights.astype(np.float64, copy=False)
    out[f"{key}.rest"] = _text(
        {
            "communities": [[c.id, c.size, c.central] for c in m.communities],
            "most_central": m.most_central,
            # repr keeps every bit of a float through JSON
            "modularity": repr(m.modularity),
        }
    )


def _get_map(data: Any, kind: str, shared: Callable[[str], str]) -> SkillMap:
    key = f"map.{kind}"
    ids = [shared(s) for s in _untext(data[f"{key}.ids"])]
    xy = data[f"{key}.xy"].tolist()
    community = data[f"{key}.community"].tolist()
    centrality = data[f"{key}.centrality"].tolist()
    rest = _untext(data[f"{key}.rest"])
    links = MapLinks(ids, data[f"{key}.links"], data[f"{key}.link_weights"])
    return SkillMap(
        kind=kind,
        points=[
            MapPoint(i, p[0], p[1], c, r)
            for i, p, c, r in zip(ids, xy, community, centrality, strict=True)
        ],
        communities=[
            Community(c, size, [shared(s) for s in central])
            for c, size, central in rest["communities"]
        ],
        most_central=[shared(s) for s in rest["most_central"]],
        modularity=float(rest["modularity"]),
        links=links,
    )


def snapshot(G: nx.MultiDiGraph) -> dict[str, np.ndarray]:
    """The arrays to save for ``G`` (a :class:`ProjectedGraph` with its index built).

    Raises :class:`NotPersistable` if ``G`` holds something the layout cannot write.
    """
    if not isinstance(G, ProjectedGraph) or G.core is None or INDEX_KEY not in G.graph:
        raise NotPersistable("not an indexed projected graph")
    core = G.core
    ix: OrientationIndex = G.graph[INDEX_KEY]
    try:
        props_text = _text(core.props)
    except (TypeError, ValueError) as exc:
        raise NotPersistable(f"relationship properties: {exc}") from exc
    out: dict[str, np.ndarray] = {
        "meta": _text(
            {
                "format": FORMAT,
                "version": G.graph.get("version", ""),
                "source": G.graph.get("source", ""),
                "mobility_included": bool(G.graph.get("mobility_included", True)),
            }
        ),
        "core.ids": _text(core.ids),
        "core.types": np.asarray(
            [NODE_TYPES.index(core.node_type(i)) for i in range(len(core.ids))], dtype=np.int8
        ),
        "core.src": core.src,
        "core.dst": core.dst,
        "core.key": core.key,
        "core.prop": core.prop,
        "core.seq": core.seq,
        "core.props": props_text,
    }
    _put_index(out, ix)
    defaults = SimilarityWeights()
    transposed: list[str] = []
    for key, value in list(ix.cache.items()):
        if not isinstance(key, tuple) or not key:
            continue
        if key[0] == "transposed" and sp.issparse(value):
            transposed.append(key[1])
            _put_matrix(out, f"transposed.{key[1]}", value)
        elif key[0] == "similarity_neighbours" and key[2] == defaults:
            out["neighbours.cols"] = value.cols
            out["neighbours.scores"] = value.scores
        elif key[0] == "skill_map" and isinstance(value, SkillMap):
            _put_map(out, value)
        elif key[0] == "origin_mix" and key[1] == defaults and isinstance(value, np.ndarray):
            out["origin_mix"] = value
    out["transposed"] = _text(transposed)
    return out


def save(G: nx.MultiDiGraph, path: Path) -> None:
    """Write ``G``'s snapshot to ``path`` (temporary file, then rename)."""
    write_npz(path, snapshot(G))


class Saved:
    """A snapshot read back from disk, not yet joined to the store's nodes."""

    def __init__(self, data: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        self.data = data
        self.meta = meta
        self.ids: list[str] = _untext(data["core.ids"])

    def restore(self, nodes: list[Node]) -> ProjectedGraph | None:
        """The graph, index and derived results, over ``nodes`` (``nodes[i]`` is the
        store's node ``ids[i]``). None when the nodes do not fit the file."""
        data = self.data
        types = data["core.types"]
        if len(nodes) != len(self.ids) or len(types) != len(self.ids):
            return None
        for i, node in enumerate(nodes):
            if node is None or node.id != self.ids[i] or NODE_TYPES[types[i]] != node.type:
                return None
        ids = [node.id for node in nodes]  # the store's strings
        core = GraphCore.from_arrays(
            ids,
            nodes,
            data["core.src"].astype(np.int64),
            data["core.dst"].astype(np.int64),
            data["core.key"].astype(np.int64),
            data["core.prop"].astype(np.int64),
            _untext(data["core.props"]),
            data["core.seq"].astype(np.int64),
        )
        G = graph_from_core(
            core,
            include_mobility=self.meta["mobility_included"],
            version=self.meta["version"],
            source=self.meta["source"],
        )
        ix = _get_index(data, core)

        def shared(s: str) -> str:
            i = core.pos.get(s)
            return core.ids[i] if i is not None else s

        for name in _untext(data["transposed"]):
            ix.cache[("transposed", name)] = _get_matrix(data, f"transposed.{name}")
        if "neighbours.cols" in data:
            cols, scores = data["neighbours.cols"], data["neighbours.scores"]
            cols.setflags(write=False)
            scores.setflags(write=False)
            ix.cache[("similarity_neighbours", cols.shape[1], SimilarityWeights())] = Neighbours(
                cols, scores
            )
        for kind in ("occupations", "skills"):
            if f"map.{kind}.ids" in data and f"map.{kind}.links" in data:
                ix.cache[("skill_map", kind)] = _get_map(data, kind, shared)
        if "origin_mix" in data:
            mix = data["origin_mix"]
            mix.setflags(write=False)
            ix.cache[("origin_mix", SimilarityWeights())] = mix
        G.graph[INDEX_KEY] = ix
        return G


def holds(path: Path, version: str, include_mobility: bool = True) -> bool:
    """Whether the file at ``path`` is a snapshot :func:`load` would accept for
    ``version``; reads its small ``meta`` member only."""
    meta = read_meta(path)
    return meta is not None and _accepts(meta, version, include_mobility)


def _accepts(meta: dict[str, Any], version: str, include_mobility: bool) -> bool:
    return (
        meta.get("format") == FORMAT
        and meta.get("version") == version
        and meta.get("mobility_included") == include_mobility
    )


def load(path: Path, version: str, include_mobility: bool = True) -> Saved | None:
    """The snapshot at ``path`` if it is for ``version`` and this layout; None otherwise
    (missing, another version, or unreadable: logged, never raised)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = _untext(archive["meta"])
            if not _accepts(meta, version, include_mobility):
                log.info("orientation cache %s is for another graph version: rebuilding", path)
                return None
            data = {name: archive[name] for name in archive.files}
        return Saved(data, meta)
    except FileNotFoundError:
        return None
    except UNREADABLE as exc:
        log.warning("orientation cache %s is unreadable, rebuilding: %s", path, exc)
        return None
