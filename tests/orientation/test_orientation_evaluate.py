"""Evaluation metrics (checked by hand on a tiny case) and the ROME mobility evaluation."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from cartonet.errors import DataError, InvalidArgument
from cartonet.orientation.evaluate import (
    evaluate,
    half_of,
    jaccard_matrix,
    metrics,
    read_pairs,
    without_edges,
    without_mobility,
)
from cartonet.orientation.index import index_of
from cartonet_testing import load_script

NAN = float("nan")


def test_metrics_by_hand() -> None:
    """Row 0 ranks 1, 3, 2 (truth {2, 3}): first hit at rank 2, recall@2 = 1/2.
    Row 1 ranks 0, 2, 3 (0 and 2 tie at 0.2: the lower id first; truth {2}): first hit at
    rank 2, recall@2 = 1. Means: recall@2 = 0.75, MRR = 0.5, recall@1 = 0."""
    scores = np.array(
        [
            [NAN, 0.9, 0.5, 0.7],
            [0.2, NAN, 0.2, 0.1],
            [0.0, 0.0, NAN, 0.0],
            [0.0, 0.0, 0.0, NAN],
        ]
    )
    truth = {0: {2, 3}, 1: {2}}
    m2 = metrics(scores, truth, 2, [0, 1])
    assert (m2.n, m2.recall_at_k, m2.mrr) == (2, 0.75, 0.5)
    m1 = metrics(scores, truth, 1, [0, 1])
    assert (m1.recall_at_k, m1.mrr) == (0.0, 0.5)
    m3 = metrics(scores, truth, 3, [0, 1])
    assert m3.recall_at_k == 1.0


def test_truth_file_and_pipeline_by_hand(demo: nx.MultiDiGraph, tmp_path: Path) -> None:
    """The same hand-checked ranking, through a truth file and :func:`evaluate`: unknown
    ids, self-pairs and duplicates are skipped and counted."""
    ix = index_of(demo)
    occ = ix.occupations  # care-assistant, cook, kitchen-porter, nurse, pastry-cook, waiter
    truth = tmp_path / "pairs.csv"
    truth.write_text(
        "source,target,kind\n"
        f"{occ[0]},{occ[2]},CLOSE\n{occ[0]},{occ[3]},CLOSE\n{occ[1]},{occ[2]},EVOLUTION\n"
        f"{occ[1]},{occ[2]},CLOSE\n{occ[1]},{occ[1]},CLOSE\nnope,{occ[1]},CLOSE\n",
        encoding="utf-8",
    )
    pairs = read_pairs(truth)
    assert len(pairs) == 6
    fixed = np.zeros((6, 6))
    fixed[0, :4] = [NAN, 0.9, 0.5, 0.7]
    fixed[1, :4] = [0.2, NAN, 0.2, 0.1]
    fixed[0, 4:] = fixed[1, 4:] = -1.0  # the two extra occupations rank last
    report = evaluate(demo, pairs, k=2, scorer=lambda G: fixed)
    assert (report.n, report.recall_at_k, report.mrr) == (2, 0.75, 0.5)
    assert (report.pairs_read, report.pairs_used, report.pairs_skipped) == (6, 3, 3)
    assert (
        report.mobility_edges_removed
        == sum(k == "MOBILITY" for _, _, k in demo.edges(keys=True))
        > 0
    )
    data = report.to_json()
    assert set(data) >= {"n", "k", "recallAtK", "mrr", "baselines"}
    assert set(data["baselines"]) == {"jaccard", "idfCosine", "random"}  # camelCase keys
    assert set(data["baselines"]["jaccard"]) == {"n", "recallAtK", "mrr", "ndcgAtK"}
    # nDCG@2 by hand: source 0 ranks 1, 3, 2 (targets 2, 3: one hit, at rank 2, of two
    # possible); source 1 ranks 0, 2 (tie broken by id), 3 (target 2 at rank 2, of one)
    d2 = 1 / math.log2(3)
    assert report.ndcg_at_k == pytest.approx((d2 / (1 + d2) + d2 / 1) / 2)
    assert data["ndcgAtK"] == round(report.ndcg_at_k, 4) and data["method"] == "similar"
    halves = report.halves
    assert halves["a"]["method"].n + halves["b"]["method"].n == report.n
    assert {half_of(occ[0]), half_of(occ[1])} == {h for h in "ab" if halves[h]["method"].n}
    json.dumps(data)


def test_jaccard_baseline_is_plain_set_jaccard(demo: nx.MultiDiGraph) -> None:
    from orientation_helpers import required

    ix = index_of(demo)
    J = jaccard_matrix(ix)
    for a in ix.occupations:
        for b in ix.occupations:
            sa, sb = set(required(demo, a)), set(required(demo, b))
            assert J[ix.occ_pos[a], ix.occ_pos[b]] == pytest.approx(len(sa & sb) / len(sa | sb))


def test_mobility_is_removed_and_does_not_matter(demo: nx.MultiDiGraph) -> None:
    clean, removed = without_mobility(demo)
    assert removed == 2 and clean.graph["mobility_included"] is False
    assert not any(k == "MOBILITY" for _, _, k in clean.edges(keys=True))
    assert any(k == "MOBILITY" for _, _, k in demo.edges(keys=True)), "the input is left as it was"
    pairs = [(u, v) for u, v, k in demo.edges(keys=True) if k == "MOBILITY"]
    from cartonet.orientation.demo import demo_graph

    a = evaluate(demo, pairs, k=2)
    b = evaluate(demo_graph(include_mobility=False), pairs, k=2)
    assert (a.recall_at_k, a.mrr) == (b.recall_at_k, b.mrr)


def test_every_edge_joining_a_truth_pair_is_removed(demo: nx.MultiDiGraph) -> None:
    G = demo.copy()
    # an edge of another type joining a pair, in the other direction, and one joining none
    G.add_edge("demo:cook", "demo:kitchen-porter", key="OBSERVED_MOBILITY")
    G.add_edge("demo:cook", "demo:waiter", key="OBSERVED_MOBILITY")
    pairs = [("demo:kitchen-porter", "demo:cook")]
    clean, removed = without_edges(G, pairs, exclude_rels=())
    assert removed == {"MOBILITY": 1, "OBSERVED_MOBILITY": 1}
    assert not clean.has_edge("demo:cook", "demo:kitchen-porter")
    assert clean.has_edge("demo:cook", "demo:waiter", key="OBSERVED_MOBILITY")
    assert clean.has_edge("demo:care-assistant", "demo:nurse", key="MOBILITY")
    clean, removed = without_edges(G, pairs, exclude_rels=("OBSERVED_MOBILITY", "MOBILITY"))
    assert removed == {"MOBILITY": 2, "OBSERVED_MOBILITY": 2}
    assert clean.graph["mobility_included"] is False
    # the default rule removes the excluded types only; "pairs" also what joins a pair
    report = evaluate(G, pairs, k=2, exclude_rels=("OBSERVED_MOBILITY",))
    assert report.edges_removed == {"OBSERVED_MOBILITY": 2} and report.leakage == "type"
    assert report.mobility_edges_removed == 0
    report = evaluate(G, pairs, k=2, exclude_rels=("OBSERVED_MOBILITY",), leakage="pairs")
    assert report.edges_removed == {"MOBILITY": 1, "OBSERVED_MOBILITY": 2}
    assert report.mobility_edges_removed == 1
    with pytest.raises(InvalidArgument, match="leakage"):
        evaluate(G, pairs, leakage="some")


def test_suggest_method_ranks_as_suggest_transitions(demo: nx.MultiDiGraph) -> None:
    """``method="suggest"`` scores the order suggest_transitions gives, on the graph with
    the truth's edges removed; recall@k and MRR recomputed by hand from that order."""
    from cartonet.orientation.profile import Profile
    from cartonet.orientation.transitions import suggest_transitions

    pairs = [(u, v) for u, v, k in demo.edges(keys=True) if k == "MOBILITY"]
    pairs += [("demo:cook", "demo:waiter"), ("demo:cook", "demo:pastry-cook")]
    k = 2
    report = evaluate(demo, pairs, k=k, method="suggest")
    clean, _ = without_edges(demo, [])
    truth: dict[str, set[str]] = {}
    for u, v in pairs:
        truth.setdefault(u, set()).add(v)
    recalls, rrs = [], []
    for source, targets in sorted(truth.items()):
        order = [
            s.occupation
            for s in suggest_transitions(clean, Profile(current_occupations=(source,)), 20)
        ]
        recalls.append(len(set(order[:k]) & targets) / len(targets))
        rrs.append(1 / (1 + min(order.index(t) for t in targets)))
    assert report.method == "suggest" and report.n == len(truth) == 3
    assert report.recall_at_k == pytest.approx(sum(recalls) / 3)
    assert report.mrr == pytest.approx(sum(rrs) / 3)
    with pytest.raises(InvalidArgument):
        evaluate(demo, pairs, method="nonsense")


def test_feeders_method_ranks_each_targets_sources_as_feeder_occupations(
    demo: nx.MultiDiGraph,
) -> None:
    """``method="feeders"``: for every target, its known sources among the feeders
    ``feeder_occupations`` lists on the graph with the truth's edges removed."""
    from cartonet.orientation.pilotage import feeder_occupations

    pairs = [(u, v) for u, v, k in demo.edges(keys=True) if k == "MOBILITY"]
    pairs += [("demo:cook", "demo:pastry-cook"), ("demo:waiter", "demo:pastry-cook")]
    k = 2
    report = evaluate(demo, pairs, k=k, method="feeders")
    clean, _ = without_edges(demo, pairs)
    sources: dict[str, set[str]] = {}
    for u, v in pairs:
        sources.setdefault(v, set()).add(u)
    recalls, rrs = [], []
    for target, known in sorted(sources.items()):
        order = [f.occupation for f in feeder_occupations(clean, target, 20)]
        recalls.append(len(set(order[:k]) & known) / len(known))
        rrs.append(1 / (1 + min(order.index(s) for s in known)))
    assert report.method == "feeders" and report.n == len(sources)
    assert report.recall_at_k == pytest.approx(sum(recalls) / len(sources))
    assert report.mrr == pytest.approx(sum(rrs) / len(sources))


def test_truth_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("from,to\na,b\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv:1: header"):
        read_pairs(bad)
    bad.write_text("source,target\na,b\n,c\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv:3: empty"):
        read_pairs(bad)
    with pytest.raises(DataError, match="cannot read"):
        read_pairs(tmp_path / "missing.csv")


@pytest.mark.slow
@pytest.mark.shared_data
def test_rome_mobility_evaluation_beats_the_baselines(
    rome_graph: nx.MultiDiGraph, shared_data_dir: Path, tmp_path: Path
) -> None:
    script = load_script("rome_mobility_pairs")
    out = tmp_path / "PAIRS.csv"
    assert script.main([str(shared_data_dir / "rome" / "v333"), "-o", str(out)]) == 0
    pairs = read_pairs(out)
    report = evaluate(rome_graph, pairs, k=10)
    assert report.mobility_edges_removed == len(pairs)
    assert report.n == len(index_of(rome_graph).occupations)
    jac, idf, rnd = (report.baselines[b] for b in ("jaccard", "idf_cosine", "random"))
    assert report.recall_at_k > jac.recall_at_k and report.mrr > jac.mrr
    assert report.recall_at_k > idf.recall_at_k
    for h in "ab":  # held out or not, the method beats Jaccard on each half
        assert report.halves[h]["method"].recall_at_k > report.halves[h]["jaccard"].recall_at_k
    expected = 10 / (report.n - 1)
    assert 0.5 * expected < rnd.recall_at_k < 2 * expected
