"""Comparing the Neo4j store with the embedded store holding the same data.

The expected answers are the embedded store's (the reference backend); the queries are
derived from the data itself (its labels, misspelt and cut short) plus inputs that are
Lucene syntax when typed raw.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Sequence

from cartonet.model import LoadReport, Node, NodeType, RelType
from cartonet.store.base import Direction, NodeFilter, Store
from cartonet.store.search import label_entries

SPECIAL_QUERIES: list[str] = [
    "C++",
    "C#",
    "c",
    "C",
    ".NET",
    "node.js",
    "AND",
    "and",
    "OR",
    "NOT",
    "TO",
    '"infirmier"',
    "'nurse'",
    "infirmier AND développeur",
    "nurse OR developer",
    "(soins)",
    "soins:infirmiers",
    "dév*",
    "infirm?er",
    "nurse~2",
    "nurse^4",
    "\\",
    "/regex/",
    "a+b",
    "-moins",
    "!",
    "&&",
    "||",
    "{}[]^",
    "🚑 infirmier",
    "ÉTUDES ET DÉVELOPPEMENT",
    "   ",
    "",
    "l'",
    "d’applications",
    "mangement",
    "développeur web",
    "gestion de projet",
    "soins infirmiers spécialisés en prévention",
]
"""Inputs that are operators, syntax or edge cases in Lucene's query language."""


def report_counts(report: LoadReport) -> tuple[object, ...]:
    """A load report without its version (versions are per store by design)."""
    return dataclasses.astuple(dataclasses.replace(report, version="", stats=_no_version(report)))


def _no_version(report: LoadReport):
    return dataclasses.replace(report.stats, version="")


def queries_from(nodes: Sequence[Node], count: int, seed: int = 7) -> list[str]:
    """``count`` queries drawn from the labels of ``nodes``: labels as they are, with two
    letters swapped (a typo), and the start of a word (typing in progress)."""
    rng = random.Random(seed)
    labels = sorted({e.label for n in nodes for e in label_entries(n)})
    out: list[str] = []
    for label in rng.sample(labels, min(count, len(labels))):
        kind = rng.randrange(3)
        if kind == 1 and len(label) > 5:
            i = rng.randrange(1, len(label) - 2)
            label = label[:i] + label[i + 1] + label[i] + label[i + 2 :]
        elif kind == 2:
            word = max(label.split(), key=len)
            label = word[: max(3, len(word) // 2)]
        out.append(label)
    return out


async def compare_search(
    reference: Store,
    other: Store,
    queries: Iterable[str],
    *,
    types: Sequence[NodeType] | None = None,
    lang: str | None = None,
    first: int = 10,
) -> list[str]:
    """The queries whose hits differ between the two stores."""
    differ = []
    for query in queries:
        if await reference.search(query, types, lang, first) != await other.search(
            query, types, lang, first
        ):
            differ.append(query)
    return differ


async def compare_lists(
    reference: Store, other: Store, type_: NodeType, flt: NodeFilter, first: int, pages: int
) -> None:
    after_ref = after_other = None
    for _ in range(pages):
        a = await reference.list_nodes(type_, flt, first, after_ref)
        b = await other.list_nodes(type_, flt, first, after_other)
        assert a == b, (type_, flt)
        if not a.has_next_page:
            return
        after_ref, after_other = a.end_cursor, b.end_cursor


async def compare_neighbours(
    reference: Store, other: Store, ids: Sequence[str], rels: Iterable[RelType]
) -> None:
    for rel in rels:
        for direction in Direction:
            a = await reference.neighbours(ids, rel, direction)
            b = await other.neighbours(ids, rel, direction)
            assert a == b, (rel, direction)
