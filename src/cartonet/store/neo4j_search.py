"""Search on the Neo4j store: the in-memory label index, and the full-text candidate queries.

The Neo4j store ranks with the shared :mod:`cartonet.store.search`, so its hits equal the
embedded store's. It has two ways of feeding that ranking:

**The label index** (the default). :class:`LabelIndex` is the embedded store's
:class:`~cartonet.store.search.SearchIndex` built over every label of the graph, fetched
from Neo4j once per graph version (:func:`label_entries_of` turns the fetched rows into
label entries). A search is then an in-memory ranking plus one round trip that checks the
version and fetches the hits' nodes. Ranking reads only a node's id and type, so the
entries carry light nodes (no labels, descriptions or properties): the hits get their
full nodes from the server.

**Full-text candidates** (``Neo4jStore(label_index=False)``: less memory, slower on broad
queries). The store indexes each node's :func:`~cartonet.store.search.index_text` (its
normalised label tokens) in a full-text index analysed by whitespace, and ranks what the
index returns. For the ranking to equal the embedded store's, the index must return
**every** node the shared candidate rule accepts. :func:`candidate_queries` builds queries
that do:

* a query token ``q`` itself (exact matches) and ``q*`` when ``len(q) >= PREFIX_MIN``
  (prefix matches; a Lucene prefix query has no expansion limit);
* every index term within ``q``'s edit bound, found with the shared
  :func:`~cartonet.store.search.matching_terms` over the index vocabulary, listed as exact
  terms. Lucene's own ``q~2`` is not used: it keeps only the 50 best-scoring expansions, so
  it can miss candidates.

User text never reaches Lucene as typed: queries hold normalised tokens only (letters and
digits; ``C++`` is ``cplusplus``, ``C#`` is ``csharp``, quotes, colons and operators are
gone, ``AND`` is the lower-case term ``and``). :func:`escape` still escapes any character
Lucene's classic query parser treats specially, so a change to the normalisation could
never turn a token into query syntax.

>>> candidate_queries("C++ dévelopeur", ["cplusplus", "developpeur", "developer", "web"])
['cplusplus OR cplusplus* OR developeur OR developeur* OR developer OR developpeur']
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from cartonet.model import NodeType
from cartonet.store.search import (
    PREFIX_MIN,
    LabelEntry,
    SearchIndex,
    light_node,
    matching_terms,
    max_edits,
    query_tokens,
)
from cartonet.store.search_cache import UNREADABLE, read_meta, write_npz

__all__ = [
    "MAX_CLAUSES",
    "LabelIndex",
    "candidate_queries",
    "escape",
    "label_entries_of",
    "load_label_index",
    "save_label_index",
]

log = logging.getLogger("cartonet.store")

MAX_CLAUSES = 500
"""Clauses per Lucene query; Lucene refuses more than 1024 in one boolean query, so a long
query is split into several whose results are merged."""


def escape(term: str) -> str:
    """``term`` with every character that is not a letter or digit escaped by a backslash.

    The classic query parser accepts a backslash before any character and reads it as the
    character itself, so the result is always one plain term. No maintained Python package
    offers this for Lucene (``solrq`` misses ``/`` and does not escape a character that
    follows a backslash, ``luqum`` only parses), hence these few lines.

    >>> escape("c++ (x):y")
    'c\\\\+\\\\+\\\\ \\\\(x\\\\)\\\\:y'
    """
    return "".join(ch if ch.isalnum() else f"\\{ch}" for ch in term)


def candidate_queries(text: str, vocabulary: Sequence[str]) -> list[str]:
    """Lucene queries (OR of terms) whose union holds every candidate node of ``text``.

    Parameters
    ----------
    text : the user's search text, as typed.
    vocabulary : every term of the index (the distinct tokens of all index texts).

    Returns
    -------
    Query strings for ``db.index.fulltext.queryNodes``; empty when ``text`` has no token.
    """
    qs = query_tokens(text)
    if not qs:
        return []
    clauses: list[str] = []
    for q in qs:
        clauses.append(escape(q))
        if len(q) >= PREFIX_MIN:
            clauses.append(f"{escape(q)}*")
    # Fuzzy matches differ in length by at most the edit bound: check only those terms.
    longest = max(max_edits(q) for q in qs)
    low = min(len(q) for q in qs) - longest
    high = max(len(q) for q in qs) + longest
    nearby = [t for t in vocabulary if low <= len(t) <= high]
    covered = set(qs)
    fuzzy = sorted(
        t
        for t in matching_terms(text, nearby)
        if t not in covered and not any(len(q) >= PREFIX_MIN and t.startswith(q) for q in qs)
    )
    clauses.extend(escape(t) for t in fuzzy)
    return [" OR ".join(clauses[i : i + MAX_CLAUSES]) for i in range(0, len(clauses), MAX_CLAUSES)]


_LABEL, _ALT = "label_", "alt_"


def label_entries_of(
    node_id: str, type_: str, stored: Iterable[Sequence[Any]]
) -> Iterator[LabelEntry]:
    """The label entries of one node as :func:`~cartonet.store.search.rank` takes them,
    from its stored ``label_<lang>`` / ``alt_<lang>`` properties (``stored``: ``(key,
    value)`` pairs; other keys are ignored).

    The entries share one light node holding only the id and the type: ranking reads
    nothing else, and a light node costs a few dozen bytes instead of a copy of its labels.

    >>> stored = [("label_fr", "soins"), ("alt_en", ["care", "nursing"])]
    >>> [(e.label, e.lang, e.preferred) for e in label_entries_of("x:1", "Skill", stored)]
    [('soins', 'fr', True), ('care', 'en', False), ('nursing', 'en', False)]
    """
    node = light_node(node_id, NodeType(type_))
    for key, value in stored:
        if key.startswith(_LABEL):
            if value:
                yield LabelEntry(node, value, key[len(_LABEL) :], True)
        elif key.startswith(_ALT):
            lang = key[len(_ALT) :]
            for text in value:
                if text:
                    yield LabelEntry(node, text, lang, False)


class LabelIndex(NamedTuple):
    """Every label of the graph at one version, indexed for the shared ranking.

    ``version`` is the graph version read *before* the labels: a load committed while
    they were read leaves the index tagged with the older version, so the store's next
    version check rebuilds it rather than trusting it.
    """

    version: str
    index: SearchIndex

    @classmethod
    def build(cls, version: str, entries: Iterable[LabelEntry]) -> LabelIndex:
        """The index of every label entry of the graph at ``version``. Seconds on a full
        taxonomy: run it off the event loop."""
        return cls(version, SearchIndex(entries))


FORMAT = "cartonet-neo4j-labels-1"


def _text(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def save_label_index(path: Path, labels: LabelIndex) -> bool:
    """Write ``labels`` to ``path`` (a NumPy ``.npz``, temporary file then rename), keyed
    by its graph version, unless the file already holds that version: the next process
    serving the version reads it back with :func:`load_label_index` instead of reading
    every label from the server and indexing them again (seconds, and tens of MiB of
    garbage). Returns whether it wrote; a disk error is logged, not raised."""
    if _saved_version(path) == labels.version:
        return False
    arrays = labels.index.to_arrays()
    arrays["meta"] = _text({"format": FORMAT, "version": labels.version})
    try:
        write_npz(path, arrays)
    except OSError as exc:
        log.warning("label index %s not written: %s", path, exc)
        return False
    return True


def _saved_version(path: Path) -> str | None:
    meta = read_meta(path)
    return meta.get("version") if meta is not None and meta.get("format") == FORMAT else None


def load_label_index(path: Path, version: str) -> LabelIndex | None:
    """The label index saved at ``path`` for graph ``version``, or None (missing, another
    version or layout, unreadable: logged, never raised)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT or meta.get("version") != version:
                log.info("label index %s is for another graph version: reading labels", path)
                return None
            arrays = {name: archive[name] for name in archive.files}
        index = SearchIndex.from_arrays(arrays)
    except FileNotFoundError:
        return None
    except UNREADABLE as exc:
        log.warning("label index %s is unreadable, reading labels: %s", path, exc)
        return None
    if index is None:
        log.warning("label index %s is incomplete, reading labels", path)
        return None
    return LabelIndex(version, index)
