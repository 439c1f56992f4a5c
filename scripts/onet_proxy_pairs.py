"""Map a ROME truth file onto O*NET-SOC occupations: a proxy truth for an O*NET-only store.

There is no O*NET transition truth in ``../shared/data`` (O*NET 29.x dropped the Career
Changers Matrix; Nesta's validated transitions are not in the copy). This script carries the
two ROME truths over to O*NET through the crosswalks the repository builds:

* the ROME mobilités (``scripts/rome_mobility_pairs.py``) and La Bonne Boîte's observed moves
  (``scripts/lbb_observed_pairs.py``) give ``source,target[,kind]`` pairs of ``rome:`` ids;
* a store holding ``SAME_AS`` links between ROME and O*NET occupations (``cartonet crosswalk
  rome onet --via esco``: ROME → ESCO by French labels, then Nesta's published ESCO → O*NET
  crosswalk, score = product) maps each fiche to O*NET occupations;
* a pair ``(A, B)`` becomes every ``(a, b)`` with ``a`` among the ``--per-code`` best-scored
  O*NET links of ``A`` and ``b`` among those of ``B``, ``a ≠ b``; distinct pairs are written
  once (``kind`` of the first ROME pair that gave it).

What it is not: an observation of moves between U.S. occupations. It is French evidence
(expert lists, or moves observed in France) read through two automatic crosswalks, so it
inherits their errors and their coverage: fiches the crosswalk does not link are lost, and
two fiches linked to the same O*NET occupation give a self-pair, which is dropped, so the
closest moves are the first to vanish. The summary on stderr counts each loss.

Data: ROME v3.33 and La Bonne Boîte 2021 (France Travail / Pôle emploi, Licence Ouverte
2.0), ESCO v1.1.1 (European Commission), Nesta's *Mapping Career Causeways* ESCO–O*NET
crosswalk (MIT), O*NET 29.3 (U.S. Department of Labor, CC BY 4.0); see the PROVENANCE.md
of each folder in ``../shared/data``.

Usage::

    S=xw.sqlite   # ESCO + ROME + O*NET, then the three crosswalks:
    cartonet crosswalk esco onet --store $S \\
        --published ../shared/data/nesta_career_causeways/ONET_ESCO_crosswalk
    cartonet crosswalk rome esco --store $S
    cartonet crosswalk rome onet --via esco --no-labels --store $S
    .venv/bin/python scripts/rome_mobility_pairs.py ../shared/data/rome/v333 -o PAIRS.csv
    .venv/bin/python scripts/onet_proxy_pairs.py PAIRS.csv --store $S -o ONET_PAIRS.csv
    cartonet evaluate --truth ONET_PAIRS.csv --store onet.sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from cartonet.errors import DataError
from cartonet.model import Relationship, RelType


def read_pairs(path: Path) -> list[tuple[str, str, str]]:
    """``(source, target, kind)`` rows of a truth CSV (``kind`` empty when absent)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("source", "target") if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(str(path), 1, f"missing column(s) {', '.join(missing)}")
        rows = []
        for row in reader:
            source, target = (row["source"] or "").strip(), (row["target"] or "").strip()
            if not source or not target:
                raise DataError(str(path), reader.line_num, "empty source or target")
            rows.append((source, target, (row.get("kind") or "").strip()))
        return rows


def links_from(
    relationships: list[Relationship], start: str = "rome:", end: str = "onet:"
) -> dict[str, list[tuple[float, str]]]:
    """SAME_AS links between ``start``-prefixed and ``end``-prefixed occupations (either
    direction), as ``{start id: [(score, end id), ...]}`` best first (ties by id)."""
    found: dict[str, dict[str, float]] = defaultdict(dict)
    for rel in relationships:
        if RelType(rel.type) is not RelType.SAME_AS:
            continue
        a, b = rel.start, rel.end
        if a.startswith(end) and b.startswith(start):
            a, b = b, a
        if not (a.startswith(start) and b.startswith(end)):
            continue
        score = rel.props.get("score")
        value = float(score) if isinstance(score, int | float) else 0.0
        found[a][b] = max(found[a].get(b, 0.0), value)
    return {
        a: sorted(((s, b) for b, s in bs.items()), key=lambda t: (-t[0], t[1]))
        for a, bs in found.items()
    }


def map_pairs(
    pairs: list[tuple[str, str, str]],
    links: dict[str, list[tuple[float, str]]],
    per_code: int = 1,
) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    """The mapped pairs (distinct, self-pairs dropped, in input order) and counts of what
    was lost: ``unmapped`` (an end without a link), ``self`` (both ends on one occupation,
    for every combination), ``duplicate`` (a mapped pair already written)."""
    counts = {"input": len(pairs), "unmapped": 0, "self": 0, "duplicate": 0, "written": 0}
    out: dict[tuple[str, str], str] = {}
    for source, target, kind in pairs:
        a_links = [b for _, b in links.get(source, [])[:per_code]]
        b_links = [b for _, b in links.get(target, [])[:per_code]]
        if not a_links or not b_links:
            counts["unmapped"] += 1
            continue
        combos = [(a, b) for a in a_links for b in b_links if a != b]
        if not combos:
            counts["self"] += 1
            continue
        for pair in combos:
            if pair in out:
                counts["duplicate"] += 1
            else:
                out[pair] = kind
    counts["written"] = len(out)
    counts["sources"] = len({a for a, _ in out})
    return [(a, b, k) for (a, b), k in out.items()], counts


async def _relationships(store_arg: str) -> list[Relationship]:
    from cartonet.settings import Settings
    from cartonet.store import make_store

    store = make_store(Settings.from_env().with_overrides(store=store_arg))
    await store.open()
    try:
        dataset = await store.export()
    finally:
        await store.close()
    return list(dataset.relationships)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("truth", type=Path, help="ROME truth CSV (source,target[,kind])")
    parser.add_argument(
        "--store", required=True, help="store with the ROME–O*NET SAME_AS links (path or URL)"
    )
    parser.add_argument("-o", "--output", type=Path, default=Path("ONET_PAIRS.csv"))
    parser.add_argument(
        "--per-code",
        type=int,
        default=1,
        help="O*NET occupations kept per ROME fiche, best-scored first (default 1)",
    )
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    if args.per_code < 1:
        parser.error("--per-code must be at least 1")
    try:
        pairs = read_pairs(args.truth)
        links = links_from(asyncio.run(_relationships(args.store)))
    except (DataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not links:
        print(
            f"error: {args.store}: no SAME_AS link between rome: and onet: occupations "
            "(run `cartonet crosswalk rome onet --via esco` first)",
            file=sys.stderr,
        )
        return 1
    mapped, counts = map_pairs(pairs, links, args.per_code)
    fiches = {x for s, t, _ in pairs for x in (s, t)}
    counts["fiches"] = len(fiches)
    counts["fiches_linked"] = len(fiches & links.keys())
    with args.output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target", "kind"])
        writer.writerows(mapped)
    summary: dict[str, Any] = {"truth": str(args.truth), "perCode": args.per_code, **counts}
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"{counts['input']} ROME pairs ({counts['fiches_linked']} of {counts['fiches']} "
            f"fiches linked to O*NET): {counts['unmapped']} with an unlinked end, "
            f"{counts['self']} fall on one O*NET occupation, {counts['duplicate']} repeat "
            f"a mapped pair; {counts['written']} O*NET pairs from {counts['sources']} "
            f"sources written to {args.output}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
