"""The load history is the same on every store: each committed load recorded (source,
release, files, counts, what changed per type, version), newest first; a reload of a new
release reports what it added, updated, removed and took over, and leaves other sources
alone; a refused load leaves no record."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from contract_data import ESCO_SOURCE, ROME_SOURCE, SOFTWARE_DEVELOPER, esco_dataset, rome_dataset
from test_contract_observed import fiches, observed

from cartonet.errors import LoadError
from cartonet.model import Dataset, LoadRecord, NodeType, Relationship, RelType, TypeChange
from cartonet.store.base import Store

FILES = {"en/occupations_en.csv": "ab" * 32, "relations/broaderRelationsOccPillar.csv": "cd" * 32}


def changes_of(record: LoadRecord) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    return {(c.kind, c.type): (c.added, c.updated, c.removed, c.taken_over) for c in record.changes}


def added_everything(dataset: Dataset) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    nodes = Counter(str(n.type) for n in dataset.nodes)
    rels = Counter(str(r.type) for r in dataset.relationships)
    return {("node", t): (n, 0, 0, 0) for t, n in nodes.items()} | {
        ("relationship", t): (n, 0, 0, 0) for t, n in rels.items()
    }


async def test_every_load_is_recorded_newest_first(store: Store) -> None:
    esco = esco_dataset()
    esco.files, esco.read_seconds = dict(FILES), 1.25
    first = await store.load(esco)
    await store.load(esco_dataset())  # identical: recorded, changes nothing
    await store.load(rome_dataset())

    records = await store.load_history()
    assert [r.source for r in records] == [ROME_SOURCE, ESCO_SOURCE, ESCO_SOURCE]
    assert [r.seq for r in records] == sorted((r.seq for r in records), reverse=True)
    assert records[0].version == await store.version()

    oldest = records[2]
    assert (oldest.release, oldest.kind, oldest.replace) == ("v1.1.1", "graph", False)
    assert dict(oldest.files) == FILES and oldest.read_seconds == 1.25
    assert oldest.write_seconds >= 0 and oldest.duration_seconds >= 1.25
    assert oldest.version == first.version
    assert oldest.counts == {
        **Counter(str(n.type) for n in esco.nodes),
        **Counter(str(r.type) for r in esco.relationships),
    }
    assert changes_of(oldest) == added_everything(esco)
    assert oldest.changes == first.changes

    again = records[1]
    assert again.changes == () and again.version == oldest.version
    assert again.files == () and again.read_seconds is None

    assert [r.source for r in await store.load_history(ESCO_SOURCE)] == [ESCO_SOURCE] * 2
    assert await store.load_history(last=1) == records[:1]
    assert await store.load_history("no-such-source") == []


async def test_a_reload_reports_added_updated_removed_per_type(loaded: Store) -> None:
    old = esco_dataset()
    new = esco_dataset()
    # one occupation changed, one skill and its relationships gone, one REQUIRES changed,
    # one relationship added
    at = next(i for i, n in enumerate(new.nodes) if n.id == SOFTWARE_DEVELOPER)
    new.nodes[at] = dataclasses.replace(
        new.nodes[at], props={**new.nodes[at].props, "status": "changed"}
    )
    rome_ends = {i for r in rome_dataset().relationships for i in (r.start, r.end)}
    gone = next(n.id for n in old.nodes if n.type is NodeType.SKILL and n.id not in rome_ends)
    new.nodes = [n for n in new.nodes if n.id != gone]
    dropped = Counter(str(r.type) for r in new.relationships if gone in (r.start, r.end))
    new.relationships = [r for r in new.relationships if gone not in (r.start, r.end)]
    i = next(i for i, r in enumerate(new.relationships) if r.type is RelType.REQUIRES)
    rel = new.relationships[i]
    new.relationships[i] = dataclasses.replace(rel, props={**rel.props, "weight": 0.123})
    occupations = [n.id for n in new.nodes if n.type is NodeType.OCCUPATION]
    held = {(r.start, r.end) for r in old.relationships if r.type is RelType.MOBILITY}
    a, b = next((a, b) for a in occupations for b in occupations if a != b and (a, b) not in held)
    new.relationships.append(Relationship(RelType.MOBILITY, a, b, {"kind": "CLOSE"}))

    report = await loaded.load(new, replace=True)
    expected: dict[tuple[str, str], tuple[int, int, int, int]] = {
        ("node", "Occupation"): (0, 1, 0, 0),
        ("node", "Skill"): (0, 0, 1, 0),
        ("relationship", "MOBILITY"): (1, 0, 0, 0),
    }
    for type_, n in dropped.items():
        added, updated, removed, taken = expected.get(("relationship", type_), (0, 0, 0, 0))
        expected[("relationship", type_)] = (added, updated, removed + n, taken)
    added, updated, removed, taken = expected.get(("relationship", "REQUIRES"), (0, 0, 0, 0))
    expected[("relationship", "REQUIRES")] = (added, updated + 1, removed, taken)

    record = (await loaded.load_history(last=1))[0]
    assert record.replace and record.version == report.version
    assert changes_of(record) == expected
    assert record.changes == report.changes
    assert report.nodes_removed == 1 and report.relationships_removed == sum(dropped.values())


async def test_a_new_release_takes_over_and_removes_only_its_family(loaded: Store) -> None:
    rome_before = sorted(
        (n for n in (await loaded.export()).nodes if n.source == ROME_SOURCE), key=lambda n: n.id
    )
    release = "esco-v1.2"
    new = esco_dataset()
    rome_ends = {i for r in rome_dataset().relationships for i in (r.start, r.end)}
    gone = next(n.id for n in new.nodes if n.type is NodeType.SKILL and n.id not in rome_ends)
    dropped = [r for r in new.relationships if gone in (r.start, r.end)]
    new = Dataset(
        release,
        [dataclasses.replace(n, source=release) for n in new.nodes if n.id != gone],
        [r for r in new.relationships if gone not in (r.start, r.end)],
    )

    report = await loaded.load(new, replace=True)

    kept_nodes = Counter(str(n.type) for n in new.nodes)
    kept_rels = Counter(str(r.type) for r in new.relationships)
    expected = {("node", t): (0, 0, 0, n) for t, n in kept_nodes.items()} | {
        ("relationship", t): (0, 0, 0, n) for t, n in kept_rels.items()
    }
    expected[("node", "Skill")] = (0, 0, 1, kept_nodes["Skill"])
    for type_, n in Counter(str(r.type) for r in dropped).items():
        expected[("relationship", type_)] = (0, 0, n, kept_rels[type_])
    record = (await loaded.load_history(last=1))[0]
    assert (record.source, record.release) == (release, "v1.2")
    assert changes_of(record) == expected
    exported = await loaded.export()
    assert gone not in {n.id for n in exported.nodes}
    assert {n.source for n in exported.nodes} == {release, ROME_SOURCE}
    rome_after = sorted((n for n in exported.nodes if n.source == ROME_SOURCE), key=lambda n: n.id)
    assert rome_after == rome_before
    assert report.nodes_removed == 1


async def test_a_refused_load_leaves_no_record(loaded: Store) -> None:
    before = await loaded.load_history()
    bad = Dataset("broken-v1", relationships=[Relationship(RelType.BROADER, "nowhere", "nothing")])
    with pytest.raises(LoadError):
        await loaded.load(bad)
    assert await loaded.load_history() == before


async def test_observed_loads_are_recorded_with_their_changes(loaded: Store) -> None:
    await loaded.load(fiches())
    first = observed()
    first.files = {"lbb-pse_bassin-emploi_rome-connexe.csv": "ef" * 32}
    await loaded.load_observed(first)
    await loaded.load_observed(observed())  # identical
    rows = observed().moves
    changed = observed(
        [
            (m.area or "", m.start[5:], m.end[5:], 0.5 if n == 0 else m.score)
            for n, m in enumerate(rows[:-1])
        ]
    )
    changed.communes.pop(next(iter(changed.communes)))
    await loaded.load_observed(changed)

    last, same, initial = (await loaded.load_history("lbb-2021"))[:3]
    assert initial.kind == "observed-mobility" and initial.release == "2021"
    assert dict(initial.files) == first.files
    assert initial.counts == {"AreaCommune": len(first.communes), "ObservedMove": len(rows)}
    assert changes_of(initial) == {
        ("observed", "AreaCommune"): (len(first.communes), 0, 0, 0),
        ("observed", "ObservedMove"): (len(rows), 0, 0, 0),
    }
    assert same.changes == () and same.version == initial.version
    assert last.changes == (
        TypeChange("observed", "AreaCommune", removed=1),
        TypeChange("observed", "ObservedMove", updated=1, removed=1),
    )
    assert last.version == await loaded.version() != initial.version
