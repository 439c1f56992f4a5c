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

from cartonet.api.executor import PlainExecutor, Shortcuts
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


def _tags(thing: Thing, info: Any) -> list[str]:
    return [f"t{i}" for i in range(thing.n % 3)]


def _gaps(thing: Thing, info: Any) -> list[str | None]:
    return ["a", None, "b"]


def _children(thing: Thing, info: Any) -> list[Thing | None] | None:
    if thing.n >= 10:
        return None
    return [Thing(thing.n + 20), None] if thing.n % 2 else [Thing(thing.n + 30)]


def _strict_children(thing: Thing, info: Any) -> list[Thing | None]:
    return [Thing(1), None] if thing.n == 4 else [Thing(2)]


PLAIN = (
    _name,
    _echo,
    _tone,
    _boom,
    _required,
    _count,
    _optional,
    _child,
    _tags,
    _gaps,
    _children,
    _strict_children,
)

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
        "tags": GraphQLField(
            GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLString))), resolve=_tags
        ),
        "gaps": GraphQLField(GraphQLList(GraphQLString), resolve=_gaps),
        "strictGaps": GraphQLField(GraphQLList(GraphQLNonNull(GraphQLString)), resolve=_gaps),
        "children": GraphQLField(GraphQLList(THING), resolve=_children),
        "strictChildren": GraphQLField(
            GraphQLList(GraphQLNonNull(THING)), resolve=_strict_children
        ),
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
    # one fragment spread where its field groups with another, and alone
    "{ things { ...C child { tone } } maybe { ...C } } fragment C on Thing { child { name } }",
    # plain subtrees: nested objects and lists of leaves and objects, nulls inside
    "{ things { tags gaps children { name tags children { __typename tone } } } }",
    "{ things { strictGaps } }",  # a null item of a non-null list
    "{ things { strictChildren { name } } }",  # ... of objects: the list goes null
    "{ things { children { name boom } } }",  # a raise deep in a plain subtree
    "query($yes: Boolean!) { things { name tags @include(if: $yes) child { name } } }",
    "query($yes: Boolean!) { things { ...G } } fragment G on Thing { tags @skip(if: $yes) }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_short_paths_answer_like_graphql_core(query: str) -> None:
    variables = {"w": "var", "t": 2, "yes": False}
    expected = _run(Reference, query, variables)
    assert _run(PlainExecutor, query, variables) == expected
    # a second run reads the literal arguments from the cache of this document's nodes
    document, shortcuts = parse(query), Shortcuts()
    for _ in range(2):
        result = execute(
            SCHEMA,
            document,
            variable_values=variables,
            executor_class=PlainExecutor,
            shortcuts=shortcuts,
        )
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

    from cartonet.api.executor import _reads_variable

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


def test_a_plain_selection_is_completed_by_its_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    import cartonet.api.executor as executor

    ran: list[Any] = []
    run_plan = executor.run_plan

    def counted(plan: Any, source: Any) -> Any:
        ran.append(source)
        return run_plan(plan, source)

    monkeypatch.setattr(executor, "run_plan", counted)
    plain = "{ things { name tags children { name } } }"
    assert _run(PlainExecutor, plain, {}) == _run(Reference, plain, {})
    # the 5 items of `things` from graphql-core's list, their 5 children inside the plan
    assert len(ran) == 10 and all(isinstance(t, Thing) for t in ran)
    ran.clear()
    # a directive anywhere: the fields selected depend on variables, no plan
    directive = "query($yes: Boolean!) { things { name tags @include(if: $yes) } }"
    for yes in (True, False):
        assert _run(PlainExecutor, directive, {"yes": yes}) == _run(
            Reference, directive, {"yes": yes}
        )
    assert ran == []


def test_a_cached_document_with_directives_follows_its_variables() -> None:
    # the same parsed document, as the document cache hands it out, run with either value
    document = parse("query($yes: Boolean!) { things { name tags @include(if: $yes) } }")
    shortcuts = Shortcuts()
    for yes in (True, False, True):
        got = execute(
            SCHEMA,
            document,
            variable_values={"yes": yes},
            executor_class=PlainExecutor,
            shortcuts=shortcuts,
        )
        want = execute(SCHEMA, document, variable_values={"yes": yes}, executor_class=Reference)
        assert got.data == want.data  # type: ignore[union-attr]
        assert ("tags" in got.data["things"][0]) is yes  # type: ignore[index]
