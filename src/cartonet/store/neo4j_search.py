"""Lucene queries that find, in Neo4j's full-text index, every candidate of a search.

The Neo4j store indexes each node's :func:`~cartonet.store.search.index_text` (its
normalised label tokens) in a full-text index analysed by whitespace, then ranks what the
index returns with the shared :func:`~cartonet.store.search.rank`. For the ranking to equal
the embedded store's, the index must return **every** node the shared candidate rule
accepts. :func:`candidate_queries` builds queries that do:

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

from collections.abc import Sequence

from cartonet.store.search import PREFIX_MIN, matching_terms, max_edits, query_tokens

__all__ = ["MAX_CLAUSES", "candidate_queries", "escape"]

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
