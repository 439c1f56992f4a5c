"""Turn La Bonne Boîte's observed moves into a truth file for ``cartonet evaluate``.

Reads ``lbb-pse_bassin-emploi_rome-connexe.csv`` (``code_bassin_emploi,rome,rome_connexe,
score``: for each French employment area, the ROME fiches into which people of a fiche were
observed to move; see ``../shared/data/rome/PROVENANCE.md``) and writes ``source,target,kind``
rows with ``rome:<code>`` ids, one per distinct fiche pair once the areas are merged (kind
``OBSERVED``). Self-pairs are dropped. With ``--min-areas N`` a pair is kept only when at
least N areas report it. With ``--by-area`` one row per area and pair instead, with an
``area`` column, for ``cartonet evaluate --by-area`` (the per-area hold-out).

Usage::

    .venv/bin/python scripts/lbb_observed_pairs.py ../shared/data/rome/labonneboite_2021 \
        -o OBSERVED.csv
    cartonet evaluate --truth OBSERVED.csv --k 10 --json --store rome.sqlite
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from cartonet.errors import DataError
from cartonet.ingest.rome import CODE_ROME, fiche_id

FILE = "lbb-pse_bassin-emploi_rome-connexe.csv"
COLUMNS = ("code_bassin_emploi", "rome", "rome_connexe")


def _moves(path: Path) -> Iterator[tuple[dict[str, str], str, str]]:
    """``(row, source id, target id)`` for every row of the file (or of ``FILE`` in the
    folder ``path``) that is not a self-pair; :class:`DataError` on a missing column or a
    malformed ROME code."""
    if path.is_dir():
        path = path / FILE
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(str(path), 1, f"missing column(s) {', '.join(missing)}")
        for row in reader:
            source, target = row["rome"].strip(), row["rome_connexe"].strip()
            for code in (source, target):
                if not CODE_ROME.match(code):
                    raise DataError(str(path), reader.line_num, f"not a ROME code: {code!r}")
            if source != target:
                yield row, fiche_id(source), fiche_id(target)


def read_observed(path: Path) -> Counter[tuple[str, str]]:
    """Number of employment areas reporting each ``(source id, target id)`` pair."""
    return Counter((source, target) for _, source, target in _moves(path))


def read_by_area(path: Path) -> list[tuple[str, str, str]]:
    """``(area, source id, target id)`` rows, self-pairs dropped, sorted."""
    rows = {(row["code_bassin_emploi"].strip(), s, t) for row, s, t in _moves(path)}
    return sorted(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="labonneboite_2021 folder (or the CSV itself)")
    parser.add_argument("-o", "--output", type=Path, default=Path("OBSERVED.csv"))
    parser.add_argument(
        "--min-areas", type=int, default=1, help="keep pairs reported by at least N areas"
    )
    parser.add_argument(
        "--by-area", action="store_true", help="one row per area and pair, with an area column"
    )
    args = parser.parse_args(argv)
    if args.by_area:
        try:
            by_area = read_by_area(args.folder)
        except (DataError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        with args.output.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(("source", "target", "kind", "area"))
            writer.writerows((s, t, "OBSERVED", a) for a, s, t in by_area)
        areas_n = len({a for a, _, _ in by_area})
        print(f"{len(by_area)} rows from {areas_n} areas written to {args.output}")
        return 0
    try:
        areas = read_observed(args.folder)
    except (DataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    pairs = sorted(p for p, n in areas.items() if n >= args.min_areas)
    with args.output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source", "target", "kind"))
        writer.writerows((s, t, "OBSERVED") for s, t in pairs)
    sources = len({s for s, _ in pairs})
    print(f"{len(pairs)} pairs from {sources} sources written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
