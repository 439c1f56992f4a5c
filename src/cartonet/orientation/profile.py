"""A job seeker's profile: what they did, what they know, what they like.

A profile is an input of the orientation functions, never stored (it is personal data).
Ids are the graph's ids; interests may also be given by code or label (``"R"``,
``"Réaliste"``, ``"riasec:R"``), resolved against the graph's Interest nodes.

Held skills
-----------
:func:`held_skills` turns a profile into a vector ``h`` over the graph's skills, each in
``[0, 1]``: the level given for an explicit skill (default 1), ``1`` for every skill
required by a current occupation, ``PAST_CREDIT`` (0.8) for one of a past occupation
(experience fades), the highest when a skill comes from several places; ``0`` for a skill
of ``lacking_skills`` (a skill a job requires that the seeker says they do not have, e.g.
unticked by a counsellor), whatever its other origins. A skill counts as *held* (shared,
not missing) when ``h > 0``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from cartonet.errors import InvalidArgument
from cartonet.model import NodeType
from cartonet.orientation.feasibility import reference_level
from cartonet.orientation.index import OrientationIndex, index_of
from cartonet.orientation.text import normalize
from cartonet.qualifications import MAX_LEVEL, MIN_LEVEL, level_of_diploma

PAST_CREDIT = 0.8
LANGS = ("fr", "en")


@dataclass(frozen=True, slots=True)
class Constraints:
    """``max_training_hours``: suggestions whose training plan is longer are left out
    (``None``: no limit); ``avoid_groups``: occupations under any of these groups (ids of
    OccupationGroup or broader Occupation nodes) are left out."""

    max_training_hours: float | None = None
    avoid_groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    """What a seeker brings. Every field is optional, but a profile must say something about
    the seeker: a current or past occupation, a skill, an interest (weight > 0) or something
    liked (skill, occupation, group). One with only dislikes, lacking skills, constraints or
    a place is *empty* and :func:`resolve` refuses it (ranking "from nothing" would only
    sort jobs by training hours, which no counsellor would take for advice).

    ``skills`` maps a skill id to a level in ``(0, 1]``; ``interests`` maps an interest
    (id, code or label) to a weight ``≥ 0``. ``commune`` (an INSEE code) or ``area`` (an
    employment-area code) say where the seeker looks for work: the caller turns them into
    the observed moves :func:`~cartonet.orientation.transitions.suggest_transitions` takes.
    ``education_level`` is the seeker's highest diploma on the shared entry scale (2 = none
    … 8 = doctorate, see :mod:`cartonet.qualifications`); ``open_to_long_training`` says
    long or regulated training (a state diploma) is an option, which lowers the
    feasibility cost (:mod:`cartonet.orientation.feasibility`); left ``None``, it is true
    for a profile with no occupation and no skill (someone choosing a first training) and
    false otherwise.
    """

    def long_training_ok(self) -> bool:
        """``open_to_long_training``, or its default for this profile (see above)."""
        if self.open_to_long_training is not None:
            return self.open_to_long_training
        return not (self.current_occupations or self.past_occupations or self.skills)

    current_occupations: tuple[str, ...] = ()
    past_occupations: tuple[str, ...] = ()
    skills: Mapping[str, float] = field(default_factory=dict)
    interests: Mapping[str, float] = field(default_factory=dict)
    liked_skills: tuple[str, ...] = ()
    disliked_skills: tuple[str, ...] = ()
    liked_occupations: tuple[str, ...] = ()
    disliked_occupations: tuple[str, ...] = ()
    liked_groups: tuple[str, ...] = ()
    disliked_groups: tuple[str, ...] = ()
    constraints: Constraints = field(default_factory=Constraints)
    lacking_skills: tuple[str, ...] = ()
    commune: str | None = None
    area: str | None = None
    education_level: int | None = None
    open_to_long_training: bool | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Profile:
        """A profile from plain data (JSON). Skills may be a list of ids, of
        ``{"id", "level"}`` objects, or an ``{id: level}`` mapping; interests a list of
        ids/codes or an ``{id: weight}`` mapping; constraints an object with
        ``max_training_hours`` / ``maxTrainingHours`` and ``avoid_groups`` / ``avoidGroups``."""
        if not isinstance(data, Mapping):
            raise InvalidArgument("profile", "must be a JSON object")

        def get(*names: str, default: Any = None) -> Any:
            for name in names:
                if name in data:
                    return data[name]
            return default

        def ids(*names: str) -> tuple[str, ...]:
            value = get(*names, default=()) or ()
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list | tuple):
                raise InvalidArgument(f"profile.{names[0]}", "must be a list of ids")
            return tuple(str(v) for v in value)

        def weighted(name: str, camel: str, key: str) -> dict[str, float]:
            value = get(name, camel, default=()) or ()
            out: dict[str, float] = {}
            if isinstance(value, Mapping):
                items: Iterable[tuple[Any, Any]] = value.items()
            elif isinstance(value, list | tuple):
                items = []
                for v in value:
                    if isinstance(v, Mapping):
                        items.append((v.get("id"), v.get(key, 1.0)))
                    else:
                        items.append((v, 1.0))
            else:
                raise InvalidArgument(f"profile.{name}", "must be a list or an object")
            for k, v in items:
                if k is None:
                    raise InvalidArgument(f"profile.{name}", "an entry has no id")
                out[str(k)] = 1.0 if v is None else _number(v, f"profile.{name}.{k}")
            return out

        cons = get("constraints", default={}) or {}
        if not isinstance(cons, Mapping):
            raise InvalidArgument("profile.constraints", "must be an object")
        level = get("education_level", "educationLevel")
        education_level = None
        if level is not None:
            education_level = level_of_diploma(level)
            if education_level is None:
                raise InvalidArgument(
                    "profile.education_level",
                    f"must be a level {MIN_LEVEL}–{MAX_LEVEL} or a diploma name, got {level!r}",
                )
        hours = cons.get("max_training_hours", cons.get("maxTrainingHours"))
        avoid = cons.get("avoid_groups", cons.get("avoidGroups")) or ()
        return cls(
            current_occupations=ids("current_occupations", "currentOccupations"),
            past_occupations=ids("past_occupations", "pastOccupations"),
            skills=weighted("skills", "skills", "level"),
            interests=weighted("interests", "interests", "weight"),
            liked_skills=ids("liked_skills", "likedSkills"),
            disliked_skills=ids("disliked_skills", "dislikedSkills"),
            liked_occupations=ids("liked_occupations", "likedOccupations"),
            disliked_occupations=ids("disliked_occupations", "dislikedOccupations"),
            liked_groups=ids("liked_groups", "likedGroups"),
            disliked_groups=ids("disliked_groups", "dislikedGroups"),
            lacking_skills=ids("lacking_skills", "lackingSkills"),
            constraints=Constraints(
                max_training_hours=None
                if hours is None
                else _number(hours, "constraints.max_training_hours"),
                avoid_groups=tuple(str(g) for g in avoid),
            ),
            commune=_code(get("commune"), "profile.commune"),
            area=_code(get("area"), "profile.area"),
            education_level=education_level,
            open_to_long_training=_optional_bool(
                get("open_to_long_training", "openToLongTraining")
            ),
        )


def _code(value: Any, argument: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | int):
        raise InvalidArgument(argument, f"must be a code (text), got {value!r}")
    return str(value).strip() or None


def _optional_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _number(value: Any, argument: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(argument, f"must be a number, got {value!r}") from exc
    if not np.isfinite(number):
        raise InvalidArgument(argument, "must be a finite number")
    return number


@dataclass(frozen=True, slots=True)
class ResolvedProfile:
    """A profile checked against a graph: ids turned into matrix positions."""

    profile: Profile
    held: np.ndarray  # per skill, in [0, 1]
    origins: tuple[int, ...]  # rows of current then past occupations
    interest_vec: np.ndarray  # per interest, unit norm (or zero)
    interest_weights: dict[int, float]
    liked_skills: np.ndarray
    disliked_skills: np.ndarray
    liked_occupations: tuple[int, ...]
    disliked_occupations: tuple[int, ...]
    liked_groups: tuple[int, ...]
    disliked_groups: tuple[int, ...]
    avoid_groups: tuple[int, ...]
    reference_level: float = float("nan")  # the seeker's entry level (NaN: unknown)


def _check_type(
    G: nx.MultiDiGraph, node_id: str, types: tuple[NodeType, ...], argument: str
) -> None:
    if node_id not in G:
        raise InvalidArgument(argument, f"unknown id '{node_id}'")
    if G.nodes[node_id].get("type") not in types:
        wanted = " or ".join(t.value for t in types)
        raise InvalidArgument(argument, f"'{node_id}' is not a {wanted}")


def resolve_interest(G: nx.MultiDiGraph, ix: OrientationIndex, key: str) -> int:
    """Position of the interest named by ``key``: its id, code (``R``) or a label, any case."""
    if key in ix.interest_pos:
        return ix.interest_pos[key]
    wanted = normalize(key)
    for interest, pos in ix.interest_pos.items():
        node = G.nodes[interest]["node"]
        names = [str(node.props.get("code") or ""), *node.labels.values()]
        if any(normalize(n) == wanted for n in names if n):
            return pos
    raise InvalidArgument("profile.interests", f"unknown interest '{key}'")


def _group_positions(
    G: nx.MultiDiGraph, ix: OrientationIndex, ids: Iterable[str], argument: str
) -> tuple[int, ...]:
    out = []
    for g in ids:
        _check_type(G, g, (NodeType.OCCUPATION_GROUP, NodeType.OCCUPATION), argument)
        if g in ix.group_pos:  # a group above no occupation can match nothing
            out.append(ix.group_pos[g])
    return tuple(out)


def held_skills(
    ix: OrientationIndex, skills: Mapping[str, float], origins: Iterable[tuple[int, float]]
) -> np.ndarray:
    """Vector of held skill levels (see the module docstring)."""
    held = np.zeros(len(ix.skills))
    for row, credit in origins:
        cols = ix.has_skill.indices[ix.has_skill.indptr[row] : ix.has_skill.indptr[row + 1]]
        held[cols] = np.maximum(held[cols], credit)
    for skill, level in skills.items():
        j = ix.skill_pos[skill]
        held[j] = max(held[j], level)
    return held


EMPTY_PROFILE = (
    "the profile is empty: give at least a current or past occupation, a skill, an interest "
    "(weight > 0), or a liked skill, occupation or group"
)


def is_empty(profile: Profile, interest_weights: Mapping[int, float] | None = None) -> bool:
    """Whether ``profile`` says nothing a ranking could start from (see :class:`Profile`).

    ``interest_weights`` are the resolved weights when known (an interest of weight 0 says
    nothing); without them any interest counts.
    """
    interests = (
        any(w > 0 for w in interest_weights.values())
        if interest_weights is not None
        else bool(profile.interests)
    )
    return not (
        profile.current_occupations
        or profile.past_occupations
        or profile.skills
        or interests
        or profile.liked_skills
        or profile.liked_occupations
        or profile.liked_groups
    )


def resolve(G: nx.MultiDiGraph, profile: Profile) -> ResolvedProfile:
    """Check every id of ``profile`` against ``G`` and compute its vectors.

    Raises :class:`InvalidArgument` naming the field and the id that is unknown or of the
    wrong type, or a level/weight out of range, and (argument ``profile``) when the profile
    is empty.
    """
    ix = index_of(G)
    occ = (NodeType.OCCUPATION,)
    for name in (
        "current_occupations",
        "past_occupations",
        "liked_occupations",
        "disliked_occupations",
    ):
        for o in getattr(profile, name):
            _check_type(G, o, occ, f"profile.{name}")
    for name in ("liked_skills", "disliked_skills", "lacking_skills"):
        for s in getattr(profile, name):
            _check_type(G, s, (NodeType.SKILL,), f"profile.{name}")
    for s, level in profile.skills.items():
        _check_type(G, s, (NodeType.SKILL,), "profile.skills")
        if not 0 < level <= 1:
            raise InvalidArgument(f"profile.skills.{s}", f"level must be in (0, 1], got {level}")
    level = profile.education_level
    if level is not None and (
        isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL
    ):
        raise InvalidArgument(
            "profile.education_level", f"must be between {MIN_LEVEL} and {MAX_LEVEL}, got {level!r}"
        )
    hours = profile.constraints.max_training_hours
    if hours is not None and (np.isnan(hours) or hours < 0):
        raise InvalidArgument("constraints.max_training_hours", f"must be ≥ 0, got {hours}")

    current = tuple(ix.occ_pos[o] for o in profile.current_occupations)
    past = tuple(ix.occ_pos[o] for o in profile.past_occupations)
    held = held_skills(
        ix, profile.skills, [(r, 1.0) for r in current] + [(r, PAST_CREDIT) for r in past]
    )
    for s in profile.lacking_skills:
        held[ix.skill_pos[s]] = 0.0
    weights: dict[int, float] = {}
    for key, w in profile.interests.items():
        # an infinite weight (1e400 in a JSON body) or NaN would empty the interest vector
        # and quietly give no suggestion: refused like a negative one
        if not np.isfinite(w) or w < 0:
            raise InvalidArgument(
                f"profile.interests.{key}", f"weight must be a finite number ≥ 0, got {w}"
            )
        pos = resolve_interest(G, ix, key)
        weights[pos] = weights.get(pos, 0.0) + w
        if not np.isfinite(weights[pos]):
            raise InvalidArgument(f"profile.interests.{key}", "the weights add up to infinity")
    if is_empty(profile, weights):
        raise InvalidArgument("profile", EMPTY_PROFILE)
    vec = np.zeros(len(ix.interests))
    for pos, w in weights.items():
        vec[pos] = w
    if vec.max(initial=0.0) > 0:
        vec = vec / vec.max()  # only ratios matter; keeps huge finite weights from overflowing
    norm = np.linalg.norm(vec)
    if norm > 0:
        vec = vec / norm

    def skill_vec(ids: Iterable[str]) -> np.ndarray:
        out = np.zeros(len(ix.skills), dtype=bool)
        for s in ids:
            out[ix.skill_pos[s]] = True
        return out

    return ResolvedProfile(
        profile=profile,
        held=held,
        origins=tuple(dict.fromkeys(current + past)),
        interest_vec=vec,
        interest_weights={p: w for p, w in weights.items() if w > 0},
        liked_skills=skill_vec(profile.liked_skills),
        disliked_skills=skill_vec(profile.disliked_skills),
        liked_occupations=tuple(ix.occ_pos[o] for o in profile.liked_occupations),
        disliked_occupations=tuple(ix.occ_pos[o] for o in profile.disliked_occupations),
        liked_groups=_group_positions(G, ix, profile.liked_groups, "profile.liked_groups"),
        disliked_groups=_group_positions(G, ix, profile.disliked_groups, "profile.disliked_groups"),
        avoid_groups=_group_positions(
            G, ix, profile.constraints.avoid_groups, "constraints.avoid_groups"
        ),
        reference_level=reference_level(ix, level, current + past),
    )
