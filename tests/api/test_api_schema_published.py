"""The published schema: ``schema.graphql`` at the repository root is the live schema, and
every type, field, argument, input field and enum value of it carries a description."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner
from graphql import get_introspection_query

from cartonet.api.schema import build_schema
from cartonet.cli import main

REGENERATE = "cartonet schema > schema.graphql"


def live_sdl() -> str:
    return build_schema().as_str() + "\n"


def test_the_committed_schema_is_the_live_one(repo_root: Path) -> None:
    committed = repo_root / "schema.graphql"
    assert committed.is_file(), f"schema.graphql is missing: create it with `{REGENERATE}`"
    assert committed.read_text(encoding="utf-8") == live_sdl(), (
        "schema.graphql differs from the schema the code builds: regenerate it with "
        f"`{REGENERATE}` (from the repository root) and commit it"
    )


def test_the_schema_command_prints_the_sdl() -> None:
    result = CliRunner().invoke(main, ["schema"], env={"CARTONET_STORE": ""}, obj=None)
    assert result.exit_code == 0, result.output
    assert result.stdout == live_sdl()
    assert "type Query" in result.stdout


def _undescribed(types: list[dict[str, Any]]) -> list[str]:
    missing: list[str] = []

    def check(what: str, item: dict[str, Any]) -> None:
        if not (item.get("description") or "").strip():
            missing.append(what)

    for t in types:
        name = t["name"]
        if name.startswith("__") or t["kind"] == "SCALAR":
            continue  # introspection types and the built-in scalars are GraphQL's own
        check(f"type {name}", t)
        for field in t.get("fields") or []:
            check(f"field {name}.{field['name']}", field)
            for arg in field["args"]:
                check(f"argument {name}.{field['name']}({arg['name']})", arg)
        for field in t.get("inputFields") or []:
            check(f"input field {name}.{field['name']}", field)
        for value in t.get("enumValues") or []:
            check(f"enum value {name}.{value['name']}", value)
    return missing


def test_everything_in_the_schema_is_described() -> None:
    result = build_schema().execute_sync(get_introspection_query(descriptions=True))
    assert result.errors is None, result.errors
    types = result.data["__schema"]["types"]
    assert len(types) > 30
    missing = _undescribed(types)
    assert not missing, "give these a description (strawberry description=): " + ", ".join(missing)


def test_the_description_check_sees_what_lacks_one() -> None:
    types = [
        {"name": "Thing", "kind": "OBJECT", "description": "A thing.", "fields": [
            {"name": "size", "description": " ", "args": [{"name": "unit", "description": None}]}
        ]},
        {"name": "Colour", "kind": "ENUM", "description": "", "enumValues": [
            {"name": "RED", "description": "Red."}
        ]},
        {"name": "ThingInput", "kind": "INPUT_OBJECT", "description": "In.", "inputFields": [
            {"name": "size", "description": ""}
        ]},
    ]  # fmt: skip
    assert _undescribed(types) == [
        "field Thing.size",
        "argument Thing.size(unit)",
        "type Colour",
        "input field ThingInput.size",
    ]
