"""The query limits: one linear pass whatever the fragments, real fan-outs in the cost, and
a cache that spares a repeated document every step."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import get_introspection_query, parse

from cartonet.api import documents as documents_module
from cartonet.api.documents import Documents
from cartonet.api.limits import Limits, _Walk, fragment_cycle, measure
from cartonet.api.schema import build_schema
from cartonet.store.base import MAX_PAGE

SCHEMA = build_schema()
LIMITS = Limits()


def _measure(query: str, variables: dict[str, Any] | None = None) -> Any:
    document = parse(query, **LIMITS.parse_options)
    (operation, *_) = [d for d in document.definitions if d.kind == "operation_definition"]
    return measure(SCHEMA._schema, document, operation, variables or {}, LIMITS)


def bomb(levels: int) -> str:
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Query {{ stats {{ version }} }}")
    return "query { ...F0 }\n" + "\n".join(fragments)


@pytest.mark.parametrize("levels", [1, 14, 17, 30, 40])
def test_a_fragment_bomb_is_measured_in_full_but_walked_once(
    levels: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    walked: list[str] = []
    original = _Walk.selections

    def counting(self: _Walk, selection_set: Any, parent: Any, page: int = 1) -> Any:
        walked.append(parent.name)
        return original(self, selection_set, parent, page)

    monkeypatch.setattr(_Walk, "selections", counting)
    m = _measure(bomb(levels))
    # 2^levels copies of `stats { version }`: 2 fields each
    assert m.cost == 2 * 2**levels
    # the operation, each fragment once, and `stats`'s selection once: linear
    assert len(walked) == levels + 3


def test_fragment_cycles_are_found_without_recursion() -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(5000))
    closing = "fragment F5000 on Query { ...F0 }"
    cycle = fragment_cycle(parse("{ ...F0 } " + chain + " " + closing))
    assert cycle is not None and cycle[0] == cycle[-1] and len(cycle) == 5002
    assert fragment_cycle(parse("{ ...F0 } " + chain + " fragment F5000 on Query { a }")) is None


def test_a_broader_chain_costs_its_length() -> None:
    query = """{ occupationGroups(first: 50) { edges { node {
        broader { broader { broader { broader { id } } } } } } } }"""
    m = _measure(query)
    # occupationGroups 1, edges 1 + 50 × node (1 + broader chain (4 levels + id = 5)):
    # linear in the chain, not 50^4
    assert m.cost == 1 + (1 + 50 * (1 + 5))
    assert m.cost < LIMITS.max_cost


def test_list_fields_cost_their_first_and_single_objects_one() -> None:
    m = _measure("{ occupations(first: 10) { edges { node { skills { skill { id } } } } } }")
    # occupations 1 + edges (1 + 10 × node (1 + skills (1 + 50 × skill (1 + id 1))))
    assert m.cost == 1 + (1 + 10 * (1 + (1 + 50 * (1 + 1))))
    default = _measure("{ occupations { totalCount } }")
    assert default.cost == 2  # a leaf below costs 1 per item of its parent, not per page


def test_cost_reads_first_from_variables_and_records_them() -> None:
    query = "query($n: Int) { occupations(first: $n) { edges { node { id } } } }"
    small, large = _measure(query, {"n": 2}), _measure(query, {"n": 10_000})
    assert small.cost == 1 + (1 + 2 * 2)
    assert large.cost == 1 + (1 + MAX_PAGE * 2)  # clamped to the page size the API allows
    assert small.cost_variables == frozenset({"n"})


def test_depth_ignores_introspection_and_graphiql_schema_query_passes() -> None:
    documents = Documents(SCHEMA, LIMITS)
    _, errors = documents.prepare(get_introspection_query(descriptions=True), None, {})
    assert errors == []


def test_introspection_bombs_are_refused_by_cost() -> None:
    query = (
        "{ __schema { types { fields { type { fields { type { fields { type { fields { "
        "type { fields { name } } } } } } } } } } } }"
    )
    _, errors = Documents(SCHEMA, LIMITS).prepare(query, None, {})
    assert "costly" in errors[0]["message"]


def test_a_bomb_in_an_unused_fragment_is_refused_too() -> None:
    query = "{ __typename }\n" + bomb(30).split("\n", 1)[1]
    _, errors = Documents(SCHEMA, LIMITS).prepare(query, None, {})
    assert errors and errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_duplicate_fields_are_bounded_before_graphql_core_compares_them() -> None:
    query = "{ stats { " + "version " * 400 + "} }"
    _, errors = Documents(SCHEMA, LIMITS).prepare(query, None, {})
    assert "comparisons" in errors[0]["message"]
    _, fine = Documents(SCHEMA, LIMITS).prepare("{ stats { version version } }", None, {})
    assert fine == []


def test_a_repeated_document_is_parsed_and_validated_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = {"parse": 0, "validate": 0}

    def counted(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(documents_module, "parse", counted("parse", documents_module.parse))
    monkeypatch.setattr(
        documents_module, "validate", counted("validate", documents_module.validate)
    )
    documents = Documents(SCHEMA, LIMITS)
    query = "query($n: Int) { occupations(first: $n) { totalCount } }"
    first, _ = documents.prepare(query, None, {"n": 5})
    after_first = dict(calls)
    for n in (5, 6, 5, 7):
        again, errors = documents.prepare(query, None, {"n": n})
        assert again is first and errors == []
    assert calls == after_first  # no parse, no validation for the repeats
    assert after_first["parse"] == 1


def test_a_cost_from_variables_is_judged_per_value() -> None:
    documents = Documents(SCHEMA, LIMITS)
    query = """query($n: Int!) { occupations(first: $n) { edges { node { skills { skill {
        occupations(first: $n) { edges { node { id } } } } } } } } }"""
    _, cheap = documents.prepare(query, None, {"n": 2})
    _, costly = documents.prepare(query, None, {"n": 500})
    _, cheap_again = documents.prepare(query, None, {"n": 2})
    assert cheap == [] and cheap_again == []
    assert "costly" in costly[0]["message"]


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents_module, "CACHE_ENTRIES", 10)
    documents = Documents(SCHEMA, LIMITS)
    for i in range(50):
        documents.prepare(f"{{ a{i}: __typename }}", None, {})
    assert len(documents._cache) == 10
