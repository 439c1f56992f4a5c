"""Training catalogues (CSV or JSON) → :class:`~cartonet.model.Dataset` of Training nodes
with TEACHES, REQUIRES and PREPARES_FOR edges.

The format (``docs/data-loading.md`` has the full description and an example):

===================  ==========================================================================
field                meaning
===================  ==========================================================================
``id``               the training's id, kept as given (e.g. ``afpa:TP-00345``); required
``title``            its title (French; JSON may give ``{"fr": ..., "en": ...}``); required
``title_en``         (CSV) its English title
``provider``         who runs it
``hours``            duration in hours (a number ≥ 0) → ``durationHours``
``level``            qualification level (a number ≥ 0, e.g. the French/EQF level 3 to 8)
``certification``    certification code (RNCP, RS...)
``teaches``          skills it teaches         } a list (CSV: separated by ``|``); each entry an
``requires``         skills it expects         } id of the store (``rome-skill:...``, an ESCO URI,
``prepares_for``     occupations it leads to   } ``onet:...``) or a label, French or English
``illustrative``     ``true`` for a made-up example (JSON boolean; CSV ``true``/``false``)
===================  ==========================================================================

Labels are resolved against the nodes of the store, of the right type (skills for
``teaches`` / ``requires``, occupations for ``prepares_for``), in this order:

1. the text is the id of such a node;
2. its normalised form (:func:`cartonet.store.search.normalize`: case, accents and
   punctuation folded) equals a preferred or alternative label of exactly **one** node;
3. rapidfuzz's ``ratio`` on normalised labels is at least :data:`FUZZY_MIN` for one node
   and every other node scores at least :data:`FUZZY_MARGIN` points less — a typo or a
   missing word, accepted with a warning naming what it matched.

Anything else is never guessed: a label two nodes share is *ambiguous*, one with no close
label *unresolved*; both are bad rows reported as ``file:line: reason`` with the closest
candidates, and (strict by default) refuse the load. ``taxonomies`` restricts label
matches to nodes of some sources (``esco-v1.1.1``...), which settles most ambiguities
between taxonomies that name a skill the same way.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from cartonet.errors import DataError, LoadError
from cartonet.ingest.builder import DatasetBuilder
from cartonet.ingest.csvread import CsvTable
from cartonet.ingest.problems import Problems, ProgressCallback
from cartonet.model import LANGS, Dataset, Node, NodeType, RelType
from cartonet.store.search import normalize

FORMAT = "cartonet-trainings"
FUZZY_MIN = 92.0
"""Lowest rapidfuzz ``ratio`` (0–100, on normalised labels) a fuzzy match may have."""
FUZZY_MARGIN = 4.0
"""How far ahead of every other node a fuzzy match must be."""
LIST_SEPARATOR = "|"

LINKS: dict[str, tuple[RelType, NodeType]] = {
    "teaches": (RelType.TEACHES, NodeType.SKILL),
    "requires": (RelType.REQUIRES, NodeType.SKILL),
    "prepares_for": (RelType.PREPARES_FOR, NodeType.OCCUPATION),
}
CSV_COLUMNS = (
    "id",
    "title",
    "title_en",
    "provider",
    "hours",
    "level",
    "certification",
    "teaches",
    "requires",
    "prepares_for",
    "illustrative",
)


@dataclass(slots=True)
class TrainingRecord:
    """One training as the file gives it, with where it is (``file:line``)."""

    file: str
    line: int | None
    path: str  # JSON path (``trainings[3]``), empty for a CSV row (its line says it)
    values: dict[str, Any]
    links: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Resolution:
    node_id: str | None
    reason: str | None = None  # why not resolved
    fuzzy: str | None = None  # the label a fuzzy match matched


class LabelResolver:
    """Ids and labels of the store's nodes of one type, for :meth:`resolve`.

    Parameters
    ----------
    nodes:
        The store's nodes (any type; those of ``type`` are kept).
    type:
        ``NodeType.SKILL`` or ``NodeType.OCCUPATION``.
    taxonomies:
        When given, label matches only consider nodes whose ``source`` is one of these
        (an id always resolves).

    Example
    -------
    >>> resolver = LabelResolver(store_nodes, NodeType.SKILL)  # doctest: +SKIP
    >>> resolver.resolve("Python")  # doctest: +SKIP
    Resolution(node_id='http://data.europa.eu/esco/skill/ccd0a1d9-...', reason=None, fuzzy=None)
    """

    def __init__(
        self, nodes: Iterable[Node], type: NodeType, taxonomies: Sequence[str] = ()
    ) -> None:
        self.type = type
        self.ids: set[str] = set()
        self.exact: dict[str, set[str]] = {}
        self.choices: list[str] = []  # normalised labels, for rapidfuzz
        self.owners: list[str] = []  # node id of each choice
        self.shown: dict[str, str] = {}  # node id -> a label to show
        for node in nodes:
            if node.type != type:
                continue
            self.ids.add(node.id)
            if taxonomies and node.source not in taxonomies:
                continue
            self.shown[node.id] = node.label("fr")
            seen: set[str] = set()
            for lang in LANGS:
                for label in (node.labels.get(lang), *node.alt_labels.get(lang, ())):
                    key = normalize(label) if label else ""
                    if key and key not in seen:
                        seen.add(key)
                        self.exact.setdefault(key, set()).add(node.id)
                        self.choices.append(key)
                        self.owners.append(node.id)

    def _name(self, node_id: str) -> str:
        return f"{node_id} ({self.shown.get(node_id, '?')!r})"

    def resolve(self, text: str) -> Resolution:
        text = text.strip()
        if text in self.ids:
            return Resolution(text)
        key = normalize(text)
        if not key:
            return Resolution(None, "empty entry")
        exact = self.exact.get(key, set())
        if len(exact) == 1:
            return Resolution(next(iter(exact)))
        what = "skill" if self.type is NodeType.SKILL else "occupation"
        if len(exact) > 1:
            names = ", ".join(self._name(i) for i in sorted(exact)[:5])
            more = f" and {len(exact) - 5} more" if len(exact) > 5 else ""
            return Resolution(
                None,
                f"ambiguous {what} label {text!r}: {len(exact)} {what}s have it ({names}{more}); "
                "give an id, or restrict the taxonomies",
            )
        best: dict[str, tuple[float, str]] = {}
        for choice, score, index in process.extract(
            key, self.choices, scorer=fuzz.ratio, limit=50, score_cutoff=FUZZY_MIN - FUZZY_MARGIN
        ):
            owner = self.owners[index]
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, choice)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        if ranked and ranked[0][1][0] >= FUZZY_MIN:
            runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
            if ranked[0][1][0] - runner_up >= FUZZY_MARGIN:
                return Resolution(ranked[0][0], fuzzy=ranked[0][1][1])
            names = ", ".join(self._name(i) for i, _ in ranked[:3])
            return Resolution(
                None, f"ambiguous {what} label {text!r}: several close matches ({names})"
            )
        closest = process.extract(key, self.choices, scorer=fuzz.ratio, limit=3)
        hint = ", ".join(f"{self._name(self.owners[i])} {s:.0f}" for _, s, i in closest)
        return Resolution(
            None,
            f"no {what} has the id or label {text!r}" + (f" (closest: {hint})" if hint else ""),
        )


def read_catalogue(path: Path, problems: Problems) -> tuple[str | None, list[TrainingRecord]]:
    """The records of a CSV or JSON catalogue (by extension: ``.csv``, else JSON), and the
    ``source`` a JSON catalogue names. Shape problems are bad rows of ``problems``."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: file not found")
    if path.suffix.lower() == ".csv":
        return None, _read_csv(path, problems)
    return _read_json(path, problems)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(LIST_SEPARATOR) if p.strip()]


def _read_csv(path: Path, problems: Problems) -> list[TrainingRecord]:
    records = []
    for row in CsvTable(path, ["id", "title"], problems):
        values: dict[str, Any] = {k: row[k] for k in CSV_COLUMNS if row[k] != ""}
        titles = {"fr": values.pop("title", "")}
        if "title_en" in values:
            titles["en"] = values.pop("title_en")
        values["title"] = titles
        if "illustrative" in values:
            flag = values["illustrative"].lower()
            if flag not in ("true", "false"):
                problems.bad(str(path), row.line, f"illustrative '{flag}' (expected true or false)")
                continue
            values["illustrative"] = flag == "true"
        links = {name: _split(values.pop(name, "")) for name in LINKS}
        records.append(TrainingRecord(str(path), row.line, "", values, links))
    return records


def _read_json(path: Path, problems: Problems) -> tuple[str | None, list[TrainingRecord]]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{name}: not UTF-8 text") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{name}: invalid JSON",
            [DataError(name, exc.lineno, f"{exc.msg} (column {exc.colno})")],
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LoadError(
            f'{name}: not a training catalogue (expected an object with "format": "{FORMAT}"; '
            "a cartonet-graph file loads with `cartonet load json`)"
        )
    trainings = data.get("trainings")
    if not isinstance(trainings, list):
        raise LoadError(f'{name}: "trainings" must be a list')
    source = data.get("source")
    records = []
    cursor = 0
    for i, item in enumerate(trainings):
        where = f"trainings[{i}]"
        if not isinstance(item, dict):
            problems.bad(name, None, f"{where}: must be an object")
            continue
        # the line of the item: where its "id" value is written, searching from the last one
        line = None
        if isinstance(item.get("id"), str):
            m = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(item["id"]))).search(text, cursor)
            if m:
                line, cursor = text.count("\n", 0, m.start()) + 1, m.end()
        values = {k: v for k, v in item.items() if k not in ("teaches", "requires", "preparesFor")}
        if isinstance(values.get("title"), str):
            values["title"] = {"fr": values["title"]}
        links: dict[str, list[str]] = {}
        for key, field_name in (
            ("teaches", "teaches"),
            ("requires", "requires"),
            ("preparesFor", "prepares_for"),
        ):
            value = item.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.bad(name, line, f"{where}.{key}: must be a list of ids or labels")
                value = []
            links[field_name] = value
        records.append(TrainingRecord(name, line, where, values, links))
    return source if isinstance(source, str) else None, records


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def load_trainings(
    path: Path,
    nodes: Iterable[Node],
    *,
    source: str | None = None,
    taxonomies: Sequence[str] = (),
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
) -> Dataset:
    """Read a training catalogue and resolve its skills and occupations against ``nodes``.

    Parameters
    ----------
    path:
        A ``.csv`` file, or a JSON file of format ``cartonet-trainings`` (see module doc).
    nodes:
        The nodes of the store the catalogue will be loaded into (``store.export().nodes``).
    source:
        The dataset's source name; default the JSON's ``source``, else ``trainings-<file
        stem>``.
    taxonomies:
        Sources whose nodes label matches may use (default: all).
    skip_bad_rows:
        Leave out unresolved entries and bad trainings (listed as warnings) instead of
        refusing the load.
    progress:
        ``progress("resolve", done, total)`` as trainings are resolved.

    Returns
    -------
    Dataset
        Training nodes with TEACHES, REQUIRES and PREPARES_FOR edges to existing nodes;
        warnings list the fuzzy matches.

    Raises
    ------
    LoadError
        Unreadable file, wrong format, or (strict mode) bad records: every unresolved or
        ambiguous entry is listed as ``file:line: trainings[i].teaches: ...``.
    """
    problems = Problems(skip_bad_rows)
    given_source, records = read_catalogue(Path(path), problems)
    source = source or given_source or f"trainings-{Path(path).stem}"
    nodes = list(nodes)
    resolvers = {
        NodeType.SKILL: LabelResolver(nodes, NodeType.SKILL, taxonomies),
        NodeType.OCCUPATION: LabelResolver(nodes, NodeType.OCCUPATION, taxonomies),
    }
    b = DatasetBuilder(source)
    seen: dict[str, str] = {}
    for n, record in enumerate(records, 1):
        if progress and n % 50 == 0:
            progress("resolve", n, len(records))
        bad = _check_record(record, seen)
        if bad:
            problems.bad(record.file, record.line, _at(record.path, bad))
            continue
        values = record.values
        # with skip_bad_rows, the resolved links of a training still load
        resolved: list[tuple[RelType, str]] = []
        for name, entries in record.links.items():
            rel, type_ = LINKS[name]
            for entry in entries:
                found = resolvers[type_].resolve(entry)
                if found.node_id is None:
                    problems.bad(record.file, record.line, _at(record.path, name, found.reason))
                    continue
                if found.fuzzy is not None:
                    problems.warn(
                        record.file,
                        record.line,
                        _at(
                            record.path,
                            name,
                            f"{entry!r} matched the label {found.fuzzy!r} of {found.node_id} "
                            "(close match)",
                        ),
                    )
                resolved.append((rel, found.node_id))
        props = {
            "durationHours": _number(values.get("hours")),
            "level": _number(values.get("level")),
            "certification": _text(values.get("certification")),
            "provider": _text(values.get("provider")),
            "illustrative": values.get("illustrative") if "illustrative" in values else None,
        }
        draft = b.add_node(str(values["id"]), NodeType.TRAINING, **props)
        for lang, title in values["title"].items():
            if isinstance(title, str):
                draft.set_label(lang, title)
        if isinstance(values.get("description"), str):
            draft.set_description("fr", values["description"])
        for rel, target in resolved:
            b.add_rel(rel, draft.id, target)
    if progress:
        progress("resolve", len(records), len(records))
    problems.raise_if_any(f"training catalogue {path}")
    return b.build({Path(path).name: len(records)}, problems.warnings)


def _at(path: str, *parts: str | None) -> str:
    """``trainings[3].teaches: reason`` (JSON) or ``teaches: reason`` (CSV)."""
    *where, reason = [p for p in (path, *parts) if p]
    return f"{'.'.join(where)}: {reason}" if where else str(reason)


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _check_record(record: TrainingRecord, seen: dict[str, str]) -> str | None:
    values = record.values
    training_id = values.get("id")
    if not isinstance(training_id, str) or not training_id.strip():
        return "no id"
    if training_id in seen:
        return f"id {training_id!r} already used by {seen[training_id]}"
    seen[training_id] = record.path or f"line {record.line}"
    titles = values.get("title")
    if not isinstance(titles, dict) or not any(
        isinstance(t, str) and t.strip() for t in titles.values()
    ):
        return "no title"
    for key in ("hours", "level"):
        if key in values and values[key] != "" and _number(values[key]) is None:
            return f"{key} {values[key]!r} is not a number ≥ 0"
    if "illustrative" in values and not isinstance(values["illustrative"], bool):
        return f"illustrative {values['illustrative']!r} (expected true or false)"
    return None
