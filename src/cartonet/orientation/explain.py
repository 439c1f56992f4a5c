"""Short explanations of a suggestion, in French or English.

Every number in an explanation is computed from the lists the suggestion carries (shared
and missing skills, matched interests, plan), so the text can never disagree with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from cartonet.errors import InvalidArgument
from cartonet.qualifications import level_name

LANGS = ("fr", "en")
MAX_NAMED = 3  # skills or trainings named in a sentence; the rest are counted


# One sentence template per part of an explanation; ``more`` is formatted by ``_names``.
_PHRASES: dict[str, dict[str, str]] = {
    "fr": {
        "head": "{title} : vous avez déjà {n_shared} des {n_total} compétences demandées",
        "missing": ", il en manque {n_missing} dont {n_ess} essentielle(s).",
        "complete": ", rien ne manque.",
        "more": "et {n} autre(s)",
        "learn": "À acquérir d'abord : {names}.",
        "interests": "Correspond à vos intérêts : {names}.",
        "inferred": "Intérêts du métier estimés d'après le métier lié {src}.",
        "inferred_unlinked": "Intérêts du métier estimés d'après un métier lié d'une autre "
        "nomenclature.",
        "close": "proche",
        "progression": "d'évolution",
        "mobility": "Mobilité {kind} repérée par le référentiel depuis {src}.",
        "illustrative": " (exemples illustratifs)",
        "training": "Formation(s) proposée(s){tag} : {trainings}, {hours:g} h au total.",
        "uncovered": "{n} compétence(s) sans formation dans le catalogue.",
        "estimated": "{n} compétence(s) sans formation dans le catalogue (estimé : {hours:g} h).",
        "diploma": "Exige le {diploma} : des compétences seules n'y suffisent pas.",
        "regulated": "Profession réglementée : elle exige un diplôme spécifique.",
        "one_up": "Un niveau au-dessus du vôtre : {level}.",
        "levels_up": "{n} niveaux au-dessus du vôtre : {level}.",
    },
    "en": {
        "head": "{title}: you already have {n_shared} of the {n_total} skills it requires",
        "missing": "; {n_missing} missing, {n_ess} of them essential.",
        "complete": "; nothing is missing.",
        "more": "and {n} more",
        "learn": "To learn first: {names}.",
        "interests": "Matches your interests: {names}.",
        "inferred": "The job's interests are estimated from the linked job {src}.",
        "inferred_unlinked": "The job's interests are estimated from a linked job of another "
        "taxonomy.",
        "close": "close",
        "progression": "career-progression",
        "mobility": "A curated {kind} move from {src}.",
        "illustrative": " (illustrative examples)",
        "training": "Suggested training{tag}: {trainings}, {hours:g} h in all.",
        "uncovered": "{n} skill(s) with no training in the catalogue.",
        "estimated": "{n} skill(s) with no training in the catalogue (estimated: {hours:g} h).",
        "diploma": "Requires the {diploma}: skills alone are not enough.",
        "regulated": "A regulated profession: it requires a specific diploma.",
        "one_up": "One level above yours: {level}.",
        "levels_up": "{n} levels above yours: {level}.",
    },
}


@dataclass(frozen=True, slots=True)
class ExplanationFacts:
    target: str
    shared: Sequence[str]
    missing: Sequence[str]
    missing_essential: Sequence[str]
    matched_interests: Sequence[str]
    mobility_kind: str | None
    mobility_from: str | None
    plan: Sequence[tuple[str, float]]  # (training id, hours)
    uncovered: Sequence[str]
    training_illustrative: bool
    estimated_hours: float = 0.0  # for the uncovered skills
    level_step: int | None = None  # target's entry level minus the seeker's
    entry_level: int | None = None
    regulated: bool = False  # a diploma the seeker lacks is required
    required_diploma: str | None = None
    inferred_interests: Sequence[str] = ()  # of matched_interests, read across a crosswalk
    interests_from: str | None = None  # the linked occupation they were read from


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise InvalidArgument("lang", f"must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def label(G: nx.MultiDiGraph, node_id: str, lang: str) -> str:
    node = G.nodes[node_id].get("node") if node_id in G else None
    return node.label(lang) if node is not None else node_id


def _names(G: nx.MultiDiGraph, ids: Sequence[str], lang: str, more: str) -> str:
    named = [label(G, i, lang) for i in ids[:MAX_NAMED]]
    rest = len(ids) - len(named)
    text = ", ".join(named)
    return f"{text} {more.format(n=rest)}" if rest > 0 else text


def explain(G: nx.MultiDiGraph, facts: ExplanationFacts, lang: str = "fr") -> str:
    """One to eight sentences saying why ``facts.target`` is suggested and what it takes.

    >>> from cartonet.orientation.demo import demo_graph
    >>> f = ExplanationFacts("demo:nurse", ["demo:give-care"], ["demo:anatomy"],
    ...                      ["demo:anatomy"], [], None, None, [], ["demo:anatomy"], False)
    >>> explain(demo_graph(), f, "en")  # doctest: +NORMALIZE_WHITESPACE
    'nurse: you already have 1 of the 2 skills it requires; 1 missing, 1 of them essential.
     To learn first: anatomy. 1 skill(s) with no training in the catalogue.'
    """
    check_lang(lang)
    n_shared, n_missing = len(facts.shared), len(facts.missing)
    n_total = n_shared + n_missing
    n_ess = len(facts.missing_essential)
    title = label(G, facts.target, lang)
    say = _PHRASES[lang]
    out = [
        say["head"].format(title=title, n_shared=n_shared, n_total=n_total)
        + (
            say["missing"].format(n_missing=n_missing, n_ess=n_ess)
            if n_missing
            else say["complete"]
        )
    ]
    if facts.missing:
        out.append(say["learn"].format(names=_names(G, facts.missing, lang, say["more"])))
    if facts.matched_interests:
        names = _names(G, facts.matched_interests, lang, say["more"])
        out.append(say["interests"].format(names=names))
        if facts.inferred_interests:
            src = label(G, facts.interests_from, lang) if facts.interests_from else ""
            out.append(say["inferred"].format(src=src) if src else say["inferred_unlinked"])
    if facts.mobility_kind:
        kind = say["close"] if facts.mobility_kind == "CLOSE" else say["progression"]
        src = label(G, facts.mobility_from, lang) if facts.mobility_from else ""
        out.append(say["mobility"].format(kind=kind, src=src))
    if facts.plan:
        hours = sum(h for _, h in facts.plan)
        trainings = _names(G, [t for t, _ in facts.plan], lang, say["more"])
        tag = say["illustrative"] if facts.training_illustrative else ""
        out.append(say["training"].format(tag=tag, trainings=trainings, hours=hours))
    if facts.uncovered:
        key = "estimated" if facts.estimated_hours > 0 else "uncovered"
        out.append(say[key].format(n=len(facts.uncovered), hours=facts.estimated_hours))
    if facts.regulated:
        if facts.required_diploma:
            out.append(say["diploma"].format(diploma=facts.required_diploma))
        else:
            out.append(say["regulated"])
    if facts.level_step is not None and facts.level_step > 0 and facts.entry_level is not None:
        key = "one_up" if facts.level_step == 1 else "levels_up"
        level = level_name(facts.entry_level, lang)
        out.append(say[key].format(n=facts.level_step, level=level))
    return " ".join(out)
