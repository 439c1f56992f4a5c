"""Label search: normalisation, the candidate rule and the ranking both stores share.

Both backends answer ``search`` with this module, so a query ranks the same nodes in the
same order whatever the store. The embedded store builds one :class:`SearchIndex` over
every node; the Neo4j store fetches a superset of the candidates with its full-text index
and calls :func:`rank`, which builds a small index over them and runs the same code.

Normalisation
-------------
:func:`normalize` folds case, strips accents (NFKD), spells ``+`` and ``#`` that end a word
(``c++`` → ``cplusplus``, ``c#`` → ``csharp``, so C, C++ and C# stay distinct) and turns any
other punctuation into a space. Tokens are the space-separated words of a normalised text;
:data:`STOPWORDS` (short French and English function words) are left out of matching and
coverage, unless a text has nothing else.

Candidate rule
--------------
A label can be a hit only if one of its tokens *matches* one of the query tokens
(:func:`query_tokens`). A query token ``q`` matches a label token ``t`` when

* ``t == q``, or
* ``len(q) >= PREFIX_MIN`` (3) and ``t`` starts with ``q``, or
* ``OSA(q, t) <= max_edits(q)``, where OSA is the optimal-string-alignment distance
  (Levenshtein plus adjacent transpositions) and ``max_edits`` is 0 up to 3 characters,
  1 up to 6, 2 beyond.

This is what a Lucene query ``q OR q* OR q~N`` finds on a field analysed by whitespace
holding the normalised tokens (Lucene's fuzzy query counts transpositions as one edit,
like OSA): :func:`index_text` gives that field for a node and :func:`lucene_query` the
query. A backend may pass :func:`rank` *more* candidates than the rule keeps — the rule is
applied again — but for every node with a matching label it must pass **all** the node's
labels (:func:`label_entries`), because a node's score uses its other labels as evidence.
Lucene expands a fuzzy term to at most 50 index terms by default; a backend relying on it
should raise that limit or check the terms itself with :func:`matching_terms`.

Ranking
-------
For a label with significant tokens ``L`` and a query with tokens ``Q`` (weights ``|q|``):

* token similarity ``sim(q, t)``: 100 if equal; ``90 + 10·|q|/|t|`` for a prefix;
  ``rapidfuzz.fuzz.ratio(q, t)`` within the edit bound; the best of those that apply;
* query coverage ``qcov = Σ |q|·max_t sim(q, t) / Σ |q|``;
* label coverage ``lcov`` = share of ``L`` matched by some query token;
* label score ``0.95 · qcov · (0.85 + 0.15·lcov)`` (at most 95); an alternative label
  scores :data:`ALT_PENALTY` less than a preferred one; a label equal to the query (after
  normalisation) scores 100 if preferred and 99 otherwise, above any other label;
* node score: its best label's score, plus :data:`EVIDENCE_BONUS` for each *other*
  distinct label scoring within :data:`EVIDENCE_WINDOW` of it (at most
  :data:`EVIDENCE_CAP`; not for exact matches). A node named many ways close to the query
  (ESCO's software developer is "développeur logiciels", "développeur applications",
  "soft developer", ...) wins over a node with one such label.

Labels scoring under :data:`MIN_SCORE` are dropped. Hits are ordered by score (rounded to
3 decimals) descending, then node id ascending; each carries its best label and the label's
language (on a tie between a node's labels: preferred first, then ``fr``, ``en``, then the
label's text).

Example
-------
>>> from cartonet.model import Node, NodeType
>>> dev = Node("x:1", NodeType.OCCUPATION, {"fr": "développeur web"}, "doc")
>>> nurse = Node("x:2", NodeType.OCCUPATION, {"fr": "infirmier"}, "doc")
>>> hits = rank("dévelopeur", [*label_entries(dev), *label_entries(nurse)], first=5)
>>> [(h.node.id, h.matched_label) for h in hits]
[('x:1', 'développeur web')]
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, overload

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from cartonet.model import LANGS, Node, NodeType
from cartonet.store.base import SearchHit, check_first

__all__ = [
    "ALT_PENALTY",
    "EVIDENCE_BONUS",
    "EVIDENCE_CAP",
    "EVIDENCE_WINDOW",
    "MAX_QUERY_TOKENS",
    "MIN_SCORE",
    "PREFIX_MIN",
    "STOPWORDS",
    "LabelEntry",
    "PackedStrings",
    "SearchIndex",
    "filter_text",
    "index_text",
    "is_candidate",
    "label_entries",
    "light_node",
    "lucene_query",
    "matching_terms",
    "max_edits",
    "normalize",
    "query_tokens",
    "rank",
    "token_similarity",
    "tokens",
]

MIN_SCORE = 50.0
"""Labels scoring less are not hits."""
PREFIX_MIN = 3
"""A query token this long or longer also matches label tokens it begins."""
MAX_QUERY_TOKENS = 16
"""Query tokens beyond this many are ignored (a pasted paragraph stays fast)."""
EXACT_PREFERRED = 100.0
EXACT_ALT = 99.0
NON_EXACT_SCALE = 0.95
"""Keeps every inexact label (95 at most, 98 with the evidence bonus) under exact ones."""
LABEL_COVERAGE_WEIGHT = 0.15
ALT_PENALTY = 1.0
EVIDENCE_WINDOW = 3.0
EVIDENCE_BONUS = 0.5
EVIDENCE_CAP = 3.0
MEMO_SIZE = 2_048
"""Rankings an index keeps (a few hits each: well under a megabyte)."""

# French and English function words: they match thousands of labels and say nothing.
STOPWORDS: frozenset[str] = frozenset(
    {
        *("a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the"),
        *("to", "with", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le"),
        *("les", "ou", "par", "pour", "sur", "un", "une"),
    }
)

_LANG_RANK = {lang: i for i, lang in enumerate(LANGS)}
# Combining marks of the Basic Multilingual Plane dropped, letters NFKD keeps whole spelled out.
_FOLD: dict[int, str | None] = {
    **{cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))},
    **{ord(k): v for k, v in zip("œæøđłı", ("oe", "ae", "o", "d", "l", "i"), strict=True)},
}
_SYMBOL = re.compile(r"(?<=[^\W_])(\+\+|\+|#)(?![^\W_])")
_SYMBOL_WORDS = {"++": "plusplus", "+": "plus", "#": "sharp"}
_NON_WORD = re.compile(r"[\W_]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def normalize(text: str) -> str:
    """``text`` folded for matching: lower case, no accents, words separated by one space.

    >>> normalize("Développeur d’Applications (C++/C#)")
    'developpeur d applications cplusplus csharp'
    """
    if text.isascii():
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", text).casefold().translate(_FOLD)
        if _ASTRAL.search(folded):  # rare: marks outside the table's range
            folded = "".join(c for c in folded if not unicodedata.combining(c))
    if "+" in folded or "#" in folded:
        folded = _SYMBOL.sub(lambda m: _SYMBOL_WORDS[m.group(1)], folded)
    return _NON_WORD.sub(" ", folded).strip()


def tokens(text: str) -> list[str]:
    """The words of ``normalize(text)``."""
    return normalize(text).split()


def _significant(words: Sequence[str]) -> list[str]:
    """Distinct words in order, without stopwords unless nothing else is left."""
    distinct = list(dict.fromkeys(words))
    kept = [w for w in distinct if w not in STOPWORDS]
    return kept or distinct


def query_tokens(text: str) -> list[str]:
    """The tokens a query matches with: distinct, in order, stopwords left out unless the
    query has nothing else, at most :data:`MAX_QUERY_TOKENS`.
    ``query_tokens("Gestion de projets")`` is ``['gestion', 'projets']``."""
    return _significant(tokens(text))[:MAX_QUERY_TOKENS]


def max_edits(token: str) -> int:
    """Edits (OSA distance) a query token tolerates: 0 up to 3 characters, 1 up to 6, else 2."""
    n = len(token)
    return 0 if n <= 3 else 1 if n <= 6 else 2


def token_similarity(query_token: str, label_token: str) -> float:
    """0..100 similarity of a query token to a label token; 0 when they do not match
    under the candidate rule (see the module docstring)."""
    q, t = query_token, label_token
    if q == t:
        return 100.0
    best = 0.0
    if len(q) >= PREFIX_MIN and t.startswith(q):
        best = 90.0 + 10.0 * len(q) / len(t)
    k = max_edits(q)
    if k and OSA.distance(q, t, score_cutoff=k) <= k:
        best = max(best, fuzz.ratio(q, t))
    return best


def is_candidate(query: str, label: str) -> bool:
    """Whether ``label`` can be a hit for ``query`` at all (the candidate rule)."""
    qs = query_tokens(query)
    return any(token_similarity(q, t) > 0 for q in qs for t in _significant(tokens(label)))


def matching_terms(query: str, vocabulary: Iterable[str]) -> set[str]:
    """The terms of ``vocabulary`` (normalised tokens) that some query token matches."""
    qs = query_tokens(query)
    return {t for t in vocabulary if any(token_similarity(q, t) > 0 for q in qs)}


def lucene_query(query: str) -> str | None:
    """A Lucene query finding every candidate of ``query`` in a field holding
    :func:`index_text` and analysed by whitespace; ``None`` when the query has no token.
    Tokens hold only letters and digits, so nothing needs escaping.

    >>> lucene_query("C++ dévelopeur")
    'cplusplus OR cplusplus* OR cplusplus~2 OR developeur OR developeur* OR developeur~2'
    """
    parts: list[str] = []
    for q in query_tokens(query):
        parts.append(q)
        if len(q) >= PREFIX_MIN:
            parts.append(f"{q}*")
        if max_edits(q):
            parts.append(f"{q}~{max_edits(q)}")
    return " OR ".join(parts) or None


class LabelEntry(NamedTuple):
    """One label of a node, as :func:`rank` takes it."""

    node: Node
    label: str
    lang: str | None
    preferred: bool


def label_entries(node: Node) -> list[LabelEntry]:
    """Every preferred and alternative label of ``node``, in every language."""
    out = [LabelEntry(node, text, lang, True) for lang, text in node.labels.items() if text]
    for lang, texts in node.alt_labels.items():
        out.extend(LabelEntry(node, text, lang, False) for text in texts if text)
    return out


def index_text(node: Node) -> str:
    """The distinct tokens of all of ``node``'s labels, space separated (for a full-text
    index analysed by whitespace; see :func:`lucene_query`)."""
    words: dict[str, None] = {}
    for entry in label_entries(node):
        words.update(dict.fromkeys(tokens(entry.label)))
    return " ".join(words)


def filter_text(node: Node) -> str:
    """``node``'s normalised labels, one per line: ``NodeFilter.text`` keeps a node when
    ``normalize(text)`` is a substring of this (a match never spans two labels)."""
    return "\n".join(dict.fromkeys(normalize(e.label) for e in label_entries(node)))


def _spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, start + length)`` for each pair, without a Python loop."""
    total = int(lengths.sum())
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _entry_order(entry: LabelEntry) -> tuple[bool, int, str, str]:
    lang_rank = _LANG_RANK.get(entry.lang or "", len(LANGS))
    return (not entry.preferred, lang_rank, entry.lang or "", entry.label)


class PackedStrings(Sequence[str]):
    """Strings kept as one UTF-8 buffer and where each ends: about four bytes a string
    instead of a Python object each (~50 bytes plus the text). Reading one decodes it
    (a microsecond), so this suits strings read a few at a time (the labels of the hits,
    a bisection), not a loop over all of them. Compares and sorts like the ``str`` it
    holds (UTF-8 byte order is code point order).

    >>> packed = PackedStrings.of(["infirmier", "développeur"])
    >>> len(packed), packed[1], list(packed)
    (2, 'développeur', ['infirmier', 'développeur'])
    """

    __slots__ = ("_blob", "_ends")

    def __init__(self, blob: bytes, ends: np.ndarray) -> None:
        self._blob = blob
        self._ends = ends

    @classmethod
    def of(cls, strings: Iterable[str]) -> PackedStrings:
        encoded = [s.encode("utf-8") for s in strings]
        ends = np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), dtype=np.int64)
        return cls(b"".join(encoded), ends)

    @classmethod
    def from_arrays(cls, blob: np.ndarray, ends: np.ndarray) -> PackedStrings:
        if len(ends) and (int(ends[-1]) != len(blob) or np.any(np.diff(ends) < 0)):
            raise ValueError("packed strings: offsets do not fit the buffer")
        return cls(blob.tobytes(), ends.astype(np.int64))

    def to_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.frombuffer(self._blob, dtype=np.uint8), self._ends

    def __len__(self) -> int:
        return len(self._ends)

    def _at(self, i: int) -> str:
        start = int(self._ends[i - 1]) if i else 0
        return self._blob[start : int(self._ends[i])].decode("utf-8")

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        n = len(self._ends)
        if not -n <= i < n:
            raise IndexError(i)
        return self._at(i % n)

    def __iter__(self) -> Iterator[str]:
        return (self._at(i) for i in range(len(self._ends)))


_NOTHING: Mapping[str, Any] = MappingProxyType({})


def light_node(node_id: str, type_: NodeType) -> Node:
    """A node holding only its id and type: what ranking reads (a few dozen bytes, where a
    whole node holds its labels and descriptions)."""
    return Node(node_id, type_, _NOTHING, "", _NOTHING, _NOTHING, _NOTHING, complete=False)


class SearchIndex:
    """Labels of a set of nodes, laid out for fast ranking.

    Normalised label texts are interned (one row each), their significant tokens form a
    sparse row × vocabulary matrix, and the vocabulary is kept sorted (prefix matches by
    bisection) and as a list for rapidfuzz (fuzzy matches in C). A query touches only the
    labels holding a matched token, and scores them with array operations.

    Memory: a full ESCO + ROME index holds ~200,000 labels. Positions are 32-bit arrays,
    the normalised texts one UTF-8 buffer (:class:`PackedStrings`), and a label itself is
    not copied: it is read back from its node (its place among the node's
    :func:`label_entries`) when a hit names it, or, for entries whose nodes do not carry
    their labels (the Neo4j store's light nodes), kept packed.

    Parameters
    ----------
    entries : labels to index; a node's labels may come in any order, duplicates of one
        (node id, language, normalised text) keep the first by preferred, language, text.
    """

    def __init__(
        self, entries: Iterable[LabelEntry], *, _places: Sequence[int] | None = None
    ) -> None:
        # _places (from_nodes): entry i is label_entries(entry.node)[_places[i]]
        self._memo: dict[tuple[Any, ...], tuple[SearchHit, ...]] = {}
        nodes: dict[str, Node] = {}
        raw: list[LabelEntry] = []
        raw_places: list[int] = []
        places_hold = _places is not None
        for i, entry in enumerate(entries):
            if entry.label:
                first = nodes.setdefault(entry.node.id, entry.node)
                places_hold = places_hold and first is entry.node
                raw.append(entry)
                if _places is not None:
                    raw_places.append(_places[i])
        ids = sorted(nodes)
        self.nodes: list[Node] = [nodes[i] for i in ids]  # index order = id order
        node_index = {node_id: i for i, node_id in enumerate(ids)}
        types = list(NodeType)
        self._node_type = np.array([types.index(n.type) for n in self.nodes], dtype=np.int8)

        # Language codes in tie-break order: fr, en, other languages by name, None last.
        langs = sorted(
            {e.lang for e in raw},
            key=lambda x: (x is None, _LANG_RANK.get(x or "", len(LANGS)), x or ""),
        )
        self._lang_list: list[str | None] = langs
        self._lang_codes: dict[str | None, int] = {lang: i for i, lang in enumerate(langs)}
        texts = sorted({e.label for e in raw})
        text_rank = {text: i for i, text in enumerate(texts)}
        norm_of = {text: normalize(text) for text in texts}
        norms = sorted(set(norm_of.values()) - {""})
        norm_ids = {norm: i for i, norm in enumerate(norms)}

        kept_at = [i for i, e in enumerate(raw) if norm_of[e.label]]
        kept = [raw[i] for i in kept_at]
        e_node = np.fromiter((node_index[e.node.id] for e in kept), np.int64, len(kept))
        e_pref = np.fromiter((e.preferred for e in kept), bool, len(kept))
        e_lang = np.fromiter((self._lang_codes[e.lang] for e in kept), np.int64, len(kept))
        e_text = np.fromiter((text_rank[e.label] for e in kept), np.int64, len(kept))
        e_norm = np.fromiter((norm_ids[norm_of[e.label]] for e in kept), np.int64, len(kept))
        # A node's labels in tie-break order (preferred, language, text); of the labels
        # sharing a (node, language, normalised text), the first one stays.
        order = np.lexsort((e_text, e_lang, ~e_pref, e_node))
        width = max(len(norms), 1)
        key = (e_node[order] * len(langs) + e_lang[order]) * width + e_norm[order]
        _, first_of_key = np.unique(key, return_index=True)
        order = order[np.sort(first_of_key)]
        self._e_node = e_node[order].astype(np.int32)
        self._e_pref = e_pref[order]
        self._e_lang = e_lang[order].astype(np.int8)
        self._e_norm = e_norm[order].astype(np.int32)
        self._label_at: np.ndarray | None = None
        self._label_text: PackedStrings | None = None
        if places_hold and _places is not None:
            self._label_at = np.asarray([raw_places[kept_at[i]] for i in order], dtype=np.int32)
        else:
            self._label_text = PackedStrings.of(texts[i] for i in e_text[order])

        # Norm → entries (CSR), so the score of a text shared by many labels is computed once.
        by_norm = np.argsort(self._e_norm, kind="stable")
        self._norm_entries = by_norm.astype(np.int32)
        self._norm_entry_ptr = np.searchsorted(
            self._e_norm[by_norm], np.arange(len(norms) + 1)
        ).astype(np.int32)

        # Norm × vocabulary (CSR of significant tokens) and its transpose (postings).
        vocab_ids: dict[str, int] = {}
        lengths = np.empty(len(norms), dtype=np.int32)
        indices: list[int] = []
        for row, norm in enumerate(norms):
            words = _significant(norm.split())
            lengths[row] = len(words)
            indices.extend([vocab_ids.setdefault(w, len(vocab_ids)) for w in words])
        self._norms = PackedStrings.of(norms)
        self._vocab: list[str] = list(vocab_ids)
        self._vocab_ids = vocab_ids
        self._sorted_vocab = sorted(vocab_ids)
        self._row_len = lengths
        self._row_ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
        self._row_tokens = np.array(indices, dtype=np.int32)
        rows = np.repeat(np.arange(len(norms), dtype=np.int32), lengths)
        by_token = np.argsort(self._row_tokens, kind="stable")
        self._post_rows = rows[by_token]
        self._post_ptr = np.searchsorted(
            self._row_tokens[by_token], np.arange(len(self._vocab) + 1)
        ).astype(np.int32)

    @classmethod
    def from_nodes(cls, nodes: Iterable[Node]) -> SearchIndex:
        """The index of every label of ``nodes``; a label is read back from its node when a
        hit names it, not kept twice."""
        entries: list[LabelEntry] = []
        places: list[int] = []
        for node in nodes:
            found = label_entries(node)
            entries.extend(found)
            places.extend(range(len(found)))
        return cls(entries, _places=places)

    def _label(self, entry: int) -> str:
        """The text of label ``entry`` (as it was given, not normalised)."""
        if self._label_at is not None:
            node = self.nodes[int(self._e_node[entry])]
            return label_entries(node)[int(self._label_at[entry])].label
        assert self._label_text is not None
        return self._label_text[entry]

    def _lang(self, entry: int) -> str | None:
        return self._lang_list[int(self._e_lang[entry])]

    # Persistence: what a restart reads back instead of building (arrays, and strings as
    # UTF-8; the nodes themselves stay with the store).
    _ARRAYS = (
        "_node_type",
        "_e_node",
        "_e_pref",
        "_e_lang",
        "_e_norm",
        "_norm_entries",
        "_norm_entry_ptr",
        "_row_len",
        "_row_ptr",
        "_row_tokens",
        "_post_rows",
        "_post_ptr",
    )

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The index as arrays (:meth:`from_arrays` reads them back)."""
        out = {f"search.{name}": getattr(self, name) for name in self._ARRAYS}
        texts = {"ids": [n.id for n in self.nodes], "langs": self._lang_list, "vocab": self._vocab}
        out["search.texts"] = np.frombuffer(
            json.dumps(texts, ensure_ascii=False).encode("utf-8"), dtype=np.uint8
        )
        out["search.norms"], out["search.norm_ends"] = self._norms.to_arrays()
        if self._label_at is not None:
            # each label as its place among its node's label_entries: read back, it is
            # the node's own string, not a second copy of 200k labels
            out["search._label_at"] = self._label_at
        else:
            assert self._label_text is not None
            out["search.labels"], out["search.label_ends"] = self._label_text.to_arrays()
        return out

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, np.ndarray], nodes: Mapping[str, Node] | None = None
    ) -> SearchIndex | None:
        """The index :meth:`to_arrays` wrote, over ``nodes`` (by id); None if a node it
        names is missing or of another type (the arrays are then not for these nodes).
        Without ``nodes``, over light nodes (:func:`light_node`) of the ids and types the
        arrays hold; the labels must then be in the arrays."""
        texts = json.loads(arrays["search.texts"].tobytes().decode("utf-8"))
        index = cls.__new__(cls)
        index._memo = {}
        for name in cls._ARRAYS:
            setattr(index, name, arrays[f"search.{name}"])
        types = list(NodeType)
        ids: list[str] = texts["ids"]
        if len(index._node_type) != len(ids):
            return None
        if nodes is None:
            if "search.labels" not in arrays:
                return None
            index.nodes = [
                light_node(i, types[t]) for i, t in zip(ids, index._node_type.tolist(), strict=True)
            ]
        else:
            found = [nodes.get(i) for i in ids]
            if any(n is None for n in found):
                return None
            index.nodes = found  # type: ignore[assignment]
            if any(
                types[t] != n.type
                for t, n in zip(index._node_type.tolist(), index.nodes, strict=True)
            ):
                return None
        index._lang_list = texts["langs"]
        index._lang_codes = {lang: i for i, lang in enumerate(index._lang_list)}
        index._vocab = texts["vocab"]
        index._norms = PackedStrings.from_arrays(arrays["search.norms"], arrays["search.norm_ends"])
        index._label_at = None
        index._label_text = None
        if "search.labels" in arrays:
            index._label_text = PackedStrings.from_arrays(
                arrays["search.labels"], arrays["search.label_ends"]
            )
            if len(index._label_text) != len(index._e_node):
                return None
        else:
            at = arrays["search._label_at"]
            if len(at) != len(index._e_node):
                return None
            # every place must name a label of its node (else another graph's arrays)
            counts = np.fromiter(
                (len(label_entries(n)) for n in index.nodes), np.int64, len(index.nodes)
            )
            if len(at) and (at.min() < 0 or np.any(at >= counts[index._e_node])):
                return None
            index._label_at = at
        index._vocab_ids = {w: i for i, w in enumerate(index._vocab)}
        index._sorted_vocab = sorted(index._vocab_ids)
        return index

    def __len__(self) -> int:
        return len(self._e_node)

    def _matched_vocab(self, q: str) -> dict[int, float]:
        """Vocabulary ids matching query token ``q``, with their similarity."""
        found: set[str] = set()
        if q in self._vocab_ids:
            found.add(q)
        if len(q) >= PREFIX_MIN:
            start = bisect.bisect_left(self._sorted_vocab, q)
            for word in self._sorted_vocab[start:]:
                if not word.startswith(q):
                    break
                found.add(word)
        k = max_edits(q)
        if k and self._vocab:
            dist = process.cdist(
                [q], self._vocab, scorer=OSA.distance, score_cutoff=k, dtype=np.int32
            )[0]
            found.update(self._vocab[i] for i in np.flatnonzero(dist <= k))
        return {self._vocab_ids[w]: token_similarity(q, w) for w in found}

    def search(
        self,
        query: str,
        first: int,
        *,
        types: Sequence[NodeType] | None = None,
        lang: str | None = None,
    ) -> list[SearchHit]:
        """The best ``first`` nodes for ``query`` (see the module docstring for the rule).

        Parameters
        ----------
        query : free text, any case and accents.
        first : how many hits at most (0..``MAX_PAGE``).
        types : keep nodes of these types only (``None`` or empty: all).
        lang : match labels of this language only (``None``: all languages).
        """
        check_first(first)
        # The index never changes once built (a new graph version gets a new index), so
        # a ranking can be kept: type-ahead inputs repeat ("nurse", "infirm"...) and a
        # kept ranking costs a dictionary look-up instead of the fuzzy match.
        key = (query, first, tuple(types) if types else None, lang)
        kept = self._memo.get(key)
        if kept is not None:
            return list(kept)
        hits = self._rank(query, first, types, lang)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.pop(next(iter(self._memo)), None)  # the oldest goes first
        self._memo[key] = tuple(hits)
        return hits

    def _rank(
        self, query: str, first: int, types: Sequence[NodeType] | None, lang: str | None
    ) -> list[SearchHit]:
        qnorm = normalize(query)
        qs = query_tokens(query)
        if not qs or first == 0 or not len(self._e_node):
            return []

        sims = [self._matched_vocab(q) for q in qs]
        matched_tokens = sorted({t for s in sims for t in s})
        if not matched_tokens:
            return []
        token_ids = np.array(matched_tokens, dtype=np.int64)
        starts = self._post_ptr[token_ids]
        rows = np.unique(self._post_rows[_spans(starts, self._post_ptr[token_ids + 1] - starts)])
        row_scores = self._score_rows(rows, qnorm, qs, sims)
        return self._aggregate(rows, row_scores, first, types, lang)

    def _score_rows(
        self, rows: np.ndarray, qnorm: str, qs: list[str], sims: list[dict[int, float]]
    ) -> np.ndarray:
        """Label score (before the alternative-label penalty) of each normalised text."""
        starts = self._row_ptr[rows]
        lengths = self._row_len[rows]
        flat = self._row_tokens[_spans(starts, lengths)]
        seg = np.cumsum(lengths) - lengths
        weights = np.array([len(q) for q in qs], dtype=np.float64)
        qcov = np.zeros(len(rows), dtype=np.float64)
        any_match = np.zeros(len(self._vocab), dtype=bool)
        for weight, sim in zip(weights, sims, strict=True):
            vec = np.zeros(len(self._vocab), dtype=np.float64)
            if sim:
                ids = np.fromiter(sim.keys(), dtype=np.int64, count=len(sim))
                vec[ids] = np.fromiter(sim.values(), dtype=np.float64, count=len(sim))
                any_match[ids] = True
            qcov += weight * np.maximum.reduceat(vec[flat], seg)
        qcov /= weights.sum()
        lcov = np.add.reduceat(any_match[flat].astype(np.float64), seg) / lengths
        scores = (
            NON_EXACT_SCALE * qcov * (1.0 - LABEL_COVERAGE_WEIGHT + LABEL_COVERAGE_WEIGHT * lcov)
        )
        # _norms is sorted: a bisection finds the query's row without a 200k-key dict
        exact = bisect.bisect_left(self._norms, qnorm)  # type: ignore[call-overload]
        if exact < len(self._norms) and self._norms[exact] == qnorm:
            scores[rows == exact] = EXACT_PREFERRED
        return scores

    def _aggregate(
        self,
        rows: np.ndarray,
        row_scores: np.ndarray,
        first: int,
        types: Sequence[NodeType] | None,
        lang: str | None,
    ) -> list[SearchHit]:
        # Expand texts to the labels (entries) carrying them.
        starts = self._norm_entry_ptr[rows]
        counts = self._norm_entry_ptr[rows + 1] - starts
        entries = self._norm_entries[_spans(starts, counts)]
        scores = np.repeat(row_scores, counts)
        alt = ~self._e_pref[entries]
        exact = scores >= EXACT_PREFERRED
        scores = np.where(alt, np.where(exact, EXACT_ALT, scores - ALT_PENALTY), scores)

        keep = scores >= MIN_SCORE
        if lang is not None:
            code = self._lang_codes.get(lang)
            keep &= self._e_lang[entries] == (-1 if code is None else code)
        if types:
            wanted = [list(NodeType).index(NodeType(t)) for t in types]
            keep &= np.isin(self._node_type[self._e_node[entries]], wanted)
        entries, scores = entries[keep], scores[keep]
        if len(entries) == 0:
            return []

        # Best label per node: lowest node index, highest score, then entry order.
        nodes = self._e_node[entries].astype(np.int64)  # 64 bits: multiplied below
        order = np.lexsort((entries, -scores, nodes))
        entries, scores, nodes = entries[order], scores[order], nodes[order]
        head = np.flatnonzero(np.r_[True, nodes[1:] != nodes[:-1]])
        best = scores[head]
        best_of_entry = np.repeat(best, np.diff(np.r_[head, len(nodes)]))

        # Evidence: other distinct texts of the node scoring close to its best label.
        close = scores >= best_of_entry - EVIDENCE_WINDOW
        keys = np.unique(nodes[close] * len(self._norms) + self._e_norm[entries[close]])
        distinct = np.bincount(keys // len(self._norms), minlength=len(self.nodes))
        evidence = distinct[nodes[head]] - 1
        bonus = np.minimum(EVIDENCE_CAP, EVIDENCE_BONUS * evidence)
        final = np.round(np.where(best >= EXACT_ALT, best, best + bonus), 3)

        ranking = np.lexsort((nodes[head], -final))[:first]
        hits = []
        for i in ranking:
            entry = int(entries[head[i]])
            hits.append(
                SearchHit(
                    node=self.nodes[int(nodes[head[i]])],
                    score=float(final[i]),
                    matched_label=self._label(entry),
                    matched_lang=self._lang(entry),
                )
            )
        return hits


def rank(
    query: str,
    candidates: Iterable[LabelEntry | tuple[Node, str, str | None, bool]],
    first: int,
    *,
    types: Sequence[NodeType] | None = None,
    lang: str | None = None,
) -> list[SearchHit]:
    """Rank candidate labels for ``query``: the hits the embedded store would return if it
    held only these nodes.

    Parameters
    ----------
    query : the user's text.
    candidates : ``(node, label, lang, preferred)`` for **every** label of each node that
        may match (a superset is fine: the candidate rule is applied here).
    first : how many hits at most.
    types, lang : as in :meth:`SearchIndex.search`.

    Returns
    -------
    Hits, best first; ties by node id.
    """
    return SearchIndex(LabelEntry(*c) for c in candidates).search(
        query, first, types=types, lang=lang
    )
