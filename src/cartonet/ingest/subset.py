"""Cut a self-contained part out of a dataset (used to build the bundled fixtures)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from cartonet.model import Dataset, Node, RelType

FOLLOW: frozenset[RelType] = frozenset(
    {RelType.REQUIRES, RelType.BROADER, RelType.MATCHES_INTEREST}
)
"""Outgoing relationships whose targets a kept node needs: its skills, its ancestors in
the hierarchies, its interests."""


def subset(
    dataset: Dataset,
    seeds: Iterable[str],
    *,
    also: Callable[[Node], bool] | None = None,
) -> Dataset:
    """The part of ``dataset`` that ``seeds`` need, closed under what they point to.

    Starting from the ``seeds`` ids (and every node for which ``also(node)`` is true),
    keeps each node reached by following outgoing REQUIRES, BROADER and MATCHES_INTEREST
    relationships, transitively: an occupation brings all its skills, a skill its groups
    and broader skills, an occupation kept as a broader occupation brings its own skills.
    Then keeps every relationship of ``dataset`` whose two ends are kept, so MOBILITY
    edges survive only between kept occupations.

    Parameters
    ----------
    dataset:
        The full dataset.
    seeds:
        Node ids to start from (unknown ids are ignored).
    also:
        Extra nodes to keep whatever the seeds (e.g. all soft skills).

    Returns
    -------
    Dataset
        Same ``source``, nodes and relationships in the input's order; ``read_counts`` and
        ``warnings`` empty (they describe files, which a subset is not read from).

    Example
    -------
    >>> part = subset(rome, ["rome:M1805"])  # doctest: +SKIP
    >>> sorted({n.type.value for n in part.nodes})  # doctest: +SKIP
    ['Interest', 'Occupation', 'OccupationGroup', 'Skill']
    """
    by_id = {n.id: n for n in dataset.nodes}
    out: dict[str, list[str]] = defaultdict(list)
    for rel in dataset.relationships:
        if rel.type in FOLLOW:
            out[rel.start].append(rel.end)
    kept: set[str] = set()
    todo = [s for s in seeds if s in by_id]
    if also is not None:
        todo += [n.id for n in dataset.nodes if also(n)]
    while todo:
        node_id = todo.pop()
        if node_id in kept:
            continue
        kept.add(node_id)
        todo.extend(t for t in out.get(node_id, ()) if t not in kept and t in by_id)
    return Dataset(
        source=dataset.source,
        nodes=[n for n in dataset.nodes if n.id in kept],
        relationships=[r for r in dataset.relationships if r.start in kept and r.end in kept],
    )
