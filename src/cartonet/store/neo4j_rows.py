"""How nodes and relationships are laid out as Neo4j properties, both ways.

A node of the model becomes one Neo4j node with the labels ``:Node`` and its type, and
flat properties (Neo4j has no nested maps):

=================  =====================================================================
``id``, ``type``,  identity, :class:`~cartonet.model.NodeType` value and source release
``source``
``label_<lang>``   preferred label per language (``label_fr``, ``label_en``)
``alt_<lang>``     alternative labels per language, a list of strings
``desc_<lang>``    description per language
``code``, ...      the node's scalar properties (:data:`~cartonet.model.NODE_PROPS`)
``_fp``            fingerprint of the content above: a load skips rows whose fingerprint
                   is unchanged and counts the others as written
``_index_text``    the significant tokens of all labels, for the full-text index
``_filter``        :func:`~cartonet.store.search.filter_text`, for ``NodeFilter.text``
``_format``        :data:`FORMAT` of the derived properties: a load rewrites nodes stored
                   in an older format, without counting them as written
=================  =====================================================================

Relationships keep their model properties plus ``_source`` (the dataset that last wrote
them: ``load(replace=True)`` removes what a source no longer has) and ``_fp``.

The stored form is the embedded store's canonical form (empty labels, empty alternative
label lists and ``None`` properties are dropped, keys sorted), so a node read back from
Neo4j equals the node the embedded store returns, and "written" means the same in both.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from cartonet.model import LANGS, PROPS_LEFT_OUT, Dataset, Node, NodeType, Relationship, RelType
from cartonet.store.search import filter_text, label_entries, query_tokens

__all__ = [
    "fingerprint",
    "node_from_columns",
    "node_from_labels",
    "node_from_props",
    "node_props",
    "param_value",
    "props_from_columns",
    "rel_props",
    "rel_props_from",
    "search_terms",
]

FORMAT = 1
"""Version of the derived properties (``_index_text``, ``_filter``); raise it whenever
their definition changes so the next load refreshes every node."""

_IDENTITY = ("id", "type", "source")
_LABEL, _ALT, _DESC = "label_", "alt_", "desc_"


def fingerprint(content: Mapping[str, Any]) -> str:
    """A short, stable digest of stored properties: equal digests mean equal content."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def param_value(value: Any) -> Any:
    """A value the driver sends as the plain type it stands for (enum members as values)."""
    return value.value if isinstance(value, Enum) else value


def node_props(node: Node) -> dict[str, Any]:
    """Every property the Neo4j node for ``node`` holds (see the module docstring)."""
    props: dict[str, Any] = {
        "id": node.id,
        "type": NodeType(node.type).value,
        "source": node.source,
    }
    for lang, text in node.labels.items():
        if text:
            props[f"{_LABEL}{lang}"] = text
    for lang, texts in node.alt_labels.items():
        if texts:
            props[f"{_ALT}{lang}"] = list(texts)
    for lang, text in node.descriptions.items():
        if text:
            props[f"{_DESC}{lang}"] = text
    for key, value in node.props.items():
        if value is not None:
            props[key] = param_value(value)
    # The digest covers the model content only (what the embedded store compares); the
    # search helpers below derive from it.
    props["_fp"] = fingerprint(props)
    props["_filter"] = filter_text(node)
    props["_index_text"] = search_terms(node, props["_filter"])
    props["_format"] = FORMAT
    return props


def search_terms(node: Node, filter_text_: str | None = None) -> str:
    """The distinct significant tokens of all of ``node``'s labels, space separated.

    The shared candidate rule matches a query token against a label's significant tokens
    (:func:`~cartonet.store.search.query_tokens` of the label: stopwords left out unless the
    label has nothing else), so indexing only those keeps the full-text index's answer
    close to the candidates the rule keeps (a query "and" does not fetch every label
    holding "and") while still finding all of them.

    ``filter_text_`` (the node's :func:`~cartonet.store.search.filter_text`, when already
    computed) saves normalising every label a second time: normalising text that is
    already normalised and ASCII changes nothing, so its lines give the same tokens.
    """
    text = filter_text(node) if filter_text_ is None else filter_text_
    if text.isascii():
        lines: list[str] = text.split("\n")
    else:  # rare: letters without an ASCII form; go back to the labels
        lines = [entry.label for entry in label_entries(node)]
    terms: dict[str, None] = {}
    for line in lines:
        terms.update(dict.fromkeys(query_tokens(line)))
    return " ".join(terms)


def node_from_columns(keys: Sequence[str], values: Sequence[Any], complete: bool = True) -> Node:
    """The model node read as its property names and, in the same order, their values
    (how ``cypher/read.cypher`` sends nodes: two lists make about a third fewer objects for
    the driver to unpack than one ``[key, value]`` list per property); ``complete=False``
    when the read left out descriptions and alternative labels."""
    layout = _layout(tuple(keys))
    if layout is None:
        raise ValueError(f"a stored node lacks one of {', '.join(_IDENTITY)}: keys {list(keys)}")
    at_id, at_type, at_source, labels, alts, descs, scalars = layout
    return Node(
        id=values[at_id],
        type=_NODE_TYPES[values[at_type]],
        labels={name: values[i] for name, i in labels},
        source=values[at_source],
        # nested reads leave texts out: most nodes have none to copy
        alt_labels={name: tuple(values[i]) for name, i in alts} if alts else {},
        descriptions={name: values[i] for name, i in descs} if descs else {},
        props={name: values[i] for name, i in scalars},
        complete=complete,
    )


_LABEL_LANGS = tuple(sorted(LANGS))  # key order, as every mapping of a node read
LABELS_ONLY = ("type", "source", *(f"{_LABEL}{lang}" for lang in _LABEL_LANGS))
"""What a neighbour read with ``labels_only`` sends after the node's id, in this order
(``cypher/read.cypher`` names the same properties)."""


def node_from_labels(node_id: str, values: Sequence[Any]) -> Node:
    """The node ``node_id`` read with its labels only: ``values`` as :data:`LABELS_ONLY`
    lists them (a label the node lacks is ``None``). Its ``props`` raise when read
    (:data:`~cartonet.model.PROPS_LEFT_OUT`) and it says ``complete=False``."""
    return Node(
        id=node_id,
        type=_NODE_TYPES[values[0]],
        labels={lang: label for lang, label in zip(_LABEL_LANGS, values[2:], strict=True) if label},
        source=values[1],
        props=PROPS_LEFT_OUT,
        complete=False,
    )


def props_from_columns(keys: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """The properties read as their names and, in the same order, their values (how
    ``cypher/read.cypher`` sends an edge's), in key order."""
    return {key: values[i] for key, i in _key_order(tuple(keys))}


@functools.lru_cache(maxsize=256)
def _key_order(keys: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """``keys`` with their positions, in key order (cached: the edges, and the nodes, of
    one kind are stored alike)."""
    return tuple(sorted(zip(keys, range(len(keys)), strict=True)))


_SlotItems = tuple[tuple[str, int], ...]
_Layout = tuple[int, int, int, _SlotItems, _SlotItems, _SlotItems, _SlotItems]


@functools.lru_cache(maxsize=1024)
def _layout(keys: tuple[str, ...]) -> _Layout | None:
    """Where each stored property of a node holding ``keys`` (in that order) goes in a
    model node: the positions of its identity, then per mapping (labels, alternative
    labels, descriptions, scalars) its ``(name, position)`` items in key order, the
    canonical order of every mapping. Cached by the key tuple: nodes of one type and
    source are stored alike, so a read of thousands of nodes meets a handful of layouts,
    and this classification was most of a node's cost."""
    identity: dict[str, int] = {}
    slots: dict[int, list[tuple[str, int]]] = {_LABELS: [], _ALTS: [], _DESCS: [], _SCALARS: []}
    for key, at in _key_order(keys):
        slot, name = _place(key)
        if slot == _IDENTITY_SLOT:
            identity[name] = at
        elif slot != _SKIP:
            slots[slot].append((name, at))
    if len(identity) != len(_IDENTITY):
        return None
    return (
        identity["id"],
        identity["type"],
        identity["source"],
        *(tuple(slots[s]) for s in (_LABELS, _ALTS, _DESCS, _SCALARS)),
    )  # type: ignore[return-value]


_SKIP, _IDENTITY_SLOT, _LABELS, _ALTS, _DESCS, _SCALARS = -1, 0, 1, 2, 3, 4
_NODE_TYPES = {t.value: t for t in NodeType}


def _place(key: str) -> tuple[int, str]:
    """Where the stored property ``key`` goes in a model node: one of the slots above and
    its name there (``label_fr`` -> labels ``fr``)."""
    if key in _IDENTITY:
        return _IDENTITY_SLOT, key
    if key.startswith("_"):
        return _SKIP, key
    for slot, prefix in ((_LABELS, _LABEL), (_ALTS, _ALT), (_DESCS, _DESC)):
        if key.startswith(prefix):
            return slot, key[len(prefix) :]
    return _SCALARS, key


def node_from_props(props: Mapping[str, Any], complete: bool = True) -> Node:
    """The model node stored as ``props`` (the inverse of :func:`node_props`)."""
    return node_from_columns(list(props), list(props.values()), complete)


def rel_props(rel: Relationship, source: str) -> dict[str, Any]:
    """Properties of the Neo4j relationship for ``rel`` written by dataset ``source``."""
    props = {k: param_value(v) for k, v in sorted(rel.props.items()) if v is not None}
    props["_source"] = source
    props["_fp"] = fingerprint(props)
    return props


def rel_props_from(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The model properties among a stored relationship's properties, keys sorted."""
    return {k: stored[k] for k in sorted(stored) if not k.startswith("_")}


def rel_from(type_: str, start: str, end: str, stored: Mapping[str, Any]) -> Relationship:
    return Relationship(RelType(type_), start, end, rel_props_from(stored))


def unique_nodes(dataset: Dataset) -> dict[str, Node]:
    """The dataset's nodes by id (validation guarantees repeats are identical)."""
    return {node.id: node for node in dataset.nodes}


def unique_relationships(dataset: Dataset) -> dict[tuple[str, str, str], Relationship]:
    """The dataset's relationships by key (validation guarantees repeats are identical)."""
    return {(RelType(r.type).value, r.start, r.end): r for r in dataset.relationships}
