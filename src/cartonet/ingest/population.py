"""Population files for pilotage: occupations with head counts, as CSV.

The format (docs/pilotage.md has an example):

============  ====================================================================
column        meaning
============  ====================================================================
``occupation``  the occupation: an id of the store (``rome:G1602``, an ESCO URI,
                ``onet:...``) or a label, French or English; required
``count``       how many people, a whole number ≥ 1; required
============  ====================================================================

Other columns (a label beside the id, a comment) are ignored. Commas or semicolons
separate the fields (a spreadsheet saved as CSV in French uses semicolons); the file is
UTF-8 (a byte-order mark is fine). Labels are resolved as the training loader does
(:class:`~cartonet.ingest.trainings.LabelResolver`): an id, else a label exactly one
occupation has, else a close rapidfuzz match well ahead of the next, accepted with a
warning; an unknown or ambiguous label is a bad row reported as ``file:line: reason``
with the closest candidates, and no answer is computed until the file is fixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from cartonet.errors import LoadError
from cartonet.ingest.csvread import CsvTable
from cartonet.ingest.problems import Problems
from cartonet.ingest.trainings import LabelResolver
from cartonet.model import Node, NodeType

COLUMNS = ("occupation", "count")


def _delimiter(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", errors="replace") as f:
        header = f.readline()
    return ";" if ";" in header and "," not in header else ","


def read_population(
    path: Path, nodes: Iterable[Node], taxonomies: Sequence[str] = ()
) -> tuple[list[tuple[str, int]], list[str]]:
    """The ``(occupation id, count)`` pairs of the population file at ``path``, in file
    order, and the warnings (fuzzy label matches, ``file:line: ...``).

    Parameters
    ----------
    path:
        The CSV file (see the module docstring).
    nodes:
        The store's nodes (occupations are kept) to resolve ids and labels against.
    taxonomies:
        When given, labels only match occupations of these sources.

    Raises
    ------
    LoadError
        A missing column, or bad rows (each as ``file:line: reason``): a count that is not
        a whole number ≥ 1, an unknown or ambiguous occupation, or no row at all.

    Example
    -------
    >>> read_population(Path("staff.csv"), store_nodes)  # doctest: +SKIP
    ([('rome:G1602', 12), ('rome:G1603', 4)], [])
    """
    problems = Problems()
    resolver = LabelResolver(nodes, NodeType.OCCUPATION, taxonomies)
    table = CsvTable(path, COLUMNS, problems, delimiter=_delimiter(path))
    groups: list[tuple[str, int]] = []
    for row in table:
        text, count = row["occupation"], row["count"]
        try:
            number = int(count)
        except ValueError:
            number = 0
        if number < 1:
            problems.bad(table.name, row.line, f"count must be a whole number ≥ 1, got {count!r}")
            continue
        found = resolver.resolve(text)
        if found.node_id is None:
            problems.bad(table.name, row.line, found.reason or f"unknown occupation {text!r}")
            continue
        if found.fuzzy is not None:
            problems.warn(
                table.name,
                row.line,
                f"{text!r} read as {found.node_id} (label {found.fuzzy!r})",
            )
        groups.append((found.node_id, number))
    if problems.bad_rows:
        n = len(problems.bad_rows)
        raise LoadError(
            f"{path}: {n} bad row{'s' if n != 1 else ''}; fix the file and run again",
            problems.bad_rows,
        )
    if not groups:
        raise LoadError(f"{path}: no group (a row per occupation: {', '.join(COLUMNS)})")
    return groups, problems.warnings
