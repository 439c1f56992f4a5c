"""Benchmark of the orientation engine on the full ESCO release.

Measures, in one run and on the same graph:

* ``suggest_transitions`` for 200 varied profiles drawn deterministically from real
  occupations (current occupation; occupation plus explicit skills and a past job; skills
  only, mixed from two occupations; interests, liked and avoided groups and a training-hour
  limit, no job), k = 10;
* ``similar_occupations`` for 200 occupations, k = 10;
* all-pairs similarity (every occupation against every other);

each next to a naive baseline: per-occupation Python set Jaccard over the NetworkX graph
(the skill sets read from the graph's REQUIRES edges, then a sort), which is what a
straightforward implementation does. Prints a table, or with ``--json`` one JSON object
with, per operation, ``p50_ms``, ``p95_ms``, ``baseline_p50_ms`` and ``speedup``
(``baseline_p50_ms / p50_ms``).

Usage::

    .venv/bin/python bench/orientation.py            # ESCO from ../shared/data
    .venv/bin/python bench/orientation.py --json
    .venv/bin/python bench/orientation.py --store some.sqlite   # any store instead
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from cartonet.model import NodeType, RelType
from cartonet.orientation.index import index_of
from cartonet.orientation.profile import Constraints, Profile
from cartonet.orientation.projection import graph_from_dataset, project
from cartonet.orientation.similarity import similar_occupations, similarity_matrix
from cartonet.orientation.transitions import suggest_transitions

REPO = Path(__file__).resolve().parents[1]
REQUIRES = RelType.REQUIRES.value
K = 10


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def esco_graph() -> tuple[nx.MultiDiGraph, str]:
    from cartonet.ingest.esco import load_esco

    base = shared_data() / "esco"
    fr = base / "v1.0_fr_labels"
    dataset = load_esco(base / "v1.1.1", fr_fallback_dir=fr if fr.is_dir() else None)
    return graph_from_dataset(dataset, version="bench"), dataset.source


def store_graph(store_arg: str) -> tuple[nx.MultiDiGraph, str]:
    from cartonet.settings import Settings
    from cartonet.store import make_store

    async def build() -> nx.MultiDiGraph:
        store = make_store(Settings.from_env().with_overrides(store=store_arg))
        await store.open()
        try:
            return await project(store)
        finally:
            await store.close()

    return asyncio.run(build()), store_arg


# --- profiles ------------------------------------------------------------------------------


def profiles(G: nx.MultiDiGraph, n: int, seed: int) -> list[Profile]:
    """``n`` varied profiles, drawn with a seeded generator from the graph's occupations."""
    ix = index_of(G)
    rng = np.random.default_rng(seed)
    occ = [o for o in ix.occupations if ix.need_mass[ix.occ_pos[o]] > 0]
    groups = [g for g in ix.groups if G.nodes[g]["type"] == NodeType.OCCUPATION_GROUP]
    interests = list(ix.interests)

    def skills_of(o: str) -> list[str]:
        row = ix.occ_pos[o]
        return [
            ix.skills[j]
            for j in ix.has_skill.indices[ix.has_skill.indptr[row] : ix.has_skill.indptr[row + 1]]
        ]

    def pick(items: list[str], share: float) -> list[str]:
        if not items:
            return []
        size = max(1, round(len(items) * share))
        return [items[i] for i in sorted(rng.choice(len(items), size=size, replace=False))]

    out: list[Profile] = []
    for i in range(n):
        a, b = (occ[j] for j in rng.choice(len(occ), size=2, replace=False))
        kind = i % 4
        if kind == 0:
            out.append(Profile(current_occupations=(a,)))
        elif kind == 1:
            held = pick(skills_of(b), 0.5)
            out.append(
                Profile(
                    current_occupations=(a,),
                    past_occupations=(b,),
                    skills={s: float(rng.choice([0.5, 1.0])) for s in held},
                )
            )
        elif kind == 2:
            held = pick(skills_of(a), float(rng.uniform(0.3, 0.8))) + pick(skills_of(b), 0.1)
            liked = pick(skills_of(b), 0.1)[:2]
            out.append(
                Profile(
                    skills=dict.fromkeys(held, 1.0),
                    liked_skills=tuple(liked),
                    interests={x: float(rng.uniform(0.2, 1)) for x in pick(interests, 0.3)},
                )
            )
        else:
            liked = tuple(pick(groups, 2 / max(len(groups), 1))[:2])
            avoid = tuple(g for g in pick(groups, 1 / max(len(groups), 1))[:1] if g not in liked)
            out.append(
                Profile(
                    interests={x: float(rng.uniform(0.2, 1)) for x in pick(interests, 0.4)},
                    liked_groups=liked,
                    constraints=Constraints(
                        max_training_hours=float(rng.choice([100, 400, 2000])), avoid_groups=avoid
                    ),
                )
            )
    return out


# --- naive baselines -----------------------------------------------------------------------


def _required(G: nx.MultiDiGraph, o: str) -> set[str]:
    return {v for _, v, key in G.out_edges(o, keys=True) if key == REQUIRES}


def _occupations(G: nx.MultiDiGraph) -> list[str]:
    return [n for n, t in G.nodes(data="type") if t == NodeType.OCCUPATION]


def naive_rank(G: nx.MultiDiGraph, held: set[str], exclude: set[str], k: int) -> list[str]:
    """Per-occupation Python set Jaccard over the graph, then a sort."""
    scored = []
    for o in _occupations(G):
        if o in exclude:
            continue
        req = _required(G, o)
        union = len(held | req)
        scored.append((len(held & req) / union if union else 0.0, o))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [o for _, o in scored[:k]]


def naive_suggest(G: nx.MultiDiGraph, p: Profile) -> list[str]:
    held = set(p.skills)
    for o in (*p.current_occupations, *p.past_occupations):
        held |= _required(G, o)
    return naive_rank(G, held, set(p.current_occupations), K)


def naive_similar(G: nx.MultiDiGraph, o: str) -> list[str]:
    return naive_rank(G, _required(G, o), {o}, K)


def naive_all_pairs(G: nx.MultiDiGraph) -> np.ndarray:
    occ = _occupations(G)
    sets = [_required(G, o) for o in occ]
    out = np.zeros((len(occ), len(occ)), dtype=np.float32)
    for i, a in enumerate(sets):
        for j, b in enumerate(sets):
            union = len(a | b)
            out[i, j] = len(a & b) / union if union else 0.0
    return out


# --- timing --------------------------------------------------------------------------------


def timed(fn: Callable[[Any], Any], items: list[Any]) -> list[float]:
    fn(items[0])  # warm-up: first-use caches (transposes) are not what is measured
    times = []
    gc.disable()
    try:
        for item in items:
            start = time.perf_counter()
            fn(item)
            times.append((time.perf_counter() - start) * 1000.0)
    finally:
        gc.enable()
    return times


def summary(ours: list[float], base: list[float]) -> dict[str, float]:
    p50, p95, b50 = (
        float(np.percentile(ours, 50)),
        float(np.percentile(ours, 95)),
        float(np.percentile(base, 50)),
    )
    return {
        "p50_ms": round(p50, 3),
        "p95_ms": round(p95, 3),
        "baseline_p50_ms": round(b50, 3),
        "baseline_p95_ms": round(float(np.percentile(base, 95)), 3),
        "speedup": round(b50 / p50, 1) if p50 > 0 else float("inf"),
        "runs": len(ours),
        "baseline_runs": len(base),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Orientation benchmark (full ESCO by default).")
    parser.add_argument(
        "--store", help="benchmark this store's graph instead of ESCO from the shared data"
    )
    parser.add_argument(
        "--profiles", type=int, default=200, help="number of profiles / similar queries"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--pairs-runs", type=int, default=3, help="runs of our all-pairs computation"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    if args.store:
        G, name = store_graph(args.store)
    else:
        if not (shared_data() / "esco" / "v1.1.1").is_dir():
            print(
                f"ESCO not found under {shared_data()} (set CARTONET_SHARED_DATA)", file=sys.stderr
            )
            return 1
        G, name = esco_graph()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    ix = index_of(G)
    indexed = time.perf_counter() - start

    profs = profiles(G, args.profiles, args.seed)
    rng = np.random.default_rng(args.seed + 1)
    sources = [
        ix.occupations[i]
        for i in rng.choice(
            len(ix.occupations), size=min(args.profiles, len(ix.occupations)), replace=False
        )
    ]

    results = {
        "suggest_transitions": summary(
            timed(lambda p: suggest_transitions(G, p, K), profs),
            timed(lambda p: naive_suggest(G, p), profs),
        ),
        "similar_occupations": summary(
            timed(lambda o: similar_occupations(G, o, K), sources),
            timed(lambda o: naive_similar(G, o), sources),
        ),
        "all_pairs_similarity": summary(
            timed(lambda _: similarity_matrix(G), [None] * (args.pairs_runs + 1))[1:] or [0.0],
            timed(lambda _: naive_all_pairs(G), [None, None])[1:],
        ),
    }
    meta = {
        "graph": name,
        "occupations": len(ix.occupations),
        "skills": len(ix.skills),
        "requires_edges": int(ix.has_skill.nnz),
        "k": K,
        "profiles": len(profs),
        "load_s": round(loaded, 2),
        "index_s": round(indexed, 2),
        "cpu_count": os.cpu_count(),
        "baseline": "per-occupation Python set Jaccard over the NetworkX graph, then a sort",
    }
    if args.json:
        print(json.dumps({**results, "meta": meta}, indent=2))
        return 0
    print(
        f"graph: {name}: {meta['occupations']} occupations, {meta['skills']} skills, "
        f"{meta['requires_edges']} REQUIRES edges (load {loaded:.1f} s, index {indexed:.1f} s)"
    )
    header = ("operation", "p50 ms", "p95 ms", "baseline p50 ms", "speedup")
    rows = [
        (
            op,
            f"{r['p50_ms']:.2f}",
            f"{r['p95_ms']:.2f}",
            f"{r['baseline_p50_ms']:.2f}",
            f"{r['speedup']:.1f}x",
        )
        for op, r in results.items()
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    for n, row in enumerate([header, *rows]):
        print(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"baseline: {meta['baseline']}; {len(profs)} profiles, k={K}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
