"""The embedded store and the search ranking on the whole real ESCO v1.1.1 release."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA
from real_esco import read_esco

from cartonet.model import Dataset, Node, NodeType, RelType
from cartonet.store.base import MAX_PAGE, Direction, NodeFilter
from cartonet.store.embedded import EmbeddedStore
from cartonet.store.search import (
    EXACT_PREFERRED,
    SearchIndex,
    index_text,
    label_entries,
    lucene_query,
    normalize,
    rank,
)

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]

SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"


@pytest.fixture(scope="module")
def esco(shared_data_dir: Path) -> Dataset:
    root = shared_data_dir / "esco"
    if not (root / "v1.1.1" / "en" / "occupations_en.csv").is_file():
        pytest.fail(f"ESCO v1.1.1 not found under {root}")
    return read_esco(root)


@pytest.fixture(scope="module")
async def full(
    esco: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path_factory.mktemp("esco") / "esco.sqlite")
    await store.open()
    await store.load(esco)
    yield store
    await store.close()


async def test_counts_match_the_source(full: EmbeddedStore, esco: Dataset) -> None:
    stats = await full.stats()
    assert (stats.occupations, stats.skills) == (3007, 13896)
    assert stats.groups == sum(
        1 for n in esco.nodes if n.type in (NodeType.SKILL_GROUP, NodeType.OCCUPATION_GROUP)
    )
    assert stats.relations == len(esco.relationships) > 140_000


async def test_loading_it_again_writes_nothing(full: EmbeddedStore, esco: Dataset) -> None:
    version = await full.version()
    report = await full.load(esco)
    assert (report.nodes_written, report.relationships_written) == (0, 0)
    assert report.version == version


async def test_reopen_reads_the_same_graph(full: EmbeddedStore) -> None:
    other = EmbeddedStore(full.path)
    await other.open()
    try:
        assert await other.stats() == await full.stats()
        ids = [SOFTWARE_DEVELOPER]
        assert await other.get_nodes(ids) == await full.get_nodes(ids)
        mine = await full.neighbours(ids, RelType.REQUIRES, Direction.OUT)
        theirs = await other.neighbours(ids, RelType.REQUIRES, Direction.OUT)
        assert [e.node.id for e in mine[ids[0]]] == [e.node.id for e in theirs[ids[0]]]
        assert len(mine[ids[0]]) == 104  # rows of occupationSkillRelations.csv for it
    finally:
        await other.close()


@pytest.mark.parametrize("query", ["developpeur logiciel", "dévelopeur", "software developer"])
async def test_software_developer_in_the_top_three(full: EmbeddedStore, query: str) -> None:
    hits = await full.search(query, None, None, 3)
    assert SOFTWARE_DEVELOPER in [h.node.id for h in hits], [h.matched_label for h in hits]


async def test_infirmier_finds_nurses(full: EmbeddedStore) -> None:
    hits = await full.search("infirmier", None, None, 5)
    assert all(h.node.type == NodeType.OCCUPATION for h in hits)
    assert all("infirmi" in normalize(h.matched_label) for h in hits)
    nurses = [
        h for h in hits if any("nurse" in x for x in (h.node.labels["en"], *h.node.alt("en")))
    ]
    assert len(nurses) >= 3


async def test_exact_preferred_labels_rank_first(full: EmbeddedStore, esco: Dataset) -> None:
    sample = random.Random(2022).sample(esco.nodes, 150)
    by_label: dict[str, set[str]] = {}
    for node in esco.nodes:
        for label in node.labels.values():
            by_label.setdefault(normalize(label), set()).add(node.id)
    for node in sample:
        for lang, label in node.labels.items():
            top = (await full.search(label, None, lang, 1))[0]
            assert top.score == EXACT_PREFERRED, label
            assert top.node.id in by_label[normalize(label)], label


async def test_text_filter_at_scale(full: EmbeddedStore, esco: Dataset) -> None:
    page = await full.list_nodes(NodeType.OCCUPATION, NodeFilter(text="infirmier"), 50, None)
    expected = sorted(
        n.id
        for n in esco.nodes
        if n.type == NodeType.OCCUPATION
        and any("infirmier" in normalize(e.label) for e in label_entries(n))
    )
    assert [n.id for n in page.items] == expected[:50] and page.total_count == len(expected)


@pytest.fixture(scope="module")
def index(esco: Dataset) -> SearchIndex:
    return SearchIndex.from_nodes(esco.nodes)


@pytest.fixture(scope="module")
def terms(esco: Dataset) -> dict[str, list[str]]:
    return {n.id: index_text(n).split() for n in esco.nodes}


def _lucene_superset(query: str, nodes: list[Node], terms: dict[str, list[str]]) -> list[Node]:
    """Nodes a whitespace-analysed Lucene field of ``index_text`` returns for
    ``lucene_query`` (exact terms, ``t*``, ``t~N`` within N OSA edits)."""
    clauses = (lucene_query(query) or "").split(" OR ")

    def hit(term: str) -> bool:
        for clause in clauses:
            if clause.endswith("*") and term.startswith(clause[:-1]):
                return True
            if "~" in clause:
                word, edits = clause.split("~")
                if OSA.distance(word, term) <= int(edits):
                    return True
            if term == clause:
                return True
        return False

    vocabulary = {t for ts in terms.values() for t in ts}
    matched = {t for t in vocabulary if hit(t)}
    return [n for n in nodes if matched.intersection(terms[n.id])]


@pytest.mark.parametrize("query", ["dévelopeur", "infirmière de bloc", "c++", "gestion projet"])
def test_ranking_a_fetched_superset_gives_the_same_hits(
    esco: Dataset, index: SearchIndex, terms: dict[str, list[str]], query: str
) -> None:
    fetched = _lucene_superset(query, esco.nodes, terms)
    assert 0 < len(fetched) < len(esco.nodes)
    candidates = [e for n in fetched for e in label_entries(n)]
    assert rank(query, candidates, MAX_PAGE) == index.search(query, MAX_PAGE)
