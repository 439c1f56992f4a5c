"""Lookups of concurrent callers merged into one statement (``MergedReads``): each caller
gets exactly its own part, failures reach every caller, a caller that gives up does not
stop the others. The statement here is a stand-in that records what it was asked."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from cartonet.store.neo4j_merge import MergedReads


class Statement:
    """Answers ``[position, id, id.upper()]`` for every id it knows (not ``"gone"``)."""

    def __init__(self, fail: Exception | None = None, delay: float = 0.0) -> None:
        self.calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        self.fail, self.delay = fail, delay

    async def __call__(self, name: str, params: Mapping[str, Any], **render: Any) -> Any:
        self.calls.append((name, dict(params), render))
        await asyncio.sleep(self.delay)
        if self.fail is not None:
            raise self.fail
        ids = params["ids"]
        return {"rows": [[at, i, i.upper()] for at, i in enumerate(ids) if i != "gone"]}


async def test_callers_of_one_tick_share_a_statement_and_get_their_own_part() -> None:
    run = Statement()
    merged = MergedReads(run)
    asked = [["a", "b"], ["b", "gone", "c"], ["a"]]
    parts = await asyncio.gather(*(merged.read("s", {"x": 1}, ids, "rows") for ids in asked))
    assert len(run.calls) == 1 and merged.statements == 1 and merged.lookups == 3
    assert run.calls[0][1] == {"x": 1, "ids": ["a", "b", "b", "gone", "c", "a"]}
    # positions rebased on each caller's ids; the id another caller asked too is its own
    assert parts == [
        [[0, "a", "A"], [1, "b", "B"]],
        [[0, "b", "B"], [2, "c", "C"]],
        [[0, "a", "A"]],
    ]


async def test_other_parameters_or_statements_are_not_merged() -> None:
    run = Statement()
    merged = MergedReads(run)
    await asyncio.gather(
        merged.read("s", {"x": 1}, ["a"], "rows"),
        merged.read("s", {"x": 2}, ["a"], "rows"),
        merged.read("t", {"x": 1}, ["a"], "rows"),
        merged.read("s", {"x": 1}, ["a"], "rows", rel="R"),
        merged.read("s", {"x": 1}, ["b"], "rows"),
    )
    assert len(run.calls) == 4
    assert sorted(len(c[1]["ids"]) for c in run.calls) == [1, 1, 1, 2]


async def test_a_later_tick_runs_its_own_statement() -> None:
    run = Statement()
    merged = MergedReads(run)
    assert await merged.read("s", {}, ["a"], "rows") == [[0, "a", "A"]]
    assert await merged.read("s", {}, ["b"], "rows") == [[0, "b", "B"]]
    assert [c[1]["ids"] for c in run.calls] == [["a"], ["b"]]


async def test_a_statement_carries_at_most_max_ids() -> None:
    run = Statement()
    merged = MergedReads(run, max_ids=3)
    reads = [merged.read("s", {}, [f"i{n}", f"j{n}"], "rows") for n in range(4)]
    parts = await asyncio.gather(*reads)
    assert [len(c[1]["ids"]) for c in run.calls] == [2, 2, 2, 2]  # 2 + 2 > 3: one each
    assert parts[3] == [[0, "i3", "I3"], [1, "j3", "J3"]]


async def test_a_failed_statement_fails_every_caller() -> None:
    merged = MergedReads(Statement(fail=RuntimeError("server gone")))
    results = await asyncio.gather(
        merged.read("s", {}, ["a"], "rows"),
        merged.read("s", {}, ["b"], "rows"),
        return_exceptions=True,
    )
    assert [str(r) for r in results] == ["server gone", "server gone"]


async def test_a_caller_giving_up_does_not_stop_the_others() -> None:
    run = Statement(delay=0.05)
    merged = MergedReads(run)
    impatient = asyncio.ensure_future(merged.read("s", {}, ["a"], "rows"))
    patient = asyncio.ensure_future(merged.read("s", {}, ["b"], "rows"))
    await asyncio.sleep(0.01)
    impatient.cancel()
    assert await patient == [[0, "b", "B"]]
    with pytest.raises(asyncio.CancelledError):
        await impatient
    assert len(run.calls) == 1
