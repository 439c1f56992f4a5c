"""The GraphQL schema: the root Query, composed of parts.

The root ``Query`` is merged (``strawberry.tools.merge_types``) from the classes in
:data:`QUERY_PARTS`. A module that adds fields writes its own ``@strawberry.type`` class
(e.g. ``OrientationQuery`` in ``cartonet/api/orientation.py``), reuses the node types and
:func:`cartonet.api.types.wrap` from :mod:`cartonet.api.types`, reads the store and loaders
from ``info.context`` (:class:`cartonet.api.context.Context`), and is added to
:data:`QUERY_PARTS` (or passed to :func:`build_schema`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Annotated

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from cartonet.errors import InvalidArgument
from cartonet.model import NodeType
from cartonet.store.base import MAX_PAGE, NodeFilter, check_first, decode_cursor

from .context import Context
from .errors import ShapeErrors
from .limits import Limits, LimitsExtension
from .orientation import OrientationQuery
from .pilotage import PilotageQuery
from .prefetch import prefetch_key
from .selection import reads_texts
from .types import (
    DEFAULT_PAGE,
    NODE_TYPES,
    AfterArg,
    Connection,
    FirstArg,
    Interest,
    Lang,
    NodeInterface,
    Occupation,
    OccupationGroup,
    SearchResult,
    Skill,
    SkillGroup,
    SkillKind,
    Stats,
    Training,
    resolve_attributes_directly,
    resolve_node_fields_directly,
    wrap,
    wrap_as,
)

MAX_SEARCH_TEXT = 200
"""Longest search text accepted: labels are short, and fuzzy matching cost grows with it."""

IdArg = Annotated[
    strawberry.ID,
    strawberry.argument(description="The node's id (an ESCO URI, rome:M1805, riasec:S...)."),
]
TextArg = Annotated[
    str | None,
    strawberry.argument(
        description="Keep nodes whose labels (any language, preferred or alternative) "
        f"contain this text, case and accents ignored; at most {MAX_SEARCH_TEXT} characters."
    ),
]
GroupArg = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Keep nodes under this group id (at any depth)."),
]
KindArg = Annotated[SkillKind | None, strawberry.argument(description="Keep skills of this kind.")]
QUERY_DESCRIPTION = (
    "The skills graph: lookups by id, lists, label search and stats, and the orientation "
    "engine (similar occupations, suggestions from a profile, skill gaps, career paths, the map)."
)


def _ctx(info: strawberry.Info) -> Context:
    return info.context


async def _lookup(info: strawberry.Info, node_id: str, node_type: NodeType) -> object:
    loaders = _ctx(info).loaders
    # A nested list selected under the lookup comes in the same read (cartonet.api.prefetch),
    # and the node's texts with it only when the query reads them.
    nested = prefetch_key(info, node_type)
    if nested is None:
        loader = loaders.nodes
    else:
        loader = loaders.nodes_with(nested, reads_texts(info._raw_info.field_nodes))
    return wrap_as(await loader.load(str(node_id)), node_type)


async def _list(
    info: strawberry.Info,
    node_type: NodeType,
    first: int,
    after: str | None,
    *,
    text: str | None = None,
    group: strawberry.ID | None = None,
    kind: SkillKind | None = None,
) -> Connection[object]:
    flt = NodeFilter(
        text=_text(text), group=str(group) if group else None, kind=kind.value if kind else None
    )
    check_first(first)
    decode_cursor(after)  # a malformed cursor is the caller's error, whatever the store says
    ctx = _ctx(info)
    # Labels and properties only: a query selecting descriptions or alternative labels
    # gets them through the nodes loader (see cartonet.api.loaders), one batched read.
    page = await ctx.read(ctx.store.list_nodes(node_type, flt, first, after, text=False))
    ctx.loaders.prime_whole(page.items)
    return Connection.build(
        page.items,
        page.total_count,
        page.end_cursor,
        page.has_next_page,
        has_previous_page=after is not None,  # keyset pages: the cursor's item came before
    )


def _text(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > MAX_SEARCH_TEXT:
        raise InvalidArgument("text", f"at most {MAX_SEARCH_TEXT} characters, got {len(text)}")
    return text or None


@strawberry.type
class CoreQuery:
    """Lookups, lists, search and stats over the graph."""

    @strawberry.field(description="Any node by id; null when unknown.")
    async def node(self, info: strawberry.Info, id: IdArg) -> NodeInterface | None:
        return wrap(await _ctx(info).loaders.nodes.load(str(id)))

    @strawberry.field(description=f"Nodes by id, in the order asked (at most {MAX_PAGE}).")
    async def nodes(
        self,
        info: strawberry.Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description=f"At most {MAX_PAGE} ids.")
        ],
    ) -> list[NodeInterface | None]:
        if len(ids) > MAX_PAGE:
            raise InvalidArgument("ids", f"at most {MAX_PAGE} ids, got {len(ids)}")
        found = await _ctx(info).loaders.nodes.load_many([str(i) for i in ids])
        return [wrap(n) for n in found]

    @strawberry.field(description="An occupation by id; null when unknown.")
    async def occupation(self, info: strawberry.Info, id: IdArg) -> Occupation | None:
        return await _lookup(info, id, NodeType.OCCUPATION)  # type: ignore[return-value]

    @strawberry.field(description="A skill by id; null when unknown.")
    async def skill(self, info: strawberry.Info, id: IdArg) -> Skill | None:
        return await _lookup(info, id, NodeType.SKILL)  # type: ignore[return-value]

    @strawberry.field(description="A training by id; null when unknown.")
    async def training(self, info: strawberry.Info, id: IdArg) -> Training | None:
        return await _lookup(info, id, NodeType.TRAINING)  # type: ignore[return-value]

    @strawberry.field(description="An interest by id; null when unknown.")
    async def interest(self, info: strawberry.Info, id: IdArg) -> Interest | None:
        return await _lookup(info, id, NodeType.INTEREST)  # type: ignore[return-value]

    @strawberry.field(description="A skill group by id; null when unknown.")
    async def skill_group(self, info: strawberry.Info, id: IdArg) -> SkillGroup | None:
        return await _lookup(info, id, NodeType.SKILL_GROUP)  # type: ignore[return-value]

    @strawberry.field(description="An occupation group by id; null when unknown.")
    async def occupation_group(self, info: strawberry.Info, id: IdArg) -> OccupationGroup | None:
        return await _lookup(info, id, NodeType.OCCUPATION_GROUP)  # type: ignore[return-value]

    @strawberry.field(
        description="Occupations in id order. `text` keeps labels containing it (any language, "
        "case and accents ignored); `group` keeps occupations under that group id."
    )
    async def occupations(
        self,
        info: strawberry.Info,
        text: TextArg = None,
        group: GroupArg = None,
        first: FirstArg = DEFAULT_PAGE,
        after: AfterArg = None,
    ) -> Connection[Occupation]:
        return await _list(info, NodeType.OCCUPATION, first, after, text=text, group=group)  # type: ignore[return-value]

    @strawberry.field(description="Skills in id order, filtered by `text`, `kind` and `group`.")
    async def skills(
        self,
        info: strawberry.Info,
        text: TextArg = None,
        kind: KindArg = None,
        group: GroupArg = None,
        first: FirstArg = DEFAULT_PAGE,
        after: AfterArg = None,
    ) -> Connection[Skill]:
        return await _list(info, NodeType.SKILL, first, after, text=text, group=group, kind=kind)  # type: ignore[return-value]

    @strawberry.field(description="Trainings in id order, filtered by `text`.")
    async def trainings(
        self,
        info: strawberry.Info,
        text: TextArg = None,
        first: FirstArg = DEFAULT_PAGE,
        after: AfterArg = None,
    ) -> Connection[Training]:
        return await _list(info, NodeType.TRAINING, first, after, text=text)  # type: ignore[return-value]

    @strawberry.field(description="Interests in id order.")
    async def interests(
        self, info: strawberry.Info, first: FirstArg = DEFAULT_PAGE, after: AfterArg = None
    ) -> Connection[Interest]:
        return await _list(info, NodeType.INTEREST, first, after)  # type: ignore[return-value]

    @strawberry.field(description="Occupation groups in id order, filtered by `text`, `group`.")
    async def occupation_groups(
        self,
        info: strawberry.Info,
        text: TextArg = None,
        group: GroupArg = None,
        first: FirstArg = DEFAULT_PAGE,
        after: AfterArg = None,
    ) -> Connection[OccupationGroup]:
        return await _list(info, NodeType.OCCUPATION_GROUP, first, after, text=text, group=group)  # type: ignore[return-value]

    @strawberry.field(description="Skill groups in id order, filtered by `text`, `group`.")
    async def skill_groups(
        self,
        info: strawberry.Info,
        text: TextArg = None,
        group: GroupArg = None,
        first: FirstArg = DEFAULT_PAGE,
        after: AfterArg = None,
    ) -> Connection[SkillGroup]:
        return await _list(info, NodeType.SKILL_GROUP, first, after, text=text, group=group)  # type: ignore[return-value]

    @strawberry.field(
        description="Nodes whose preferred or alternative labels match `text`, best first: "
        "case- and accent-insensitive, typo-tolerant. `kinds` restricts node types; `lang` "
        "restricts the labels matched to one language."
    )
    async def search(
        self,
        info: strawberry.Info,
        text: Annotated[
            str,
            strawberry.argument(
                description=f"What to look for, at most {MAX_SEARCH_TEXT} characters."
            ),
        ],
        kinds: Annotated[
            list[NodeType] | None,
            strawberry.argument(description="Only nodes of these types (default: all)."),
        ] = None,
        lang: Annotated[
            Lang | None,
            strawberry.argument(description="Only match labels in this language (default: both)."),
        ] = None,
        first: Annotated[
            int, strawberry.argument(description=f"How many hits, 0 to {MAX_PAGE}.")
        ] = 10,
    ) -> list[SearchResult]:
        query = _text(text)
        if query is None:
            raise InvalidArgument("text", "must not be empty")
        check_first(first)
        ctx = _ctx(info)
        hits = await ctx.read(
            ctx.store.search(
                query, list(kinds) if kinds else None, lang.value if lang else None, first
            )
        )
        results = []
        for hit in hits:
            ctx.loaders.nodes.prime(hit.node.id, hit.node)
            results.append(
                SearchResult(
                    node=wrap(hit.node),  # type: ignore[arg-type]
                    score=round(float(hit.score), 2),
                    matched_label=hit.matched_label,
                    matched_lang=Lang(hit.matched_lang)
                    if hit.matched_lang in ("fr", "en")
                    else None,
                )
            )
        return results

    @strawberry.field(description="Counts of the graph and its version.")
    async def stats(self, info: strawberry.Info) -> Stats:
        ctx = _ctx(info)
        s = await ctx.read(ctx.store.stats())
        return Stats(
            occupations=s.occupations,
            skills=s.skills,
            trainings=s.trainings,
            interests=s.interests,
            groups=s.groups,
            relations=s.relations,
            version=s.version,
        )

    @strawberry.field(
        description="The employment area (bassin d'emploi) of an INSEE commune code, as the "
        "observed local mobility uses it (`cartonet load lbb`); null when the service knows no "
        "area for it (an unknown code, or observed mobility not loaded). A page checks a "
        "seeker's commune with it before sending it in a profile."
    )
    async def employment_area(
        self,
        info: strawberry.Info,
        commune: Annotated[
            str, strawberry.argument(description="INSEE code of the commune (5 characters).")
        ],
    ) -> str | None:
        code = commune.strip()
        if not code or len(code) > 10:
            raise InvalidArgument("commune", "an INSEE commune code of 5 characters")
        ctx = _ctx(info)
        found = await ctx.read(ctx.store.area_of_commune(code.upper()))
        return None if found is None else str(found)


QUERY_PARTS: tuple[type, ...] = (CoreQuery, OrientationQuery, PilotageQuery)
"""The classes merged into the root ``Query``. Add a module's query class here."""


class CartonetSchema(strawberry.Schema):
    """Errors are logged once, by :class:`cartonet.api.errors.ShapeErrors` (internal ones
    with their traceback, user errors not at all); Strawberry's default logging of every
    error with a traceback is turned off."""

    def process_errors(self, errors: object, execution_context: object = None) -> None:
        return None


def build_schema(
    query_parts: Sequence[type] = QUERY_PARTS,
    limits: Limits | None = None,
    mutation_parts: Sequence[type] = (),
    *,
    direct_node_fields: bool = True,
) -> strawberry.Schema:
    """The schema: ``Query`` merged from ``query_parts``, optional ``Mutation`` merged
    from ``mutation_parts``, with error shaping and the query limits of ``limits`` on
    ``schema.execute`` (``/graphql`` checks the same limits itself, with a cache:
    :mod:`cartonet.api.documents`). ``direct_node_fields``: resolve the nodes' ``id``,
    ``label``, ``source`` and ``code``, every plain attribute field and the edges'
    ``cursor`` with plain functions (:func:`cartonet.api.types.resolve_node_fields_directly`,
    :func:`cartonet.api.types.resolve_attributes_directly`; same answers, less work)."""
    query = merge_types("Query", tuple(query_parts))
    query.__strawberry_definition__.description = QUERY_DESCRIPTION  # type: ignore[attr-defined]
    mutation = merge_types("Mutation", tuple(mutation_parts)) if mutation_parts else None
    if mutation is not None:
        mutation.__strawberry_definition__.description = "Changes to the graph."  # type: ignore[attr-defined]
    schema = CartonetSchema(
        query=query,
        mutation=mutation,
        types=NODE_TYPES,
        extensions=[ShapeErrors, partial(LimitsExtension, limits or Limits())],
        config=StrawberryConfig(disable_field_suggestions=False),
    )
    if direct_node_fields:
        resolve_node_fields_directly(schema)
        resolve_attributes_directly(schema)
    return schema
