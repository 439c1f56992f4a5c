"""A tiny, made-up graph for the examples in docstrings and for unit tests.

Everything here is **illustrative**: every node's description says so, its ``source`` is
``illustrative-demo``, and the trainings carry ``illustrative: true`` (the one node type
with that property). Six occupations, ten skills under three skill groups, two occupation
groups, three RIASEC interests and three trainings. Real taxonomies are loaded by
:mod:`cartonet.ingest`.
"""

from __future__ import annotations

import networkx as nx

from cartonet.model import Dataset, Node, NodeType, Relationship, RelType
from cartonet.orientation.projection import graph_from_dataset

SOURCE = "illustrative-demo"
NOTE = {
    "en": "Illustrative example made up for documentation and tests; not a real taxonomy entry.",
    "fr": "Exemple illustratif inventé pour la documentation et les tests ; pas une entrée réelle.",
}


def _node(node_id: str, node_type: NodeType, en: str, fr: str, **props: object) -> Node:
    return Node(
        id=f"demo:{node_id}",
        type=node_type,
        labels={"en": en, "fr": fr},
        source=SOURCE,
        descriptions=NOTE,
        props={**props, "illustrative": True} if node_type == NodeType.TRAINING else props,
    )


def demo_dataset() -> Dataset:
    """The illustrative dataset behind :func:`demo_graph`."""
    OCC, SKL, SG, OG, INT, TRN = (
        NodeType.OCCUPATION,
        NodeType.SKILL,
        NodeType.SKILL_GROUP,
        NodeType.OCCUPATION_GROUP,
        NodeType.INTEREST,
        NodeType.TRAINING,
    )
    nodes = [
        _node("food", OG, "Food and hospitality", "Hôtellerie-restauration"),
        _node("health", OG, "Health", "Santé"),
        _node("cook", OCC, "cook", "cuisinier"),
        _node("pastry-cook", OCC, "pastry cook", "pâtissier"),
        _node("kitchen-porter", OCC, "kitchen porter", "plongeur en restauration"),
        _node("waiter", OCC, "waiter", "serveur"),
        _node("nurse", OCC, "nurse", "infirmier"),
        _node("care-assistant", OCC, "care assistant", "aide-soignant"),
        _node("g-cooking", SG, "cooking", "cuisine"),
        _node("g-service", SG, "customer service", "service client"),
        _node("g-care", SG, "patient care", "soins aux patients"),
        _node("prepare-dishes", SKL, "prepare dishes", "préparer des plats", kind="HARD"),
        _node("bake-pastry", SKL, "bake pastry", "cuire des pâtisseries", kind="HARD"),
        _node("food-hygiene", SKL, "food hygiene", "hygiène alimentaire", kind="KNOWLEDGE"),
        _node("wash-dishes", SKL, "wash dishes", "laver la vaisselle", kind="HARD"),
        _node("serve-customers", SKL, "serve customers", "servir les clients", kind="HARD"),
        _node("teamwork", SKL, "teamwork", "travail en équipe", kind="SOFT"),
        _node("give-care", SKL, "give basic care", "dispenser des soins de base", kind="HARD"),
        _node(
            "administer-drugs", SKL, "administer drugs", "administrer des médicaments", kind="HARD"
        ),
        _node("anatomy", SKL, "anatomy", "anatomie", kind="KNOWLEDGE"),
        _node("hygiene-care", SKL, "hospital hygiene", "hygiène hospitalière", kind="KNOWLEDGE"),
        _node("R", INT, "Realistic", "Réaliste", code="R", scheme="RIASEC"),
        _node("S", INT, "Social", "Social", code="S", scheme="RIASEC"),
        _node("A", INT, "Artistic", "Artistique", code="A", scheme="RIASEC"),
        _node("t-pastry", TRN, "pastry course", "formation pâtisserie", durationHours=120),
        _node(
            "t-care", TRN, "care assistant diploma", "diplôme d'aide-soignant", durationHours=600
        ),
        _node(
            "t-pharma",
            TRN,
            "drug administration",
            "administration des médicaments",
            durationHours=80,
        ),
    ]
    E, OPT = "ESSENTIAL", "OPTIONAL"

    def rel(rel_type: RelType, a: str, b: str, **props: object) -> Relationship:
        return Relationship(rel_type, f"demo:{a}", f"demo:{b}", props)

    requires = {
        "cook": [("prepare-dishes", E), ("food-hygiene", E), ("teamwork", E), ("bake-pastry", OPT)],
        "pastry-cook": [
            ("bake-pastry", E),
            ("food-hygiene", E),
            ("prepare-dishes", OPT),
            ("teamwork", OPT),
        ],
        "kitchen-porter": [("wash-dishes", E), ("food-hygiene", E), ("teamwork", E)],
        "waiter": [("serve-customers", E), ("teamwork", E), ("food-hygiene", OPT)],
        "nurse": [
            ("administer-drugs", E),
            ("anatomy", E),
            ("give-care", E),
            ("hygiene-care", E),
            ("teamwork", OPT),
        ],
        "care-assistant": [("give-care", E), ("hygiene-care", E), ("teamwork", E)],
    }
    rels = [rel(RelType.REQUIRES, o, s, relevance=r) for o, lst in requires.items() for s, r in lst]
    for skill, group in [
        ("prepare-dishes", "g-cooking"),
        ("bake-pastry", "g-cooking"),
        ("food-hygiene", "g-cooking"),
        ("wash-dishes", "g-cooking"),
        ("serve-customers", "g-service"),
        ("teamwork", "g-service"),
        ("give-care", "g-care"),
        ("administer-drugs", "g-care"),
        ("anatomy", "g-care"),
        ("hygiene-care", "g-care"),
    ]:
        rels.append(rel(RelType.BROADER, skill, group))
    for occ, group in [
        ("cook", "food"),
        ("pastry-cook", "food"),
        ("kitchen-porter", "food"),
        ("waiter", "food"),
        ("nurse", "health"),
        ("care-assistant", "health"),
    ]:
        rels.append(rel(RelType.BROADER, occ, group))
    for occ, letters in [
        ("cook", "RA"),
        ("pastry-cook", "AR"),
        ("kitchen-porter", "R"),
        ("waiter", "S"),
        ("nurse", "SR"),
        ("care-assistant", "S"),
    ]:
        for rank, letter in enumerate(letters, start=1):
            rels.append(rel(RelType.MATCHES_INTEREST, occ, letter, weight=1.0 / rank, rank=rank))
    rels += [
        rel(RelType.TEACHES, "t-pastry", "bake-pastry"),
        rel(RelType.REQUIRES, "t-pastry", "food-hygiene"),
        rel(RelType.PREPARES_FOR, "t-pastry", "pastry-cook"),
        rel(RelType.TEACHES, "t-care", "give-care"),
        rel(RelType.TEACHES, "t-care", "hygiene-care"),
        rel(RelType.TEACHES, "t-care", "anatomy"),
        rel(RelType.PREPARES_FOR, "t-care", "care-assistant"),
        rel(RelType.TEACHES, "t-pharma", "administer-drugs"),
        rel(RelType.REQUIRES, "t-pharma", "anatomy"),
        rel(RelType.MOBILITY, "kitchen-porter", "cook", kind="EVOLUTION", source=SOURCE),
        rel(RelType.MOBILITY, "care-assistant", "nurse", kind="EVOLUTION", source=SOURCE),
    ]
    return Dataset(source=SOURCE, nodes=nodes, relationships=rels)


def demo_graph(include_mobility: bool = True) -> nx.MultiDiGraph:
    """The illustrative orientation graph (a fresh copy on every call)."""
    return graph_from_dataset(demo_dataset(), include_mobility=include_mobility, version="demo")
