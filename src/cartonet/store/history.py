"""Load history: what each load brought, kept the same way by both stores.

Every load that commits (also one that changed nothing) leaves a record: the source and
its release, the SHA-256 of the files read, the dataset's items per type, what changed
per type (added, updated, removed, taken over from an earlier release), read and write
seconds, the start time and the graph version after it. The embedded store keeps the
records in its ``loads`` table, Neo4j in ``:CartonetLoad`` nodes (without the ``:Node``
label, so no graph read sees them; ``cypher/history.cypher``). Both keep ``(seq, source,
info)`` with ``info`` the JSON text :func:`record_info` builds, and read it back with
:func:`record_from`, so they answer the same.

Releases. A source name ending in ``-<release>`` (``esco-v1.1.1``, ``rome-v333``,
``onet-29.3``, ``lbb-2021``: a release starts with a digit or ``v`` and a digit) belongs to
the family before it. A load with ``replace`` also removes what *other releases of the
same family* hold and the new release no longer has (:func:`other_releases`), so loading
``esco-v1.2`` over ``esco-v1.1.1`` leaves exactly ESCO v1.2 and never touches other sources.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cartonet.model import Dataset, LoadRecord, ObservedMobility, TypeChange

__all__ = [
    "ChangeCounter",
    "dataset_counts",
    "dataset_record",
    "observed_changes",
    "observed_counts",
    "observed_record",
    "other_releases",
    "record_from",
    "record_info",
    "split_source",
]

_RELEASE = re.compile(r"^(?P<family>.+?)-(?P<release>v?\d[\w.]*)$")
_KINDS = ("node", "relationship", "observed")
_FIELDS = ("added", "updated", "removed", "taken_over")


def split_source(source: str) -> tuple[str, str | None]:
    """``(family, release)`` of a source name; ``(source, None)`` when it names no release.

    >>> split_source("esco-v1.1.1"), split_source("onet-29.3"), split_source("crosswalk-esco-onet")
    (('esco', 'v1.1.1'), ('onet', '29.3'), ('crosswalk-esco-onet', None))
    """
    match = _RELEASE.match(source)
    return (match["family"], match["release"]) if match else (source, None)


def other_releases(source: str, held: Iterable[str]) -> list[str]:
    """The sources among ``held`` that are other releases of ``source``'s family (none when
    ``source`` names no release), sorted."""
    family, release = split_source(source)
    if release is None:
        return []
    return sorted(
        {s for s in held if s != source and split_source(s)[1] and split_source(s)[0] == family}
    )


class ChangeCounter:
    """Counts of added / updated / removed / taken-over items per (kind, type). ``add`` is
    called once per changed item of a load: one dict update, nothing more."""

    def __init__(self) -> None:
        self._counts: defaultdict[tuple[str, str, str], int] = defaultdict(int)

    def add(self, kind: str, type_: str, what: str, n: int = 1) -> None:
        self._counts[(kind, type_, what)] += n

    def changes(self) -> tuple[TypeChange, ...]:
        """The changes, nodes first, then relationships, then observed rows, each by type
        (enum members and their values count as one type)."""
        merged: dict[tuple[str, str], dict[str, int]] = {}
        for (kind, type_, what), n in self._counts.items():
            if n:
                row = merged.setdefault((kind, str(type_)), dict.fromkeys(_FIELDS, 0))
                row[what] += n
        keys = sorted(merged, key=lambda k: (_KINDS.index(k[0]), k[1]))
        return tuple(TypeChange(kind, type_, **merged[(kind, type_)]) for kind, type_ in keys)


def dataset_counts(dataset: Dataset) -> dict[str, int]:
    """The dataset's distinct nodes per type and relationships per type."""
    nodes = Counter(str(n.type) for n in {n.id: n for n in dataset.nodes}.values())
    rels = Counter(str(t) for t, _, _ in {r.key for r in dataset.relationships})
    return dict(sorted(nodes.items())) | dict(sorted(rels.items()))


def observed_counts(data: ObservedMobility) -> dict[str, int]:
    return {"AreaCommune": len(data.communes), "ObservedMove": len(data.moves)}


def observed_changes(
    old_moves: Mapping[tuple[str, str, str], float],
    old_communes: Mapping[str, str],
    data: ObservedMobility,
) -> tuple[TypeChange, ...]:
    """What replacing a source's observed rows (``old_*``, keyed by (area, start, end) and
    by commune) with ``data`` changes."""
    counter = ChangeCounter()
    new_moves = {(m.area or "", m.start, m.end): m.score for m in data.moves}
    for key, score in new_moves.items():
        old = old_moves.get(key)
        counter.add("observed", "ObservedMove", "added" if old is None else "updated", old != score)
    counter.add("observed", "ObservedMove", "removed", len(old_moves.keys() - new_moves.keys()))
    for commune, area in data.communes.items():
        old_area = old_communes.get(commune)
        what = "added" if old_area is None else "updated"
        counter.add("observed", "AreaCommune", what, old_area != area)
    removed = len(old_communes.keys() - data.communes.keys())
    counter.add("observed", "AreaCommune", "removed", removed)
    return counter.changes()


def record_info(
    *,
    source: str,
    kind: str,
    started: float,
    read_seconds: float | None,
    files: Mapping[str, str],
    counts: Mapping[str, int],
    changes: Sequence[TypeChange],
    version: str,
    replace: bool,
    warnings: int,
) -> str:
    """The JSON text a store keeps for one load (``started``: ``time.time()`` when the
    store began writing; the write time runs until this call)."""
    info: dict[str, Any] = {
        "release": split_source(source)[1],
        "kind": kind,
        "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "read_seconds": None if read_seconds is None else round(read_seconds, 3),
        "write_seconds": round(time.time() - started, 3),
        "files": sorted(files.items()),
        "counts": dict(counts),
        "changes": [[c.kind, c.type, *(getattr(c, f) for f in _FIELDS)] for c in changes],
        "version": version,
        "replace": replace,
        "warnings": warnings,
    }
    return json.dumps(info, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def dataset_record(
    dataset: Dataset,
    started: float,
    changes: Sequence[TypeChange],
    version: str,
    replace: bool,
) -> str:
    """:func:`record_info` of a graph load (both stores keep the same record)."""
    return record_info(
        source=dataset.source,
        kind="graph",
        started=started,
        read_seconds=dataset.read_seconds,
        files=dataset.files,
        counts=dataset_counts(dataset),
        changes=changes,
        version=version,
        replace=replace,
        warnings=len(dataset.warnings),
    )


def observed_record(
    data: ObservedMobility, started: float, changes: Sequence[TypeChange], version: str
) -> str:
    """:func:`record_info` of an observed-mobility load (it always replaces its source)."""
    return record_info(
        source=data.source,
        kind="observed-mobility",
        started=started,
        read_seconds=data.read_seconds,
        files=data.files,
        counts=observed_counts(data),
        changes=changes,
        version=version,
        replace=True,
        warnings=len(data.warnings),
    )


def record_from(seq: int, source: str, info_text: str) -> LoadRecord:
    """The :class:`LoadRecord` a store kept as ``(seq, source, info)``."""
    info = json.loads(info_text)
    return LoadRecord(
        seq=int(seq),
        source=source,
        release=info["release"],
        kind=info["kind"],
        loaded_at=info["loaded_at"],
        read_seconds=info["read_seconds"],
        write_seconds=info["write_seconds"],
        files=tuple((name, digest) for name, digest in info["files"]),
        counts=info["counts"],
        changes=tuple(
            TypeChange(kind, type_, *numbers) for kind, type_, *numbers in info["changes"]
        ),
        version=info["version"],
        replace=info["replace"],
        warnings=info["warnings"],
    )
