"""Entry levels: one qualification scale shared by the taxonomies, and the mappings onto it.

The scale is the eight-level European Qualifications Framework (EQF), which the French
*nomenclature des niveaux de diplôme* (décret n° 2019-14) follows level for level, so a
French diploma, an ISCO skill level and an O*NET job zone all land on the same integers:

======  ==========================================  ====================================
level   French diplomas (ROME "accès à l'emploi")   what it means
======  ==========================================  ====================================
2       *sans diplôme*                              no diploma required (EQF 1–2 merged)
3       CAP, BEP, CAPA, mention complémentaire      vocational upper-secondary
4       Bac, Bac pro, brevet professionnel, BMA     upper-secondary leaving certificate
5       Bac+2: BTS, DUT, DEUST, DMA, L2             short-cycle higher education
6       Licence, Bac+3, Bac+4, BUT, M1              bachelor's level
7       Master, Bac+5, diplôme d'ingénieur, M2      master's level
8       Doctorat, Bac+8, diplôme d'État de docteur  doctorate
======  ==========================================  ====================================

ISCO-08 skill levels (ILO, *ISCO-08* vol. 1, 2012, §§ 10–21 and table 3: the skill
level of each major group, defined by ISCED-97 levels) map as: skill level 1 (ISCED 1,
elementary occupations, major group 9; armed forces other ranks 03) → 2; skill level 2
(ISCED 2–3, major groups 4–8; non-commissioned officers 02) → 3; skill level 3 (ISCED 5b,
major group 3) → 5; skill level 4 (ISCED 5a–6, major group 2; commissioned officers 01)
→ 6. Managers (major group 1) are "skill levels 3 and 4": the lower, 3 → 5, is their
*entry* level.

O*NET job zones (O*NET Resource Center, "Job Zones"): zone 1 (little or no preparation)
→ 2; zone 2 (some preparation, usually a high-school diploma) → 3; zone 3 (medium:
vocational school or associate's degree) → 4; zone 4 (considerable: usually a bachelor's
degree) → 6; zone 5 (extensive: graduate degree) → 7. :func:`level_of_job_zone` is the
function the O*NET loader calls.

These functions depend on nothing but the standard library: the loaders, the store's
reports and the orientation code all use them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

MIN_LEVEL, MAX_LEVEL = 2, 8
"""The range of the shared entry scale (level 1 and 2 are both "no diploma": merged at 2)."""

LEVEL_NAMES: Mapping[str, Mapping[int, str]] = {
    "fr": {
        2: "sans diplôme",
        3: "CAP/BEP",
        4: "Bac",
        5: "Bac+2",
        6: "Licence (Bac+3)",
        7: "Master (Bac+5)",
        8: "Doctorat",
    },
    "en": {
        2: "no diploma",
        3: "vocational certificate (CAP/BEP)",
        4: "upper-secondary (Bac)",
        5: "two years of higher education (Bac+2)",
        6: "bachelor's level (Bac+3)",
        7: "master's level (Bac+5)",
        8: "doctorate",
    },
}

ENTRY_PROPS: tuple[str, ...] = (
    "entryLevel",
    "entryLevelFrom",
    "regulated",
    "requiredDiploma",
    "entryText",
)
"""Occupation properties holding the entry requirements (see docs/data-loading.md):
``entryLevel`` an integer of the shared scale; ``entryLevelFrom`` where it comes from
(``rome-text``, ``isco``, ``onet-job-zone``); ``regulated`` true when the source says the
occupation requires a state diploma or is a regulated profession; ``requiredDiploma`` the
diploma named, when the source names one; ``entryText`` the source sentence(s), as written."""

ISCO_SKILL_LEVEL: Mapping[str, int] = {
    "1": 3,  # managers: skill levels 3 and 4, the lower one is the entry
    "2": 4,
    "3": 3,
    "4": 2,
    "5": 2,
    "6": 2,
    "7": 2,
    "8": 2,
    "9": 1,
}
ISCO_ARMED_FORCES: Mapping[str, int] = {"01": 4, "02": 2, "03": 1}
SKILL_LEVEL_TO_ENTRY: Mapping[int, int] = {1: 2, 2: 3, 3: 5, 4: 6}
JOB_ZONE_TO_ENTRY: Mapping[int, int] = {1: 2, 2: 3, 3: 4, 4: 6, 5: 7}


def _plain(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes made straight."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("''", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# (level, pattern over plain text); the order does not matter: every match is collected
_DIPLOMA_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern))
    for level, pattern in (
        (8, r"\bdoctorat\b|\bdocteur\b|\bbac ?\+ ?8\b|\bphd\b|\bdoctorate\b"),
        (
            7,
            r"\bmasters?\b|\bbac ?\+ ?5\b|\bm2\b|\bdiplome d'ingenieur|\bdess\b|\bdea\b"
            r"|\bmaster's\b",
        ),
        (6, r"\blicences?\b(?! de pilote)|\bbac ?\+ ?[34]\b|\bm1\b|\bl3\b|\bbachelor"),
        (5, r"\bbac ?\+ ?[12]\b|\bbtsa?\b|\bdut\b|\bdeust\b|\bdeug\b|\bl2\b|\bdma\b"),
        (
            4,
            r"\bbac\b(?! ?\+)|\bbaccalaureat\b|\bbrevet professionnel\b|\bbrevet de technicien"
            r"|\bbma\b|\bbrevet des metiers d'art\b|\bhigh.school\b",
        ),
        (3, r"\bcapa?\b|\bbep\b|\bmentions? complementaires?\b|\bcertificat d'aptitude prof"),
        (2, r"\bsans diplome\b|\bno diploma\b|\bnone\b"),
    )
)


def diploma_levels(text: str) -> list[int]:
    """Every level of the shared scale named in ``text``, in scale order (may be empty).

    >>> diploma_levels("un diplôme de niveau Bac+2 (BTS, DUT, ...) à Master")
    [5, 7]
    """
    plain = _plain(text)
    return sorted({level for level, pattern in _DIPLOMA_PATTERNS if pattern.search(plain)})


def level_of_diploma(value: Any) -> int | None:
    """A seeker's highest diploma on the shared scale: a level number (``2``–``8``, as an
    int or a string) or a diploma name (``"CAP"``, ``"Bac+2"``, ``"BTS"``, ``"licence"``,
    ``"master"``, ``"doctorat"``, ``"sans diplôme"``...); ``None`` when nothing is
    recognised. A name giving several levels counts as the highest of them.

    >>> level_of_diploma("BTS"), level_of_diploma("5"), level_of_diploma("Master 2")
    (5, 5, 7)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = int(float(value))
        return number if MIN_LEVEL <= number <= MAX_LEVEL else None
    if not isinstance(value, str):
        return None
    levels = diploma_levels(value)
    return levels[-1] if levels else None


def isco_skill_level(isco_group: str | None) -> int | None:
    """The ISCO-08 skill level (1–4) of an ISCO code (any depth), from its major group
    (armed forces by sub-major group); ``None`` for a missing or malformed code.

    >>> isco_skill_level("2221"), isco_skill_level("9112"), isco_skill_level("0110")
    (4, 1, 4)
    """
    code = (isco_group or "").strip()
    if not code.isdigit():
        return None
    if code.startswith("0"):
        return ISCO_ARMED_FORCES.get(code[:2])
    return ISCO_SKILL_LEVEL.get(code[0])


def level_of_isco(isco_group: str | None) -> int | None:
    """Entry level on the shared scale of an occupation in ISCO group ``isco_group``.

    >>> level_of_isco("2221"), level_of_isco("5120"), level_of_isco("1120")
    (6, 3, 5)
    """
    skill = isco_skill_level(isco_group)
    return SKILL_LEVEL_TO_ENTRY[skill] if skill is not None else None


def level_of_job_zone(zone: int | str | None) -> int | None:
    """Entry level on the shared scale of an O*NET job zone (1–5); ``None`` otherwise.

    >>> level_of_job_zone(4), level_of_job_zone("2")
    (6, 3)
    """
    try:
        return JOB_ZONE_TO_ENTRY.get(int(str(zone).strip()))
    except ValueError:
        return None


def level_name(level: int, lang: str = "fr") -> str:
    """The usual name of a level of the shared scale, in ``lang`` (``fr`` or ``en``)."""
    names = LEVEL_NAMES.get(lang, LEVEL_NAMES["en"])
    return names.get(level, str(level))


def entry_coverage(occupation_props: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """How many occupations carry entry requirements, from their property mappings.

    Returns ``{"occupations", "with_level", "level_share", "regulated", "by_origin"}``:
    ``by_origin`` counts the levels by ``entryLevelFrom``. This is the figure a validation
    report prints ("share of occupations with an entry level").
    """
    total = with_level = regulated = 0
    by_origin: dict[str, int] = {}
    for props in occupation_props:
        total += 1
        if props.get("entryLevel") is not None:
            with_level += 1
            origin = str(props.get("entryLevelFrom") or "unknown")
            by_origin[origin] = by_origin.get(origin, 0) + 1
        if props.get("regulated") is True:
            regulated += 1
    return {
        "occupations": total,
        "with_level": with_level,
        "level_share": with_level / total if total else 0.0,
        "regulated": regulated,
        "by_origin": dict(sorted(by_origin.items())),
    }
