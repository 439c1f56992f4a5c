"""Helpers shared by every test folder, importable from any conftest or test module.

A plain module (on the test path through ``pythonpath`` in pyproject.toml) because pytest
imports every ``conftest.py`` as module ``conftest``: a sub-folder conftest cannot import
the root one by name.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest

from cartonet.model import Dataset
from cartonet.store.embedded import EmbeddedStore

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false; under CI=true, fail instead:
    CI always has what the tests need, so a missing piece there is a defect."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: tests are never skipped in CI)")
    pytest.skip(reason)


async def embedded_store_file(path: Path, datasets: Iterable[Dataset]) -> Path:
    """Write ``datasets`` into a new embedded store at ``path`` (closed again); returns
    ``path``, for fixtures that serve the same data from several apps."""
    store = EmbeddedStore(path)
    await store.open()
    try:
        for ds in datasets:
            await store.load(ds)
    finally:
        await store.close()
    return path


def load_script(name: str, folder: str = "scripts") -> ModuleType:
    """The module of ``<folder>/<name>.py`` (``scripts`` and ``bench`` are not packages:
    loaded by path)."""
    path = Path(__file__).resolve().parents[1] / folder / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader, f"no script at {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cartonet_command() -> list[str]:
    """How to run the ``cartonet`` CLI of this interpreter's environment."""
    script = Path(sys.executable).with_name("cartonet")
    if script.exists():
        return [str(script)]
    found = shutil.which("cartonet")
    return [found] if found else [sys.executable, "-c", "from cartonet.cli import main; main()"]


def crossed(datasets: list[Dataset]) -> tuple[Dataset, list]:
    """The fixtures' ESCO → ROME label crosswalk with ROME's interests read across it, as
    ``cartonet crosswalk --infer-interests`` writes them: the crosswalk dataset and the
    inferred MATCHES_INTEREST relationships it holds."""
    from cartonet.ingest import crosswalk as cw
    from cartonet.model import NodeType, RelType

    by_source = {ds.source.split("-")[0]: ds for ds in datasets}
    esco, rome = by_source["esco"], by_source["rome"]
    occ = [n for n in esco.nodes if n.type is NodeType.OCCUPATION]
    links = cw.match_labels(occ, [n for n in rome.nodes if n.type is NodeType.OCCUPATION], ["fr"])
    interests: dict[str, list] = {}
    for rel in rome.relationships:
        if rel.type is RelType.MATCHES_INTEREST:
            interests.setdefault(rel.start, []).append(rel)
    extra = cw.infer_interests(links, interests, {n.id for n in occ})
    return cw.crosswalk_dataset("crosswalk", links, extra), extra
