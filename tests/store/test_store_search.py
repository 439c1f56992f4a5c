"""The shared search ranking: normalisation, the candidate rule, scores and ties."""

from __future__ import annotations

import doctest
import random
import sys
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA

from cartonet.errors import InvalidArgument
from cartonet.model import Node, NodeType
from cartonet.store import search
from cartonet.store.base import MAX_PAGE
from cartonet.store.search import (
    EVIDENCE_BONUS,
    EXACT_ALT,
    EXACT_PREFERRED,
    MAX_QUERY_TOKENS,
    MIN_SCORE,
    LabelEntry,
    SearchIndex,
    filter_text,
    index_text,
    is_candidate,
    label_entries,
    lucene_query,
    matching_terms,
    max_edits,
    normalize,
    query_tokens,
    rank,
    token_similarity,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "contract"))
from contract_data import all_nodes

OCC, SKILL = NodeType.OCCUPATION, NodeType.SKILL


def node(id_: str, fr: str | None = None, en: str | None = None, *alts: str, type_=OCC) -> Node:
    labels = {k: v for k, v in (("fr", fr), ("en", en)) if v}
    return Node(id_, type_, labels, "test", {"fr": tuple(alts)} if alts else {})


def entries(*nodes: Node) -> list[LabelEntry]:
    return [e for n in nodes for e in label_entries(n)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Développeur d’Applications", "developpeur d applications"),
        ("  INFIRMIÈRE\xa0de   soins ", "infirmiere de soins"),
        ("C++", "cplusplus"),
        ("C#", "csharp"),
        ("C/C++ et C#", "c cplusplus et csharp"),
        ("Notepad++", "notepadplusplus"),
        ("a+b", "a b"),
        ("#tag", "tag"),
        ("œuvre, Ærø", "oeuvre aero"),
        ("Straße", "strasse"),
        ("e-learning (ELEARNING)", "e learning elearning"),
        ("«lean»", "lean"),
        ("!!!", ""),
        ("𝐀BC ǰ", "abc j"),  # compatibility letters, marks from case folding
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_c_languages_stay_distinct() -> None:
    assert len({normalize(x) for x in ("C", "C++", "C#", "c")}) == 3


def test_query_tokens() -> None:
    assert query_tokens("Gestion de projets de projets") == ["gestion", "projets"]
    assert query_tokens("de la") == ["de", "la"]  # nothing else: stopwords kept
    assert query_tokens("  ") == []


def test_max_edits_grows_with_length() -> None:
    assert [max_edits("x" * n) for n in (1, 3, 4, 6, 7, 12)] == [0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize(
    ("q", "t", "matches"),
    [
        ("nurse", "nurse", True),
        ("infirm", "infirmier", True),  # prefix
        ("dev", "developer", True),  # prefix from 3 characters
        ("de", "developer", False),  # too short for a prefix
        ("nrse", "nurse", True),  # one insertion
        ("nusre", "nurse", True),  # one transposition (OSA), two plain edits
        ("nusr", "nurse", False),
        ("developeur", "developpeur", True),
        ("devlopeur", "developpeur", True),  # two edits on a long token
        ("web", "wob", False),  # short tokens must be exact
    ],
)
def test_token_rule(q: str, t: str, matches: bool) -> None:
    assert (token_similarity(q, t) > 0) is matches


def test_token_similarity_orders_exact_prefix_fuzzy() -> None:
    exact = token_similarity("infirmier", "infirmier")
    prefix = token_similarity("infirmier", "infirmiere")
    fuzzy = token_similarity("infirmier", "infirmer")
    assert exact == 100 > prefix > fuzzy > 0


def test_exact_match_ranks_first_even_against_much_evidence() -> None:
    crowded = node(
        "a:1",
        "soudeur laser",
        None,
        "soudeur laser x",
        "soudeur laser y",
        "soudeuse laser",
        "soudeur au laser",
        "soudeurs laser",
    )
    # "soudeur" only as an alternative label, on a node whose id sorts last.
    exact = Node("z:9", OCC, {"en": "welder"}, "test", {"fr": ("soudeur",)})
    hits = rank("Soudeur", entries(crowded, exact), 5)
    assert [h.node.id for h in hits] == ["z:9", "a:1"]
    assert hits[0].score == EXACT_ALT and hits[1].score < EXACT_ALT
    assert hits[0].matched_label == "soudeur" and hits[0].matched_lang == "fr"


def test_preferred_label_beats_alternative() -> None:
    alt = Node("a:1", OCC, {"en": "arc welder"}, "test", {"en": ("welder",)})
    pref = Node("b:2", OCC, {"en": "welder"}, "test")
    hits = rank("welder", entries(alt, pref), 5)
    assert [(h.node.id, h.score) for h in hits] == [("b:2", EXACT_PREFERRED), ("a:1", EXACT_ALT)]


def test_more_labels_close_to_the_query_rank_higher() -> None:
    one = node("a:1", "développeur web")
    many = node(
        "b:2", "développeur logiciels", None, "développeur applications", "développeur programmes"
    )
    hits = rank("developpeur", entries(one, many), 5)
    assert [h.node.id for h in hits] == ["b:2", "a:1"]
    assert hits[0].score == pytest.approx(hits[1].score + 2 * EVIDENCE_BONUS)


def test_ties_are_broken_by_id() -> None:
    nodes = [node(f"x:{i}", "infirmier de bloc") for i in (3, 1, 2)]
    hits = rank("infirmier de bloc", entries(*nodes), 5)
    assert [h.node.id for h in hits] == ["x:1", "x:2", "x:3"]
    assert len({h.score for h in hits}) == 1


def test_candidate_order_and_duplicates_do_not_matter() -> None:
    nodes = all_nodes()
    all_entries = entries(*nodes)
    shuffled = list(all_entries) + all_entries[:40]
    random.Random(7).shuffle(shuffled)
    for query in ("infirmier", "developpeur logiciel", "nurse", "python"):
        assert rank(query, shuffled, 20) == rank(query, all_entries, 20)


def test_lang_restricts_the_labels_that_match() -> None:
    only_en = Node("a:1", OCC, {"en": "nurse"}, "test")
    both = Node(
        "b:2", OCC, {"en": "nurse assistant", "fr": "aide-soignant"}, "test", {"fr": ("nurse",)}
    )
    assert [h.node.id for h in rank("nurse", entries(only_en, both), 5, lang="fr")] == ["b:2"]
    hits = rank("nurse", entries(only_en, both), 5, lang="en")
    assert [h.node.id for h in hits] == ["a:1", "b:2"]
    assert {h.matched_lang for h in hits} == {"en"}


def test_types_filter() -> None:
    nodes = [node("a:1", "soins infirmiers", type_=SKILL), node("b:2", "infirmier")]
    assert [h.node.id for h in rank("infirmier", entries(*nodes), 5, types=[SKILL])] == ["a:1"]
    assert [h.node.type for h in rank("infirmier", entries(*nodes), 5, types=[OCC])] == [OCC]


def test_scores_sorted_bounded_and_above_minimum() -> None:
    hits = rank("developpeur logiciel", entries(*all_nodes()), MAX_PAGE)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(MIN_SCORE <= s <= 100 for s in scores)
    assert len(hits) > 3


def test_nothing_to_match() -> None:
    index = SearchIndex(entries(*all_nodes()))
    assert index.search("", 5) == []
    assert index.search("?!", 5) == []
    assert index.search("qqqqqq zzzzzz", 5) == []
    assert SearchIndex([]).search("nurse", 5) == []


def test_first_is_checked() -> None:
    with pytest.raises(InvalidArgument):
        rank("nurse", [], MAX_PAGE + 1)


def test_is_candidate_agrees_with_the_index() -> None:
    nodes = all_nodes()
    index = SearchIndex(entries(*nodes))
    for query in ("infirmier", "developeur", "c++", "python", "analyse"):
        hit_ids = {h.node.id for h in index.search(query, MAX_PAGE)}
        candidate_ids = {
            n.id for n in nodes if any(is_candidate(query, e.label) for e in label_entries(n))
        }
        assert hit_ids <= candidate_ids
        assert hit_ids, query


def _lucene_hits(query: str, nodes: list[Node]) -> list[Node]:
    """What a Lucene index of ``index_text`` (whitespace analyser) returns for
    ``lucene_query``: exact terms, ``term*`` prefixes, ``term~N`` within N OSA edits
    (Lucene counts a transposition as one edit)."""
    clauses = (lucene_query(query) or "").split(" OR ")

    def term_matches(clause: str, term: str) -> bool:
        if clause.endswith("*"):
            return term.startswith(clause[:-1])
        if "~" in clause:
            word, edits = clause.split("~")
            return OSA.distance(word, term) <= int(edits)
        return term == clause

    return [
        n
        for n in nodes
        if any(term_matches(c, t) for c in clauses if c for t in index_text(n).split())
    ]


@pytest.mark.parametrize(
    "query", ["dévelopeur", "developpeur logiciel", "infirmière", "C++", "nusre", "de", "écoute"]
)
def test_a_lucene_superset_ranks_like_the_full_index(query: str) -> None:
    nodes = all_nodes()
    fetched = _lucene_hits(query, nodes)
    assert len(fetched) < len(nodes) or query == "de"
    full = SearchIndex(entries(*nodes)).search(query, MAX_PAGE)
    assert rank(query, entries(*fetched), MAX_PAGE) == full
    assert {h.node.id for h in full} <= {n.id for n in fetched}


def test_matching_terms() -> None:
    assert matching_terms("dévelopeur web", ["developpeur", "developer", "web", "wob", "dev"]) == {
        "developpeur",
        "developer",
        "web",
    }


def test_filter_text_keeps_labels_apart() -> None:
    n = node("a:1", "aide soignant", "nurse", "aide-soignante")
    text = filter_text(n)
    assert "aide soignant" in text and "nurse" in text
    assert "soignant nurse" not in text  # no match across two labels


def test_long_queries_are_cut() -> None:
    words = [f"mot{i:02d}" for i in range(40)]
    assert query_tokens(" ".join(words)) == words[:MAX_QUERY_TOKENS]
    head = node("a:1", " ".join(words[:MAX_QUERY_TOKENS]))
    (hit,) = rank(" ".join(words), entries(head), 5)
    # Every kept token found and every label token matched: the words beyond were ignored.
    assert hit.score == pytest.approx(95.0)


def test_docstring_examples() -> None:
    assert doctest.testmod(search).failed == 0


def test_a_kept_ranking_answers_like_a_fresh_one() -> None:
    """The index keeps rankings it computed; asking again (or with other arguments)
    answers exactly as an index that never saw the query."""
    nodes = all_nodes()
    kept = SearchIndex(e for n in nodes for e in label_entries(n))
    asks = [
        ("dévelopeur", 10, None, None),
        ("dévelopeur", 3, None, None),
        ("dévelopeur", 10, [NodeType.SKILL], None),
        ("dévelopeur", 10, None, "en"),
        ("nurse", 5, [NodeType.OCCUPATION], "en"),
    ]
    for query, first, types, lang in asks * 2:
        fresh = SearchIndex(e for n in nodes for e in label_entries(n))
        expected = fresh.search(query, first, types=types, lang=lang)
        got = kept.search(query, first, types=types, lang=lang)
        assert got == expected
        got.clear()  # a caller changing its list does not change the kept one
    assert kept.search("dévelopeur", 10) and kept.search("nurse", 5)
