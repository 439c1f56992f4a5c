"""The Neo4j store: the store protocol answered by a Neo4j server through Cypher.

Design
------
* **Same answers as the embedded store.** Nodes are stored in the embedded store's
  canonical form (:mod:`cartonet.store.neo4j_rows`), lists are keyset-paginated by id,
  neighbours are sorted by the other node's id, search ranks with the shared
  :mod:`cartonet.store.search` (over an in-memory index of every label, read once per
  graph version: :mod:`cartonet.store.neo4j_search`), datasets are checked by the shared
  :mod:`cartonet.store.validate`, and a load counts as written exactly the nodes and
  relationships the embedded store would. The contract suite (``tests/contract``) runs the
  same cases on both stores and compares the answers.
* **Statements in files.** Every Cypher statement comes from ``cypher/*.cypher``
  (:mod:`cartonet.store.cypher`); values are parameters; labels and relationship types
  come from the model's enums only.
* **One driver, managed transactions.** One :class:`neo4j.AsyncDriver` (a connection pool)
  per store, settings read once. Reads run in ``execute_read`` with a short retry budget,
  so a dead pooled connection (after a server restart) is replaced transparently while an
  outage still fails within about a second; loads run in ``execute_write`` with the
  driver's default retry budget.
* **A load is one transaction.** Validation, node and relationship upserts (``UNWIND
  $rows … MERGE`` in batches of :data:`BATCH` rows), removals and the version bump all run
  in one write transaction: other sessions see the whole load at commit or nothing of it;
  any error rolls everything back. Unchanged rows (same fingerprint) are not written, so
  a second identical load writes nothing and keeps the version. The server's heap must
  hold the transaction state of the largest load (full ESCO: see ``docs/neo4j.md``).
* **Outage.** Connection and pool timeouts are short; any failure to reach the server
  becomes :class:`~cartonet.errors.StoreUnavailable` naming the server. The driver
  reconnects by itself when the server is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncSession,
)
from neo4j.exceptions import (
    AuthError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from cartonet.errors import InvalidArgument, LoadError, StoreUnavailable
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
from cartonet.store import history, observed
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
from cartonet.store.cypher import Statements, statements
from cartonet.store.embedded import EXPORT_SOURCE, INITIAL_VERSION
from cartonet.store.neo4j_merge import MergedReads
from cartonet.store.neo4j_rows import (
    fingerprint,
    node_from_columns,
    node_from_labels,
    node_from_props,
    node_props,
    param_value,
    props_from_columns,
    rel_from,
    rel_props,
    unique_nodes,
    unique_relationships,
)
from cartonet.store.neo4j_search import (
    LabelIndex,
    candidate_queries,
    label_entries_of,
    load_label_index,
    save_label_index,
)
from cartonet.store.search import LabelEntry, normalize, rank
from cartonet.store.validate import ids_to_look_up, validate_dataset

__all__ = ["BATCH", "Neo4jStore"]

T = TypeVar("T")

BATCH = 5_000
"""Rows per ``UNWIND $rows`` statement of a load."""
CONNECTION_TIMEOUT = 2.0
"""Seconds to open a TCP connection to the server: an outage shows within this time."""
READ_RETRY_TIME = 0.5
"""Retry budget of a read: one retry (after about a second) replaces a dead pooled
connection; a server that stays down fails the read instead of hanging it."""
LOAD_RETRY_TIME = 5.0
"""Retry budget of a load. The budget counts from the first failure and a full-ESCO
attempt takes far longer, so a load is retried once (a deadlock, a restarted server),
not again and again (a load too big for the server's transaction memory fails the same
way each time)."""
TX_MEMORY_ERROR = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
LABEL_PAGE = 5_000
"""Nodes per round trip when the label index reads every label: pages keep the driver's
buffers and the event loop's decoding stints small (full ESCO: 4 pages)."""
IDLE_SESSIONS = 64
"""Read sessions kept for reuse at most (one per read running at the same time; an idle
session holds no connection)."""
INDEX_WAIT = 300
"""Seconds ``open`` waits for the schema's indexes to come online."""

_RETRYABLE_DOWN = (ServiceUnavailable, SessionExpired)
_SCHEMA_OBJECTS = ("constraint_", "index_", "fulltext_")
_OBJECT_NAME = re.compile(r"CREATE\s+(?:CONSTRAINT|(?:FULLTEXT\s+)?INDEX)\s+(\w+)\s+IF NOT EXISTS")


def _object_name(statement: str) -> str:
    """The name a schema statement gives its constraint or index."""
    match = _OBJECT_NAME.search(statement)
    if match is None:
        raise ValueError(f"schema statement without a name: {statement[:60]!r}")
    return match.group(1)


class Neo4jStore:
    """The store protocol on a Neo4j 5 server (see the module docstring).

    Parameters
    ----------
    uri : ``bolt://host:port`` or ``neo4j://host:port`` (``+s`` / ``+ssc`` for TLS).
    user, password : credentials; no password when the server runs with auth off. A
        password without a user logs in as ``neo4j``.
    database : the database to use (``neo4j`` by default).
    label_index : search with an in-memory index of every label (the default), read from
        the server once per graph version: a search is then one round trip, a few
        milliseconds to a few dozen whatever the query. ``False`` asks the full-text index
        for each query's candidates and ranks them as they come: about 70 MB less memory
        on full ESCO, but a broad prefix (``pro``) takes a second. Both answer the same;
        the benchmark (``bench/search_neo4j.py``) measures one against the other.
    """

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
        *,
        connection_timeout: float = CONNECTION_TIMEOUT,
        label_index: bool = True,
    ) -> None:
        self.uri = uri
        self.database = database or "neo4j"
        self._auth = (user or "neo4j", password) if password else None
        self._connection_timeout = connection_timeout
        self._driver: AsyncDriver | None = None
        self._idle_sessions: list[AsyncSession] = []
        self._schema_ready = False
        self._cypher: Statements = statements()
        self._rendered: dict[tuple[str, NodeType | None, RelType | None], str] = {}
        self.label_index = label_index
        self._labels: LabelIndex | None = None
        self._labels_task: asyncio.Task[LabelIndex] | None = None
        self._vocabulary: tuple[str, list[str]] | None = None  # (version, terms)
        # lookups with their nested list, merged across concurrent requests
        self._merged = MergedReads(self._record)

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    # -- connection --------------------------------------------------------------------

    def _where(self) -> str:
        return f"Neo4j at {self.uri} (database {self.database!r})"

    def _make_driver(self) -> AsyncDriver:
        return AsyncGraphDatabase.driver(
            self.uri,
            auth=self._auth,
            connection_timeout=self._connection_timeout,
            # Must exceed the connection timeout (a new connection may be opened).
            connection_acquisition_timeout=self._connection_timeout + 1.0,
            # The default for every managed transaction (execute_query too); loads ask for
            # more, per session.
            max_transaction_retry_time=READ_RETRY_TIME,
            max_connection_pool_size=50,
            notifications_min_severity="OFF",
            user_agent="cartonet",
        )

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        if isinstance(exc, AuthError):
            reason = f"authentication failed ({exc.message or exc})"
        else:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreUnavailable(f"{self._where()} is unavailable: {reason}")

    async def open(self) -> None:
        """Connect, then apply the schema (``cypher/schema.cypher``) once.

        Raises :class:`StoreUnavailable` when the server cannot be reached; calling again
        later retries (the app does so until the server answers)."""
        if self._driver is None:
            try:
                self._driver = self._make_driver()
            except (ValueError, DriverError) as exc:  # malformed URI or options
                raise StoreUnavailable(f"{self._where()}: {exc}") from exc
        if not self._schema_ready:
            await self._apply_schema()
            self._schema_ready = True

    async def _apply_schema(self) -> None:
        driver = self._require_driver()
        cypher, db = self._cypher, self.database
        creates = [n for n in cypher.group("schema") if n.startswith(_SCHEMA_OBJECTS)]
        try:
            records, _, _ = await driver.execute_query(cypher["schema_state"], database_=db)
            online = {r["name"] for r in records if r["state"] == "ONLINE"}
            missing = [n for n in creates if _object_name(cypher[n]) not in online]
            # Schema commands cannot share a transaction with writes: one auto-commit each.
            for name in missing:
                await driver.execute_query(cypher[name], database_=db)
            await driver.execute_query(
                cypher["init_meta"], {"initial_version": INITIAL_VERSION}, database_=db
            )
            if missing:
                await driver.execute_query(
                    cypher["await_indexes"], {"seconds": INDEX_WAIT}, database_=db
                )
        except (DriverError, OSError) as exc:
            raise self._unavailable(exc) from exc
        except ValueError as exc:  # the driver's word for an address it cannot resolve
            raise self._unavailable(exc) from exc
        except Neo4jError as exc:
            if isinstance(exc, AuthError) or exc.is_retryable():
                raise self._unavailable(exc) from exc
            raise

    async def close(self) -> None:
        driver, self._driver = self._driver, None
        idle, self._idle_sessions = self._idle_sessions, []
        for session in idle:
            await _close_quietly(session)
        self._schema_ready = False
        self._labels = None
        task, self._labels_task = self._labels_task, None
        if task is not None:
            task.cancel()
        self._vocabulary = None
        if driver is not None:
            await driver.close()

    def _require_driver(self) -> AsyncDriver:
        if self._driver is None:
            raise StoreUnavailable(f"{self._where()}: store not open")
        return self._driver

    async def _run(
        self,
        work: Callable[[AsyncManagedTransaction], Awaitable[T]],
        *,
        write: bool = False,
    ) -> T:
        """Run ``work`` in one managed transaction; an unreachable server (or one that
        refuses our credentials) becomes :class:`StoreUnavailable`."""
        if not self._schema_ready:
            await self.open()
        driver = self._require_driver()
        try:
            async with driver.session(
                database=self.database,
                default_access_mode=WRITE_ACCESS if write else READ_ACCESS,
                max_transaction_retry_time=LOAD_RETRY_TIME if write else READ_RETRY_TIME,
            ) as session:
                if write:
                    return await session.execute_write(work)
                return await session.execute_read(work)
        except (*_RETRYABLE_DOWN, AuthError, OSError) as exc:
            raise self._unavailable(exc) from exc
        except DriverError as exc:
            raise self._unavailable(exc) from exc
        except Neo4jError as exc:
            # Still failing after the retries: a database starting or stopping, a cluster
            # without a leader... Unavailable, except a load too big to ever fit.
            if exc.is_retryable() and exc.code != TX_MEMORY_ERROR:
                raise self._unavailable(exc) from exc
            raise

    async def _records(
        self, name: str, params: Mapping[str, Any] | None = None, **render: Any
    ) -> list[dict[str, Any]]:
        """All records of one read statement, as dicts.

        One statement needs no transaction of its own: it runs as an auto-commit query
        (one round trip, where a managed transaction takes two, and half the driver's
        CPU). A dead pooled connection (after a server restart) or a transient server
        error is retried once at once, on a fresh connection; a server that stays down
        fails the read."""
        key = (name, render.get("label"), render.get("rel"))
        query = self._rendered.get(key)
        if query is None:
            query = self._cypher.render(name, **render) if render else self._cypher[name]
            self._rendered[key] = query
        if not self._schema_ready:
            await self.open()
        driver = self._require_driver()
        values = dict(params or {})
        for attempt in (1, 2):
            # A read session of the idle ones (reused: opening one per read costs about a
            # fifth of a small read's driver time); it goes back only after a read that
            # went through, so a session in doubt is never reused.
            session = (
                self._idle_sessions.pop()
                if self._idle_sessions
                else driver.session(database=self.database, default_access_mode=READ_ACCESS)
            )
            try:
                result = await session.run(query, values)
                # Not record.data(): it walks every nested value to convert graph
                # types our statements never return (a fifth of a request's CPU on
                # a page of nodes).
                keys = result.keys()
                rows = [dict(zip(keys, record, strict=True)) async for record in result]
            except (*_RETRYABLE_DOWN, AuthError, OSError, DriverError) as exc:
                await _close_quietly(session)
                if attempt == 2 or isinstance(exc, AuthError):
                    raise self._unavailable(exc) from exc
            except Neo4jError as exc:
                await _close_quietly(session)
                if not exc.is_retryable():
                    raise
                if attempt == 2:
                    raise self._unavailable(exc) from exc
            except BaseException:  # cancelled (a request's time ran out), or a bug
                await _close_quietly(session)
                raise
            else:
                if self._driver is driver and len(self._idle_sessions) < IDLE_SESSIONS:
                    self._idle_sessions.append(session)
                else:
                    await session.close()
                return rows
        raise AssertionError("unreachable")

    async def _record(
        self, name: str, params: Mapping[str, Any] | None = None, **render: Any
    ) -> dict[str, Any]:
        """The one record of a read statement that aggregates its rows."""
        rows = await self._records(name, params, **render)
        if len(rows) != 1:
            raise RuntimeError(f"statement '{name}' returned {len(rows)} records, not one")
        return rows[0]

    # -- reads ---------------------------------------------------------------------------

    async def ping(self) -> None:
        await self._records("ping")

    async def version(self) -> str:
        rows = await self._records("version")
        return (rows[0]["version"] if rows else None) or INITIAL_VERSION

    async def stats(self) -> Stats:
        row = (await self._records("stats"))[0]
        return Stats(
            occupations=row["occupations"],
            skills=row["skills"],
            trainings=row["trainings"],
            interests=row["interests"],
            groups=row["groups"],
            relations=row["relations"],
            version=row["version"] or INITIAL_VERSION,
        )

    async def get_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        stored = (await self._record("get_nodes", {"ids": wanted}))["nodes"]
        found = {n.id: n for n in (node_from_columns(*columns) for columns in stored)}
        return [found.get(i) for i in ids]

    async def list_nodes(
        self,
        type: NodeType,
        flt: NodeFilter,
        first: int,
        after: str | None,
        *,
        text: bool = True,
    ) -> Page:
        check_first(first)
        after_id = decode_cursor(after)
        type_ = check_node_type(type)
        if flt.kind is not None and flt.kind not in {k.value for k in SkillKind}:
            raise InvalidArgument(
                "kind", f"must be one of {', '.join(k.value for k in SkillKind)}, got {flt.kind!r}"
            )
        needle = normalize(flt.text) if flt.text else ""
        params = {
            "after": after_id if after_id is not None else "",
            "kind": flt.kind,
            "needle": needle or None,
            "group": flt.group,
            "limit": first + 1,
            "text": text,
        }
        filtered = needle or flt.kind is not None or flt.group is not None
        row = await self._record(
            "list_nodes" if filtered else "list_nodes_all", params, label=type_
        )
        items = [node_from_columns(*n, text) for n in row["items"]]
        page = items[:first]
        return Page(
            items=page,
            total_count=row["total"],
            end_cursor=encode_cursor(page[-1].id) if page else None,
            has_next_page=len(items) > first,
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
        rel_type = check_rel_type(rel)
        direction = check_direction(direction)
        wanted = list(dict.fromkeys(ids))
        result: dict[str, list[Edge]] = {i: [] for i in ids}
        if not wanted:
            return result
        params = {"ids": wanted, **_detail(text, labels_only), **_rel_filter(rel_props)}
        out = direction is Direction.OUT
        found = await self._record(
            "neighbours_out" if out else "neighbours_in", params, rel=rel_type
        )
        read = _node_reader(text, labels_only)
        nodes: dict[str, Node] = {}
        for node_id, other, stored_rel, stored_node in sorted(
            found["edges"], key=lambda e: (e[0], e[1])
        ):
            result[node_id].append(
                _edge(rel_type, out, node_id, other, stored_rel, stored_node, read, nodes)
            )
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
        rel_type = check_rel_type(rel)
        direction = check_direction(direction)
        wanted = list(dict.fromkeys(ids))
        result: dict[str, list[Edge]] = {i: [] for i in ids}
        if not wanted:
            return [None for _ in ids], result
        params = {**_detail(text, labels_only), "node_text": node_text, **_rel_filter(rel_props)}
        out = direction is Direction.OUT
        found = await self._merged.read(
            "nodes_neighbours_out" if out else "nodes_neighbours_in",
            params,
            wanted,
            "nodes",
            rel=rel_type,
        )
        read = _node_reader(text, labels_only)
        looked_up: dict[str, Node] = {}
        nodes: dict[str, Node] = {}
        for _, stored, edges in found:
            node = node_from_columns(*stored, node_text)
            looked_up[node.id] = node
            result[node.id] = [
                _edge(rel_type, out, node.id, other, stored_rel, stored_node, read, nodes)
                for other, stored_rel, stored_node in sorted(edges, key=lambda e: e[0])
            ]
        return [looked_up.get(i) for i in ids], result

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
        params = _page_params(first, after, rel_props, text, labels_only)
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        out = direction is Direction.OUT
        found = await self._record(
            "neighbour_pages_out" if out else "neighbour_pages_in",
            {**params, "ids": wanted},
            rel=rel_type,
            label=type_,
        )
        read = _node_reader(text, labels_only)
        pages = {
            node_id: _page(rel_type, out, node_id, total, items, first, read)
            for node_id, total, items in found["pages"]
        }
        return {i: pages.get(i, _EMPTY_PAGE) for i in ids}

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
        rel_type = check_rel_type(rel)
        direction = check_direction(direction)
        type_ = check_node_type(node_type, "node_type")
        params = _page_params(first, after, rel_props, text, labels_only)
        params["node_text"] = node_text
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return [None for _ in ids], {}
        out = direction is Direction.OUT
        found = await self._merged.read(
            "nodes_pages_out" if out else "nodes_pages_in",
            params,
            wanted,
            "pages",
            rel=rel_type,
            label=type_,
        )
        read = _node_reader(text, labels_only)
        looked_up: dict[str, Node] = {}
        pages: dict[str, EdgePage] = {}
        for _, stored, total, items in found:
            node = node_from_columns(*stored, node_text)
            looked_up[node.id] = node
            pages[node.id] = _page(rel_type, out, node.id, total, items, first, read)
        return [looked_up.get(i) for i in ids], {i: pages.get(i, _EMPTY_PAGE) for i in ids}

    async def search(
        self, text: str, types: Sequence[NodeType] | None, lang: str | None, first: int
    ) -> list[SearchHit]:
        check_first(first)
        if lang is not None and lang not in LANGS:
            raise InvalidArgument("lang", f"must be one of {', '.join(LANGS)}, got {lang!r}")
        wanted = [check_node_type(t, "types") for t in types] if types else None
        if first == 0 or not text.strip():
            return []
        if self.label_index:
            return await self._search_label_index(text, wanted, lang, first)
        return await self._search_fulltext(text, wanted, lang, first)

    async def _search_label_index(
        self, text: str, types: list[NodeType] | None, lang: str | None, first: int
    ) -> list[SearchHit]:
        """Rank on the cached label index, then check its version while fetching the hits'
        nodes (one round trip). When the graph moved, rank again on fresh labels; if it
        moved again meanwhile (loads back to back), answer from the fresh labels."""
        labels = await self._label_index()
        hits = labels.index.search(text, first, types=types, lang=lang)
        found = await self._record("search_nodes", {"ids": [h.node.id for h in hits]})
        if (found["version"] or INITIAL_VERSION) != labels.version:
            stale = labels.version
            del labels  # let the old index go before the new one is built
            labels = await self._label_index(stale)
            hits = labels.index.search(text, first, types=types, lang=lang)
            found = await self._record("search_nodes", {"ids": [h.node.id for h in hits]})
        nodes = (node_from_columns(*n) for n in found["nodes"])
        return _with_nodes(hits, {n.id: n for n in nodes})

    async def _label_index(self, stale: str | None = None) -> LabelIndex:
        """The label index: the cached one, unless there is none yet or it is of version
        ``stale``.

        One background task builds it and every search waits on that task: concurrent
        searches share one build, and a search that stops waiting (its request ran out of
        time on a cold server: reading every label takes seconds) leaves the build running
        for the next search, where awaiting the build itself would cancel it half-way and
        every later first search would start again from nothing."""
        labels = self._labels
        for _ in range(2):
            if labels is not None and labels.version != stale:
                return labels
            task = self._labels_task
            if task is None or task.done():
                self._labels = None  # let the old index go before the new one is built
                task = asyncio.create_task(self._build_label_index())
                # Read the outcome even if every waiter gave up, so a failure is not
                # reported later as "exception never retrieved".
                task.add_done_callback(lambda t: t.cancelled() or t.exception())
                self._labels_task = task
            labels = await asyncio.shield(task)
            # A build that started before the graph moved is of version ``stale``: the
            # second turn builds again.
        assert labels is not None
        return labels

    async def _build_label_index(self) -> LabelIndex:
        cypher = self._cypher

        async def work(tx: AsyncManagedTransaction) -> tuple[str, list[LabelEntry]]:
            # The version first: labels newer than their tag only cause a rebuild.
            version = (await (await tx.run(cypher["version"])).single(strict=True))[0]
            entries: list[LabelEntry] = []
            after = ""
            while True:
                result = await tx.run(cypher["search_labels"], after=after, limit=LABEL_PAGE)
                page = (await result.single(strict=True))[0]
                entries.extend(e for row in page for e in label_entries_of(*row))
                if len(page) < LABEL_PAGE:
                    return version or INITIAL_VERSION, entries
                after = page[-1][0]

        version, entries = await self._run(work)
        built = await asyncio.to_thread(LabelIndex.build, version, entries)
        self._labels = built
        return built

    async def _search_fulltext(
        self, text: str, types: list[NodeType] | None, lang: str | None, first: int
    ) -> list[SearchHit]:
        """Rank the full-text index's candidates for this query (``label_index=False``)."""
        vocabulary = await self._search_vocabulary()
        queries = candidate_queries(text, vocabulary)
        if not queries:
            return []
        found = await self._record(
            "search_candidates",
            {"queries": queries, "types": [t.value for t in types] if types else None},
        )
        entries = (entry for row in found["candidates"] for entry in label_entries_of(*row))
        hits = rank(text, entries, first, types=types, lang=lang)
        # Ranking needs only labels; the hits get their full nodes in one more round trip.
        full = await self.get_nodes([hit.node.id for hit in hits])
        return _with_nodes(hits, {node.id: node for node in full if node is not None})

    async def warm(self, cache_file: Path | None = None) -> None:
        if self.label_index:
            # Our one lazy piece is the label index (seconds on a full taxonomy): read
            # back from cache_file when it holds this graph version, else built and
            # written there. One search_nodes has the server plan the statement every
            # search runs.
            read_back = False
            if cache_file is not None and self._labels is None:
                version = await self.version()
                found = await asyncio.to_thread(load_label_index, cache_file, version)
                if found is not None and self._labels is None:
                    self._labels, read_back = found, True
            labels = await self._label_index()
            if cache_file is not None and not read_back:
                await asyncio.to_thread(save_label_index, cache_file, labels)
            await self._record("search_nodes", {"ids": []})
            return
        # Without the label index: the search vocabulary (every index term, fetched on the
        # first search), then one full-text query on a real term, so the server opens the
        # index and reads its pages, which a first search would otherwise wait for.
        vocabulary = await self._search_vocabulary()
        queries = candidate_queries(vocabulary[0], vocabulary) if vocabulary else []
        if queries:
            await self._record("search_candidates", {"queries": queries[:1], "types": None})

    async def _search_vocabulary(self) -> list[str]:
        """Every term of the search index, cached until the graph version moves."""
        version = await self.version()
        cached = self._vocabulary
        if cached is not None and cached[0] == version:
            return cached[1]
        texts = (await self._record("search_vocabulary"))["texts"]
        terms = sorted({term for text in texts for term in text.split()})
        self._vocabulary = (version, terms)
        return terms

    async def export(self) -> Dataset:
        cypher = self._cypher

        async def work(tx: AsyncManagedTransaction) -> tuple[list[Any], list[Any]]:
            # One transaction: the nodes and relationships of the same committed graph.
            nodes = await (await tx.run(cypher["export_nodes"])).single(strict=True)
            result = await tx.run(
                cypher["export_relationships"], {"types": [t.value for t in RelType]}
            )
            rels = await result.single(strict=True)
            return nodes["nodes"], rels["relationships"]

        node_rows, rel_rows = await self._run(work)
        nodes = sorted((node_from_props(p) for p in node_rows), key=lambda n: n.id)
        rel_rows.sort(key=lambda r: (r[0], r[1], r[2]))
        rels = [rel_from(type_, start, end, props) for type_, start, end, props in rel_rows]
        return Dataset(source=EXPORT_SOURCE, nodes=nodes, relationships=rels)

    # -- load ----------------------------------------------------------------------------

    async def load(
        self, dataset: Dataset, replace: bool = False, progress: ProgressCallback | None = None
    ) -> LoadReport:
        notify: ProgressCallback = progress or (lambda phase, done, total: None)
        loader = _Loader(self._cypher, dataset, replace, notify)
        try:
            counts = await self._run(loader.run, write=True)
        except Neo4jError as exc:
            if exc.code == TX_MEMORY_ERROR:
                raise LoadError(
                    f"{dataset.source}: the load is larger than the transaction memory "
                    f"{self._where()} allows, nothing was written; give the server more "
                    "heap (server.memory.heap.max_size; NEO4J_HEAP for tools/neo4j_server.py: "
                    "full ESCO needs about 1g) or raise dbms.memory.transaction.total.max",
                    [exc.message or str(exc)],
                ) from exc
            raise
        if any(counts.values()):
            # The graph moved: free the cached labels now rather than at the next search.
            self._labels = None
            self._vocabulary = None
        stats = await self.stats()
        return LoadReport(
            source=dataset.source,
            nodes_in_dataset=len(dataset.nodes),
            relationships_in_dataset=len(dataset.relationships),
            nodes_written=counts["nodes_written"],
            relationships_written=counts["relationships_written"],
            nodes_removed=counts["nodes_removed"],
            relationships_removed=counts["relationships_removed"],
            version=stats.version,
            stats=stats,
            changes=loader.changes.changes(),
        )

    # -- observed mobility (beside the graph: cartonet.store.observed) --------------------

    async def load_observed(
        self, data: ObservedMobility, progress: ProgressCallback | None = None
    ) -> ObservedLoadReport:
        cypher = self._cypher
        digest = observed.fingerprint(data)
        ids = sorted({i for m in data.moves for i in (m.start, m.end)})
        move_rows = [
            {"area": m.area or "", "start": m.start, "end": m.end, "score": m.score}
            for m in data.moves
        ]
        commune_rows = [{"commune": c, "area": a} for c, a in data.communes.items()]

        async def record(
            tx: AsyncManagedTransaction,
            started: float,
            changes: Sequence[TypeChange],
            version: str,
        ) -> None:
            info = history.observed_record(data, started, changes, version)
            await (await tx.run(cypher["record_load"], source=data.source, info=info)).consume()

        async def work(tx: AsyncManagedTransaction) -> bool:
            started = time.time()
            known: list[str] = []
            for chunk in _chunks(ids, BATCH):
                result = await tx.run(cypher["observed_known_occupations"], ids=chunk)
                known += (await result.single(strict=True))["ids"]
            observed.check_observed(data, known)
            result = await tx.run(cypher["observed_fingerprint"], source=data.source)
            if (await result.single(strict=True))["fp"] == digest:
                # Unchanged: only the history hears of this load.
                version = (await (await tx.run(cypher["version"])).single(strict=True))["version"]
                await record(tx, started, (), version)
                return False
            result = await tx.run(cypher["observed_source_rows"], source=data.source)
            old = await result.single(strict=True)
            changes = history.observed_changes(
                {(a, st, en): score for a, st, en, score in old["moves"]},
                dict(old["communes"]),
                data,
            )
            for name in ("delete_observed_moves", "delete_area_communes"):
                await (await tx.run(cypher[name], source=data.source)).consume()
            done = 0
            for rows in _chunks(move_rows, BATCH):
                query = cypher["create_observed_moves"]
                await (await tx.run(query, source=data.source, rows=rows)).consume()
                done += len(rows)
                if progress:
                    progress("observed moves", done, len(move_rows))
            for rows in _chunks(commune_rows, BATCH):
                query = cypher["create_area_communes"]
                await (await tx.run(query, source=data.source, rows=rows)).consume()
            result = await tx.run(cypher["bump_version"], nonce=secrets.token_hex(4))
            version = (await result.single(strict=True))["version"]
            info = {
                "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "kind": "observed-mobility",
                "observed_fp": digest,
                "moves": len(data.moves),
                "communes": len(data.communes),
                "warnings": len(data.warnings),
            }
            await (await tx.run(cypher["record_observed"], source=data.source, info=info)).consume()
            await record(tx, started, changes, version)
            return True

        written = await self._run(work, write=True)
        return ObservedLoadReport(
            source=data.source,
            moves=len(data.moves),
            communes=len(data.communes),
            areas=len({m.area for m in data.moves}),
            written=written,
            version=await self.version(),
        )

    async def observed_moves(
        self, ids: Sequence[str], area: str | None = None
    ) -> dict[str, list[ObservedMove]]:
        unique = list(dict.fromkeys(ids))
        if not unique:
            return {}
        row = await self._record("observed_moves", {"ids": unique, "area": area})
        return observed.collect(ids, [tuple(r) for r in row["rows"]], area)

    async def area_of_commune(self, commune: str) -> str | None:
        rows = await self._records("area_of_commune", {"commune": commune})
        return rows[0]["area"] if rows else None

    async def export_observed(self) -> list[ObservedMobility]:
        row = await self._record("export_observed")
        return observed.gather(row["moves"], row["communes"])

    async def load_history(self, source: str | None = None, last: int = 20) -> list[LoadRecord]:
        rows = await self._records("load_history", {"source": source, "last": last})
        return [history.record_from(r["seq"], r["source"], r["info"]) for r in rows]


async def _close_quietly(session: AsyncSession) -> None:
    """Close a session that failed: its own error is the one to report."""
    with contextlib.suppress(Exception):
        await session.close()


def _rel_filter(rel_props: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ``$props`` / ``$absent`` parameters of a neighbour read. A stored relationship
    never holds None (it is dropped on write): asking for None means asking for the
    property to be absent, as in the embedded store."""
    asked = dict(rel_props or {})
    return {
        "props": {k: param_value(v) for k, v in asked.items() if v is not None},
        "absent": [k for k, v in asked.items() if v is None],
    }


def _page_params(
    first: int,
    after: str | None,
    rel_props: Mapping[str, Any] | None,
    text: bool,
    labels_only: bool,
) -> dict[str, Any]:
    """The parameters of a page read but its ids (``first`` and the cursor checked):
    ``first + 1`` items asked, the one more saying whether another page follows."""
    check_first(first)
    after_id = decode_cursor(after)
    return {
        "after": after_id if after_id is not None else "",
        "limit": first + 1,
        **_detail(text, labels_only),
        **_rel_filter(rel_props),
    }


def _detail(text: bool, labels_only: bool) -> dict[str, bool]:
    """The parameters saying how much of each neighbour a read sends."""
    return {"text": text and not labels_only, "labels_only": labels_only}


NodeReader = Callable[[str, Sequence[Any]], Node]
"""How a read builds a neighbour from its id and what the statement sent of it."""


def _node_reader(text: bool, labels_only: bool) -> NodeReader:
    """The :data:`NodeReader` for a read sending ``text`` / ``labels_only`` nodes."""
    if labels_only:
        return node_from_labels
    return lambda _, stored: node_from_columns(*stored, text)


_EMPTY_PAGE = EdgePage(edges=[], total_count=0, end_cursor=None, has_next_page=False)


def _edge(
    rel_type: RelType,
    out: bool,
    node_id: str,
    other: str,
    stored_rel: Sequence[Sequence[Any]],
    stored_node: Sequence[Any],
    read: NodeReader,
    nodes: dict[str, Node] | None = None,
) -> Edge:
    """One edge of ``node_id`` as a neighbour read sends it; ``nodes`` shares one
    :class:`Node` between the edges reaching the same other node."""
    node = nodes.get(other) if nodes is not None else None
    if node is None:
        node = read(other, stored_node)
        if nodes is not None:
            nodes[other] = node
    start, end = (node_id, other) if out else (other, node_id)
    # The statements already leave out internal properties: only the key order to make.
    props = props_from_columns(*stored_rel)
    return Edge(rel=Relationship(rel_type, start, end, props), node=node)


def _page(
    rel_type: RelType,
    out: bool,
    node_id: str,
    total: int,
    items: Sequence[Sequence[Any]],
    first: int,
    read: NodeReader,
) -> EdgePage:
    """One page of ``node_id``'s edges as a page read sends it (``first + 1`` items at
    most: one more than the page says whether another follows)."""
    edges = [
        _edge(rel_type, out, node_id, other, stored_rel, stored_node, read)
        for other, stored_rel, stored_node in items[:first]
    ]
    return EdgePage(
        edges=edges,
        total_count=total,
        end_cursor=encode_cursor(edges[-1].node.id) if edges else None,
        has_next_page=len(items) > first,
    )


def _with_nodes(hits: Sequence[SearchHit], found: Mapping[str, Node]) -> list[SearchHit]:
    """``hits`` (ranked on light nodes) with their full nodes; a hit whose node is gone
    (removed since the ranking) is left out."""
    return [
        SearchHit(
            node=found[hit.node.id],
            score=hit.score,
            matched_label=hit.matched_label,
            matched_lang=hit.matched_lang,
        )
        for hit in hits
        if hit.node.id in found
    ]


class _LoadPlan:
    """The rows of a (validated) dataset as the load statements take them, by type."""

    def __init__(self, dataset: Dataset) -> None:
        self.node_rows: dict[NodeType, list[dict[str, Any]]] = defaultdict(list)
        for node in unique_nodes(dataset).values():
            self.node_rows[NodeType(node.type)].append({"id": node.id, "props": node_props(node)})
        rels = unique_relationships(dataset)
        self.rel_keys: set[tuple[str, str, str]] = set(rels)
        self.rel_rows: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        shared: dict[tuple[Any, ...], dict[str, Any]] = {}  # most edges share a few prop sets
        for (type_name, start, end), rel in rels.items():
            key = tuple((k, type(v), v) for k, v in rel.props.items())
            props = shared.get(key)
            if props is None:
                props = shared[key] = rel_props(rel, dataset.source)
            self.rel_rows[RelType(type_name)].append({"start": start, "end": end, "props": props})


class _Loader:
    """The work of one load inside its write transaction (re-run whole on a retry).

    It reads what the store holds of the dataset first (types and fingerprints), validates,
    then sends only the rows that are new or changed, each batch with ``UNWIND $rows …
    MERGE``: a reload of identical data reads but writes nothing.
    """

    def __init__(
        self,
        cypher: Statements,
        dataset: Dataset,
        replace: bool,
        notify: ProgressCallback,
    ) -> None:
        self.cypher, self.dataset = cypher, dataset
        self.replace, self.notify = replace, notify
        self.node_ids = {n.id for n in dataset.nodes}
        self.lookup_ids = sorted(ids_to_look_up(dataset))
        self.plan: _LoadPlan | None = None  # kept if the driver retries the transaction
        self.changes = history.ChangeCounter()
        self.owners: list[str] = []  # the sources whose items a replace may remove
        self.counts = dict.fromkeys(
            ("nodes_written", "relationships_written", "nodes_removed", "relationships_removed"),
            0,
        )

    async def _single(self, tx: AsyncManagedTransaction, query: str, **params: Any) -> Any:
        result = await tx.run(query, params)
        return await result.single(strict=True)

    async def run(self, tx: AsyncManagedTransaction) -> dict[str, int]:
        cypher, source = self.cypher, self.dataset.source
        started = time.time()
        self.counts = dict.fromkeys(self.counts, 0)
        self.changes = history.ChangeCounter()
        removed_nodes: list[str] = []
        if self.replace:
            held_sources = (await self._single(tx, cypher["held_sources"]))["sources"]
            self.owners = [source, *history.other_releases(source, held_sources)]
            held = await self._single(tx, cypher["source_node_ids"], sources=self.owners)
            removed_types = {i: t for i, t in held["nodes"] if i not in self.node_ids}
            removed_nodes = sorted(removed_types)
            for type_name in removed_types.values():
                self.changes.add("node", type_name, "removed")
        removed = set(removed_nodes)
        # id -> (type, fingerprint, format) of what the store holds among the dataset's ids.
        # Nodes this load removes do not count as present for the dataset's relationships.
        stored: dict[str, tuple[str, str | None, int | None]] = {}
        stored_source: dict[str, str] = {}
        for ids in _chunks(self.lookup_ids, BATCH * 4):
            found = (await self._single(tx, cypher["stored_nodes"], ids=ids))["nodes"]
            for node_id, type_name, fp, format_, node_source in found:
                if node_id not in removed:
                    stored[node_id] = (type_name, fp, format_)
                    stored_source[node_id] = node_source
        types = {i: NodeType(t) for i, (t, _, _) in stored.items()}
        # Validation and row building are CPU work on the whole dataset: off the event loop.
        await asyncio.to_thread(validate_dataset, self.dataset, types, self.notify)
        if self.plan is None:
            self.plan = await asyncio.to_thread(_LoadPlan, self.dataset)
        plan = self.plan

        node_writes = {
            type_: [row for row in rows if _differs(stored.get(row["id"]), row["props"])]
            for type_, rows in plan.node_rows.items()
        }
        for type_, rows in node_writes.items():
            for row in rows:
                what = _node_change(stored.get(row["id"]), stored_source.get(row["id"]), row)
                if what:
                    self.changes.add("node", type_, what)
        await self._write_nodes(tx, node_writes, removed_nodes)
        rel_writes = await self._changed_relationships(tx, plan, stored)
        stale = await self._stale_relationships(tx, plan) if self.replace else {}
        total = sum(map(len, rel_writes.values())) + sum(map(len, stale.values()))
        self.notify("relationships", 0, total)
        done = await self._delete_relationships(tx, stale, total)
        await self._write_relationships(tx, rel_writes, done, total)

        if any(self.counts.values()):
            bumped = await self._single(tx, cypher["bump_version"], nonce=secrets.token_hex(4))
            version = bumped["version"]
            info = {
                "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "nodes_in_dataset": len(self.dataset.nodes),
                "relationships_in_dataset": len(self.dataset.relationships),
                "warnings": len(self.dataset.warnings),
                **self.counts,
            }
            await (await tx.run(cypher["record_source"], source=source, info=info)).consume()
        else:
            version = (await self._single(tx, cypher["version"]))["version"]
        record = history.dataset_record(
            self.dataset, started, self.changes.changes(), version, self.replace
        )
        await (await tx.run(cypher["record_load"], source=source, info=record)).consume()
        return dict(self.counts)

    async def _write_nodes(
        self,
        tx: AsyncManagedTransaction,
        writes: Mapping[NodeType, list[dict[str, Any]]],
        removed_nodes: list[str],
    ) -> None:
        total = sum(map(len, writes.values())) + len(removed_nodes)
        done = 0
        self.notify("nodes", 0, total)
        for type_ in NodeType:
            query = self.cypher.render("merge_nodes", label=type_)
            for rows in _chunks(writes.get(type_, []), BATCH):
                row = await self._single(tx, query, rows=rows)
                self.counts["nodes_written"] += row["written"]
                done += len(rows)
                self.notify("nodes", done, total)
        for ids in _chunks(removed_nodes, BATCH):
            row = await self._single(tx, self.cypher["delete_node_relationships"], ids=ids)
            for rel_type, n in row["removed"]:
                self.counts["relationships_removed"] += n
                self.changes.add("relationship", rel_type, "removed", n)
            row = await self._single(tx, self.cypher["delete_nodes"], ids=ids)
            self.counts["nodes_removed"] += row["removed"]
            done += len(ids)
            self.notify("nodes", done, total)

    async def _changed_relationships(
        self,
        tx: AsyncManagedTransaction,
        plan: _LoadPlan,
        stored: Mapping[str, tuple[str, str | None, int | None]],
    ) -> dict[RelType, list[dict[str, Any]]]:
        """The dataset's relationships that are new or differ from the stored ones. Only
        edges between nodes that were already there can exist; their fingerprints are read."""
        writes: dict[RelType, list[dict[str, Any]]] = {}
        for rel_type, rows in plan.rel_rows.items():
            old = [r for r in rows if r["start"] in stored and r["end"] in stored]
            held: dict[tuple[str, str], str | None] = {}
            query = self.cypher.render("stored_relationships", rel=rel_type)
            held_source: dict[tuple[str, str], str | None] = {}
            for batch in _chunks(old, BATCH * 4):
                pairs = [{"start": r["start"], "end": r["end"]} for r in batch]
                found = (await self._single(tx, query, rows=pairs))["relationships"]
                held.update(((start, end), fp) for start, end, fp, _ in found)
                held_source.update(((start, end), src) for start, end, _, src in found)
            writes[rel_type] = [
                r for r in rows if held.get((r["start"], r["end"]), "") != r["props"]["_fp"]
            ]
            for r in writes[rel_type]:
                key = (r["start"], r["end"])
                if key not in held:
                    what = "added"
                else:
                    same = _with_source(r["props"], "_source", held_source[key])
                    what = "taken_over" if same == held[key] else "updated"
                self.changes.add("relationship", rel_type, what)
        return writes

    async def _stale_relationships(
        self, tx: AsyncManagedTransaction, plan: _LoadPlan
    ) -> dict[RelType, list[dict[str, str]]]:
        """Relationships the source wrote before and the dataset no longer has."""
        held = await self._single(tx, self.cypher["source_relationship_keys"], sources=self.owners)
        stale: dict[RelType, list[dict[str, str]]] = defaultdict(list)
        for type_name, start, end in held["keys"]:
            if (type_name, start, end) in plan.rel_keys:
                continue
            try:
                rel_type = RelType(type_name)
            except ValueError:
                continue  # not one of ours (written by another tool): left alone
            stale[rel_type].append({"start": start, "end": end})
        return stale

    async def _delete_relationships(
        self,
        tx: AsyncManagedTransaction,
        stale: Mapping[RelType, list[dict[str, str]]],
        total: int,
    ) -> int:
        done = 0
        for rel_type, rows_of_type in stale.items():
            query = self.cypher.render("delete_relationships", rel=rel_type)
            for rows in _chunks(rows_of_type, BATCH):
                row = await self._single(tx, query, rows=rows)
                self.counts["relationships_removed"] += row["removed"]
                self.changes.add("relationship", rel_type, "removed", row["removed"])
                done += len(rows)
                self.notify("relationships", done, total)
        return done

    async def _write_relationships(
        self,
        tx: AsyncManagedTransaction,
        writes: Mapping[RelType, list[dict[str, Any]]],
        done: int,
        total: int,
    ) -> None:
        for rel_type in RelType:
            query = self.cypher.render("merge_relationships", rel=rel_type)
            for rows in _chunks(writes.get(rel_type, []), BATCH):
                row = await self._single(tx, query, rows=rows)
                if row["matched"] != len(rows):
                    # Validation checked every end exists; a mismatch means the graph
                    # changed under us. Raising rolls the whole load back.
                    raise LoadError(
                        f"{self.dataset.source}: {len(rows) - row['matched']} "
                        f"{rel_type.value} relationship(s) lost an end node during the load; "
                        "nothing was written"
                    )
                self.counts["relationships_written"] += row["written"]
                done += len(rows)
                self.notify("relationships", done, total)


def _with_source(props: Mapping[str, Any], key: str, source: str | None) -> str:
    """The fingerprint ``props`` would have with ``source`` as their source (``key``)."""
    content = {k: v for k, v in props.items() if k not in _DERIVED}
    content[key] = source
    return fingerprint(content)


_DERIVED = frozenset({"_fp", "_filter", "_index_text", "_format"})


def _node_change(
    stored: tuple[str, str | None, int | None] | None,
    stored_source: str | None,
    row: Mapping[str, Any],
) -> str | None:
    """How the history counts a node row that is sent: ``added``, ``updated``,
    ``taken_over`` (same content, another source), or ``None`` (only its derived search
    properties are refreshed)."""
    if stored is None:
        return "added"
    if stored[1] == row["props"]["_fp"]:
        return None
    if _with_source(row["props"], "source", stored_source) == stored[1]:
        return "taken_over"
    return "updated"


def _differs(stored: tuple[str, str | None, int | None] | None, props: Mapping[str, Any]) -> bool:
    """Whether a node row must be sent: new, changed, or stored in an older format."""
    return stored is None or stored[1] != props["_fp"] or stored[2] != props["_format"]


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
