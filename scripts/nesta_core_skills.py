"""External check of ``skillLeverage`` against Nesta's core-skills figures (issue 12).

Nesta's *Mapping Career Causeways* (2020–2021) gives, for 100 ESCO skills, the average
number of new "safe and desirable" transitions a worker gains by acquiring the skill
(``avg_new_safe_desirable`` in
``../shared/data/nesta_career_causeways/transitions/mcc_transitions_Core_skills.csv``;
see that folder's PROVENANCE.md). This script computes ``skill_leverage`` on the full ESCO
release with a population of every ESCO occupation, one person each (equal counts), and
prints the Spearman rank correlation between our ``new_options`` and Nesta's figure on the
skills both have. Method and discussion: docs/algorithms.md (Pilotage, external check).

Diagnostics printed beside it (``--json``: all of them):

* the same at other viability thresholds τ (0.2, 0.4; the default is 0.3);
* a baseline needing no model: how many ESCO occupations require the skill;
* a reading closer to Nesta's setting, with their own occupation data
  (``mcc_transitions_Occupation_data.csv``): the population restricted to the occupations
  they rate "High risk" of automation, and only moves into occupations they rate
  "Lower risk" counted. It approximates their "safe" filter; their "desirable" filter
  (earnings, job zone) and their similarity (sentence embeddings of skills, work
  activities and context) are not reproduced.

Usage::

    .venv/bin/python scripts/nesta_core_skills.py           # ESCO from ../shared/data
    .venv/bin/python scripts/nesta_core_skills.py --json
    .venv/bin/python scripts/nesta_core_skills.py --store graph.sqlite   # any store with ESCO
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy.stats import spearmanr

from cartonet.orientation.index import index_of
from cartonet.orientation.pilotage import VIABLE_SCORE, check_population, new_options_matrix
from cartonet.orientation.projection import graph_from_dataset, project

REPO = Path(__file__).resolve().parents[1]
CORE = Path("nesta_career_causeways/transitions/mcc_transitions_Core_skills.csv")
OCCUPATIONS = Path("nesta_career_causeways/transitions/mcc_transitions_Occupation_data.csv")
ESCO_PREFIX = "http://data.europa.eu/esco/occupation/"


def shared_data() -> Path:
    return Path(os.environ.get("CARTONET_SHARED_DATA") or REPO.parent / "shared" / "data")


def esco_graph(base: Path) -> nx.MultiDiGraph:
    from cartonet.ingest.esco import load_esco

    fr = base / "esco" / "v1.0_fr_labels"
    dataset = load_esco(base / "esco" / "v1.1.1", fr_fallback_dir=fr if fr.is_dir() else None)
    return graph_from_dataset(dataset, version="nesta-check")


def store_graph(store_arg: str) -> nx.MultiDiGraph:
    from cartonet.settings import Settings
    from cartonet.store import make_store

    async def build() -> nx.MultiDiGraph:
        store = make_store(Settings.from_env().with_overrides(store=store_arg))
        await store.open()
        try:
            return await project(store)
        finally:
            await store.close()

    return asyncio.run(build())


def read_core_skills(path: Path) -> list[dict[str, Any]]:
    """Nesta's rows: ``uri``, ``skill``, ``avg`` (avg_new_safe_desirable)."""
    with path.open(encoding="utf-8") as f:
        return [
            {
                "uri": row["concept_uri"],
                "skill": row["esco_skill"],
                "avg": float(row["avg_new_safe_desirable"]),
            }
            for row in csv.DictReader(f)
        ]


def read_risk(path: Path) -> dict[str, str]:
    """ESCO occupation URI → Nesta's risk category ("High risk" / "Lower risk")."""
    with path.open(encoding="utf-8") as f:
        return {row["concept_uri"]: row["risk_category"] for row in csv.DictReader(f)}


def per_person(
    G: nx.MultiDiGraph,
    origins: list[str],
    viability: float,
    destinations: np.ndarray | None = None,
) -> np.ndarray:
    """New viable moves per person for every skill (columns of the index), for a
    population of ``origins`` with one person each: ``skill_leverage``'s ``new_options``
    for every skill at once."""
    pop = check_population(G, [(o, 1) for o in origins])
    m = new_options_matrix(G, pop, "skills", viability=viability, destinations=destinations)
    return np.asarray(m.sum(axis=0)).ravel() / pop.total


def compare(ours: np.ndarray, rows: list[dict[str, Any]], ix: Any) -> dict[str, Any]:
    """Spearman between ``ours`` (one value per skill column) and Nesta's on the skills
    both have, with the pairs used (for a recomputation)."""
    pairs = [
        (float(ours[ix.skill_pos[r["uri"]]]), r["avg"], r["skill"])
        for r in rows
        if r["uri"] in ix.skill_pos
    ]
    rho, p = spearmanr([a for a, _, _ in pairs], [b for _, b, _ in pairs])
    return {
        "spearman": round(float(rho), 4),
        "p_value": float(p),
        "skills": len(pairs),
        "pairs": [{"skill": s, "ours": a, "nesta": b} for a, b, s in pairs],
    }


def nesta_check(G: nx.MultiDiGraph, base: Path, sensitivity: bool = True) -> dict[str, Any]:
    """Every figure the script prints, as a dict (see the module docstring)."""
    ix = index_of(G)
    rows = read_core_skills(base / CORE)
    esco = [o for o in ix.occupations if o.startswith(ESCO_PREFIX)]
    if not esco:
        raise SystemExit("the graph holds no ESCO occupation")
    main = compare(per_person(G, esco, VIABLE_SCORE), rows, ix)
    out: dict[str, Any] = {
        "population": {"occupations": len(esco), "counts": "equal (1 each)"},
        "viability": VIABLE_SCORE,
        "missing_skills": [r["skill"] for r in rows if r["uri"] not in ix.skill_pos],
        **main,
    }
    if not sensitivity:
        return out
    out["by_viability"] = {
        str(tau): compare(per_person(G, esco, tau), rows, ix)["spearman"] for tau in (0.2, 0.4)
    }
    occurrence = ix.skill_occurrence.astype(np.float64)
    out["baseline_occurrence"] = compare(occurrence, rows, ix)["spearman"]
    risk = read_risk(base / OCCUPATIONS)
    high = [o for o in esco if risk.get(o) == "High risk"]
    safe = np.asarray([risk.get(o) == "Lower risk" for o in ix.occupations])
    out["nesta_setting"] = {
        "population": f"{len(high)} ESCO occupations Nesta rates High risk",
        "destinations": f"{int(safe.sum())} occupations Nesta rates Lower risk",
        "spearman": compare(per_person(G, high, VIABLE_SCORE, safe), rows, ix)["spearman"],
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--store", help="read ESCO from this store instead of the files")
    args = parser.parse_args(argv)
    base = shared_data()
    if not (base / CORE).is_file():
        print(f"Nesta's core skills file is missing: {base / CORE}", file=sys.stderr)
        return 1
    G = store_graph(args.store) if args.store else esco_graph(base)
    result = nesta_check(G, base)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(
        f"Spearman(skillLeverage on full ESCO, Nesta avg_new_safe_desirable) = "
        f"{result['spearman']} on {result['skills']} skills (p = {result['p_value']:.3g}); "
        f"population {result['population']['occupations']} occupations, equal counts, "
        f"τ = {result['viability']}"
    )
    print(f"  at other τ: {result['by_viability']}")
    print(f"  baseline (occupations requiring the skill): {result['baseline_occurrence']}")
    ns = result["nesta_setting"]
    print(f"  Nesta's setting ({ns['population']}, into {ns['destinations']}): {ns['spearman']}")
    if result["missing_skills"]:
        print(f"  not in the graph: {', '.join(result['missing_skills'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
