"""Observed mobility (beside the graph) behaves the same on every store: reads by area and
merged, commune → area, idempotent reloads, refused loads that leave the previous data."""

from __future__ import annotations

import math
from collections import defaultdict

import pytest
from contract_data import ROME_SOURCE

from cartonet.errors import LoadError
from cartonet.model import Dataset, Node, NodeType, ObservedMobility, ObservedMove
from cartonet.store.base import Store

# Fiches of the ROME (labels from labonneboite_2021/rome_labels.csv) that the rows below
# name and the contract dataset lacks.
EXTRA_FICHES = {
    "C1202": "Analyse de crédits et risques bancaires",
    "C1503": "Management de projet immobilier",
    "D1208": "Soins esthétiques et corporels",
    "J1307": "Préparation en pharmacie",
    "K1302": "Assistance auprès d'adultes",
    "K1303": "Assistance auprès d'enfants",
}

# Rows of lbb-pse_bassin-emploi_rome-connexe.csv (area, rome, rome_connexe, score) whose
# fiches are all in the contract dataset or EXTRA_FICHES.
ROWS = [
    ("101", "C1202", "M1805", 0.9509598),
    ("101", "C1503", "M1805", 0.97731537),
    ("101", "J1505", "K1303", 0.63646972),
    ("101", "J1505", "K1302", 0.9533205),
    ("101", "J1506", "D1208", 0.11603712),
    ("101", "J1506", "K1303", 0.053404216),
    ("101", "J1506", "K1302", 0.078370385),
    ("102", "C1503", "M1805", 0.31945392),
    ("201", "C1202", "M1805", 0.28629613),
    ("201", "J1505", "J1307", 0.76273501),
    ("201", "J1506", "J1307", 0.26619443),
]
COMMUNES = {"97102": "102", "97104": "101", "97105": "101"}  # lbb-pse_..._code-insee.csv


def fiches() -> Dataset:
    return Dataset(
        source=ROME_SOURCE,
        nodes=[
            Node(f"rome:{c}", NodeType.OCCUPATION, {"fr": label}, ROME_SOURCE, props={"code": c})
            for c, label in EXTRA_FICHES.items()
        ],
    )


def observed(rows: list[tuple[str, str, str, float]] = ROWS) -> ObservedMobility:
    return ObservedMobility(
        source="lbb-2021",
        moves=[ObservedMove(f"rome:{s}", f"rome:{e}", score, area=a) for a, s, e, score in rows],
        communes=dict(COMMUNES),
    )


def expected(start: str, area: str | None) -> list[tuple[str, float, str | None, int]]:
    """(end, score, area, areas) from the rows, ordered by score then end."""
    if area is not None:
        found = [(f"rome:{e}", sc, a, 1) for a, s, e, sc in ROWS if s == start and a == area]
    else:
        scores: dict[str, list[float]] = defaultdict(list)
        for _, s, e, sc in ROWS:
            if s == start:
                scores[f"rome:{e}"].append(sc)
        found = [(e, round(math.fsum(v) / len(v), 6), None, len(v)) for e, v in scores.items()]
    return sorted(found, key=lambda m: (-m[1], m[0]))


def as_tuples(moves: list[ObservedMove]) -> list[tuple[str, float, str | None, int]]:
    return [(m.end, m.score, m.area, m.areas) for m in moves]


@pytest.fixture
async def with_moves(loaded: Store) -> Store:
    await loaded.load(fiches())
    report = await loaded.load_observed(observed())
    assert report.written and (report.moves, report.communes, report.areas) == (11, 3, 3)
    return loaded


@pytest.mark.parametrize("area", ["101", "201", "102", "999", None])
async def test_moves_by_area_and_merged(with_moves: Store, area: str | None) -> None:
    starts = ["rome:J1505", "rome:J1506", "rome:C1202", "rome:C1503", "rome:M1805"]
    found = await with_moves.observed_moves(starts, area)
    assert sorted(found) == sorted(starts)
    for start in starts:
        assert as_tuples(found[start]) == expected(start.removeprefix("rome:"), area), start


async def test_merged_score_is_the_mean_over_areas(with_moves: Store) -> None:
    (move,) = (await with_moves.observed_moves(["rome:C1202"]))["rome:C1202"]
    assert move.areas == 2 and move.area is None
    assert move.score == pytest.approx((0.9509598 + 0.28629613) / 2, abs=1e-6)


async def test_commune_to_area(with_moves: Store) -> None:
    assert await with_moves.area_of_commune("97104") == "101"
    assert await with_moves.area_of_commune("97102") == "102"
    assert await with_moves.area_of_commune("75056") is None


async def test_reload_is_idempotent_and_a_change_moves_the_version(with_moves: Store) -> None:
    version = await with_moves.version()
    again = await with_moves.load_observed(observed())
    assert not again.written and again.version == version
    changed = await with_moves.load_observed(observed(ROWS[:3]))
    assert changed.written and changed.version != version
    # a reload replaces the source's moves: the others are gone
    found = await with_moves.observed_moves(["rome:J1506", "rome:J1505"], None)
    assert found["rome:J1506"] == []
    assert as_tuples(found["rome:J1505"]) == [("rome:K1303", round(0.63646972, 6), None, 1)]


async def test_unknown_fiche_is_refused_and_nothing_changes(with_moves: Store) -> None:
    version = await with_moves.version()
    bad = observed([*ROWS, ("101", "J1505", "Z9999", 0.5)])
    with pytest.raises(LoadError, match="rome:Z9999"):
        await with_moves.load_observed(bad)
    assert await with_moves.version() == version
    found = await with_moves.observed_moves(["rome:J1505"], "101")
    assert as_tuples(found["rome:J1505"]) == expected("J1505", "101")


async def test_empty_store_answers_no_moves(store: Store) -> None:
    assert await store.observed_moves(["rome:M1805"]) == {"rome:M1805": []}
    assert await store.area_of_commune("97104") is None
