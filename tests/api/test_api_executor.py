"""The executor's short paths (:class:`cartonet.api.documents.PlainExecutor`) answer what
graphql-core's own path answers, data and errors (message, location, path) alike: leaf
fields with an info-free resolver, literal arguments coerced once per field node, objects
completed straight to their fields."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    execute,
    parse,
)
from graphql.execution import Executor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from cartonet.api.documents import PlainExecutor
from cartonet.api.types import INFO_FREE_RESOLVERS


class Reference(Executor):
    """graphql-core's path, with the same resolve info as the executor under test."""

    operation_extensions: Any = None
    build_resolve_info = StrawberryGraphQLCoreExecutionContext.build_resolve_info  # type: ignore[assignment]


class Tone(Enum):
    LOW = "low"
    HIGH = "high"


class Thing:
    def __init__(self, n: int) -> None:
        self.n = n


def _name(thing: Thing, info: Any) -> str:
    return f"thing {thing.n}"


def _echo(thing: Thing, info: Any, word: str = "default", times: int = 1) -> str:
    return " ".join([word] * times)


def _tone(thing: Thing, info: Any) -> Tone:
    return Tone.HIGH if thing.n % 2 else Tone.LOW


def _boom(thing: Thing, info: Any) -> str:
    if thing.n == 2:
        raise ValueError(f"no boom for {thing.n}")
    return "boom"


def _required(thing: Thing, info: Any) -> str | None:
    return None if thing.n == 3 else "here"


def _count(thing: Thing, info: Any) -> Any:
    return "many" if thing.n == 1 else thing.n  # "many" is no Int: coercion refuses it


def _optional(thing: Thing, info: Any) -> str | None:
    return None


def _child(thing: Thing, info: Any) -> Thing | None:
    return Thing(thing.n + 10) if thing.n < 10 else None


PLAIN = (_name, _echo, _tone, _boom, _required, _count, _optional, _child)

TONE = GraphQLEnumType("Tone", {"LOW": Tone.LOW, "HIGH": Tone.HIGH})


def _thing_fields() -> dict[str, GraphQLField]:
    return {
        "name": GraphQLField(GraphQLNonNull(GraphQLString), resolve=_name),
        "echo": GraphQLField(
            GraphQLNonNull(GraphQLString),
            args={
                "word": GraphQLArgument(GraphQLString, default_value="default"),
                "times": GraphQLArgument(GraphQLInt, default_value=1),
            },
            resolve=_echo,
        ),
        "tone": GraphQLField(GraphQLNonNull(TONE), resolve=_tone),
        "boom": GraphQLField(GraphQLString, resolve=_boom),
        "required": GraphQLField(GraphQLNonNull(GraphQLString), resolve=_required),
        "count": GraphQLField(GraphQLInt, resolve=_count),
        "optional": GraphQLField(GraphQLString, resolve=_optional),
        "child": GraphQLField(THING, resolve=_child),
    }


THING = GraphQLObjectType("Thing", _thing_fields)
SCHEMA = GraphQLSchema(
    GraphQLObjectType(
        "Query",
        {
            "things": GraphQLField(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(THING))),
                resolve=lambda root, info: [Thing(n) for n in range(5)],
            ),
            "maybe": GraphQLField(
                GraphQLList(THING), resolve=lambda root, info: [Thing(1), Thing(3)]
            ),
        },
    )
)


@pytest.fixture(autouse=True)
def plain_resolvers() -> Iterator[None]:
    added = [f for f in PLAIN if f not in INFO_FREE_RESOLVERS]
    INFO_FREE_RESOLVERS.update(added)
    yield
    INFO_FREE_RESOLVERS.difference_update(added)


def _run(executor: type[Executor], query: str, variables: dict[str, Any]) -> Any:
    result = execute(SCHEMA, parse(query), variable_values=variables, executor_class=executor)
    assert not hasattr(result, "__await__")
    return result.data, [e.formatted for e in result.errors or ()]  # type: ignore[union-attr]


QUERIES = [
    "{ things { name tone n: name child { name tone child { name } } } }",
    '{ things { echo a: echo(word: "hi", times: 3) b: echo(times: 2) } }',
    "query($w: String, $t: Int) { things { echo(word: $w, times: $t) } }",
    'query($w: String) { things { echo(word: $w) x: echo(word: "lit") } }',
    "{ things { boom name } }",  # a resolver raising on one item: null and an error
    "{ maybe { required name } }",  # null for a non-null field: its parent goes null
    "{ things { required } }",  # ... up to the non-null list: data is null
    "{ things { count optional } }",  # a value the Int coercion refuses
    "{ things { ...F child { ...F } } } fragment F on Thing { name tone echo(times: 2) }",
    "{ things { __typename name } }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_short_paths_answer_like_graphql_core(query: str) -> None:
    variables = {"w": "var", "t": 2}
    expected = _run(Reference, query, variables)
    assert _run(PlainExecutor, query, variables) == expected
    # a second run reads the literal arguments from the cache of this document's nodes
    document = parse(query)
    for _ in range(2):
        result = execute(SCHEMA, document, variable_values=variables, executor_class=PlainExecutor)
        assert (result.data, [e.formatted for e in result.errors or ()]) == expected  # type: ignore[union-attr]


def test_the_errors_are_graphql_cores_own() -> None:
    data, errors = _run(PlainExecutor, "{ things { boom } maybe { required } }", {})
    assert data["things"][2] == {"boom": None}
    assert {
        "message": "no boom for 2",
        "locations": [{"line": 1, "column": 12}],
        "path": ["things", 2, "boom"],
    } in errors
    assert data["maybe"] == [{"required": "here"}, None]
    assert any(e["path"] == ["maybe", 1, "required"] for e in errors)


def test_a_variable_inside_a_list_or_object_argument_is_not_cached() -> None:
    from graphql.language import parse_value

    from cartonet.api.documents import _reads_variable

    assert _reads_variable(parse_value("[1, $x]"))
    assert _reads_variable(parse_value("{a: {b: [$x]}}"))
    assert not _reads_variable(parse_value('{a: {b: [1, "x"]}}'))


def test_a_document_on_two_schemas_reads_each_ones_arguments() -> None:
    other = GraphQLObjectType(
        "Thing",
        {
            "echo": GraphQLField(
                GraphQLNonNull(GraphQLString),
                args={"word": GraphQLArgument(GraphQLString, default_value="other")},
                resolve=_echo,
            )
        },
    )
    schema = GraphQLSchema(
        GraphQLObjectType(
            "Query", {"things": GraphQLField(GraphQLList(other), resolve=lambda r, i: [Thing(0)])}
        )
    )
    document = parse("{ things { echo } }")
    first = execute(SCHEMA, document, executor_class=PlainExecutor)
    second = execute(schema, document, executor_class=PlainExecutor)
    assert first.data["things"][0] == {"echo": "default"}  # type: ignore[index]
    assert second.data == {"things": [{"echo": "other"}]}  # type: ignore[union-attr]
