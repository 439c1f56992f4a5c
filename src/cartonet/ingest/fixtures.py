"""The bundled fixtures: a small real subset of ESCO and ROME plus an illustrative training
catalogue, as ``cartonet-graph`` files made by ``scripts/make_fixtures.py``.

In a source checkout they are in ``<repo>/fixtures``; an installed wheel carries them as
``cartonet/_fixtures`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from pathlib import Path

from cartonet.errors import LoadError
from cartonet.ingest.jsonfmt import read_json
from cartonet.ingest.problems import ProgressCallback
from cartonet.model import Dataset

_PACKAGE = Path(__file__).resolve().parents[1]  # src/cartonet or site-packages/cartonet


def fixtures_dir() -> Path:
    """The fixtures folder: the checkout's ``fixtures/`` first, else the installed copy."""
    candidates = [_PACKAGE.parents[1] / "fixtures", _PACKAGE / "_fixtures"]
    for candidate in candidates:
        if _files(candidate):
            return candidate
    raise LoadError(
        "bundled fixtures not found (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); run scripts/make_fixtures.py"
    )


def fixture_paths() -> list[Path]:
    """The fixture files in load order.

    The order is the file names' order: ``esco_subset``, ``rome_subset``, then
    ``trainings_illustrative``, whose relationships point at skills and occupations of the
    first two, so it must come last.
    """
    return _files(fixtures_dir())


def load_fixtures(progress: ProgressCallback | None = None) -> list[Dataset]:
    """Read every fixture file, in :func:`fixture_paths` order."""
    return [read_json(path, progress=progress) for path in fixture_paths()]


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.endswith((".json", ".json.gz"))
    )
