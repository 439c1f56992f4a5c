"""Turn the ROME mobilités file into a truth file for ``cartonet evaluate``.

Reads ``unix_rubrique_mobilite_v<version>_utf8.csv`` (ROME v3 open-data export) and writes a
CSV with columns ``source,target,kind``: occupation ids as the ROME loader stores them
(``rome:<code_rome>``), one row per distinct fiche-to-fiche pair (rows restricted to an
appellation count for their fiches; a pair listed as both kinds is kept once, as CLOSE).
Self-pairs are dropped.

Usage::

    .venv/bin/python scripts/rome_mobility_pairs.py ../shared/data/rome/v333 -o PAIRS.csv
    .venv/bin/python scripts/rome_mobility_pairs.py ../shared/data/rome/v333 --kind close \
        -o CLOSE.csv
    cartonet evaluate --truth PAIRS.csv --k 10 --json --store rome.sqlite
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from cartonet.errors import DataError
from cartonet.ingest.rome import CODE_ROME, MOBILITY_KINDS, fiche_id

COLUMNS = ("code_rome", "code_rome_cible", "code_type_mobilite")


def mobility_file(path: Path) -> Path:
    """The mobilités CSV: ``path`` itself, or the one file of that name in folder ``path``."""
    if path.is_file():
        return path
    found = sorted(path.glob("unix_rubrique_mobilite_v*_utf8.csv"))
    if len(found) != 1:
        raise DataError(
            str(path), None, f"expected one unix_rubrique_mobilite_v*_utf8.csv, found {len(found)}"
        )
    return found[0]


def read_mobility(path: Path) -> list[tuple[str, str, str]]:
    """``(source id, target id, kind)`` per distinct pair, in file order."""
    pairs: dict[tuple[str, str], str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(str(path), 1, f"missing column(s) {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            source, target = row["code_rome"].strip(), row["code_rome_cible"].strip()
            for code in (source, target):
                if not CODE_ROME.match(code):
                    raise DataError(str(path), line, f"not a ROME code: {code!r}")
            kind = MOBILITY_KINDS.get(row["code_type_mobilite"].strip())
            if kind is None:
                raise DataError(
                    str(path), line, f"unknown code_type_mobilite {row['code_type_mobilite']!r}"
                )
            if source == target:
                continue
            key = (fiche_id(source), fiche_id(target))
            if pairs.get(key) != "CLOSE":  # CLOSE wins over EVOLUTION for a pair listed twice
                pairs[key] = kind.value
    return [(s, t, k) for (s, t), k in pairs.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rome", type=Path, help="ROME export folder (or the mobilités CSV itself)")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("PAIRS.csv"),
        help="output CSV (default PAIRS.csv)",
    )
    parser.add_argument(
        "--kind",
        choices=("all", "close", "evolution"),
        default="all",
        help="which mobilities to keep",
    )
    args = parser.parse_args(argv)
    try:
        pairs = read_mobility(mobility_file(args.rome))
    except (DataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.kind != "all":
        pairs = [p for p in pairs if p[2] == args.kind.upper()]
    with args.output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source", "target", "kind"))
        writer.writerows(pairs)
    sources = len({s for s, _, _ in pairs})
    print(f"{len(pairs)} pairs from {sources} sources written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
