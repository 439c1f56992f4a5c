"""Observed mobility beside the graph: the rules both stores share, and the embedded
store's tables.

Observed moves (:class:`~cartonet.model.ObservedMove`) are one per (area, start, end), so
they are not relationships of the graph (one per (type, start, end)). Each store keeps them
in a table of its own — SQLite tables ``observed_moves`` and ``observed_communes`` in the
embedded file, ``(:ObservedMove)`` and ``(:AreaCommune)`` nodes (without the ``:Node``
label, so no graph read sees them) in Neo4j — and answers the same reads:

* by area: the moves of that area, ``score`` as loaded;
* merged (no area): one move per (start, end), ``score`` the mean over the areas that
  observed it (rounded to :data:`SCORE_DIGITS` digits, so both stores agree to the last
  digit), ``areas`` their number;

each list sorted by score (highest first), then end id, and keeping only moves whose end
is still an occupation of the graph. A load replaces everything the source brought
before, in one transaction, and moves the graph version only when something changed
(compared by :func:`fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from cartonet.errors import LoadError
from cartonet.model import ObservedMobility, ObservedMove

SCORE_DIGITS = 6

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS observed_moves (source TEXT NOT NULL, area TEXT NOT NULL, "
    "start_id TEXT NOT NULL, end_id TEXT NOT NULL, score REAL NOT NULL, "
    "PRIMARY KEY (area, start_id, end_id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS observed_moves_start ON observed_moves(start_id)",
    "CREATE TABLE IF NOT EXISTS observed_communes (commune TEXT PRIMARY KEY, "
    "area TEXT NOT NULL, source TEXT NOT NULL) WITHOUT ROWID",
)


def fingerprint(data: ObservedMobility) -> str:
    """A digest of the moves and communes: equal digests, nothing to write."""
    h = hashlib.sha256()
    for m in sorted(data.moves, key=lambda m: (m.area or "", m.start, m.end)):
        h.update(f"{m.area}\t{m.start}\t{m.end}\t{m.score!r}\n".encode())
    h.update(json.dumps(sorted(data.communes.items())).encode())
    return h.hexdigest()


def check_observed(data: ObservedMobility, occupations: Iterable[str]) -> None:
    """Raise :class:`LoadError` when a move names an occupation the store lacks."""
    known = set(occupations)
    missing: dict[str, int] = {}
    for move in data.moves:
        for node_id in (move.start, move.end):
            if node_id not in known:
                missing[node_id] = missing.get(node_id, 0) + 1
    if missing:
        raise LoadError(
            f"{data.source}: observed mobility refused, nothing was written "
            f"({len(missing)} occupations are not in the store; load ROME first)",
            [
                f"{i}: named by {n} moves, not an occupation of the store"
                for i, n in sorted(missing.items())
            ],
        )


def ordered(moves: Iterable[ObservedMove]) -> list[ObservedMove]:
    """Moves in the order every read returns them: highest score first, then end id."""
    return sorted(moves, key=lambda m: (-m.score, m.end, m.area or ""))


# -- the embedded store's tables ---------------------------------------------------------


def has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='observed_moves'"
    ).fetchone()
    return row is not None


def read_source(
    conn: sqlite3.Connection, source: str
) -> tuple[dict[tuple[str, str, str], float], dict[str, str]]:
    """The moves ((area, start, end) → score) and communes (→ area) ``source`` holds."""
    if not has_tables(conn):
        return {}, {}
    moves = {
        (area, start, end): score
        for area, start, end, score in conn.execute(
            "SELECT area, start_id, end_id, score FROM observed_moves WHERE source = ?", (source,)
        )
    }
    communes = dict(
        conn.execute("SELECT commune, area FROM observed_communes WHERE source = ?", (source,))
    )
    return moves, communes


def write(conn: sqlite3.Connection, data: ObservedMobility) -> None:
    """Replace the source's moves and communes (inside the caller's transaction)."""
    for statement in SCHEMA:
        conn.execute(statement)
    conn.execute("DELETE FROM observed_moves WHERE source = ?", (data.source,))
    conn.execute("DELETE FROM observed_communes WHERE source = ?", (data.source,))
    conn.executemany(
        "INSERT OR REPLACE INTO observed_moves(source, area, start_id, end_id, score) "
        "VALUES (?, ?, ?, ?, ?)",
        [(data.source, m.area or "", m.start, m.end, m.score) for m in data.moves],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO observed_communes(commune, area, source) VALUES (?, ?, ?)",
        [(c, a, data.source) for c, a in data.communes.items()],
    )


def collect(
    ids: Sequence[str], rows: Iterable[tuple[str, str, float, str]], area: str | None
) -> dict[str, list[ObservedMove]]:
    """The answer of :meth:`~cartonet.store.base.Store.observed_moves` from raw
    ``(start, end, score, area)`` rows (of that area when ``area`` is given), whose end is
    known to be an occupation: both stores fetch the rows, this merges and orders them."""
    out: dict[str, list[ObservedMove]] = {i: [] for i in ids}
    if area is not None:
        for start, end, score, row_area in rows:
            if start in out:
                out[start].append(ObservedMove(start, end, score, row_area, 1))
    else:
        scores: dict[tuple[str, str], list[float]] = {}
        for start, end, score, _ in rows:
            if start in out:
                scores.setdefault((start, end), []).append(score)
        for (start, end), values in scores.items():
            # fsum: the mean does not depend on the order the rows come in
            mean = round(math.fsum(values) / len(values), SCORE_DIGITS)
            out[start].append(ObservedMove(start, end, mean, None, len(values)))
    return {i: ordered(moves) for i, moves in out.items()}


def read_rows(
    conn: sqlite3.Connection, ids: Sequence[str], area: str | None
) -> list[tuple[str, str, float, str]]:
    """Raw ``(start, end, score, area)`` rows of the embedded tables from ``ids``."""
    if not ids or not has_tables(conn):
        return []
    rows: list[tuple[str, str, float, str]] = []
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        marks = ",".join("?" * len(chunk))
        where = f"start_id IN ({marks})" + (" AND area = ?" if area is not None else "")
        params = [*chunk, area] if area is not None else chunk
        rows += conn.execute(
            f"SELECT start_id, end_id, score, area FROM observed_moves WHERE {where}",
            params,
        ).fetchall()
    return rows


def gather(
    moves: Iterable[Sequence[Any]], communes: Iterable[Sequence[Any]]
) -> list[ObservedMobility]:
    """What :meth:`~cartonet.store.base.Store.export_observed` answers, from raw
    ``(source, area, start, end, score)`` and ``(source, commune, area)`` rows: one
    :class:`ObservedMobility` per source (sorted), moves by (area, start, end), communes by
    code. Both stores fetch the rows, this orders them."""
    by_source: dict[str, ObservedMobility] = {}
    for source, area, start, end, score in sorted(moves, key=lambda r: tuple(map(str, r[:4]))):
        data = by_source.setdefault(str(source), ObservedMobility(str(source)))
        data.moves.append(ObservedMove(str(start), str(end), float(score), str(area)))
    for source, commune, area in sorted(communes, key=lambda r: (str(r[0]), str(r[1]))):
        data = by_source.setdefault(str(source), ObservedMobility(str(source)))
        data.communes[str(commune)] = str(area)
    return [by_source[s] for s in sorted(by_source)]


def read_all(conn: sqlite3.Connection) -> list[ObservedMobility]:
    """Every source's moves and communes in the embedded tables (:func:`gather`)."""
    if not has_tables(conn):
        return []
    moves = conn.execute("SELECT source, area, start_id, end_id, score FROM observed_moves")
    communes = conn.execute("SELECT source, commune, area FROM observed_communes")
    return gather(moves.fetchall(), communes.fetchall())


def read_area(conn: sqlite3.Connection, commune: str) -> str | None:
    if not has_tables(conn):
        return None
    row = conn.execute(
        "SELECT area FROM observed_communes WHERE commune = ?", (commune,)
    ).fetchone()
    return row[0] if row else None


def read_areas(conn: sqlite3.Connection) -> list[str]:
    """Every area that has moves, sorted."""
    if not has_tables(conn):
        return []
    return [r[0] for r in conn.execute("SELECT DISTINCT area FROM observed_moves ORDER BY area")]
