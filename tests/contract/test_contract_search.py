"""Search answers the same on every store: the ranking of :mod:`cartonet.store.search`
applied to the labels the store holds."""

from __future__ import annotations

import pytest
from contract_data import SOFTWARE_DEVELOPER, all_nodes

from cartonet.errors import InvalidArgument
from cartonet.model import LANGS, NodeType
from cartonet.store.base import MAX_PAGE, Store
from cartonet.store.search import EXACT_PREFERRED, label_entries, normalize, rank

NODES = all_nodes()
ENTRIES = [e for n in NODES for e in label_entries(n)]

QUERIES = [
    "developpeur logiciel",
    "dévelopeur",
    "software developer",
    "infirmier",
    "INFIRMIÈRE de soins",
    "nurse",
    "c++",
    "python",
    "écoute active",
    "analyse des spécifications",
    "informatique",
    "sofware develper",
    "de",
    "zzzz qqqq",
]


def _key(hits: list) -> list[tuple[str, float, str, str | None]]:
    return [(h.node.id, h.score, h.matched_label, h.matched_lang) for h in hits]


@pytest.mark.parametrize("query", QUERIES)
async def test_search_ranks_like_the_reference(loaded: Store, query: str) -> None:
    found = await loaded.search(query, None, None, 10)
    assert _key(found) == _key(rank(query, ENTRIES, 10))
    assert found == [] or found[0].node in NODES


@pytest.mark.parametrize("query", ["developpeur", "nurse", "informatique", "soins"])
@pytest.mark.parametrize("lang", LANGS)
async def test_search_in_one_language(loaded: Store, query: str, lang: str) -> None:
    found = await loaded.search(query, None, lang, 20)
    assert _key(found) == _key(rank(query, ENTRIES, 20, lang=lang))
    assert all(h.matched_lang == lang for h in found)


@pytest.mark.parametrize(
    "types",
    [[NodeType.SKILL], [NodeType.OCCUPATION], [NodeType.OCCUPATION, NodeType.SKILL_GROUP]],
)
async def test_search_by_type(loaded: Store, types: list[NodeType]) -> None:
    found = await loaded.search("informatique", types, None, 20)
    assert _key(found) == _key(rank("informatique", ENTRIES, 20, types=types))
    assert found and all(h.node.type in types for h in found)


async def test_first_bounds_the_hits(loaded: Store) -> None:
    everything = await loaded.search("infirmier", None, None, MAX_PAGE)
    assert len(everything) > 3
    assert _key(await loaded.search("infirmier", None, None, 3)) == _key(everything[:3])
    assert await loaded.search("infirmier", None, None, 0) == []


@pytest.mark.parametrize("first", [-1, MAX_PAGE + 1])
async def test_first_out_of_range(loaded: Store, first: int) -> None:
    with pytest.raises(InvalidArgument) as err:
        await loaded.search("nurse", None, None, first)
    assert err.value.argument == "first"


async def test_unknown_language_is_refused(loaded: Store) -> None:
    with pytest.raises(InvalidArgument) as err:
        await loaded.search("nurse", None, "klingon", 5)
    assert err.value.argument == "lang"


@pytest.mark.parametrize("query", ["developpeur logiciel", "dévelopeur", "software developer"])
async def test_software_developer_in_the_top_three(loaded: Store, query: str) -> None:
    found = await loaded.search(query, None, None, 3)
    assert SOFTWARE_DEVELOPER in [h.node.id for h in found]


async def test_an_exact_preferred_label_ranks_first(loaded: Store) -> None:
    checked = 0
    for node in NODES:
        for lang, label in node.labels.items():
            same = {
                n.id
                for n in NODES
                if any(normalize(x) == normalize(label) for x in n.labels.values())
            }
            found = await loaded.search(label, None, lang, 5)
            assert found[0].score == EXACT_PREFERRED, label
            assert found[0].node.id in same, label
            checked += 1
    assert checked > len(NODES)
