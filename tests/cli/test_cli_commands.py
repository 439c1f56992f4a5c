"""The ``cartonet`` command through click's runner: help, loads, stats, search, errors."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from cartonet.cli import CartonetGroup, Progress, main
from cartonet.errors import InvalidArgument
from cartonet.model import Dataset, NodeType

SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"


def invoke(*args: str) -> Result:
    # An empty environment for the settings: no CARTONET_STORE from the developer's shell.
    return CliRunner().invoke(main, list(args), env={"CARTONET_STORE": ""}, obj=None)


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    paths = [prefix]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def test_every_command_has_help() -> None:
    paths = _command_paths(main)
    for expected in [
        ("serve",),
        ("load", "esco"),
        ("load", "rome"),
        ("load", "json"),
        ("load", "fixtures"),
        ("stats",),
        ("search",),
        ("schema",),
    ]:
        assert expected in paths
    for path in paths:
        result = invoke(*path, "--help")
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output
        if path and path[-1] not in ("load", "schema"):  # schema prints code, reads no store
            assert "--store" in result.output or path == ("load",), path


def test_load_json_then_stats_and_search(
    tmp_path: Path, small_json: Path, small_dataset: Dataset
) -> None:
    store = str(tmp_path / "graph.sqlite")
    result = invoke("load", "json", str(small_json), "--store", store)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Loaded cli-test-slice" in out
    types = Counter(n.type.value for n in small_dataset.nodes)
    for type_name, count in types.items():
        assert any(type_name in line and f"{count:,}" in line for line in out.splitlines())
    assert f"{small_json.name}:nodes" in out
    assert "warnings: 0" in out
    assert "row/s" not in result.output, "no progress bars when not on a terminal"

    result = invoke("stats", "--store", store, "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["occupations"] == types["Occupation"]
    assert stats["skills"] == types["Skill"]
    assert stats["relations"] == len(small_dataset.relationships)

    occupation = next(n for n in small_dataset.nodes if n.type == NodeType.OCCUPATION)
    result = invoke(
        "search",
        occupation.label("en"),
        "--lang",
        "en",
        "--kind",
        "occupation",
        "--json",
        "--store",
        store,
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == occupation.id
    assert all(h["type"] == "OCCUPATION" for h in hits)
    assert hits[0]["matchedLang"] == "EN", "the API's Lang enum, not 'en'"

    result = invoke("search", occupation.label("fr"), "--store", store)
    assert result.exit_code == 0
    assert occupation.id in result.stdout


def test_loading_twice_writes_nothing_the_second_time(tmp_path: Path, small_json: Path) -> None:
    store = str(tmp_path / "graph.sqlite")
    first = invoke("load", "json", str(small_json), "--store", store)
    second = invoke("load", "json", str(small_json), "--store", store)
    assert first.exit_code == second.exit_code == 0
    version = [line for line in first.stdout.splitlines() if line.startswith("version:")]
    assert version == [line for line in second.stdout.splitlines() if line.startswith("version:")]
    written = [
        line.split()
        for line in second.stdout.splitlines()
        if line.startswith(("nodes ", "relationships "))
    ]
    assert written and all(cols[2] == "0" for cols in written), second.stdout


def test_bad_json_is_a_clean_error_with_file_and_line(tmp_path: Path, small_json: Path) -> None:
    bad = tmp_path / "bad.json"
    lines = small_json.read_text().splitlines()
    lines[3] = lines[3] + " oops"
    bad.write_text("\n".join(lines))
    store = tmp_path / "graph.sqlite"
    result = invoke("load", "json", str(bad), "--store", str(store))
    assert result.exit_code == 1
    assert f"{bad}:4:" in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_invalid_items_are_named_and_nothing_is_loaded(tmp_path: Path, small_json: Path) -> None:
    doc = json.loads(small_json.read_text())
    doc["nodes"][1]["type"] = "Planet"
    bad = tmp_path / "bad-item.json"
    bad.write_text(json.dumps(doc))
    store = str(tmp_path / "graph.sqlite")
    result = invoke("load", "json", str(bad), "--store", store)
    assert result.exit_code == 1
    assert "nodes[1].type" in result.stderr
    assert "Traceback" not in result.output
    assert not Path(store).exists(), "a refused load creates no store"

    result = invoke("load", "json", str(bad), "--store", store, "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    assert "nodes[1].type" in result.stdout  # listed among the warnings
    assert "warnings: 0" not in result.stdout


def test_invalid_arguments_exit_2(tmp_path: Path) -> None:
    store = str(tmp_path / "graph.sqlite")
    result = invoke("search", "  ", "--store", store)
    assert result.exit_code == 2
    assert "invalid argument 'text'" in result.stderr
    result = invoke("search", "dev", "--first", "100000", "--store", store)
    assert result.exit_code == 2
    assert "invalid argument 'first'" in result.stderr
    result = invoke("load", "json", str(tmp_path / "missing.json"), "--store", store)
    assert result.exit_code == 2  # click checks the path exists
    assert "Traceback" not in result.output


def test_h_is_help_on_every_command() -> None:
    for path in _command_paths(main):
        short, long = invoke(*path, "-h"), invoke(*path, "--help")
        assert short.exit_code == 0, (path, short.output)
        assert short.output == long.output, path


READ_COMMANDS = [
    ["stats"],
    ["search", "developer"],
    ["similar", "rome:G1602"],
    ["suggest", "--interest", "S"],
    ["serve", "--port", "1"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=[c[0] for c in READ_COMMANDS])
def test_read_commands_refuse_a_store_file_that_does_not_exist(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "typo.sqlite"
    result = invoke(*command, "--store", str(missing))
    assert result.exit_code == 1, result.output
    assert f"{missing}: no such store file" in result.stderr
    assert "Traceback" not in result.output
    assert not missing.exists(), "no empty store is created"


def test_the_default_store_is_still_created_and_filled_on_first_use(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = CliRunner().invoke(
        main,
        ["stats", "--json"],
        env={"CARTONET_STORE": "", "CARTONET_DATA_DIR": str(data_dir)},
        obj=None,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["occupations"] > 0
    assert (data_dir / "default.sqlite").is_file()


def test_unreadable_store_is_a_clean_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_text("this is not a database\n")
    result = invoke("stats", "--store", str(broken))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error:")
    assert str(broken) in result.stderr


def test_load_fixtures_then_search(tmp_path: Path) -> None:
    store = str(tmp_path / "graph.sqlite")
    result = invoke("load", "fixtures", "--store", store, "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Loaded ") == 3
    assert "illustrative-trainings" in result.stdout
    result = invoke(
        "search",
        "developpeur logiciel",
        "--kind",
        "OCCUPATION",
        "--first",
        "3",
        "--json",
        "--store",
        store,
    )
    assert SOFTWARE_DEVELOPER in [h["id"] for h in json.loads(result.stdout)]


@pytest.mark.parametrize("flag", ["--version"])
def test_version(flag: str) -> None:
    result = invoke(flag)
    assert result.exit_code == 0
    assert "version" in result.output


def test_progress_bars_follow_the_phases() -> None:
    out = io.StringIO()
    progress = Progress(enabled=True, file=out)
    for done in (0, 500, 1000):
        progress("read skills.csv", done, 1000)
    bar = progress._bar
    assert (bar.n, bar.total) == (1000, 1000)
    progress("write", 10, 20)
    assert progress._bar is not bar and progress._bar.n == 10
    progress.close()
    text = out.getvalue()
    assert "read skills.csv" in text
    assert "write" in text
    quiet = io.StringIO()
    Progress(enabled=False, file=quiet)("read", 1, 2)
    assert quiet.getvalue() == ""


@click.command()
@click.option("--fail", is_flag=True)
def hello(fail: bool) -> None:
    """A command another module would define."""
    if fail:
        raise InvalidArgument("fail", "asked to fail")
    click.echo("hello from a lazily registered command")


def test_extra_commands_are_registered_lazily() -> None:
    group = CartonetGroup(name="cartonet", lazy={"hello": f"{__name__}:hello"})
    assert "hello" in group.list_commands(click.Context(group))
    result = CliRunner().invoke(group, ["hello"])
    assert result.exit_code == 0
    assert "lazily registered" in result.output
    result = CliRunner().invoke(group, ["hello", "--fail"])
    assert result.exit_code == 2, "user errors of extra commands are handled like the others"
    assert "invalid argument 'fail'" in result.stderr
