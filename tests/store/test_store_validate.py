"""Dataset validation shared by both stores: each problem is found and named."""

from __future__ import annotations

import dataclasses

import pytest

from cartonet.errors import LoadError
from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
from cartonet.store.validate import check_dataset, ids_to_look_up, validate_dataset

# Real ESCO v1.1.1 records (occupations_en.csv, skills_en.csv, occupationSkillRelations.csv).
DEV = Node(
    "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
    NodeType.OCCUPATION,
    {"en": "software developer"},
    "esco-v1.1.1",
    props={"code": "2512.4", "iscoGroup": "2512"},
)
CPP = Node(
    "http://data.europa.eu/esco/skill/b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f",
    NodeType.SKILL,
    {"en": "C++"},
    "esco-v1.1.1",
    props={"kind": "KNOWLEDGE", "reuse": "sector-specific"},
)
REQ = Relationship(RelType.REQUIRES, DEV.id, CPP.id, {"relevance": "OPTIONAL"})


def problems(*, nodes=(DEV, CPP), rels=(REQ,), stored=None, source="esco-v1.1.1") -> list[str]:
    return check_dataset(Dataset(source, list(nodes), list(rels)), stored or {})


def test_a_good_dataset_has_no_problem() -> None:
    assert problems() == []


def test_ids_to_look_up() -> None:
    extra = Relationship(RelType.REQUIRES, DEV.id, "x:elsewhere")
    assert ids_to_look_up(Dataset("s", [DEV, CPP], [REQ, extra])) == {DEV.id, CPP.id, "x:elsewhere"}


def test_an_endpoint_may_be_in_the_store() -> None:
    assert problems(nodes=[DEV], stored={CPP.id: NodeType.SKILL}) == []
    (problem,) = problems(nodes=[DEV])
    assert CPP.id in problem and "neither in the dataset nor the store" in problem


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {"rels": [Relationship(RelType.REQUIRES, CPP.id, DEV.id)]},
            "cannot join Skill to Occupation",
        ),
        ({"rels": [Relationship(RelType.MOBILITY, DEV.id, DEV.id)]}, "same node"),
        ({"rels": [dataclasses.replace(REQ, props={"relevance": "MAYBE"})]}, "MAYBE"),
        ({"rels": [dataclasses.replace(REQ, props={"weight": "heavy"})]}, "finite number"),
        ({"rels": [dataclasses.replace(REQ, props={"weight": float("nan")})]}, "finite number"),
        ({"rels": [dataclasses.replace(REQ, props={"colour": "red"})]}, "'colour' is not allowed"),
        (
            {"rels": [dataclasses.replace(REQ, props={"relevance": ["ESSENTIAL"]})]},
            "string, number",
        ),
        ({"rels": [Relationship("LIKES", DEV.id, CPP.id)]}, "unknown relationship type"),  # type: ignore[arg-type]
        ({"nodes": [DEV, dataclasses.replace(CPP, props={"kind": "SOFTISH"})]}, "SOFTISH"),
        (
            {"nodes": [DEV, dataclasses.replace(CPP, props={"salary": 1})]},
            "'salary' is not allowed",
        ),
        ({"nodes": [DEV, dataclasses.replace(CPP, labels={"en": " "})]}, "no label"),
        ({"nodes": [DEV, dataclasses.replace(CPP, id="")]}, "non-empty"),
        ({"nodes": [DEV, dataclasses.replace(CPP, type="Gadget")]}, "unknown node type"),
        ({"nodes": [DEV, dataclasses.replace(CPP, source="")]}, "missing source"),
        ({"nodes": [DEV, CPP, dataclasses.replace(CPP, labels={"en": "C"})]}, "twice"),
        ({"nodes": [DEV, CPP], "stored": {CPP.id: NodeType.OCCUPATION}}, "holds it as Occupation"),
        ({"source": ""}, "no source"),
    ],
)
def test_each_problem_is_named(change: dict, words: str) -> None:
    found = problems(**change)
    assert any(words in p for p in found), found


def test_identical_duplicates_are_fine() -> None:
    assert problems(nodes=[DEV, CPP, CPP], rels=[REQ, REQ]) == []


def test_duplicate_relationship_with_other_props() -> None:
    other = dataclasses.replace(REQ, props={"relevance": "ESSENTIAL"})
    assert any("twice" in p for p in problems(rels=[REQ, other]))


def test_validate_raises_with_every_problem() -> None:
    rels = [Relationship(RelType.REQUIRES, DEV.id, f"x:{i}") for i in range(25)]
    with pytest.raises(LoadError) as err:
        validate_dataset(Dataset("esco-v1.1.1", [DEV], rels), {})
    assert len(err.value.problems) == 25
    assert "nothing was written" in str(err.value)
    assert "... and 5 more" in str(err.value)


def test_validate_reports_progress() -> None:
    calls: list[tuple[str, int, int]] = []
    validate_dataset(Dataset("s", [DEV, CPP], [REQ]), {}, lambda *c: calls.append(c))
    assert calls[-1] == ("validate", 3, 3)
