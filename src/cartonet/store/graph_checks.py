"""Checks of a whole stored graph (``cartonet validate``), over what ``Store.export`` gives.

:mod:`cartonet.store.validate` checks a dataset before it is written; this module checks
the graph a store holds after many loads, for a data team's pipeline to gate on:

==============================  =========  ==================================================
check                           severity   what it finds
==============================  =========  ==================================================
``invalid-records``             error      nodes or relationships the load checks would
                                           refuse (:func:`~cartonet.store.validate.check_dataset`)
``dangling-references``         error      relationships whose start or end is not a node
``hierarchy-cycles``            error      cycles of BROADER links (a group under itself)
``orphan-skills``               warning    skills no occupation or training refers to
``occupations-without-essential``  warning  occupations with no ESSENTIAL requirement
``duplicate-labels``            warning    nodes of one type and source sharing a preferred
                                           label (after case and accent folding)
``incomplete-nodes``            warning    nodes marked ``incomplete`` by their loader
``single-language-labels``      info       nodes labelled in one language only
==============================  =========  ==================================================

Each finding gives a count and up to :data:`EXAMPLES` examples; the report also gives the
node counts per source and type, and relationship counts per type.

Example
-------
>>> report = check_graph(await store.export())  # doctest: +SKIP
>>> report.errors  # doctest: +SKIP
0
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from cartonet.model import LANGS, Dataset, NodeType, Relevance, RelType
from cartonet.store.search import normalize
from cartonet.store.validate import check_dataset

EXAMPLES = 10


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    severity: str  # "error", "warning" or "info"
    count: int
    description: str
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GraphReport:
    findings: list[Finding]
    nodes_by_source: dict[str, dict[str, int]]
    relationships_by_type: dict[str, int]

    @property
    def errors(self) -> int:
        return sum(f.count for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(f.count for f in self.findings if f.severity == "warning")

    def as_json(self) -> dict[str, Any]:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [
                {
                    "check": f.check,
                    "severity": f.severity,
                    "count": f.count,
                    "description": f.description,
                    "examples": f.examples,
                }
                for f in self.findings
            ],
            "nodesBySource": self.nodes_by_source,
            "relationshipsByType": self.relationships_by_type,
        }


def _finding(check: str, severity: str, description: str, items: list[str]) -> Finding:
    return Finding(check, severity, len(items), description, items[:EXAMPLES])


def check_graph(graph: Dataset) -> GraphReport:
    """Run every check of the module doc on ``graph`` (a store's export).

    Parameters
    ----------
    graph : every node and relationship of a store.

    Returns
    -------
    GraphReport
        Findings (a check with nothing to report is listed with count 0), node counts per
        source and type, relationship counts per type.
    """
    nodes = {n.id: n for n in graph.nodes}
    findings: list[Finding] = []

    # ends missing from the graph are reported once, as dangling references, below
    problems = [p for p in check_dataset(graph, {}) if "neither in the dataset" not in p]
    findings.append(
        _finding(
            "invalid-records",
            "error",
            "nodes or relationships a load would refuse (properties, types, endpoints)",
            problems,
        )
    )
    dangling = [
        f"{r.type.value} {r.start} -> {r.end}: missing "
        + " and ".join(x for x, i in (("start", r.start), ("end", r.end)) if i not in nodes)
        for r in graph.relationships
        if r.start not in nodes or r.end not in nodes
    ]
    findings.append(
        _finding("dangling-references", "error", "relationships to missing nodes", dangling)
    )

    hierarchy = nx.DiGraph()
    hierarchy.add_edges_from(
        (r.start, r.end) for r in graph.relationships if r.type is RelType.BROADER
    )
    cycles = []
    for component in nx.strongly_connected_components(hierarchy):
        if len(component) > 1:
            cycles.append(" -> ".join(sorted(component)[:6]))
    cycles += [f"{a} -> {a}" for a, b in hierarchy.edges if a == b]
    findings.append(
        _finding("hierarchy-cycles", "error", "cycles of BROADER links", sorted(cycles))
    )

    used: set[str] = set()
    essential: set[str] = set()
    for r in graph.relationships:
        if r.type in (RelType.REQUIRES, RelType.TEACHES):
            used.add(r.end)
            if r.type is RelType.REQUIRES and r.props.get("relevance") == Relevance.ESSENTIAL:
                essential.add(r.start)
    orphans = sorted(i for i, n in nodes.items() if n.type is NodeType.SKILL and i not in used)
    findings.append(
        _finding(
            "orphan-skills",
            "warning",
            "skills no occupation requires and no training teaches or requires",
            orphans,
        )
    )
    no_essential = sorted(
        i for i, n in nodes.items() if n.type is NodeType.OCCUPATION and i not in essential
    )
    findings.append(
        _finding(
            "occupations-without-essential",
            "warning",
            "occupations with no ESSENTIAL requirement",
            no_essential,
        )
    )

    by_label: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for n in graph.nodes:
        for lang, label in n.labels.items():
            if label:
                by_label[(n.type.value, n.source, lang, normalize(label))].append(n.id)
    duplicates = sorted(
        f"{type_} {lang} {key!r} ({source}): {', '.join(sorted(ids)[:4])}"
        + (f" and {len(ids) - 4} more" if len(ids) > 4 else "")
        for (type_, source, lang, key), ids in by_label.items()
        if len(ids) > 1
    )
    findings.append(
        _finding(
            "duplicate-labels",
            "warning",
            "nodes of one type and source sharing a preferred label (case and accents folded)",
            duplicates,
        )
    )
    incomplete = sorted(n.id for n in graph.nodes if n.props.get("incomplete"))
    findings.append(
        _finding(
            "incomplete-nodes",
            "warning",
            "nodes their loader completed from other files and marked incomplete",
            incomplete,
        )
    )
    one_language = sorted(
        f"{n.id}: no {'/'.join(lg for lg in LANGS if not n.labels.get(lg))} label"
        for n in graph.nodes
        if any(not n.labels.get(lg) for lg in LANGS)
    )
    findings.append(
        _finding(
            "single-language-labels",
            "info",
            "nodes labelled in one language only (ROME is French, O*NET English): reads "
            "fall back to the other language",
            one_language,
        )
    )

    per_source: dict[str, Counter[str]] = defaultdict(Counter)
    for n in graph.nodes:
        per_source[n.source][n.type.value] += 1
    rels = Counter(r.type.value for r in graph.relationships)
    return GraphReport(
        findings,
        {s: dict(sorted(c.items())) for s, c in sorted(per_source.items())},
        dict(sorted(rels.items())),
    )
