"""Reads every store answers the same way: lookups, lists, neighbourhoods, stats."""

from __future__ import annotations

import pytest
from contract_data import (
    ESCO,
    SOFTWARE_DEVELOPER,
    all_nodes,
    all_relationships,
)
from contract_expect import as_tuples, below, by_id, edges, ids_of_type, text_matches

from cartonet.errors import InvalidArgument
from cartonet.model import Node, NodeType, RelType, SkillKind
from cartonet.store.base import MAX_PAGE, Direction, NodeFilter, Store, encode_cursor

NODES = by_id(all_nodes())
RELS = all_relationships()


async def test_is_a_store(store: Store) -> None:
    assert isinstance(store, Store)


async def test_get_nodes_in_the_order_asked(loaded: Store) -> None:
    ids = sorted(NODES, reverse=True)
    asked = [ids[3], "rome:Z9999", ids[0], ids[3], ESCO + "occupation/unknown"]
    found = await loaded.get_nodes(asked)
    assert found == [NODES.get(i) for i in asked]
    assert found[1] is None and found[4] is None


async def test_every_node_reads_back_as_loaded(loaded: Store) -> None:
    ids = sorted(NODES)
    assert await loaded.get_nodes(ids) == [NODES[i] for i in ids]


async def test_entry_requirements_read_back_with_their_types(loaded: Store) -> None:
    """Entry level (an integer), the regulated flag (a boolean), the diploma and the source
    sentence survive a load in every backend, by id and in lists."""
    carrying = [n for n in NODES.values() if "regulated" in n.props]
    assert any(n.props["regulated"] for n in carrying)
    assert any("requiredDiploma" in n.props for n in carrying)
    found = await loaded.get_nodes([n.id for n in carrying])
    assert found == carrying
    for node in found:
        assert node is not None and isinstance(node.props["regulated"], bool)
        if "entryLevel" in node.props:
            level = node.props["entryLevel"]
            assert isinstance(level, int) and not isinstance(level, bool)
    page = await loaded.list_nodes(NodeType.OCCUPATION, NodeFilter(), MAX_PAGE, None)
    listed = {n.id: n for n in page.items}
    assert all(listed[n.id] == n for n in carrying)


async def test_get_nodes_of_nothing(loaded: Store) -> None:
    assert await loaded.get_nodes([]) == []


@pytest.mark.parametrize("type_", list(NodeType))
@pytest.mark.parametrize("first", [1, 4, MAX_PAGE])
async def test_pages_cover_every_node_once(loaded: Store, type_: NodeType, first: int) -> None:
    expected = ids_of_type(NODES.values(), type_)
    seen: list[str] = []
    after = None
    while True:
        page = await loaded.list_nodes(type_, NodeFilter(), first, after)
        assert page.total_count == len(expected)
        assert len(page.items) <= first
        seen.extend(n.id for n in page.items)
        if page.items:
            assert page.end_cursor == encode_cursor(page.items[-1].id)
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert seen == expected


async def test_first_zero_counts_without_items(loaded: Store) -> None:
    page = await loaded.list_nodes(NodeType.SKILL, NodeFilter(), 0, None)
    assert page.items == []
    assert page.total_count == len(ids_of_type(NODES.values(), NodeType.SKILL))
    assert page.has_next_page


async def test_page_after_the_last_id_is_empty(loaded: Store) -> None:
    last = ids_of_type(NODES.values(), NodeType.OCCUPATION)[-1]
    page = await loaded.list_nodes(NodeType.OCCUPATION, NodeFilter(), 10, encode_cursor(last))
    assert page.items == [] and not page.has_next_page and page.end_cursor is None


@pytest.mark.parametrize("first", [-1, MAX_PAGE + 1])
async def test_first_out_of_range(loaded: Store, first: int) -> None:
    with pytest.raises(InvalidArgument) as err:
        await loaded.list_nodes(NodeType.SKILL, NodeFilter(), first, None)
    assert err.value.argument == "first"


@pytest.mark.parametrize("cursor", ["abc", "%%%%x", "gA==", "!!!!", "%%%%", "", "cm9t\nZTpB"])
async def test_bad_cursor(loaded: Store, cursor: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        await loaded.list_nodes(NodeType.SKILL, NodeFilter(), 5, cursor)
    assert err.value.argument == "after"


async def _all_pages(store: Store, type_: NodeType, flt: NodeFilter) -> tuple[list[str], int]:
    ids: list[str] = []
    after = None
    total = -1
    while True:
        page = await store.list_nodes(type_, flt, 3, after)
        total = page.total_count
        ids.extend(n.id for n in page.items)
        if not page.has_next_page:
            return ids, total
        after = page.end_cursor


@pytest.mark.parametrize(
    ("type_", "text"),
    [
        (NodeType.OCCUPATION, "infirm"),
        (NodeType.OCCUPATION, "DÉVELOPPEUR"),
        (NodeType.OCCUPATION, "developpeuse"),
        (NodeType.OCCUPATION, "informatique"),
        (NodeType.SKILL, "logiciel"),
        (NodeType.SKILL, "c++"),
        (NodeType.SKILL, "nursing"),
        (NodeType.SKILL_GROUP, "données"),
        (NodeType.OCCUPATION, "no label holds this"),
    ],
)
async def test_text_filter(loaded: Store, type_: NodeType, text: str) -> None:
    expected = sorted(n.id for n in NODES.values() if n.type == type_ and text_matches(n, text))
    ids, total = await _all_pages(loaded, type_, NodeFilter(text=text))
    assert ids == expected and total == len(expected)


def test_text_filter_cases_are_not_trivial() -> None:
    # The parametrised cases above must include real matches and real exclusions.
    occupations = [n for n in NODES.values() if n.type == NodeType.OCCUPATION]
    hits = [n for n in occupations if text_matches(n, "infirm")]
    assert 0 < len(hits) < len(occupations)


@pytest.mark.parametrize(
    ("type_", "group"),
    [
        (NodeType.OCCUPATION, ESCO + "isco/C25"),
        (NodeType.OCCUPATION, ESCO + "isco/C2"),
        (NodeType.OCCUPATION, ESCO + "isco/C2221"),
        (NodeType.OCCUPATION_GROUP, ESCO + "isco/C2"),
        (NodeType.SKILL, ESCO + "skill/unknown-group"),
    ],
)
async def test_group_filter_is_transitive(loaded: Store, type_: NodeType, group: str) -> None:
    members = below(RELS, group)
    expected = sorted(i for i in members if NODES[i].type == type_)
    ids, total = await _all_pages(loaded, type_, NodeFilter(group=group))
    assert ids == expected and total == len(expected)


def test_group_cases_reach_beyond_one_step() -> None:
    direct = {r.start for r in RELS if r.type == RelType.BROADER and r.end == ESCO + "isco/C2"}
    occupations = {i for i in below(RELS, ESCO + "isco/C2") if NODES[i].type == NodeType.OCCUPATION}
    assert occupations and not occupations & direct


@pytest.mark.parametrize("kind", [k.value for k in SkillKind])
async def test_kind_filter(loaded: Store, kind: str) -> None:
    expected = sorted(
        n.id for n in NODES.values() if n.type == NodeType.SKILL and n.props.get("kind") == kind
    )
    ids, total = await _all_pages(loaded, NodeType.SKILL, NodeFilter(kind=kind))
    assert ids == expected and total == len(expected)
    assert expected, f"the contract data has a {kind} skill"


async def test_filters_combine(loaded: Store) -> None:
    group = ESCO + "isco/C2"
    flt = NodeFilter(text="nurse", group=group)
    members = below(RELS, group)
    expected = sorted(
        n.id
        for n in NODES.values()
        if n.type == NodeType.OCCUPATION and n.id in members and text_matches(n, "nurse")
    )
    ids, total = await _all_pages(loaded, NodeType.OCCUPATION, flt)
    assert ids == expected and total == len(expected) > 0


async def test_unknown_kind_is_refused(loaded: Store) -> None:
    with pytest.raises(InvalidArgument) as err:
        await loaded.list_nodes(NodeType.SKILL, NodeFilter(kind="MAGIC"), 5, None)
    assert err.value.argument == "kind"


CASES = [
    (rel, direction)
    for rel in (RelType.REQUIRES, RelType.BROADER, RelType.MOBILITY, RelType.MATCHES_INTEREST)
    for direction in Direction
]


@pytest.mark.parametrize(("rel", "direction"), CASES)
async def test_neighbours(loaded: Store, rel: RelType, direction: Direction) -> None:
    ids = [*sorted(NODES), "rome:Z9999"]
    found = await loaded.neighbours(ids, rel, direction)
    assert list(found) == ids
    for node_id in ids:
        assert as_tuples(found[node_id]) == edges(NODES, RELS, node_id, rel, direction), node_id
    assert any(found.values()), "some node has such edges"


@pytest.mark.parametrize(
    ("rel", "direction", "props"),
    [
        (RelType.REQUIRES, Direction.OUT, {"relevance": "ESSENTIAL"}),
        (RelType.REQUIRES, Direction.OUT, {"relevance": "OPTIONAL"}),
        (RelType.REQUIRES, Direction.IN, {"relevance": "OPTIONAL"}),
        (RelType.MOBILITY, Direction.OUT, {"kind": "EVOLUTION"}),
        (RelType.MOBILITY, Direction.IN, {"kind": "CLOSE", "source": "rome"}),
        (RelType.MATCHES_INTEREST, Direction.OUT, {"rank": 1}),
    ],
)
async def test_neighbours_with_rel_props(
    loaded: Store, rel: RelType, direction: Direction, props: dict[str, object]
) -> None:
    ids = sorted(NODES)
    found = await loaded.neighbours(ids, rel, direction, props)
    everything = await loaded.neighbours(ids, rel, direction)
    for node_id in ids:
        expected = edges(NODES, RELS, node_id, rel, direction, props)
        assert as_tuples(found[node_id]) == expected
    assert sum(map(len, found.values())) < sum(map(len, everything.values()))
    assert any(found.values())


async def test_neighbours_of_one_occupation(loaded: Store) -> None:
    found = await loaded.neighbours([SOFTWARE_DEVELOPER], RelType.REQUIRES, Direction.OUT)
    others = [e.node.id for e in found[SOFTWARE_DEVELOPER]]
    assert others == sorted(others)
    assert all(e.rel.start == SOFTWARE_DEVELOPER for e in found[SOFTWARE_DEVELOPER])
    assert all(e.node.type == NodeType.SKILL for e in found[SOFTWARE_DEVELOPER])


async def test_stats(loaded: Store) -> None:
    stats = await loaded.stats()

    def count(*types: NodeType) -> int:
        return sum(1 for n in NODES.values() if n.type in types)

    assert stats.occupations == count(NodeType.OCCUPATION)
    assert stats.skills == count(NodeType.SKILL)
    assert stats.trainings == count(NodeType.TRAINING)
    assert stats.interests == count(NodeType.INTEREST)
    assert stats.groups == count(NodeType.SKILL_GROUP, NodeType.OCCUPATION_GROUP)
    assert stats.relations == len(RELS)
    assert stats.version == await loaded.version()


async def test_empty_store(store: Store) -> None:
    stats = await store.stats()
    assert (stats.occupations, stats.skills, stats.groups, stats.relations) == (0, 0, 0, 0)
    page = await store.list_nodes(NodeType.OCCUPATION, NodeFilter(), 10, None)
    assert page.items == [] and page.total_count == 0 and not page.has_next_page
    assert await store.search("nurse", None, None, 10) == []
    assert await store.get_nodes([SOFTWARE_DEVELOPER]) == [None]
    await store.ping()


PAGE_CASES = [
    (RelType.REQUIRES, Direction.OUT, NodeType.SKILL, None),
    (RelType.REQUIRES, Direction.OUT, NodeType.SKILL, {"relevance": "ESSENTIAL"}),
    (RelType.REQUIRES, Direction.IN, NodeType.OCCUPATION, None),
    (RelType.BROADER, Direction.OUT, NodeType.SKILL_GROUP, None),
    (RelType.BROADER, Direction.IN, NodeType.SKILL, None),
    (RelType.BROADER, Direction.OUT, NodeType.OCCUPATION_GROUP, None),
    (RelType.MATCHES_INTEREST, Direction.IN, NodeType.OCCUPATION, None),
    (RelType.MOBILITY, Direction.OUT, NodeType.OCCUPATION, {"kind": "CLOSE"}),
]


@pytest.mark.parametrize(("rel", "direction", "node_type", "props"), PAGE_CASES)
@pytest.mark.parametrize("first", [1, 3, MAX_PAGE])
async def test_neighbour_pages_cover_every_edge_once(
    loaded: Store,
    rel: RelType,
    direction: Direction,
    node_type: NodeType,
    props: dict[str, object] | None,
    first: int,
) -> None:
    ids = [*sorted(NODES), "rome:Z9999"]
    expected = {
        i: [
            e for e in edges(NODES, RELS, i, rel, direction, props) if NODES[e[4]].type == node_type
        ]
        for i in ids[:-1]
    }
    expected["rome:Z9999"] = []
    firsts = await loaded.neighbour_pages(ids, rel, direction, node_type, first, None, props)
    assert list(firsts) == ids
    assert any(page.edges for page in firsts.values()), "some node has such edges"
    for node_id in ids:
        page, seen = firsts[node_id], []
        while True:
            assert page.total_count == len(expected[node_id]), node_id
            assert len(page.edges) <= first
            seen.extend(as_tuples(page.edges))
            if page.edges:
                assert page.end_cursor == encode_cursor(page.edges[-1].node.id)
            assert page.edges or not page.has_next_page
            if not page.has_next_page:
                break
            nxt = await loaded.neighbour_pages(
                [node_id], rel, direction, node_type, first, page.end_cursor, props
            )
            page = nxt[node_id]
        assert seen == expected[node_id], node_id


async def test_neighbour_pages_check_their_arguments(loaded: Store) -> None:
    args = ([SOFTWARE_DEVELOPER], RelType.REQUIRES, Direction.OUT, NodeType.SKILL)
    with pytest.raises(InvalidArgument, match="first"):
        await loaded.neighbour_pages(*args, MAX_PAGE + 1)
    with pytest.raises(InvalidArgument, match="after"):
        await loaded.neighbour_pages(*args, 5, "!!!!")
    assert await loaded.neighbour_pages([], *args[1:], 5) == {}
    (page,) = (await loaded.neighbour_pages(*args, 0)).values()
    assert page.edges == [] and page.total_count > 0 and page.has_next_page


def _labels_only(node: Node) -> tuple[object, ...]:
    return (node.id, node.type, dict(node.labels), node.source, dict(node.props))


async def test_reads_without_text_keep_everything_else(loaded: Store) -> None:
    """``text=False`` may leave out descriptions and alternative labels, and then says so
    (``complete=False``); every other part of the answer is the same."""
    ids = sorted(NODES)
    light = await loaded.neighbours(ids, RelType.REQUIRES, Direction.OUT, text=False)
    pages = await loaded.neighbour_pages(
        ids, RelType.REQUIRES, Direction.IN, NodeType.OCCUPATION, MAX_PAGE, text=False
    )
    listed = await loaded.list_nodes(NodeType.SKILL, NodeFilter(), MAX_PAGE, None, text=False)
    nodes = [e.node for found in light.values() for e in found]
    nodes += [e.node for page in pages.values() for e in page.edges]
    nodes += listed.items
    assert len(nodes) > 20
    for node in nodes:
        assert _labels_only(node) == _labels_only(NODES[node.id])
        if node.complete:
            assert node == NODES[node.id]
        else:
            assert not node.descriptions and not node.alt_labels
    full = await loaded.neighbours(ids, RelType.REQUIRES, Direction.OUT)
    assert {k: as_tuples(v) for k, v in light.items()} == {k: as_tuples(v) for k, v in full.items()}
    assert all(e.node.complete for found in full.values() for e in found)


NESTED_CASES = [
    (RelType.REQUIRES, Direction.OUT, NodeType.SKILL, None),
    (RelType.REQUIRES, Direction.OUT, NodeType.SKILL, {"relevance": "ESSENTIAL"}),
    (RelType.REQUIRES, Direction.IN, NodeType.OCCUPATION, None),
    (RelType.BROADER, Direction.IN, NodeType.SKILL, None),
    (RelType.MOBILITY, Direction.OUT, NodeType.OCCUPATION, {"kind": "CLOSE"}),
]


def _page_tuples(page: object) -> tuple[object, ...]:
    return (
        as_tuples(page.edges),  # type: ignore[attr-defined]
        page.total_count,  # type: ignore[attr-defined]
        page.end_cursor,  # type: ignore[attr-defined]
        page.has_next_page,  # type: ignore[attr-defined]
    )


def _named(node: Node) -> tuple[object, ...]:
    return (node.id, node.type, dict(node.labels), node.source)


def _check_labels_only(node: Node) -> None:
    """A node of a ``labels_only`` read: whole, or its id, type, source and labels with
    ``complete=False`` and properties that refuse to be read."""
    assert _named(node) == _named(NODES[node.id])
    if node.complete:
        assert node == NODES[node.id]
        return
    assert not node.descriptions and not node.alt_labels
    with pytest.raises(LookupError, match="labels only"):
        node.props.get("kind")
    with pytest.raises(LookupError):
        dict(node.props)


@pytest.mark.parametrize(("rel", "direction", "node_type", "props"), PAGE_CASES)
async def test_reads_of_labels_only_keep_the_labels_and_the_edges(
    loaded: Store,
    rel: RelType,
    direction: Direction,
    node_type: NodeType,
    props: dict[str, object] | None,
) -> None:
    """``labels_only=True`` may leave out everything of the other nodes but their id,
    type, source and labels (then says so, and their properties raise when read, never
    answer ``None``); the edges, their properties, order, counts and cursors are the same."""
    ids = [*sorted(NODES), "rome:Z9999"]
    full = await loaded.neighbours(ids, rel, direction, props)
    slim = await loaded.neighbours(ids, rel, direction, props, text=False, labels_only=True)
    assert {k: as_tuples(v) for k, v in slim.items()} == {k: as_tuples(v) for k, v in full.items()}
    pages = await loaded.neighbour_pages(ids, rel, direction, node_type, 3, None, props)
    slim_pages = await loaded.neighbour_pages(
        ids, rel, direction, node_type, 3, None, props, labels_only=True
    )
    assert {k: _page_tuples(v) for k, v in slim_pages.items()} == {
        k: _page_tuples(v) for k, v in pages.items()
    }
    nodes, with_lists = await loaded.get_nodes_with_neighbours(
        ids, rel, direction, props, labels_only=True
    )
    assert nodes == await loaded.get_nodes(ids)  # the looked-up nodes stay whole
    assert {k: as_tuples(v) for k, v in with_lists.items()} == {
        k: as_tuples(v) for k, v in full.items()
    }
    found, with_pages = await loaded.get_nodes_with_pages(
        ids, rel, direction, node_type, 3, None, props, labels_only=True
    )
    assert found == nodes
    assert {k: _page_tuples(v) for k, v in with_pages.items()} == {
        k: _page_tuples(v) for k, v in pages.items()
    }
    met = [e.node for edges_ in (*slim.values(), *with_lists.values()) for e in edges_]
    met += [e.node for page in (*slim_pages.values(), *with_pages.values()) for e in page.edges]
    assert met, "some node has such edges"
    for node in met:
        _check_labels_only(node)


async def test_lookups_without_text_keep_everything_else(loaded: Store) -> None:
    """``node_text=False`` may leave the looked-up nodes' descriptions and alternative
    labels out (``complete=False``), never anything else nor the list read with them."""
    ids = [*sorted(NODES), "rome:Z9999"]
    args = (ids, RelType.REQUIRES, Direction.OUT)
    whole, lists = await loaded.get_nodes_with_neighbours(*args)
    light, light_lists = await loaded.get_nodes_with_neighbours(*args, node_text=False)
    _, pages = await loaded.get_nodes_with_pages(*args, NodeType.SKILL, 3)
    paged, light_pages = await loaded.get_nodes_with_pages(
        *args, NodeType.SKILL, 3, node_text=False
    )
    assert {k: as_tuples(v) for k, v in light_lists.items()} == {
        k: as_tuples(v) for k, v in lists.items()
    }
    assert {k: _page_tuples(v) for k, v in light_pages.items()} == {
        k: _page_tuples(v) for k, v in pages.items()
    }
    assert whole == await loaded.get_nodes(ids)
    for nodes in (light, paged):
        assert [n is None for n in nodes] == [n is None for n in whole]
        for node in (n for n in nodes if n is not None):
            assert _labels_only(node) == _labels_only(NODES[node.id])
            if node.complete:
                assert node == NODES[node.id]
            else:
                assert not node.descriptions and not node.alt_labels


@pytest.mark.parametrize(("rel", "direction", "node_type", "props"), NESTED_CASES)
@pytest.mark.parametrize("text", [False, True])
async def test_a_lookup_with_its_nested_list_answers_as_two_reads(
    loaded: Store,
    rel: RelType,
    direction: Direction,
    node_type: NodeType,
    props: dict[str, object] | None,
    text: bool,
) -> None:
    """``get_nodes_with_neighbours`` / ``_with_pages`` = ``get_nodes`` + the nested read,
    for known, unknown and repeated ids, on every page of the busiest node."""
    ids = sorted(NODES)
    asked = [*ids, "rome:Z9999", ids[0]]
    nodes, lists = await loaded.get_nodes_with_neighbours(asked, rel, direction, props, text=text)
    assert nodes == await loaded.get_nodes(asked)
    alone = await loaded.neighbours(asked, rel, direction, props, text=text)
    assert list(lists) == list(alone)
    assert {k: as_tuples(v) for k, v in lists.items()} == {
        k: as_tuples(v) for k, v in alone.items()
    }
    assert any(lists.values()), "some node has such edges"
    busiest = max(ids, key=lambda i: len(alone[i]))
    after = None
    while True:
        found, pages = await loaded.get_nodes_with_pages(
            [busiest, "rome:Z9999"], rel, direction, node_type, 2, after, props, text=text
        )
        assert found == [NODES[busiest], None]
        two = await loaded.neighbour_pages(
            [busiest, "rome:Z9999"], rel, direction, node_type, 2, after, props, text=text
        )
        assert {k: _page_tuples(v) for k, v in pages.items()} == {
            k: _page_tuples(v) for k, v in two.items()
        }
        if not pages[busiest].has_next_page:
            break
        after = pages[busiest].end_cursor
    assert await loaded.get_nodes_with_neighbours([], rel, direction) == ([], {})
    with pytest.raises(InvalidArgument, match="first"):
        await loaded.get_nodes_with_pages(ids[:1], rel, direction, node_type, MAX_PAGE + 1)
