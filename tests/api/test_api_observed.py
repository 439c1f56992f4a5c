"""Observed local mobility through GraphQL: an occupation's observed moves (by area, by
commune, merged) and the local-mobility part of suggestTransitions."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest
from api_helpers import Gql, client_for, gql_for

from cartonet.api.app import create_app
from cartonet.model import Dataset, ObservedMobility, ObservedMove
from cartonet.settings import Settings
from cartonet.store.embedded import EmbeddedStore
from cartonet_testing import embedded_store_file

# Rows of lbb-pse_bassin-emploi_rome-connexe.csv (area, rome, rome_connexe, score) between
# fiches of the bundled fixtures; 75056 (Paris) is in area 1107 (..._code-insee.csv).
ROWS = [
    ("1107", "D1507", "D1106", 0.93213117),
    ("1107", "D1507", "D1107", 0.74759829),
    ("1107", "D1507", "D1104", 0.7365129),
    ("1108", "D1507", "D1102", 0.95230091),
    ("1108", "D1507", "D1104", 0.66071147),
    ("1108", "D1507", "D1106", 0.85644466),
]
COMMUNES = {"75056": "1107", "92050": "1108"}


@pytest.fixture(scope="module")
async def gql_observed(
    tmp_path_factory: pytest.TempPathFactory, fixture_datasets: list[Dataset]
) -> AsyncIterator[Gql]:
    path = tmp_path_factory.mktemp("observed") / "store.sqlite"
    await embedded_store_file(path, fixture_datasets)
    store = EmbeddedStore(path)
    await store.open()
    moves = [ObservedMove(f"rome:{s}", f"rome:{e}", sc, area=a) for a, s, e, sc in ROWS]
    await store.load_observed(ObservedMobility("lbb-2021", moves, dict(COMMUNES)))
    await store.close()
    app = create_app(Settings(store=str(path)), warm_up=False)
    async with app.router.lifespan_context(app), client_for(app) as client:
        yield gql_for(client)


MOVES = """
query($area: String, $commune: String) {
  occupation(id: "rome:D1507") {
    observedMobilities(area: $area, commune: $commune) {
      occupation { id } score area areas
    }
  }
}
"""


def moves(data: dict) -> list[tuple[str, float, str | None, int]]:
    return [
        (m["occupation"]["id"], m["score"], m["area"], m["areas"])
        for m in data["occupation"]["observedMobilities"]
    ]


async def test_moves_of_an_area_a_commune_and_merged(gql_observed: Gql) -> None:
    in_area = moves(await gql_observed(MOVES, {"area": "1107"}))
    expected = sorted(
        [(f"rome:{e}", sc, a, 1) for a, _, e, sc in ROWS if a == "1107"], key=lambda m: -m[1]
    )
    assert in_area == expected
    assert moves(await gql_observed(MOVES, {"commune": "75056"})) == expected
    merged = {m[0]: m for m in moves(await gql_observed(MOVES, {}))}
    assert merged["rome:D1104"][1:] == (round((0.7365129 + 0.66071147) / 2, 6), None, 2)
    assert merged["rome:D1102"][1:] == (round(0.95230091, 6), None, 1)


async def test_bad_area_arguments_are_named(gql_observed: Gql) -> None:
    body = await gql_observed(MOVES, {"commune": "99999"}, errors=True)
    assert "commune" in body["errors"][0]["message"]
    body = await gql_observed(MOVES, {"commune": "75056", "area": "1107"}, errors=True)
    assert "not both" in body["errors"][0]["message"]


SUGGEST = """
query($p: ProfileInput!) {
  suggestTransitions(profile: $p, first: 100) {
    occupation { id } parts { localMobility observedMobility } activeParts
  }
}
"""


async def test_suggestions_use_the_commune_when_given(gql_observed: Gql) -> None:
    # without a commune: the moves merged over all areas (mean score), a global prior
    plain = (await gql_observed(SUGGEST, {"p": {"currentOccupations": ["rome:D1507"]}}))[
        "suggestTransitions"
    ]
    assert all("OBSERVED_MOBILITY" in s["activeParts"] for s in plain)
    assert all("LOCAL_MOBILITY" not in s["activeParts"] for s in plain)
    assert all(s["parts"]["localMobility"] == 0 for s in plain)
    merged = {s["occupation"]["id"]: s["parts"]["observedMobility"] for s in plain}
    for end in ("D1106", "D1104", "D1102", "D1107"):
        scores = [sc for _, src, e, sc in ROWS if e == end]
        assert merged[f"rome:{end}"] == pytest.approx(sum(scores) / len(scores), abs=1e-6)
    assert sum(v > 0 for v in merged.values()) == 4
    profile = {"currentOccupations": ["rome:D1507"], "commune": "75056"}
    local = (await gql_observed(SUGGEST, {"p": profile}))["suggestTransitions"]
    parts = {s["occupation"]["id"]: s["parts"]["localMobility"] for s in local}
    assert all("LOCAL_MOBILITY" in s["activeParts"] for s in local)
    assert all("OBSERVED_MOBILITY" not in s["activeParts"] for s in local)
    for _, _, end, score in (r for r in ROWS if r[0] == "1107"):
        assert parts[f"rome:{end}"] == pytest.approx(score)
    # a move seen in this area ranks higher with the commune than one seen elsewhere only
    rank = {s["occupation"]["id"]: i for i, s in enumerate(plain)}
    rank_local = {s["occupation"]["id"]: i for i, s in enumerate(local)}
    assert rank_local["rome:D1107"] <= rank["rome:D1107"]
    assert rank_local["rome:D1102"] >= rank["rome:D1102"]
    assert parts.get("rome:D1102", 0) == 0  # observed in another area only


async def test_an_unknown_commune_leaves_the_part_off(gql_observed: Gql) -> None:
    # a front-end may always send the commune it has: no area known, no local part, no error
    profile = {"currentOccupations": ["rome:D1507"], "commune": "99999"}
    found = (await gql_observed(SUGGEST, {"p": profile}))["suggestTransitions"]
    assert found and all("LOCAL_MOBILITY" not in s["activeParts"] for s in found)
    both = {"currentOccupations": ["rome:D1507"], "commune": "75056", "area": "1107"}
    body = await gql_observed(SUGGEST, {"p": both}, errors=True)
    assert "not both" in body["errors"][0]["message"]


async def test_employment_area_of_a_commune(gql_observed: Gql) -> None:
    """The area a commune maps to, as the profile's commune uses it; null when unknown."""
    query = "query($c: String!) { employmentArea(commune: $c) }"
    for commune, area in COMMUNES.items():
        assert (await gql_observed(query, {"c": commune}))["employmentArea"] == area
        # the page then asks for the moves observed there
        data = await gql_observed(MOVES, {"area": area, "commune": None})
        assert {m[2] for m in moves(data)} == {area}
    assert (await gql_observed(query, {"c": "99999"}))["employmentArea"] is None
    body = await gql_observed(query, {"c": "   "}, errors=True)
    assert body["errors"][0]["extensions"]["argument"] == "commune"


LOADS = """
query($source: String, $first: Int!) {
  stats {
    version
    loads(source: $source, first: $first) {
      seq source release kind loadedAt durationSeconds readSeconds writeSeconds version
      replace warnings files { name sha256 } counts { type count }
      changes { kind type added updated removed takenOver }
    }
  }
}
"""


async def test_stats_list_the_load_history(
    gql_observed: Gql, fixture_datasets: list[Dataset]
) -> None:
    data = (await gql_observed(LOADS, {"first": 10}))["stats"]
    loads = data["loads"]
    # the fixtures' datasets in order, then the observed mobility, newest first
    assert [r["source"] for r in loads] == [
        "lbb-2021",
        *(d.source for d in reversed(fixture_datasets)),
    ]
    newest = loads[0]
    assert newest["version"] == data["version"]
    assert (newest["kind"], newest["release"], newest["replace"]) == (
        "observed-mobility",
        "2021",
        True,
    )
    assert {c["type"]: c["count"] for c in newest["counts"]} == {
        "AreaCommune": len(COMMUNES),
        "ObservedMove": len(ROWS),
    }
    assert newest["changes"] == [
        {"kind": "observed", "type": t, "added": n, "updated": 0, "removed": 0, "takenOver": 0}
        for t, n in (("AreaCommune", len(COMMUNES)), ("ObservedMove", len(ROWS)))
    ]
    first = loads[-1]
    nodes = Counter(str(n.type) for n in fixture_datasets[0].nodes)
    assert {c["type"]: c["added"] for c in first["changes"] if c["kind"] == "node"} == nodes
    only = (await gql_observed(LOADS, {"source": "rome-v333", "first": 5}))["stats"]["loads"]
    assert [r["source"] for r in only] == ["rome-v333"]
    body = await gql_observed(LOADS, {"first": 501}, errors=True)
    assert "first" in body["errors"][0]["message"]
