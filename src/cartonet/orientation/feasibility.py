"""Feasibility: what a move costs beyond skills — a higher entry level, a state diploma.

Occupations carry entry requirements (:mod:`cartonet.qualifications`): ``entryLevel`` on
one scale shared by the taxonomies (EQF levels 2–8), and ``regulated`` with the
``requiredDiploma`` when the source names it. A move from a reference level ``L`` into
occupation ``B`` costs::

    up(B)   = min(max(level_B − L, 0), MAX_STEP) / MAX_STEP        (0 when a level is unknown)
    reg(B)  = 1 if B is regulated and its diploma is not already held, else 0
    cost(B) = (1 − (1 − up(B)) · (1 − reg(B))) · f        f = LONG_TRAINING_FACTOR (0.25)
                                                             when the seeker is open to long
                                                             or regulated training, else 1

(a profile that leaves it unsaid is open when it has no occupation and no skill: it is
choosing a first training), so one level up costs ⅓, three or more cost 1, and a
regulated profession costs 1 whatever the level: a state diploma (*Diplôme d'État*) is
years of full-time schooling that no set of short trainings replaces. A diploma is *held*
when one of the profile's occupations requires the same named diploma (a nurse moving
between nursing fiches), or, when the source names none (ESCO's flag), when the profile's
occupation is the same one.

The reference level ``L`` is, for a seeker, the highest diploma the profile states
(``education_level``), else the highest entry level of their current and past occupations
(having done a job shows one can enter it); for an origin occupation A in
:mod:`~cartonet.orientation.similarity` and :mod:`~cartonet.orientation.paths`, A's own
entry level.

The cost enters :func:`~cartonet.orientation.transitions.suggest_transitions` as the part
``feasibility`` (value ``1 − cost``), :func:`~cartonet.orientation.similarity.similar_occupations`
as a part of the same name, and each step of
:func:`~cartonet.orientation.paths.career_paths` as ``+ FEASIBILITY_STEP_COST · cost``.
Everything is one NumPy expression over all occupations at once.

References: the European Qualifications Framework (Council Recommendation 2017/C 189/03);
Directive 2005/36/EC on the recognition of professional qualifications (regulated
professions); ILO, *ISCO-08* vol. 1 (2012), skill levels.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from cartonet.orientation.index import OrientationIndex

MAX_STEP = 3
"""Levels up at which the level part of the cost is full (e.g. CAP → Licence)."""
LONG_TRAINING_FACTOR = 0.25
"""Share of the cost kept when the seeker says long or regulated training is an option."""


def reference_level(ix: OrientationIndex, stated: int | None, rows: Iterable[int]) -> float:
    """The seeker's level: ``stated`` if given, else the highest known entry level of the
    occupations at ``rows``, else NaN (unknown)."""
    if stated is not None:
        return float(stated)
    levels = [ix.entry_level[r] for r in rows if np.isfinite(ix.entry_level[r])]
    return float(max(levels)) if levels else float("nan")


def level_steps(ix: OrientationIndex, level: float | np.ndarray) -> np.ndarray:
    """``entryLevel(B) − level`` for every occupation B (NaN where either is unknown);
    ``level`` is one number, or one per origin (the result is then origins × occupations)."""
    ref = np.asarray(level, dtype=np.float64)
    if ref.ndim:
        return ix.entry_level[None, :] - ref[:, None]
    return ix.entry_level - ref


def _cost(up: np.ndarray, reg: np.ndarray, open_to_long_training: bool) -> np.ndarray:
    cost = 1.0 - (1.0 - up) * (1.0 - reg)
    return cost * LONG_TRAINING_FACTOR if open_to_long_training else cost


def _up(steps: np.ndarray) -> np.ndarray:
    # fmax ignores NaN: an unknown level costs nothing
    return np.minimum(np.fmax(steps, 0.0), MAX_STEP) / MAX_STEP


def feasibility_cost(
    ix: OrientationIndex,
    level: float,
    origins: Iterable[int] = (),
    open_to_long_training: bool = False,
) -> np.ndarray:
    """The cost of moving into every occupation for a seeker at ``level`` (NaN: unknown)
    who worked in the occupations at rows ``origins`` (see the module docstring)."""
    held = [int(ix.diploma_key[r]) for r in origins if ix.regulated[r]]
    reg = ix.regulated & ~np.isin(ix.diploma_key, held) if held else ix.regulated
    return _cost(_up(level_steps(ix, level)), reg.astype(np.float64), open_to_long_training)


def pair_cost(ix: OrientationIndex, rows: np.ndarray) -> np.ndarray:
    """``len(rows) × n`` costs of moving from each origin row to every occupation, the
    origin's own entry level as reference and its diploma as held."""
    up = _up(level_steps(ix, ix.entry_level[rows]))
    same = ix.diploma_key[None, :] == ix.diploma_key[rows][:, None]
    reg = ix.regulated[None, :] & ~(same & ix.regulated[rows][:, None])
    return _cost(up, reg.astype(np.float64), False)


def pair_cost_into(ix: OrientationIndex, col: int) -> np.ndarray:
    """Column ``col`` of :func:`pair_cost` over every origin row: the cost of moving from
    each occupation into the occupation at ``col`` (the same rule, read the other way)."""
    up = _up(ix.entry_level[col] - ix.entry_level)
    same = ix.diploma_key == ix.diploma_key[col]
    reg = bool(ix.regulated[col]) & ~(same & ix.regulated)
    return _cost(up, reg.astype(np.float64), False)
