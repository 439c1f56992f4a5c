"""Small, valid ESCO and ROME releases written from scratch, for the bad-row tests.

Each builder writes a release that loads cleanly; a test then spoils one file and checks
the error. The rows are made up for the test, shaped like the real files (same headers,
quoting, a multi-line quoted field, ROME's doubled apostrophes).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

ESCO = "http://data.europa.eu/esco"
OCC_A = f"{ESCO}/occupation/aaaa"
OCC_B = f"{ESCO}/occupation/bbbb"
SK_HARD = f"{ESCO}/skill/s-hard"
SK_KNOW = f"{ESCO}/skill/s-know"
SK_SOFT = f"{ESCO}/skill/s-soft"
GROUP = f"{ESCO}/skill/g-1"
ISCO_1 = f"{ESCO}/isco/C2"
ISCO_2 = f"{ESCO}/isco/C25"


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], quote_all: bool = False
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
        writer = csv.writer(f, quoting=quoting, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


OCC_HEADER = [
    "conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels",
    "status", "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme",
    "description", "code",
]  # fmt: skip
SKILL_HEADER = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
    "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
    "description",
]  # fmt: skip
COLLECTION_HEADER = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "status",
    "altLabels", "description", "broaderConceptUri", "broaderConceptPT",
]  # fmt: skip
ISCO_HEADER = [
    "conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels", "inScheme",
    "description",
]  # fmt: skip
GROUP_HEADER = [
    "conceptType", "conceptUri", "preferredLabel", "altLabels", "hiddenLabels", "status",
    "modifiedDate", "scopeNote", "inScheme", "description", "code",
]  # fmt: skip
HIERARCHY_HEADER = [
    "Level 0 URI", "Level 0 preferred term", "Level 1 URI", "Level 1 preferred term",
    "Level 2 URI", "Level 2 preferred term", "Level 3 URI", "Level 3 preferred term",
    "Description", "Scope note", "Level 0 code", "Level 1 code", "Level 2 code",
    "Level 3 code",
]  # fmt: skip
BROADER_HEADER = ["conceptType", "conceptUri", "broaderType", "broaderUri"]
REQUIRES_HEADER = ["occupationUri", "relationType", "skillType", "skillUri"]


def occ_row(uri: str, label: str, alt: str, isco: str, code: str, desc: str) -> list[str]:
    return ["Occupation", uri, isco, label, alt, "", "released", "", "", "", "", "", desc, code]


def skill_row(uri: str, skill_type: str, reuse: str, label: str, alt: str = "") -> list[str]:
    row = ["KnowledgeSkillCompetence", uri, skill_type, reuse, label, alt]
    return [*row, "", "released", "", "", "", "", f"About {label}."]


def mini_esco(root: Path) -> Path:
    """A valid ESCO-like release under ``root/v1.1.1`` (with a ``v1.0_fr_labels`` sibling).

    Line numbers the tests rely on: the first skill and the first occupation have
    multi-line altLabels, so in ``en/skills_en.csv`` the skills start on lines 2, 4 and 5,
    and in ``en/occupations_en.csv`` the occupations on lines 2 and 5.
    """
    release = root / "v1.1.1"
    en, fr, rel = release / "en", release / "fr", release / "relations"
    write_csv(
        en / "occupations_en.csv",
        OCC_HEADER,
        [
            occ_row(OCC_A, "software tester", "tester\ntest analyst\nQA tester", "2519",
                    "2519.1", "Tests software."),
            occ_row(OCC_B, "shop assistant", "", "5223", "5223.1", "Sells things."),
        ],
    )  # fmt: skip
    write_csv(
        en / "skills_en.csv",
        SKILL_HEADER,
        [
            skill_row(SK_HARD, "skill/competence", "cross-sector", "test software",
                      "run tests\ncheck software"),
            skill_row(SK_KNOW, "knowledge", "sector-specific", "retail law"),
            skill_row(SK_SOFT, "skill/competence", "transversal", "work in teams"),
        ],
    )  # fmt: skip
    write_csv(
        en / "transversalSkillsCollection_en.csv",
        COLLECTION_HEADER,
        [["KnowledgeSkillCompetence", SK_SOFT, "skill/competence", "transversal",
          "work in teams", "released", "", "", "", ""]],
    )  # fmt: skip
    write_csv(
        en / "ISCOGroups_en.csv",
        ISCO_HEADER,
        [["ISCOGroup", ISCO_1, "2", "Professionals", "released", "", "", ""],
         ["ISCOGroup", ISCO_2, "25", "ICT professionals", "released", "", "", ""]],
    )  # fmt: skip
    write_csv(
        en / "skillGroups_en.csv",
        GROUP_HEADER,
        [["SkillGroup", GROUP, "testing", "", "", "released", "", "", "", "", "S1"]],
    )
    write_csv(en / "skillsHierarchy_en.csv", HIERARCHY_HEADER, [[GROUP, "testing", "", "", ""]])
    write_csv(
        fr / "occupations_fr.csv",
        OCC_HEADER,
        [occ_row(OCC_A, "testeur logiciel/testeuse logiciel", "", "2519", "2519.1",
                 "Teste des logiciels.")],
    )  # fmt: skip
    write_csv(
        root / "v1.0_fr_labels" / "skills_fr.csv",
        ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
         "description"],
        [["KnowledgeSkillCompetence", SK_HARD, "skill/competence", "cross-sector",
          "tester des logiciels", "", ""]],
    )  # fmt: skip
    write_csv(
        rel / "occupationSkillRelations.csv",
        REQUIRES_HEADER,
        [[OCC_A, "essential", "skill/competence", SK_HARD],
         [OCC_A, "optional", "skill/competence", SK_SOFT],
         [OCC_B, "essential", "knowledge", SK_KNOW]],
    )  # fmt: skip
    write_csv(
        rel / "broaderRelationsOccPillar.csv",
        BROADER_HEADER,
        [["ISCOGroup", ISCO_2, "ISCOGroup", ISCO_1],
         ["Occupation", OCC_A, "ISCOGroup", ISCO_2]],
    )  # fmt: skip
    write_csv(
        rel / "broaderRelationsSkillPillar.csv",
        BROADER_HEADER,
        [["KnowledgeSkillCompetence", SK_HARD, "SkillGroup", GROUP]],
    )
    return release


ROME_FILES = {
    "referentiel_code_rome": ["code_rome", "code_fiche_em", "code_ogr", "libelle_rome", "statut"],
    "referentiel_appellation": [
        "code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome",
        "code_type_section_appellation", "libelle_type_section_appellation", "statut",
    ],
    "referentiel_competence": [
        "code_ogr", "libelle_competence", "code_type_competence", "libelle_type_competence",
        "statut",
    ],
    "item_arborescence": [
        "code_ogr", "code_type_referentiel", "code_pere", "code_noeud", "libelle_item_arbo",
        "code_item_arbo_associe", "code_type_noeud", "libelle_type_noeud", "statut",
    ],
    "liens_rome_referentiels": [
        "code_rome", "code_ogr", "code_ref_rubrique", "position_bloc", "code_type_referentiel",
        "code_compo_bloc", "position_item", "id_priorisation",
    ],
    "referentiel_code_rome_riasec": ["code_rome", "riasec_majeur", "riasec_mineur"],
    "rubrique_mobilite": [
        "code_rome", "code_rome_cible", "code_appellation_source", "code_appellation_cible",
        "code_type_mobilite", "libelle_type_mobilite",
    ],
    "texte": [
        "code_rome", "position_libelle_txt", "code_type_texte", "libelle_texte",
        "libelle_type_texte",
    ],
}  # fmt: skip


def rome_path(release: Path, name: str) -> Path:
    return release / f"unix_{name}_v333_utf8.csv"


def mini_rome(root: Path) -> Path:
    """A valid ROME-like export under ``root/v333``: two fiches of domaine M18, one
    savoir, one savoir-faire, RIASEC codes, two mobility rows for the same pair (Proche
    and Evolution), apostrophes doubled as in the real export."""
    release = root / "v333"
    rows = {
        "referentiel_code_rome": [
            ["M1805", "1", "100", "Études et développement informatique", "1"],
            ["M1810", "2", "101", "Production et exploitation de systèmes d''information", "1"],
        ],
        "referentiel_appellation": [
            ["9001", "Développeur / Développeuse web", "Développeur web", "M1805", "1",
             "PRINCIPALE", "1"],
        ],
        "referentiel_competence": [["5001", "Langages de programmation", "1", "SAVOIRS", "1"]],
        "item_arborescence": [
            ["1", "6", "", "Racine AP", "Racine de l''arborescence principale", "0", "1",
             "RACINE", "1"],
            ["2", "6", "Racine AP", "M", "SUPPORT A L''ENTREPRISE", "0", "2", "NOEUD", "1"],
            ["3", "6", "M", "M18", "Systèmes d''information", "0", "2", "NOEUD", "1"],
            ["4", "8", "", "Racine AA", "Racine activite", "0", "1", "RACINE", "1"],
            ["5", "8", "Racine AA", "ACTZ", "Informatique", "0", "2", "NOEUD", "1"],
            ["6", "8", "ACTZ", "_-1", "Concevoir une application", "7001", "3", "FEUILLE", "1"],
        ],
        "liens_rome_referentiels": [
            ["M1805", "5001", "7", "1", "1", "8", "1", "1"],
            ["M1805", "7001", "9", "2", "2", "9", "1", "1"],
            ["M1805", "9001", "4", "1", "4", "3", "1", "1"],
        ],
        "referentiel_code_rome_riasec": [["M1805", "I", "C"], ["M1810", "C", ""]],
        "rubrique_mobilite": [
            ["M1805", "M1810", "", "", "2", "Evolution"],
            ["M1805", "M1810", "9001", "", "1", "Proche"],
        ],
        "texte": [
            ["M1805", "1", "1", "Peut coordonner une équipe.", "definition"],
            ["M1805", "0", "1", "Conçoit et développe des applications.", "definition"],
            ["M1805", "0", "2", "Accès par un diplôme.", "acces_a_em"],
        ],
    }  # fmt: skip
    for name, header in ROME_FILES.items():
        write_csv(rome_path(release, name), header, rows[name], quote_all=True)
    return release


def replace_line(path: Path, line: int, text: str) -> None:
    """Replace physical line ``line`` (1-based) of ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = text if text.endswith("\n") else text + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def append_line(path: Path, text: str) -> int:
    """Append a physical line; returns its line number."""
    content = path.read_text(encoding="utf-8")
    if not content.endswith("\n"):
        content += "\n"
    content += text + "\n"
    path.write_text(content, encoding="utf-8")
    return content.count("\n")
