"""The counsellor's flow in a real browser, on the fixtures, in both languages: "I am a cook
who likes to work with people" to a printed summary of three options with gaps and trainings.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from e2e_helpers import axe, new_page, shot

playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
expect = playwright.expect

COOK = "rome:G1602"  # Personnel de cuisine (ROME fiche of the fixtures)


def add_job(page, text: str, pick: str, testid: str = "current-jobs") -> None:  # type: ignore[no-untyped-def]
    """Types into the job autocomplete and picks the option containing ``pick`` with the
    keyboard only (arrows + Enter), as a keyboard user would."""
    box = page.get_by_test_id(f"{testid}-search")
    box.fill(text)
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    expect(listbox.get_by_role("option").first).to_be_visible()
    options = listbox.get_by_role("option")
    labels = options.all_inner_texts()
    index = next(i for i, label in enumerate(labels) if pick in label)
    for _ in range(index):
        box.press("ArrowDown")
    box.press("Enter")


def no_violations(page, name: str) -> None:  # type: ignore[no-untyped-def]
    found = axe(page)
    assert not found, f"axe: serious/critical violations on {name}: {found}"


def is_suggest(response) -> bool:  # type: ignore[no-untyped-def]
    return response.url.endswith("/graphql") and "suggestTransitions" in (
        response.request.post_data or ""
    )


def percent(value: float) -> int:
    """A part as the bars print it (JavaScript's Math.round: halves up)."""
    return math.floor(value * 100 + 0.5)


def cook_profile(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    expect(page.get_by_role("heading", level=2)).to_have_text("Le profil de la personne")
    add_job(page, "cuisnier", "Personnel de cuisine")  # typo on purpose
    current = page.get_by_test_id("current-jobs")
    expect(current.get_by_role("listitem").first).to_contain_text("Personnel de cuisine")
    # the fiche's skills arrive pre-ticked, grouped by kind, essential first
    expect(page.locator("fieldset[data-kind=KNOWLEDGE] input[type=checkbox]").first).to_be_checked()
    expect(page.locator("fieldset[data-kind=HARD] legend")).to_contain_text("Savoir-faire")
    # likes to work with people: Social, a lot
    page.locator("fieldset[data-code=S]").get_by_label("Beaucoup").check()


def test_cook_to_printed_summary_in_french(page) -> None:  # type: ignore[no-untyped-def]
    # the profile view asks for the options in the background as the profile changes: the
    # last answer is the one the options view draws
    answers: list = []
    page.on("response", lambda r: answers.append(r) if is_suggest(r) else None)
    cook_profile(page)
    shot(page, "fr-1-profile")
    no_violations(page, "profile")

    page.get_by_test_id("to-suggestions").click()
    cards = page.get_by_test_id("suggestion")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3
    first = cards.first
    # the similarity part: drawn with the API's value, with its hint; a part the API left
    # out of activeParts (no observed move from the cook's fiche) is not drawn
    found = answers[-1].json()["data"]["suggestTransitions"]
    top = next(s for s in found if s["occupation"]["id"] == first.get_attribute("data-id"))
    assert "SIMILARITY" in top["activeParts"] and top["parts"]["similarity"] > 0
    similarity = first.locator(".bar-row[data-part=similarity]")
    expect(similarity).to_contain_text("Proximité avec son métier")
    expect(similarity.locator(".bar-val")).to_have_text(f"{percent(top['parts']['similarity'])} %")
    expect(similarity.locator(".bar-hint")).to_contain_text("exerce ou a exercé")
    assert not any("OBSERVED_MOBILITY" in s["activeParts"] for s in found)
    expect(page.locator(".bar-row[data-part=observedMobility]")).to_have_count(0)
    expect(first.locator(".bar-track").first).to_be_visible()
    # the entry part is a cost: its bar says so, and what 0 % means, so that an empty bar
    # does not read as "no access"
    assert "FEASIBILITY" in top["activeParts"]
    barrier = first.locator(".bar-row[data-part=feasibility]")
    expect(barrier).to_contain_text("Obstacle à l'entrée")
    expect(barrier.locator(".bar-hint")).to_contain_text("rien n'empêche d'y entrer")
    expect(first.locator(".explain")).not_to_be_empty()
    # curated ROME moves are flagged
    expect(page.locator(".flag").first).to_contain_text("Mobilité")
    # issue 14: the usual entry level; catalogue hours and estimated hours told apart
    expect(first.get_by_test_id("entry-level")).to_contain_text("Niveau d'entrée")
    expect(first.get_by_test_id("hours")).to_contain_text(
        re.compile("h de formations du catalogue|h estimées")
    )
    shot(page, "fr-2-suggestions", full_page=False)
    no_violations(page, "suggestions")

    # a first page of options, more on demand
    expect(page.get_by_test_id("more-options")).to_be_visible()
    page.get_by_test_id("more-options").click()
    expect(cards.nth(20)).to_be_visible()

    # filters: curated only keeps flagged cards only
    page.get_by_test_id("filter-curated").check()
    expect(page.locator(".sugg-list[data-complete=true]")).to_be_attached()
    assert cards.count() == page.locator(".sugg .flag").count() > 0
    page.get_by_test_id("filter-curated").uncheck()

    for i in range(3):
        cards.nth(i).get_by_test_id("keep").click()
    expect(page.locator(".kept-line")).to_contain_text("3 piste(s) retenue(s)")

    cards.first.get_by_test_id("see-gap").click()
    expect(page.get_by_test_id("target-label")).to_be_visible()
    expect(page.get_by_test_id("plan-total")).to_contain_text("Total")
    expect(page.get_by_test_id("plan-total")).to_contain_text("catalogue")
    expect(page.get_by_test_id("missing").get_by_role("listitem").first).to_be_visible()
    shot(page, "fr-3-target")
    no_violations(page, "target")
    target_url = page.url
    assert "#/target/" in target_url and "cuisine" not in target_url.split("#")[0]
    # optional skills widen the plan; the view stays on the same target
    label = page.get_by_test_id("target-label").inner_text()
    page.get_by_label("Inclure les compétences optionnelles dans le plan").check()
    expect(page).to_have_url(re.compile(r"optional=1$"))
    expect(page.get_by_test_id("target-label")).to_have_text(label)
    expect(page.get_by_test_id("plan")).to_contain_text("Total")
    page.go_back()

    page.get_by_test_id("to-path").click()
    expect(page.get_by_test_id("path").first).to_be_visible()
    expect(page.locator(".path-node").first).to_contain_text("Personnel de cuisine")
    page.get_by_label("Nombre de parcours").select_option("1")
    page.get_by_test_id("path-go").click()
    expect(page).to_have_url(re.compile(r"\?k=1$"))
    expect(page.get_by_test_id("path")).to_have_count(1)
    page.go_back()
    expect(page.get_by_test_id("path").first).to_be_visible()
    shot(page, "fr-4-path")
    no_violations(page, "path")

    page.get_by_test_id("nav-summary").click()
    options = page.get_by_test_id("summary-option")
    expect(options).to_have_count(3)
    expect(page.get_by_test_id("summary-meta")).to_contain_text("Données : v")
    expect(options.first).to_contain_text("Formations")
    expect(options.first.get_by_test_id("summary-hours")).to_contain_text("catalogue")
    no_violations(page, "summary")
    page.emulate_media(media="print")
    expect(page.locator("#nav")).to_be_hidden()
    shot(page, "fr-6-summary-print")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
    page.emulate_media(media="screen")
    # the URL names views and occupations, never the profile
    assert "S" not in page.url.split("#")[-1].split("/")[0]
    assert "riasec" not in page.url and "interest" not in page.url


def test_map_highlights_the_seeker_and_the_options(page) -> None:  # type: ignore[no-untyped-def]
    cook_profile(page)
    page.get_by_test_id("nav-map").click()
    canvas = page.get_by_test_id("map-canvas")
    expect(canvas).to_have_attribute("data-ready", "true", timeout=30000)
    highlighted = page.locator(".map-side .map-matches li")
    expect(highlighted.first).to_be_visible()
    assert "Personnel de cuisine" in " ".join(highlighted.all_inner_texts())
    expect(page.locator(".map-side")).to_contain_text(re.compile(r"\d+ liens"))
    assert page.evaluate("document.querySelector('[data-testid=map-canvas]') !== null")
    page.wait_for_timeout(300)  # the first fit is drawn on the next frames
    shot(page, "fr-5-map", full_page=False)
    page.get_by_test_id("map-search").fill("boulang")
    page.get_by_test_id("map-search").press("Enter")
    expect(page.get_by_test_id("map-selected")).to_contain_text(re.compile("oulang", re.I))
    # the selected point's links, strongest first, as buttons: the keyboard route along edges
    neighbour = page.get_by_test_id("map-linked").get_by_role("button").first
    name = neighbour.inner_text()
    neighbour.press("Enter")
    expect(page.get_by_test_id("map-selected")).to_have_text(name)
    page.wait_for_timeout(600)  # let the centring animation end before the screenshot
    shot(page, "fr-5-map-search", full_page=False)
    no_violations(page, "map")


def test_english_switch_translates_the_interface(browser, base_url) -> None:  # type: ignore[no-untyped-def]
    page, offline = new_page(browser, base_url, "en")
    try:
        page.goto("/")
        page.get_by_role("button", name=re.compile("English")).click()
        expect(page.get_by_role("heading", level=2)).to_have_text("The person's profile")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        add_job(page, "cook", "cook")
        expect(page.locator("fieldset[data-kind=HARD] legend")).to_contain_text("Skills")
        page.locator("fieldset[data-code=S]").get_by_label("A lot").check()
        shot(page, "en-1-profile")
        page.get_by_test_id("to-suggestions").click()
        cards = page.get_by_test_id("suggestion")
        expect(cards.first).to_be_visible()
        expect(page.locator(".filters")).to_contain_text("Field")
        expect(cards.first).to_contain_text("Gap and trainings")
        shot(page, "en-2-suggestions", full_page=False)
        no_violations(page, "suggestions (en)")
        cards.first.get_by_test_id("see-gap").click()
        expect(page.get_by_test_id("plan")).to_contain_text("Training plan")
        page.get_by_test_id("nav-summary").click()
        expect(page.get_by_test_id("summary-option")).to_have_count(3)
        expect(page.get_by_test_id("summary-meta")).to_contain_text("Data: v")
        shot(page, "en-6-summary")
        # the language is remembered
        page.reload()
        expect(page.get_by_role("heading", level=2)).to_have_text("Career guidance summary")
    finally:
        page.context.close()
    assert not offline.escaped, offline.escaped


def test_profile_export_and_import(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cook_profile(page)
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    saved = tmp_path / "profile.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["current"][0]["id"] == COOK
    assert data["interests"] == {"riasec:S": 2}
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.get_by_test_id("current-jobs")).to_contain_text("Aucun")
    page.locator("input[type=file]").set_input_files(str(saved))
    expect(page.locator("#file-status")).to_have_text("Profil importé.")
    expect(page.get_by_test_id("current-jobs")).to_contain_text("Personnel de cuisine")
    # a file that is not a profile is refused in words
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    page.locator("input[type=file]").set_input_files(str(bad))
    expect(page.locator("#file-status")).to_have_text(re.compile("pas un profil"))
    # removing the job removes the skills that came with it
    page.get_by_role("button", name="Retirer Personnel de cuisine").click()
    expect(page.locator("fieldset[data-kind]")).to_have_count(0)


def test_errors_and_outage_in_counsellor_words(page) -> None:  # type: ignore[no-untyped-def]
    cook_profile(page)

    def down(route) -> None:  # type: ignore[no-untyped-def]
        body = {
            "data": None,
            "errors": [
                {"message": "store unavailable: x", "extensions": {"code": "STORE_UNAVAILABLE"}}
            ],
        }
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/graphql", down)
    page.route("**/readyz", lambda r: r.fulfill(status=503, body='{"status":"unavailable"}'))
    page.get_by_test_id("to-suggestions").click()
    expect(page.locator(".error-box")).to_contain_text("Le service de données ne répond pas")
    expect(page.locator("#banner")).to_be_visible()
    expect(page.locator("#banner")).to_contain_text("ne répond pas")
    shot(page, "fr-7-outage", full_page=False)
    page.unroute("**/graphql")
    page.get_by_role("button", name="Réessayer").click()
    expect(page.get_by_test_id("suggestion").first).to_be_visible()
    expect(page.locator("#banner")).to_be_hidden()


def test_graphiql_works_offline(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/graphql")
    expect(page.locator(".graphiql-container")).to_be_visible()
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    expect(editor).to_be_visible()
    page.evaluate(
        "document.querySelector('.graphiql-query-editor .CodeMirror')"
        ".CodeMirror.setValue('{ stats { version } }')"
    )
    page.locator(".graphiql-execute-button").click()
    expect(page.locator(".result-window")).to_contain_text("version")
    shot(page, "graphiql", full_page=False)


def test_every_step_works_with_the_keyboard(page) -> None:  # type: ignore[no-untyped-def]
    """Controls are reached by focus and driven by keys only: no click anywhere."""
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.keyboard.press("Enter")
    add_job(page, "cuisnier", "Personnel de cuisine")
    # a RIASEC choice is a radio group: arrows move the choice
    radio = page.locator("fieldset[data-code=S] input[type=radio]").first
    radio.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("fieldset[data-code=S] input[type=radio]").nth(2)).to_be_checked()
    # a skill is unticked with the space bar
    box = page.locator("fieldset[data-kind=HARD] input[type=checkbox]").first
    box.focus()
    page.keyboard.press("Space")
    expect(page.locator("fieldset[data-kind=HARD] input[type=checkbox]").first).not_to_be_checked()
    page.get_by_test_id("to-suggestions").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()  # focus follows the step
    keep = page.get_by_test_id("keep").first
    expect(keep).to_be_visible()
    keep.focus()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("keep").first).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("see-gap").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("plan")).to_be_visible()
    page.get_by_test_id("nav-summary").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("summary-option")).to_have_count(1)
    expect(page.get_by_test_id("print")).to_be_enabled()
    # the unticked skill reached the engine: the profile sends it as lacking
    profile = json.loads(page.evaluate("localStorage.getItem('cartonet.profile')"))
    assert sum(1 for s in profile["skills"] if not s["checked"]) == 1


def test_commune_is_checked_and_never_blocks_the_options(page) -> None:  # type: ignore[no-untyped-def]
    cook_profile(page)
    commune = page.get_by_test_id("commune")
    commune.fill("Lyon")
    commune.press("Tab")
    expect(page.locator("#main")).to_contain_text("pas un code INSEE")
    commune.fill("75056")
    commune.press("Tab")
    expect(page.locator("#main")).not_to_contain_text("pas un code INSEE")
    sent: list[dict] = []

    def refuse_the_commune(route) -> None:  # type: ignore[no-untyped-def]
        """A service with no employment area for the commune refuses it; the page must
        then show the options without local moves, and say so."""
        body = json.loads(route.request.post_data or "{}")
        profile = (body.get("variables") or {}).get("p") or {}
        if "suggestTransitions" in body.get("query", ""):
            sent.append(profile)
        if "suggestTransitions" in body.get("query", "") and "commune" in profile:
            error = {
                "message": "invalid argument 'profile.commune': no employment area known",
                "extensions": {"code": "BAD_USER_INPUT", "argument": "profile.commune"},
            }
            route.fulfill(content_type="application/json", body=json.dumps({"errors": [error]}))
        else:
            route.continue_()

    page.route("**/graphql", refuse_the_commune)
    page.get_by_test_id("to-suggestions").click()
    expect(page.get_by_test_id("suggestion").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("ne connaît pas de bassin d'emploi")
    assert sent[0]["commune"] == "75056" and "commune" not in sent[-1]


def test_entry_requirements_field_tree_and_commune_area(page) -> None:  # type: ignore[no-untyped-def]
    """A regulated target says its diploma; fields can be browsed, not only typed; a commune
    code says which employment area it is in (the fixtures load no observed moves)."""
    cook_profile(page)
    tree = page.get_by_test_id("liked-fields-tree")
    tree.locator("summary").first.click()
    rome = tree.locator("details", has_text="ROME (France Travail)").first
    rome.locator("summary").first.click()
    domain = rome.locator(".tree-list > li > details").first
    domain.locator("summary").first.click()
    domain.get_by_role("button", name=re.compile("^Choisir")).first.click()
    expect(page.get_by_test_id("liked-fields").locator(".chip")).to_have_count(1)
    no_violations(page, "profile with the field tree open")
    commune = page.get_by_test_id("commune")
    commune.fill("75056")
    commune.press("Tab")
    expect(page.get_by_test_id("commune-area")).to_contain_text("ne connaît pas de bassin d'emploi")
    page.goto("/#/target/rome:J1507")
    expect(page.get_by_test_id("required-diploma")).to_contain_text(
        "Diplôme d'État de puéricultrice"
    )
    shot(page, "fr-3-target-regulated", full_page=False)


POPULATION = (
    "métier;effectif\nD1507;12\nrome:D1106;5\nG1802;3\nN1303;7\nG1602;20\nG1602;5\nCuisinier;3\n"
)


def option_ids(page) -> set[str]:  # type: ignore[no-untyped-def]
    """The occupations of the options chart, from its table (id column), once drawn."""
    expect(page.locator(".pil-results")).to_have_attribute("data-ready", "true", timeout=30000)
    rows = page.get_by_test_id("pil-options").locator("table tbody tr")
    return {rows.nth(i).locator("td").nth(1).text_content() or "" for i in range(rows.count())}


def place_and_threshold(page) -> None:  # type: ignore[no-untyped-def]
    """A cook's assistant population (D1507, 12 people) looked at in a commune, then with a
    lower viability threshold: the request carries both, a commune the service does not know
    is refused before any analysis, the observed moves of 92050's area (1108: D1102, D1104 in
    the e2e store) join the options, and a lower threshold never loses one."""
    sent: list[dict] = []

    def record(request) -> None:  # type: ignore[no-untyped-def]
        if request.method == "POST" and "populationOptions" in (request.post_data or ""):
            sent.append(json.loads(request.post_data)["variables"]["pop"])

    page.on("request", record)
    page.get_by_test_id("pil-table").fill("D1507;12\n")
    page.get_by_test_id("pil-run").click()
    before = option_ids(page)
    assert sent[-1] == {"groups": [{"occupation": "rome:D1507", "count": 12}], "viability": 0.3}
    assert before and not {"rome:D1102", "rome:D1104"} & before

    commune = page.get_by_label("Commune (code INSEE)")
    commune.fill("75056")
    commune.press("Tab")
    expect(page.get_by_test_id("pil-place")).to_contain_text("ne connaît pas de bassin")
    asked = len(sent)
    page.get_by_test_id("pil-run").click()
    expect(page.get_by_test_id("pil-status")).to_contain_text("l'analyse n'est pas lancée")
    assert len(sent) == asked, "a refused commune must not be sent"

    commune.fill("92050")
    commune.press("Tab")
    expect(page.get_by_test_id("pil-place")).to_contain_text("bassin d'emploi 1108")
    page.get_by_test_id("pil-run").click()
    expect(page.get_by_test_id("pil-status")).not_to_contain_text("pas lancée")
    local = option_ids(page)
    assert sent[-1]["commune"] == "92050" and sent[-1]["viability"] == 0.3
    assert before < local and {"rome:D1102", "rome:D1104"} <= local

    viability = page.get_by_label("Seuil de viabilité (0 à 1)")
    viability.fill("0.1")
    page.get_by_test_id("pil-run").click()
    expect(page.locator(".pil-results")).not_to_have_attribute("data-ready", "true")
    lower = option_ids(page)
    assert sent[-1]["commune"] == "92050" and sent[-1]["viability"] == 0.1
    assert len(lower) >= len(local) > len(before)
    viability.fill("2")
    page.get_by_test_id("pil-run").click()
    expect(page.get_by_test_id("pil-status")).to_contain_text("entre 0 et 1")
    no_violations(page, "pilotage with a commune and a threshold")
    commune.fill("")
    viability.fill("0.3")


def test_pilotage_charts_and_exports_in_both_languages(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A population pasted (French) then loaded from a file (English): the four answers
    drawn as charts, each exported as CSV, SVG and PNG, with the bad line named."""
    page.goto("/#/pilotage")
    expect(page.get_by_role("heading", level=2)).to_contain_text("Pilotage")
    page.get_by_test_id("pil-table").fill(POPULATION)
    page.get_by_test_id("pil-run").click()
    status = page.get_by_test_id("pil-status")
    # G1602 twice is added up; "Cuisinier" is not a code: line 8 is named, the rest runs
    expect(status).to_contain_text("5 métier(s), 52 personne(s)")
    expect(status).to_contain_text("ligne 8")
    expect(page.locator(".pil-results")).to_have_attribute("data-ready", "true", timeout=30000)
    for part in ("options", "skills", "trainings", "transferable"):
        expect(page.get_by_test_id(f"pil-{part}")).to_be_visible()
    skills = page.get_by_test_id("pil-skills")
    expect(skills.locator("svg[role=img]")).to_have_count(1)
    expect(skills.locator("svg g[data-mark=bar] rect").first).to_be_attached()
    downloads = {}
    for kind in ("csv", "svg", "png"):
        with page.expect_download() as info:
            page.get_by_test_id(f"pil-skills-{kind}").click()
        path = tmp_path / f"skills.{kind}"
        info.value.save_as(path)
        downloads[kind] = path.read_bytes()
    csv_lines = downloads["csv"].decode().splitlines()
    assert csv_lines[0].startswith("Compétence,id,Nouvelles pistes")
    assert len(csv_lines) == 1 + skills.locator("svg g[data-mark=bar] rect").count()
    assert downloads["svg"].startswith(b"<svg") and b"</svg>" in downloads["svg"]
    assert downloads["png"][:8] == b"\x89PNG\r\n\x1a\n"
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "fr-8-pilotage")
    # the data as a table too, for those who do not read charts
    skills.locator("summary").click()
    expect(skills.locator("table tbody tr").first).to_be_visible()
    no_violations(page, "pilotage")
    place_and_threshold(page)

    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Steering")
    source = tmp_path / "population.csv"
    source.write_text("occupation,count\nD1507,12\nN1303,7\n", encoding="utf-8")
    page.get_by_test_id("pil-file").set_input_files(str(source))
    expect(page.get_by_test_id("pil-status")).to_contain_text("2 job(s), 19 people")
    expect(page.locator(".pil-results")).to_have_attribute("data-ready", "true", timeout=30000)
    expect(page.get_by_test_id("pil-skills")).to_contain_text(
        "Skills that open the most new options"
    )
    shot(page, "en-8-pilotage", full_page=False)
    no_violations(page, "pilotage (en)")


def test_inferred_interests_are_said_to_be_estimates(page) -> None:  # type: ignore[no-untyped-def]
    """An ESCO job has no RIASEC interests of its own: those read from its linked ROME job
    (the e2e store holds the crosswalk) are shown as an estimate under the interests bar,
    naming that job; a ROME job's own interests are not."""
    answers: list = []
    page.on("response", lambda r: answers.append(r) if is_suggest(r) else None)
    page.goto("/")
    add_job(page, "aide-cuisinier", "aide-cuisinier")
    page.locator("fieldset[data-code=R]").get_by_label("Beaucoup").check()
    page.get_by_test_id("to-suggestions").click()
    cards = page.get_by_test_id("suggestion")
    # the first suggestions of a fresh server build the projection: slow on a loaded machine
    expect(cards.first).to_be_visible(timeout=30000)
    found = answers[-1].json()["data"]["suggestTransitions"]
    flagged = [s for s in found if s["inferredInterests"]]
    assert flagged, "an ESCO job with interests read across the crosswalk"
    s = flagged[0]
    card = page.locator(f"[data-testid=suggestion][data-id='{s['occupation']['id']}']")
    hint = card.locator(".bar-row[data-part=affinityFit] .bar-hint")
    expect(hint).to_contain_text("Intérêts estimés d'après le métier lié")
    expect(hint).to_contain_text(s["interestsFrom"]["label"])
    expect(hint).to_contain_text(f"ROME {s['interestsFrom']['code']}")
    no_violations(page, "suggestions with inferred interests")
    shot(page, "fr-2-suggestions-inferred-interests", full_page=False)

    # a ROME job's interests are its own: no such note
    page.evaluate("localStorage.clear()")
    cook_profile(page)
    page.get_by_test_id("to-suggestions").click()
    expect(cards.first).to_be_visible(timeout=30000)
    expect(page.locator(".bar-row[data-part=affinityFit]").first).to_be_visible()
    expect(page.locator(".bar-row[data-part=affinityFit] .bar-hint")).to_have_count(0)
