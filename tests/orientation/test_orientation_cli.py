"""``cartonet similar | suggest | evaluate`` and the ROME mobility pairs script."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from cartonet.cli import main
from cartonet.ingest.fixtures import fixture_paths
from cartonet.orientation.profile import Profile
from cartonet.orientation.similarity import similar_occupations
from cartonet.orientation.transitions import suggest_transitions
from cartonet_testing import load_script


@pytest.fixture(scope="module")
def rome_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding the ROME fixture subset, loaded through the CLI."""
    path = tmp_path_factory.mktemp("cli-orientation") / "rome.sqlite"
    rome = next(p for p in fixture_paths() if p.name.startswith("rome"))
    result = CliRunner().invoke(main, ["load", "json", str(rome), "--store", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def rome_fixture_graph(rome_store: Path) -> nx.MultiDiGraph:
    import asyncio

    from cartonet.orientation.projection import project
    from cartonet.store.embedded import EmbeddedStore

    async def build() -> nx.MultiDiGraph:
        store = EmbeddedStore(rome_store)
        await store.open()
        try:
            return await project(store)
        finally:
            await store.close()

    return asyncio.run(build())


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["similar", "suggest", "evaluate"])
def test_help(command: str) -> None:
    out = run(command, "--help")
    assert "--store" in out and "--json" in out


def test_similar(rome_store: Path, rome_fixture_graph: nx.MultiDiGraph) -> None:
    data = json.loads(
        run("similar", "rome:G1602", "--k", "4", "--json", "--store", str(rome_store))
    )
    expected = similar_occupations(rome_fixture_graph, "rome:G1602", 4)
    assert [d["id"] for d in data] == [e.occupation for e in expected]
    assert all(0 <= d["score"] <= 1 and set(d["parts"]) == set(expected[0].parts) for d in data)
    table = run("similar", "rome:G1602", "--k", "4", "--store", str(rome_store))
    assert all(e.occupation in table for e in expected)
    assert "score" in table.splitlines()[1]


def test_suggest(rome_store: Path, rome_fixture_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    data = json.loads(
        run(
            "suggest",
            "--interest",
            "S=1",
            "--interest",
            "A=0.5",
            "--k",
            "5",
            "--json",
            "--lang",
            "en",
            "--store",
            str(rome_store),
        )
    )
    expected = suggest_transitions(
        rome_fixture_graph, Profile(interests={"S": 1.0, "A": 0.5}), 5, lang="en"
    )
    assert [d["id"] for d in data] == [e.occupation for e in expected]
    assert [d["explanation"] for d in data] == [e.explanation for e in expected]
    # the names and cases of the API: camelCase keys, enum member names
    for d, e in zip(data, expected, strict=True):
        assert d["activeParts"] == [p.upper() for p in e.active_parts]
        assert set(d["parts"]) == {
            "skillFit",
            "affinityFit",
            "gapCost",
            "mobility",
            "localMobility",
            "feasibility",
            "similarity",
            "observedMobility",
        }
        assert set(d["trainingPlan"]) == {
            "steps",
            "totalHours",
            "catalogueHours",
            "estimatedHours",
            "uncoveredSkills",
            "regulated",
            "requiredDiploma",
        }
        assert d["trainingPlan"]["totalHours"] == e.gap.total_hours
        assert d["levelStep"] == e.level_step and d["entryLevel"] == e.entry_level
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"currentOccupations": ["rome:G1602"]}), encoding="utf-8")
    table = run(
        "suggest", "--profile", str(profile), "--max-hours", "1000", "--store", str(rome_store)
    )
    assert "rome:G1602" not in table.split("\n\n")[0]
    assert "1. " in table


def test_bad_input_is_a_clean_error(rome_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["similar", "nope", "--store", str(rome_store)])
    assert result.exit_code == 2 and "unknown occupation id 'nope'" in result.output
    assert "Traceback" not in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["suggest", "--profile", str(bad), "--store", str(rome_store)]
    )
    assert result.exit_code == 1 and "bad.json:1" in result.output


def test_an_empty_profile_is_refused(rome_store: Path, tmp_path: Path) -> None:
    only_dislikes = tmp_path / "p.json"
    only_dislikes.write_text('{"dislikedOccupations": ["rome:G1602"]}', encoding="utf-8")
    for extra in (
        [],
        ["--profile", str(only_dislikes)],
        ["--dislike-group", "x", "--max-hours", "9"],
    ):
        result = CliRunner().invoke(main, ["suggest", *extra, "--store", str(rome_store)])
        assert result.exit_code == 2, result.output
        assert "the profile is empty" in result.output and "--occupation" in result.output
        assert "Traceback" not in result.output


def test_evaluate(rome_store: Path, rome_fixture_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    truth = tmp_path / "pairs.csv"
    with truth.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target"])
        for u, v, k in rome_fixture_graph.edges(keys=True):
            if k == "MOBILITY":
                writer.writerow([u, v])
    data = json.loads(
        run("evaluate", "--truth", str(truth), "--k", "10", "--json", "--store", str(rome_store))
    )
    assert {"n", "k", "recallAtK", "mrr", "baselines"} <= set(data)
    assert data["k"] == 10 and data["n"] > 50
    assert {"jaccard", "random"} <= set(data["baselines"])
    assert data["mobilityEdgesRemoved"] == data["pairs"]["read"]
    assert (
        data["recallAtK"]
        > data["baselines"]["jaccard"]["recallAtK"]
        > data["baselines"]["random"]["recallAtK"]
    )
    assert data["method"] == "similar" and data["edgesRemoved"] == {
        "MOBILITY": data["pairs"]["read"]
    }
    table = run("evaluate", "--truth", str(truth), "--store", str(rome_store))
    assert "recall@10" in table and "jaccard" in table and "half a" in table
    assert "nDCG@10" in table and "MOBILITY" in table
    suggested = json.loads(
        run(
            "evaluate", "--truth", str(truth), "--method", "suggest", "--json",
            "--exclude-rel", "MOBILITY", "--exclude-rel", "SAME_AS", "--store", str(rome_store),
        )
    )  # fmt: skip
    assert suggested["method"] == "suggest" and suggested["n"] == data["n"]
    # the suggestions read the store's observed moves (none here): counted, 0 removed
    assert suggested["edgesRemoved"] == {
        **data["edgesRemoved"],
        "SAME_AS": 0,
        "OBSERVED_MOBILITY": 0,
    }
    assert suggested["baselines"] == data["baselines"]
    assert 0 < suggested["ndcgAtK"] <= 1


def test_evaluate_cross_truth_and_by_area(
    rome_store: Path, rome_fixture_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    """--leakage, --tune-on and --by-area on a copy of the store holding observed moves."""
    import asyncio
    import shutil

    from cartonet.model import ObservedMobility, ObservedMove
    from cartonet.store.embedded import EmbeddedStore

    rows = [  # real rows of lbb-pse_bassin-emploi_rome-connexe.csv (area, rome, connexe, score)
        ("1107", "D1507", "D1106", 0.93213117),
        ("1107", "D1507", "D1104", 0.7365129),
        ("1108", "D1507", "D1106", 0.85644466),
        ("1108", "D1507", "D1102", 0.95230091),
    ]
    store = tmp_path / "observed.sqlite"
    shutil.copy(rome_store, store)

    async def load() -> None:
        s = EmbeddedStore(store)
        await s.open()
        moves = [ObservedMove(f"rome:{a}", f"rome:{b}", sc, area=ar) for ar, a, b, sc in rows]
        await s.load_observed(ObservedMobility("lbb-2021", moves, {}))
        await s.close()

    asyncio.run(load())
    mobility = tmp_path / "mobility.csv"
    with mobility.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target"])
        writer.writerows(
            (u, v) for u, v, k in rome_fixture_graph.edges(keys=True) if k == "MOBILITY"
        )
    observed = tmp_path / "observed.csv"
    observed.write_text(
        "source,target,area\n" + "".join(f"rome:{a},rome:{b},{ar}\n" for ar, a, b, _ in rows),
        encoding="utf-8",
    )
    base = ["evaluate", "--method", "suggest", "--json", "--store", str(store)]
    plain = json.loads(run(*base, "--truth", str(mobility)))
    # the observed moves are read (none joins a MOBILITY pair of this subset: 0 removed)
    assert plain["leakage"] == "type" and plain["edgesRemoved"]["OBSERVED_MOBILITY"] == 0
    strict = json.loads(run(*base, "--truth", str(observed), "--leakage", "pairs",
                            "--exclude-rel", "OBSERVED_MOBILITY"))  # fmt: skip
    assert strict["leakage"] == "pairs" and "OBSERVED_MOBILITY" in strict["edgesRemoved"]
    tuned = json.loads(run(*base, "--truth", str(observed), "--exclude-rel", "OBSERVED_MOBILITY",
                           "--tune-on", str(mobility)))  # fmt: skip
    assert tuned["tunedOn"]["truth"] == str(mobility) and tuned["tunedOn"]["settings"] == 12
    assert tuned["weights"]["mobility"] == tuned["weights"]["observedMobility"]
    by_area = json.loads(
        run("evaluate", "--truth", str(observed), "--by-area", "--json", "--store", str(store))
    )
    # by hand, the other area's moves alone: for 1107, 1108's D1102 (0.95, not a 1107 move)
    # then D1106 (a hit, rank 2); for 1108, 1107's D1106 (0.93) first: MRR (1/2 + 1) / 2
    assert by_area["areas"] == 2 and by_area["byArea"]["heldOut"]["n"] == 2
    assert by_area["byArea"]["otherAreasOnly"]["mrr"] == 0.75
    bad = CliRunner().invoke(
        main, ["evaluate", "--truth", str(mobility), "--by-area", "--store", str(store)]
    )
    assert bad.exit_code != 0 and "area" in bad.output


HEADER = (
    '"code_rome","code_rome_cible","code_appellation_source","code_appellation_cible",'
    '"code_type_mobilite","libelle_type_mobilite"\n'
)


def test_pairs_script(tmp_path: Path) -> None:
    src = tmp_path / "unix_rubrique_mobilite_v333_utf8.csv"
    src.write_text(
        HEADER
        + '"A1101","A1416","","","2","Evolution"\n'
        + '"A1101","A1416","10200","","1","Proche"\n'  # same pair again, as CLOSE: kept once, CLOSE
        + '"A1101","A1101","","","1","Proche"\n'  # self pair: dropped
        + '"B1101","A1101","","","2","Evolution"\n',
        encoding="utf-8",
    )
    out = tmp_path / "PAIRS.csv"
    script = load_script("rome_mobility_pairs")
    assert script.main([str(tmp_path), "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows == [
        {"source": "rome:A1101", "target": "rome:A1416", "kind": "CLOSE"},
        {"source": "rome:B1101", "target": "rome:A1101", "kind": "EVOLUTION"},
    ]
    assert script.main([str(src), "-o", str(out), "--kind", "evolution"]) == 0
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 1


def test_pairs_script_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "unix_rubrique_mobilite_v333_utf8.csv"
    src.write_text(
        HEADER + '"A1101","A1416","","","1","Proche"\n"A11","A1416","","","1","Proche"\n',
        encoding="utf-8",
    )
    assert load_script("rome_mobility_pairs").main([str(src), "-o", str(tmp_path / "o.csv")]) == 1
    assert f"{src}:3: not a ROME code" in capsys.readouterr().err
