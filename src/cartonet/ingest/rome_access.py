"""Entry requirements read from the ROME "accès à l'emploi" texts (``unix_texte``, type 2).

Each fiche has a few French sentences on how one enters the job, e.g. (ROME v3.33, Pôle
emploi, Licence Ouverte): *"Cet emploi/métier est accessible avec le Diplôme d'Etat -DE-
de puéricultrice."* (J1507) or *"Cet emploi/métier est accessible avec un diplôme de niveau
Bac+2 (BTS, DUT, ...) à Master (MIAGE, diplôme d'ingénieur, Master professionnel, ...) en
informatique."* (M1805). :func:`parse_access` turns them into an :class:`AccessRequirements`.

Rules
-----
* **Main route**: the first sentence saying the job "est accessible" (the texts always open
  with the usual route; later ones start "Il est également accessible..." for the others).
* **Entry level**: the lowest level of the shared scale (:mod:`cartonet.qualifications`)
  named in the main route ("de niveau CAP/BEP à Bac+2" → 3: the lowest diploma that opens
  the job). "Sans diplôme" is level 2. When the main route names no level (a *concours*,
  a certificate of its own), the first other "accessible" sentence that names one is used;
  when none does, the level is unknown.
* **Regulated**: a sentence opens the job with a *named* state diploma — "accessible avec
  le/un/du Diplôme d'État de/d'…", the state diploma being the first diploma the route
  names — or says a named Diplôme d'État "est exigé / obligatoire / requis". A route that
  offers it only as one choice among others ("un BTS ..., un Diplôme d'Etat de Technicien
  ... ou un DUT", "un Brevet ou un Diplôme d'Etat dans les secteurs de l'animation") is not
  regulated: another diploma opens it too.
* **Diploma**: the name of that state diploma as written, acronyms in dashes dropped and
  *Etat* written *État* ("Diplôme d'État de puéricultrice").
* **Text**: the sentences the level and the diploma were read from, as written, for display.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cartonet.qualifications import diploma_levels

_ACCESSIBLE = re.compile(r"\best\s+accessibles?\b", re.IGNORECASE)
_STATE = r"dipl[ôo]me\s+d['’]\s?[ée]tat"
# "accessible avec le Diplôme d'Etat -DE- de puéricultrice": the state diploma comes first
_OPENS_WITH_STATE = re.compile(
    r"\baccessibles?\s+(?:avec|à\s+partir|sur)\s+(?:d['’]\s?|de\s+|du\s+)?(?:le\s+|un\s+|l['’]\s?)?"
    rf"(?P<name>{_STATE}(?:\s*-\s*DE\s*-)?\s+(?:de|d['’]|du|des)\s?[^.;]*)",
    re.IGNORECASE,
)
_REQUIRED_STATE = re.compile(
    rf"(?P<name>{_STATE}\s+(?:de|d['’]|du|des)\s?[^.;]*?)\s*(?:est|sont)\s+"
    r"(?:exigée?s?|obligatoires?|requise?s?)",
    re.IGNORECASE,
)
# where the diploma's name stops: an alternative, a condition, a parenthesis, a comma
_NAME_END = re.compile(
    r"\s+(?:ou|pour|complétée?|ouvert|et\s+celui|est|sont|dans)\b|\s*[(,:]",
)
_ACRONYM = re.compile(r"\s+-\s*[A-Z]{2,}\s*-?")  # " -DEAS-", " - DEAF": not "Sage-Femme"


@dataclass(frozen=True, slots=True)
class AccessRequirements:
    """What the access texts of one fiche say: ``level`` on the shared scale (or
    ``None``), ``regulated``, the ``diploma`` named when regulated, and ``text``: the
    sentences read, joined by a space (``None`` when no sentence was used)."""

    level: int | None
    regulated: bool
    diploma: str | None
    text: str | None


def clean_diploma_name(raw: str) -> str:
    """The diploma's name up to where the sentence moves on, acronyms dropped.

    >>> clean_diploma_name("Diplôme d'Etat -DE- de puéricultrice.")
    "Diplôme d'État de puéricultrice"
    >>> clean_diploma_name("Diplôme d'Etat d'Aide-soignant -DEAS-.")
    "Diplôme d'État d'Aide-soignant"
    """
    text = _ACRONYM.sub(" ", raw.strip())
    text = re.sub(r"\s+", " ", text).strip()
    head = re.match(rf"{_STATE}", text, re.IGNORECASE)
    rest = text[head.end() :] if head else text
    end = _NAME_END.search(rest)
    if end:
        rest = rest[: end.start()]
    rest = rest.strip(" .;-")
    return f"Diplôme d'État {rest}".strip()


def _regulated(sentence: str) -> str | None:
    """The state diploma ``sentence`` makes compulsory, or ``None``."""
    found = _OPENS_WITH_STATE.search(sentence) or _REQUIRED_STATE.search(sentence)
    return clean_diploma_name(found.group("name")) if found else None


def parse_access(sentences: Sequence[str]) -> AccessRequirements:
    """Entry requirements from a fiche's "accès à l'emploi" sentences, in text order (see
    the module docstring for the rules). Doubled apostrophes of the CSV export are read
    as one.

    >>> r = parse_access(["Cet emploi/métier est accessible avec le Diplôme d''Etat -DE- "
    ...                   "de puéricultrice.", "Des vaccinations ... sont exigées."])
    >>> r.level, r.regulated, r.diploma
    (None, True, "Diplôme d'État de puéricultrice")
    >>> parse_access(["Cet emploi/métier est accessible avec un CAP/BEP en cuisine."]).level
    3
    """
    texts = [s.replace("''", "'").strip() for s in sentences if s and s.strip()]
    routes = [s for s in texts if _ACCESSIBLE.search(s)]
    level: int | None = None
    level_text: str | None = None
    for sentence in routes:
        levels = diploma_levels(sentence)
        if levels:
            level, level_text = levels[0], sentence
            break
    diploma: str | None = None
    diploma_text: str | None = None
    for sentence in texts:
        diploma = _regulated(sentence)
        if diploma:
            diploma_text = sentence
            break
    used = list(dict.fromkeys(s for s in (level_text, diploma_text) if s))
    return AccessRequirements(
        level=level,
        regulated=diploma is not None,
        diploma=diploma,
        text=" ".join(used) or None,
    )
