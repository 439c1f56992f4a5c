"""ESCO v1.1.1 CSV export → :class:`~cartonet.model.Dataset`.

What is read, and what it becomes (ids are ESCO concept URIs as they are;
``source="esco-v1.1.1"`` on every node):

==========================================  ===============================================
file (under the release dir)                becomes
==========================================  ===============================================
``en/occupations_en.csv``                   Occupation (``code``, ``iscoGroup``;
                                            ``entryLevel`` from the ISCO skill level,
                                            ``regulated`` from ``regulatedProfessionNote``)
``en/skills_en.csv``                        Skill: ``skill/competence`` → HARD,
                                            ``knowledge`` → KNOWLEDGE; ``reuse`` level
``en/transversalSkillsCollection_en.csv``   its members become SOFT, whatever their type
``en/ISCOGroups_en.csv``                    OccupationGroup (``code``, ``level`` = digits)
``en/skillGroups_en.csv``                   SkillGroup (``code`` when ESCO gives one)
``en/skillsHierarchy_en.csv``               skill groups missing from ``skillGroups_en``
``fr/*.csv``                                French labels, alt labels, descriptions
``<fr_fallback_dir>/*_fr.csv`` (v1.0)       French labels for the rest (skills mostly)
``relations/occupationSkillRelations.csv``  REQUIRES, ESSENTIAL (weight 1.0) /
                                            OPTIONAL (weight 0.5)
``relations/broaderRelations*Pillar.csv``   BROADER (also Occupation→Occupation and
                                            Skill→Skill, as ESCO nests concepts)
==========================================  ===============================================

``skillSkillRelations.csv`` is not read: the model has no skill-to-skill relation besides
BROADER and SAME_AS. Data quirks of v1.1.1 and how they are handled are listed in
``docs/data-loading.md``; each one also leaves a warning in ``Dataset.warnings``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from cartonet.errors import LoadError
from cartonet.ingest.builder import RELEVANCE_WEIGHT, DatasetBuilder, Draft
from cartonet.ingest.csvread import CsvRow, CsvTable, companion_dir, rows_of
from cartonet.ingest.labels import gender_forms, split_lines, split_pipes
from cartonet.ingest.problems import Problems, ProgressCallback
from cartonet.model import (
    REL_ENDPOINTS,
    Dataset,
    NodeType,
    Relevance,
    RelType,
    Reuse,
    SkillKind,
)
from cartonet.qualifications import level_of_isco

SOURCE = "esco-v1.1.1"

REGULATED_NOTE = "http://data.europa.eu/esco/regulated-professions/regulated"
"""``regulatedProfessionNote`` of the occupations ESCO v1.1.1 flags as regulated (15 of
3,007: doctors, dentists, nurses, midwives, pharmacists, veterinarians, architects)."""


def entry_requirements(isco_group: str, regulated_note: str) -> dict[str, object]:
    """Entry properties of an ESCO occupation: ``entryLevel`` from its ISCO group's skill
    level (:func:`cartonet.qualifications.level_of_isco`) and ``regulated`` from the
    ``regulatedProfessionNote`` column (ESCO names no diploma: ``requiredDiploma`` is not
    set). An empty note (a release without the column) leaves ``regulated`` unset.

    >>> entry_requirements("2221", REGULATED_NOTE)
    {'entryLevel': 6, 'entryLevelFrom': 'isco', 'regulated': True}
    """
    out: dict[str, object] = {}
    level = level_of_isco(isco_group)
    if level is not None:
        out.update(entryLevel=level, entryLevelFrom="isco")
    if regulated_note.strip():
        out["regulated"] = regulated_note.strip() == REGULATED_NOTE
    return out


SKILL_TYPE_KIND: dict[str, SkillKind] = {
    "skill/competence": SkillKind.HARD,
    "knowledge": SkillKind.KNOWLEDGE,
}

EMPTY_SKILL_TYPE_KIND = SkillKind.HARD
"""Kind given to the few skills whose ``skillType`` is empty in v1.1.1 (five DigComp
competence areas such as "ICT safety", and "implement cloud security and compliance"):
they are worded and used as competences, and a skill needs a kind to be filtered."""

CONCEPT_TYPES: dict[str, NodeType] = {
    "Occupation": NodeType.OCCUPATION,
    "ISCOGroup": NodeType.OCCUPATION_GROUP,
    "KnowledgeSkillCompetence": NodeType.SKILL,
    "SkillGroup": NodeType.SKILL_GROUP,
}

_REUSE = {r.value: r for r in Reuse}


def load_esco(
    dir: Path,
    *,
    fr_fallback_dir: Path | None = None,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
) -> Dataset:
    """Read an ESCO v1.1.1 CSV release into a dataset.

    Parameters
    ----------
    dir:
        The release: ``en/``, ``fr/`` (optional: without it labels are English only) and
        ``relations/``.
    fr_fallback_dir:
        ESCO v1.0 French label files (``skills_fr.csv``, ``occupations_fr.csv``...), used
        where v1.1.1 gives no French label. Default: ``dir.parent / "v1.0_fr_labels"`` when
        that folder exists.
    skip_bad_rows:
        Drop malformed records and list them in ``warnings`` instead of refusing the load
        (see :mod:`cartonet.ingest.problems`).
    progress:
        ``progress(phase, done, total)`` as files are read (lines of the current file).

    Returns
    -------
    Dataset
        For the full v1.1.1 release: 3,008 occupations (3,007 rows + one completed from
        other files, marked ``incomplete``), 13,896 skills, 123,855 REQUIRES.

    Raises
    ------
    LoadError
        A required file or column is missing, or (strict mode) some records are bad; the
        message lists them as ``file:line: reason``.

    Example
    -------
    >>> ds = load_esco(Path("../shared/data/esco/v1.1.1"))  # doctest: +SKIP
    >>> ds.read_counts["en/occupations_en.csv"]  # doctest: +SKIP
    3007
    """
    dir = Path(dir)
    fallback = companion_dir(dir, fr_fallback_dir, "v1.0_fr_labels", "French fallback labels")
    return _EscoReader(dir, fallback, Problems(skip_bad_rows), progress).read()


class _EscoReader:
    def __init__(
        self,
        dir: Path,
        fallback: Path | None,
        problems: Problems,
        progress: ProgressCallback | None,
    ) -> None:
        self.dir = dir
        self.fallback = fallback
        self.problems = problems
        self.progress = progress
        self.b = DatasetBuilder(SOURCE)
        self.read_counts: dict[str, int] = {}
        self.first_line: dict[str, tuple[str, int]] = {}
        # v1.0 French occupations: also the only file naming one occupation of the relations.
        self.v10_occupations: dict[str, CsvRow] = {}
        self.v10_occupations_file = ""
        self.completed: dict[str, Counter[str]] = {}
        self.fallback_unknown: dict[str, set[str]] = {}

    # -- plumbing -------------------------------------------------------------------------

    def table(
        self, rel: str, required: list[str], base: Path | None = None, pad_short_rows: bool = False
    ) -> CsvTable:
        path = (base or self.dir) / rel
        key = rel if base is None else f"{base.name}/{rel}"
        return CsvTable(
            path,
            required,
            self.problems,
            pad_short_rows=pad_short_rows,
            progress=self.progress,
            phase=f"esco {key}",
            counts=self.read_counts,
            key=key,
        )

    def bad(self, t: CsvTable, row: CsvRow, reason: str) -> None:
        self.problems.bad(t.name, row.line, reason)

    def new_concept(self, t: CsvTable, row: CsvRow, type: NodeType) -> Draft | None:
        """Common checks of a concept row; a new draft node, or None for a bad row."""
        uri, label = row["conceptUri"], row["preferredLabel"]
        expected = next(k for k, v in CONCEPT_TYPES.items() if v == type)
        if not uri:
            self.bad(t, row, "empty conceptUri")
            return None
        if row["conceptType"] and row["conceptType"] != expected:
            self.bad(t, row, f"conceptType '{row['conceptType']}' where '{expected}' is expected")
            return None
        if uri in self.first_line:
            file, line = self.first_line[uri]
            self.bad(t, row, f"{uri} is defined twice (first at {file}:{line})")
            return None
        if not label:
            self.bad(t, row, f"empty preferredLabel for {uri}")
            return None
        self.first_line[uri] = (t.name, row.line)
        draft = self.b.add_node(uri, type)
        draft.set_label("en", label)
        draft.set_description("en", row["description"])
        return draft

    # -- the load -------------------------------------------------------------------------

    def read(self) -> Dataset:
        for sub in ("en", "relations"):
            if not (self.dir / sub).is_dir():
                raise LoadError(
                    f"{self.dir}: not an ESCO v1.1.1 CSV release (no '{sub}/' folder inside)"
                )
        self.read_occupations()
        self.read_skills()
        self.read_isco_groups()
        self.read_skill_groups()
        self.read_french()
        self.read_fallback_french()
        self.read_requires()
        self.read_broader("relations/broaderRelationsOccPillar.csv")
        self.read_broader("relations/broaderRelationsSkillPillar.csv")
        self.add_gender_forms()
        self.note_completed()
        self.note_unknown_fallback()
        self.note_missing_french()
        self.problems.raise_if_any(f"ESCO load from {self.dir}")
        return self.b.build(self.read_counts, self.problems.warnings)

    def read_occupations(self) -> None:
        t = self.table(
            "en/occupations_en.csv",
            [
                "conceptType",
                "conceptUri",
                "iscoGroup",
                "preferredLabel",
                "altLabels",
                "description",
                "code",
            ],
        )
        for row in t:
            draft = self.new_concept(t, row, NodeType.OCCUPATION)
            if draft is None:
                continue
            draft.add_alt("en", split_lines(row["altLabels"]))
            draft.props.update(code=row["code"] or None, iscoGroup=row["iscoGroup"] or None)
            draft.props.update(entry_requirements(row["iscoGroup"], row["regulatedProfessionNote"]))

    def read_skills(self) -> None:
        transversal: set[str] = set()
        tt = self.table("en/transversalSkillsCollection_en.csv", ["conceptUri"])
        lines: dict[str, CsvRow] = {}
        for row in tt:
            if row["conceptUri"]:
                transversal.add(row["conceptUri"])
                lines.setdefault(row["conceptUri"], row)
        t = self.table(
            "en/skills_en.csv",
            [
                "conceptType",
                "conceptUri",
                "skillType",
                "reuseLevel",
                "preferredLabel",
                "altLabels",
                "description",
            ],
        )
        for row in t:
            skill_type, reuse = row["skillType"], row["reuseLevel"]
            if skill_type and skill_type not in SKILL_TYPE_KIND:
                known = ", ".join(SKILL_TYPE_KIND)
                self.bad(t, row, f"unknown skillType '{skill_type}' (expected {known} or empty)")
                continue
            if reuse and reuse not in _REUSE:
                self.bad(t, row, f"unknown reuseLevel '{reuse}' (expected {', '.join(_REUSE)})")
                continue
            draft = self.new_concept(t, row, NodeType.SKILL)
            if draft is None:
                continue
            if draft.id in transversal:
                kind = SkillKind.SOFT
            elif skill_type:
                kind = SKILL_TYPE_KIND[skill_type]
            else:
                kind = EMPTY_SKILL_TYPE_KIND
                self.problems.warn(
                    t.name,
                    row.line,
                    f"empty skillType for {draft.id} ('{draft.labels['en']}'): kind set to "
                    f"{kind.value}",
                )
            draft.add_alt("en", split_lines(row["altLabels"]))
            draft.props.update(kind=kind.value, reuse=reuse or None)
        for uri in sorted(transversal):
            if self.b.type_of(uri) is not NodeType.SKILL:
                self.bad(tt, lines[uri], f"unknown skill {uri} (not in en/skills_en.csv)")

    def read_isco_groups(self) -> None:
        t = self.table(
            "en/ISCOGroups_en.csv",
            ["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "description"],
        )
        for row in t:
            if not row["code"]:
                self.bad(t, row, f"empty code for ISCO group {row['conceptUri']}")
                continue
            draft = self.new_concept(t, row, NodeType.OCCUPATION_GROUP)
            if draft is not None:
                draft.add_alt("en", split_lines(row["altLabels"]))
                draft.props.update(code=row["code"], level=len(row["code"]))

    def read_skill_groups(self) -> None:
        t = self.table(
            "en/skillGroups_en.csv",
            ["conceptType", "conceptUri", "preferredLabel", "altLabels", "description", "code"],
        )
        for row in t:
            draft = self.new_concept(t, row, NodeType.SKILL_GROUP)
            if draft is not None:
                draft.add_alt("en", split_lines(row["altLabels"]))
                draft.props.update(code=row["code"] or None)
        # v1.1.1 lists 7 groups in the hierarchy and the broader relations that
        # skillGroups_en.csv lacks; the hierarchy file has their labels, codes, descriptions.
        for uri, level, row, t in self.hierarchy("en"):
            if uri in self.b.nodes:
                continue
            draft = self.b.add_node(uri, NodeType.SKILL_GROUP)
            draft.set_label("en", row[f"Level {level} preferred term"])
            draft.set_description("en", row["Description"])
            draft.props.update(code=row[f"Level {level} code"] or None)
            self.first_line[uri] = (t.name, row.line)
            self.problems.warn(
                t.name,
                row.line,
                f"skill group {uri} ('{draft.labels.get('en', '')}') is absent from "
                "en/skillGroups_en.csv; created from the skills hierarchy files",
            )

    def hierarchy(self, lang: str) -> Iterator[tuple[str, int, CsvRow, CsvTable]]:
        """(uri, level, row, table) of each hierarchy row's deepest concept."""
        t = self.table(
            f"{lang}/skillsHierarchy_{lang}.csv",
            [f"Level {k} {c}" for k in range(4) for c in ("URI", "preferred term", "code")]
            + ["Description"],
            pad_short_rows=True,
        )
        if lang != "en" and not t.path.is_file():
            return
        for row in t:
            levels = [k for k in range(4) if row[f"Level {k} URI"]]
            if not levels:
                self.bad(t, row, "no Level URI on this row")
                continue
            yield row[f"Level {levels[-1]} URI"], levels[-1], row, t

    # -- French -----------------------------------------------------------------------------

    def read_french(self) -> None:
        fr = self.dir / "fr"
        if not fr.is_dir():
            self.problems.warn(str(fr), None, "no French folder: labels are English only")
            return
        concept = ["conceptUri", "preferredLabel", "altLabels", "description"]
        files: list[tuple[str, Callable[[str], list[str]]]] = [
            ("fr/occupations_fr.csv", split_lines),
            ("fr/ISCOGroups_fr.csv", split_lines),
            ("fr/skillGroups_fr.csv", split_lines),
        ]
        files += [
            (f"fr/{p.name}", split_pipes) for p in sorted(fr.glob("*SkillsCollection_fr.csv"))
        ]
        for rel, splitter in files:
            if not (self.dir / rel).is_file():
                self.problems.warn(str(self.dir / rel), None, "file absent: no French from it")
                continue
            t = self.table(rel, concept)
            unknown = 0
            for row in t:
                draft = self.b.get(row["conceptUri"])
                if draft is None:
                    unknown += 1
                    continue
                draft.set_label("fr", row["preferredLabel"])
                draft.add_alt("fr", splitter(row["altLabels"]))
                draft.set_description("fr", row["description"])
            if unknown:
                self.problems.warn(
                    t.name,
                    None,
                    f"{unknown} rows name concepts absent from the English files; ignored",
                )
        en_desc = {uri: d.descriptions.get("en") for uri, d in self.b.nodes.items()}
        for uri, level, row, _t in self.hierarchy("fr"):
            draft = self.b.get(uri)
            if draft is not None and draft.type is NodeType.SKILL_GROUP:
                draft.set_label("fr", row[f"Level {level} preferred term"])
                # The French hierarchy repeats many English descriptions: keep real French.
                if row["Description"] and row["Description"] != en_desc.get(uri):
                    draft.set_description("fr", row["Description"])

    def read_fallback_french(self) -> None:
        if self.fallback is None:
            return
        for name in (
            "skills_fr.csv",
            "occupations_fr.csv",
            "ISCOGroups_fr.csv",
            "skillGroups_fr.csv",
        ):
            if not (self.fallback / name).is_file():
                continue
            t = self.table(name, ["conceptUri", "preferredLabel", "altLabels"], base=self.fallback)
            unknown = self.fallback_unknown.setdefault(t.name, set())
            for row in t:
                uri = row["conceptUri"]
                if name == "occupations_fr.csv":
                    self.v10_occupations[uri] = row
                    self.v10_occupations_file = t.name
                draft = self.b.get(uri)
                if draft is None:
                    unknown.add(uri)
                    continue
                if not draft.labels.get("fr"):
                    draft.set_label("fr", row["preferredLabel"])
                    if not draft.alt_labels.get("fr"):
                        draft.add_alt("fr", split_lines(row["altLabels"]))

    def add_gender_forms(self) -> None:
        for draft in self.b.nodes.values():
            if draft.type is not NodeType.OCCUPATION:
                continue
            labels = [draft.labels.get("fr", ""), *draft.alt_labels.get("fr", [])]
            forms = [f for label in labels if label for f in gender_forms(label, "/")]
            if forms:
                draft.add_alt("fr", forms)

    def note_missing_french(self) -> None:
        missing = Counter(d.type.value for d in self.b.nodes.values() if not d.labels.get("fr"))
        for type_name, n in sorted(missing.items()):
            total = sum(1 for d in self.b.nodes.values() if d.type.value == type_name)
            self.problems.warn(
                str(self.dir),
                None,
                f"{n} of {total} {type_name} nodes have no French label in any file "
                "(the English label is shown instead)",
            )

    # -- relations --------------------------------------------------------------------------

    def complete_occupation(self, uri: str, t: CsvTable, row: CsvRow) -> bool:
        """Create an occupation that relations name but occupations_en.csv lacks, from the
        other files that do describe it; False if none does."""
        v10 = self.v10_occupations.get(uri)
        if v10 is None or not v10["preferredLabel"]:
            return False
        draft = self.b.add_node(uri, NodeType.OCCUPATION, incomplete=True)
        draft.set_label("fr", v10["preferredLabel"])
        draft.add_alt("fr", split_lines(v10["altLabels"]))
        self.completed[uri] = Counter()
        self.first_line[uri] = (t.name, row.line)
        return True

    def note_completed(self) -> None:
        for uri, uses in sorted(self.completed.items()):
            file, line = self.first_line[uri]
            named = rows_of(uses)
            self.problems.warn(
                file,
                line,
                f"occupation {uri} is absent from en/occupations_en.csv but named by {named}; "
                f"created from {self.v10_occupations_file} (French labels) and those relations, "
                "marked incomplete (no English label)",
                first=True,
            )

    def note_unknown_fallback(self) -> None:
        for file, uris in self.fallback_unknown.items():
            unused = uris - self.completed.keys()
            if unused:
                self.problems.warn(
                    file,
                    None,
                    f"{len(unused)} rows name concepts absent from v1.1.1 (older ESCO concepts);"
                    " ignored",
                )

    def read_requires(self) -> None:
        t = self.table(
            "relations/occupationSkillRelations.csv",
            ["occupationUri", "relationType", "skillUri"],
        )
        relevances = {r.value.lower(): r for r in Relevance}
        for row in t:
            occ, skill, kind = row["occupationUri"], row["skillUri"], row["relationType"]
            relevance = relevances.get(kind)
            if relevance is None:
                self.bad(t, row, f"unknown relationType '{kind}' (expected essential or optional)")
                continue
            occ_type = self.b.type_of(occ)
            if occ_type is None and self.complete_occupation(occ, t, row):
                occ_type = NodeType.OCCUPATION
            if occ_type is not NodeType.OCCUPATION:
                what = "unknown occupation" if occ_type is None else "not an occupation:"
                self.bad(t, row, f"{what} {occ}")
                continue
            if self.b.type_of(skill) is not NodeType.SKILL:
                self.bad(t, row, f"unknown skill {skill} (not in en/skills_en.csv)")
                continue
            if occ in self.completed:
                self.completed[occ][t.path.name] += 1
            previous = self.b.has_rel(RelType.REQUIRES, occ, skill)
            if previous is not None:
                if previous.props["relevance"] == Relevance.ESSENTIAL.value:
                    relevance = Relevance.ESSENTIAL
                self.problems.warn(t.name, row.line, f"repeated pair {occ} → {skill}; kept once")
            self.b.add_rel(
                RelType.REQUIRES,
                occ,
                skill,
                relevance=relevance.value,
                weight=RELEVANCE_WEIGHT[relevance],
            )

    def read_broader(self, rel: str) -> None:
        t = self.table(rel, ["conceptType", "conceptUri", "broaderType", "broaderUri"])
        allowed = REL_ENDPOINTS[RelType.BROADER]
        for row in t:
            ends = []
            for uri_col, type_col in (("conceptUri", "conceptType"), ("broaderUri", "broaderType")):
                uri, declared = row[uri_col], row[type_col]
                actual = self.b.type_of(uri)
                if (
                    actual is None
                    and declared == "Occupation"
                    and self.complete_occupation(uri, t, row)
                ):
                    actual = NodeType.OCCUPATION
                if actual is None:
                    self.bad(t, row, f"unknown {uri_col} {uri or '(empty)'}")
                    break
                if declared and CONCEPT_TYPES.get(declared) is not actual:
                    self.bad(t, row, f"{type_col} '{declared}' but {uri} is a {actual.value}")
                    break
                ends.append((uri, actual))
            else:
                (child, ctype), (parent, ptype) = ends
                if (ctype, ptype) not in allowed:
                    self.bad(t, row, f"BROADER may not join {ctype.value} to {ptype.value}")
                    continue
                for uri in (child, parent):
                    if uri in self.completed:
                        self.completed[uri][t.path.name] += 1
                self.b.add_rel(RelType.BROADER, child, parent)
