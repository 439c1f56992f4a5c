"""Slow, obviously-correct reference implementations of the documented formulas, to check
the vectorised code against, and small readers of the graph."""

from __future__ import annotations

import math

import networkx as nx

from cartonet.model import Dataset, NodeType


def out(G: nx.MultiDiGraph, node: str, key: str) -> dict[str, dict]:
    return {v: d for _, v, k, d in G.out_edges(node, keys=True, data=True) if k == key}


def occupations(G: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, t in G.nodes(data="type") if t == NodeType.OCCUPATION)


def required(G: nx.MultiDiGraph, o: str) -> dict[str, float]:
    """skill → relevance weight (1 essential, 0.5 optional)."""
    return {
        s: 0.5 if d.get("relevance") == "OPTIONAL" else 1.0
        for s, d in out(G, o, "REQUIRES").items()
    }


def essential(G: nx.MultiDiGraph, o: str) -> set[str]:
    return {s for s, d in out(G, o, "REQUIRES").items() if d.get("relevance") != "OPTIONAL"}


def idf(G: nx.MultiDiGraph) -> dict[str, float]:
    occ = occupations(G)
    df: dict[str, int] = {}
    for o in occ:
        for s in required(G, o):
            df[s] = df.get(s, 0) + 1
    return {s: math.log((1 + len(occ)) / (1 + d)) + 1 for s, d in df.items()}


def parents(G: nx.MultiDiGraph, s: str) -> set[str]:
    return {p for p in out(G, s, "BROADER") if p != s} or {s}


def coverage(G: nx.MultiDiGraph, a: str, b: str, eta: float) -> float:
    """cov(a→b) of docs/algorithms.md, written plainly. A skill with several parents has
    its weight split among them; a parent counts as touched when ``a`` holds a skill in it."""
    rarity = idf(G)
    need_b = required(G, b)
    held = set(required(G, a))
    touched = {p for s in held for p in parents(G, s)}
    total = sum(w * rarity[s] for s, w in need_b.items())
    if total == 0:
        return 0.0
    got = 0.0
    for s, w in need_b.items():
        ps = parents(G, s)
        share_touched = sum(1 for p in ps if p in touched) / len(ps)
        credit = 1.0 if s in held else eta * share_touched
        got += w * rarity[s] * credit
    return got / total


def above(G: nx.MultiDiGraph, node: str) -> set[str]:
    """Every node above ``node`` through BROADER edges only."""
    seen: set[str] = set()
    frontier = [node]
    while frontier:
        nxt = [p for f in frontier for p in out(G, f, "BROADER") if p not in seen]
        seen.update(nxt)
        frontier = nxt
    return seen


def merged(datasets: list[Dataset]) -> Dataset:
    """One dataset holding several (later ones win on the same id or relationship key)."""
    nodes = {n.id: n for ds in datasets for n in ds.nodes}
    rels = {r.key: r for ds in datasets for r in ds.relationships}
    return Dataset(
        source="+".join(ds.source for ds in datasets),
        nodes=list(nodes.values()),
        relationships=list(rels.values()),
    )


# --- known cases -------------------------------------------------------------------------

FOOD_HOSPITALITY_ISCO = (
    "1411",
    "1412",
    "3434",
    "5120",
    "5131",
    "5132",
    "5246",
    "7512",
    "9411",
    "9412",
)
"""ISCO-08 unit groups of food preparation and hospitality: hotel and restaurant managers,
chefs, cooks, waiters, bartenders, food service counter attendants, bakers, fast food
preparers, kitchen helpers."""

HEALTH_ISCO_PREFIXES = ("134", "22", "32", "53")
"""ISCO-08: health services managers, health professionals, health associate professionals,
personal care workers."""


def by_label(G: nx.MultiDiGraph, label: str) -> str:
    found = [o for o in occupations(G) if G.nodes[o]["node"].label("en") == label]
    assert len(found) == 1, label
    return found[0]


def isco_of(G: nx.MultiDiGraph, o: str) -> str:
    return str(G.nodes[o]["node"].props.get("iscoGroup") or "")


def in_food_hospitality(G: nx.MultiDiGraph, o: str) -> bool:
    """ESCO: an ISCO unit group of :data:`FOOD_HOSPITALITY_ISCO`; ROME: grand domaine G
    (hôtellerie-restauration) or D11 (commerce alimentaire et métiers de bouche)."""
    if o.startswith("rome:"):
        return o[5:].startswith(("G", "D11"))
    return isco_of(G, o) in FOOD_HOSPITALITY_ISCO


def in_health(G: nx.MultiDiGraph, o: str) -> bool:
    """ESCO: ISCO :data:`HEALTH_ISCO_PREFIXES`; ROME: grand domaine J (santé)."""
    if o.startswith("rome:"):
        return o[5:].startswith("J")
    return isco_of(G, o).startswith(HEALTH_ISCO_PREFIXES)


def labels_of(G: nx.MultiDiGraph, ids: list[str]) -> list[str]:
    return [G.nodes[o]["node"].label("en") for o in ids]
