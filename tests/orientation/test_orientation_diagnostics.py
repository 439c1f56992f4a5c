"""``diagnose``: misses by distance in the group tree, most missed destinations, and the
popularity ceiling; checked by hand on the demo graph and for consistency on ROME."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from cartonet.cli import main
from cartonet.errors import InvalidArgument
from cartonet.ingest.jsonfmt import write_json
from cartonet.model import Node, NodeType, Relationship, RelType
from cartonet.orientation.demo import SOURCE, demo_dataset, demo_graph
from cartonet.orientation.diagnostics import DISTANCES, PRIOR_WEIGHTS, diagnose, ranks_of
from cartonet.orientation.evaluate import evaluate
from cartonet.orientation.index import index_of
from cartonet.orientation.projection import graph_from_dataset

NAN = float("nan")
# demo occupations in index order: care-assistant, cook, kitchen-porter, nurse, pastry-cook,
# waiter (rows 0..5)
CARE, COOK, PORTER, NURSE, PASTRY, WAITER = range(6)


def _fixed_scores(G: nx.MultiDiGraph) -> np.ndarray:
    """Cook ranks pastry-cook 1st and the nurse 5th; the waiter ranks the nurse 5th."""
    n = len(index_of(G).occupations)
    assert n == 6
    s = np.zeros((n, n))
    s[COOK, [PASTRY, PORTER, WAITER, CARE, NURSE]] = [0.9, 0.8, 0.7, 0.6, 0.1]
    s[WAITER, [CARE, COOK, PORTER, PASTRY, NURSE]] = [0.9, 0.8, 0.7, 0.6, 0.5]
    np.fill_diagonal(s, NAN)
    return s


PAIRS = [
    ("demo:cook", "demo:pastry-cook"),
    ("demo:cook", "demo:nurse"),
    ("demo:waiter", "demo:nurse"),
]


def test_ranks_follow_the_evaluation_order() -> None:
    """Ties go to the lower index, NaN ranks last, the source itself after everything."""
    scores = np.array([[NAN, 0.5, 0.5, NAN], [0.1, NAN, 0.3, 0.2]])
    ranks = ranks_of(np.vstack([scores, np.zeros((2, 4))]), [0, 1])
    assert ranks[0].tolist() == [4, 1, 2, 3]
    assert ranks[1].tolist() == [3, 4, 1, 2]


def test_by_hand_on_the_demo_graph() -> None:
    d = diagnose(demo_graph(), PAIRS, k=1, scorer=_fixed_scores)
    assert d.n == 2 and d.recall_at_k == pytest.approx(0.25)  # cook 1/2, waiter 0/1
    classes = {c.name: c for c in d.by_distance}
    assert [c.name for c in d.by_distance] == list(DISTANCES)
    same, wider, none = (classes[name] for name in DISTANCES)
    assert (same.pairs, same.recall_at_k) == (1, 1.0)  # cook → pastry-cook, both in "food"
    assert (wider.pairs, none.pairs, none.recall_at_k) == (0, 2, 0.0)
    assert list(same.rank_bins) == ["1-1", "2-2", "3-50", "51-100", ">100"]
    assert same.rank_bins["1-1"] == 1 and none.rank_bins["3-50"] == 2  # the nurse ranks 5th
    [missed] = d.missed_destinations  # pastry-cook is never missed, so it is not listed
    assert (missed.occupation, missed.sources, missed.missed, missed.median_rank) == (
        "demo:nurse",
        2,
        2,
        5.0,
    )
    assert missed.label == "infirmier"
    assert d.ceiling_recall_at_k >= d.recall_at_k
    assert d.ceiling_weight == 0.0 or d.ceiling_weight in PRIOR_WEIGHTS


def test_a_shared_higher_group_is_the_wider_class() -> None:
    """Put both demo groups under one sector: cook → nurse becomes a 'same wider group'
    move, waiter → nurse too; cook → pastry-cook stays in its parent group."""
    ds = demo_dataset()
    sector = Node(
        id="demo:services", type=NodeType.OCCUPATION_GROUP, labels={"en": "services"}, source=SOURCE
    )
    rels = [
        Relationship(RelType.BROADER, "demo:food", "demo:services"),
        Relationship(RelType.BROADER, "demo:health", "demo:services"),
    ]
    ds = replace(ds, nodes=[*ds.nodes, sector], relationships=[*ds.relationships, *rels])
    d = diagnose(graph_from_dataset(ds), PAIRS, k=1, scorer=_fixed_scores)
    counts = {c.name: c.pairs for c in d.by_distance}
    assert counts == {DISTANCES[0]: 1, DISTANCES[1]: 2, DISTANCES[2]: 0}


def test_a_perfect_ranking_has_nothing_to_explain() -> None:
    def perfect(G: nx.MultiDiGraph) -> np.ndarray:
        s = _fixed_scores(G)
        s[COOK, NURSE] = s[WAITER, NURSE] = 5.0
        return s

    d = diagnose(demo_graph(), PAIRS, k=2, scorer=perfect)
    assert d.recall_at_k == 1.0 and d.missed_destinations == []
    assert (d.ceiling_recall_at_k, d.ceiling_weight) == (1.0, 0.0)


def test_bad_arguments() -> None:
    with pytest.raises(InvalidArgument, match="k"):
        diagnose(demo_graph(), PAIRS, k=0)
    with pytest.raises(InvalidArgument, match="no pair"):
        diagnose(demo_graph(), [("demo:cook", "nowhere:1")])


def test_default_scorer_agrees_with_evaluate() -> None:
    G = demo_graph()
    pairs = [(u, v) for u, v, key in G.edges(keys=True) if key == "MOBILITY"]
    assert pairs, "the demo graph has curated mobility edges to use as truth"
    d = diagnose(G, pairs, k=2)
    assert d.recall_at_k == pytest.approx(evaluate(G, pairs, k=2).recall_at_k)
    assert sum(c.pairs for c in d.by_distance) == len(set(pairs))


def test_cli_diagnose(tmp_path: Path) -> None:
    G = demo_graph()
    store = tmp_path / "demo.sqlite"
    data = tmp_path / "demo.json"
    write_json(demo_dataset(), data)
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", "json", str(data), "--store", str(store), "-q"])
    assert loaded.exit_code == 0, loaded.output
    truth = tmp_path / "pairs.csv"
    with truth.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target"])
        writer.writerows((u, v) for u, v, key in G.edges(keys=True) if key == "MOBILITY")
    args = ["evaluate", "--truth", str(truth), "--k", "2", "--store", str(store)]
    result = runner.invoke(main, [*args, "--diagnose", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"n", "k", "recallAtK", "mrr", "baselines"} <= set(out)
    diag = out["diagnostics"]
    assert diag["recallAtK"] == out["recallAtK"]
    assert [c["distance"] for c in diag["byDistance"]] == list(DISTANCES)
    assert diag["popularityCeiling"]["recallAtK"] >= diag["recallAtK"]
    table = runner.invoke(main, [*args, "--diagnose"])
    assert table.exit_code == 0 and "popularity ceiling" in table.output
    plain = runner.invoke(main, [*args, "--json"])
    assert "diagnostics" not in json.loads(plain.output)


@pytest.mark.shared_data
def test_rome_misses_are_mostly_far_moves(rome_graph: nx.MultiDiGraph) -> None:
    """On ROME v3.33, moves inside one domaine are found far more often than moves that
    share no group, and the class counts add up to the pairs used."""
    pairs = [(u, v) for u, v, key in rome_graph.edges(keys=True) if key == "MOBILITY"]
    d = diagnose(rome_graph, pairs, k=10)
    distinct = {(u, v) for u, v in pairs if u != v}
    assert sum(c.pairs for c in d.by_distance) == len(distinct)
    same, wider, none = d.by_distance
    assert same.recall_at_k > wider.recall_at_k > none.recall_at_k
    assert (
        d.missed_destinations
        and d.missed_destinations[0].missed >= d.missed_destinations[-1].missed
    )
    assert d.ceiling_recall_at_k >= d.recall_at_k
