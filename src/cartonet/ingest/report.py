"""A plain-text account of what a loader read, for the CLI and the closing notes."""

from __future__ import annotations

from collections import Counter

from cartonet.model import Dataset


def describe(dataset: Dataset, max_warnings: int = 5) -> str:
    """Counts against the files: rows read per file, nodes and relationships by type
    (with how many nodes were completed from other files), then the first warnings.

    Example
    -------
    >>> print(describe(load_esco(Path("../shared/data/esco/v1.1.1"))))  # doctest: +SKIP
    esco-v1.1.1: 18,170 nodes, 148,128 relationships
      read (rows or items per file): en/occupations_en.csv 3,007, ...
      nodes: Occupation 3,008 (3,007 from rows + 1 completed from other files, marked
      incomplete), ...
    """
    nodes = Counter(n.type.value for n in dataset.nodes)
    incomplete = Counter(n.type.value for n in dataset.nodes if n.props.get("incomplete"))
    rels = Counter(r.type.value for r in dataset.relationships)
    lines = [
        f"{dataset.source}: {len(dataset.nodes):,} nodes, "
        f"{len(dataset.relationships):,} relationships"
    ]
    if dataset.read_counts:
        lines.append(
            "  read (rows or items per file): "
            + ", ".join(f"{k} {v:,}" for k, v in dataset.read_counts.items())
        )
    parts = []
    for type_name, n in sorted(nodes.items()):
        extra = incomplete.get(type_name, 0)
        if extra:
            parts.append(
                f"{type_name} {n:,} ({n - extra:,} from rows + {extra:,} completed from other "
                "files, marked incomplete)"
            )
        else:
            parts.append(f"{type_name} {n:,}")
    lines.append("  nodes: " + ", ".join(parts))
    lines.append("  relationships: " + ", ".join(f"{k} {v:,}" for k, v in sorted(rels.items())))
    if dataset.warnings:
        lines.append(f"  warnings: {len(dataset.warnings):,}")
        lines += [f"    {w}" for w in dataset.warnings[:max_warnings]]
        if len(dataset.warnings) > max_warnings:
            lines.append(f"    ... and {len(dataset.warnings) - max_warnings:,} more")
    return "\n".join(lines)
