"""Lookups of concurrent requests merged into one statement.

On Neo4j most of a small read's cost is per statement, not per id: about 0.3 ms of the
driver's CPU in this process (session, pool, Bolt messages) and about 0.4 ms of the
server's, whether the statement looks up one id or fifty. Requests served at the same
time mostly ask the same kinds of lookups (an occupation and its skills, a skill and a
page of its occupations) for different ids, so :class:`MergedReads` runs the lookups that
arrive in the same event-loop tick with the same statement and the same other
parameters as one statement over all their ids, and hands each caller its own part.

Nothing is shared between callers but the round trip: each caller's ids stay in the
statement as it sent them (a caller asking what another asks gets its own copy of the
answer, computed by the server again), so an answer never depends on what else was
asked. The statement must take the positions of ``$ids`` (``UNWIND range(0, size($ids) -
1) AS at``) and return, in ``field``, entries whose first item is that position.
"""

from __future__ import annotations

import asyncio
import bisect
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MERGE_IDS = 500
"""Most ids one merged statement carries; a caller arriving over it starts the next."""

Run = Callable[..., Awaitable[Mapping[str, Any]]]
"""``run(name, params, **render)``: the statement's one record (``Neo4jStore._record``)."""


@dataclass
class _Batch:
    """One statement being gathered: what it runs, the ids so far, and per caller the
    positions of its ids and the future it waits on."""

    key: str
    name: str
    params: Mapping[str, Any]
    entries: str  # the record's field holding the entries
    render: Mapping[str, Any]
    ids: list[str] = field(default_factory=list)
    callers: list[tuple[int, int, asyncio.Future[list[Any]]]] = field(default_factory=list)


class MergedReads:
    """Merges lookups by id of one store (see the module docstring)."""

    def __init__(self, run: Run, max_ids: int = MERGE_IDS) -> None:
        self._run, self._max_ids = run, max_ids
        self._open: dict[str, _Batch] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.statements = 0  # statements run, for tests and figures
        self.lookups = 0  # callers served

    async def read(
        self, name: str, params: Mapping[str, Any], ids: Sequence[str], field_: str, **render: Any
    ) -> list[Any]:
        """The entries of ``field_`` for ``ids`` (each entry's position rebased on
        ``ids``), from a statement ``name`` over ``params`` and ``ids`` that may carry
        other callers' ids too."""
        key = json.dumps([name, field_, repr(render), params], sort_keys=True, default=repr)
        loop = asyncio.get_running_loop()
        batch = self._open.get(key)
        if batch is None or len(batch.ids) + len(ids) > self._max_ids:
            batch = _Batch(key, name, params, field_, render)
            self._open[key] = batch
            # once every request of this loop tick has asked: run what they asked
            loop.call_soon(self._start, batch)
        start = len(batch.ids)
        batch.ids.extend(ids)
        future: asyncio.Future[list[Any]] = loop.create_future()
        batch.callers.append((start, len(batch.ids), future))
        self.lookups += 1
        return await future

    def _start(self, batch: _Batch) -> None:
        if self._open.get(batch.key) is batch:
            del self._open[batch.key]
        # its own task: a caller that gives up (a request's time ran out) cancels its
        # wait, never the statement the others wait for
        task = asyncio.ensure_future(self._statement(batch))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _statement(self, batch: _Batch) -> None:
        self.statements += 1
        try:
            found = await self._run(batch.name, {**batch.params, "ids": batch.ids}, **batch.render)
        except BaseException as exc:
            for _, _, future in batch.callers:
                if future.done():
                    continue
                if isinstance(exc, asyncio.CancelledError):
                    future.cancel()
                else:
                    future.set_exception(exc)
            if isinstance(exc, Exception):
                return
            raise
        parts: list[list[Any]] = [[] for _ in batch.callers]
        bounds = [start for start, _, _ in batch.callers]
        for entry in found[batch.entries]:
            at = entry[0]
            caller = bisect.bisect_right(bounds, at) - 1
            parts[caller].append([at - bounds[caller], *entry[1:]])
        for (_, _, future), part in zip(batch.callers, parts, strict=True):
            if not future.done():
                future.set_result(part)
