"""API time of the guide's suggestion request, in-process (no browser, no network).

Sends the page's own ``suggestTransitions`` document (read from ``web/src/state.ts``) for
the guide's test seeker, a cook (``rome:G1602``, its skills all held, interest S "a lot"),
to the app over ASGI, and prints the median wall time and the median CPU time of the
process per request (CPU is what the server spends; on a shared machine the wall time is
mostly waiting): for the page's request as it is (30 suggestions, FR + EN labels) and
for a lighter one (15 suggestions, labels in one language). Answers are checked equal
from one request to the next. Needs an ESCO + ROME embedded store; the orientation
cache goes to a temporary folder unless ``--cache-dir`` keeps it between runs.

The page's figure (profile change → options shown, ≤ 300 ms) is ``bench/web.py``'s; this
one splits out the API. Usage::

    .venv/bin/python bench/suggest_api.py --store full.sqlite [--runs 15] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from cartonet.api.app import create_app
from cartonet.api.warmup import warm_up
from cartonet.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SEEKER = "rome:G1602"


def page_document() -> str:
    source = (REPO / "web" / "src" / "state.ts").read_text(encoding="utf-8")
    return source.split("const SUGGEST = `", 1)[1].split("`;", 1)[0]


async def measure(store: Path, cache_dir: Path, runs: int) -> dict[str, Any]:
    page = page_document()
    one_language = page.replace(" fr: label(lang: FR) en: label(lang: EN)", " label(lang: $lang)")
    app = create_app(Settings(store=str(store), warm_cache=True, cache_dir=cache_dir))
    out: dict[str, Any] = {"store": str(store), "runs": runs}
    async with app.router.lifespan_context(app):
        began = time.perf_counter()
        await warm_up(app.state.cartonet)
        out["warm_up_s"] = round(time.perf_counter() - began, 2)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            skills = await client.post(
                "/graphql",
                json={
                    "query": "query($id: ID!) { occupation(id: $id) { skills { skill { id } } } }",
                    "variables": {"id": SEEKER},
                },
            )
            held = [s["skill"]["id"] for s in skills.json()["data"]["occupation"]["skills"]]
            profile = {
                "currentOccupations": [SEEKER],
                "skills": [{"id": s, "level": 1} for s in held],
                "interests": [{"id": "S", "weight": 2}],
                "constraints": {"maxTrainingHours": None, "avoidGroups": []},
            }
            for name, document, first in (
                ("page_30_fr_en", page, 30),
                ("one_language_15", one_language, 15),
            ):
                wall, cpu, answer = [], [], None
                for _ in range(runs):
                    body = {
                        "query": document,
                        "variables": {"p": profile, "first": first, "lang": "FR"},
                    }
                    t0, c0 = time.perf_counter(), time.process_time()
                    response = await client.post("/graphql", json=body)
                    wall.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                    assert "errors" not in response.json(), response.text
                    assert answer is None or response.content == answer, "answers differ"
                    answer = response.content
                assert answer is not None
                out[name] = {
                    "wall_p50_ms": round(statistics.median(wall), 1),
                    "cpu_p50_ms": round(statistics.median(cpu), 1),
                    "bytes": len(answer),
                    "answer_sha1": hashlib.sha1(answer).hexdigest()[:12],
                }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="ESCO + ROME embedded store")
    parser.add_argument("--runs", type=int, default=15, help="requests per measure (median)")
    parser.add_argument("--cache-dir", type=Path, help="keep the warm-up cache here")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cartonet-suggest-") as tmp:
        figures = asyncio.run(measure(args.store, args.cache_dir or Path(tmp), args.runs))
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"store: {figures['store']} (median of {figures['runs']} requests)")
    for name in ("page_30_fr_en", "one_language_15"):
        f = figures[name]
        print(
            f"{name:<16} wall {f['wall_p50_ms']:7.1f} ms  CPU {f['cpu_p50_ms']:7.1f} ms  "
            f"{f['bytes'] / 1000:6.1f} kB"
        )


if __name__ == "__main__":
    main()
