# ruff: noqa: E501  (real texts quoted as they are, one string per line)
"""The contract suite's dataset: a handful of REAL records, copied in as literals.

Where they come from (see ../shared/data/*/PROVENANCE.md):

* ESCO v1.1.1 (European Commission, reuse with acknowledgement): six occupations from
  ``v1.1.1/en/occupations_en.csv`` and ``v1.1.1/fr/occupations_fr.csv`` (labels and alt labels
  unaltered, descriptions cut to their first sentence), their ISCO groups
  (``ISCOGroups_*.csv``), thirteen skills from ``en/skills_en.csv`` with French labels from
  ``v1.0_fr_labels/skills_fr.csv`` (at most four alt labels per language kept), one or two
  levels of their skill groups (``skillGroups_*.csv``), and every relation among these
  records in ``relations/occupationSkillRelations.csv`` and ``relations/broaderRelations*.csv``.
  A skill is SOFT when it is in ``transversalSkillsCollection_en.csv``.
* ROME v3.33 (Pôle emploi / France Travail, Licence Ouverte): five fiches from
  ``unix_referentiel_code_rome_v333_utf8.csv`` with four appellations each
  (``unix_referentiel_appellation_v333_utf8.csv``), their RIASEC codes
  (``unix_referentiel_code_rome_riasec_v333_utf8.csv``: major = rank 1, minor = rank 2) and the
  mobilités among them (``unix_rubrique_mobilite_v333_utf8.csv``: Proche = CLOSE,
  Evolution = EVOLUTION). RIASEC interests carry Holland's type names. Two fiches carry the
  entry requirements the loader reads from their "accès à l'emploi" text
  (``unix_texte_v333_utf8.csv``, type 2); the ESCO occupations those it derives from their
  ISCO group and ``regulatedProfessionNote``.

Ids follow the project's scheme: ESCO URIs as they are, ``rome:<code>``, ``riasec:<letter>``.
Tests derive their expectations from these records, never from hard-coded answers.
"""

from __future__ import annotations

from typing import Any

from cartonet.model import Dataset, Node, NodeType, Relationship, RelType

ESCO = "http://data.europa.eu/esco/"
ESCO_SOURCE = "esco-v1.1.1"
ROME_SOURCE = "rome-v333"

OCCUPATION, SKILL = NodeType.OCCUPATION, NodeType.SKILL
SKILL_GROUP, OCCUPATION_GROUP = NodeType.SKILL_GROUP, NodeType.OCCUPATION_GROUP
INTEREST = NodeType.INTEREST
REQUIRES, BROADER = RelType.REQUIRES, RelType.BROADER
MATCHES_INTEREST, MOBILITY = RelType.MATCHES_INTEREST, RelType.MOBILITY

SOFTWARE_DEVELOPER = ESCO + "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"


def _esco(
    path: str,
    type_: NodeType,
    labels: dict[str, str],
    alt: dict[str, tuple[str, ...]],
    descriptions: dict[str, str],
    props: dict[str, Any],
) -> Node:
    return Node(ESCO + path, type_, labels, ESCO_SOURCE, alt, descriptions, props)


def _rel(type_: RelType, start: str, end: str, props: dict[str, Any]) -> Relationship:
    full = [x if x.startswith(("rome:", "riasec:")) else ESCO + x for x in (start, end)]
    return Relationship(type_, full[0], full[1], props)


def _rome(
    code: str, label: str, appellations: tuple[str, ...], entry: dict[str, Any] | None = None
) -> Node:
    return Node(
        f"rome:{code}",
        OCCUPATION,
        {"fr": label},
        ROME_SOURCE,
        {"fr": appellations},
        props={"code": code, **(entry or {})},
    )


# Entry requirements as the ROME loader reads them from the "accès à l'emploi" texts
# (``unix_texte_v333_utf8.csv``, type 2): the sentence quoted as written.
M1805_ENTRY = {
    "entryLevel": 5,
    "entryLevelFrom": "rome-text",
    "regulated": False,
    "entryText": "Cet emploi/métier est accessible avec un diplôme de niveau Bac+2 (BTS, DUT, ...) à Master (MIAGE, diplôme d'ingénieur, Master professionnel, ...) en informatique.",
}
J1506_ENTRY = {
    "regulated": True,
    "requiredDiploma": "Diplôme d'État d'infirmier",
    "entryText": "Cet emploi/métier est accessible avec le Diplôme d'Etat -DE- d'infirmier.",
}


def _riasec(letter: str, fr: str, en: str) -> Node:
    return Node(
        f"riasec:{letter}",
        INTEREST,
        {"fr": fr, "en": en},
        ROME_SOURCE,
        props={"code": letter, "scheme": "RIASEC"},
    )


ESCO_NODES: list[Node] = [
    _esco(
        "isco/C2",
        OCCUPATION_GROUP,
        {"en": "Professionals", "fr": "Professions intellectuelles et scientifiques"},
        {},
        {},
        {"code": "2"},
    ),
    _esco(
        "isco/C22",
        OCCUPATION_GROUP,
        {"en": "Health professionals", "fr": "Spécialistes de la santé"},
        {},
        {},
        {"code": "22"},
    ),
    _esco(
        "isco/C222",
        OCCUPATION_GROUP,
        {"en": "Nursing and midwifery professionals", "fr": "Cadres infirmiers et sages-femmes"},
        {},
        {},
        {"code": "222"},
    ),
    _esco(
        "isco/C2221",
        OCCUPATION_GROUP,
        {"en": "Nursing professionals", "fr": "Cadres infirmiers"},
        {},
        {},
        {"code": "2221"},
    ),
    _esco(
        "isco/C25",
        OCCUPATION_GROUP,
        {
            "en": "Information and communications technology professionals",
            "fr": "Spécialistes des technologies de l’information et des communications",
        },
        {},
        {},
        {"code": "25"},
    ),
    _esco(
        "isco/C251",
        OCCUPATION_GROUP,
        {
            "en": "Software and applications developers and analysts",
            "fr": "Concepteurs et analystes de logiciels et de multimédia",
        },
        {},
        {},
        {"code": "251"},
    ),
    _esco(
        "isco/C2511",
        OCCUPATION_GROUP,
        {"en": "Systems analysts", "fr": "Analystes de systèmes"},
        {},
        {},
        {"code": "2511"},
    ),
    _esco(
        "isco/C2512",
        OCCUPATION_GROUP,
        {"en": "Software developers", "fr": "Concepteurs de logiciels"},
        {},
        {},
        {"code": "2512"},
    ),
    _esco(
        "isco/C2513",
        OCCUPATION_GROUP,
        {
            "en": "Web and multimedia developers",
            "fr": "Concepteurs de sites internet et de multimédia",
        },
        {},
        {},
        {"code": "2513"},
    ),
    _esco(
        "occupation/18e14e61-495b-44cc-a7c6-df4c625934ba",
        OCCUPATION,
        {"en": "specialist nurse", "fr": "infirmier spécialiste/infirmière spécialiste"},
        {
            "en": (
                "nursing specialist",
                "nurse practitioner",
                "diabetes nurse",
                "company nurse",
                "vascular nurse",
                "heart failure nurse",
                "specialist nurse practitioner",
                "specialist nurse",
                "cardiovascular nurse",
                "nurse heart diseases",
                "nurse specialist",
            ),
            "fr": (
                "infirmier spécialisé",
                "infirmier spécialiste",
                "infirmière spécialisée",
                "infirmière spécialiste clinique",
                "infirmier spécialiste clinique",
                "infirmier spécialisé/infirmière spécialisée",
                "infirmier spécialiste clinique/infirmière spécialiste clinique",
                "infirmière spécialiste",
            ),
        },
        {
            "en": "Specialist nurses promote and restore people's health, and diagnose and care within a specific branch of the nursing field.",
            "fr": "Les infirmiers spécialistes/infirmières spécialistes promeuvent et rétablissent la santé des personnes, diagnostiquent et dispensent des soins dans une branche spécifique du domaine infirmier.",
        },
        {
            "code": "2221.3",
            "iscoGroup": "2221",
            "status": "released",
            "entryLevel": 6,
            "entryLevelFrom": "isco",
            "regulated": False,
        },
    ),
    _esco(
        "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c",
        OCCUPATION,
        {
            "en": "user interface developer",
            "fr": "développeur d’interface utilisateur/développeuse d’interface utilisatrice",
        },
        {
            "en": (
                "user interface developers",
                "UI developers",
                "front end developer",
                "user interface engineer",
                "UI programmer",
                "UI developer",
                "user interface developer",
            ),
            "fr": (
                "concepteur d'interface utilisateurs",
                "développeuse d'interface utilisatrices",
                "développeuse IU",
                "conceptrice d'interface",
                "développeur IU",
                "concepteur d'interfaces utilisateurs",
                "conceptrice d'interfaces utilisatrices",
                "développeuse d'interface",
                "développeur d'interface utilisateurs",
                "développeur d'interface utilisateur",
                "concepteur d'interface",
                "développeuse d'interface utilisatrice",
                "conceptrice d'interface utilisatrices",
                "développeur d'interface",
                "designer d'interface",
            ),
        },
        {
            "en": "User interface developers implement, code, document and maintain the interface of a software system by using front-end development technologies.",
            "fr": "Les développeurs d’interfaces utilisateurs mettent en œuvre, code, documentent et maintiennent l’interface d’un système logiciel en utilisant des technologies de développement de l’amont.",
        },
        {
            "code": "2512.5",
            "iscoGroup": "2512",
            "status": "released",
            "entryLevel": 6,
            "entryLevelFrom": "isco",
            "regulated": False,
        },
    ),
    _esco(
        "occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50",
        OCCUPATION,
        {
            "en": "nurse responsible for general care",
            "fr": "infirmier de soins généraux/infirmière de soins généraux",
        },
        {
            "en": (
                "practice nurse",
                "learning disability nurse",
                "community staff nurse",
                "healthcarer",
                "adult nurse",
                "children's nurse",
                "mental health nurse",
                "district nurse",
                "children's community nurse",
                "ward nurse",
                "nurse responsible for general care",
                "healthcare nurse",
                "ward sister",
            ),
            "fr": (
                "infirmier de soins généraux",
                "infirmier en soins généraux",
                "infirmier en soins généraux/infirmière en soins généraux",
                "infirmière de soins généraux",
                "infirmière en soins généraux",
            ),
        },
        {
            "en": "Nurses responsible for general care are in charge of promoting and restoring patients` health by providing physical and psychological support to patients, friends, and families.",
            "fr": "Les infirmiers de soins généraux/infirmières de soins généraux sont chargé-e-s de promouvoir et de restaurer la santé des patients en apportant un soutien physique et psychologique aux patients, aux amis et aux familles.",
        },
        {
            "code": "2221.2",
            "iscoGroup": "2221",
            "status": "released",
            "entryLevel": 6,
            "entryLevelFrom": "isco",
            "regulated": True,
        },
    ),
    _esco(
        "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135",
        OCCUPATION,
        {
            "en": "ICT system developer",
            "fr": "développeur de systèmes informatiques/développeuse de systèmes informatiques",
        },
        {
            "en": (
                "ICT systems developers",
                "IT system developer",
                "system developer",
                "systems programmer",
                "ICT systems developer",
                "system software developer",
                "ICT system developers",
                "systems developer",
                "ICT system developer",
                "component developer",
                "chief ICT system developer",
            ),
            "fr": (
                "développeuse de systèmes de technologies de l'information et de la communication",
                "développeuse système",
                "développeuse système TIC",
                "développeuse de systèmes informatiques",
                "développeur système TIC",
                "développeur de systèmes de technologies de l'information et de la communication",
                "développeur système",
                "développeur de systèmes informatiques",
            ),
        },
        {
            "en": "ICT system developers maintain, audit and improve organisational support systems.",
            "fr": "Les développeurs de systèmes TIC maintiennent, contrôlent et améliorent les systèmes de soutien organisationnel.",
        },
        {
            "code": "2511.15",
            "iscoGroup": "2511",
            "status": "released",
            "entryLevel": 6,
            "entryLevelFrom": "isco",
            "regulated": False,
        },
    ),
    _esco(
        "occupation/c40a2919-48a9-40ea-b506-1f34f693496d",
        OCCUPATION,
        {"en": "web developer", "fr": "développeur web/développeuse web"},
        {
            "en": (
                "web developers",
                "web engineer",
                "web application developer",
                "web programmer",
                "web developer",
                "web specialist",
            ),
            "fr": (
                "développeur Internet",
                "développeur web",
                "créatrice de contenus web",
                "développeuse Internet",
                "conceptrice web",
                "développeuse web",
                "concepteur web",
                "créateur de contenus web",
            ),
        },
        {
            "en": "Web developers develop, implement and document web-accessible software based on the designs provided.",
            "fr": "Les développeurs de sites web développent, mettent en œuvre et documentent le logiciel accessible en ligne sur la base des dessins ou modèles fournis.",
        },
        {
            "code": "2513.5",
            "iscoGroup": "2513",
            "status": "released",
            "entryLevel": 6,
            "entryLevelFrom": "isco",
            "regulated": False,
        },
    ),
    _esco(
        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        OCCUPATION,
        {"en": "software developer", "fr": "développeur de logiciels/développeuse de logiciels"},
        {
            "en": (
                "software specialist",
                "software developers",
                "programmer",
                "application software developer",
                "software engineer",
                "solutions developer",
                "applications engineer",
                "developer of software",
                "application programmer",
                "soft developer",
                "application developer",
                "software developer",
            ),
            "fr": (
                "concepteur logiciel",
                "développeur de programmes",
                "développeur de logiciels",
                "concepteur d'applications",
                "développeuse de logiciels",
                "conceptrice logiciel",
                "développeur applications",
                "concepteur de logiciels",
                "développeur logiciels",
                "développeuse logiciels",
                "développeuse applications",
            ),
        },
        {
            "en": "Software developers implement or program all kinds of software systems based on specifications and designs by using programming languages, tools, and platforms.",
            "fr": "Les concepteurs de logiciels mettent en œuvre ou programment tous types de systèmes logiciels fondés sur les spécifications et les modèles en utilisant les langages de programmation, les outils et les plateformes.",
        },
        {
            "code": "2512.4",
            "iscoGroup": "2512",
            "status": "released",
            "entryLevel": 6,
            "entryLevelFrom": "isco",
            "regulated": False,
        },
    ),
    _esco(
        "isced-f/061",
        SKILL_GROUP,
        {
            "en": "information and communication technologies (icts)",
            "fr": "technologies de l’information et de la communication (tic)",
        },
        {},
        {},
        {},
    ),
    _esco(
        "isced-f/0612",
        SKILL_GROUP,
        {
            "en": "database and network design and administration",
            "fr": "conception et administration de bases de données et de réseau",
        },
        {},
        {},
        {},
    ),
    _esco(
        "isced-f/0613",
        SKILL_GROUP,
        {
            "en": "software and applications development and analysis",
            "fr": "développement et analyse de logiciels et d’applications",
        },
        {},
        {},
        {},
    ),
    _esco(
        "skill/021a23e1-907e-4627-b05a-555f889cbb65",
        SKILL_GROUP,
        {
            "en": "self-management skills and competences",
            "fr": "aptitudes et compétences liées à la gestion de soi",
        },
        {"en": ("professional attitude", "self-discipline", "self-regulation", "self-control")},
        {},
        {"code": "T3"},
    ),
    _esco(
        "skill/0a295163-3e17-47ad-99ac-2b507ce30adb",
        SKILL_GROUP,
        {"en": "designing systems and products", "fr": "concevoir des systèmes et des produits"},
        {},
        {},
        {"code": "S1.11"},
    ),
    _esco(
        "skill/0a400212-8693-4b1f-b0ca-d1f82c321916",
        SKILL_GROUP,
        {
            "en": "providing health care or medical treatments",
            "fr": "fournir une assistance médicale ou des traitements médicaux",
        },
        {"en": ("healthcare",)},
        {},
        {"code": "S3.2.0"},
    ),
    _esco(
        "skill/28d2ab6c-38a2-476e-85fe-7982fd242943",
        SKILL_GROUP,
        {
            "en": "accessing and analysing digital data",
            "fr": "accéder à des données numériques et les analyser",
        },
        {"en": ("managing digital information",)},
        {},
        {"code": "S5.5"},
    ),
    _esco(
        "skill/6889a21c-837b-49a2-be61-bb6010ab63f4",
        SKILL_GROUP,
        {"en": "obtaining information verbally", "fr": "obtenir des informations verbalement"},
        {"en": ("verbal interaction",)},
        {},
        {"code": "S1.7"},
    ),
    _esco(
        "skill/6a7fc30d-af16-4cc5-a957-29d174bdb61c",
        SKILL_GROUP,
        {
            "en": "managing, gathering and storing digital data",
            "fr": "gérer, collecter et stocker des données numériques",
        },
        {},
        {},
        {"code": "S5.5.2"},
    ),
    _esco(
        "skill/73e602a0-f80f-4f56-8e21-3db4fd08709d",
        SKILL_GROUP,
        {
            "en": "providing medical, dental and nursing care",
            "fr": "fournir des soins médicaux, dentaires et infirmiers",
        },
        {},
        {},
        {"code": "S3.2.1"},
    ),
    _esco(
        "skill/7a163630-7536-4748-a259-aa820d3be44b",
        SKILL_GROUP,
        {
            "en": "providing health care or medical treatments",
            "fr": "fournir une assistance médicale ou des traitements médicaux",
        },
        {"en": ("healthcare",)},
        {},
        {"code": "S3.2"},
    ),
    _esco(
        "skill/906211b3-afed-4a2b-b5e1-33f2885fee85",
        SKILL_GROUP,
        {
            "en": "performing general clerical and administrative tasks",
            "fr": "réaliser des tâches de bureau et administratives",
        },
        {},
        {},
        {"code": "S4.4.3"},
    ),
    _esco(
        "skill/91860993-1a8b-4473-91f3-600aa1924bd0",
        SKILL_GROUP,
        {"en": "taking a proactive approach", "fr": "adopter une approche proactive"},
        {
            "en": (
                "proactive personality",
                "be proactive",
                "identify opportunities",
                "recognise opportunities",
            )
        },
        {},
        {"code": "T3.2"},
    ),
    _esco(
        "skill/a8c3186b-c791-4d57-8f4f-4d12c7a5c6a7",
        SKILL_GROUP,
        {"en": "programming computer systems", "fr": "programmer des systèmes informatiques"},
        {"en": ("programming",)},
        {},
        {"code": "S5.1.0"},
    ),
    _esco(
        "skill/b590d4e5-7c62-4b4a-abc2-c270b482e0ce",
        SKILL_GROUP,
        {
            "en": "designing ict systems or applications",
            "fr": "concevoir des systèmes ou applications tic",
        },
        {},
        {},
        {"code": "S1.11.1"},
    ),
    _esco(
        "skill/d6e4373a-ef2c-4b64-9dc6-4140846f6609",
        SKILL_GROUP,
        {"en": "programming computer systems", "fr": "programmer des systèmes informatiques"},
        {"en": ("programming",)},
        {},
        {"code": "S5.1"},
    ),
    _esco(
        "skill/d7d2a468-587b-4a03-a305-e0a399ba69e6",
        SKILL_GROUP,
        {"en": "listening and asking questions", "fr": "écouter et poser des questions"},
        {},
        {},
        {"code": "S1.7.3"},
    ),
    _esco(
        "skill/f306bf2a-271d-4059-ba7b-e83849cb8960",
        SKILL_GROUP,
        {
            "en": "performing administrative activities",
            "fr": "mener à bien des activités administratives",
        },
        {"en": ("administration",)},
        {},
        {"code": "S4.4"},
    ),
    _esco(
        "skill/001115fb-569f-4ee6-8381-c6807ef2527f",
        SKILL,
        {"en": "show initiative"},
        {
            "en": (
                "take the initiative",
                "give impetus",
                "be a driving force",
                "demonstrate sense of initiative",
            )
        },
        {},
        {"kind": "SOFT", "reuse": "transversal", "status": "released"},
    ),
    _esco(
        "skill/1023ac61-250f-4eef-b7a9-238cf071685f",
        SKILL,
        {
            "en": "provide professional care in nursing",
            "fr": "fournir des soins infirmiers professionnels",
        },
        {
            "en": (
                "offer professional care in nursing",
                "provide professional nursing-care",
                "provide professional nursing care",
                "provide high-quality care in nursing",
            )
        },
        {},
        {"kind": "HARD", "reuse": "cross-sector", "status": "released"},
    ),
    _esco(
        "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97",
        SKILL,
        {"en": "computer programming", "fr": "programmation informatique"},
        {"en": ("DIBOL", "Seed7", "Visual Basic .NET", "HyperTalk")},
        {},
        {"kind": "KNOWLEDGE", "reuse": "cross-sector", "status": "released"},
    ),
    _esco(
        "skill/516e324b-03fc-4d3b-9986-e46e9834cd43",
        SKILL,
        {
            "en": "implement fundamentals of nursing",
            "fr": "appliquer les principes de base des soins infirmiers",
        },
        {
            "en": (
                "implement fundamentals of nursing",
                "implement principles of nursing",
                "implement basic nursing interventions",
                "implement nursing fundamentals",
            ),
            "fr": ("appliquer les principes élémentaires en soins infirmiers",),
        },
        {},
        {"kind": "HARD", "reuse": "cross-sector", "status": "released"},
    ),
    _esco(
        "skill/5e13af88-67d3-46ed-af58-8a7b8ebe7b1f",
        SKILL,
        {"en": "perform venous cannulation"},
        {},
        {},
        {"kind": "HARD", "reuse": "sector-specific", "status": "released"},
    ),
    _esco(
        "skill/8b94aa1e-89c9-459d-b3b4-1dfab8dec2df",
        SKILL,
        {"en": "use software libraries", "fr": "utiliser des bibliothèques logicielles"},
        {
            "en": ("utilise software libraries", "use software libraries"),
            "fr": (
                "gérer des bibliothèques logicielles",
                "utiliser des bibliothèques",
                "utiliser une bibliothèque logicielle",
                "employer des bibliothèques logicielles",
            ),
        },
        {},
        {"kind": "HARD", "reuse": "sector-specific", "status": "released"},
    ),
    _esco(
        "skill/925463a7-d51f-4d5b-9f79-4d28cf30acde",
        SKILL,
        {
            "en": "integrated development environment software",
            "fr": "environnement de développement intégré",
        },
        {
            "en": ("CodeLite", "NetBeans", "Dev-C++", "VisualWX"),
            "fr": (
                "EDI",
                "développement logiciel",
                "environnements de programmation",
                "outil de tests unitaires",
            ),
        },
        {},
        {"kind": "KNOWLEDGE", "reuse": "sector-specific", "status": "released"},
    ),
    _esco(
        "skill/a17286c5-238d-4f0b-bc24-29e9121345de",
        SKILL,
        {"en": "listen actively", "fr": "écouter activement"},
        {
            "en": (
                "maintain active listening",
                "apply active listening techniques",
                "use active listening techniques",
                "listen actively",
            )
        },
        {},
        {"kind": "HARD", "reuse": "cross-sector", "status": "released"},
    ),
    _esco(
        "skill/b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f",
        SKILL,
        {"en": "C++", "fr": "C++"},
        {"en": ("C++",)},
        {},
        {"kind": "KNOWLEDGE", "reuse": "sector-specific", "status": "released"},
    ),
    _esco(
        "skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
        SKILL,
        {"en": "Python (computer programming)", "fr": "Python"},
        {
            "en": ("Python3", "Pyston", "Py3K", "Python2"),
            "fr": ("Python prog", "Python 3k", "Pyston", "Python3"),
        },
        {},
        {"kind": "KNOWLEDGE", "reuse": "sector-specific", "status": "released"},
    ),
    _esco(
        "skill/ef1e6c93-2a90-4abf-951b-a8ae283d368d",
        SKILL,
        {
            "en": "carry out nurse-led discharge",
            "fr": "organiser le renvoi d’un patient sous la supervision du personnel infirmier",
        },
        {
            "en": (
                "initiate discharge process led by nurses",
                "carry out nurse-led discharge",
                "plan nurse-led discharges",
                "carry out discharge process of patients",
            )
        },
        {},
        {"kind": "HARD", "reuse": "sector-specific", "status": "released"},
    ),
    _esco(
        "skill/f28617ad-afdd-4041-814c-216153a38998",
        SKILL,
        {"en": "analyse software specifications", "fr": "analyser les spécifications du logiciel"},
        {
            "en": ("analyze  software specifications", "analyse software or system specifications"),
            "fr": (
                "recueillir les spécifications du logiciel",
                "analyser les spécifications du logiciel ou système",
                "évaluer les spécifications du logiciel",
                "analyser les spécifications des logiciels",
            ),
        },
        {},
        {"kind": "HARD", "reuse": "sector-specific", "status": "released"},
    ),
    _esco(
        "skill/fd33c66c-70c4-40e6-b87c-5495bd3bf26e",
        SKILL,
        {"en": "design user interface", "fr": "concevoir une interface utilisateur"},
        {"en": ("design user interface",)},
        {},
        {"kind": "HARD", "reuse": "sector-specific", "status": "released"},
    ),
]

ESCO_RELATIONSHIPS: list[Relationship] = [
    _rel(
        REQUIRES,
        "occupation/18e14e61-495b-44cc-a7c6-df4c625934ba",
        "skill/1023ac61-250f-4eef-b7a9-238cf071685f",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/18e14e61-495b-44cc-a7c6-df4c625934ba",
        "skill/516e324b-03fc-4d3b-9986-e46e9834cd43",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/18e14e61-495b-44cc-a7c6-df4c625934ba",
        "skill/a17286c5-238d-4f0b-bc24-29e9121345de",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/18e14e61-495b-44cc-a7c6-df4c625934ba",
        "skill/ef1e6c93-2a90-4abf-951b-a8ae283d368d",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/18e14e61-495b-44cc-a7c6-df4c625934ba",
        "skill/5e13af88-67d3-46ed-af58-8a7b8ebe7b1f",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c",
        "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c",
        "skill/925463a7-d51f-4d5b-9f79-4d28cf30acde",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c",
        "skill/8b94aa1e-89c9-459d-b3b4-1dfab8dec2df",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c",
        "skill/f28617ad-afdd-4041-814c-216153a38998",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c",
        "skill/fd33c66c-70c4-40e6-b87c-5495bd3bf26e",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c",
        "skill/b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c",
        "skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50",
        "skill/1023ac61-250f-4eef-b7a9-238cf071685f",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50",
        "skill/516e324b-03fc-4d3b-9986-e46e9834cd43",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50",
        "skill/a17286c5-238d-4f0b-bc24-29e9121345de",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50",
        "skill/5e13af88-67d3-46ed-af58-8a7b8ebe7b1f",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50",
        "skill/ef1e6c93-2a90-4abf-951b-a8ae283d368d",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135",
        "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135",
        "skill/925463a7-d51f-4d5b-9f79-4d28cf30acde",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135",
        "skill/8b94aa1e-89c9-459d-b3b4-1dfab8dec2df",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135",
        "skill/f28617ad-afdd-4041-814c-216153a38998",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135",
        "skill/b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135",
        "skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135",
        "skill/fd33c66c-70c4-40e6-b87c-5495bd3bf26e",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/c40a2919-48a9-40ea-b506-1f34f693496d",
        "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/c40a2919-48a9-40ea-b506-1f34f693496d",
        "skill/925463a7-d51f-4d5b-9f79-4d28cf30acde",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/c40a2919-48a9-40ea-b506-1f34f693496d",
        "skill/8b94aa1e-89c9-459d-b3b4-1dfab8dec2df",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/c40a2919-48a9-40ea-b506-1f34f693496d",
        "skill/f28617ad-afdd-4041-814c-216153a38998",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/c40a2919-48a9-40ea-b506-1f34f693496d",
        "skill/b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/c40a2919-48a9-40ea-b506-1f34f693496d",
        "skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/c40a2919-48a9-40ea-b506-1f34f693496d",
        "skill/fd33c66c-70c4-40e6-b87c-5495bd3bf26e",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "skill/925463a7-d51f-4d5b-9f79-4d28cf30acde",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "skill/8b94aa1e-89c9-459d-b3b4-1dfab8dec2df",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "skill/f28617ad-afdd-4041-814c-216153a38998",
        {"relevance": "ESSENTIAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "skill/b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
        {"relevance": "OPTIONAL"},
    ),
    _rel(
        REQUIRES,
        "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "skill/fd33c66c-70c4-40e6-b87c-5495bd3bf26e",
        {"relevance": "OPTIONAL"},
    ),
    _rel(BROADER, "isco/C22", "isco/C2", {}),
    _rel(BROADER, "isco/C222", "isco/C22", {}),
    _rel(BROADER, "isco/C2221", "isco/C222", {}),
    _rel(BROADER, "isco/C25", "isco/C2", {}),
    _rel(BROADER, "isco/C251", "isco/C25", {}),
    _rel(BROADER, "isco/C2511", "isco/C251", {}),
    _rel(BROADER, "isco/C2512", "isco/C251", {}),
    _rel(BROADER, "isco/C2513", "isco/C251", {}),
    _rel(BROADER, "occupation/18e14e61-495b-44cc-a7c6-df4c625934ba", "isco/C2221", {}),
    _rel(BROADER, "occupation/866c7813-2c03-47d7-9bdc-192cfbace57c", "isco/C2512", {}),
    _rel(BROADER, "occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50", "isco/C2221", {}),
    _rel(BROADER, "occupation/a7c1d23d-aeca-4bee-9a08-5993ed98b135", "isco/C2511", {}),
    _rel(BROADER, "occupation/c40a2919-48a9-40ea-b506-1f34f693496d", "isco/C2513", {}),
    _rel(BROADER, "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1", "isco/C2512", {}),
    _rel(BROADER, "isced-f/0612", "isced-f/061", {}),
    _rel(BROADER, "isced-f/0613", "isced-f/061", {}),
    _rel(
        BROADER,
        "skill/0a400212-8693-4b1f-b0ca-d1f82c321916",
        "skill/7a163630-7536-4748-a259-aa820d3be44b",
        {},
    ),
    _rel(
        BROADER,
        "skill/6a7fc30d-af16-4cc5-a957-29d174bdb61c",
        "skill/28d2ab6c-38a2-476e-85fe-7982fd242943",
        {},
    ),
    _rel(
        BROADER,
        "skill/73e602a0-f80f-4f56-8e21-3db4fd08709d",
        "skill/7a163630-7536-4748-a259-aa820d3be44b",
        {},
    ),
    _rel(
        BROADER,
        "skill/906211b3-afed-4a2b-b5e1-33f2885fee85",
        "skill/f306bf2a-271d-4059-ba7b-e83849cb8960",
        {},
    ),
    _rel(
        BROADER,
        "skill/91860993-1a8b-4473-91f3-600aa1924bd0",
        "skill/021a23e1-907e-4627-b05a-555f889cbb65",
        {},
    ),
    _rel(
        BROADER,
        "skill/a8c3186b-c791-4d57-8f4f-4d12c7a5c6a7",
        "skill/d6e4373a-ef2c-4b64-9dc6-4140846f6609",
        {},
    ),
    _rel(
        BROADER,
        "skill/b590d4e5-7c62-4b4a-abc2-c270b482e0ce",
        "skill/0a295163-3e17-47ad-99ac-2b507ce30adb",
        {},
    ),
    _rel(
        BROADER,
        "skill/d7d2a468-587b-4a03-a305-e0a399ba69e6",
        "skill/6889a21c-837b-49a2-be61-bb6010ab63f4",
        {},
    ),
    _rel(
        BROADER,
        "skill/001115fb-569f-4ee6-8381-c6807ef2527f",
        "skill/91860993-1a8b-4473-91f3-600aa1924bd0",
        {},
    ),
    _rel(
        BROADER,
        "skill/1023ac61-250f-4eef-b7a9-238cf071685f",
        "skill/73e602a0-f80f-4f56-8e21-3db4fd08709d",
        {},
    ),
    _rel(BROADER, "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97", "isced-f/0613", {}),
    _rel(
        BROADER,
        "skill/516e324b-03fc-4d3b-9986-e46e9834cd43",
        "skill/73e602a0-f80f-4f56-8e21-3db4fd08709d",
        {},
    ),
    _rel(
        BROADER,
        "skill/5e13af88-67d3-46ed-af58-8a7b8ebe7b1f",
        "skill/0a400212-8693-4b1f-b0ca-d1f82c321916",
        {},
    ),
    _rel(
        BROADER,
        "skill/8b94aa1e-89c9-459d-b3b4-1dfab8dec2df",
        "skill/6a7fc30d-af16-4cc5-a957-29d174bdb61c",
        {},
    ),
    _rel(BROADER, "skill/925463a7-d51f-4d5b-9f79-4d28cf30acde", "isced-f/0612", {}),
    _rel(
        BROADER,
        "skill/a17286c5-238d-4f0b-bc24-29e9121345de",
        "skill/d7d2a468-587b-4a03-a305-e0a399ba69e6",
        {},
    ),
    _rel(BROADER, "skill/b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f", "isced-f/0613", {}),
    _rel(BROADER, "skill/ccd0a1d9-afda-43d9-b901-96344886e14d", "isced-f/0613", {}),
    _rel(
        BROADER,
        "skill/ef1e6c93-2a90-4abf-951b-a8ae283d368d",
        "skill/906211b3-afed-4a2b-b5e1-33f2885fee85",
        {},
    ),
    _rel(
        BROADER,
        "skill/f28617ad-afdd-4041-814c-216153a38998",
        "skill/a8c3186b-c791-4d57-8f4f-4d12c7a5c6a7",
        {},
    ),
    _rel(
        BROADER,
        "skill/fd33c66c-70c4-40e6-b87c-5495bd3bf26e",
        "skill/b590d4e5-7c62-4b4a-abc2-c270b482e0ce",
        {},
    ),
    _rel(
        BROADER,
        "skill/b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f",
        "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97",
        {},
    ),
    _rel(
        BROADER,
        "skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
        "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97",
        {},
    ),
]

ROME_NODES: list[Node] = [
    _rome(
        "M1805",
        "Études et développement informatique",
        (
            "Analyste cogniticien / cogniticienne informatique",
            "Analyste concepteur / conceptrice informatique",
            "Analyste d'application",
            "Analyste de gestion informatique",
        ),
        M1805_ENTRY,
    ),
    _rome(
        "M1806",
        "Conseil et maîtrise d'ouvrage en systèmes d'information",
        (
            "Architecte fonctionnel / fonctionnelle de système d'information",
            "Assistant fonctionnel / Assistante fonctionnelle des systèmes d'information",
            "Assistant / Assistante maîtrise d'ouvrage des systèmes d'information",
            "Chef de projet maîtrise d'ouvrage des systèmes d'information",
        ),
    ),
    _rome(
        "M1802",
        "Expertise et support en systèmes d'information",
        (
            "Architecte de bases de données",
            "Architecte de données informatiques",
            "Architecte multimédia",
            "Architecte réseaux informatiques",
        ),
    ),
    _rome(
        "J1506",
        "Soins infirmiers généralistes",
        (
            "Infirmier coordinateur / Infirmière coordinatrice de services de maintien à domicile",
            "Infirmier coordinateur / Infirmière coordinatrice de soins infirmiers à domicile",
            "Infirmier / Infirmière de secteur psychiatrique",
            "Infirmier / Infirmière de service hospitalier",
        ),
        J1506_ENTRY,
    ),
    _rome(
        "J1505",
        "Soins infirmiers spécialisés en prévention",
        (
            "Infirmier / Infirmière de médecine du travail",
            "Infirmier / Infirmière de prévention",
            "Infirmier / Infirmière de santé au travail",
            "Infirmier / Infirmière de santé préventive",
        ),
    ),
    _riasec("R", "Réaliste", "Realistic"),
    _riasec("I", "Investigateur", "Investigative"),
    _riasec("S", "Social", "Social"),
    _riasec("C", "Conventionnel", "Conventional"),
]

ROME_RELATIONSHIPS: list[Relationship] = [
    _rel(MOBILITY, "rome:M1805", "rome:M1806", {"kind": "CLOSE", "source": "rome"}),
    _rel(MOBILITY, "rome:M1806", "rome:M1805", {"kind": "CLOSE", "source": "rome"}),
    _rel(MOBILITY, "rome:M1802", "rome:M1805", {"kind": "CLOSE", "source": "rome"}),
    _rel(MOBILITY, "rome:M1805", "rome:M1802", {"kind": "EVOLUTION", "source": "rome"}),
    _rel(MOBILITY, "rome:J1505", "rome:J1506", {"kind": "CLOSE", "source": "rome"}),
    _rel(MOBILITY, "rome:J1506", "rome:J1505", {"kind": "CLOSE", "source": "rome"}),
    _rel(MATCHES_INTEREST, "rome:M1805", "riasec:I", {"rank": 1}),
    _rel(MATCHES_INTEREST, "rome:M1805", "riasec:R", {"rank": 2}),
    _rel(MATCHES_INTEREST, "rome:M1806", "riasec:I", {"rank": 1}),
    _rel(MATCHES_INTEREST, "rome:M1806", "riasec:C", {"rank": 2}),
    _rel(MATCHES_INTEREST, "rome:M1802", "riasec:I", {"rank": 1}),
    _rel(MATCHES_INTEREST, "rome:M1802", "riasec:C", {"rank": 2}),
    _rel(MATCHES_INTEREST, "rome:J1506", "riasec:S", {"rank": 1}),
    _rel(MATCHES_INTEREST, "rome:J1506", "riasec:R", {"rank": 2}),
    _rel(MATCHES_INTEREST, "rome:J1505", "riasec:S", {"rank": 1}),
    _rel(MATCHES_INTEREST, "rome:J1505", "riasec:C", {"rank": 2}),
]


def esco_dataset() -> Dataset:
    """The ESCO records as one source."""
    return Dataset(ESCO_SOURCE, list(ESCO_NODES), list(ESCO_RELATIONSHIPS))


def rome_dataset() -> Dataset:
    """The ROME records as another source."""
    return Dataset(ROME_SOURCE, list(ROME_NODES), list(ROME_RELATIONSHIPS))


def all_nodes() -> list[Node]:
    return [*ESCO_NODES, *ROME_NODES]


def all_relationships() -> list[Relationship]:
    return [*ESCO_RELATIONSHIPS, *ROME_RELATIONSHIPS]
