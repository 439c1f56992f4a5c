"""The vectorised side of the orientation graph, computed once per graph.

:func:`index_of` turns the NetworkX graph into sparse matrices and arrays that every
request needs (occupation × skill requirements weighted by relevance and rarity, the skill
hierarchy, occupation group ancestors, interest vectors, title/description text vectors,
trainings), and keeps them in ``G.graph`` so they are computed once per graph version.
The graph must not be mutated after it is indexed (the cache builds a new graph when the
store changes).

Weights
-------
* relevance: an ``ESSENTIAL`` requirement weighs ``1.0``, an ``OPTIONAL`` one ``0.5``
  (a numeric ``weight`` property in ``(0, 1]`` on the edge takes precedence);
* rarity: ``idf(s) = ln((1 + N) / (1 + df(s))) + 1`` where ``df(s)`` counts the
  occupations requiring ``s`` among ``N`` (smoothed IDF, Sparck Jones 1972; Robertson 2004,
  "Understanding inverse document frequency"), so a skill every job asks for weighs about
  ``1`` and one asked by a single job about ``ln(N/2) + 1``;
* group rarity: an occupation group shared by ``n_g`` of ``N`` occupations weighs
  ``ln((1 + N) / (1 + n_g))``: sharing a narrow group says more than sharing a wide one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from cartonet.model import Node, NodeType, Relevance, RelType
from cartonet.orientation.text import tfidf_matrix, word_tfidf_matrix

ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5
MAX_DEPTH = 12  # bound on BROADER climbs; protects against a cycle in loaded data

_REQUIRES = RelType.REQUIRES.value
_BROADER = RelType.BROADER.value
_INTEREST = RelType.MATCHES_INTEREST.value
_TEACHES = RelType.TEACHES.value
_PREPARES = RelType.PREPARES_FOR.value
_MOBILITY = RelType.MOBILITY.value

_KEY = "_orientation_index"
_build_lock = threading.Lock()


DEFAULT_TRAINING_HOURS = 35.0
"""Cost given to a training whose duration is unknown (about one week full time)."""


def training_cost(hours: np.ndarray) -> np.ndarray:
    """Hours used as a training's cost: its duration, or :data:`DEFAULT_TRAINING_HOURS`."""
    return np.where(hours > 0, hours, DEFAULT_TRAINING_HOURS)


def relevance_weight(props: dict[str, Any]) -> float:
    """The weight of a REQUIRES edge: its ``weight`` if in ``(0, 1]``, else by relevance."""
    w = props.get("weight")
    if isinstance(w, int | float) and 0 < float(w) <= 1:
        return float(w)
    return (
        OPTIONAL_WEIGHT if props.get("relevance") == Relevance.OPTIONAL.value else ESSENTIAL_WEIGHT
    )


def _csr(
    rows: list[int], cols: list[int], vals: list[float], shape: tuple[int, int]
) -> sp.csr_matrix:
    m = sp.csr_matrix(
        (
            np.asarray(vals, dtype=np.float64),
            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        ),
        shape=shape,
    )
    m.sum_duplicates()
    return m


def _ids_of(G: nx.MultiDiGraph, node_type: NodeType) -> list[str]:
    return sorted(n for n, t in G.nodes(data="type") if t == node_type)


def ancestors(G: nx.MultiDiGraph, node: str) -> list[str]:
    """Every node above ``node`` through BROADER edges (any type), nearest first."""
    seen = {node}
    order: list[str] = []
    frontier = [node]
    for _ in range(MAX_DEPTH):
        nxt = []
        for current in frontier:
            for _, parent, key in G.out_edges(current, keys=True):
                if key == _BROADER and parent not in seen:
                    seen.add(parent)
                    order.append(parent)
                    nxt.append(parent)
        if not nxt:
            break
        frontier = nxt
    return order


@dataclass
class OrientationIndex:
    """Matrices over the graph's occupations (rows), skills, groups, interests and trainings.

    Row ``i`` of every occupation matrix is ``occupations[i]``; column ``j`` of every skill
    matrix is ``skills[j]``. All matrices are CSR unless said otherwise.
    """

    occupations: list[str]
    occ_pos: dict[str, int]
    occ_source: np.ndarray  # per occupation, an integer code of its ``source`` (taxonomy)
    skills: list[str]
    skill_pos: dict[str, int]
    relevance: sp.csr_matrix  # occ × skill, relevance weight (1 essential, 0.5 optional)
    essential: sp.csr_matrix  # occ × skill, 1 where essential
    relevance_essential: np.ndarray  # per stored entry of ``relevance``: is it essential?
    idf: np.ndarray  # per skill
    need: sp.csr_matrix  # occ × skill, relevance · idf: what moving *into* the occupation needs
    need_mass: np.ndarray  # per occupation, row sums of ``need``
    has_skill: sp.csr_matrix  # occ × skill, 1 where required at all
    skill_parent: sp.csr_matrix  # skill × parent, rows sum to 1 (a skill without parent is its own)
    skill_parents: list[str]  # parent ids (skill groups, broader skills, or the skill itself)
    need_by_parent: sp.csr_matrix  # occ × parent, ``need`` summed per parent
    touches_parent: sp.csr_matrix  # occ × parent, 1 where the occupation holds a skill of it
    groups: list[str]  # every node above an occupation through BROADER
    group_pos: dict[str, int]
    occ_groups: sp.csr_matrix  # occ × group, group rarity weight where the group is an ancestor
    occ_group_mass: np.ndarray
    interests: list[str]
    interest_pos: dict[str, int]
    interest_vec: np.ndarray  # dense occ × interest, rows L2-normalised (zero without interests)
    interest_raw: np.ndarray  # dense occ × interest, edge weights as loaded
    title_text: sp.csr_matrix  # occ × n-gram, unit rows: preferred and alternative labels
    content_text: sp.csr_matrix  # occ × word, unit rows: descriptions and required skills' labels
    trainings: list[str]
    training_pos: dict[str, int]
    training_hours: np.ndarray
    teaches: sp.csr_matrix  # training × skill
    training_requires: sp.csr_matrix  # training × skill
    prepares: sp.csr_matrix  # training × occ
    taught_by: sp.csc_matrix  # training × skill, column-major: trainings teaching a skill
    cheapest_hours: (
        np.ndarray
    )  # per skill, min over trainings teaching it of hours / skills taught (inf: none)
    mobility: dict[int, dict[int, str]]  # occ row → {target row: kind}
    skill_occurrence: np.ndarray  # per skill, number of occupations requiring it
    entry_level: np.ndarray  # per occupation, ``entryLevel`` (NaN: unknown)
    regulated: np.ndarray  # per occupation, bool: ``regulated`` is true
    diploma_key: np.ndarray  # per occupation, one integer per required diploma (see below)
    cache: dict[Any, Any] = field(default_factory=dict)  # derived results (map, all-pairs)
    lock: threading.Lock = field(default_factory=threading.Lock)  # guards ``key_locks``
    key_locks: dict[Any, threading.Lock] = field(default_factory=dict)

    def node(self, G: nx.MultiDiGraph, node_id: str) -> Node:
        return G.nodes[node_id]["node"]

    def once(self, key: Any, build: Callable[[], Any]) -> Any:
        """``cache[key]``, built by ``build()`` the first time. Concurrent callers of the
        same key wait for one build; other keys are not held up meanwhile."""
        found = self.cache.get(key)
        if found is not None:
            return found
        with self.lock:
            key_lock = self.key_locks.setdefault(key, threading.Lock())
        with key_lock:
            found = self.cache.get(key)
            if found is None:
                found = build()
                self.cache[key] = found
        return found

    def transposed(self, name: str) -> sp.csr_matrix:
        """``getattr(self, name).T`` as CSR, made once: a query row times it visits only
        the columns (posting lists) the row has, like an inverted index."""

        def build() -> sp.csr_matrix:
            t = sp.csr_matrix(getattr(self, name).T)
            t.sort_indices()
            return t

        return self.once(("transposed", name), build)


def index_of(G: nx.MultiDiGraph) -> OrientationIndex:
    """The :class:`OrientationIndex` of ``G``, built on first use and kept in ``G.graph``.

    Thread-safe: concurrent first calls build it once.
    """
    found = G.graph.get(_KEY)
    if found is not None:
        return found
    with _build_lock:
        found = G.graph.get(_KEY)
        if found is None:
            found = build_index(G)
            G.graph[_KEY] = found
    return found


def _titles(node: Node) -> list[str]:
    texts = [v for v in node.labels.values() if v]
    for alts in node.alt_labels.values():
        texts.extend(alts)
    return texts


def _content(node: Node, skill_labels: Iterable[str]) -> list[str]:
    return [*(v for v in node.descriptions.values() if v), *skill_labels]


def build_index(G: nx.MultiDiGraph) -> OrientationIndex:
    """Compute the :class:`OrientationIndex` of ``G`` (prefer :func:`index_of`, which caches)."""
    occupations = _ids_of(G, NodeType.OCCUPATION)
    occ_pos = {o: i for i, o in enumerate(occupations)}
    source_codes: dict[str, int] = {}
    occ_source = np.asarray(
        [
            source_codes.setdefault(G.nodes[o]["node"].source, len(source_codes))
            for o in occupations
        ],
        dtype=np.int64,
    )
    skills = _ids_of(G, NodeType.SKILL)
    skill_pos = {s: j for j, s in enumerate(skills)}
    n_occ, n_skill = len(occupations), len(skills)

    # requirements
    r_rows: list[int] = []
    r_cols: list[int] = []
    r_vals: list[float] = []
    e_rows: list[int] = []
    e_cols: list[int] = []
    mobility: dict[int, dict[int, str]] = {}
    i_rows: list[int] = []
    i_cols: list[int] = []
    i_vals: list[float] = []
    interests = _ids_of(G, NodeType.INTEREST)
    interest_pos = {x: k for k, x in enumerate(interests)}
    for o, i in occ_pos.items():
        for _, target, key, props in G.out_edges(o, keys=True, data=True):
            if key == _REQUIRES and target in skill_pos:
                j = skill_pos[target]
                r_rows.append(i)
                r_cols.append(j)
                r_vals.append(relevance_weight(props))
                if props.get("relevance", Relevance.ESSENTIAL.value) != Relevance.OPTIONAL.value:
                    e_rows.append(i)
                    e_cols.append(j)
            elif key == _INTEREST and target in interest_pos:
                w = props.get("weight")
                i_rows.append(i)
                i_cols.append(interest_pos[target])
                i_vals.append(float(w) if isinstance(w, int | float) and w > 0 else 1.0)
            elif key == _MOBILITY and target in occ_pos:
                mobility.setdefault(i, {})[occ_pos[target]] = str(props.get("kind") or "")
    relevance = _csr(r_rows, r_cols, r_vals, (n_occ, n_skill))
    relevance.data = np.minimum(relevance.data, 1.0)  # a duplicate edge must not count twice
    essential = _csr(e_rows, e_cols, [1.0] * len(e_rows), (n_occ, n_skill))
    essential.data[:] = 1.0
    relevance.sort_indices()
    entries = relevance.nonzero()
    relevance_essential = np.asarray(essential[entries[0], entries[1]]).ravel() > 0
    has_skill = relevance.copy()
    has_skill.data[:] = 1.0
    occurrence = np.asarray(has_skill.sum(axis=0)).ravel()
    idf = np.log((1.0 + n_occ) / (1.0 + occurrence)) + 1.0
    need = sp.csr_matrix(relevance @ sp.diags(idf))
    need_mass = np.asarray(need.sum(axis=1)).ravel()

    # skill hierarchy: each skill's immediate BROADER parents, its weight split among them
    parent_index: dict[str, int] = {}
    p_rows: list[int] = []
    p_cols: list[int] = []
    p_vals: list[float] = []
    for s, j in skill_pos.items():
        parents = sorted(
            {p for _, p, key in G.out_edges(s, keys=True) if key == _BROADER and p != s}
        ) or [s]
        for p in parents:
            p_rows.append(j)
            p_cols.append(parent_index.setdefault(p, len(parent_index)))
            p_vals.append(1.0 / len(parents))
    skill_parent = _csr(p_rows, p_cols, p_vals, (n_skill, len(parent_index)))
    need_by_parent = sp.csr_matrix(need @ skill_parent)
    touches = sp.csr_matrix(has_skill @ skill_parent)
    touches.data[:] = 1.0

    # occupation groups: every BROADER ancestor, weighted by rarity
    anc = {o: ancestors(G, o) for o in occupations}
    groups = sorted({g for lst in anc.values() for g in lst})
    group_pos = {g: k for k, g in enumerate(groups)}
    g_rows = [occ_pos[o] for o, lst in anc.items() for _ in lst]
    g_cols = [group_pos[g] for lst in anc.values() for g in lst]
    member = _csr(g_rows, g_cols, [1.0] * len(g_rows), (n_occ, len(groups)))
    member.data[:] = 1.0
    size = np.asarray(member.sum(axis=0)).ravel()
    g_idf = np.log((1.0 + n_occ) / (1.0 + size))
    occ_groups = sp.csr_matrix(member @ sp.diags(g_idf))
    occ_groups.eliminate_zeros()
    occ_group_mass = np.asarray(occ_groups.sum(axis=1)).ravel()

    # interests
    interest_raw = _csr(i_rows, i_cols, i_vals, (n_occ, len(interests))).toarray()
    norms = np.linalg.norm(interest_raw, axis=1, keepdims=True)
    interest_vec = np.divide(interest_raw, norms, out=np.zeros_like(interest_raw), where=norms > 0)

    # text: titles and synonyms; descriptions and the labels of the skills required
    skill_label = {j: list(G.nodes[s]["node"].labels.values()) for s, j in skill_pos.items()}
    occ_nodes: list[Node] = [G.nodes[o]["node"] for o in occupations]
    title_text = tfidf_matrix([_titles(node) for node in occ_nodes])
    content_text = word_tfidf_matrix(
        [
            _content(
                node,
                [
                    lab
                    for j in relevance.indices[relevance.indptr[i] : relevance.indptr[i + 1]]
                    for lab in skill_label[j]
                ],
            )
            for i, node in enumerate(occ_nodes)
        ]
    )

    # trainings
    trainings = _ids_of(G, NodeType.TRAINING)
    training_pos = {t: k for k, t in enumerate(trainings)}
    hours = np.zeros(len(trainings))
    t_rows: list[int] = []
    t_cols: list[int] = []
    q_rows: list[int] = []
    q_cols: list[int] = []
    f_rows: list[int] = []
    f_cols: list[int] = []
    for t, k in training_pos.items():
        node: Node = G.nodes[t]["node"]
        try:
            hours[k] = max(float(node.props.get("durationHours") or 0.0), 0.0)
        except (TypeError, ValueError):
            hours[k] = 0.0
        for _, target, key in G.out_edges(t, keys=True):
            if key == _TEACHES and target in skill_pos:
                t_rows.append(k)
                t_cols.append(skill_pos[target])
            elif key == _REQUIRES and target in skill_pos:
                q_rows.append(k)
                q_cols.append(skill_pos[target])
            elif key == _PREPARES and target in occ_pos:
                f_rows.append(k)
                f_cols.append(occ_pos[target])
    n_tr = len(trainings)
    teaches = _csr(t_rows, t_cols, [1.0] * len(t_rows), (n_tr, n_skill))
    teaches.data[:] = 1.0
    training_requires = _csr(q_rows, q_cols, [1.0] * len(q_rows), (n_tr, n_skill))
    training_requires.data[:] = 1.0
    prepares = _csr(f_rows, f_cols, [1.0] * len(f_rows), (n_tr, n_occ))
    prepares.data[:] = 1.0
    # a training's hours shared among the skills it teaches: the cost of a skill in its
    # most efficient training (estimates a plan's length without solving the cover)
    per_skill = training_cost(hours) / np.maximum(np.asarray(teaches.sum(axis=1)).ravel(), 1.0)
    cheapest = np.full(n_skill, np.inf)
    if teaches.nnz:
        coo = teaches.tocoo()
        np.minimum.at(cheapest, coo.col, per_skill[coo.row])

    entry_level, regulated, diploma_key = _entry_arrays(occ_nodes)

    return OrientationIndex(
        occupations=occupations,
        occ_pos=occ_pos,
        occ_source=occ_source,
        skills=skills,
        skill_pos=skill_pos,
        relevance=relevance,
        essential=essential,
        relevance_essential=relevance_essential,
        idf=idf,
        need=need,
        need_mass=need_mass,
        has_skill=has_skill,
        skill_parent=skill_parent,
        skill_parents=list(parent_index),
        need_by_parent=need_by_parent,
        touches_parent=touches,
        groups=groups,
        group_pos=group_pos,
        occ_groups=occ_groups,
        occ_group_mass=occ_group_mass,
        interests=interests,
        interest_pos=interest_pos,
        interest_vec=interest_vec,
        interest_raw=interest_raw,
        title_text=title_text,
        content_text=content_text,
        trainings=trainings,
        training_pos=training_pos,
        training_hours=hours,
        teaches=teaches,
        training_requires=training_requires,
        prepares=prepares,
        taught_by=teaches.tocsc(),
        cheapest_hours=cheapest,
        mobility=mobility,
        skill_occurrence=occurrence,
        entry_level=entry_level,
        regulated=regulated,
        diploma_key=diploma_key,
    )


def _entry_arrays(nodes: list[Node]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entry level, regulated flag and diploma key per occupation. Occupations requiring
    the same named diploma share a key; a regulated one naming none gets a key of its own."""
    n = len(nodes)
    level = np.full(n, np.nan)
    regulated = np.zeros(n, dtype=bool)
    key = np.full(n, -1, dtype=np.int64)
    names: dict[str, int] = {}
    for i, node in enumerate(nodes):
        value = node.props.get("entryLevel")
        if isinstance(value, int | float) and not isinstance(value, bool):
            level[i] = float(value)
        if node.props.get("regulated") is True:
            regulated[i] = True
            diploma = node.props.get("requiredDiploma")
            key[i] = names.setdefault(diploma, len(names)) if diploma else n + i
    return level, regulated, key
