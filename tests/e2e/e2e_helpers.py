"""Helpers of the browser tests: the offline guard, pages, screenshots, axe-core."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from cartonet_testing import need

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("CARTONET_E2E_ARTIFACTS", REPO / "build" / "e2e"))


class Offline:
    """Aborts and records every request to a host other than 127.0.0.1."""

    def __init__(self) -> None:
        self.escaped: list[str] = []

    def __call__(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        scheme, host = urlsplit(url).scheme, urlsplit(url).hostname
        if scheme in ("data", "blob") or host == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.escaped.append(url)
            route.abort()  # type: ignore[attr-defined]


def new_page(browser: object, base_url: str, lang: str = "fr") -> tuple[object, Offline]:
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        locale="fr-FR" if lang == "fr" else "en-GB",
        accept_downloads=True,
    )
    offline = Offline()
    context.route("**/*", offline)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page, offline


def shot(page: object, name: str, full_page: bool = True) -> Path:
    """Saves a screenshot of the page as a test artefact; returns its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path


def axe(page: object) -> list[dict]:
    """Serious or critical axe-core violations of the page as it is now."""
    need(AXE.exists(), f"axe-core missing at {AXE} (run `make web-deps`)")
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
