"""Domain types of the skills graph.

Everything above the store speaks in these types; nothing here knows about SQLite, Neo4j,
GraphQL or NetworkX. Node and relationship properties use the camelCase names they carry
in Neo4j (``durationHours``, ``relevance``...), so a node reads the same in every backend.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

LANGS: tuple[str, ...] = ("fr", "en")
"""Languages every label is kept in. A missing one falls back to the other."""


class NodeType(StrEnum):
    """The node labels of the graph (``type`` here, to keep *label* for text)."""

    OCCUPATION = "Occupation"
    SKILL = "Skill"
    SKILL_GROUP = "SkillGroup"
    OCCUPATION_GROUP = "OccupationGroup"
    INTEREST = "Interest"
    TRAINING = "Training"


class RelType(StrEnum):
    """Relationship types; the allowed endpoints are in :data:`REL_ENDPOINTS`."""

    REQUIRES = "REQUIRES"
    BROADER = "BROADER"
    MATCHES_INTEREST = "MATCHES_INTEREST"
    TEACHES = "TEACHES"
    PREPARES_FOR = "PREPARES_FOR"
    MOBILITY = "MOBILITY"
    SAME_AS = "SAME_AS"


class SkillKind(StrEnum):
    HARD = "HARD"  # savoir-faire: ESCO skill/competence, ROME savoir-faire
    KNOWLEDGE = "KNOWLEDGE"  # savoir: ESCO knowledge, ROME savoirs
    SOFT = "SOFT"  # savoir-être, socio-compétence: ESCO transversal skills


class Relevance(StrEnum):
    ESSENTIAL = "ESSENTIAL"
    OPTIONAL = "OPTIONAL"


class MobilityKind(StrEnum):
    CLOSE = "CLOSE"  # ROME "mobilité proche"
    EVOLUTION = "EVOLUTION"  # ROME "mobilité d'évolution"


class Reuse(StrEnum):
    """ESCO reuse level, from the most transferable to the least."""

    TRANSVERSAL = "transversal"
    CROSS_SECTOR = "cross-sector"
    SECTOR_SPECIFIC = "sector-specific"
    OCCUPATION_SPECIFIC = "occupation-specific"


_O, _S = NodeType.OCCUPATION, NodeType.SKILL
_SG, _OG = NodeType.SKILL_GROUP, NodeType.OCCUPATION_GROUP
_I, _T = NodeType.INTEREST, NodeType.TRAINING

REL_ENDPOINTS: Mapping[RelType, frozenset[tuple[NodeType, NodeType]]] = {
    RelType.REQUIRES: frozenset({(_O, _S), (_T, _S)}),
    RelType.BROADER: frozenset({(_S, _SG), (_SG, _SG), (_S, _S), (_O, _OG), (_OG, _OG), (_O, _O)}),
    RelType.MATCHES_INTEREST: frozenset({(_O, _I)}),
    RelType.TEACHES: frozenset({(_T, _S)}),
    RelType.PREPARES_FOR: frozenset({(_T, _O)}),
    RelType.MOBILITY: frozenset({(_O, _O)}),
    RelType.SAME_AS: frozenset({(_S, _S), (_O, _O)}),
}
"""Which (start type, end type) pairs each relationship type may join.

``BROADER`` also joins two skills or two occupations because ESCO nests some concepts
under others of the same kind (e.g. a specialised occupation under a general one).
"""

NODE_PROPS: Mapping[NodeType, frozenset[str]] = {
    _O: frozenset(
        {
            "code",
            "iscoGroup",
            "status",
            "incomplete",
            "jobZone",
            # entry requirements (cartonet.qualifications.ENTRY_PROPS)
            "entryLevel",
            "entryLevelFrom",
            "regulated",
            "requiredDiploma",
            "entryText",
        }
    ),
    _S: frozenset({"kind", "reuse", "code", "status", "incomplete"}),
    _SG: frozenset({"code"}),
    _OG: frozenset({"code", "level"}),
    _I: frozenset({"code", "scheme"}),
    _T: frozenset({"durationHours", "level", "certification", "provider", "illustrative"}),
}
"""Scalar properties a node of each type may carry besides its labels.

An occupation's entry requirements: ``entryLevel`` (an integer 2–8 on the European
Qualifications Framework scale shared by ROME, ESCO and O*NET, see
:mod:`cartonet.qualifications`), ``entryLevelFrom`` (``rome-text``, ``isco`` or
``onet-job-zone``), ``regulated`` (a state diploma or a regulated-profession flag),
``requiredDiploma`` (its name when the source gives it) and ``entryText`` (the source
sentence, for display)."""

REL_PROPS: Mapping[RelType, frozenset[str]] = {
    RelType.REQUIRES: frozenset({"relevance", "weight", "importance", "level"}),
    RelType.BROADER: frozenset(),
    RelType.MATCHES_INTEREST: frozenset({"weight", "rank", "inferred"}),
    RelType.TEACHES: frozenset({"weight"}),
    RelType.PREPARES_FOR: frozenset(),
    RelType.MOBILITY: frozenset({"kind", "source"}),
    RelType.SAME_AS: frozenset({"score", "method"}),
}


PROP_ENUMS: Mapping[tuple[str, str], type[StrEnum]] = {
    (NodeType.SKILL.value, "kind"): SkillKind,
    (NodeType.SKILL.value, "reuse"): Reuse,
    (RelType.REQUIRES.value, "relevance"): Relevance,
    (RelType.MOBILITY.value, "kind"): MobilityKind,
}
"""Properties whose value must be one of an enum's, keyed by (node or relationship type, name)."""

NUMBER_PROPS: frozenset[str] = frozenset(
    {"weight", "score", "rank", "durationHours", "importance", "level", "jobZone", "entryLevel"}
)
"""Properties holding a finite number ≥ 0 (``rank`` a whole one). ``importance`` and
``level`` on REQUIRES are O*NET's ratings (1–5, 0–7), see :mod:`cartonet.ingest.onet`."""

BOOLEAN_PROPS: frozenset[str] = frozenset({"illustrative", "incomplete", "inferred", "regulated"})
"""``inferred`` marks an edge read across a crosswalk (:mod:`cartonet.ingest.crosswalk`)."""


def pick_lang(values: Mapping[str, Any], lang: str) -> Any:
    """The value for ``lang``, else the first other language that has one, else ``None``."""
    if values.get(lang):
        return values[lang]
    for other in LANGS:
        if values.get(other):
            return values[other]
    for value in values.values():
        if value:
            return value
    return None


class PropsLeftOut(Mapping[str, Any]):
    """The ``props`` of a node a store read with its labels only: the scalar properties
    were not read, so reading any of them is a mistake of the caller and raises
    :class:`LookupError` (where an empty mapping would answer ``None`` for a property the
    node has). Equal only to itself."""

    def _refuse(self) -> LookupError:
        return LookupError("this node was read with its labels only: its properties were not read")

    def __getitem__(self, key: str) -> Any:
        raise self._refuse()

    def __iter__(self) -> Iterator[str]:
        raise self._refuse()

    def __len__(self) -> int:
        raise self._refuse()

    def __eq__(self, other: object) -> bool:
        return other is self

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return "PROPS_LEFT_OUT"


PROPS_LEFT_OUT: Mapping[str, Any] = PropsLeftOut()
"""The one :class:`PropsLeftOut`."""


@dataclass(frozen=True, slots=True)
class Node:
    """One concept of a taxonomy.

    ``id`` keeps its source: an ESCO concept URI as it is, ``rome:M1805``,
    ``rome-skill:<code_ogr>``, ``onet:15-1252.00``. ``labels`` maps a language to the
    preferred label, ``alt_labels`` a language to alternative labels (appellations,
    synonyms), ``descriptions`` a language to a description. ``props`` holds the scalar
    properties listed in :data:`NODE_PROPS` for the node's type.
    """

    id: str
    type: NodeType
    labels: Mapping[str, str]
    source: str
    alt_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    props: Mapping[str, Any] = field(default_factory=dict)
    complete: bool = field(default=True, compare=False, repr=False)
    """``False`` when a store read left out the descriptions and alternative labels (a
    nested read, ``text=False``), or everything but the labels (``labels_only=True``:
    ``props`` is then :data:`PROPS_LEFT_OUT`); a complete copy is one ``get_nodes`` away."""

    def label(self, lang: str = "fr") -> str:
        """Preferred label in ``lang``, falling back to the other language, then the id."""
        return pick_lang(self.labels, lang) or self.id

    def alt(self, lang: str = "fr") -> tuple[str, ...]:
        """Alternative labels in ``lang``, falling back to the other language."""
        return tuple(pick_lang(self.alt_labels, lang) or ())

    def description(self, lang: str = "fr") -> str | None:
        return pick_lang(self.descriptions, lang)


@dataclass(frozen=True, slots=True)
class Relationship:
    """A typed, directed edge. ``(type, start, end)`` identifies it: loading the same
    triple again updates its ``props`` rather than adding a second edge."""

    type: RelType
    start: str
    end: str
    props: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type.value, self.start, self.end)


@dataclass(slots=True)
class Dataset:
    """What a loader produces and a store writes: nodes and relationships of one source.

    ``source`` names the release (``esco-v1.1.1``, ``rome-v333``...); ``read_counts``
    says how many rows each input file had, so a load can be checked against the files.
    ``warnings`` lists what was repaired or left out, each as ``file:line: reason``.
    ``origins`` says where an item was read, by node id or relationship key (``"t.json:
    nodes[3]"``), for the loaders that know: a store that refuses the item names it there.
    ``files`` (name → SHA-256 of the bytes read) and ``read_seconds`` describe how the
    dataset was read; a store keeps them in its load history (:class:`LoadRecord`).
    """

    source: str
    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    read_counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    origins: dict[str | tuple[str, str, str], str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    read_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    occupations: int
    skills: int
    trainings: int
    interests: int
    groups: int
    relations: int
    version: str


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load changed. ``nodes_written`` / ``relationships_written`` count the items
    that were new or different; loading the same dataset twice reports zeros the second
    time, and the graph ``version`` does not move. ``changes``: the same, per type
    (:class:`TypeChange`)."""

    source: str
    nodes_in_dataset: int
    relationships_in_dataset: int
    nodes_written: int
    relationships_written: int
    nodes_removed: int
    relationships_removed: int
    version: str
    stats: Stats
    changes: tuple[TypeChange, ...] = ()


@dataclass(frozen=True, slots=True)
class ObservedMove:
    """People of occupation ``start`` observed moving into occupation ``end`` in the
    employment area ``area``, with a ``score`` in (0, 1] (La Bonne Boîte's "ROME
    connexe" data). Read merged over all areas, ``area`` is ``None``, ``score`` the mean
    of the areas' scores and ``areas`` how many areas observed the move."""

    start: str
    end: str
    score: float
    area: str | None = None
    areas: int = 1


@dataclass(slots=True)
class ObservedMobility:
    """What the observed-mobility loader produces: moves per employment area and the
    commune (INSEE code) → area table. Kept beside the graph (not as relationships: a
    relationship is one per (type, start, end), a move is one per area)."""

    source: str
    moves: list[ObservedMove] = field(default_factory=list)
    communes: dict[str, str] = field(default_factory=dict)
    read_counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    read_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class ObservedLoadReport:
    """What a load of observed mobility did: ``written`` is false when the store already
    held exactly these moves and communes (the version does not move then)."""

    source: str
    moves: int
    communes: int
    areas: int
    written: bool
    version: str


@dataclass(frozen=True, slots=True)
class TypeChange:
    """What one load did to the items of one type: ``kind`` is ``node``, ``relationship``
    or ``observed`` (moves and communes kept beside the graph), ``type`` the node label,
    relationship type or ``ObservedMove`` / ``AreaCommune``. ``taken_over`` counts items
    that were already there, unchanged, under another source (an earlier release): the
    load now owns them without changing their content."""

    kind: str
    type: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    taken_over: int = 0


@dataclass(frozen=True, slots=True)
class LoadRecord:
    """One load as the store's history keeps it (every load that committed, also the ones
    that changed nothing). ``release`` is the release part of ``source`` (``v1.1.1`` of
    ``esco-v1.1.1``), ``None`` when it has none; ``files`` are (name, SHA-256) pairs of what
    was read; ``counts`` the dataset's items per type; ``changes`` what the load did per type
    (types it did not change left out); ``version`` the graph version after the load."""

    seq: int
    source: str
    release: str | None
    kind: str
    loaded_at: str
    read_seconds: float | None
    write_seconds: float
    files: tuple[tuple[str, str], ...]
    counts: Mapping[str, int]
    changes: tuple[TypeChange, ...]
    version: str
    replace: bool
    warnings: int

    @property
    def duration_seconds(self) -> float:
        """Read and write time, in seconds."""
        return (self.read_seconds or 0.0) + self.write_seconds
