"""Feasibility benchmark: how many suggestions are regulated professions out of reach.

On the full ROME v3.33, every fiche (532) becomes a profile — that fiche as current
occupation plus one interest at weight 1 — six times (R, I, A, S, E, C in turn), and
``suggest_transitions`` returns its top 10. The figure is the **share of those suggestions
that are regulated professions** (a named *Diplôme d'État* in the access text, see
``cartonet.ingest.rome_access``) **the source fiche does not already lead to** (no curated
ROME mobility from the source), first with the feasibility part at weight 0 ("before"),
then with the default weights ("after"). The mean skill fit of the suggestions and the share
with a skill fit ≤ 0.07 are printed too (suggestions carried by the interest alone), and
the share of the suggestions that are moves La Bonne Boîte *observed* from the source fiche
(a quality check the graph cannot leak: those moves are not loaded). "Before" is the ranking
without the feasibility part and without the affinity gate; "feasibility only" adds the
part; "after" is the default (part and gate).

The similarity is checked in the same run: recall@10 and MRR of ``cartonet evaluate`` on
the ROME mobilités (``scripts/rome_mobility_pairs.py``) and on the moves observed by La
Bonne Boîte (``scripts/lbb_observed_pairs.py``), with the similarity's feasibility weight
at 0 and at its default.

Usage::

    .venv/bin/python bench/feasibility.py [--json] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from cartonet.ingest.rome import load_rome  # noqa: E402
from cartonet.orientation.evaluate import evaluate  # noqa: E402
from cartonet.orientation.index import index_of  # noqa: E402
from cartonet.orientation.profile import Profile  # noqa: E402
from cartonet.orientation.projection import graph_from_dataset  # noqa: E402
from cartonet.orientation.similarity import SimilarityWeights  # noqa: E402
from cartonet.orientation.transitions import TransitionWeights, suggest_transitions  # noqa: E402
from lbb_observed_pairs import read_observed  # noqa: E402
from rome_mobility_pairs import mobility_file, read_mobility  # noqa: E402

K = 10
INTERESTS = ("R", "I", "A", "S", "E", "C")
LOW_FIT = 0.07


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def suggestion_figures(
    G: nx.MultiDiGraph, weights: TransitionWeights, observed: set[tuple[str, str]]
) -> dict[str, Any]:
    """Share of top-10 suggestions that are regulated without a curated move, and more."""
    ix = index_of(G)
    shown = regulated_out = low_fit = observed_hits = observed_shown = 0
    fits: list[float] = []
    observed_sources = {s for s, _ in observed}
    started = time.perf_counter()
    for source in ix.occupations:
        curated = set(ix.mobility.get(ix.occ_pos[source], {}))
        for letter in INTERESTS:
            profile = Profile(current_occupations=(source,), interests={letter: 1.0})
            for s in suggest_transitions(G, profile, k=K, weights=weights):
                row = ix.occ_pos[s.occupation]
                shown += 1
                regulated_out += bool(ix.regulated[row]) and row not in curated
                fits.append(s.parts["skill_fit"])
                low_fit += s.parts["skill_fit"] <= LOW_FIT
                if source in observed_sources:
                    observed_shown += 1
                    observed_hits += (source, s.occupation) in observed
    elapsed = time.perf_counter() - started
    return {
        "profiles": len(ix.occupations) * len(INTERESTS),
        "suggestions": shown,
        "regulated_not_curated_share": regulated_out / shown if shown else 0.0,
        "mean_skill_fit": float(np.mean(fits)) if fits else 0.0,
        "low_skill_fit_share": low_fit / shown if shown else 0.0,
        "observed_move_share": observed_hits / observed_shown if observed_shown else 0.0,
        "ms_per_profile": 1000 * elapsed / (len(ix.occupations) * len(INTERESTS)),
    }


def recall(G: nx.MultiDiGraph, pairs: list[tuple[str, str]], weights: SimilarityWeights) -> dict:
    report = evaluate(G, pairs, k=K, weights=weights)
    return {"n": report.n, "recall_at_10": report.recall_at_k, "mrr": report.mrr}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--data", type=Path, default=None, help="shared data folder")
    args = parser.parse_args(argv)
    data = args.data or shared_data()
    rome = data / "rome" / "v333"
    if not rome.is_dir():
        print(f"error: no ROME v3.33 export under {rome}", file=sys.stderr)
        return 1
    G = graph_from_dataset(load_rome(rome))
    truths = {
        "rome_mobility": [(s, t) for s, t, _ in read_mobility(mobility_file(rome))],
        "observed_lbb": sorted(read_observed(data / "rome" / "labonneboite_2021")),
    }
    after_t = TransitionWeights()
    only_t = replace(after_t, affinity_gate=0.0)
    before_t = replace(only_t, feasibility=0.0)
    observed = set(truths["observed_lbb"])
    after_s = SimilarityWeights()
    before_s = replace(after_s, feasibility=0.0)
    out: dict[str, Any] = {
        "suggestions": {
            "before": suggestion_figures(G, before_t, observed),
            "feasibility_only": suggestion_figures(G, only_t, observed),
            "after": suggestion_figures(G, after_t, observed),
        },
        "weights": {"transitions": after_t.as_dict(), "similarity": after_s.as_dict()},
        "recall": {
            name: {"before": recall(G, pairs, before_s), "after": recall(G, pairs, after_s)}
            for name, pairs in truths.items()
        },
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    sb, sa = out["suggestions"]["before"], out["suggestions"]["after"]
    so = out["suggestions"]["feasibility_only"]
    print(f"{sb['profiles']} profiles (532 ROME fiches × {len(INTERESTS)} interests), top {K}")
    print(f"{'':42} {'before':>10} {'feas. only':>10} {'after':>10}")
    for key, label in (
        ("regulated_not_curated_share", "regulated, no curated move (share)"),
        ("low_skill_fit_share", f"skill fit ≤ {LOW_FIT} (share)"),
        ("mean_skill_fit", "mean skill fit"),
        ("observed_move_share", "observed moves (share, LBB sources)"),
        ("ms_per_profile", "ms per profile (with details)"),
    ):
        print(f"{label:42} {sb[key]:10.4f} {so[key]:10.4f} {sa[key]:10.4f}")
    for name, r in out["recall"].items():
        b, a = r["before"], r["after"]
        print(
            f"{name:16} recall@10 {b['recall_at_10']:.4f} → {a['recall_at_10']:.4f}"
            f"   MRR {b['mrr']:.4f} → {a['mrr']:.4f}   (n = {a['n']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
