"""ROME v3 open-data CSV export (``unix_*_v333_utf8.csv``) → :class:`~cartonet.model.Dataset`.

What is read, and what it becomes (``source="rome-v333"``, the version taken from the
file names; labels are French only, so English falls back to French):

===================================  ==========================================================
file ``unix_<name>_v333_utf8.csv``   becomes
===================================  ==========================================================
``referentiel_code_rome``            Occupation ``rome:<code_rome>`` (``code``)
``texte`` (type 1, definition)       the occupation's French description (paragraphs in order)
``texte`` (type 2, accès à l'emploi)  entry requirements: ``entryLevel``, ``regulated``,
                                     ``requiredDiploma``, ``entryText``
                                     (:mod:`cartonet.ingest.rome_access`)
``referentiel_appellation``          French alt labels of the occupation (job titles, plus
                                     their masculine and feminine forms)
``item_arborescence``                tree 6: grands domaines (``A``), sub-groups (``H1``) and
                                     domaines (``A11``) → OccupationGroup ``rome-group:<code>``
                                     with BROADER; tree 8 leaves: savoir-faire → Skill HARD
                                     ``rome-skill:<code_ogr>``
``referentiel_competence``           savoirs → Skill KNOWLEDGE ``rome-skill:<code_ogr>``
``liens_rome_referentiels``          REQUIRES: type 1 (savoirs) and 2 (savoir-faire);
                                     "compétences de base" (rubriques 6, 7) → ESSENTIAL,
                                     "compétences spécifiques" (rubriques 9, 10) → OPTIONAL
``referentiel_code_rome_riasec``     MATCHES_INTEREST → Interest ``riasec:R``…``riasec:C``:
                                     majeur weight 1.0 rank 1, mineur weight 0.5 rank 2
``rubrique_mobilite``                MOBILITY CLOSE ("Proche") / EVOLUTION, fiche to fiche
===================================  ==========================================================

From the optional ``labonneboite_2021`` folder (Pôle emploi data, 2021): ``rome_labels.csv``
names fiches the referentiel lacks (L1510), ``arbo_rome_ogr_202107.csv`` gives the grands
domaines in mixed case (the v3.33 tree writes them in capitals).

Not loaded: work environments (type 5 links, tree 10), the secondary tree (7), the
competence tree (9) and the thematic nodes of the activity tree (8), whose node codes are
not unique after ``ACTZ`` / ``CPTZ``. Quirks are listed in ``docs/data-loading.md``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from cartonet.errors import LoadError
from cartonet.ingest.builder import RELEVANCE_WEIGHT, DatasetBuilder
from cartonet.ingest.csvread import CsvRow, CsvTable, companion_dir, rows_of
from cartonet.ingest.labels import gender_forms
from cartonet.ingest.problems import Problems, ProgressCallback
from cartonet.ingest.rome_access import parse_access
from cartonet.model import Dataset, MobilityKind, NodeType, Relevance, RelType, SkillKind

CODE_ROME = re.compile(r"^[A-N][0-9]{4}$")
CODE_ROME_RULE = "a letter A to N then 4 digits, e.g. M1805"

RUBRIQUE_RELEVANCE: dict[str, Relevance] = {
    "6": Relevance.ESSENTIAL,  # activités de base (savoir-faire)
    "7": Relevance.ESSENTIAL,  # compétences de base (savoirs)
    "9": Relevance.OPTIONAL,  # activités spécifiques, grouped in blocs by specialisation
    "10": Relevance.OPTIONAL,  # compétences spécifiques
}
"""A fiche's "de base" items are what every holder of the job does or knows; the
"spécifiques" ones depend on the specialisation (each bloc is one)."""

MOBILITY_KINDS: dict[str, MobilityKind] = {"1": MobilityKind.CLOSE, "2": MobilityKind.EVOLUTION}

INTEREST_WEIGHTS = {1: 1.0, 2: 0.5}
"""MATCHES_INTEREST weight by rank: RIASEC majeur 1.0, mineur 0.5."""

RIASEC: dict[str, tuple[str, str, str, str]] = {
    # code: (fr label, en label, fr description, en description)
    "R": (
        "Réaliste",
        "Realistic",
        "Activités concrètes et manuelles : outils, machines, matériaux, plantes, animaux.",
        "Practical, hands-on work with tools, machines, materials, plants or animals.",
    ),
    "I": (
        "Investigateur",
        "Investigative",
        "Observer, analyser et résoudre des problèmes ; travail scientifique ou intellectuel.",
        "Observing, analysing and solving problems; scientific or intellectual work.",
    ),
    "A": (
        "Artistique",
        "Artistic",
        "Créer et s'exprimer : arts, design, écriture, spectacle ; cadres peu structurés.",
        "Creating and expressing: art, design, writing, performance; loosely structured work.",
    ),
    "S": (
        "Social",
        "Social",
        "Aider, soigner, enseigner, informer et accompagner les autres.",
        "Helping, caring for, teaching, informing and supporting people.",
    ),
    "E": (
        "Entreprenant",
        "Enterprising",
        "Diriger, convaincre, vendre, gérer des projets et des équipes.",
        "Leading, persuading, selling, managing projects and people.",
    ),
    "C": (
        "Conventionnel",
        "Conventional",
        "Organiser des données et des dossiers, suivre des procédures, travail précis.",
        "Organising data and records, following procedures, precise and orderly work.",
    ),
}
"""Holland's six RIASEC interest types (J. L. Holland, *Making Vocational Choices*, 1997),
as ROME codes them (``riasec_majeur`` / ``riasec_mineur``). Descriptions are ours."""


def fiche_id(code: str) -> str:
    return f"rome:{code}"


def skill_id(code_ogr: str) -> str:
    return f"rome-skill:{code_ogr}"


def group_id(code: str) -> str:
    return f"rome-group:{code}"


def interest_id(letter: str) -> str:
    return f"riasec:{letter}"


def load_rome(
    dir: Path,
    *,
    labels_dir: Path | None = None,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
) -> Dataset:
    """Read a ROME v3 CSV export into a dataset.

    Parameters
    ----------
    dir:
        The folder of ``unix_<name>_v<version>_utf8.csv`` files (e.g. ``.../rome/v333``).
    labels_dir:
        The labonneboite 2021 files (``rome_labels.csv``, ``arbo_rome_ogr_202107.csv``).
        Default: ``dir.parent / "labonneboite_2021"`` when it exists. Optional.
    skip_bad_rows:
        Drop malformed records and list them in ``warnings`` instead of refusing the load.
    progress:
        ``progress(phase, done, total)`` as files are read.

    Returns
    -------
    Dataset
        For v3.33: 532 occupations (531 fiches + L1510, completed from other files and
        marked ``incomplete``), 13,618 skills (4,947 savoirs, 8,671 savoir-faire), the
        domaine tree, 6 RIASEC interests, REQUIRES, MATCHES_INTEREST and MOBILITY edges.

    Raises
    ------
    LoadError
        A file or column is missing, or (strict mode) some records are bad.

    Example
    -------
    >>> ds = load_rome(Path("../shared/data/rome/v333"))  # doctest: +SKIP
    >>> ds.source  # doctest: +SKIP
    'rome-v333'
    """
    dir = Path(dir)
    labels_dir = companion_dir(dir, labels_dir, "labonneboite_2021", "labonneboite labels")
    return _RomeReader(dir, labels_dir, Problems(skip_bad_rows), progress).read()


class _RomeReader:
    def __init__(
        self,
        dir: Path,
        labels_dir: Path | None,
        problems: Problems,
        progress: ProgressCallback | None,
    ) -> None:
        if not dir.is_dir():
            raise LoadError(f"{dir}: no such folder")
        self.dir, self.labels_dir = dir, labels_dir
        self.problems, self.progress = problems, progress
        self.version = self._version()
        self.source = f"rome-{self.version}"
        self.b = DatasetBuilder(self.source)
        self.read_counts: dict[str, int] = {}
        self.other_labels: dict[str, str] = {}
        self.other_labels_file = ""
        self.fiche_leaves: list[tuple[str, str, str]] = []  # (domaine, code_ogr, label)
        self.completed: dict[str, Counter[str]] = {}
        self.label_sources: dict[str, str] = {}
        self.orphan_labels: dict[str, str] = {}
        self.first_seen: dict[str, tuple[str, int]] = {}

    # -- plumbing -------------------------------------------------------------------------

    def _version(self) -> str:
        found = sorted(self.dir.glob("unix_referentiel_code_rome_v*_utf8.csv"))
        if not found:
            raise LoadError(
                f"{self.dir}: not a ROME v3 CSV export "
                "(no unix_referentiel_code_rome_v*_utf8.csv inside)"
            )
        return found[0].name.removeprefix("unix_referentiel_code_rome_").removesuffix("_utf8.csv")

    def table(self, name: str, required: list[str]) -> CsvTable:
        file = f"unix_{name}_{self.version}_utf8.csv"
        return self._open(self.dir / file, file, required, undouble_apostrophes=True)

    def labels_table(self, name: str, required: list[str], delimiter: str) -> CsvTable | None:
        if self.labels_dir is None or not (self.labels_dir / name).is_file():
            return None
        key = f"{self.labels_dir.name}/{name}"
        return self._open(self.labels_dir / name, key, required, delimiter=delimiter)

    def _open(self, path: Path, key: str, required: list[str], **options: Any) -> CsvTable:
        """``path`` read with this load's problems and progress, its rows counted as ``key``."""
        return CsvTable(
            path,
            required,
            self.problems,
            progress=self.progress,
            phase=f"rome {key}",
            counts=self.read_counts,
            key=key,
            **options,
        )

    def bad(self, t: CsvTable, row: CsvRow, reason: str) -> None:
        self.problems.bad(t.name, row.line, reason)

    def fiche(self, code: str, t: CsvTable, row: CsvRow, column: str = "code_rome") -> str | None:
        """The node id of fiche ``code``, completing a fiche the referentiel lacks but
        other files describe; None (and a bad row) if it cannot be found anywhere."""
        node_id = fiche_id(code)
        if self.b.type_of(node_id) is NodeType.OCCUPATION:
            if node_id in self.completed:
                self.completed[node_id][t.path.name] += 1
            return node_id
        if not CODE_ROME.match(code):
            self.bad(t, row, f"{column} '{code}' is not a ROME code ({CODE_ROME_RULE})")
            return None
        label, label_from = self.other_labels.get(code), self.other_labels_file
        if label is None and code[:3] in self.orphan_labels:
            label = self.orphan_labels.pop(code[:3])
            label_from = f"the domaine tree of unix_item_arborescence_{self.version}_utf8.csv"
        if label is None:
            referentiel = f"unix_referentiel_code_rome_{self.version}_utf8.csv"
            self.bad(t, row, f"unknown {column} {code} (not in {referentiel})")
            return None
        draft = self.b.add_node(node_id, NodeType.OCCUPATION, code=code, incomplete=True)
        draft.set_label("fr", label)
        self.completed[node_id] = Counter({t.path.name: 1})
        self.first_seen[node_id] = (t.name, row.line)
        self.label_sources[node_id] = label_from
        domaine = group_id(code[:3])
        if self.b.type_of(domaine) is NodeType.OCCUPATION_GROUP:
            self.b.add_rel(RelType.BROADER, node_id, domaine)
        return node_id

    # -- the load -------------------------------------------------------------------------

    def read(self) -> Dataset:
        self.read_other_labels()
        self.read_tree()
        self.read_grand_domaine_labels()
        self.read_fiches()
        self.read_savoirs()
        self.read_texts()
        self.read_appellations()
        self.read_links()
        self.read_riasec()
        self.read_mobility()
        self.note_completed()
        self.problems.raise_if_any(f"ROME load from {self.dir}")
        return self.b.build(self.read_counts, self.problems.warnings)

    def read_other_labels(self) -> None:
        t = self.labels_table("rome_labels.csv", ["rome_id", "rome_label"], "|")
        if t is None:
            return
        self.other_labels_file = t.name
        for row in t:
            if row["rome_id"] and row["rome_label"]:
                self.other_labels[row["rome_id"]] = row["rome_label"]

    def read_tree(self) -> None:
        t = self.table(
            "item_arborescence",
            [
                "code_ogr",
                "code_type_referentiel",
                "code_pere",
                "code_noeud",
                "libelle_item_arbo",
                "code_item_arbo_associe",
                "libelle_type_noeud",
            ],
        )
        parents: list[tuple[str, str, CsvRow]] = []
        for row in t:
            tree, kind = row["code_type_referentiel"], row["libelle_type_noeud"]
            label = row["libelle_item_arbo"]
            if kind not in ("RACINE", "NOEUD", "FEUILLE"):
                self.bad(t, row, f"unknown libelle_type_noeud '{kind}'")
            elif not label:
                self.bad(t, row, "empty libelle_item_arbo")
            elif tree == "6" and kind == "NOEUD":
                code = row["code_noeud"]
                draft = self.b.add_node(
                    group_id(code), NodeType.OCCUPATION_GROUP, code=code, level=len(code)
                )
                draft.set_label("fr", label)
                parents.append((code, row["code_pere"], row))
            elif tree == "6" and kind == "FEUILLE":
                self.fiche_leaves.append((row["code_pere"], row["code_item_arbo_associe"], label))
            elif tree == "8" and kind == "FEUILLE":
                code = row["code_item_arbo_associe"]
                if not code.isdigit() or code == "0":
                    self.bad(t, row, f"savoir-faire leaf without an item code ('{code}')")
                    continue
                node_id = skill_id(code)
                existing = self.b.get(node_id)
                if existing is None:
                    draft = self.b.add_node(node_id, NodeType.SKILL, kind=SkillKind.HARD.value)
                    draft.set_label("fr", label)
                    draft.props["code"] = code
                elif existing.labels.get("fr") != label:
                    self.problems.warn(
                        t.name,
                        row.line,
                        f"item {code} is also labelled '{existing.labels.get('fr')}'; "
                        "first label kept",
                    )
        for code, parent, row in parents:
            if parent.startswith("Racine"):
                continue
            if self.b.type_of(group_id(parent)) is not NodeType.OCCUPATION_GROUP:
                self.bad(t, row, f"code_pere '{parent}' of {code} is not a node of the tree")
                continue
            self.b.add_rel(RelType.BROADER, group_id(code), group_id(parent))

    def read_grand_domaine_labels(self) -> None:
        t = self.labels_table(
            "arbo_rome_ogr_202107.csv", ["Rome1", "Rome2", "Rome3", "Intitule"], ";"
        )
        if t is None:
            return
        for row in t:
            if row["Rome1"] and not row["Rome2"] and row["Intitule"]:
                draft = self.b.get(group_id(row["Rome1"]))
                if draft is None or draft.type is not NodeType.OCCUPATION_GROUP:
                    continue
                # The 2021 file writes "A; B" where ROME writes "A, B" (its CSV used commas).
                mixed_case = row["Intitule"].replace("; ", ", ")
                capitals = draft.labels.get("fr", "")
                draft.set_label("fr", mixed_case, overwrite=True)
                draft.add_alt("fr", [capitals])

    def read_fiches(self) -> None:
        t = self.table("referentiel_code_rome", ["code_rome", "code_ogr", "libelle_rome"])
        known_ogr = set()
        for row in t:
            known_ogr.add(row["code_ogr"])
            code, label = row["code_rome"], row["libelle_rome"]
            node_id = fiche_id(code)
            if not CODE_ROME.match(code):
                self.bad(t, row, f"code_rome '{code}' is not a ROME code ({CODE_ROME_RULE})")
            elif not label:
                self.bad(t, row, f"empty libelle_rome for {code}")
            elif node_id in self.first_seen:
                file, line = self.first_seen[node_id]
                self.bad(t, row, f"{code} is defined twice (first at {file}:{line})")
            else:
                self.first_seen[node_id] = (t.name, row.line)
                draft = self.b.add_node(node_id, NodeType.OCCUPATION, code=code)
                draft.set_label("fr", label)
                domaine = group_id(code[:3])
                if self.b.type_of(domaine) is NodeType.OCCUPATION_GROUP:
                    self.b.add_rel(RelType.BROADER, node_id, domaine)
                else:
                    self.problems.warn(t.name, row.line, f"no domaine {code[:3]} for {code}")
        # A fiche missing from the referentiel may still be a leaf of the domaine tree: the
        # one leaf of its domaine that no referentiel fiche claims carries its label.
        orphans: dict[str, list[str]] = defaultdict(list)
        for domaine, code_ogr, label in self.fiche_leaves:
            if code_ogr not in known_ogr:
                orphans[domaine].append(label)
        self.orphan_labels = {d: labels[0] for d, labels in orphans.items() if len(labels) == 1}

    def read_savoirs(self) -> None:
        t = self.table("referentiel_competence", ["code_ogr", "libelle_competence"])
        for row in t:
            code, label = row["code_ogr"], row["libelle_competence"]
            node_id = skill_id(code)
            if not code.isdigit():
                self.bad(t, row, f"code_ogr '{code}' is not a number")
            elif not label:
                self.bad(t, row, f"empty libelle_competence for {code}")
            elif node_id in self.b.nodes:
                self.bad(t, row, f"code_ogr {code} is defined twice (savoir and savoir-faire?)")
            else:
                draft = self.b.add_node(
                    node_id, NodeType.SKILL, kind=SkillKind.KNOWLEDGE.value, code=code
                )
                draft.set_label("fr", label)

    def read_texts(self) -> None:
        t = self.table(
            "texte", ["code_rome", "position_libelle_txt", "code_type_texte", "libelle_texte"]
        )
        parts: dict[str, list[tuple[int, str]]] = defaultdict(list)
        access: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for row in t:
            node_id = self.fiche(row["code_rome"], t, row)
            kind = row["code_type_texte"]
            if node_id is None or kind not in ("1", "2"):
                continue  # 1 = definition, 2 = access to the job; conditions are not kept
            if not row["position_libelle_txt"].isdecimal():  # what int() reads
                self.bad(t, row, f"position_libelle_txt '{row['position_libelle_txt']}'")
                continue
            into = parts if kind == "1" else access
            into[node_id].append((int(row["position_libelle_txt"]), row["libelle_texte"]))
        for node_id, paragraphs in parts.items():
            text = "\n".join(p for _, p in sorted(paragraphs) if p)
            self.b.nodes[node_id].set_description("fr", text)
        for node_id, sentences in access.items():
            found = parse_access([s for _, s in sorted(sentences)])
            if found.level is not None:
                self.b.nodes[node_id].props.update(
                    entryLevel=found.level, entryLevelFrom="rome-text"
                )
            self.b.nodes[node_id].props.update(
                regulated=found.regulated, requiredDiploma=found.diploma, entryText=found.text
            )

    def read_appellations(self) -> None:
        t = self.table("referentiel_appellation", ["code_rome", "libelle_appellation_long"])
        for row in t:
            label = row["libelle_appellation_long"]
            if not label:
                self.bad(t, row, "empty libelle_appellation_long")
                continue
            node_id = self.fiche(row["code_rome"], t, row)
            if node_id is not None:
                self.b.nodes[node_id].add_alt("fr", [label, *gender_forms(label, " / ")])

    def read_links(self) -> None:
        t = self.table(
            "liens_rome_referentiels",
            ["code_rome", "code_ogr", "code_ref_rubrique", "code_type_referentiel"],
        )
        unresolved: dict[str, list[int]] = defaultdict(list)
        for row in t:
            ref_type, code, rubrique = (
                row["code_type_referentiel"],
                row["code_ogr"],
                row["code_ref_rubrique"],
            )
            if ref_type not in ("1", "2", "3", "4", "5"):
                self.bad(t, row, f"unknown code_type_referentiel '{ref_type}'")
                continue
            occ = self.fiche(row["code_rome"], t, row)
            if occ is None or ref_type in ("3", "4", "5"):
                # 3: the fiche itself, 4: appellations (read from their own file),
                # 5: work settings (not in the model).
                continue
            relevance = RUBRIQUE_RELEVANCE.get(rubrique)
            if relevance is None:
                self.bad(t, row, f"code_ref_rubrique '{rubrique}' is not one of 6, 7, 9, 10")
                continue
            node_id = skill_id(code)
            expected = SkillKind.KNOWLEDGE if ref_type == "1" else SkillKind.HARD
            draft = self.b.get(node_id)
            if draft is None or draft.props.get("kind") != expected.value:
                if ref_type == "2":
                    # The activities referential is not part of the export: items absent
                    # from the tree have no label anywhere. A known gap, not a bad row.
                    unresolved[code].append(row.line)
                else:
                    self.bad(t, row, f"unknown savoir code_ogr {code} (not a savoir)")
                continue
            previous = self.b.has_rel(RelType.REQUIRES, occ, node_id)
            if previous is not None:
                self.problems.warn(t.name, row.line, f"repeated link {occ} → {node_id}")
                if previous.props["relevance"] == Relevance.ESSENTIAL.value:
                    relevance = Relevance.ESSENTIAL
            self.b.add_rel(
                RelType.REQUIRES,
                occ,
                node_id,
                relevance=relevance.value,
                weight=RELEVANCE_WEIGHT[relevance],
            )
        if unresolved:
            links = sum(len(v) for v in unresolved.values())
            first = sorted(unresolved, key=lambda c: unresolved[c][0])
            sample = ", ".join(f"{c} (line {unresolved[c][0]})" for c in first[:10])
            self.problems.warn(
                t.name,
                None,
                f"{links} savoir-faire links name {len(unresolved)} item codes absent from the "
                "item tree, so without a label (the activities referential is not part of "
                f"the export); left out. First: {sample}",
            )

    def read_riasec(self) -> None:
        for letter, (fr, en, desc_fr, desc_en) in RIASEC.items():
            draft = self.b.add_node(
                interest_id(letter), NodeType.INTEREST, code=letter, scheme="RIASEC"
            )
            draft.set_label("fr", fr)
            draft.set_label("en", en)
            draft.set_description("fr", desc_fr)
            draft.set_description("en", desc_en)
        t = self.table(
            "referentiel_code_rome_riasec", ["code_rome", "riasec_majeur", "riasec_mineur"]
        )
        for row in t:
            major, minor = row["riasec_majeur"], row["riasec_mineur"]
            if major not in RIASEC or (minor and minor not in RIASEC):
                self.bad(t, row, f"RIASEC codes '{major}', '{minor}' (expected R, I, A, S, E or C)")
                continue
            occ = self.fiche(row["code_rome"], t, row)
            if occ is None:
                continue
            self.b.add_rel(
                RelType.MATCHES_INTEREST,
                occ,
                interest_id(major),
                weight=INTEREST_WEIGHTS[1],
                rank=1,
            )
            if minor and minor != major:
                self.b.add_rel(
                    RelType.MATCHES_INTEREST,
                    occ,
                    interest_id(minor),
                    weight=INTEREST_WEIGHTS[2],
                    rank=2,
                )

    def read_mobility(self) -> None:
        t = self.table("rubrique_mobilite", ["code_rome", "code_rome_cible", "code_type_mobilite"])
        for row in t:
            kind = MOBILITY_KINDS.get(row["code_type_mobilite"])
            if kind is None:
                self.bad(t, row, f"unknown code_type_mobilite '{row['code_type_mobilite']}'")
                continue
            start = self.fiche(row["code_rome"], t, row)
            end = self.fiche(row["code_rome_cible"], t, row, "code_rome_cible")
            if start is None or end is None:
                continue
            if start == end:
                self.problems.warn(t.name, row.line, f"mobility from {start} to itself; left out")
                continue
            # Rows restricted to one appellation are kept at fiche level; a pair listed as
            # both kinds stays CLOSE, the nearer move.
            previous = self.b.has_rel(RelType.MOBILITY, start, end)
            if previous is not None and previous.props["kind"] == MobilityKind.CLOSE.value:
                continue
            self.b.add_rel(RelType.MOBILITY, start, end, kind=kind.value, source=self.source)

    def note_completed(self) -> None:
        for node_id, uses in sorted(self.completed.items()):
            file, line = self.first_seen[node_id]
            named = rows_of(uses)
            self.problems.warn(
                file,
                line,
                f"fiche {node_id.removeprefix('rome:')} is absent from the referentiel but named "
                f"by {named}; created with its label from {self.label_sources[node_id]}, "
                "marked incomplete",
                first=True,
            )
