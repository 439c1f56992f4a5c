"""The source stamp of the built web assets.

``make web`` builds ``web/`` into ``src/cartonet/web/dist`` and then runs this script, which
writes ``dist/SOURCE_HASH``: a SHA-256 over every file the build reads (``web/src``, the
HTML entry points, ``package.json``, ``package-lock.json`` and the build configuration). A
test recomputes it, so a change to the sources committed without rebuilding fails the suite.

    python scripts/web_stamp.py          # write the stamp
    python scripts/web_stamp.py --check  # exit 1 when the stamp is stale
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WEB = REPO / "web"
STAMP = REPO / "src" / "cartonet" / "web" / "dist" / "SOURCE_HASH"
INPUTS = ("index.html", "graphiql.html", "package.json", "package-lock.json", "vite.config.ts")


def source_hash(web: Path = WEB) -> str:
    """SHA-256 of the build's inputs, file names included, in a stable order."""
    files = [web / name for name in INPUTS]
    files += sorted(p for p in (web / "src").rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(web).as_posix().encode() + b"\0")
        # line endings normalised: a checkout with CRLF builds the same bundle
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the stamp")
    args = parser.parse_args()
    now = source_hash()
    if args.check:
        old = STAMP.read_text().strip() if STAMP.exists() else "(none)"
        if old != now:
            print(f"stale web build: stamp {old[:12]}, sources {now[:12]}; run `make web`")
            return 1
        print("web build is up to date")
        return 0
    STAMP.write_text(now + "\n")
    print(f"wrote {STAMP.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
