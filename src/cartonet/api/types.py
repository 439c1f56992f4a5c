"""GraphQL object types of the skills graph, one per node type, plus connections and enums.

Each object wraps a :class:`cartonet.model.Node` (``raw``, not exposed) and resolves its
relations through the request's DataLoaders, so a list of nodes asking for the same
relation costs one store call, not one per node. :func:`wrap` turns a model node into the
GraphQL object of its type; other modules that return nodes (orientation) use it too.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import GraphQLObjectType
from strawberry.types.base import StrawberryObjectDefinition

from cartonet.errors import InvalidArgument
from cartonet.model import LoadRecord as LoadRecordModel
from cartonet.model import MobilityKind, Node, NodeType, Relevance, RelType, Reuse, SkillKind
from cartonet.store.base import MAX_PAGE, Direction, check_first, decode_cursor, encode_cursor
from cartonet.store.base import Edge as StoreEdge

from .selection import NODE, NODE_CONNECTION, REQUIREMENT_CONNECTION, REQUIREMENTS, Shape, fits

MAX_HIERARCHY_DEPTH = 12
"""How far up ``groups`` climbs BROADER links; real hierarchies are 4-6 levels deep, the
bound only protects against a cycle in loaded data."""

DEFAULT_PAGE = 20


def described_enum(cls: type[Enum], description: str, values: dict[str, str]) -> None:
    """Register a model enum as a GraphQL enum (same member names, no mapping layer), with
    a description for the enum and for each member (``values`` by member name; a member
    left out is a ``KeyError`` here, not an undocumented value in the published schema)."""
    strawberry.enum(cls, description=description)
    for value in cls.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[value.name]


described_enum(
    SkillKind,
    "HARD: savoir-faire; KNOWLEDGE: savoir; SOFT: savoir-être.",
    {
        "HARD": "Savoir-faire: ESCO skill/competence, ROME savoir-faire.",
        "KNOWLEDGE": "Savoir: ESCO knowledge, ROME savoirs.",
        "SOFT": "Savoir-être: ESCO transversal (socio-emotional) skills.",
    },
)
described_enum(
    Relevance,
    "How much an occupation needs a skill.",
    {
        "ESSENTIAL": "Every holder of the occupation needs it (weight 1.0 in ESCO and ROME).",
        "OPTIONAL": "Needed in some jobs of the occupation (weight 0.5 in ESCO and ROME).",
    },
)
described_enum(
    MobilityKind,
    "CLOSE: mobilité proche; EVOLUTION: évolution.",
    {
        "CLOSE": "ROME mobilité proche: a move needing little or no training.",
        "EVOLUTION": "ROME mobilité d'évolution: a move up, after experience or training.",
    },
)
described_enum(
    NodeType,
    "The kinds of node in the graph.",
    {
        "OCCUPATION": "An occupation (ESCO occupation, ROME fiche métier).",
        "SKILL": "A skill (savoir-faire, savoir or savoir-être).",
        "SKILL_GROUP": "A group of skills.",
        "OCCUPATION_GROUP": "A group of occupations (ISCO group, ROME domaine).",
        "INTEREST": "An interest dimension (RIASEC type).",
        "TRAINING": "A course or certification.",
    },
)
described_enum(
    Reuse,
    "ESCO reuse level, from most to least transferable.",
    {
        "TRANSVERSAL": "Relevant to every occupation and sector.",
        "CROSS_SECTOR": "Relevant to occupations of several sectors.",
        "SECTOR_SPECIFIC": "Relevant to one sector.",
        "OCCUPATION_SPECIFIC": "Relevant to one occupation.",
    },
)


@strawberry.enum(description="Language of labels and descriptions; a missing one falls back.")
class Lang(Enum):
    FR = strawberry.enum_value("fr", description="French.")
    EN = strawberry.enum_value("en", description="English.")


# Arguments shared by many fields, described once.
LangArg = Annotated[
    Lang,
    strawberry.argument(
        description="Language of the text; when the node has none in it, the other language."
    ),
]
RelevanceArg = Annotated[Relevance | None, strawberry.argument(description="Only this relevance.")]
FirstArg = Annotated[
    int, strawberry.argument(description=f"How many items (a page), 0 to {MAX_PAGE}.")
]
AfterArg = Annotated[
    str | None,
    strawberry.argument(
        description="Start after this cursor (the `endCursor` of the previous page); "
        "none: from the start."
    ),
]


T = TypeVar("T")


# --- helpers -----------------------------------------------------------------------------


def _edges(
    info: strawberry.Info,
    node_id: str,
    rel: RelType,
    direction: Direction,
    *,
    labels_only: bool = False,
    **props: Any,
) -> Any:
    """Awaitable edges of ``node_id`` through the request's batching loader. The nodes
    come without descriptions and alternative labels (see :func:`_whole`), and with
    ``labels_only`` (the query reads nothing else of them) maybe with their labels only."""
    loader = info.context.loaders.neighbours(rel, direction, props or None, False, labels_only)
    return loader.load(node_id)


def _reads_labels_only(info: strawberry.Info, shape: Shape) -> bool:
    """Whether the query reads nothing but labels of the nodes this field answers with,
    placed in its answer as ``shape`` says (:mod:`cartonet.api.selection`)."""
    return fits(info._raw_info.field_nodes, shape)


async def _interest_edges(info: strawberry.Info, occupation: str) -> list[StoreEdge]:
    """The occupation's MATCHES_INTEREST edges, strongest (lowest ``rank``) first."""
    edges = await _edges(info, occupation, RelType.MATCHES_INTEREST, Direction.OUT)
    return sorted(edges, key=lambda e: _float(e.rel.props.get("rank")) or 0.0)


async def _whole(info: strawberry.Info, node_id: str, pick: Callable[[Node], T]) -> T | None:
    """``pick`` of the whole node ``node_id``: nested reads fetch labels only, and a query
    that selects a description or alternative labels on such a node gets the whole node
    here, in one batched read for all of them."""
    node = await info.context.loaders.nodes.load(node_id)
    return pick(node) if node is not None else None


def _enum(cls: type[Enum], value: Any) -> Any:
    try:
        return cls(value) if value is not None else None
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _of_type(edges: Iterable[StoreEdge], *types: NodeType) -> list[StoreEdge]:
    return [e for e in edges if e.node.type in types]


async def _linked(
    info: strawberry.Info,
    node_id: str,
    rel: RelType,
    direction: Direction,
    node_type: NodeType,
    **props: Any,
) -> list[Node]:
    """Neighbours of ``node_id`` through ``rel`` that are of ``node_type``: the field's
    answer (labels only when the query reads nothing more of them)."""
    labels_only = _reads_labels_only(info, NODE)
    edges = await _edges(info, node_id, rel, direction, labels_only=labels_only, **props)
    return [e.node for e in _of_type(edges, node_type)]


def _page(
    info: strawberry.Info,
    node_id: str,
    rel: RelType,
    direction: Direction,
    node_type: NodeType,
    first: int,
    after: str | None,
    *,
    labels_only: bool = False,
    **props: Any,
) -> Any:
    """Awaitable :class:`~cartonet.store.base.EdgePage` of ``node_id``'s neighbours of
    ``node_type``: paged, ordered and counted by the store, one call for every parent
    asking for the same page. ``first`` and ``after`` are checked before anything is
    fetched; ``labels_only`` as in :func:`_edges`."""
    check_first(first)
    decode_cursor(after)
    loader = info.context.loaders.pages(
        rel, direction, node_type, first, after, props or None, False, labels_only
    )
    return loader.load(node_id)


async def _linked_page(
    info: strawberry.Info,
    node_id: str,
    rel: RelType,
    direction: Direction,
    node_type: NodeType,
    first: int,
    after: str | None,
    **props: Any,
) -> Connection[Any]:
    """A page of ``_linked`` as a connection of node objects."""
    labels_only = _reads_labels_only(info, NODE_CONNECTION)
    page = await _page(
        info, node_id, rel, direction, node_type, first, after, labels_only=labels_only, **props
    )
    return Connection.build(
        [e.node for e in page.edges],
        page.total_count,
        page.end_cursor,
        page.has_next_page,
        has_previous_page=after is not None,  # keyset pages: the cursor's item came before
    )


def wrap(node: Node | None) -> NodeInterface | None:
    """The GraphQL object for ``node`` (``None`` stays ``None``)."""
    if node is None:
        return None
    return _CLASSES[node.type](raw=node)


def wrap_as(node: Node | None, node_type: NodeType) -> Any:
    """``wrap(node)`` if it is of ``node_type``, else ``None`` (a lookup by id that finds
    a node of another type answers ``null``, like an unknown id)."""
    if node is None or node.type != node_type:
        return None
    return wrap(node)


async def ancestors(info: strawberry.Info, node_id: str, wanted: NodeType) -> list[Node]:
    """Nodes of type ``wanted`` above ``node_id`` through BROADER, nearest first.

    Climbs through nodes of any type (an ESCO occupation nested under another occupation
    still reaches its ISCO groups). Each level is one batched loader call shared by every
    node of the query climbing at the same time.
    """
    loader = info.context.loaders.neighbours(RelType.BROADER, Direction.OUT, None, False)
    seen, found, frontier = {node_id}, [], [node_id]
    for _ in range(MAX_HIERARCHY_DEPTH):
        if not frontier:
            break
        nxt: list[str] = []
        for edges in await loader.load_many(frontier):
            for edge in edges:
                if edge.node.id in seen:
                    continue
                seen.add(edge.node.id)
                nxt.append(edge.node.id)
                if edge.node.type == wanted:
                    found.append(edge.node)
        frontier = nxt
    return found


# --- connections -------------------------------------------------------------------------


@strawberry.type(
    description="Where a page starts and ends, and whether pages come before or after."
)
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    end_cursor: str | None = strawberry.field(
        description="Cursor of the page's last item, for `after`; null on an empty page."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether items come before this page (it was asked `after` a cursor)."
    )
    start_cursor: str | None = strawberry.field(
        description="Cursor of the page's first item; null on an empty page."
    )


def _edge_cursor(root: ConnectionEdge[Any]) -> str:
    return encode_cursor(root.item_id)


@strawberry.type(name="Edge", description="One item of a page and its cursor.")
class ConnectionEdge(Generic[T]):
    # The cursor is encoded when a query selects it, not for every item of every page.
    cursor: str = strawberry.field(
        resolver=_edge_cursor, description="Where this item is, for `after`."
    )
    node: T = strawberry.field(description="The item.")
    item_id: strawberry.Private[str]


@strawberry.type(description="A page of a list (Relay connection), in ascending id order.")
class Connection(Generic[T]):
    edges: list[ConnectionEdge[T]] = strawberry.field(description="The page's items.")
    page_info: PageInfo = strawberry.field(description="Where the page ends.")
    total_count: int = strawberry.field(description="Items in the whole list, all pages.")

    @classmethod
    def build(
        cls,
        items: Sequence[Node],
        total_count: int,
        end_cursor: str | None,
        has_next_page: bool,
        make: Callable[[Node], Any] = wrap,
        has_previous_page: bool = False,
    ) -> Connection[Any]:
        edges = [ConnectionEdge(item_id=n.id, node=make(n)) for n in items]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=has_next_page,
                end_cursor=end_cursor,
                has_previous_page=has_previous_page,
                start_cursor=encode_cursor(items[0].id) if items else None,
            ),
            total_count=total_count,
        )


def paginate(nodes: Iterable[Node], first: int, after: str | None) -> Connection[Any]:
    """A page of ``nodes`` (any order in, ascending id order out), with the same keyset
    cursors as the store's lists, so nested lists page like top-level ones."""
    check_first(first)
    after_id = decode_cursor(after)
    ordered = sorted({n.id: n for n in nodes}.values(), key=lambda n: n.id)
    start = 0
    if after_id is not None:
        start = bisect.bisect_right([n.id for n in ordered], after_id)
    chunk = ordered[start : start + first]
    return Connection.build(
        chunk,
        total_count=len(ordered),
        end_cursor=encode_cursor(chunk[-1].id) if chunk else None,
        has_next_page=start + len(chunk) < len(ordered),
        has_previous_page=start > 0,
    )


# --- node types --------------------------------------------------------------------------


@strawberry.interface(name="Node", description="Any node of the graph.")
class NodeInterface:
    raw: strawberry.Private[Node]

    @strawberry.field(description="Stable id that keeps its source (ESCO URI, rome:M1805...).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.raw.id)

    @strawberry.field(description="The node's type.")
    def type(self) -> NodeType:
        return self.raw.type

    @strawberry.field(description="Preferred label in `lang`, else the other language.")
    def label(self, lang: LangArg = Lang.FR) -> str:
        return self.raw.label(lang.value)

    @strawberry.field(description="Alternative labels (synonyms, appellations) in `lang`.")
    def alt_labels(self, info: strawberry.Info, lang: LangArg = Lang.FR) -> list[str]:
        if not self.raw.complete:  # read as a nested node: labels only
            return _whole(info, self.raw.id, lambda n: list(n.alt(lang.value)))  # type: ignore[return-value]
        return list(self.raw.alt(lang.value))

    @strawberry.field(description="Description in `lang`, else the other language.")
    def description(self, info: strawberry.Info, lang: LangArg = Lang.FR) -> str | None:
        if not self.raw.complete:
            return _whole(info, self.raw.id, lambda n: n.description(lang.value))  # type: ignore[return-value]
        return self.raw.description(lang.value)

    @strawberry.field(description="Source release the node was loaded from.")
    def source(self) -> str:
        return self.raw.source

    @strawberry.field(description="Code in its source (ROME code, ISCO code, RIASEC letter...).")
    def code(self) -> str | None:
        return _str(self.raw.props.get("code"))


@strawberry.type(description="A skill an occupation needs, with how much.")
class SkillRequirement:
    skill: Skill = strawberry.field(description="The skill.")
    relevance: Relevance | None = strawberry.field(description="Essential or optional.")
    weight: float | None = strawberry.field(
        description="Weight in overlap scores, in (0, 1]: 1.0 essential, 0.5 optional "
        "(ESCO, ROME); from the importance rating for O*NET."
    )


@strawberry.type(description="An interest an occupation matches, and whether it is an estimate.")
class InterestMatch:
    interest: Interest = strawberry.field(description="The interest (RIASEC type).")
    inferred: bool = strawberry.field(
        description="True when read across a crosswalk from a linked occupation of another "
        "taxonomy (`cartonet crosswalk --infer-interests`), not given by this occupation's "
        "own taxonomy: an estimate to present as such."
    )


@strawberry.type(description="A curated transition to another occupation.")
class Mobility:
    occupation: Occupation = strawberry.field(description="The occupation moved to.")
    kind: MobilityKind | None = strawberry.field(description="Close move or evolution.")
    source: str | None = strawberry.field(description="Release that lists the move.")


@strawberry.type(
    description="A move people were observed to make from one occupation into another "
    "(La Bonne Boîte, per employment area)."
)
class ObservedMobility:
    occupation: Occupation = strawberry.field(description="The occupation moved into.")
    score: float = strawberry.field(
        description="In (0, 1]: the area's score, or the mean over the areas observing it."
    )
    area: str | None = strawberry.field(description="Employment area code; null when merged.")
    areas: int = strawberry.field(description="Number of areas that observed it (1 in an area).")


async def observed_area(
    info: strawberry.Info,
    area: str | None,
    commune: str | None,
    arguments: tuple[str, str] = ("area", "commune"),
) -> str | None:
    """The area an ``area`` / ``commune`` argument pair names (``None``: all areas).
    Both given, or an unknown commune: :class:`InvalidArgument` naming ``arguments``."""
    if area is not None and commune is not None:
        raise InvalidArgument(arguments[1], f"give {arguments[0]} or {arguments[1]}, not both")
    if commune is None:
        return area.strip() if area is not None else None
    found = await info.context.read(info.context.store.area_of_commune(commune.strip()))
    if found is None:
        raise InvalidArgument(
            arguments[1], f"no employment area known for commune {commune!r} (cartonet load lbb)"
        )
    return str(found)


@strawberry.type(description="The same concept in another taxonomy (crosswalk).")
class SameAs:
    node: NodeInterface = strawberry.field(description="The concept in the other taxonomy.")
    score: float | None = strawberry.field(description="Confidence of the match, when known.")
    method: str | None = strawberry.field(description="How the match was made, when known.")


def _requirement(edge: StoreEdge) -> SkillRequirement:
    return SkillRequirement(
        skill=Skill(raw=edge.node),
        relevance=_enum(Relevance, edge.rel.props.get("relevance")),
        weight=_float(edge.rel.props.get("weight")),
    )


async def _same_as(info: strawberry.Info, node_id: str) -> list[SameAs]:
    out = await _edges(info, node_id, RelType.SAME_AS, Direction.OUT)
    into = await _edges(info, node_id, RelType.SAME_AS, Direction.IN)
    seen: set[str] = set()
    result = []
    for edge in [*out, *into]:
        if edge.node.id in seen:
            continue
        seen.add(edge.node.id)
        props = edge.rel.props
        result.append(
            SameAs(
                node=wrap(edge.node), score=_float(props.get("score")), method=props.get("method")
            )
        )
    return result


@strawberry.type(description="An occupation (ESCO occupation, ROME fiche métier...).")
class Occupation(NodeInterface):
    @strawberry.field(
        description="Occupation groups above it (ISCO, ROME domaines), nearest first."
    )
    async def groups(self, info: strawberry.Info) -> list[OccupationGroup]:
        nodes = await ancestors(info, self.raw.id, NodeType.OCCUPATION_GROUP)
        return [OccupationGroup(raw=n) for n in nodes]

    @strawberry.field(description="More general occupations this one specialises.")
    async def broader(self, info: strawberry.Info) -> list[Occupation]:
        nodes = await _linked(
            info, self.raw.id, RelType.BROADER, Direction.OUT, NodeType.OCCUPATION
        )
        return [Occupation(raw=n) for n in nodes]

    @strawberry.field(description="More specialised occupations under this one.")
    async def narrower(self, info: strawberry.Info) -> list[Occupation]:
        nodes = await _linked(info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.OCCUPATION)
        return [Occupation(raw=n) for n in nodes]

    @strawberry.field(
        description="More specialised occupations under this one, as pages in id order."
    )
    async def narrower_connection(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Occupation]:
        return await _linked_page(
            info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.OCCUPATION, first, after
        )

    @strawberry.field(description="Interests (RIASEC) the occupation matches, strongest first.")
    async def interests(self, info: strawberry.Info) -> list[Interest]:
        return [Interest(raw=e.node) for e in await _interest_edges(info, self.raw.id)]

    @strawberry.field(
        description="The interests of `interests`, in the same order, each saying whether "
        "it is an estimate read across a crosswalk."
    )
    async def interest_matches(self, info: strawberry.Info) -> list[InterestMatch]:
        return [
            InterestMatch(
                interest=Interest(raw=e.node), inferred=e.rel.props.get("inferred") is True
            )
            for e in await _interest_edges(info, self.raw.id)
        ]

    @strawberry.field(description="Skills the occupation requires, essential ones first.")
    async def skills(
        self,
        info: strawberry.Info,
        relevance: RelevanceArg = None,
        kind: Annotated[
            SkillKind | None, strawberry.argument(description="Only this kind.")
        ] = None,
    ) -> list[SkillRequirement]:
        props = {"relevance": relevance.value} if relevance else {}
        # the kind filter reads the skills' kind: whole skills then
        labels_only = kind is None and _reads_labels_only(info, REQUIREMENTS)
        edges = await _edges(
            info, self.raw.id, RelType.REQUIRES, Direction.OUT, labels_only=labels_only, **props
        )
        result = []
        for edge in _of_type(edges, NodeType.SKILL):
            if kind and _enum(SkillKind, edge.node.props.get("kind")) != kind:
                continue
            result.append(_requirement(edge))
        result.sort(key=lambda r: r.relevance != Relevance.ESSENTIAL)  # stable: ids stay sorted
        return result

    @strawberry.field(
        description="Skills the occupation requires, as pages in skill id order (ESCO: up to "
        "340 a job), with their count; `relevance` keeps one kind of requirement."
    )
    async def skills_connection(
        self,
        info: strawberry.Info,
        relevance: RelevanceArg = None,
        first: FirstArg = DEFAULT_PAGE,
        after: AfterArg = None,
    ) -> Connection[SkillRequirement]:
        props = {"relevance": relevance.value} if relevance else {}
        page = await _page(
            info,
            self.raw.id,
            RelType.REQUIRES,
            Direction.OUT,
            NodeType.SKILL,
            first,
            after,
            labels_only=_reads_labels_only(info, REQUIREMENT_CONNECTION),
            **props,
        )
        requirements = {e.node.id: _requirement(e) for e in page.edges}
        return Connection.build(
            [e.node for e in page.edges],
            page.total_count,
            page.end_cursor,
            page.has_next_page,
            make=lambda n: requirements[n.id],
            has_previous_page=after is not None,
        )

    @strawberry.field(description="Curated transitions to other occupations (ROME mobilités).")
    async def mobilities(
        self,
        info: strawberry.Info,
        kind: Annotated[
            MobilityKind | None, strawberry.argument(description="Only this kind.")
        ] = None,
    ) -> list[Mobility]:
        props = {"kind": kind.value} if kind else {}
        edges = await _edges(info, self.raw.id, RelType.MOBILITY, Direction.OUT, **props)
        return [
            Mobility(
                occupation=Occupation(raw=e.node),
                kind=_enum(MobilityKind, e.rel.props.get("kind")),
                source=e.rel.props.get("source"),
            )
            for e in _of_type(edges, NodeType.OCCUPATION)
        ]

    @strawberry.field(
        description="Occupations people of this one were observed to move into (observed "
        "local mobility, `cartonet load lbb`): in an employment `area`, in the area of a "
        "`commune` (INSEE code), or merged over all areas when neither is given. Highest "
        "score first."
    )
    async def observed_mobilities(
        self,
        info: strawberry.Info,
        area: Annotated[
            str | None,
            strawberry.argument(description="Employment-area code (bassin d'emploi)."),
        ] = None,
        commune: Annotated[
            str | None,
            strawberry.argument(description="INSEE code of a commune: its employment area."),
        ] = None,
        first: FirstArg = DEFAULT_PAGE,
    ) -> list[ObservedMobility]:
        check_first(first)
        where = await observed_area(info, area, commune)
        moves = await info.context.loaders.observed_moves(where).load(self.raw.id)
        moves = moves[:first]
        nodes = await info.context.loaders.nodes.load_many([m.end for m in moves])
        return [
            ObservedMobility(
                occupation=Occupation(raw=node), score=m.score, area=m.area, areas=m.areas
            )
            for m, node in zip(moves, nodes, strict=True)
            if node is not None
        ]

    @strawberry.field(description="Trainings that prepare for this occupation.")
    async def trainings(self, info: strawberry.Info) -> list[Training]:
        nodes = await _linked(
            info, self.raw.id, RelType.PREPARES_FOR, Direction.IN, NodeType.TRAINING
        )
        return [Training(raw=n) for n in nodes]

    @strawberry.field(
        description="Trainings that prepare for this occupation, as pages in id order."
    )
    async def trainings_connection(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Training]:
        return await _linked_page(
            info, self.raw.id, RelType.PREPARES_FOR, Direction.IN, NodeType.TRAINING, first, after
        )

    @strawberry.field(description="The same occupation in other taxonomies.")
    async def same_as(self, info: strawberry.Info) -> list[SameAs]:
        return await _same_as(info, self.raw.id)

    @strawberry.field(
        description="Typical entry level on the scale shared by the taxonomies (European "
        "Qualifications Framework: 2 no diploma, 3 CAP/BEP, 4 Bac, 5 Bac+2, 6 Licence, "
        "7 Master, 8 Doctorat); null when the source does not say."
    )
    def entry_level(self) -> int | None:
        level = _float(self.raw.props.get("entryLevel"))
        return int(level) if level is not None else None

    @strawberry.field(
        description="Where `entryLevel` comes from: `rome-text` (ROME access text), `isco` "
        "(ISCO skill level of the occupation's group) or `onet-job-zone`."
    )
    def entry_level_from(self) -> str | None:
        return _str(self.raw.props.get("entryLevelFrom"))

    @strawberry.field(
        description="True when the source says the occupation requires a state diploma "
        "(ROME) or is a regulated profession (ESCO); null when it does not say."
    )
    def regulated(self) -> bool | None:
        value = self.raw.props.get("regulated")
        return value if isinstance(value, bool) else None

    @strawberry.field(description="The diploma a regulated occupation requires, when named.")
    def required_diploma(self) -> str | None:
        return _str(self.raw.props.get("requiredDiploma"))

    @strawberry.field(
        description="The source sentence(s) the entry requirements were read from, as written."
    )
    def entry_text(self) -> str | None:
        return _str(self.raw.props.get("entryText"))


@strawberry.type(
    description="A skill: savoir-faire (HARD), savoir (KNOWLEDGE) or savoir-être (SOFT)."
)
class Skill(NodeInterface):
    @strawberry.field(description="HARD, KNOWLEDGE or SOFT.")
    def kind(self) -> SkillKind | None:
        return _enum(SkillKind, self.raw.props.get("kind"))

    @strawberry.field(description="ESCO reuse level (transversal ... occupation-specific).")
    def reuse(self) -> Reuse | None:
        return _enum(Reuse, self.raw.props.get("reuse"))

    @strawberry.field(description="Direct parents: skill groups, or a broader skill.")
    async def broader(self, info: strawberry.Info) -> list[NodeInterface]:
        edges = await _edges(info, self.raw.id, RelType.BROADER, Direction.OUT)
        return [wrap(e.node) for e in edges]

    @strawberry.field(description="Narrower skills nested under this one.")
    async def narrower(self, info: strawberry.Info) -> list[Skill]:
        nodes = await _linked(info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.SKILL)
        return [Skill(raw=n) for n in nodes]

    @strawberry.field(
        description="Narrower skills nested under this one, as pages in id order with their count."
    )
    async def narrower_connection(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Skill]:
        return await _linked_page(
            info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.SKILL, first, after
        )

    @strawberry.field(description="Skill groups above it, nearest first.")
    async def groups(self, info: strawberry.Info) -> list[SkillGroup]:
        nodes = await ancestors(info, self.raw.id, NodeType.SKILL_GROUP)
        return [SkillGroup(raw=n) for n in nodes]

    @strawberry.field(description="Occupations that require this skill.")
    async def occupations(
        self,
        info: strawberry.Info,
        relevance: RelevanceArg = None,
        first: FirstArg = DEFAULT_PAGE,
        after: AfterArg = None,
    ) -> Connection[Occupation]:
        props = {"relevance": relevance.value} if relevance else {}
        return await _linked_page(
            info,
            self.raw.id,
            RelType.REQUIRES,
            Direction.IN,
            NodeType.OCCUPATION,
            first,
            after,
            **props,
        )

    @strawberry.field(description="Trainings that teach this skill.")
    async def trainings(self, info: strawberry.Info) -> list[Training]:
        nodes = await _linked(info, self.raw.id, RelType.TEACHES, Direction.IN, NodeType.TRAINING)
        return [Training(raw=n) for n in nodes]

    @strawberry.field(
        description="Trainings that teach this skill, as pages in id order with their count."
    )
    async def trainings_connection(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Training]:
        return await _linked_page(
            info, self.raw.id, RelType.TEACHES, Direction.IN, NodeType.TRAINING, first, after
        )

    @strawberry.field(description="The same skill in other taxonomies.")
    async def same_as(self, info: strawberry.Info) -> list[SameAs]:
        return await _same_as(info, self.raw.id)


@strawberry.type(description="A group of skills (ESCO skill pillar, ROME item tree).")
class SkillGroup(NodeInterface):
    @strawberry.field(description="Parent groups.")
    async def broader(self, info: strawberry.Info) -> list[SkillGroup]:
        nodes = await _linked(
            info, self.raw.id, RelType.BROADER, Direction.OUT, NodeType.SKILL_GROUP
        )
        return [SkillGroup(raw=n) for n in nodes]

    @strawberry.field(description="Sub-groups.")
    async def narrower(self, info: strawberry.Info) -> list[SkillGroup]:
        nodes = await _linked(
            info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.SKILL_GROUP
        )
        return [SkillGroup(raw=n) for n in nodes]

    @strawberry.field(description="Sub-groups, as pages in id order with their count.")
    async def narrower_connection(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[SkillGroup]:
        return await _linked_page(
            info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.SKILL_GROUP, first, after
        )

    @strawberry.field(description="Skills directly in this group.")
    async def skills(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Skill]:
        return await _linked_page(
            info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.SKILL, first, after
        )


@strawberry.type(description="A group of occupations (ISCO group, ROME domaine).")
class OccupationGroup(NodeInterface):
    @strawberry.field(description="Depth in its hierarchy when the source gives it.")
    def level(self) -> int | None:
        value = _float(self.raw.props.get("level"))
        return int(value) if value is not None else None

    @strawberry.field(description="Parent groups.")
    async def broader(self, info: strawberry.Info) -> list[OccupationGroup]:
        nodes = await _linked(
            info, self.raw.id, RelType.BROADER, Direction.OUT, NodeType.OCCUPATION_GROUP
        )
        return [OccupationGroup(raw=n) for n in nodes]

    @strawberry.field(description="Sub-groups.")
    async def narrower(self, info: strawberry.Info) -> list[OccupationGroup]:
        nodes = await _linked(
            info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.OCCUPATION_GROUP
        )
        return [OccupationGroup(raw=n) for n in nodes]

    @strawberry.field(description="Sub-groups, as pages in id order with their count.")
    async def narrower_connection(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[OccupationGroup]:
        return await _linked_page(
            info,
            self.raw.id,
            RelType.BROADER,
            Direction.IN,
            NodeType.OCCUPATION_GROUP,
            first,
            after,
        )

    @strawberry.field(description="Occupations directly in this group.")
    async def occupations(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Occupation]:
        return await _linked_page(
            info, self.raw.id, RelType.BROADER, Direction.IN, NodeType.OCCUPATION, first, after
        )


@strawberry.type(description="An interest dimension (RIASEC type).")
class Interest(NodeInterface):
    @strawberry.field(description="Interest scheme (e.g. RIASEC).")
    def scheme(self) -> str | None:
        return _str(self.raw.props.get("scheme"))

    @strawberry.field(description="Occupations matching this interest.")
    async def occupations(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Occupation]:
        return await _linked_page(
            info,
            self.raw.id,
            RelType.MATCHES_INTEREST,
            Direction.IN,
            NodeType.OCCUPATION,
            first,
            after,
        )


@strawberry.type(description="A course or certification. `illustrative` ones are not real offers.")
class Training(NodeInterface):
    @strawberry.field(description="Length in hours.")
    def duration_hours(self) -> float | None:
        return _float(self.raw.props.get("durationHours"))

    @strawberry.field(description="Level (e.g. a French qualification level).")
    def level(self) -> str | None:
        return _str(self.raw.props.get("level"))

    @strawberry.field(description="Certification it leads to.")
    def certification(self) -> str | None:
        return _str(self.raw.props.get("certification"))

    @strawberry.field(description="Who delivers it.")
    def provider(self) -> str | None:
        return _str(self.raw.props.get("provider"))

    @strawberry.field(description="True for made-up examples that are not a real offer.")
    def illustrative(self) -> bool:
        return bool(self.raw.props.get("illustrative", False))

    @strawberry.field(description="Skills it teaches.")
    async def teaches(self, info: strawberry.Info) -> list[Skill]:
        nodes = await _linked(info, self.raw.id, RelType.TEACHES, Direction.OUT, NodeType.SKILL)
        return [Skill(raw=n) for n in nodes]

    @strawberry.field(description="Skills it teaches, as pages in id order with their count.")
    async def teaches_connection(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Skill]:
        return await _linked_page(
            info, self.raw.id, RelType.TEACHES, Direction.OUT, NodeType.SKILL, first, after
        )

    @strawberry.field(description="Skills it expects on entry.")
    async def requires(self, info: strawberry.Info) -> list[Skill]:
        nodes = await _linked(info, self.raw.id, RelType.REQUIRES, Direction.OUT, NodeType.SKILL)
        return [Skill(raw=n) for n in nodes]

    @strawberry.field(description="Occupations it prepares for.")
    async def prepares_for(self, info: strawberry.Info) -> list[Occupation]:
        nodes = await _linked(
            info, self.raw.id, RelType.PREPARES_FOR, Direction.OUT, NodeType.OCCUPATION
        )
        return [Occupation(raw=n) for n in nodes]


@strawberry.type(description="One search hit.")
class SearchResult:
    node: NodeInterface = strawberry.field(description="The node found.")
    score: float = strawberry.field(description="0..100, higher is better.")
    matched_label: str = strawberry.field(description="The label (preferred or alt) that matched.")
    matched_lang: Lang | None = strawberry.field(
        description="Language of the label that matched (null when it has none)."
    )


@strawberry.type(description="What one load did to the items of one type.")
class LoadChange:
    kind: str = strawberry.field(
        description="node, relationship, or observed (observed mobility rows)."
    )
    type: str = strawberry.field(
        description="Node type, relationship type, or ObservedMove / AreaCommune."
    )
    added: int = strawberry.field(description="Items the store did not hold before.")
    updated: int = strawberry.field(description="Items whose content changed.")
    removed: int = strawberry.field(
        description="Items removed (a load with replace: what the source, or another release "
        "of it, held and the new data no longer has)."
    )
    taken_over: int = strawberry.field(
        description="Items already held, unchanged, under another source (an earlier "
        "release): this load now owns them."
    )


@strawberry.type(description="A file a load read, with its checksum.")
class LoadFile:
    name: str = strawberry.field(description="File name, relative to the folder loaded.")
    sha256: str = strawberry.field(description="SHA-256 of its bytes, hex.")


@strawberry.type(description="How many items of one type a load's data held.")
class TypeCount:
    type: str = strawberry.field(description="Node type or relationship type.")
    count: int = strawberry.field(description="Distinct items of that type.")


@strawberry.type(description="One load of the store's history (also loads that changed nothing).")
class LoadRecord:
    seq: int = strawberry.field(description="Order of the load in the history (1 = first).")
    source: str = strawberry.field(description="Source the load wrote, e.g. esco-v1.1.1.")
    release: str | None = strawberry.field(
        description="Release part of the source name (v1.1.1), null when it has none."
    )
    kind: str = strawberry.field(description="graph, or observed-mobility.")
    loaded_at: str = strawberry.field(description="When the write began (ISO 8601, UTC).")
    duration_seconds: float = strawberry.field(description="Read plus write time, in seconds.")
    read_seconds: float | None = strawberry.field(
        description="Time reading the files, in seconds (null when not measured)."
    )
    write_seconds: float = strawberry.field(description="Time writing the store, in seconds.")
    version: str = strawberry.field(description="Graph version after the load.")
    replace: bool = strawberry.field(
        description="Whether the load removed what the data no longer has."
    )
    warnings: int = strawberry.field(description="Warnings of the reading (rows left out...).")
    files: list[LoadFile] = strawberry.field(description="The files read, with checksums.")
    counts: list[TypeCount] = strawberry.field(description="The data's items per type.")
    changes: list[LoadChange] = strawberry.field(
        description="What the load changed, per type (types it left alone are not listed)."
    )

    @classmethod
    def of(cls, r: LoadRecordModel) -> LoadRecord:
        return cls(
            seq=r.seq,
            source=r.source,
            release=r.release,
            kind=r.kind,
            loaded_at=r.loaded_at,
            duration_seconds=r.duration_seconds,
            read_seconds=r.read_seconds,
            write_seconds=r.write_seconds,
            version=r.version,
            replace=r.replace,
            warnings=r.warnings,
            files=[LoadFile(name=n, sha256=d) for n, d in r.files],
            counts=[TypeCount(type=t, count=n) for t, n in r.counts.items()],
            changes=[
                LoadChange(
                    kind=c.kind,
                    type=c.type,
                    added=c.added,
                    updated=c.updated,
                    removed=c.removed,
                    taken_over=c.taken_over,
                )
                for c in r.changes
            ],
        )


@strawberry.type(description="Counts of the graph and its version.")
class Stats:
    occupations: int = strawberry.field(description="Occupation nodes.")
    skills: int = strawberry.field(description="Skill nodes.")
    trainings: int = strawberry.field(description="Training nodes.")
    interests: int = strawberry.field(description="Interest nodes.")
    groups: int = strawberry.field(description="Occupation and skill group nodes.")
    relations: int = strawberry.field(description="Relationships of every type.")
    version: str = strawberry.field(description="Changes exactly when a load changes the graph.")

    @strawberry.field(
        description="The load history, newest first: source, release, time, duration, files "
        "with their SHA-256, items per type and what each load changed."
    )
    async def loads(
        self,
        info: strawberry.Info,
        source: Annotated[
            str | None, strawberry.argument(description="Only the loads of this source.")
        ] = None,
        first: FirstArg = DEFAULT_PAGE,
    ) -> list[LoadRecord]:
        check_first(first)
        records = await info.context.read(info.context.store.load_history(source, first))
        return [LoadRecord.of(r) for r in records]


_CLASSES: dict[NodeType, type[NodeInterface]] = {
    NodeType.OCCUPATION: Occupation,
    NodeType.SKILL: Skill,
    NodeType.SKILL_GROUP: SkillGroup,
    NodeType.OCCUPATION_GROUP: OccupationGroup,
    NodeType.INTEREST: Interest,
    NodeType.TRAINING: Training,
}

NODE_TYPES: tuple[type[NodeInterface], ...] = tuple(_CLASSES.values())
"""Every concrete node type, for ``strawberry.Schema(types=...)``."""


def _lang_code(lang: Any) -> str:
    # a default comes as the Python enum, a literal or a variable as its value ("fr")
    return lang.value if isinstance(lang, Lang) else str(lang)


# Plain functions for the node fields every answer is full of (a suggestion list of 30
# occupations with their missing skills in two languages is ~4,000 of them): the same
# values as the methods of ``NodeInterface``, without Strawberry's per-call work (an Info
# object, argument conversion, the extension chain), about a fifth of such a request.
_DIRECT_NODE_FIELDS: dict[str, Callable[..., Any]] = {
    "id": lambda node, info: node.raw.id,
    "label": lambda node, info, lang=Lang.FR: node.raw.label(_lang_code(lang)),
    "source": lambda node, info: node.raw.source,
    "code": lambda node, info: _str(node.raw.props.get("code")),
}


INFO_FREE_RESOLVERS: set[Callable[..., Any]] = set(_DIRECT_NODE_FIELDS.values())
"""Resolvers that never read their info argument (the plain functions installed by
:func:`resolve_node_fields_directly` and :func:`resolve_attributes_directly`): the
executor of :mod:`cartonet.api.documents` calls them on leaf fields without building one."""


def _attribute(name: str) -> Callable[[Any, Any], Any]:
    def get(source: Any, info: Any) -> Any:
        return getattr(source, name)

    INFO_FREE_RESOLVERS.add(get)
    return get


def _cursor_of(edge: ConnectionEdge[Any], info: Any) -> str:
    return encode_cursor(edge.item_id)


INFO_FREE_RESOLVERS.add(_cursor_of)


def resolve_attributes_directly(schema: strawberry.Schema) -> dict[tuple[str, str], Any]:
    """Resolve every plain attribute field (no resolver, no extension: ``total_count``,
    ``edges``, ``node``, ``page_info``...) and the edges' ``cursor`` with plain functions.

    Strawberry already skips its ``Info`` object for such fields, but still goes through
    two more calls per field; a page of 50 items has about 150 of them. The schema and
    the answers are unchanged (the getter reads the same attribute Strawberry's default
    resolver reads). Returns the replaced resolvers by ``(type name, field name)``.
    """
    replaced: dict[tuple[str, str], Any] = {}
    converter = schema.config.name_converter
    for name, gql_type in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(gql_type, GraphQLObjectType):
            continue
        definition = schema.get_type_by_name(name)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        for field in definition.fields:
            gql_name = converter.get_graphql_name(field)
            gql_field = gql_type.fields.get(gql_name)
            if gql_field is None or field.extensions:
                continue
            if field.base_resolver is None:
                if not getattr(gql_field.resolve, "_is_default", False):
                    continue  # Strawberry wraps it for a reason (exception handlers)
                direct: Any = _attribute(field.python_name)
            elif field.base_resolver.wrapped_func is _edge_cursor:
                direct = _cursor_of
            else:
                continue
            replaced[(name, gql_name)] = gql_field.resolve
            gql_field.resolve = direct
    return replaced


def resolve_node_fields_directly(schema: strawberry.Schema) -> dict[tuple[str, str], Any]:
    """Resolve ``id``, ``label``, ``source`` and ``code`` of every node type with plain
    functions (:data:`_DIRECT_NODE_FIELDS`) instead of Strawberry's resolver wrappers.

    The schema (names, arguments, defaults, descriptions) and the answers are unchanged:
    only the callables graphql-core runs differ, and only where the type still inherits
    the field from :class:`NodeInterface` (a type that overrides one keeps its own).
    Returns the replaced resolvers by ``(type name, field name)``, so a caller (a test)
    can put them back and compare.
    """
    ours = {
        f.python_name: f.base_resolver.wrapped_func
        for f in NodeInterface.__strawberry_definition__.fields  # type: ignore[attr-defined]
        if f.base_resolver is not None
    }
    replaced: dict[tuple[str, str], Any] = {}
    for cls in NODE_TYPES:
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        gql_type = schema._schema.type_map[definition.name]
        fields = {f.python_name: f for f in definition.fields}
        for name, direct in _DIRECT_NODE_FIELDS.items():
            resolver = fields[name].base_resolver
            if resolver is None or resolver.wrapped_func is not ours[name]:
                continue  # defined again below NodeInterface: not ours to bypass
            field = gql_type.fields[name]  # type: ignore[attr-defined]
            replaced[(definition.name, name)] = field.resolve
            field.resolve = direct
    return replaced
