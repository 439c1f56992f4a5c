"""Loads behave the same on every store: counted, idempotent, all or nothing, versioned."""

from __future__ import annotations

import dataclasses

import pytest
from contract_data import (
    ESCO_SOURCE,
    ROME_NODES,
    ROME_RELATIONSHIPS,
    ROME_SOURCE,
    SOFTWARE_DEVELOPER,
    all_nodes,
    all_relationships,
    esco_dataset,
    rome_dataset,
)
from contract_expect import StoreFactory, rel_tuples

from cartonet.errors import LoadError
from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
from cartonet.store.base import Direction, Store


async def _snapshot(store: Store) -> tuple[object, ...]:
    exported = await store.export()
    return (
        await store.version(),
        await store.stats(),
        sorted(n.id for n in exported.nodes),
        exported.nodes,
        rel_tuples(exported.relationships),
    )


async def test_first_load_writes_everything(store: Store) -> None:
    dataset = esco_dataset()
    report = await store.load(dataset)
    assert report.source == ESCO_SOURCE
    assert report.nodes_in_dataset == report.nodes_written == len(dataset.nodes)
    assert report.relationships_in_dataset == len(dataset.relationships)
    assert report.relationships_written == len(dataset.relationships)
    assert report.nodes_removed == report.relationships_removed == 0
    assert report.version == await store.version() == report.stats.version
    assert report.stats == await store.stats()


async def test_second_identical_load_changes_nothing(loaded: Store) -> None:
    before = await _snapshot(loaded)
    for dataset in (esco_dataset(), rome_dataset()):
        report = await loaded.load(dataset)
        assert (report.nodes_written, report.relationships_written) == (0, 0)
        assert (report.nodes_removed, report.relationships_removed) == (0, 0)
        assert report.version == before[0]
    assert await _snapshot(loaded) == before


async def test_version_moves_exactly_when_the_graph_changes(store: Store) -> None:
    versions = [await store.version()]
    await store.load(esco_dataset())
    versions.append(await store.version())
    await store.load(esco_dataset())
    versions.append(await store.version())
    dataset = esco_dataset()
    target = next(i for i, n in enumerate(dataset.nodes) if n.id == SOFTWARE_DEVELOPER)
    node = dataset.nodes[target]
    dataset.nodes[target] = dataclasses.replace(node, props={**node.props, "status": "changed"})
    report = await store.load(dataset)
    versions.append(await store.version())
    assert (report.nodes_written, report.relationships_written) == (1, 0)
    assert versions[0] != versions[1] == versions[2] != versions[3]
    assert versions[3] not in versions[:3]
    assert (await store.get_nodes([SOFTWARE_DEVELOPER]))[0] == dataset.nodes[target]


async def test_changed_relationship_props_are_written(loaded: Store) -> None:
    dataset = esco_dataset()
    i = next(i for i, r in enumerate(dataset.relationships) if r.type == RelType.REQUIRES)
    old = dataset.relationships[i]
    flipped = "OPTIONAL" if old.props["relevance"] == "ESSENTIAL" else "ESSENTIAL"
    dataset.relationships[i] = Relationship(old.type, old.start, old.end, {"relevance": flipped})
    report = await loaded.load(dataset)
    assert (report.nodes_written, report.relationships_written) == (0, 1)
    found = await loaded.neighbours([old.start], RelType.REQUIRES, Direction.OUT)
    assert [dict(e.rel.props) for e in found[old.start] if e.node.id == old.end] == [
        {"relevance": flipped}
    ]


async def test_replace_removes_what_the_source_no_longer_has(loaded: Store) -> None:
    dataset = esco_dataset()
    gone = next(n for n in dataset.nodes if n.type == NodeType.SKILL)
    touching = [r for r in dataset.relationships if gone.id in (r.start, r.end)]
    dropped_rel = next(r for r in dataset.relationships if gone.id not in (r.start, r.end))
    smaller = Dataset(
        ESCO_SOURCE,
        [n for n in dataset.nodes if n.id != gone.id],
        [r for r in dataset.relationships if r not in touching and r != dropped_rel],
    )
    rome_before = await loaded.get_nodes([n.id for n in ROME_NODES])

    report = await loaded.load(smaller, replace=True)

    assert report.nodes_removed == 1
    assert report.relationships_removed == len(touching) + 1
    assert (report.nodes_written, report.relationships_written) == (0, 0)
    assert await loaded.get_nodes([gone.id]) == [None]
    exported = await loaded.export()
    expected = [r for r in all_relationships() if r not in touching and r != dropped_rel]
    assert rel_tuples(exported.relationships) == rel_tuples(expected)
    assert await loaded.get_nodes([n.id for n in ROME_NODES]) == rome_before  # other source
    stats = await loaded.stats()
    assert stats.skills == sum(1 for n in all_nodes() if n.type == NodeType.SKILL) - 1


async def test_without_replace_nothing_is_removed(loaded: Store) -> None:
    dataset = esco_dataset()
    smaller = Dataset(ESCO_SOURCE, dataset.nodes[1:], dataset.relationships[1:])
    before = await _snapshot(loaded)
    report = await loaded.load(smaller)
    assert (report.nodes_removed, report.relationships_removed) == (0, 0)
    assert await _snapshot(loaded) == before


async def test_replace_removes_relationships_of_other_sources_touching_removed_nodes(
    loaded: Store,
) -> None:
    # Drop one ROME fiche: its MOBILITY edges go with it, including those pointing at it.
    gone = "rome:M1802"
    dataset = Dataset(
        ROME_SOURCE,
        [n for n in ROME_NODES if n.id != gone],
        [r for r in ROME_RELATIONSHIPS if gone not in (r.start, r.end)],
    )
    touching = [r for r in ROME_RELATIONSHIPS if gone in (r.start, r.end)]
    report = await loaded.load(dataset, replace=True)
    assert (report.nodes_removed, report.relationships_removed) == (1, len(touching))
    found = await loaded.neighbours(["rome:M1805"], RelType.MOBILITY, Direction.IN)
    assert gone not in [e.node.id for e in found["rome:M1805"]]


async def test_relationships_may_point_at_nodes_of_earlier_loads(store: Store) -> None:
    interests = [n for n in ROME_NODES if n.type == NodeType.INTEREST]
    fiches = [n for n in ROME_NODES if n.type != NodeType.INTEREST]
    await store.load(Dataset("riasec", interests))
    report = await store.load(Dataset(ROME_SOURCE, fiches, list(ROME_RELATIONSHIPS)))
    assert report.relationships_written == len(ROME_RELATIONSHIPS)
    assert report.stats.interests == len(interests)


def _invalid_datasets() -> dict[str, tuple[Dataset, str]]:
    base = esco_dataset()
    skill = next(n for n in base.nodes if n.type == NodeType.SKILL)
    occupation = next(n for n in base.nodes if n.type == NodeType.OCCUPATION)
    group = next(n for n in base.nodes if n.type == NodeType.OCCUPATION_GROUP)

    def with_rel(rel: Relationship) -> Dataset:
        return Dataset(ESCO_SOURCE, list(base.nodes), [*base.relationships, rel])

    def with_node(node: Node) -> Dataset:
        return Dataset(ESCO_SOURCE, [*base.nodes, node], list(base.relationships))

    return {
        "reversed endpoints": (
            with_rel(Relationship(RelType.REQUIRES, skill.id, occupation.id)),
            skill.id,
        ),
        "unknown endpoint": (
            with_rel(Relationship(RelType.REQUIRES, occupation.id, "http://example.org/none")),
            "http://example.org/none",
        ),
        "bad relevance": (
            with_rel(Relationship(RelType.REQUIRES, occupation.id, skill.id, {"relevance": "X"})),
            "relevance",
        ),
        "unknown rel prop": (
            with_rel(Relationship(RelType.BROADER, occupation.id, group.id, {"w": 1})),
            "'w'",
        ),
        "bad skill kind": (
            with_node(dataclasses.replace(skill, id=skill.id + "-copy", props={"kind": "MAGIC"})),
            "MAGIC",
        ),
        "unknown node prop": (
            with_node(dataclasses.replace(skill, id=skill.id + "-copy", props={"salary": 3})),
            "salary",
        ),
        "no label": (
            with_node(dataclasses.replace(skill, id=skill.id + "-copy", labels={})),
            "no label",
        ),
        "same id, other content": (
            with_node(dataclasses.replace(skill, labels={"en": "another label"})),
            "twice",
        ),
        "type change": (
            Dataset(ESCO_SOURCE, [dataclasses.replace(skill, id=occupation.id)]),
            "the store holds it as Occupation",
        ),
    }


@pytest.mark.parametrize("case", sorted(_invalid_datasets()))
async def test_a_refused_load_leaves_the_graph_intact(loaded: Store, case: str) -> None:
    dataset, mentioned = _invalid_datasets()[case]
    before = await _snapshot(loaded)
    with pytest.raises(LoadError) as err:
        await loaded.load(dataset)
    assert mentioned in str(err.value)
    assert err.value.problems, "the error lists the problems"
    assert await _snapshot(loaded) == before


async def test_a_refused_first_load_writes_nothing(store: Store) -> None:
    dataset, _ = _invalid_datasets()["unknown endpoint"]
    before = await _snapshot(store)
    with pytest.raises(LoadError):
        await store.load(dataset)
    assert await _snapshot(store) == before
    assert (await store.stats()).occupations == 0


async def test_every_problem_is_listed(store: Store) -> None:
    base = esco_dataset()
    skill = next(n for n in base.nodes if n.type == NodeType.SKILL)
    bad = [Relationship(RelType.TEACHES, skill.id, f"http://example.org/{i}") for i in range(3)]
    with pytest.raises(LoadError) as err:
        await store.load(Dataset(ESCO_SOURCE, list(base.nodes), bad))
    for i in range(3):
        assert any(f"http://example.org/{i}" in p for p in err.value.problems)


async def test_a_refusal_names_where_the_loader_read_the_item(store: Store) -> None:
    base = esco_dataset()
    occupation = next(n for n in base.nodes if n.type == NodeType.OCCUPATION)
    rel = Relationship(RelType.REQUIRES, occupation.id, "http://example.org/none")
    origins: dict[str | tuple[str, str, str], str] = {
        rel.key: "t.json: relationships[0]",
        occupation.id: "t.json: nodes[0]",
    }
    with pytest.raises(LoadError) as err:
        await store.load(Dataset(ESCO_SOURCE, list(base.nodes), [rel], origins=origins))
    assert [p.split(": relationship ")[0] for p in err.value.problems] == [
        "t.json: relationships[0]"
    ]


async def test_progress_reports_each_phase(store: Store) -> None:
    calls: list[tuple[str, int, int]] = []
    await store.load(esco_dataset(), progress=lambda *call: calls.append(call))
    phases = [c[0] for c in calls]
    for phase in ("validate", "nodes", "relationships"):
        assert phase in phases
        last = [c for c in calls if c[0] == phase][-1]
        assert last[1] == last[2]
        done = [c[1] for c in calls if c[0] == phase]
        assert done == sorted(done)
    assert phases.index("validate") < phases.index("nodes") < phases.index("relationships")


async def test_export_holds_exactly_what_was_loaded(loaded: Store) -> None:
    exported = await loaded.export()
    assert sorted(exported.nodes, key=lambda n: n.id) == sorted(all_nodes(), key=lambda n: n.id)
    assert rel_tuples(exported.relationships) == rel_tuples(all_relationships())


async def test_export_round_trip(loaded: Store, make_store: StoreFactory) -> None:
    exported = await loaded.export()
    other = await make_store()
    report = await other.load(exported)
    assert report.nodes_written == len(exported.nodes)
    again = await other.export()
    assert again.nodes == exported.nodes
    assert rel_tuples(again.relationships) == rel_tuples(exported.relationships)
    assert (await other.stats()).relations == (await loaded.stats()).relations
    hits = await other.search("dévelopeur", None, None, 5)
    assert [h.node.id for h in hits] == [
        h.node.id for h in await loaded.search("dévelopeur", None, None, 5)
    ]
