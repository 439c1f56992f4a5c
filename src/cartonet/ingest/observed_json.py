"""The ``cartonet-observed`` JSON format: observed mobility as ``cartonet export`` writes
it beside a graph export and ``cartonet load observed`` reads it back.

Observed moves are kept beside the graph (one per employment area, where a relationship
is one per start and end: :mod:`cartonet.store.observed`), so they travel in a file of
their own::

    {"format": "cartonet-observed", "version": 1, "sources": [
      {"source": "lbb-2021",
       "moves": [["101", "rome:C1202", "rome:M1805", 0.9509598], ...],
       "communes": {"97102": "102", ...}}
    ]}

A move is ``[area, start occupation id, end occupation id, score]`` with a score in
(0, 1]; ``communes`` maps an INSEE code to its area. The reader checks every item and
names a bad one by its JSON path (``sources[0].moves[3][3]: ...``); the store refuses
moves naming occupations it lacks (load the graph first).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cartonet.errors import DataError, LoadError
from cartonet.ingest.jsonfmt import _load, _twice
from cartonet.ingest.textcheck import text_problem
from cartonet.model import ObservedMobility, ObservedMove

FORMAT = "cartonet-observed"
VERSION = 1
_SOURCE_KEYS = frozenset({"source", "moves", "communes"})


def dumps_observed(items: Sequence[ObservedMobility]) -> str:
    """The file's text: one move per line, deterministic."""

    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    parts = []
    for data in items:
        moves = ",\n".join(f"  {line([m.area or '', m.start, m.end, m.score])}" for m in data.moves)
        communes = line(dict(sorted(data.communes.items())))
        parts.append(
            f'{{"source": {line(data.source)},\n"moves": [\n{moves}\n],\n"communes": {communes}}}'
        )
    head = f'{{"format": "{FORMAT}", "version": {VERSION}, "sources": [\n'
    return head + ",\n".join(parts) + "\n]}\n"


def write_observed_json(items: Sequence[ObservedMobility], path: Path) -> None:
    Path(path).write_text(dumps_observed(items), encoding="utf-8")


def read_observed_json(path: Path) -> list[ObservedMobility]:
    """Read a ``cartonet-observed`` file (``.json``, or gzip whatever the name).

    Raises :class:`LoadError` naming the file and the JSON path of every bad item (the
    first 20), or the reason the whole file is unreadable.

    Example
    -------
    >>> [d.source for d in read_observed_json(Path("graph.observed.json"))]  # doctest: +SKIP
    ['lbb-2021']
    """
    path = Path(path)
    name = str(path)
    doc = _load(path)
    problems: list[str] = []

    def bad(where: str, reason: str) -> None:
        problems.append(str(DataError(name, None, f"{where}: {reason}")))

    def top(reason: str) -> LoadError:
        return LoadError(f"{name}: not a {FORMAT} file", [DataError(name, None, reason)])

    if not isinstance(doc, dict):
        raise top("the top level is not an object")
    if _twice(doc):
        raise top(f"key {', '.join(_twice(doc))} appears twice")
    if doc.get("format") != FORMAT:
        raise top(f"format: expected '{FORMAT}', got {doc.get('format')!r}")
    if doc.get("version") != VERSION:
        raise top(f"version: expected {VERSION}, got {doc.get('version')!r}")
    if set(doc) - {"format", "version", "sources"}:
        raise top(f"unknown keys {', '.join(sorted(set(doc) - {'format', 'version', 'sources'}))}")
    sources = doc.get("sources")
    if not isinstance(sources, list):
        raise top("sources: a list is expected")

    out: list[ObservedMobility] = []
    seen_sources: set[str] = set()
    for i, item in enumerate(sources):
        where = f"sources[{i}]"
        if not isinstance(item, dict) or _twice(item) or set(item) != _SOURCE_KEYS:
            bad(where, "an object with exactly source, moves and communes is expected")
            continue
        source = item["source"]
        problem = (
            "a non-empty string is expected"
            if not isinstance(source, str) or not source.strip()
            else text_problem(source, "source", one_line=True)
        )
        if problem is None and source in seen_sources:
            problem = f"{source!r} appears twice"
        if problem:
            bad(f"{where}.source", problem)
            continue
        seen_sources.add(source)
        data = ObservedMobility(source)
        moves, communes = item["moves"], item["communes"]
        if not isinstance(moves, list):
            bad(f"{where}.moves", "a list is expected")
            moves = []
        keys: set[tuple[str, str, str]] = set()
        for j, move in enumerate(moves):
            at = f"{where}.moves[{j}]"
            reason = _move_problem(move)
            if reason is None and (move[0], move[1], move[2]) in keys:
                reason = "appears twice (same area, start and end)"
            if reason:
                bad(at, reason)
                continue
            keys.add((move[0], move[1], move[2]))
            data.moves.append(ObservedMove(move[1], move[2], float(move[3]), move[0]))
        if not isinstance(communes, dict) or _twice(communes):
            bad(f"{where}.communes", "an object of INSEE code → area (each code once)")
            communes = {}
        for commune, area in communes.items():
            reason = _text_problem(commune, "commune") or _text_problem(area, "area")
            if reason:
                bad(f"{where}.communes.{commune}", reason)
            else:
                data.communes[commune] = area
        out.append(data)
    if problems:
        raise LoadError(f"observed mobility from {name} refused, nothing was written", problems)
    return out


def _text_problem(value: Any, what: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{what}: a non-empty string is expected"
    return text_problem(value, what, one_line=True)


def _move_problem(move: Any) -> str | None:
    if not isinstance(move, list) or len(move) != 4:
        return "[area, start, end, score] is expected"
    for value, what in zip(move[:3], ("area", "start", "end"), strict=True):
        if reason := _text_problem(value, what):
            return reason
    score = move[3]
    if isinstance(score, bool) or not isinstance(score, int | float):
        return "score: a number is expected"
    if not math.isfinite(score) or not 0 < score <= 1:
        return f"score: must be in (0, 1], got {score}"
    return None
