"""Whether a query reads anything of a nested list's nodes but their labels, and whether
it reads a looked-up node's texts.

``{ skill(id: ...) { occupations(first: 20) { edges { node { id label } } } } }`` shows 20
occupations by id and label only. On Neo4j a node's other properties (an occupation's
entry level, ISCO group, code...) are up to half of what a nested read sends, and reading
them a tenth to a fifth of the server's CPU for the statement, so a nested resolver whose
selection reads nothing else asks the store for labels only (``labels_only=True``, see
:meth:`cartonet.store.base.Store.neighbours`).

The check is strict, so that a node read with its labels only never meets a resolver
that reads more: where the node sits in the field's answer is described by a
:data:`Shape`, and the selection fits only when every field it names is one the shape
allows, and at the node's place only ``id``, ``label``, ``type``, ``source`` and
``__typename``. A fragment anywhere on the way, or any other field, and the resolver reads
as before (texts left out, everything else whole).

A lookup by id that reads a nested list in the same statement (:mod:`cartonet.api.prefetch`)
reads the looked-up node without its descriptions and alternative labels unless its
selection names them (:func:`reads_texts`); a resolver that needs them after all reads the
whole node, as for any partial node.

>>> from graphql import parse
>>> def field(text):
...     return parse(text).definitions[0].selection_set.selections[0]
>>> fits([field("{ occupations { totalCount edges { node { id label(lang: EN) } } } }")],
...      NODE_CONNECTION)
True
>>> fits([field("{ occupations { edges { node { id entryLevel } } } }")], NODE_CONNECTION)
False
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphql import FieldNode, SelectionSetNode

LABEL_FIELDS = frozenset({"id", "label", "type", "source", "__typename"})
"""Fields of a node answered from its id, type, source and labels."""


class _Anything:
    """A place whose selection reads nothing of the nodes (a count, a cursor, an edge's
    own properties): any selection fits."""

    def __repr__(self) -> str:
        return "ANYTHING"


ANYTHING = _Anything()
NODE = None
"""The place of the nested nodes themselves."""

Shape = Mapping[str, Any] | _Anything | None
"""Where the nodes sit in a field's answer: :data:`NODE` (the field's items are the
nodes), :data:`ANYTHING`, or a mapping from the field names allowed at that level to the
shape below each."""

NODE_CONNECTION: Shape = {
    "totalCount": ANYTHING,
    "pageInfo": ANYTHING,
    "edges": {"cursor": ANYTHING, "node": NODE},
}
"""A page of nodes (:class:`cartonet.api.types.Connection`)."""

REQUIREMENTS: Shape = {"skill": NODE, "relevance": ANYTHING, "weight": ANYTHING}
"""A list of skill requirements (``Occupation.skills``)."""

REQUIREMENT_CONNECTION: Shape = {
    "totalCount": ANYTHING,
    "pageInfo": ANYTHING,
    "edges": {"cursor": ANYTHING, "node": REQUIREMENTS},
}
"""A page of skill requirements (``Occupation.skillsConnection``)."""


TEXT_FIELDS = frozenset({"description", "altLabels"})
"""Fields of a node answered from its descriptions and alternative labels."""


def reads_texts(field_nodes: Sequence[FieldNode]) -> bool:
    """Whether the selections of a field answering with one node (a lookup by id) read
    its descriptions or alternative labels; a fragment on the node counts as reading them
    (not looked into).

    >>> from graphql import parse
    >>> def lookup(text):
    ...     return parse(text).definitions[0].selection_set.selections
    >>> reads_texts(lookup("{ occupation { id skills { skill { description } } } }"))
    False
    >>> reads_texts(lookup("{ occupation { id altLabels(lang: EN) } }"))
    True
    """
    for node in field_nodes:
        if node.selection_set is None:
            continue
        for selection in node.selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.name.value in TEXT_FIELDS:
                return True
    return False


def fits(field_nodes: Sequence[FieldNode], shape: Shape) -> bool:
    """Whether the selections of one field (``field_nodes``: every occurrence of it in
    the query, as graphql-core merges them) read only labels of the nodes at ``shape``'s
    :data:`NODE` place. See the module's example."""
    return all(_fits(node.selection_set, shape) for node in field_nodes)


def _fits(selection_set: SelectionSetNode | None, shape: Shape) -> bool:
    if isinstance(shape, _Anything):
        return True
    if selection_set is None:  # an object without a selection: not a valid query anyway
        return False
    for selection in selection_set.selections:
        if not isinstance(selection, FieldNode):
            return False  # a fragment: not looked into
        name = selection.name.value
        if shape is NODE:
            if name not in LABEL_FIELDS:
                return False
        elif name != "__typename":
            if name not in shape:
                return False
            if not _fits(selection.selection_set, shape[name]):
                return False
    return True
