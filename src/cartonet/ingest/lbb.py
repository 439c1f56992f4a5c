"""Observed local mobility (La Bonne Boîte / Pôle emploi, 2021) →
:class:`~cartonet.model.ObservedMobility`.

Two files of the ``labonneboite_2021`` folder:

============================================  ==================================================
file                                          becomes
============================================  ==================================================
``lbb-pse_bassin-emploi_rome-connexe.csv``    one :class:`~cartonet.model.ObservedMove` per row:
                                              in employment area (*bassin d'emploi*)
                                              ``code_bassin_emploi``, people of fiche ``rome``
                                              were observed moving into ``rome_connexe``, with
                                              ``score`` in (0, 1]; fiches become ``rome:<code>``
``lbb-pse_bassin-emploi_code-insee.csv``      the commune (INSEE code) → employment area table
============================================  ==================================================

The source is ``lbb-2021``. Area names are not in the source: areas are known by code.
The moves are kept beside the graph, not as relationships (a relationship is one per
(type, start, end); a move is one per area): the store writes them with
:meth:`~cartonet.store.base.Store.load_observed` and reads them with
:meth:`~cartonet.store.base.Store.observed_moves`. Their fiches must be in the store (load
ROME first).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from cartonet.errors import LoadError
from cartonet.ingest.csvread import CsvTable
from cartonet.ingest.problems import Problems, ProgressCallback
from cartonet.ingest.rome import CODE_ROME, fiche_id
from cartonet.model import ObservedMobility, ObservedMove

MOVES_FILE = "lbb-pse_bassin-emploi_rome-connexe.csv"
COMMUNES_FILE = "lbb-pse_bassin-emploi_code-insee.csv"
SOURCE = "lbb-2021"

AREA_CODE = re.compile(r"^\d{1,5}$")
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
"""A commune's INSEE code: five digits, or ``2A``/``2B`` and three digits in Corsica."""


def load_lbb(
    dir: Path,
    *,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
) -> ObservedMobility:
    """Read the observed-mobility files of La Bonne Boîte.

    Parameters
    ----------
    dir:
        The folder holding the two ``lbb-pse_*`` files (``.../rome/labonneboite_2021``).
    skip_bad_rows:
        Drop malformed records and list them in ``warnings`` instead of refusing the load.
    progress:
        ``progress(phase, done, total)`` as files are read.

    Returns
    -------
    ObservedMobility
        For the 2021 files: 60,206 moves in 354 areas (3,566 distinct fiche pairs), and
        38,283 communes in 405 areas.

    Raises
    ------
    LoadError
        A file or column is missing, or (strict mode) some records are bad: a code that is
        not a ROME code, an area or INSEE code of the wrong shape, a score outside (0, 1],
        a move from a fiche to itself, the same move twice, a commune in two areas.

    Example
    -------
    >>> data = load_lbb(Path("../shared/data/rome/labonneboite_2021"))  # doctest: +SKIP
    >>> len(data.moves), len(data.communes)  # doctest: +SKIP
    (60206, 38283)
    """
    dir = Path(dir)
    if not dir.is_dir():
        raise LoadError(f"{dir}: no such folder")
    if not (dir / MOVES_FILE).is_file():
        raise LoadError(f"{dir}: no {MOVES_FILE} inside (the observed-mobility file)")
    problems = Problems(skip_bad_rows)
    counts: dict[str, int] = {}
    moves: dict[tuple[str, str, str], ObservedMove] = {}
    t = CsvTable(
        dir / MOVES_FILE,
        ["code_bassin_emploi", "rome", "rome_connexe", "score"],
        problems,
        progress=progress,
        phase=f"lbb {MOVES_FILE}",
        counts=counts,
    )
    for row in t:
        area, start, end = row["code_bassin_emploi"], row["rome"], row["rome_connexe"]
        reason = None
        if not AREA_CODE.match(area):
            reason = f"code_bassin_emploi '{area}' is not an area code (digits)"
        elif not CODE_ROME.match(start) or not CODE_ROME.match(end):
            reason = f"'{start}' → '{end}': not ROME codes (letter and 4 digits)"
        elif start == end:
            reason = f"a move from {start} to itself"
        else:
            try:
                score = float(row["score"])
            except ValueError:
                score = math.nan
            if not (0 < score <= 1):
                reason = f"score '{row['score']}' is not a number in (0, 1]"
        if reason is None and (area, start, end) in moves:
            reason = f"the move {start} → {end} in area {area} is listed twice"
        if reason is not None:
            problems.bad(t.name, row.line, reason)
            continue
        moves[(area, start, end)] = ObservedMove(fiche_id(start), fiche_id(end), score, area=area)
    communes: dict[str, str] = {}
    c = CsvTable(
        dir / COMMUNES_FILE,
        ["code_insee", "code_bassin_emploi"],
        problems,
        progress=progress,
        phase=f"lbb {COMMUNES_FILE}",
        counts=counts,
    )
    for row in c:
        commune, area = row["code_insee"], row["code_bassin_emploi"]
        if not INSEE_CODE.match(commune):
            problems.bad(c.name, row.line, f"code_insee '{commune}' is not an INSEE commune code")
        elif not AREA_CODE.match(area):
            problems.bad(c.name, row.line, f"code_bassin_emploi '{area}' is not an area code")
        elif communes.get(commune, area) != area:
            problems.bad(
                c.name, row.line, f"commune {commune} is in area {communes[commune]} already"
            )
        else:
            communes[commune] = area
    problems.raise_if_any(f"observed mobility load from {dir}")
    known = set(communes.values())
    unplaced = sorted({m.area for m in moves.values() if m.area not in known})
    if unplaced:
        problems.warn(
            t.name,
            None,
            f"{len(unplaced)} areas have moves but no commune in {COMMUNES_FILE} "
            f"(queryable by area code only): {', '.join(unplaced[:10])}",
        )
    ordered = [moves[k] for k in sorted(moves)]
    return ObservedMobility(
        SOURCE, ordered, dict(sorted(communes.items())), counts, problems.warnings
    )
