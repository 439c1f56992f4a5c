"""A minimal reader of the real ESCO v1.1.1 CSV files into a :class:`Dataset`.

Test support only: it gives the store tests (and ``bench/store_embedded.py``) the real
taxonomy at full scale without depending on the ingest package. It keeps what the store
needs to be exercised realistically (labels and alt labels in both languages, groups,
hierarchies, occupation–skill relations) and nothing more; the real loader lives in
:mod:`cartonet.ingest`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from cartonet.model import (
    Dataset,
    Node,
    NodeType,
    Relationship,
    Relevance,
    RelType,
    SkillKind,
)

SOURCE = "esco-v1.1.1"
_GROUP_TYPES = {
    "ISCOGroup": NodeType.OCCUPATION_GROUP,
    "SkillGroup": NodeType.SKILL_GROUP,
    "Occupation": NodeType.OCCUPATION,
    "KnowledgeSkillCompetence": NodeType.SKILL,
}


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _alts(cell: str | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in (cell or "").replace(" | ", "\n").split("\n"):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


def _french(path: Path) -> dict[str, dict[str, str]]:
    return {row["conceptUri"]: row for row in _rows(path)} if path.exists() else {}


def read_esco(
    root: Path, *, skills: bool = True, groups: bool = True, relations: bool = True
) -> Dataset:
    """ESCO v1.1.1 under ``root`` (the folder holding ``v1.1.1`` and ``v1.0_fr_labels``)."""
    v111 = root / "v1.1.1"
    nodes: dict[str, Node] = {}

    def add(uri: str, type_: NodeType, en: dict[str, str], fr: dict[str, str] | None, **props):
        labels = {"en": en["preferredLabel"].strip()}
        alts = {"en": _alts(en.get("altLabels"))}
        descriptions = {"en": (en.get("description") or "").strip()}
        if fr and fr.get("preferredLabel"):
            labels["fr"] = fr["preferredLabel"].strip()
            alts["fr"] = _alts(fr.get("altLabels"))
            descriptions["fr"] = (fr.get("description") or "").strip()
        nodes[uri] = Node(
            id=uri,
            type=type_,
            labels=labels,
            source=SOURCE,
            alt_labels={k: v for k, v in alts.items() if v},
            descriptions={k: v for k, v in descriptions.items() if v},
            props={k: v for k, v in props.items() if v not in (None, "")},
        )

    fr_occ = _french(v111 / "fr" / "occupations_fr.csv")
    for row in _rows(v111 / "en" / "occupations_en.csv"):
        uri = row["conceptUri"]
        add(
            uri,
            NodeType.OCCUPATION,
            row,
            fr_occ.get(uri),
            code=row["code"],
            iscoGroup=row["iscoGroup"],
            status=row["status"],
        )
    if skills:
        fr_skill = _french(root / "v1.0_fr_labels" / "skills_fr.csv")
        soft = {r["conceptUri"] for r in _rows(v111 / "en" / "transversalSkillsCollection_en.csv")}
        for row in _rows(v111 / "en" / "skills_en.csv"):
            uri = row["conceptUri"]
            if uri in soft:
                kind = SkillKind.SOFT
            elif row["skillType"] == "knowledge":
                kind = SkillKind.KNOWLEDGE
            else:
                kind = SkillKind.HARD
            add(
                uri,
                NodeType.SKILL,
                row,
                fr_skill.get(uri),
                kind=kind.value,
                reuse=row["reuseLevel"],
                status=row["status"],
            )
    if groups:
        fr_isco = _french(v111 / "fr" / "ISCOGroups_fr.csv")
        for row in _rows(v111 / "en" / "ISCOGroups_en.csv"):
            add(
                row["conceptUri"],
                NodeType.OCCUPATION_GROUP,
                row,
                fr_isco.get(row["conceptUri"]),
                code=row["code"],
            )
        fr_sg = _french(v111 / "fr" / "skillGroups_fr.csv")
        for row in _rows(v111 / "en" / "skillGroups_en.csv"):
            add(
                row["conceptUri"],
                NodeType.SKILL_GROUP,
                row,
                fr_sg.get(row["conceptUri"]),
                code=row["code"],
            )

    rels: dict[tuple[str, str, str], Relationship] = {}
    if relations:
        rel_dir = v111 / "relations"
        if skills:
            for row in _rows(rel_dir / "occupationSkillRelations.csv"):
                start, end = row["occupationUri"], row["skillUri"]
                if start in nodes and end in nodes:
                    rel = Relationship(
                        RelType.REQUIRES,
                        start,
                        end,
                        {"relevance": Relevance(row["relationType"].upper()).value},
                    )
                    rels[rel.key] = rel
        if groups:
            pillars = ["broaderRelationsOccPillar.csv"]
            if skills:
                pillars.append("broaderRelationsSkillPillar.csv")
            for name in pillars:
                for row in _rows(rel_dir / name):
                    start, end = row["conceptUri"], row["broaderUri"]
                    if start in nodes and end in nodes:
                        rel = Relationship(RelType.BROADER, start, end)
                        rels[rel.key] = rel
    return Dataset(source=SOURCE, nodes=list(nodes.values()), relationships=list(rels.values()))
