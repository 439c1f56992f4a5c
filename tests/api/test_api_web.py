"""The orientation guide and the offline GraphiQL as the service serves them: built assets
from the package, no CDN anywhere, every GraphQL document of the guide valid on the schema."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import parse, validate

from cartonet.api.schema import build_schema
from cartonet_testing import load_script

REPO = Path(__file__).resolve().parents[2]
WEB_SRC = REPO / "web" / "src"
CDN = re.compile(r"unpkg|jsdelivr|cdnjs|googleapis", re.I)


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


async def test_the_guide_and_its_assets_are_served(client) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/")
    assert page.status_code == 200
    assert 'lang="fr"' in page.text
    assets = _assets(page.text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        r = await client.get(asset)
        assert r.status_code == 200, asset
        assert not CDN.search(r.text), f"{asset} names a CDN"
    assert (await client.get("/static/assets/no-such-file.js")).status_code == 404


async def test_browsers_get_graphiql_from_the_package(client) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "GraphiQL" in page.text
    assert not re.search(r'(?:src|href)="https?://', page.text), "GraphiQL must load nothing remote"
    for asset in _assets(page.text):
        assert (await client.get(asset)).status_code == 200, asset
    # a query by GET is still a query, whatever the browser accepts
    r = await client.get(
        "/graphql", params={"query": "{ stats { version } }"}, headers={"Accept": "text/html"}
    )
    assert r.json()["data"]["stats"]["version"]


def test_no_cdn_in_the_package() -> None:
    src = REPO / "src"
    hits = [
        str(p.relative_to(REPO))
        for p in src.rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".html", ".js", ".css")
        and (CDN.search(p.read_text(encoding="utf-8", errors="replace")))
    ]
    assert not hits, f"CDN names in {hits}"
    assert not any("render_graphql_ide" in p.read_text(encoding="utf-8") for p in src.rglob("*.py"))


def _documents() -> list[tuple[str, str]]:
    """Every GraphQL document the guide sends: template literals that start a query."""
    docs = []
    for path in sorted(WEB_SRC.rglob("*.ts")):
        for m in re.finditer(
            r"`(\s*(?:query\s+\w+\s*[({]|\{\s*\w)[^`]*)`", path.read_text(encoding="utf-8")
        ):
            if "${" not in m.group(1):
                docs.append((f"{path.relative_to(REPO)}", m.group(1)))
    return docs


def test_every_query_of_the_guide_is_valid_on_the_schema() -> None:
    schema = build_schema()._schema  # type: ignore[attr-defined]
    docs = _documents()
    assert len(docs) >= 8, docs
    for where, doc in docs:
        errors = validate(schema, parse(doc))
        assert not errors, f"{where}: {[e.message for e in errors]}\n{doc}"


def test_the_built_assets_match_their_sources() -> None:
    """`make web` stamps the build with a hash of its sources: edit web/ and rebuild."""
    stamp = load_script("web_stamp")
    built = stamp.STAMP.read_text().strip()
    assert built == stamp.source_hash(), "web/ changed since the last `make web`"
