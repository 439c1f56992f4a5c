"""SHA-256 checksums of the files a load reads, for the load history
(:mod:`cartonet.store.history`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def input_checksums(inputs: Iterable[Path | None], read: Iterable[str]) -> dict[str, str]:
    """SHA-256 of the files a load read: each input that is a file, by its name, and each
    file a loader counted in its ``read_counts`` (``read``: names relative to an input
    folder or to its parent, like ``en/occupations_en.csv`` or
    ``labonneboite_2021/rome_labels.csv``), by that name. ``None`` inputs (optional folders
    not given) are skipped; a name found under no input is left out.

    Example
    -------
    >>> input_checksums([Path("../shared/data/onet/29.3")], ["Skills.xlsx"])  # doctest: +SKIP
    {'Skills.xlsx': '5f1c…'}
    """
    sums: dict[str, str] = {}
    roots: list[Path] = []
    for path in inputs:
        if path is None:
            continue
        if path.is_file():
            sums[path.name] = sha256_of(path)
        else:
            roots += [path, path.parent]
    for name in read:
        for root in roots:
            if (root / name).is_file():
                sums[name] = sha256_of(root / name)
                break
    return sums
