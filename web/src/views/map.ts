// The map: skillMap points drawn with Cytoscape.js (loaded on demand: the rest of the page
// stays light), the seeker's jobs and the suggested options highlighted.
import { gql } from "../api";
import { h, uid } from "../dom";
import { gqlLang, t } from "../i18n";
import { isEmpty, label } from "../profile";
import { href, state, suggestions } from "../state";
import { errorBox } from "../widgets";

// soft colours for the clusters; none close to the seeker's red or the options' dark blue
const PALETTE = ["#8fb3d9", "#a8d5ba", "#f3c98b", "#d7b4e0", "#9fd3d9", "#c9c98f", "#b0b8e8", "#b8dba0", "#a0c4b8", "#e6d58f", "#c4c4c4", "#9ec9a0"];
const SEEKER = "#c0392b";
const TARGET = "#123f7a";

const MAP = `query Map($kind: MapKind!, $after: String, $lang: Lang!) {
  skillMap(kind: $kind) {
    modularity
    communities { id size }
    points(first: 500, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { x y community centrality node { id type label(lang: $lang) } } }
    }
    links(first: 0) { totalCount }
  }
}`;

const LINKS = `query Links($kind: MapKind!, $after: String, $around: [ID!]) {
  skillMap(kind: $kind) {
    links(first: 500, after: $after, around: $around) {
      pageInfo { hasNextPage endCursor }
      edges { node { source target weight } }
    }
  }
}`;

// Up to this many links the whole map's links are drawn (a few requests); above it (the
// full ESCO + ROME map holds tens of thousands) only those of the highlighted points.
const ALL_LINKS = 4000;

type Link = { source: string; target: string; weight: number };

async function fetchLinks(kind: string, around: string[] | null): Promise<Link[]> {
  const out: Link[] = [];
  let after: string | null = null;
  for (;;) {
    const d: any = await gql(LINKS, { kind, after, around });
    const page = d.skillMap.links;
    for (const e of page.edges) out.push(e.node);
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

function norm(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export function mapView(root: HTMLElement, args: string[]): void {
  const kind = args[0] === "skills" ? "SKILLS" : "OCCUPATIONS";
  const head = h("div", { class: "view-head" }, h("h2", null, t("map.title")), h("p", { class: "lead" }, t("map.intro")));
  const kindId = uid("kind");
  const searchId = uid("ms");
  const canvas = h("div", { class: "map-canvas", "data-testid": "map-canvas", role: "img", "aria-label": t("map.title") });
  const panel = h("div", { class: "map-panel", "aria-live": "polite" }, h("p", { class: "muted" }, t("map.clickHint")));
  const matches = h("ul", { class: "map-matches", "aria-label": t("map.search") });
  const highlighted = h("ul", { class: "map-matches" });
  const info = h("p", { class: "muted small" });
  let cy: any = null;
  let fitZoom = 1;

  const select = (id: string) => {
    if (!cy) return;
    const n = cy.getElementById(id);
    if (!n || n.empty()) return;
    cy.elements().unselect();
    n.select();
    cy.edges().removeClass("sel-link");
    n.connectedEdges().addClass("sel-link");
    cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), fitZoom * 2.5) }, { duration: 250 });
    const d = n.data();
    // its links, strongest first: the keyboard route through the map's edges
    const near = n
      .connectedEdges("[kind != 'option']")
      .sort((a: any, b: any) => b.data("weight") - a.data("weight"))
      .map((e: any) => (e.source().id() === id ? e.target() : e.source()))
      .slice(0, 10);
    panel.replaceChildren(
      h("p", { class: "muted small" }, t("map.selected")),
      h("h3", { "data-testid": "map-selected" }, d.label),
      d.type === "OCCUPATION" ? h("a", { class: "btn btn-primary", href: href("target", d.id) }, t("sugg.see")) : "",
      near.length ? h("h4", null, t("map.linked", { n: near.length })) : "",
      near.length
        ? h("ul", { class: "map-matches", "data-testid": "map-linked" }, near.map((m: any) => h("li", null, h("button", { type: "button", class: "link", onclick: () => select(m.id()) }, m.data("label")))))
        : "",
    );
  };
  const zoom = (f: number) => cy && cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 } });

  root.replaceChildren(
    head,
    h(
      "div",
      { class: "card map-tools" },
      h("div", { class: "field" }, h("label", { for: kindId }, t("map.kind")),
        h("select", { id: kindId, onchange: (e: Event) => { location.hash = href("map", (e.target as HTMLSelectElement).value === "SKILLS" ? "skills" : "occupations"); } },
          h("option", { value: "OCCUPATIONS", selected: kind === "OCCUPATIONS" }, t("map.occupations")),
          h("option", { value: "SKILLS", selected: kind === "SKILLS" }, t("map.skills")))),
      h("div", { class: "field grow" }, h("label", { for: searchId }, t("map.search")),
        h("input", {
          id: searchId, type: "search", "data-testid": "map-search",
          oninput: (e: Event) => {
            const q = norm((e.target as HTMLInputElement).value.trim());
            if (!cy || q.length < 2) { matches.replaceChildren(); return; }
            const found = cy.nodes().filter((n: any) => norm(n.data("label")).includes(q)).slice(0, 8);
            matches.replaceChildren(...(found.length ? found.map((n: any) => h("li", null, h("button", { type: "button", class: "link", onclick: () => select(n.id()) }, n.data("label")))) : [h("li", { class: "muted" }, t("map.notFound"))]));
          },
          onkeydown: (e: KeyboardEvent) => { if (e.key === "Enter") { e.preventDefault(); (matches.querySelector("button") as HTMLButtonElement | null)?.click(); } },
        })),
      h("div", { class: "row", role: "group", "aria-label": "Zoom" },
        h("button", { type: "button", class: "btn", "aria-label": t("map.zoomIn"), title: t("map.zoomIn"), onclick: () => zoom(1.4) }, "+"),
        h("button", { type: "button", class: "btn", "aria-label": t("map.zoomOut"), title: t("map.zoomOut"), onclick: () => zoom(1 / 1.4) }, "−"),
        h("button", { type: "button", class: "btn", onclick: () => cy && cy.fit(undefined, 20) }, t("map.fit"))),
    ),
    matches,
    h("div", { class: "map-wrap" }, canvas, h("aside", { class: "card map-side" },
      h("ul", { class: "legend" }, h("li", null, h("span", { class: "dot", style: { background: SEEKER } }), t("map.legend.seeker")), h("li", null, h("span", { class: "dot", style: { background: TARGET } }), t("map.legend.target"))),
      info, panel, h("h4", null, t("map.highlighted")), highlighted)),
  );

  (async () => {
    const points: any[] = [];
    let after: string | null = null;
    let communities = 0;
    let linkCount = 0;
    for (;;) {
      const d: any = await gql(MAP, { kind, after, lang: gqlLang() });
      communities = d.skillMap.communities.length;
      linkCount = d.skillMap.links.totalCount;
      const page = d.skillMap.points;
      for (const e of page.edges) points.push(e.node);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const seeker = new Set<string>(kind === "OCCUPATIONS" ? state.profile.current.concat(state.profile.past).map((o) => o.id) : state.profile.skills.filter((s) => s.checked).map((s) => s.id));
    let targets = new Set<string>();
    if (kind === "OCCUPATIONS" && !isEmpty(state.profile)) {
      try {
        targets = new Set((await suggestions()).slice(0, 10).map((s) => s.occupation.id));
      } catch {
        /* an empty profile or an outage: the map is still worth showing */
      }
      for (const k of state.profile.kept) targets.add(k.id);
    }
    const lit = [...seeker, ...targets];
    const allLinks = linkCount <= ALL_LINKS;
    const [links, { default: cytoscape }] = await Promise.all([
      allLinks ? fetchLinks(kind, null) : lit.length ? fetchLinks(kind, lit.slice(0, 500)) : Promise.resolve([] as Link[]),
      import("cytoscape"),
    ]);
    info.textContent = [
      `${points.length} ${t(kind === "SKILLS" ? "map.points.skills" : "map.points.occupations")}`,
      t("map.communities", { n: communities }),
      allLinks ? t("map.links", { n: links.length }) : t("map.linksAround", { n: links.length, total: linkCount }),
    ].join(" · ");
    // on a large map (full ESCO + ROME: 3,500 jobs) the other points shrink, so the
    // highlighted ones and their links stay readable when zoomed on them
    const dot = Math.min(1, Math.sqrt(600 / Math.max(points.length, 1)));
    const els: any[] = points.map((p) => ({
      group: "nodes",
      data: {
        id: p.node.id, label: p.node.label, type: p.node.type,
        color: seeker.has(p.node.id) ? SEEKER : targets.has(p.node.id) ? TARGET : PALETTE[p.community % PALETTE.length],
        size: seeker.has(p.node.id) || targets.has(p.node.id) ? 22 * Math.max(dot, 0.5) : dot * (6 + Math.min(14, Math.sqrt(p.centrality * points.length) * 4)),
        hl: seeker.has(p.node.id) ? "seeker" : targets.has(p.node.id) ? "target" : "",
      },
      position: { x: p.x * 1000, y: p.y * 1000 },
    }));
    const ids = new Set(points.map((p) => p.node.id));
    const litSet = new Set(lit);
    for (const l of links) {
      if (!ids.has(l.source) || !ids.has(l.target)) continue;
      const near = litSet.has(l.source) || litSet.has(l.target);
      els.push({ group: "edges", data: { id: `l:${l.source}>${l.target}`, source: l.source, target: l.target, weight: l.weight, kind: near ? "near" : "link" } });
    }
    // the suggestions themselves: from the seeker's jobs to each option, dashed
    for (const s of seeker) for (const tg of targets) if (ids.has(s) && ids.has(tg)) els.push({ group: "edges", data: { id: `${s}>${tg}`, source: s, target: tg, kind: "option" } });
    cy = cytoscape({
      container: canvas,
      elements: els,
      layout: { name: "preset" },
      minZoom: 0.1,
      maxZoom: 12,
      style: [
        { selector: "node", style: { "background-color": "data(color)", width: "data(size)", height: "data(size)", "border-width": 0.5, "border-color": "#fff" } },
        { selector: "node[hl != '']", style: { label: "data(label)", "font-size": 11, "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": "2px", color: "#111", "text-valign": "top", "text-margin-y": -4, "z-index": 10, "border-width": 2 } },
        { selector: "node[hl = 'seeker']", style: { "z-index": 15, "border-color": "#fff", "border-width": 3 } },
        { selector: "node:selected", style: { label: "data(label)", "border-width": 3, "border-color": "#f1c40f", "font-size": 12, "z-index": 20 } },
        { selector: "edge[kind = 'link']", style: { width: 0.6, "line-color": "#aab3bd", opacity: 0.35, "curve-style": "haystack" } },
        { selector: "edge[kind = 'near']", style: { width: 1.4, "line-color": "#4a5a6a", opacity: 0.8, "curve-style": "haystack", "z-index": 5 } },
        { selector: "edge[kind = 'option']", style: { width: 2, "line-color": TARGET, "line-style": "dashed", opacity: 0.7, "curve-style": "straight", "z-index": 6 } },
        { selector: "edge.sel-link", style: { "line-color": "#9a7d0a", width: 2, opacity: 1, "z-index": 8 } },
      ],
    });
    cy.on("tap", "node", (e: any) => select(e.target.id()));
    const hl = cy.nodes("[hl != '']");
    highlighted.replaceChildren(...hl.map((n: any) => h("li", { class: "hl-item" }, h("span", { class: "dot", style: { background: n.data("color") } }), h("button", { type: "button", class: "link", onclick: () => select(n.id()) }, n.data("label")))));
    cy.fit(undefined, 20);
    fitZoom = cy.zoom();
    if (hl.length) cy.fit(hl.closedNeighborhood().union(hl), 60);
    // labels keep a readable size on screen whatever the zoom
    const labels = () => cy.style().selector("node[hl != ''], node:selected").style({ "font-size": 12 / cy.zoom(), "text-margin-y": -4 / cy.zoom() }).update();
    cy.on("zoom", labels);
    labels();
    canvas.setAttribute("data-ready", "true");
  })().catch((e) => canvas.replaceChildren(errorBox(e)));
}

export { label };
