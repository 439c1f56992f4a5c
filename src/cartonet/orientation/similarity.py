"""Occupation similarity: how reachable occupation B is from occupation A.

The score of a move ``A → B`` combines five *parts*, each in ``[0, 1]``:

``skill``
    Hierarchical, rarity- and relevance-weighted coverage, asymmetric::

        cov(A→B) = Σ_{s ∈ req(B)} w_B(s) · c_A(s) / Σ_{s ∈ req(B)} w_B(s)
        w_B(s)   = relevance_B(s) · idf(s)        (essential 1, optional 0.5; see index)
        c_A(s)   = 1 if A requires s,
                   η if A requires another skill under the same BROADER parent as s,
                   0 otherwise
        skill(A→B) = α · cov(A→B) + (1 − α) · cov(B→A)

    ``cov(A→B)`` is the share of what B needs that A already has: the destination's
    requirements drive the move, as in Nesta's *Mapping Career Causeways* (2021), where
    each of the destination's essential skills looks for its best match in the origin.
    ``cov(B→A)`` (how much of A's experience B uses) keeps a move to a job that needs little
    from being a perfect fit for everyone; ``α > 1/2`` keeps the measure asymmetric.
``title``
    Cosine of character n-gram TF-IDF vectors of the two occupations' preferred and
    alternative labels (ROME appellations, ESCO synonyms), both languages.
``content``
    Cosine of word TF-IDF vectors (light plural stemming) of the descriptions and the
    labels of the required skills: two occupations whose skills are worded alike
    ("soudage manuel", "techniques de soudage") score even when the skill ids differ.
``group``
    Rarity-weighted share of B's occupation groups (every BROADER ancestor: ROME
    domaine and grand domaine, ISCO levels, a broader ESCO occupation) that A shares:
    ``Σ_{g ∈ anc(A) ∩ anc(B)} v(g) / Σ_{g ∈ anc(B)} v(g)`` with
    ``v(g) = ln((1 + N) / (1 + n_g))``.
``interest``
    Cosine of the occupations' interest vectors (RIASEC major/minor weights).

Candidates are the occupations of A's own taxonomy (same ``source``: a graph holding ESCO
and ROME side by side would otherwise list most jobs twice, once per taxonomy; SAME_AS
crosswalks are the bridge between them). The parts are mixed per origin: each part is
divided by its standard deviation over A's candidates, so that a part is measured against
how much it varies for A (a standardised, z-score sum), and the weights are then
renormalised to sum to one::

    λ_f(A) = w_f / σ_f(A)   (0 when σ_f(A) = 0: a constant part cannot rank)
    score(A→B) = Σ_f λ_f(A) · part_f(A→B) / Σ_f λ_f(A)        ∈ [0, 1]

Within one origin this orders candidates exactly as ``Σ_f w_f · z_f`` with
``z_f = (part_f − mean_f(A)) / σ_f(A)`` (the means only add a constant per origin), while
the reported score stays a weighted mean of parts in ``[0, 1]``. Default weights: skill 1,
title 2, content 1.5, group 0.4, interest 0.3, η = 0.2, α = 0.6, chosen on half of the ROME
mobility sources and checked on the other half (docs/algorithms.md). Curated ``MOBILITY``
edges are never read here: they are what the evaluation checks against.

References
----------
* K. Sparck Jones (1972), "A statistical interpretation of term specificity and its
  application in retrieval", *Journal of Documentation* 28 — IDF.
* G. Salton & C. Buckley (1988), "Term-weighting approaches in automatic text retrieval" —
  TF-IDF cosine.
* Nesta (2021), *Mapping Career Causeways*, technical appendix — ESCO skill-based,
  destination-driven transition similarity.
* P. Resnik (1995), "Using information content to evaluate semantic similarity in a
  taxonomy", *IJCAI* — partial credit through shared taxonomy ancestors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from cartonet.errors import InvalidArgument
from cartonet.model import NodeType
from cartonet.orientation.feasibility import pair_cost, pair_cost_into
from cartonet.orientation.index import OrientationIndex, index_of

PARTS: tuple[str, ...] = ("skill", "title", "content", "group", "interest", "feasibility")
MIN_SPREAD = 1e-9
MAX_K = 500


def check_weights(weights: Any, parts: Sequence[str]) -> None:
    """Validate a frozen weights dataclass holding ``parts`` plus ``sibling_credit`` (η) and
    ``direction`` (α); shared by the similarity and transition weights so both reject the same
    inputs with the same messages."""
    for f in fields(weights):
        value = getattr(weights, f.name)
        if not isinstance(value, int | float) or not np.isfinite(value) or value < 0:
            raise InvalidArgument(f"weights.{f.name}", f"must be a number ≥ 0, got {value!r}")
    if weights.sibling_credit > 1:
        raise InvalidArgument("weights.sibling_credit", "must be between 0 and 1")
    if not 0.5 <= weights.direction <= 1:
        raise InvalidArgument("weights.direction", "must be between 0.5 and 1")
    if not any(getattr(weights, p) > 0 for p in parts):
        raise InvalidArgument("weights", "at least one part needs a positive weight")


@dataclass(frozen=True, slots=True)
class SimilarityWeights:
    """Weights of the similarity parts and the two structural parameters.

    ``sibling_credit`` is η (credit for a skill held only through a sibling under the same
    parent), ``direction`` is α (share of the skill part that measures how much of the
    destination's needs the origin covers). Defaults were chosen on half of the ROME
    mobility sources and checked on the other half (docs/algorithms.md).
    """

    skill: float = 1.0
    title: float = 2.0
    content: float = 1.5
    group: float = 0.4
    interest: float = 0.3
    feasibility: float = 0.1
    sibling_credit: float = 0.2
    direction: float = 0.6

    def __post_init__(self) -> None:
        check_weights(self, PARTS)

    def part_weights(self) -> dict[str, float]:
        return {p: float(getattr(self, p)) for p in PARTS}

    def with_(self, **changes: Any) -> SimilarityWeights:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SimilarOccupation:
    """One ranked candidate: ``score`` in [0, 1], its raw ``parts`` (each in [0, 1]) and the
    skills behind it (``shared``: required by both; ``missing``: required by the candidate,
    not by the origin, essential first then by rarity)."""

    occupation: str
    score: float
    parts: dict[str, float]
    contributions: dict[str, float]
    shared_skills: list[str]
    missing_skills: list[str]


def _dense(m: Any) -> np.ndarray:
    return np.asarray(m.toarray() if sp.issparse(m) else m, dtype=np.float64)


def _against(ix: OrientationIndex, small: sp.csr_matrix, name: str) -> np.ndarray:
    """``small @ M.T`` for the index matrix ``M = ix.<name>``, as a dense array: the product
    with the cached CSR transpose only walks the posting lists of ``small``'s columns."""
    return _dense(sp.csr_matrix(small) @ ix.transposed(name))


def _take(m: sp.csr_matrix, rows: np.ndarray) -> sp.csr_matrix:
    """``m[rows]`` for a CSR matrix; one row is sliced from the index pointers directly
    (SciPy's fancy indexing costs more than the product that follows, on one row)."""
    if len(rows) != 1:
        return m[rows]
    start, end = m.indptr[rows[0]], m.indptr[rows[0] + 1]
    return sp.csr_matrix(
        (m.data[start:end], m.indices[start:end], np.asarray([0, end - start])),
        shape=(1, m.shape[1]),
    )


def _safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def skill_coverage(
    ix: OrientationIndex, rows: np.ndarray, sibling_credit: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(cov(A→B), cov(B→A))`` for every origin row ``A`` in ``rows`` and every occupation B.

    Both are ``len(rows) × n_occupations`` arrays in [0, 1]. An occupation that requires no
    skill has coverage 0 both ways (nothing to say about it, rather than "fully covered").
    """
    held = _take(ix.has_skill, rows)
    exact = _against(ix, held, "need")
    by_parent = _against(ix, _take(ix.touches_parent, rows), "need_by_parent")
    # by_parent ≥ exact: a held skill's parent is always touched, so the difference is the
    # weight of B's skills reached only through a sibling
    into = _safe_div(exact + sibling_credit * (by_parent - exact), ix.need_mass[None, :])
    exact_back = _against(ix, _take(ix.need, rows), "has_skill")
    by_parent_back = _against(ix, _take(ix.need_by_parent, rows), "touches_parent")
    mass = ix.need_mass[rows][:, None]
    back = _safe_div(exact_back + sibling_credit * (by_parent_back - exact_back), mass)
    return np.clip(into, 0.0, 1.0), np.clip(back, 0.0, 1.0)


def similarity_parts(
    ix: OrientationIndex, rows: np.ndarray, weights: SimilarityWeights
) -> dict[str, np.ndarray]:
    """The six parts for origins ``rows`` against every occupation (arrays in [0, 1])."""
    into, back = skill_coverage(ix, rows, weights.sibling_credit)
    a = weights.direction
    member = _take(ix.occ_groups, rows).copy()
    member.data[:] = 1.0
    return {
        "skill": a * into + (1.0 - a) * back,
        "title": np.clip(_against(ix, _take(ix.title_text, rows), "title_text"), 0.0, 1.0),
        "content": np.clip(_against(ix, _take(ix.content_text, rows), "content_text"), 0.0, 1.0),
        "group": np.clip(
            _safe_div(_against(ix, member, "occ_groups"), ix.occ_group_mass[None, :]), 0, 1
        ),
        "interest": np.clip(ix.interest_vec[rows] @ ix.interest_vec.T, 0.0, 1.0),
        "feasibility": 1.0 - pair_cost(ix, rows),
    }


def candidate_mask(ix: OrientationIndex, rows: np.ndarray) -> np.ndarray:
    """``len(rows) × n`` booleans: the candidates of each origin, i.e. the occupations of
    its own taxonomy (same ``source``), the origin itself excluded."""
    mask = ix.occ_source[None, :] == ix.occ_source[rows][:, None]
    mask[np.arange(len(rows)), rows] = False
    return mask


def mix_weights(
    parts: Mapping[str, np.ndarray], weights: Mapping[str, float], mask: np.ndarray
) -> dict[str, np.ndarray]:
    """Per-origin mixing weights ``λ_f(A) = w_f / σ_f(A)``, normalised to sum to 1.

    ``σ_f(A)`` is the standard deviation of part ``f`` over A's candidates (``mask``).
    Returns, per part, an array of one weight per origin row.
    """
    count = np.maximum(mask.sum(axis=1), 1)
    raw: dict[str, np.ndarray] = {}
    for name, w in weights.items():
        if w <= 0:
            raw[name] = np.zeros(len(mask))
            continue
        values = np.where(mask, parts[name], 0.0)
        mean = values.sum(axis=1) / count
        var = np.maximum(np.square(values).sum(axis=1) / count - mean**2, 0.0)
        sd = np.sqrt(var)
        raw[name] = np.where(sd > MIN_SPREAD, w / np.maximum(sd, MIN_SPREAD), 0.0)
    norm = sum(raw.values())
    norm = np.where(norm > 0, norm, 1.0)
    return {name: lam / norm for name, lam in raw.items()}


def combine(parts: Mapping[str, np.ndarray], lam: Mapping[str, np.ndarray]) -> np.ndarray:
    """``Σ_f λ_f(A) · part_f(A→B)`` for every origin row and candidate."""
    out = np.zeros_like(next(iter(parts.values())))
    for name, weight in lam.items():
        out += weight[:, None] * parts[name]
    return out


def occupation_row(
    ix: OrientationIndex, G: nx.MultiDiGraph, occupation: str, argument: str = "occupation"
) -> int:
    """Row of ``occupation`` in the index; :class:`InvalidArgument` naming ``argument`` if
    the id is unknown or not an occupation."""
    if occupation in ix.occ_pos:
        return ix.occ_pos[occupation]
    if occupation in G and G.nodes[occupation].get("type") != NodeType.OCCUPATION:
        raise InvalidArgument(argument, f"'{occupation}' is not an occupation")
    raise InvalidArgument(argument, f"unknown occupation id '{occupation}'")


def check_k(k: int, argument: str = "k") -> int:
    if not isinstance(k, int) or k < 1 or k > MAX_K:
        raise InvalidArgument(argument, f"must be between 1 and {MAX_K}, got {k!r}")
    return k


def similarity_scores(
    G: nx.MultiDiGraph, occupations: Sequence[str], weights: SimilarityWeights | None = None
) -> np.ndarray:
    """Scores of every occupation (columns, in ``index_of(G).occupations`` order) as a
    destination from each origin in ``occupations`` (rows). NaN where the column is not a
    candidate: the origin itself, or an occupation of another taxonomy."""
    ix = index_of(G)
    weights = weights or SimilarityWeights()
    rows = np.asarray([occupation_row(ix, G, o) for o in occupations], dtype=np.int64)
    return _scores(ix, rows, weights)[0]


def origin_scores(ix: OrientationIndex, rows: np.ndarray, weights: SimilarityWeights) -> np.ndarray:
    """:func:`similarity_scores` for origin rows of the index (``len(rows) × n``, NaN where
    the column is not a candidate); the suggestions read it for the profile's occupations."""
    return _scores(ix, rows, weights)[0]


def origin_scores_and_mix(
    ix: OrientationIndex, rows: np.ndarray, weights: SimilarityWeights
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """:func:`origin_scores` and the rows' mixing weights (one array per part), from one
    computation: a pass over every origin can fill :func:`origin_mix` on the way."""
    score, _, lam = _scores(ix, rows, weights)
    return score, lam


def _scores(
    ix: OrientationIndex, rows: np.ndarray, weights: SimilarityWeights
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    parts = similarity_parts(ix, rows, weights)
    mask = candidate_mask(ix, rows)
    lam = mix_weights(parts, weights.part_weights(), mask)
    score = combine(parts, lam)
    score[~mask] = np.nan
    return score, parts, lam


def similarity_matrix(
    G: nx.MultiDiGraph, weights: SimilarityWeights | None = None, block: int = 256
) -> np.ndarray:
    """All-pairs scores ``S[a, b] = score(a → b)`` (``float32``; NaN on the diagonal and
    between taxonomies), computed in blocks of origin rows so memory stays at a few
    ``block × n`` arrays."""
    ix = index_of(G)
    weights = weights or SimilarityWeights()
    n = len(ix.occupations)
    out = np.empty((n, n), dtype=np.float32)
    for start in range(0, n, block):
        rows = np.arange(start, min(start + block, n), dtype=np.int64)
        out[rows] = _scores(ix, rows, weights)[0]
    return out


def cached_similarity_matrix(
    G: nx.MultiDiGraph, weights: SimilarityWeights | None = None
) -> np.ndarray:
    """:func:`similarity_matrix`, computed once per graph and weights (read-only result)."""
    weights = weights or SimilarityWeights()
    ix = index_of(G)

    def build() -> np.ndarray:
        matrix = similarity_matrix(G, weights)
        matrix.setflags(write=False)
        return matrix

    return ix.once(("similarity_matrix", weights), build)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best finite scores, best first; ties broken by index so the
    order is deterministic."""
    valid = np.flatnonzero(np.isfinite(scores))
    if len(valid) == 0:
        return valid
    k = min(k, len(valid))
    vals = scores[valid]
    if k < len(valid):
        cut = np.partition(vals, len(vals) - k)[len(vals) - k]
        keep = valid[vals >= cut]
    else:
        keep = valid
    order = np.lexsort((keep, -scores[keep]))
    return keep[order][:k]


def skills_compared(
    ix: OrientationIndex, held: np.ndarray, target: int
) -> tuple[list[str], list[str]]:
    """``(shared, missing)`` skill ids of ``target`` given a boolean vector of held skills.

    Missing skills are essential ones first, then the rarest first (highest IDF), then by id.
    """
    start, end = ix.relevance.indptr[target], ix.relevance.indptr[target + 1]
    cols = ix.relevance.indices[start:end]
    ess = set(ix.essential.indices[ix.essential.indptr[target] : ix.essential.indptr[target + 1]])
    shared = sorted(ix.skills[j] for j in cols if held[j])
    missing_cols = [j for j in cols if not held[j]]
    missing_cols.sort(key=lambda j: (j not in ess, -ix.idf[j], ix.skills[j]))
    return shared, [ix.skills[j] for j in missing_cols]


def similar_occupations(
    G: nx.MultiDiGraph,
    occupation: str,
    k: int = 10,
    weights: SimilarityWeights | None = None,
) -> list[SimilarOccupation]:
    """The ``k`` occupations easiest to move to from ``occupation``, best first.

    Parameters
    ----------
    G:
        The orientation graph (:mod:`cartonet.orientation.projection`).
    occupation:
        Origin occupation id.
    k:
        How many to return (1 to 500).
    weights:
        Part weights and structural parameters (:class:`SimilarityWeights`).

    Returns
    -------
    A list of :class:`SimilarOccupation`: score in [0, 1] (see the module docstring for the
    formula), the raw parts, each part's contribution to the score (they sum to the score),
    and the shared and missing skills. Ties are broken by occupation id.

    Raises
    ------
    InvalidArgument
        Unknown origin, or ``k`` out of range.

    Example
    -------
    >>> from cartonet.orientation.demo import demo_graph
    >>> G = demo_graph()
    >>> [s.occupation for s in similar_occupations(G, "demo:cook", k=2)]
    ['demo:pastry-cook', 'demo:kitchen-porter']
    """
    check_k(k)
    ix = index_of(G)
    row = occupation_row(ix, G, occupation)
    rows = np.asarray([row], dtype=np.int64)
    score, parts, lam = _scores(ix, rows, weights or SimilarityWeights())
    held = np.zeros(len(ix.skills), dtype=bool)
    held[ix.has_skill.indices[ix.has_skill.indptr[row] : ix.has_skill.indptr[row + 1]]] = True
    result = []
    for j in top_k(score[0], k):
        shared, missing = skills_compared(ix, held, int(j))
        result.append(
            SimilarOccupation(
                occupation=ix.occupations[j],
                score=float(score[0, j]),
                parts={p: float(parts[p][0, j]) for p in PARTS},
                contributions={p: float(lam[p][0] * parts[p][0, j]) for p in PARTS},
                shared_skills=shared,
                missing_skills=missing,
            )
        )
    return result


# --- the same scores read the other way: every origin into one destination ------------------
# ``similarity_parts_into`` must stay the column of ``similarity_parts``: a test compares it
# with ``similarity_matrix`` on every column of the fixtures graph.


def similarity_parts_into(
    ix: OrientationIndex, col: int, weights: SimilarityWeights
) -> dict[str, np.ndarray]:
    """The six parts of ``A → B`` for every origin ``A`` (one value per occupation row) and
    the destination ``B`` at row ``col``: the column ``col`` of :func:`similarity_parts`.

    Computed from ``B``'s own row, as fast as one origin's: the skill coverage of one row
    gives both directions (``cov(A→B)`` is the "back" coverage of row ``B``), the text,
    group overlap and interest products are symmetric, and the group share is divided by
    ``B``'s group mass instead of ``A``'s.
    """
    rows = np.asarray([col], dtype=np.int64)
    into, back = skill_coverage(ix, rows, weights.sibling_credit)
    a = weights.direction
    member = _take(ix.occ_groups, rows).copy()
    member.data[:] = 1.0
    overlap = _against(ix, member, "occ_groups")[0]
    group_mass = ix.occ_group_mass[col]
    group = overlap / group_mass if group_mass > 0 else np.zeros_like(overlap)
    return {
        "skill": a * back[0] + (1.0 - a) * into[0],
        "title": np.clip(_against(ix, _take(ix.title_text, rows), "title_text")[0], 0.0, 1.0),
        "content": np.clip(_against(ix, _take(ix.content_text, rows), "content_text")[0], 0.0, 1.0),
        "group": np.clip(group, 0.0, 1.0),
        "interest": np.clip(ix.interest_vec @ ix.interest_vec[col], 0.0, 1.0),
        "feasibility": 1.0 - pair_cost_into(ix, col),
    }


def origin_mix(G: nx.MultiDiGraph, weights: SimilarityWeights | None = None) -> np.ndarray:
    """Every origin's mixing weights ``λ_f(A)`` (:func:`mix_weights`), one row per
    occupation and one column per part of :data:`PARTS`; computed once per graph and
    weights in blocks of origin rows (one pass as long as :func:`similarity_matrix`, keeping
    only ``n × 6`` numbers). :func:`similarity_into` reads it to score every origin into one
    destination without the all-pairs matrix."""
    weights = weights or SimilarityWeights()
    ix = index_of(G)

    def build() -> np.ndarray:
        n = len(ix.occupations)
        out = np.zeros((n, len(PARTS)))
        for start in range(0, n, 256):
            rows = np.arange(start, min(start + 256, n), dtype=np.int64)
            _, _, lam = _scores(ix, rows, weights)
            put_mix(out, rows, lam)
        out.setflags(write=False)
        return out

    return ix.once(("origin_mix", weights), build)


def put_mix(out: np.ndarray, rows: np.ndarray, lam: dict[str, np.ndarray]) -> None:
    """Write a block's mixing weights ``lam`` (from :func:`origin_scores_and_mix`) into
    ``out``'s ``rows`` (one column per part of :data:`PARTS`), as :func:`origin_mix` does."""
    for k, p in enumerate(PARTS):
        out[rows, k] = lam[p]


def keep_origin_mix(ix: OrientationIndex, weights: SimilarityWeights, mix: np.ndarray) -> None:
    """Keep ``mix`` (every origin's mixing weights, made by another pass over the same
    blocks) as :func:`origin_mix`'s result for ``weights``, unless one is kept already."""
    mix.setflags(write=False)
    ix.once(("origin_mix", weights), lambda: mix)


def similarity_into(
    G: nx.MultiDiGraph, col: int, weights: SimilarityWeights | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """``(scores, parts, λ)`` of every origin into the occupation at row ``col``: the column
    ``col`` of :func:`similarity_matrix` (NaN where ``col`` is not a candidate of the
    origin: itself, or another taxonomy), its parts and the origins' mixing weights."""
    weights = weights or SimilarityWeights()
    ix = index_of(G)
    lam = origin_mix(G, weights)
    parts = similarity_parts_into(ix, col, weights)
    score = np.zeros(len(ix.occupations))
    for k, p in enumerate(PARTS):
        score += lam[:, k] * parts[p]
    candidate = ix.occ_source == ix.occ_source[col]
    candidate[col] = False
    score[~candidate] = np.nan
    return score, parts, lam
