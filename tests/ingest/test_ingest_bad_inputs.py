"""The corpus of bad loader inputs (``tests/ingest/bad_inputs``): each file is refused with
a message naming the file and the line or JSON path, without a traceback, and the store
it was loaded into (already holding the fixtures) is left exactly as it was.

``bad_inputs/cases.json`` lists the files: ``loader`` is ``json`` (the file is loaded as
it is), ``rome`` or ``esco`` (the file replaces ``replaces`` in a small valid release
written by :mod:`ingest_helpers`); a ``replaces`` with a ``/`` is a path from the release
folder (``../labonneboite_2021/rome_labels.csv``, a companion folder); ``expect`` is a
fragment of the error, ``{file}`` standing for the path of the file as loaded. The records
in these files are made up for the tests.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ingest_helpers import mini_esco, mini_rome, rome_path

from cartonet.cli import main
from cartonet.ingest.fixtures import load_fixtures
from cartonet.model import Stats
from cartonet.store.embedded import EmbeddedStore
from cartonet_testing import embedded_store_file

CORPUS = Path(__file__).parent / "bad_inputs"
CASES: list[dict[str, Any]] = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fixtures_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Stats]:
    """A store file holding the fixtures, and its stats (counts and graph version)."""
    path = tmp_path_factory.mktemp("store") / "fixtures.sqlite"
    asyncio.run(embedded_store_file(path, load_fixtures()))
    return path, stats_of(path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stats_of(path: Path) -> Stats:
    async def read() -> Stats:
        store = EmbeddedStore(path)
        await store.open()
        try:
            return await store.stats()
        finally:
            await store.close()

    return asyncio.run(read())


def test_the_corpus_is_large_and_every_file_is_listed() -> None:
    listed = {c["file"] for c in CASES}
    on_disk = {
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "cases.json"
    }
    assert listed == on_disk
    assert len(listed) >= 40
    assert all(p.stat().st_size < 200_000 for p in CORPUS.rglob("*"))


def _prepare(case: dict[str, Any], tmp_path: Path) -> tuple[list[str], Path]:
    """The ``cartonet load`` arguments for ``case`` and the path of the bad file."""
    source = CORPUS / case["file"]
    if case["loader"] == "json":
        return ["json", str(source)], source
    if case["loader"] == "rome":
        release = mini_rome(tmp_path)
        target = rome_path(release, case["replaces"])
        if "/" in case["replaces"]:  # a companion file: ../labonneboite_2021/<name>
            target = (release / case["replaces"]).resolve()
            target.parent.mkdir(parents=True, exist_ok=True)
    else:
        release = mini_esco(tmp_path)
        target = release / case["replaces"]
    shutil.copyfile(source, target)
    return [case["loader"], str(release)], target


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input_is_refused_by_name_and_leaves_the_store_as_it_was(
    case: dict[str, Any], tmp_path: Path, fixtures_store: tuple[Path, Stats]
) -> None:
    template, before = fixtures_store
    store = tmp_path / "graph.sqlite"
    shutil.copyfile(template, store)
    args, bad_file = _prepare(case, tmp_path)
    result = CliRunner().invoke(
        main, ["load", *args, "--store", str(store), "-q"], env={"CARTONET_STORE": ""}, obj=None
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), "a traceback, not a clean refusal"
    assert "Traceback" not in result.output
    assert case["expect"].format(file=bad_file) in result.output
    # the same bytes are the same graph; a file the store opened (and may have touched)
    # must still give the same counts and graph version (opening it costs ~1 s)
    if digest(store) != digest(template):
        assert stats_of(store) == before
