"""Interest responsiveness: does a seeker's RIASEC choice change the suggestions of a job?

On the full ROME v3.33, every fiche (532) becomes a profile — that fiche as current
occupation — first with no interest, then with one interest at weight 1 (R, I, A, S, E, C
in turn), and the top 10 of ``suggest_transitions`` is taken for each. For each setting of
the interest weight (the old default 0.25 is always run, as the baseline of the same run):

``match share``
    Share of the top 10 whose main RIASEC code (ROME's *riasec majeur*) is the interest
    given, with the interest; the same share in the list without any interest is the
    baseline (identical for every setting: no interest, no affinity part).
``1 − RBO``
    How far the list moves when the interest is given: one minus the rank-biased overlap
    (Webber, Moffat & Zobel 2010, persistence 0.9, truncated at 10 and scaled so that two
    identical lists give 1) of the lists without and with the interest. 0: nothing moves.
``profiles moved``
    Share of the 3,192 profiles whose top 10 differs at all from the list without interest.
``regulated``
    Issue 14's figure: share of the suggestions that are regulated professions the source
    does not already lead to by a curated move (must stay < 5 %); then the share with a
    skill fit ≤ 0.07, the mean skill fit, and the share of suggestions that are moves La
    Bonne Boîte observed from the source (sources with observed moves only).
``oracle recall``
    For each truth pair (source → destination) of the ROME mobilités and of the observed
    moves whose destination has a main RIASEC code, recall@10 of the destination when the
    profile gives that code as its interest, against the list without interest. The
    interest is told by the answer, so this is an upper bound of what an interest can add,
    not a figure to tune on alone: a weight that lets the interest overrule skills drops it.

The orderings are those of ``suggest_transitions`` (same parts, same tie-breaking), computed
without the per-suggestion details (training plans, explanations) that do not change them.
Recall@10 of ``cartonet evaluate`` is untouched by the interest weight (its profiles give no
interest): check it with ``cartonet evaluate --method suggest``.

Usage::

    .venv/bin/python bench/interests.py [--affinity 0.25,0.8,1.5] [--json] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from cartonet.ingest.rome import load_rome  # noqa: E402
from cartonet.orientation.evaluate import without_edges  # noqa: E402
from cartonet.orientation.index import OrientationIndex, index_of  # noqa: E402
from cartonet.orientation.profile import Profile, resolve  # noqa: E402
from cartonet.orientation.projection import MOBILITY, graph_from_dataset  # noqa: E402
from cartonet.orientation.transitions import (  # noqa: E402
    PartVectors,
    TransitionWeights,
    combine_parts,
    excluded_rows,
    part_vectors,
    ranked,
)
from lbb_observed_pairs import read_observed  # noqa: E402
from rome_mobility_pairs import mobility_file, read_mobility  # noqa: E402

K = 10
INTERESTS = ("R", "I", "A", "S", "E", "C")
LOW_FIT = 0.07
PERSISTENCE = 0.9
OLD_AFFINITY = 0.25
"""The interest weight before this bench (session 4), always run as the baseline."""


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def main_codes(ix: OrientationIndex) -> list[str | None]:
    """Each occupation's main RIASEC letter (its strongest interest), or None."""
    out: list[str | None] = []
    for row in ix.interest_raw:
        out.append(ix.interests[int(np.argmax(row))].split(":")[-1] if row.max() > 0 else None)
    return out


def rbo(a: list[int], b: list[int], p: float = PERSISTENCE) -> float:
    """Rank-biased overlap of two lists truncated at their length, scaled to 1 for equal lists."""
    depth = max(len(a), len(b))
    if depth == 0:
        return 1.0
    total = sum(p ** (d - 1) * len(set(a[:d]) & set(b[:d])) / d for d in range(1, depth + 1))
    return total / sum(p ** (d - 1) for d in range(1, depth + 1))


def top(parts: PartVectors, weights: TransitionWeights, allowed: np.ndarray) -> list[int]:
    score = combine_parts(parts, weights)
    return list(islice(ranked(score, parts.gap_cost, allowed, 4 * K), K))


def run(
    G: nx.MultiDiGraph,
    settings: dict[str, TransitionWeights],
    truths: dict[str, set[tuple[str, str]]],
    observed: set[tuple[str, str]],
) -> dict[str, Any]:
    ix = index_of(G)
    code = main_codes(ix)
    by_source: dict[str, dict[str, set[str]]] = {}
    for name, pairs in truths.items():
        for s, t in pairs:
            if t in ix.occ_pos and code[ix.occ_pos[t]] is not None:
                by_source.setdefault(name, {}).setdefault(s, set()).add(t)
    observed_sources = {s for s, _ in observed}
    acc: dict[str, dict[str, float]] = {
        name: {
            "match_with": 0.0,
            "moved": 0.0,
            "one_minus_rbo": 0.0,
            "shown": 0.0,
            "regulated": 0.0,
            "low_fit": 0.0,
            "fit": 0.0,
            "obs_shown": 0.0,
            "obs_hits": 0.0,
            **{f"hits_{t}": 0.0 for t in truths},
        }
        for name in settings
    }
    base_match = 0.0
    base_hits = {t: 0.0 for t in truths}
    started = time.perf_counter()
    for source in ix.occupations:
        row = ix.occ_pos[source]
        curated = set(ix.mobility.get(row, {}))
        plain = Profile(current_occupations=(source,))
        rp0 = resolve(G, plain)
        weights0 = next(iter(settings.values()))
        parts0 = part_vectors(G, rp0, weights0)
        allowed = np.flatnonzero(~excluded_rows(ix, rp0))
        without = top(parts0, weights0, allowed)
        for letter in INTERESTS:
            base_match += sum(code[r] == letter for r in without) / K
            for t, dests in by_source.items():
                base_hits[t] += sum(
                    ix.occ_pos[d] in without
                    for d in dests.get(source, ())
                    if code[ix.occ_pos[d]] == letter
                )
            rp = resolve(G, replace(plain, interests={letter: 1.0}))
            parts = part_vectors(G, rp, weights0)  # the weights only scale, the parts stay
            for name, weights in settings.items():
                a = acc[name]
                shown = top(parts, weights, allowed)
                a["match_with"] += sum(code[r] == letter for r in shown) / K
                a["moved"] += shown != without
                a["one_minus_rbo"] += 1.0 - rbo(without, shown)
                for r in shown:
                    a["shown"] += 1
                    a["regulated"] += bool(ix.regulated[r]) and r not in curated
                    a["low_fit"] += parts.skill_fit[r] <= LOW_FIT
                    a["fit"] += parts.skill_fit[r]
                    if source in observed_sources:
                        a["obs_shown"] += 1
                        a["obs_hits"] += (source, ix.occupations[r]) in observed
                for t, dests in by_source.items():
                    a[f"hits_{t}"] += sum(
                        ix.occ_pos[d] in shown
                        for d in dests.get(source, ())
                        if code[ix.occ_pos[d]] == letter
                    )
    profiles = len(ix.occupations) * len(INTERESTS)
    n_truth = {t: sum(len(d) for d in dests.values()) for t, dests in by_source.items()}
    out: dict[str, Any] = {
        "profiles": profiles,
        "without_interest": {
            "match_share": base_match / profiles,
            **{f"oracle_recall_{t}": base_hits[t] / n_truth[t] for t in truths},
        },
        "truth_pairs_with_code": n_truth,
        "settings": {},
        "seconds": time.perf_counter() - started,
    }
    for name, a in acc.items():
        out["settings"][name] = {
            "affinity_fit": settings[name].affinity_fit,
            "match_share": a["match_with"] / profiles,
            "match_lift": (a["match_with"] - base_match) / profiles,
            "profiles_moved": a["moved"] / profiles,
            "one_minus_rbo": a["one_minus_rbo"] / profiles,
            "regulated_not_curated_share": a["regulated"] / a["shown"],
            "low_skill_fit_share": a["low_fit"] / a["shown"],
            "mean_skill_fit": a["fit"] / a["shown"],
            "observed_move_share": a["obs_hits"] / a["obs_shown"] if a["obs_shown"] else 0.0,
            **{f"oracle_recall_{t}": a[f"hits_{t}"] / n_truth[t] for t in truths},
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--affinity",
        default=None,
        help="comma-separated interest weights to measure besides the old 0.25 "
        "(default: the current default weight)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--data", type=Path, default=None, help="shared data folder")
    args = parser.parse_args(argv)
    data = args.data or shared_data()
    rome = data / "rome" / "v333"
    if not rome.is_dir():
        print(f"error: no ROME v3.33 export under {rome}", file=sys.stderr)
        return 1
    default = TransitionWeights()
    try:
        values = (
            [float(v) for v in args.affinity.split(",")]
            if args.affinity
            else [default.affinity_fit]
        )
    except ValueError:
        print(f"error: --affinity: not a list of numbers: {args.affinity!r}", file=sys.stderr)
        return 2
    settings = {f"affinity {OLD_AFFINITY:g} (old)": replace(default, affinity_fit=OLD_AFFINITY)}
    for v in values:
        label = f"affinity {v:g}" + (" (default)" if v == default.affinity_fit else "")
        settings.setdefault(label, replace(default, affinity_fit=v))
    G = graph_from_dataset(load_rome(rome))
    observed = set(read_observed(data / "rome" / "labonneboite_2021"))
    truths = {
        "rome_mobility": {(s, t) for s, t, _ in read_mobility(mobility_file(rome))},
        "observed_lbb": observed,
    }
    # the product's lists (curated moves in) for the responsiveness and issue 14's figures
    # and the oracle recall on the observed moves (none of them is in the graph); the
    # mobilités are scored on the graph without MOBILITY edges, as `cartonet evaluate` does
    out = run(G, settings, {"observed_lbb": observed}, observed)
    clean, _ = without_edges(G, [], [MOBILITY])
    no_mob = run(clean, settings, {"rome_mobility": truths["rome_mobility"]}, observed)
    for key in ("without_interest", *(f"settings.{n}" for n in settings)):
        mine, theirs = out, no_mob
        for part in key.split(".", 1):
            mine, theirs = mine[part], theirs[part]
        mine["oracle_recall_rome_mobility"] = theirs["oracle_recall_rome_mobility"]
    out["truth_pairs_with_code"].update(no_mob["truth_pairs_with_code"])
    out["seconds"] += no_mob["seconds"]
    out["load_average"] = os.getloadavg()
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    w = out["without_interest"]
    print(f"{out['profiles']} profiles (532 ROME fiches × {len(INTERESTS)} interests), top {K}")
    print(f"without interest: match share {w['match_share']:.4f}", end="")
    for t in truths:
        print(f", oracle recall {t} {w[f'oracle_recall_{t}']:.4f}", end="")
    print(f"  (pairs: {out['truth_pairs_with_code']})")
    keys = (
        ("match_share", "match share (with interest)"),
        ("match_lift", "  lift over no interest"),
        ("profiles_moved", "profiles whose top 10 moved"),
        ("one_minus_rbo", "1 − RBO (0.9) vs no interest"),
        ("regulated_not_curated_share", "regulated, no curated move"),
        ("low_skill_fit_share", f"skill fit ≤ {LOW_FIT}"),
        ("mean_skill_fit", "mean skill fit"),
        ("observed_move_share", "observed moves (LBB sources)"),
        *((f"oracle_recall_{t}", f"oracle recall@10 {t}") for t in truths),
    )
    names = list(out["settings"])
    print(f"{'':34}" + "".join(f"{n:>24}" for n in names))
    for key, label in keys:
        print(f"{label:34}" + "".join(f"{out['settings'][n][key]:24.4f}" for n in names))
    la = out["load_average"]
    print(f"{out['seconds']:.0f} s; load average {la[0]:.1f} {la[1]:.1f} {la[2]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
