"""The generic ``cartonet-graph`` JSON format: any source as nodes + relationships.

Used for training catalogues and anything without a dedicated loader, and for the bundled
fixtures. A file (``.json``, or ``.json.gz`` gzip-compressed) holds one object::

    {"format": "cartonet-graph", "version": 1,
     "source": "my-catalogue-2024", "attribution": "...", "license": "...",
     "nodes": [{"id": "...", "type": "Training", "labels": {"fr": "...", "en": "..."},
                "altLabels": {"fr": ["..."]}, "descriptions": {"fr": "..."},
                "source": "...", "props": {"durationHours": 35}}],
     "relationships": [{"type": "TEACHES", "start": "...", "end": "...", "props": {}}]}

The full specification, with an example, is in ``docs/data-loading.md``. Reading checks
every item and names the faulty one by its JSON path (``trainings.json: nodes[12].type:
unknown node type 'Foo'``); every string it keeps (ids, labels, descriptions, properties)
follows :mod:`cartonet.ingest.textcheck` (no control character, at most 100,000 characters).
Relationships may point at nodes of other datasets already in
the store (a catalogue's TEACHES edges point at ESCO skills); the store checks those.

Writing is deterministic (nodes sorted by id, relationships by type, start, end, keys
sorted, one item per line, gzip without a timestamp), so regenerated files diff cleanly.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import re
import sys
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cartonet.errors import DataError, LoadError
from cartonet.ingest.problems import Problems, ProgressCallback
from cartonet.ingest.textcheck import text_problem
from cartonet.model import (
    BOOLEAN_PROPS,
    NODE_PROPS,
    NUMBER_PROPS,
    PROP_ENUMS,
    REL_ENDPOINTS,
    REL_PROPS,
    Dataset,
    Node,
    NodeType,
    Relationship,
    RelType,
)

FORMAT = "cartonet-graph"
VERSION = 1

TOP_KEYS = frozenset(
    {"format", "version", "source", "attribution", "license", "nodes", "relationships"}
)
NODE_KEYS = frozenset({"id", "type", "labels", "altLabels", "descriptions", "source", "props"})
REL_KEYS = frozenset({"type", "start", "end", "props"})

_NODE_TYPES = {t.value: t for t in NodeType}
_REL_TYPES = {t.value: t for t in RelType}

# Allowed values of enumerated properties, by (node or relationship type, property).
_ENUMS: dict[tuple[str, str], frozenset[str]] = {
    k: frozenset(e.value for e in enum) for k, enum in PROP_ENUMS.items()
}
_REQUIRED_PROPS: dict[str, frozenset[str]] = {"Skill": frozenset({"kind"})}
_INTEGERS = frozenset({"rank"})
_NUMBERS = NUMBER_PROPS - _INTEGERS
PROGRESS_EVERY = 5000
MAX_GUNZIPPED_BYTES = 1 << 30
"""Largest ``.json.gz`` content accepted once decompressed: a small file that inflates
without end (a "gzip bomb") is refused after reading this much, not read to exhaustion."""
MAX_DEPTH = 100
"""Nesting the reader accepts; a ``cartonet-graph`` file needs 5 levels."""

Errors = list[tuple[str, str]]
"""Problems of one item: (JSON path below the item, e.g. ``.props.kind``, reason)."""


def read_json(
    path: Path,
    *,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
) -> Dataset:
    """Read a ``cartonet-graph`` file (``.json`` or ``.json.gz``) into a dataset.

    Parameters
    ----------
    path:
        The file; gzip is recognised by its content, whatever the name.
    skip_bad_rows:
        Drop invalid nodes and relationships (and the relationships of dropped nodes),
        listing them in ``warnings``, instead of refusing the file.
    progress:
        ``progress(phase, done, total)`` while items are checked.

    Returns
    -------
    Dataset
        ``source`` from the file; ``read_counts`` has ``<file>:nodes`` and
        ``<file>:relationships``; ``origins`` the JSON path of each item, so a store that
        refuses one (a relationship to a node it does not hold) names it.

    Raises
    ------
    LoadError
        Unreadable file, invalid JSON (with its line), wrong ``format`` / ``version``, or
        (strict mode) invalid items, each named by its JSON path.

    Example
    -------
    >>> ds = read_json(Path("fixtures/trainings_illustrative.json"))  # doctest: +SKIP
    >>> ds.source  # doctest: +SKIP
    'illustrative-trainings'
    """
    path = Path(path)
    name = str(path)
    doc = _load(path)
    problems = Problems(skip_bad_rows)

    def top_error(reason: str) -> LoadError:
        return LoadError(f"{name}: not a {FORMAT} file", [DataError(name, None, reason)])

    if not isinstance(doc, dict):
        raise top_error(f"the top level is a {_kind(doc)}, an object was expected")
    if _twice(doc):
        raise top_error(f"key {', '.join(_twice(doc))} appears twice (which value is meant?)")
    if doc.get("format") != FORMAT:
        raise top_error(f"format: expected '{FORMAT}', got {doc.get('format')!r}")
    if doc.get("version") != VERSION:
        raise top_error(f"version: expected {VERSION}, got {doc.get('version')!r}")
    unknown = sorted(set(doc) - TOP_KEYS)
    if unknown:
        raise top_error(f"unknown key{'s' * (len(unknown) > 1)} {', '.join(unknown)}")
    source = doc.get("source")
    if not isinstance(source, str) or not source.strip():
        raise top_error("source: a non-empty string is required")
    for key in ("source", "attribution", "license"):
        if key in doc and not isinstance(doc[key], str):
            raise top_error(f"{key}: a string is expected")
        problem = text_problem(doc.get(key) or "", key, one_line=key == "source")
        if problem is not None:
            raise top_error(problem)
    raw_nodes, raw_rels = doc.get("nodes", []), doc.get("relationships", [])
    for key, value in (("nodes", raw_nodes), ("relationships", raw_rels)):
        if not isinstance(value, list):
            raise top_error(f"{key}: a list is expected, got a {_kind(value)}")

    total = len(raw_nodes) + len(raw_rels)
    nodes: dict[str, Node] = {}
    origins: dict[str | tuple[str, str, str], str] = {}
    bad_ids: set[str] = set()
    for i, item in enumerate(raw_nodes):
        where = f"nodes[{i}]"
        errors: Errors = []
        node = _node(item, source, errors)
        if node is not None and node.id in nodes:
            errors.append((".id", f"'{node.id}' appears twice"))
        for suffix, reason in errors:
            problems.bad(name, None, f"{where}{suffix}: {reason}")
        if errors:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                bad_ids.add(item["id"])
        elif node is not None:
            nodes[node.id] = node
            origins[node.id] = f"{name}: {where}"
        if progress and (i + 1) % PROGRESS_EVERY == 0:
            progress(f"json {path.name}", i + 1, total)

    rels: dict[tuple[str, str, str], Relationship] = {}
    for i, item in enumerate(raw_rels):
        where = f"relationships[{i}]"
        errors = []
        rel = _relationship(item, nodes, errors)
        if rel is not None and rel.key in rels:
            errors.append(("", f"{rel.type.value} {rel.start} → {rel.end} appears twice"))
        if rel is not None and not errors and {rel.start, rel.end} & bad_ids:
            errors.append(("", f"{rel.type.value} {rel.start} → {rel.end} joins an invalid node"))
        for suffix, reason in errors:
            problems.bad(name, None, f"{where}{suffix}: {reason}")
        if rel is not None and not errors:
            rels[rel.key] = rel
            origins[rel.key] = f"{name}: {where}"
        if progress and (len(raw_nodes) + i + 1) % PROGRESS_EVERY == 0:
            progress(f"json {path.name}", len(raw_nodes) + i + 1, total)
    if progress:
        progress(f"json {path.name}", total, total)

    problems.raise_if_any(f"JSON load from {name}")
    return Dataset(
        source=source,
        nodes=[nodes[k] for k in sorted(nodes)],
        relationships=[rels[k] for k in sorted(rels)],
        read_counts={
            f"{path.name}:nodes": len(raw_nodes),
            f"{path.name}:relationships": len(raw_rels),
        },
        warnings=problems.warnings,
        origins=origins,
    )


def write_json(
    dataset: Dataset,
    path: Path,
    *,
    attribution: str | None = None,
    license: str | None = None,
) -> None:
    """Write ``dataset`` as a ``cartonet-graph`` file; gzip when ``path`` ends in ``.gz``.

    The output is deterministic: the same dataset always gives the same bytes.
    """
    path = Path(path)
    data = dumps(dataset, attribution=attribution, license=license).encode()
    if path.suffix == ".gz":
        with (
            path.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
        ):
            gz.write(data)
    else:
        path.write_bytes(data)


def dumps(dataset: Dataset, *, attribution: str | None = None, license: str | None = None) -> str:
    """The ``cartonet-graph`` text of ``dataset``: one node or relationship per line."""

    def line(obj: Mapping[str, Any]) -> str:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False)

    head: dict[str, Any] = {"format": FORMAT, "version": VERSION, "source": dataset.source}
    if attribution:
        head["attribution"] = attribution
    if license:
        head["license"] = license
    parts = ["{"]
    parts += [f" {json.dumps(k, ensure_ascii=False)}: {line_value(v)}," for k, v in head.items()]
    nodes = sorted(dataset.nodes, key=lambda n: n.id)
    rels = sorted(dataset.relationships, key=lambda r: r.key)
    parts.append(' "nodes": [')
    parts.append(",\n".join(f"  {line(node_to_json(n))}" for n in nodes))
    parts.append(" ],")
    parts.append(' "relationships": [')
    parts.append(",\n".join(f"  {line(rel_to_json(r))}" for r in rels))
    parts.append(" ]")
    parts.append("}")
    return "\n".join(p for p in parts if p) + "\n"


def line_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def node_to_json(node: Node) -> dict[str, Any]:
    """A node as a JSON object, keys in a fixed reading order, maps sorted by key."""
    out: dict[str, Any] = {
        "id": node.id,
        "type": node.type.value,
        "labels": _sorted_map({k: v for k, v in node.labels.items() if v}),
    }
    alt = {k: list(v) for k, v in node.alt_labels.items() if v}
    if alt:
        out["altLabels"] = _sorted_map(alt)
    desc = {k: v for k, v in node.descriptions.items() if v}
    if desc:
        out["descriptions"] = _sorted_map(desc)
    out["source"] = node.source
    props = {k: v for k, v in node.props.items() if v is not None}
    if props:
        out["props"] = _sorted_map(props)
    return out


def rel_to_json(rel: Relationship) -> dict[str, Any]:
    out: dict[str, Any] = {"type": rel.type.value, "start": rel.start, "end": rel.end}
    props = {k: v for k, v in rel.props.items() if v is not None}
    if props:
        out["props"] = _sorted_map(props)
    return out


def _sorted_map(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: values[k] for k in sorted(values)}


# -- reading helpers --------------------------------------------------------------------------


def _load(path: Path) -> Any:
    name = str(path)
    if not path.is_file():
        raise LoadError(f"{name}: file not found")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                raw = gz.read(MAX_GUNZIPPED_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise LoadError(f"{name}: damaged gzip data ({exc})") from exc
        if len(raw) > MAX_GUNZIPPED_BYTES:
            raise LoadError(
                f"{name}: more than {MAX_GUNZIPPED_BYTES:,} bytes once decompressed "
                "(a damaged or hostile file?)"
            )
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        reason = "UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"
        raise LoadError(f"{name}: cannot read", [DataError(name, 1, reason)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reason = f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        raise LoadError(f"{name}: cannot read", [DataError(name, line, reason)]) from exc
    if not text.strip():
        raise LoadError(f"{name}: invalid JSON", [DataError(name, 1, "empty file")])
    try:
        return json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{name}: invalid JSON",
            [DataError(name, exc.lineno, f"{exc.msg} (column {exc.colno})")],
        ) from exc
    except RecursionError as exc:
        line = _too_deep(text)
        reason = f"nested more than {MAX_DEPTH} levels deep (a {FORMAT} file needs 5)"
        raise LoadError(f"{name}: invalid JSON", [DataError(name, line, reason)]) from exc
    except ValueError as exc:  # an integer too long to convert (Python's digit limit)
        limit = sys.get_int_max_str_digits()
        found = re.search(rf"\d{{{limit + 1},}}", text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        digits = f"{len(found.group()):,} digits" if found else "too many digits"
        reason = f"a number with {digits} (at most {limit:,})"
        raise LoadError(f"{name}: invalid JSON", [DataError(name, line, reason)]) from exc


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it had more than once (``json`` would keep the
    last value silently; a file saying two things about one key is refused instead)."""

    __slots__ = ("twice",)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj.twice = tuple(sorted({k for k, _ in pairs if k in seen or seen.add(k)}))
    return obj


def _twice(value: Any) -> tuple[str, ...]:
    """The keys ``value`` (a parsed JSON object) had more than once."""
    return getattr(value, "twice", ())


def _check_twice(value: Any, where: str, errors: Errors) -> None:
    for key in _twice(value):
        errors.append((f"{where}.{key}", "appears twice in the object (which value is meant?)"))


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep(text: str) -> int | None:
    """The line where ``text`` first nests more than :data:`MAX_DEPTH` arrays or objects
    (strings skipped). Only run after the parser gave up, so its cost does not matter."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, token.start()) + 1
        elif char in "]}":
            depth -= 1
    return None


def _kind(value: Any) -> str:
    if isinstance(value, dict):  # the parser's objects are a dict subclass
        return "object"
    return {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _text_map(value: Any, key: str, errors: Errors) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(
            (f".{key}", f"an object of language → text is expected, got a {_kind(value)}")
        )
        return {}
    _check_twice(value, f".{key}", errors)
    out = {}
    for lang, text in value.items():
        if not _lang_ok(lang, key, errors):
            continue
        if not isinstance(text, str):
            errors.append((f".{key}.{lang}", f"a string is expected, got a {_kind(text)}"))
        elif (problem := text_problem(text, "the text")) is not None:
            errors.append((f".{key}.{lang}", problem))
        elif text.strip():
            out[lang] = text.strip()
    return out


def _lang_ok(lang: str, key: str, errors: Errors) -> bool:
    problem = text_problem(lang, "the language code", one_line=True)
    if problem is not None:
        errors.append((f".{key}", problem))
    return problem is None


def _alt_map(value: Any, errors: Errors) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(
            (
                ".altLabels",
                f"an object of language → list of strings is expected, got a {_kind(value)}",
            )
        )
        return {}
    _check_twice(value, ".altLabels", errors)
    out = {}
    for lang, labels in value.items():
        if not _lang_ok(lang, "altLabels", errors):
            continue
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            errors.append((f".altLabels.{lang}", "a list of strings is expected"))
            continue
        problems = [(i, p) for i, x in enumerate(labels) if (p := text_problem(x, "the label"))]
        if problems:
            errors += [(f".altLabels.{lang}[{i}]", p) for i, p in problems]
            continue
        kept = tuple(x.strip() for x in labels if x.strip())
        if kept:
            out[lang] = kept
    return out


def _props(value: Any, owner: str, allowed: frozenset[str], errors: Errors) -> dict[str, Any]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        errors.append((".props", f"an object is expected, got a {_kind(value)}"))
        return {}
    _check_twice(value, ".props", errors)
    out: dict[str, Any] = {}
    for key, v in value.items():
        where = f"props.{key}"
        if key not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            errors.append((f".{where}", f"unknown property for {owner} (allowed: {known})"))
        elif v is None:
            continue
        elif isinstance(v, (dict, list)):
            errors.append((f".{where}", f"a scalar is expected, got a {_kind(v)}"))
        elif isinstance(v, str) and (problem := text_problem(v, "the value")) is not None:
            errors.append((f".{where}", problem))
        elif (owner, key) in _ENUMS and v not in _ENUMS[(owner, key)]:
            values = ", ".join(sorted(_ENUMS[(owner, key)]))
            errors.append((f".{where}", f"{v!r} is not one of {values}"))
        elif key in BOOLEAN_PROPS and not isinstance(v, bool):
            errors.append((f".{where}", f"true or false is expected, got {v!r}"))
        elif key in _NUMBERS and (
            isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0
        ):
            errors.append((f".{where}", f"a number ≥ 0 is expected, got {v!r}"))
        elif key in _INTEGERS and (isinstance(v, bool) or not isinstance(v, int)):
            errors.append((f".{where}", f"an integer is expected, got {v!r}"))
        else:
            out[key] = v
    for key in sorted(_REQUIRED_PROPS.get(owner, frozenset()) - set(value)):
        errors.append((f".props.{key}", f"required for a {owner}"))
    return out


def _is_record(item: Any, allowed: frozenset[str], errors: Errors) -> bool:
    """Whether ``item`` is an object; its keys outside ``allowed`` are errors, not fatal."""
    if not isinstance(item, dict):
        errors.append(("", f"a {_kind(item)} where an object is expected"))
        return False
    _check_twice(item, "", errors)
    for key in sorted(set(item) - allowed):
        errors.append((f".{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})"))
    return True


def _node(item: Any, default_source: str, errors: Errors) -> Node | None:
    if not _is_record(item, NODE_KEYS, errors):
        return None
    node_id = item.get("id")
    if not isinstance(node_id, str) or not node_id.strip():
        errors.append((".id", "a non-empty string is required"))
        node_id = ""
    elif (problem := text_problem(node_id, "the id", one_line=True)) is not None:
        errors.append((".id", problem))
    type_name = item.get("type")
    node_type = _NODE_TYPES.get(type_name) if isinstance(type_name, str) else None
    if node_type is None:
        expected = ", ".join(_NODE_TYPES)
        errors.append((".type", f"unknown node type {type_name!r} (expected one of {expected})"))
    labels = _text_map(item.get("labels"), "labels", errors)
    if not labels and "labels" in item and isinstance(item["labels"], dict):
        errors.append((".labels", "at least one non-empty label is required"))
    elif "labels" not in item:
        errors.append((".labels", "required (an object of language → label)"))
    alt = _alt_map(item.get("altLabels"), errors)
    descriptions = _text_map(item.get("descriptions"), "descriptions", errors)
    source = item.get("source", default_source)
    if not isinstance(source, str) or not source.strip():
        errors.append((".source", "a non-empty string is expected"))
    elif (problem := text_problem(source, "the source", one_line=True)) is not None:
        errors.append((".source", problem))
    props = (
        _props(item.get("props"), node_type.value, NODE_PROPS[node_type], errors)
        if node_type is not None
        else {}
    )
    if errors or node_type is None:
        return None
    return Node(
        id=node_id.strip(),
        type=node_type,
        labels=labels,
        source=source,
        alt_labels=alt,
        descriptions=descriptions,
        props=props,
    )


def _relationship(item: Any, nodes: Mapping[str, Node], errors: Errors) -> Relationship | None:
    if not _is_record(item, REL_KEYS, errors):
        return None
    type_name = item.get("type")
    rel_type = _REL_TYPES.get(type_name) if isinstance(type_name, str) else None
    if rel_type is None:
        expected = ", ".join(_REL_TYPES)
        errors.append(
            (".type", f"unknown relationship type {type_name!r} (expected one of {expected})")
        )
    ends = []
    for key in ("start", "end"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append((f".{key}", "a node id (non-empty string) is required"))
            value = ""
        elif (problem := text_problem(value, "the node id", one_line=True)) is not None:
            errors.append((f".{key}", problem))
            value = ""
        ends.append(value.strip())
    start, end = ends
    if start and start == end:
        errors.append((".end", "the same node as start"))
    if rel_type is None:
        return None
    props = _props(item.get("props"), rel_type.value, REL_PROPS[rel_type], errors)
    allowed = REL_ENDPOINTS[rel_type]
    s, e = nodes.get(start), nodes.get(end)
    if s is not None and e is not None:
        if (s.type, e.type) not in allowed:
            errors.append(
                (
                    ".type",
                    f"{rel_type.value} may not join {s.type.value} '{start}' to "
                    f"{e.type.value} '{end}' (allowed: {_pairs(allowed)})",
                )
            )
    elif s is not None and s.type not in {a for a, _ in allowed}:
        errors.append((".start", f"a {rel_type.value} cannot start at a {s.type.value}"))
    elif e is not None and e.type not in {b for _, b in allowed}:
        errors.append((".end", f"a {rel_type.value} cannot end at a {e.type.value}"))
    if errors:
        return None
    return Relationship(rel_type, start, end, props)


def _pairs(allowed: frozenset[tuple[NodeType, NodeType]]) -> str:
    return ", ".join(sorted(f"{a.value}→{b.value}" for a, b in allowed))
