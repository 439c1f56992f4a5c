"""TF-IDF vectors of texts: character n-grams for titles, words for longer content.

Occupation titles in two languages, with plurals, feminine forms and compounds
("Cuisinier / Cuisinière", "aide-cuisinier", "cook") share few whole words but many
character n-grams, so n-grams of 3 to 5 characters inside each word compare them well
(the "char_wb" analyser of common IR toolkits; see Manning, Raghavan & Schütze,
*Introduction to Information Retrieval*, 2008, ch. 3 and 6 for n-gram indexes and TF-IDF).

Words are turned into n-grams once per distinct word, then a document is the sparse
product (document × word counts) · (word × n-gram), which keeps a whole taxonomy
(thousands of documents, a few thousand characters each) under a second.

Longer content (descriptions, the labels of an occupation's forty skills) is compared on
words instead (:func:`word_tfidf_matrix`): as accurate on the ROME mobility check, with
fifteen times fewer non-zeros, so products stay fast on a full taxonomy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""Combining marks (the accents NFKD splits off letters)."""
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
"""Letters NFKD does not decompose ("main-d'œuvre", "œnologue")."""

STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cette",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "il",
        "la",
        "le",
        "les",
        "leur",
        "l",
        "ou",
        "par",
        "pas",
        "pour",
        "qui",
        "que",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
        "est",
        "etre",
        "peut",
        "selon",
        "ainsi",
        "afin",
        "entre",
        "vers",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "within",
        "its",
        "their",
    ]
)
"""Function words of French and English: frequent everywhere, they only add noise."""


def normalize(text: str) -> str:
    """Lower case, accents removed, anything but letters and digits turned into spaces.

    >>> normalize("Aide-Cuisinier / Aide-Cuisinière")
    'aide cuisinier aide cuisiniere'
    >>> normalize("Main-d'œuvre")
    'main d oeuvre'
    """
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES)))
    return _NON_ALNUM.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Content words of ``text``: normalized, without stop words and one-letter tokens."""
    return [w for w in normalize(text).split() if len(w) > 1 and w not in STOPWORDS]


def char_ngrams(word: str, sizes: Sequence[int] = (3, 4, 5)) -> list[str]:
    """The n-grams of ``word`` padded with a space on each side (word-bounded n-grams).

    >>> char_ngrams("chef", (3,))
    [' ch', 'che', 'hef', 'ef ']
    """
    padded = f" {word} "
    return [padded[i : i + n] for n in sizes for i in range(len(padded) - n + 1)]


def tfidf_matrix(
    documents: Sequence[Iterable[str]], sizes: Sequence[int] = (3, 4, 5)
) -> sp.csr_matrix:
    """L2-normalised TF-IDF vectors of word-bounded character n-grams, one row per document.

    Parameters
    ----------
    documents:
        Each document is an iterable of texts (e.g. a title, its synonyms, a description);
        they are concatenated.
    sizes:
        The n-gram lengths.

    Returns
    -------
    A ``len(documents) × n_ngrams`` CSR matrix whose rows have unit norm (an empty document
    gives a zero row). Term frequencies are damped (``1 + ln tf``) and weighted by the
    smoothed inverse document frequency ``ln((1 + N) / (1 + df)) + 1``, so the dot product
    of two rows is their cosine similarity.

    Example
    -------
    >>> m = tfidf_matrix([["cuisinier"], ["aide-cuisinier"], ["infirmier"]])
    >>> float((m[0] @ m[1].T).toarray()[0, 0]) > float((m[0] @ m[2].T).toarray()[0, 0])
    True
    """
    doc_word, word_index = _bag_of_words(documents, lambda w: w)
    gram_index: dict[str, int] = {}
    w_rows: list[int] = []
    w_cols: list[int] = []
    for w, j in word_index.items():
        for g in char_ngrams(w, sizes):
            w_rows.append(j)
            w_cols.append(gram_index.setdefault(g, len(gram_index)))
    word_gram = sp.csr_matrix(
        (np.ones(len(w_rows), dtype=np.float64), (w_rows, w_cols)),
        shape=(len(word_index), len(gram_index)),
    )
    return _damped_tfidf((doc_word @ word_gram).tocsr(), len(documents))


def light_stem(word: str) -> str:
    """Drop a final plural ``s`` / ``x`` of a word longer than four letters, so that
    "soins" meets "soin" and "patients" meets "patient". Crude, but applied the same way to
    both sides of every comparison, which is all a similarity needs.

    >>> light_stem("patients"), light_stem("bus")
    ('patient', 'bus')
    """
    return word[:-1] if len(word) > 4 and word[-1] in "sx" else word


def word_tfidf_matrix(documents: Sequence[Iterable[str]]) -> sp.csr_matrix:
    """L2-normalised TF-IDF vectors of content words (lightly stemmed), one row per document.

    Same weighting as :func:`tfidf_matrix` (``1 + ln tf`` times the smoothed IDF).

    >>> m = word_tfidf_matrix([["soins aux patients"], ["soin du patient"], ["cuisine"]])
    >>> round(float((m[0] @ m[1].T).toarray()[0, 0]), 3)
    1.0
    """
    counts, _ = _bag_of_words(documents, light_stem)
    return _damped_tfidf(counts, len(documents))


def _bag_of_words(
    documents: Sequence[Iterable[str]], term: Callable[[str], str]
) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Occurrences of each ``term(word)`` in each document (duplicates not yet summed), and
    the column of each term."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    seen: dict[str, list[int]] = {}  # skill labels recur in many documents: tokenise once
    for i, texts in enumerate(documents):
        for text in texts:
            if not text:
                continue
            ids = seen.get(text)
            if ids is None:
                ids = [vocab.setdefault(term(w), len(vocab)) for w in words(text)]
                seen[text] = ids
            rows.extend([i] * len(ids))
            cols.extend(ids)
    counts = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(documents), len(vocab))
    )
    return counts, vocab


def _damped_tfidf(counts: sp.csr_matrix, n_docs: int) -> sp.csr_matrix:
    """``counts`` (CSR, changed in place) weighted ``(1 + ln tf) · (ln((1 + N) / (1 + df)) + 1)``
    and L2-normalised by row."""
    counts.sum_duplicates()
    if counts.nnz == 0:
        return counts
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    return l2_normalize_rows(counts)


def l2_normalize_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` with every non-zero row scaled to unit Euclidean norm."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(scale) @ matrix)
