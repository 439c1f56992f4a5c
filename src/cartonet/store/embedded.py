"""The embedded store: one SQLite file on disk, every read served from memory.

Design
------
* **Durable and all or nothing.** The file (stdlib :mod:`sqlite3`, WAL journal,
  ``synchronous=FULL``) holds three tables: ``nodes(id, type, source, data)``,
  ``rels(type, start_id, end_id, source, props)`` keyed by ``(type, start_id, end_id)``, and
  ``meta`` / ``sources`` (graph version, what each source's last load brought), and
  ``loads`` (the load history, :mod:`cartonet.store.history`). A load is
  one ``BEGIN IMMEDIATE … COMMIT`` transaction: it validates the whole dataset first
  (:mod:`cartonet.store.validate`), compares it with what the file holds, and writes only
  the differences, so an identical second load writes nothing and keeps the version. Any
  error — a refused dataset, an exception from the progress callback, a crash — leaves
  the previous graph as it was.
* **Reads from memory.** :meth:`EmbeddedStore.open` reads the file once into a
  :class:`_State`: nodes by id, ids sorted per type (keyset pagination by bisection),
  adjacency lists per relationship type and direction (sorted by the other node's id) and,
  built on first use, the label search index (:mod:`cartonet.store.search`) and the
  normalised text of each node (``NodeFilter.text``). A state never changes once built; a
  load or a refresh swaps in a new one, so a read never sees half a load.
* **Another process may write.** ``cartonet load`` can fill the file while ``cartonet
  serve`` reads it. Before each read the store asks SQLite's ``PRAGMA data_version``
  (a counter in shared memory: microseconds) and whether the file is still the same file;
  when another connection committed, it reads the graph version and, if it moved, the
  whole state again (off the event loop).
* **Relationship ownership.** Each relationship records the source of the dataset that
  last wrote it, so ``load(replace=True)`` removes exactly what a source no longer has
  (plus relationships touching removed nodes).

``path`` may be ``":memory:"``: the store then lives in a private temporary file removed
by :meth:`EmbeddedStore.close` (handy in tests; nothing is kept).
"""

from __future__ import annotations

import asyncio
import bisect
import json
import logging
import os
import secrets
import sqlite3
import tempfile
import threading
import time
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cartonet.errors import InvalidArgument, StoreUnavailable
from cartonet.model import (
    LANGS,
    Dataset,
    LoadRecord,
    LoadReport,
    Node,
    NodeType,
    ObservedLoadReport,
    ObservedMobility,
    ObservedMove,
    Relationship,
    RelType,
    SkillKind,
    Stats,
    TypeChange,
)
from cartonet.store import history, observed, search_cache
from cartonet.store.base import (
    Direction,
    Edge,
    EdgePage,
    NodeFilter,
    Page,
    ProgressCallback,
    SearchHit,
    check_direction,
    check_first,
    check_node_type,
    check_rel_type,
    decode_cursor,
    encode_cursor,
)
from cartonet.store.search import SearchIndex, filter_text, normalize
from cartonet.store.validate import ids_to_look_up, validate_dataset

__all__ = ["EmbeddedStore"]

log = logging.getLogger("cartonet.store")

SCHEMA_VERSION = "1"
INITIAL_VERSION = "v0"
EXPORT_SOURCE = "export"
_BATCH = 5_000

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE nodes (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    data TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE rels (
    type TEXT NOT NULL,
    start_id TEXT NOT NULL,
    end_id TEXT NOT NULL,
    source TEXT NOT NULL,
    props TEXT NOT NULL,
    PRIMARY KEY (type, start_id, end_id)
) WITHOUT ROWID;
CREATE TABLE sources (source TEXT PRIMARY KEY, info TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE loads (seq INTEGER PRIMARY KEY, source TEXT NOT NULL, info TEXT NOT NULL);
"""

_NodeRow = tuple[str, str, str]  # type, source, data (canonical JSON)
_RelKey = tuple[str, str, str]  # type, start, end
_RelRow = tuple[str, str]  # source, props (canonical JSON)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _node_row(node: Node) -> _NodeRow:
    """The stored form of a node; equal rows mean equal nodes (the idempotency test)."""
    data = {
        "labels": {k: v for k, v in node.labels.items() if v},
        "alt": {k: list(v) for k, v in node.alt_labels.items() if v},
        "desc": {k: v for k, v in node.descriptions.items() if v},
        "props": {k: v for k, v in node.props.items() if v is not None},
    }
    return (NodeType(node.type).value, node.source, _dumps(data))


def _props_json(props: Mapping[str, Any], cache: dict[tuple[Any, ...], str]) -> str:
    """Canonical JSON of relationship properties; most edges share a few distinct ones."""
    if not props:
        return "{}"
    key = tuple((k, type(v), v) for k, v in props.items())
    text = cache.get(key)
    if text is None:
        text = cache[key] = _dumps({k: v for k, v in props.items() if v is not None})
    return text


@dataclass
class _State:
    """An immutable snapshot of the graph, as reads see it."""

    version: str
    nodes: dict[str, Node]
    ids_by_type: dict[NodeType, list[str]]
    out: dict[RelType, dict[str, Sequence[Relationship]]]
    inn: dict[RelType, dict[str, Sequence[Relationship]]]
    relation_count: int
    _search_lock: threading.Lock = field(default_factory=threading.Lock)
    _texts_lock: threading.Lock = field(default_factory=threading.Lock)
    _search: SearchIndex | None = None
    _texts: dict[NodeType, list[str]] = field(default_factory=dict)

    def search_index(self) -> SearchIndex:
        """The label search index, built on first use (seconds on a full taxonomy)."""
        with self._search_lock:
            if self._search is None:
                self._search = SearchIndex.from_nodes(self.nodes.values())
            return self._search

    def texts(self, type_: NodeType) -> list[str]:
        """``filter_text`` of each node of ``type_``, aligned with ``ids_by_type``."""
        with self._texts_lock:
            if type_ not in self._texts:
                ids = self.ids_by_type.get(type_, [])
                self._texts[type_] = [filter_text(self.nodes[i]) for i in ids]
            return self._texts[type_]

    def descendants(self, group: str) -> set[str]:
        """Ids with a BROADER path (one step or more) to ``group``."""
        below = self.inn.get(RelType.BROADER, {})
        found: set[str] = set()
        todo = [group]
        while todo:
            for rel in below.get(todo.pop(), ()):
                if rel.start not in found:
                    found.add(rel.start)
                    todo.append(rel.start)
        found.discard(group)  # a cycle back to the group does not make it its own member
        return found


def _restore_search(state: _State, cache_file: Path) -> bool:
    """Fill ``state``'s search index and texts from ``cache_file`` if it is for this state."""
    if state._search is not None:
        return False
    found = search_cache.load(cache_file, state.version, state.nodes)
    if found is None:
        return False
    index, texts = found
    if any(len(texts.get(t, ())) != len(ids) for t, ids in state.ids_by_type.items()):
        log.warning("search cache %s does not match the store's nodes, rebuilding", cache_file)
        return False
    with state._search_lock, state._texts_lock:
        if state._search is None:
            state._search = index
            state._texts.update(texts)
    return True


def _empty_state(version: str = INITIAL_VERSION) -> _State:
    return _State(version, {}, {}, {}, {}, 0)


class EmbeddedStore:
    """The default store: a SQLite file, reads from memory. See the module docstring."""

    def __init__(self, path: Path | str) -> None:
        self._memory = str(path) == ":memory:"
        self.path = Path(path) if not self._memory else Path(":memory:")
        self._file: Path | None = None if self._memory else Path(path).expanduser()
        self._conn: sqlite3.Connection | None = None
        self._inode: tuple[int, int] | None = None
        self._data_version: int | None = None
        self._state: _State = _empty_state()
        self._lock: asyncio.Lock | None = None

    # -- connection management -------------------------------------------------------

    def _where(self) -> str:
        return f"embedded store {self.path}"

    def _connect(self) -> sqlite3.Connection:
        assert self._file is not None
        conn = sqlite3.connect(self._file, timeout=30.0, isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    def _identity(self) -> tuple[int, int]:
        assert self._file is not None
        st = os.stat(self._file)
        return (st.st_dev, st.st_ino)

    def _init_file(self) -> None:
        """Create the schema in a new file; refuse a file that is not a store."""
        assert self._file is not None
        with closing(self._connect()) as conn:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                try:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute("BEGIN IMMEDIATE")
                    if not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
                        # One statement at a time: executescript would commit early.
                        for statement in _SCHEMA.split(";"):
                            if statement.strip():
                                conn.execute(statement)
                        conn.executemany(
                            "INSERT INTO meta(key, value) VALUES (?, ?)",
                            [
                                ("schema", SCHEMA_VERSION),
                                ("version", INITIAL_VERSION),
                                ("counter", "0"),
                            ],
                        )
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                return
            if not {"meta", "nodes", "rels", "sources"} <= tables:
                raise StoreUnavailable(
                    f"{self._where()}: an SQLite file, but not a Carto.net store "
                    f"(tables: {', '.join(sorted(tables))})"
                )
            row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:
                found = row[0] if row else "none"
                raise StoreUnavailable(
                    f"{self._where()}: store schema {found}, this version reads {SCHEMA_VERSION}"
                )
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                # A read-only file still serves reads in its current journal mode.
                with suppress(sqlite3.OperationalError):
                    conn.execute("PRAGMA journal_mode=WAL")

    async def open(self) -> None:
        """Read the file (created when missing). Raises :class:`StoreUnavailable` naming the
        path and the reason when it is unreadable, corrupt or not a store."""
        if self._conn is not None:
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        if self._memory:
            fd, name = tempfile.mkstemp(prefix="cartonet-", suffix=".sqlite")
            os.close(fd)
            os.unlink(name)  # SQLite creates it: an empty file would count as a database
            self._file = Path(name)
        assert self._file is not None
        try:
            if self._file.is_dir():
                raise StoreUnavailable(f"{self._where()}: is a directory, not a store file")
            if self._file.exists() and not os.access(self._file, os.R_OK):
                raise StoreUnavailable(f"{self._where()}: file is not readable (permission denied)")
            try:
                self._file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(
                    f"{self._where()}: cannot create folder {self._file.parent}: {exc.strerror}"
                ) from exc
            await asyncio.to_thread(self._init_file)
            conn = sqlite3.connect(
                self._file, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            try:
                data_version = conn.execute("PRAGMA data_version").fetchone()[0]
                state = await asyncio.to_thread(self._read_state)
                inode = self._identity()
            except BaseException:
                conn.close()
                raise
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"{self._where()}: cannot be read: {exc}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"{self._where()}: cannot be read: {exc.strerror}") from exc
        self._conn, self._data_version, self._state, self._inode = conn, data_version, state, inode

    async def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._state = _empty_state()
        if self._memory and self._file is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self._file}{suffix}").unlink(missing_ok=True)
            self._file = None

    def _require_open(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreUnavailable(f"{self._where()}: not open")
        return self._conn

    async def ping(self) -> None:
        conn = self._require_open()
        try:
            if self._identity() != self._inode:
                raise StoreUnavailable(f"{self._where()}: the file was replaced or removed")
            if not os.access(self._file or "", os.R_OK):
                raise StoreUnavailable(f"{self._where()}: file is no longer readable")
            conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"{self._where()}: cannot be read: {exc}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"{self._where()}: cannot be read: {exc.strerror}") from exc

    async def _fresh(self) -> _State:
        """The current state, re-read first if another process changed the file."""
        conn = self._require_open()
        try:
            identity = self._identity()
            data_version = conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"{self._where()}: cannot be read: {exc}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"{self._where()}: cannot be read: {exc.strerror}") from exc
        if identity == self._inode and data_version == self._data_version:
            return self._state
        assert self._lock is not None
        async with self._lock:
            if identity != self._inode:
                # Replaced by another file (e.g. removed and loaded again): start over.
                await self.close()
                await self.open()
                return self._state
            try:
                data_version = conn.execute("PRAGMA data_version").fetchone()[0]
                row = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
                if row is None or row[0] != self._state.version:
                    self._state = await asyncio.to_thread(self._read_state)
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"{self._where()}: cannot be read: {exc}") from exc
            self._data_version = data_version
        return self._state

    # -- reading the file ----------------------------------------------------------------

    def _read_state(self) -> _State:
        """The whole graph from the file, in one read transaction (a consistent snapshot)."""
        with closing(self._connect()) as conn:
            conn.execute("BEGIN")
            try:
                version = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0]
                node_rows = conn.execute("SELECT id, type, source, data FROM nodes ORDER BY id")
                nodes: dict[str, Node] = {}
                ids_by_type: dict[NodeType, list[str]] = {t: [] for t in NodeType}
                reader = _NodeReader()
                for node_id, type_, source, data in node_rows:
                    node = reader.node(node_id, type_, source, data)
                    nodes[node_id] = node
                    ids_by_type[node.type].append(node_id)
                rel_rows = conn.execute(
                    "SELECT type, start_id, end_id, props FROM rels ORDER BY type, start_id, end_id"
                )
                props_cache: dict[str, Mapping[str, Any]] = {}
                out: dict[RelType, dict[str, list[Relationship]]] = {t: {} for t in RelType}
                inn: dict[RelType, dict[str, list[Relationship]]] = {t: {} for t in RelType}
                count = 0
                for type_, start, end, props_text in rel_rows:
                    props = props_cache.get(props_text)
                    if props is None:
                        props = props_cache[props_text] = MappingProxyType(json.loads(props_text))
                    if start not in nodes or end not in nodes:
                        continue  # cannot happen through load(); do not serve a dangling edge
                    rel_type = RelType(type_)
                    # Reuse the node's id strings: 150k edges would otherwise copy them.
                    rel = Relationship(rel_type, nodes[start].id, nodes[end].id, props)
                    out[rel_type].setdefault(rel.start, []).append(rel)
                    inn[rel_type].setdefault(rel.end, []).append(rel)
                    count += 1
            finally:
                conn.execute("COMMIT")
        # Rows come ordered by (type, start, end): out-lists are sorted by end, and in-lists
        # by start, since each in-list receives its edges in increasing start order. Kept
        # as tuples: a state never changes, and a tuple has no spare room (~3 MiB).
        return _State(
            version,
            nodes,
            ids_by_type,
            {t: {k: tuple(v) for k, v in by.items()} for t, by in out.items()},
            {t: {k: tuple(v) for k, v in by.items()} for t, by in inn.items()},
            count,
        )

    # -- reads ---------------------------------------------------------------------------

    async def version(self) -> str:
        return (await self._fresh()).version

    async def stats(self) -> Stats:
        return _stats(await self._fresh())

    async def get_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        nodes = (await self._fresh()).nodes
        return [nodes.get(i) for i in ids]

    async def list_nodes(
        self,
        type: NodeType,
        flt: NodeFilter,
        first: int,
        after: str | None,
        *,
        text: bool = True,
    ) -> Page:
        # ``text`` is ignored: nodes are in memory, whole, and cost the same either way.
        check_first(first)
        after_id = decode_cursor(after)
        type_ = check_node_type(type)
        if flt.kind is not None and flt.kind not in {k.value for k in SkillKind}:
            raise InvalidArgument(
                "kind", f"must be one of {', '.join(k.value for k in SkillKind)}, got {flt.kind!r}"
            )
        state = await self._fresh()
        ids = state.ids_by_type.get(type_, [])
        needle = normalize(flt.text) if flt.text else ""
        if needle or flt.group is not None or flt.kind is not None:
            if needle:
                texts = state._texts.get(type_) or await asyncio.to_thread(state.texts, type_)
            members = state.descendants(flt.group) if flt.group is not None else None
            kept = []
            for i, node_id in enumerate(ids):
                if members is not None and node_id not in members:
                    continue
                if flt.kind is not None and state.nodes[node_id].props.get("kind") != flt.kind:
                    continue
                if needle and needle not in texts[i]:
                    continue
                kept.append(node_id)
            ids = kept
        start = bisect.bisect_right(ids, after_id) if after_id is not None else 0
        page_ids = ids[start : start + first]
        return Page(
            items=[state.nodes[i] for i in page_ids],
            total_count=len(ids),
            end_cursor=encode_cursor(page_ids[-1]) if page_ids else None,
            has_next_page=start + first < len(ids),
        )

    async def neighbours(
        self,
        ids: Sequence[str],
        rel: RelType,
        direction: Direction,
        rel_props: Mapping[str, Any] | None = None,
        *,
        text: bool = True,
        labels_only: bool = False,
    ) -> dict[str, list[Edge]]:
        # ``text`` and ``labels_only`` are ignored: the nodes are in memory, whole, and
        # sharing them costs less than copying a part.
        rel_type = check_rel_type(rel)
        direction = check_direction(direction)
        state = await self._fresh()
        adjacency = (state.out if direction is Direction.OUT else state.inn)[rel_type]
        wanted = list((rel_props or {}).items())
        result: dict[str, list[Edge]] = {}
        for node_id in ids:
            edges = []
            for r in adjacency.get(node_id, ()):
                if all(r.props.get(k) == v for k, v in wanted):
                    other = r.end if direction is Direction.OUT else r.start
                    edges.append(Edge(rel=r, node=state.nodes[other]))
            result[node_id] = edges
        return result

    async def get_nodes_with_neighbours(
        self,
        ids: Sequence[str],
        rel: RelType,
        direction: Direction,
        rel_props: Mapping[str, Any] | None = None,
        *,
        text: bool = False,
        labels_only: bool = False,
        node_text: bool = True,
    ) -> tuple[list[Node | None], dict[str, list[Edge]]]:
        # In memory: the two reads cost no more than one, and the nodes are whole.
        edges = await self.neighbours(ids, rel, direction, rel_props, text=text)
        return await self.get_nodes(ids), edges

    async def get_nodes_with_pages(
        self,
        ids: Sequence[str],
        rel: RelType,
        direction: Direction,
        node_type: NodeType,
        first: int,
        after: str | None = None,
        rel_props: Mapping[str, Any] | None = None,
        *,
        text: bool = False,
        labels_only: bool = False,
        node_text: bool = True,
    ) -> tuple[list[Node | None], dict[str, EdgePage]]:
        pages = await self.neighbour_pages(
            ids, rel, direction, node_type, first, after, rel_props, text=text
        )
        return await self.get_nodes(ids), pages

    async def neighbour_pages(
        self,
        ids: Sequence[str],
        rel: RelType,
        direction: Direction,
        node_type: NodeType,
        first: int,
        after: str | None = None,
        rel_props: Mapping[str, Any] | None = None,
        *,
        text: bool = True,
        labels_only: bool = False,
    ) -> dict[str, EdgePage]:
        rel_type = check_rel_type(rel)
        direction = check_direction(direction)
        type_ = check_node_type(node_type, "node_type")
        check_first(first)
        after_id = decode_cursor(after)
        state = await self._fresh()
        adjacency = (state.out if direction is Direction.OUT else state.inn)[rel_type]
        wanted = list((rel_props or {}).items())
        out = direction is Direction.OUT
        result: dict[str, EdgePage] = {}
        for node_id in ids:
            # Adjacency lists are sorted by the other node's id: keep the matching edges
            # in that order, then cut the page after the cursor.
            kept = [
                r
                for r in adjacency.get(node_id, ())
                if state.nodes[r.end if out else r.start].type == type_
                and all(r.props.get(k) == v for k, v in wanted)
            ]
            start = 0
            if after_id is not None:
                others = [r.end if out else r.start for r in kept]
                start = bisect.bisect_right(others, after_id)
            chunk = kept[start : start + first]
            edges = [Edge(rel=r, node=state.nodes[r.end if out else r.start]) for r in chunk]
            result[node_id] = EdgePage(
                edges=edges,
                total_count=len(kept),
                end_cursor=encode_cursor(edges[-1].node.id) if edges else None,
                has_next_page=start + len(chunk) < len(kept),
            )
        return result

    async def search(
        self, text: str, types: Sequence[NodeType] | None, lang: str | None, first: int
    ) -> list[SearchHit]:
        check_first(first)
        if lang is not None and lang not in LANGS:
            raise InvalidArgument("lang", f"must be one of {', '.join(LANGS)}, got {lang!r}")
        wanted = [check_node_type(t, "types") for t in types] if types else None
        state = await self._fresh()
        if first == 0 or not text.strip():
            return []
        index = state._search or await asyncio.to_thread(state.search_index)
        return index.search(text, first, types=wanted, lang=lang)

    async def warm(self, cache_file: Path | None = None) -> None:
        """Build the search index and filter texts; with ``cache_file``, read them from it
        when it holds this graph version, else build and write them there
        (:mod:`cartonet.store.search_cache`)."""
        state = await self._fresh()

        def build() -> None:
            if cache_file is not None and _restore_search(state, cache_file):
                return
            built_before = state._search is not None
            state.search_index()
            for type_ in state.ids_by_type:
                state.texts(type_)
            if cache_file is not None and not built_before:  # else written, or read, already
                try:
                    search_cache.save(cache_file, state.version, state.search_index(), state._texts)
                except OSError as exc:
                    log.warning("search cache %s not written: %s", cache_file, exc)

        # seconds on a full taxonomy: off the event loop, like a first search
        await asyncio.to_thread(build)

    async def export(self) -> Dataset:
        state = await self._fresh()
        rels = [
            Relationship(r.type, r.start, r.end, dict(r.props))
            for rel_type in sorted(state.out)
            for start in sorted(state.out[rel_type])
            for r in state.out[rel_type][start]
        ]
        nodes = [state.nodes[i] for i in sorted(state.nodes)]
        return Dataset(source=EXPORT_SOURCE, nodes=nodes, relationships=rels)

    # -- load ------------------------------------------------------------------------------

    async def load(
        self, dataset: Dataset, replace: bool = False, progress: ProgressCallback | None = None
    ) -> LoadReport:
        self._require_open()
        assert self._lock is not None
        async with self._lock:
            report, state = await asyncio.to_thread(self._load_sync, dataset, replace, progress)
            if state is not None:
                self._state = state
            return report

    def _load_sync(
        self, dataset: Dataset, replace: bool, progress: ProgressCallback | None
    ) -> tuple[LoadReport, _State | None]:
        notify: ProgressCallback = progress or (lambda phase, done, total: None)
        try:
            with closing(self._connect()) as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # Also when nothing changed: the load is in the history (only there).
                    changed, counts, changes = _write(conn, dataset, replace, notify)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(f"{self._where()}: load failed, nothing written: {exc}") from exc
        state = self._read_state() if changed else None
        current = state or self._state
        report = LoadReport(
            source=dataset.source,
            nodes_in_dataset=len(dataset.nodes),
            relationships_in_dataset=len(dataset.relationships),
            nodes_written=counts["nodes_written"],
            relationships_written=counts["relationships_written"],
            nodes_removed=counts["nodes_removed"],
            relationships_removed=counts["relationships_removed"],
            version=current.version,
            stats=_stats(current),
            changes=changes,
        )
        return report, state

    # -- observed mobility (beside the graph: cartonet.store.observed) --------------------

    async def load_observed(
        self, data: ObservedMobility, progress: ProgressCallback | None = None
    ) -> ObservedLoadReport:
        self._require_open()
        assert self._lock is not None
        state = await self._fresh()
        occupations = state.ids_by_type[NodeType.OCCUPATION]
        observed.check_observed(data, occupations)
        digest = observed.fingerprint(data)

        def write() -> bool:
            started = time.time()
            with closing(self._connect()) as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    row = conn.execute(
                        "SELECT info FROM sources WHERE source = ?", (data.source,)
                    ).fetchone()
                    if row and json.loads(row[0]).get("fingerprint") == digest:
                        # Unchanged: only the history hears of this load.
                        version = conn.execute(
                            "SELECT value FROM meta WHERE key='version'"
                        ).fetchone()[0]
                        _record_observed(conn, data, started, (), version)
                        conn.execute("COMMIT")
                        return False
                    if progress:
                        progress("observed moves", 0, len(data.moves))
                    old_moves, old_communes = observed.read_source(conn, data.source)
                    changes = history.observed_changes(old_moves, old_communes, data)
                    observed.write(conn, data)
                    version = _bump_version(conn)
                    info = {
                        "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "version": version,
                        "kind": "observed-mobility",
                        "fingerprint": digest,
                        "moves": len(data.moves),
                        "communes": len(data.communes),
                        "read_counts": data.read_counts,
                        "warnings": len(data.warnings),
                    }
                    conn.execute(
                        "INSERT INTO sources(source, info) VALUES (?, ?) "
                        "ON CONFLICT(source) DO UPDATE SET info=excluded.info",
                        (data.source, _dumps(info)),
                    )
                    _record_observed(conn, data, started, changes, version)
                    conn.execute("COMMIT")
                    if progress:
                        progress("observed moves", len(data.moves), len(data.moves))
                    return True
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise

        async with self._lock:
            try:
                written = await asyncio.to_thread(write)
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(
                    f"{self._where()}: load failed, nothing written: {exc}"
                ) from exc
        version = (await self._fresh()).version
        return ObservedLoadReport(
            source=data.source,
            moves=len(data.moves),
            communes=len(data.communes),
            areas=len({m.area for m in data.moves}),
            written=written,
            version=version,
        )

    async def observed_moves(
        self, ids: Sequence[str], area: str | None = None
    ) -> dict[str, list[ObservedMove]]:
        state = await self._fresh()

        def read() -> list[tuple[str, str, float, str]]:
            with closing(self._connect()) as conn:
                return observed.read_rows(conn, list(dict.fromkeys(ids)), area)

        occupation = NodeType.OCCUPATION
        rows = [
            r
            for r in await asyncio.to_thread(read)
            if (node := state.nodes.get(r[1])) is not None and node.type is occupation
        ]
        return observed.collect(ids, rows, area)

    async def export_observed(self) -> list[ObservedMobility]:
        await self._fresh()

        def read() -> list[ObservedMobility]:
            with closing(self._connect()) as conn:
                return observed.read_all(conn)

        return await asyncio.to_thread(read)

    async def load_history(self, source: str | None = None, last: int = 20) -> list[LoadRecord]:
        await self._fresh()

        def read() -> list[LoadRecord]:
            with closing(self._connect()) as conn:
                return _read_history(conn, source, last)

        return await asyncio.to_thread(read)

    async def area_of_commune(self, commune: str) -> str | None:
        await self._fresh()

        def read() -> str | None:
            with closing(self._connect()) as conn:
                return observed.read_area(conn, commune)

        return await asyncio.to_thread(read)


def _bump_version(conn: sqlite3.Connection) -> str:
    """Move the graph version (inside the caller's write transaction); returns it."""
    counter = int(conn.execute("SELECT value FROM meta WHERE key='counter'").fetchone()[0]) + 1
    version = f"v{counter}-{secrets.token_hex(4)}"
    conn.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        [("counter", str(counter)), ("version", version)],
    )
    return version


def _write(
    conn: sqlite3.Connection, dataset: Dataset, replace: bool, notify: ProgressCallback
) -> tuple[bool, dict[str, int], tuple[TypeChange, ...]]:
    """Validate and write ``dataset`` inside the open transaction, and record the load in
    the history; says whether anything changed, how much, and per type."""
    started = time.time()
    stored_nodes: dict[str, _NodeRow] = {
        node_id: (type_, source, data)
        for node_id, type_, source, data in conn.execute("SELECT id, type, source, data FROM nodes")
    }
    dataset_ids = {n.id for n in dataset.nodes}
    # With replace, the source owns what it and the other releases of its family hold.
    held = [r[0] for r in conn.execute("SELECT source FROM sources")]
    owners = {dataset.source, *history.other_releases(dataset.source, held)} if replace else set()
    removed_nodes = {
        i for i, row in stored_nodes.items() if row[1] in owners and i not in dataset_ids
    }
    # Nodes this load removes do not count as present for the dataset's relationships.
    stored_types = {
        i: NodeType(stored_nodes[i][0])
        for i in ids_to_look_up(dataset)
        if i in stored_nodes and i not in removed_nodes
    }
    validate_dataset(dataset, stored_types, notify)

    new_nodes = {n.id: _node_row(n) for n in dataset.nodes}
    node_writes = [(i, *row) for i, row in new_nodes.items() if stored_nodes.get(i) != row]
    changes = history.ChangeCounter()
    for i, type_, _, data in node_writes:
        old = stored_nodes.get(i)
        what = "added" if old is None else "taken_over" if old[::2] == (type_, data) else "updated"
        changes.add("node", type_, what)
    for i in removed_nodes:
        changes.add("node", stored_nodes[i][0], "removed")
    total = len(node_writes) + len(removed_nodes)
    notify("nodes", 0, total)
    done = 0
    for batch in _batches(node_writes):
        conn.executemany(
            "INSERT INTO nodes(id, type, source, data) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET type=excluded.type, source=excluded.source, "
            "data=excluded.data",
            batch,
        )
        done += len(batch)
        notify("nodes", done, total)
    for batch in _batches(sorted(removed_nodes)):
        conn.executemany("DELETE FROM nodes WHERE id = ?", [(i,) for i in batch])
        done += len(batch)
        notify("nodes", done, total)

    stored_rels: dict[_RelKey, _RelRow] = {
        (type_, start, end): (source, props)
        for type_, start, end, source, props in conn.execute(
            "SELECT type, start_id, end_id, source, props FROM rels"
        )
    }
    cache: dict[tuple[Any, ...], str] = {}
    new_rels: dict[_RelKey, _RelRow] = {
        (str(r.type), r.start, r.end): (dataset.source, _props_json(r.props, cache))
        for r in dataset.relationships
    }
    rel_writes = [(*k, *row) for k, row in new_rels.items() if stored_rels.get(k) != row]
    removed_rels = [
        k
        for k, (source, _) in stored_rels.items()
        if k not in new_rels
        and (source in owners or k[1] in removed_nodes or k[2] in removed_nodes)
    ]
    for type_, start, end, _, props in rel_writes:
        old_rel = stored_rels.get((type_, start, end))
        what = "added" if old_rel is None else "taken_over" if old_rel[1] == props else "updated"
        changes.add("relationship", type_, what)
    for k in removed_rels:
        changes.add("relationship", k[0], "removed")
    total = len(rel_writes) + len(removed_rels)
    notify("relationships", 0, total)
    done = 0
    for batch in _batches(rel_writes):
        conn.executemany(
            "INSERT INTO rels(type, start_id, end_id, source, props) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(type, start_id, end_id) DO UPDATE SET source=excluded.source, "
            "props=excluded.props",
            batch,
        )
        done += len(batch)
        notify("relationships", done, total)
    for batch in _batches(sorted(removed_rels)):
        conn.executemany("DELETE FROM rels WHERE type = ? AND start_id = ? AND end_id = ?", batch)
        done += len(batch)
        notify("relationships", done, total)

    counts = {
        "nodes_written": len(node_writes),
        "relationships_written": len(rel_writes),
        "nodes_removed": len(removed_nodes),
        "relationships_removed": len(removed_rels),
    }
    changed = any(counts.values())
    if changed:
        version = _bump_version(conn)
        info = {
            "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "version": version,
            "nodes_in_dataset": len(dataset.nodes),
            "relationships_in_dataset": len(dataset.relationships),
            "read_counts": dataset.read_counts,
            "warnings": len(dataset.warnings),
            **counts,
        }
        conn.execute(
            "INSERT INTO sources(source, info) VALUES (?, ?) "
            "ON CONFLICT(source) DO UPDATE SET info=excluded.info",
            (dataset.source, _dumps(info)),
        )
    else:
        version = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0]
    by_type = changes.changes()
    _record_load(
        conn,
        dataset.source,
        history.dataset_record(dataset, started, by_type, version, replace),
    )
    return changed, counts, by_type


_HISTORY_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS loads "
    "(seq INTEGER PRIMARY KEY, source TEXT NOT NULL, info TEXT NOT NULL)"
)


def _record_load(conn: sqlite3.Connection, source: str, info: str) -> None:
    """Add a load to the history (inside the caller's write transaction; files made
    before the history existed get the table now)."""
    conn.execute(_HISTORY_SCHEMA)
    conn.execute("INSERT INTO loads(source, info) VALUES (?, ?)", (source, info))


def _record_observed(
    conn: sqlite3.Connection,
    data: ObservedMobility,
    started: float,
    changes: Sequence[TypeChange],
    version: str,
) -> None:
    _record_load(conn, data.source, history.observed_record(data, started, changes, version))


def _read_history(conn: sqlite3.Connection, source: str | None, last: int) -> list[LoadRecord]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='loads'"
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        "SELECT seq, source, info FROM loads WHERE ? IS NULL OR source = ? "
        "ORDER BY seq DESC LIMIT ?",
        (source, source, last),
    ).fetchall()
    return [history.record_from(*row) for row in rows]


def _batches(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), _BATCH):
        yield items[i : i + _BATCH]


class _PackedTexts(Mapping[str, Any]):
    """A node's descriptions (language → text), kept as their UTF-8 JSON and decoded when
    read. Read rarely (a query asking for them, an export), they are most of a node's
    text: as one ``bytes`` object each instead of a dict of strings, the nodes of ESCO +
    ROME take ~25 MiB less. A read-only mapping equal to the dict it holds."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        self._raw = raw

    def _read(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self._raw)
        return found

    def __getitem__(self, key: str) -> Any:
        return self._read()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._read().get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __bool__(self) -> bool:
        return self._raw != b"{}"

    def items(self) -> ItemsView[str, Any]:
        return self._read().items()

    def values(self) -> ValuesView[Any]:
        return self._read().values()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _PackedTexts) and type(other) is type(self):
            return self._raw == other._raw or self._read() == other._read()
        if isinstance(other, Mapping):
            return self._read() == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a mapping compared by value

    def __repr__(self) -> str:
        return repr(self._read())


class _PackedAltLabels(_PackedTexts):
    """A node's alternative labels (language → tuple of labels), packed like
    :class:`_PackedTexts`."""

    __slots__ = ()

    def _read(self) -> dict[str, Any]:
        return {k: tuple(v) for k, v in json.loads(self._raw).items()}


class _NodeReader:
    """Turns stored rows into nodes that share what repeats: one empty mapping for every
    node without descriptions or alternative labels, one props dict per distinct set of
    properties (skills mostly share a kind and a reuse level), one string per source."""

    def __init__(self) -> None:
        self._no_alt = _PackedAltLabels(b"{}")
        self._no_desc = _PackedTexts(b"{}")
        self._props: dict[str, dict[str, Any]] = {}
        self._sources: dict[str, str] = {}

    def node(self, node_id: str, type_: str, source: str, data_text: str) -> Node:
        data = json.loads(data_text)
        alt, desc = data["alt"], data["desc"]
        props = data["props"]
        key = _dumps(props)
        return Node(
            id=node_id,
            type=NodeType(type_),
            labels=data["labels"],
            source=self._sources.setdefault(source, source),
            alt_labels=_PackedAltLabels(_packed(alt)) if alt else self._no_alt,
            descriptions=_PackedTexts(_packed(desc)) if desc else self._no_desc,
            props=self._props.setdefault(key, props),
        )


def _packed(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _stats(state: _State) -> Stats:
    count = {t: len(state.ids_by_type.get(t, ())) for t in NodeType}
    return Stats(
        occupations=count[NodeType.OCCUPATION],
        skills=count[NodeType.SKILL],
        trainings=count[NodeType.TRAINING],
        interests=count[NodeType.INTEREST],
        groups=count[NodeType.SKILL_GROUP] + count[NodeType.OCCUPATION_GROUP],
        relations=state.relation_count,
        version=state.version,
    )
