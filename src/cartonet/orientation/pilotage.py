"""Strategic steering ("pilotage"): who could come here, which skills and which trainings
open the most doors for a population.

Every answer reads the occupation similarity of :mod:`cartonet.orientation.similarity`
(``score(A → B)`` in ``[0, 1]``, the score of ``similarOccupations``); nothing here is
specific to a taxonomy, so a store holding ESCO, ROME, O*NET or a mix gives answers from
its own data.

Feeders
    :func:`feeder_occupations`: the origins ``A`` ranked by ``score(A → B)`` for one
    destination ``B`` — the column ``B`` of the similarity matrix, read without computing
    the matrix (:func:`~cartonet.orientation.similarity.similarity_into`).

A population
    Groups of people, each an occupation ``A`` with a head count ``c_A``
    (:func:`check_population`). A move ``A → B`` is **viable** when::

        feasible(A, B) and score(A → B) ≥ τ      (τ = VIABLE_SCORE = 0.3)
        or a curated MOBILITY edge leads from A to B
        or, when an area is given, people of A were observed moving into B there

    with ``feasible(A, B)``: ``pair_cost(A, B) ≤ 1/3``
    (:mod:`~cartonet.orientation.feasibility`): at most one level up the entry scale and no
    state diploma A lacks. The rule follows Nesta's *Mapping Career Causeways* (viable:
    similarity above 0.3 and at most one job zone up); τ = 0.3 is their threshold on a
    score that is, like ours, in ``[0, 1]`` (on full ESCO it leaves about 15 viable moves
    per occupation; docs/algorithms.md gives the distribution).

    * :func:`population_options`: destinations ``B`` by the head count that can reach them,
      ``people(B) = Σ_A c_A · viable(A, B)``, ``share = people / Σ_A c_A``.
    * :func:`skill_leverage`: for each skill ``s``, the new viable moves a person of ``A``
      gains by acquiring it, averaged over the population (weighted by head counts)::

          new(s) = Σ_A c_A · #{B : feasible, not viable, score'(A → B | s) ≥ τ} / Σ_A c_A

      where ``score'`` is the score with the person holding ``s`` on top of ``A``'s skills.
      Only the coverage of B's needs changes (the person's occupation, so its text, groups
      and what B would use of it, stays the same)::

          Δcov(A → B | S) = ((1 − η) Σ_{s ∈ S∖req(A)} need_B(s)
                             + η Σ_{p ∈ parents(S) not touched by A} need_B(p)) / mass_B
          score'(A → B) = score(A → B) + λ_skill(A) · α · Δcov(A → B | S)

      (η, α, ``need``, ``mass`` and ``λ`` as in :mod:`~cartonet.orientation.similarity`).
      ``people(s)``: head count of the groups that gain at least one move. This is Nesta's
      "core skills" analysis (new safe and desirable transitions gained per added skill)
      without the automation-risk and earnings filters, which no source here provides.
    * :func:`training_leverage`: the same with ``S`` = every skill a training teaches,
      ranked by new moves per training hour (``durationHours``; 35 h when unknown).
    * :func:`transferable_skills`: the skills required in the most clusters of the
      occupation map (:func:`~cartonet.orientation.skillmap.skill_map`, Louvain): bridges
      between fields. Given a population, the skills it holds, ranked by the clusters
      *other than the population's own* that require them.

Everything is NumPy / SciPy sparse over the population's rows at once: the moves that a
skill could tip over the threshold are found first with a per-destination bound on what
one skill (or one training) can add, and only those pairs are expanded.

References
----------
* Nesta (2020–2021), *Mapping Career Causeways: supporting workers at risk*, report and
  technical appendix (sections "Viable transitions" and "Core skills"): J. Kanders,
  G. Nightingale, K. Stathoulopoulos et al.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from cartonet.errors import InvalidArgument
from cartonet.orientation.feasibility import pair_cost
from cartonet.orientation.gaps import gap_for
from cartonet.orientation.index import OrientationIndex, index_of, training_cost
from cartonet.orientation.profile import Profile, resolve
from cartonet.orientation.similarity import (
    PARTS,
    SimilarityWeights,
    _scores,
    check_k,
    occupation_row,
    similarity_into,
    top_k,
)
from cartonet.orientation.skillmap import skill_map

VIABLE_SCORE = 0.3
"""τ: the similarity score from which a feasible move is viable (Nesta's threshold)."""
MAX_FEASIBLE_COST = 1.0 / 3.0
"""Largest :func:`~cartonet.orientation.feasibility.pair_cost` of a feasible move: one
level up the entry scale, no state diploma lacking."""
MAX_GROUPS = 5000
"""Most groups one population may list (more than every occupation of ESCO + ROME)."""
MAX_COUNT = 10**9
"""Largest head count of one group."""
PAIR_BLOCK = 20_000
"""Origin–destination pairs expanded at once (bounds memory to a few MB)."""
_EPS = 1e-12


# --- populations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Population:
    """A population checked against a graph: distinct occupation ``rows`` (index rows)
    with their head ``counts``, in the order first given; ``ids`` the occupation ids."""

    ids: tuple[str, ...]
    rows: np.ndarray
    counts: np.ndarray

    @property
    def total(self) -> int:
        return int(self.counts.sum())


def check_population(
    G: nx.MultiDiGraph,
    groups: Sequence[tuple[str, int]],
    argument: str = "population.groups",
) -> Population:
    """Check ``groups`` (``(occupation id, head count)`` pairs) against ``G``.

    The same occupation given twice counts once with the counts added. Raises
    :class:`InvalidArgument` naming ``argument``: no group, more than :data:`MAX_GROUPS`,
    a count that is not a whole number from 1 to :data:`MAX_COUNT` (``argument[i].count``),
    or ids that are not occupations of the graph (all of them named, with their positions).

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> check_population(demo_graph(), [("demo:cook", 3), ("demo:cook", 2)]).total
    5
    """
    ix = index_of(G)
    if not groups:
        raise InvalidArgument(argument, "give at least one group: an occupation id and a count")
    if len(groups) > MAX_GROUPS:
        raise InvalidArgument(argument, f"at most {MAX_GROUPS} groups, got {len(groups)}")
    unknown: list[str] = []
    merged: dict[str, int] = {}
    for i, (occupation, count) in enumerate(groups):
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            raise InvalidArgument(
                f"{argument}[{i}].count",
                f"must be a whole number from 1 to {MAX_COUNT}, got {count!r}",
            )
        if occupation not in ix.occ_pos:
            kind = G.nodes[occupation].get("type") if occupation in G else None
            what = "not an occupation" if kind is not None else "unknown"
            unknown.append(f"[{i}] '{occupation}' ({what})")
            continue
        merged[occupation] = merged.get(occupation, 0) + count
    if unknown:
        shown = ", ".join(unknown[:10]) + (
            f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        )
        raise InvalidArgument(
            argument, f"{len(unknown)} occupation id(s) not in the graph: {shown}"
        )
    ids = tuple(merged)
    return Population(
        ids=ids,
        rows=np.asarray([ix.occ_pos[o] for o in ids], dtype=np.int64),
        counts=np.asarray([merged[o] for o in ids], dtype=np.int64),
    )


@dataclass
class _Moves:
    """The population's moves: per origin row (``m``) and occupation (``n``)."""

    score: np.ndarray  # m × n, NaN where not a candidate
    feasible: np.ndarray  # m × n bool (candidates only)
    viable: np.ndarray  # m × n bool
    lam_skill: np.ndarray  # per origin, λ_skill(A)


MOVES_KEPT = 4
"""Populations whose moves are kept per graph: the fields of one request (options, skill
and training leverage) and a report's steps share one computation."""
MOVES_KEPT_BYTES = 128 * 2**20
"""Memory the kept moves may hold at most (a population of 3,000 occupations on ESCO +
ROME holds about 100 MiB); the oldest are dropped first, the newest is always kept."""


def _moves(
    G: nx.MultiDiGraph,
    pop: Population,
    observed: Mapping[str, Mapping[str, float]] | None,
    weights: SimilarityWeights,
    viability: float,
) -> _Moves:
    if not isinstance(viability, int | float) or not 0.0 <= viability <= 1.0:
        raise InvalidArgument("viability", f"must be a number from 0 to 1, got {viability!r}")
    ix = index_of(G)
    key = (
        pop.rows.tobytes(),
        tuple(sorted((a, tuple(sorted(ends))) for a, ends in (observed or {}).items())),
        weights,
        viability,
    )
    kept: OrderedDict[Any, _Moves] = ix.once(("pilotage_moves",), OrderedDict)
    with ix.lock:
        found = kept.get(key)
        if found is not None:
            kept.move_to_end(key)
            return found
    found = _compute_moves(G, pop, observed, weights, viability)
    with ix.lock:
        kept[key] = found
        while len(kept) > MOVES_KEPT or (len(kept) > 1 and _bytes(kept) > MOVES_KEPT_BYTES):
            kept.popitem(last=False)
    return found


def _bytes(kept: Mapping[Any, _Moves]) -> int:
    return sum(m.score.nbytes + m.feasible.nbytes + m.viable.nbytes for m in kept.values())


def _compute_moves(
    G: nx.MultiDiGraph,
    pop: Population,
    observed: Mapping[str, Mapping[str, float]] | None,
    weights: SimilarityWeights,
    viability: float,
) -> _Moves:
    ix = index_of(G)
    score, _, lam = _scores(ix, pop.rows, weights)
    candidate = np.isfinite(score)
    feasible = candidate & (pair_cost(ix, pop.rows) <= MAX_FEASIBLE_COST + _EPS)
    viable = feasible & (np.nan_to_num(score, nan=-1.0) >= viability)
    for r, row in enumerate(pop.rows):
        for target in ix.mobility.get(int(row), {}):
            viable[r, target] |= candidate[r, target]
        for end in (observed or {}).get(ix.occupations[row], {}):
            col = ix.occ_pos.get(end)
            if col is not None and col != row:
                viable[r, col] = True
    return _Moves(score, feasible, viable, lam["skill"])


# --- feeders ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeederOccupation:
    """An origin ``occupation`` whose people can move into the destination asked.

    ``score``, ``parts`` and ``contributions`` are those of ``similarOccupations`` from
    ``occupation`` (the move ``occupation → destination``); ``shared_skills`` are the
    destination's required skills ``occupation`` requires too, ``missing_skills`` the
    others (essential first, rarest first); ``training_hours`` the length of the training
    plan (:func:`~cartonet.orientation.gaps.skill_gap`: catalogue hours plus 70 h per
    missing essential skill no training teaches); ``curated``: a MOBILITY edge leads
    there; ``observed``: people were seen making the move (in the area asked, if any).
    """

    occupation: str
    score: float
    parts: dict[str, float]
    contributions: dict[str, float]
    shared_skills: list[str]
    missing_skills: list[str]
    training_hours: float
    curated: bool
    observed: bool = False


def feeder_occupations(
    G: nx.MultiDiGraph,
    occupation: str,
    k: int = 10,
    weights: SimilarityWeights | None = None,
    observed: Mapping[str, Mapping[str, float]] | None = None,
) -> list[FeederOccupation]:
    """The occupations whose people can most easily move into ``occupation``.

    Parameters
    ----------
    G:
        The orientation graph.
    occupation:
        The destination's id.
    k:
        How many to return (1 to 500).
    weights:
        Similarity weights (:class:`~cartonet.orientation.similarity.SimilarityWeights`).
    observed:
        Observed moves, origin id → {destination id: score}; only sets ``observed``.

    Returns
    -------
    A list of :class:`FeederOccupation`, best first (ties by id): the origins ``A`` of the
    destination's taxonomy ranked by ``score(A → occupation)``, the score
    ``similar_occupations(G, A)`` gives that move.

    Raises
    ------
    InvalidArgument
        ``occupation`` unknown or not an occupation; ``k`` out of range.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> [f.occupation for f in feeder_occupations(demo_graph(), "demo:pastry-cook", k=2)]
    ['demo:cook', 'demo:kitchen-porter']
    """
    check_k(k)
    weights = weights or SimilarityWeights()
    ix = index_of(G)
    col = occupation_row(ix, G, occupation)
    score, parts, lam = similarity_into(G, col, weights)
    seen_into = {a for a, ends in (observed or {}).items() if occupation in ends}
    out = []
    for a in top_k(score, k):
        origin = ix.occupations[a]
        # the gap lists the shared and missing skills in similar_occupations' order
        gap = gap_for(G, resolve(G, Profile(current_occupations=(origin,))), col)
        shared, missing = gap.shared_skills, gap.missing_skills
        out.append(
            FeederOccupation(
                occupation=origin,
                score=float(score[a]),
                parts={p: float(parts[p][a]) for p in PARTS},
                contributions={p: float(lam[a, i] * parts[p][a]) for i, p in enumerate(PARTS)},
                shared_skills=shared,
                missing_skills=missing,
                training_hours=float(gap.total_hours),
                curated=col in ix.mobility.get(int(a), {}),
                observed=origin in seen_into,
            )
        )
    return out


# --- population options ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PopulationOrigin:
    """A group of the population that can reach a destination: its ``occupation``, head
    ``count`` and the move's similarity ``score``."""

    occupation: str
    count: int
    score: float


@dataclass(frozen=True, slots=True)
class PopulationOption:
    """A destination reachable by ``people`` of the population (``share`` of it)."""

    occupation: str
    people: int
    share: float
    origins: list[PopulationOrigin]


def population_options(
    G: nx.MultiDiGraph,
    groups: Sequence[tuple[str, int]] | Population,
    k: int = 20,
    observed: Mapping[str, Mapping[str, float]] | None = None,
    weights: SimilarityWeights | None = None,
    viability: float = VIABLE_SCORE,
) -> list[PopulationOption]:
    """The destinations the largest part of a population can move to.

    Parameters
    ----------
    G:
        The orientation graph.
    groups:
        ``(occupation id, head count)`` pairs (see :func:`check_population`), or a checked
        :class:`Population`.
    k:
        How many destinations (1 to 500).
    observed:
        Observed moves in the population's area, origin id → {destination id: score}: each
        is viable (see the module docstring).
    weights:
        Similarity weights.
    viability:
        τ, the score from which a feasible move is viable.

    Returns
    -------
    A list of :class:`PopulationOption`, most people first (then the highest best score,
    then id), each with the groups that can reach it (largest first, then best score).

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> opts = population_options(demo_graph(), [("demo:cook", 10), ("demo:pastry-cook", 2)])
    >>> [(o.occupation, o.people, round(o.share, 2)) for o in opts]
    [('demo:pastry-cook', 10, 0.83), ('demo:cook', 2, 0.17)]
    """
    check_k(k)
    ix = index_of(G)
    pop = groups if isinstance(groups, Population) else check_population(G, groups)
    mv = _moves(G, pop, observed, weights or SimilarityWeights(), viability)
    people = pop.counts @ mv.viable
    best = np.where(mv.viable, np.nan_to_num(mv.score, nan=0.0), -1.0).max(axis=0)
    reached = np.flatnonzero(people > 0)
    order = reached[np.lexsort((reached, -best[reached], -people[reached]))][:k]
    total = pop.total
    out = []
    for b in order:
        rs = np.flatnonzero(mv.viable[:, b])
        origins = sorted(
            (
                PopulationOrigin(
                    ix.occupations[pop.rows[r]],
                    int(pop.counts[r]),
                    float(np.nan_to_num(mv.score[r, b], nan=0.0)),
                )
                for r in rs
            ),
            key=lambda o: (-o.count, -o.score, o.occupation),
        )
        out.append(
            PopulationOption(ix.occupations[b], int(people[b]), float(people[b] / total), origins)
        )
    return out


# --- leverage: skills and trainings ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leverage:
    """What acquiring one item (a skill, or a training's skills) adds to a population:
    ``new_options`` new viable moves per person (weighted mean over the groups), ``people``
    the head count of the groups that gain at least one."""

    item: str
    new_options: float
    people: int
    hours: float | None = None  # trainings: the catalogue's duration (None: unknown)
    options_per_hour: float | None = None  # trainings: new_options / hours (35 h if unknown)


def _binary(m: sp.spmatrix) -> sp.csr_matrix:
    out = sp.csr_matrix(m, dtype=np.float64, copy=True)
    out.data[:] = 1.0
    out.eliminate_zeros()
    return out


def _item_sets(ix: OrientationIndex, kind: str) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """``(items × skills, items × skill parents)`` 0/1 matrices: what each item teaches."""

    def build() -> tuple[sp.csr_matrix, sp.csr_matrix]:
        parent = _binary(ix.skill_parent)
        if kind == "skills":
            sets = sp.identity(len(ix.skills), format="csr", dtype=np.float64)
        else:
            sets = _binary(ix.teaches)
        return sets, _binary(sets @ parent)

    return ix.once(("pilotage_sets", kind), build)


def _item_bound(ix: OrientationIndex, kind: str, eta: float) -> np.ndarray:
    """Per destination B, the most one item can add to ``cov(A → B)`` for any origin (an
    origin holding none of its skills): prunes the pairs worth expanding."""

    def build() -> np.ndarray:
        sets, parents = _item_sets(ix, kind)
        gain = (1.0 - eta) * (ix.need @ sets.T) + eta * (ix.need_by_parent @ parents.T)
        gain = sp.csr_matrix(gain)
        top = np.zeros(len(ix.occupations))
        if gain.nnz:
            top = np.asarray(gain.max(axis=1).todense()).ravel()
        return np.divide(top, ix.need_mass, out=np.zeros_like(top), where=ix.need_mass > 0)

    return ix.once(("pilotage_bound", kind, eta), build)


def new_options_matrix(
    G: nx.MultiDiGraph,
    pop: Population,
    kind: str,
    observed: Mapping[str, Mapping[str, float]] | None = None,
    weights: SimilarityWeights | None = None,
    viability: float = VIABLE_SCORE,
    destinations: np.ndarray | None = None,
) -> sp.csr_matrix:
    """``groups × items``: new viable moves each group's people gain by acquiring each
    item (``kind`` ``"skills"``: one skill; ``"trainings"``: every skill a training
    teaches), per person. See the module docstring for the rule. ``destinations`` (one
    boolean per occupation row) counts only the moves into those (e.g. occupations in
    demand, or Nesta's "safe" ones).

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> G = demo_graph()
    >>> m = new_options_matrix(G, check_population(G, [("demo:cook", 1)]), "skills")
    >>> m.shape[0], bool(m.sum() >= 0)
    (1, True)
    """
    if kind not in ("skills", "trainings"):
        raise InvalidArgument("kind", f"must be skills or trainings, got {kind!r}")
    weights = weights or SimilarityWeights()
    ix = index_of(G)
    eta, alpha = weights.sibling_credit, weights.direction
    mv = _moves(G, pop, observed, weights, viability)
    sets, set_parents = _item_sets(ix, kind)
    n_items = sets.shape[0]
    m = len(pop.rows)
    if n_items == 0 or m == 0:
        return sp.csr_matrix((m, n_items))
    step = mv.lam_skill * alpha  # score gained per unit of coverage, per origin
    gap = viability - np.nan_to_num(mv.score, nan=np.inf)
    bound = _item_bound(ix, kind, eta)
    near = mv.feasible & ~mv.viable & (step[:, None] * bound[None, :] >= gap - _EPS)
    if destinations is not None:
        near &= np.asarray(destinations, dtype=bool)[None, :]
    r_idx, b_idx = np.nonzero(near)
    counts = sp.csr_matrix((m, n_items))
    for start in range(0, len(r_idx), PAIR_BLOCK):
        r, b = r_idx[start : start + PAIR_BLOCK], b_idx[start : start + PAIR_BLOCK]
        a = pop.rows[r]
        need_b = ix.need[b]
        lacking = need_b - need_b.multiply(ix.has_skill[a])
        by_parent_b = ix.need_by_parent[b]
        untouched = by_parent_b - by_parent_b.multiply(ix.touches_parent[a])
        gain = sp.csr_matrix((1.0 - eta) * (lacking @ sets.T) + eta * (untouched @ set_parents.T))
        scale = step[r] / np.where(ix.need_mass[b] > 0, ix.need_mass[b], np.inf)
        gain = sp.csr_matrix(sp.diags(scale) @ gain)
        per_row = np.diff(gain.indptr)
        hit = gain.data >= np.repeat(gap[r, b], per_row) - _EPS
        tipped = sp.csr_matrix(
            (hit.astype(np.float64), gain.indices, gain.indptr), shape=gain.shape
        )
        tipped.eliminate_zeros()
        owner = sp.csr_matrix((np.ones(len(r)), (r, np.arange(len(r)))), shape=(m, len(r)))
        counts = counts + owner @ tipped
    return sp.csr_matrix(counts)


def _leverage(
    G: nx.MultiDiGraph,
    groups: Sequence[tuple[str, int]] | Population,
    kind: str,
    observed: Mapping[str, Mapping[str, float]] | None,
    weights: SimilarityWeights | None,
    viability: float,
) -> tuple[OrientationIndex, np.ndarray, np.ndarray]:
    ix = index_of(G)
    pop = groups if isinstance(groups, Population) else check_population(G, groups)
    per_group = new_options_matrix(G, pop, kind, observed, weights, viability)
    counts = pop.counts.astype(np.float64)
    new = np.asarray(per_group.T @ counts).ravel() / pop.total
    gaining = _binary(per_group)
    people = np.asarray(gaining.T @ counts).ravel()
    return ix, new, people


def _ranked(new: np.ndarray, k: int, first: np.ndarray, then: np.ndarray) -> np.ndarray:
    """The ``k`` first items adding something (``new > 0``): highest ``first``, then
    highest ``then``, then lowest index."""
    found = np.flatnonzero(new > 0)
    return found[np.lexsort((found, -then[found], -first[found]))][:k]


def skill_leverage(
    G: nx.MultiDiGraph,
    groups: Sequence[tuple[str, int]] | Population,
    k: int = 20,
    observed: Mapping[str, Mapping[str, float]] | None = None,
    weights: SimilarityWeights | None = None,
    viability: float = VIABLE_SCORE,
) -> list[Leverage]:
    """The skills that, once acquired, add the most viable moves across a population.

    Parameters
    ----------
    G, groups, observed, weights, viability:
        As in :func:`population_options`.
    k:
        How many skills (1 to 500).

    Returns
    -------
    A list of :class:`Leverage` (``item``: a skill id), most new options per person first
    (then most people, then id); skills that add nothing are left out.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> G = demo_graph()
    >>> [(s.item, s.new_options, s.people)
    ...  for s in skill_leverage(G, [("demo:kitchen-porter", 4)], viability=0.2)]
    [('demo:serve-customers', 1.0, 4)]
    """
    check_k(k)
    ix, new, people = _leverage(G, groups, "skills", observed, weights, viability)
    order = _ranked(new, k, new, people)
    return [Leverage(ix.skills[j], float(new[j]), int(people[j])) for j in order]


def training_leverage(
    G: nx.MultiDiGraph,
    groups: Sequence[tuple[str, int]] | Population,
    k: int = 20,
    observed: Mapping[str, Mapping[str, float]] | None = None,
    weights: SimilarityWeights | None = None,
    viability: float = VIABLE_SCORE,
) -> list[Leverage]:
    """The trainings that open the most viable moves per training hour for a population.

    Parameters
    ----------
    G, groups, observed, weights, viability:
        As in :func:`population_options`.
    k:
        How many trainings (1 to 500).

    Returns
    -------
    A list of :class:`Leverage` (``item``: a training id; ``hours``: its duration, None
    when the catalogue gives none, in which case ``options_per_hour`` counts 35 h), most
    new options per hour first (then most new options, then id); trainings that add
    nothing are left out.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> found = training_leverage(demo_graph(), [("demo:cook", 4)], viability=0.12)
    >>> [(t.item, t.new_options, t.hours) for t in found]
    [('demo:t-pharma', 1.0, 80.0), ('demo:t-care', 2.0, 600.0)]
    """
    check_k(k)
    ix, new, people = _leverage(G, groups, "trainings", observed, weights, viability)
    cost = training_cost(ix.training_hours)
    per_hour = new / cost
    order = _ranked(new, k, per_hour, new)
    return [
        Leverage(
            ix.trainings[t],
            float(new[t]),
            int(people[t]),
            hours=float(ix.training_hours[t]) if ix.training_hours[t] > 0 else None,
            options_per_hour=float(per_hour[t]),
        )
        for t in order
    ]


# --- transferable skills ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TransferableSkill:
    """A skill and the clusters of the occupation map requiring it: ``clusters`` (all),
    ``other_clusters`` (those holding none of the population's occupations; all of them
    without a population) and ``held_by`` (the population's head count whose occupation
    requires it; without a population, the number of occupations requiring it)."""

    skill: str
    clusters: int
    other_clusters: int
    held_by: int


@dataclass(frozen=True)
class _Clusters:
    by_skill: sp.csr_matrix = field(repr=False)  # skill × cluster, 1 where a member requires it
    of_occupation: np.ndarray = field(repr=False)  # per occupation row, its cluster (-1: none)


def _clusters(G: nx.MultiDiGraph) -> _Clusters:
    ix = index_of(G)

    def build() -> _Clusters:
        m = skill_map(G, "occupations")
        of = np.full(len(ix.occupations), -1, dtype=np.int64)
        for p in m.points:
            of[ix.occ_pos[p.id]] = p.community
        rows = np.flatnonzero(of >= 0)
        member = sp.csr_matrix(
            (np.ones(len(rows)), (rows, of[rows])),
            shape=(len(ix.occupations), max(len(m.communities), 1)),
        )
        return _Clusters(_binary(ix.has_skill.T @ member), of)

    return ix.once(("pilotage_clusters",), build)


def transferable_skills(
    G: nx.MultiDiGraph,
    groups: Sequence[tuple[str, int]] | Population | None = None,
    k: int = 20,
) -> list[TransferableSkill]:
    """Skills that bridge fields: required in the most clusters of the occupation map.

    Parameters
    ----------
    G:
        The orientation graph.
    groups:
        Optional population (see :func:`check_population`): then only the skills its
        occupations require, ranked by the clusters *other* than the population's own.
    k:
        How many skills (1 to 500).

    Returns
    -------
    A list of :class:`TransferableSkill`, most (other) clusters first, then most held,
    then id.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> found = transferable_skills(demo_graph(), k=1)
    >>> found[0].clusters >= 1
    True
    """
    check_k(k)
    ix = index_of(G)
    cl = _clusters(G)
    clusters = np.asarray(cl.by_skill.sum(axis=1)).ravel()
    if groups is None:
        other = clusters
        held = ix.skill_occurrence.astype(np.float64)
        candidates = np.flatnonzero(clusters > 0)
    else:
        pop = groups if isinstance(groups, Population) else check_population(G, groups)
        held = np.asarray(ix.has_skill[pop.rows].T @ pop.counts.astype(np.float64)).ravel()
        home = np.unique(cl.of_occupation[pop.rows])
        home = home[home >= 0]
        away = np.ones(cl.by_skill.shape[1])
        away[home] = 0.0
        other = np.asarray(cl.by_skill @ away).ravel()
        candidates = np.flatnonzero((held > 0) & (clusters > 0))
    order = candidates[
        np.lexsort((candidates, -held[candidates], -clusters[candidates], -other[candidates]))
    ][:k]
    return [
        TransferableSkill(ix.skills[j], int(clusters[j]), int(other[j]), int(held[j]))
        for j in order
    ]
