"""Entry requirements: the shared level scale, the ROME access-text rules and ESCO's flags.

The unit tests quote real sentences of the ROME v3.33 "accès à l'emploi" texts
(``unix_texte_v333_utf8.csv``, code_type_texte 2; Pôle emploi, Licence Ouverte), with the
fiche each comes from; the last tests read the real releases in ``../shared/data``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from cartonet.ingest.esco import REGULATED_NOTE, entry_requirements
from cartonet.ingest.rome_access import parse_access
from cartonet.model import Dataset, NodeType
from cartonet.qualifications import (
    entry_coverage,
    isco_skill_level,
    level_of_diploma,
    level_of_isco,
    level_of_job_zone,
)

# -- the scale ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("sans diplôme", 2),
        ("CAP", 3),
        ("BEP", 3),
        ("Bac pro", 4),
        ("Bac+2", 5),
        ("BTS", 5),
        ("DUT", 5),
        ("Licence professionnelle", 6),
        ("Bac + 3", 6),
        ("Master 2", 7),
        ("Bac+5", 7),
        ("Doctorat", 8),
        ("5", 5),
        (7, 7),
    ],
)
def test_diploma_names_and_numbers_land_on_the_scale(text: str | int, level: int) -> None:
    assert level_of_diploma(text) == level


@pytest.mark.parametrize("bad", ["", "permis B", "9", 1, True, None])
def test_unknown_diplomas_have_no_level(bad: object) -> None:
    assert level_of_diploma(bad) is None


def test_isco_skill_levels_follow_the_ilo_table() -> None:
    # ILO ISCO-08 table 3: major group → skill level; armed forces by sub-major group
    assert [isco_skill_level(c) for c in ("1120", "2221", "3212", "5120", "8322", "9112")] == [
        3,
        4,
        3,
        2,
        2,
        1,
    ]
    assert [isco_skill_level(c) for c in ("0110", "0210", "0310")] == [4, 2, 1]
    assert isco_skill_level("") is None and isco_skill_level("x12") is None
    assert [level_of_isco(c) for c in ("9112", "5120", "3212", "2221")] == [2, 3, 5, 6]


def test_job_zones() -> None:
    assert [level_of_job_zone(z) for z in (1, 2, 3, 4, 5)] == [2, 3, 4, 6, 7]
    assert level_of_job_zone(6) is None and level_of_job_zone("x") is None


# -- ROME access texts: real sentences ------------------------------------------------------


def test_a_state_diploma_route_is_regulated_and_named() -> None:
    # J1507 Soins infirmiers spécialisés en puériculture
    found = parse_access(
        [
            "Cet emploi/métier est accessible avec le Diplôme d''Etat -DE- de puéricultrice.",
            "Des vaccinations prévues par le Code de Santé Publique sont exigées.",
        ]
    )
    assert found.regulated and found.diploma == "Diplôme d'État de puéricultrice"
    assert found.level is None  # the text names no level
    assert found.text == (
        "Cet emploi/métier est accessible avec le Diplôme d'Etat -DE- de puéricultrice."
    )


def test_the_lowest_level_of_the_main_route_is_the_entry_level() -> None:
    # M1805 Études et développement informatique
    found = parse_access(
        [
            "Cet emploi/métier est accessible avec un diplôme de niveau Bac+2 (BTS, DUT, ...) à "
            "Master (MIAGE, diplôme d''ingénieur, Master professionnel, ...) en informatique.",
            "Il est également accessible avec une expérience professionnelle en informatique, "
            "système d''exploitation ou dans un domaine applicatif.",
        ]
    )
    assert (found.level, found.regulated, found.diploma) == (5, False, None)
    # G1602 Personnel de cuisine
    cook = parse_access(
        [
            "Cet emploi/métier est accessible avec un CAP/BEP en cuisine ou production "
            "culinaire, pouvant être complété par des Mentions Complémentaires selon les "
            "spécialités"
        ]
    )
    assert cook.level == 3 and not cook.regulated
    # N4103 Conduite de transport en commun sur route
    bus = parse_access(
        [
            "Cet emploi/métier est accessible sans diplôme ni expérience professionnelle. Un CAP "
            "agent d''accueil et de conduite routière peut en faciliter l''accès."
        ]
    )
    assert bus.level == 2  # "sans diplôme" is the main route; the CAP only helps


def test_a_state_diploma_offered_among_others_is_not_regulated() -> None:
    # J1302 Analyses médicales: a BTS or a DUT opens the job as well
    lab = parse_access(
        [
            "Cet emploi/métier est accessible avec un BTS en analyse biologique, biochimie "
            "agricole, un Diplôme d''Etat de Technicien en Analyses Biomédicales -DETAB- ou un "
            "DUT en génie biologie."
        ]
    )
    assert not lab.regulated and lab.level == 5
    # G1203 Animation de loisirs auprès d'enfants ou d'adolescents
    leisure = parse_access(
        [
            "Cet emploi/métier est accessible avec un Brevet ou Diplôme d''Etat dans le secteur "
            "de l''animation (Brevet d''Aptitude à la Fonction d''Animateur -BAFA-, ...)."
        ]
    )
    assert not leisure.regulated


def test_a_state_diploma_said_required_is_regulated() -> None:
    # K1303 Assistance auprès d'enfants (the source's typo "DEAFest" kept)
    found = parse_access(
        [
            "Cet emploi/métier est accessible avec un diplôme de niveau CAP/BEP dans le secteur "
            "sanitaire et social.",
            "Pour l''Assistant familial, le Diplôme d''Etat d''Assistant Familial - DEAFest exigé.",
        ]
    )
    assert found.regulated and found.diploma == "Diplôme d'État d'Assistant Familial"
    assert found.level == 3 and found.text is not None and "DEAF" in found.text


def test_no_text_gives_nothing() -> None:
    assert parse_access([]) == parse_access(["", "  "])
    assert parse_access([]).level is None and not parse_access([]).regulated


# -- ESCO -----------------------------------------------------------------------------------


def test_esco_entry_from_isco_and_the_regulated_note() -> None:
    assert entry_requirements("2222", REGULATED_NOTE) == {
        "entryLevel": 6,
        "entryLevelFrom": "isco",
        "regulated": True,
    }
    unregulated = "http://data.europa.eu/esco/regulated-professions/unregulated"
    assert entry_requirements("9112", unregulated)["regulated"] is False
    assert entry_requirements("", "") == {}


# -- the real releases ----------------------------------------------------------------------


def _occupations(ds: Dataset) -> dict[str, dict]:
    return {n.id: dict(n.props) for n in ds.nodes if n.type is NodeType.OCCUPATION}


def _state_diploma_fiches(rome_dir: Path) -> set[str]:
    texts: dict[str, str] = defaultdict(str)
    path = rome_dir / "unix_texte_v333_utf8.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["code_type_texte"] == "2":
                texts[row["code_rome"]] += " " + row["libelle_texte"].lower()
    return {f"rome:{c}" for c, t in texts.items() if "diplôme d''etat" in t}


def test_rome_release_entry_requirements(rome_full: Dataset, rome_dir: Path) -> None:
    occ = _occupations(rome_full)
    coverage = entry_coverage(occ.values())
    # 490 of the 532 fiches name a level in their access text (the others: a concours, a
    # certificate of their own, or a state diploma whose level the text does not give)
    assert coverage["with_level"] == 490 and coverage["occupations"] == 532
    assert coverage["by_origin"] == {"rome-text": 490}
    regulated = {o for o, p in occ.items() if p.get("regulated")}
    # every regulated fiche names a state diploma; 42 fiches name one, 30 require it
    assert len(regulated) == 30 and regulated <= _state_diploma_fiches(rome_dir)
    assert len(_state_diploma_fiches(rome_dir)) == 42
    for fiche in ("rome:J1507", "rome:J1506", "rome:J1501", "rome:K1201", "rome:J1101"):
        assert fiche in regulated
        assert occ[fiche]["requiredDiploma"].startswith("Diplôme d'État ")
        assert "Diplôme d'Etat" in occ[fiche]["entryText"]
    assert occ["rome:J1507"]["requiredDiploma"] == "Diplôme d'État de puéricultrice"
    assert occ["rome:J1101"]["entryLevel"] == 8  # Diplôme d'Etat de Docteur en médecine
    assert occ["rome:G1602"]["entryLevel"] == 3 and occ["rome:G1602"]["regulated"] is False
    assert occ["rome:M1805"]["entryLevel"] == 5
    assert all(2 <= p["entryLevel"] <= 8 for p in occ.values() if "entryLevel" in p)


def test_esco_release_entry_requirements(esco_full: Dataset) -> None:
    occ = _occupations(esco_full)
    coverage = entry_coverage(occ.values())
    # every ESCO occupation of occupations_en.csv has an ISCO group, hence a level (the one
    # completed from the relations alone, marked incomplete, has neither); 15 are regulated
    with_group = [p for p in occ.values() if p.get("iscoGroup")]
    assert len(with_group) == 3007 and coverage["with_level"] == 3007
    assert coverage["by_origin"] == {"isco": 3007}
    assert coverage["regulated"] == 15
    for p in with_group:
        assert p["entryLevel"] == level_of_isco(p["iscoGroup"])
