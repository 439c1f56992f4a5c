"""O*NET database release (tab-separated ``.txt`` and official ``.xlsx`` files) →
:class:`~cartonet.model.Dataset`.

What is read, and what it becomes (``source="onet-29.3"``, the release taken from
``Read Me.txt``; O*NET is in English only, so French falls back to English):

==================================  ==============================================================
file                                becomes
==================================  ==============================================================
``Occupation Data.txt``             Occupation ``onet:<O*NET-SOC code>`` (``code``, English title
                                    and description)
``Skills.xlsx``                     Skill HARD ``onet-skill:<element id>`` (e.g. ``2.A.1.a``
                                    Reading Comprehension) and REQUIRES edges
``Knowledge.xlsx``                  Skill KNOWLEDGE ``onet-skill:<element id>`` and REQUIRES
``Work Styles.txt``                 Skill SOFT ``onet-skill:<element id>`` and REQUIRES
``Content Model Reference.txt``     descriptions of those skills, and their parents in the
                                    content model (``2.A`` Basic Skills, ``2.C.1`` Business and
                                    Management...) as SkillGroup ``onet-skill-group:<id>``
                                    with BROADER
``Interests.txt``                   MATCHES_INTEREST to the RIASEC Interest nodes ``riasec:R``…
                                    the ROME loader uses: the high-point interests (1 to 3),
                                    ``rank`` 1..3, ``weight`` = occupational-interest score / 7
``Job Zones.txt``                   the occupation's ``jobZone`` (1 to 5) and ``entryLevel``
                                    (:func:`cartonet.qualifications.level_of_job_zone`)
``Alternate Titles.xlsx``           English alt labels (alternate and short titles)
``Sample of Reported Titles.txt``   English alt labels (titles incumbents reported)
SOC codes                           the SOC 2018 hierarchy as OccupationGroup
                                    ``onet-group:<code>``: major group ``15-0000`` (level 1),
                                    minor ``15-1200`` (2), broad ``15-1250`` (3); an
                                    occupation is BROADER its broad group, except an O*NET
                                    specialisation (``15-1252.01``), which sits under its SOC
                                    occupation ``onet:15-1252.00`` when the release has it
==================================  ==============================================================

REQUIRES threshold
------------------
Skills, Knowledge and Work Styles are rated for every occupation on an importance scale
(``IM``, 1 = not important … 3 = important … 5 = extremely important) and, for Skills and
Knowledge, a level scale (``LV``, 0–7). An element becomes a REQUIRES edge when its importance
is at least :data:`OPTIONAL_IMPORTANCE` (3.0, "important"): ESSENTIAL from
:data:`ESSENTIAL_IMPORTANCE` (3.5, half-way to "very important"), OPTIONAL below. With 29.3
this gives a rated occupation about 23 essential and 14 optional requirements out of 84
rated elements (ESCO gives about 14 and 20): a lower cut would make nearly every element
essential to every job and flatten similarities. The edge keeps the ratings as
``importance`` (1–5) and ``level`` (0–7; left out when O*NET marks it not relevant or
recommends suppressing it) besides the usual ``relevance``.

Requirement weight
------------------
The orientation engine reads a REQUIRES edge's numeric ``weight`` (in ``(0, 1]``) as how
much the requirement counts (:func:`cartonet.orientation.index.relevance_weight`); ESCO and
ROME give 1.0 / 0.5 for ESSENTIAL / OPTIONAL. O*NET rates every requirement, so the loader
can turn the ratings into a continuous weight instead (``weights=``, see
:data:`REQUIREMENT_WEIGHTS` and :func:`requirement_weight`): the engine has no O*NET
constant, it reads ``weight`` whatever wrote it. The default is ``"importance"``.

The SOC major groups are titled (:data:`SOC_MAJOR_GROUPS`, the 23 titles of the SOC 2018
manual); the release has no titles for minor and broad groups, which are labelled by code
("SOC minor group 15-1200").

Not loaded: abilities, work activities and context, tasks (absent from the copy in
``shared/data``), technology skills, work values, education and training.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from cartonet.errors import LoadError
from cartonet.ingest.builder import RELEVANCE_WEIGHT, DatasetBuilder
from cartonet.ingest.csvread import CsvRow, CsvTable
from cartonet.ingest.problems import Problems, ProgressCallback
from cartonet.ingest.rome import RIASEC, interest_id
from cartonet.ingest.xlsxread import XlsxTable
from cartonet.model import Dataset, NodeType, Relevance, RelType, SkillKind
from cartonet.qualifications import level_of_job_zone

ESSENTIAL_IMPORTANCE = 3.5
"""Importance (1–5) from which a rated element is an ESSENTIAL requirement."""
OPTIONAL_IMPORTANCE = 3.0
"""Importance ("important") from which a rated element is a requirement at all (OPTIONAL
below :data:`ESSENTIAL_IMPORTANCE`)."""

INTEREST_SCALE_MAX = 7.0
"""Occupational-interest scores (``OI``) run from 1 to 7; the weight is the score / 7."""

HIGH_POINT_LETTERS = {1: "R", 2: "I", 3: "A", 4: "S", 5: "E", 6: "C"}
"""O*NET's high-point codes (``IH`` scale): 1 Realistic … 6 Conventional, 0 none."""
HIGH_POINT_RANKS = {"1.B.1.g": 1, "1.B.1.h": 2, "1.B.1.i": 3}
RIASEC_ELEMENTS = {
    "1.B.1.a": "R",
    "1.B.1.b": "I",
    "1.B.1.c": "A",
    "1.B.1.d": "S",
    "1.B.1.e": "E",
    "1.B.1.f": "C",
}

SOC_MAJOR_GROUPS: dict[str, str] = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}
"""Titles of the SOC 2018 major groups (U.S. Bureau of Labor Statistics, *Standard
Occupational Classification Manual*, 2018)."""

ONET_SOC = re.compile(r"^(\d{2})-(\d{2})(\d)(\d)\.(\d{2})$")

RATED_FILES: tuple[tuple[str, SkillKind], ...] = (
    ("Skills.xlsx", SkillKind.HARD),
    ("Knowledge.xlsx", SkillKind.KNOWLEDGE),
    ("Work Styles.txt", SkillKind.SOFT),
)
WORK_STYLES_FILE = "Work Styles.txt"

IMPORTANCE_MIN, IMPORTANCE_MAX = 1.0, 5.0
"""The importance scale (``IM``)."""
LEVEL_MAX = 7.0
"""The level scale (``LV``) runs from 0 to 7."""
MIN_WEIGHT = 0.01
"""Floor of a continuous weight: the engine reads a weight only in ``(0, 1]``."""

REQUIREMENT_WEIGHTS: tuple[str, ...] = ("relevance", "importance", "importance-level")
"""How the REQUIRES ``weight`` is written (:func:`requirement_weight`)."""


def requirement_weight(importance: float, level: float | None, weights: str = "relevance") -> float:
    """The ``weight`` of an O*NET REQUIRES edge, in ``(0, 1]``.

    Parameters
    ----------
    importance:
        The element's importance for the occupation (``IM``, 1–5).
    level:
        Its level (``LV``, 0–7), or ``None`` when O*NET gives none (work styles) or
        suppresses it.
    weights:
        ``"relevance"``: 1.0 for ESSENTIAL (importance ≥ :data:`ESSENTIAL_IMPORTANCE`),
        0.5 for OPTIONAL, the weights every loader gives. ``"importance"``: the importance
        rescaled to ``i = (importance − 1) / 4`` (so the OPTIONAL cut 3.0 gives 0.5, as
        the relevance weight does, and 5 gives 1). ``"importance-level"``: the geometric
        mean ``√(i · level / 7)`` (``i`` alone without a level), so a requirement weighs
        more when it is both important and needed at a high level.

    Returns
    -------
    float
        Rounded to 4 decimals, at least :data:`MIN_WEIGHT`.

    Example
    -------
    >>> requirement_weight(4.0, 3.5, "relevance"), requirement_weight(3.2, None, "relevance")
    (1.0, 0.5)
    >>> requirement_weight(4.0, 3.5, "importance")
    0.75
    >>> requirement_weight(4.0, 3.5, "importance-level")
    0.6124
    """
    if weights == "relevance":
        essential = importance >= ESSENTIAL_IMPORTANCE
        return RELEVANCE_WEIGHT[Relevance.ESSENTIAL if essential else Relevance.OPTIONAL]
    if weights not in REQUIREMENT_WEIGHTS:
        raise ValueError(
            f"weights must be one of {', '.join(REQUIREMENT_WEIGHTS)}, not {weights!r}"
        )
    i = (importance - IMPORTANCE_MIN) / (IMPORTANCE_MAX - IMPORTANCE_MIN)
    if weights == "importance-level" and level is not None:
        i = (i * max(level, 0.0) / LEVEL_MAX) ** 0.5
    return max(MIN_WEIGHT, min(1.0, round(i, 4)))


def occupation_id(code: str) -> str:
    return f"onet:{code}"


def skill_id(element: str) -> str:
    return f"onet-skill:{element}"


def skill_group_id(element: str) -> str:
    return f"onet-skill-group:{element}"


def group_id(code: str) -> str:
    return f"onet-group:{code}"


def soc_groups(code: str) -> list[tuple[str, int]]:
    """The SOC 2018 groups above an O*NET-SOC code, broadest first, as ``(code, level)``.

    >>> soc_groups("15-1252.01")
    [('15-0000', 1), ('15-1200', 2), ('15-1250', 3)]
    """
    m = ONET_SOC.match(code)
    if not m:
        return []
    major, minor2, broad, _detail, _ = m.groups()
    return [
        (f"{major}-0000", 1),
        (f"{major}-{minor2}00", 2),
        (f"{major}-{minor2}{broad}0", 3),
    ]


def load_onet(
    dir: Path,
    *,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    weights: str = "importance",
    work_styles: bool = True,
) -> Dataset:
    """Read an O*NET database release (text and Excel files) into a dataset.

    Parameters
    ----------
    dir:
        The release folder (``.../onet/29.3``) with the files listed in the module doc.
    skip_bad_rows:
        Drop malformed records and list them in ``warnings`` instead of refusing the load.
    progress:
        ``progress(phase, done, total)`` as files are read.
    weights:
        How each REQUIRES edge's ``weight`` is written from the ratings: one of
        :data:`REQUIREMENT_WEIGHTS` (see :func:`requirement_weight`). The default,
        ``"importance"``, was chosen on one proxy truth and checked on the other
        (docs/algorithms.md, "O*NET requirement weights").
    work_styles:
        Load ``Work Styles.txt`` as SOFT skills (the default); false leaves them out.

    Returns
    -------
    Dataset
        For 29.3: 1,016 occupations, 35 skills, 33 knowledge areas, 16 work styles (84
        skills), their content-model groups, the SOC hierarchy, the 6 RIASEC interests,
        REQUIRES, MATCHES_INTEREST and BROADER edges.

    Raises
    ------
    LoadError
        A file or column is missing, or (strict mode) some records are bad.

    Example
    -------
    >>> ds = load_onet(Path("../shared/data/onet/29.3"))  # doctest: +SKIP
    >>> ds.source  # doctest: +SKIP
    'onet-29.3'
    """
    if weights not in REQUIREMENT_WEIGHTS:
        raise LoadError(
            f"weights: expected one of {', '.join(REQUIREMENT_WEIGHTS)}, got {weights!r}"
        )
    reader = _OnetReader(Path(dir), Problems(skip_bad_rows), progress)
    reader.weights, reader.work_styles = weights, work_styles
    return reader.read()


def release_of(dir: Path) -> str:
    """The release number ``Read Me.txt`` states (``29.3``), else the folder name."""
    readme = dir / "Read Me.txt"
    if readme.is_file():
        head = readme.read_text(encoding="utf-8", errors="replace")[:500]
        m = re.search(r"O\*NET\s+(\d+\.\d+)\s+Database", head)
        if m:
            return m.group(1)
    return dir.name


class _OnetReader:
    def __init__(self, dir: Path, problems: Problems, progress: ProgressCallback | None):
        if not dir.is_dir():
            raise LoadError(f"{dir}: no such folder")
        if not (dir / "Occupation Data.txt").is_file():
            raise LoadError(f"{dir}: not an O*NET release (no 'Occupation Data.txt' inside)")
        self.dir, self.problems, self.progress = dir, problems, progress
        self.source = f"onet-{release_of(dir)}"
        self.b = DatasetBuilder(self.source)
        self.read_counts: dict[str, int] = {}
        self.model: dict[str, tuple[str, str]] = {}  # element id -> (name, description)
        self.weights = "importance"
        self.work_styles = True

    def text(self, name: str, required: list[str]) -> CsvTable:
        return CsvTable(
            self.dir / name,
            required,
            self.problems,
            delimiter="\t",
            progress=self.progress,
            phase=f"onet {name}",
            counts=self.read_counts,
            key=name,
        )

    def workbook(self, name: str, required: list[str]) -> XlsxTable:
        return XlsxTable(
            self.dir / name,
            required,
            progress=self.progress,
            phase=f"onet {name}",
            counts=self.read_counts,
            key=name,
        )

    def bad(self, t: CsvTable | XlsxTable, row: CsvRow, reason: str) -> None:
        self.problems.bad(t.name, row.line, reason)

    def occupation(self, t: CsvTable | XlsxTable, row: CsvRow) -> str | None:
        code = row["O*NET-SOC Code"]
        node_id = occupation_id(code)
        if self.b.type_of(node_id) is NodeType.OCCUPATION:
            return node_id
        self.bad(t, row, f"unknown O*NET-SOC Code '{code}' (not in Occupation Data.txt)")
        return None

    def read(self) -> Dataset:
        self.read_content_model()
        self.read_occupations()
        for name, kind in RATED_FILES:
            if name != WORK_STYLES_FILE or self.work_styles:
                self.read_ratings(name, kind)
        self.read_interests()
        self.read_job_zones()
        self.read_alternate_titles()
        self.read_reported_titles()
        self.note_unrated()
        self.problems.raise_if_any(f"O*NET load from {self.dir}")
        return self.b.build(self.read_counts, self.problems.warnings)

    def read_content_model(self) -> None:
        t = self.text("Content Model Reference.txt", ["Element ID", "Element Name", "Description"])
        for row in t:
            self.model[row["Element ID"]] = (row["Element Name"], row["Description"])

    def read_occupations(self) -> None:
        t = self.text("Occupation Data.txt", ["O*NET-SOC Code", "Title", "Description"])
        rows: list[tuple[str, CsvRow]] = []
        for row in t:
            code = row["O*NET-SOC Code"]
            if not ONET_SOC.match(code):
                self.bad(t, row, f"O*NET-SOC Code '{code}' is not like 15-1252.00")
                continue
            if not row["Title"]:
                self.bad(t, row, f"occupation {code} has no title")
                continue
            draft = self.b.add_node(occupation_id(code), NodeType.OCCUPATION, code=code)
            draft.set_label("en", row["Title"])
            draft.set_description("en", row["Description"])
            rows.append((code, row))
        for code, _row in rows:
            groups = soc_groups(code)
            for (parent, _), (child, level) in zip([(None, 0), *groups], groups, strict=False):
                gid = group_id(child)
                if self.b.get(gid) is None:
                    draft = self.b.add_node(gid, NodeType.OCCUPATION_GROUP, code=child, level=level)
                    if level == 1:
                        title = SOC_MAJOR_GROUPS.get(child[:2], f"SOC major group {child}")
                    else:
                        title = f"SOC {'minor' if level == 2 else 'broad'} group {child}"
                    draft.set_label("en", title)
                if parent is not None:
                    self.b.add_rel(RelType.BROADER, gid, group_id(parent))
            base = occupation_id(code[:-2] + "00")
            if not code.endswith(".00") and self.b.type_of(base) is NodeType.OCCUPATION:
                self.b.add_rel(RelType.BROADER, occupation_id(code), base)
            else:
                self.b.add_rel(RelType.BROADER, occupation_id(code), group_id(groups[-1][0]))

    def skill(self, element: str, name: str, kind: SkillKind) -> str:
        node_id = skill_id(element)
        if self.b.get(node_id) is not None:
            return node_id
        draft = self.b.add_node(node_id, NodeType.SKILL, kind=kind.value, code=element)
        draft.set_label("en", self.model.get(element, (name, ""))[0] or name)
        draft.set_description("en", self.model.get(element, ("", ""))[1])
        # parents in the content model, up to its second level (2.A Basic Skills, 1.C
        # Work Styles): the first level (1 Worker Characteristics...) groups everything
        child, parts = node_id, element.split(".")
        while len(parts) > 2:
            parts = parts[:-1]
            parent = ".".join(parts)
            if parent not in self.model:
                continue  # a level the reference lacks: link to the next one up
            gid = skill_group_id(parent)
            if self.b.get(gid) is None:
                group = self.b.add_node(gid, NodeType.SKILL_GROUP, code=parent)
                group.set_label("en", self.model[parent][0])
                group.set_description("en", self.model[parent][1])
            self.b.add_rel(RelType.BROADER, child, gid)
            child = gid
        return node_id

    def read_ratings(self, name: str, kind: SkillKind) -> None:
        required = [
            "O*NET-SOC Code",
            "Element ID",
            "Element Name",
            "Scale ID",
            "Data Value",
            "Recommend Suppress",
        ]
        t: CsvTable | XlsxTable = (
            self.workbook(name, required) if name.endswith(".xlsx") else self.text(name, required)
        )
        importance: dict[tuple[str, str], float] = {}
        level: dict[tuple[str, str], float] = {}
        suppressed = 0
        for row in t:
            occ = self.occupation(t, row)
            if occ is None:
                continue
            scale = row["Scale ID"]
            if scale not in ("IM", "LV"):
                self.bad(t, row, f"Scale ID '{scale}' (expected IM or LV)")
                continue
            try:
                value = float(row["Data Value"])
            except ValueError:
                self.bad(t, row, f"Data Value '{row['Data Value']}' is not a number")
                continue
            element = row["Element ID"]
            sid = self.skill(element, row["Element Name"], kind)
            if row["Recommend Suppress"] == "Y" or row["Not Relevant"] == "Y":
                suppressed += 1
                continue
            (importance if scale == "IM" else level)[(occ, sid)] = value
        for (occ, sid), im in importance.items():
            if im < OPTIONAL_IMPORTANCE:
                continue
            relevance = Relevance.ESSENTIAL if im >= ESSENTIAL_IMPORTANCE else Relevance.OPTIONAL
            lv = level.get((occ, sid))
            props: dict[str, Any] = {
                "relevance": relevance.value,
                "weight": requirement_weight(im, lv, self.weights),
                "importance": im,
            }
            if lv is not None:
                props["level"] = lv
            self.b.add_rel(RelType.REQUIRES, occ, sid, **props)
        if suppressed:
            self.problems.warn(
                t.name,
                None,
                f"{suppressed} ratings O*NET recommends suppressing or marks not relevant; "
                "left out (an edge without them has no level, or no edge)",
            )

    def read_interests(self) -> None:
        for letter, (fr, en, desc_fr, desc_en) in RIASEC.items():
            draft = self.b.add_node(
                interest_id(letter), NodeType.INTEREST, code=letter, scheme="RIASEC"
            )
            draft.set_label("fr", fr)
            draft.set_label("en", en)
            draft.set_description("fr", desc_fr)
            draft.set_description("en", desc_en)
        t = self.text("Interests.txt", ["O*NET-SOC Code", "Element ID", "Scale ID", "Data Value"])
        scores: dict[tuple[str, str], float] = {}
        high: dict[str, dict[int, tuple[str, CsvRow]]] = defaultdict(dict)
        for row in t:
            occ = self.occupation(t, row)
            if occ is None:
                continue
            try:
                value = float(row["Data Value"])
            except ValueError:
                self.bad(t, row, f"Data Value '{row['Data Value']}' is not a number")
                continue
            element, scale = row["Element ID"], row["Scale ID"]
            if scale == "OI" and element in RIASEC_ELEMENTS:
                scores[(occ, RIASEC_ELEMENTS[element])] = value
            elif scale == "IH" and element in HIGH_POINT_RANKS:
                if value == 0:
                    continue  # no second or third high point
                letter = HIGH_POINT_LETTERS.get(int(value)) if value.is_integer() else None
                if letter is None:
                    self.bad(t, row, f"high-point code {value} (expected 0 to 6)")
                    continue
                high[occ][HIGH_POINT_RANKS[element]] = (letter, row)
            else:
                self.bad(t, row, f"element {element} on scale {scale} is not a RIASEC score")
        for occ, ranks in high.items():
            for rank, (letter, row) in sorted(ranks.items()):
                score = scores.get((occ, letter))
                if score is None:
                    self.bad(t, row, f"high point {letter} has no OI score for {occ}")
                    continue
                if self.b.has_rel(RelType.MATCHES_INTEREST, occ, interest_id(letter)):
                    continue
                self.b.add_rel(
                    RelType.MATCHES_INTEREST,
                    occ,
                    interest_id(letter),
                    weight=round(score / INTEREST_SCALE_MAX, 4),
                    rank=rank,
                )

    def read_job_zones(self) -> None:
        t = self.text("Job Zones.txt", ["O*NET-SOC Code", "Job Zone"])
        for row in t:
            occ = self.occupation(t, row)
            if occ is None:
                continue
            zone = row["Job Zone"]
            if zone not in ("1", "2", "3", "4", "5"):
                self.bad(t, row, f"Job Zone '{zone}' (expected 1 to 5)")
                continue
            draft = self.b.get(occ)
            assert draft is not None
            draft.props["jobZone"] = int(zone)
            # the shared entry scale (cartonet.qualifications): zone 1..5 → level 2, 3, 4, 6, 7
            draft.props.update(entryLevel=level_of_job_zone(zone), entryLevelFrom="onet-job-zone")

    def read_alternate_titles(self) -> None:
        t = self.workbook("Alternate Titles.xlsx", ["O*NET-SOC Code", "Alternate Title"])
        for row in t:
            occ = self.occupation(t, row)
            if occ is None:
                continue
            draft = self.b.get(occ)
            assert draft is not None
            draft.add_alt("en", [row["Alternate Title"], row["Short Title"]])

    def read_reported_titles(self) -> None:
        t = self.text("Sample of Reported Titles.txt", ["O*NET-SOC Code", "Reported Job Title"])
        for row in t:
            occ = self.occupation(t, row)
            if occ is None:
                continue
            draft = self.b.get(occ)
            assert draft is not None
            draft.add_alt("en", [row["Reported Job Title"]])

    def note_unrated(self) -> None:
        rated = Counter(r.start for r in self.b.rels.values() if r.type is RelType.REQUIRES)
        unrated = [
            d.id for d in self.b.nodes.values() if d.type is NodeType.OCCUPATION and not rated[d.id]
        ]
        if unrated:
            self.problems.warn(
                "Skills.xlsx",
                None,
                f"{len(unrated)} occupations have no skill, knowledge or work-style rating "
                f"in this release (O*NET has not surveyed them); loaded without REQUIRES. "
                f"First: {', '.join(sorted(unrated)[:5])}",
                first=True,
            )
