"""Crosswalks between taxonomies: SAME_AS links between occupations, each with a ``score``
in [0, 1] and a ``method``.

Three ways to find a link, from the most to the least trusted:

``published``
    The published ESCO → O*NET crosswalk of Nesta's *Mapping Career Causeways* (2020,
    ``esco_onet_crosswalk_Nov2020.csv``): each ESCO occupation with the O*NET occupation
    Nesta matched (semantic similarity of titles, then checked by hand), ``score`` the
    semantic similarity Nesta gives. Links whose O*NET code the store lacks (O*NET moved
    to SOC 2018 codes after 2020) or whose ESCO URI it lacks are counted and left out.
``label``
    :func:`match_labels`: rapidfuzz's ``token_sort_ratio`` between every preferred and
    alternative label of the two occupations, in the languages both taxonomies have
    (ESCO fr+en, ROME fr, O*NET en; normalised: case, accents, punctuation folded). Only
    label pairs sharing a word are compared (an inverted index over the words, ignoring
    words more than :data:`COMMON_WORD` labels share), so a full ESCO × O*NET run takes
    seconds. ``score`` is the best pair's ratio / 100; a link is proposed when it is at
    least ``min_score`` and the best candidate is unique at that score.
``via:<taxonomy>``
    :func:`compose`: A SAME_AS B and B SAME_AS C give A SAME_AS C, with the product of
    the scores (ROME ↔ O*NET through ESCO: shared-neighbour evidence in the taxonomy
    both are linked to).

A proposal list can be written to a review CSV (:func:`write_review`), a person marks each
row ``accept`` or ``reject``, and :func:`read_review` loads the accepted rows back (method
``reviewed:<method>``). :func:`infer_interests` reads RIASEC interests across SAME_AS
(ESCO occupations get their O*NET / ROME twin's), marked ``inferred: true``.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from cartonet.errors import DataError, LoadError
from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
from cartonet.store.search import normalize

TAXONOMIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "esco": ("http://data.europa.eu/esco/occupation/", ("fr", "en")),
    "rome": ("rome:", ("fr",)),
    "onet": ("onet:", ("en",)),
}
"""Taxonomy name → (occupation id prefix, languages its labels are in)."""

SKILL_PREFIXES: dict[str, str] = {
    "esco": "http://data.europa.eu/esco/skill/",
    "rome": "rome-skill:",
    "onet": "onet-skill:",
}
"""Taxonomy name → skill id prefix (O*NET: skills, knowledge and work styles)."""

SKILL_LABEL_FLOOR = 0.7
"""Lowest label score (0..1) that makes a skill of the other taxonomy a candidate."""
NEIGHBOUR_WEIGHT = 0.2
"""Share of the shared-neighbour evidence in a skill link's score (:func:`match_skills`)."""
DEFAULT_SKILL_MIN_SCORE = 0.8
"""Lowest score a skill link is proposed at by default: an exact label match with no
shared-neighbour evidence (1 - :data:`NEIGHBOUR_WEIGHT`), or a close one with some."""

PUBLISHED_FILE = "esco_onet_crosswalk_Nov2020.csv"
COMMON_WORD = 400
"""Words in more labels than this do not make two labels candidates on their own."""
DEFAULT_MIN_SCORE = 0.9
REVIEW_COLUMNS = (
    "decision",
    "start",
    "start_label",
    "end",
    "end_label",
    "score",
    "method",
)


@dataclass(frozen=True, slots=True)
class Link:
    start: str
    end: str
    score: float
    method: str

    def relationship(self) -> Relationship:
        return Relationship(
            RelType.SAME_AS, self.start, self.end, {"score": self.score, "method": self.method}
        )


def taxonomy_of(name: str) -> tuple[str, tuple[str, ...]]:
    try:
        return TAXONOMIES[name.lower()]
    except KeyError:
        raise LoadError(
            f"unknown taxonomy {name!r} (expected one of {', '.join(TAXONOMIES)})"
        ) from None


def occupations_of(nodes: Iterable[Node], taxonomy: str) -> list[Node]:
    prefix, _ = taxonomy_of(taxonomy)
    return sorted(
        (n for n in nodes if n.type is NodeType.OCCUPATION and n.id.startswith(prefix)),
        key=lambda n: n.id,
    )


def read_published(path: Path, known: set[str]) -> tuple[list[Link], dict[str, int]]:
    """The published ESCO → O*NET links of ``path`` (a folder holding
    :data:`PUBLISHED_FILE`, or the file) whose two ends are in ``known``; with counts of
    what was read and left out."""
    path = Path(path)
    file = path / PUBLISHED_FILE if path.is_dir() else path
    if not file.is_file():
        raise LoadError(f"{file}: file not found (the published ESCO–O*NET crosswalk)")
    links: list[Link] = []
    counts = {"rows": 0, "missing_esco": 0, "missing_onet": 0}
    with file.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"concept_uri", "onet_code", "semantic_similarity"} - set(reader.fieldnames or ())
        if missing:
            raise LoadError(f"{file}:1: missing columns {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, 2):
            counts["rows"] += 1
            esco, onet = row["concept_uri"].strip(), f"onet:{row['onet_code'].strip()}"
            try:
                score = float(row["semantic_similarity"])
            except ValueError:
                raise LoadError(
                    f"{file}: bad row",
                    [DataError(str(file), line, "semantic_similarity is not a number")],
                ) from None
            if esco not in known:
                counts["missing_esco"] += 1
            elif onet not in known:
                counts["missing_onet"] += 1
            else:
                links.append(Link(esco, onet, round(min(max(score, 0.0), 1.0), 4), "published"))
    return links, counts


def _labels(node: Node, langs: Sequence[str]) -> list[str]:
    out: list[str] = []
    for lang in langs:
        for label in (node.labels.get(lang), *node.alt_labels.get(lang, ())):
            key = normalize(label) if label else ""
            if key and key not in out:
                out.append(key)
    return out


def label_candidates(
    a: Sequence[Node],
    b: Sequence[Node],
    langs: Sequence[str],
    min_score: float,
    limit: int = 5,
) -> dict[str, dict[int, float]]:
    """For each node of ``a`` (by id), the nodes of ``b`` (by index) whose labels match at
    least ``min_score`` (0..1), with the best label pair's ``token_sort_ratio`` (0..100):
    the candidates of :func:`match_labels` and :func:`match_skills` (see the module doc)."""
    b_labels: list[str] = []
    b_owner: list[int] = []
    for i, node in enumerate(b):
        for label in _labels(node, langs):
            b_labels.append(label)
            b_owner.append(i)
    index: dict[str, list[int]] = defaultdict(list)
    for j, label in enumerate(b_labels):
        for word in set(label.split()):
            if len(word) > 2:
                index[word].append(j)
    out: dict[str, dict[int, float]] = {}
    cutoff = min_score * 100
    for node in a:
        best: dict[int, float] = {}
        for label in _labels(node, langs):
            words = [w for w in set(label.split()) if len(w) > 2 and w in index]
            rare = [w for w in words if len(index[w]) <= COMMON_WORD]
            candidates = sorted({j for w in (rare or words[:0]) for j in index[w]})
            if not candidates:
                continue
            for _, score, k in process.extract(
                label,
                [b_labels[j] for j in candidates],
                scorer=fuzz.token_sort_ratio,
                limit=limit,
                score_cutoff=cutoff,
            ):
                owner = b_owner[candidates[k]]
                best[owner] = max(best.get(owner, 0.0), score)
        if best:
            out[node.id] = best
    return out


def match_labels(
    a: Sequence[Node],
    b: Sequence[Node],
    langs: Sequence[str],
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[Link]:
    """For each node of ``a``, the node of ``b`` whose labels match best (see module doc).

    Parameters
    ----------
    a, b : occupations of two taxonomies.
    langs : the languages compared (those both taxonomies have; all when none is shared).
    min_score : lowest score (0..1) a proposed link may have.

    Returns
    -------
    One :class:`Link` (method ``label``) per node of ``a`` that has a unique best match at
    or above ``min_score``, sorted by start id.

    Example
    -------
    >>> match_labels(esco_occupations, onet_occupations, ["en"])  # doctest: +SKIP
    [Link(start='http://data.europa.eu/esco/occupation/...', end='onet:13-2011.00', ...), ...]
    """
    links: list[Link] = []
    for start, best in sorted(label_candidates(a, b, langs, min_score).items()):
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], b[kv[0]].id))
        top_score = ranked[0][1]
        if len(ranked) > 1 and ranked[1][1] == top_score:
            continue  # two equally good candidates: not proposed (never guessed)
        links.append(Link(start, b[ranked[0][0]].id, round(top_score / 100, 4), "label"))
    return links


def skills_of(nodes: Iterable[Node], taxonomy: str) -> list[Node]:
    """The skills of a taxonomy (skills, knowledge, soft skills / work styles), by id."""
    taxonomy_of(taxonomy)  # an unknown name is an error naming the choices
    prefix = SKILL_PREFIXES[taxonomy.lower()]
    return sorted(
        (n for n in nodes if n.type is NodeType.SKILL and n.id.startswith(prefix)),
        key=lambda n: n.id,
    )


def shared_neighbours(
    requires: Iterable[Relationship], occupation_links: Iterable[Link]
) -> dict[str, dict[str, float]]:
    """Shared-neighbour evidence between the skills of two taxonomies, read from the
    occupations linked by SAME_AS.

    Over the N occupation links A → B, let ``n(s)`` count the links whose A occupation
    requires skill *s* (of A), ``n(t)`` those whose B occupation requires *t* (of B), and
    ``n(s, t)`` those where both hold. How much knowing one raises the chance of the other,
    above its base rate, in either direction::

        gain(t | s) = (P(t | s) - P(t)) / (1 - P(t)),   P(t | s) = n(s, t) / (n(s) + 2),
                                                         P(t) = n(t) / N

    and the evidence is ``max(gain(t | s), gain(s | t))`` clipped to [0, 1]: 1 when one
    skill is required exactly where the other is, 0 when no more than chance. The ``+ 2``
    keeps a skill seen on one or two links from counting as certain. REQUIRES of any
    relevance count. (A plain cosine would favour the skills most occupations require:
    O*NET rates every skill on every occupation.)

    Parameters
    ----------
    requires : REQUIRES relationships of both taxonomies (others are ignored).
    occupation_links : SAME_AS links between their occupations, oriented A → B.

    Returns
    -------
    skill of A → {skill of B: evidence}, only pairs seen together at least once with a
    positive gain; a skill of A that no linked occupation requires is absent (no evidence
    either way).

    Example
    -------
    >>> ev = shared_neighbours(graph.relationships, onet_esco_links)  # doctest: +SKIP
    >>> round(ev["onet-skill:2.C.4.a"][ESCO + "skill/..."], 2)  # doctest: +SKIP
    0.41
    """
    skills: dict[str, set[str]] = defaultdict(set)
    for r in requires:
        if r.type is RelType.REQUIRES:
            skills[r.start].add(r.end)
    together: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    n_a: dict[str, int] = defaultdict(int)
    n_b: dict[str, int] = defaultdict(int)
    pairs = {(x.start, x.end) for x in occupation_links}
    for start, end in pairs:
        s_a, s_b = skills.get(start, set()), skills.get(end, set())
        for t in s_b:
            n_b[t] += 1
        for s in s_a:
            n_a[s] += 1
            row = together[s]
            for t in s_b:
                row[t] += 1
    total = len(pairs)

    def gain(both: int, given: int, other: int) -> float:
        base = other / total
        if base >= 1:
            return 0.0
        return (both / (given + 2) - base) / (1 - base)

    out: dict[str, dict[str, float]] = {}
    for s, row in together.items():
        kept = {}
        for t, both in row.items():
            g = max(gain(both, n_a[s], n_b[t]), gain(both, n_b[t], n_a[s]))
            if g > 0:
                kept[t] = min(g, 1.0)
        out[s] = kept
    return out


def match_skills(
    a: Sequence[Node],
    b: Sequence[Node],
    langs: Sequence[str],
    evidence: Mapping[str, Mapping[str, float]],
    min_score: float = DEFAULT_SKILL_MIN_SCORE,
    weight: float = NEIGHBOUR_WEIGHT,
) -> list[Link]:
    """For each skill of ``a``, the skill of ``b`` that its labels and its shared
    neighbours point to.

    The candidates are the skills of ``b`` whose labels match at least
    :data:`SKILL_LABEL_FLOOR` (:func:`label_candidates`, alt labels and the shared languages
    included). A candidate's score is ``(1 - weight) · label + weight · evidence`` (method
    ``label+neighbours``; ``evidence`` from :func:`shared_neighbours`, 0 for a pair it does
    not know, e.g. a skill no linked occupation requires): a label match the linked
    occupations never require together loses ``weight``, one they always do keeps its label
    score. With no evidence at all (no occupation of A and B linked yet) the score is the
    label score (method ``label``). The best candidate is proposed when its score is at
    least ``min_score`` and no other candidate ties it (never guessed).

    Returns
    -------
    One :class:`Link` per skill of ``a`` with a proposal, sorted by start id.

    Example
    -------
    >>> match_skills(onet_skills, esco_skills, ["en"], evidence)  # doctest: +SKIP
    [Link(start='onet-skill:2.A.1.a', end='http://data.europa.eu/esco/skill/...', ...), ...]
    """
    links: list[Link] = []
    for start, found in sorted(label_candidates(a, b, langs, SKILL_LABEL_FLOOR).items()):
        known = evidence.get(start, {})
        scored = []
        for index, label_score in found.items():
            label = label_score / 100
            if not evidence:
                scored.append((round(label, 4), b[index].id, "label"))
            else:
                combined = (1 - weight) * label + weight * known.get(b[index].id, 0.0)
                scored.append((round(combined, 4), b[index].id, "label+neighbours"))
        scored.sort(key=lambda x: (-x[0], x[1]))
        best = scored[0]
        if best[0] < min_score or (len(scored) > 1 and scored[1][0] == best[0]):
            continue
        links.append(Link(start, best[1], best[0], best[2]))
    return links


def compose(first: Iterable[Link], second: Iterable[Link], via: str) -> list[Link]:
    """A→B and B→C links give A→C (method ``via:<via>``, score the product); when several
    paths lead to one pair, the best score is kept."""
    onward: dict[str, list[Link]] = defaultdict(list)
    for link in second:
        onward[link.start].append(link)
    best: dict[tuple[str, str], float] = {}
    for link in first:
        for nxt in onward.get(link.end, ()):
            key = (link.start, nxt.end)
            best[key] = max(best.get(key, 0.0), round(link.score * nxt.score, 4))
    return [Link(a, c, s, f"via:{via}") for (a, c), s in sorted(best.items())]


def reverse(links: Iterable[Link]) -> list[Link]:
    return [Link(x.end, x.start, x.score, x.method) for x in links]


@dataclass(frozen=True, slots=True)
class Evaluation:
    threshold: float
    predicted: int
    correct: int
    truth: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else math.nan

    @property
    def recall(self) -> float:
        return self.correct / self.truth if self.truth else math.nan


def evaluate(
    proposed: Iterable[Link], truth: Iterable[Link], thresholds: Sequence[float]
) -> list[Evaluation]:
    """Precision and recall of ``proposed`` links against ``truth`` (the published links),
    over the start nodes ``truth`` covers: a proposal counts when its start is in the
    truth; it is correct when its end is the truth's end for that start."""
    expected = {t.start: t.end for t in truth}
    scored = [p for p in proposed if p.start in expected]
    out = []
    for threshold in thresholds:
        kept = [p for p in scored if p.score >= threshold]
        correct = sum(expected[p.start] == p.end for p in kept)
        out.append(Evaluation(threshold, len(kept), correct, len(expected)))
    return out


def write_review(links: Sequence[Link], labels: Mapping[str, str], path: Path) -> None:
    """Proposals as a CSV a person reviews: fill ``decision`` with ``accept`` or ``reject``."""
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(REVIEW_COLUMNS)
        for x in links:
            writer.writerow(
                [
                    "",
                    x.start,
                    labels.get(x.start, ""),
                    x.end,
                    labels.get(x.end, ""),
                    x.score,
                    x.method,
                ]
            )


def read_review(path: Path) -> tuple[list[Link], int]:
    """The accepted links of a reviewed CSV (method ``reviewed:<method>``) and how many
    rows were rejected; a row without a decision, or with another word, is an error naming
    its line."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: file not found")
    accepted: list[Link] = []
    rejected = 0
    problems: list[DataError] = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = set(REVIEW_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise LoadError(f"{path}:1: missing columns {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, 2):
            decision = row["decision"].strip().lower()
            if decision == "reject":
                rejected += 1
                continue
            if decision != "accept":
                problems.append(
                    DataError(str(path), line, f"decision {decision!r} (expected accept or reject)")
                )
                continue
            try:
                score = float(row["score"])
            except ValueError:
                problems.append(DataError(str(path), line, f"score {row['score']!r}"))
                continue
            method = row["method"].strip() or "manual"
            if not method.startswith("reviewed:"):
                method = f"reviewed:{method}"
            accepted.append(Link(row["start"].strip(), row["end"].strip(), score, method))
    if problems:
        raise LoadError(f"{path}: {len(problems)} rows not reviewed; nothing was loaded", problems)
    return accepted, rejected


def infer_interests(
    links: Iterable[Link], interests: Mapping[str, list[Relationship]], lacking: set[str]
) -> list[Relationship]:
    """MATCHES_INTEREST edges for the occupations of ``lacking`` (those without interests),
    copied from their SAME_AS twins' (``interests``: occupation id → its edges), marked
    ``inferred: true``. A twin reached by several links gives the best-scored one's."""
    best: dict[str, Link] = {}
    for link in links:
        for mine, twin in ((link.start, link.end), (link.end, link.start)):
            better = mine not in best or link.score > best[mine].score
            if mine in lacking and interests.get(twin) and better:
                best[mine] = Link(mine, twin, link.score, link.method)
    out: list[Relationship] = []
    for mine, link in sorted(best.items()):
        for rel in interests[link.end]:
            props = {k: v for k, v in rel.props.items() if k in ("weight", "rank")}
            out.append(
                Relationship(RelType.MATCHES_INTEREST, mine, rel.end, {**props, "inferred": True})
            )
    return out


def crosswalk_dataset(
    source: str, links: Sequence[Link], extra: Sequence[Relationship] = ()
) -> Dataset:
    rels = {(x.start, x.end): x.relationship() for x in links if x.start != x.end}
    return Dataset(
        source=source,
        relationships=[rels[k] for k in sorted(rels)] + sorted(extra, key=lambda r: r.key),
    )
