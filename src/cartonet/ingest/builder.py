"""Accumulate nodes and relationships while reading files, then freeze them into a Dataset.

Loaders fill labels from several files (English file, French file, older French file...),
so nodes are kept as mutable drafts until the end; :meth:`DatasetBuilder.build` turns
them into frozen :class:`~cartonet.model.Node` objects, sorted by id, with relationships
sorted by ``(type, start, end)``, so two loads of the same files give equal datasets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cartonet.ingest.labels import unique
from cartonet.model import Dataset, Node, NodeType, Relationship, Relevance, RelType

RELEVANCE_WEIGHT: dict[Relevance, float] = {Relevance.ESSENTIAL: 1.0, Relevance.OPTIONAL: 0.5}
"""Weight of a REQUIRES edge by relevance, for every loader: an optional skill counts half
an essential one in overlap scores. A modelling choice, not a figure of ESCO or ROME."""


def one_line(label: str) -> str:
    """A label with runs of white space (double spaces, stray newlines) made one space."""
    return " ".join(label.split())


@dataclass(slots=True)
class Draft:
    id: str
    type: NodeType
    source: str
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    props: dict[str, Any] = field(default_factory=dict)

    def set_label(self, lang: str, label: str, *, overwrite: bool = False) -> None:
        label = one_line(label)
        if label and (overwrite or not self.labels.get(lang)):
            self.labels[lang] = label

    def add_alt(self, lang: str, labels: Iterable[str]) -> None:
        current = self.alt_labels.setdefault(lang, [])
        current.extend(unique((one_line(x) for x in labels), exclude=current))

    def set_description(self, lang: str, text: str, *, overwrite: bool = False) -> None:
        text = text.strip()
        if text and (overwrite or not self.descriptions.get(lang)):
            self.descriptions[lang] = text

    def freeze(self) -> Node:
        alt: dict[str, tuple[str, ...]] = {}
        for lang, labels in sorted(self.alt_labels.items()):
            kept = unique(labels, exclude=[self.labels.get(lang, "")])
            if kept:
                alt[lang] = tuple(kept)
        return Node(
            id=self.id,
            type=self.type,
            labels=dict(sorted(self.labels.items())),
            source=self.source,
            alt_labels=alt,
            descriptions=dict(sorted(self.descriptions.items())),
            props={k: v for k, v in sorted(self.props.items()) if v is not None},
        )


class DatasetBuilder:
    """Nodes by id and relationships by key for one source release."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.nodes: dict[str, Draft] = {}
        self.rels: dict[tuple[str, str, str], Relationship] = {}

    def add_node(self, node_id: str, type: NodeType, **props: Any) -> Draft:
        draft = Draft(node_id, type, self.source, props=dict(props))
        self.nodes[node_id] = draft
        return draft

    def get(self, node_id: str) -> Draft | None:
        return self.nodes.get(node_id)

    def type_of(self, node_id: str) -> NodeType | None:
        draft = self.nodes.get(node_id)
        return draft.type if draft else None

    def add_rel(self, type: RelType, start: str, end: str, **props: Any) -> Relationship:
        rel = Relationship(type, start, end, props)
        self.rels[rel.key] = rel
        return rel

    def has_rel(self, type: RelType, start: str, end: str) -> Relationship | None:
        return self.rels.get((type.value, start, end))

    def build(self, read_counts: dict[str, int], warnings: list[str]) -> Dataset:
        return Dataset(
            source=self.source,
            nodes=[self.nodes[k].freeze() for k in sorted(self.nodes)],
            relationships=[self.rels[k] for k in sorted(self.rels)],
            read_counts=dict(read_counts),
            warnings=list(warnings),
        )
