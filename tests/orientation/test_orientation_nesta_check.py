"""The external check of skillLeverage against Nesta's core-skills figures runs on the real
ESCO release and Nesta's file, and its Spearman figure is what a plain recomputation from
the pairs it used gives (no figure is asserted: docs/algorithms.md reports it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cartonet.orientation.index import index_of
from cartonet.orientation.pilotage import check_population, skill_leverage
from cartonet_testing import load_script, need


def ranks(values: list[float]) -> np.ndarray:
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = np.zeros(len(values))
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def plain_spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    return float((ra * rb).sum() / np.sqrt((ra**2).sum() * (rb**2).sum()))


@pytest.mark.slow
@pytest.mark.shared_data
def test_nesta_check_runs_and_recomputes(shared_data_dir: Path) -> None:
    script = load_script("nesta_core_skills")
    need((shared_data_dir / script.CORE).is_file(), f"Nesta's file missing: {script.CORE}")
    need((shared_data_dir / "esco" / "v1.1.1").is_dir(), "ESCO v1.1.1 not in the shared data")
    G = script.esco_graph(shared_data_dir)
    result = script.nesta_check(G, shared_data_dir, sensitivity=False)
    pairs = result["pairs"]
    assert result["skills"] == len(pairs) >= 95  # Nesta lists 100 ESCO skills
    assert -1 <= result["spearman"] <= 1
    ours, theirs = [p["ours"] for p in pairs], [p["nesta"] for p in pairs]
    assert len(set(ours)) > 10, "our figures must vary across the skills"
    assert plain_spearman(ours, theirs) == pytest.approx(result["spearman"], abs=1e-4)
    # the per-skill figures are skillLeverage's, for the same population
    ix = index_of(G)
    esco = [o for o in ix.occupations if o.startswith(script.ESCO_PREFIX)]
    top = skill_leverage(G, check_population(G, [(o, 1) for o in esco]), k=500)
    found = {s.item: s.new_options for s in top}
    uri = {r["skill"]: r["uri"] for r in script.read_core_skills(shared_data_dir / script.CORE)}
    for p in pairs:
        if uri[p["skill"]] in found:
            assert found[uri[p["skill"]]] == pytest.approx(p["ours"])
        else:  # below the 500 first
            assert p["ours"] <= top[-1].new_options + 1e-12
