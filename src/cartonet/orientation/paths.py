"""Career paths: the k cheapest multi-step routes from one occupation to another.

The *transition graph* keeps, for every occupation A, edges to its ``neighbours`` most
similar occupations (:func:`~cartonet.orientation.similarity.similarity_matrix`), plus the
curated ``MOBILITY`` edges when the graph has them (expert-validated moves are plausible by
definition). A step costs::

    cost(A→B) = STEP_COST + (1 − cov(A→B))² + FEASIBILITY_STEP_COST · feas(A→B)
                [+ BLIND_STEP when cov(A→B) < MIN_COVERAGE]

where ``cov(A→B)`` is the hierarchical, rarity-weighted share of B's requirements A covers
(:func:`~cartonet.orientation.similarity.skill_coverage`) and ``STEP_COST = 0.25`` is the
fixed price of changing job, so a detour through a near-identical occupation is never free.
The gap is squared because a leap that needs most of a job's skills at once is much harder
than two moves needing half as much each: with a convex cost, two steps leaving 40 % of
the skills to learn each (0.16 + 0.16 + 2 × 0.25 = 0.82) beat a leap leaving 90 %
(0.81 + 0.25 = 1.06), while a leap leaving 50 % (0.5) beats two steps of 20 % (0.58).
``feas(A→B)`` in [0, 1] is the cost of B's entry level above A's and of a state diploma A
does not already require (:func:`~cartonet.orientation.feasibility.pair_cost`);
``FEASIBILITY_STEP_COST = 0.5`` makes a move into a regulated profession cost as much
extra as leaving 70 % of the skills to learn, and one level up a sixth of that.
The direct move from the source to the target is always an edge too, so a route via
intermediates is only proposed when it is cheaper step by step than the leap.

A *blind* step, one whose source covers less than ``MIN_COVERAGE`` (1 %) of the target's
requirements, is a change of trade, not a move: the squared gap alone caps its cost at
1.25, so a leap covering nothing used to beat any route of two or three real moves (each
covering 10 to 30 %, so costing 0.74 to 1.06) and was ranked first. A blind step therefore
pays ``BLIND_STEP = MAX_STEPS × (STEP_COST + 1)`` (7.5) on top: every step with real
coverage costs less than ``STEP_COST + 1``, so any route of at most ``MAX_STEPS`` steps
with real coverage at each step costs less than one blind step, and a route with a blind
step only ranks before it when no such route exists (among the routes examined).

The k cheapest loopless routes are found with Yen's algorithm (J. Y. Yen, 1971, "Finding
the k shortest loopless paths in a network", *Management Science* 17(11)) as implemented by
:func:`networkx.shortest_simple_paths`. The transition graph is computed once per graph
(kept in the index cache).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice, pairwise

import networkx as nx
import numpy as np

from cartonet.errors import InvalidArgument
from cartonet.orientation.feasibility import pair_cost
from cartonet.orientation.index import OrientationIndex, index_of
from cartonet.orientation.neighbours import similarity_neighbours
from cartonet.orientation.similarity import (
    SimilarityWeights,
    occupation_row,
    skill_coverage,
)

STEP_COST = 0.25
FEASIBILITY_STEP_COST = 0.5
DEFAULT_NEIGHBOURS = 15
MAX_PATHS = 20
MAX_STEPS = 6
MIN_COVERAGE = 0.01  # below it, shown as 0 %, a step is blind
BLIND_STEP = MAX_STEPS * (STEP_COST + 1.0)


@dataclass(frozen=True, slots=True)
class PathStep:
    source: str
    target: str
    cost: float
    coverage: float  # share of the target's requirements the source covers
    curated: bool  # a MOBILITY edge of the graph
    feasibility: float = 0.0  # the step's feasibility cost (before FEASIBILITY_STEP_COST)


@dataclass(frozen=True, slots=True)
class CareerPath:
    occupations: list[str]
    steps: list[PathStep]
    total_cost: float


def step_cost(coverage: float, feasibility: float = 0.0) -> float:
    """The cost of one move whose source covers ``coverage`` of the target's requirements,
    with the move's ``feasibility`` cost (module docstring)."""
    blind = BLIND_STEP if coverage < MIN_COVERAGE else 0.0
    return STEP_COST + (1.0 - coverage) ** 2 + blind + FEASIBILITY_STEP_COST * feasibility


def transition_graph(
    G: nx.MultiDiGraph,
    neighbours: int = DEFAULT_NEIGHBOURS,
    weights: SimilarityWeights | None = None,
) -> nx.DiGraph:
    """The plausible-moves graph described in the module docstring (cached per ``G``).

    Nodes are occupation ids; edges carry ``cost``, ``coverage`` and ``curated``.
    """
    weights = weights or SimilarityWeights()
    ix = index_of(G)
    return ix.once(
        ("transition_graph", neighbours, weights), lambda: _build(G, ix, neighbours, weights)
    )


def _build(
    G: nx.MultiDiGraph, ix: OrientationIndex, neighbours: int, weights: SimilarityWeights
) -> nx.DiGraph:
    best = similarity_neighbours(G, neighbours, weights)  # not the n² matrix: see neighbours.py
    H = nx.DiGraph()
    H.add_nodes_from(ix.occupations)
    n = len(ix.occupations)
    block = 256
    for start in range(0, n, block):
        rows = np.arange(start, min(start + block, n), dtype=np.int64)
        into, _ = skill_coverage(ix, rows, weights.sibling_credit)
        feas = pair_cost(ix, rows)
        for r, row in enumerate(rows):
            targets = set(best.row(int(row), neighbours)[0].tolist())
            curated = set(ix.mobility.get(int(row), {}))
            for j in sorted(targets | curated):
                if j == row:
                    continue
                cov, f = float(into[r, j]), float(feas[r, j])
                H.add_edge(
                    ix.occupations[row],
                    ix.occupations[j],
                    cost=step_cost(cov, f),
                    coverage=cov,
                    curated=j in curated,
                    feasibility=f,
                )
    return H


def _direct(ix: OrientationIndex, row: int, target: int, sibling_credit: float) -> float:
    into, _ = skill_coverage(ix, np.asarray([row], dtype=np.int64), sibling_credit)
    return float(into[0, target])


def career_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    k: int = 3,
    neighbours: int = DEFAULT_NEIGHBOURS,
    weights: SimilarityWeights | None = None,
) -> list[CareerPath]:
    """The ``k`` cheapest routes from occupation ``source`` to occupation ``target``.

    Parameters
    ----------
    G:
        The orientation graph.
    source, target:
        Occupation ids (different).
    k:
        How many routes (1 to 20).
    neighbours:
        How many most-similar occupations each occupation may move to in one step.
    weights:
        Similarity weights used to pick the plausible moves.

    Returns
    -------
    Up to ``k`` :class:`CareerPath`, cheapest first, each with its steps and their costs
    (routes longer than 6 steps are not returned). Empty when the target cannot be reached.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> paths = career_paths(demo_graph(), "demo:kitchen-porter", "demo:pastry-cook", k=2)
    >>> [p.occupations for p in paths]  # doctest: +NORMALIZE_WHITESPACE
    [['demo:kitchen-porter', 'demo:pastry-cook'],
     ['demo:kitchen-porter', 'demo:cook', 'demo:pastry-cook']]
    """
    if not isinstance(k, int) or not 1 <= k <= MAX_PATHS:
        raise InvalidArgument("k", f"must be between 1 and {MAX_PATHS}, got {k!r}")
    if not isinstance(neighbours, int) or not 1 <= neighbours <= 100:
        raise InvalidArgument("neighbours", "must be between 1 and 100")
    weights = weights or SimilarityWeights()
    ix = index_of(G)
    s_row = occupation_row(ix, G, source, "from")
    t_row = occupation_row(ix, G, target, "to")
    if s_row == t_row:
        raise InvalidArgument("to", "must differ from the source occupation")
    H = transition_graph(G, neighbours, weights)
    found: list[CareerPath] = []
    if not H.has_edge(source, target):
        # the direct leap is always a candidate; any route using a source→target edge is
        # that single step, so it merges with the routes of H without copying H
        cov = _direct(ix, s_row, t_row, weights.sibling_credit)
        f = float(pair_cost(ix, np.asarray([s_row], dtype=np.int64))[0, t_row])
        step = PathStep(source, target, step_cost(cov, f), cov, curated=False, feasibility=f)
        found.append(CareerPath([source, target], [step], step.cost))
    try:
        for nodes in islice(nx.shortest_simple_paths(H, source, target, weight="cost"), k * 4):
            if len(nodes) - 1 > MAX_STEPS:
                continue
            steps = [
                PathStep(
                    source=a,
                    target=b,
                    cost=float(H[a][b]["cost"]),
                    coverage=float(H[a][b]["coverage"]),
                    curated=bool(H[a][b]["curated"]),
                    feasibility=float(H[a][b]["feasibility"]),
                )
                for a, b in pairwise(nodes)
            ]
            found.append(CareerPath(list(nodes), steps, float(sum(s.cost for s in steps))))
            if len(found) >= k + 1:
                break
    except nx.NetworkXNoPath:
        pass
    found.sort(key=lambda p: (p.total_cost, len(p.steps), p.occupations))
    return found[:k]
