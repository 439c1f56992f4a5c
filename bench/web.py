"""Benchmark of the orientation guide in a real browser (Debian's Chromium via Playwright).

Measures, in one run against one ``cartonet serve`` process:

* **first view interactive**: from navigation start to the job search field of the
  profile being in the page and enabled (``performance.now()`` in the page, fresh browser
  context each run, so nothing is cached);
* **profile change → suggestions shown**: the counsellor changes an interest, then opens
  the options: from the click on "Pistes" to the first suggestion card in the page; with
  the page's own request time (resource timing: network + server) and next to the
  baseline of the very ``suggestTransitions`` requests the page sent, replayed straight
  to ``/graphql`` from Python (the API alone), with their ratio; measured twice: the
  options opened at once after the change, and opened after a counsellor's pause
  (``--pause``, 1 s: the page starts computing the options as the profile changes, so
  they may be ready when the view opens);
* **page weight**: the guide's HTML, entry script, its preloaded chunks and its CSS,
  gzip-compressed (level 9), without the map library (a separate chunk, loaded only by
  the map view) whose weight is given apart, like the charting library's (Pilotage view
  only) and GraphiQL's.

The load average (``os.getloadavg``) at the start and the end is printed beside the
figures: the machine may be shared.

Targets of issue 8: first view ≤ 1 s on the fixtures; suggestions ≤ 300 ms after a profile
change on a full ESCO + ROME store; page ≤ 500 kB compressed without the map library.

Usage::

    .venv/bin/python bench/web.py                      # the fixtures (temp embedded store)
    .venv/bin/python bench/web.py --store full.sqlite  # e.g. ESCO + ROME loaded with
                                                       # `cartonet load esco|rome ... --store`
    .venv/bin/python bench/web.py --json
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DIST = REPO / "src" / "cartonet" / "web" / "dist"
CHROMIUM = os.environ.get("CARTONET_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WARM = ("--log-level", "warning", "--warm-up")
FIRST_INTERACTIVE = """
(() => {
  const done = () => {
    const el = document.querySelector('[data-testid=current-jobs-search]');
    if (el && !el.disabled) { window.__interactive = performance.now(); return true; }
    return false;
  };
  new MutationObserver((_, obs) => { if (done()) obs.disconnect(); })
    .observe(document, { childList: true, subtree: true });
})();
"""


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def page_weight() -> dict[str, int]:
    """gzip bytes of what the first view loads, and of the lazily loaded libraries."""
    html = (DIST / "index.html").read_text(encoding="utf-8")
    first = [DIST / "index.html"] + [
        DIST / ref.removeprefix("/static/") for ref in re.findall(r'"(/static/[^"]+)"', html)
    ]
    assets = DIST / "assets"
    return {
        "page_gzip_bytes": sum(_gz(p) for p in first),
        "map_library_gzip_bytes": sum(_gz(p) for p in assets.glob("cytoscape*.js")),
        "charts_library_gzip_bytes": sum(_gz(p) for p in assets.glob("plot-*.js")),
        "graphiql_gzip_bytes": sum(
            _gz(p) for p in assets.glob("graphiql*") if p.suffix in (".js", ".css")
        ),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What the page asked for before it asked only for what it shows (30 options, every label
# in French and English, the plan's steps): replayed with the same profiles, for the ratio.
FORMER_ASK = """query Suggest($p: ProfileInput!, $first: Int!, $lang: Lang!) {
  suggestTransitions(profile: $p, first: $first, lang: $lang) {
    score
    occupation { id source code fr: label(lang: FR) en: label(lang: EN)
      groups { id fr: label(lang: FR) en: label(lang: EN) } }
    parts { skillFit affinityFit gapCost mobility localMobility }
    activeParts curatedMobility
    mobilityFrom { id fr: label(lang: FR) en: label(lang: EN) }
    sharedSkills { id }
    missingSkills { essential skill { id fr: label(lang: FR) en: label(lang: EN) } }
    trainingPlan { totalHours steps { hours training { id } } uncoveredSkills { id } }
    explanation
  }
}"""


def _fixtures_store(tmp: Path) -> Path:
    sys.path.insert(0, str(REPO / "tests"))
    from cartonet.ingest.fixtures import load_fixtures
    from cartonet_testing import embedded_store_file

    return asyncio.run(embedded_store_file(tmp / "fixtures.sqlite", load_fixtures()))


def _serve(store: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    cartonet = Path(sys.executable).with_name("cartonet")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARTONET_")}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(cartonet), "serve", "--port", str(port), "--store", str(store), *WARM],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"cartonet serve exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
                if json.loads(r.read()).get("warm") in ("warm", "failed", "off"):
                    return proc
        except OSError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the service did not warm up in 15 minutes")


def _post(base: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables}).encode()
    req = urllib.request.Request(base + "/graphql", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def _post_raw(base: str, body: str) -> dict[str, Any]:
    req = urllib.request.Request(
        base + "/graphql", body.encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def browser_figures(base: str, runs: int, occupation: str, pause_ms: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    first: list[float] = []
    shown: list[float] = []
    shown_after_pause: list[float] = []
    request: list[float] = []
    sent: list[str] = []
    api: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            for _ in range(runs):
                ctx = browser.new_context(base_url=base)
                page = ctx.new_page()
                page.add_init_script(FIRST_INTERACTIVE)
                page.goto("/")
                page.wait_for_function("window.__interactive !== undefined")
                first.append(page.evaluate("window.__interactive"))
                ctx.close()

            ctx = browser.new_context(base_url=base)
            page = ctx.new_page()
            page.set_default_timeout(120_000)
            page.on(
                "request",
                lambda r: (
                    sent.append(r.post_data)
                    if r.url.endswith("/graphql") and "suggestTransitions" in (r.post_data or "")
                    else None
                ),
            )
            page.goto("/")
            # the profile of the guide's own flow: a job picked from the search, its skills
            label = _post(
                base, "query($id: ID!) { occupation(id: $id) { label } }", {"id": occupation}
            )
            box = page.get_by_test_id("current-jobs-search")
            box.fill(label["data"]["occupation"]["label"][:40])
            page.locator("[role=option]").first.wait_for()
            box.press("Enter")
            page.locator("fieldset[data-kind] input[type=checkbox]").first.wait_for()
            codes = ["S", "E", "A", "C", "I", "R"]
            for i in range(2 * runs):
                paused = i >= runs
                page.get_by_test_id("nav-profile").click()
                # every change is a new profile (no answer cached in the page)
                page.locator(f"fieldset[data-code={codes[i % 6]}]").get_by_role("radio").nth(
                    1 + (i + i // 6) % 2
                ).check()
                if paused:
                    page.wait_for_timeout(pause_ms)
                page.evaluate(
                    """() => { window.__shown = undefined;
                    new MutationObserver((_, obs) => {
                      if (document.querySelector('[data-testid=suggestion]')) {
                        window.__shown = performance.now(); obs.disconnect(); } })
                    .observe(document.getElementById('main'), {childList: true, subtree: true});
                    }"""
                )
                t0 = page.evaluate("performance.now()")
                page.get_by_test_id("nav-suggestions").click()
                page.wait_for_function("window.__shown !== undefined")
                (shown_after_pause if paused else shown).append(
                    page.evaluate("window.__shown") - t0
                )
                if paused:
                    continue
                # the page's own suggestTransitions request (network + server), to split
                # the time between the service and the page
                request.append(
                    page.evaluate(
                        """() => { const r = performance.getEntriesByType('resource')
                          .filter((e) => e.name.endsWith('/graphql')).pop();
                          return r.responseEnd - r.startTime; }"""
                    )
                )
            ctx.close()
        finally:
            browser.close()

    # the baseline: the very requests the page sent, replayed straight to /graphql; and
    # the same profiles with the former, larger ask, interleaved so both see the same load
    former: list[float] = []
    for body in sent[-runs:]:
        t0 = time.perf_counter()
        answer = _post_raw(base, body)
        api.append((time.perf_counter() - t0) * 1000)
        assert "errors" not in answer, answer
        variables = {**json.loads(body)["variables"], "first": 30}
        t0 = time.perf_counter()
        answer = _post(base, FORMER_ASK, variables)
        former.append((time.perf_counter() - t0) * 1000)
        assert "errors" not in answer, answer
    return {
        "first_view_interactive_ms": statistics.median(first),
        "suggestions_shown_ms": statistics.median(shown),
        "suggestions_shown_after_pause_ms": statistics.median(shown_after_pause),
        "pause_ms": pause_ms,
        "suggestions_request_in_page_ms": statistics.median(request),
        "suggestions_api_only_ms": statistics.median(api),
        "suggestions_page_over_api": statistics.median(shown) / statistics.median(api),
        "suggestions_api_former_ask_ms": statistics.median(former),
        "suggestions_ask_over_former": statistics.median(api) / statistics.median(former),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="embedded store file (default: fixtures)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--occupation", default="rome:G1602", help="the seeker's job id")
    parser.add_argument(
        "--pause", type=int, default=1000, help="ms between the change and opening the options"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM} (make e2e-deps installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or _fixtures_store(Path(tmp))
        port = _free_port()
        proc = _serve(store, port, Path(tmp) / "serve.log")
        try:
            load_before = os.getloadavg()[0]
            figures: dict[str, Any] = {
                "store": str(args.store or "fixtures"),
                "runs": args.runs,
                **browser_figures(
                    f"http://127.0.0.1:{port}", args.runs, args.occupation, args.pause
                ),
                **page_weight(),
                "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            }
        finally:
            proc.terminate()
            proc.wait(30)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"store: {figures['store']} (median of {args.runs} runs; load average "
        f"{figures['load_average'][0]} → {figures['load_average'][1]})"
    )
    print(f"first view interactive      {figures['first_view_interactive_ms']:8.0f} ms")
    print(f"profile change → shown      {figures['suggestions_shown_ms']:8.0f} ms")
    print(
        f"  opened {figures['pause_ms']} ms later   "
        f"{figures['suggestions_shown_after_pause_ms']:8.0f} ms (from the click)"
    )
    print(f"  its request, in the page  {figures['suggestions_request_in_page_ms']:8.0f} ms")
    print(f"  same request, API only    {figures['suggestions_api_only_ms']:8.0f} ms")
    print(f"  page / API                {figures['suggestions_page_over_api']:8.2f}")
    print(f"  former ask (30, FR+EN)    {figures['suggestions_api_former_ask_ms']:8.0f} ms")
    print(f"  this ask / former ask     {figures['suggestions_ask_over_former']:8.2f}")
    print(f"page weight (gzip, no map)  {figures['page_gzip_bytes'] / 1000:8.1f} kB")
    print(f"map library (gzip, lazy)    {figures['map_library_gzip_bytes'] / 1000:8.1f} kB")
    print(f"charts library (gzip, lazy) {figures['charts_library_gzip_bytes'] / 1000:8.1f} kB")
    print(f"GraphiQL (gzip, /graphql)   {figures['graphiql_gzip_bytes'] / 1000:8.1f} kB")


if __name__ == "__main__":
    main()
