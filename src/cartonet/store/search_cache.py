"""The embedded store's label search index and filter texts, kept on disk between starts.

Building the :class:`~cartonet.store.search.SearchIndex` and the ``NodeFilter.text``
strings of a full taxonomy takes seconds and leaves tens of MiB of freed garbage behind;
reading them back from a file takes a fraction of that. The file (a NumPy ``.npz`` read
with ``allow_pickle=False``) is keyed by the store's graph version and :data:`FORMAT`: a
file for another version is ignored (and replaced on the next warm-up), so is one that
cannot be read (logged). Written to a temporary name, then renamed.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from cartonet.model import Node, NodeType
from cartonet.store.search import SearchIndex

log = logging.getLogger("cartonet.store")

FORMAT = "cartonet-search-2"

UNREADABLE = (
    OSError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    EOFError,
    zipfile.BadZipFile,
    UnicodeDecodeError,
)
"""What reading a truncated, corrupt or foreign ``.npz`` cache file can raise: such a file
is ignored (logged) and rebuilt, never an error for the caller."""


def _text(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def save(path: Path, version: str, index: SearchIndex, texts: Mapping[NodeType, list[str]]) -> None:
    """Write ``index`` and the filter ``texts`` (per node type) for ``version``."""
    arrays = index.to_arrays()
    arrays["meta"] = _text({"format": FORMAT, "version": version})
    arrays["texts"] = _text({t.value: v for t, v in texts.items()})
    write_npz(path, arrays)


def read_meta(path: Path) -> dict[str, Any] | None:
    """The ``meta`` member of the ``.npz`` cache file at ``path`` (a JSON object), read
    alone; None when the file is missing or cannot be read."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode("utf-8"))
    except UNREADABLE:
        return None
    return meta if isinstance(meta, dict) else None


def write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """``np.savez`` to a temporary file in the same folder, then an atomic rename (a crash
    never leaves a partial file under ``path``); the file gets the usual permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(
    path: Path, version: str, nodes: Mapping[str, Node]
) -> tuple[SearchIndex, dict[NodeType, list[str]]] | None:
    """The index and texts saved at ``path`` for ``version`` over ``nodes``, or None
    (missing, another version, unreadable or not matching the nodes: never raises)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT or meta.get("version") != version:
                log.info("search cache %s is for another graph version: rebuilding", path)
                return None
            arrays = {name: archive[name] for name in archive.files}
        index = SearchIndex.from_arrays(arrays, nodes)
        raw = json.loads(arrays["texts"].tobytes().decode("utf-8"))
        texts = {NodeType(t): list(v) for t, v in raw.items()}
    except FileNotFoundError:
        return None
    except UNREADABLE as exc:
        log.warning("search cache %s is unreadable, rebuilding: %s", path, exc)
        return None
    if index is None:
        log.warning("search cache %s does not match the store's nodes, rebuilding", path)
        return None
    return index, texts
