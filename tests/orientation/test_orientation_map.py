"""The map: clusters, centrality, coordinates."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from orientation_helpers import merged

from cartonet.errors import InvalidArgument
from cartonet.model import NodeType
from cartonet.orientation.index import index_of
from cartonet.orientation.projection import graph_from_dataset
from cartonet.orientation.skillmap import (
    KINDS,
    MapLink,
    _co_requirements,
    _occupation_graph,
    _skill_graph,
    skill_map,
)


@pytest.mark.parametrize("kind", ["skills", "occupations"])
def test_map_is_a_partition_with_bounded_coordinates(
    fixtures_graph: nx.MultiDiGraph, kind: str
) -> None:
    m = skill_map(fixtures_graph, kind)
    ix = index_of(fixtures_graph)
    expected = (
        {s for s, n in zip(ix.skills, ix.skill_occurrence, strict=True) if n > 0}
        if kind == "skills"
        else set(ix.occupations)
    )
    ids = [p.id for p in m.points]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    wanted = NodeType.SKILL if kind == "skills" else NodeType.OCCUPATION
    assert all(fixtures_graph.nodes[i]["type"] == wanted for i in ids)
    assert all(-1.0 <= p.x <= 1.0 and -1.0 <= p.y <= 1.0 for p in m.points)
    sizes = {c.id: c.size for c in m.communities}
    assert sum(sizes.values()) == len(ids)
    for c in m.communities:
        assert sum(p.community == c.id for p in m.points) == c.size
        assert set(c.central) <= {p.id for p in m.points if p.community == c.id}
    assert [c.size for c in m.communities] == sorted((c.size for c in m.communities), reverse=True)
    assert sum(p.centrality for p in m.points) == pytest.approx(1.0)
    by_centrality = sorted(m.points, key=lambda p: (-p.centrality, p.id))
    assert m.most_central == [p.id for p in by_centrality[:20]]
    assert 0.0 < m.modularity <= 1.0


def test_map_is_cached_and_deterministic(fixture_datasets: list) -> None:
    G1 = graph_from_dataset(merged(fixture_datasets))
    G2 = graph_from_dataset(merged(fixture_datasets))
    a = skill_map(G1, "occupations")
    assert skill_map(G1, "occupations") is a
    assert skill_map(G2, "occupations") == a


# builds both maps of the fixtures and prints one digest per kind of everything a map holds
# (coordinates and modularity to the last bit, through their repr)
_MAP_DIGESTS = """
import hashlib
from orientation_helpers import merged
from cartonet.ingest.fixtures import load_fixtures
from cartonet.orientation.projection import graph_from_dataset
from cartonet.orientation.skillmap import KINDS, skill_map

G = graph_from_dataset(merged(list(load_fixtures())), version="fixtures")
for kind in KINDS:
    m = skill_map(G, kind)
    print(kind, hashlib.sha256((repr(m) + repr(list(m.links))).encode()).hexdigest())
"""


def _digests(fixtures_graph: nx.MultiDiGraph) -> str:
    maps = [(kind, skill_map(fixtures_graph, kind)) for kind in KINDS]
    return "".join(
        f"{kind} {hashlib.sha256((repr(m) + repr(list(m.links))).encode()).hexdigest()}\n"
        for kind, m in maps
    )


def test_map_is_the_same_in_every_process(fixtures_graph: nx.MultiDiGraph) -> None:
    """Coordinates, clusters and modularity do not depend on the string hash of the process
    (NetworkX keeps nodes in sets; set order of text follows ``PYTHONHASHSEED``)."""
    here = Path(__file__).resolve().parent
    runs = []
    for seed in ("1", "2"):  # two differing hash seeds, run side by side
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(here), env.get("PYTHONPATH")]))
        runs.append(
            subprocess.Popen(
                [sys.executable, "-c", _MAP_DIGESTS],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1] == _digests(fixtures_graph)


def test_occupation_clusters_follow_sectors(fixtures_graph: nx.MultiDiGraph) -> None:
    """Most ROME fiches share their cluster with fiches of their own grand domaine."""
    m = skill_map(fixtures_graph, "occupations")
    community = {p.id: p.community for p in m.points}
    rome = [o for o in community if o.startswith("rome:")]
    agree = 0
    for o in rome:
        same = [x for x in rome if x != o and community[x] == community[o]]
        agree += bool(same) and sum(x[5] == o[5] for x in same) / len(same) >= 0.5
    assert agree / len(rome) >= 0.6


def test_unknown_kind(demo: nx.MultiDiGraph) -> None:
    with pytest.raises(InvalidArgument) as err:
        skill_map(demo, "trainings")
    assert err.value.argument == "kind"


def test_central_skills_are_transferable(fixtures_graph: nx.MultiDiGraph) -> None:
    """ESCO marks how transferable a skill is (reuse level): the most central ESCO skills of
    the map are transversal or cross-sector far more often than ESCO skills on average."""
    m = skill_map(fixtures_graph, "skills")
    esco = [
        p for p in sorted(m.points, key=lambda p: (-p.centrality, p.id)) if p.id.startswith("http")
    ]

    def share(points: list) -> float:
        reuse = [fixtures_graph.nodes[p.id]["node"].props.get("reuse") for p in points]
        return sum(r in ("transversal", "cross-sector") for r in reuse) / len(reuse)

    assert share(esco[:20]) >= 1.5 * share(esco)


@pytest.mark.parametrize("kind", ["skills", "occupations"])
def test_links_are_the_knn_graph_sorted(fixtures_graph: nx.MultiDiGraph, kind: str) -> None:
    """The links kept as arrays read as the kNN graph's edges, each once with its smaller
    id first, sorted by (source, target), with the graph's weights."""
    ix = index_of(fixtures_graph)
    if kind == "skills":
        ids, co = _co_requirements(ix)
        H = _skill_graph(ix, ids, co)
    else:
        ids, H = list(ix.occupations), _occupation_graph(fixtures_graph, ix)
    want = sorted(
        (min(ids[u], ids[v]), max(ids[u], ids[v]), w) for u, v, w in H.edges(data="weight")
    )
    links = skill_map(fixtures_graph, kind).links
    assert len(want) > 100
    assert [(x.source, x.target, x.weight) for x in links] == want
    assert [(x.source, x.target) for x in links[5:9]] == [(s, t) for s, t, _ in want[5:9]]
    assert links[-1] == MapLink(*want[-1]) and links[-len(want)] == links[0]
    middle = want[len(want) // 2]
    around = {middle[0], "not-an-id"}
    assert links.touching(around) == [
        MapLink(s, t, w) for s, t, w in want if s in around or t in around
    ]
    with pytest.raises(IndexError):
        links[len(want)]
