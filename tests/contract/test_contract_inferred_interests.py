"""Interests read across a crosswalk (``cartonet crosswalk --infer-interests``) keep their
``inferred`` mark and their SAME_AS link through every store: the orientation graph read
back from the store says which interests of an occupation are estimates, and from which
linked occupation, as the one built from the loaded datasets does."""

from __future__ import annotations

from contract_data import ESCO, esco_dataset, rome_dataset

from cartonet.ingest import crosswalk as cw
from cartonet.model import Dataset, RelType
from cartonet.orientation.profile import Profile
from cartonet.orientation.projection import graph_from_dataset, project
from cartonet.orientation.transitions import inferred_interests, suggest_transitions
from cartonet.store.base import Store

NURSE = ESCO + "occupation/18e14e61-495b-44cc-a7c6-df4c625934ba"  # specialist nurse
TWIN = "rome:J1506"  # a ROME nursing fiche of the contract data: S, then R


async def test_inferred_interests_survive_the_store(loaded: Store) -> None:
    esco, rome = esco_dataset(), rome_dataset()
    own = [r for r in rome.relationships if r.type is RelType.MATCHES_INTEREST]
    interests: dict[str, list] = {}
    for rel in own:
        interests.setdefault(rel.start, []).append(rel)
    links = [cw.Link(NURSE, TWIN, 0.9, "reviewed:contract")]
    extra = cw.infer_interests(links, interests, {NURSE})
    assert {r.end for r in extra} == {"riasec:S", "riasec:R"}
    crossed = cw.crosswalk_dataset("crosswalk", links, extra)
    await loaded.load(crossed)

    G_store = await project(loaded)
    G_loaded = graph_from_dataset(
        Dataset(
            source="loaded",
            nodes=[*esco.nodes, *rome.nodes],
            relationships=[*esco.relationships, *rome.relationships, *crossed.relationships],
        )
    )
    asked = ["riasec:S", "riasec:R", "riasec:C"]
    want = (["riasec:S", "riasec:R"], TWIN)
    assert inferred_interests(G_store, NURSE, asked) == want
    assert inferred_interests(G_loaded, NURSE, asked) == want
    assert inferred_interests(G_store, TWIN, asked) == ([], None)
    profile = Profile(current_occupations=(NURSE,), interests={"S": 1.0})
    got = suggest_transitions(G_store, profile, k=5)
    assert [(s.inferred_interests, s.interests_from) for s in got] == [
        (s.inferred_interests, s.interests_from)
        for s in suggest_transitions(G_loaded, profile, k=5)
    ]
